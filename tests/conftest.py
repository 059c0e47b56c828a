"""Shared fixtures: paths to the shipped facts and a scratch copy of them."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import settings

# The suite's property tests draw the same examples on every run, so `make test` cannot fail one run in N;
# HYPOTHESIS_PROFILE=explore draws new ones (and keeps failures in .hypothesis/) when hunting by hand.
settings.register_profile("suite", derandomize=True, database=None, print_blob=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "suite"))

ROOT = Path(__file__).resolve().parents[1]
FACTS = ROOT / "facts"


@pytest.fixture
def facts_dir(tmp_path: Path) -> Path:
    """A scratch copy of facts/ (2015 and 2016) that a test may edit."""
    target = tmp_path / "facts"
    shutil.copytree(FACTS, target)
    return target


def edit(path: Path, old: str, new: str) -> Path:
    """Replace one exact piece of a facts file (the test fails if it is not there once)."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} should occur once in {path.name}"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


@pytest.fixture
def rollup_example(tmp_path: Path) -> Path:
    """A scratch copy of the example county (tests/data/rollup: 2016.yaml and 2016/乡镇/*.yaml)."""
    target = tmp_path / "rollup"
    shutil.copytree(ROOT / "tests" / "data" / "rollup", target)
    return target
