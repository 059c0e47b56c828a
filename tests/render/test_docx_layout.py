"""The rendered .docx itself: page set-up, styles and fonts, footers, signature, attachment, escaping."""

from __future__ import annotations

import datetime as dt
import re
import zipfile

import docx
import pytest

from tests.render.render_support import CONTROL_CHARS, TEMPLATE, TRICKY_TEXT, make_report
from workreport.errors import TemplateError
from workreport.model import BODY, HEADING1, Paragraph
from workreport.render import docx_template as tpl
from workreport.render.docx import STYLE_IDS, signature_layout, split_title, write_docx

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
CJK_FONTS = {tpl.FANGSONG, tpl.KAITI, tpl.HEITI, tpl.XIAOBIAOSONG, tpl.SONGTI}


@pytest.fixture(scope="module")
def document(render_docx):
    """The full report (headings, attachment, tricky characters) rendered and opened with python-docx."""
    report = make_report()
    paragraphs = list(report.paragraphs)
    paragraphs.insert(2, Paragraph(TRICKY_TEXT + CONTROL_CHARS, BODY))
    path = render_docx(make_report(paragraphs=paragraphs))
    return docx.Document(str(path)), path


def body_paragraphs(doc):
    """(style id, text) of every body paragraph outside tables."""
    return [(p.style.style_id, p.text) for p in doc.paragraphs]


def style_element(doc, style_id):
    return doc.styles.element.find(f"{W}style[@{W}styleId='{style_id}']")


def effective(doc, style_id, path):
    """The first value of ``path`` (e.g. 'rPr/rFonts') up the basedOn chain, then in docDefaults."""
    while style_id:
        style = style_element(doc, style_id)
        found = style.find(f"{W}{path.replace('/', f'/{W}')}")
        if found is not None:
            return found
        based = style.find(f"{W}basedOn")
        style_id = based.get(f"{W}val") if based is not None else None
    defaults = doc.styles.element.find(f"{W}docDefaults")
    part = "rPrDefault" if path.startswith("rPr") else "pPrDefault"
    return defaults.find(f"{W}{part}/{W}{path.replace('/', f'/{W}')}")


def test_page_is_a4_with_gbt9704_margins(document):
    doc, _ = document
    section = doc.sections[0]
    assert (section.page_width.mm, section.page_height.mm) == pytest.approx((210, 297), abs=0.1)
    margins = (section.top_margin.mm, section.bottom_margin.mm, section.left_margin.mm, section.right_margin.mm)
    assert margins == pytest.approx((37, 35, 28, 26), abs=0.05)


def test_doc_defaults_name_every_script_and_no_theme_fonts(document):
    doc, path = document
    fonts = doc.styles.element.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}rFonts")
    assert fonts.get(f"{W}eastAsia") == tpl.FANGSONG
    assert fonts.get(f"{W}ascii") == fonts.get(f"{W}hAnsi") == "Times New Roman"
    with zipfile.ZipFile(path) as archive:
        styles = archive.read("word/styles.xml").decode()
        everything = " ".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist() if n.endswith(".xml"))
    assert not re.search(r'(?i)w:[a-z]*theme="', styles)
    # "Cambria Math" (settings.xml, equations only) is Word's standard and harmless.
    for unwanted in ("Calibri", "Cambria(?! Math)", "MS Mincho", "ＭＳ 明朝", "MS Gothic"):
        assert not re.search(unwanted, everything), unwanted


@pytest.mark.parametrize(
    "style_id, east_asia, half_points",
    [
        (tpl.TITLE, tpl.XIAOBIAOSONG, 44),
        (tpl.HEADING1, tpl.HEITI, 32),
        (tpl.HEADING2, tpl.KAITI, 32),
        (tpl.BODY, tpl.FANGSONG, 32),
        (tpl.SIGNATURE, tpl.FANGSONG, 32),
        (tpl.ATTACHMENT_NOTE, tpl.FANGSONG, 32),
        (tpl.ATTACHMENT_LABEL, tpl.HEITI, 32),
        (tpl.TABLE_HEADER, tpl.HEITI, 28),
        (tpl.TABLE_CELL, tpl.FANGSONG, 28),
        (tpl.FOOTER_ODD, tpl.SONGTI, 28),
        (tpl.FOOTER_EVEN, tpl.SONGTI, 28),
    ],
)
def test_style_fonts_and_sizes(document, style_id, east_asia, half_points):
    doc, _ = document
    own_fonts = style_element(doc, style_id).find(f"{W}rPr/{W}rFonts")
    assert own_fonts is not None, "every style names its fonts itself"
    assert own_fonts.get(f"{W}eastAsia") == east_asia
    assert own_fonts.get(f"{W}ascii") in ("Times New Roman", tpl.SONGTI)
    assert effective(doc, style_id, "rPr/sz").get(f"{W}val") == str(half_points)


def test_body_grid_indent_and_condensing(document):
    doc, _ = document
    spacing = effective(doc, tpl.BODY, "pPr/spacing")
    assert (spacing.get(f"{W}line"), spacing.get(f"{W}lineRule")) == ("579", "exact")
    assert effective(doc, tpl.BODY, "pPr/snapToGrid").get(f"{W}val") == "0"
    assert effective(doc, tpl.BODY, "pPr/ind").get(f"{W}firstLineChars") == "200"
    assert effective(doc, tpl.BODY, "pPr/jc").get(f"{W}val") == "both"
    assert effective(doc, tpl.BODY, "rPr/spacing").get(f"{W}val") == "-5"
    assert effective(doc, tpl.TITLE, "pPr/jc").get(f"{W}val") == "center"
    for heading in (tpl.HEADING1, tpl.HEADING2):
        assert effective(doc, heading, "pPr/ind").get(f"{W}firstLineChars") == "200"


def test_paragraph_kinds_map_to_styles(document):
    doc, _ = document
    assert STYLE_IDS == {HEADING1: tpl.HEADING1, "heading2": tpl.HEADING2, BODY: tpl.BODY}
    styles = [style for style, _ in body_paragraphs(doc)]
    assert styles[0] == tpl.TITLE
    assert styles[1:3] == [tpl.HEADING1, tpl.BODY]
    assert tpl.HEADING2 in styles


def text_runs(doc):
    """Every run with text in the body, tables and footers, with its paragraph."""
    parts = [doc.element.body] + [s.footer._element for s in doc.sections] + [s.even_page_footer._element for s in doc.sections]
    for part in parts:
        for paragraph in part.iter(f"{W}p"):
            for run in paragraph.iter(f"{W}r"):
                if "".join(t.text or "" for t in run.iter(f"{W}t")).strip():
                    yield paragraph, run


def test_every_text_run_resolves_to_the_official_fonts(document):
    doc, _ = document
    runs = list(text_runs(doc))
    assert len(runs) > 50
    for paragraph, run in runs:
        direct = run.find(f"{W}rPr/{W}rFonts")
        style = paragraph.find(f"{W}pPr/{W}pStyle")
        fonts = direct if direct is not None else effective(doc, style.get(f"{W}val"), "rPr/rFonts")
        assert fonts.get(f"{W}eastAsia") in CJK_FONTS
        assert fonts.get(f"{W}ascii") in ("Times New Roman", tpl.SONGTI)


def test_footers_have_page_fields_odd_right_even_left(document):
    doc, path = document
    section = doc.sections[0]
    assert doc.settings.odd_and_even_pages_header_footer
    with zipfile.ZipFile(path) as archive:
        assert "<w:evenAndOddHeaders/>" in archive.read("word/settings.xml").decode()
    expected = {tpl.FOOTER_ODD: ("right", "rightChars"), tpl.FOOTER_EVEN: ("left", "leftChars")}
    for footer in (section.footer, section.even_page_footer):
        assert not footer.is_linked_to_previous
        element = footer._element
        (paragraph,) = element.findall(f"{W}p")
        style = paragraph.find(f"{W}pPr/{W}pStyle").get(f"{W}val")
        jc, indent = expected[style]
        assert effective(doc, style, "pPr/jc").get(f"{W}val") == jc
        assert effective(doc, style, "pPr/ind").get(f"{W}{indent}") == "100"
        kinds = [f.get(f"{W}fldCharType") for f in paragraph.iter(f"{W}fldChar")]
        assert kinds == ["begin", "separate", "end"]
        assert [i.text.strip() for i in paragraph.iter(f"{W}instrText")] == ["PAGE"]
        texts = [t.text for t in paragraph.iter(f"{W}t")]
        assert texts[0] == "— " and texts[-1] == " —"
    footer_refs = {r.get(f"{W}type") for r in section._sectPr.findall(f"{W}footerReference")}
    assert footer_refs == {"default", "even"}


def test_signature_after_one_blank_line(document):
    doc, _ = document
    paragraphs = doc.paragraphs
    sig = [i for i, p in enumerate(paragraphs) if p.style.style_id == tpl.SIGNATURE]
    assert [paragraphs[i].text for i in sig] == ["丰宁满族自治县计划生育协会", "2016年12月20日"]
    assert paragraphs[sig[0] - 1].text == "" and paragraphs[sig[0] - 2].style.style_id == tpl.ATTACHMENT_NOTE
    unit_ind = paragraphs[sig[0]]._p.find(f"{W}pPr/{W}ind")
    date_ind = paragraphs[sig[1]]._p.find(f"{W}pPr/{W}ind")
    assert unit_ind.get(f"{W}rightChars") == "200"
    unit_start = tpl.TEXT_WIDTH_TWIPS - 640 - 13 * (320 - 5)
    assert int(date_ind.get(f"{W}left")) == unit_start + 640


def test_signature_layout_long_date_pushes_unit_left():
    (unit, unit_ind), (date, date_ind) = signature_layout("扶贫协会", "2016年12月20日")
    assert date_ind == {"rightChars": 200, "right": 640}
    # the date prints about 8¼ characters wide: the unit's first character sits two characters left of it
    assert unit_ind["rightChars"] == round((2 + 8.25 + 2 - 4) * 100)


def test_signature_layout_unit_barely_longer_than_date():
    # 丰宁县计划生育协会 (9) minus 2 leaves less than the date's printed width: the date keeps 2 characters
    (_, unit_ind), (_, date_ind) = signature_layout("丰宁县计划生育协会", "2016年12月20日")
    assert date_ind == {"rightChars": 200, "right": 640}
    assert unit_ind["rightChars"] == 325


def test_attachment_note_label_and_table(document):
    doc, _ = document
    texts = body_paragraphs(doc)
    note = [t for s, t in texts if s == tpl.ATTACHMENT_NOTE]
    assert note == ["附件：1.丰宁县计生协会2016年主要工作数据"]
    note_index = [s for s, _ in texts].index(tpl.ATTACHMENT_NOTE)
    assert texts[note_index - 1][1] == ""
    label = [p for p in doc.paragraphs if p.style.style_id == tpl.ATTACHMENT_LABEL]
    assert [p.text for p in label] == ["附件1"]
    assert effective(doc, tpl.ATTACHMENT_LABEL, "pPr/pageBreakBefore") is not None
    assert effective(doc, tpl.ATTACHMENT_LABEL, "pPr/ind") is None  # flush left
    (table,) = doc.tables
    assert len(table.rows) == 41 and len(table.columns) == 5
    header = table.rows[0]._tr
    assert header.find(f"{W}trPr/{W}tblHeader") is not None
    assert all(r._tr.find(f"{W}trPr/{W}tblHeader") is None for r in table.rows[1:])
    assert [c.text for c in table.rows[0].cells] == ["指标", "2016年", "2015年", "增减", "增长率"]
    assert {p.style.style_id for c in table.rows[0].cells for p in c.paragraphs} == {tpl.TABLE_HEADER}
    assert {p.style.style_id for c in table.rows[1].cells for p in c.paragraphs} == {tpl.TABLE_CELL}
    widths = [int(g.get(f"{W}w")) for g in table._tbl.tblGrid.findall(f"{W}gridCol")]
    assert sum(widths) == pytest.approx(tpl.TEXT_WIDTH_TWIPS, abs=5) and widths[0] > widths[1]


def test_no_attachment_means_no_note_no_page(render_docx):
    doc = docx.Document(str(render_docx(make_report(attachment=None), "plain.docx")))
    assert not doc.tables
    assert not any("附件" in p.text for p in doc.paragraphs)
    assert doc.paragraphs[-1].style.style_id == tpl.SIGNATURE
    assert doc.paragraphs[-3].text == ""  # one blank line between body and signature


def test_special_characters_come_out_literally(document):
    doc, path = document
    (tricky,) = [p for p in doc.paragraphs if p.text.startswith("符号照印")]
    assert tricky.text == TRICKY_TEXT
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("word/document.xml").decode()
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", xml)
    assert "A&amp;B &lt;标签&gt; {{ x }} {% if y %}" in xml


def test_title_and_author(document):
    doc, _ = document
    title = doc.paragraphs[0]
    assert title.text == "丰宁满族自治县计划生育协会\n2016年工作总结"
    assert any(p.text.endswith("中坚组织。（郭志）") for p in doc.paragraphs)
    assert doc.core_properties.title == "丰宁满族自治县计划生育协会2016年工作总结"
    assert doc.core_properties.author == "丰宁满族自治县计划生育协会"


def test_split_title_between_words():
    assert split_title("2016年工作总结") == "2016年工作总结"
    assert split_title("丰宁县计生协完善队伍建设夯实计生协会基层基础") == "丰宁县计生协完善队伍建设\n夯实计生协会基层基础"
    assert split_title("已经\n分好行") == "已经\n分好行"


def test_broken_template_leaves_previous_output(tmp_path):
    out = tmp_path / "report.docx"
    out.write_bytes(b"last good report")
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"not a zip")
    with pytest.raises(TemplateError):
        write_docx(make_report(), broken, out)
    with pytest.raises(TemplateError):
        write_docx(make_report(), tmp_path / "missing.docx", out)
    assert out.read_bytes() == b"last good report"
    assert [p.name for p in tmp_path.iterdir()] != [] and not list(tmp_path.glob(".*.tmp"))


def test_committed_template_is_up_to_date(tmp_path):
    fresh = tmp_path / "report.docx"
    tpl.build(fresh)
    with zipfile.ZipFile(TEMPLATE) as committed, zipfile.ZipFile(fresh) as rebuilt:
        for name in ("word/document.xml", "word/styles.xml", "word/settings.xml", "word/footer1.xml", "word/footer2.xml"):
            assert committed.read(name) == rebuilt.read(name), f"{name}: run make docx-template and commit"


def test_date_is_unpadded_full_year(render_docx):
    doc = docx.Document(str(render_docx(make_report(date=dt.date(2017, 1, 5), attachment=None), "jan.docx")))
    assert doc.paragraphs[-1].text == "2017年1月5日"
