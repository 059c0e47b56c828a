"""The CLI's output layer: order (findings, then unusable files, then the summary), other years'
files in one line, a GBK console or redirected output, a reader that stops early, Windows paths."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from workreport.cli import main

from .conftest import edit

ENV = {k: v for k, v in os.environ.items() if not k.startswith("PYTHONIO")}


def _run(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess:
    """The workreport command in a child Python, its output captured as bytes (as a console or file gets it)."""
    return subprocess.run([sys.executable, "-m", "workreport.cli", *args], cwd=cwd, capture_output=True,
                          env={**ENV, **env}, timeout=120)


def test_gbk_stdout_prints_every_finding_and_exits_1(facts_dir: Path) -> None:
    edit(facts_dir / "2016.yaml", "现有户数: 180 ", "现有户数: 181 ")
    done = _run("check", "facts/2016.yaml", cwd=facts_dir.parent, PYTHONIOENCODING="gbk")
    assert done.returncode == 1, done.stderr.decode("gbk", "replace")
    out = done.stdout.decode("gbk")  # strictly GBK: nothing written in another encoding
    assert "[WR102 错误] 计生特困家庭户数：上年 178户 + 8户 - 6户 应为 180户" in out  # − (U+2212) has no GBK form
    assert out.rstrip().splitlines()[-1] == "1 个错误，2 个警告，0 条提示"


def test_summary_comes_after_the_files_that_could_not_be_read(facts_dir: Path) -> None:
    edit(facts_dir / "2015.yaml", "现有户数: 178 ", "现有户数: 一百七十八 ")
    done = _run("check", str(facts_dir / "2016.yaml"), cwd=facts_dir, PYTHONUNBUFFERED="1")
    merged = subprocess.run(f'"{sys.executable}" -m workreport.cli check 2016.yaml 2>&1', shell=True, cwd=facts_dir,
                            capture_output=True, env=ENV, timeout=120).stdout.decode("utf-8")
    assert done.returncode == 2
    assert merged.rstrip().splitlines()[-1].startswith("0 个错误") and "无法使用" in merged.rstrip().splitlines()[-1]
    assert merged.index("错误：") < merged.rindex("0 个错误")


def test_other_years_collapse_to_one_line_unless_asked(facts_dir: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(facts_dir.parent)
    assert main(["new-year", "facts/2016.yaml"]) == 0
    capsys.readouterr()
    assert main(["check", "facts/"]) == 1
    out = capsys.readouterr().out
    assert "facts/2016.yaml：2 个警告（已在往年报告中；要逐条列出，请加 --all-years）" in out
    assert "WR404" not in out and "facts/2017.yaml:16:5 [WR001 错误]" in out
    assert main(["check", "facts/", "--all-years"]) == 1
    assert "facts/2016.yaml:68:11 [WR404 警告]" in capsys.readouterr().out


def test_settled_years_do_not_fail_the_run(facts_dir: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(facts_dir.parent)
    assert main(["check", "facts/"]) == 0  # 2015.yaml (last year's figures only) cannot make a report: told in one line
    assert "facts/2015.yaml：2 个错误，1 条提示（已在往年报告中" in capsys.readouterr().out
    assert main(["check", "facts/", "--all-years"]) == 1


def test_a_closed_pipe_ends_quietly(facts_dir: Path) -> None:
    """Output to a pipe whose reader has gone (| head): no traceback, no 内部错误."""
    code = ("import os, sys; r, w = os.pipe(); os.close(r); os.dup2(w, 1); "
            "from workreport.cli import main; sys.exit(main(['check', 'facts/']))")
    done = subprocess.run([sys.executable, "-c", code], cwd=facts_dir.parent, capture_output=True, env=ENV, timeout=120)
    assert done.stderr == b"", done.stderr.decode("utf-8", "replace")
    assert done.returncode == 0


def test_windows_path_with_backslashes_and_chinese_names(facts_dir: Path, monkeypatch, capsys) -> None:
    folder = facts_dir.parent / "事实文件"
    facts_dir.rename(folder)
    monkeypatch.chdir(folder.parent)
    assert main(["check", "事实文件\\2016.yaml"]) == 0
    assert "事实文件/2016.yaml:68:11 [WR404 警告]" in capsys.readouterr().out


def test_a_list_still_to_fill_in_shows_the_list_form(facts_dir: Path, monkeypatch, capsys) -> None:
    edit(facts_dir / "2016.yaml", "主题: [坚持基本国策、发挥协会作用]", "主题: 待填")
    monkeypatch.chdir(facts_dir.parent)
    assert main(["check", "facts/2016.yaml"]) == 1
    assert "队伍建设.宣传.主题 还没有填写（宣传教育活动的主题），写的仍是“待填”；这是列表，请写成 [甲, 乙]" in capsys.readouterr().out
