"""The one reading of prose that lint, import and the round trip share: every figure with what qualifies it.

Entry points: ``scan(text, terms)`` for one text (a facts field), ``read(doc, year, calendar)``
for a whole report.  A figure (``ProseFigure``) knows its paragraph and character span, its
quantity and range, the thing it counts (``term``: the known word right after it, 180户计生特困家庭,
else the nearest before it in its clause), its scope (全年, 新增, 累计, 其中, 乡镇, 村 …),
whether it is a change against another time (比上年增加2户, 同比增长5%) and against what,
the earlier year its sentence dates it to (2015年…10万元), its sentence and its section.
Everything is found with one pass over the text and binary searches: linear in its length.
"""

from __future__ import annotations

import bisect
import contextlib
import gc
import re
from fractions import Fraction

import msgspec

from ..quantity import Quantity
from .lists import Listed, groups_before, list_before
from .numbers import find_figures, may_hold_figures, normalize
from .vocabulary import EVENT, FIXED, SCOPE, THING, Vocabulary, field_terms, sentence_wide_scopes, stock_scopes, vocabulary

CLAUSE_END = "，,。；;！!？?：:\n"
CLAUSE_LIMIT = 120
SENTENCE_LIMIT = 300  # how far back a sentence's words of time reach
_CLAUSE_END_RE = re.compile(f"[{re.escape(CLAUSE_END)}]")
_SENTENCE_END_RE = re.compile(r"[。；;！!？?\n]")
# A count of these is of the noun that follows it (8个家庭), not of a term before it.
CLASSIFIERS = {"个", "家", "名", "所", "项", "条", "场", "期", "批", "张", "份", "起", "篇"}
_COMPARE_RE = re.compile(r"(同比|环比|比|较|与|和|相比)(上年|去年|上一年|前年|同期|上年同期|\d{4}年|[一二〇零三四五六七八九]{4}年)?")
_CHANGE_RE = re.compile(r"(增加|增长|减少|下降|提高|降低|上升|回落|增|减|多|少)了?(约|近)?\s*$")
_RATE_CHANGE_RE = re.compile(r"(增长|下降|提高|降低|上升|增幅为?|降幅为?|增速为?)了?\s*$")
# The patterns below read a whole report (dates, paragraphs): strings, compiled on first use (re keeps them), so that
# reading a facts file's few texts does not compile them.
_SINCE_AFTER = r"\s*(以来|开始|起|至今|以前|之前|前|后|以后|到\d|至\d)"
_COMPARED_BEFORE = r"(比|较|同比|与|相比|自|从|于|在|和|同|到|至|[—\-－~～])\s*$"  # 2011—2015年: a period
_NOW = r"今年|本年|当年|目前|现有|现共有|现在|年内|本年度"


class ProseFigure(msgspec.Struct, frozen=True):
    """A figure found in prose: as written, where, its quantity and range, the thing it counts and what qualifies it."""

    text: str
    quantity: Quantity
    start: int
    end: int
    term: str | None = None
    paragraph: int = 0
    term_at: int | None = None  # where the term starts: after the figure (180户计生特困家庭) or before it
    term_end: int | None = None  # where the term ends (it may hold a space pasted from a PDF: 中国计生 协会)
    low: Fraction | float = 0
    high: Fraction | float = 0
    year: int | None = None  # a calendar year (2015年, 二〇一六年), not a count of years
    scope: tuple[str, ...] = ()  # words qualifying the count in its clause (新增, 全年, 乡镇 …), and 其中
    change: str | None = None  # 增加, 减少, 增长 … when it is a difference against another time
    compared: str | None = None  # what a change is against: 上年, 同期, 2017年
    dated: int | None = None  # an earlier year its sentence puts it in (2015年…10万元)
    sentence: int | None = None  # index of its sentence in the reading
    section: int | None = None  # number of its section (二、 → 2)
    listed: Listed | None = None  # the enumeration a count names (奶牛、肉鸡和蔬菜三个基地; open when it ends in 等)

    @property
    def is_year(self) -> bool:
        """Whether this is a calendar year (2015年), not a count of years (30年)."""
        return self.year is not None

    @property
    def exact(self) -> bool:
        return self.low == self.high


def scan(text: str, terms=(), require_term: bool = False, events=()) -> list[ProseFigure]:
    """Every figure with a unit in ``text``, each with the thing of ``terms`` (or calendar ``events``) it counts
    (the vocabulary for the same words is made once per process: ``vocabulary`` keeps it)."""
    vocab = vocabulary_for(terms, events)
    figures = figures_of(normalize(text), vocab)
    return [f for f in figures if f.term] if require_term else figures


def vocabulary_for(terms=(), events=()) -> Vocabulary:
    """The vocabulary that reads the things of ``terms`` and the calendar ``events``."""
    return vocabulary(tuple(sorted({t for t in terms if t})), tuple(sorted({e for e in events if e})))


def figures_of(text: str, vocab: Vocabulary, paragraph: int = 0) -> list[ProseFigure]:
    """The figures of one normalized paragraph, each with term, scope and change."""
    if not may_hold_figures(text):
        return []
    words = vocab.find(text)
    fixed = [(s, e) for s, e, w in words if vocab.is_(w, FIXED)]
    counted = [(s, e, w) for s, e, w in words if vocab.is_(w, THING) or vocab.is_(w, EVENT)]
    counted_ends = [e for _, e, _ in counted]
    counted_starts = {s: (w, e) for s, e, w in counted}
    scopes = [(s, w) for s, e, w in words if vocab.is_(w, SCOPE)]
    scope_starts = [s for s, _ in scopes]
    clause_ends = [m.start() for m in _CLAUSE_END_RE.finditer(text)]
    sentence_ends = [m.start() for m in _SENTENCE_END_RE.finditer(text)]
    wide, stock = sentence_wide_scopes(), stock_scopes()
    fixed_starts = [s for s, _ in fixed]
    out = []
    for found in find_figures(text):
        at = bisect.bisect_right(fixed_starts, found.start) - 1
        if at >= 0 and fixed[at][1] > found.start:
            continue  # 三个代表, 五年计划: part of a fixed term
        # Read a clause back at most CLAUSE_LIMIT characters, so that a text without commas stays linear.
        clause_start = max(_clause_start(clause_ends, found.start), found.start - CLAUSE_LIMIT)
        before = text[clause_start:found.start]
        term = _term_after(text, found, counted_starts)
        if term is None and not (found.quantity.unit in CLASSIFIERS and _noun_follows(text, found.end)):
            term = _term_before(counted, counted_ends, clause_start, found.start)
        # The clause's own scope words, and the words of time (新一轮, 上半年) and 其中 said earlier in the sentence.
        first = bisect.bisect_left(scope_starts, max(_clause_start(sentence_ends, found.start), found.start - SENTENCE_LIMIT))
        lo = bisect.bisect_left(scope_starts, clause_start)
        hi = bisect.bisect_left(scope_starts, found.start)
        own = [w for _, w in scopes[lo:hi]]
        # A clause with a time or stock word of its own (今年, 现有) is not of the sentence's earlier time.
        inherited = [w for _, w in scopes[first:lo] if w in wide and (w == "其中" or not any(o in wide or o in stock for o in own))]
        scope = tuple(dict.fromkeys(inherited + own + _place(before)))
        change, compared = _change(before, found.quantity.unit)
        listed = None
        if found.quantity.unit in CLASSIFIERS and "、" in before:
            sentence_start = _clause_start(sentence_ends, found.start)
            listed = list_before(text, clause_start, found.start, groups_before(text, sentence_start, clause_start))
        name, at, term_end = term or (None, None, None)
        out.append(ProseFigure(found.text, found.quantity, found.start, found.end, name, paragraph, at, term_end, found.low, found.high,
                               found.year, scope, change, compared, listed=listed))
    return out


_PLACE_RE = re.compile(r"(?:在|对|为|到|给)([\u4e00-\u9fff]{2,4}?(?:镇|乡|街道|社区|村))")


def _place(before: str) -> list[str]:
    """A named place a clause is about (在大阁镇救助12户): a scope of its own, not the county's."""
    match = _PLACE_RE.search(before)
    if match is None or match.group(1)[0] in "全各每本我该" or match.group(1).endswith("乡镇"):
        return []
    return [match.group(1)]


def _clause_start(clause_ends: list[int], position: int) -> int:
    at = bisect.bisect_left(clause_ends, position) - 1
    return clause_ends[at] + 1 if at >= 0 else 0


def _term_after(text: str, found, counted_starts: dict[int, tuple[str, int]]) -> tuple[str, int, int] | None:
    """A known thing written right after the figure (180户计生特困家庭, 26个乡镇, 8户的计生特困家庭), and where."""
    position = found.end
    if text.startswith("的", position):
        position += 1
    if position not in counted_starts:
        return None
    word, end = counted_starts[position]
    return word, position, end


def _noun_follows(text: str, position: int) -> bool:
    """Whether a Chinese word follows a classifier (8个家庭): then the count is of that word."""
    return position < len(text) and "\u4e00" <= text[position] <= "\u9fff" and text[position] not in "的来以"


def _term_before(counted, ends: list[int], clause_start: int, position: int) -> tuple[str, int, int] | None:
    """The nearest known thing ending at or before ``position`` within its clause, and its span."""
    at = bisect.bisect_right(ends, position) - 1
    if at >= 0 and counted[at][0] >= clause_start:
        return counted[at][2], counted[at][0], counted[at][1]
    return None


def _change(before: str, unit: str) -> tuple[str | None, str | None]:
    """Whether the words before a figure make it a change (比上年增加, 同比增长) and against what."""
    verb = _CHANGE_RE.search(before)
    compare = _COMPARE_RE.search(before)
    if verb and compare and compare.start() < verb.start():
        return verb.group(1), compare.group(2) or compare.group(1)
    rate = _RATE_CHANGE_RE.search(before)
    if rate and unit in ("%", "个百分点", "百分点"):
        return rate.group(1), compare.group(2) if compare else None
    return None, None


# --- a whole report --------------------------------------------------------------------------


class Sentence(msgspec.Struct, frozen=True):
    """One sentence of a report: its text as written, paragraph, offset in the paragraph, section, index."""

    text: str
    paragraph: int
    offset: int
    section: int | None
    index: int

    @property
    def end(self) -> int:
        return self.offset + len(self.text)


class Reading(msgspec.Struct):
    """A report read for its figures: normalized paragraphs, sentences (the title's too), figures by sentence."""

    doc: object  # document.Document
    year: int
    calendar: dict
    texts: dict[int, str] = msgspec.field(default_factory=dict)  # paragraph number → normalized text
    sentences: list[Sentence] = msgspec.field(default_factory=list)
    figures: dict[int, list[ProseFigure]] = msgspec.field(default_factory=dict)  # paragraph number → figures
    by_sentence: list[list[ProseFigure]] = msgspec.field(default_factory=list)
    section_years: dict[int, set[int]] = msgspec.field(default_factory=dict)  # section number → other years it is about
    paragraph_sentences: dict[int, list[Sentence]] = msgspec.field(default_factory=dict)
    _offsets: dict[int, list[int]] = msgspec.field(default_factory=dict)
    _written: dict[int, str] = msgspec.field(default_factory=dict)
    lines: dict[int, tuple[list[int], list[int]]] = msgspec.field(default_factory=dict)  # joined paragraph → its lines and their offsets

    def paragraph(self, number: int) -> str:
        """The normalized text of paragraph ``number`` (same length and offsets as written)."""
        return self.texts.get(number, "")

    def figures_in(self, sentence: Sentence) -> list[ProseFigure]:
        """The figures of one sentence, in order."""
        return self.by_sentence[sentence.index]

    def in_paragraph(self, number: int) -> list[Sentence]:
        return self.paragraph_sentences.get(number, [])

    def sentence_at(self, paragraph: int, offset: int) -> Sentence | None:
        """The sentence of ``paragraph`` holding character ``offset``."""
        sentences = self.in_paragraph(paragraph)
        if paragraph not in self._offsets:
            self._offsets[paragraph] = [s.offset for s in sentences]
        at = bisect.bisect_right(self._offsets[paragraph], offset) - 1
        return sentences[at] if at >= 0 and offset < sentences[at].end + 1 else None

    def next_sentence(self, sentence: Sentence) -> Sentence | None:
        """The sentence after ``sentence`` in the same paragraph, or None."""
        following = self.sentences[sentence.index + 1] if sentence.index + 1 < len(self.sentences) else None
        return following if following is not None and following.paragraph == sentence.paragraph else None

    def next_sentence_end(self, sentence: Sentence) -> int:
        """Where the sentence after ``sentence`` in its paragraph ends (the items of a term may follow in it)."""
        following = self.next_sentence(sentence)
        return following.end if following else sentence.end

    def all_figures(self) -> list[ProseFigure]:
        return [f for figures in self.by_sentence for f in figures]

    def written(self, number: int) -> str:
        """Paragraph ``number`` as written, with the lines a hard wrap split off it joined back."""
        return self._written.get(number, "")

    def place(self, paragraph: int, offset: int) -> tuple[int, int]:
        """Where character ``offset`` of a (joined) paragraph is in the document: its own line and the offset in it."""
        lines = self.lines.get(paragraph)
        if not lines:
            return paragraph, offset
        numbers, starts = lines
        at = max(bisect.bisect_right(starts, offset) - 1, 0)
        return numbers[at], offset - starts[at]


def read(doc, year: int, calendar: dict) -> Reading:
    """Read every paragraph of a report (document.Document): sentences, figures with their context, sections."""
    with collection_paused():
        return _read(doc, year, calendar)


@contextlib.contextmanager
def collection_paused():
    """Python's cycle collector held off while a report is read (``read``), checked (lint) or mapped to facts (import);
    nested, the outer one decides.

    The reading keeps every figure until it is done and makes no reference cycles, so a collection
    meanwhile frees nothing; yet each one walks all the figures kept so far, which made reading a
    600 KB paragraph take 12 times as long as 60 KB instead of 10.  What a report may hold is bounded
    (document.MAX_CHARACTERS), and so is the memory this defers.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _read(doc, year: int, calendar: dict) -> Reading:
    from ..document import sentences_of
    from ..rules.relations import calendar_names

    vocab = vocabulary(tuple(sorted(set(field_terms()))), tuple(sorted(calendar_names(calendar))))
    reading = Reading(doc, year, calendar)
    starts = {s.paragraph: s for s in doc.sections}
    section = None
    for number, written, lines in joined_paragraphs(doc.paragraphs, set(starts)):
        text = normalize(written)
        reading.texts[number] = text
        reading._written[number] = written
        if len(lines[0]) > 1:
            reading.lines[number] = lines
        body = 0
        if number in starts:
            section = starts[number].number
            reading.section_years[section] = _years_of_heading(starts[number].heading, year)
            body = starts[number].body_offset
        figures = figures_of(text, vocab, number)
        reading.figures[number] = []
        placed = 0
        for offset, piece in sentences_of(text, body):
            sentence = Sentence(written[offset:offset + len(piece)], number, offset, section, len(reading.sentences))
            reading.sentences.append(sentence)
            reading.paragraph_sentences.setdefault(number, []).append(sentence)
            mine = []
            while placed < len(figures) and figures[placed].start < sentence.end:
                if figures[placed].start >= offset:
                    mine.append(figures[placed])
                placed += 1
            mine = _dated(text, sentence, mine, year, section)
            reading.by_sentence.append(mine)
            reading.figures[number] += mine
    return reading


# A line that ends without these, followed by one that starts no heading or item, was wrapped (pasted from a PDF).
_ENDS_PARAGRAPH = tuple("。！？；：!?;:…”’）)】》")
_STARTS_PARAGRAPH = r"\s*([一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[、.．]|第[一二三四五六七八九十]+|[一二三四五六七八九十]+是|首先|其次|最后)"
WRAPPED_LINE = 16  # shorter lines are titles, headings, signatures or table cells, not wrapped prose


def joined_paragraphs(paragraphs: list[str], headings: set[int]):
    """Each non-empty paragraph as (number, text, (numbers, offsets)), the lines of a hard-wrapped one joined back.

    A line is joined to the one before when that one is long, is not the title or a heading, and ends
    mid-sentence (no full stop, colon or closing quote), and this one starts no heading or item.
    """
    first = next((n for n, p in enumerate(paragraphs, 1) if p.strip()), 0)
    group: tuple[int, list[str], list[int], list[int]] | None = None
    for number, line in enumerate(paragraphs, 1):
        if not line.strip():
            if group:
                yield _group(group)
            group = None
            continue
        previous = group[1][-1] if group else ""
        wraps = (group is not None and group[2][-1] != first and group[2][-1] not in headings
                 and len(previous.strip()) >= WRAPPED_LINE and not previous.rstrip().endswith(_ENDS_PARAGRAPH)
                 and number not in headings and not re.match(_STARTS_PARAGRAPH, line))
        if wraps:
            group[3].append(sum(len(x) for x in group[1]))
            group[1].append(line)
            group[2].append(number)
            continue
        if group:
            yield _group(group)
        group = (number, [line], [number], [0])
    if group:
        yield _group(group)


def _group(group) -> tuple[int, str, tuple[list[int], list[int]]]:
    number, lines, numbers, offsets = group
    return number, "".join(lines), (numbers, offsets)


def _years_of_heading(heading: str, year: int) -> set[int]:
    """The years a section is about besides the report year: those its heading names (2013年工作打算), next year for plans."""
    years = {int(y) for y in re.findall(r"((?:19|20)\d\d)\s*年", normalize(heading))}
    if re.search(r"打算|计划|思路|安排|展望|设想|明年", heading):
        years.add(year + 1)
    return years - {year}


def _dated(text: str, sentence: Sentence, figures: list[ProseFigure], year: int, section: int | None) -> list[ProseFigure]:
    """The sentence's figures with ``sentence`` and ``section`` set, and ``dated`` the other year a figure is reported for.

    A year that starts a period (自2006年开始, 2015年以来) or is compared with (比2015年增长) dates
    nothing; words of this year (今年, 目前, 2016年) end an earlier year's reach.
    """
    out, current, reach, last = [], None, sentence.end, sentence.offset
    for figure in figures:
        between = text[last:figure.start]
        if current is not None and (re.search(_NOW, between) or re.search(rf"{year}年", between) or figure.start >= reach):
            current = None
        if figure.is_year:
            if figure.year < year and not re.compile(_SINCE_AFTER).match(text, figure.end) and not re.search(_COMPARED_BEFORE, text[max(sentence.offset, figure.start - 4):figure.start]):
                current = figure.year
                # A year that opens its sentence or clause (2015年，… / 2015年我们…) dates what follows it; one inside
                # a clause (荣获2015年度先进单位) dates only that clause.
                opens = re.fullmatch(r"\s*(在|于)?", text[_clause_begin(text, sentence.offset, figure.start):figure.start])
                reach = sentence.end if opens else _clause_end(text, figure.end, sentence.end)
            elif figure.year == year:
                current = None
            elif figure.year > year and not re.compile(_SINCE_AFTER).match(text, figure.end):
                current, reach = figure.year, sentence.end  # 2013年，我们将…: next year's plan
            out.append(msgspec.structs.replace(figure, sentence=sentence.index, section=section))
        else:
            out.append(msgspec.structs.replace(figure, sentence=sentence.index, section=section, dated=current if figure.change is None else None))
        last = figure.end
    return out


def _clause_begin(text: str, floor: int, position: int) -> int:
    for i in range(position - 1, floor - 1, -1):
        if text[i] in CLAUSE_END:
            return i + 1
    return floor


def _clause_end(text: str, position: int, limit: int) -> int:
    for i in range(position, limit):
        if text[i] in CLAUSE_END:
            return i
    return limit
