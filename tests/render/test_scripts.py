"""scripts/render-pdf.sh, the script behind `make pdf`: converts a folder of reports with our fonts."""

from __future__ import annotations

import subprocess

from tests.render.render_support import ROOT, make_report, run_tool
from workreport.model import BODY, HEADING1, Paragraph

SCRIPT = ROOT / "scripts" / "render-pdf.sh"


def test_render_pdf_script_converts_with_the_font_aliases(tmp_path, render_docx):
    short = make_report(
        title="2016年工作总结",
        paragraphs=[Paragraph("一、基本情况", HEADING1), Paragraph("全年共扶持计生贫困户1100多户。", BODY)],
        attachment=None,
    )
    docx_path = render_docx(short, "总结.docx")
    target = tmp_path / docx_path.name
    target.write_bytes(docx_path.read_bytes())
    result = subprocess.run([str(SCRIPT), str(tmp_path)], capture_output=True, text=True, timeout=240)
    assert result.returncode == 0, result.stderr
    pdf = tmp_path / "总结.pdf"
    assert "已生成" in result.stdout and pdf.exists()
    fonts = run_tool("pdffonts", str(pdf))
    assert "FandolFang" in fonts and "NotoSansCJK" in fonts and "NotoSerifCJK" in fonts


def test_render_pdf_script_explains_an_empty_folder(tmp_path):
    result = subprocess.run([str(SCRIPT), str(tmp_path)], capture_output=True, text=True)
    assert result.returncode == 2
    assert "make report" in result.stderr
