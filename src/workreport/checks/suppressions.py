"""Suppressions (WR9xx): ``# 忽略 WR404: 原因`` on a fact's line silences that finding there.

Entry point: ``apply_suppressions(facts, findings)`` splits the findings into those still
reported and those silenced, and adds a warning for every suppression that silenced nothing.
A suppression in last year's file silences findings located there, but only the checked
file's own suppressions are reported as unused.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import msgspec

from ..facts import RawFacts, display_path, dotted
from ..rules.relations import Context
from ..schema import Facts
from . import ERROR, WARNING, Finding, check, section_of

# Strings, compiled on first use (re keeps them): only a file with a 忽略 comment needs them.
_SUPPRESS_RE = r"(?:^|\s)#\s*忽略(?P<rest>[^#]*)"  # a further # starts an ordinary comment
_CODES_RE = r"(?i)\s*(?P<codes>WR\d{3}(?:\s*[,，、\s]\s*WR\d{3})*)\s*(?:[:：]\s*(?P<reason>.*?))?\s*$"


class Suppression(msgspec.Struct, frozen=True):
    """One ``# 忽略 WR###: 原因`` comment: where it is, which codes, and why."""

    file: str
    line: int
    column: int
    codes: tuple[str, ...]
    reason: str
    text: str


class Suppressed(msgspec.Struct):
    """The findings of one file after suppressions: reported, silenced (with their reasons)."""

    findings: list[Finding]
    silenced: list[tuple[Finding, Suppression]]


@check("WR901", WARNING, "忽略注释没有忽略任何问题")
def unused_suppression(facts: Facts, ctx: Context) -> Iterable[Finding]:
    """“# 忽略 WR###: 原因”注释所在的行没有这个代码的问题。

    忽略注释只对它所在的那一行起作用（该行的事实，或涉及该行事实的问题）。问题已经改正、
    注释写错了行或代码时，注释就不再起作用，留着它会让人以为这里还有问题被压下了。
    这个检查在其他检查都运行之后进行（见 apply_suppressions），这里不单独运行。
    改正：删去这条注释，或把它移到问题所在的那一行、改成正确的代码。
    """
    return []


@check("WR902", ERROR, "忽略注释没有写原因")
def suppression_without_reason(facts: Facts, ctx: Context) -> Iterable[Finding]:
    """忽略注释没有写原因，或没有写检查代码。

    忽略一个问题必须说明理由，写成“# 忽略 WR404: 2016年的投保金额尚未统计，沿用2015年数字”，
    以便审核的人和明年接手的人知道为什么。没有原因的注释不起作用。
    改正：在代码后加冒号和原因；代码写成 WR 加三位数字，可以用逗号分隔写几个。
    """
    for item in _comments(facts.raw):
        if isinstance(item, Suppression) and item.reason:
            continue
        file, line, column, text = item if isinstance(item, tuple) else (item.file, item.line, item.column, item.text)
        path = facts.raw.path_on_line(line)
        yield Finding("WR902", ERROR, f"第 {line} 行的忽略注释“{text}”没有写{'原因' if isinstance(item, Suppression) else '检查代码'}，不起作用",
                      file=file, line=line, column=column, section=section_of(path) if path else None,
                      key=dotted(path) or None, excerpt=facts.raw.line(line),
                      expected=f"# 忽略 {'、'.join(item.codes) if isinstance(item, Suppression) else 'WR404'}: 原因", actual=text)


def apply_suppressions(facts: Facts, findings: list[Finding]) -> Suppressed:
    """Findings not silenced, findings silenced with their suppression, plus a WR901 for each unused one."""
    own = [s for s in _comments(facts.raw) if isinstance(s, Suppression) and s.reason]
    previous = [s for s in _comments(facts.previous.raw) if isinstance(s, Suppression) and s.reason] if facts.previous else []
    by_place = {}
    for item in own + previous:
        by_place.setdefault((item.file, item.line), []).append(item)
    kept, silenced, used = [], [], set()
    for found in findings:
        match = None if found.code.startswith("WR9") else _matching(found, by_place)
        if match is None:
            kept.append(found)
        else:
            silenced.append((found, match))
            used.add((match.file, match.line, found.code))
    for item in own:
        for code in item.codes:
            if (item.file, item.line, code) not in used:
                kept.append(_unused(facts, item, code))
    kept.sort(key=lambda f: (f.file or "", f.line or 0, f.code))
    return Suppressed(kept, silenced)


def _matching(found: Finding, by_place: dict) -> Suppression | None:
    """The suppression on the line of any fact the finding involves that names its code."""
    for place in found.places():
        for item in by_place.get(place, []):
            if found.code in item.codes:
                return item
    return None


def _unused(facts: Facts, item: Suppression, code: str) -> Finding:
    path = facts.raw.path_on_line(item.line)
    return Finding("WR901", WARNING, f"第 {item.line} 行的“忽略 {code}”没有忽略任何问题（这一行没有 {code} 的问题）；请删去这条注释",
                   file=item.file, line=item.line, column=item.column, section=section_of(path) if path else None,
                   key=dotted(path) or None, excerpt=facts.raw.line(item.line), actual=item.text)


def _comments(raw: RawFacts) -> list[Suppression | tuple[str, int, int, str]]:
    """Every 忽略 comment of a facts file: a Suppression, or (file, line, column, text) when it names no code."""
    out: list = []
    if "忽略" not in raw.text:  # most files have none: no need to look at each line
        return out
    file = display_path(raw.path)
    for number, text in enumerate(raw.lines, 1):
        match = re.search(_SUPPRESS_RE, text)
        if not match or _inside_quotes(text, match.start()):
            continue
        column = text.index("#", match.start()) + 1
        comment = text[column - 1:match.end()].strip()
        codes = re.match(_CODES_RE, match["rest"])
        if not codes:
            out.append((file, number, column, comment))
            continue
        names = tuple(c.upper() for c in re.findall(r"WR\d{3}", codes["codes"], re.IGNORECASE))
        out.append(Suppression(file, number, column, names, (codes["reason"] or "").strip(), comment))
    return out


def _inside_quotes(text: str, index: int) -> bool:
    """Whether ``index`` falls inside a quoted YAML scalar (a # there is text, not a comment)."""
    return text[:index].count('"') % 2 == 1 or text[:index].count("'") % 2 == 1
