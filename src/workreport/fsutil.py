"""Atomic file writing: a failed write never damages the file that was there before."""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from .errors import OutputError, Problem


def atomic_write(target: Path, write: Callable[[Path], None]) -> None:
    """Call ``write(tmp)`` on a temporary file beside ``target``, then rename it over ``target``.

    The folder is created when missing.  On any failure (the target locked by Word, a
    read-only folder, a full disk, or an error inside ``write``) the temporary file is
    removed and ``target`` is left byte for byte as it was.  A new file gets the usual
    permissions (umask), a replaced one keeps its own.
    """
    target = Path(target)
    _make_folder(target)
    if target.is_dir():
        raise OutputError(Problem("这里已有一个同名的文件夹，无法写入报告；请改名或删去这个文件夹", file=_shown(target)))
    tmp: Path | None = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=".tmp", dir=target.parent)
        os.close(fd)
        tmp = Path(tmp_name)
        write(tmp)
        os.chmod(tmp, _mode_for(target))
        os.replace(tmp, target)
        tmp = None
    except OSError as exc:
        raise OutputError(Problem(_explain_os_error(exc), file=_shown(target))) from exc
    finally:
        if tmp is not None:
            tmp.unlink(missing_ok=True)


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
        return "磁盘空间不足；原有文件未改动"
    if exc.errno == errno.ENAMETOOLONG:
        return "文件名或路径太长；请把输出文件夹换到短一些的路径；原有文件未改动"
    if exc.errno == errno.EISDIR:
        return "这里已有一个同名的文件夹；原有文件未改动"
    return f"写入失败（{exc.strerror or exc}）；原有文件未改动"


def refuse_existing(target: Path, force: bool) -> None:
    """Refuse to replace a file staff may have edited, unless they said --force."""
    if Path(target).is_dir():
        raise OutputError(Problem("这是一个文件夹；请指定要写入的文件", file=_shown(target)))
    if Path(target).exists() and not force:
        raise OutputError(Problem("文件已存在，没有覆盖（其中的内容可能是您填写的）；确需覆盖请加 --force，或换一个文件名",
                                  file=_shown(target)))
