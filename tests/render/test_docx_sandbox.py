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
