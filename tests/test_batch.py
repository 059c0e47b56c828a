"""Batch builds: several facts files or a folder, one process pool, failures listed at the end."""

import io
import shutil
from pathlib import Path

import pytest

from workreport import batch
from workreport.batch import Outcome, build_many, summary
from workreport.cli import main
from workreport.inputs import facts_files

from .conftest import FACTS


@pytest.fixture
def counties(tmp_path):
    """A folder of three county facts files: 甲县 and 乙县 good, 坏县 with a year in Chinese numerals;
    their last-year file sits in a folder of its own, named by 上年事实."""
    (tmp_path / "上年").mkdir()
    shutil.copy(FACTS / "2015.yaml", tmp_path / "上年" / "2015.yaml")
    folder = tmp_path / "counties"
    folder.mkdir()
    source = (FACTS / "2016.yaml").read_text(encoding="utf-8")
    source = source.replace("\n成文日期:", "\n上年事实: ../上年/2015.yaml\n成文日期:", 1)
    for name in ("甲县", "乙县"):
        (folder / f"{name}.yaml").write_text(source.replace("丰宁县计划生育协会", f"{name}计划生育协会"), encoding="utf-8")
    (folder / "坏县.yaml").write_text(source.replace("年度: 2016", "年度: 二〇一六"), encoding="utf-8")
    return folder


def test_a_folder_builds_every_report_and_lists_the_failure(counties, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("CI", "true")
    out = tmp_path / "out"
    assert main(["build", str(counties), "-o", str(out)]) == 1
    assert sorted(p.name for p in out.glob("*.docx")) == ["乙县计划生育协会2016年工作总结.docx", "甲县计划生育协会2016年工作总结.docx"]
    err = capsys.readouterr().err
    assert "共 3 份：已生成 2 份，失败 1 份" in err
    failures = err.split("以下事实文件未能生成报告：")[1]
    assert "坏县.yaml" in failures and "年度" in failures and "应为整数" in failures
    assert "甲县" not in failures and "Traceback" not in err


def test_checks_run_per_file_and_errors_stop_only_that_file(counties, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("CI", "true")
    bad = counties / "乙县.yaml"
    bad.write_text(bad.read_text(encoding="utf-8").replace("体检户数: 180", "体检户数: 500"), encoding="utf-8")
    (counties / "坏县.yaml").unlink()
    out = tmp_path / "out"
    assert main(["build", str(counties / "甲县.yaml"), str(bad), "-o", str(out)]) == 1
    assert [p.name for p in out.glob("*.docx")] == ["甲县计划生育协会2016年工作总结.docx"]
    failures = capsys.readouterr().err.split("以下事实文件未能生成报告：")[1]
    assert "乙县.yaml" in failures and "[WR201]" in failures and "体检户数" in failures


def test_all_good_files_exit_0_with_plain_progress_lines(counties, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("CI", "true")
    (counties / "坏县.yaml").unlink()
    assert main(["build", str(counties), "-o", str(tmp_path / "out"), "-j", "1"]) == 0
    err = capsys.readouterr().err
    assert "[1/2] 已生成：" in err and "[2/2] 已生成：" in err and "失败 0 份" in err


def test_a_bug_in_one_file_becomes_its_failure_not_the_batch(tmp_path):
    def build_one(path):
        if path.endswith("b.yaml"):
            raise RuntimeError("boom")
        return type("Built", (), {"output": path + ".docx", "notes": []})()

    stream = io.StringIO()
    outcomes = build_many([tmp_path / "a.yaml", tmp_path / "b.yaml"], build_one, jobs=1, stream=stream)
    assert [o.ok for o in outcomes] == [True, False]
    assert "程序内部错误" in outcomes[1].problems[0] and "RuntimeError: boom" in outcomes[1].problems[0]


def test_summary_names_reports_written_twice():
    outcomes = [Outcome("a.yaml", "out/x.docx"), Outcome("b.yaml", "out/x.docx")]
    assert "a.yaml、b.yaml 生成了同一份报告 out/x.docx" in summary(outcomes)


def test_sigterm_stops_the_workers_and_leaves_no_temporary_file(tmp_path):
    from .test_fsutil import start_held, temporaries

    folder = tmp_path / "counties"
    folder.mkdir()
    source = (FACTS / "2016.yaml").read_text(encoding="utf-8")
    for name in ("甲县", "乙县", "丙县", "丁县"):
        (folder / f"{name}.yaml").write_text(source.replace("丰宁县计划生育协会", f"{name}计划生育协会"), encoding="utf-8")
    process = start_held(["build", "counties", "-j", "2", "-o", "out"], tmp_path)
    assert [process.stdout.readline(), process.stdout.readline()] == ["writing\n"] * 2  # both workers mid-write
    workers = [int(pid) for pid in Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()]
    assert len(workers) == 2 and len(temporaries(tmp_path / "out")) == 2

    process.terminate()
    _, err = process.communicate(timeout=60)

    assert process.returncode == 2 and "已中断" in err and "Traceback" not in err
    assert not [pid for pid in workers if _running(pid)]
    assert list((tmp_path / "out").iterdir()) == []


def _running(pid: int) -> bool:
    """Whether a process exists and is not a zombie waiting to be reaped."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.parametrize("wanted, files, expected", [(None, 10, 2), (1000, 10, 2), (1000, 1, 1), (1, 10, 1)])
def test_workers_are_never_more_than_the_cpus_or_the_files(monkeypatch, wanted, files, expected):
    monkeypatch.setattr(batch, "cpus", lambda: 2)
    assert batch.workers(files, wanted) == expected


def test_more_jobs_than_cpus_says_how_many_run(counties, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("CI", "true")
    monkeypatch.setattr(batch, "cpus", lambda: 1)
    (counties / "坏县.yaml").unlink()
    assert main(["build", str(counties), "-o", str(tmp_path / "out"), "-j", "1000"]) == 0
    assert "-j 1000 超过本机的 CPU 个数，按 1 份同时生成" in capsys.readouterr().err


def _build_and_name_the_template(path: str):
    """A batch's build_one that also says which opened .docx template its process used (process id, object id)."""
    import os
    from types import SimpleNamespace

    from workreport.kind import load_kind
    from workreport.pipeline import build
    from workreport.render import docx

    built = build(path, str(Path(path).parent.parent / "out"))
    return SimpleNamespace(output=built.output, notes=(f"{os.getpid()} {id(docx._opened(load_kind().docx_template))}",))


def test_a_worker_opens_the_docx_template_once_for_all_its_files(counties):
    (counties / "坏县.yaml").unlink()
    source = (counties / "甲县.yaml").read_text(encoding="utf-8")
    for number in range(6):
        (counties / f"丙{number}县.yaml").write_text(source.replace("甲县", f"丙{number}县"), encoding="utf-8")
    outcomes = build_many(facts_files([counties]), _build_and_name_the_template, jobs=2, stream=io.StringIO())
    assert all(o.ok for o in outcomes)
    opened_by_process: dict[str, set[str]] = {}
    for outcome in outcomes:
        process, opened = outcome.notes[0].split()
        opened_by_process.setdefault(process, set()).add(opened)
    assert all(len(opened) == 1 for opened in opened_by_process.values())
    assert len(outcomes) > len(opened_by_process)  # some process built more than one file
