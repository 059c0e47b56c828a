"""本县自己的工作项目: the work items staff declare in a facts file, under any section's ``其他工作``.

An item has a 名称, an optional 说明, figures of staff's own naming (``数字``: name → figure with
its unit), the figures that carry into the new year (``沿用``) and totals of parts (``合计``,
each written ``发放资金 = 发放助学金 + 发放生活补助``).  Nothing about them is in the templates'
schema beyond this shape: this module reads the declarations and turns each total into a
``Sum`` relation, so that a total staff left out is derived and one they wrote is checked
(WR103), with the same logic as the kind's own relations.  ``declaration_problems`` lists what
cannot be meant (WR104): a total or carry naming no figure of the item, parts of different units,
two items of one name in a section.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import msgspec

from ..facts import Path_, lookup
from ..quantity import Quantity
from .relations import Relation, Sum

ITEMS, NAME, FIGURES, CARRIED, TOTALS = "其他工作", "名称", "数字", "沿用", "合计"
_SPLIT_TOTAL = r"\s*[=＝]\s*"  # compiled on first use (re keeps them): only a file with a 合计 line needs them
_SPLIT_PARTS = r"\s*[+＋]\s*"


class Total(msgspec.Struct, frozen=True):
    """One declared total: its figure's name, its parts' names, and where it was declared."""

    name: str
    parts: tuple[str, ...]
    declared: Path_  # the 合计 line: (section, 其他工作, index, 合计, n)


def own_items(values: dict) -> Iterator[tuple[Path_, dict]]:
    """Every own work item of a facts tree, with its path (section, 其他工作, index), in file order."""
    for section, group in values.items():
        if not isinstance(group, dict) or not isinstance(group.get(ITEMS), list):
            continue
        for index, item in enumerate(group[ITEMS]):
            if isinstance(item, dict):
                yield (section, ITEMS, index), item


def own_terms(values: dict) -> dict[str, Path_]:
    """The words that name each own figure in prose → its fact: the figure's name (受助女孩) and, to tell two
    items' figures of one name apart, the item's name before it (关爱女孩行动受助女孩).

    What the templates write (“受助女孩120人”) and what a reader of an edited report looks for: the
    own items' counterpart of relations.yaml's ``prose_terms``.  A figure name two items share is left
    to the longer form.
    """
    terms: dict[str, Path_] = {}
    shared: set[str] = set()
    for path, item in own_items(values):
        for figure in item.get(FIGURES) or {}:
            where = (*path, FIGURES, figure)
            terms[f"{item.get(NAME, '')}{figure}"] = where
            if figure in terms and terms[figure] != where:
                shared.add(figure)
            terms.setdefault(figure, where)
    return {term: where for term, where in terms.items() if term not in shared}


def parse_total(text: str) -> tuple[str, tuple[str, ...]] | None:
    """``发放资金 = 发放助学金 + 发放生活补助`` → ("发放资金", ("发放助学金", "发放生活补助")); None if not of that form."""
    sides = re.split(_SPLIT_TOTAL, str(text).strip())
    if len(sides) != 2 or not sides[0]:
        return None
    parts = tuple(p for p in re.split(_SPLIT_PARTS, sides[1]) if p)
    if len(parts) < 2 or "" in parts:
        return None
    return sides[0], parts


def totals(path: Path_, item: dict) -> list[Total]:
    """The well-formed totals an item declares (a malformed line is WR104's to report)."""
    out = []
    for number, text in enumerate(item.get(TOTALS) or []):
        parsed = parse_total(text)
        if parsed:
            out.append(Total(parsed[0], parsed[1], (*path, TOTALS, number)))
    return out


def relations(values: dict) -> list[Relation]:
    """A Sum relation for every declared total whose names are figures of the item (or the total not yet written)."""
    out: list[Relation] = []
    for path, item in own_items(values):
        figures = item.get(FIGURES) or {}
        for total in totals(path, item):
            if all(part in figures for part in total.parts):
                out.append(Sum(f"{item.get(NAME, '')}的{total.name}", total=(*path, FIGURES, total.name),
                               parts=[(*path, FIGURES, part) for part in total.parts]))
    return out


def declaration_problems(values: dict, written: dict) -> Iterator[tuple[Path_, str, list[Path_]]]:
    """(where, Chinese message, other facts involved) for every declaration that cannot be meant.

    ``written`` is the facts as written (``RawFacts.data``): a figure still 待填 is named, only not yet filled in.
    """
    seen: dict[tuple[str, str], Path_] = {}
    for path, item in own_items(values):
        name = str(item.get(NAME, ""))
        figures = {key: item.get(FIGURES, {}).get(key) for key in lookup(written, (*path, FIGURES)) or {}}
        earlier = seen.setdefault((path[0], name), path)
        if earlier != path:
            yield ((*path, NAME), f"“{path[0]}”下有两项工作都叫“{name}”；请合并成一项，或改用不同的名称"
                                  "（新的一年和附件按名称找上年的数字）", [(*earlier, NAME)])
        for number, carried in enumerate(item.get(CARRIED) or []):
            if carried not in figures:
                yield ((*path, CARRIED, number), f"“{name}”的沿用写了“{carried}”，但这一项的数字中没有它；"
                                                  f"{_choices(figures)}", [])
        yield from _total_problems(path, item, name, figures)


def _total_problems(path: Path_, item: dict, name: str, figures: dict) -> Iterator[tuple[Path_, str, list[Path_]]]:
    for number, text in enumerate(item.get(TOTALS) or []):
        where = (*path, TOTALS, number)
        parsed = parse_total(text)
        if parsed is None:
            yield where, f"“{name}”的合计“{text}”看不懂；应写成“合计名 = 一项 + 另一项”，如 发放资金 = 发放助学金 + 发放生活补助", []
            continue
        total, parts = parsed
        missing = [p for p in parts if p not in figures]
        if missing:
            yield where, f"“{name}”的合计“{text}”中的“{'、'.join(missing)}”不在这一项的数字中；{_choices(figures)}", []
            continue
        units = {figures[p].unit for p in parts if isinstance(figures[p], Quantity)}
        stated = figures.get(total)
        if isinstance(stated, Quantity):
            units.add(stated.unit)
        if len(units) > 1:
            yield where, (f"“{name}”的合计“{text}”把单位不同的数字（{'、'.join(sorted(units))}）相加；"
                          "只有单位相同的数字才能相加，请改正合计或数字的单位"), [(*path, FIGURES, p) for p in parts]


def _choices(figures: dict) -> str:
    names = "、".join(map(str, figures))
    return f"这一项的数字有：{names}" if names else "这一项还没有写数字"


def previous_item(previous: dict | None, section: str, name: str) -> dict | None:
    """Last year's item of the same name in the same section (items are matched by name, not position)."""
    for path, item in own_items(previous or {}):
        if path[0] == section and item.get(NAME) == name:
            return item
    return None


def previous_figure(previous: dict | None, path: Path_, name: str, figure: str) -> Any:
    """Last year's value of an own item's figure (derived as this year's are: a total left to the program is
    there too), or None when last year's file has no such item or figure."""
    item = previous_item(previous, path[0], name)
    return ((item.get(FIGURES) or {}) if item else {}).get(figure)
