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

    On any failure the temporary file is removed and ``target`` is left as it was.
    """
    target = Path(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(Problem(f"无法创建输出目录: {exc.strerror}", file=str(target.parent))) from exc
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        os.replace(tmp, target)
    except OSError as exc:
        raise OutputError(Problem(_explain_os_error(exc), file=str(target))) from exc
    finally:
        if tmp.exists():
            tmp.unlink()


def _explain_os_error(exc: OSError) -> str:
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS, errno.EBUSY):
        return "文件被占用或只读（可能正在 Word/WPS 中打开），请关闭后重试；原有文件未改动"
    if exc.errno == errno.ENOSPC:
        return "磁盘空间不足；原有文件未改动"
    return f"写入失败（{exc.strerror}）；原有文件未改动"
