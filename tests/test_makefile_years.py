"""make report: the latest facts/NNNN.yaml by default, YEAR= picks another (run with make -n in a scratch copy)."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from .conftest import ROOT

@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The Makefile with facts for 2015–2017, a non-year file, and an up-to-date .venv stamp."""
    shutil.copy(ROOT / "Makefile", tmp_path / "Makefile")
    (tmp_path / "pyproject.toml").write_text("", encoding="utf-8")
    facts = tmp_path / "facts"
    facts.mkdir()
    for name in ("2015.yaml", "2017.yaml", "2016.yaml", "说明.yaml", "2018-草稿.yaml"):
        (facts / name).write_text("", encoding="utf-8")
    stamp = tmp_path / ".venv" / ".installed-stamp"
    stamp.parent.mkdir()
    stamp.touch()
    later = time.time() + 10
    os.utime(stamp, (later, later))
    return tmp_path


def planned(project: Path, *args: str) -> list[str]:
    """The commands make would run."""
    # Run as a top-level make even under `make test` (MAKELEVEL/MAKEFLAGS would add "Entering directory").
    outer = ("FACTS", "YEAR", "OUT", "MAKELEVEL", "MAKEFLAGS", "MFLAGS")
    done = subprocess.run(["make", "-n", *args], cwd=project, capture_output=True, text=True, check=True,
                          env={k: v for k, v in os.environ.items() if k not in outer})
    return done.stdout.splitlines()


def test_report_builds_the_latest_year(project: Path):
    assert planned(project, "report") == [".venv/bin/workreport build facts/2017.yaml -o output"]


def test_year_picks_another(project: Path):
    assert planned(project, "report", "YEAR=2016") == [".venv/bin/workreport build facts/2016.yaml -o output"]


def test_the_round_trip_and_the_workbook_have_make_targets(project: Path):
    assert planned(project, "new-year", "FILE=2017定稿.docx") == [
        '.venv/bin/workreport new-year facts/2017.yaml --report "2017定稿.docx"']
    assert planned(project, "trace", "FILE=定稿.docx", "YEAR=2016") == [
        '.venv/bin/workreport check facts/2016.yaml --report "定稿.docx" --annotate "output/批注.docx"']
    assert planned(project, "refresh", "FILE=草稿.docx") == [
        '.venv/bin/workreport build facts/2017.yaml --report "草稿.docx" -o output']
    assert planned(project, "sheet") == [".venv/bin/workreport sheet facts/2017.yaml -o output/2017.xlsx"]
    assert planned(project, "sheet", "FILE=2017.xlsx") == ['.venv/bin/workreport sheet "2017.xlsx" -o facts/2017.yaml']


def test_a_target_that_reads_a_report_asks_for_it(project: Path):
    outer = ("FACTS", "YEAR", "OUT", "MAKELEVEL", "MAKEFLAGS", "MFLAGS")
    done = subprocess.run(["make", "-n", "trace"], cwd=project, capture_output=True, text=True,
                          env={k: v for k, v in os.environ.items() if k not in outer})
    assert done.returncode != 0 and "请写明总结文件" in done.stderr
