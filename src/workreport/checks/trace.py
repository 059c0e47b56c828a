"""Figures of an edited report against the facts (WR61x): run by ``workreport check FACTS --report``.

The work is done by the trace stage (workreport.trace); these entries give the codes their
severity, title and the documentation ``workreport explain`` prints.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..rules.relations import Context
from ..schema import Facts
from . import ERROR, INFO, Finding, check


@check("WR611", ERROR, "总结中的数字与事实不符")
def contradicts(facts: Facts, ctx: Context) -> Iterable[Finding]:
    """改写后的总结（Word/WPS 中编辑过的 .docx 或 .txt）中的数字与事实文件不一致。

    程序按数字所计的事物、单位、年份和所在部分，把正文中的每个数字对应到事实文件中的一项。
    对上了但数值不同，说明正文或事实文件有一处写错了（如事实文件写现有户数 180，正文写181户）。
    提示中写明事实在事实文件中的行号和正文应写的数字。
    改正：以事实文件为准改正正文；若正文是对的，先改事实文件，再运行 make check。
    只在 workreport check 事实文件 --report 总结.docx 时运行。
    """
    return []


@check("WR612", ERROR, "总结中推算的说法已过时")
def outdated(facts: Facts, ctx: Context) -> Iterable[Finding]:
    """正文中由程序推算的说法与本年度不符：成立N周年、改革开放N年来、开展N年来、N大基地、
    比上年增加N户、五年计划的收官之年。

    这些说法每年都变，从往年总结中复制来的句子最容易留下错误（参考报告 2016 年仍写“成立35周年”）。
    周年数和年数按纪年表（data/calendar.yaml）和事实文件的开始年份推算，基地数按列出的基地，
    比上年的增减按上年事实文件。
    改正：改成提示中的说法；用 workreport build 事实文件 --report 草稿.docx 可自动刷新。
    只在 workreport check 事实文件 --report 总结.docx 时运行。
    """
    return []


@check("WR613", INFO, "总结中的数字没有对应的事实")
def untraced(facts: Facts, ctx: Context) -> Iterable[Finding]:
    """正文中的数字在事实文件中找不到对应的一项（提示，不算错误）。

    工作人员在 Word/WPS 中补写的内容常有新的数字；句子写的是往年的数字（“2015年我们争取…”）
    时也列在这里，而不算错。列出它们，是为了让人决定要不要把这个数字补进事实文件：补进后
    每年转入新年度时可以核对和更新，不补也可以。
    只在 workreport check 事实文件 --report 总结.docx 时运行。
    """
    return []
