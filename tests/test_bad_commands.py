"""Commands that write or roll up refuse bad input cleanly: the corpus tests/bad_inputs/commands.yaml through the CLI.

Every case must end in its exit code, a Chinese message naming the file (and the line), no
traceback, and the working folder byte for byte as it was: no file changed, none added.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from workreport import cli

from .conftest import FACTS, ROOT
from .test_bad_inputs import REPORT, previous_report  # noqa: F401 (the report built before, a fixture)

CORPUS = Path(__file__).parent / "bad_inputs"
CASES = YAML(typ="safe").load((CORPUS / "commands.yaml").read_text(encoding="utf-8"))


@pytest.fixture
def workspace(tmp_path, monkeypatch, previous_report):
    """facts/ (2015, 2016), output/ with the report built before, county/ with three townships."""
    shutil.copytree(FACTS, tmp_path / "facts")
    (tmp_path / "output").mkdir()
    (tmp_path / "output" / REPORT).write_bytes(previous_report)
    shutil.copytree(ROOT / "tests" / "data" / "rollup", tmp_path / "county")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def prepare(step: dict, root: Path) -> None:
    """Run one setup step of a case (see the top of commands.yaml)."""
    (action, value), = step.items()
    if action == "copy":
        shutil.copyfile(root / value[0], root / value[1])
    elif action == "link":
        os.link(root / value[0], root / value[1])
    elif action == "write":
        (root / value[0]).write_text(value[1], encoding="utf-8")
    elif action == "replace":
        path, old, new = root / value[0], value[1], value[2]
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{old!r} should occur once in {value[0]}"
        path.write_text(text.replace(old, new), encoding="utf-8")
    elif action == "remove":
        (root / value).unlink()
    elif action == "fifo":
        os.mkfifo(root / value)
    elif action == "read-only":
        (root / value).chmod(0o444)
    else:
        raise AssertionError(f"unknown setup step {action}")


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` (hidden temporary files too) with its bytes."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_the_corpus_names_each_case_once():
    assert len(CASES) >= 25
    assert len({c["name"] for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_a_bad_command_is_refused_and_changes_nothing(case, workspace, capsys):
    for step in case.get("setup", []):
        prepare(step, workspace)
    before = snapshot(workspace)

    try:
        code = cli.main([str(arg) for arg in case["args"]])
    except SystemExit as exc:  # argparse refuses a bad option value before main's try
        code = exc.code

    err = capsys.readouterr().err
    assert code == case.get("exit", 2), err
    assert "Traceback" not in err and "内部错误" not in err, err
    for place in case["where"]:
        assert f"{place}:" in err or f"{place} " in err, f"{place!r} not named in:\n{err}"
    for fragment in case["expect"]:
        assert str(fragment) in err, err
    assert snapshot(workspace) == before
