"""Facts still to fill in (WR0xx): values left as the marker 待填, which ``new-year`` writes for this year's flows."""

from __future__ import annotations

from collections.abc import Iterable

import msgspec

from ..facts import dotted, walk
from ..quantity import Quantity
from ..rules.derive import per_derivation
from ..rules.relations import Context
from ..schema import UNFILLED, Facts, is_unfilled, schema_at
from . import ERROR, Finding, check, finding, section_of


@check("WR001", ERROR, "还有待填写的项目")
def unfilled_value(facts: Facts, ctx: Context) -> Iterable[Finding]:
    """一项内容还写着“待填”。

    新建下一年度的事实文件（workreport new-year）时，本年度才有的数字（新增、退出、资金、
    活动等）被清空并写上“待填”，以免沿用上一年的数字。这里列出每一项还没有填写的内容。
    改正：把“待填”换成本年度的实际数字或内容；列表写成 [甲, 乙] 或每行一项“- 甲”。
    本年度确实没有这一项时可以删去这一行，但总结的某句话离不开它时，检查会接着报 WR002
    （“生成总结需要……”），那时请填写它，或删去它所在的整个部分。
    """
    for path in unfilled_paths(facts, ctx):
        node = schema_at(facts.kind.schema, path) or {}
        hint = f"（{node['description']}）" if node.get("description") else ""
        form = "；这是列表，请写成 [甲, 乙]，或每行一项“- 甲”" if node.get("type") == "array" else ""
        yield finding("WR001", facts, path, f"{dotted(path)} 还没有填写{hint}，写的仍是“{UNFILLED}”{form}",
                      expected="本年度的实际内容", actual=UNFILLED)


@check("WR002", ERROR, "生成总结需要的事实没有写")
def needed_by_report(facts: Facts, ctx: Context) -> Iterable[Finding]:
    """总结的某句话要用到的事实，事实文件中没有写。

    可选的事实删去后，模板会略去用到它的那句话或那半句；但有些话离不开某项事实
    （如正文多处用到的县名、“保险”一段的合作单位），删去它就无法成文。检查时程序
    把总结试写一遍，列出每一项这样的事实，位置是它应在的分组所在的行。
    改正：在提示的分组下填写这一项；本年度确实没有这方面的工作时，删去整个分组（如整个
    “保险:”部分），总结会略去这一部分，后面的序号自动前移。由程序推算的数（如开展年数）
    缺少时，请填写推算它所需的事实（如开始年份）。
    """
    from ..rules.assemble import missing_fact_anchor, missing_fact_message, missing_facts

    unfilled = set(unfilled_paths(facts, ctx))
    for path in missing_facts(facts, ctx):
        derived = (schema_at(facts.kind.schema, path) or {}).get("x-derived")
        if path in unfilled or (derived and any(p[:-1] == path[:-1] for p in unfilled)):
            continue  # still 待填 (WR001), or derived from a fact beside it that is
        found = finding("WR002", facts, missing_fact_anchor(path), missing_fact_message(facts, path), expected=f"填写“{path[-1]}”", actual="没有写")
        yield msgspec.structs.replace(found, key=dotted(path), section=section_of(path))


@check("WR003", ERROR, "金额写的是 0")
def zero_amount(facts: Facts, ctx: Context) -> Iterable[Finding]:
    """一项金额写的是 0。

    总结会把它照样写出来（“共投0元”“投保0元”），读者只会以为漏填了。
    改正：没有这笔钱时删去这一项：资金来源中的一项删去整项（“- 来源: …”和它的“金额”两行），
    项目资金、投保金额删去整个分组（连同“年份”），人均增收等删去这一行；
    总结会略去相应的话。有这笔钱时写上实际金额。
    """
    for path, value in walk(facts.values):
        if isinstance(value, Quantity) and value.unit == "元" and value.exact and value.value == 0:
            whole = _whole_item(facts, path)
            yield finding("WR003", facts, path, f"{dotted(path)} 写的是 {value}，总结会照样写出“{value}”；"
                          f"没有这笔钱时请删去“{dotted(whole)}”这一{'整项' if whole != path else '行'}，有时请写实际金额",
                          expected=f"实际金额，或删去“{dotted(whole)}”", actual=str(value))


def _whole_item(facts: Facts, path: tuple) -> tuple:
    """What to delete with a zero amount: its list item or dated-amount group when the amount is required there."""
    parent = path[:-1]
    node = schema_at(facts.kind.schema, parent) or {}
    return parent if parent and path[-1] in node.get("required", []) else path


@per_derivation
def unfilled_paths(facts: Facts, ctx: Context) -> list:
    """Every fact still written as 待填 (WR001 lists them, WR002 leaves them to it)."""
    return [path for path, value in walk(facts.raw.data) if is_unfilled(value)]
