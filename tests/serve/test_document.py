"""The facts file behind the page: checked as saved, saved by a round trip, refused when stale or refused by the schema."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from workreport.pipeline import check
from workreport.serve.document import FactsDocument, StaleFile, Unsaveable
from workreport.serve.form import answers

from ..conftest import edit

HOUSEHOLDS = ("生育关怀", "亲情关爱", "现有户数")


def page_of(document: FactsDocument) -> dict:
    return answers(document.form())


def set_answer(page: dict, path: tuple, value) -> dict:
    node = page
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value
    return page


def changed_lines(before: str, after: str) -> list[str]:
    return [line for line in difflib.ndiff(before.splitlines(), after.splitlines()) if line[:1] in "+-"]


def test_an_untouched_page_merges_back_to_the_file_byte_for_byte(facts_dir: Path):
    for name in ("2015.yaml", "2016.yaml"):
        document = FactsDocument(facts_dir / name)
        assert document.merged(page_of(document)) == (facts_dir / name).read_text(encoding="utf-8")


def test_the_page_is_checked_as_check_checks_the_saved_file(facts_dir: Path):
    document = FactsDocument(facts_dir / "2016.yaml")
    evaluated = document.evaluate(set_answer(page_of(document), HOUSEHOLDS, "999"))
    edit(facts_dir / "2016.yaml", "现有户数: 180", "现有户数: 999")
    on_disk = check(facts_dir / "2016.yaml")
    assert [(f.code, f.key, f.message) for f in evaluated.findings] == [(f.code, f.key, f.message) for f in on_disk.findings]
    assert "WR102" in {f.code for f in evaluated.findings}


def test_a_suppression_comment_in_the_file_silences_the_page_s_finding_too(facts_dir: Path):
    edit(facts_dir / "2016.yaml", "现有户数: 180                 #", "现有户数: 180  # 忽略 WR102: 核对过 #")
    document = FactsDocument(facts_dir / "2016.yaml")
    evaluated = document.evaluate(set_answer(page_of(document), HOUSEHOLDS, "999"))
    assert "WR102" not in {f.code for f in evaluated.findings}


def test_save_changes_only_the_changed_value_atomically(facts_dir: Path):
    path = facts_dir / "2016.yaml"
    before = path.read_text(encoding="utf-8")
    document = FactsDocument(path)
    page = set_answer(page_of(document), ("生育关怀", "幸福工程", "资金来源", 1, "金额"), "6万元")
    assert document.save(page, document.version) is True
    assert changed_lines(before, path.read_text(encoding="utf-8")) == ["-         金额: 5万元", "+         金额: 6万元"]
    assert not list(facts_dir.glob(".*.tmp"))
    assert document.save(page, document.version) is False  # nothing more to write


def test_an_emptied_fact_is_removed_and_a_new_one_goes_where_the_schema_orders_it(facts_dir: Path):
    path = facts_dir / "2016.yaml"
    document = FactsDocument(path)
    page = set_answer(page_of(document), ("生育关怀", "亲情关爱", "体检户数"), None)
    page = set_answer(page, ("上年事实",), "2015.yaml")
    document.save(page, document.version)
    text = path.read_text(encoding="utf-8")
    assert "体检户数" not in text
    assert text.index("成文日期:") < text.index("上年事实: 2015.yaml") < text.index("队伍建设:")


def test_a_linked_folder_is_checked_as_check_checks_it(facts_dir: Path):
    document = FactsDocument(facts_dir / "2016.yaml")
    evaluated = document.evaluate(set_answer(page_of(document), ("乡镇事实",), "乡镇"))
    assert evaluated.facts is None and "找不到乡镇事实文件夹" in evaluated.problems[0].message


def test_crlf_and_bom_are_kept(facts_dir: Path):
    path = facts_dir / "2016.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_text(encoding="utf-8").replace("\n", "\r\n").encode("utf-8"))
    document = FactsDocument(path)
    document.save(set_answer(page_of(document), HOUSEHOLDS, "181"), document.version)
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and data.count(b"\r\n") == data.count(b"\n")
    assert "现有户数: 181".encode() in data


def test_a_file_changed_on_disk_is_not_overwritten(facts_dir: Path):
    path = facts_dir / "2016.yaml"
    document = FactsDocument(path)
    version = document.version
    edit(path, "执笔人: 郭志", "执笔人: 王芳")
    with pytest.raises(StaleFile) as refused:
        document.save(set_answer(page_of(document), HOUSEHOLDS, "181"), version)
    assert "重新载入" in str(refused.value.problems[0])
    assert "执笔人: 王芳" in path.read_text(encoding="utf-8") and "现有户数: 180" in path.read_text(encoding="utf-8")


def test_a_second_tab_s_save_after_the_first_is_refused(facts_dir: Path):
    document = FactsDocument(facts_dir / "2016.yaml")
    loaded = document.version
    document.save(set_answer(page_of(document), HOUSEHOLDS, "181"), loaded)
    with pytest.raises(StaleFile):
        document.save(set_answer(page_of(document), HOUSEHOLDS, "182"), loaded)


def test_values_the_schema_refuses_are_not_saved(facts_dir: Path):
    path = facts_dir / "2016.yaml"
    before = path.read_bytes()
    document = FactsDocument(path)
    page = set_answer(page_of(document), ("年度",), "二〇一六年")
    evaluated = document.evaluate(page)
    assert evaluated.facts is None and any("2016" in p.message and p.key == "年度" for p in evaluated.problems)
    with pytest.raises(Unsaveable):
        document.save(page, document.version)
    assert path.read_bytes() == before


def test_a_list_of_groups_is_merged_item_by_item(facts_dir: Path):
    path = facts_dir / "2016.yaml"
    document = FactsDocument(path)
    page = page_of(document)
    sources = page["生育关怀"]["幸福工程"]["资金来源"]
    sources.append({"来源": "社会捐助", "金额": "2万元"})
    document.save(page, document.version)
    saved = FactsDocument(path).tree["生育关怀"]["幸福工程"]["资金来源"]
    assert [dict(s) for s in saved][-1] == {"来源": "社会捐助", "金额": "2万元"}
    assert "# 各项相加即“共投”金额" in path.read_text(encoding="utf-8")
