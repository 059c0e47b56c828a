"""docxedit: spans of characters over runs — split, comment, highlight, replace — everything else kept."""

from __future__ import annotations

from docx import Document
from docx.enum.text import WD_COLOR_INDEX

from workreport import docxedit


def paragraph_with_runs(*pieces: str, bold_second: bool = True):
    document = Document()
    paragraph = document.add_paragraph()
    for number, piece in enumerate(pieces):
        run = paragraph.add_run(piece)
        run.bold = bold_second and number == 1
    return document, paragraph


def test_a_figure_split_over_runs_is_covered_whole():
    document, paragraph = paragraph_with_runs("现共有计生特困家庭1", "8", "1户，比上年增加2户。")
    start = paragraph.text.index("181户")
    runs = docxedit.span_runs(paragraph, start, start + 4)
    assert "".join(r.text for r in runs) == "181户"
    assert paragraph.text == "现共有计生特困家庭181户，比上年增加2户。"  # splitting changes no character
    assert [bool(r.bold) for r in runs] == [False, True, False]  # each piece keeps its own formatting


def test_comment_is_anchored_on_exactly_the_span():
    document, paragraph = paragraph_with_runs("今年还隆重纪念了中国计生协会成立35周年。")
    start = paragraph.text.index("35周年")
    docxedit.comment(document, paragraph, start, start + 4, "应为36周年")
    xml = paragraph._p.xml
    inside = xml.split("commentRangeStart")[1].split("commentRangeEnd")[0]
    assert "35周年" in inside and "纪念" not in inside and "。" not in inside
    (comment,) = list(document.comments)
    assert (comment.author, comment.text) == ("workreport", "应为36周年")


def test_replace_keeps_the_first_runs_formatting_and_the_rest_of_the_text():
    document, paragraph = paragraph_with_runs("人均增收", "3000", "多元，建设6大基地。")
    start = paragraph.text.index("3000多")
    (run,) = docxedit.replace(paragraph, start, start + len("3000多"), "3500多")
    assert paragraph.text == "人均增收3500多元，建设6大基地。" and run.bold is True


def test_highlight_only_the_span():
    document, paragraph = paragraph_with_runs("共走访群众3200人次，送去关怀。", bold_second=False)
    start = paragraph.text.index("3200人次")
    docxedit.highlight(paragraph, start, start + 6)
    marked = [r.text for r in paragraph.runs if r.font.highlight_color == WD_COLOR_INDEX.YELLOW]
    assert marked == ["3200人次"] and paragraph.text == "共走访群众3200人次，送去关怀。"



def test_a_figure_inside_a_hyperlink_is_found_and_commented():
    """Text pasted from a web page keeps its links: a figure inside one is still a span of runs."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document, paragraph = paragraph_with_runs("共投", bold_second=False)
    link = parse_xml(f'<w:hyperlink {nsdecls("w")}><w:r><w:t>35万元</w:t></w:r></w:hyperlink>')
    paragraph._p.append(link)
    paragraph.add_run("，通过4次滚动使用。")
    start = paragraph.text.index("35万元")
    docxedit.comment(document, paragraph, start, start + 4, "核对")
    inside = paragraph._p.xml.split("commentRangeStart")[1].split("commentRangeEnd")[0]
    assert "35万元" in inside and "共投" not in inside and "滚动" not in inside


def test_tracked_insertions_and_content_controls_are_numbered_and_edited_as_the_reader_reads_them(tmp_path):
    """Word with 修订 on puts typed text in w:ins, and templates hold paragraphs in content controls (w:sdt): the
    editor must count paragraphs and characters exactly as document.py reads them, or a comment lands elsewhere."""
    from docx.oxml import parse_xml

    from workreport.document import read_document

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    document = Document()
    document.add_paragraph("第一段。")
    body = document.element.body
    body.insert(len(body) - 1, parse_xml(
        f'<w:sdt {w}><w:sdtContent><w:p><w:r><w:t>控件中的段落。</w:t></w:r></w:p></w:sdtContent></w:sdt>'))
    body.insert(len(body) - 1, parse_xml(
        f'<w:p {w}><w:r><w:t>现共有</w:t></w:r><w:ins w:id="1" w:author="staff"><w:r><w:t>181户</w:t></w:r></w:ins>'
        f'<w:r><w:t>，比上年增加2户。</w:t></w:r></w:p>'))
    path = tmp_path / "修订.docx"
    document.save(str(path))

    read = [p for p in read_document(path).paragraphs]
    edited = Document(str(path))
    found = docxedit.paragraphs(edited)
    assert [docxedit.text_of(p) for p in found] == read == ["第一段。", "控件中的段落。", "现共有181户，比上年增加2户。"]
    assert [r.text for r in docxedit.span_runs(found[2], 3, 7)] == ["181户"]
    docxedit.replace(found[2], 3, 7, "180户")
    assert docxedit.text_of(found[2]) == "现共有180户，比上年增加2户。"
