"""The document's own properties come from the facts, not from python-docx's stock package."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import docx

from workreport.pipeline import build


def test_properties_from_the_facts_and_no_stock_parts(facts_dir: Path, tmp_path: Path) -> None:
    out = build(facts_dir / "2016.yaml", tmp_path).output
    props = docx.Document(str(out)).core_properties
    assert props.title == "丰宁县计生协完善队伍建设夯实计生协会基层基础"
    assert props.author == props.last_modified_by == "丰宁县计划生育协会"
    assert props.created == props.modified == dt.datetime(2016, 12, 20, tzinfo=dt.timezone.utc)
    with zipfile.ZipFile(out) as package:
        names = package.namelist()
        app = package.read("docProps/app.xml").decode("utf-8")
        types = package.read("[Content_Types].xml").decode("utf-8")
    assert "Normal.dotm" not in app and "<Pages>" not in app and "<Application>workreport</Application>" in app
    assert not [n for n in names if "thumbnail" in n] and "thumbnail" not in types and "jpeg" not in types
