"""附件1: the year's key figures beside last year's, with the change and the growth rate.

The rows are declared in the kind's outline.yaml (``attachment.rows``: a label and a fact
path); a figure missing in either year shows "—" rather than a guess.
"""

from __future__ import annotations

from fractions import Fraction

from ..facts import parse_dotted
from ..model import Attachment
from ..quantity import Quantity
from .relations import PREVIOUS, Context

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
        rows.append([row["名称"], *compare(ctx.get(path), ctx.get((PREVIOUS, *path)))])
    return Attachment(f"{ctx.values.get('县名', '')}{ctx.year}年{spec['title']}", header, rows)


def compare(current: Quantity | None, previous: Quantity | None) -> list[str]:
    """This year's figure, last year's, the change and the growth rate, as table cells."""
    shown = [str(current) if current is not None else NONE, str(previous) if previous is not None else NONE]
    if current is None or previous is None:
        return [*shown, NONE, NONE]
    change = current.value - previous.value
    approx = "约" if not (current.exact and previous.exact) else ""
    step = Quantity(abs(change), current.unit, "", current.scale if (abs(change) / current.scale).denominator == 1 else 1)
    sign = "+" if change > 0 else "−" if change < 0 else ""
    rate = NONE if previous.value == 0 else f"{approx}{sign}{_percent(abs(change) / previous.value)}"
    return [*shown, f"{approx}{sign}{step}" if change else "持平", rate if change else "0%"]


def _percent(ratio: Fraction) -> str:
    """A ratio as a percentage with one decimal: 2/178 → 1.1%."""
    return f"{float(ratio) * 100:.1f}%"
