"""Anything check accepts, build renders: each optional fact of the default facts deleted in turn.

Every leaf of facts/2016.yaml is deleted (and every list emptied, every amount set to 0): either
check finds an error naming that fact, at a line of the facts file and without a template's path,
or the report builds and reads whole (no doubled marks, no empty quotes, no words left hanging
where the fact stood).
"""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import docx
import pytest
from ruamel.yaml import YAML

from workreport.errors import FactsError
from workreport.facts import dotted
from workreport.pipeline import build, check

ROOT = Path(__file__).resolve().parents[2]
FACTS = ROOT / "facts"
BROKEN = re.compile("[，。；、：]{2}|“”|《》|（）|None|待填|\\{|\\}")


def _yaml() -> YAML:
    yaml = YAML()
    yaml.width = 4096
    return yaml


def _leaves(node, path=()):
    """Paths of every leaf: scalars and lists of scalars; items of lists of mappings are gone into."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _leaves(value, (*path, key))
    elif isinstance(node, list) and node and isinstance(node[0], dict):
        for index, value in enumerate(node):
            yield from _leaves(value, (*path, index))
    else:
        yield path


DEFAULT = _yaml().load((FACTS / "2016.yaml").read_text(encoding="utf-8"))
LEAVES = [p for p in _leaves(DEFAULT) if p[0] not in ("年度", "单位")]  # the two the schema requires


def _get(tree, path):
    for key in path:
        tree = tree[key]
    return tree


def _write(tmp: Path, change) -> Path:
    """facts/2016.yaml changed by ``change(tree)``, with facts/2015.yaml beside it."""
    tree = _yaml().load((FACTS / "2016.yaml").read_text(encoding="utf-8"))
    change(tree)
    shutil.copy(FACTS / "2015.yaml", tmp / "2015.yaml")
    out = io.StringIO()
    _yaml().dump(tree, out)
    (tmp / "2016.yaml").write_text(out.getvalue(), encoding="utf-8")
    return tmp / "2016.yaml"


def _report_text(path: Path) -> list[str]:
    return [p.text for p in docx.Document(str(path)).paragraphs if p.text.strip()]


FULL: list[str] = []


def _full(tmp: Path) -> list[str]:
    if not FULL:
        FULL.extend(_report_text(build(_write(tmp, lambda t: None), tmp / "full").output))
    return FULL


def _assert_checked_or_whole(facts: Path, path: tuple, tmp: Path) -> None:
    errors = check(facts).errors
    if errors:
        named = [e for e in errors if e.key and (e.key == dotted(path) or dotted(path).startswith(e.key + ".")
                                                 or e.key.startswith(dotted(path[:-1])))]
        assert named, [(e.code, e.key, e.message) for e in errors]
        assert all(e.file.endswith("2016.yaml") and e.line and ".j2" not in e.message for e in named)
        return
    text = _report_text(build(facts, tmp / "out").output)
    joined = "\n".join(text)
    assert not BROKEN.search(joined), BROKEN.search(joined).group()
    for before in _full(tmp):  # words that led into the deleted fact must not be left before a mark
        value = str(_get(DEFAULT, path)).strip("[]")
        spot = before.find(value[:6]) if value else -1
        if spot > 4:
            lead = before[spot - 4:spot]
            assert not re.search(re.escape(lead) + "[，。；]", joined) or re.search(re.escape(lead) + "[，。；]", before), lead
    body = text[1:-2]
    assert all(p.endswith(("。", "）")) or p[0] in "一二三四五六七八九" for p in body), body


@pytest.mark.parametrize("path", LEAVES, ids=dotted)
def test_deleting_an_optional_fact(path: tuple, tmp_path: Path) -> None:
    def delete(tree):
        del _get(tree, path[:-1])[path[-1]]

    try:
        facts = _write(tmp_path, delete)
        _assert_checked_or_whole(facts, path, tmp_path)
    except FactsError as exc:  # a fact its group requires (资金来源 的 金额): the schema says so, at its line
        assert any(p.line and "缺少必填项" in p.message and path[-1] in p.message for p in exc.problems), exc.problems


@pytest.mark.parametrize("path", [p for p in LEAVES if isinstance(_get(DEFAULT, p), list)], ids=dotted)
def test_an_empty_list_reads_as_a_deleted_one(path: tuple, tmp_path: Path) -> None:
    def empty(tree):
        _get(tree, path[:-1])[path[-1]] = []

    try:
        _assert_checked_or_whole(_write(tmp_path, empty), path, tmp_path)
    except FactsError as exc:  # a list its group requires: the schema says so, at its line
        assert any(p.line and "缺少必填项" in p.message and path[-1] in p.message for p in exc.problems), exc.problems


@pytest.mark.parametrize("path", [p for p in LEAVES if re.search(r"万元|元$", str(_get(DEFAULT, p)))], ids=dotted)
def test_a_zero_amount_is_an_error_at_its_line(path: tuple, tmp_path: Path) -> None:
    def zero(tree):
        _get(tree, path[:-1])[path[-1]] = 0

    errors = check(_write(tmp_path, zero)).errors
    assert [(e.code, e.key) for e in errors if e.code == "WR003"] == [("WR003", dotted(path))]
    assert "删去" in errors[0].message


PROGRAMMES = [  # (groups deleted, words of theirs that must be gone from the report)
    ([("生育关怀", "少生快富")], ["少生快富", "建信银行", "大基地"]),
    ([("非公协会", "企业协会")], ["企业协会", "六有", "建会"]),
    ([("生育关怀", "少生快富"), ("非公协会", "企业协会")], ["少生快富", "企业协会"]),
    ([("生育关怀", "少生快富"), ("生育关怀", "幸福工程")], ["少生快富", "幸福工程", "做大做强"]),
    ([("非公协会", "流动人口协会")], ["流动人口协会"]),
]


@pytest.mark.parametrize(("groups", "words"), PROGRAMMES, ids=lambda v: "+".join(g[-1] for g in v) if isinstance(v[0], tuple) else None)
def test_a_programme_the_county_does_not_have_is_deleted_and_the_report_stays_whole(groups, words, tmp_path: Path) -> None:
    def delete(tree):
        for group in groups:
            del _get(tree, group[:-1])[group[-1]]

    facts = _write(tmp_path, delete)
    assert check(facts).errors == []
    text = _report_text(build(facts, tmp_path / "out").output)
    joined = "\n".join(text)
    assert not BROKEN.search(joined) and [w for w in words if w in joined] == []
    assert all(p.endswith(("。", "）")) or p[0] in "一二三四五六七八九" for p in text[1:-2])
    seen = ""
    for paragraph in text:  # the sub-items opening paragraphs are numbered on from 一是 in each section, with no gap
        if re.match("[一二三四五]、", paragraph):
            seen = ""
        ordinal = re.match("([一二三四五])是", paragraph)
        if ordinal:
            assert "一二三四五".index(ordinal.group(1)) == len(seen), (seen, paragraph)
            seen += ordinal.group(1)
