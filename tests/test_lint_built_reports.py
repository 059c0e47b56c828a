"""lint on reports that build writes: a report built from facts that pass check reads back with no error.

The default 2016 report is linted as python-docx wrote it and as LibreOffice saves it again (what
staff read back is a file an editor saved).  The property test changes figures of facts/2016.yaml at
random; whenever the changed facts pass check (build refuses them otherwise), lint on the report
finds no error.  Hypothesis runs derandomized: the same examples every run.
"""

from __future__ import annotations

import contextlib
import copy
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from workreport import pipeline
from workreport.errors import WorkreportError
from workreport.lint import lint

from .conftest import FACTS
from .render.render_support import FONTS_CONF
from .test_fuzz_build import BASE, dump, get, leaves, put


def _errors(path: Path, year: int = 2016) -> list[str]:
    return [f"{f.code} {f.message}" for f in lint(path, year).findings if f.severity == "error"]


@pytest.fixture(scope="module")
def default_report(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("built")
    return pipeline.build(FACTS / "2016.yaml", folder).output


def test_the_default_report_lints_without_error(default_report):
    assert _errors(default_report) == []  # 比上年增加2户 is a change, not last year's count


def test_the_default_report_saved_again_by_libreoffice_lints_without_error(default_report, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.fail("LibreOffice (soffice) not found: run `make system-deps` (scripts/install-system-deps.sh)")
    source = tmp_path / "source" / "2016年工作总结.docx"
    source.parent.mkdir()
    shutil.copy(default_report, source)
    out = tmp_path / "saved"
    subprocess.run([soffice, "--headless", "--norestore", f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}",
                    "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out), str(source)],
                   env=dict(os.environ, FONTCONFIG_FILE=str(FONTS_CONF)), capture_output=True, timeout=240, check=True)
    saved = out / source.name
    assert saved.exists()
    assert lint(saved, 2016).reading.all_figures()  # the text was read back
    assert _errors(saved) == []


# Figures of the facts: whole numbers, and figures written with their approximation (1100多, 50余万元, 90%).
BUILT: list = []
FIGURE_TEXT = re.compile(r"^(\d+)(多|余万元|万元|%|多元|余万)?$")
FIGURES = [p for p in leaves(BASE) if (isinstance(get(BASE, p), int) and not isinstance(get(BASE, p), bool) and "年度" not in p
                                       and not any("年份" in str(k) for k in p))
           or (isinstance(get(BASE, p), str) and FIGURE_TEXT.match(get(BASE, p)))]


def _changed(value, number: int):
    if isinstance(value, int):
        return number
    return f"{number}{FIGURE_TEXT.match(value).group(2) or ''}"


def change_figures(data, tree: dict, most: int) -> None:
    """Give up to ``most`` figures of ``tree`` drawn from ``data`` another number, written the same way."""
    for path in data.draw(st.lists(st.sampled_from(FIGURES), min_size=1, max_size=most, unique=True)):
        put(tree, path, _changed(get(tree, path), data.draw(st.integers(0, 3000))))


@contextlib.contextmanager
def built_from(tree: dict):
    """``tree`` written as 2016.yaml beside the shipped 2015.yaml and built: (the facts file, the report), or
    (the facts file, None) when check refuses the facts."""
    with tempfile.TemporaryDirectory() as folder:
        shutil.copy(FACTS / "2015.yaml", Path(folder) / "2015.yaml")
        facts = Path(folder) / "2016.yaml"
        facts.write_text(dump(tree), encoding="utf-8")
        try:
            built = pipeline.build(facts, Path(folder) / "output")
        except WorkreportError:
            built = None  # facts that do not pass check build no report
        yield facts, built


@settings(max_examples=50, deadline=None, derandomize=True, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def _built_reports_lint_without_error(data):
    tree = copy.deepcopy(BASE)
    change_figures(data, tree, 3)
    with built_from(tree) as (_, built):
        if built is not None:
            BUILT.append(1)
            assert _errors(built.output) == []


def test_a_report_built_from_facts_that_pass_check_lints_without_error():
    BUILT.clear()
    _built_reports_lint_without_error()
    assert len(BUILT) >= 10  # most changed facts passed check and were built: the property was tried
