"""Benchmark: lint and import on one long paragraph of 60 KB and 600 KB of UTF-8 (run by hand, never by tests).

Reading prose must be linear in the length of the text: ten times the text, about ten times the
time.  The paragraphs: the reference report's 亲情关爱 paragraph repeated, as one line; and a run of
figures without a full stop or a comma (计生特困家庭8户、…), where a careless reading reads the
whole run again for each figure.

Usage: python bench/prose.py [SIZE ...]   (sizes in bytes of UTF-8, where a Chinese character takes 3;
default 60000 600000, 20,000 and 200,000 characters, within the 300,000 a report may have)
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference" / "fengning-2016-summary.txt"


def main(sizes: list[int]) -> None:
    from workreport.importer import import_report
    from workreport.lint import lint

    reference = REFERENCE if REFERENCE.exists() else Path("/work/shared/reference/fengning-2016-summary.txt")
    bodies = {"参考稿段落": reference.read_text(encoding="utf-8").split("\n")[8], "无句读": "计生特困家庭8户、"}
    with tempfile.TemporaryDirectory() as folder:
        warm = Path(folder) / "warm.txt"
        warm.write_text("总结\n" + bodies["参考稿段落"], encoding="utf-8")
        lint(warm, 2016)  # load the converter and the vocabulary once, as any first run does
        for name, body in bodies.items():
            paths = {size: _paragraph(Path(folder), body, size) for size in sizes}
            commands = {"lint": lambda path: lint(path, 2016),
                        "import": lambda path: import_report(path, path.with_suffix(".yaml"), year=2016, force=True)}
            for command, run in commands.items():
                times = _paired(run, [paths[size] for size in sizes])
                base = sizes[0]
                cells = [f"{size // 1000} KB {statistics.median(times[i]):.2f} s" for i, size in enumerate(sizes)]
                ratios = [f"×{statistics.median(a / b for a, b in zip(times[i], times[0])):.1f} for ×{size / base:.0f} the text"
                          for i, size in enumerate(sizes) if i]
                print(f"{name:<6}{command:<7}" + "  ".join(cells) + "  " + "  ".join(ratios))


def _paragraph(folder: Path, body: str, size: int) -> Path:
    """A report of one paragraph: ``body`` repeated to ``size`` bytes of UTF-8."""
    path = folder / f"{size}-{abs(hash(body))}.txt"
    text = "某县2016年工作总结\n" + body * (size // len(body.encode("utf-8")) + 1)
    path.write_bytes(text.encode("utf-8")[:size].decode("utf-8", "ignore").encode("utf-8"))
    return path


def _paired(run, paths: list[Path], rounds: int = 7) -> list[list[float]]:
    """CPU seconds of ``run`` on each path, in rounds that run every size one after another, so that a machine
    whose speed drifts (a shared virtual one does, by a fifth within minutes) slows both sides of a ratio alike."""
    spent: list[list[float]] = [[] for _ in paths]
    for _ in range(rounds):
        for i, path in enumerate(paths):
            started = time.process_time()
            run(path)
            spent[i].append(time.process_time() - started)
    return spent


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [60_000, 600_000])
