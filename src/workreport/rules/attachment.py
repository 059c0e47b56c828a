"""附件1: the year's key figures beside last year's, with the change and the growth rate.

The rows are declared in the kind's outline.yaml (``attachment.rows``: a label and a fact
path), followed by every figure of the facts file's own work items (其他工作); a figure missing
in either year shows "—" rather than a guess, and a row missing in both years is left out.
"""

from __future__ import annotations

from ..facts import parse_dotted
from ..model import Attachment
from ..quantity import Quantity
from . import items
from .relations import PREVIOUS, Context
from .yoy import SAME, UP, change, percent_text

NONE = "—"
HEADER = ["指标", "{year}年", "{previous}年", "增减", "增长率"]


def key_figures(outline: dict, ctx: Context) -> Attachment | None:
    """The attachment table, or None when the outline declares none."""
    spec = outline.get("attachment")
    if not spec:
        return None
    header = [h.format(year=ctx.year, previous=ctx.year - 1) for h in HEADER]
    rows = []
    for row in spec.get("rows", []):
        path = parse_dotted(row["路径"])
        current, previous = ctx.get(path), ctx.get((PREVIOUS, *path))
        if current is not None or previous is not None:  # a programme the county has in neither year is no row
            rows.append([row["名称"], *compare(current, previous)])
    rows += own_rows(ctx)
    return Attachment(f"{ctx.values.get('县名', '')}{ctx.year}年{spec['title']}", header, rows)


def own_rows(ctx: Context) -> list[list[str]]:
    """A row for every figure of the facts file's own work items (其他工作), beside last year's when
    last year's file has an item of the same name in the same section."""
    rows = []
    for path, item in items.own_items(ctx.values):
        name = item.get(items.NAME, "")
        for figure, value in (item.get(items.FIGURES) or {}).items():
            if isinstance(value, Quantity):
                before = items.previous_figure(ctx.previous, path, name, figure)
                rows.append([f"{name}：{figure}", *compare(value, before if isinstance(before, Quantity) else None)])
    return rows


def compare(current: Quantity | None, previous: Quantity | None) -> list[str]:
    """This year's figure, last year's, the change and the growth rate, as table cells.

    The change follows the year-over-year rules (rules/yoy.py): approximate figures give only
    the direction, a rate (%) changes by percentage points, and what cannot be compared is "—".
    """
    shown = [str(q) if q is not None else NONE for q in (current, previous)]
    item = change(current, previous)
    if item is None:
        return [*shown, NONE, NONE]
    if item.direction == SAME:
        return [*shown, SAME, "0%"]
    sign = "+" if item.direction == UP else "−"
    if item.difference is None:
        return [*shown, item.direction, NONE]
    if current.unit == "%":
        return [*shown, f"{sign}{item.difference.number_text()}个百分点", NONE]
    rate = f"{sign}{percent_text(item.rate)}" if item.rate is not None else NONE
    return [*shown, f"{sign}{item.difference}", rate]
