"""Derive the figures that follow from the facts: totals, years since, anniversaries, list counts.

Entry point: ``derive(facts)`` returns a Context whose values hold every stated and derived
figure, ready for the checks and the templates.
"""

from __future__ import annotations

import functools
from pathlib import Path

from ..facts import copy_tree
from ..kind import read_yaml
from ..schema import Facts
from . import items
from .relations import Context, Relation, parse_relations

CALENDAR = Path(__file__).resolve().parent.parent / "data" / "calendar.yaml"


def per_derivation(func):
    """``func(facts, ctx)``, done once for one facts file and its derivation, however many checks ask (a function
    that needs only the facts takes ``ctx`` too, as the key: a new derivation is a new check).

    The last result is kept with the facts and context it was for, held so that ``is`` cannot match a newer object
    at the same address, as one tuple read once, so that the page's threads never pair one file with another's
    result; ``func.kept(facts, ctx)`` is that result, or None when it was for others.  ``func`` never returns None.
    """
    last: list[tuple | None] = [None]

    def kept(facts: Facts, ctx: Context):
        entry = last[0]
        return entry[2] if entry is not None and entry[0] is facts and entry[1] is ctx else None

    @functools.wraps(func)
    def once(facts: Facts, ctx: Context):
        result = kept(facts, ctx)
        if result is None:
            result = func(facts, ctx)
            last[0] = (facts, ctx, result)
        return result

    once.kept = kept
    return once


@functools.lru_cache(maxsize=None)
def load_calendar() -> dict:
    """The calendar of founding years and five-year plans (data/calendar.yaml)."""
    return read_yaml(CALENDAR)


def relations_of(facts: Facts) -> list[Relation]:
    """The relations declared by the facts' report kind."""
    return _parsed(facts.kind)


@functools.lru_cache(maxsize=None)
def _parsed(kind) -> list[Relation]:
    return parse_relations(kind.relations, source=str(kind.folder / "relations.yaml"))


def derive(facts: Facts) -> Context:
    """Every figure of the report: stated ones as written, missing ones solved from the relations
    (the kind's relations.yaml, and the totals of the facts file's own work items).  Last year's figures
    are derived the same way, so that a total last year's file left to the program is a figure there too."""
    ctx = Context(
        values=copy_tree(facts.values),
        year=facts.year,
        previous=derive(facts.previous).values if facts.previous else None,
        calendar=load_calendar(),
    )
    relations = [*relations_of(facts), *items.relations(ctx.values)]  # the kind's, then the totals staff declared
    # Two passes let a derived figure feed another relation (a derived total used in a bound).
    for _ in range(2):
        for relation in relations:
            for instance in relation.instances(ctx):
                instance.solve(ctx)
    return ctx
