"""workreport check / explain, and build stopped by errors (exit codes 0, 1, 2)."""

import json

from workreport.cli import main

from .conftest import edit


def test_shipped_facts_pass_with_warnings(facts_dir, monkeypatch, capsys):
    monkeypatch.chdir(facts_dir.parent)
    assert main(["check", "facts/"]) == 0
    out = capsys.readouterr().out
    assert "facts/2016.yaml:68:11 [WR404 警告]" in out and "0 个错误" in out


def test_conflict_exits_1_and_json_names_both_files(facts_dir, monkeypatch, capsys):
    edit(facts_dir / "2015.yaml", "现有户数: 178 ", "现有户数: 177 ")
    monkeypatch.chdir(facts_dir.parent)
    assert main(["check", "facts/2016.yaml", "--format", "json"]) == 1
    wr102 = [f for f in json.loads(capsys.readouterr().out) if f["code"] == "WR102"][0]
    assert (wr102["file"], wr102["line"]) == ("facts/2016.yaml", 63)
    assert {"file": "facts/2015.yaml", "line": 13, "key": "上年.生育关怀.亲情关爱.现有户数"} in wr102["related"]


def test_unreadable_facts_exit_2(facts_dir, capsys):
    edit(facts_dir / "2016.yaml", "新增户数: 8 ", "新增户数: 八户 ")
    assert main(["check", str(facts_dir)]) == 2
    assert "请写作 8" in capsys.readouterr().err


def test_suppressed_findings_are_counted(facts_dir, monkeypatch, capsys):
    edit(facts_dir / "2016.yaml", "  投保金额:\n    年份: 2015", "  投保金额:\n    年份: 2015  # 忽略 WR404: 2016年投保尚未统计")
    monkeypatch.chdir(facts_dir.parent)
    assert main(["check", "facts/2016.yaml"]) == 0
    out = capsys.readouterr().out
    assert "已忽略：facts/2016.yaml:118" in out and "另有 1 个问题已按“忽略”注释不报" in out


def test_explain(capsys):
    assert main(["explain", "WR201"]) == 0
    assert capsys.readouterr().out.startswith("WR201 部分超过了整体（错误）")
    assert main(["explain"]) == 0
    assert "WR902" in capsys.readouterr().out
    assert main(["explain", "WR999"]) == 2


def test_build_stops_on_errors_unless_forced(facts_dir, tmp_path, capsys):
    edit(facts_dir / "2016.yaml", "现有户数: 180 ", "现有户数: 181 ")
    out = tmp_path / "out"
    assert main(["build", str(facts_dir / "2016.yaml"), "-o", str(out)]) == 1
    assert "[WR102 错误]" in capsys.readouterr().err and not out.exists()
    assert main(["build", str(facts_dir / "2016.yaml"), "-o", str(out), "--force"]) == 0
    assert "--force 仍然生成" in capsys.readouterr().err and list(out.glob("*.docx"))
