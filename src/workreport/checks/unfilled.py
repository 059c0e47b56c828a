"""Facts still to fill in (WR0xx): values left as the marker 待填, which ``new-year`` writes for this year's flows."""

from __future__ import annotations

from collections.abc import Iterable

from ..facts import dotted, walk
from ..rules.relations import Context
from ..schema import UNFILLED, Facts, is_unfilled, schema_at
from . import ERROR, Finding, check, finding


@check("WR001", ERROR, "还有待填写的项目")
def unfilled_value(facts: Facts, ctx: Context) -> Iterable[Finding]:
    """一项内容还写着“待填”。

    新建下一年度的事实文件（workreport new-year）时，本年度才有的数字（新增、退出、资金、
    活动等）被清空并写上“待填”，以免沿用上一年的数字。这里列出每一项还没有填写的内容。
    改正：把“待填”换成本年度的实际数字或内容；本年度确实没有这一项时，删去这一行。
    """
    for path in (path for path, value in walk(facts.raw.data) if is_unfilled(value)):
        node = schema_at(facts.kind.schema, path) or {}
        hint = f"（{node['description']}）" if node.get("description") else ""
        yield finding("WR001", facts, path, f"{dotted(path)} 还没有填写{hint}，写的仍是“{UNFILLED}”",
                      expected="本年度的实际内容", actual=UNFILLED)
