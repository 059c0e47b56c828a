"""Data-driven check cases: tests/checks/cases/WRxxx.yaml, one file per check code.

Each case names the codes it expects (``expect``); the file's own code must be found exactly
when listed there.  ``key`` and ``file_line`` pin where the finding of the file's code points.
A case with ``report`` builds the report from its facts, edits its text and runs ``check --report``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from workreport.checks import SEVERITY_CN, all_checks
from workreport.kind import load_kind
from workreport.pipeline import Checked, check, check_templates

from .casefiles import CASES, edited_report, load_cases, templates_with, write_case


def _all_cases() -> list:
    params = []
    for path in sorted(CASES.glob("WR*.yaml")):
        for number, case in enumerate(load_cases(path), 1):
            params.append(pytest.param(path.stem, case, id=f"{path.stem}-{number}-{case['name']}"))
    return params


@pytest.mark.parametrize(("code", "case"), _all_cases())
def test_case(code: str, case: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> None:
    if case.get("relations") or case.get("template"):
        monkeypatch.setenv("WORKREPORT_TEMPLATES", str(templates_with(case.get("relations") or [], tmp_path, case.get("template"))))
        load_kind.cache_clear()  # the kind is read once per process; this case has its own
        request.addfinalizer(load_kind.cache_clear)
    monkeypatch.chdir(tmp_path)
    if case.get("template"):
        checked = Checked(tmp_path, check_templates(), [])
    elif "report" in case:  # a trace case (WR61x): the report built from the facts, edited, checked against them
        from workreport.trace import check_report

        facts = write_case(case, tmp_path / "facts")
        checked, _ = check_report(facts, edited_report(case["report"], facts, tmp_path))
    else:
        checked = check(write_case(case, tmp_path / "facts"))
    found = {f.code for f in checked.findings}
    expected = set(case.get("expect") or [])
    assert expected <= found, f"expected {sorted(expected)}, found {[(f.code, f.message) for f in checked.findings]}"
    if code not in expected:
        assert code not in found, [f.message for f in checked.findings if f.code == code]
        return
    mine = [f for f in checked.findings if f.code == code]
    registered = all_checks()[code]
    for f in mine:  # what check prints agrees with what explain says (a second severity is documented)
        assert f.severity == registered.severity or SEVERITY_CN[f.severity] in registered.doc, (code, f.severity)
    if "key" in case:
        assert case["key"] in {f.key for f in mine}, [f.key for f in mine]
    if "file_line" in case:
        places = {f"{Path(file).name}:{line}" for f in mine for file, line in f.places()}
        assert case["file_line"] in places, places
    if "severity" in case:
        assert {f.severity for f in mine} == {case["severity"]}
    if "silenced" in case:
        assert len(checked.silenced) == case["silenced"]


def test_every_registered_code_has_a_case_file() -> None:
    missing = [code for code in all_checks() if not (CASES / f"{code}.yaml").exists()]
    assert not missing, f"no case file for {missing}"


def test_every_case_file_has_a_passing_and_a_failing_case() -> None:
    for path in sorted(CASES.glob("WR*.yaml")):
        cases = load_cases(path)
        assert any(path.stem in (c.get("expect") or []) for c in cases), f"{path.name}: no failing case"
        assert any(path.stem not in (c.get("expect") or []) for c in cases), f"{path.name}: no passing case"


def test_the_shipped_facts_have_no_error() -> None:
    facts = Path(__file__).resolve().parents[2] / "facts"
    assert [f for f in check(facts / "2016.yaml").findings if f.severity == "error"] == []
    # 2015.yaml records only last year's closing figures: it cannot make a report, and check says so.
    errors = [f for f in check(facts / "2015.yaml").findings if f.severity == "error"]
    assert {(f.code, f.key) for f in errors} == {("WR002", "标题"), ("WR002", "成文日期")}
