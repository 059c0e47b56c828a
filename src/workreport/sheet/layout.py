"""What a facts workbook holds, read from the report kind's schema: its sheets, and on each the facts it lists.

The writer lays these out and the reader looks facts up in them, so both agree on one
definition: a sheet per section (基本信息 for the top-level facts), and in it a *field* per
fact — a single value, a list (numbered rows) or a repeatable group (a small table).
"""

from __future__ import annotations

from typing import Any

import msgspec

from ..facts import Path_
from ..schema import resolve_ref

GUIDE_SHEET = "说明"
BASIC_SHEET = "基本信息"
# The columns of every fact sheet, by their header text; the reader finds them by this text, not by position.
KEY, NUMBER, THIS_YEAR, LAST_YEAR, UNIT, NOTE = "项目", "序号", "本年", "上年", "单位", "说明"
COLUMNS = (KEY, NUMBER, THIS_YEAR, LAST_YEAR, UNIT, NOTE)
AUTO = "自动计算"
PAIR_MARK = "："  # between a figure's name and its value in a cell of named figures (发放助学金：25万元)

SCALAR, LIST, TABLE = "scalar", "list", "table"


class Field(msgspec.Struct, frozen=True):
    """One fact of the schema as the workbook shows it: a value, a list of texts, or a table of groups."""

    path: Path_
    node: dict
    shape: str
    columns: tuple[tuple[str, dict], ...] = ()  # a table's fields: (key, schema node)

    @property
    def key(self) -> str:
        """The 项目 text: the fact's Chinese path, as check messages write it (生育关怀.少生快富.扶持户数)."""
        return ".".join(self.path)

    @property
    def derived(self) -> bool:
        return bool(self.node.get("x-derived"))

    @property
    def additive(self) -> bool:
        return bool(self.node.get("x-additive"))


class Sheet(msgspec.Struct, frozen=True):
    """One fact sheet: its name (the section's key, or 基本信息) and its fields in schema order."""

    name: str
    fields: tuple[Field, ...]


def sheets(schema: dict) -> list[Sheet]:
    """The fact sheets of a kind: 基本信息 (top-level values), then one per section, in schema order."""
    root = resolve_ref(schema, schema)
    basic, sections = [], []
    for key, node in root.get("properties", {}).items():
        resolved = resolve_ref(node, schema)
        if resolved.get("type") == "object":
            sections.append(Sheet(key, tuple(_fields((key,), resolved, schema))))
        else:
            basic.append(_field((key,), resolved, schema))
    return [Sheet(BASIC_SHEET, tuple(basic)), *sections]


def _fields(path: Path_, node: dict, schema: dict) -> list[Field]:
    """The fields below an object node, depth first in schema order."""
    out: list[Field] = []
    for key, child in node.get("properties", {}).items():
        resolved = resolve_ref(child, schema)
        if resolved.get("type") == "object":
            out += _fields((*path, key), resolved, schema)
        else:
            out.append(_field((*path, key), resolved, schema))
    return out


def _field(path: Path_, node: dict, schema: dict) -> Field:
    if node.get("type") != "array":
        return Field(path, node, SCALAR)
    items = resolve_ref(node.get("items", {}), schema)
    if items.get("type") == "object":
        columns = tuple((k, resolve_ref(v, schema)) for k, v in items.get("properties", {}).items())
        return Field(path, node, TABLE, columns)
    return Field(path, node, LIST)


def by_key(schema: dict) -> dict[str, Field]:
    """Every field by its 项目 text."""
    return {f.key: f for sheet in sheets(schema) for f in sheet.fields}


def column_title(key: str, node: dict) -> str:
    """A table column's header: the field's key, its unit, and 自动计算 for a derived one: 金额（元）."""
    unit = node.get("x-unit")
    title = f"{key}（{unit}）" if unit and unit != "条" else key
    return f"{title}（{AUTO}）" if node.get("x-derived") else title


def column_key(title: Any) -> str:
    """The field key a table header names: 金额（元） → 金额."""
    return str(title or "").split("（")[0].strip()


def is_pairs(node: dict) -> bool:
    """Whether a table column holds named figures of staff's own naming (其他工作.数字): one cell, a line each."""
    return node.get("type") == "object" and isinstance(node.get("additionalProperties"), dict)


def pairs_text(value: Any) -> str | None:
    """Named figures as their cell shows them, a line each: 发放助学金：25万元."""
    if not isinstance(value, dict) or not value:
        return None
    return "\n".join(f"{name}{PAIR_MARK}{figure}" for name, figure in value.items())


def read_pairs(text: str) -> tuple[dict[str, str], list[str]]:
    """A cell of named figures back as a mapping, and the lines that are not “名称：数字” (for the reader to refuse)."""
    pairs: dict[str, str] = {}
    bad: list[str] = []
    for line in (raw.strip() for raw in str(text).splitlines()):
        name, mark, figure = line.replace(":", PAIR_MARK).partition(PAIR_MARK)
        if not line:
            continue
        if not mark or not name.strip() or not figure.strip():
            bad.append(line)
        else:
            pairs[name.strip()] = figure.strip()
    return pairs, bad


def value_kind(node: dict) -> str:
    """What a value cell holds: year, date, yesno, percent, count, money, number or text."""
    unit = node.get("x-unit")
    if node.get("x-year"):
        return "year"
    if node.get("x-date"):
        return "date"
    if node.get("type") == "boolean":
        return "yesno"
    if unit == "%":
        return "percent"
    if unit == "元":
        return "money"
    if unit:
        return "count"
    if node.get("type") == "integer":
        return "number"
    return "text"
