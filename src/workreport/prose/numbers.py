"""Figures as Chinese reports write them: 8户, 1,100户, 1100多户, 三四十户, 一万二, 近千人, 百分之九十, 二〇一六年.

Entry point: ``find_figures(text)`` yields every number with a unit (or a 万/亿 scale) in a
normalized text (``normalize``: traditional characters to simplified, full-width digits to
half-width, length kept so that offsets stay those of the text as written).  A Chinese
numeral is read only when it is well formed (十三五 is a plan period, not 15; 三四十 is the
range 30–40; 一万二 is 12000).  Runs once over the text: linear in its length.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

import msgspec

from ..quantity import CN_DIGITS, Quantity, QuantityError, chinese_numeral, parse_chinese_number, parse_quantity

# Longest first, so that 人次 is not read as 人 and 周年 not as 年.
UNITS = ("个百分点", "百分点", "周年", "人次", "场次", "户次", "户", "人", "元", "个", "项", "%", "次", "名", "家", "条", "年",
         "岁", "份", "起", "张", "场", "期", "篇", "所", "批", "天")
_CN = "零〇一二两三四五六七八九十百千万亿"
_ARABIC = r"\d{1,3}(?:,\d{3})+(?![\d,])|\d+(?:\.\d+)?"
_FIGURE_RE = re.compile(
    r"(?P<pre>约|近)?"
    rf"(?:百分之(?P<pct>{_ARABIC}|[{_CN}]+)|(?P<num>{_ARABIC}|[{_CN}]+))"
    r"(?P<more1>多|余)?(?P<scale>万|亿)?(?P<more2>多|余)?"
    # A space before the unit ("180 户") is a typographic slip, not the end of the figure; a scaled
    # number needs no unit ("投保50余万").
    rf"(?:[ \u3000]?(?P<unit>{'|'.join(map(re.escape, UNITS))}))?"
    r"(?P<post>左右)?"
)
_NUMERAL_RE = re.compile(rf"[\d{_CN}]")
# A Chinese numeral right after these is part of a word: 这一项目, 同一个, 唯一一家, 十一五.
_NOT_BEFORE_CN = set("这那每某哪同唯统单之第其任另十逐专")
_DIGITS = "零〇一二三四五六七八九"
_CONSECUTIVE = {f"{_DIGITS[i]}{_DIGITS[i + 1]}" for i in range(1, 9)}
_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10_000}
# Full-width digits and signs to half-width, one character for one.
_HALF = {**{chr(0xFF10 + i): str(i) for i in range(10)}, "％": "%", "．": "."}
_HALF_TABLE = str.maketrans(_HALF)
TRADITIONAL = Path(__file__).resolve().parent.parent / "data" / "traditional.txt"


class Number(msgspec.Struct, frozen=True):
    """A number as read: its range (equal ends when exact) and whether it is a digit string such as 二〇一六."""

    low: Fraction
    high: Fraction
    digits: bool = False


def normalize(text: str) -> str:
    """``text`` in simplified characters with half-width digits, of the same length (offsets keep their meaning)."""
    text = text.translate(_HALF_TABLE)
    if text.isascii() or _traditional().isdisjoint(text):
        return text
    converted = _t2s().convert(text)
    if len(converted) == len(text):
        return converted
    # OpenCC turned a phrase into one of another length: convert character by character instead.
    return "".join(ch if len(c := _t2s().convert(ch)) != 1 else c for ch in text)


@functools.lru_cache(maxsize=1)
def _traditional() -> frozenset[str]:
    """Every character OpenCC's t2s changes on its own (data/traditional.txt, written by scripts/traditional-chars.py).

    A text with none of them is left as it is, without loading OpenCC, which took longer than the rest
    of a check.  Only a phrase whose every character is also simplified (乾燥 → 干燥) is then kept as
    written; no unit, numeral or counted word is such a phrase.
    """
    return frozenset(TRADITIONAL.read_text(encoding="utf-8").strip())


@functools.lru_cache(maxsize=1)
def _t2s():
    """OpenCC's traditional → simplified converter (loaded on first use)."""
    import opencc

    return opencc.OpenCC("t2s")


def read_numeral(numeral: str) -> Number | None:
    """A Chinese numeral as a Number, or None when it is not a well-formed number (十三五, 五六七)."""
    plain = numeral.replace("两", "二").replace("〇", "零")
    if all(ch in _DIGITS for ch in numeral):
        return _digit_string(plain)
    if len(plain) >= 3 and plain[:2] in _CONSECUTIVE and plain[2] in _SMALL_UNITS:  # 三四十, 五六百
        low, high = _well_formed(plain[0] + plain[2:]), _well_formed(plain[1] + plain[2:])
        return Number(Fraction(low), Fraction(high)) if low is not None and high is not None else None
    if len(plain) >= 3 and plain[-2:] in _CONSECUTIVE and plain[-3] == "十":  # 十二三, 二十三四
        low, high = _well_formed(plain[:-1]), _well_formed(plain[:-2] + plain[-1])
        return Number(Fraction(low), Fraction(high)) if low is not None and high is not None else None
    if len(plain) >= 3 and plain[-2] in "万千百" and plain[-1] in _DIGITS[1:]:  # 一万二, 三千五, 一百八
        head = _well_formed(plain[:-1])
        if head is None:
            return None
        value = head + CN_DIGITS[plain[-1]] * _SMALL_UNITS[plain[-2]] // 10
        return Number(Fraction(value), Fraction(value))
    value = _well_formed(plain)
    return None if value is None else Number(Fraction(value), Fraction(value))


def _digit_string(plain: str) -> Number | None:
    """七 → 7; 三四 → 3–4; 二零一六 → 2016 (a year); other runs of digits are not numbers."""
    if len(plain) == 1:
        value = Fraction(CN_DIGITS[plain])
        return Number(value, value)
    if plain in _CONSECUTIVE:
        return Number(Fraction(CN_DIGITS[plain[0]]), Fraction(CN_DIGITS[plain[1]]))
    if len(plain) == 4:
        value = Fraction(int("".join(str(CN_DIGITS[ch]) for ch in plain)))
        return Number(value, value, digits=True)
    return None


def _well_formed(plain: str) -> int | None:
    """The value of a numeral written the standard way (一百八十, 三十五万, 一千零五), else None."""
    try:
        value = parse_chinese_number(plain)
    except ValueError:
        return None
    written = plain[1:] if plain.startswith("一十") else plain
    return value if chinese_numeral(value) == written else None


class Found(msgspec.Struct, frozen=True):
    """One figure of a text: where it is, as written, its quantity and range, and whether it is a calendar year."""

    start: int
    end: int
    text: str
    quantity: Quantity
    low: Fraction | float
    high: Fraction | float
    year: int | None


def may_hold_figures(text: str) -> bool:
    """Whether a normalized ``text`` has a digit or a Chinese numeral: one without cannot hold a figure."""
    return _NUMERAL_RE.search(text) is not None


def find_figures(text: str) -> Iterator[Found]:
    """Every figure with a unit or a scale in a normalized ``text``, in order."""
    for match in _FIGURE_RE.finditer(text):
        found = _read(match, text)
        if found is not None:
            yield found


def _read(match: re.Match, text: str) -> Found | None:
    """A match as a Found, or None when it is part of a word or not a number."""
    start, end = match.span()
    number_text = match["num"] or match["pct"]
    unit = "%" if match["pct"] else (match["unit"] or "")
    if not unit and not match["scale"]:
        return None
    if start > 0 and (text[start - 1] in "第." or text[start - 1].isdigit()):
        return None
    if number_text[0].isdigit():
        number = Number(Fraction(number_text.replace(",", "")), Fraction(number_text.replace(",", "")))
    else:
        if start > 0 and text[start - 1] in _NOT_BEFORE_CN:
            return None
        if number_text == "一" and unit in ("起", "批", "期", "天", "份", "张", "场", "次", "条"):  # 一起, 一份答卷, 一场硬仗: words
            return None
        if number_text in ("百", "千", "万") and match["pre"] == "近":  # 近千人: nearly a thousand
            value = Fraction(_SMALL_UNITS[number_text])
            return _found(match, start, end, Number(value, value), unit, "", text.startswith("以上", end))
        if number_text[-1] in "万亿" and len(number_text) > 1 and not match["scale"]:
            number = read_numeral(number_text[:-1])
            scale_char = number_text[-1]
        else:
            number, scale_char = read_numeral(number_text), match["scale"]
        if number is None:
            return None
        return _found(match, start, end, number, unit, scale_char or "", text.startswith("以上", end))
    return _found(match, start, end, number, unit, match["scale"] or "", text.startswith("以上", end))


def _found(match: re.Match, start: int, end: int, number: Number, unit: str, scale_char: str, above: bool = False) -> Found | None:
    """The Found for a number read, with approximation, scale and unit."""
    more = match["more1"] or match["more2"] or ""
    pre = match["pre"] or ""
    post = match["post"] if match["post"] == "左右" else ""
    if sum(bool(x) for x in (pre, more, post)) > 1:
        return None
    shown = f"{pre}{_plain(number.low)}{more}{scale_char}{unit}{post}"
    try:
        quantity = parse_quantity(shown)
    except QuantityError:
        return None
    if scale_char and number.low != number.high:
        scale = quantity.scale
        low, high = number.low * scale, number.high * scale
    elif number.low != number.high:
        low, high = number.low, number.high
    else:
        low, high = quantity.low, quantity.high
    if above:  # 50人以上: at least 50 (以上 stays outside the figure, as a word of its own)
        high = math.inf
    year = None
    if unit == "年" and not pre and not more and number.low == number.high and number.low.denominator == 1:
        is_arabic = (match["num"] or "")[:1].isdigit()
        if (is_arabic and len(match["num"]) == 4 or number.digits) and 1900 <= number.low <= 2100:
            year = int(number.low)
    return Found(start, end, match.group(), quantity, low, high, year)


def _plain(value: Fraction) -> str:
    if value.denominator == 1:
        return str(value.numerator)
    return f"{float(value):.6f}".rstrip("0").rstrip(".")
