"""Figures in the narrative text of the facts (WR6xx), read with the prose parser (workreport.prose).

Which term counts which fact is declared per report kind (``prose_terms`` in relations.yaml);
years since an event and anniversaries are read against the calendar (data/calendar.yaml).
"""

from __future__ import annotations

from collections.abc import Iterable

from ..facts import Path_, dotted
from ..prose import ProseFigure, scan
from ..quantity import Quantity, ranges_overlap
from ..rules.derive import per_derivation, relations_of
from ..rules.relations import Context, ProseTerms, calendar_names, find_in_calendar
from ..schema import Facts
from . import ERROR, Finding, check, finding, text_fields


@check("WR601", ERROR, "叙述文字中的数字与事实不符")
def prose_figure_differs(facts: Facts, ctx: Context) -> Iterable[Finding]:
    """叙述文字中的数字与同一件事的事实数字不符。

    事实文件中的叙述性文字（创新做法、亮点、典型等）里如果写了数字，如“新增计生特困家庭8户”
    “共投35万元”，程序找出同一分句中数字前面的说法，按关系文件中的 prose_terms
    找到它对应的事实（如 计生特困家庭 → 生育关怀.亲情关爱.现有户数），再比较两个数字。
    约数按范围比较（1100多户 可以是 1100–1200 户，三四十户 是 30–40 户），单位不同时不比较；
    说法写在数字后面（新增8户计生特困家庭）时不比较，因为数字前面的词（新增）另有所指。
    改正：文字中不要重复写数字，或者改成与事实一致的数字。
    """
    terms = prose_terms(facts)
    if not terms:
        return
    for path, figure in _figures(facts, ctx):
        fact_path = terms.get(figure.term or "")
        fact = ctx.get(fact_path) if fact_path else None
        if not isinstance(fact, Quantity) or fact.unit != figure.quantity.unit:
            continue
        if ranges_overlap((fact.low, fact.high), (figure.low, figure.high)):
            continue
        derived = "（由其他数字推算）" if fact_path in ctx.derived else ""
        yield finding("WR601", facts, path,
                      f"{dotted(path)} 中写“{figure.term}{figure.text}”，但 {dotted(fact_path)} 是 {fact}{derived}",
                      offset=figure.start, expected=str(fact), actual=figure.text, others=[fact_path])


def stale_years_since(facts: Facts, ctx: Context) -> Iterable[Finding]:
    """“改革开放30年来” in narrative text against the calendar (reported as WR401, like the fact)."""
    yield from _calendar_findings("WR401", "年", facts, ctx)


def stale_anniversaries(facts: Facts, ctx: Context) -> Iterable[Finding]:
    """“成立35周年” in narrative text against the calendar (reported as WR402, like the fact)."""
    yield from _calendar_findings("WR402", "周年", facts, ctx)


def prose_terms(facts: Facts) -> dict[str, Path_]:
    """The report kind's term → fact mapping (all prose_terms entries of relations.yaml)."""
    terms: dict[str, Path_] = {}
    for relation in relations_of(facts):
        if isinstance(relation, ProseTerms):
            terms.update(relation.terms)
    return terms


def _calendar_findings(code: str, unit: str, facts: Facts, ctx: Context) -> Iterable[Finding]:
    """Findings for prose figures in ``unit`` (年 or 周年) counted from a calendar entry that disagree with the year."""
    for path, figure in _figures(facts, ctx):
        entry = find_in_calendar(ctx.calendar, figure.term or "")
        if entry is None or figure.quantity.unit != unit or figure.is_year:
            continue
        right = ctx.year - entry["年份"]
        if figure.low <= right <= figure.high:
            continue
        yield finding(code, facts, path,
                      f"{dotted(path)} 中写“{figure.term}…{figure.text}”，但{figure.term}是 {entry['年份']} 年，"
                      f"{ctx.year} 年应为 {right}{unit}",
                      offset=figure.start, expected=f"{right}{unit}", actual=figure.text)


@per_derivation
def _figures(facts: Facts, ctx: Context) -> list[tuple[Path_, ProseFigure]]:
    """Every figure with a counted term (a prose term or a calendar name) in the facts' text fields.

    Three checks read them (WR601, WR401, WR402): the text is scanned once per facts file and derivation.
    """
    terms = [*prose_terms(facts), *calendar_names(ctx.calendar)]
    return [(path, figure) for path, text in text_fields(facts, ctx)
            for figure in scan(text, terms, require_term=True)
            if figure.term and figure.term_at < figure.start]  # 新增8户计生特困家庭: the 8 is not the fact the term names
