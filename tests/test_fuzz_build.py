"""Property-based: whatever staff write into the facts, the build ends in a valid .docx or a clean message.

Random facts trees are made by mutating facts/2016.yaml: hostile text (XML specials, emoji,
control characters, Jinja syntax) in the fields the report prints, random values at random
keys, and random characters typed into the YAML text itself.  A build either writes a .docx
that python-docx opens, with the text printed literally (control characters dropped), or
raises a WorkreportError whose every problem is a Chinese message; never anything else.
LibreOffice opens one fixed hostile report (it is too slow to run per example).
"""

from __future__ import annotations

import copy
import io
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

import docx
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from workreport import facts as facts_module
from workreport.errors import WorkreportError
from workreport.kind import load_kind
from workreport import pipeline
from workreport.schema import schema_at, validate

from .conftest import FACTS
from .render.render_support import convert_to_pdf, run_tool

BASE: dict = YAML(typ="safe").load((FACTS / "2016.yaml").read_text(encoding="utf-8"))
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # what XML 1.0 (and the report) cannot hold
PIECES = ["&", "<", ">", '"', "'", "&amp;", "]]>", "<w:t>", "{{ 年度 }}", "{% if true %}", "{%", "%}", "{#", "}}", "\\", "#", ": ", "- ",
          "*", "!", "|", "😀", "👨‍👩‍👧", "中", "文", "a", "1", "１８０", "八户", " ", "\x01", "\x0b", "\x1b", "\x7f", "\x85", "\u200b", "\ufeff"]
# No shrinking: each example is a whole build, and shrinking one failure took minutes on two cores.
SETTINGS = settings(max_examples=40, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate],
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def leaves(node: Any, path: tuple = ()) -> list[tuple]:
    """The key paths of every scalar in a facts tree."""
    if isinstance(node, dict):
        return [p for k, v in node.items() for p in leaves(v, (*path, k))]
    if isinstance(node, list):
        return [p for i, v in enumerate(node) for p in leaves(v, (*path, i))]
    return [path]


def nodes(node: Any, path: tuple = ()) -> list[tuple]:
    """The key paths of every value, groups and lists included."""
    found = [path] if path else []
    if isinstance(node, dict):
        found += [p for k, v in node.items() for p in nodes(v, (*path, k))]
    elif isinstance(node, list):
        found += [p for i, v in enumerate(node) for p in nodes(v, (*path, i))]
    return found


def get(tree: Any, path: tuple) -> Any:
    for step in path:
        tree = tree[step]
    return tree


def put(tree: Any, path: tuple, value: Any) -> None:
    get(tree, path[:-1])[path[-1]] = value


def dump(tree: dict) -> str:
    yaml = YAML(typ="safe", pure=True)
    yaml.allow_unicode = True
    yaml.width = 4096
    stream = io.StringIO()
    yaml.dump(tree, stream)
    return stream.getvalue()


def document_text(path: Path) -> str:
    """Every paragraph and table cell of a .docx, as python-docx reads it; a line break inside a paragraph is
    layout (a long title is split into two lines, render.docx.split_title), not text, and is left out."""
    document = docx.Document(str(path))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text.replace("\n", "") for p in document.paragraphs] + cells)


@pytest.fixture(scope="module")
def workdir():
    """A folder with last year's facts; each example writes its own 2016.yaml and output/."""
    with tempfile.TemporaryDirectory() as folder:
        shutil.copy(FACTS / "2015.yaml", Path(folder) / "2015.yaml")
        yield Path(folder)


@pytest.fixture(scope="module")
def printed(workdir) -> list[tuple]:
    """Text facts (not figures, not names looked up in a table) that the report prints whatever they say.

    Found by one build with every text fact replaced by its own marker: the markers in the report.
    """
    schema = load_kind().schema
    texts = [p for p in leaves(BASE) if isinstance(get(BASE, p), str)
             and (schema_at(schema, p) or {}).get("type") == "string" and "enum" not in schema_at(schema, p)]
    tree = copy.deepcopy(BASE)
    for number, path in enumerate(texts):
        put(tree, path, f"标记{number:03d}号")
    text = document_text(build(workdir, tree).output)
    found = [path for number, path in enumerate(texts) if f"标记{number:03d}号" in text]
    assert len(found) >= 20
    return found


def within_limit(key: tuple, text: str) -> str:
    """``text`` cut so that, with one more character, it keeps to the fact's declared maxLength (schema.json)."""
    limit = (schema_at(load_kind().schema, key) or {}).get("maxLength")
    return text[: limit - 1] if limit else text


def expected(path: Path, key: tuple) -> str:
    """The text the report must print for the fact at ``key``: the value as YAML reads it back (a NEL is a line
    break to YAML), without the characters XML cannot hold, line breaks joined as in a paragraph."""
    value = NOT_XML.sub("", get(facts_module.load(path).data, key))
    return re.sub(r"[ \t]*\n\s*", "", value)


def build(workdir: Path, tree_or_text: dict | str):
    """Build from a facts tree (or YAML text): the Built, or the WorkreportError raised."""
    text = tree_or_text if isinstance(tree_or_text, str) else dump(tree_or_text)
    (workdir / "2016.yaml").write_text(text, encoding="utf-8")
    shutil.rmtree(workdir / "output", ignore_errors=True)
    try:
        return pipeline.build(workdir / "2016.yaml", workdir / "output", force=True)
    except WorkreportError as exc:
        return exc


def assert_clean(error: WorkreportError) -> None:
    """A failure staff can act on: Chinese messages, no Python internals, and nothing left in output/."""
    assert error.problems
    for problem in error.problems:
        assert re.search(r"[\u4e00-\u9fff]", problem.message), problem
        assert "Traceback" not in problem.message and "object at 0x" not in problem.message, problem


hostile_text = st.lists(st.sampled_from(PIECES), min_size=1, max_size=8).map("".join).filter(lambda s: NOT_XML.sub("", s).strip())


@SETTINGS
@given(data=st.data())
def test_hostile_text_is_printed_literally(workdir, printed, data):
    tree = copy.deepcopy(BASE)
    chosen = data.draw(st.lists(st.sampled_from(printed), min_size=1, max_size=3, unique=True))
    written = {path: within_limit(path, "测" + data.draw(hostile_text)) + "试" for path in chosen}
    for path, value in written.items():
        put(tree, path, value)

    built = build(workdir, tree)

    assert not isinstance(built, WorkreportError), built  # text is text: nothing here is a mistake
    text = document_text(built.output)
    for path in written:
        assert expected(workdir / "2016.yaml", path) in text


random_value = st.one_of(
    st.integers(min_value=-10**12, max_value=10**12), st.floats(allow_nan=True, allow_infinity=True), st.booleans(), st.none(),
    st.sampled_from(["八户", "１８０", "35万", "1100多", "约300人", "50余万元", "190%", "2016-02-30", "二〇一六", "待填", "", " "]),
    hostile_text, st.lists(hostile_text, max_size=3), st.dictionaries(hostile_text, hostile_text, max_size=2),
)


@SETTINGS
@given(data=st.data())
def test_random_values_anywhere_build_or_fail_cleanly(workdir, data):
    tree = copy.deepcopy(BASE)
    for _ in range(data.draw(st.integers(1, 4))):
        paths = nodes(tree)
        if not paths:
            break
        path = data.draw(st.sampled_from(paths))
        if data.draw(st.booleans()):
            put(tree, path, data.draw(random_value))
        else:
            del get(tree, path[:-1])[path[-1]]

    built = build(workdir, tree)

    if isinstance(built, WorkreportError):
        assert_clean(built)
        assert not (workdir / "output").exists() or list((workdir / "output").iterdir()) == []
    else:
        assert document_text(built.output)


@SETTINGS
@given(data=st.data())
def test_characters_typed_anywhere_in_the_yaml_load_or_fail_cleanly(workdir, data):
    text = (FACTS / "2016.yaml").read_text(encoding="utf-8")
    for _ in range(data.draw(st.integers(1, 3))):
        at = data.draw(st.integers(0, len(text)))
        typed = data.draw(st.sampled_from(["\t", ":", " ", "  ", "-", "\"", "'", "[", "]", "{", "}", "&a", "*a", "!!", "!x", "%", "@", "`",
                                           "#", "|", ">", "?", ",", "\n", "\n  ", "---\n", "\x00", "\x85", "\ufeff", "八", "１"]))
        cut = data.draw(st.integers(0, 3))
        text = text[:at] + typed + text[at + cut:]
    path = workdir / "typed.yaml"
    path.write_text(text, encoding="utf-8")

    try:
        validate(facts_module.load(path), load_kind())
    except WorkreportError as exc:
        assert_clean(exc)
        assert all(p.file for p in exc.problems)


def test_libreoffice_opens_a_hostile_report(workdir, printed, tmp_path):
    tree = copy.deepcopy(BASE)
    hostile = ["A&B <标签> “引号” \"直引号\" '单引号' ]]>", "{{ 年度 }} 与 {% if true %}是{% endif %}", "控制\x01\x0b\x1b\x7f字符", "表情😀与👍"]
    roomy = [p for p in printed if (schema_at(load_kind().schema, p) or {}).get("maxLength", 1000) >= max(map(len, hostile))]
    for path, value in zip(roomy, hostile):
        put(tree, path, value)
    built = build(workdir, tree)
    assert not isinstance(built, WorkreportError), built
    report = tmp_path / "hostile.docx"
    shutil.copy(built.output, report)

    printed_text = re.sub(r"\s+", "", run_tool("pdftotext", str(convert_to_pdf(report)), "-"))

    for value in hostile[:3]:
        assert re.sub(r"\s+", "", NOT_XML.sub("", value)) in printed_text
