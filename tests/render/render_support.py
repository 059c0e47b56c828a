"""Helpers for the .docx layout tests: realistic reports, LibreOffice conversion, poppler tools.

A plain module, not conftest, so that test modules can import these helpers.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from workreport.model import BODY, HEADING1, HEADING2, Attachment, Paragraph, Report

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "templates" / "fpa-annual" / "report.docx"
FONTS_CONF = ROOT / "fonts" / "fonts.conf"
DATA = Path(__file__).resolve().parent / "data"

# Text that must come out literally, and control characters that must vanish.
TRICKY_TEXT = "符号照印：A&B <标签> {{ x }} {% if y %}，制表\t之后。"
CONTROL_CHARS = "\x00\x01\x07\x0b\x0c\x1b\x7f"


def fengning_paragraphs() -> list[Paragraph]:
    """The 2016 Fengning summary (tests/render/data), '# ' lines as 一、 headings, '## ' as (一)."""
    paragraphs = []
    for line in (DATA / "fengning-2016-body.txt").read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            paragraphs.append(Paragraph(line[3:], HEADING2))
        elif line.startswith("# "):
            paragraphs.append(Paragraph(line[2:], HEADING1))
        elif line.strip():
            paragraphs.append(Paragraph(line, BODY))
    return paragraphs


def key_figures() -> Attachment:
    """附件: enough rows of key figures to run over a page, so the header row must repeat."""
    base = [
        ["扶持计生贫困户（户）", "1100多", "1000多", "100多", "约10%"],
        ["人均增收（元）", "3000多", "2800多", "200多", "约7%"],
        ["幸福工程投入（万元）", "35", "30", "5", "16.7%"],
        ["帮扶贫困母亲（户）", "270", "240", "30", "12.5%"],
        ["意外伤害保险投保（万元）", "50余", "45余", "约5", "约11%"],
    ]
    rows = [row for _ in range(8) for row in base]
    return Attachment("丰宁县计生协会2016年主要工作数据", ["指标", "2016年", "2015年", "增减", "增长率"], rows)


def make_report(**changes) -> Report:
    """A realistic report, the author closing its last paragraph as assembly writes it; keyword arguments replace fields."""
    paragraphs = fengning_paragraphs()
    paragraphs[-1] = Paragraph(paragraphs[-1].text + "（郭志）", paragraphs[-1].kind)
    fields = dict(
        title="丰宁满族自治县计划生育协会2016年工作总结",
        paragraphs=paragraphs,
        unit="丰宁满族自治县计划生育协会",
        date=dt.date(2016, 12, 20),
        attachment=key_figures(),
    )
    fields.update(changes)
    return Report(**fields)


def convert_to_pdf(docx_path: Path) -> Path:
    """Convert ``docx_path`` to PDF beside it with LibreOffice headless, using our font aliases.

    Fails (never skips) when LibreOffice is missing: CI installs it (make system-deps).
    """
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.fail("LibreOffice (soffice) not found: run `make system-deps` (scripts/install-system-deps.sh)")
    profile = docx_path.parent / "lo-profile"
    env = dict(os.environ, FONTCONFIG_FILE=str(FONTS_CONF))
    result = subprocess.run(
        [soffice, "--headless", "--norestore", f"-env:UserInstallation={profile.as_uri()}",
         "--convert-to", "pdf", "--outdir", str(docx_path.parent), str(docx_path)],
        env=env, capture_output=True, text=True, timeout=240,
    )
    pdf = docx_path.with_suffix(".pdf")
    if result.returncode != 0 or not pdf.exists():
        pytest.fail(f"LibreOffice could not convert {docx_path.name}: {result.stdout}\n{result.stderr}")
    return pdf


def run_tool(*args: str) -> str:
    """Run a poppler tool (pdffonts, pdftotext, pdftoppm); fail clearly when poppler-utils is missing."""
    if shutil.which(args[0]) is None:
        pytest.fail(f"{args[0]} not found: run `make system-deps` (installs poppler-utils)")
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout
