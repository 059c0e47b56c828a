"""Typography of Chinese text in the facts (WR7xx): half-width punctuation, spaces around figures.

Each finding carries the corrected text as ``expected``, ready to paste back.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from ..facts import dotted
from ..rules.relations import Context
from ..schema import Facts
from . import WARNING, Finding, check, finding, text_fields

FULL_WIDTH = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
_HAN = "\u4e00-\u9fff"
SPACES = " \t\u3000"
_HALF_WIDTH_RE = re.compile(r"[,;:?!()]")


@check("WR701", WARNING, "中文里用了半角标点")
def half_width_punctuation(facts: Facts, ctx: Context) -> Iterable[Finding]:
    """中文文字里用了半角标点 , ; : ? ! ( )。

    公文的中文部分用全角标点（，；：？！（））。从网页或英文输入法粘贴的文字常夹着半角标点，
    印出来挤在一起，与前后文不一致。数字中的逗号、冒号（1,100、8:30）不算。
    改正：按“应为”一栏的写法，把半角标点换成全角标点。
    """
    for path, text in text_fields(facts, ctx):
        marks = [m for m in _HALF_WIDTH_RE.finditer(text) if _beside_chinese(text, m.start())]
        if not marks:
            continue
        fixed = "".join(FULL_WIDTH[ch] if any(m.start() == i for m in marks) else ch for i, ch in enumerate(text))
        shown = "、".join(dict.fromkeys(f"“{m.group()}”" for m in marks))
        yield finding("WR701", facts, path, f"{dotted(path)} 的中文里有半角标点 {shown}，应改为全角（{'、'.join(dict.fromkeys(FULL_WIDTH[m.group()] for m in marks))}）",
                      offset=marks[0].start(), expected=fixed, actual=text)


@check("WR702", WARNING, "数字与汉字之间有空格")
def space_beside_figure(facts: Facts, ctx: Context) -> Iterable[Finding]:
    """数字与汉字之间有空格，如“180 户”。

    中文排版中数字与汉字之间不加空格；多出的空格在 Word 中会变成明显的空隙，
    也常常是从表格或网页粘贴时带进来的。
    改正：删去空格，写成“180户”（见“应为”一栏）。
    """
    for path, text in text_fields(facts, ctx):
        if not any(space in text for space in SPACES):
            continue
        spaces = list(spaced_figure_re().finditer(text))
        if spaces:
            yield finding("WR702", facts, path, f"{dotted(path)} 中数字与汉字之间有空格，应删去",
                          offset=max(spaces[0].start() - 3, 0), expected=spaced_figure_re().sub("", text), actual=text)


@functools.cache
def spaced_figure_re() -> re.Pattern:
    """A space between a figure and a Chinese character (180 户); compiled when a text with a space first needs it,
    as its Chinese character classes take a millisecond to compile."""
    return re.compile(rf"(?<=\d)[{SPACES}]+(?=[{_HAN}])|(?<=[{_HAN}])[{SPACES}]+(?=\d)")


def _beside_chinese(text: str, index: int) -> bool:
    """Whether the nearest non-space character before or after ``index`` is a Chinese character."""
    before = text[:index].rstrip()
    after = text[index + 1:].lstrip()
    return bool(before and _is_han(before[-1])) or bool(after and _is_han(after[0]))


def _is_han(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"
