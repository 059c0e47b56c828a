"""Fixtures for the .docx layout tests: render a Report, convert it to PDF with LibreOffice once per module."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.render.render_support import TEMPLATE, convert_to_pdf
from workreport.model import Report
from workreport.render.docx import write_docx


@pytest.fixture(scope="module")
def render_docx(tmp_path_factory):
    """Render a Report with the committed template into a fresh tmp dir; returns the .docx path."""

    def render(report: Report, name: str = "report.docx") -> Path:
        out = tmp_path_factory.mktemp("docx") / name
        write_docx(report, TEMPLATE, out)
        return out

    return render


@pytest.fixture(scope="module")
def to_pdf():
    """Convert a .docx to PDF beside it (LibreOffice headless, fonts/fonts.conf); fails if soffice is missing."""
    return convert_to_pdf
