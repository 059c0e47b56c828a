"""docxtpl's template is compiled once per process and kept as bytecode for the next; every report still gets its own content."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from tests.render.render_support import TEMPLATE, make_report
from tests.render.test_docx_sandbox import template_with_title
from workreport.render import docx
from workreport.render.docx import write_docx


def _document_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as package:
        return package.read("word/document.xml").decode("utf-8")


def test_reports_of_one_process_share_the_compiled_template_but_not_their_content(tmp_path, monkeypatch):
    write_docx(make_report(), TEMPLATE, tmp_path / "first.docx")  # compiles, or reads the bytecode cache
    env = docx._jinja_env()
    compiled = []
    original = type(env).compile
    monkeypatch.setattr(type(env), "compile", lambda self, *a, **k: (compiled.append(1), original(self, *a, **k))[1])
    write_docx(make_report(), TEMPLATE, tmp_path / "a.docx")
    write_docx(make_report(title="隆化县计划生育协会2016年工作总结", unit="隆化县计划生育协会"), TEMPLATE, tmp_path / "b.docx")
    assert compiled == []
    first, second = _document_xml(tmp_path / "a.docx"), _document_xml(tmp_path / "b.docx")
    assert "丰宁满族自治县计划生育协会" in first and "隆化县" not in first
    assert second.count("隆化县计划生育协会") >= 2  # its title and its signature, not the first report's


def test_an_edited_template_is_compiled_afresh(tmp_path):
    """A staff edit of report.docx changes the source, so neither the process nor the bytecode cache serves the old one."""
    edited = template_with_title(tmp_path, "{{ title }}（修订）")
    write_docx(make_report(), TEMPLATE, tmp_path / "plain.docx")
    write_docx(make_report(), edited, tmp_path / "edited.docx")
    assert "（修订）" in _document_xml(tmp_path / "edited.docx")
    assert "（修订）" not in _document_xml(tmp_path / "plain.docx")


def test_the_next_process_reads_the_bytecode_instead_of_compiling(tmp_path):
    script = f"""
from tests.render.render_support import TEMPLATE, make_report
from workreport.render import docx
env = docx._jinja_env()
calls = []
original = type(env).compile
type(env).compile = lambda self, *a, **k: (calls.append(1), original(self, *a, **k))[1]
docx.write_docx(make_report(), TEMPLATE, {str(tmp_path / "out.docx")!r})
print(len(calls))
"""
    root = Path(__file__).resolve().parents[2]
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    first = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=root, env=env)
    assert first.returncode == 0, first.stderr
    assert int(first.stdout) > 0  # document.xml, the footers, the properties
    assert list((tmp_path / "cache" / "workreport").glob("__jinja2_docx_*.cache"))
    second = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=root, env=env)
    assert second.returncode == 0, second.stderr
    assert int(second.stdout) == 0
