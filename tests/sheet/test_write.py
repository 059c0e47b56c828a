"""The workbook written from the schema and the facts: sheets, rows, tables, derived figures, 待填, validation, protection."""

from __future__ import annotations

import openpyxl
import pdfplumber

from workreport.cli import main
from workreport.kind import load_kind
from workreport.sheet import layout, to_book

from .conftest import row_of, soffice


def _cells(ws, key, number=None):
    row = row_of(ws, key, number)
    return [ws.cell(row, column) for column in range(1, 7)]


def test_a_guide_sheet_then_a_sheet_per_section_each_with_the_same_columns(book):
    wb = openpyxl.load_workbook(book)
    sections = [key for key, node in load_kind().schema["properties"].items() if node.get("type") == "object"]
    assert wb.sheetnames == ["说明", "基本信息", *sections]
    assert "本年" in " ".join(str(c.value) for c in wb["说明"]["A"])
    for ws in wb.worksheets[1:]:
        assert [c.value for c in ws[1]][:6] == ["项目", "序号", "本年", "上年", "单位", "说明"]


def test_a_row_per_fact_with_this_year_last_year_unit_and_description(book):
    ws = openpyxl.load_workbook(book)["生育关怀"]
    key, _, this_year, last_year, unit, note = (c.value for c in _cells(ws, "生育关怀.亲情关爱.现有户数"))
    assert (this_year, last_year, unit) == (180, 178, "户")  # 178 is facts/2015.yaml's
    assert note.startswith("年末计生特困家庭总数")
    assert _cells(ws, "生育关怀.少生快富.扶持户数")[2].value == "1100多"  # as staff wrote it, not a number
    every_key = [ws.cell(r, 1).value for r in range(2, ws.max_row + 1)]
    assert every_key.count("生育关怀.亲情关爱.新增户数") == 1


def test_lists_are_numbered_rows_with_spare_rows_to_add_items(book):
    ws = openpyxl.load_workbook(book)["生育关怀"]
    rows = [r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == "生育关怀.少生快富.基地"]
    assert [ws.cell(r, 2).value for r in rows] == [1, 2, 3, 4, 5, 6, 7, 8]
    assert [ws.cell(r, 3).value for r in rows][:6] == ["奶牛", "优种猪", "规模养鸭", "肉鸡", "特色蔬菜", "中药材种植"]
    assert all(ws.cell(r, 3).value is None and not ws.cell(r, 3).protection.locked for r in rows[6:])


def test_repeatable_groups_are_small_tables_with_a_header_row(book):
    wb = openpyxl.load_workbook(book)
    ws = wb["生育关怀"]
    header = row_of(ws, "生育关怀.幸福工程.资金来源", "序号")
    assert [ws.cell(header, c).value for c in (3, 4)] == ["来源", "金额（元）"]
    assert [ws.cell(header + 1, c).value for c in (3, 4)] == ["争取资金", "30万元"]
    targets = wb["非公协会"]
    header = row_of(targets, "非公协会.企业协会.任务目标", "序号")
    titles = [targets.cell(header, c).value for c in range(3, 8)]
    assert titles == ["名称", "引语", "分隔", "内容", "条数（自动计算）"]
    first = header + 1
    assert targets.cell(first, 3).value == "六有" and targets.cell(first, 6).value.split("\n")[0] == "有健全的组织网络"
    assert targets.cell(first, 7).value == "6" and targets.cell(first, 7).protection.locked  # derived, read-only


def test_derived_figures_are_shown_read_only_and_marked(book):
    ws = openpyxl.load_workbook(book)["生育关怀"]
    _, _, value, _, _, note = _cells(ws, "生育关怀.幸福工程.总投入")
    assert value.value == "35万元" and value.protection.locked
    assert note.value.startswith("自动计算")


def test_only_the_cells_to_fill_are_unlocked_and_the_sheets_are_protected(book):
    wb = openpyxl.load_workbook(book)
    fields = layout.by_key(load_kind().schema)
    for ws in wb.worksheets:
        assert ws.protection.sheet
        unlocked = {(c.column, c.row) for row in ws.iter_rows() for c in row if not c.protection.locked}
        assert all(column >= 3 for column, _ in unlocked)  # never 项目 or 序号
        tables = {r for _, r in unlocked if fields[ws.cell(r, 1).value].shape == layout.TABLE}
        assert all(ws.cell(row, 4).protection.locked for _, row in unlocked if row not in tables)  # 上年 is not for filling
    ws = wb["基本信息"]
    assert not _cells(ws, "单位")[2].protection.locked


def test_values_are_validated_as_years_dates_in_the_year_percentages_counts_and_yes_no(book):
    wb = openpyxl.load_workbook(book)

    def rule(sheet, key):
        ws = wb[sheet]
        cell = _cells(ws, key)[2].coordinate
        found = [dv for dv in ws.data_validations.dataValidation if cell in dv.sqref]
        assert len(found) == 1, key
        return found[0]

    date = rule("基本信息", "成文日期")
    assert (date.type, date.formula1, date.formula2, date.errorStyle) == ("date", "DATE(2016,1,1)", "DATE(2016,12,31)", "stop")
    assert rule("基本信息", "年度").type == "whole"
    assert rule("基本信息", "附件").formula1 == '"是,否"'
    percent = rule("非公协会", "非公协会.企业协会.建会比例")
    assert (percent.type, percent.formula2, percent.errorStyle) == ("decimal", "1", "warning")  # 90%以上 may still be typed
    count = rule("生育关怀", "生育关怀.亲情关爱.新增户数")
    assert (count.type, count.errorStyle) == ("whole", "warning")
    ws = wb["非公协会"]
    cell = _cells(ws, "非公协会.企业协会.建会比例")[2]
    assert (cell.value, cell.number_format) == (0.9, "0%")  # shown as 90%, typed over as a spreadsheet expects


def test_unfilled_values_are_highlighted(facts_dir, tmp_path):
    assert main(["new-year", str(facts_dir / "2016.yaml")]) == 0
    book = to_book(facts_dir / "2017.yaml", tmp_path / "2017.xlsx")
    ws = openpyxl.load_workbook(book)["生育关怀"]
    cell = _cells(ws, "生育关怀.亲情关爱.新增户数")[2]
    assert cell.value == "待填"
    rules = [r for cf in ws.conditional_formatting for r in cf.rules if cell.coordinate in str(cf.sqref)]
    assert rules and rules[0].formula == [f'{cell.coordinate}="待填"'] and rules[0].dxf.fill.fgColor.rgb.endswith("FFC7CE")


def test_the_township_form_holds_the_additive_figures_blank(tmp_path, capsys):
    from workreport.rollup import additive_paths

    out = tmp_path / "乡镇表.xlsx"
    assert main(["sheet", "--township", "tests/data/rollup/2016.yaml", "-o", str(out)]) == 0
    wb = openpyxl.load_workbook(out)
    keys = {ws.cell(r, 1).value: ws.cell(r, 3).value for ws in wb.worksheets[1:] for r in range(2, ws.max_row + 1)}
    assert {".".join(p) for p in additive_paths(load_kind())} <= set(keys)
    assert keys["年度"] == 2016 and keys["单位"] is None and keys["生育关怀.亲情关爱.项目资金.年份"] == 2016
    assert keys["生育关怀.亲情关爱.现有户数"] is None and "生育关怀.少生快富.人均增收" not in keys  # an average does not add up
    assert "已生成" in capsys.readouterr().out


def test_an_existing_workbook_is_not_overwritten_without_force(book, capsys):
    before = book.read_bytes()
    assert main(["sheet", str(book.with_suffix(".yaml")), "-o", str(book)]) == 2
    assert "文件已存在" in capsys.readouterr().err and book.read_bytes() == before


def test_libreoffice_opens_the_workbook_and_shows_its_facts(book, tmp_path):
    pdf = soffice(book, "pdf", tmp_path / "lo")
    with pdfplumber.open(pdf) as document:
        text = "\n".join(page.extract_text() or "" for page in document.pages)
    for shown in ("生育关怀.少生快富.扶持户数", "1100多", "丰宁县计划生育协会", "自动计算"):
        assert shown in text


def test_the_layout_lists_every_fact_of_the_schema_once():
    from workreport.schema import schema_at

    fields = layout.by_key(load_kind().schema)
    assert schema_at(load_kind().schema, ("生育关怀", "亲情关爱", "项目资金", "金额"))["x-unit"] == "元"
    assert fields["生育关怀.亲情关爱.项目资金.金额"].shape == layout.SCALAR
    assert fields["青春健康.工作模式"].shape == layout.TABLE and fields["保险.险种"].shape == layout.LIST


def test_a_workbook_is_written_only_to_an_xlsx_name(facts_dir, capsys):
    facts = facts_dir / "2016.yaml"
    before = facts.read_bytes()
    assert main(["sheet", str(facts), "-o", str(facts)]) == 2  # the direction mixed up: the facts file stays
    assert "应以 .xlsx 结尾" in capsys.readouterr().err and facts.read_bytes() == before


def test_a_derived_figure_the_facts_file_states_stays_a_fact_to_check(facts_dir):
    from tests.conftest import edit

    facts = edit(facts_dir / "2016.yaml", "    滚动次数: 4", "    总投入: 36万元\n    滚动次数: 4")
    book = to_book(facts, facts_dir / "2016.xlsx")
    ws = openpyxl.load_workbook(book)["生育关怀"]
    cell = _cells(ws, "生育关怀.幸福工程.总投入")[2]
    assert cell.value == "36万元" and not cell.protection.locked
    assert main(["check", str(book)]) == main(["check", str(facts)]) == 1  # 36万 ≠ 30万 + 5万, in both
