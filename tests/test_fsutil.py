"""Atomic writes: the report open in Word, a read-only folder or a failing writer never cost the previous file.

Root ignores chmod, so a locked or read-only target is simulated where the operating system
would refuse: os.replace (Word holding the file) and mkstemp (a read-only folder) raise.
"""

from __future__ import annotations

import errno
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
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
    monkeypatch.setattr("tempfile.mkstemp", refuse(errno.EROFS))

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


# --- interrupted writes: a real process, stopped by a signal in the middle of writing the report ---

# Runs the CLI with the report's writer held up after the temporary file exists: it prints
# "writing" and waits, so that a signal arrives exactly mid-write.
HELD_WRITE = """
import os, sys, time
import workreport.render.docx as docx
packed = docx._OpenedTemplate.packed
def held(document):
    data = packed(document)
    os.write(1, b"writing\\n")  # one write, under PIPE_BUF: two workers' lines never interleave
    time.sleep(300)
    return data
docx._OpenedTemplate.packed = held
from workreport import cli
cli.run()  # the console script itself: it ends with os._exit, waiting for nothing it is not told to
"""


def start_held(args: list[str], cwd: Path) -> subprocess.Popen:
    """The CLI with ``args`` in its own process, held in the middle of writing (see HELD_WRITE)."""
    return subprocess.Popen([sys.executable, "-c", HELD_WRITE, *args], cwd=cwd, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, encoding="utf-8")


def temporaries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(fsutil.TEMP_PREFIX))


@pytest.fixture
def built(tmp_path) -> Path:
    """A working folder with facts/ and output/ holding the report built before."""
    shutil.copytree(FACTS, tmp_path / "facts")
    assert cli.main(["build", str(tmp_path / "facts" / "2016.yaml"), "-o", str(tmp_path / "output")]) == 0
    return tmp_path


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_a_signal_mid_write_removes_the_temporary_file(built, signum):
    before = (built / "output" / REPORT).read_bytes()
    process = start_held(["build", "facts/2016.yaml", "-o", "output"], built)
    assert process.stdout.readline() == "writing\n"
    assert len(temporaries(built / "output")) == 1  # the signal does come mid-write

    process.send_signal(signum)
    _, err = process.communicate(timeout=60)

    assert process.returncode == 2
    assert "已中断；原有报告未改动" in err and "Traceback" not in err
    assert sorted(p.name for p in (built / "output").iterdir()) == [REPORT]
    assert (built / "output" / REPORT).read_bytes() == before


def test_a_temporary_file_left_by_a_killed_run_is_removed_by_the_next(built):
    process = start_held(["build", "facts/2016.yaml", "-o", "output"], built)
    assert process.stdout.readline() == "writing\n"
    process.kill()
    process.communicate(timeout=60)
    left = temporaries(built / "output")
    assert left and left[0].startswith(f"{fsutil.TEMP_PREFIX}{process.pid}-") and left[0].endswith(fsutil.TEMP_SUFFIX)

    subprocess.run([sys.executable, "-m", "workreport.cli", "build", "facts/2016.yaml", "-o", "output"], cwd=built,
                   check=True, capture_output=True, timeout=120)

    assert sorted(p.name for p in (built / "output").iterdir()) == [REPORT]


def test_only_temporary_files_of_ended_processes_are_removed(tmp_path):
    finished = subprocess.Popen([sys.executable, "-c", "pass"])
    finished.wait()
    stale = tmp_path / f"{fsutil.TEMP_PREFIX}{finished.pid}-abc{fsutil.TEMP_SUFFIX}"
    live = tmp_path / f"{fsutil.TEMP_PREFIX}{os.getpid()}-abc{fsutil.TEMP_SUFFIX}"  # a write of this process, going on
    old = tmp_path / f"{fsutil.TEMP_PREFIX}{os.getpid()}-old{fsutil.TEMP_SUFFIX}"
    other = tmp_path / ".report.docx.tmp"  # not ours: never touched
    for path in (stale, live, old, other):
        path.write_bytes(b"half")
    os.utime(old, (time.time() - 2 * fsutil.STALE_AFTER,) * 2)

    assert sorted(fsutil.remove_stale_temporaries(tmp_path)) == sorted([stale, old])

    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([live.name, other.name])


def test_a_full_disk_gives_one_message_and_keeps_the_report(built):
    """A real full disk: a 24 KB tmpfs holding the 18 KB report, mounted in a mount namespace of its own."""
    small = built / "small"
    small.mkdir()
    report = built / "output" / REPORT
    script = (f'mount -t tmpfs -o size=24k tmpfs "{small}" && cp "{report}" "{small}/" && '
              f'"{sys.executable}" -m workreport.cli build facts/2016.yaml -o "{small}"; echo "exit $?"; '
              f'ls -A "{small}"; cmp "{report}" "{small}/{REPORT}" && echo same')
    done = subprocess.run(["unshare", "--user", "--map-root-user", "--mount", "sh", "-c", script], cwd=built,
                          capture_output=True, text=True, encoding="utf-8", timeout=120)

    assert done.stdout.splitlines() == ["exit 2", REPORT, "same"], done.stderr
    assert "磁盘空间不足" in done.stderr and f"{REPORT}: " in done.stderr
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr


def test_a_read_only_report_is_never_replaced(tmp_path):
    target = tmp_path / "report.docx"
    target.write_bytes(b"approved by the director")
    target.chmod(0o444)  # root would be let through by the system: the program itself refuses

    with pytest.raises(OutputError, match="只读"):
        fsutil.atomic_write(target, lambda tmp: tmp.write_bytes(b"new"))

    assert target.read_bytes() == b"approved by the director"
    assert [p.name for p in tmp_path.iterdir()] == ["report.docx"]


@pytest.mark.parametrize("name", ["same path", "other spelling", "hard link", "symbolic link"])
def test_an_output_that_is_an_input_is_refused(tmp_path, name):
    source = tmp_path / "2016.yaml"
    source.write_text("年度: 2016\n", encoding="utf-8")
    target = {"same path": source, "other spelling": tmp_path / "." / "sub" / ".." / "2016.yaml",
              "hard link": tmp_path / "link.yaml", "symbolic link": tmp_path / "symlink.yaml"}[name]
    (tmp_path / "sub").mkdir()
    if name == "hard link":
        os.link(source, target)
    if name == "symbolic link":
        target.symlink_to(source)

    with pytest.raises(OutputError, match="输出文件就是输入文件"):
        fsutil.refuse_existing(target, force=True, inputs=[source])
    with pytest.raises(OutputError, match="输出文件就是输入文件"):
        fsutil.atomic_write(target, lambda tmp: tmp.write_text("x"), inputs=[source])
    assert source.read_text(encoding="utf-8") == "年度: 2016\n"


def test_a_cached_value_is_made_once_and_loaded_by_the_next_process(tmp_path, monkeypatch):
    import datetime as dt
    import subprocess
    import sys

    from workreport.fsutil import cached

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    made = []

    def make(value):
        made.append(value)
        return value

    assert cached("t", "key 1", lambda: make({"a": [1, "二"]})) == {"a": [1, "二"]}
    assert cached("t", "key 1", lambda: make("never")) == {"a": [1, "二"]}  # loaded, not made
    assert cached("t", "key 2", lambda: make(2)) == 2  # another key, another value
    assert made == [{"a": [1, "二"]}, 2]
    script = "from workreport.fsutil import cached; print(cached('t', 'key 1', lambda: 'made again'))"
    other = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env={**__import__("os").environ})
    assert other.stdout.strip() == "{'a': [1, '二']}"
    day = dt.date(2016, 12, 20)
    assert cached("t", "a date", lambda: make(day)) == day and cached("t", "a date", lambda: make(day)) == day
    assert made[-2:] == [day, day]  # marshal cannot hold a date: made each time, never stored
    for stored in (tmp_path / "workreport").glob("t-*.marshal"):
        stored.write_bytes(b"\x00broken")
    assert cached("t", "key 1", lambda: make("remade")) == "remade"


def test_a_kept_value_is_used_only_for_the_key_it_was_made_for(tmp_path, monkeypatch):
    """The file is named by a checksum of the key; another key with the same name (a collision, or a file
    copied over it) must be made again, not answered with the other key's value."""
    from workreport.fsutil import cached

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cached("t", "key A", lambda: "value of A") == "value of A"
    assert cached("t", "key B", lambda: "value of B") == "value of B"
    files = {p.read_bytes(): p for p in (tmp_path / "workreport").glob("t-*.marshal")}
    assert len(files) == 2
    a_file, b_file = sorted(files.values(), key=lambda p: b"value of A" in p.read_bytes(), reverse=True)
    b_file.write_bytes(a_file.read_bytes())  # B's file now holds what was made for A
    assert cached("t", "key B", lambda: "B made again") == "B made again"
    assert cached("t", "key A", lambda: "never") == "value of A"


def test_without_a_writable_cache_folder_the_value_is_made_each_time(tmp_path, monkeypatch):
    from workreport.fsutil import cached

    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    assert cached("t", "k", lambda: 1) == 1 and cached("t", "k", lambda: 2) == 2


def test_termination_handlers_are_set_on_the_main_thread_only():
    """The page runs commands on worker threads, where Python refuses signal handlers: nothing is set, nothing raised."""
    import signal
    import threading

    from workreport.fsutil import _interrupt, handle_termination

    before = signal.getsignal(signal.SIGTERM)
    errors = []

    def on_thread():
        try:
            handle_termination()
        except Exception as exc:  # noqa: BLE001 - the assertion below names it
            errors.append(exc)

    thread = threading.Thread(target=on_thread)
    thread.start()
    thread.join()
    assert errors == [] and signal.getsignal(signal.SIGTERM) is before
    try:
        handle_termination()
        assert signal.getsignal(signal.SIGTERM) is _interrupt
    finally:
        signal.signal(signal.SIGTERM, before)
