"""Bounded reading: only regular files, never more than the limit, every refusal naming the file and the figures."""

from __future__ import annotations

import errno
import os

import pytest

from workreport import inputs
from workreport.errors import FactsError, WorkreportError
from workreport.inputs import facts_files


def test_a_regular_file_is_read_whole(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"abc")
    assert inputs.read_bytes(path, 3, "文本") == b"abc"


def test_a_file_over_the_limit_is_refused_with_the_limit_and_its_size(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"x" * 2_500_000)
    with pytest.raises(WorkreportError) as refused:
        inputs.read_bytes(path, 2_000_000, "文本总结（.txt）")
    assert str(refused.value) == f"{path}: 文件太大：2.5 MB，文本总结（.txt）的上限是 2 MB；请检查是否选错了文件"


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path):
    path = tmp_path / "pipe.txt"
    os.mkfifo(path)
    with pytest.raises(WorkreportError, match="不是普通文件"):
        inputs.read_bytes(path, 100, "文本")


def test_a_device_is_refused_not_read(tmp_path):
    (tmp_path / "zero.txt").symlink_to("/dev/zero")
    with pytest.raises(WorkreportError, match="不是普通文件"):
        inputs.read_bytes(tmp_path / "zero.txt", 100, "文本")


def test_a_folder_and_a_missing_file_are_named_as_such(tmp_path):
    with pytest.raises(WorkreportError, match="这是一个文件夹，请给出文本"):
        inputs.read_bytes(tmp_path, 100, "文本")
    with pytest.raises(WorkreportError, match="找不到这个文件"):
        inputs.read_bytes(tmp_path / "none.txt", 100, "文本")


def test_an_unreadable_file_is_called_unreadable_not_corrupt(tmp_path, monkeypatch):
    path = tmp_path / "locked.docx"
    path.write_bytes(b"PK")

    def denied(*_args, **_kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(inputs.os, "open", denied)  # the tests run as root, who may read anything
    with pytest.raises(WorkreportError) as refused:
        inputs.read_bytes(path, 100, "Word 总结（.docx）")
    assert "没有读取权限" in str(refused.value) and "损坏" not in str(refused.value)


def test_a_file_inside_its_folder_is_read_and_a_link_out_of_it_is_refused(tmp_path):
    folder = tmp_path / "text"
    folder.mkdir()
    (folder / "a.j2").write_text("甲", encoding="utf-8")
    (folder / "b.j2").symlink_to(folder / "a.j2")
    (folder / "c.j2").symlink_to("/etc/passwd")
    assert inputs.read_inside(folder, folder / "b.j2", 100, "模板") == "甲".encode()
    with pytest.raises(WorkreportError) as refused:
        inputs.read_inside(folder, folder / "c.j2", 100, "模板")
    assert "模板文件夹以外（/etc/passwd）" in str(refused.value)


@pytest.mark.parametrize(("count", "shown"), [(12, "12 字节"), (980_000, "980 KB"), (1_000_000, "1 MB"), (1_024_682, "1.02 MB")])
def test_sizes_are_shown_as_staff_read_them(count, shown):
    assert inputs.size_text(count) == shown


def test_facts_files_takes_files_folders_and_patterns_once(tmp_path):
    folder = tmp_path / "counties"
    folder.mkdir()
    for name in ("甲县.yaml", "乙县.yaml", "坏县.yaml", "说明.txt", "~$甲县.yaml"):
        (folder / name).write_text("年度: 2016\n", encoding="utf-8")
    (folder / "下级").mkdir()
    files = facts_files([str(folder / "甲县.yaml"), str(folder), str(folder / "乙*.yaml")])
    assert [p.name for p in files] == ["甲县.yaml", "乙县.yaml", "坏县.yaml"]


def test_facts_files_refuses_a_missing_path_and_an_empty_folder_in_chinese(tmp_path):
    with pytest.raises(FactsError) as raised:
        facts_files([str(tmp_path / "无此文件.yaml"), str(tmp_path), str(tmp_path / "无*.yaml")])
    messages = [p.message for p in raised.value.problems]
    assert messages == ["找不到这个文件或文件夹，请检查路径", "文件夹中没有事实文件（*.yaml）", f"没有与“{tmp_path / '无*.yaml'}”匹配的事实文件"]
