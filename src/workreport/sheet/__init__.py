"""Facts in a spreadsheet: write a workbook for staff and townships to fill in Excel or WPS, and read it back.

One entry function per direction:

- ``to_book(facts_file, out, township=False)`` writes the workbook of a facts file (or the
  blank township form of its additive figures);
- ``from_book(book, facts_file)`` writes a filled workbook back into a facts file, changing
  only what changed.

``read_book`` gives the positioned facts tree of a workbook (each value at its cell), which
``pipeline.load_facts`` uses so that ``check``, ``build`` and ``rollup`` read workbooks like
YAML files; layout.py is the one definition of what a workbook holds.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import FactsError, Problem
from ..facts import FACTS_SUFFIXES, Path_, display_path
from ..facts import is_workbook
from .read import WorkbookFacts, read_book

__all__ = ["WorkbookFacts", "from_book", "is_workbook", "read_book", "to_book"]


def to_book(facts_file: str | Path, out: str | Path, township: bool = False, force: bool = False) -> Path:
    """Write the workbook of a facts file to ``out`` (.xlsx); ``township``: the blank form for the townships.

    An existing workbook may hold what staff filled in: it is replaced only with ``force``.
    """
    from ..fsutil import refuse_existing
    from ..pipeline import load_facts
    from ..rules.derive import derive
    from .write import write_book

    out = Path(out)
    if out.suffix.lower() != ".xlsx":
        raise FactsError(Problem("工作簿的文件名应以 .xlsx 结尾，如 2016.xlsx", file=display_path(out)))
    refuse_existing(out, force)
    facts = load_facts(facts_file)
    return write_book(facts, out, township=township, context=None if township else derive(facts))


def from_book(book: str | Path, facts_file: str | Path) -> list[Path_]:
    """Read a filled workbook (checked against the schema) and write it into ``facts_file``; the facts changed."""
    from ..kind import load_kind
    from ..schema import validate
    from .merge import merge_into

    if Path(facts_file).suffix.lower() not in FACTS_SUFFIXES:
        raise FactsError(Problem("事实文件的文件名应以 .yaml 结尾，如 facts/2016.yaml", file=display_path(Path(facts_file))))
    kind = load_kind()
    raw = read_book(book, kind)
    validate(raw, kind)  # a value the schema refuses is reported at its cell, and nothing is written
    return merge_into(raw, Path(facts_file), kind)
