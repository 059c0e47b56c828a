"""The template is opened once per process and reused: every report is still, part for part and byte for byte,
what a template opened afresh gives, whatever reports the process wrote before it."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from docxtpl import DocxTemplate

from tests.render.render_support import ROOT, TEMPLATE, make_report
from tests.render.test_docx_sandbox import template_with_title
from workreport.model import BODY, Paragraph
from workreport.render import docx
from workreport.render.docx import write_docx

# Two counties that differ in everything a report holds: title, unit, date, body, the attachment table or none.
FENGNING = make_report()
LONGHUA = make_report(title="隆化县计划生育协会2017年工作总结", unit="隆化县计划生育协会", date=dt.date(2017, 12, 28),
                      paragraphs=[Paragraph("隆化县的一段正文。", BODY)], attachment=None)
REPORTS = {"fengning": FENGNING, "longhua": LONGHUA}


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
FOOTNOTES = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:footnotes xmlns:w="{W}">'
             '<w:footnote w:id="1"><w:p><w:r><w:t>注：{{ title }}</w:t></w:r></w:p></w:footnote></w:footnotes>')


def placeholders_everywhere(tmp_path: Path) -> Path:
    """A copy of the committed template with the title also in a footer, in footnotes and in a document property
    that write_docx does not overwrite: what one report left there would show in the next."""
    edited = tmp_path / "report.docx"
    edits = {"word/footer1.xml": (b'<w:t xml:space="preserve">\xe2\x80\x94 </w:t>', b'<w:t xml:space="preserve">{{ title }}\xe2\x80\x94 </w:t>'),
             "docProps/core.xml": (b"<dc:language>zh-CN</dc:language>", b"<dc:language>{{ title }}</dc:language>"),
             "word/_rels/document.xml.rels": (b"</Relationships>", b'<Relationship Id="rId90" Type="http://schemas.openxmlformats.org'
                                              b'/officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/></Relationships>'),
             "[Content_Types].xml": (b"</Types>", b'<Override PartName="/word/footnotes.xml" ContentType="application/'
                                     b'vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>')}
    with zipfile.ZipFile(TEMPLATE) as source, zipfile.ZipFile(edited, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename in edits:
                old, new = edits[item.filename]
                assert data.count(old) == 1
                data = data.replace(old, new)
            target.writestr(item, data)
        target.writestr("word/footnotes.xml", FOOTNOTES)
    return edited


def members(data: bytes) -> list[tuple]:
    """Every member of a .docx in order: its name, how it is stored, and its bytes (not its time stamp)."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return [(i.filename, i.compress_type, i.compress_size, i.flag_bits, i.create_system, i.external_attr,
                 package.read(i)) for i in package.infolist()]


def opened_afresh(report, template: Path) -> bytes:
    """The report as docxtpl and python-docx write it from a template opened for it alone (no reuse, python-docx's save)."""
    document = DocxTemplate(str(template))
    document.init_docx()
    docx._render(document, report, template)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("template_kind", ["committed", "placeholders everywhere"])
def test_each_report_is_what_a_template_opened_afresh_gives(tmp_path, template_kind):
    template = TEMPLATE if template_kind == "committed" else placeholders_everywhere(tmp_path)
    for round_, name in enumerate(["fengning", "longhua", "fengning", "longhua", "longhua", "fengning"]):
        out = tmp_path / f"{round_}-{name}.docx"
        write_docx(REPORTS[name], template, out)
        assert members(out.read_bytes()) == members(opened_afresh(REPORTS[name], template)), f"{round_}: {name}"


def test_the_footer_and_properties_of_one_report_never_reach_the_next(tmp_path):
    template = placeholders_everywhere(tmp_path)
    write_docx(FENGNING, template, tmp_path / "a.docx")
    write_docx(LONGHUA, template, tmp_path / "b.docx")
    with zipfile.ZipFile(tmp_path / "b.docx") as package:
        footer, core = package.read("word/footer1.xml").decode(), package.read("docProps/core.xml").decode()
        footnotes = package.read("word/footnotes.xml").decode()
    assert "隆化县" in footer and "丰宁" not in footer
    assert "注：隆化县" in footnotes and "丰宁" not in footnotes
    assert "<dc:language>隆化县" in core and "丰宁" not in core and "2017-12-28T00:00:00Z" in core


FRESH_PROCESS = """
import sys
from pathlib import Path
from tests.render.test_docx_reuse import REPORTS
from workreport.render.docx import write_docx
write_docx(REPORTS[sys.argv[1]], Path(sys.argv[2]), Path(sys.argv[3]))
"""


@pytest.mark.parametrize("order", [("fengning", "longhua"), ("longhua", "fengning")])
def test_two_counties_in_one_process_match_each_built_in_a_fresh_process(tmp_path, order):
    template = placeholders_everywhere(tmp_path)
    fresh = {}
    for name in order:
        out = tmp_path / f"fresh-{name}.docx"
        result = subprocess.run([sys.executable, "-c", FRESH_PROCESS, name, str(template), str(out)],
                                cwd=ROOT, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        fresh[name] = members(out.read_bytes())
    for name in order:
        write_docx(REPORTS[name], template, tmp_path / f"{name}.docx")
    for name in order:
        assert members((tmp_path / f"{name}.docx").read_bytes()) == fresh[name], name
    assert fresh["fengning"] != fresh["longhua"]


def test_an_edited_template_is_opened_again(tmp_path):
    """A template staff edit while the page runs: the next report uses the edit, not the template opened before."""
    template = tmp_path / "kind" / "report.docx"
    template.parent.mkdir()
    template.write_bytes(TEMPLATE.read_bytes())
    write_docx(FENGNING, template, tmp_path / "before.docx")
    template.write_bytes(placeholders_everywhere(tmp_path).read_bytes())
    write_docx(FENGNING, template, tmp_path / "after.docx")
    with zipfile.ZipFile(tmp_path / "before.docx") as before, zipfile.ZipFile(tmp_path / "after.docx") as after:
        assert "丰宁" not in before.read("word/footer1.xml").decode()
        assert "丰宁" in after.read("word/footer1.xml").decode()


def test_reports_written_from_threads_at_once_are_each_their_own(tmp_path):
    """The page writes reports from its request threads: they share the opened template one at a time."""
    from concurrent.futures import ThreadPoolExecutor

    template = placeholders_everywhere(tmp_path)
    names = ["fengning", "longhua"] * 6
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(lambda item: write_docx(REPORTS[item[1]], template, tmp_path / f"{item[0]}.docx"), enumerate(names)))
    expected = {name: members(opened_afresh(report, template)) for name, report in REPORTS.items()}
    for index, name in enumerate(names):
        assert members((tmp_path / f"{index}.docx").read_bytes()) == expected[name], index


def test_a_template_broken_after_use_is_refused_not_served_from_memory(tmp_path):
    from workreport.errors import TemplateError

    template = tmp_path / "kind" / "report.docx"
    template.parent.mkdir()
    template.write_bytes(TEMPLATE.read_bytes())
    write_docx(FENGNING, template, tmp_path / "good.docx")
    template.write_bytes(b"not a zip")
    with pytest.raises(TemplateError, match="不是有效的 .docx 模板文件"):
        write_docx(FENGNING, template, tmp_path / "broken.docx")
    assert not (tmp_path / "broken.docx").exists()


def test_a_process_keeps_only_the_templates_used_last(tmp_path):
    """The page may serve several kinds, and staff may edit a template many times: memory stays bounded."""
    for number in range(docx.OPENED_TEMPLATES + 2):
        folder = tmp_path / f"edit{number}"
        folder.mkdir()
        write_docx(FENGNING, template_with_title(folder, f"{{{{ title }}}}（第{number}稿）"), folder / "out.docx")
        with zipfile.ZipFile(folder / "out.docx") as package:
            assert f"（第{number}稿）" in package.read("word/document.xml").decode()
    assert len(docx._OPENED) == docx.OPENED_TEMPLATES
    assert (tmp_path / f"edit{number}" / "report.docx").read_bytes() in docx._OPENED
