"""This year's draft from last year's edited report, and refreshing a draft once the facts are filled in.

Entry point: ``redraft(links, facts, output)``: a copy of the .docx report ``links`` traced whose
figures are rewritten from ``facts``, the staff's words, paragraphs, order and layout kept (the
runs are edited in place by docxedit).  ``links`` is the trace that tied each figure to a fact:

- ``new-year FACTS --report LAST_FINAL.docx --draft OUT.docx``: last year's report traced
  against last year's facts, values from the new year's facts (draft_from_last);
- ``build FACTS --report DRAFT.docx``: the draft traced against the same facts (refresh).

Each traced figure gets the fact's value written as the sentence wrote it (八项 stays in Chinese
numerals, 50余万元 keeps its 万); derived phrases are recomputed (成立36周年 → 37周年, 九年来 →
十年来, 比上年增加N户, 6大基地, 收官之年); a figure whose fact is still 待填 becomes a highlighted
【待填：现有户数】 before its unit, which the refresh fills in.  For review, never deleted, are
highlighted: untraced figures, figures and sentences of an earlier year, and the passages that
quote a fact the new year cleared (last year's events).
"""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path
from typing import Any

from docx.enum.text import WD_COLOR_INDEX

import msgspec

from . import docxedit
from .errors import Problem, WorkreportError
from .facts import Path_, display_path, dotted
from .fsutil import atomic_write
from .quantity import Quantity
from .rules.derive import derive
from .rules.relations import PREVIOUS, find_in_calendar
from .rules.yoy import SAME, change as year_change
from .schema import UNFILLED, Facts
from .trace import AGREES, UNTRACED, Trace, Traced, number_part, same_direction, worded

MARKER_RE = re.compile(r"【待填：([^】]+)】")
REVIEW = WD_COLOR_INDEX.YELLOW  # for staff to look at
TO_FILL = WD_COLOR_INDEX.BRIGHT_GREEN  # 待填
FILLED = "filled"  # a 待填 marker filled in: its highlight goes


class Redrafted(msgspec.Struct):
    """What a draft or refresh did: figures rewritten, still to fill, marked for review."""

    output: Path
    rewritten: int = 0
    to_fill: list[str] = msgspec.field(default_factory=list)
    review: list[str] = msgspec.field(default_factory=list)

    def summary(self) -> str:
        lines = [f"已生成：{display_path(self.output)}（改写数字 {self.rewritten} 处）"]
        if self.to_fill:
            lines.append(f"待填 {len(self.to_fill)} 处（绿色，事实文件填好后运行 workreport build 事实文件 --report 本文件 即可填入）：")
            lines += [f"  {x}" for x in self.to_fill]
        if self.review:
            lines.append(f"请核对 {len(self.review)} 处（黄色，可能是往年的内容或事实文件中没有的数字，程序未改动）：")
            lines += [f"  {x}" for x in self.review]
        return "\n".join(lines)


class Edit(msgspec.Struct, frozen=True):
    """One change to a paragraph: characters start–end replaced by ``text`` (None keeps them) and highlighted or not."""

    paragraph: int
    start: int
    end: int
    text: str | None = None
    color: Any = None


def redraft(links: Traced, facts: Facts, output: str | Path, from_year: int | None = None) -> Redrafted:
    """Rewrite the figures of the report ``links`` traced from ``facts`` as it tied them; write the copy to ``output``.

    ``from_year`` is the year of the report ``links`` read when it is last year's (a draft): its
    mentions of that year move to the facts' year.
    """
    source = links.document.path
    if Path(source).suffix.lower() not in (".docx", ".docm"):
        raise WorkreportError(Problem("草稿只能由 Word 文件（.docx）生成和刷新；文本总结请先在 Word/WPS 中另存为 .docx", file=display_path(Path(source))))
    ctx = links.ctx if facts is links.facts else derive(facts)  # a refresh traced these very facts
    done = Redrafted(Path(output))
    planner = _Planner(links, facts, ctx, from_year, done)
    edits = planner.edits()
    document = docxedit.reopened(links.document)
    paragraphs = docxedit.paragraphs(document)
    for edit in sorted(edits, key=lambda e: (e.paragraph, -e.start)):
        paragraph = paragraphs[edit.paragraph - 1]
        try:
            _apply(paragraph, edit)
        except docxedit.SpanError:  # a field or picture inside the figure: left as written, for staff to change by hand
            done.review.append(f"第{edit.paragraph}段第{edit.start + 1}字“{docxedit.text_of(paragraph)[edit.start:edit.end]}”：无法自动改写，请手工改为“{edit.text}”")
    atomic_write(Path(output), lambda tmp: document.save(str(tmp)), inputs=[source, facts.path])
    return done


def _apply(paragraph, edit: Edit) -> None:
    """One edit on its paragraph: the text replaced in the first run's formatting, then highlighted (or its highlight removed)."""
    end = edit.end
    if edit.text is not None:
        docxedit.replace(paragraph, edit.start, edit.end, edit.text)
        end = edit.start + len(edit.text)
    if edit.color is not None:
        docxedit.highlight(paragraph, edit.start, end, None if edit.color == FILLED else edit.color)


class _Planner:
    """Decides the edits: one per traced figure, marker or passage to review."""

    def __init__(self, links: Traced, facts: Facts, ctx, from_year: int | None, done: Redrafted):
        self.links, self.facts, self.ctx, self.done = links, facts, ctx, done
        self.year = facts.year
        self.shift = self.year - from_year if from_year else 0
        self.from_year = from_year or self.year
        self.reading = links.reading

    def edits(self) -> list[Edit]:
        out: list[Edit] = []
        for item in self.links.traces:
            out += self._for(item)
        out += self._years()
        out += self._cleared()
        out += self._markers()
        return _without_overlaps(out)

    def _edit(self, item: Trace, text: str | None, color=None) -> Edit:
        paragraph, start = self.reading.place(item.paragraph, item.figure.start)
        return Edit(paragraph, start, start + len(item.figure.text), text, color)

    def _for(self, item: Trace) -> list[Edit]:
        rule = item.rule
        if item.status == UNTRACED and rule not in ("fact", "change"):
            self._review(item, "没有对应的事实" if rule != "dated" else "往年的数字")
            return [self._edit(item, None, REVIEW)]
        if rule == "quoted":  # inside a phrase of the facts: kept; a phrase the new year cleared is marked by _cleared
            return []
        if rule == "table":  # the 附件 compares two years: its cells are rebuilt with the report, not edited one by one
            self._review(item, "附件表格中的数字，请按新年度核对")
            return [self._edit(item, None, REVIEW)]
        if rule == "calendar":
            value = int(item.expected) + self.shift if item.status == AGREES or self.shift == 0 else None
            if value is None:
                entry = find_in_calendar(self.ctx.calendar, item.figure.term or "")
                value = self.year - int(entry["年份"])
            return self._put(item, Quantity(Fraction(value), item.figure.quantity.unit))
        if rule == "change":
            return self._change(item)
        if rule == "stage":
            stage = self._value(item.path)
            if stage is None:
                self._review(item, "计划已不在本年度")
                return [self._edit(item, None, REVIEW)]
            return self._put(item, stage)
        value = self._value(item.path)
        if value is None:
            return self._unfilled(item)
        return self._put(item, value)

    def _value(self, path: Path_ | None) -> Any:
        return self.ctx.get(path) if path is not None else None

    def _put(self, item: Trace, value: Any) -> list[Edit]:
        if isinstance(value, str):
            text = value
        elif isinstance(value, int):
            text = f"{value}年"
        else:
            text = worded(value, item.figure.text)
        if text == item.figure.text:
            return []
        self.done.rewritten += 1
        return [self._edit(item, text)]

    def _unfilled(self, item: Trace, name: str | None = None) -> list[Edit]:
        """【待填：现有户数】 in place of the number, the unit words kept after it (``name``: what to fill, when not the fact's)."""
        paragraph, start = self.reading.place(item.paragraph, item.figure.start)
        told = f"第{paragraph}段第{start + 1}字：{name}" if name else f"第{paragraph}段第{start + 1}字：{_label(item.path)}（原文“{item.figure.text}”）"
        self.done.to_fill.append(told)
        marker = f"【待填：{name or _label(item.path)}】"
        return [Edit(paragraph, start, start + len(number_part(item.figure.text)), marker, TO_FILL)]

    def _change(self, item: Trace) -> list[Edit]:
        now, before = self._value(item.path), self._value((PREVIOUS, *item.path)) if item.path else None
        moved = year_change(now, before)
        if now is None:
            return self._unfilled(item, f"比上年增减（{_label(item.path)}）")
        if moved is None or moved.difference is None:
            self._review(item, "无法与上年比较")
            return [self._edit(item, None, REVIEW)]
        if moved.direction == SAME:
            self._review(item, "与上年持平（现有数可能还是上年末的），请核对后改写这句")
            return [self._edit(item, None, REVIEW)]
        if not same_direction(item.figure.change or "", moved.direction):
            self._review(item, f"与上年相比是“{moved.direction}”，请改写这句")
            return [self._edit(item, worded(moved.difference, item.figure.text), REVIEW)]
        return self._put(item, moved.difference)


    def _review(self, item: Trace, why: str) -> None:
        paragraph, start = self.reading.place(item.paragraph, item.figure.start)
        self.done.review.append(f"第{paragraph}段第{start + 1}字“{item.figure.text}”：{why}")

    def _sentence(self, item: Trace) -> Edit:
        """The sentence holding a figure or phrase, highlighted for review."""
        sentence = self.reading.sentence_at(item.paragraph, item.figure.start)
        start, end = (sentence.offset, sentence.end) if sentence else (item.figure.start, item.figure.end)
        paragraph, at = self.reading.place(item.paragraph, start)
        return Edit(paragraph, at, at + (end - start), None, REVIEW)

    def _years(self) -> list[Edit]:
        """The report's own year moved to this year (2016年以来 → 2017年以来); sentences of earlier years for review."""
        out = []
        traced = {(t.paragraph, t.figure.start) for t in self.links.traces}
        for figure in self.reading.all_figures():
            if not figure.is_year or (figure.paragraph, figure.start) in traced:
                continue
            paragraph, start = self.reading.place(figure.paragraph, figure.start)
            if self.shift and figure.year == self.from_year:
                out.append(Edit(paragraph, start, start + len(figure.text), figure.text.replace(str(self.from_year), str(self.year))))
            elif figure.year < self.year and self._dates_its_sentence(figure):
                item = Trace(figure, UNTRACED)
                self._review(item, f"写的是 {figure.year} 年的事")
                out.append(self._sentence(item))
        return out

    def _dates_its_sentence(self, figure) -> bool:
        """Whether a year puts figures of its sentence in that year (2015年我们争取项目资金10万元)."""
        sentence = self.reading.by_sentence[figure.sentence] if figure.sentence is not None else []
        return any(f.dated == figure.year for f in sentence)

    def _cleared(self) -> list[Edit]:
        """Passages quoting a fact the new year cleared (last year's events: 亮点, 创新做法), highlighted for review."""
        from .facts import walk

        if not self.shift:
            return []
        out = []
        for path, value in walk(self.links.facts.values):
            if not isinstance(value, str) or len(value) < 6 or self._value(path) is not None:
                continue
            for number, text in self.reading.texts.items():
                at = text.find(value)
                if at >= 0:
                    paragraph, start = self.reading.place(number, at)
                    self.done.review.append(f"第{paragraph}段第{start + 1}字“{value[:12]}…”：“{dotted(path)}”已清空，可能是往年的事")
                    out.append(Edit(paragraph, start, start + len(value), None, REVIEW))
        return out

    def _markers(self) -> list[Edit]:
        """【待填：现有户数】 of an earlier draft: filled in once the facts have the value."""
        out = []
        for number, text in self.reading.texts.items():
            for match in MARKER_RE.finditer(text):
                path = _path_named(self.ctx.values, match.group(1), self.links.facts)
                value = self._value(path) if path else None
                if value is None:
                    continue
                paragraph, start = self.reading.place(number, match.start())
                shown, covered = _filling(value, text[match.end():])
                self.done.rewritten += 1
                out.append(Edit(paragraph, start, start + len(match.group()) + covered, shown, FILLED))
        return out


def _filling(value: Any, after: str) -> tuple[str, int]:
    """What fills a marker, and how many characters after it that takes in.  The marker stands for a figure's
    number, its unit words kept after it (“【待填】户”): a figure fills in its number, or, where it says more than
    those words (60户左右 after “户”), its number and all of its words, in place of theirs."""
    if not isinstance(value, Quantity):
        return str(value), 0
    written = str(value)
    number = number_part(written)
    words = written[len(number):]
    core = words.removesuffix("左右")
    if words and not after.startswith(words) and core and after.startswith(core):
        return written, len(core)
    return number, 0


def _without_overlaps(edits: list[Edit]) -> list[Edit]:
    """The edits of each paragraph with none overlapping a later one's span (a sentence to review holds figures)."""
    kept: list[Edit] = []
    for edit in sorted(edits, key=lambda e: (e.paragraph, e.start, -(e.end - e.start))):
        last = kept[-1] if kept else None
        if last and last.paragraph == edit.paragraph and edit.start < last.end:
            if last.text is None and edit.text is not None:
                # a figure to rewrite inside a sentence to review: rewrite it, highlight the rest around it
                kept[-1] = Edit(last.paragraph, last.start, edit.start, None, last.color)
                kept.append(Edit(edit.paragraph, edit.start, edit.end, edit.text, edit.color or last.color))
                if edit.end < last.end:
                    kept.append(Edit(last.paragraph, edit.end, last.end, None, last.color))
            continue
        kept.append(edit)
    return [e for e in kept if e.end > e.start]


def _label(path: Path_ | None) -> str:
    """What a 待填 marker calls a fact: its key (现有户数), with its parent when the key is generic (项目资金金额)."""
    if not path:
        return "数字"
    names = [p for p in path if isinstance(p, str)]
    if names and names[-1] in ("金额", "年份", "数量", "名称") and len(names) > 1:
        return names[-2] if names[-2].endswith(names[-1]) else names[-2] + names[-1]
    return names[-1] if names else dotted(path)


def _path_named(values: dict, name: str, facts: Facts) -> Path_ | None:
    """The fact a marker names (its label), among this year's facts."""
    from .facts import walk

    for path, value in walk(values):
        if _label(path) == name and not isinstance(value, (dict, list)):
            return path
    for path, value in walk(facts.raw.data):
        if _label(path) == name and value == UNFILLED:
            return path
    return None


def draft_name(new_facts_path) -> Path:
    """Where a draft goes by default: output/<单位><年度>年工作总结-草稿.docx."""
    from .pipeline import load_facts, report_name

    name = report_name(load_facts(new_facts_path, with_previous=False))
    return Path("output") / name.replace(".docx", "-草稿.docx")


def draft_from_last(last_facts_path, new_facts_path, report_path, output) -> Redrafted:
    """``new-year FACTS --report LAST_FINAL.docx --draft OUT.docx``: last year's report rewritten for the new year."""
    from .document import read_document
    from .pipeline import load_facts
    from .trace import trace

    last = load_facts(last_facts_path)
    links = trace(last, read_document(report_path))
    new = load_facts(new_facts_path)
    return redraft(links, new, output, from_year=last.year)


def refresh(facts_path, draft_path, output) -> Redrafted:
    """``build FACTS --report DRAFT.docx``: the draft's figures and 待填 markers brought up to the facts, words untouched."""
    from .document import read_document
    from .pipeline import load_facts
    from .trace import trace

    facts = load_facts(facts_path)
    links = trace(facts, read_document(draft_path))
    return redraft(links, facts, output)


__all__ = ["Redrafted", "draft_from_last", "draft_name", "redraft", "refresh"]
