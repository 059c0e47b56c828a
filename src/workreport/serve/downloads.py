"""The files the page offers: the report (.docx, and .pdf when LibreOffice is installed) and the workbook.

Each is built from the page's current facts into a private temporary folder and handed back
as bytes with its file name; nothing is written into the project folder.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import FactsError, OutputError, Problem
from .document import Evaluation

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"


def soffice() -> str | None:
    """LibreOffice's command, when it is installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def report_docx(evaluation: Evaluation) -> tuple[str, bytes]:
    """The .docx report under its Chinese file name; refused, as ``build`` refuses, while the checks find errors."""
    from ..pipeline import report_name
    from ..render.docx import write_docx
    from ..rules.assemble import assemble

    facts = _usable(evaluation)
    errors = [f for f in evaluation.findings if f.severity == "error"]
    if errors:
        raise FactsError(Problem(f"检查发现 {len(errors)} 处错误（见页面顶部），未生成报告；请先改正，报告中的数字才不会相互矛盾"))
    report = assemble(facts, evaluation.context).report
    name = report_name(facts)
    with tempfile.TemporaryDirectory(prefix="workreport-") as folder:
        out = Path(folder) / name
        write_docx(report, facts.kind.docx_template, out)
        return name, out.read_bytes()


def report_pdf(evaluation: Evaluation) -> tuple[str, bytes]:
    """The report converted by LibreOffice headless, with a private profile (a running LibreOffice cannot block it)."""
    command = soffice()
    if command is None:
        raise OutputError(Problem("没有安装 LibreOffice，无法转成 PDF；请下载 .docx，或先安装 LibreOffice（make system-deps）"))
    name, data = report_docx(evaluation)
    with tempfile.TemporaryDirectory(prefix="workreport-") as folder:
        docx = Path(folder) / "report.docx"
        docx.write_bytes(data)
        profile = Path(folder, "profile").as_uri()
        fonts = Path(__file__).resolve().parents[3] / "fonts" / "fonts.conf"
        env = {**os.environ, **({"FONTCONFIG_FILE": str(fonts)} if fonts.is_file() else {})}
        done = subprocess.run([command, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir", folder, str(docx)],
                              capture_output=True, timeout=180, env=env)
        pdf = Path(folder) / "report.pdf"
        if done.returncode != 0 or not pdf.is_file():
            raise OutputError(Problem("LibreOffice 没能把报告转成 PDF；请下载 .docx 后在 LibreOffice 或 WPS 中另存为 PDF"))
        return name.removesuffix(".docx") + ".pdf", pdf.read_bytes()


def workbook(evaluation: Evaluation) -> tuple[str, bytes]:
    """The facts as the workbook of ``workreport sheet`` (to fill in Excel or WPS, or to pass on)."""
    from ..sheet.write import write_book

    facts = _usable(evaluation)
    name = f"{facts.year}.xlsx"
    with tempfile.TemporaryDirectory(prefix="workreport-") as folder:
        out = Path(folder) / name
        write_book(facts, out, context=evaluation.context)
        return name, out.read_bytes()


def _usable(evaluation: Evaluation):
    if evaluation.facts is None:
        raise FactsError(Problem("有不符合要求的值（见页面顶部），无法生成文件；请先改正"))
    return evaluation.facts
