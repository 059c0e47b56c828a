"""Build the facts of a data-driven check case (tests/checks/cases/WRxxx.yaml) in a scratch folder.

A case starts from the shipped facts (facts/2016.yaml with facts/2015.yaml as last year) or
from a facts tree of its own, and changes it:

- ``patch``: dotted key → new value (``<删除>`` removes the key), written with ruamel.yaml so
  that the comments and the layout of the file stay;
- ``replace``: [old, new] pieces of the file's text (for comments such as 忽略 notes);
- ``previous``: ``none`` for no last-year file, or a patch/replace of facts/2015.yaml;
- ``relations``: extra relations appended to a copy of the kind's relations.yaml;
- ``files``: more files beside the facts (relative path → text), e.g. a township folder;
- ``template``: {file: text/保险.j2, replace: [[old, new]]} — a case of the template lint
  (WR8xx): the kind's templates are copied and changed, and only the template lint runs;
- ``report``: {replace: [[old, new]]} — a trace case (WR61x): the report is built from the
  facts, its text changed as staff would, and checked against the facts (check --report).
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from workreport.facts import parse_dotted

ROOT = Path(__file__).resolve().parents[2]
CASES = Path(__file__).resolve().parent / "cases"
DELETE = "<删除>"


def load_cases(path: Path) -> list[dict]:
    """The cases of one case file."""
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))["cases"]


def write_case(case: dict, folder: Path) -> Path:
    """Write the case's facts (and last year's) into ``folder``; return this year's file."""
    folder.mkdir(parents=True, exist_ok=True)
    current = folder / "2016.yaml"
    _write(ROOT / "facts" / "2016.yaml", case, current)
    previous = case.get("previous", {})
    if previous != "none":
        _write(ROOT / "facts" / "2015.yaml", previous or {}, folder / "2015.yaml")
    for name, text in (case.get("files") or {}).items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return current


def templates_with(relations: list, folder: Path, template: dict | None = None) -> Path:
    """A copy of templates/ whose fpa-annual relations.yaml has ``relations`` appended (and a template changed)."""
    target = folder / "templates"
    shutil.copytree(ROOT / "templates", target)
    if template:
        _write(target / "fpa-annual" / template["file"], {"replace": template.get("replace"), **({"facts": template["text"]} if "text" in template else {})},
               target / "fpa-annual" / template["file"])
    if relations:
        extra = io.StringIO()
        YAML().dump(relations, extra)
        path = target / "fpa-annual" / "relations.yaml"
        path.write_text(path.read_text(encoding="utf-8") + "\n" + extra.getvalue(), encoding="utf-8")
    return target


def _write(source: Path, change: dict, target: Path) -> None:
    yaml = YAML()
    yaml.width = 4096
    if source.suffix != ".yaml" and "facts" not in change:
        change = {**change, "facts": source.read_text(encoding="utf-8")}
    if "facts" in change:
        text = change["facts"]
    else:
        data = yaml.load(source.read_text(encoding="utf-8"))
        for dotted, value in (change.get("patch") or {}).items():
            _set(data, parse_dotted(dotted), value)
        out = io.StringIO()
        yaml.dump(data, out)
        text = out.getvalue()
    for old, new in change.get("replace") or []:
        assert text.count(old) == 1, f"{old!r} should occur once in {source.name}"
        text = text.replace(old, new)
    target.write_text(text, encoding="utf-8")


def _set(data: Any, path: tuple, value: Any) -> None:
    node = data
    for step in path[:-1]:
        node = node[step]
    if value == DELETE:
        del node[path[-1]]
    else:
        node[path[-1]] = value


def edited_report(report: dict, facts: Path, folder: Path) -> Path:
    """The report built from ``facts``, as text, with the case's pieces replaced (each must occur once)."""
    from workreport import pipeline
    from workreport.document import read_document

    built = pipeline.build(facts, folder / "output", force=True).output
    text = "\n".join(read_document(built).paragraphs)
    for old, new in report.get("replace") or []:
        assert text.count(old) == 1, f"{old!r} should occur once in the report"
        text = text.replace(old, new)
    target = folder / "edited.txt"
    target.write_text(text, encoding="utf-8")
    return target
