"""The 落款 never stands alone on a page (GB/T 9704 7.3.5): LibreOffice renders reports of every
length from one to six pages, each with its body ending on the last lines of a page, where the
signature would not fit after it, and the last page must hold body text besides the signature."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

import pdfplumber
import pytest

from workreport.model import BODY, Paragraph, Report
from workreport.render.docx import write_docx

from .render_support import FONTS_CONF, TEMPLATE

UNIT, DATE = "丰宁县计划生育协会", "2016年12月20日"
LINES_PER_PAGE = 22
TITLE_LINES = 2  # the title line and the blank line after it
SENTENCE = "各级协会认真做好本职工作，较好地完成了各阶段的工作任务。"  # 28 characters


def _paragraph(lines: int) -> Paragraph:
    """A body paragraph of exactly ``lines`` full lines (28 characters each, the first indented by two)."""
    text = (SENTENCE * lines)[: 28 * lines - 2]
    return Paragraph(text[:-1] + "。", BODY)


def _report(body_lines: int) -> Report:
    """A report whose body is ``body_lines`` lines, in paragraphs of up to six lines."""
    paragraphs, left = [], body_lines
    while left:
        size = min(6, left)
        paragraphs.append(_paragraph(size))
        left -= size
    return Report(title="丰宁县计划生育协会2016年工作总结", paragraphs=paragraphs, unit=UNIT, date=dt.date(2016, 12, 20))


def _convert(files: list[Path], folder: Path) -> None:
    """All the .docx files to PDF in one LibreOffice run, with our font aliases."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.fail("LibreOffice (soffice) not found: run `make system-deps`")
    env = dict(os.environ, FONTCONFIG_FILE=str(FONTS_CONF))
    subprocess.run([soffice, "--headless", "--norestore", f"-env:UserInstallation={(folder / 'lo').as_uri()}",
                    "--convert-to", "pdf", "--outdir", str(folder), *map(str, files)],
                   env=env, capture_output=True, text=True, timeout=600, check=True)


def test_the_signature_is_never_alone_on_a_page(tmp_path: Path) -> None:
    cases = {}
    for pages in range(1, 7):
        for short in (0, 1, 2, 3):  # the body ends on the last, second-, third- or fourth-last line of the page
            body_lines = LINES_PER_PAGE * pages - TITLE_LINES - short
            out = tmp_path / f"p{pages}-{short}.docx"
            write_docx(_report(body_lines), TEMPLATE, out)
            cases[out] = short
    _convert(list(cases), tmp_path)
    counts = set()
    for docx_path, short in cases.items():
        with pdfplumber.open(docx_path.with_suffix(".pdf")) as pdf:
            counts.add(len(pdf.pages))
            last = [line for line in (pdf.pages[-1].extract_text() or "").splitlines() if line.strip()]
        assert UNIT in "".join(last) and DATE.replace(" ", "") in "".join(last).replace(" ", ""), (docx_path.name, last)
        signature_or_number = {UNIT, DATE, f"— {len(pdf.pages)} —"}
        body = [line for line in last if line.replace(" ", "") not in {s.replace(" ", "") for s in signature_or_number}]
        assert len(body) >= 2, (docx_path.name, last)  # at least two lines of the body go with the signature
        if short < 3:  # the signature did not fit: it took the last lines along, not whole pages of them
            assert len(body) <= 7, (docx_path.name, last)
    assert counts == {1, 2, 3, 4, 5, 6, 7}, counts  # with three lines free the signature fits: 1 to 6 pages; else lines go over
