"""The command line: exit codes and Chinese messages, never a traceback."""

import subprocess
import sys

import pytest

from workreport.cli import main

from .conftest import edit


def test_build_writes_the_report(facts_dir, tmp_path, capsys):
    assert main(["build", str(facts_dir / "2016.yaml"), "-o", str(tmp_path / "out")]) == 0
    assert "已生成" in capsys.readouterr().out
    assert (tmp_path / "out" / "丰宁县计划生育协会2016年工作总结.docx").exists()


def test_bad_facts_exit_2_with_file_line_and_key(facts_dir, tmp_path, capsys):
    path = edit(facts_dir / "2016.yaml", "新增户数: 8 ", "新增户数: 八户 ")
    assert main(["build", str(path), "-o", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "2016.yaml:" in err and "生育关怀.亲情关爱.新增户数" in err and "请写作 8" in err
    assert not list(tmp_path.glob("*.docx"))


def test_usage_errors_are_chinese_and_exit_2():
    result = subprocess.run([sys.executable, "-m", "workreport.cli", "build"], capture_output=True, text=True)
    assert result.returncode == 2
    assert "命令行参数有误" in result.stderr and "Traceback" not in result.stderr


USAGE_ERRORS = [  # (command line, what staff read): argparse's own wording must not reach them in English
    (["check"], "缺少参数：facts"),
    (["chek", "facts/2016.yaml"], "没有“chek”这个命令；可用的命令：build、rollup、check、explain、new-year、lint、import、sheet、serve"),
    (["check", "facts/2016.yaml", "--format", "xml"], "--format 不能写“xml”，可写：text、json、github"),
    (["check", "facts/2016.yaml", "--formt", "json"], "不认识的参数：--formt json"),
    (["check", "facts/2016.yaml", "--report"], "--report 后面要写一个值"),
    (["check", "facts/2016.yaml", "--templates=yes"], "--templates 后面不写值，实为“yes”"),
    (["serve", "facts/2016.yaml", "--port", "x"], "--port 应为整数，实为“x”"),
]


@pytest.mark.parametrize("argv,wording", USAGE_ERRORS)
def test_usage_errors_are_worded_in_chinese(argv, wording, capsys):
    with pytest.raises(SystemExit) as usage:
        main(argv)
    err = capsys.readouterr().err
    assert usage.value.code == 2
    assert f"命令行参数有误：{wording}" in err, err
    assert err.startswith("用法：workreport")
    assert not any(word in err for word in ("usage", "argument", "invalid", "required", "expected", "unrecognized"))


@pytest.mark.parametrize("argv", [["--help"], ["check", "--help"], ["build", "-h"]])
def test_help_is_chinese(argv, capsys):
    with pytest.raises(SystemExit) as shown:
        main(argv)
    out = capsys.readouterr().out
    assert shown.value.code == 0 and out.startswith("用法：workreport")
    assert "显示本说明后退出" in out and "参数" in out
    assert not any(word in out for word in ("usage", "positional arguments", "options:", "show this help"))


@pytest.mark.parametrize("year", ["-5", "0", "99999", "二〇一六", "2016.5"])
@pytest.mark.parametrize("command", [["lint", "总结.txt"], ["import", "总结.txt", "-o", "草稿.yaml"]])
def test_a_year_outside_the_facts_range_is_refused_with_the_range(command, year, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "总结.txt").write_text("2016年工作总结\n", encoding="utf-8")
    with pytest.raises(SystemExit) as usage:
        main([*command, f"--year={year}"])
    err = capsys.readouterr().err
    assert usage.value.code == 2
    assert "1900–2100" in err or "四位数的年度" in err, err
    assert year in err
    assert not (tmp_path / "草稿.yaml").exists()
