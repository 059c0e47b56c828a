"""Assemble the report: sections in the outline's order, numbered by what is present.

Entry point: ``assemble(facts, ctx)`` renders each section's paragraph template with the
derived figures and returns a ``Report``.  A section with no facts is left out and the
ordinals close up; a section whose template yields no text is reported, never printed blank.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from ..errors import FactsError, Problem
from ..model import BODY, HEADING1, Paragraph, Report
from ..quantity import ordinal
from ..render import text as text_render
from ..schema import Facts
from .attachment import key_figures
from .relations import Context
from .yoy import changes

REQUIRED_FOR_REPORT = ("标题", "简称", "县名", "成文日期")


@dataclass
class Assembly:
    """The report and what assembly noticed on the way (sections left out or empty)."""

    report: Report
    notes: list[Problem] = field(default_factory=list)


def assemble(facts: Facts, ctx: Context) -> Assembly:
    """Build the Report from the derived facts and the kind's outline and templates."""
    missing = [key for key in REQUIRED_FOR_REPORT if ctx.values.get(key) is None]
    if missing:
        raise FactsError([facts.raw.problem((), f"生成总结需要填写“{key}”") for key in missing])
    outline = facts.kind.outline
    folder = facts.kind.text_folder
    paragraphs: list[Paragraph] = []
    notes: list[Problem] = []
    present: list[str] = []
    for section, context in section_contexts(outline, ctx):
        sid = section["id"]
        body = split_paragraphs(text_render.render(folder, section["template"], context))
        if not body:
            notes.append(facts.raw.problem((sid,), f"“{sid}”部分有事实但没有生成任何文字，已略去；请检查模板 {section['template']}"))
            continue
        present.append(sid)
        paragraphs.append(Paragraph(ordinal(len(present), "一、") + section["heading"], HEADING1))
        paragraphs += [Paragraph(p, BODY) for p in body]
    if outline.get("closing"):
        closing = split_paragraphs(text_render.render(folder, outline["closing"], template_context(ctx)))
        if closing and ctx.values.get("执笔人"):
            closing[-1] += f"（{ctx.values['执笔人']}）"
        paragraphs += [Paragraph(p, BODY) for p in closing]
    report = Report(
        title=ctx.values["标题"],
        paragraphs=paragraphs,
        unit=ctx.values.get("单位"),
        date=ctx.values["成文日期"],
        sections=present,
        attachment=key_figures(outline, ctx) if ctx.values.get("附件") else None,
    )
    return Assembly(report, notes)


def template_context(ctx: Context) -> dict:
    """What every template sees: the facts, 上年 (last year's) and 变化 (this year against last)."""
    return {**ctx.values, "上年": ctx.previous, "变化": changes(ctx.values, ctx.previous)}


def section_contexts(outline: dict, ctx: Context) -> Iterator[tuple[dict, dict]]:
    """Each outline section that has facts, with its template's context: the section's own keys
    (and their 变化) reachable by name, and 序号 giving its sub-items' ordinals."""
    base = template_context(ctx)
    for section in outline.get("sections", []):
        values = ctx.values.get(section["id"])
        if not values:
            continue
        change = base["变化"]
        yield section, {**base, **values, "变化": {**change, **change.get(section["id"], {})},
                        "序号": text_render.Ordinals(section.get("ordinals", "一是"))}


def split_paragraphs(text: str) -> list[str]:
    """Rendered template text to paragraphs: a blank line separates them, line breaks inside are joined."""
    blocks = re.split(r"\n\s*\n", text.strip())
    return [re.sub(r"\s*\n\s*", "", block).strip() for block in blocks if block.strip()]
