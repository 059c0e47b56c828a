"""Validate a facts file against its report kind's JSON Schema and type its values.

The schema (templates/<kind>/schema.json) is the one definition of the facts format: the
editor's YAML language server reads it for completion, and this module reads its ``x-``
annotations to turn figures into Quantities (``x-unit``), years into ints and dates into
``datetime.date``.  All problems are reported at once, in Chinese, with file and line.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import msgspec

from .errors import FactsError, Problem
from .facts import Path_, RawFacts, lookup
from .kind import Kind
from .quantity import Quantity, QuantityError, normalize_text, parse_chinese_number, parse_figure, parse_quantity

# The largest figure a facts file may hold: a county association's money and households are far
# below it, and beyond it a figure cannot be compared with last year's (a float has 308 digits).
MAX_FIGURE = 10**12
MAX_UNKNOWN_KEYS = 50  # unknown keys listed one by one in a mapping; past that, one line says how many more

UNFILLED = "待填"  # the marker for a value still to fill in (written by new-year, listed by check WR001)
_TYPE_NAMES = {"integer": "整数", "number": "数字", "string": "文字", "array": "列表（每行以“- ”开头）", "object": "“键: 值”的分组", "boolean": "是/否（true 或 false）"}


class Facts(msgspec.Struct):
    """A validated facts file: typed values, where each was written, and last year's facts."""

    raw: RawFacts
    values: dict
    kind: Kind
    previous: Facts | None = None
    problems: list[Problem] = msgspec.field(default_factory=list)

    @property
    def year(self) -> int:
        return self.values["年度"]

    @property
    def path(self):
        return self.raw.path

    def get(self, path: Path_, default: Any = None) -> Any:
        """The typed value at ``path``, or ``default`` when any step is missing."""
        return lookup(self.values, path, default)


def validate(raw: RawFacts, kind: Kind) -> Facts:
    """Check ``raw`` against the kind's schema and convert its figures; raise FactsError listing every problem."""
    data = half_width(without_unfilled(raw.data), kind.schema, kind.schema)  # 待填 reads as not written; the check WR001 lists it
    filled = msgspec.structs.replace(raw, data=data)
    problems = structural_problems(filled, kind.schema, original=raw.data)
    values, value_problems = convert(filled, kind.schema)
    problems += value_problems
    if problems:
        raise FactsError(sorted(set(problems), key=lambda p: (p.line or 0, p.column or 0, p.message)))
    return Facts(raw=raw, values=values, kind=kind)


def half_width(value: Any, node: dict, root: dict) -> Any:
    """The data with whole numbers and dates typed in full-width digits (２０１６, ２０１６－１２－２０) read as half-width.

    A Chinese input method types full-width digits; figures accept them (parse_quantity), and
    so, through this, do years and dates: accepted everywhere a number is wanted.  A date's
    month and day may have one digit (2016-1-5).
    """
    node = resolve_ref(node, root)
    if isinstance(value, dict):
        return {k: half_width(v, child_schema(node, k), root) for k, v in value.items()}
    if isinstance(value, list):
        return [half_width(v, node.get("items", {}), root) for v in value]
    if not isinstance(value, str) or "x-unit" in node:
        return value
    text = normalize_text(value)
    if node.get("x-date"):
        date = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
        return f"{date[1]}-{int(date[2]):02d}-{int(date[3]):02d}" if date else value
    if node.get("type") in ("integer", "number") and re.fullmatch(r"[+-]?\d{1,9}", text):
        return int(text)
    return value


def without_unfilled(node: Any) -> Any:
    """The data with every value that is exactly the marker 待填 left out (list items too), and every empty
    list: ``资金来源: []`` says there is none, the same as deleting the line, and is read the same way."""
    if isinstance(node, dict):
        kept = {k: without_unfilled(v) for k, v in node.items() if not is_unfilled(v)}
        return {k: v for k, v in kept.items() if v != []}
    if isinstance(node, list):
        return [without_unfilled(v) for v in node if not is_unfilled(v)]
    return node


def is_unfilled(value: Any) -> bool:
    """Whether a value is the marker that ``new-year`` writes for a figure still to fill in."""
    return isinstance(value, str) and value.strip() == UNFILLED


def structural_problems(raw: RawFacts, schema: dict, original: Any = None) -> list[Problem]:
    """jsonschema's findings, translated into located Chinese messages.

    ``original`` is the data before 待填 markers were left out: a required key still
    marked 待填 is reported by check WR001 (with its own line), not as missing here.
    A valid file is recognised by the compiled validator; jsonschema only words a failing file's problems.
    """
    from .schema_code import is_valid

    if is_valid(schema, raw.data):
        return []
    from jsonschema import Draft202012Validator, FormatChecker

    validator = Draft202012Validator(schema, format_checker=FormatChecker())
    problems: list[Problem] = []
    for error in validator.iter_errors(raw.data):
        problems.extend(_translate(error, raw, raw.data if original is None else original))
    return problems


def _translate(error: Any, raw: RawFacts, original: Any) -> list[Problem]:
    """One jsonschema ValidationError as one or more Problems."""
    path = tuple(error.absolute_path)
    kind = error.validator
    if kind == "additionalProperties":
        allowed = list(error.schema.get("properties", {}))
        unknown = [key for key in error.instance if key not in allowed]
        listed = [raw.problem((*path, key), _unknown_key_message(key, allowed)) for key in unknown[:MAX_UNKNOWN_KEYS]]
        if len(unknown) > MAX_UNKNOWN_KEYS:
            rest = unknown[MAX_UNKNOWN_KEYS]
            listed.append(raw.problem((*path, rest), f"从这里起另有 {len(unknown) - MAX_UNKNOWN_KEYS} 个未知的键，不再逐一列出"
                                                     f"（一层最多列出 {MAX_UNKNOWN_KEYS} 个）；请检查是否选错了文件"))
        return listed
    if kind == "required":
        written = lookup(original, path)
        written = written if isinstance(written, dict) else {}
        missing = [k for k in error.validator_value if k not in error.instance and not is_unfilled(written.get(k))]
        return [raw.problem(path, f"缺少必填项“{k}”：{error.schema['properties'][k].get('description', '')}") for k in missing]
    if kind == "type":
        if is_figure(error.schema):  # figures get a unit-aware message from convert()
            return []
        wanted = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        names = "或".join(_TYPE_NAMES.get(w, w) for w in wanted)
        return [raw.problem(path, f"应为{names}，实为 {_show(error.instance)}{_arabic_hint(error.instance)}")]
    if kind == "maxLength":
        what = f"（{error.schema['description']}）" if error.schema.get("description") else ""
        return [raw.problem(path, f"太长：{len(error.instance)} 个字符，这一项的上限是 {error.validator_value} 个字符{what}；请写简短些")]
    if kind in ("minLength", "minItems"):
        return [raw.problem(path, "不能为空：请填写内容，或删去这一项")]
    if kind == "enum":
        return [raw.problem(path, f"应为以下之一：{'、'.join(map(str, error.validator_value))}，实为 {_show(error.instance)}")]
    if kind == "format":
        return [raw.problem(path, f"日期不存在或格式不对，应写成 2016-12-20 的形式，实为 {_show(error.instance)}")]
    if kind in ("minimum", "maximum"):
        return [raw.problem(path, f"应在 {error.schema.get('minimum')}–{error.schema.get('maximum')} 之间，实为 {_show(error.instance)}")]
    return [raw.problem(path, f"不符合要求：{error.message}")]


def _arabic_hint(value: Any) -> str:
    """For a whole number written with 年 or in Chinese numerals (2016年, 二〇一六), the figure to write instead."""
    if not isinstance(value, str):
        return ""
    core = normalize_text(value).removesuffix("年")
    if core.isdigit():
        return f"，请写作 {int(core)}"
    try:
        return f"，请写作 {parse_chinese_number(core)}"
    except ValueError:
        return ""


def _unknown_key_message(key: str, allowed: list[str]) -> str:
    """Say a key is unknown, and name the nearest valid key (或 list them all)."""
    import difflib  # only a file with a wrong key needs it

    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.4)
    hidden = invisible_characters(key)
    if hidden:
        right = f"，应为“{close[0]}”" if close else ""
        return (f"键“{show_invisible(key)}”中有看不见的字符（{'、'.join(hidden)}，常见于从网页或 Word 粘贴）；"
                f"请删去它{right}")
    if close:
        return f"未知的键“{key}”，您是否想写“{close[0]}”？"
    return f"未知的键“{key}”；这一层可以写：{'、'.join(allowed)}"


# Characters that look like nothing or like an ordinary space; a key holding one looks right and is not.
_INVISIBLE = {"\u00a0": "不换行空格", "\u3000": "全角空格", "\u200b": "零宽空格", "\u200c": "零宽非连接符", "\u200d": "零宽连接符",
              "\u2060": "字连接符", "\ufeff": "零宽不换行空格", "\u00ad": "软连字符", "\u200e": "从左至右标记", "\u200f": "从右至左标记"}


def _invisible(character: str) -> bool:
    """Whether a character shows as nothing or as an ordinary space: a format character or a space other than " "."""
    import unicodedata

    return character in _INVISIBLE or (character != " " and unicodedata.category(character) in ("Cf", "Zs"))


def invisible_characters(text: str) -> list[str]:
    """The invisible or look-alike space characters in ``text``, each named once: “U+200B 零宽空格”."""
    return [f"U+{ord(c):04X} {_INVISIBLE.get(c, '不可见字符')}" for c in dict.fromkeys(filter(_invisible, text))]


def show_invisible(text: str) -> str:
    """``text`` with each invisible character written out as ⟨U+200B⟩, so that staff can see where it is."""
    return "".join(f"⟨U+{ord(c):04X}⟩" if _invisible(c) else c for c in text)


def _show(value: Any) -> str:
    """A value as staff wrote it in YAML, not as Python prints it: “文字”, true, 空值, 列表 [甲, 乙]."""
    if isinstance(value, str):
        return f"“{value}”"
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "空值"
    if isinstance(value, list):
        return f"列表 [{', '.join(_show(v).strip('“”') for v in value)}]"
    if isinstance(value, dict):
        return f"分组（{'、'.join(map(str, value))}）"
    return str(value)


def is_figure(node: dict) -> bool:
    """Whether a schema node describes a figure (a Quantity): one with a unit (x-unit), or of staff's own unit (x-figure)."""
    return "x-unit" in node or bool(node.get("x-figure"))


def read_figure(value: Any, node: dict) -> Quantity:
    """A figure as written, read as its schema node says (its unit, or the unit written with it); QuantityError if not one."""
    return parse_figure(value) if node.get("x-figure") else parse_quantity(value, node["x-unit"])


def convert(raw: RawFacts, schema: dict) -> tuple[dict, list[Problem]]:
    """Walk data and schema together: figures become Quantities, dates become dates."""
    problems: list[Problem] = []
    values = _convert(raw.data, schema, (), raw, schema, problems)
    return values, problems


def _convert(value: Any, node: dict, path: Path_, raw: RawFacts, root: dict, problems: list[Problem]) -> Any:
    node = resolve_ref(node, root)
    if is_figure(node):
        try:
            quantity = read_figure(value, node)
        except QuantityError as exc:
            problems.append(raw.problem(path, str(exc)))
            return None
        if quantity.value < 0:
            problems.append(raw.problem(path, f"不能为负数，实为 {quantity}"))
        elif quantity.value > MAX_FIGURE:
            problems.append(raw.problem(path, _too_big(quantity.value)))
            return None
        return quantity
    if node.get("x-date") and isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None  # the format check has reported it
    if isinstance(value, dict):
        return {k: _convert(v, child_schema(node, k), (*path, k), raw, root, problems) for k, v in value.items()}
    if isinstance(value, list):
        items = node.get("items", {})
        return [_convert(v, items, (*path, i), raw, root, problems) for i, v in enumerate(value)]
    if isinstance(value, str):
        return one_line(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool) and abs(value) > MAX_FIGURE:
        problems.append(raw.problem(path, _too_big(value)))
        return None
    return value


def _too_big(value: Any) -> str:
    digits = len(str(int(abs(value)))) if abs(value) < 10**4000 else "4000 多"
    return f"数字太大：有 {digits} 位，一项数字的上限是 1万亿（{MAX_FIGURE}）；请检查是否多写了 0"


def one_line(text: str) -> str:
    """A text fact on one line: line breaks (a YAML block scalar, text pasted from Word) joined as Chinese prose joins them.

    A fact is a phrase inside a paragraph; a blank line in it would otherwise split the paragraph in two.
    """
    return re.sub(r"[ \t]*\n\s*", "", text) if "\n" in text else text


def resolve_ref(node: dict, root: dict) -> dict:
    """Follow a local $ref (#/$defs/…)."""
    while "$ref" in node:
        ref = node["$ref"]
        target: Any = root
        for part in ref.lstrip("#/").split("/"):
            target = target[part]
        node = target
    return node


def child_schema(node: dict, key: Any) -> dict:
    """The schema of ``key`` in a mapping: its own property, else the mapping's schema for keys of staff's
    naming (``additionalProperties``: the figures of an own work item), else {}."""
    own = node.get("properties", {}).get(key)
    if own is not None:
        return own
    free = node.get("additionalProperties")
    return free if isinstance(free, dict) else {}


def schema_at(schema: dict, path: Path_) -> dict | None:
    """The schema node that describes the value at ``path`` (list indices and "*" step into items)."""
    node = resolve_ref(schema, schema)
    for step in path:
        if isinstance(step, int) or step == "*":
            node = node.get("items")
        else:
            node = child_schema(node, step) or None
        if node is None:
            return None
        node = resolve_ref(node, schema)
    return node
