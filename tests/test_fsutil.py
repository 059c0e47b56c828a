"""Atomic writes: the report open in Word, a read-only folder or a failing writer never cost the previous file.

Root ignores chmod, so a locked or read-only target is simulated where the operating system
would refuse: os.replace (Word holding the file) and mkstemp (a read-only folder) raise.
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
from pathlib import Path

import pytest

from workreport import cli, fsutil
from workreport.errors import OutputError

from .conftest import FACTS

REPORT = "丰宁县计划生育协会2016年工作总结.docx"


def refuse(code: int):
    """A stand-in for an os function that fails as Windows does when Word has the file open."""

    def fail(*args, **kwargs):
        raise OSError(code, os.strerror(code))

    return fail


def test_a_locked_target_keeps_its_bytes_and_leaves_no_temporary_file(tmp_path, monkeypatch):
    target = tmp_path / "report.docx"
    target.write_bytes(b"last year's good report")
    monkeypatch.setattr(fsutil.os, "replace", refuse(errno.EACCES))

    with pytest.raises(OutputError) as info:
        fsutil.atomic_write(target, lambda tmp: tmp.write_bytes(b"new"))

    assert "被占用或只读" in info.value.problems[0].message and "原有文件未改动" in info.value.problems[0].message
    assert target.read_bytes() == b"last year's good report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.docx"]


def test_a_read_only_folder_is_named_in_chinese(tmp_path, monkeypatch):
    target = tmp_path / "report.docx"
    target.write_bytes(b"old")
    monkeypatch.setattr(fsutil.tempfile, "mkstemp", refuse(errno.EROFS))

    with pytest.raises(OutputError, match="只读"):
        fsutil.atomic_write(target, lambda tmp: tmp.write_bytes(b"new"))
    assert target.read_bytes() == b"old"


def test_a_full_disk_is_named(tmp_path):
    target = tmp_path / "report.docx"
    target.write_bytes(b"old")

    def write(tmp: Path):
        tmp.write_bytes(b"half")
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(OutputError, match="磁盘空间不足"):
        fsutil.atomic_write(target, write)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.docx"]


def test_an_error_inside_the_writer_removes_the_temporary_file_and_passes_through(tmp_path):
    target = tmp_path / "report.docx"

    def write(tmp: Path):
        tmp.write_bytes(b"half a document")
        raise ValueError("the renderer broke")

    with pytest.raises(ValueError, match="renderer broke"):
        fsutil.atomic_write(target, write)
    assert list(tmp_path.iterdir()) == []


def test_missing_output_folders_are_created(tmp_path):
    target = tmp_path / "output" / "2016" / "report.docx"
    fsutil.atomic_write(target, lambda tmp: tmp.write_bytes(b"new"))
    assert target.read_bytes() == b"new"


def test_a_file_where_the_folder_should_be_is_explained(tmp_path):
    (tmp_path / "output").write_text("not a folder")
    with pytest.raises(OutputError, match="同名的文件已存在"):
        fsutil.atomic_write(tmp_path / "output" / "report.docx", lambda tmp: tmp.write_bytes(b"new"))


def test_a_folder_where_the_report_should_be_is_explained(tmp_path):
    (tmp_path / "report.docx").mkdir()
    with pytest.raises(OutputError, match="同名的文件夹"):
        fsutil.atomic_write(tmp_path / "report.docx", lambda tmp: tmp.write_bytes(b"new"))
    assert (tmp_path / "report.docx").is_dir()


def test_a_new_file_gets_the_usual_permissions_and_a_replaced_one_keeps_its_own(tmp_path):
    old_umask = os.umask(0o022)
    try:
        fresh = tmp_path / "fresh.docx"
        fsutil.atomic_write(fresh, lambda tmp: tmp.write_bytes(b"x"))
        assert stat.S_IMODE(fresh.stat().st_mode) == 0o644  # not mkstemp's 0600: colleagues can open it
        kept = tmp_path / "kept.docx"
        kept.write_bytes(b"old")
        kept.chmod(0o640)
        fsutil.atomic_write(kept, lambda tmp: tmp.write_bytes(b"new"))
        assert stat.S_IMODE(kept.stat().st_mode) == 0o640
    finally:
        os.umask(old_umask)


def test_build_with_the_report_open_in_word(tmp_path, monkeypatch, capsys):
    shutil.copytree(FACTS, tmp_path / "facts")
    monkeypatch.chdir(tmp_path)
    assert cli.main(["build", "facts/2016.yaml"]) == 0  # output/ is created on a fresh clone
    before = (tmp_path / "output" / REPORT).read_bytes()
    capsys.readouterr()
    monkeypatch.setattr(fsutil.os, "replace", refuse(errno.EACCES))

    assert cli.main(["build", "facts/2016.yaml"]) == 2

    err = capsys.readouterr().err
    assert f"output/{REPORT}" in err and "Word" in err and "原有文件未改动" in err
    assert "Traceback" not in err
    assert (tmp_path / "output" / REPORT).read_bytes() == before
    assert [p.name for p in (tmp_path / "output").iterdir()] == [REPORT]


def test_refuse_existing_keeps_what_staff_wrote_unless_forced(tmp_path):
    from workreport.fsutil import refuse_existing

    target = tmp_path / "2017.yaml"
    refuse_existing(target, force=False)  # nothing there yet
    target.write_text("年度: 2017\n", encoding="utf-8")
    with pytest.raises(OutputError, match="--force"):
        refuse_existing(target, force=False)
    refuse_existing(target, force=True)
    with pytest.raises(OutputError, match="文件夹"):
        refuse_existing(tmp_path, force=True)
