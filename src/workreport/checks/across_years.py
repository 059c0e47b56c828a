"""Checks across years (WR5xx): cumulative figures against last year's file.

Last year's closing figures as this year's openings are declared as stock_flow relations
(WR102); a previous-year file of the wrong year is refused when it is loaded.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..facts import Path_, display_path, dotted
from ..pipeline import previous_path
from ..rules.relations import PREVIOUS, Context
from ..schema import Facts, child_schema, resolve_ref
from . import ERROR, INFO, Finding, check, finding


@check("WR501", ERROR, "累计数比上年少")
def cumulative_decreased(facts: Facts, ctx: Context) -> Iterable[Finding]:
    """累计数比上一年度事实文件中的少。

    事实格式中标为累计（x-cumulative）的数字，如 少生快富 累计扶持户数、幸福工程 累计收益，
    只会逐年增加。今年的数比上年文件中的还少（约数按范围比较），多半是抄错了，
    或者把本年度新增数当成了累计数。
    改正：写累计数（上年累计 + 今年新增）；若上年的数字有误，改正上一年度的事实文件。
    """
    if facts.previous is None:
        return
    for path in cumulative_paths(facts.kind.schema, ctx.values):
        now, before = ctx.get(path), ctx.get((PREVIOUS, *path))
        if now is None or before is None or now.high >= before.low:
            continue
        yield finding("WR501", facts, path,
                      f"{dotted(path)} 是累计数，今年写的是 {now}，比上年的 {before} 还少",
                      expected=f"不少于 {before}", actual=str(now), others=[(PREVIOUS, *path)])


@check("WR502", INFO, "没有上年事实文件，年初数和累计数未核对")
def previous_year_missing(facts: Facts, ctx: Context) -> Iterable[Finding]:
    """找不到上一年度的事实文件，年初数（上年数）和累计数没有核对。

    “年末数 = 上年数 + 新增 − 退出”的上年数、累计数是否减少，都要用上一年度的事实文件核对。
    程序在同一文件夹中找“上一年度.yaml”（如 2015.yaml），或用“上年事实”指定的文件。
    改正：把上一年度的事实文件放在同一文件夹中（至少写上年末的户数等数字），或用“上年事实”指明它。
    这是提示，不影响检查结果。
    """
    if facts.previous is not None:
        return
    path, _ = previous_path(facts)
    yield finding("WR502", facts, ("年度",),
                  f"没有找到上一年度的事实文件 {display_path(path)}，年初数（上年数）和累计数未核对")


def cumulative_paths(schema: dict, values: Any) -> Iterable[Path_]:
    """Paths of every figure present in ``values`` whose schema marks it cumulative (x-cumulative), in file order;
    the tree and its schema are walked together, not the schema looked up from its root for every value."""
    stack = [((), values, schema)]
    while stack:
        path, value, node = stack.pop()
        node = resolve_ref(node, schema)
        if path and node.get("x-cumulative"):
            yield path
        if isinstance(value, dict):
            stack.extend(((*path, key), child, child_schema(node, key)) for key, child in reversed(value.items()))
        elif isinstance(value, list):
            items = node.get("items") or {}
            stack.extend(((*path, index), value[index], items) for index in range(len(value) - 1, -1, -1))
