"""Quantities as Chinese reports write them: numbers with units, scales and approximation.

A ``Quantity`` keeps the figure the way staff wrote it (``1100多户``, ``50余万元``, ``约300人``)
and the range of values it can stand for, so that checks flag only what cannot be true
for any value in the ranges (design principle 4).  Chinese numerals (GB/T 15835) are
parsed and written here too.
"""

from __future__ import annotations

import re
import unicodedata
from fractions import Fraction

import msgspec

# Approximation markers.  多/余 follow the number ("1100多", "50余万"), 约/近 precede it,
# 左右 closes it.
MORE = ("多", "余")
ABOUT = ("约", "左右")
NEARLY = "近"

SCALES = {"万": 10_000, "亿": 100_000_000}
SCALE_NAMES = {value: name for name, value in SCALES.items()}
COUNTED = {"户", "人", "个", "次", "项", "年", "家", "名", "条"}  # units of things counted: whole numbers only
UNIT_ALIASES = {"户": "户", "元": "元", "人": "人", "个": "个", "%": "%", "％": "%", "次": "次", "项": "项", "年": "年", "家": "家", "名": "名"}

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
CN_NUMERAL_CHARS = "".join(CN_DIGITS) + "".join(CN_SMALL_UNITS) + "".join(SCALES)
_CN_DIGIT_LIST = "零一二三四五六七八九"

_NUMBER_RE = re.compile(
    r"^(?P<pre>约|近)?(?P<num>\d+(?:\.\d+)?)(?P<more1>多|余)?(?P<scale>万|亿)?(?P<more2>多|余)?"
    r"(?P<unit>[^\d\s约近多余左右]*)(?P<post>左右)?$"
)


class QuantityError(ValueError):
    """A value that is not a quantity of the wanted unit; the message is Chinese and says what would be right."""


class Quantity(msgspec.Struct, frozen=True):
    """A figure with its unit and the approximation staff wrote.

    ``value`` is the nominal figure in the base unit (元, not 万元); ``scale`` is how it is
    displayed (10000 for 万); ``approx`` is "", "多", "余", "约", "左右" or "近".
    """

    value: Fraction
    unit: str = ""
    approx: str = ""
    scale: int = 1

    @property
    def step(self) -> Fraction:
        """The place of the last non-zero digit as written: 1100多 → 100, 50余万 → 10万, 0.5万 → 0.1万."""
        digits = plain_number(self.value / self.scale)
        if "." in digits:
            return Fraction(1, 10 ** len(digits.split(".")[1])) * self.scale
        trailing = len(digits) - len(digits.rstrip("0"))
        if digits == "0":
            trailing = 0
        return Fraction(10**trailing * self.scale)

    @property
    def low(self) -> Fraction:
        """Smallest value the figure can stand for."""
        if self.approx in ABOUT:
            return self.value - self.step / 2
        if self.approx == NEARLY:
            return self.value - self.step
        return self.value

    @property
    def high(self) -> Fraction:
        """Largest value the figure can stand for."""
        if self.approx in MORE:
            return self.value + self.step
        if self.approx in ABOUT:
            return self.value + self.step / 2
        return self.value

    @property
    def exact(self) -> bool:
        return not self.approx

    def number_text(self) -> str:
        """The number with scale and approximation but without the unit: "1100多", "50余万"."""
        shown = plain_number(self.value / self.scale)
        pre = self.approx if self.approx in ("约", "近") else ""
        post = "左右" if self.approx == "左右" else ""
        more = self.approx if self.approx in MORE else ""
        # "50余万": the marker sits before the scale character.
        return f"{pre}{shown}{more}{SCALE_NAMES.get(self.scale, '')}{post}"

    def __str__(self) -> str:
        text = self.number_text()
        if self.approx == "左右":
            return text[: -len("左右")] + self.unit + "左右"
        return text + self.unit

    def __int__(self) -> int:
        return int(self.value)


def plain_number(value: Fraction) -> str:
    """A Fraction as a short decimal: 35 → "35", 1/2 → "0.5"."""
    if value.denominator == 1:
        return str(value.numerator)
    return f"{float(value):.4f}".rstrip("0").rstrip(".")


def exact(value: int | Fraction, unit: str = "", scale: int = 1) -> Quantity:
    """An exact quantity from a number."""
    return Quantity(Fraction(value), unit, "", scale)


def normalize_text(text: str) -> str:
    """Full-width digits, letters and signs to half-width (１８０ → 180), spaces removed."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def parse_quantity(raw: object, unit: str = "") -> Quantity:
    """Read a figure written by staff (number or text) as a Quantity of ``unit``.

    Accepts ``8``, ``"8户"``, ``"１８０"``, ``"1100多"``, ``"约300"``, ``"50余万"``,
    ``"35万元"``, ``"35万"`` (元 implied), ``"90%"``; a money unit 元 takes a 万/亿 scale; a count
    (户, 人, 个 …) must be whole.  Raises QuantityError
    with a Chinese message and, for Chinese numerals, the Arabic figure to write instead.
    """
    quantity = _read_quantity(raw, unit)
    if quantity.unit in COUNTED and unit and quantity.value.denominator != 1:
        raise QuantityError(f"{unit}数应为整数，实为“{raw}”")
    return quantity


def parse_figure(raw: object) -> Quantity:
    """Read a figure of staff's own naming (本县自己的工作项目): any unit, but written with it.

    ``25万元``, ``120人``, ``3场``, ``1100多户``, ``90%``; a bare number is refused (the report
    would print it without a unit), and a count (人, 户, 个 …) must be whole.
    """
    if isinstance(raw, (list, dict)) or raw is None:
        shown = "列表" if isinstance(raw, list) else "分组" if isinstance(raw, dict) else "空值"
        raise QuantityError(f"应为一个数字和它的单位，如 120人、25万元，实为{shown}")
    quantity = _read_quantity(raw, "")
    if not quantity.unit:
        raise QuantityError(f"请写明单位，如 120人、25万元、3场，实为“{raw}”")
    if quantity.unit in COUNTED and quantity.value.denominator != 1:
        raise QuantityError(f"{quantity.unit}数应为整数，实为“{raw}”")
    return quantity


def _read_quantity(raw: object, unit: str) -> Quantity:
    """``parse_quantity`` without the whole-number rule for counts."""
    if isinstance(raw, bool):
        raise QuantityError(f"应为数字，实为 {'true' if raw else 'false'}（是/否）")
    if isinstance(raw, int):
        return exact(raw, unit)
    if isinstance(raw, float):
        return exact(Fraction(str(raw)), unit)
    if not isinstance(raw, str) or not raw.strip():
        raise QuantityError(f"应为数字{('（单位: ' + unit + '）') if unit else ''}，实为空值")
    text = normalize_text(raw)
    match = _NUMBER_RE.match(text)
    if not match:
        raise QuantityError(_not_a_number_message(raw, unit))
    more = match["more1"] or match["more2"]
    approx = match["pre"] or match["post"] or more or ""
    if sum(bool(x) for x in (match["pre"], match["post"], more)) > 1:
        raise QuantityError(f"“{raw}”同时用了两种约数写法，请只保留一种，如“{match['num']}多”或“约{match['num']}”")
    written_unit = UNIT_ALIASES.get(match["unit"], match["unit"])
    if written_unit and unit and written_unit != unit:
        raise QuantityError(f"单位应为“{unit}”，实为“{match['unit']}”（{raw}）")
    scale = SCALES.get(match["scale"] or "", 1)
    if scale != 1 and unit not in ("元", ""):
        raise QuantityError(f"“{raw}”：{unit}数不用“万/亿”，请写完整数字，如 {int(Fraction(match['num']) * scale)}")
    value = Fraction(match["num"]) * scale
    return Quantity(value, unit or written_unit, approx, scale)


def _not_a_number_message(raw: str, unit: str) -> str:
    """Explain a value that is not a figure; suggest the Arabic number for Chinese numerals."""
    core = normalize_text(raw)
    tail = ""
    if unit and core.endswith(unit):
        core = core[: -len(unit)]
    elif not unit:  # a figure of staff's own naming: its unit is whatever follows the numerals (一百二十人)
        numerals = re.match(f"[{CN_NUMERAL_CHARS}]+", core)
        core, tail = (core[: numerals.end()], core[numerals.end():]) if numerals else (core, "")
    try:
        value = parse_chinese_number(core)
    except ValueError:
        return f"应为数字{('（单位: ' + unit + '）') if unit else ''}，实为 “{raw}”"
    return f"应为阿拉伯数字，实为 “{raw}”，请写作 {value}{tail}"


def parse_chinese_number(text: str) -> int:
    """Chinese numerals to an int: 八 → 8, 一百八十 → 180, 三十五万 → 350000, 两 → 2.

    Also reads digit strings written with Chinese digits (二〇一六 → 2016).
    """
    if not text or any(ch not in CN_NUMERAL_CHARS for ch in text):
        raise ValueError(f"不是中文数字: {text!r}")
    if all(ch in CN_DIGITS for ch in text) and len(text) > 1:
        return int("".join(str(CN_DIGITS[ch]) for ch in text))
    total = section = digit = 0
    for ch in text:
        if ch in CN_DIGITS:
            digit = CN_DIGITS[ch]
        elif ch in CN_SMALL_UNITS:
            section += (digit or 1) * CN_SMALL_UNITS[ch]
            digit = 0
        else:  # 万, 亿
            total = (total + section + digit) * SCALES[ch]
            section = digit = 0
    return total + section + digit


def chinese_numeral(n: int) -> str:
    """An int as Chinese numerals for fixed terms and ordinals: 6 → 六, 10 → 十, 38 → 三十八, 105 → 一百零五."""
    if n < 0:
        raise ValueError("negative numbers have no Chinese numeral form here")
    if n < 10:
        return _CN_DIGIT_LIST[n]
    if n >= 100_000_000:
        high, rest = divmod(n, 100_000_000)
        return chinese_numeral(high) + "亿" + (_with_zero(rest, 10_000_000) if rest else "")
    if n >= 10_000:
        high, rest = divmod(n, 10_000)
        return chinese_numeral(high) + "万" + (_with_zero(rest, 1000) if rest else "")
    parts = []
    zero_pending = False
    for value, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit, n = divmod(n, value)
        if digit:
            if zero_pending:
                parts.append("零")
                zero_pending = False
            parts.append(_CN_DIGIT_LIST[digit] + name)
        elif parts:
            zero_pending = True
    text = "".join(parts)
    return text[1:] if text.startswith("一十") else text


def _with_zero(rest: int, threshold: int) -> str:
    """Numeral for the lower part of a 万/亿 number, with 零 where a place is skipped."""
    text = chinese_numeral(rest)
    if text.startswith("十"):
        text = "一" + text
    return ("零" + text) if rest < threshold else text


def ordinal(index: int, style: str = "一是") -> str:
    """The ordinal of the index-th sub-item (1-based) in a report's style.

    "一是" → 一是, 二是, 三是 …; "首先" → 首先是, 其次是, 三是, 四是 …; "一、" → 一、二、…
    """
    if style == "首先":
        return {1: "首先是", 2: "其次是"}.get(index, chinese_numeral(index) + "是")
    if style == "一是":
        return chinese_numeral(index) + "是"
    if style == "一、":
        return chinese_numeral(index) + "、"
    if style == "(一)":
        return f"（{chinese_numeral(index)}）"
    raise ValueError(f"unknown ordinal style {style!r}")


def ranges_overlap(a: tuple[Fraction, Fraction], b: tuple[Fraction, Fraction]) -> bool:
    """Whether two closed ranges share a value (an approximate figure can agree with another)."""
    return a[0] <= b[1] and b[0] <= a[1]


def sum_range(quantities: list[Quantity]) -> tuple[Fraction, Fraction]:
    """The range a sum of (possibly approximate) quantities can take."""
    return sum((q.low for q in quantities), Fraction(0)), sum((q.high for q in quantities), Fraction(0))
