"""Draft a facts file from an existing report: ``workreport import``.

Entry point: ``import_report(path, output, year=None, encoding=None, force=False)``.  The
report is read (document.read_document) and its figures found (lint.read_figures, the same
prose parser as the lint); the report kind's ``import.yaml`` says how each fact is usually
written, and every figure or name that fits is written to the draft with a comment that
quotes the sentence and names paragraph and character.  Figures the program derives
(改革开放N年, 成立N周年, 共投) are not written but checked in the summary; figures that
fit no fact are kept, with their sentence, as comments at the end of the draft.  The draft
is then validated and its paragraph templates probed, so the summary lists exactly what
staff must still fill in.  The draft is written atomically and never over an existing file
without ``force``.
"""

from __future__ import annotations

import difflib
import io
import re
from pathlib import Path
from typing import Any

import msgspec

from .document import Document
from .errors import Problem, TemplateError
from .facts import Path_, display_path, dotted, parse_dotted
from .fsutil import atomic_write, refuse_existing
from .kind import Kind, load_kind, read_yaml
from .lint import FULL_WIDTH_ALL, half_width_marks, lint
from .prose import Reading
from .prose.reading import CLAUSE_LIMIT, collection_paused
from .prose.lists import items_named
from .prose import ProseFigure
from .quantity import Quantity
from .rules.relations import leading_count

_CLAUSE_END = "，。；！？："
SHOWN_UNMATCHED = 12  # on screen; the draft keeps them all
_HAN = "\u4e00-\u9fff"


class Source(msgspec.Struct, frozen=True):
    """Where a value came from: paragraph, character (0-based) and the words around it."""

    paragraph: int
    offset: int
    quote: str

    def comment(self) -> str:
        return f"原文第{self.paragraph}段第{self.offset + 1}字：“{self.quote}”"


class Draft(msgspec.Struct):
    """The import's result: where the draft went, what was filled, and what staff must still do."""

    output: Path
    document: Document
    year: int
    filled: dict[str, Source] = msgspec.field(default_factory=dict)  # dotted key → where it came from
    must_fill: list[str] = msgspec.field(default_factory=list)  # dotted key: what is missing and why, in Chinese
    derived: list[str] = msgspec.field(default_factory=list)  # figures left to the program, with the text's own figure
    unmatched: list[tuple[Source, str]] = msgspec.field(default_factory=list)  # figures that fit no fact: source, figure
    defects: list[str] = msgspec.field(default_factory=list)  # what lint found in the report
    openings: list[str] = msgspec.field(default_factory=list)  # last year's stocks implied by this year's flows

    def summary(self) -> str:
        """What the import did and what is left, in Chinese, for the terminal."""
        shown = display_path(self.output)
        lines = [f"已生成草稿：{shown}（{self.year} 年度，由 {self.document.shown} 读取，填入 {len(self.filled)} 项）"]
        if self.must_fill:
            lines.append(f"须填写或改正 {len(self.must_fill)} 项，之后才能生成总结：")
            lines += [f"  {item}" for item in self.must_fill]
        else:
            lines.append("草稿通过了格式检查，可以直接生成总结；请逐项核对注释中的原文。")
        if self.derived:
            lines.append("以下数字由程序推算，未写入草稿：")
            lines += [f"  {item}" for item in self.derived]
        if self.openings:
            lines.append("由本年度的增减推算的上年数（请核对上一年度事实文件中是否一致；没有该文件时可据此建立）：")
            lines += [f"  {item}" for item in self.openings]
        if self.defects:
            lines.append("原文中的问题（workreport lint 的结果，草稿中已按推算改正或请核对）：")
            lines += [f"  {item}" for item in self.defects]
        if self.unmatched:
            lines.append(f"未能对应到事实的数字 {len(self.unmatched)} 个（全部列在草稿末尾的注释中）：")
            lines += [f"  第{s.paragraph}段 {figure}：“{s.quote}”" for s, figure in self.unmatched[:SHOWN_UNMATCHED]]
            if len(self.unmatched) > SHOWN_UNMATCHED:
                lines.append(f"  ……另有 {len(self.unmatched) - SHOWN_UNMATCHED} 个，见草稿末尾")
        return "\n".join(lines)


def import_report(path: str | Path, output: str | Path, year: int | None = None, encoding: str | None = None,
                  force: bool = False, kind: Kind | None = None) -> Draft:
    """Read a report and write a draft facts file for it; return what was filled and what is missing."""
    output = Path(output)
    refuse_existing(output, force, inputs=[path])
    kind = kind or load_kind()
    linted = lint(path, year, encoding)
    doc, year, reading = linted.document, linted.year, linted.reading
    mapper = Mapper(reading, kind, prose_entries(kind))
    with collection_paused():
        values = mapper.run()
    _mark_required(values, mapper.sources, kind)
    filled = {key: source for key, source in mapper.sources.items() if source.paragraph >= 0}
    draft = Draft(output, doc, year, filled, derived=mapper.derived, unmatched=mapper.unmatched())
    draft.defects = [f"第{f.line}段 [{f.code}] {f.message}" for f in linted.findings if not f.code.startswith("WR7")]
    text = render_yaml(values, mapper.sources, draft, kind)
    atomic_write(output, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    draft.must_fill, draft.openings = still_missing(output, kind)
    if draft.must_fill:
        _append_missing(output, draft)
    return draft


def _mark_required(values: dict, sources: dict[str, Source], kind: Kind) -> None:
    """Write what a report needs and the text does not say (成文日期, 单位) as 待填.

    Then ``check`` stops on each of them (WR001) as ``build`` would, instead of passing the draft and
    leaving ``build`` to stop on a missing key.
    """
    from .schema import UNFILLED

    for key in _required(kind):
        if key not in values:
            values[key] = UNFILLED
            sources[key] = Source(-1, 0, "")


def prose_entries(kind: Kind) -> list[dict]:
    """The kind's import.yaml: how each fact is written in prose."""
    source = kind.folder / "import.yaml"
    if not source.exists():
        raise TemplateError(Problem(f"报告模板“{kind.name}”没有 import.yaml，无法从总结读取事实", file=str(source)))
    return read_yaml(source) or []


class Mapper:
    """Matches the report's figures and phrases to facts keys, entry by entry of import.yaml."""

    def __init__(self, reading: Reading, kind: Kind, entries: list[dict]):
        self.reading = reading
        self.doc = reading.doc
        self.kind = kind
        self.entries = entries
        self.values: dict = {}
        self.sources: dict[str, Source] = {}
        self.derived: list[str] = []
        self.claimed: set[tuple[int, int]] = set()  # (paragraph, start) of figures used
        self.spans: list[tuple[int, int, int]] = []  # (paragraph, start, end) of texts taken as values
        # Paragraphs as read (a hard-wrapped one joined back under its first line; its other lines empty here).
        self.text = {n: normalized(reading.paragraph(n)) for n in range(1, len(self.doc.paragraphs) + 1)}
        self.section_ids = section_ids(self.doc, kind)

    def run(self) -> dict:
        """Every entry applied in order; returns the draft's values (plain data, figures as staff write them)."""
        self._basics()
        for entry in self.entries:
            if "式" in entry:
                self._text(entry)
            elif entry.get("年份") or "单位" in entry:
                self._figure(entry)
        return self.values

    # --- values common to every report ---------------------------------------------------

    def _basics(self) -> None:
        doc, year = self.doc, self.reading.year
        self._put("年度", year, None)
        if doc.title:
            first = next(n for n, t in enumerate(doc.paragraphs, 1) if t.strip())
            self._put("标题", doc.title, Source(first, 0, _short(doc.title)))
        county = county_name(doc)
        if county:
            n, offset = _find(doc, county)
            self._put("县名", county, Source(n, offset, _around(doc.paragraph(n), offset, offset + len(county))))
            self._put("单位", f"{county}计划生育协会", None)
            self.sources["单位"] = Source(0, 0, "")  # marked as a guess in the comment
            short = f"{county}计生协会"
            if short in "\n".join(doc.paragraphs):
                n, offset = _find(doc, short)
                self._put("简称", short, Source(n, offset, _around(doc.paragraph(n), offset, offset + len(short))))
        last = max((n for n, t in enumerate(doc.paragraphs, 1) if t.strip()), default=0)
        author = re.search(r"[（(]([\u4e00-\u9fff]{2,4})[）)]\s*$", doc.paragraph(last)) if last else None
        if author:
            self._put("执笔人", author.group(1), Source(last, author.start(), author.group()))
        date = re.search(r"((?:19|20)\d\d)年(\d{1,2})月(\d{1,2})日", "\n".join(doc.paragraphs[-3:]))
        if date:
            self._put("成文日期", f"{date.group(1)}-{int(date.group(2)):02d}-{int(date.group(3)):02d}", None)

    # --- phrases ---------------------------------------------------------------------------

    def _text(self, entry: dict) -> None:
        key = entry["键"]
        try:
            pattern = re.compile(entry["式"])
        except re.error as exc:
            raise TemplateError(Problem(f"import.yaml 中“{key}”的正则有误：{exc}", file=str(self.kind.folder / "import.yaml"))) from exc
        for number in self._paragraphs(entry.get("部分")):
            match = pattern.search(self.text[number])
            if not match:
                continue
            raw = match.group("v").strip()
            source = self._source(number, match.start("v"), match.end("v"))
            self.spans.append((number, match.start("v"), match.end("v")))
            if entry.get("命名列表"):
                value: Any = self._named_lists(number, match.start("v"), raw)
            elif entry.get("计划"):
                self._plan(key, raw, match.group("stage"), source)
                return
            elif entry.get("列表") == "整句":
                value = [raw]
            elif entry.get("列表"):
                value = split_list(raw)
            else:
                value = raw
            self._put(key, value, source)
            return

    def _named_lists(self, number: int, start: int, raw: str) -> list[dict]:
        """“六有、五到位、两提高” or “三融入”（…）、“六强化”（…）: each name with the items found for it."""
        names = re.findall(r"“([^”]+)”", raw) if "“" in raw else [n for n in re.split(r"[、，]", raw) if n]
        text = self.reading.paragraph(number)
        out = []
        for name in names:
            at = self.text[number].find(name, start)
            item: dict[str, Any] = {"名称": name}
            count = leading_count(name)
            key = re.sub(rf"^[0-9{'一二两三四五六七八九十'}]+", "", name)
            sentence = self.reading.sentence_at(number, at)
            limit = self.reading.next_sentence_end(sentence) if sentence else len(text)
            items = items_named(text, at + len(name), key, limit) if count and sentence and key else None
            if items:
                items = [i.strip() for i in items]
                first = items[0]
                if len(items) > 1 and items[1].startswith(key) and not first.startswith(key) and key in first:
                    item["引语"] = first[: first.index(key)]
                    items[0] = first[first.index(key):]
                separator = _separator(self.text[number], items)
                if separator != "、":
                    item["分隔"] = separator
                item["内容"] = items
            out.append(item)
        return out

    def _plan(self, key: str, name: str, stage: str, source: Source) -> None:
        """A plan named with its length (五年计划) and the stage the report year is in: its name and years."""
        length = re.search(r"([一二三四五六七八九十])年(?:计划|规划)", name)
        years = leading_count(length.group(1)) if length else None
        self._put(f"{key}.名称", name, source)
        if years:
            start = self.reading.year if stage == "开局之年" else self.reading.year - years + 1
            self._put(f"{key}.起始年份", start, source, note=f"由“{stage}”推算")
            self._put(f"{key}.结束年份", start + years - 1, source, note=f"由“{stage}”推算")

    # --- figures ---------------------------------------------------------------------------

    def _figure(self, entry: dict) -> None:
        key = entry["键"]
        many = "[*]" in key
        for number in self._paragraphs(entry.get("部分")):
            for figure in self.reading.figures.get(number, []):
                if (number, figure.start) in self.claimed or not self.fits(entry, number, figure):
                    continue
                self.claimed.add((number, figure.start))
                self._take(entry, number, figure)
                if not many:
                    return

    def fits(self, entry: dict, number: int, figure: ProseFigure) -> bool:
        """Whether a figure meets an entry's conditions (unit, words before and after, sentence)."""
        text = self.text[number]
        if entry.get("年份"):
            if year_of(figure, self.reading.year) is None:
                return False
        else:
            if figure.is_year or not unit_fits(entry["单位"], figure.quantity):
                return False
        before = _clause_before(text, figure.start)
        after = _clause_after(text, figure.end)
        if "前" in entry and not re.search(entry["前"], before):
            return False
        if "后" in entry and not re.search(entry["后"], after):
            return False
        sentence = self.reading.sentence_at(number, figure.start)
        sentence_text = text[sentence.offset:sentence.end] if sentence else text
        if "句" in entry and not re.search(entry["句"], sentence_text):
            return False
        if "后文" in entry:
            rest = text[figure.end:sentence.offset + len(sentence.text)] if sentence else text[figure.end:]
            if not re.search(entry["后文"], rest):
                return False
        return True

    def _take(self, entry: dict, number: int, figure: ProseFigure) -> None:
        """Write (or check, or note as derived) the figure an entry matched."""
        key = entry["键"]
        source = self._source(number, figure.start, figure.end)
        if entry.get("推算"):
            self.derived.append(f"{key}：原文“{figure.text}”（第{number}段），由程序推算；不一致时 make check 会指出")
            return
        if entry.get("年份"):
            self._put(entry.get("写入", key), year_of(figure, self.reading.year), source)
            return
        if entry.get("换算") == "年度减":
            value = self.reading.year - int(figure.quantity.value)
            self._put(entry.get("写入", key), value, source, note=f"由“{figure.text}来”推算：{self.reading.year} − {int(figure.quantity.value)}")
            self.derived.append(f"{key}：原文“{figure.text}”（第{number}段），由开始年份 {value} 推算")
            return
        value = written(figure.quantity, entry["单位"])
        if "[*]" in key:
            head, tail = key.split("[*].", 1)
            item = {"来源": _source_words(self.text[number], figure.start), tail: value}
            self._append(head, item, source)
            return
        if key in self.sources:
            self._recheck(key, value, figure, source)
            return
        self._put(key, value, source)
        dated = entry.get("注明年份")
        if dated:
            year = figure.dated or self.reading.year
            other = figure.dated is not None
            if other:
                sentence = self.reading.sentence_at(number, figure.start)
                dating = next(f for f in self.reading.figures_in(sentence) if f.year == figure.dated)
                self.claimed.add((number, dating.start))
            self._put(dated, year, source, note="原文注明的年份" if other else "原文未注明年份，按本年度")

    def _recheck(self, key: str, value: Any, figure: ProseFigure, source: Source) -> None:
        """A fact stated again: agree silently, disagree loudly."""
        first = self._get(key)
        if str(first) != str(value):
            self.derived.append(f"{key}：第{self.sources[key].paragraph}段写 {first}，第{source.paragraph}段写 {figure.text}，请核对后只保留正确的一个")

    # --- the tree --------------------------------------------------------------------------

    def _paragraphs(self, section: str | None) -> list[int]:
        return [n for n, sid in self.section_ids.items() if section is None or sid == section]

    def _put(self, key: str, value: Any, source: Source | None, note: str | None = None) -> None:
        node = self.values
        path = parse_dotted(key)
        for step in path[:-1]:
            node = node.setdefault(step, {})
        node[path[-1]] = value
        if source is not None:
            self.sources[key] = Source(source.paragraph, source.offset, f"{source.quote}" + (f"；{note}" if note else ""))

    def _append(self, key: str, item: dict, source: Source) -> None:
        node = self.values
        path = parse_dotted(key)
        for step in path[:-1]:
            node = node.setdefault(step, {})
        items = node.setdefault(path[-1], [])
        items.append(item)
        for field_name in item:
            if field_name != "来源":
                self.sources[f"{key}[{len(items) - 1}].{field_name}"] = source

    def _source(self, number: int, start: int, end: int, width: int = 16) -> Source:
        """Where characters start–end of a paragraph as read are in the report (their own line, if it was hard-wrapped)."""
        line, offset = self.reading.place(number, start)
        return Source(line, offset, _around(self.reading.written(number), start, end, width))

    def _get(self, key: str) -> Any:
        node: Any = self.values
        for step in parse_dotted(key):
            node = node[step]
        return node

    def unmatched(self) -> list[tuple[Source, str]]:
        """Figures no entry took, except this year's date and figures inside phrases taken as values."""
        out = []
        for number, figures in self.reading.figures.items():
            for figure in figures:
                if (number, figure.start) in self.claimed or (figure.is_year and figure.quantity.value == self.reading.year):
                    continue
                if any(n == number and s <= figure.start < e for n, s, e in self.spans):  # one span at most per entry
                    continue
                # A few words each side, not the whole sentence: a short report has dozens of such figures.
                out.append((self._source(number, figure.start, figure.end, width=10), figure.text))
        return out


# --- reading helpers ------------------------------------------------------------------------


def normalized(text: str) -> str:
    """The paragraph with half-width punctuation beside Chinese made full-width (same length, offsets kept)."""
    marks = set(half_width_marks(text))
    return "".join(FULL_WIDTH_ALL.get(ch, ch) if i in marks else ch for i, ch in enumerate(text))


def section_ids(doc: Document, kind: Kind) -> dict[int, str]:
    """Each non-empty paragraph's section id in the outline, by heading similarity; the closing paragraphs are 结束语."""
    outline = kind.outline.get("sections", [])
    headings = {s["id"]: _plain(s.get("heading", "")) for s in outline}
    chosen: dict[int, str] = {}
    for section in doc.sections:
        scores = {sid: difflib.SequenceMatcher(None, _plain(section.heading), h).ratio() for sid, h in headings.items()}
        best = max(scores, key=scores.get) if scores else None
        if best and scores[best] >= 0.5:
            chosen[section.paragraph] = best
        elif 0 < section.number <= len(outline):
            chosen[section.paragraph] = outline[section.number - 1]["id"]
    out: dict[int, str] = {}
    current = None
    closing = False
    for number, text in enumerate(doc.paragraphs, 1):
        if number in chosen:
            current = chosen[number]
        if doc.sections and number > doc.sections[-1].paragraph and re.match(r"\s*(以上|总之|综上)", text):
            closing = True
        if text.strip() and current:
            out[number] = "结束语" if closing else current
    return out


def _plain(text: str) -> str:
    return re.sub(rf"[^{_HAN}]", "", text)


# A county name is 2–6 Chinese characters before 县/区/旗 at the start of a phrase; these never belong to one.
_NOT_IN_NAME = re.compile("[全我本该各每示项目范一个年以来在了的对和与为从按今从全乡村镇市省]")
_COUNTY_RE = re.compile(rf"(?:^|(?<=[^{_HAN}])|(?<=[省市]))([{_HAN}]{{2,6}}?(?:满族|蒙古族|回族|土家族|苗族|彝族|藏族)?(?:自治)?县)")


def county_name(doc: Document) -> str | None:
    """The county the report is about: the 县 that begins the title (丰宁县计生协…), else the X县 the text names most.

    Only names that start a phrase count (after punctuation, a figure, or 省/市): in “2019年以来县协会…”
    the 县 is the county's own word for itself, not a name.
    """
    from collections import Counter

    title = re.match(rf"\s*([{_HAN}]{{2,8}}?县)", doc.title or "")
    if title and not _NOT_IN_NAME.search(title.group(1)[:-1]):
        return title.group(1)
    found = [m.group(1) for p in doc.paragraphs for m in _COUNTY_RE.finditer(p)]
    names = Counter(n for n in found if not _NOT_IN_NAME.search(n[:-1]))
    return names.most_common(1)[0][0] if names else None


def _find(doc: Document, text: str) -> tuple[int, int]:
    for number, paragraph in enumerate(doc.paragraphs, 1):
        if text in paragraph:
            return number, paragraph.index(text)
    return 0, 0


def year_of(figure: ProseFigure, report_year: int) -> int | None:
    """A figure read as a calendar year: 2006年, or the short 06年; None when it is a count of years."""
    if figure.is_year:
        return int(figure.quantity.value)
    short = re.fullmatch(r"(\d\d)\s*年", figure.text)
    if short and figure.quantity.exact:
        value = int(short.group(1))
        return 2000 + value if 2000 + value <= report_year else 1900 + value
    return None


def unit_fits(unit: str, quantity: Quantity) -> bool:
    """Whether a figure is in an entry's unit; 元 also takes an amount written only with 万 (50余万)."""
    if quantity.unit == unit:
        return True
    return unit == "元" and quantity.unit == "" and quantity.scale > 1


def written(quantity: Quantity, unit: str) -> Any:
    """A figure the way facts files write it: 8, 1100多, 30万元, 3000多元, 90%."""
    if unit in ("元", "%"):
        return str(Quantity(quantity.value, unit, quantity.approx, quantity.scale))
    if quantity.exact and quantity.scale == 1 and quantity.value.denominator == 1:
        return int(quantity.value)
    return quantity.number_text()


def _clause_before(text: str, position: int) -> str:
    """The clause before ``position``, read back at most CLAUSE_LIMIT characters (linear on text without commas)."""
    floor = max(0, position - CLAUSE_LIMIT)
    start = max(text.rfind(ch, floor, position) for ch in _CLAUSE_END) + 1 or floor
    return text[max(start, floor):position].strip()


def _clause_after(text: str, position: int) -> str:
    """The clause after ``position``, read at most CLAUSE_LIMIT characters."""
    ceiling = min(len(text), position + CLAUSE_LIMIT)
    ends = [i for i in (text.find(ch, position, ceiling) for ch in _CLAUSE_END) if i >= 0]
    return text[position:min(ends) if ends else ceiling].strip()


def _source_words(text: str, position: int) -> str:
    """What a listed amount is (争取资金, 从生育关怀募捐款中提出): the clause before it, without a leading year phrase."""
    words = _clause_before(text, position)
    return re.sub(r"^.*?(?:开始|以来)", "", words).strip() or words


def split_list(raw: str) -> list[str]:
    """An enumeration as items: split at 、 and ， outside quotes, the last item once more at 和/及/与; 等 dropped."""
    items, depth, current = [], 0, ""
    for ch in raw:
        depth += ch in "“《（"
        depth -= ch in "”》）"
        if ch in "、，" and depth == 0:
            items.append(current)
            current = ""
        else:
            current += ch
    items.append(current)
    items = [i.strip() for i in items if i.strip()]
    if items:
        items += _split_last(re.sub(r"等$", "", items.pop()))
    return [_unquoted(i) for i in items if i]


def _split_last(item: str) -> list[str]:
    """The last item of an enumeration split once at 和/及/与/以及 outside quotes: 宣传单及健康服务手册 → two items."""
    depth, at = 0, None
    for match in re.finditer(r"以及|和|及|与|[“”《》]", item):
        if match.group() in "“《":
            depth += 1
        elif match.group() in "”》":
            depth -= 1
        elif depth == 0 and match.start() > 0:
            at = match
    if at is None or at.end() >= len(item):
        return [item]
    return [item[: at.start()], item[at.end():]]


def _unquoted(item: str) -> str:
    """“母亲节” → 母亲节, 5.29“会员活动日” → 5.29会员活动日; quotes inside a longer phrase stay."""
    match = re.fullmatch(rf"([^“”{_HAN}]*)“([^“”]+)”", item)
    return match.group(1) + match.group(2) if match else item


def _separator(text: str, items: list[str]) -> str:
    """The punctuation between the first two items as written (、 or ，)."""
    if len(items) < 2:
        return "、"
    at = text.find(items[1])
    return text[at - 1] if at > 0 and text[at - 1] in "、，；" else "、"


def _around(text: str, start: int, end: int, width: int = 16) -> str:
    """The words around a span, at most ``width`` characters each side, in its clause's sentence."""
    left = max(0, start - width)
    right = min(len(text), end + width)
    return ("…" if left else "") + text[left:right].strip() + ("…" if right < len(text) else "")


def _short(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[:width] + "…"


# --- writing --------------------------------------------------------------------------------


def render_yaml(values: dict, sources: dict[str, Source], draft: Draft, kind: Kind) -> str:
    """The draft as YAML in the schema's key order, every value with the comment that says where it came from."""
    from ruamel.yaml import YAML

    tree = _commented(values, kind.schema, (), sources, kind.schema)
    yaml = YAML()
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096
    stream = io.StringIO()
    yaml.dump(tree, stream)
    head = [
        "# yaml-language-server: $schema=../templates/fpa-annual/schema.json",
        f"# 事实文件草稿：由 workreport import 从 {draft.document.shown} 读取（{draft.year} 年度）。",
        "# 每个数字后的注释是它在原文中的位置和原句；请逐项核对，核对后可删去注释。",
        "# 合计、“N年来”、“成立N周年”、“N大基地”等由程序推算，没有写入；运行 make check 核对。",
        "",
    ]
    tail = []
    if draft.unmatched:
        tail += ["", "# 以下数字未能对应到事实文件的键，原句保留在这里供参考（可写入合适的键，或删去）："]
        tail += [f"#   第{s.paragraph}段第{s.offset + 1}字 {figure}：{s.quote}" for s, figure in draft.unmatched]
    if draft.derived:
        tail += ["", "# 由程序推算、未写入的数字（原文的写法）："]
        tail += [f"#   {item}" for item in draft.derived]
    return "\n".join(head) + stream.getvalue() + "\n".join(tail) + ("\n" if tail else "")


def _commented(value: Any, schema: dict, path: Path_, sources: dict[str, Source], root: dict) -> Any:
    """Plain data → ruamel's commented containers, keys in schema order, end-of-line comments from ``sources``."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    from .schema import resolve_ref

    node = resolve_ref(schema or {}, root)
    if isinstance(value, dict):
        order = list(node.get("properties", {}))
        out = CommentedMap()
        for key in sorted(value, key=lambda k: order.index(k) if k in order else len(order)):
            child = (*path, key)
            out[key] = _commented(value[key], node.get("properties", {}).get(key, {}), child, sources, root)
            comment = _comment_for(dotted(child), sources)
            if comment and not isinstance(value[key], (dict, list)):
                out.yaml_add_eol_comment(comment, key)
            elif comment:
                out.yaml_set_comment_before_after_key(key, before=comment, indent=2 * len(path))
        return out
    if isinstance(value, list):
        out_list = CommentedSeq()
        for index, item in enumerate(value):
            out_list.append(_commented(item, node.get("items", {}), (*path, index), sources, root))
            comment = _comment_for(dotted((*path, index)), sources)
            if comment and not isinstance(item, (dict, list)):
                out_list.yaml_add_eol_comment(comment, index)
        return out_list
    return value


def _comment_for(key: str, sources: dict[str, Source]) -> str | None:
    source = sources.get(key)
    if source is None:
        return None
    if source.paragraph == 0:
        return "推测，请核对（原文没有写全称）"
    if source.paragraph < 0:
        return "原文中没有；生成总结前须填写"
    return source.comment()


def still_missing(output: Path, kind: Kind) -> tuple[list[str], list[str]]:
    """What the draft still lacks (schema problems, then the facts the templates need), and the implied openings."""
    from .errors import FactsError
    from .facts import load
    from .schema import validate

    try:
        facts = validate(load(output), kind)
    except FactsError as exc:
        return [str(p) for p in exc.problems], []
    from .rules.assemble import missing_facts
    from .rules.derive import derive
    from .schema import is_unfilled

    ctx = derive(facts)
    shown = display_path(output)
    unfilled = [key for key in _required(kind) if ctx.values.get(key) is None or is_unfilled(ctx.values.get(key))]
    missing = [f"{shown} {key}：生成总结需要填写" for key in unfilled]
    needed = [dotted(path) for path in missing_facts(facts, ctx)]  # what check reports as WR002
    missing += [f"{shown} {key}：模板需要这一项，原文中没有找到" for key in needed if key not in unfilled]
    return missing, implied_openings(facts, ctx)


def _required(kind: Kind) -> list[str]:
    """The top-level values a report cannot be built without: those assembly needs and those the schema requires."""
    from .rules.assemble import REQUIRED_FOR_REPORT

    properties = (kind.schema or {}).get("properties", {})
    required = [k for k in (kind.schema or {}).get("required", []) if (properties.get(k) or {}).get("type") != "object"]
    return list(dict.fromkeys([*REQUIRED_FOR_REPORT, *required]))


def implied_openings(facts, ctx) -> list[str]:
    """Last year's closing figure of every stock whose closing and flows this year's text gives: 180 − 8 + 6 = 178."""
    from fractions import Fraction

    from .rules.derive import relations_of
    from .rules.relations import StockFlow

    out = []
    for relation in relations_of(facts):
        if not isinstance(relation, StockFlow):
            continue
        closing = ctx.get(relation.closing)
        ins = [ctx.get(p) for p in relation.inflow]
        outs = [ctx.get(p) for p in relation.outflow]
        if closing is None or any(q is None for q in ins + outs):
            continue
        value = closing.value - sum((q.value for q in ins), Fraction(0)) + sum((q.value for q in outs), Fraction(0))
        formula = f"{closing}" + "".join(f" − {q}" for q in ins) + "".join(f" + {q}" for q in outs)
        shown = Quantity(value, closing.unit, closing.approx, closing.scale)
        out.append(f"{dotted(relation.opening)} = {formula} = {shown}（{relation.name}）")
    return out


def _append_missing(output: Path, draft: Draft) -> None:
    """Add the list of what to fill in at the end of the draft (rewritten atomically)."""
    text = output.read_text(encoding="utf-8")
    text += "\n# 须填写或改正（填好后删去这几行注释）：\n" + "".join(f"#   {item}\n" for item in draft.must_fill)
    atomic_write(output, lambda tmp: tmp.write_text(text, encoding="utf-8"))

