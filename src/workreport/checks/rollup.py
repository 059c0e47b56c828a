"""Checks of a county's figures against its townships' (WR551–WR554).

They run only when the county has a township folder (see workreport.rollup): the key
乡镇事实, or the folder <county file name>/乡镇/ beside the county file.  Which figures
add up is declared in schema.json (``"x-additive": true``).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..facts import display_path, dotted
from ..quantity import Quantity, ranges_overlap
from ..rollup import Total, load_townships, township_folder, township_name, totals
from ..rules.relations import Context
from ..schema import Facts
from . import ERROR, WARNING, Finding, check, locate


def _townships(facts: Facts) -> tuple[Path | None, list[Facts]]:
    """The county's township folder and the townships' facts in it (none without a folder)."""
    folder = township_folder(facts)
    return folder, (load_townships(folder) if folder is not None else [])


def _county_findings(code: str, severity: str, facts: Facts, ctx: Context, test) -> Iterable[Finding]:
    """A finding at the county's figure for every additive total where ``test(total, county)`` gives a message."""
    for total in totals(_townships(facts)[1]):
        county = ctx.get(total.path)
        if not isinstance(county, Quantity):
            continue
        message = test(total, county)
        if message:
            file, line, column = locate(facts, total.path)
            yield Finding(code=code, severity=severity, message=message, file=file, line=line, column=column,
                          section=str(total.path[0]), key=dotted(total.path), expected=total.shown(), actual=str(county))


@check("WR551", ERROR, "各乡镇之和与全县数字不符")
def township_sum_differs(facts: Facts, ctx: Context) -> Iterable[Finding]:
    """全县的数字与各乡镇数字之和不符。

    schema.json 中标有 "x-additive": true 的数字（扶持户数、现有户数、各项金额等）
    全县应等于各乡镇之和。乡镇事实文件放在 乡镇事实 键指定的文件夹，或县事实文件旁
    “文件名/乡镇/”文件夹中（如 facts/2016/乡镇/大阁镇.yaml），每个乡镇一个文件，格式与县相同。
    约数按范围计算（500多 + 300 = 800–900），只有在任何取值下都对不上时才报错；
    提示信息列出每个乡镇的数字。
    改正：核对写错的乡镇或全县数字；也可运行 workreport rollup 乡镇文件夹 -o 县事实文件，
    由各乡镇数字重新汇总。
    """

    def differs(total: Total, county: Quantity) -> str | None:
        if not total.complete or ranges_overlap((county.low, county.high), (total.low, total.high)):
            return None
        return f"{dotted(total.path)}：各乡镇之和为 {total.shown()}（{total.breakdown()}），全县写的是 {county}"

    return _county_findings("WR551", ERROR, facts, ctx, differs)


@check("WR552", ERROR, "部分乡镇之和已超过全县数字")
def partial_sum_exceeds(facts: Facts, ctx: Context) -> Iterable[Finding]:
    """有的乡镇没有填写这个数字，而已填写的乡镇之和已经超过全县数字。

    不是每个乡镇都填写时无法核对合计，但已填写的部分不能超过全县。
    改正：核对全县数字和各乡镇数字；补全没有填写的乡镇。
    """

    def exceeds(total: Total, county: Quantity) -> str | None:
        if total.complete or total.low <= county.high:
            return None
        return (f"{dotted(total.path)}：已填写的乡镇之和至少为 {total.shown()}（{total.breakdown()}），"
                f"超过了全县的 {county}；未填写的乡镇：{'、'.join(total.missing)}")

    return _county_findings("WR552", ERROR, facts, ctx, exceeds)


@check("WR553", ERROR, "乡镇事实的年度与全县不符")
def township_year_differs(facts: Facts, ctx: Context) -> Iterable[Finding]:
    """乡镇事实文件的年度与县的年度不同。

    汇总只能用同一年度的数字；多半是把上一年的乡镇文件夹留在了原处。
    改正：换成本年度的乡镇事实文件，或改正乡镇文件中的 年度。
    """
    for township in _townships(facts)[1]:
        if township.year != facts.year:
            line, column = township.raw.where(("年度",))
            yield Finding(code="WR553", severity=ERROR, file=display_path(township.path), line=line, column=column, key="年度",
                          message=f"乡镇 {township_name(township)} 的年度是 {township.year}，全县是 {facts.year}",
                          expected=str(facts.year), actual=str(township.year))


@check("WR554", WARNING, "乡镇文件数与乡镇数不符")
def township_count_differs(facts: Facts, ctx: Context) -> Iterable[Finding]:
    """乡镇事实文件的个数与县的 乡镇数 不同，各乡镇之和可能不全。

    每个乡镇（街道）应有一个事实文件；缺了文件，WR551 比较的只是部分乡镇之和。
    改正：补齐乡镇事实文件，或改正 乡镇数。
    """
    folder, townships = _townships(facts)
    stated = facts.get(("乡镇数",))
    if folder is None or not isinstance(stated, Quantity):
        return
    if len(townships) != stated.value:
        file, line, column = locate(facts, ("乡镇数",))
        yield Finding(code="WR554", severity=WARNING, file=file, line=line, column=column, section="乡镇数", key="乡镇数",
                      message=f"乡镇数写的是 {stated}，乡镇事实文件夹 {display_path(folder)} 中有 {len(townships)} 个乡镇的文件"
                              f"（{'、'.join(township_name(t) for t in townships)}）",
                      expected=str(stated), actual=str(len(townships)))
