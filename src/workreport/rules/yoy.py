"""Year-over-year changes: this year's figures against last year's file, and how to word them.

Entry point: ``changes(values, previous)`` returns a tree shaped like this year's facts whose
leaves are ``Change``s, one for every figure that both years state and that can be compared.
Templates reach it as ``变化`` and word it with the ``比上年`` filter (render/text.py), which
calls ``phrase`` here: the rules below choose 增加/减少/持平 (提高/降低 个百分点 for rates).

Approximate figures are ranges (1100多 is 1100–1200): a change is stated only when every value
in the ranges points the same way, and its size only when both figures are exact.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import msgspec

from ..quantity import Quantity

UP, DOWN, SAME = "增加", "减少", "持平"
AMOUNT, RATE = "差额", "幅度"  # the two wordings: 比上年增加2户 / 比上年增长1.1%


class Change(msgspec.Struct, frozen=True):
    """A figure against last year's: which way it went and, when both are exact, by how much."""

    current: Quantity
    previous: Quantity
    direction: str

    @property
    def exact(self) -> bool:
        return self.current.exact and self.previous.exact

    @property
    def difference(self) -> Quantity | None:
        """The absolute change, shown in the figures' own scale (5万元, not 50000元); None when approximate."""
        if not self.exact:
            return None
        value = abs(self.current.value - self.previous.value)
        scales = {self.current.scale, self.previous.scale}
        scale = scales.pop() if len(scales) == 1 else 1
        if (value / scale).denominator != 1:
            scale = 1
        return Quantity(value, self.current.unit, "", scale)

    @property
    def rate(self) -> Fraction | None:
        """The change in per cent of last year's figure; None when approximate or last year was 0."""
        if not self.exact or self.previous.value == 0:
            return None
        return abs(self.current.value - self.previous.value) * 100 / self.previous.value


def change(current: Any, previous: Any) -> Change | None:
    """The change from ``previous`` to ``current``; None when they cannot be compared or the ranges overlap."""
    if not isinstance(current, Quantity) or not isinstance(previous, Quantity) or current.unit != previous.unit:
        return None
    if current.exact and previous.exact:
        direction = UP if current.value > previous.value else DOWN if current.value < previous.value else SAME
    elif current.low > previous.high:
        direction = UP
    elif current.high < previous.low:
        direction = DOWN
    else:
        return None
    return Change(current, previous, direction)


def changes(values: dict, previous: dict | None) -> dict:
    """A tree like ``values``: every mapping kept, every comparable figure replaced by its Change."""
    out: dict = {}
    for key, value in values.items():
        before = previous.get(key) if isinstance(previous, dict) else None
        if isinstance(value, dict):
            out[key] = changes(value, before if isinstance(before, dict) else None)
        else:
            found = change(value, before)
            if found is not None:
                out[key] = found
    return out


def phrase(item: Change, form: str = AMOUNT) -> str:
    """The change in words: 比上年增加2户, 比上年增长1.1%, 比上年提高5个百分点, 与上年持平."""
    if item.direction == SAME:
        return "与上年持平"
    up = item.direction == UP
    if item.current.unit == "%":
        word = "提高" if up else "降低"
        size = item.difference
        return f"比上年{word}{size.number_text()}个百分点" if size is not None else f"比上年有所{word}"
    if form == RATE and item.rate is not None:
        return f"比上年{'增长' if up else '下降'}{percent_text(item.rate)}"
    if item.difference is None:
        return f"比上年有所{item.direction}"
    return f"比上年{item.direction}{item.difference}"


def percent_text(rate: Fraction) -> str:
    """A rate with one decimal: 1.1%, 10%; never 0.0% for a real change."""
    shown = f"{float(rate):.1f}".removesuffix(".0")
    return f"{shown}%" if shown != "0" else "不到0.1%"
