"""Checks over the relations declared in templates/<kind>/relations.yaml (WR1xx–WR4xx).

Each check picks the conflicts of one relation rule and gives them a code; the logic of
what conflicts lives with the relation itself (rules/relations.py), once.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..rules import items
from ..rules.derive import per_derivation, relations_of
from ..rules.relations import Conflict, Context
from ..schema import Facts
from . import ERROR, WARNING, Finding, check, finding, from_conflict, prose


def _conflicts(code: str, facts: Facts, ctx: Context, *rules: str) -> Iterable[Finding]:
    """Findings for every conflict of the given relation rules, under ``code``."""
    for conflict in _all_conflicts(facts, ctx):
        if conflict.rule in rules:
            yield from_conflict(code, facts, conflict)


@per_derivation
def _all_conflicts(facts: Facts, ctx: Context) -> list[Conflict]:
    """Every conflict of the kind's relations, in their order: fourteen checks pick theirs from one pass."""
    return [conflict for relation in relations_of(facts) for instance in relation.instances(ctx)
            for conflict in instance.conflicts(ctx)]


@check("WR101", ERROR, "合计与各项之和不符")
def sum_mismatch(facts: Facts, ctx: Context) -> Iterable[Finding]:
    """合计与各项之和不符。

    关系文件中的 sum 关系声明“合计 = 各部分之和”（如 幸福工程 共投 = 争取资金 + 募捐款）。
    事实文件写了合计时，程序把各项相加（万元与元自动换算，约数按范围计算），
    只有在任何取值下都对不上时才报错。
    改正：核对各项金额和合计，改正写错的一处；或删去合计，让程序推算。
    """
    return _conflicts("WR101", facts, ctx, "sum")


@check("WR102", ERROR, "年末数与上年数、增减不符")
def stock_flow_mismatch(facts: Facts, ctx: Context) -> Iterable[Finding]:
    """年末数与上年数、新增、退出不符。

    stock_flow 关系声明“年末数 = 上年数 + 新增 − 退出”，上年数取自上一年度的事实文件
    （如 2015 年末 178 户 + 新增 8 户 − 退出 6 户 = 180 户）。
    改正：核对新增、退出和现有数；若上年数有误，改正上一年度的事实文件。
    """
    return _conflicts("WR102", facts, ctx, "stock_flow")


@check("WR103", ERROR, "本县工作项目的合计与各项之和不符")
def own_total_mismatch(facts: Facts, ctx: Context) -> Iterable[Finding]:
    """本县自己的工作项目（其他工作）中，写明的合计与各项之和不符。

    事实文件的“其他工作”每一项可以声明合计，如
    `合计: [发放资金 = 发放助学金 + 发放生活补助]`。“数字”中写了合计（发放资金: 30万元）时，
    程序把各项相加核对（万元与元自动换算，约数按范围计算）；没有写时由程序算出，总结照样写出。
    改正：核对各项和合计，改正写错的一处；或删去“数字”中的合计，让程序推算。
    """
    for relation in items.relations(facts.values):
        for conflict in relation.conflicts(ctx):
            yield from_conflict("WR103", facts, conflict)


@check("WR104", ERROR, "本县工作项目的声明有误")
def own_item_declaration(facts: Facts, ctx: Context) -> Iterable[Finding]:
    """本县自己的工作项目（其他工作）的“合计”或“沿用”写得不对，或同一部分有两项同名。

    “合计”每条写成“合计名 = 一项 + 另一项”，各项必须是这一项“数字”中写了的名称，且单位相同
    （元与万元可以相加，元与人不能）；“沿用”列出的名称也必须在“数字”中。同一部分下两项工作
    同名时，新的一年和附件对比表无法分辨上年是哪一项。
    改正：按提示改正名称（与“数字”中的写法一字不差），或删去这一条声明；同名的两项合并或改名。
    """
    for path, message, others in items.declaration_problems(facts.values, facts.raw.data):
        yield finding("WR104", facts, path, message, others=others)


@check("WR201", ERROR, "部分超过了整体")
def part_exceeds_whole(facts: Facts, ctx: Context) -> Iterable[Finding]:
    """部分超过了整体。

    at_most 关系声明一个数不能超过另一个数：体检的家庭数不能超过现有特困家庭数，
    覆盖的乡镇数不能超过全县乡镇数，退出数不能超过上年数。
    改正：核对两个数字，改正写错的一处。
    """
    return _conflicts("WR201", facts, ctx, "at_most")


@check("WR202", ERROR, "百分比超出 0–100")
def percent_out_of_range(facts: Facts, ctx: Context) -> Iterable[Finding]:
    """百分比超出 0%–100%。

    percent 关系列出的比例（建会比例、计划生育率等）只能在 0% 到 100% 之间。
    改正：写成百分数，如 90%。
    """
    return _conflicts("WR202", facts, ctx, "percent")


@check("WR203", ERROR, "同一数字前后不一致")
def same_figure_differs(facts: Facts, ctx: Context) -> Iterable[Finding]:
    """同一个数字写在几处，前后不一致。

    same 关系列出的几处说的是同一件事，数字必须一致（约数按范围比较）。
    改正：统一成正确的数字；最好只写一处，其他地方由模板引用。
    """
    return _conflicts("WR203", facts, ctx, "same")


@check("WR301", ERROR, "条数与列出的项数不符")
def count_differs_from_list(facts: Facts, ctx: Context) -> Iterable[Finding]:
    """写明的条数与列出的项数不符（如“8大基地”只列了六个）。

    count_of 关系声明条数等于列表的项数。列表完整时必须相等；列表以“等”结尾时，
    条数少于列出的项数为错误，多于列出的项数为警告。
    改正：删去手写的条数让程序推算，或补全、改正列表。
    """
    return _conflicts("WR301", facts, ctx, "count_of")


@check("WR302", ERROR, "固定说法中的数字与条目数不符")
def named_count_differs(facts: Facts, ctx: Context) -> Iterable[Finding]:
    """“六有”“五到位”这类说法中的数字与列出的条目数不符。

    名称中的数字（六、五、两……）必须等于“内容”的条数；列表以“等”结尾时只提示。
    改正：改正名称（如 七有），或补全、删减内容。
    """
    return _conflicts("WR302", facts, ctx, "count_of.named")


@check("WR401", ERROR, "年数与开始年份不符")
def years_since_mismatch(facts: Facts, ctx: Context) -> Iterable[Finding]:
    """“N年来”与开始年份不符，或开始年份不早于本年度（会写成“零年来”）。

    years_since 关系：年数 = 本年度 − 开始年份（改革开放从 1978 年算起）。
    2016 年的总结写“改革开放30年来”就是沿用了旧稿，应为 38 年。叙述文字（创新做法、亮点等）
    里写的“改革开放N年来”“新中国成立N年来”也按纪年表核对；`workreport lint` 对已有总结用同一代码。
    改正：删去手写的年数让程序推算，或改正开始年份；项目本年度才开始时删去开始年份（正文改写
    “开展以来”）；叙述文字中改成正确的年数。
    """
    yield from _conflicts("WR401", facts, ctx, "years_since", "years_since.future")
    yield from prose.stale_years_since(facts, ctx)


@check("WR402", ERROR, "成立周年数不符")
def anniversary_mismatch(facts: Facts, ctx: Context) -> Iterable[Finding]:
    """成立周年数与成立年份不符，或纪年表中没有这个组织（这一情形只是警告：总结略去周年的说法）。

    anniversary 关系：周年数 = 本年度 − 成立年份（纪年表：中国计生协会 1980 年成立）。
    2016 年写“成立35周年”是 2015 年的说法，应为 36 周年。叙述文字里的“成立N周年”也按纪年表核对；
    `workreport lint` 对已有总结用同一代码。
    本年度不晚于成立年份时（如 1979 年的总结庆祝 1980 年成立的中国计生协会）写不出“成立N周年”，也报这一错误。
    改正：删去手写的周年数让程序推算；组织名称请用纪年表中的写法；叙述文字中改成正确的周年数；
    本年度还谈不上周年时核对年度，或删去庆祝成立周年。
    """
    yield from _conflicts("WR402", facts, ctx, "anniversary", "anniversary.unknown", "anniversary.before")
    yield from prose.stale_anniversaries(facts, ctx)


@check("WR403", ERROR, "计划起止年份不符")
def plan_period_mismatch(facts: Facts, ctx: Context) -> Iterable[Finding]:
    """计划的起止年份与名称或本年度不符。

    “五年计划”应正好五年；“十三五”是 2016–2020 年。
    改正：核对起始年份和结束年份。本年度不在计划期内是另一项检查（WR406，警告）。
    """
    return _conflicts("WR403", facts, ctx, "period.length", "period.plan")


@check("WR406", WARNING, "本年度不在计划期内")
def plan_not_current(facts: Facts, ctx: Context) -> Iterable[Finding]:
    """本年度不在计划（如青春健康教育五年计划）的起止年份之内。

    计划已经结束（新年度的文件沿用了上一年的计划）或还没有开始时，总结不写“在……的收官之年”
    这半句，其余照常生成，所以这只是警告。
    改正：有新的计划时，把名称、起始年份和结束年份改成新计划的；没有时删去整个“五年计划”。
    """
    return _conflicts("WR406", facts, ctx, "period.outside")


@check("WR404", WARNING, "往年的数字写在本年度总结中")
def figure_of_another_year(facts: Facts, ctx: Context) -> Iterable[Finding]:
    """注明年份的数字不是本年度的。

    dated 关系列出的数字（项目资金、投保金额等）带有所属年份。年份不是本年度时，
    多半是沿用了旧稿，没有更新（参考稿把 2015 年的 10万元、50余万写进了 2016 年总结）。
    改正：换成本年度的数字；确需引用往年数字时保留年份，正文会写明“2015年”。
    """
    return _conflicts("WR404", facts, ctx, "dated")


@check("WR405", ERROR, "日期不在本年度内")
def date_outside_year(facts: Facts, ctx: Context) -> Iterable[Finding]:
    """日期（如成文日期）不在本年度内。

    in_year 关系列出的日期必须属于总结的年度。
    改正：改正日期或年度。
    """
    return _conflicts("WR405", facts, ctx, "in_year")
