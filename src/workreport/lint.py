"""Lint an existing report: the checks of ``workreport check``, run on prose instead of facts.

Entry point: ``lint(path, year=None, encoding=None)`` reads a .docx or text report
(document.read_document), reads its prose once (prose.read: figures with the thing counted,
scope, change and year) and runs every prose check below.  Each check reuses the code of the
facts check with the same meaning (WR101 sums, WR102 stock and flow, WR203 same thing with
two figures, WR301/WR302 counts against lists, WR401 years since, WR402 anniversaries, WR403
plan periods, WR404 another year's figures, WR701/WR702 typography), so ``workreport explain``
documents both.  Where the reading is not sure, a finding is a hint (提示), not an error.
A finding's ``line`` is the paragraph number, ``column`` the character in the paragraph
(1-based), ``excerpt`` the sentence.  Every check is linear in the length of the text.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import msgspec

from .checks import INFO, REGISTRY, Finding, all_checks
from .checks.typography import FULL_WIDTH, spaced_figure_re
from .document import Document, read_document
from .errors import Problem, WorkreportError
from .prose import ProseFigure, Reading, Sentence, read
from .prose.reading import CLASSIFIERS, CLAUSE_LIMIT, collection_paused
from .prose.lists import groups_before, items_named, list_before
from .prose.vocabulary import field_terms
from .quantity import Quantity, ranges_overlap
from .rules.derive import load_calendar
from .rules.relations import find_in_calendar, leading_count

_HAN = "\u4e00-\u9fff"
_CLAUSE_END = "，,。；;！!？?：:"
_CN_COUNT = "一二两三四五六七八九十"



class Linted(msgspec.Struct):
    """The result of a lint: the document as read, the report year used, and the findings in reading order."""

    document: Document
    year: int
    findings: list[Finding]
    year_guessed: bool = False
    reading: Reading | None = None  # the figures found, for the import


def lint(path: str | Path, year: int | None = None, encoding: str | None = None) -> Linted:
    """Read a report and run every prose check on it against the report ``year`` (guessed from the text when None)."""
    doc = read_document(path, encoding)
    guessed = year is None
    if year is None:
        year = guess_year(doc)
    with collection_paused():
        reading = read_figures(doc, year)
        findings: list[Finding] = []
        for run in PROSE_CHECKS:
            findings.extend(run(reading))
    findings.sort(key=lambda f: (f.line or 0, f.column or 0, f.code))
    return Linted(doc, year, findings, guessed, reading)


def read_figures(doc: Document, year: int) -> Reading:
    """The report read once (prose.read) with the field's terms and the calendar."""
    return read(doc, year, load_calendar())


def guess_year(doc: Document) -> int:
    """The report year when none is given: the year the title names, else the year the text names most."""
    pattern = r"(?<!\d)((?:19|20)\d\d)\s*年"
    in_title = re.findall(pattern, doc.title or "")
    if in_title:
        return int(in_title[0])
    years = [int(y) for y in re.findall(pattern, "\n".join(doc.paragraphs))]
    if not years:
        raise WorkreportError(Problem("文中没有写年份，无法判断是哪一年的总结；请用 --year 指明，如 --year 2016", file=doc.shown))
    return Counter(years).most_common(1)[0][0]


# --- the checks ---------------------------------------------------------------------------

PROSE_CHECKS: list[Callable[[Reading], Iterable[Finding]]] = []


def prose_check(func: Callable[[Reading], Iterable[Finding]]) -> Callable[[Reading], Iterable[Finding]]:
    """Add a prose check to the lint (its code is documented by the facts check of the same code)."""
    PROSE_CHECKS.append(func)
    return func


def found(code: str, reading: Reading, sentence: Sentence | None, paragraph: int, offset: int, message: str,
          expected: str | None = None, actual: str | None = None, excerpt: str | None = None,
          severity: str | None = None, key: str | None = None, related: tuple = ()) -> Finding:
    """A Finding of ``code`` at character ``offset`` of ``paragraph``, quoting its sentence.

    ``severity`` lowers the code's own (a hint where the reading is not sure), never raises it.
    """
    paragraph, offset = reading.place(paragraph, offset)  # a line of a hard-wrapped paragraph
    section = reading.doc.section_of(paragraph) if reading.doc.sections else None
    return Finding(
        code=code,
        severity=severity or _severity(code),
        message=message,
        file=reading.doc.shown,
        line=paragraph,
        column=offset + 1,
        section=section.label if section else None,
        excerpt=excerpt if excerpt is not None else (sentence.text if sentence else None),
        expected=expected,
        actual=actual,
        key=key,
        related=related,
    )


def _severity(code: str) -> str:
    if code not in REGISTRY:
        all_checks()
    return REGISTRY[code].severity


def _clause_start(text: str, position: int, floor: int = 0) -> int:
    """Where the clause holding ``position`` starts (after the last comma, full stop or semicolon), not before ``floor``.

    A clause is read back at most CLAUSE_LIMIT characters: its cue words stand near the figure, and
    a run of text without commas must not be read again for each of its figures.
    """
    floor = max(floor, position - CLAUSE_LIMIT)
    for i in range(position - 1, floor - 1, -1):
        if text[i] in _CLAUSE_END:
            return i + 1
    return floor


def _before(text: str, position: int, floor: int = 0) -> str:
    """The clause before ``position``, within the sentence starting at ``floor``."""
    return text[_clause_start(text, position, floor):position]


# --- time: years since, anniversaries, plan periods, another year's figures ------------------

_BETWEEN_EVENT = re.compile(r"[》”\"\s]*(成立|以来|召开|实施|施行|颁布|通过|发表|开展|启动|发起|开始|确立|确定|提出)?\s*")


@prose_check
def years_since(reading: Reading) -> Iterator[Finding]:
    """WR401: “改革开放30年来” against the calendar's year of the event and the report year."""
    yield from _calendar_figures(reading, "年", "WR401")


@prose_check
def anniversaries(reading: Reading) -> Iterator[Finding]:
    """WR402: “成立35周年” against the calendar's founding year and the report year."""
    yield from _calendar_figures(reading, "周年", "WR402")


def _calendar_figures(reading: Reading, unit: str, code: str) -> Iterator[Finding]:
    for sentence in reading.sentences:
        text = reading.paragraph(sentence.paragraph)
        for figure in reading.figures_in(sentence):
            entry = find_in_calendar(reading.calendar, figure.term or "")
            if entry is None or figure.quantity.unit != unit or figure.is_year:
                continue
            before = figure.term_end is not None and figure.term_end <= figure.start
            between = _BETWEEN_EVENT.fullmatch(text, figure.term_end, figure.start) if before else None
            if between is None:
                continue  # 新中国成立后10年: not a count from the event to this year
            start = (entry.get("其他年份") or {}).get(between.group(1), entry["年份"])
            years = _years_meant(reading, sentence, figure)
            if any(figure.low <= y - start <= figure.high for y in years):
                continue
            right = reading.year - start
            name = _calendar_key(reading.calendar, figure.term)
            verb = between.group(1) if between.group(1) in ("通过", "颁布") else None
            said = f"{verb}于" if verb else entry.get("说法", "始于")
            yield found(code, reading, sentence, sentence.paragraph, figure.start,
                        f"{name}{said} {start} 年，{reading.year} 年应为 {right}{unit}，这里写的是“{figure.text}”（多半是沿用了旧稿）",
                        expected=f"{right}{unit}", actual=figure.text)


def _years_meant(reading: Reading, sentence: Sentence, figure: ProseFigure) -> set[int]:
    """The years a figure may be of: the report year, the year its sentence names, its section's other years, next year's plans."""
    years = {reading.year} | ({figure.dated} if figure.dated else set())
    years |= reading.section_years.get(sentence.section, set())
    if "明年" in reading.paragraph(sentence.paragraph)[sentence.offset:figure.start]:
        years.add(reading.year + 1)
    return years


def _calendar_key(calendar: dict, name: str) -> str:
    """The calendar's own name of an event or organisation (中国共产党 for 建党, 中华人民共和国 for 建国)."""
    for key, entry in calendar.get("纪念", {}).items():
        if name == key or name in (entry or {}).get("别名", []):
            return key
    return name


_PLAN_RE = re.compile(r"[“\"]?(十[一二三四五六七八九]五)[”\"]?(?:规划|计划|时期)?(?:的|是)?\s*(收官之年|开局之年|起步之年|最后一年|第([一二三四五1-5])年)")
_STAGE_BEFORE_RE = re.compile(r"(收官之年|开局之年|起步之年)[^，。；]{0,4}?[“\"]?(十[一二三四五六七八九]五)")


@prose_check
def plan_periods(reading: Reading) -> Iterator[Finding]:
    """WR403: “十二五收官之年”, “十三五开局之年”, “十三五第三年” against the calendar's plan years and the year meant."""
    plans = reading.calendar.get("五年规划", {})
    for sentence in reading.sentences:
        text = reading.paragraph(sentence.paragraph)
        for match in _plan_matches(text, sentence):
            name, stage = match
            years = plans.get(name[0])
            if not years:
                continue
            first, last = years
            meant = _stage_year(stage, first, last)
            if meant is None:
                continue
            dated = [f.year for f in reading.figures_in(sentence) if f.is_year and f.start < name[1]]
            said = text[sentence.offset:name[1]]
            shift = 1 if "明年" in said else -1 if ("去年" in said or "上年" in said) else 0
            year = dated[-1] if dated else reading.year + shift
            if meant == year:
                continue
            yield found("WR403", reading, sentence, sentence.paragraph, name[1],
                        f"“{name[0]}”是 {first}—{last} 年，{stage}是 {meant} 年，不是 {year} 年；请改为本年度所在的规划期和阶段",
                        expected=_right_stage(plans, year, stage), actual=f"{name[0]}{stage}")


def _plan_matches(text: str, sentence: Sentence) -> Iterator[tuple[tuple[str, int], str]]:
    for match in _PLAN_RE.finditer(text, sentence.offset, sentence.end):
        yield (match.group(1), match.start(1)), match.group(2)
    for match in _STAGE_BEFORE_RE.finditer(text, sentence.offset, sentence.end):
        yield (match.group(2), match.start(2)), match.group(1)


def _stage_year(stage: str, first: int, last: int) -> int | None:
    if stage in ("收官之年", "最后一年"):
        return last
    if stage in ("开局之年", "起步之年"):
        return first
    number = re.search(r"第(.)年", stage)
    if number:
        n = int(number.group(1)) if number.group(1).isdigit() else leading_count(number.group(1))
        return first + n - 1 if n else None
    return None


def _right_stage(plans: dict, year: int, stage: str) -> str:
    """What the year is in its plan period: “十三五第一年（开局之年）”."""
    for name, (first, last) in plans.items():
        if first <= year <= last:
            return f"{name}第{year - first + 1}年" + ("（收官之年）" if year == last else "（开局之年）" if year == first else "")
    return f"{year} 年所在的规划期"


@prose_check
def another_years_figures(reading: Reading) -> Iterator[Finding]:
    """WR404: a sentence that dates its figures in an earlier year (2015年…项目资金10万元) in this year's report.

    A sentence that also gives this year's figures (2018年…，今年…; 比上年, 较2017年) is a deliberate
    comparison and is not reported.
    """
    for sentence in reading.sentences:
        figures = reading.figures_in(sentence)
        amounts = [f for f in figures if f.dated and f.dated < reading.year and not f.is_year and f.quantity.unit != "周年"
                   and not find_in_calendar(reading.calendar, f.term or "")]
        if not amounts or _compares_with_now(reading, sentence):
            continue
        year = amounts[0].dated
        first_year = next(f for f in figures if f.is_year and f.year == year)
        shown = "、".join(f.text for f in amounts)
        yield found("WR404", reading, sentence, sentence.paragraph, first_year.start,
                    f"{shown} 是 {year} 年的数字，写在 {reading.year} 年的总结中；请换成 {reading.year} 年的数字，或确认确需引用往年数字",
                    expected=str(reading.year), actual=str(year))


def _compares_with_now(reading: Reading, sentence: Sentence) -> bool:
    """Whether the sentence, or the next one, gives this year's figures too: then the earlier year is a comparison."""
    if any(not f.is_year and f.dated is None for f in reading.figures_in(sentence)):
        return True
    following = reading.next_sentence(sentence)
    if following is None:
        return False
    text = reading.paragraph(following.paragraph)[following.offset:following.end]
    if not re.match(rf"\s*(今年|本年|当年|{reading.year}年)", text):
        return False
    # 2018年救助40户。今年救助52户。: the same thing, then and now.
    then = {(f.quantity.unit, w) for f in reading.figures_in(sentence) for w in (*f.scope, f.term) if w}
    now = {(f.quantity.unit, w) for f in reading.figures_in(following) for w in (*f.scope, f.term) if w}
    return bool(then & now - {(u, w) for u, w in now if w in ("今年", "本年", "当年", "全年", "全县")})


# --- counts against lists -------------------------------------------------------------------

# A count of a list names what it counts after it (三个基地); 示范村协会12个。 is a quantity, not a list's length.
_COUNT_RE = re.compile(rf"(等)?(\d+|[{_CN_COUNT}]+)(大|个|项|类|种|条|家|方面|环节|支)(?=[{_HAN}“])")


@prose_check
def list_counts(reading: Reading) -> Iterator[Finding]:
    """WR301: “奶牛、优种猪…和中药材种植等8大基地”: the count against the items listed before it."""
    for sentence in reading.sentences:
        text = reading.paragraph(sentence.paragraph)
        for match in _COUNT_RE.finditer(text, sentence.offset, sentence.end):
            start = _clause_start(text, match.start(), sentence.offset)
            previous = groups_before(text, sentence.offset, start)
            listed = list_before(text, start, match.start() + (1 if match.group(1) else 0), previous)
            stated = leading_count(match.group(2))
            if listed is None or stated is None or stated in listed.lengths:
                continue
            name = f"{match.group(2)}{match.group(3)}"
            # A、B等5个: an open list, more than those named; but 等8大基地 names a fixed set of eight.
            is_open = listed.open and match.group(3) != "大"
            if is_open and stated > max(listed.lengths):
                continue
            severity = None if listed.sure and not is_open else INFO
            yield found("WR301", reading, sentence, sentence.paragraph, match.start(2),
                        f"写的是“{name}”，但前面列出了 {listed.length} 项（{'、'.join(listed.items)}）；请补全列表或改正条数",
                        expected=f"{listed.length}{match.group(3)}", actual=name, severity=severity)


_NAMED_RE = re.compile(rf"(?<=[“、（(])([{_CN_COUNT}])([{_HAN}]{{1,3}}?)(?=[”、）)（(])")
_KEYS = "到位|融入|强化|提高|结合|不变|统一|规范|服务|公开|上墙|优先|进|有|免|补"
_UNQUOTED_RE = re.compile(rf"(?:(?<![{_HAN}])|(?<=[了到现行实抓施做]))([{_CN_COUNT}])个?({_KEYS})(?=[：:，,（(。；、])")


@prose_check
def named_counts(reading: Reading) -> Iterator[Finding]:
    """WR302: “六有”, “三融入”, 四个到位 against the items listed with them (in brackets, or in the clauses that follow)."""
    for sentence in reading.sentences:
        text = reading.paragraph(sentence.paragraph)
        limit = reading.next_sentence_end(sentence)
        for start, count_text, key, end in _named_terms(text, sentence):
            key = key.removeprefix("个")  # “三个到位”: the items hold 到位
            if key in ("是", ""):
                continue
            items = items_named(text, end, key, limit)
            stated = leading_count(count_text)
            if items is None or stated is None or stated == len(items):
                continue
            name = text[start:end]
            # Items found in the clauses that follow by a one-character key (有, 好) may be other words holding it:
            # sure when they are in brackets, or one off (a stale name), else a hint.
            bracketed = re.match(r"[”\"]?\s*[（(]", text[end:end + 3]) is not None
            sure = bracketed or len(key) > 1 or abs(stated - len(items)) == 1
            yield found("WR302", reading, sentence, sentence.paragraph, start,
                        f"“{name}”说的是 {stated} 条，实际列出了 {len(items)} 条（{'、'.join(items)}）；请改正名称或补全内容",
                        expected=f"{stated} 条（与“{name}”相符）", actual=f"{len(items)} 条", severity=None if sure else INFO)


def _named_terms(text: str, sentence: Sentence) -> Iterator[tuple[int, str, str, int]]:
    for match in _NAMED_RE.finditer(text, sentence.offset, sentence.end):
        yield match.start(), match.group(1), match.group(2), match.end()
    for match in _UNQUOTED_RE.finditer(text, sentence.offset, sentence.end):
        if match.group(1) and text[match.start() - 1:match.start()] not in "“、（(":
            yield match.start(), match.group(1), match.group(2), match.end()


# --- sums, stocks and flows, the same thing twice ------------------------------------------

_TOTAL_CUE = re.compile(r"(共计|合计|总计|总共|一共|累计共|共)(?!有|同|享|赢|建共|建单位)[^，,。；;、]{0,8}$")
_FLOW_CUE = re.compile(r"新增|增加|退出|减少|减去")
_PER_CUE = re.compile(r"每|人均|户均|平均")  # 每户1万元 is a rate, not a part of the total


PART_WINDOW = 150  # characters before or after a total where its parts stand


@prose_check
def stated_sums(reading: Reading) -> Iterator[Finding]:
    """WR101: “争取资金30万元，…提出5万元作为补充，共投35万元” and “共筹集46万元，其中…30万元、…12万元”."""
    for sentence in reading.sentences:
        text = reading.paragraph(sentence.paragraph)
        figures = [f for f in reading.figures_in(sentence) if not f.is_year and f.change is None]
        totals = [i for i, f in enumerate(figures)
                  if "其中" not in f.scope and _TOTAL_CUE.search(_before(text, f.start, sentence.offset))]
        for k, index in enumerate(totals):
            total = figures[index]
            # Parts stand between the previous total and this one (and not far), or after 其中 up to the next total.
            first = totals[k - 1] + 1 if k else 0
            last = totals[k + 1] if k + 1 < len(totals) else len(figures)
            before = [f for f in figures[first:index] if f.start >= total.start - PART_WINDOW and _is_part(text, sentence, f, total)]
            after = _parts_after(reading, sentence, text, total, figures[index + 1:last])
            for parts, exhaustive in ((before, True), (after, False)):
                if len(parts) < 2:
                    continue
                finding = _sum_finding(reading, sentence, total, parts, exhaustive)
                if finding:
                    yield finding
                break


def _is_part(text: str, sentence: Sentence, figure: ProseFigure, total: ProseFigure) -> bool:
    """Whether a figure before a total is one of its parts: same unit and thing, not a flow, a rate or a 其中."""
    before = _before(text, figure.start, sentence.offset)
    return (figure.quantity.unit == total.quantity.unit and "其中" not in figure.scope
            and not _FLOW_CUE.search(before) and not _PER_CUE.search(before) and _same_noun(text, figure, total))


def _same_noun(text: str, part: ProseFigure, total: ProseFigure) -> bool:
    """Whether a part counts what the total counts: 16个乡镇、210个行政村 are not parts of 共成立协会230个."""
    noun = re.match(rf"[{_HAN}]{{1,2}}", text[part.end:part.end + 2])
    if part.quantity.unit not in CLASSIFIERS or noun is None:
        return part.term is None or total.term is None or part.term == total.term
    return text.startswith(noun.group(), total.end) or (total.term is not None and total.term.startswith(noun.group()))


def _parts_after(reading: Reading, sentence: Sentence, text: str, total: ProseFigure, rest: list[ProseFigure]) -> list[ProseFigure]:
    """The parts a total lists right after it with 其中 (in its sentence, or the next sentence starting 其中), in its unit."""
    at = text.find("其中", total.end, min(sentence.end, total.end + 12))
    candidates = [f for f in rest if at < f.start <= at + PART_WINDOW] if at >= 0 else []
    following = reading.next_sentence(sentence)
    if at < 0 and not rest and following and reading.paragraph(sentence.paragraph).startswith("其中", following.offset):
        candidates = reading.figures_in(following)
    # 其中 names the parts, each by its own name (失独家庭, 伤残家庭): only the unit must agree.
    return [f for f in candidates if f.quantity.unit == total.quantity.unit and not f.is_year and f.change is None]


def _sum_finding(reading: Reading, sentence: Sentence, total: ProseFigure, parts: list[ProseFigure], exhaustive: bool) -> Finding | None:
    low = sum(p.low for p in parts)
    high = sum(p.high for p in parts)
    if ranges_overlap((total.low, total.high), (low, high)):
        return None
    if not exhaustive and high < total.low:
        severity = "warning"  # 其中 may name only some parts
    else:
        severity = None
    shown = _like(total.quantity, sum(p.quantity.value for p in parts))
    return found("WR101", reading, sentence, sentence.paragraph, total.start,
                 f"各项之和为 {shown}（{' + '.join(p.text for p in parts)}），但合计写的是 {total.text}",
                 expected=str(shown), actual=total.text, severity=severity)


def _like(model: Quantity, value) -> Quantity:
    """A value shown in the unit and scale of ``model``."""
    scale = model.scale if (value / model.scale).denominator == 1 else 1
    return Quantity(value, model.unit, "", scale)


_STOCK_CUES = {
    # 上年 alone (上年度评选…) is no stock: a stock of last year is said with its time (上年末, 年初) or with 有.
    "opening": re.compile(r"(上年末|上年底|去年底|去年末|年初|原有|上年共有|去年共有|上年有|去年有)[^，,。；;]*$"),
    "inflow": re.compile(r"(新增|增加|新纳入)[^，,。；;]*$"),
    "outflow": re.compile(r"(退出|减少|脱贫退出)[^，,。；;]*$"),
    "closing": re.compile(r"(现有|现共有|目前共有|年末|年底|共有|现为)[^，,。；;]*$"),
}


def _role(text: str, figure: ProseFigure, floor: int) -> str | None:
    if figure.is_year or figure.change or "其中" in figure.scope:
        return None
    before = _before(text, figure.start, floor)
    return next((role for role, cue in _STOCK_CUES.items() if cue.search(before)), None)


@prose_check
def stock_and_flow(reading: Reading) -> Iterator[Finding]:
    """WR102: “上年178户…新增8户，退出6户，现有180户” in one paragraph: opening + in − out = closing."""
    for number, figures in reading.figures.items():
        text = reading.paragraph(number)
        roles = [(f, _role(text, f, reading.sentences[f.sentence].offset)) for f in figures if f.sentence is not None]
        opening = None
        flows: list[tuple[ProseFigure, str]] = []
        for figure, role in roles:
            if role == "opening":
                opening, flows = figure, []
            elif role in ("inflow", "outflow") and opening is not None:
                flows.append((figure, role))
            elif role == "closing" and opening is not None:
                finding = _stock_finding(reading, number, opening, flows, figure)
                if finding:
                    yield finding
                opening, flows = None, []


def _stock_finding(reading: Reading, number: int, opening: ProseFigure, flows, closing: ProseFigure) -> Finding | None:
    unit = closing.quantity.unit
    if opening.quantity.unit != unit or (opening.term and closing.term and opening.term != closing.term):
        return None
    ins = [f for f, role in flows if role == "inflow" and f.quantity.unit == unit]
    outs = [f for f, role in flows if role == "outflow" and f.quantity.unit == unit]
    if not ins and not outs:
        return None
    low = opening.low + sum(f.low for f in ins) - sum(f.high for f in outs)
    high = opening.high + sum(f.high for f in ins) - sum(f.low for f in outs)
    if ranges_overlap((closing.low, closing.high), (low, high)):
        return None
    q = opening.quantity
    value = q.value + sum(f.quantity.value for f in ins) - sum(f.quantity.value for f in outs)
    formula = opening.text + "".join(f" + {f.text}" for f in ins) + "".join(f" − {f.text}" for f in outs)
    expected = _like(closing.quantity, value)
    sentence = reading.sentences[closing.sentence]
    # Sure when one sentence says it all, or when opening and closing name the same thing.
    sure = opening.sentence == closing.sentence or (opening.term is not None and opening.term == closing.term)
    return found("WR102", reading, sentence, number, closing.start,
                 f"上年 {formula} 应为 {expected}，但写的是 {closing.text}", expected=str(expected), actual=closing.text,
                 severity=None if sure else INFO)


_SAME_NAMES = {"现有": "现有", "现共有": "现有", "共有": "现有"}
# Scope words that make a count a fact of its own: without one, two figures of a thing may be of different things.
_FACT_SCOPES = {"新增", "退出", "现有", "现共有", "共有", "累计", "救助", "扶持", "帮扶", "体检", "免费体检", "健康体检", "投保", "覆盖",
                "脱贫", "受益", "惠及", "慰问", "资助", "结对"}


_STOCK_SCOPES = {"现有", "累计"}
# Scope words that every figure of a year's report shares: they tell nothing apart.
_GENERIC_SCOPES = {"全县", "今年", "全年", "本年", "当年", "目前", "截至目前", "达到", "共计", "合计", "总计"}


@prose_check
def same_thing_twice(reading: Reading) -> Iterator[Finding]:
    """WR203: the same thing with the same scope (新增计生特困家庭, 现有计生特困家庭) given two figures that cannot both be true."""
    first: dict[tuple, ProseFigure] = {}
    terms = set(field_terms())
    for figure in reading.all_figures():
        if not figure.term or figure.term not in terms or figure.is_year or figure.change or figure.dated or "其中" in figure.scope:
            continue
        scope = frozenset(_SAME_NAMES.get(w, w) for w in figure.scope if w not in _GENERIC_SCOPES)
        if not scope & _FACT_SCOPES:
            continue
        key = (figure.term, figure.quantity.unit, scope)
        earlier = first.setdefault(key, figure)
        if earlier is figure or ranges_overlap((earlier.low, earlier.high), (figure.low, figure.high)):
            continue
        sentence = reading.sentences[figure.sentence]
        named = "".join(sorted(scope & _FACT_SCOPES))
        # One stock a report; but a flow (救助, 扶持) in another section may be of another round or place.
        sure = earlier.section == figure.section or scope & _STOCK_SCOPES
        yield found("WR203", reading, sentence, figure.paragraph, figure.start,
                    f"“{named}{figure.term}”在第 {reading.place(earlier.paragraph, earlier.start)[0]} 段写的是 {earlier.text}，这里写的是 {figure.text}，应一致",
                    expected=earlier.text, actual=figure.text, severity=None if sure else INFO)


# --- typography -----------------------------------------------------------------------------


@prose_check
def typography(reading: Reading) -> Iterator[Finding]:
    """WR701 half-width punctuation in Chinese text, WR702 a space between a figure and Chinese: one finding a paragraph.

    WR701 quotes the sentence and gives it corrected; WR702 quotes the sentence and names only the spaced figures.
    """
    for number, text in enumerate(reading.doc.paragraphs, 1):
        marks = half_width_marks(text)
        if marks:
            offset, segment = _segment_at(reading, number, text, marks[0])
            marked = set(marks)
            fixed = "".join(FULL_WIDTH_ALL.get(ch, ch) if offset + i in marked else ch for i, ch in enumerate(segment))
            kinds = dict.fromkeys(text[i] for i in marks)
            yield found("WR701", reading, None, number, marks[0],
                        f"本段中文里有 {len(marks)} 处半角标点（{'、'.join(f'“{k}”' for k in kinds)}），应改为全角（{'、'.join(FULL_WIDTH_ALL[k] for k in kinds)}）",
                        expected=fixed, actual=segment, excerpt=segment)
        spaces = list(spaced_figure_re().finditer(text))
        if spaces:
            _, segment = _segment_at(reading, number, text, spaces[0].start())
            pieces = [_spaced_piece(text, s) for s in spaces]
            shown = "、".join(f"“{p}”" for p in pieces)
            yield found("WR702", reading, None, number, spaces[0].start(), f"数字与汉字之间有空格（{shown}），应删去",
                        expected="、".join(spaced_figure_re().sub("", p) for p in pieces), actual="、".join(pieces), excerpt=segment)


def _spaced_piece(text: str, space: re.Match) -> str:
    """The figure and the word beside a space: “180 户”, “在 2016”."""
    left = space.start()
    while left > 0 and left > space.start() - 6 and (text[left - 1].isdigit() or text[left - 1] == "."):
        left -= 1
    if left == space.start():
        left -= 1
    right = space.end()
    while right < len(text) and right < space.end() + 6 and (text[right].isdigit() or text[right] == "."):
        right += 1
    if right == space.end():
        right += 1
    return text[max(left, 0):right]


def _segment_at(reading: Reading, number: int, text: str, position: int) -> tuple[int, str]:
    """The piece of a paragraph a finding quotes: the sentence holding ``position``, or the heading line before the body."""
    sentence = reading.sentence_at(number, position)
    if sentence is not None and sentence.offset <= position < sentence.end + 1:
        return sentence.offset, sentence.text
    sentences = reading.in_paragraph(number)
    head_end = sentences[0].offset if sentences else len(text)
    head = text[:head_end]
    if position < head_end and head.strip():
        start = len(head) - len(head.lstrip())
        return start, head.strip()
    return 0, text


FULL_WIDTH_ALL = {**FULL_WIDTH, ".": "。"}


def half_width_marks(text: str) -> list[int]:
    """Positions of half-width , ; : ? ! ( ) beside Chinese, and of a "." ending a Chinese sentence (not 5.29)."""
    marks = []
    for match in re.finditer(r"[,;:?!().]", text):
        i = match.start()
        before = _neighbour(text, i, -1)
        after = _neighbour(text, i, 1)
        if match.group() == ".":
            if before and re.match(f"[{_HAN}”’）)》]", before) and not after.isdigit():
                marks.append(i)
        elif (before and re.match(f"[{_HAN}”“’）》]", before)) or (after and re.match(f"[{_HAN}“”‘（《]", after)):
            if not (before.isdigit() and after.isdigit()):
                marks.append(i)
    return marks


def _neighbour(text: str, index: int, step: int) -> str:
    """The nearest character before (step −1) or after (step 1) ``index`` that is not a space; "" at the end."""
    i = index + step
    while 0 <= i < len(text) and text[i] in " \t\u3000":
        i += step
    return text[i] if 0 <= i < len(text) else ""
