"""Read a filled facts workbook into the same positioned facts tree the YAML loader gives, each value at its cell.

Entry point: ``read_book(path, kind)``.  Facts are found by their 项目 text, not by where
their row stands, so moved rows and renamed sheets read the same; anything the reader
cannot place (an unknown 项目, a value without one, a number written twice) is refused with
its cell named.  Values are read the way people type them into spreadsheets: numbers
stored as text, 1,100, full-width digits, 90% or 0.9, dates as dates, serials or text.
"""

from __future__ import annotations

import io
import datetime as dt
import difflib
import re
import warnings
import zipfile
from fractions import Fraction
from pathlib import Path
from typing import Any

import msgspec

from ..errors import FactsError, Problem
from ..facts import MAX_TEXT, Path_, RawFacts, display_path
from ..kind import Kind
from ..quantity import normalize_text, plain_number
from ..schema import UNFILLED
from . import layout
from .layout import LIST, SCALAR, TABLE, Field

MAX_BYTES = 5_000_000  # a facts workbook is some 20 KB
MAX_UNZIPPED = 50_000_000  # what its parts may expand to: a zip bomb stops here
MAX_ROWS, MAX_COLUMNS = 5_000, 40  # a sheet holds a few hundred rows and six columns
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # an encrypted .xlsx (and an old .xls) is an OLE compound file, not a zip


class WorkbookFacts(RawFacts):
    """A workbook's facts: plain data like a YAML file's, each value located at a cell (生育关怀!C12), not a line.

    ``covered`` holds the facts the workbook has a row for, filled or not: writing back into a
    facts file, an emptied row removes its fact, and a fact without a row is left alone.
    """

    cells: dict[Path_, str] = msgspec.field(default_factory=dict)
    covered: set[Path_] = msgspec.field(default_factory=set)

    def where(self, path: Path_) -> tuple[int | None, int | None]:
        return (None, None)

    def cell(self, path: Path_) -> str | None:
        path = tuple(path)
        while path:
            if path in self.cells:
                return self.cells[path]
            path = path[:-1]
        return None


def read_book(path: str | Path, kind: Kind) -> WorkbookFacts:
    """Read a facts workbook; raise FactsError naming the sheet and cell of every problem."""
    path = Path(path)
    books = _open(path)
    return _Reader(path, kind, *books).read()


def _refuse(path: Path, message: str, cell: str | None = None) -> FactsError:
    return FactsError(Problem(message, file=display_path(path), cell=cell))


def _open(path: Path) -> tuple[Any, Any]:
    """The workbook twice: as written (to see formulas) and with cached values; every unreadable file refused in Chinese."""
    from ..inputs import read_bytes

    suffix = path.suffix.lower()
    if suffix == ".xlsm":
        raise _refuse(path, "含宏的工作簿（.xlsm）不接受，宏可能含有恶意代码；请在 Excel/WPS 中“另存为”Excel 工作簿（.xlsx）")
    if suffix == ".xls":
        raise _refuse(path, "这是旧格式的 Excel 文件（.xls）；请在 Excel/WPS 中“另存为”Excel 工作簿（.xlsx）")
    data = read_bytes(path, MAX_BYTES, "工作簿（.xlsx）", FactsError)  # once, bounded, a regular file only
    if data[:4] == OLE_MAGIC:
        raise _refuse(path, "工作簿设置了打开密码（已加密），程序无法读取；请在 Excel/WPS 中取消密码（文件 → 信息 → 保护工作簿）后另存")
    _check_zip(path, data)
    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about extensions it drops (e.g. WPS's); nothing staff can act on
            return load_workbook(io.BytesIO(data), data_only=False), load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:  # noqa: BLE001 — a damaged file raises anything from zipfile, lxml or openpyxl
        raise _refuse(path, f"工作簿已损坏，无法读取（{type(exc).__name__}）；请在 Excel/WPS 中打开并另存为 .xlsx 后重试") from exc


def _check_zip(path: Path, data: bytes) -> None:
    """Refuse what is not an .xlsx zip, expands too far, or carries macros (``data``: the file's bytes)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise _refuse(path, "不是有效的 .xlsx 工作簿（文件已损坏，或不是 Excel 文件）；请在 Excel/WPS 中打开并另存为 .xlsx") from exc
    if sum(info.file_size for info in names) > MAX_UNZIPPED:
        raise _refuse(path, f"工作簿解压后超过 {MAX_UNZIPPED // 1_000_000} MB，不是事实工作簿；已拒绝读取")
    if any(info.filename.lower().endswith("vbaproject.bin") for info in names):
        raise _refuse(path, "工作簿中含有宏，不接受；请在 Excel/WPS 中“另存为”不含宏的 Excel 工作簿（.xlsx）")
    if not any(info.filename == "xl/workbook.xml" for info in names):
        raise _refuse(path, "不是 Excel 工作簿（缺少工作簿内容，可能是别的文件改了扩展名）；请指定 .xlsx 文件")


class _Item(msgspec.Struct):
    """A numbered row of a list or table, as found."""

    number: int
    row: int
    sheet: str


class _Reader:
    """Scans every sheet for fact rows, then assembles the facts tree; problems are collected and raised together."""

    def __init__(self, path: Path, kind: Kind, formulas: Any, values: Any):
        self.path, self.kind = path, kind
        self.formulas, self.values = formulas, values
        self.fields = layout.by_key(kind.schema)
        self.problems: list[Problem] = []
        self.seen: dict[str, str] = {}  # 项目 of a single value → its cell
        self.items: dict[str, dict[int, tuple[str, Any]]] = {}  # list/table 项目 → number → (cell, row data)
        self.headers: dict[str, dict[int, str]] = {}  # table 项目 → column index → field key
        self.result = WorkbookFacts(path=path, data={})

    def problem(self, message: str, cell: str | None = None, key: str | None = None) -> None:
        self.problems.append(Problem(message, file=display_path(self.path), cell=cell, key=key))

    def read(self) -> WorkbookFacts:
        for ws in self.formulas.worksheets:
            self._sheet(ws, self.values[ws.title])
        if self.problems:
            raise FactsError(self.problems)
        self._assemble()
        if self.problems:
            raise FactsError(self.problems)
        for path, cell in list(self.result.cells.items()):  # a group (青春健康.五年计划) is where its first fact is
            for end in range(1, len(path)):
                self.result.cells.setdefault(path[:end], cell)
        return self.result

    # --- scanning -------------------------------------------------------------------------------

    def _sheet(self, ws: Any, cached: Any) -> None:
        name = ws.title
        if ws.sheet_state != "visible":
            return self.problem(f"工作表“{name}”被隐藏了；隐藏的内容无法核对，请取消隐藏（右键工作表标签 → 取消隐藏）或删去这个工作表", f"{name}!A1")
        if ws.max_row > MAX_ROWS or ws.max_column > MAX_COLUMNS:
            return self.problem(f"工作表“{name}”有 {ws.max_row} 行、{ws.max_column} 列，远超事实表的大小（不超过 {MAX_ROWS} 行、"
                                f"{MAX_COLUMNS} 列）；请检查是否选错了文件，或删去多余的行列", f"{name}!A1")
        for merged in ws.merged_cells.ranges:
            self.problem("这几个单元格被合并了；合并后无法分辨各项事实，请取消合并（开始 → 合并居中 → 取消合并）", f"{name}!{merged.coord}")
        header = self._header(ws)
        if header is None:
            return self._headless(ws)
        row_at, columns = header
        for row in range(row_at + 1, ws.max_row + 1):
            self._row(ws, cached, row, columns)
        return None

    def _headless(self, ws: Any) -> None:
        """A sheet without the 项目/本年 header holds no facts (说明, or a sheet of notes), unless its rows name facts:
        then the header was deleted, and which column is 本年 would be a guess."""
        for row in range(1, ws.max_row + 1):
            key = ws.cell(row, 1).value
            if isinstance(key, str) and key.strip() in self.fields:
                self.problem(f"工作表“{ws.title}”有事实（如“{key.strip()}”），但缺少标题行（项目、序号、本年……），"
                             "无法知道哪一列是本年；请恢复标题行", f"{ws.title}!A1")
                return

    def _header(self, ws: Any) -> tuple[int, dict[str, int]] | None:
        """The header row (within the first ten) and the column of each title it has, found by their text."""
        for row in range(1, min(ws.max_row, 10) + 1):
            titles = {str(ws.cell(row, c).value).strip(): c for c in range(1, ws.max_column + 1) if ws.cell(row, c).value is not None}
            if layout.KEY in titles and layout.THIS_YEAR in titles:
                return row, titles
        return None

    def _row(self, ws: Any, cached: Any, row: int, columns: dict[str, int]) -> None:
        name = ws.title
        key_column, value_column = columns[layout.KEY], columns[layout.THIS_YEAR]
        number_column = columns.get(layout.NUMBER)
        key = ws.cell(row, key_column).value
        key = str(key).strip() if key is not None else ""
        if not key:
            value = ws.cell(row, value_column).value
            if value is not None and str(value).strip():
                self.problem(f"这一格填了“{value}”，但这一行没有“{layout.KEY}”，无法知道是哪项事实；"
                             f"请把{layout.KEY}（如上一行的）复制到 {_ref(name, row, key_column)}，或把内容移到对应的行",
                             _ref(name, row, value_column))
            return
        field = self.fields.get(key)
        if field is None:
            return self._unknown(key, _ref(name, row, key_column))
        if field.shape == SCALAR:
            return self._scalar(ws, cached, row, value_column, field)
        if number_column is None:
            return self.problem(f"工作表“{name}”缺少“{layout.NUMBER}”列，列表和表格的各条无法排序；请恢复这一列",
                                _ref(name, row, key_column), key)
        number = ws.cell(row, number_column).value
        if number is None or str(number).strip() == "":
            return self._unnumbered(ws, row, value_column, number_column, field)
        if field.shape == TABLE and str(number).strip() == layout.NUMBER:
            return self._table_header(ws, row, value_column, field)
        index = _whole(number)
        if index is None or index < 1:
            return self.problem(f"序号应为 1、2、3 这样的正整数，实为“{number}”", _ref(name, row, number_column), key)
        where = _ref(name, row, value_column)
        found = self.items.setdefault(key, {})
        if index in found:
            return self.problem(f"{key} 的序号 {index} 用了两次（{found[index][0]} 和 {where}）；请改正其中一个序号", where, key)
        if field.shape == LIST:
            value = self._value(ws, cached, row, value_column, field.node.get("items", {}), key)
            found[index] = (where, value)
        else:
            found[index] = (where, (ws, cached, row))
        return None

    def _unnumbered(self, ws: Any, row: int, first: int, number_column: int, field: Field) -> None:
        """A list or table row without 序号: a table's caption (locked), or an empty row; with content, which item it is would be a guess."""
        last = ws.max_column if field.shape == TABLE else first  # a list's other columns are 上年, 单位, 说明
        for column in range(first, last + 1):
            cell = ws.cell(row, column)
            if cell.value is not None and str(cell.value).strip() and not (field.shape == TABLE and cell.protection.locked):
                self.problem(f"{field.key} 的这一行填了内容，但没有序号，不知道是第几条；请在 {_ref(ws.title, row, number_column)} 填写序号",
                             _ref(ws.title, row, column), field.key)
                return

    def _unknown(self, key: str, where: str) -> None:
        close = difflib.get_close_matches(key, list(self.fields), n=1, cutoff=0.6)
        hint = f"您是否想写“{close[0]}”？" if close else "“项目”列应保持程序生成时的样子。"
        self.problem(f"项目“{key}”不是本报告的事实；{hint}请改回原来的项目名称，或删去这一行", where)

    def _scalar(self, ws: Any, cached: Any, row: int, column: int, field: Field) -> None:
        where = _ref(ws.title, row, column)
        if field.key in self.seen:
            return self.problem(f"项目“{field.key}”出现了两次（{self.seen[field.key]} 和 {where}）；请删去多余的一行", where, field.key)
        self.seen[field.key] = where
        if field.derived and ws.cell(row, column).protection.locked:
            return None  # a derived figure (自动计算) shown read-only; unlocked only on the township form, where it is filled in
        self.result.cells[field.path] = where
        self.result.covered.add(field.path)
        value = self._value(ws, cached, row, column, field.node, field.key)
        if value is not None:
            _put(self.result.data, field.path, value)
        return None

    def _table_header(self, ws: Any, row: int, first: int, field: Field) -> None:
        keys = {key for key, _ in field.columns}
        mapping = {}
        for column in range(first, ws.max_column + 1):
            title = ws.cell(row, column).value
            if title is None or not str(title).strip():
                continue
            key = layout.column_key(title)
            if key not in keys:
                return self.problem(f"表格“{field.key}”的列名“{title}”不是这个表的项目（应为 {'、'.join(keys)}）；请改回原来的列名",
                                    _ref(ws.title, row, column), field.key)
            mapping[column] = key
        self.headers[field.key] = mapping
        return None

    # --- values -------------------------------------------------------------------------------

    def _value(self, ws: Any, cached: Any, row: int, column: int, node: dict, key: str) -> Any:
        """The value of one cell, read as people type it; a formula gives its saved result."""
        cell = ws.cell(row, column)
        where = _ref(ws.title, row, column)
        value, number_format = cell.value, cell.number_format or ""
        if cell.data_type == "f" or (isinstance(value, str) and value.startswith("=") and len(value) > 1):
            result = cached.cell(row, column)
            if result.value is None:
                self.problem(f"这一格是公式（{cell.value}），但文件中没有保存计算结果；请在 Excel/WPS 中打开并保存一次，"
                             "或把公式换成数字", where, key)
                return None
            if result.data_type == "e":
                self.problem(f"这一格的公式（{cell.value}）算出的是错误 {result.value}；请改正公式，或直接填写数字", where, key)
                return None
            value = result.value
        try:
            value = typed(value, node, number_format)
        except ValueError as exc:
            self.problem(str(exc), where, key)
            return None
        if isinstance(value, str):
            return self._text_ok(value, where, key)
        return value

    def _text_ok(self, text: str, where: str, key: str) -> str | None:
        """Text as a facts file may hold it: not over-long.  (Control characters cannot reach here: XML
        forbids them, and what Excel escapes as _x000B_ openpyxl reads as those letters.)"""
        if len(text) > MAX_TEXT:
            self.problem(f"内容太长（{len(text)} 个字符），一项事实不应超过 {MAX_TEXT} 个字符；请检查是否误粘贴了整段文章", where, key)
            return None
        return text

    # --- assembling -----------------------------------------------------------------------------

    def _assemble(self) -> None:
        for key, found in self.items.items():
            field = self.fields[key]
            self.result.covered.add(field.path)
            ordered = [found[n] for n in sorted(found)]
            if ordered:
                self.result.cells[field.path] = ordered[0][0]
            if field.shape == LIST:
                self._list(field, ordered)
            else:
                self._table(field, ordered)

    def _list(self, field: Field, ordered: list[tuple[str, Any]]) -> None:
        items = [(where, value) for where, value in ordered if value is not None]
        values = [value for _, value in items]
        if values == [UNFILLED]:
            _put(self.result.data, field.path, UNFILLED)  # a whole list still to fill, as new-year writes it
        elif values:
            _put(self.result.data, field.path, values)
        for index, (where, _) in enumerate(items):
            self.result.cells[(*field.path, index)] = where

    def _table(self, field: Field, ordered: list[tuple[str, Any]]) -> None:
        mapping = self.headers.get(field.key)
        if mapping is None:
            self.problem(f"表格“{field.key}”缺少标题行（序号、各列名称），无法知道各列是什么；请恢复标题行", ordered[0][0], field.key)
            return
        nodes = dict(field.columns)
        groups = []
        for where, (ws, cached, row) in ordered:
            group: dict[str, Any] = {}
            places: dict[str, str] = {}
            for column, key in mapping.items():
                cell = ws.cell(row, column)
                node = nodes[key]
                if node.get("x-derived") and cell.protection.locked:
                    continue  # a derived column (自动计算), shown read-only
                value = self._value(ws, cached, row, column, node, field.key)
                if node.get("type") == "array" and value is not None:
                    value = [line.strip() for line in str(value).splitlines() if line.strip()] or None
                if layout.is_pairs(node) and value is not None:
                    value = self._pairs(str(value), _ref(ws.title, row, column), field.key)
                if value is not None:
                    group[key] = value
                    places[key] = _ref(ws.title, row, column)
            if group:
                groups.append((where, group, places))
        if groups:
            _put(self.result.data, field.path, [group for _, group, _ in groups])
        for index, (where, group, places) in enumerate(groups):
            self.result.cells[(*field.path, index)] = where
            for key, place in places.items():
                self.result.cells[(*field.path, index, key)] = place


    def _pairs(self, text: str, where: str, key: str) -> dict | None:
        """Named figures from their cell (a line each, 名称：数字); a line of another form is refused at the cell."""
        pairs, bad = layout.read_pairs(text)
        for line in bad:
            self.problem(f"“{line}”：这一格每行写一个数字，写成“名称：数字和单位”，如 受助女孩：120人", where, key)
        return pairs or None


def _ref(sheet: str, row: int, column: int) -> str:
    """A cell as a spreadsheet names it: 生育关怀!C12."""
    from openpyxl.utils import get_column_letter

    return f"{sheet}!{get_column_letter(column)}{row}"


def _put(tree: dict, path: Path_, value: Any) -> None:
    for step in path[:-1]:
        tree = tree.setdefault(step, {})
    tree[path[-1]] = value


def _whole(value: Any) -> int | None:
    """A whole number as typed: 3, 3.0, "３"; None otherwise."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)) and float(value).is_integer():
        return int(value)
    text = normalize_text(str(value))
    return int(text) if re.fullmatch(r"\d{1,6}", text) else None


_YES, _NO = {"是", "true", "yes", "y", "√", "有"}, {"否", "false", "no", "n", "×", "无"}
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")


def typed(value: Any, node: dict, number_format: str = "") -> Any:
    """A cell's value as the facts file holds it (what the YAML loader would give), read the way people type.

    None for an empty cell.  Raises ValueError (Chinese) only for what cannot be a value at all;
    a value of the wrong kind is passed on for the schema to explain, as for a YAML file.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    kind = layout.value_kind(node)
    if isinstance(value, str) and value.strip() == UNFILLED:
        return UNFILLED
    if isinstance(value, (dt.datetime, dt.date)):
        day = value.date() if isinstance(value, dt.datetime) else value
        return day.isoformat()  # for a date fact its value; elsewhere the schema says what was wanted
    if isinstance(value, dt.time | dt.timedelta):
        raise ValueError(f"这一格是时间（{value}），不是{'日期' if kind == 'date' else '这项事实的内容'}；请重新填写")
    if isinstance(value, bool):
        return value if kind == "yesno" else ("是" if value else "否")
    if isinstance(value, (int, float)):
        return _number(value, kind, number_format)
    return _text(str(value), kind)


def _number(value: int | float, kind: str, number_format: str) -> Any:
    """A number cell: whole numbers as ints, a percentage as 90%, a date serial as a date."""
    number = Fraction(str(value)) if isinstance(value, float) else Fraction(value)
    if kind == "date":
        from openpyxl.utils.datetime import from_excel

        return from_excel(value).date().isoformat()
    if kind == "percent":
        if "%" in number_format or number <= 1:
            number *= 100  # a cell shown as 90% holds 0.9; so does one typed 0.9
        return f"{plain_number(number)}%"
    if kind == "yesno":
        return value
    if kind == "text":
        return plain_number(number)
    return int(number) if number.denominator == 1 else float(number)


def _text(text: str, kind: str) -> Any:
    """A text cell: full-width digits and 1,100 read as numbers where a number is wanted; 是/否; dates as written."""
    stripped = text.strip()
    if kind == "text":
        return stripped
    plain = re.sub(r"(?<=\d),(?=\d{3}(?!\d))", "", normalize_text(stripped))  # 1,100 and full-width １，１００
    if kind == "yesno":
        lowered = plain.lower()
        return True if lowered in _YES else False if lowered in _NO else stripped
    if kind == "date":
        match = _DATE.fullmatch(plain)
        if match:
            return f"{match[1]}-{int(match[2]):02d}-{int(match[3]):02d}"
        if re.fullmatch(r"\d{5}(\.0+)?", plain):  # an Excel serial stored as text
            return _number(float(plain), "date", "")
        return stripped
    if kind == "percent" and re.fullmatch(r"\d+(\.\d+)?", plain):
        return _number(float(plain) if "." in plain else int(plain), kind, "")
    if re.fullmatch(r"[+-]?\d{1,15}", plain):
        return int(plain)
    if re.fullmatch(r"\d+\.\d+", plain) and kind in ("count", "money"):
        number = Fraction(plain)
        return int(number) if number.denominator == 1 else plain
    return plain if kind in ("count", "money", "percent") else stripped
