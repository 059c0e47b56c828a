"""本县自己的工作项目 in the workbook: a table row per item, its figures one cell (a line each), read and written back."""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import docx
import openpyxl
import pytest

from tests.conftest import ROOT
from workreport.errors import FactsError
from workreport.facts import load
from workreport.pipeline import build, check
from workreport.sheet import from_book, to_book
from workreport.sheet.layout import TABLE, by_key, pairs_text, read_pairs

from .conftest import row_of, soffice

EXAMPLE = ROOT / "facts" / "examples" / "青石县"
KEY = "生育关怀.其他工作"


@pytest.fixture
def county_book(tmp_path: Path) -> Path:
    """The example county's 2017 facts as a workbook beside them (2016.yaml found as last year's)."""
    shutil.copytree(EXAMPLE, tmp_path / "青石县")
    return to_book(tmp_path / "青石县" / "2017.yaml", tmp_path / "青石县" / "2017.xlsx")


def _figures_cell(ws, number: int = 1):
    header = row_of(ws, KEY, "序号")
    column = next(c for c in range(3, ws.max_column + 1) if ws.cell(header, c).value == "数字")
    return ws.cell(row_of(ws, KEY, number), column)


def test_the_layout_has_a_table_of_own_items_in_every_section_with_figures_as_lines():
    from workreport.kind import load_kind

    fields = by_key(load_kind().schema)
    for section in ("队伍建设", "生育关怀", "非公协会", "青春健康", "保险"):
        field = fields[f"{section}.其他工作"]
        assert field.shape == TABLE and [key for key, _ in field.columns] == ["名称", "说明", "数字", "沿用", "合计"]
    assert pairs_text({"受助女孩": "120人", "发放助学金": "25万元"}) == "受助女孩：120人\n发放助学金：25万元"
    assert read_pairs("受助女孩：120人\n\n发放助学金: 25万元\n只有名称") == ({"受助女孩": "120人", "发放助学金": "25万元"}, ["只有名称"])


def test_own_items_are_in_the_workbook_and_build_as_from_the_yaml(county_book: Path, tmp_path: Path):
    ws = openpyxl.load_workbook(county_book)["生育关怀"]
    assert ws.cell(row_of(ws, KEY, 1), 3).value == "关爱女孩行动"
    assert _figures_cell(ws).value == "发放助学金：25万元\n发放生活补助：5万元\n受助女孩：120人\n累计受助女孩：560人"
    texts = [[p.text for p in docx.Document(str(build(path, tmp_path / name).output)).paragraphs]
             for path, name in ((county_book, "book"), (county_book.with_suffix(".yaml"), "yaml"))]
    assert texts[0] == texts[1] and any("受助女孩120人" in p for p in texts[0])


def test_a_figure_changed_in_the_cell_and_resaved_by_libreoffice_changes_exactly_its_line(county_book: Path, tmp_path: Path):
    facts = county_book.with_suffix(".yaml")
    before = facts.read_text(encoding="utf-8")
    wb = openpyxl.load_workbook(county_book)
    cell = _figures_cell(wb["生育关怀"])
    cell.value = cell.value.replace("受助女孩：120人", "受助女孩：125人") + "\n新增受助女孩：30人"
    wb.save(county_book)
    from_book(soffice(county_book, "xlsx", tmp_path / "lo"), facts)
    changed = [line for line in difflib.unified_diff(before.splitlines(), facts.read_text(encoding="utf-8").splitlines(), lineterm="", n=0)
               if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert changed == ["-        受助女孩: 120人", "+        受助女孩: 125人", "+        新增受助女孩: 30人"]
    assert "累计受助女孩: 560人       # 历年累计，新的一年沿用作起点" in facts.read_text(encoding="utf-8")


def test_the_workbook_written_back_unchanged_leaves_the_file_alone(county_book: Path):
    facts = county_book.with_suffix(".yaml")
    before = facts.read_bytes()
    assert from_book(county_book, facts) == [] and facts.read_bytes() == before


def test_a_line_without_its_name_is_refused_at_its_cell_and_a_wrong_total_is_checked_at_it(county_book: Path):
    wb = openpyxl.load_workbook(county_book)
    cell = _figures_cell(wb["生育关怀"])
    original = cell.value
    cell.value = original + "\n120人"
    wb.save(county_book)
    with pytest.raises(FactsError) as refused:
        check(county_book)
    (problem,) = refused.value.problems
    assert problem.cell == f"生育关怀!{cell.coordinate}" and "名称：数字和单位" in problem.message
    cell.value = original + "\n发放资金：31万元"
    wb.save(county_book)
    (found,) = [f for f in check(county_book).findings if f.code == "WR103"]
    assert found.cell == f"生育关怀!{cell.coordinate}" and found.key == "生育关怀.其他工作[0].数字.发放资金"


def test_an_item_typed_into_the_empty_table_becomes_an_own_item_of_the_facts_file(book: Path):
    facts = book.with_suffix(".yaml")
    wb = openpyxl.load_workbook(book)
    ws = wb["保险"]
    header = row_of(ws, "保险.其他工作", "序号")
    columns = {ws.cell(header, c).value: c for c in range(3, ws.max_column + 1)}
    ws.cell(header + 1, columns["名称"]).value = "家庭健康促进"
    ws.cell(header + 1, columns["数字"]).value = "举办讲座：12场\n受益家庭：300户"
    ws.cell(header + 1, columns["沿用"]).value = "受益家庭"
    wb.save(book)
    assert from_book(book, facts) == [("保险", "其他工作")]
    assert load(facts).data["保险"]["其他工作"] == [{"名称": "家庭健康促进", "数字": {"举办讲座": "12场", "受益家庭": "300户"}, "沿用": ["受益家庭"]}]
    assert check(facts).errors == []
