"""The files staff name: which they are (``facts_files``), and their bounded reading: only regular files, never more
than a declared number of bytes.

Every input (facts files, reports given to lint and import, templates) is read through
``read_bytes``: a pipe or a device is refused without waiting for it, a file larger than its
kind's limit is refused before it is read, and a file that grows while it is read stops at
the limit.  Each refusal is a WorkreportError naming the file, the limit and the actual size.
"""

from __future__ import annotations

import errno
import glob
import os
import stat
from collections.abc import Iterable
from pathlib import Path

from .errors import FactsError, Problem, WorkreportError


def read_bytes(path: Path, limit: int, expected: str, error: type[WorkreportError] = WorkreportError) -> bytes:
    """The bytes of the regular file ``path``, at most ``limit`` of them; ``expected`` names what the file should be
    (“事实文件（.yaml）”), for the messages; problems are raised as ``error``."""
    from .facts import display_path  # facts reads through this module; imported late to avoid a cycle

    shown = display_path(path)

    def refuse(message: str) -> WorkreportError:
        return error(Problem(message, file=shown))

    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; it changes nothing for a regular file.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise refuse(_open_problem(exc, expected)) from exc
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise refuse(f"这是一个文件夹，请给出{expected}")
        if not stat.S_ISREG(info.st_mode):
            raise refuse(f"这不是普通文件（可能是设备、管道或套接字），不能作为{expected}读取")
        if info.st_size > limit:
            raise refuse(too_large(expected, limit, info.st_size))
        with os.fdopen(fd, "rb", closefd=False) as stream:
            data = stream.read(limit + 1)  # never more: the file may be growing while it is read
    except OSError as exc:
        raise refuse(f"无法读取文件（{os_reason(exc)}）") from exc
    finally:
        os.close(fd)
    if len(data) > limit:
        raise refuse(too_large(expected, limit, len(data), growing=True))
    return data


def too_large(expected: str, limit: int, actual: int, growing: bool = False) -> str:
    """The message for a file over its limit: what the limit is, and the file's size."""
    size = f"超过 {size_text(limit)}（读取时仍在增大）" if growing else size_text(actual)
    return f"文件太大：{size}，{expected}的上限是 {size_text(limit)}；请检查是否选错了文件"


def size_text(count: int) -> str:
    """A byte count as staff read it: 1.2 MB, 980 KB, 12 字节."""
    if count >= 1_000_000:
        return f"{count / 1_000_000:.2f}".rstrip("0").rstrip(".") + " MB"
    if count >= 1_000:
        return f"{count / 1_000:.0f} KB"
    return f"{count} 字节"


def _open_problem(exc: OSError, expected: str) -> str:
    """Why a file could not be opened, in Chinese."""
    if exc.errno == errno.ENOENT:
        return "找不到这个文件，请检查路径"
    if exc.errno == errno.EISDIR:
        return f"这是一个文件夹，请给出{expected}"
    return f"无法读取文件（{os_reason(exc)}）"


def os_reason(exc: OSError) -> str:
    """An operating-system error in Chinese where it is a common one."""
    reasons = {errno.EACCES: "没有读取权限：文件存在，但当前用户无权打开它；请检查文件的权限或属性", errno.EPERM: "没有读取权限",
               errno.EISDIR: "这是一个文件夹", errno.ELOOP: "符号链接循环引用", errno.ENAMETOOLONG: "路径太长"}
    return reasons.get(exc.errno, exc.strerror or str(exc))


def read_inside(folder: Path, path: Path, limit: int, expected: str, error: type[WorkreportError] = WorkreportError) -> bytes:
    """``read_bytes`` of a file that must stay inside ``folder`` (a template folder): symlinks are followed,
    and a file whose real place is outside the folder is refused, not read."""
    from .facts import display_path

    real, root = Path(path).resolve(), Path(folder).resolve()
    if not real.is_relative_to(root):
        raise error(Problem(f"这个{expected}是指向模板文件夹以外（{real}）的链接或路径，程序只读取模板文件夹 {display_path(folder)} 中的文件；"
                            "请把文件本身复制到模板文件夹中", file=display_path(path)))
    return read_bytes(path, limit, expected, error)


def facts_files(targets: Iterable[str | Path], suffixes: tuple[str, ...] | None = None) -> list[Path]:
    """The facts files named on the command line: files as given, a folder's files with one of
    ``suffixes`` (not its subfolders, nor the ~$ lock files Excel and WPS leave beside an open
    workbook), glob patterns a shell left unexpanded; each file once, in the order given.
    ``suffixes`` defaults to the facts files' (.yaml, .yml)."""
    from .facts import FACTS_SUFFIXES, display_path  # facts reads through this module: imported late

    suffixes = suffixes or FACTS_SUFFIXES
    files: list[Path] = []
    problems: list[Problem] = []
    for target in map(str, targets):
        path = Path(target)
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.suffix.lower() in suffixes and p.is_file() and not p.name.startswith("~$"))
            if not found:
                wanted = "、".join(f"*{s}" for s in suffixes if s != ".yml")
                problems.append(Problem(f"文件夹中没有事实文件（{wanted}）", file=display_path(path)))
            files += found
        elif path.exists():
            files.append(path)
        elif glob.has_magic(target):
            matched = sorted(Path(p) for p in glob.glob(target) if Path(p).suffix.lower() in suffixes)
            if not matched:
                problems.append(Problem(f"没有与“{target}”匹配的事实文件"))
            files += matched
        else:
            problems.append(Problem("找不到这个文件或文件夹，请检查路径", file=target))
    if problems:
        raise FactsError(problems)
    unique = dict.fromkeys(p.resolve() for p in files)
    return [Path(os.path.relpath(p)) if _inside_cwd(p) else p for p in unique]


def _inside_cwd(path: Path) -> bool:
    return path.is_relative_to(Path.cwd().resolve())
