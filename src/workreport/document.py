"""Read an existing report (.docx or text) into paragraphs, sections, sub-items and sentences.

Entry point: ``read_document(path, encoding=None)``.  Every paragraph keeps its number (1-based,
empty paragraphs counted, table cells after the paragraphs before the table) and every
sentence its character offset in the paragraph, so that lint messages and import comments
can say where a figure was written.  Text files may be UTF-8 (with or without BOM), UTF-16
with BOM or GB18030/GBK, the encodings Chinese Windows produces; ``encoding`` names one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import msgspec

from .errors import Problem, WorkreportError
from .facts import display_path

# Declared limits of a report given to lint and import, checked before the work.  A year's summary
# is 5,000–20,000 characters: a .docx of a few hundred KB (more with pictures), a text of 60 KB.
MAX_DOCX_BYTES = 20_000_000  # the .docx file itself (compressed); its parts are limited in docxparts
MAX_TEXT_BYTES = 2_000_000  # a text (.txt) report
MAX_CHARACTERS = 300_000  # characters of text in the whole report, either kind

TITLE, HEADING, BODY, EMPTY = "title", "heading", "body", "empty"
CN_ORDINAL = "一二三四五六七八九十"
_HEADING_RE = re.compile(rf"^\s*([{CN_ORDINAL}]+)、")
# Sub-item markers: 首先/其次/再次/最后 and 一是, 二是 …; at a paragraph's start or after a sentence end.
ITEM_RE = re.compile(rf"(?:^|(?<=[。；;！？]))\s*(首先|其次|再次|最后|[{CN_ORDINAL}]+是)")
# A sentence ends at a full stop, ！ ？ ； (full or half width); a half-width "." only when it is not
# inside a number (5.29, 1.2万).
_SENTENCE_END_RE = re.compile(r"[。！？；;!?]+[”’）)]*|(?<!\d)\.(?!\d)[”’）)]*")


class DocumentError(WorkreportError):
    """The report to read is missing, unreadable or not a report."""


class Sentence(msgspec.Struct, frozen=True):
    """One sentence: its text, the paragraph it is in, and where it starts (0-based) in that paragraph."""

    text: str
    paragraph: int
    offset: int
    section: str | None = None  # the heading of its section, "二、推进生育关怀，扩大社会效应"
    item: str | None = None  # the sub-item it belongs to, "一是"


class Section(msgspec.Struct, frozen=True):
    """A numbered section: 二、 and its heading, the paragraph it starts in, where its body starts."""

    number: int
    heading: str
    paragraph: int
    body_offset: int  # where the text after the heading starts in that paragraph (headings run into body text)

    @property
    def label(self) -> str:
        from .quantity import chinese_numeral

        return f"{chinese_numeral(self.number)}、{self.heading}"


class Document(msgspec.Struct):
    """A report as read: its file, paragraphs (text by number), title, sections and sentences."""

    path: Path
    paragraphs: list[str]
    title: str | None = None
    sections: list[Section] = msgspec.field(default_factory=list)
    sentences: list[Sentence] = msgspec.field(default_factory=list)
    data: bytes | None = None  # a .docx's bytes as read and checked: what an edit of it starts from

    def __repr__(self) -> str:  # the .docx's bytes left out: a failing test or a log line need not print a whole file
        return f"Document(path={self.path!r}, paragraphs={len(self.paragraphs)}, title={self.title!r})"

    @property
    def shown(self) -> str:
        """The file name as messages show it."""
        return display_path(self.path)

    def paragraph(self, number: int) -> str:
        """The text of paragraph ``number`` (1-based)."""
        return self.paragraphs[number - 1]

    def in_paragraph(self, number: int) -> list[Sentence]:
        """The sentences of one paragraph, in order."""
        return [s for s in self.sentences if s.paragraph == number]

    def section_of(self, number: int) -> Section | None:
        """The section paragraph ``number`` belongs to."""
        current = None
        for section in self.sections:
            if section.paragraph <= number:
                current = section
        return current


def read_document(path: str | Path, encoding: str | None = None) -> Document:
    """Read a .docx or text report and split it into sections, sub-items and sentences."""
    path = Path(path)
    paragraphs, data = _read_paragraphs(path, encoding)
    if not any(p.strip() for p in paragraphs):
        raise DocumentError(Problem("文件中没有文字", file=display_path(path)))
    doc = split(path, paragraphs)
    doc.data = data
    return doc


def split(path: Path, paragraphs: list[str]) -> Document:
    """The structure of a report given its paragraphs: title, numbered sections, sub-items, sentences."""
    doc = Document(path, paragraphs)
    current_section: Section | None = None
    current_item: str | None = None
    for number, text in enumerate(paragraphs, 1):
        if not text.strip():
            continue
        if doc.title is None:
            doc.title = text.strip()
            continue
        body_start = 0
        heading = _HEADING_RE.match(text)
        if heading:
            from .quantity import parse_chinese_number

            end = heading_end(text, heading.end())
            current_section = Section(parse_chinese_number(heading.group(1)), _strip_end(text[heading.end():end]), number, end)
            doc.sections.append(current_section)
            current_item = None
            body_start = end
        label = current_section.label if current_section else None
        for offset, sentence in sentences_of(text, body_start):
            marker = ITEM_RE.match(sentence)
            if marker:
                current_item = marker.group(1)
            doc.sentences.append(Sentence(sentence, number, offset, label, current_item))
    return doc


def heading_end(text: str, start: int) -> int:
    """Where a section heading that starts at ``start`` ends.

    Usually the heading is the whole paragraph.  When body text runs on in the same paragraph
    (a common slip) the heading ends at a sub-item marker (一是), or, for the usual two
    parallel clauses (关注青春健康，拓展服务范围), after a second clause as long as the first;
    otherwise at its first full stop.
    """
    rest = text[start:]
    stop = re.search(r"[。；;！？]", rest)
    segment = rest[: stop.start()] if stop else rest
    item = re.search(rf"(首先|[{CN_ORDINAL}]+是)", segment)
    if item and item.start() > 0:
        return start + item.start()
    first = re.match(r"[^，,]+[，,]", segment)
    if first and len(segment) > 2 * len(first.group()) + 2:
        return start + 2 * len(first.group()) - 1
    return start + (stop.end() if stop else len(rest))


def _strip_end(heading: str) -> str:
    return heading.strip().rstrip("。.；;").strip()


def sentences_of(text: str, start: int = 0) -> Iterator[tuple[int, str]]:
    """The sentences of a paragraph from ``start``, each with its offset; the end mark stays with its sentence."""
    position = start
    for match in _SENTENCE_END_RE.finditer(text, start):
        if match.start() == 0 or match.end() <= position:
            continue
        yield from _trimmed(text, position, match.end())
        position = match.end()
    if text[position:].strip():
        yield from _trimmed(text, position, len(text))


def _trimmed(text: str, start: int, end: int) -> Iterator[tuple[int, str]]:
    piece = text[start:end]
    stripped = piece.lstrip()
    if stripped.strip():
        yield start + len(piece) - len(stripped), stripped.rstrip()


def _read_paragraphs(path: Path, encoding: str | None) -> tuple[list[str], bytes | None]:
    """The paragraphs of the file, by its kind, within the declared limits; and a .docx's bytes."""
    from .inputs import read_bytes

    shown = display_path(path)
    suffix = path.suffix.lower()
    if suffix in (".doc", ".wps", ".rtf", ".pdf"):
        raise DocumentError(Problem(f"不能读取 {suffix} 文件；请在 Word/WPS 中“另存为” .docx 或纯文本（.txt）后再试", file=shown))
    data = None
    if suffix in (".docx", ".docm"):
        data = read_bytes(path, MAX_DOCX_BYTES, "Word 总结（.docx）", DocumentError)
        paragraphs = docx_paragraphs(path, data)
    else:
        paragraphs = text_paragraphs(path, encoding, read_bytes(path, MAX_TEXT_BYTES, "文本总结（.txt）", DocumentError))
    characters = sum(len(p) for p in paragraphs)
    if characters > MAX_CHARACTERS:
        raise DocumentError(Problem(f"文字太多：{characters} 个字符，一份总结的上限是 {MAX_CHARACTERS} 个字符"
                                    "（一年的工作总结通常一两万字）；请检查是否选错了文件", file=shown))
    return paragraphs, data


def docx_paragraphs(path: Path, data: bytes) -> list[str]:
    """The paragraphs of a .docx (its bytes ``data``) in document order; each table cell's paragraphs follow in row order."""
    from .docxparts import main_document

    body = main_document(data, display_path(path), DocumentError).find(f"{_W}body")
    return [] if body is None else [paragraph_text(p) for p in paragraph_elements(body)]


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def paragraph_elements(container) -> list:
    """The w:p elements of a body or table cell in reading order: its paragraphs, each table's cells row by row
    (a merged cell is one w:tc, read once), and the paragraphs inside content controls.  The one order in which
    paragraphs are numbered: the reader's, and the editor's (docxedit) that writes comments and drafts."""
    out: list = []
    for block in container:
        if block.tag == f"{_W}p":
            out.append(block)
        elif block.tag == f"{_W}tbl":
            for cell in block.iterfind(f"{_W}tr/{_W}tc"):
                out += paragraph_elements(cell)
        elif block.tag in (f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml"):  # content controls hold paragraphs too
            out += paragraph_elements(block)
    return out


def text_runs(paragraph) -> list:
    """The w:r elements whose text a paragraph shows, in order: its runs, also those inside hyperlinks, insertions
    (tracked changes), fields and content controls; not deleted text, nor text boxes (drawn shapes hold them twice)."""
    out: list = []
    for child in paragraph:
        name = child.tag[len(_W):] if isinstance(child.tag, str) and child.tag.startswith(_W) else ""
        if name == "r":
            out.append(child)
        elif name in _WRAPPERS:
            out += text_runs(child)
    return out


def run_text(run) -> str:
    """What one w:r shows."""
    return "".join(_RUN_TEXT[item.tag[len(_W):]](item) for item in run if isinstance(item.tag, str) and item.tag[len(_W):] in _RUN_TEXT)


def paragraph_text(paragraph) -> str:
    """A paragraph's text as Word shows it (see ``text_runs``)."""
    return "".join(run_text(r) for r in text_runs(paragraph))


_RUN_TEXT = {  # what each piece of a run shows, as python-docx reads it
    "t": lambda node: node.text or "",
    "tab": lambda node: "\t",
    "ptab": lambda node: "\t",
    "cr": lambda node: "\n",
    "br": lambda node: "\n" if node.get(f"{_W}type", "textWrapping") == "textWrapping" else "",
    "noBreakHyphen": lambda node: "-",
}
_WRAPPERS = {"hyperlink", "ins", "moveTo", "smartTag", "fldSimple", "customXml", "sdt", "sdtContent"}


def text_paragraphs(path: Path, encoding: str | None, raw: bytes) -> list[str]:
    """The lines of a text file (its bytes ``raw``), decoded as ``encoding`` or as the encoding detected."""
    shown = display_path(path)
    if encoding:
        try:
            text = raw.decode(encoding)
        except LookupError as exc:
            raise DocumentError(Problem(f"不认识的编码“{encoding}”；常用的是 utf-8、gb18030、gbk", file=shown)) from exc
        except UnicodeDecodeError as exc:
            line = _line_at(raw, exc.start, encoding)
            raise DocumentError(Problem(f"文件不是 {encoding} 编码（第 {line} 行无法解码）；去掉 --encoding 让程序自己识别", file=shown, line=line)) from exc
        except (UnicodeError, ValueError) as exc:  # a codec that is not a text encoding of files (idna, punycode …)
            raise DocumentError(Problem(f"不能用编码“{encoding}”读取这个文件（{exc}）；常用的是 utf-8、gb18030、gbk", file=shown)) from exc
    else:
        text = decode(raw, shown)
    if "\x00" in text:
        raise DocumentError(Problem("这不是文本文件（含有二进制内容）；请给出 .docx 或 .txt 文件", file=shown))
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")


def decode(raw: bytes, shown: str) -> str:
    """Text in UTF-8 (BOM optional), UTF-16 with BOM, or GB18030 (which covers GBK and GB2312)."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            line = _line_at(raw, exc.start, "utf-16")
            why = "文件长度为奇数，最后一个字节不成字" if exc.reason == "truncated data" else "有一个不成对的代理码（孤立的半个字符）"
            raise DocumentError(Problem(f"文件是 UTF-16 编码（Windows“Unicode”），但这一行无法解码：{why}，文件可能已损坏；"
                                        "请在编辑器中打开，“另存为 UTF-8”后再试", file=shown, line=line)) from exc
    for name in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(name)
        except UnicodeDecodeError:
            continue
    raise DocumentError(Problem("无法识别文件的编码（不是 UTF-8 也不是 GBK/GB18030）；请用 --encoding 指明，或另存为 UTF-8", file=shown))


def _line_at(raw: bytes, position: int, encoding: str) -> int:
    """The line number of byte ``position`` of ``raw`` in ``encoding``."""
    return raw[:position].decode(encoding, errors="replace").count("\n") + 1
