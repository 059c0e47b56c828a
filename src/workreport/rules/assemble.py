"""Assemble the report: sections in the outline's order, numbered by what is present.

Entry point: ``assemble(facts, ctx)`` renders each section's paragraph template with the
derived figures and returns a ``Report``.  A section with no facts is left out and the
ordinals close up; a section whose template yields no text is reported, never printed blank.
``missing_facts(facts, ctx)`` is what ``check`` reports as WR002: every fact the templates need that
the facts file lacks, so that what ``check`` accepts, ``build`` renders.  It is found by this assembly run
ahead on stand-ins (``trial_assembly``), unless the templates' lookups (``needs``) show nothing is missing.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import msgspec

from ..errors import FactsError, Problem
from ..facts import Path_, copy_tree, dotted, walk
from ..model import BODY, HEADING1, Paragraph, Report
from ..quantity import exact, ordinal
from ..render import text as text_render
from ..schema import Facts, schema_at
from . import needs
from .attachment import key_figures
from .derive import per_derivation
from .relations import PREVIOUS, Context
from .yoy import changes

REQUIRED_FOR_REPORT = ("标题", "简称", "县名", "成文日期")
MISSING_LIMIT = 100  # missing facts one trial assembly looks for before it stops


class Assembly(msgspec.Struct):
    """The report and what assembly noticed on the way (sections left out or empty)."""

    report: Report
    notes: list[Problem] = msgspec.field(default_factory=list)


def assemble(facts: Facts, ctx: Context) -> Assembly:
    """Build the Report from the derived facts and the kind's outline and templates.

    A fact the report needs but the facts file lacks is a FactsError at the facts file's line
    (``check`` reports the same as WR002 beforehand, so only ``build --force`` gets here).
    """
    missing = [(key,) for key in REQUIRED_FOR_REPORT if ctx.values.get(key) is None]
    if missing:
        raise FactsError([missing_fact_problem(facts, path) for path in missing])
    ahead = trial_assembly.kept(facts, ctx)
    if ahead is not None and not ahead.missing and ahead.assembly is not None:
        return ahead.assembly  # this very assembly ran ahead (build runs it before its checks)
    try:
        return _assemble(facts, ctx)
    except text_render.MissingFact as exc:
        raise FactsError(missing_fact_problem(facts, fact_path(exc, ctx))) from exc


def _assemble(facts: Facts, ctx: Context) -> Assembly:
    """The assembly proper; a missing fact escapes as MissingFact (with the section it was in)."""
    outline = facts.kind.outline
    folder = facts.kind.text_folder
    paragraphs: list[Paragraph] = []
    notes: list[Problem] = []
    present: list[str] = []
    for section, template, context in report_contexts(outline, ctx):
        if section is None:  # the closing
            closing = split_paragraphs(_render(folder, template, context, None))
            if closing and ctx.values.get("执笔人"):
                closing[-1] += f"（{ctx.values['执笔人']}）"
            paragraphs += [Paragraph(p, BODY) for p in closing]
            continue
        sid = section["id"]
        body = split_paragraphs(_render(folder, template, context, sid))
        if not body:
            notes.append(facts.raw.problem((sid,), f"“{sid}”部分有事实但没有生成任何文字，已略去；请检查模板 {section['template']}"))
            continue
        present.append(sid)
        paragraphs.append(Paragraph(ordinal(len(present), "一、") + section["heading"], HEADING1))
        paragraphs += [Paragraph(p, BODY) for p in body]
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
    return {**ctx.values, PREVIOUS: ctx.previous, needs.CHANGES: changes(ctx.values, ctx.previous)}


def report_contexts(outline: dict, ctx: Context) -> Iterator[tuple[dict | None, str, dict]]:
    """Each template the report is written from, in order, as (its outline section, or None for the closing;
    the template's name; its context)."""
    base = template_context(ctx)
    for section, context in section_contexts(outline, ctx, base):
        yield section, section["template"], context
    if outline.get("closing"):
        yield None, outline["closing"], base


def section_contexts(outline: dict, ctx: Context, base: dict | None = None) -> Iterator[tuple[dict, dict]]:
    """Each outline section that has facts, with its template's context: the section's own keys
    (and their 变化) reachable by name, and 序号 giving its sub-items' ordinals.  ``base``: template_context(ctx)."""
    base = base or template_context(ctx)
    for section in outline.get("sections", []):
        values = ctx.values.get(section["id"])
        if not values:
            continue
        change = base[needs.CHANGES]
        yield section, {**base, **values, needs.CHANGES: {**change, **change.get(section["id"], {})},
                        needs.ORDINALS: text_render.Ordinals(section.get("ordinals", "一是"))}


def split_paragraphs(text: str) -> list[str]:
    """Rendered template text to paragraphs: a blank line separates them, line breaks inside are joined,
    and the marks where a fact meets the sentence are made one."""
    blocks = re.split(r"\n\s*\n", text.strip())
    return [join_marks(re.sub(r"\s*\n\s*", "", block).strip()) for block in blocks if block.strip()]


# A run of clause marks arises where a fact's own closing mark meets the template's (“…贷款。” + “，”).
_MARK_RUN = re.compile("[，。；、：,;:]*[，。；、：]")


def join_marks(text: str) -> str:
    """One mark where a fact and the sentence each bring one: the sentence's (the last) stands.

    贷款。， → 贷款，　收益。。 → 收益。　做法；。 → 做法。  Question and exclamation marks,
    quotation marks and brackets are left as written.
    """
    return _MARK_RUN.sub(lambda m: m.group()[-1], text)


def _render(folder, name: str, context: dict, section: str | None) -> str:
    """One template rendered; a MissingFact learns which section's context it was looked up in."""
    try:
        return text_render.render(folder, name, context)
    except text_render.MissingFact as exc:
        exc.section = section
        raise


def fact_path(exc: text_render.MissingFact, ctx: Context) -> Path_:
    """The path in the facts of what a template missed: the mapping it looked in (found by identity
    among the facts' mappings) plus the key; a bare name is one of the section's own keys."""
    if exc.owner is None:
        return (exc.section, exc.name) if exc.section else (exc.name,)
    for path, value in walk(ctx.values):
        if value is exc.owner:
            return (*path, exc.name)
    return (exc.name,)


class Trial(msgspec.Struct):
    """Assembly run ahead: the facts the report needs but lacks, the figures with a stand-in for each, and the
    assembly they gave (None when a template failed for another reason: build reports that)."""

    missing: list[Path_]
    values: dict
    assembly: Assembly | None


@per_derivation
def trial_assembly(facts: Facts, ctx: Context) -> Trial:
    """Assembly on the derived figures; once a missing fact is found they are copied, it is given a stand-in value
    and assembly runs again, so that one check lists them all.  The last trial is kept: ``assemble`` of the same facts and
    figures with nothing missing is that assembly, and is not done twice."""
    trial = ctx  # copied, with a stand-in for each missing fact, only once one is found: most files lack none
    found: list[Path_] = [(key,) for key in REQUIRED_FOR_REPORT if ctx.values.get(key) is None]
    if found:
        trial = _copy(ctx)
    for path in found:
        trial.values[path[0]] = _stand_in(facts, path, ctx)
    assembly = None
    while len(found) < MISSING_LIMIT:
        try:
            assembly = _assemble(facts, trial)
            break
        except text_render.MissingFact as exc:
            path = fact_path(exc, trial)
            if trial is ctx:
                trial = _copy(ctx)
            if path in found or not _put(trial.values, path, _stand_in(facts, path, ctx)):
                break
            found.append(path)
        except Exception:  # noqa: BLE001 - not a missing fact: build reports it with the template's line
            break
    return Trial(found, trial.values, assembly)


def _copy(ctx: Context) -> Context:
    """The derived figures as a copy the trial may put stand-ins into."""
    trial = copy.copy(ctx)
    trial.values = copy_tree(ctx.values)
    return trial


def missing_facts(facts: Facts, ctx: Context) -> list[Path_]:
    """Every fact the report needs that the facts (after derivation) lack, in the order the report meets them.

    The trial assembly finds them.  When it has not run (build runs it first: the report is wanted anyway) and the
    templates' own text shows that every fact they may look up is there (``needs``), nothing is missing and
    the report is not written ahead: ``check`` then needs no Jinja."""
    ahead = trial_assembly.kept(facts, ctx)
    if ahead is None and lacks_nothing(facts, ctx):
        return []
    return (ahead or trial_assembly(facts, ctx)).missing


def lacks_nothing(facts: Facts, ctx: Context) -> bool:
    """Whether the figures surely hold every fact the outline's templates may look up (False: not known)."""
    if any(ctx.values.get(key) is None for key in REQUIRED_FOR_REPORT):
        return False
    outline = facts.kind.outline
    closing = outline.get("closing")
    names = [section["template"] for section in outline.get("sections", [])] + ([closing] if closing else [])
    lookups = needs.template_lookups(facts.kind.text_folder, sorted(set(names)))
    if lookups is None:
        return False
    return all(needs.nothing_missing(lookups[name], context) for _, name, context in report_contexts(outline, ctx))


def missing_fact_problem(facts: Facts, path: Path_) -> Problem:
    """A missing fact as staff read it: at the line of the group it belongs in, what to add there."""
    located = facts.raw.problem(missing_fact_anchor(path), missing_fact_message(facts, path))  # a line, or a workbook's cell
    return msgspec.structs.replace(located, key=dotted(path))


def missing_fact_anchor(path: Path_) -> Path_:
    """Where a missing fact is reported: its group's line; a top-level fact beside the unit's name (单位, always written)."""
    return path[:-1] if len(path) > 1 else ("单位",)


def missing_fact_message(facts: Facts, path: Path_) -> str:
    """What to write, and where: 在“生育关怀.少生快富”下填写“人均增收”（说明）."""
    node = schema_at(facts.kind.schema, path) or {}
    about = f"（{node['description']}）" if node.get("description") else ""
    parent = dotted(path[:-1])
    where = f"在“{parent}”下" if parent else "在文件中"
    if node.get("x-derived"):
        return (f"生成总结需要“{dotted(path)}”{about}；它由程序推算，但推算它所需的事实没有填写："
                f"请{where}填写括号中说到的那一项")
    whole = f"；这一部分本年度没有时，可删去整个“{parent}”" if parent else ""
    return f"生成总结需要“{dotted(path)}”{about}，事实文件中没有这一项：请{where}填写“{path[-1]}”{whole}"


def _stand_in(facts: Facts, path: Path_, ctx: Context) -> Any:
    """A value of the fact's kind that lets the trial assembly go on past it."""
    node = schema_at(facts.kind.schema, path) or {}
    if node.get("x-unit") is not None:
        return exact(1, node["x-unit"])
    kind = node.get("type")
    if kind == "array":
        return ["待填"]
    if kind == "object":
        return {}
    if kind == "integer":
        return ctx.year
    if node.get("x-date"):
        return ctx.values.get("成文日期") or dt.date(ctx.year, 12, 31)
    return "待填"


def _put(values: dict, path: Path_, value: Any) -> bool:
    """Set ``value`` at ``path`` in a facts tree (parents created as mappings); False when a step is not a mapping."""
    node: Any = values
    for key in path[:-1]:
        if isinstance(node, list) and isinstance(key, int) and key < len(node):
            node = node[key]
            continue
        if not isinstance(node, dict):
            return False
        node = node.setdefault(key, {})
    if not isinstance(node, dict):
        return False
    node[path[-1]] = value
    return True
