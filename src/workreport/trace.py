"""Trace an edited report against its facts: every figure of the staff's prose tied to the fact it states.

Entry point: ``trace(facts, document) -> Traced``.  The report (document.Document, read by
document.read_document) is read once by the prose package; each figure is then linked to
a fact by what it counts, its unit, its year and its section, in this order:

1. a change against last year (比上年增加2户): the stock named in its sentence, this year's
   value against last year's file;
2. a figure of the calendar (成立36周年, 改革开放38年来): the report year against the year
   the calendar gives, as derive does;
3. the report kind's import.yaml (the words around each fact as reports write them);
4. any other figure of the facts tree (staff's own items too): same section, same unit,
   its key's words in the sentence.  A count of a list (6大基地) is checked against the list.

Each figure ends up agreeing, contradicting its fact (WR611), as a derived phrase out of date
(WR612), or untraced (WR613, a hint).  A figure its sentence dates to another year than the
report's is untraced unless the fact is dated that year too (项目资金.年份).  Plan stages
(收官之年, 开局之年) are phrases without a figure and are checked against the plan's years.
"""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Any

import msgspec

from .checks import Finding, Related, locate
from .document import Document
from .facts import Path_, dotted, walk
from .prose import ProseFigure, Reading, read
from .quantity import Quantity, chinese_numeral, plain_number
from .rules.derive import derive, load_calendar
from .rules.relations import PREVIOUS, Context, calendar_names, find_in_calendar, leading_count
from .rules.yoy import SAME, change as year_change
from .schema import Facts

AGREES, CONTRADICTS, OUTDATED, UNTRACED = "agrees", "contradicts", "outdated", "untraced"
CODES = {CONTRADICTS: "WR611", OUTDATED: "WR612", UNTRACED: "WR613"}
_LAST_YEAR = ("上年", "去年", "上一年")
# Words of a key that say what kind of figure it is, not what it counts (扶持户数 → 扶持).
_KEY_SUFFIXES = ("户数", "人数", "次数", "个数", "项数", "金额", "比例", "数", "额")
_STAGES = ("开局之年", "收官之年")
_CLAUSE_MARKS = "，。；：！？,;:!?\n"


class Trace(msgspec.Struct, frozen=True):
    """One figure of the report and what the facts say about it."""

    figure: ProseFigure
    status: str
    path: Path_ | None = None  # the fact (a derived one: the fact it comes from is ``source``)
    expected: Any = None  # the fact's value (Quantity, int year, or a stage word)
    written: str | None = None  # what the text should say instead, worded as the sentence wrote it
    why: str = ""  # for untraced and outdated: the reason in Chinese
    source: Path_ | None = None  # the fact a derived value comes from (周年数 → 庆祝成立周年), for its file:line
    rule: str = ""  # how it was linked: quoted, change, calendar, fact, count, stage (the draft recomputes by it)

    @property
    def paragraph(self) -> int:
        return self.figure.paragraph

    @property
    def located(self) -> Path_ | None:
        """The fact whose file:line the finding names."""
        return self.source or self.path


class Traced(msgspec.Struct):
    """The result of a trace: the reading, every figure's trace, and the findings (errors and hints)."""

    document: Document
    reading: Reading
    facts: Facts
    ctx: Context
    traces: list[Trace] = msgspec.field(default_factory=list)
    findings: list[Finding] = msgspec.field(default_factory=list)
    by_trace: dict[int, Finding] = msgspec.field(default_factory=dict)  # id(trace) → its finding

    def finding_of(self, trace: Trace) -> Finding | None:
        """The finding a trace gave (None when it agrees)."""
        return self.by_trace.get(id(trace))


def trace(facts: Facts, document: Document) -> Traced:
    """Link every figure of ``document`` to ``facts`` and say which agree, contradict, are out of date or untraced."""
    ctx = derive(facts)
    calendar = load_calendar()
    reading = read(document, facts.year, calendar)
    linker = Linker(facts, ctx, reading)
    traced = Traced(document, reading, facts, ctx)
    for figure in reading.all_figures():
        if linker.skipped(figure):
            continue
        traced.traces.append(linker.link(figure))
    traced.traces += linker.phrases()
    traced.traces.sort(key=lambda t: (t.paragraph, t.figure.start))
    for item in traced.traces:
        if item.status != AGREES:
            found = finding_for(traced, item)
            traced.by_trace[id(item)] = found
            traced.findings.append(found)
    return traced


# --- linking ----------------------------------------------------------------------------------


class Linker:
    """Links one figure at a time to the facts (see the module's docstring for the order)."""

    def __init__(self, facts: Facts, ctx: Context, reading: Reading):
        from .importer import Mapper, prose_entries

        self.facts, self.ctx, self.reading, self.year = facts, ctx, reading, facts.year
        entries = [e for e in prose_entries(facts.kind) if "式" not in e and (e.get("年份") or "单位" in e)]
        self.entries = entries
        self.mapper = Mapper(reading, facts.kind, entries)
        self.sections = self.mapper.section_ids  # each paragraph's outline section, found once (by heading similarity)
        self.events = set(calendar_names(ctx.calendar))
        self.leaves = list(_quantities(ctx.values))
        self.texts = [(p, v) for p, v in walk(facts.values) if isinstance(v, str) and len(v) >= 6 and re.search(r"[\d一二三四五六七八九十]", v)]
        self.last = max((n for n, t in enumerate(reading.doc.paragraphs, 1) if t.strip()), default=0)
        self.first = next((n for n, t in enumerate(reading.doc.paragraphs, 1) if t.strip()), 0)
        self.table_cells = self._table_cells()

    def skipped(self, figure: ProseFigure) -> bool:
        """Figures that are no claim: the title's, the date line's, a year that only dates a sentence."""
        if figure.paragraph in (self.first,) or figure.paragraph >= self.last - 1 and re.search(r"\d+\s*年\s*\d+\s*月", self.reading.paragraph(figure.paragraph)):
            return True
        if figure.quantity.unit in ("月", "日", "号"):
            return True
        return figure.is_year and not any(self._fits(e, figure) for e in self.entries if e.get("年份"))

    def link(self, figure: ProseFigure) -> Trace:
        for step in (self._table, self._quoted, self._change, self._calendar, self._entry, self._leaf):
            found = step(figure)
            if found is not None:
                return found
        return Trace(figure, UNTRACED, why="事实文件中没有对应的数字")

    # 0. a cell of the 附件 table, against the cell the facts give it
    def _table(self, figure: ProseFigure) -> Trace | None:
        line, _ = self.reading.place(figure.paragraph, figure.start)  # a cell the reading joined to its label
        expected = self.table_cells.get(line)
        if expected is None:
            return None
        if self.reading.doc.paragraphs[line - 1].strip() == expected:
            return Trace(figure, AGREES, rule="table")
        return Trace(figure, UNTRACED, why=f"附件表格中这一格按事实应为“{expected}”", rule="table")

    def _table_cells(self) -> dict[int, str]:
        """Line (the document's own paragraph number) → the text its cell of the 附件 table should hold: each row
        found by its label, its cells (本年, 上年, 增减, 增长率) on the lines after it, as the .docx reader gives a
        table row by row."""
        from .rules.attachment import key_figures

        table = key_figures(self.facts.kind.outline, self.ctx) if self.ctx.values.get("附件") else None
        if table is None:
            return {}
        labels = {row[0]: row[1:] for row in table.rows}
        cells: dict[int, str] = {}
        for number, text in enumerate(self.reading.doc.paragraphs, 1):
            for offset, cell in enumerate(labels.get(text.strip(), ()), 1):
                cells[number + offset] = cell
        return cells

    # 1. a figure inside a phrase the facts give as text (每户一年一万存折抵押)
    def _quoted(self, figure: ProseFigure) -> Trace | None:
        text = self.reading.paragraph(figure.paragraph)
        for path, value in self.texts:
            at = text.find(value)
            while at >= 0:
                if at <= figure.start and figure.end <= at + len(value):
                    return Trace(figure, AGREES, path, value, rule="quoted")
                at = text.find(value, at + 1)
        return None

    # 1. 比上年增加2户
    def _change(self, figure: ProseFigure) -> Trace | None:
        if not figure.change or figure.compared not in _LAST_YEAR:
            return None
        sentence = self.reading.by_sentence[figure.sentence] if figure.sentence is not None else []
        for other in reversed([f for f in sentence if f.start < figure.start and not f.change]):
            path = self._path_of(other)
            if path is None:
                continue
            now, before = self.ctx.get(path), self.ctx.get((PREVIOUS, *path))
            moved = year_change(now, before)
            if moved is None or moved.difference is None:
                return Trace(figure, UNTRACED, path, why=f"上年事实文件中没有可比的“{dotted(path)}”", rule="change")
            direction_ok = (moved.direction == SAME) or same_direction(figure.change, moved.direction)
            ok = direction_ok and moved.difference.value == figure.quantity.value
            wording = f"比上年{moved.direction}{worded(moved.difference, figure.text)}" if moved.direction != SAME else "与上年持平"
            return Trace(figure, AGREES if ok else OUTDATED, path, moved.difference, None if ok else wording,
                         why=f"本年 {now}，上年 {before}", source=path, rule="change")
        return Trace(figure, UNTRACED, why="没有找到与上年比较的数字")

    # 2. 成立36周年, 改革开放38年来
    def _calendar(self, figure: ProseFigure) -> Trace | None:
        unit = figure.quantity.unit
        if figure.term not in self.events or unit not in ("周年", "年") or figure.is_year:
            return None
        entry = find_in_calendar(self.ctx.calendar, figure.term)
        if not entry or "年份" not in entry:
            return None
        expected = self.year - int(entry["年份"])
        source = self._naming(figure.term) or ("年度",)
        ok = figure.quantity.value == expected and figure.quantity.exact
        return Trace(figure, AGREES if ok else OUTDATED, source, expected, None if ok else worded(Quantity(Fraction(expected), unit), figure.text),
                     why=f"{figure.term}{entry.get('说法', '始于')} {entry['年份']} 年，{self.year} 年是第 {expected} 年", source=source,
                     rule="calendar")

    # 3. import.yaml
    def _entry(self, figure: ProseFigure) -> Trace | None:
        for entry in self.entries:
            if not self._fits(entry, figure):
                continue
            key = entry["键"]
            if "[*]" in key:
                return self._any_item(figure, key)
            path = tuple(_steps(key))
            value = self.ctx.get(path)
            if value is None:
                return Trace(figure, UNTRACED, path, why=f"“{key}”未填写", rule="fact")
            source = _source_of(self.ctx, path) if entry.get("推算") or entry.get("换算") else None
            if entry.get("换算") == "年度减":
                source = tuple(_steps(entry.get("写入", key)))
            if entry.get("年份"):
                return self._year(figure, path, value)
            return self._compare(figure, path, value, source, dated=entry.get("注明年份"))
        return None

    def _year(self, figure: ProseFigure, path: Path_, value: Any) -> Trace:
        """A calendar year (2006年, or 06年 as the reference wrote it) against the year the facts give."""
        from .importer import year_of

        ok = year_of(figure, self.year) == value
        written = f"{value % 100:02d}年" if re.fullmatch(r"\d\d\s*年", figure.text) else f"{value}年"
        return Trace(figure, AGREES if ok else CONTRADICTS, path, value, None if ok else written, rule="fact")

    def _fits(self, entry: dict, figure: ProseFigure) -> bool:
        section = entry.get("部分")
        if section is not None and self.sections.get(figure.paragraph) != section:
            return False
        return self.mapper.fits(entry, figure.paragraph, figure)

    def _any_item(self, figure: ProseFigure, key: str) -> Trace:
        head, tail = key.split("[*].", 1)
        items = self.ctx.get(tuple(_steps(head))) or []
        paths = [(*_steps(head), i, *_steps(tail)) for i in range(len(items))]
        for path in paths:
            if _agrees(self.ctx.get(path), figure):
                return Trace(figure, AGREES, path, self.ctx.get(path), rule="fact")
        return Trace(figure, UNTRACED, why=f"与“{head}”中各项金额都不一致")

    # 4. any quantity of the facts tree, by its key's words
    def _leaf(self, figure: ProseFigure) -> Trace | None:
        """The fact whose name stands nearest before the figure in its clause (发放生活补助5万元, 累计受助女孩560人:
        the longer name where two end at the same place), else the first named anywhere in its sentence.
        A computed figure (a total staff declared) is compared too: a wrong one is out of date, not contradicted."""
        from .importer import unit_fits

        text = self.reading.paragraph(figure.paragraph)
        clause = max((text.rfind(mark, 0, figure.start) for mark in _CLAUSE_MARKS), default=-1) + 1
        sentence = self._sentence(figure)
        nearest, anywhere = None, None
        for path, value in self.leaves:
            if not self._in_section(figure, path) or not unit_fits(value.unit, figure.quantity):
                continue
            for word in _key_words(path):
                at = text.rfind(word, clause, figure.start)
                if at >= 0 and (nearest is None or (at + len(word), len(word)) > nearest[0]):
                    nearest = ((at + len(word), len(word)), path, value)
                if anywhere is None and word in sentence and tuple(path) not in self.ctx.derived:
                    anywhere = ((0, 0), path, value)
        chosen = nearest or anywhere
        if chosen is None:
            return None
        _, path, value = chosen
        return self._compare(figure, tuple(path), value, None, derived=tuple(path) in self.ctx.derived)

    def _compare(self, figure: ProseFigure, path: Path_, value: Any, source: Path_ | None, dated: str | None = None,
                 derived: bool = False) -> Trace:
        fact_year = self.ctx.get(tuple(_steps(dated))) if dated else None
        if figure.dated is not None and figure.dated != fact_year:
            return Trace(figure, UNTRACED, path, why=f"句中写的是 {figure.dated} 年的数字，不是 {self.year} 年的", rule="dated")
        if _agrees(value, figure):
            return Trace(figure, AGREES, path, value, source=source, rule="fact")
        status = OUTDATED if (derived or (source is not None and source != path)) else CONTRADICTS
        return Trace(figure, status, path, value, worded(value, figure.text), source=source, rule="fact")

    def _path_of(self, figure: ProseFigure) -> Path_ | None:
        for step in (self._entry, self._leaf):
            found = step(figure)
            if found is not None and found.path is not None and found.status != UNTRACED:
                return found.path
        return None

    def _sentence(self, figure: ProseFigure) -> str:
        sentence = self.reading.sentences[figure.sentence] if figure.sentence is not None else None
        return self.reading.paragraph(figure.paragraph)[sentence.offset:sentence.end] if sentence else ""

    def _in_section(self, figure: ProseFigure, path: Path_) -> bool:
        section = self.sections.get(figure.paragraph)
        return section is None or not isinstance(path[0], str) or path[0] == section or len(path) == 1

    def _naming(self, name: str) -> Path_ | None:
        """The fact whose text names an organisation or event (庆祝成立周年: 中国计生协会)."""
        entry = find_in_calendar(self.ctx.calendar, name)
        names = {name, *(entry or {}).get("别名", []), *([k for k, v in self.ctx.calendar.get("纪念", {}).items() if v is entry])}
        for path, value in walk(self.facts.values):
            if isinstance(value, str) and value in names:
                return path
        return None

    def phrases(self) -> list[Trace]:
        """Derived phrases the prose reading does not take as figures: N大基地 against the list, plan stages."""
        return self._counts() + self.stages()

    def _counts(self) -> list[Trace]:
        """“6大基地”: a count written before a list's name, against the items listed in the facts."""

        out = []
        counts = [(p, v) for p, v in self.leaves if isinstance(p[-1], str) and p[-1].endswith("数") and tuple(p) in self.ctx.derived
                  and isinstance(self.ctx.get((*p[:-1], p[-1][:-1])), list)]
        for number, text in self.reading.texts.items():
            for path, value in counts:
                listed = path[-1][:-1]
                for match in re.finditer(rf"(\d+|[一二两三四五六七八九十]+)(大|个|项)?{re.escape(listed)}", text):
                    count = leading_count(match.group(1))
                    end = match.end(1) + len(match.group(2) or "")
                    figure = ProseFigure(text[match.start():end], Quantity(Fraction(count)), match.start(), end, paragraph=number)
                    if not self._in_section(figure, path):
                        continue
                    ok = value.value == count
                    out.append(Trace(figure, AGREES if ok else OUTDATED, tuple(path), value, None if ok else worded(value, figure.text),
                                     why=f"事实文件列出 {int(value.value)} 项", source=(*path[:-1], listed), rule="count"))
        return out

    # 收官之年 / 开局之年
    def stages(self) -> list[Trace]:
        """Plan stages the text names, against the stage the facts give the report year."""
        known = [(path[:-1], value) for path, value in walk(self.ctx.values) if path and path[-1] == "阶段" and isinstance(value, str)]
        out = []
        for number, text in self.reading.texts.items():
            for match in re.finditer("|".join(_STAGES), text):
                figure = ProseFigure(match.group(), Quantity(Fraction(0)), match.start(), match.end(), paragraph=number)
                plan = next((p for p, _ in known if self._in_section(figure, p)), None)
                stage = self.ctx.get((*plan, "阶段")) if plan else None
                if plan is None:
                    out.append(Trace(figure, UNTRACED, why="事实文件中没有这个计划", rule="stage"))
                elif stage == match.group():
                    out.append(Trace(figure, AGREES, (*plan, "阶段"), stage, source=(*plan, "结束年份"), rule="stage"))
                else:
                    now = stage or f"计划期外（{self.ctx.get((*plan, '起始年份'))}—{self.ctx.get((*plan, '结束年份'))}年）"
                    out.append(Trace(figure, OUTDATED, (*plan, "阶段"), stage, now, why=f"按计划起止年份，{self.year} 年是{now}",
                                     source=(*plan, "结束年份"), rule="stage"))
        return out




def _quantities(values: Any):
    """Every leaf of the facts tree that is a quantity, with its path (staff's own items' figures included: the
    schema reads them as quantities)."""
    return [(path, value) for path, value in walk(values) if isinstance(value, Quantity)]


def _steps(key: str) -> list:
    from .facts import parse_dotted

    return list(parse_dotted(key))


def _source_of(ctx: Context, path: Path_) -> Path_:
    """The stated fact a derived one comes from (开展年数 → 开始年份, 基地数 → 基地, 总投入 → 资金来源), else 年度."""
    name = path[-1]
    for sibling in ("开始年份", "成立年份", "庆祝成立周年", "资金来源", name[:-1] if name.endswith("数") else None):
        if sibling and ctx.stated((*path[:-1], sibling)):
            return (*path[:-1], sibling)
    return ("年度",)


def _key_words(path: Path_) -> list[str]:
    """What a key counts, as a sentence would name it: 扶持户数 → 扶持, 受助女孩 → 受助女孩."""
    name = next((p for p in reversed(path) if isinstance(p, str) and p not in ("金额", "数量", "数字", "值")), "")
    for suffix in _KEY_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            name = name[: -len(suffix)]
            break
    return [name] if len(name) >= 2 else []


def _agrees(value: Any, figure: ProseFigure) -> bool:
    """Whether a fact's value and the figure can be the same (approximate figures as ranges)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return figure.quantity.exact and figure.quantity.value == value
    if not isinstance(value, Quantity):
        return False
    if value.exact and figure.quantity.exact:
        return value.value == figure.quantity.value
    return value.value == figure.quantity.value and value.approx == figure.quantity.approx or (
        not value.exact and value.low <= figure.quantity.value <= value.high)


def same_direction(word: str, direction: str) -> bool:
    """Whether a sentence's change word (增加, 减少 …) goes the way the figures went."""
    up = word in ("增加", "增长", "提高", "上升", "增", "多")
    return up == (direction == "增加")


# --- wording a value as the sentence wrote it -------------------------------------------------

_WRITTEN_RE = re.compile(r"^(?P<pre>约|近)?(?P<num>[\d.,]+|[〇零一二两三四五六七八九十百千]+)(?P<more>多|余)?(?P<scale>万|亿)?(?P<more2>多|余)?(?P<rest>.*)$")


def number_part(text: str) -> str:
    """The number of a figure as written, without its unit: 1100多户 → 1100多, 八项 → 八, 50余万元 → 50余万."""
    match = _WRITTEN_RE.match(text)
    return text[:match.start("rest")] if match else text


def worded(value: Any, old: str) -> str:
    """``value`` written the way ``old`` was: Chinese numerals or digits, 万 or not, its unit words kept."""
    if not isinstance(value, Quantity):
        return str(value)
    match = _WRITTEN_RE.match(old)
    if not match:
        return str(value)
    scale = 10_000 if match["scale"] == "万" and value.value % 100 == 0 else 100_000_000 if match["scale"] == "亿" else 1
    number = value.value / scale
    chinese = not match["num"][0].isdigit()
    shown = chinese_numeral(int(number)) if chinese and number.denominator == 1 else plain_number(number)
    pre = value.approx if value.approx in ("约", "近") else ""
    more = value.approx if value.approx in ("多", "余") else ""
    scale_char = {10_000: "万", 100_000_000: "亿"}.get(scale, "")
    rest = match["rest"]
    if value.approx == "左右" and not rest.endswith("左右"):  # 187户左右 where the report had 180户
        rest += "左右"
    return f"{pre}{shown}{more}{scale_char}{rest}"


# --- findings ---------------------------------------------------------------------------------


def finding_for(traced: Traced, item: Trace) -> Finding:
    """A trace that is not agreement as a Finding at the report's paragraph and character, naming the fact's file:line."""
    from .lint import found

    reading = traced.reading
    paragraph, offset = reading.place(item.paragraph, item.figure.start)
    where = f"第{paragraph}段第{offset + 1}字“{item.figure.text}”"
    related: tuple[Related, ...] = ()
    fact_where = ""
    if item.located is not None:
        file, line, _ = locate(traced.facts, item.located)
        related = (Related(file, line, dotted(item.located)),)
        fact_where = f"{file}:{line} {dotted(item.located)}" if line else dotted(item.located)
    return found(CODES[item.status], reading, reading.sentence_at(item.paragraph, item.figure.start), item.paragraph,
                 item.figure.start, _message(item, where, fact_where), expected=item.written,
                 actual=item.figure.text if item.status != UNTRACED else None, key=dotted(item.path) if item.path else None,
                 related=related)


def _message(item: Trace, where: str, fact_where: str) -> str:
    if item.status == CONTRADICTS:
        return f"{where}与事实不符：事实文件 {fact_where} 写的是 {_shown(item.expected)}，文中应为“{item.written}”"
    if item.status == OUTDATED:
        return f"{where}是推算的说法，已过时：{item.why}（依据 {fact_where}），应为“{item.written}”"
    reason = item.why + (f"（{fact_where}）" if fact_where else "")
    return f"{where}没有对应的事实：{reason}；如需保留，请在事实文件中补上这个数字，或不必理会"


def _shown(value: Any) -> str:
    return f"{value}年" if isinstance(value, int) else str(value)


def check_report(facts_path, report_path, encoding: str | None = None):
    """``check FACTS --report EDITED``: the facts' own checks and the trace of the report, suppressions applied.

    Returns the pipeline's Checked (findings of both, in file and line order) and the Traced.
    """
    from .checks import run_checks
    from .checks.suppressions import apply_suppressions
    from .document import read_document
    from .pipeline import Checked, load_facts

    facts = load_facts(facts_path)
    document = read_document(report_path, encoding)
    traced = trace(facts, document)
    result = apply_suppressions(facts, run_checks(facts, traced.ctx) + traced.findings)
    return Checked(facts.path, result.findings, result.silenced, facts.year), traced
