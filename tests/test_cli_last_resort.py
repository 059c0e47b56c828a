"""The CLI's last resort: a bug still ends in a short Chinese message and exit 2, never a traceback."""

from __future__ import annotations

import pytest

from workreport import cli, pipeline

from .conftest import FACTS


def broken_build(*args, **kwargs):
    raise KeyError("a bug in the program")


def test_an_unexpected_error_is_a_short_chinese_message(monkeypatch, capsys, tmp_path):
    monkeypatch.delenv("WORKREPORT_DEBUG", raising=False)
    monkeypatch.setattr(pipeline, "build", broken_build)

    code = cli.main(["build", str(FACTS / "2016.yaml"), "-o", str(tmp_path)])

    err = capsys.readouterr().err
    assert code == 2
    last = err.splitlines()[-1]  # after the checks' warnings, which ran before the build
    assert last.startswith("内部错误") and "维护人员" in last and "KeyError" in last and "原有报告未改动" in last
    assert "Traceback" not in err and 'File "' not in err


def test_developers_can_see_the_traceback(monkeypatch, tmp_path):
    monkeypatch.setenv("WORKREPORT_DEBUG", "1")
    monkeypatch.setattr(pipeline, "build", broken_build)

    with pytest.raises(KeyError):
        cli.main(["build", str(FACTS / "2016.yaml"), "-o", str(tmp_path)])
