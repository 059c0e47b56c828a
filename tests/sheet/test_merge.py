"""Writing a workbook back into a facts file: only what changed, comments and order kept, nothing when nothing changed."""

from __future__ import annotations

import difflib

import openpyxl
import pytest

from workreport.cli import main
from workreport.errors import FactsError
from workreport.facts import load
from workreport.sheet import from_book

from .conftest import fill, row_of, soffice


def _diff(before: str, after: str) -> list[str]:
    return [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]


def test_nothing_changed_leaves_the_file_byte_for_byte(book, capsys):
    facts = book.with_suffix(".yaml")
    before, stamp = facts.read_bytes(), facts.stat().st_mtime_ns
    assert main(["sheet", str(book), "-o", str(facts)]) == 0
    assert facts.read_bytes() == before and facts.stat().st_mtime_ns == stamp
    assert "没有变动" in capsys.readouterr().out


def test_one_figure_changed_changes_exactly_its_line(book):
    facts = book.with_suffix(".yaml")
    before = facts.read_text(encoding="utf-8")
    fill(book, "生育关怀", "生育关怀.幸福工程.脱贫户数", "２８０")
    assert from_book(book, facts) == [("生育关怀", "幸福工程", "脱贫户数")]
    assert _diff(before, facts.read_text(encoding="utf-8")) == [
        "-    脱贫户数: 270                 # 累计实现脱贫的贫困母亲户数",
        "+    脱贫户数: 280                 # 累计实现脱贫的贫困母亲户数",
    ]


@pytest.mark.parametrize("eol", ["\r\n", "\r"])
def test_a_file_saved_with_windows_or_old_mac_line_ends_and_a_bom_keeps_them(book, eol):
    facts = book.with_suffix(".yaml")
    text = facts.read_text(encoding="utf-8")
    facts.write_bytes(("\ufeff" + text.replace("\n", eol)).encode("utf-8"))
    fill(book, "生育关怀", "生育关怀.幸福工程.脱贫户数", "280")
    assert from_book(book, facts) == [("生育关怀", "幸福工程", "脱贫户数")]
    expected = text.replace("    脱贫户数: 270 ", "    脱贫户数: 280 ")
    assert facts.read_bytes() == ("\ufeff" + expected.replace("\n", eol)).encode("utf-8")


def test_the_same_figure_written_another_way_is_not_a_change(book):
    facts = book.with_suffix(".yaml")
    before = facts.read_bytes()
    fill(book, "生育关怀", "生育关怀.亲情关爱.体检户数", "１８０")
    fill(book, "非公协会", "非公协会.企业协会.建会比例", "90%")
    fill(book, "基本信息", "成文日期", "2016年12月20日")
    assert from_book(book, facts) == [] and facts.read_bytes() == before


def test_a_list_is_edited_in_place_and_an_emptied_row_removes_its_fact(book):
    facts = book.with_suffix(".yaml")
    before = facts.read_text(encoding="utf-8")
    fill(book, "保险", "保险.险种", "计生家庭住院护理保险", number=4)
    fill(book, "生育关怀", "生育关怀.少生快富.人均增收", None)
    from_book(book, facts)
    changed = _diff(before, facts.read_text(encoding="utf-8"))
    assert changed[0] == "-    人均增收: 3000多元" and len([c for c in changed if c.startswith("-")]) == 2
    assert changed[-1].endswith("计划生育妇幼幸福意外伤害保险, 计生家庭住院护理保险]")  # still one flow-style line
    assert "人均增收" not in load(facts).data["生育关怀"]["少生快富"]


def test_a_table_group_added_is_appended(book):
    facts = book.with_suffix(".yaml")
    wb = openpyxl.load_workbook(book)
    ws = wb["生育关怀"]
    row = row_of(ws, "生育关怀.幸福工程.资金来源", 3)
    ws.cell(row, 3).value, ws.cell(row, 4).value = "社会捐助", "2万元"
    wb.save(book)
    from_book(book, facts)
    sources = load(facts).data["生育关怀"]["幸福工程"]["资金来源"]
    assert sources[-1] == {"来源": "社会捐助", "金额": "2万元"} and len(sources) == 3


def test_a_missing_facts_file_is_created_and_reads_the_same(book, tmp_path):
    target = tmp_path / "新.yaml"
    from_book(book, target)
    assert load(target).data == load(book.with_suffix(".yaml")).data
    assert target.read_text(encoding="utf-8").index("年度") < target.read_text(encoding="utf-8").index("队伍建设")


def test_a_workbook_of_another_year_is_not_written_into_this_years_file(book):
    facts = book.with_suffix(".yaml")
    before = facts.read_bytes()
    fill(book, "基本信息", "年度", 2017)
    fill(book, "基本信息", "成文日期", "2017-12-20")
    with pytest.raises(FactsError, match="工作簿是 2017 年度的"):
        from_book(book, facts)
    assert facts.read_bytes() == before


def test_a_value_the_schema_refuses_writes_nothing(book, capsys):
    facts = book.with_suffix(".yaml")
    before = facts.read_bytes()
    cell = fill(book, "基本信息", "年度", "二〇一六")
    assert main(["sheet", str(book), "-o", str(facts)]) == 2
    err = capsys.readouterr().err
    assert f"2016.xlsx {cell} 年度" in err and "请写作 2016" in err and facts.read_bytes() == before


def test_filled_as_a_person_does_and_resaved_by_libreoffice_it_reads_back(book, tmp_path):
    """Values typed as text (thousands separators, full-width digits, a percentage) and a LibreOffice re-save."""
    facts = book.with_suffix(".yaml")
    before = facts.read_text(encoding="utf-8")
    fill(book, "生育关怀", "生育关怀.幸福工程.累计收益", "1,250万元")
    fill(book, "生育关怀", "生育关怀.亲情关爱.救助户数", "５５")
    fill(book, "非公协会", "非公协会.企业协会.建会比例", "0.95")
    saved = soffice(book, "xlsx", tmp_path / "lo")
    from_book(saved, facts)
    assert _diff(before, facts.read_text(encoding="utf-8")) == [
        "-    累计收益: 1200万元            # 几年来百姓收益",
        "+    累计收益: 1250万元            # 几年来百姓收益",
        "-    救助户数: 52",
        "+    救助户数: 55",
        "-    建会比例: 90%                 # 已建立计生协会的企业占全县企业的比例",
        "+    建会比例: 95%                 # 已建立计生协会的企业占全县企业的比例",
    ]


def test_a_fact_filled_in_for_the_first_time_goes_where_the_schema_puts_it(book):
    facts = book.with_suffix(".yaml")
    before = facts.read_text(encoding="utf-8")
    fill(book, "基本信息", "附件", "是")
    fill(book, "生育关怀", "生育关怀.少生快富.基地", "花卉", number=7)
    from_book(book, facts)
    after = facts.read_text(encoding="utf-8")
    changed = _diff(before, after)
    assert changed[0] == "+附件: true" and changed[1].startswith("-    基地:") and changed[2].startswith("+    基地: [奶牛")
    assert len(changed) == 3 and "中药材种植, 花卉]" in changed[2]
    assert after.index("\n成文日期") < after.index("\n附件: true") < after.index("\n队伍建设:")
    assert load(facts).data["附件"] is True
