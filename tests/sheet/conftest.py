"""Workbooks for the sheet tests: the shipped facts as a workbook, filled the way a person fills it, re-saved by LibreOffice."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from workreport.sheet import to_book


@pytest.fixture
def book(facts_dir: Path) -> Path:
    """facts/2016.yaml written as a workbook beside it (facts_dir/2016.xlsx), where 2015.yaml is found as last year's."""
    return to_book(facts_dir / "2016.yaml", facts_dir / "2016.xlsx")


def row_of(ws: Any, key: str, number: int | None = None) -> int:
    """The row of a fact (its 项目 text and, for a list or table, its 序号) in a sheet."""
    for row in range(2, ws.max_row + 1):
        if ws.cell(row, 1).value == key and (number is None or ws.cell(row, 2).value == number):
            return row
    raise AssertionError(f"no row {key} {number} in {ws.title}")


def fill(path: Path, sheet: str, key: str, value: Any, number: int | None = None, column: int = 3, out: Path | None = None) -> str:
    """Type ``value`` into a fact's cell as a person would (openpyxl, text stays text); save; return the cell (生育关怀!C42)."""
    book = openpyxl.load_workbook(path)
    ws = book[sheet]
    row = row_of(ws, key, number)
    ws.cell(row, column).value = value
    book.save(out or path)
    return f"{sheet}!{ws.cell(row, column).coordinate}"


def soffice(source: Path, target_format: str, outdir: Path) -> Path:
    """Convert ``source`` with LibreOffice headless (a re-save when the format is its own); fails if LibreOffice is missing."""
    program = shutil.which("soffice") or shutil.which("libreoffice")
    if program is None:
        pytest.fail("LibreOffice (soffice) not found: run `make system-deps` (scripts/install-system-deps.sh)")
    outdir.mkdir(parents=True, exist_ok=True)
    profile = outdir / "lo-profile"
    result = subprocess.run([program, "--headless", "--norestore", f"-env:UserInstallation={profile.as_uri()}",
                             "--convert-to", target_format, "--outdir", str(outdir), str(source)],
                            capture_output=True, text=True, timeout=240)
    converted = outdir / f"{source.stem}.{target_format.split(':')[0]}"
    if result.returncode != 0 or not converted.exists():
        pytest.fail(f"LibreOffice could not convert {source.name}: {result.stdout}\n{result.stderr}")
    return converted
