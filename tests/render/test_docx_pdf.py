"""The report as LibreOffice prints it: page size, 22 lines x 28 characters, page numbers, fonts, signature.

One conversion per module (the machine has two cores); every test measures the same PDF.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass

import docx
import pdfplumber
import pytest

from tests.render.render_support import TRICKY_TEXT, make_report, run_tool
from workreport.model import BODY, Paragraph

MM = 72 / 25.4
PAGE = (210 * MM, 297 * MM)
LEFT, RIGHT = 28 * MM, (210 - 26) * MM
TOP, BOTTOM = 37 * MM, (297 - 35) * MM
LINE = 28.95
BODY_SIZE = 16


@dataclass
class Line:
    """One printed line: its characters left to right."""

    chars: list

    @property
    def text(self) -> str:
        return "".join(c["text"] for c in self.chars)

    @property
    def top(self) -> float:
        return min(c["top"] for c in self.chars)

    @property
    def x0(self) -> float:
        return self.chars[0]["x0"]

    @property
    def x1(self) -> float:
        return self.chars[-1]["x1"]

    @property
    def size(self) -> float:
        return round(max(c["size"] for c in self.chars))

    def fonts(self) -> set[str]:
        return {c["fontname"].split("+")[-1] for c in self.chars if not c["text"].isascii()}


def lines_of(page) -> list[Line]:
    """The page's lines, top to bottom (characters grouped by baseline)."""
    rows = defaultdict(list)
    for char in page.chars:
        if char["text"].strip():
            rows[round(char["bottom"])].append(char)
    return [Line(sorted(chars, key=lambda c: c["x0"])) for _, chars in sorted(rows.items())]


@pytest.fixture(scope="module")
def report():
    """The Fengning report, with one paragraph of characters that must print literally."""
    paragraphs = list(make_report().paragraphs)
    paragraphs.insert(2, Paragraph(TRICKY_TEXT, BODY))
    return make_report(paragraphs=paragraphs)


@pytest.fixture(scope="module")
def pdf_path(report, render_docx, to_pdf):
    return to_pdf(render_docx(report))


@pytest.fixture(scope="module")
def pages(pdf_path):
    """Per page: the text lines inside the text block, and the footer lines below it."""
    with pdfplumber.open(pdf_path) as pdf:
        result = []
        for page in pdf.pages:
            lines = lines_of(page)
            result.append(
                {
                    "size": (page.width, page.height),
                    "body": [line for line in lines if line.top < BOTTOM],
                    "footer": [line for line in lines if line.top >= BOTTOM],
                }
            )
        return result


@pytest.fixture(scope="module")
def body_pages(pages):
    """Pages before the attachment page (附件1)."""
    end = next(i for i, p in enumerate(pages) if p["body"] and p["body"][0].text == "附件1")
    return pages[:end]


def test_every_page_is_a4(pages):
    assert len(pages) >= 5
    for page in pages:
        assert page["size"] == pytest.approx(PAGE, abs=1)


def test_full_body_pages_have_22_lines_on_the_grid(body_pages):
    full = body_pages[1:-1]
    assert len(full) >= 3, "the sample report should fill several body pages"
    for number, page in enumerate(full, start=2):
        lines = page["body"]
        assert len(lines) == 22, f"page {number}: {len(lines)} lines"
        gaps = [b.top - a.top for a, b in zip(lines, lines[1:])]
        assert gaps == pytest.approx([LINE] * 21, abs=0.6), f"page {number} is off the 28.95 pt grid"
        assert lines[0].top >= TOP - 3 and lines[-1].top + BODY_SIZE <= BOTTOM + 3
    # page 1 (title, blank line, body) ends on the same grid line as the full pages
    assert body_pages[0]["body"][-1].top == pytest.approx(full[0]["body"][-1].top, abs=0.6)


def test_no_body_line_longer_than_28_characters(body_pages):
    full_lines = []  # character counts of justified all-Chinese lines that are not a paragraph's last
    for page in body_pages:
        for line in page["body"]:
            if line.size != BODY_SIZE:
                continue
            inside = [c for c in line.chars if c["x1"] <= RIGHT + 1]
            outside = line.chars[len(inside):]
            assert not outside, f"punctuation hangs in the margin: {line.text}"
            assert line.x0 >= LEFT - 1
            width = sum(c["x1"] - c["x0"] for c in inside)
            assert width <= 28 * BODY_SIZE + 1, line.text
            full_width = all(not c["text"].isascii() for c in inside)
            if full_width and abs(line.x0 - LEFT) < 1 and inside[-1]["x1"] > RIGHT - 2:
                full_lines.append(len(inside))
    assert max(full_lines) == 28
    # a line is one character short only where a mark may not start the next line (避头尾)
    assert full_lines.count(28) >= 0.8 * len(full_lines) and len(full_lines) >= 30, full_lines


def test_every_character_is_printed(pages, body_pages, pdf_path):
    """LibreOffice drops some hanging commas from justified lines (w:overflowPunct): count every mark."""
    doc = docx.Document(str(pdf_path.with_suffix(".docx")))
    (table,) = doc.tables
    repeats = len(pages) - len(body_pages) - 1  # the header row printed again on each further page
    texts = [p.text for p in doc.paragraphs] + [c.text for r in table.rows for c in r.cells]
    texts += [c.text for c in table.rows[0].cells] * repeats
    expected = Counter(ch for text in texts for ch in text if not ch.isspace())
    printed = Counter(c["text"] for page in pages for line in page["body"] for c in line.chars)
    assert printed == expected


def test_page_numbers_odd_right_even_left(pages):
    for number, page in enumerate(pages, start=1):
        (footer,) = page["footer"]
        assert re.fullmatch(rf"—\s*{number}\s*—", footer.text), footer.text
        assert footer.size == 14
        if number % 2:
            assert footer.x1 == pytest.approx(RIGHT - 14, abs=2)
        else:
            assert footer.x0 == pytest.approx(LEFT + 14, abs=2)
        # "一字线上距版心下边缘7mm": the dashes sit about 7 mm under the text block
        dash = footer.chars[0]
        dash_middle = (dash["top"] + dash["bottom"]) / 2
        assert dash_middle - BOTTOM == pytest.approx(7 * MM, abs=1.5 * MM)


def test_title_headings_body_in_the_aliased_faces(pages, report):
    first = pages[0]["body"]
    title = [line for line in first if line.size == 22]
    assert [line.text for line in title] == ["丰宁满族自治县计划生育协会", "2016年工作总结"]
    for line in title:
        assert line.fonts() == {"NotoSerifCJKjp-Bold-VKana"} or all("Bold" in f for f in line.fonts())
        assert abs((line.x0 + line.x1) / 2 - (LEFT + RIGHT) / 2) < 3, "title is centred"
    all_lines = [line for page in pages for line in page["body"]]

    def fonts_of(text):
        (line,) = [line for line in all_lines if line.text.startswith(text)]
        return line.fonts()

    assert all("NotoSansCJK" in f for f in fonts_of("一、强化自身建设"))
    assert all("UKai" in f for f in fonts_of("（一）做大做强"))
    assert all("FandolFang" in f for f in fonts_of("2016年，丰宁县按照"))
    assert all("NotoSerifCJK" in f and "Bold" not in f for f in pages[0]["footer"][0].fonts())


def test_pdffonts_lists_only_the_stand_ins(pdf_path):
    listing = run_tool("pdffonts", str(pdf_path)).splitlines()[2:]
    names = {row.split()[0].split("+")[-1] for row in listing}
    assert any(n.startswith("FandolFang") for n in names), names  # 仿宋_GB2312
    assert any(n.startswith("UKai") for n in names), names  # 楷体_GB2312
    assert any(n.startswith("NotoSansCJK") for n in names), names  # 黑体
    assert any(n.startswith("NotoSerifCJK") and "Bold" in n for n in names), names  # 方正小标宋简体
    assert any(n.startswith("NotoSerifCJK") and "Bold" not in n for n in names), names  # 宋体
    assert any(n.startswith("LiberationSerif") for n in names), names  # Times New Roman
    assert not any(re.match("DejaVu|OpenSymbol|Droid", n) for n in names), names
    assert all(" yes " in row for row in listing), "every font embedded"


def test_signature_block(body_pages):
    lines = body_pages[-1]["body"]
    unit, date = lines[-2], lines[-1]
    assert (unit.text, date.text) == ("丰宁满族自治县计划生育协会", "2016年12月20日")
    assert unit.x1 == pytest.approx(RIGHT - 2 * BODY_SIZE, abs=2), "unit ends two characters from the margin"
    assert date.x0 == pytest.approx(unit.x0 + 2 * BODY_SIZE, abs=3), "date starts two characters right"
    assert date.top - unit.top == pytest.approx(LINE, abs=0.6)
    note = lines[-3]
    assert note.text.startswith("附件：1.") and note.x0 == pytest.approx(LEFT + 2 * BODY_SIZE, abs=1)
    assert unit.top - note.top == pytest.approx(2 * LINE, abs=0.6), "one blank line before the signature"
    assert note.top - lines[-4].top == pytest.approx(2 * LINE, abs=0.6), "one blank line before the note"


def test_attachment_pages_repeat_the_header_row(pages, body_pages):
    attachment = pages[len(body_pages):]
    assert len(attachment) >= 2, "the sample table should run over a page"
    label = attachment[0]["body"][0]
    assert label.text == "附件1" and label.x0 == pytest.approx(LEFT, abs=1)
    assert all("NotoSansCJK" in f for f in label.fonts())
    for page in attachment:
        header = [line for line in page["body"] if line.text.startswith("指标")]
        assert header, "header row on every attachment page"
        assert all("NotoSansCJK" in f for f in header[0].fonts())


def test_tricky_characters_print_literally(pdf_path):
    text = run_tool("pdftotext", "-layout", str(pdf_path), "-")
    assert "A&B <标签> {{ x }} {% if y %}" in text
