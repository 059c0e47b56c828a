"""Editing a staff's .docx in place: find a span of characters in a paragraph, split runs at its ends, then
comment it, highlight it or replace its text, keeping every other run, paragraph and setting as it was.

Shared by the annotated copy (annotate.py) and the draft (draft.py).  Paragraphs are numbered
as document.read_document numbers them (body paragraphs and table cells in document order), so a
figure's paragraph and character span from the prose reading address the same characters here.
A figure that Word split over several runs (it does after any edit) is covered whole: the span's
runs are split at its two ends and every run between them belongs to it.
"""

from __future__ import annotations

import copy

from docx.enum.text import WD_COLOR_INDEX
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from .document import paragraph_elements, paragraph_text, text_runs

AUTHOR, INITIALS = "workreport", "WR"


class SpanError(ValueError):
    """The characters of a span are not all plain text of runs (a field, a picture or a line of another paragraph)."""


def reopened(doc):
    """The python-docx document of a report as it was read and traced (``document.Document.data``, read once within
    the .docx limits): an annotated copy or a draft starts from those bytes, not from the file, which may have changed."""
    import io

    from docx import Document as open_docx

    return open_docx(io.BytesIO(doc.data))


def paragraphs(document) -> list[Paragraph]:
    """The paragraphs of a python-docx Document, numbered as document.docx_paragraphs reads them."""
    return [Paragraph(p, document._body) for p in paragraph_elements(document.element.body)]


def _runs(paragraph: Paragraph) -> list:
    """The w:r elements whose text makes up the paragraph's text as the reader reads it (tracked insertions too)."""
    return text_runs(paragraph._p)


def text_of(paragraph: Paragraph) -> str:
    """The paragraph's text as the reader reads it: the offsets of comments and edits count in it."""
    return paragraph_text(paragraph._p)


def span_runs(paragraph: Paragraph, start: int, end: int, strict: bool = True) -> list[Run]:
    """The runs holding exactly characters ``start``–``end`` of the paragraph, runs split at both ends as needed.

    When they cannot hold exactly those characters, SpanError; with ``strict`` False, the runs that overlap the span.
    """
    end = min(end, len(text_of(paragraph)))
    _split_at(paragraph, start)
    _split_at(paragraph, end)
    out, overlapping, position = [], [], 0
    for r in _runs(paragraph):
        run = Run(r, paragraph)
        length = len(run.text)
        if start <= position and position + length <= end and length:
            out.append(run)
        if position < end and position + length > start:
            overlapping.append(run)
        position += length
    if "".join(r.text for r in out) != text_of(paragraph)[start:end] or not out:
        if strict or not overlapping:
            raise SpanError(f"characters {start}-{end} are not plain runs")
        return overlapping
    return out


def _split_at(paragraph: Paragraph, offset: int) -> None:
    """Split the run that holds character ``offset`` (not at its start) into two runs with the same properties."""
    position = 0
    for r in _runs(paragraph):
        run = Run(r, paragraph)
        text = run.text
        if position < offset < position + len(text):
            cut = offset - position
            twin = copy.deepcopy(r)
            run.text = text[:cut]
            Run(twin, paragraph).text = text[cut:]
            r.addnext(twin)
            return
        position += len(text)


def comment(document, paragraph: Paragraph, start: int, end: int, text: str) -> None:
    """A Word comment (批注) by workreport anchored on characters ``start``–``end``."""
    runs = span_runs(paragraph, start, end, strict=False)
    document.add_comment(runs if len(runs) > 1 else runs[0], text=text, author=AUTHOR, initials=INITIALS)


def highlight(paragraph: Paragraph, start: int, end: int, color=WD_COLOR_INDEX.YELLOW) -> None:
    """Mark characters ``start``–``end`` with a highlight, for review."""
    for run in span_runs(paragraph, start, end):
        run.font.highlight_color = color


def replace(paragraph: Paragraph, start: int, end: int, text: str) -> list[Run]:
    """Put ``text`` in place of characters ``start``–``end``, in the first run's formatting; the other runs go."""
    runs = span_runs(paragraph, start, end)
    runs[0].text = text
    for run in runs[1:]:
        run._r.getparent().remove(run._r)
    return runs[:1]


__all__ = ["AUTHOR", "comment", "highlight", "paragraphs", "replace", "span_runs", "text_of"]
