"""Write a facts workbook: the 说明 sheet, then a sheet per section with a row per fact, ready to fill in Excel or WPS.

Entry point: ``write_book(facts, out, township=False)``.  Only the 本年 cells of facts staff
state are unlocked; 项目, 上年, 单位, 说明 and the derived figures (自动计算) are locked, with
no password: the protection guards the structure against slips, it is not a secret.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from ..facts import lookup
from ..fsutil import atomic_write
from ..quantity import QuantityError, parse_quantity
from ..schema import UNFILLED, Facts, is_unfilled
from . import layout
from .layout import AUTO, COLUMNS, LIST, SCALAR, TABLE, Field

SPARE_ROWS = 2  # empty numbered rows after a list or table, for items staff add
FILL_LOCKED = "F2F2F2"
FILL_DERIVED = "D9D9D9"
FILL_HEADER = "DDEBF7"
FILL_UNFILLED = "FFC7CE"
WIDTHS = {"A": 34, "B": 6, "C": 36, "D": 24, "E": 7, "F": 60}
LIMIT_YEARS = (1900, 2100)


def write_book(facts: Facts, out: Path, township: bool = False, context: Any = None) -> Path:
    """Write the workbook of ``facts`` to ``out`` (atomically); ``township``: the blank form of the additive facts."""
    from openpyxl import Workbook

    book = Workbook()
    guide = book.active
    guide.title = layout.GUIDE_SHEET
    _write_guide(guide, facts, township)
    on_form = _township_keys(facts) if township else None
    for sheet in layout.sheets(facts.kind.schema):
        fields = [f for f in sheet.fields if _shown(f, sheet.name, on_form)]
        if fields:
            _Writer(book.create_sheet(sheet.name), facts, township, context).write(fields)
    atomic_write(Path(out), lambda tmp: book.save(tmp))
    return Path(out)


def _shown(field: Field, sheet: str, on_form: set[str] | None) -> bool:
    """Whether a field is on the workbook: every field for the county; on the township form, 年度, 单位 and ``on_form``."""
    if on_form is None:
        return True
    if sheet == layout.BASIC_SHEET:
        return field.path[0] in ("年度", "单位")
    return field.shape == SCALAR and field.key in on_form


def _township_keys(facts: Facts) -> set[str]:
    """The additive figures (rollup.additive_paths) and the keys their groups require (the 年份 of a dated amount)."""
    from ..rollup import additive_paths
    from ..schema import schema_at

    keys = set()
    for path in additive_paths(facts.kind):
        keys.add(".".join(path))
        parent = schema_at(facts.kind.schema, path[:-1]) or {}
        keys.update(".".join((*path[:-1], k)) for k in parent.get("required", []))
    return keys


GUIDE = [
    "本工作簿由 workreport 生成，用于填写 {year} 年度的事实（{source}）。填好后由程序读回事实文件、检查并生成总结。",
    "每个工作表是总结的一部分；每行一项事实。“项目”是这项事实的名称（与事实文件和检查提示中的名称相同），"
    "在“本年”列填写；“上年”列是上一年度的数字，供对照；“单位”“说明”说明应填什么。",
    "白色格子可以填写；灰色格子（项目、上年、单位、说明）已锁定。深灰色、标有“自动计算”的数字由程序推算，不必填写。",
    "{unfilled}",
    "数字写阿拉伯数字；约数照常写（1100多、50余万元、约300）；金额可写 35万元 或 350000；百分比写 90%。",
    "日期写 2016-12-20；年份写四位数字；“是/否”从下拉列表中选择。",
    "列表（如 活动日）每行一条，按“序号”排列；条数不够时填在后面序号的空行中；删去一条就清空它的“本年”格。",
    "表格（如 资金来源、任务目标）每行一组；“内容”一格中每行一条（Excel 和 WPS 中按 Alt+Enter 换行）。",
    "请不要改动“项目”“序号”列，不要合并单元格、隐藏工作表或写公式。行不够时可撤销工作表保护"
    "（审阅 → 撤销工作表保护，没有密码）再插入行，新行须填写项目和序号。",
]
UNFILLED_COUNTY = "红色格子写着“待填”：这一项还没有填写，请换成本年度的实际内容；本年度确实没有这一项时清空它。"
UNFILLED_TOWNSHIP = "红色格子还没有填写；本乡镇确实没有这一项时留空（汇总时会列出没有填写的乡镇）。"
GUIDE_COUNTY = [
    "填好后运行：workreport check 本文件.xlsx（检查数字矛盾）；workreport sheet 本文件.xlsx -o {source}"
    "（写回事实文件，只改变动了的数字，注释保留）；也可以直接 workreport build 本文件.xlsx 生成总结。",
]
GUIDE_TOWNSHIP = [
    "这是乡镇报表：每个乡镇填一份，“单位”写本乡镇计生协会的全称，文件名改为乡镇名（如 大阁镇.xlsx）。",
    "县协会把各乡镇交回的文件放在同一个文件夹中，运行 workreport rollup 文件夹 -o 县事实文件.yaml 汇总。",
]


def _write_guide(ws: Any, facts: Facts, township: bool) -> None:
    """The 说明 sheet: how to fill the workbook, one paragraph a row."""
    from openpyxl.styles import Alignment, Font

    from ..facts import display_path

    if township:
        title = f"{facts.values.get('县名') or facts.values.get('单位', '')} {facts.year} 年度乡镇报表"
    else:
        title = f"{facts.values.get('单位', '')} {facts.year} 年度事实"
    ws["A1"] = title
    ws["A1"].font = Font(bold=True, size=14)
    lines = GUIDE + (GUIDE_TOWNSHIP if township else GUIDE_COUNTY)
    for row, text in enumerate(lines, 3):
        text = text.format(year=facts.year, source=display_path(facts.path), unfilled=UNFILLED_TOWNSHIP if township else UNFILLED_COUNTY)
        cell = ws.cell(row=row, column=1, value=f"{row - 2}. {text}")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.row_dimensions[row].height = 36
    ws.column_dimensions["A"].width = 110
    ws.protection.sheet = True


class _Writer:
    """Lays out one fact sheet: header, then each field's rows, with styles, validation and protection."""

    def __init__(self, ws: Any, facts: Facts, township: bool, context: Any):
        self.ws, self.facts, self.township, self.context = ws, facts, township, context
        self.row = 1
        self.validations: dict[str, Any] = {}
        self.fillable: list[str] = []

    def write(self, fields: list[Field]) -> None:
        from openpyxl.styles import Font

        for column, title in enumerate(COLUMNS, 1):
            self._put(column, title, fill=FILL_HEADER, font=Font(bold=True))
        for field in fields:
            self.row += 1
            {SCALAR: self._scalar, LIST: self._list, TABLE: self._table}[field.shape](field)
        self._finish()

    # --- fields -------------------------------------------------------------------------------

    def _scalar(self, field: Field) -> None:
        # A derived figure the facts file states anyway is checked against the derivation: it stays a fact to fill.
        derived = field.derived and not self.township and self._this_year(field.path) is None
        value = self._derived(field.path) if derived else self._this_year(field.path)
        self._key(field.key)
        self._value(3, value, field.node, fillable=not derived)
        last_year, number_format = _cell_value(self._last_year(field.path), field.node)
        self._put(4, last_year).number_format = number_format or "General"
        self._put(5, _unit(field.node))
        self._put(6, f"{AUTO}，不必填写：{_description(field.node)}" if derived else _description(field.node))
        if derived:
            self.ws.cell(self.row, 3).fill = _fill(FILL_DERIVED)

    def _list(self, field: Field) -> None:
        items = _items(self._this_year(field.path))
        previous = _items(self._last_year(field.path))
        for number in range(1, max(len(items), len(previous)) + SPARE_ROWS + 1):
            if number > 1:
                self.row += 1
            self._key(field.key)
            self._put(2, number)
            self._value(3, items[number - 1] if number <= len(items) else None, field.node.get("items", {}), fillable=True)
            self._put(4, previous[number - 1] if number <= len(previous) else None)
            self._put(6, _description(field.node) if number == 1 else "")

    def _table(self, field: Field) -> None:
        from openpyxl.styles import Font

        self._key(field.key)
        self._put(3, f"（表）{field.node.get('description', '')}；每行一组", font=Font(italic=True))
        self.row += 1
        self._key(field.key)
        self._put(2, layout.NUMBER, fill=FILL_HEADER, font=Font(bold=True))
        for offset, (key, node) in enumerate(field.columns):
            self._put(3 + offset, layout.column_title(key, node), fill=FILL_HEADER, font=Font(bold=True))
        groups = _items(self._this_year(field.path))
        for index in range(len(groups) + SPARE_ROWS):
            self.row += 1
            self._key(field.key)
            self._put(2, index + 1)
            group = groups[index] if index < len(groups) and isinstance(groups[index], dict) else {}
            for offset, (key, node) in enumerate(field.columns):
                if node.get("x-derived"):
                    shown = self._derived((*field.path, index, key)) if index < len(groups) else None
                    self._put(3 + offset, shown, fill=FILL_DERIVED)
                elif node.get("type") == "array":
                    self._value(3 + offset, "\n".join(map(str, _items(group.get(key)))) or None, {"type": "string"}, fillable=True)
                elif layout.is_pairs(node):
                    self._value(3 + offset, layout.pairs_text(group.get(key)), {"type": "string"}, fillable=True)
                else:
                    self._value(3 + offset, group.get(key), node, fillable=True)

    # --- values -------------------------------------------------------------------------------

    def _this_year(self, path: tuple) -> Any:
        """This year's value as written; on the township form only the year (年度, and the 年份 of an amount)."""
        if self.township:
            return self.facts.year if path[-1] in ("年度", "年份") else None
        return lookup(self.facts.raw.data, path)

    def _last_year(self, path: tuple) -> Any:
        previous = self.facts.previous
        return None if self.township or previous is None else lookup(previous.raw.data, path)

    def _derived(self, path: tuple) -> Any:
        value = self.context.get(path) if self.context is not None else None
        return None if value is None else str(value)

    def _key(self, key: str) -> None:
        self._put(1, key)

    def _put(self, column: int, value: Any, fill: str = FILL_LOCKED, font: Any = None) -> Any:
        from openpyxl.styles import Alignment

        cell = self.ws.cell(row=self.row, column=column, value=value)
        cell.fill = _fill(fill)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if font is not None:
            cell.font = font
        return cell

    def _value(self, column: int, raw: Any, node: dict, fillable: bool) -> None:
        """A 本年 cell: the value as staff wrote it, typed as a spreadsheet types it, unlocked and validated."""
        from openpyxl.styles import Alignment, Protection

        value, number_format = _cell_value(raw, node)
        cell = self.ws.cell(row=self.row, column=column, value=value)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if number_format:
            cell.number_format = number_format
        if not fillable:
            cell.fill = _fill(FILL_LOCKED)
            return
        cell.protection = Protection(locked=False)
        self.fillable.append(cell.coordinate)
        kind = layout.value_kind(node)
        if kind != "text":
            self._validation(kind).add(cell.coordinate)

    def _lines(self, row: int) -> int:
        """How many lines the longest wrapped text of a row takes: a spreadsheet program does not
        grow a row for text it did not type itself."""
        lines = 1
        for column in range(3, 9):
            cell = self.ws.cell(row, column)
            if isinstance(cell.value, str):
                width = max(WIDTHS.get(cell.column_letter, 24) - 2, 1)
                lines = max(lines, sum(max(1, -(-_display_width(part) // width)) for part in cell.value.split("\n")))
        return min(lines, 12)

    def _validation(self, kind: str) -> Any:
        if kind not in self.validations:
            self.validations[kind] = _validation(kind, self.facts.year)
            self.ws.add_data_validation(self.validations[kind])
        return self.validations[kind]

    def _finish(self) -> None:
        """Column widths, frozen header, 待填 highlighting and sheet protection."""
        from openpyxl.formatting.rule import FormulaRule

        for column, width in WIDTHS.items():
            self.ws.column_dimensions[column].width = width
        for row in range(2, self.row + 1):
            self.ws.row_dimensions[row].height = 15 * self._lines(row)
        for column in "GH":
            self.ws.column_dimensions[column].width = 24
        self.ws.freeze_panes = "C2"
        self.ws.print_title_rows = "1:1"
        self.ws.page_setup.orientation = "landscape"  # printed for a meeting: one page wide, the header on every page
        self.ws.page_setup.fitToWidth, self.ws.page_setup.fitToHeight = 1, 0
        self.ws.sheet_properties.pageSetUpPr.fitToPage = True
        self.ws.print_options.gridLines = self.ws.print_options.headings = True  # messages name cells: C42
        blank = 'OR({c}="{m}",LEN(TRIM({c}))=0)' if self.township else '{c}="{m}"'
        for coordinate in self.fillable:
            rule = FormulaRule(formula=[blank.format(c=coordinate, m=UNFILLED)], fill=_fill(FILL_UNFILLED), stopIfTrue=True)
            self.ws.conditional_formatting.add(coordinate, rule)
        protection = self.ws.protection
        protection.sheet = True
        protection.formatColumns = protection.formatRows = False  # widths and heights may be adjusted


def _display_width(text: str) -> int:
    """Columns a text takes in a cell: a Chinese character two, a Latin one."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _fill(color: str) -> Any:
    from openpyxl.styles import PatternFill

    return PatternFill("solid", start_color=color, end_color=color)


def _items(value: Any) -> list:
    """A list value's items; 待填 (a whole list still to fill) is one item saying so."""
    if isinstance(value, list):
        return value
    return [UNFILLED] if is_unfilled(value) else []


def _description(node: dict) -> str:
    """The schema's description without its note for YAML writers that a derived figure may be left out."""
    return node.get("description", "").split("。由程序推算")[0]


def _unit(node: dict) -> str:
    kind = layout.value_kind(node)
    return {"year": "年份", "date": "日期", "yesno": "是/否", "percent": "%"}.get(kind, node.get("x-unit", ""))


def _cell_value(raw: Any, node: dict) -> tuple[Any, str | None]:
    """A fact's value as a spreadsheet cell holds it, and the cell's number format.

    What staff wrote stays as written ("1100多", "50余万元"); an exact percentage becomes a
    number shown as 90%, a date a date, true/false 是/否, so that typing over them works as
    in any spreadsheet.
    """
    if raw is None or is_unfilled(raw) or isinstance(raw, (list, dict)):
        return (UNFILLED if is_unfilled(raw) else None), None
    kind = layout.value_kind(node)
    if kind == "yesno" and isinstance(raw, bool):
        return ("是" if raw else "否"), None
    if kind == "date":
        try:
            return dt.date.fromisoformat(str(raw)), "yyyy-mm-dd"
        except ValueError:
            return str(raw), "@"
    if kind == "percent":
        try:
            quantity = parse_quantity(raw, "%")
        except QuantityError:
            return raw, None
        if quantity.exact:
            value = quantity.value / 100
            number = int(value) if value.denominator == 1 else float(value)
            return number, "0%" if (quantity.value.denominator == 1) else "0.0#%"
        return str(raw), "@"
    if kind == "text" or isinstance(raw, str):
        return str(raw), "@"
    return raw, None


def _validation(kind: str, year: int) -> Any:
    """The data validation of a value kind: a stop for years, dates and 是/否; a warning for figures, which may be approximate."""
    from openpyxl.worksheet.datavalidation import DataValidation

    approx = "约数（如 1100多、50余万元）也可以：请点“是”保留"
    rules = {
        "year": dict(type="whole", operator="between", formula1=str(LIMIT_YEARS[0]), formula2=str(LIMIT_YEARS[1]),
                     error=f"请填写四位数的年份，如 {year}", errorStyle="stop"),
        "number": dict(type="whole", operator="greaterThanOrEqual", formula1="0", error="请填写整数", errorStyle="stop"),
        "date": dict(type="date", operator="between", formula1=f"DATE({year},1,1)", formula2=f"DATE({year},12,31)",
                     error=f"请填写 {year} 年内的日期，如 {year}-12-20", errorStyle="stop"),
        "yesno": dict(type="list", formula1='"是,否"', error="请从下拉列表中选择“是”或“否”", errorStyle="stop"),
        "percent": dict(type="decimal", operator="between", formula1="0", formula2="1",
                        error=f"百分比应在 0%–100% 之间，如 90%；{approx}", errorStyle="warning"),
        "count": dict(type="whole", operator="greaterThanOrEqual", formula1="0",
                      error=f"这里应填整数（户数、个数等），如 180；{approx}", errorStyle="warning"),
        "money": dict(type="decimal", operator="greaterThanOrEqual", formula1="0",
                      error=f"金额写数字（元），如 350000，也可写 35万元；{approx}", errorStyle="warning"),
    }
    rule = rules[kind]
    return DataValidation(allow_blank=True, showErrorMessage=True, errorTitle="请检查填写的内容", **rule)
