"""Bad input never crashes and never loses work: the corpus in tests/bad_inputs/ through the real CLI.

Every case is built with ``workreport build`` over a report built before; each must end in
its exit code (2, or 1 where a check stops the build), a Chinese message naming the file and
the line, no traceback, and the earlier report byte for byte as it was, with nothing beside it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from workreport import cli

from .conftest import FACTS, ROOT

CORPUS = Path(__file__).parent / "bad_inputs"
CASES = YAML(typ="safe").load((CORPUS / "cases.yaml").read_text(encoding="utf-8"))
REPORT = "丰宁县计划生育协会2016年工作总结.docx"


@pytest.fixture(scope="module")
def previous_report(tmp_path_factory) -> bytes:
    """The report a good build writes, as bytes: what every failed build must leave alone."""
    out = tmp_path_factory.mktemp("good")
    assert cli.main(["build", str(FACTS / "2016.yaml"), "-o", str(out)]) == 0
    return (out / REPORT).read_bytes()


@pytest.fixture
def workspace(tmp_path, monkeypatch, previous_report):
    """A working folder like the staff's: facts/ (2015 and 2016) and output/ holding last build's report."""
    shutil.copytree(FACTS, tmp_path / "facts")
    (tmp_path / "output").mkdir()
    (tmp_path / "output" / REPORT).write_bytes(previous_report)
    monkeypatch.chdir(tmp_path)  # messages then name facts/2016.yaml, as staff see them
    return tmp_path


def write_case(case: dict, root: Path) -> tuple[Path, Path, int | None]:
    """Write the case's facts file; return the path to build, the file the message must name, and its line."""
    target = root / "facts" / case.get("in", "2016.yaml")
    built = root / "facts" / "2016.yaml"
    line = case.get("line", 0)
    if case.get("missing"):
        built.unlink()
        return built, built, None
    if case.get("folder"):
        built.unlink()
        built.mkdir()
        return built, built, None
    if case.get("special"):
        built.unlink()
        os.mkfifo(built) if case["special"] == "fifo" else built.symlink_to("/dev/zero")
        return built, built, None
    if case.get("template_link"):
        shutil.copytree(ROOT / "templates", root / "templates")  # ./templates is the one used from this folder
        linked = root / "templates" / "fpa-annual" / "text" / case["template_link"]
        linked.unlink()
        linked.symlink_to("/etc/passwd")
        return built, linked, None
    if "file" in case:
        text = (CORPUS / case["file"]).read_text(encoding="utf-8")
    elif "text" in case:
        text = case["text"] * case.get("repeat", 1)
    else:
        old, new = case["replace"]
        if "pad" in case:
            new += case["pad"][0] * case["pad"][1]
        text = target.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{old!r} should occur once in {target.name}"
        if line == 0:
            line = text[: text.index(old)].count("\n") + 1
        text = text.replace(old, new)
    if isinstance(line, str):
        line = next(i for i, row in enumerate(text.splitlines(), 1) if line in row)
    if case.get("crlf"):
        text = text.replace("\n", "\r\n")
    if case.get("cr"):
        text = text.replace("\n", "\r")
    data = text.encode(case.get("encoding", "utf-8"))
    target.write_bytes((b"\xef\xbb\xbf" if case.get("bom") else b"") + data)
    return built, target, line


def test_the_corpus_is_large_enough():
    assert len(CASES) >= 30
    assert len({c["name"] for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_bad_input_is_refused_cleanly(case, workspace, previous_report, capsys):
    built, named, line = write_case(case, workspace)

    if case.get("subprocess"):  # a fault that would hang or exhaust the test process if it came back
        done = subprocess.run([sys.executable, "-m", "workreport.cli", "build", str(built.relative_to(workspace)), "-o", "output"],
                              capture_output=True, text=True, encoding="utf-8", timeout=60)
        code, err = done.returncode, done.stderr
    else:
        code = cli.main(["build", str(built.relative_to(workspace)), "-o", "output"])
        err = capsys.readouterr().err
    assert code == case.get("exit", 2), err
    assert "Traceback" not in err and "内部错误" not in err, err
    shown = named.relative_to(workspace).as_posix()
    assert (f"{shown}:{line}:" if line else shown) in err, err
    for fragment in case["expect"]:
        assert str(fragment) in err, err
    assert sorted(p.name for p in (workspace / "output").iterdir()) == [REPORT]  # no temporary file left
    assert (workspace / "output" / REPORT).read_bytes() == previous_report


@pytest.mark.parametrize("name", ["a key written twice", "the billion laughs"])
def test_a_real_process_prints_no_traceback(name, workspace, previous_report):
    case = next(c for c in CASES if c["name"] == name)
    built, named, line = write_case(case, workspace)

    done = subprocess.run([sys.executable, "-m", "workreport.cli", "build", str(built.relative_to(workspace)), "-o", "output"],
                          capture_output=True, text=True, encoding="utf-8", timeout=60)

    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert f"{named.relative_to(workspace).as_posix()}:{line}:" in done.stderr
    assert (workspace / "output" / REPORT).read_bytes() == previous_report
