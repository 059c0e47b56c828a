"""Benchmark: lint and import on one long paragraph, 60 KB and 600 KB (run by hand, never by tests).

Reading prose must be linear in the length of the text: ten times the text, about ten times the
time.  The paragraphs: the reference report's 亲情关爱 paragraph repeated, as one line; and a run of
figures without a full stop or a comma (计生特困家庭8户、…), where a careless reading reads the
whole run again for each figure.

Usage: python bench/prose.py [SIZE ...]   (sizes in characters; default 60000 600000)
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
        for (name, body), size in ((b, s) for b in bodies.items() for s in sizes):
            path = Path(folder) / f"{size}.txt"
            path.write_text("某县2016年工作总结\n" + (body * (size // len(body) + 1))[:size], encoding="utf-8")
            started = time.perf_counter()
            linted = lint(path, 2016)
            linted_in = time.perf_counter() - started
            started = time.perf_counter()
            import_report(path, Path(folder) / f"{size}.yaml", year=2016, force=True)
            imported_in = time.perf_counter() - started
            print(f"{name:<6}{size // 1000:>5} K 字符  lint {linted_in:6.2f} s（{len(linted.reading.all_figures())} 个数字）  import {imported_in:6.2f} s")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [60_000, 600_000])
