"""The .docx template is edited in Word by staff: its placeholders run in Jinja's sandbox too."""

from __future__ import annotations

import zipfile

import pytest

from tests.render.render_support import TEMPLATE, make_report
from workreport.errors import TemplateError
from workreport.render.docx import write_docx


def template_with_title(tmp_path, placeholder: str):
    """A copy of the committed template whose title placeholder is replaced by ``placeholder``."""
    edited = tmp_path / "report.docx"
    with zipfile.ZipFile(TEMPLATE) as source, zipfile.ZipFile(edited, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                assert data.count(b"{{ title }}") == 1
                data = data.replace(b"{{ title }}", placeholder.encode())
            target.writestr(item, data)
    return edited


def test_python_internals_in_the_docx_template_are_refused(tmp_path):
    template = template_with_title(tmp_path, "{{ title.__class__.__mro__ }}")
    out = tmp_path / "out" / "report.docx"

    with pytest.raises(TemplateError) as info:
        write_docx(make_report(), template, out)

    assert info.value.problems[0].file.endswith("report.docx")
    assert not out.exists()


def test_docxtpl_escapes_in_values_are_printed_as_written(tmp_path):
    """docxtpl rewrites {_{ }_} {_% %_} in everything it renders; in facts they are text and stay as written."""
    from docx import Document

    from workreport.model import Attachment, Paragraph

    written = "{_{ a }_} 与 {_% b %_}"
    report = make_report(title=f"标题{written}", unit=f"单位{written}",
                         paragraphs=[Paragraph(f"正文{written}", "body")],
                         attachment=Attachment(f"附件{written}", ["指标", written], [[written, "1"]]))
    out = tmp_path / "out.docx"
    write_docx(report, TEMPLATE, out)

    word = Document(str(out))
    text = "\n".join(p.text for p in word.paragraphs) + "\n".join(c.text for t in word.tables for r in t.rows for c in r.cells)
    assert text.count(written) == 7  # title, body, the 附件 note, signature, attachment title, header, cell
    assert "{{ a }}" not in text and "{% b %}" not in text
