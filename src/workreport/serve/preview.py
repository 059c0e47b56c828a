"""The report's paragraphs as the page previews them, each figure a link to the field it comes from.

Entry point: ``preview_html(facts, ctx)``.  The paragraphs are the ones ``build`` writes
(rules.assemble); a fact the report still needs is given the stand-in that check's WR002
uses, so the preview shows the whole report while staff fill it in, and says what is missing.
A figure is found in the text by how it is written (1100多户, 30万元, 2007年): where two facts
are written alike, the link goes to the first of them in the file.
"""

from __future__ import annotations

import re
from typing import Any

from markupsafe import Markup, escape

from ..facts import Path_, dotted, walk
from ..model import HEADING1, HEADING2, format_date
from ..quantity import Quantity
from ..rules.assemble import trial_assembly
from ..schema import UNFILLED, Facts, schema_at


def preview_html(facts: Facts, ctx: Any) -> Markup:
    """The report as HTML paragraphs with linked figures; missing facts named above it and marked in it."""
    try:
        return _preview(facts, ctx)
    except Exception as exc:  # noqa: BLE001 - the preview is a help, not the build: say why it is not there
        return Markup('<p class="note">预览暂不可用（{}）；检查结果不受影响，生成报告时会说明原因。</p>').format(str(exc)[:200])


def _preview(facts: Facts, ctx: Any) -> Markup:
    trial = trial_assembly(facts, ctx)
    if trial.assembly is None:
        raise ValueError("模板无法写出这份总结")
    missing, report = trial.missing, trial.assembly.report
    links = _figures(trial.values, facts.kind.schema, set(missing))
    out = []
    if missing:
        names = "、".join(dotted(p) for p in missing[:12]) + ("等" if len(missing) > 12 else "")
        out.append(Markup('<p class="note">还缺 {} 项，预览中暂以“待填”或 1 代替（标黄）：{}</p>').format(len(missing), names))
    out.append(Markup('<h3 class="r-title">') + _linked(report.title, links) + Markup("</h3>"))
    for paragraph in report.paragraphs:
        css = {HEADING1: "r-h1", HEADING2: "r-h2"}.get(paragraph.kind, "r-body")
        out.append(Markup('<p class="{}">').format(css) + _linked(paragraph.text, links) + Markup("</p>"))
    out.append(Markup('<p class="r-sign">{}<br>{}</p>').format(report.unit, format_date(report.date)))
    return Markup("\n").join(out)


def _figures(values: dict, schema: dict, missing: set[Path_]) -> dict[str, tuple[str, bool]]:
    """Each way a figure is written in the report → (its field's dotted path, whether it is a stand-in)."""
    links: dict[str, tuple[str, bool]] = {}
    for path, value in walk(values):
        if isinstance(value, Quantity):
            texts = [str(value)]
        elif isinstance(value, int) and not isinstance(value, bool) and (schema_at(schema, path) or {}).get("x-year"):
            texts = [f"{value}年"]
        else:
            continue
        for text in texts:
            links.setdefault(text, (dotted(path), tuple(path) in missing))
    return links


def _linked(text: str, links: dict[str, tuple[str, bool]]) -> Markup:
    """``text`` escaped, each figure of ``links`` a link to its field, each 待填 marked."""
    if not links:
        return escape(text)
    pattern = re.compile(r"(?<![\d.])(" + "|".join(map(re.escape, sorted(links, key=len, reverse=True))) + r"|" + UNFILLED + r")(?![\d.])")
    out, last = [], 0
    for match in pattern.finditer(text):
        out.append(escape(text[last:match.start()]))
        found = match.group()
        if found == UNFILLED:
            out.append(Markup('<mark class="missing">{}</mark>').format(found))
        else:
            key, stand_in = links[found]
            css = "fig missing" if stand_in else "fig"
            out.append(Markup('<a class="{}" href="#f-{}" data-key="{}">{}</a>').format(css, key, key, found))
        last = match.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)
