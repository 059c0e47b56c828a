"""Lint an existing report: the checks of ``workreport check``, run on prose instead of facts.

Entry point: ``lint(path, year=None, encoding=None)`` reads a .docx or text report
(document.read_document), finds its figures (prose.scan, jieba with the field's terms from
data/terms.yaml) and runs every prose check below.  Each check reuses the code of the facts
check with the same meaning (WR101 sums, WR102 stock and flow, WR203 same thing with two
figures, WR301/WR302 counts against lists, WR401 years since, WR402 anniversaries, WR404
another year's figures, WR701/WR702 typography), so ``workreport explain`` documents both.
A finding's ``line`` is the paragraph number, ``column`` the character in the paragraph
(1-based), ``excerpt`` the sentence.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .checks import REGISTRY, Finding, all_checks
from .checks.typography import SPACED_FIGURE_RE
from .checks.typography import FULL_WIDTH
from .document import Document, Sentence, read_document
from .errors import Problem, WorkreportError
from .prose import ProseFigure, scan
from .quantity import Quantity, ranges_overlap, sum_range
from .rules.derive import load_calendar
from .rules.relations import calendar_names, find_in_calendar, leading_count

TERMS = Path(__file__).resolve().parent / "data" / "terms.yaml"
_HAN = "\u4e00-\u9fff"
_CLAUSE_END = "，,。；;！!？?：:"
_CN_COUNT = "一二两三四五六七八九十"


@dataclass
class Linted:
    """The result of a lint: the document as read, the report year used, and the findings in reading order."""

    document: Document
    year: int
    findings: list[Finding]
    year_guessed: bool = False
    reading: Reading | None = None  # the figures found, for the import


@dataclass
class Reading:
    """A document with what the checks share: the report year, the calendar and each paragraph's figures."""

    doc: Document
    year: int
    calendar: dict
    figures: dict[int, list[ProseFigure]] = field(default_factory=dict)

    def figures_in(self, sentence: Sentence) -> list[ProseFigure]:
        """The figures of one sentence (offsets are in its paragraph)."""
        end = sentence.offset + len(sentence.text)
        return [f for f in self.figures.get(sentence.paragraph, []) if sentence.offset <= f.start < end]


def lint(path: str | Path, year: int | None = None, encoding: str | None = None) -> Linted:
    """Read a report and run every prose check on it against the report ``year`` (guessed from the text when None)."""
    doc = read_document(path, encoding)
    guessed = year is None
    if year is None:
        year = guess_year(doc)
    reading = read_figures(doc, year)
    findings: list[Finding] = []
    for run in PROSE_CHECKS:
        findings.extend(run(reading))
    findings.sort(key=lambda f: (f.line or 0, f.column or 0, f.code))
    return Linted(doc, year, findings, guessed, reading)


def read_figures(doc: Document, year: int) -> Reading:
    """Every figure of every paragraph, each with the term it counts (field terms and calendar names)."""
    calendar = load_calendar()
    reading = Reading(doc, year, calendar)
    words = vocabulary(calendar)
    for number, text in enumerate(doc.paragraphs, 1):
        if text.strip():
            reading.figures[number] = scan(text, words)
    return reading


def vocabulary(calendar: dict) -> tuple[str, ...]:
    """The words jieba must keep whole: field terms, fixed terms (六有, 一是) and the calendar's names."""
    return tuple(sorted({*field_terms(), *fixed_terms(), *calendar_names(calendar)}))


@functools.lru_cache(maxsize=None)
def _terms_file() -> dict:
    from .kind import read_yaml

    return read_yaml(TERMS) or {}


def field_terms() -> tuple[str, ...]:
    """The things figures count (data/terms.yaml, 事物)."""
    return tuple(_terms_file().get("事物") or ())


def fixed_terms() -> tuple[str, ...]:
    """Fixed terms with a numeral that are not quantities (data/terms.yaml, 固定说法)."""
    return tuple(_terms_file().get("固定说法") or ())


def guess_year(doc: Document) -> int:
    """The report year when none is given: the year the text names most (2016年…), the title's first."""
    years = [int(y) for y in re.findall(r"(?<!\d)((?:19|20)\d\d)年", "\n".join(doc.paragraphs))]
    in_title = re.findall(r"(?<!\d)((?:19|20)\d\d)年", doc.title or "")
    if in_title:
        return int(in_title[0])
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
          expected: str | None = None, actual: str | None = None, excerpt: str | None = None) -> Finding:
    """A Finding of ``code`` at character ``offset`` of ``paragraph``, quoting its sentence."""
    section = reading.doc.section_of(paragraph)
    return Finding(
        code=code,
        severity=_severity(code),
        message=message,
        file=reading.doc.shown,
        line=paragraph,
        column=offset + 1,
        section=section.label if section else None,
        excerpt=excerpt if excerpt is not None else (sentence.text if sentence else None),
        expected=expected,
        actual=actual,
    )


def _severity(code: str) -> str:
    if code not in REGISTRY:
        all_checks()
    return REGISTRY[code].severity


def _before(text: str, position: int) -> str:
    """The clause before ``position``: back to the last comma, full stop or semicolon."""
    start = max(text.rfind(ch, 0, position) for ch in _CLAUSE_END) + 1
    return text[start:position]


def _after(text: str, position: int) -> str:
    """The clause after ``position``, up to the next comma, full stop or semicolon."""
    ends = [i for i in (text.find(ch, position) for ch in _CLAUSE_END) if i >= 0]
    return text[position:min(ends) if ends else len(text)]


@prose_check
def years_since(reading: Reading) -> Iterator[Finding]:
    """WR401: “改革开放30年来” against the calendar's year of the event and the report year."""
    yield from _calendar_figures(reading, "年", "WR401")


@prose_check
def anniversaries(reading: Reading) -> Iterator[Finding]:
    """WR402: “成立35周年” against the calendar's founding year and the report year."""
    yield from _calendar_figures(reading, "周年", "WR402")


def _calendar_figures(reading: Reading, unit: str, code: str) -> Iterator[Finding]:
    for sentence in reading.doc.sentences:
        text = reading.doc.paragraph(sentence.paragraph)
        for figure in reading.figures_in(sentence):
            entry = find_in_calendar(reading.calendar, figure.term or "")
            if entry is None or figure.quantity.unit != unit or figure.is_year:
                continue
            between = text[text.rfind(figure.term, 0, figure.start) + len(figure.term):figure.start]
            if not re.fullmatch(r"(成立|以来|召开|实施)?", between):
                continue  # 新中国成立后10年: not a count from the event to this year
            right = reading.year - entry["年份"]
            if figure.quantity.low <= right <= figure.quantity.high:
                continue
            what = "成立" if unit == "周年" else "开始"
            yield found(code, reading, sentence, sentence.paragraph, figure.start,
                        f"{figure.term}{what}于 {entry['年份']} 年，{reading.year} 年应为 {right}{unit}，这里写的是“{figure.text}”（多半是沿用了旧稿）",
                        expected=f"{right}{unit}", actual=figure.text)


def _matches(reading: Reading, pattern: re.Pattern) -> Iterator[tuple[Sentence, str, re.Match]]:
    """Every match of ``pattern`` within a sentence, with the sentence and its paragraph's text."""
    for sentence in reading.doc.sentences:
        text = reading.doc.paragraph(sentence.paragraph)
        yield from ((sentence, text, m) for m in pattern.finditer(text, sentence.offset, sentence.offset + len(sentence.text)))


@prose_check
def list_counts(reading: Reading) -> Iterator[Finding]:
    """WR301: “奶牛、优种猪…和中药材种植等8大基地”: the count against the items listed before it."""
    pattern = re.compile(rf"等?(\d+|[{_CN_COUNT}]+)(大|个|项|类|种|条|家)")
    for sentence, text, match in _matches(reading, pattern):
        clause = _before(text, match.start())
        if "、" not in clause:
            continue
        stated = leading_count(match.group(1))
        listed = _list_length(clause)
        if stated is None or stated == listed:
            continue
        yield found("WR301", reading, sentence, sentence.paragraph, match.start(),
                    f"写的是“{match.group(1)}{match.group(2)}”，但前面只列出了 {listed} 项（{clause.strip()}）；请补全列表或改正条数",
                    expected=f"{listed}{match.group(2)}", actual=f"{match.group(1)}{match.group(2)}")


def _list_length(clause: str) -> int:
    """Items of an enumeration: parts between 、, the last split once more at 和/及/与."""
    parts = clause.split("、")
    joined = re.search(r"(以及|和|及|与)", parts[-1])
    return len(parts) + (1 if joined and joined.start() > 0 else 0)


@prose_check
def named_counts(reading: Reading) -> Iterator[Finding]:
    """WR302: “六有”, “三融入” against the items listed with them (in brackets, or in the sentences that follow)."""
    term_re = re.compile(rf"(?<=[“、（(])([{_CN_COUNT}])([{_HAN}]{{1,3}}?)(?=[”、）)（(])")
    for sentence, text, match in _matches(reading, term_re):
        name, key = match.group(), match.group(2)
        if key == "是":
            continue
        items = _named_items(reading.doc, sentence, text, match.end(), key)
        stated = leading_count(name)
        if items is None or stated is None or stated == len(items):
            continue
        yield found("WR302", reading, sentence, sentence.paragraph, match.start(),
                    f"“{name}”说的是 {stated} 条，但列出了 {len(items)} 条（{'、'.join(items)}）；请改正名称或补全内容",
                    expected=str(len(items)), actual=str(stated))


def _named_items(doc: Document, sentence: Sentence, text: str, position: int, key: str) -> list[str] | None:
    """The items a fixed term names: in brackets right after it, else the first run of clauses holding ``key`` later in the paragraph."""
    bracket = re.match(r"”?\s*[（(]([^）)]+)[）)]", text[position:])
    if bracket:
        return [item for item in re.split(r"[、，,；;]", bracket.group(1)) if item.strip()]
    rest_of_sentence = text[position:sentence.offset + len(sentence.text)]
    later_sentences = [s.text for s in doc.in_paragraph(sentence.paragraph) if s.offset > sentence.offset]
    for later in [rest_of_sentence, *later_sentences]:
        run: list[str] = []
        for clause in re.split(r"[、，,；;。]", later):
            if key in clause:
                run.append(clause.strip())
            elif len(run) >= 2:
                break
            else:
                run = []
        if len(run) >= 2:
            return run
    return None


_TOTAL_CUE = re.compile(r"(共计|合计|总计|总共|一共|累计共|共)(?!有)[^，,。；;、]{0,3}$")
_FLOW_CUE = re.compile(r"新增|增加|退出|减少|减去")


@prose_check
def stated_sums(reading: Reading) -> Iterator[Finding]:
    """WR101: “争取资金30万元，…提出5万元作为补充，共投35万元”: the parts before 共 must add up to it."""
    for sentence in reading.doc.sentences:
        text = reading.doc.paragraph(sentence.paragraph)
        figures = [f for f in reading.figures_in(sentence) if not f.is_year]
        for index, total in enumerate(figures):
            if not _TOTAL_CUE.search(_before(text, total.start)):
                continue
            parts = [f for f in figures[:index] if f.quantity.unit == total.quantity.unit and not _FLOW_CUE.search(_before(text, f.start))]
            if len(parts) < 2:
                continue
            low, high = sum_range([p.quantity for p in parts])
            if ranges_overlap((total.quantity.low, total.quantity.high), (low, high)):
                continue
            shown = _like(total.quantity, sum(p.quantity.value for p in parts))
            yield found("WR101", reading, sentence, sentence.paragraph, total.start,
                        f"各项之和为 {shown}（{' + '.join(p.text for p in parts)}），但合计写的是 {total.text}",
                        expected=str(shown), actual=total.text)


def _like(model: Quantity, value) -> Quantity:
    """A value shown in the unit and scale of ``model``."""
    scale = model.scale if (value / model.scale).denominator == 1 else 1
    return Quantity(value, model.unit, "", scale)


_STOCK_CUES = {
    "opening": re.compile(r"(上年|去年|年初|上年末|上年底)[^，,。；;]*$"),
    "inflow": re.compile(r"(新增|增加)[^，,。；;]*$"),
    "outflow": re.compile(r"(退出|减少)[^，,。；;]*$"),
    "closing": re.compile(r"(现有|现共有|目前共有|年末|年底|共有)[^，,。；;]*$"),
}


@prose_check
def stock_and_flow(reading: Reading) -> Iterator[Finding]:
    """WR102: “上年178户…新增8户，退出6户，现有180户” in one paragraph: opening + in − out = closing."""
    for number, figures in reading.figures.items():
        text = reading.doc.paragraph(number)
        roles: dict[str, list[ProseFigure]] = {role: [] for role in _STOCK_CUES}
        for figure in figures:
            if figure.is_year:
                continue
            before = _before(text, figure.start)
            for role, cue in _STOCK_CUES.items():
                if cue.search(before):
                    roles[role].append(figure)
                    break
        if not roles["opening"] or not roles["closing"] or not (roles["inflow"] or roles["outflow"]):
            continue
        opening, closing = roles["opening"][0], roles["closing"][0]
        unit = closing.quantity.unit
        ins = [f for f in roles["inflow"] if f.quantity.unit == unit]
        outs = [f for f in roles["outflow"] if f.quantity.unit == unit]
        if opening.quantity.unit != unit:
            continue
        q = opening.quantity
        low = q.low + sum(f.quantity.low for f in ins) - sum(f.quantity.high for f in outs)
        high = q.high + sum(f.quantity.high for f in ins) - sum(f.quantity.low for f in outs)
        if ranges_overlap((closing.quantity.low, closing.quantity.high), (low, high)):
            continue
        value = q.value + sum(f.quantity.value for f in ins) - sum(f.quantity.value for f in outs)
        formula = opening.text + "".join(f" + {f.text}" for f in ins) + "".join(f" − {f.text}" for f in outs)
        expected = _like(closing.quantity, value)
        sentence = _sentence_at(reading.doc, number, closing.start)
        yield found("WR102", reading, sentence, number, closing.start,
                    f"上年 {formula} 应为 {expected}，但写的是 {closing.text}", expected=str(expected), actual=closing.text)


def _sentence_at(doc: Document, paragraph: int, offset: int) -> Sentence | None:
    """The sentence of ``paragraph`` that holds character ``offset``."""
    for sentence in doc.in_paragraph(paragraph):
        if sentence.offset <= offset < sentence.offset + len(sentence.text):
            return sentence
    return None


_SAME_NAMES = {"opening": "上年末", "inflow": "新增", "outflow": "退出", "closing": "现有"}
_SAME_CUES = ("新增", "退出", "现有", "现共有", "共有", "累计", "扶持", "救助", "脱贫", "覆盖", "体检", "投保", "共投", "收益")


@prose_check
def same_thing_twice(reading: Reading) -> Iterator[Finding]:
    """WR203: the same thing with the same qualifier (新增计生特困家庭) given two figures that cannot both be true."""
    first: dict[tuple[str, str, str], tuple[ProseFigure, int]] = {}
    for sentence in reading.doc.sentences:
        if _other_year(reading, sentence) is not None:
            continue
        text = reading.doc.paragraph(sentence.paragraph)
        for figure in reading.figures_in(sentence):
            if not figure.term or figure.is_year or figure.term not in field_terms():
                continue
            before = _before(text, figure.start)
            role = next((r for r, cue in _STOCK_CUES.items() if cue.search(before)), None)
            cues = [cue for cue in _SAME_CUES if cue in before]
            if not cues and role is None:
                continue
            # 上年末共有178户 and 现共有180户 are different facts: a stock's time is part of what it is.
            key = (role or max(cues, key=before.rfind), figure.term, figure.quantity.unit)
            if key not in first:
                first[key] = (figure, sentence.paragraph)
                continue
            earlier, where = first[key]
            a, b = earlier.quantity, figure.quantity
            if ranges_overlap((a.low, a.high), (b.low, b.high)):
                continue
            yield found("WR203", reading, sentence, sentence.paragraph, figure.start,
                        f"“{_SAME_NAMES.get(key[0], key[0])}{figure.term}”在第 {where} 段写的是 {earlier.text}，这里写的是 {figure.text}，应一致",
                        expected=earlier.text, actual=figure.text)


_SINCE_YEAR = re.compile(r"^年?(以来|开始|起|至今|以前|之前|前|后|以后)")
_COMPARED = re.compile(r"(比|较|同比|与|相比|自|从|于|在)$")


def _other_year(reading: Reading, sentence: Sentence) -> ProseFigure | None:
    """The earlier year a sentence reports its figures for (2015年…10万元), or None.

    A year that starts a period (自2006年开始, 2015年以来) or is compared with (比2015年增长)
    is not such a date.
    """
    text = reading.doc.paragraph(sentence.paragraph)
    for figure in reading.figures_in(sentence):
        if not figure.is_year or figure.quantity.value >= reading.year:
            continue
        if _SINCE_YEAR.match(text[figure.end:]) or _COMPARED.search(text[:figure.start].rstrip()):
            continue
        return figure
    return None


@prose_check
def another_years_figures(reading: Reading) -> Iterator[Finding]:
    """WR404: a sentence that dates its figures in an earlier year (2015年…项目资金10万元) in this year's report."""
    for sentence in reading.doc.sentences:
        year = _other_year(reading, sentence)
        if year is None:
            continue
        amounts = [f for f in reading.figures_in(sentence) if not f.is_year and f.start > year.start]
        if not amounts:
            continue
        shown = "、".join(f.text for f in amounts)
        year_value = int(year.quantity.value)
        yield found("WR404", reading, sentence, sentence.paragraph, year.start,
                    f"{shown} 是 {year_value} 年的数字，写在 {reading.year} 年的总结中；请换成 {reading.year} 年的数字，或确认确需引用往年数字",
                    expected=str(reading.year), actual=str(year_value))


@prose_check
def typography(reading: Reading) -> Iterator[Finding]:
    """WR701 half-width punctuation in Chinese text, WR702 a space between a figure and Chinese: one finding a paragraph.

    The finding points at the first place; its excerpt is that sentence and ``expected`` the sentence corrected.
    """
    for number, text in enumerate(reading.doc.paragraphs, 1):
        marks = _half_width_marks(text)
        if marks:
            offset, segment = _segment_at(reading.doc, number, text, marks[0])
            fixed = "".join(FULL_WIDTH_ALL.get(ch, ch) if offset + i in marks else ch for i, ch in enumerate(segment))
            kinds = dict.fromkeys(text[i] for i in marks)
            yield found("WR701", reading, None, number, marks[0],
                        f"本段中文里有 {len(marks)} 处半角标点（{'、'.join(f'“{k}”' for k in kinds)}），应改为全角（{'、'.join(FULL_WIDTH_ALL[k] for k in kinds)}）",
                        expected=fixed, actual=segment, excerpt=segment)
        spaces = list(SPACED_FIGURE_RE.finditer(text))
        if spaces:
            offset, segment = _segment_at(reading.doc, number, text, spaces[0].start())
            shown = "、".join(f"“{text[max(s.start() - 3, 0):s.end() + 1]}”" for s in spaces)
            yield found("WR702", reading, None, number, spaces[0].start(), f"数字与汉字之间有空格（{shown}），应删去",
                        expected=SPACED_FIGURE_RE.sub("", segment), actual=segment, excerpt=segment)


def _segment_at(doc: Document, number: int, text: str, position: int) -> tuple[int, str]:
    """The piece of a paragraph a finding quotes: the sentence holding ``position``, or the heading or title line."""
    for offset, segment in _segments(doc, number, text):
        if offset <= position < offset + len(segment):
            return offset, segment
    return 0, text


def _segments(doc: Document, number: int, text: str) -> list[tuple[int, str]]:
    """A paragraph in pieces a finding can quote: a heading or title line, then its sentences."""
    sentences = [(s.offset, s.text) for s in doc.in_paragraph(number)]
    start = sentences[0][0] if sentences else len(text)
    head = text[:start].strip()
    return ([(text.find(head), head)] if head else []) + sentences


FULL_WIDTH_ALL = {**FULL_WIDTH, ".": "。"}


def _half_width_marks(text: str) -> list[int]:
    """Positions of half-width , ; : ? ! ( ) beside Chinese, and of a "." ending a Chinese sentence (not 5.29)."""
    marks = []
    for match in re.finditer(r"[,;:?!().]", text):
        i = match.start()
        before = text[:i].rstrip()[-1:]
        after = text[i + 1:].lstrip()[:1]
        if match.group() == ".":
            if before and re.match(f"[{_HAN}”’）)》]", before) and not after.isdigit():
                marks.append(i)
        elif (before and re.match(f"[{_HAN}”“’）》]", before)) or (after and re.match(f"[{_HAN}“”‘（《]", after)):
            if not (before.isdigit() and after.isdigit()):
                marks.append(i)
    return marks
