"""The annotated copy: ``check FACTS --report EDITED.docx --annotate OUT.docx``.

Entry point: ``annotate(traced, findings, output)``.  A copy of the staff's .docx with
one Word comment (批注) per trace finding still reported, anchored on exactly the figure's
characters (docxedit splits runs at the span's ends, so a figure Word split over runs is
covered whole), by "workreport", saying what the fact says and where.  The staff's file is
only read; the copy is written atomically and never over the report itself.
"""

from __future__ import annotations

from pathlib import Path

from . import docxedit
from .checks import SEVERITY_CN, Finding
from .errors import Problem, WorkreportError
from .facts import display_path
from .fsutil import atomic_write
from .trace import Traced


def annotate(traced: Traced, findings: list[Finding], output: str | Path) -> str:
    """Write the annotated copy of the traced report to ``output``; returns the path as shown."""
    source, output = traced.document.path, Path(output)
    if source.suffix.lower() not in (".docx", ".docm") or output.suffix.lower() != ".docx":
        raise WorkreportError(Problem("批注只能写在 Word 文件中：--report 和 --annotate 都应是 .docx 文件"
                                      "（文本总结请先在 Word/WPS 中另存为 .docx）", file=display_path(output)))
    reported = {id(f) for f in findings}
    document = docxedit.reopened(traced.document)
    paragraphs = docxedit.paragraphs(document)
    for item in traced.traces:
        found = traced.finding_of(item)
        if found is None or id(found) not in reported:
            continue
        number, start = traced.reading.place(item.paragraph, item.figure.start)
        end = start + (item.figure.end - item.figure.start)
        text = f"[{found.code} {SEVERITY_CN[found.severity]}] {found.message}"
        docxedit.comment(document, paragraphs[number - 1], start, end, text)
    atomic_write(output, lambda tmp: document.save(str(tmp)), inputs=[source])
    return display_path(output)
