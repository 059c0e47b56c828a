"""The assembled report: what the rule layer hands to the renderers.

Plain data, no behaviour: every string is final Chinese text, every figure already formatted.
"""

from __future__ import annotations

import datetime as dt

import msgspec

# Paragraph kinds, each mapped to one paragraph style of the .docx template (the title is Report.title).
HEADING1 = "heading1"  # 一、… (黑体)
HEADING2 = "heading2"  # (一)… (楷体)
BODY = "body"  # 仿宋, first-line indent two characters


class Paragraph(msgspec.Struct, frozen=True):
    """One paragraph of the report body and the kind that selects its style."""

    text: str
    kind: str = BODY


class Attachment(msgspec.Struct, frozen=True):
    """附件: a table of key figures with last year's values and the change."""

    title: str
    header: list[str]
    rows: list[list[str]]


class Report(msgspec.Struct):
    """A whole work summary: title, body paragraphs in order, signature, optional attachment."""

    title: str
    paragraphs: list[Paragraph]
    unit: str  # 落款单位
    date: dt.date  # 成文日期
    attachment: Attachment | None = None
    sections: list[str] = msgspec.field(default_factory=list)  # ids of the sections present, in order

    def text(self) -> str:
        """The report as plain text, one paragraph a line (for tests, lint and previews)."""
        lines = [self.title, *(p.text for p in self.paragraphs)]
        lines += [self.unit, format_date(self.date)]
        return "\n".join(lines)


def format_date(date: dt.date) -> str:
    """A date as GB/T 9704 writes it: Arabic numerals, full year, no zero padding."""
    return f"{date.year}年{date.month}月{date.day}日"
