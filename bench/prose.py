"""Benchmark: lint and import on one long paragraph of 60 KB and 600 KB of UTF-8 (run by hand, never by tests).

Reading prose must be linear in the length of the text: ten times the text, about ten times the
time.  The paragraphs: the reference report's 亲情关爱 paragraph repeated, as one line; and a run of
figures without a full stop or a comma (计生特困家庭8户、…), where a careless reading reads the
whole run again for each figure.

Usage: python bench/prose.py [SIZE ...]   (sizes in bytes of UTF-8, where a Chinese character takes 3;
default 60000 600000, 20,000 and 200,000 characters, within the 300,000 a report may have)
"""

from __future__ import annotations

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
            first = None
            for size in sizes:
                path = Path(folder) / f"{size}.txt"
                text = "某县2016年工作总结\n" + body * (size // len(body.encode("utf-8")) + 1)
                path.write_bytes(text.encode("utf-8")[:size].decode("utf-8", "ignore").encode("utf-8"))
                linted_in, figures = _median(lambda: lint(path, 2016))
                imported_in, _ = _median(lambda: import_report(path, Path(folder) / f"{size}.yaml", year=2016, force=True))
                first = first or (size, linted_in, imported_in)
                ratio = f"  ×{linted_in / first[1]:.1f} / ×{imported_in / first[2]:.1f} for ×{size / first[0]:.0f} the text" if first[0] != size else ""
                print(f"{name:<6}{size // 1000:>5} KB  lint {linted_in:6.2f} s（{len(figures.reading.all_figures())} 个数字）"
                      f"  import {imported_in:6.2f} s{ratio}")


def _median(run, times: int = 3):
    """The median wall time of ``times`` runs of ``run``, and what its last run gave."""
    walls, result = [], None
    for _ in range(times):
        started = time.perf_counter()
        result = run()
        walls.append(time.perf_counter() - started)
    return sorted(walls)[len(walls) // 2], result

if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [60_000, 600_000])
