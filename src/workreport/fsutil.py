"""Safe file writing: a failed or interrupted write never damages the file that was there before.

Every file the program writes goes through ``atomic_write``: the new content goes to a
temporary file beside the target, named ``.workreport-<process id>-<random>.tmp``, which is
renamed over the target only when complete.  A write interrupted by Ctrl-C, SIGTERM or SIGHUP
removes its temporary file; one killed outright (SIGKILL, a power cut) leaves it behind, and
the next write into that folder removes it, since its process no longer runs.
"""

from __future__ import annotations

import errno
import os
import signal
import stat
import time
from collections.abc import Callable, Iterable
from typing import Any
from pathlib import Path

from .errors import OutputError, Problem, WorkreportError

TEMP_PREFIX = ".workreport-"
TEMP_SUFFIX = ".tmp"
STALE_AFTER = 24 * 3600  # seconds: no write takes a day, so an older temporary file is left over even if its process id was reused
_writing: set[Path] = set()  # temporary files being written by this process, removed by the signal handlers
_swept: set[Path] = set()  # folders already cleared of temporary files left by killed runs


def atomic_write(target: Path, write: Callable[[Path], None], inputs: Iterable[str | Path] = ()) -> None:
    """Call ``write(tmp)`` on a temporary file beside ``target``, then rename it over ``target``.

    The folder is created when missing.  A target ``refuse_target`` refuses (an input, read-only,
    not a plain file) is refused before anything is written.  On any failure (the target locked by Word, a
    read-only folder, a full disk, an error inside ``write``, Ctrl-C or SIGTERM) the
    temporary file is removed and ``target`` is left byte for byte as it was.  A new file gets
    the usual permissions (umask), a replaced one keeps its own.
    """
    target = Path(target)
    refuse_target(target, inputs)
    _make_folder(target)
    if target.is_dir():
        raise OutputError(Problem("这里已有一个同名的文件夹，无法写入报告；请改名或删去这个文件夹", file=_shown(target)))
    if target.parent.resolve() not in _swept:  # once per folder and process: a batch writes a thousand reports into one
        remove_stale_temporaries(target.parent)
        _swept.add(target.parent.resolve())
    import tempfile  # only a write needs it; check imports this module too

    tmp: Path | None = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{os.getpid()}-", suffix=TEMP_SUFFIX, dir=target.parent)
        tmp = Path(tmp_name)
        _writing.add(tmp)
        os.close(fd)
        write(tmp)
        os.chmod(tmp, _mode_for(target))
        os.replace(tmp, target)
        _writing.discard(tmp)
        tmp = None
    except OSError as exc:
        raise OutputError(Problem(_explain_os_error(exc), file=_shown(target))) from exc
    finally:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
            _writing.discard(tmp)


def refuse_target(target: Path, inputs: Iterable[str | Path] = ()) -> None:
    """The one rule for every command's output path: never one of its ``inputs`` (under any name), never a
    read-only file, never anything but a plain file.  Commands call it before their work; atomic_write again."""
    _refuse_input(Path(target), inputs)
    _refuse_read_only(Path(target))


def _refuse_input(target: Path, inputs: Iterable[str | Path]) -> None:
    """Refuse an output path that is also one of the command's input files (writing would destroy the input)."""
    for source in inputs:
        if _same_file(Path(target), Path(source)):
            raise OutputError(Problem(f"输出文件就是输入文件 {_shown(Path(source))}，写入会把它替换掉；"
                                      "请用 -o 指定另一个文件；原有文件未改动", file=_shown(Path(target))))


def refuse_existing(target: Path, force: bool, inputs: Iterable[str | Path] = ()) -> None:
    """``refuse_target``, and refuse to replace a file staff may have edited unless they said --force."""
    if Path(target).is_dir():
        raise OutputError(Problem("这是一个文件夹；请指定要写入的文件", file=_shown(target)))
    refuse_target(target, inputs)
    if Path(target).exists() and not force:
        raise OutputError(Problem("文件已存在，没有覆盖（其中的内容可能是您填写的）；确需覆盖请加 --force，或换一个文件名",
                                  file=_shown(target)))


def _same_file(one: Path, other: Path) -> bool:
    """Whether two paths name the same file: the same path, a link to it, or another name of it (a hard link)."""
    try:
        return os.path.samefile(one, other)
    except OSError:  # one of them does not exist yet
        return one.resolve() == other.resolve()


def _refuse_read_only(target: Path) -> None:
    """A file staff marked read-only (no write permission, Windows' "只读") is never replaced, even by root;
    nor is anything but a plain file (a device such as /dev/null, a pipe), which the rename would replace by one."""
    try:
        mode = target.stat().st_mode
    except OSError:
        return
    if not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
        raise OutputError(Problem("这不是普通文件（可能是设备或管道），不能写入；请用 -o 指定一个文件", file=_shown(target)))
    if stat.S_ISREG(mode) and (not mode & 0o222 or not os.access(target, os.W_OK)):
        raise OutputError(Problem("文件是只读的，没有覆盖；确需更新时请先去掉它的只读属性（或写权限），"
                                  "或用 -o 写到别处；原有文件未改动", file=_shown(target)))


def remove_stale_temporaries(folder: Path) -> list[Path]:
    """Remove the temporary files a killed run left in ``folder``: their process is gone, or they are a day old."""
    removed = []
    try:
        candidates = list(Path(folder).glob(f"{TEMP_PREFIX}*{TEMP_SUFFIX}"))
    except OSError:
        return removed
    for path in candidates:
        if _left_over(path):
            try:
                path.unlink()
            except OSError:
                continue  # not ours to remove (permissions): the write itself goes on
            removed.append(path)
    return removed


def _left_over(path: Path) -> bool:
    """Whether a temporary file belongs to no running write."""
    pid_text = path.name[len(TEMP_PREFIX):].split("-", 1)[0]
    try:
        age = time.time() - path.stat().st_mtime
    except OSError:
        return False
    if not pid_text.isdigit() or age > STALE_AFTER:
        return True
    try:
        os.kill(int(pid_text), 0)
    except ProcessLookupError:
        return True
    except OSError:  # alive, another user's
        return False
    return False


def handle_termination() -> None:
    """Treat SIGTERM and SIGHUP (closing the terminal, a shutdown) as Ctrl-C: writes stop and clean up."""
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            try:
                signal.signal(getattr(signal, name), _interrupt)
            except ValueError:  # not the main thread: only the main thread may set handlers
                return


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def worker_termination() -> None:
    """In a batch worker process: Ctrl-C is the parent's to handle; SIGTERM/SIGHUP remove this process's temporary file and end it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), _end_worker)


def _end_worker(signum, frame) -> None:
    for tmp in list(_writing):
        try:
            tmp.unlink()
        except OSError:
            pass
    os._exit(128 + signum)  # at once: no half-finished task is reported back, no traceback is printed


def _make_folder(target: Path) -> None:
    """Create the output folder (output/ on a fresh clone) with its parents."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError as exc:
        raise OutputError(Problem("无法创建输出文件夹：同名的文件已存在；请用 -o 指定一个文件夹", file=_shown(target.parent))) from exc
    except OSError as exc:
        raise OutputError(Problem(f"无法创建输出文件夹：{_explain_os_error(exc)}", file=_shown(target.parent))) from exc


def _mode_for(target: Path) -> int:
    """The permissions the written file should have: the replaced file's, or 0666 less the umask."""
    try:
        return target.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _shown(path: Path) -> str:
    from .facts import display_path  # facts imports nothing from here; imported late to keep this module light

    return display_path(path)


def _explain_os_error(exc: OSError) -> str:
    """What went wrong, in Chinese, and that the previous file is untouched."""
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS, errno.EBUSY, errno.ETXTBSY):
        return "文件被占用或只读（可能正在 Word/WPS 中打开，或文件夹没有写权限），请关闭文件后重试；原有文件未改动"
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return "磁盘空间不足；请腾出空间，或用 -o 写到别的磁盘；原有文件未改动"
    if exc.errno == errno.ENAMETOOLONG:
        return "文件名或路径太长；请把输出文件夹换到短一些的路径；原有文件未改动"
    if exc.errno == errno.EISDIR:
        return "这里已有一个同名的文件夹；原有文件未改动"
    return f"写入失败（{exc.strerror or exc}）；原有文件未改动"


def cached(name: str, key: str, make: Callable[[], Any]) -> Any:
    """``make()``, kept in the cache folder (as marshal data beside the key it was made for, in a file named by
    ``name`` and a checksum of the key) so that the next process loads it instead of making it again.

    ``key`` must hold everything the value depends on; the Python version is added to it.  A kept value is used
    only when its stored key is this key, so a checksum shared by two keys costs a remake, never a wrong value.
    Without a cache folder, with a file that cannot be read, or with a value marshal cannot hold, the value is made
    again: it only costs time.
    """
    import marshal
    import sys
    import zlib  # a checksum names the file; hashlib would load OpenSSL, a tenth of a cold check

    key = f"{sys.version}\n{key}"
    folder = cache_dir()
    target = Path(folder) / f"{name}-{zlib.crc32(key.encode()):08x}-{len(key)}.marshal" if folder else None
    if target is not None:
        try:
            stored_key, value = marshal.loads(target.read_bytes())
            if stored_key == key:
                return value
        except (OSError, ValueError, EOFError, TypeError):
            pass
    value = make()
    if target is not None:
        try:
            data = marshal.dumps((key, value))
        except ValueError:  # a type marshal does not know (a date): kept in memory only
            return value
        try:
            atomic_write(target, lambda tmp: tmp.write_bytes(data))  # processes of a batch may write it at once
        except WorkreportError:
            pass
    return value


def cache_dir() -> str | None:
    """A writable folder for caches kept between runs ($XDG_CACHE_HOME/workreport: jieba's dictionary,
    compiled templates), or None when there is none."""
    folder = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "workreport"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return str(folder) if os.access(folder, os.W_OK) else None
