"""Changing any single figure of the shipped facts that takes part in a declared relation, in the
direction that breaks the relation, makes ``workreport check`` exit 1 with an error naming that
figure's file and line.  The figures are read from relations.yaml itself, not listed here.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from workreport.cli import main
from workreport.facts import dotted
from workreport.pipeline import load_facts
from workreport.quantity import Quantity
from workreport.rules import relations as r
from workreport.rules.derive import derive, relations_of
from workreport.rules.relations import PREVIOUS, leading_count
from workreport.quantity import chinese_numeral

ROOT = Path(__file__).resolve().parents[2]


def _figures() -> list:
    """(path, new value) for every stated figure of a relation that can be decided from the stated facts."""
    facts = load_facts(ROOT / "facts" / "2016.yaml")
    ctx = derive(facts)
    out: dict = {}
    for relation in relations_of(facts):
        for rel in relation.instances(ctx):
            for path, value in _breaking(rel, ctx):
                out.setdefault(path, value)
    return [pytest.param(path, value, id=dotted(path)) for path, value in out.items()]


def _breaking(rel: r.Relation, ctx: r.Context) -> list:
    """Each stated figure of ``rel`` with a value that breaks it (empty when the relation has an unstated figure)."""
    stated = lambda p: ctx.stated(p) if p[0] != PREVIOUS else ctx.get(p) is not None  # noqa: E731
    if isinstance(rel, r.Sum):
        parts = [p for pattern in rel.parts for p in ctx.expand(pattern)]
        return [(p, _plus(ctx.get(p))) for p in [rel.total, *parts]] if all(map(stated, [rel.total, *parts])) else []
    if isinstance(rel, r.StockFlow):
        paths = [rel.closing, rel.opening, *rel.inflow, *rel.outflow]
        return [(p, _plus(ctx.get(p))) for p in paths] if all(map(stated, paths)) else []
    if isinstance(rel, r.AtMost):
        if not (stated(rel.part) and stated(rel.limit)):
            return []
        part, limit = ctx.get(rel.part), ctx.get(rel.limit)
        return [(rel.part, int(limit.high) + 1), (rel.limit, max(int(part.low) - 1, 0))] if part.low >= 1 else [(rel.part, int(limit.high) + 1)]
    if isinstance(rel, r.Percent):
        return [(p, "101%") for p in rel.paths if stated(p)]
    if isinstance(rel, r.Same):
        return [(p, _plus(ctx.get(p))) for p in rel.paths] if all(map(stated, rel.paths)) else []
    if isinstance(rel, r.CountOf):
        out = [(rel.count, _plus(ctx.get(rel.count)))] if stated(rel.count) and ctx.get(rel.list) else []
        name = ctx.get(rel.named) if rel.named else None
        if name and ctx.get(rel.list) and leading_count(name) is not None:
            out.append((rel.named, re.sub(r"^[一二两三四五六七八九十]+", chinese_numeral(leading_count(name) + 1), name)))
        return out
    if isinstance(rel, r.YearsSince | r.Anniversary):
        return [(rel.target, _plus(ctx.get(rel.target)))] if stated(rel.target) else []
    if isinstance(rel, r.Period):
        years = [(*rel.path, "起始年份"), (*rel.path, "结束年份")]
        return [(p, ctx.get(p) + 1) for p in years] if all(map(stated, years)) else []
    if isinstance(rel, r.InYear):
        return [(p, (ctx.get(p) + dt.timedelta(days=366)).isoformat()) for p in rel.paths if stated(p)]
    return []  # Dated only warns by design; ProseTerms has no figure of its own


def _plus(q: Quantity) -> str:
    """The same figure one unit larger, written the way staff write it."""
    return str(Quantity(q.value + q.scale, q.unit, q.approx, q.scale))


def test_the_relations_have_figures_to_change():
    assert len(_figures()) >= 10


@pytest.mark.parametrize(("path", "value"), _figures())
def test_breaking_a_figure_is_an_error_at_its_line(path, value, facts_dir, monkeypatch, capsys):
    in_previous = path[0] == PREVIOUS
    target = facts_dir / ("2015.yaml" if in_previous else "2016.yaml")
    facts = load_facts(target, with_previous=False)
    line, column = facts.raw.where(path[1:] if in_previous else path)
    text = target.read_text(encoding="utf-8").splitlines(keepends=True)
    written = re.match(r"\S+", text[line - 1][column - 1:]).group()
    text[line - 1] = text[line - 1][: column - 1] + str(value) + text[line - 1][column - 1 + len(written):]
    target.write_text("".join(text), encoding="utf-8")
    monkeypatch.chdir(facts_dir.parent)

    assert main(["check", "facts/2016.yaml", "--format", "json"]) == 1
    findings = json.loads(capsys.readouterr().out)
    named = {(Path(f).name, ln) for item in findings if item["severity"] == "error"
             for f, ln in [(item["file"], item["line"]), *((x["file"], x.get("line")) for x in item.get("related", []))]}
    assert (target.name, line) in named, f"{dotted(path)} → {value}: {findings}"
