"""Build many reports at once: a process pool sized to the machine, progress, failures listed at the end.

Entry point: ``build_many(files, build_one)``.  ``build_one`` is the same single-file
function the CLI uses for one report (so checks run per file in a batch too); it returns
an object with ``.output`` and ``.notes`` and raises WorkreportError when the file cannot
be built.  One failing file never stops the others.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import msgspec

from .errors import WorkreportError
from .fsutil import worker_termination

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor


class Outcome(msgspec.Struct, frozen=True):
    """What became of one facts file: the report written, or the Chinese messages saying why not."""

    facts: str
    output: str | None = None
    problems: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.output is not None


def cpus() -> int:
    """The CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def workers(count: int, wanted: int | None = None) -> int:
    """Processes for ``count`` files: as many as ``wanted`` (default one per CPU), never more than the CPUs or the files.

    More processes than CPUs only share them: a thousand would each hold a copy of the program.
    """
    return max(1, min(wanted or cpus(), cpus(), count))


def build_many(files: list[Path], build_one: Callable[[str], Any], jobs: int | None = None,
               stream: TextIO | None = None) -> list[Outcome]:
    """Build every file with ``build_one`` in a process pool; show progress; list the failures at the end.

    Returns one Outcome per file, in the order of ``files``.
    """
    stream = stream or sys.stderr
    if jobs is not None and jobs > cpus():
        print(f"提示：-j {jobs} 超过本机的 CPU 个数，按 {cpus()} 份同时生成", file=stream)
    jobs = workers(len(files), jobs)
    progress = Progress(len(files), stream)
    outcomes: dict[int, Outcome] = {}
    try:
        for index, outcome in _run(files, build_one, jobs):
            outcomes[index] = outcome
            progress.advance(outcome)
    finally:
        progress.close()
    ordered = [outcomes[i] for i in range(len(files))]
    print(summary(ordered), file=stream)
    return ordered


def _run(files: list[Path], build_one: Callable[[str], Any], jobs: int) -> Iterable[tuple[int, Outcome]]:
    """(index, outcome) pairs as the files finish; in this process when one worker is enough."""
    if jobs == 1:
        for index, path in enumerate(files):
            yield index, attempt(build_one, str(path))
        return
    from concurrent.futures import Future, ProcessPoolExecutor, as_completed  # here: with multiprocessing and logging they cost check a tenth of a second

    with ProcessPoolExecutor(max_workers=jobs, initializer=worker_termination) as pool:
        futures: dict[Future, int] = {pool.submit(attempt, build_one, str(path)): i for i, path in enumerate(files)}
        try:
            for future in as_completed(futures):
                yield futures[future], future.result()
        except BaseException:  # Ctrl-C or SIGTERM: start no other file, and stop the ones being built
            stopped = _stop(pool)  # before shutdown, which forgets the worker processes
            pool.shutdown(wait=False, cancel_futures=True)
            for process in stopped:  # each removes its temporary file first; the command line then ends at once (cli.run)
                process.join(timeout=STOP_WAIT)
            raise


def _stop(pool: ProcessPoolExecutor) -> list:
    """Send SIGTERM to the pool's workers: each removes its temporary file and ends (fsutil.worker_termination).
    The worker processes, to wait for."""
    processes = list((pool._processes or {}).values())  # the executor offers no public way to stop a running task
    for process in processes:
        if process.is_alive():
            process.terminate()
    return processes


STOP_WAIT = 5  # seconds a stopped worker has to remove its temporary file


def attempt(build_one: Callable[[str], Any], path: str) -> Outcome:
    """Build one file, turning every failure into an Outcome with Chinese messages (never an exception)."""
    try:
        built = build_one(path)
    except WorkreportError as exc:
        return Outcome(path, problems=tuple(str(p) for p in exc.problems))
    except Exception as exc:  # a bug in one file must not stop the other 999
        return Outcome(path, problems=(f"{path}: 程序内部错误（请把此信息报告给维护人员）：{type(exc).__name__}: {exc}",))
    return Outcome(path, output=str(built.output), notes=tuple(str(n) for n in getattr(built, "notes", ())))


def summary(outcomes: list[Outcome]) -> str:
    """The closing lines: how many were built, every failure with its messages, clashing report names."""
    failed = [o for o in outcomes if not o.ok]
    lines = [f"共 {len(outcomes)} 份：已生成 {len(outcomes) - len(failed)} 份，失败 {len(failed)} 份。"]
    if failed:
        lines.append("以下事实文件未能生成报告：")
        for outcome in failed:
            lines.append(f"  {outcome.facts}")
            lines += [f"    错误：{problem}" for problem in outcome.problems]
    lines += _clashes(outcomes)
    return "\n".join(lines)


def _clashes(outcomes: list[Outcome]) -> list[str]:
    """Facts files that wrote the same report (same 单位 and 年度): the later one replaced the earlier."""
    by_output: dict[str, list[str]] = {}
    for outcome in outcomes:
        if outcome.ok:
            by_output.setdefault(outcome.output, []).append(outcome.facts)
    return [f"注意：{'、'.join(facts)} 生成了同一份报告 {output}，只保留了最后生成的一份；请检查“单位”和“年度”"
            for output, facts in by_output.items() if len(facts) > 1]


class Progress:
    """A progress bar (tqdm) on a terminal; one plain line per file when not a terminal or when CI=true."""

    def __init__(self, total: int, stream: TextIO):
        self.total, self.done, self.stream = total, 0, stream
        self.bar = None
        if _interactive(stream):
            from tqdm import tqdm

            self.bar = tqdm(total=total, desc="生成报告", unit="份", file=stream, dynamic_ncols=True)

    def advance(self, outcome: Outcome) -> None:
        """Count one finished file; say what became of it."""
        self.done += 1
        if self.bar is not None:
            if not outcome.ok:
                self.bar.write(f"失败：{outcome.facts}", file=self.stream)
            self.bar.update(1)
        else:
            state = f"已生成：{outcome.output}" if outcome.ok else f"失败：{outcome.facts}"
            print(f"[{self.done}/{self.total}] {state}", file=self.stream, flush=True)
        for note in outcome.notes:
            self._write(f"提示：{note}")

    def _write(self, line: str) -> None:
        if self.bar is not None:
            self.bar.write(line, file=self.stream)
        else:
            print(line, file=self.stream)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _interactive(stream: TextIO) -> bool:
    """Whether to draw a bar: the stream is a terminal and this is not a CI run."""
    if os.environ.get("CI", "").lower() in ("true", "1", "yes"):
        return False
    return hasattr(stream, "isatty") and stream.isatty()
