"""Generate the committed .docx template (templates/fpa-annual/report.docx) with the GB/T 9704 layout.

Run ``python -m workreport.render.docx_template [OUT]`` (or ``make docx-template``).
The template holds every style, the page set-up, the odd/even page-number footers and the
docxtpl placeholders that ``workreport.render.docx.write_docx`` fills in.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm

DEFAULT_OUT = Path(__file__).resolve().parents[3] / "templates" / "fpa-annual" / "report.docx"

# Word font names (what Word/WPS on the users' machines know them as).
FANGSONG = "仿宋_GB2312"
KAITI = "楷体_GB2312"
HEITI = "黑体"
XIAOBIAOSONG = "方正小标宋简体"
SONGTI = "宋体"
LATIN = "Times New Roman"

# Paragraph style ids: stable ASCII, referenced by docx.py and by the tests.
TITLE = "WRTitle"
HEADING1 = "WRHeading1"
HEADING2 = "WRHeading2"
BODY = "WRBody"
SIGNATURE = "WRSignature"
ATTACHMENT_NOTE = "WRAttachmentNote"
ATTACHMENT_LABEL = "WRAttachmentLabel"
ATTACHMENT_TITLE = "WRAttachmentTitle"
TABLE_HEADER = "WRTableHeader"
TABLE_CELL = "WRTableCell"
FOOTER = "WRFooter"
FOOTER_ODD = "WRFooterOdd"
FOOTER_EVEN = "WRFooterEven"
TABLE = "WRTable"

# Page geometry, GB/T 9704-2012 (twips: 1/20 pt).
PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210, 297
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
FOOTER_DISTANCE_MM = 25  # puts the page number's dashes about 7 mm below the text block
TEXT_WIDTH_TWIPS = round((PAGE_WIDTH_MM - MARGINS_MM["left"] - MARGINS_MM["right"]) / 25.4 * 1440)
LINE_TWIPS = 579  # exactly 28.95 pt: 22 lines fill the 225 mm text block in LibreOffice
BODY_HALF_POINTS = 32  # 三号 16 pt
CONDENSE = -5  # -0.25 pt per character so 28 characters fit 156 mm (spec, measured)
CHAR_TWIPS = BODY_HALF_POINTS * 10  # one body character, for the absolute twin of *Chars indents


def rfonts(east_asia: str, latin: str = LATIN) -> str:
    """A w:rFonts element naming every script slot explicitly (no theme fonts)."""
    return (
        f'<w:rFonts w:ascii="{latin}" w:hAnsi="{latin}" w:eastAsia="{east_asia}" '
        f'w:cs="{latin}" w:hint="eastAsia"/>'
    )


def rpr(east_asia: str, half_points: int = BODY_HALF_POINTS, latin: str = LATIN, condense: int = CONDENSE) -> str:
    """Run properties: fonts, character spacing and size, in schema order."""
    spacing = f'<w:spacing w:val="{condense}"/>' if condense else '<w:spacing w:val="0"/>'
    return (
        f"<w:rPr>{rfonts(east_asia, latin)}{spacing}"
        f'<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/></w:rPr>'
    )


def grid_spacing(before: int = 0, after: int = 0, line: int = LINE_TWIPS) -> str:
    """Paragraph spacing on the 28.95 pt line grid; snapToGrid off so no document grid overrides it."""
    return (
        '<w:snapToGrid w:val="0"/>'
        f'<w:spacing w:before="{before}" w:after="{after}" w:line="{line}" w:lineRule="exact"/>'
    )


def first_line_indent(chars: int = 2) -> str:
    """First-line indent in characters (w:firstLineChars), with the absolute value for old readers."""
    return f'<w:ind w:firstLineChars="{chars * 100}" w:firstLine="{chars * CHAR_TWIPS}"/>'


def paragraph_style(style_id: str, name: str, ppr: str, run: str, based_on: str = "Normal", extra: str = "") -> str:
    """One w:style of type paragraph."""
    return (
        f'<w:style w:type="paragraph" w:customStyle="1" w:styleId="{style_id}">'
        f'<w:name w:val="{name}"/><w:basedOn w:val="{based_on}"/>{extra}<w:qFormat/>'
        f"<w:pPr>{ppr}</w:pPr>{run}</w:style>"
    )


def styles_xml() -> str:
    """The whole styles part: docDefaults and the few styles the report uses, nothing inherited from themes."""
    body_rpr = rpr(FANGSONG)
    # Widow control would leave 21-line pages. w:overflowPunct="1" is Word's own default (a
    # comma may hang in the margin); LibreOffice 7.4 imports the flag inverted and, when it hangs
    # punctuation, drops some of the marks from justified lines, so this value keeps the PDF whole.
    # Word's CJK/Latin auto-spacing stays on: LibreOffice cannot turn it off, and both should agree.
    no_break = '<w:widowControl w:val="0"/>'
    no_hang = '<w:overflowPunct w:val="1"/>'
    styles = [
        f'<w:docDefaults><w:rPrDefault>{body_rpr.replace("</w:rPr>", "")}'
        '<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>'
        f"<w:pPrDefault><w:pPr>{no_break}{no_hang}{grid_spacing()}</w:pPr></w:pPrDefault>"
        "</w:docDefaults>",
        '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/>'
        f'<w:pPr>{no_break}{no_hang}{grid_spacing()}<w:jc w:val="both"/></w:pPr>{body_rpr}</w:style>',
        '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
        f'<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/><w:unhideWhenUsed/>'
        f"{body_rpr}</w:style>",
        '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>'
        "<w:uiPriority w:val=\"99\"/><w:semiHidden/><w:unhideWhenUsed/>"
        f"{body_rpr}"
        '<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/>'
        '<w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/>'
        "</w:tblCellMar></w:tblPr></w:style>",
        paragraph_style(
            TITLE, "公文标题", f'{grid_spacing(after=LINE_TWIPS)}<w:ind w:firstLineChars="0" w:firstLine="0"/>'
            '<w:jc w:val="center"/><w:outlineLvl w:val="0"/>', rpr(XIAOBIAOSONG, 44, condense=0),
            extra=f'<w:next w:val="{BODY}"/>',
        ),
        paragraph_style(
            BODY, "公文正文", f'{first_line_indent()}<w:jc w:val="both"/>', body_rpr,
        ),
        paragraph_style(
            HEADING1, "一级标题", f'<w:keepNext/>{first_line_indent()}<w:jc w:val="both"/><w:outlineLvl w:val="1"/>',
            rpr(HEITI), extra=f'<w:next w:val="{BODY}"/>',
        ),
        paragraph_style(
            HEADING2, "二级标题", f'<w:keepNext/>{first_line_indent()}<w:jc w:val="both"/><w:outlineLvl w:val="2"/>',
            rpr(KAITI), extra=f'<w:next w:val="{BODY}"/>',
        ),
        paragraph_style(
            SIGNATURE, "落款", f'<w:ind w:rightChars="200" w:right="{2 * CHAR_TWIPS}"/><w:jc w:val="right"/>',
            body_rpr,
        ),
        paragraph_style(
            ATTACHMENT_NOTE, "附件说明",
            f'<w:ind w:leftChars="500" w:left="{5 * CHAR_TWIPS}" w:hangingChars="300" w:hanging="{3 * CHAR_TWIPS}"/>'
            '<w:jc w:val="both"/>', body_rpr,
        ),
        paragraph_style(
            ATTACHMENT_LABEL, "附件标识", f'<w:keepNext/><w:pageBreakBefore/>{grid_spacing(after=LINE_TWIPS)}'
            '<w:jc w:val="left"/>', rpr(HEITI), extra=f'<w:next w:val="{ATTACHMENT_TITLE}"/>',
        ),
        paragraph_style(
            ATTACHMENT_TITLE, "附件标题", f'<w:keepNext/>{grid_spacing(after=LINE_TWIPS // 2)}'
            '<w:jc w:val="center"/>', rpr(XIAOBIAOSONG, 44, condense=0), based_on=TITLE,
        ),
        paragraph_style(
            TABLE_HEADER, "表头", f'{grid_spacing(before=40, after=40, line=400)}<w:jc w:val="center"/>',
            rpr(HEITI, 28, condense=0),
        ),
        paragraph_style(
            TABLE_CELL, "表格文字", f'{grid_spacing(before=40, after=40, line=400)}<w:jc w:val="center"/>',
            rpr(FANGSONG, 28, condense=0),
        ),
        paragraph_style(
            FOOTER, "页码", '<w:snapToGrid w:val="0"/><w:spacing w:before="0" w:after="0" w:line="240" '
            'w:lineRule="auto"/>', rpr(SONGTI, 28, latin=SONGTI, condense=0),
        ),
        paragraph_style(
            FOOTER_ODD, "页码（单页）", '<w:ind w:rightChars="100" w:right="280"/><w:jc w:val="right"/>',
            rpr(SONGTI, 28, latin=SONGTI, condense=0), based_on=FOOTER,
        ),
        paragraph_style(
            FOOTER_EVEN, "页码（双页）", '<w:ind w:leftChars="100" w:left="280"/><w:jc w:val="left"/>',
            rpr(SONGTI, 28, latin=SONGTI, condense=0), based_on=FOOTER,
        ),
        f'<w:style w:type="table" w:customStyle="1" w:styleId="{TABLE}"><w:name w:val="公文表格"/>'
        f'<w:basedOn w:val="TableNormal"/>{rpr(FANGSONG, 28, condense=0)}<w:tblPr><w:jc w:val="center"/>'
        "<w:tblBorders>"
        + "".join(
            f'<w:{side} w:val="single" w:sz="6" w:space="0" w:color="000000"/>'
            for side in ("top", "left", "bottom", "right", "insideH", "insideV")
        )
        + "</w:tblBorders></w:tblPr></w:style>",
    ]
    return f'<w:styles {nsdecls("w")}>{"".join(styles)}</w:styles>'


def font_table_xml() -> str:
    """fontTable with the GB fonts and their Windows 10 names as altName, so Word/WPS substitute well."""
    fonts = [
        (LATIN, None, "00", "roman", "variable"),
        (FANGSONG, "仿宋", "86", "modern", "fixed"),
        (KAITI, "楷体", "86", "modern", "fixed"),
        (HEITI, "SimHei", "86", "modern", "fixed"),
        (SONGTI, "SimSun", "86", "auto", "variable"),
        (XIAOBIAOSONG, "宋体", "86", "script", "variable"),
    ]
    items = []
    for name, alt, charset, family, pitch in fonts:
        alt_xml = f'<w:altName w:val="{alt}"/>' if alt else ""
        items.append(
            f'<w:font w:name="{name}">{alt_xml}<w:charset w:val="{charset}"/>'
            f'<w:family w:val="{family}"/><w:pitch w:val="{pitch}"/></w:font>'
        )
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:fonts {nsdecls("w")}>{"".join(items)}</w:fonts>'


def theme_fonts(theme_xml: str) -> str:
    """Point the theme's major/minor fonts at our faces, so no theme lookup can yield Calibri or MS Mincho."""
    theme_xml = re.sub(r'<a:latin typeface="[^"]*"', f'<a:latin typeface="{LATIN}"', theme_xml)
    theme_xml = re.sub(r'<a:ea typeface="[^"]*"', f'<a:ea typeface="{FANGSONG}"', theme_xml)
    return re.sub(r'<a:font script="(Jpan|Hans|Hant)" typeface="[^"]*"/>', rf'<a:font script="\1" typeface="{FANGSONG}"/>', theme_xml)


def paragraph(style: str, text: str = "") -> str:
    """A template paragraph in ``style`` holding literal text or a docxtpl tag."""
    run = f'<w:r><w:t xml:space="preserve">{_escape(text)}</w:t></w:r>' if text else ""
    return f'<w:p {nsdecls("w")}><w:pPr><w:pStyle w:val="{style}"/></w:pPr>{run}</w:p>'


def _escape(text: str) -> str:
    from xml.sax.saxutils import quoteattr  # imported here: it brings urllib and ssl, a sixtieth of a second every build

    return quoteattr(text)[1:-1]


def table_xml() -> str:
    """The attachment table: repeating 黑体 header row, then one row per figure (docxtpl row/cell loops)."""
    width = TEXT_WIDTH_TWIPS // 3

    def cell(style: str, text: str) -> str:
        return (
            f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr>'
            f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>'
            f'<w:r><w:t xml:space="preserve">{_escape(text)}</w:t></w:r></w:p></w:tc>'
        )

    def row(style: str, texts: list[str], header: bool = False) -> str:
        trpr = "<w:trPr><w:cantSplit/>" + ("<w:tblHeader/>" if header else "") + "</w:trPr>"
        return f"<w:tr>{trpr}{''.join(cell(style, t) for t in texts)}</w:tr>"

    loop = ["{%tc for cell in row %}", "{{ cell }}", "{%tc endfor %}"]
    rows = [
        row(TABLE_HEADER, ["{%tc for cell in attachment.header %}", "{{ cell }}", "{%tc endfor %}"], header=True),
        row(TABLE_CELL, ["{%tr for row in attachment.rows %}", "", ""]),
        row(TABLE_CELL, loop),
        row(TABLE_CELL, ["{%tr endfor %}", "", ""]),
    ]
    grid = "".join(f'<w:gridCol w:w="{width}"/>' for _ in range(3))
    return (
        f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblStyle w:val="{TABLE}"/>'
        f'<w:tblW w:w="{TEXT_WIDTH_TWIPS}" w:type="dxa"/><w:tblLayout w:type="fixed"/>'
        '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" '
        'w:noHBand="0" w:noVBand="1"/></w:tblPr>'
        f"<w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>"
    )


def body_elements() -> list[str]:
    """The document body, in order: title, paragraphs, 附件 note, signature, attachment page."""
    return [
        paragraph(TITLE, "{{ title }}"),
        paragraph(BODY, "{{p body }}"),
        paragraph(BODY, "{%p if attachment %}"),
        paragraph(BODY),
        paragraph(ATTACHMENT_NOTE, "附件：1.{{ attachment.title }}"),
        paragraph(BODY, "{%p endif %}"),
        paragraph(BODY),
        paragraph(SIGNATURE, "{{p signature }}"),
        paragraph(BODY, "{%p if attachment %}"),
        paragraph(ATTACHMENT_LABEL, "附件1"),
        paragraph(ATTACHMENT_TITLE, "{{ attachment.title }}"),
        table_xml(),
        paragraph(BODY, "{%p endif %}"),
    ]


def footer_paragraph_xml(style: str) -> str:
    """'— N —' with a PAGE field."""
    def run(inner: str) -> str:
        return f"<w:r>{inner}</w:r>"

    return (
        f'<w:p {nsdecls("w")}><w:pPr><w:pStyle w:val="{style}"/></w:pPr>'
        + run('<w:t xml:space="preserve">— </w:t>')
        + run('<w:fldChar w:fldCharType="begin"/>')
        + run('<w:instrText xml:space="preserve"> PAGE </w:instrText>')
        + run('<w:fldChar w:fldCharType="separate"/>')
        + run("<w:t>1</w:t>")
        + run('<w:fldChar w:fldCharType="end"/>')
        + run('<w:t xml:space="preserve"> —</w:t>')
        + "</w:p>"
    )


def set_page(section) -> None:
    """A4, GB/T 9704 margins, footer distance; no document grid type so exact spacing rules."""
    section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM)
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    section.header_distance, section.footer_distance = Mm(15), Mm(FOOTER_DISTANCE_MM)
    section.gutter = 0
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is not None:
        grid.set(qn("w:linePitch"), str(LINE_TWIPS))


def set_footers(document, section) -> None:
    """Odd pages: page number right, one character in; even pages: left, one character in."""
    document.settings.odd_and_even_pages_header_footer = True
    for footer, style in ((section.footer, FOOTER_ODD), (section.even_page_footer, FOOTER_EVEN)):
        footer.is_linked_to_previous = False
        element = footer._element
        for child in list(element):
            element.remove(child)
        element.append(parse_xml(footer_paragraph_xml(style)))


def replace_styles(document) -> None:
    """Swap the default template's styles for ours, drop stylesWithEffects, fix theme and font table."""
    styles = document.styles.element
    for child in list(styles):
        styles.remove(child)
    for child in parse_xml(styles_xml()):
        styles.append(child)
    part = document.part
    for rId, rel in list(part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            part.drop_rel(rId)
        elif rel.reltype == RT.THEME:
            rel.target_part._blob = theme_fonts(rel.target_part.blob.decode("utf-8")).encode("utf-8")
        elif rel.reltype == RT.FONT_TABLE:
            rel.target_part._blob = font_table_xml().encode("utf-8")
    lang = document.settings.element.find(qn("w:themeFontLang"))
    if lang is not None:
        lang.set(qn("w:eastAsia"), "zh-CN")


def fill_body(document) -> None:
    """Replace the body content (keeping the section properties) with the template elements."""
    body = document.element.body
    sect_pr = body.find(qn("w:sectPr"))
    for child in list(body):
        if child is not sect_pr:
            body.remove(child)
    for xml in body_elements():
        sect_pr.addprevious(parse_xml(xml))


def set_properties(document) -> None:
    """Core properties of the template itself (write_docx overwrites them for each report)."""
    props = document.core_properties
    props.title = "年度工作总结（公文版式模板）"
    props.author = "workreport"
    props.subject = "GB/T 9704-2012"
    # No braces here: docxtpl renders core properties as Jinja templates.
    props.comments = "由 make docx-template 生成；请勿手工修改花括号中的占位标记。"
    props.keywords = ""
    props.language = "zh-CN"
    props.last_modified_by = "workreport"
    props.category = ""


def build(out: Path) -> None:
    """Build the template and write it to ``out``."""
    document = docx.Document()
    replace_styles(document)
    section = document.sections[0]
    set_page(section)
    set_footers(document, section)
    fill_body(document)
    set_properties(document)
    out.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(out))


def main(argv: list[str] | None = None) -> int:
    """Command line: write the template to the given path or the committed default."""
    argv = sys.argv[1:] if argv is None else argv
    out = Path(argv[0]) if argv else DEFAULT_OUT
    build(out)
    print(f"已生成模板：{out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
