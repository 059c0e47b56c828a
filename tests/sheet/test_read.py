"""Reading a filled workbook: the same facts as the YAML file, values typed as people type, structure read by 项目, bad input refused."""

from __future__ import annotations

import json
import zipfile

import openpyxl
import pytest

from workreport.errors import FactsError
from workreport.facts import load
from workreport.kind import load_kind
from workreport.pipeline import load_facts
from workreport.sheet import read_book
from workreport.sheet.read import typed

from .conftest import fill, row_of, soffice

FIGURE = {"x-unit": "户"}
MONEY = {"x-unit": "元"}
PERCENT = {"x-unit": "%"}
DATE = {"type": "string", "x-date": True}
YEAR = {"type": "integer", "x-year": True}
YESNO = {"type": "boolean"}
TEXT = {"type": "string"}


def _same(a, b) -> bool:
    return json.dumps(a, ensure_ascii=False, sort_keys=True) == json.dumps(b, ensure_ascii=False, sort_keys=True)


def _refusal(path) -> str:
    with pytest.raises(FactsError) as caught:
        read_book(path, load_kind())
    return "\n".join(map(str, caught.value.problems))


def test_a_written_workbook_reads_back_as_the_facts_it_was_written_from(book, facts_dir):
    assert _same(read_book(book, load_kind()).data, load(facts_dir / "2016.yaml").data)


def test_a_workbook_with_values_still_to_fill_reads_back_with_them(facts_dir, tmp_path):
    from workreport.cli import main
    from workreport.sheet import to_book

    assert main(["new-year", str(facts_dir / "2016.yaml")]) == 0
    book = to_book(facts_dir / "2017.yaml", tmp_path / "2017.xlsx")
    assert _same(read_book(book, load_kind()).data, load(facts_dir / "2017.yaml").data)


@pytest.mark.parametrize("value, node, fmt, expected", [
    ("1,100", FIGURE, "", 1100),
    ("１，１００", FIGURE, "", 1100),
    ("１１００多", FIGURE, "", "1100多"),
    (" 180 ", FIGURE, "@", 180),
    (180.0, FIGURE, "General", 180),
    ("35万元", MONEY, "", "35万元"),
    ("350,000", MONEY, "", 350000),
    (0.9, PERCENT, "0%", "90%"),
    (0.9, PERCENT, "General", "90%"),
    ("0.9", PERCENT, "@", "90%"),
    ("90%", PERCENT, "@", "90%"),
    ("９０％", PERCENT, "@", "90%"),
    (95, PERCENT, "General", "95%"),
    (42724, DATE, "yyyy-mm-dd", "2016-12-20"),
    ("42724", DATE, "@", "2016-12-20"),
    ("2016/12/20", DATE, "@", "2016-12-20"),
    ("2016年12月20日", DATE, "@", "2016-12-20"),
    ("２０１６－１２－２０", DATE, "@", "2016-12-20"),
    ("２０１６", YEAR, "@", 2016),
    ("是", YESNO, "", True),
    ("否", YESNO, "", False),
    (2016, TEXT, "General", "2016"),
    ("待填", FIGURE, "", "待填"),
    ("  ", FIGURE, "", None),
])
def test_values_are_read_the_way_people_type_them(value, node, fmt, expected):
    assert typed(value, node, fmt) == expected


def test_values_the_schema_refuses_are_passed_on_for_it_to_explain():
    assert typed("2016年", YEAR) == "2016年"  # the schema says: 应为整数 … 请写作 2016
    assert typed("不知道", FIGURE) == "不知道"


def test_text_typed_into_a_figure_is_explained_at_its_cell(book):
    cell = fill(book, "生育关怀", "生育关怀.亲情关爱.新增户数", "八户")
    with pytest.raises(FactsError) as caught:
        load_facts(book)
    shown = str(caught.value)
    assert f"2016.xlsx {cell} 生育关怀.亲情关爱.新增户数" in shown and "请写作 8" in shown


def test_rows_moved_and_a_sheet_renamed_read_the_same(book):
    before = read_book(book, load_kind()).data
    wb = openpyxl.load_workbook(book)
    ws = wb["生育关怀"]
    ws.protection.sheet = False
    ws.move_range(f"A2:F{ws.max_row}", rows=3)  # everything three rows down
    first, last = row_of(ws, "生育关怀.少生快富.开始年份"), row_of(ws, "生育关怀.亲情关爱.救助户数")
    for column in range(1, 7):  # and the first and last facts swapped
        a, b = ws.cell(first, column), ws.cell(last, column)
        a.value, b.value = b.value, a.value
    ws.title = "关怀"
    wb.save(book)
    after = read_book(book, load_kind())
    assert _same(after.data, before)
    assert after.cell(("生育关怀", "亲情关爱", "救助户数")) == f"关怀!C{first}"


def test_an_unknown_item_is_refused_with_its_cell(book):
    cell = fill(book, "生育关怀", "生育关怀.亲情关爱.新增户数", "生育关怀.亲情关爱.新增人数", column=1)
    message = _refusal(book)
    assert cell in message and "新增人数" in message and "您是否想写“生育关怀.亲情关爱.新增户数”" in message


def test_a_value_without_its_item_is_refused_not_guessed(book):
    wb = openpyxl.load_workbook(book)
    ws = wb["保险"]
    ws.cell(ws.max_row + 2, 3).value = "50万元"
    wb.save(book)
    message = _refusal(book)
    assert f"保险!C{ws.max_row}" in message and "没有“项目”" in message


def test_an_item_written_twice_is_refused_naming_both_cells(book):
    wb = openpyxl.load_workbook(book)
    ws = wb["保险"]
    row = row_of(ws, "保险.指导单位")
    end = ws.max_row + 1
    for column in range(1, 4):
        ws.cell(end, column).value = ws.cell(row, column).value
    wb.save(book)
    message = _refusal(book)
    assert f"保险!C{row}" in message and f"保险!C{end}" in message and "两次" in message


def test_a_formula_is_read_for_its_saved_result_or_refused_without_one(book, tmp_path):
    cell = fill(book, "生育关怀", "生育关怀.亲情关爱.新增户数", "=4+4")
    assert cell in _refusal(book) and "没有保存计算结果" in _refusal(book)
    recalculated = soffice(book, "xlsx", tmp_path / "lo")  # LibreOffice computes and saves the result, as Excel does
    assert read_book(recalculated, load_kind()).data["生育关怀"]["亲情关爱"]["新增户数"] == 8


def test_merged_cells_and_hidden_sheets_are_refused_with_their_place(book):
    wb = openpyxl.load_workbook(book)
    wb["保险"].merge_cells("C2:D2")
    wb["结束语"].sheet_state = "hidden"
    wb.save(book)
    message = _refusal(book)
    assert "保险!C2:D2: 这几个单元格被合并了" in message
    assert "结束语!A1" in message and "隐藏" in message


def test_a_huge_sheet_is_refused(book):
    wb = openpyxl.load_workbook(book)
    wb["保险"].cell(6000, 1).value = "x"
    wb.save(book)
    assert "工作表“保险”有 6000 行" in _refusal(book)


@pytest.mark.parametrize("name, content, expected", [
    ("坏.xlsx", b"PK\x03\x04 not really a zip", "文件已损坏"),
    ("坏.xlsx", b"\xd0\xcf\x11\xe0" + bytes(100), "设置了打开密码"),
    ("坏.xlsx", b"", "不是有效的 .xlsx"),
    ("宏.xlsm", b"PK", "含宏的工作簿（.xlsm）不接受"),
    ("旧.xls", b"\xd0\xcf\x11\xe0", "旧格式"),
])
def test_files_that_are_not_plain_workbooks_are_refused(tmp_path, name, content, expected):
    path = tmp_path / name
    path.write_bytes(content)
    message = _refusal(path)
    assert expected in message and name in message


def test_a_workbook_carrying_macros_is_refused_whatever_its_name(book):
    with zipfile.ZipFile(book, "a") as archive:
        archive.writestr("xl/vbaProject.bin", b"macro")
    assert "含有宏" in _refusal(book)


def test_a_truncated_workbook_is_refused(book):
    book.write_bytes(book.read_bytes()[:5000])
    assert "不是有效的 .xlsx" in _refusal(book)


def test_a_list_item_without_its_number_is_refused(book):
    wb = openpyxl.load_workbook(book)
    ws = wb["保险"]
    row = row_of(ws, "保险.险种", 5)
    ws.cell(row, 2).value = None
    ws.cell(row, 3).value = "意外伤害保险"
    wb.save(book)
    message = _refusal(book)
    assert f"保险!C{row}" in message and f"请在 保险!B{row} 填写序号" in message


def test_a_fact_sheet_whose_header_was_deleted_is_refused(book):
    wb = openpyxl.load_workbook(book)
    wb["保险"].delete_rows(1)
    wb.save(book)
    assert "保险!A1" in _refusal(book) and "缺少标题行" in _refusal(book)


def test_a_workbook_whose_cell_protection_was_lost_still_reads_every_fact(book, facts_dir):
    """Some programs save every cell locked; only a derived figure's lock is consulted, never a fact's."""
    from openpyxl.styles import Protection

    wb = openpyxl.load_workbook(book)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                cell.protection = Protection(locked=True)
    wb.save(book)
    assert _same(read_book(book, load_kind()).data, load(facts_dir / "2016.yaml").data)


def test_over_long_text_is_refused_at_its_cell(book):
    cell = fill(book, "生育关怀", "生育关怀.少生快富.创新做法", "贷款" * 1500)
    message = _refusal(book)
    assert f"{cell} 生育关怀.少生快富.创新做法: 内容太长（3000 个字符）" in message


def test_a_formula_whose_saved_result_is_an_error_is_refused(book, tmp_path):
    fill(book, "生育关怀", "生育关怀.亲情关爱.新增户数", "=1/0")
    saved = soffice(book, "xlsx", tmp_path / "lo")
    message = _refusal(saved)
    assert "#DIV/0!" in message and "生育关怀!C" in message
