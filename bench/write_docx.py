"""The renderer against its floor, warm, in one process: write_docx of an assembled report against docxtpl alone
(open the template, render, save: bench/floor.py's ``render``) of the same document.

Usage: python bench/write_docx.py [FACTS] [--pairs P] [--times N]

Each of P pairs times N writes of ours, then N of the floor (the order alternating between pairs); prints
one line of JSON: the medians in milliseconds and the median of the pairs' ratios (read by bench/run.py).
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))


def _median_ms(write, times: int) -> float:
    walls = []
    for _ in range(times):
        start = time.perf_counter()
        write()
        walls.append(time.perf_counter() - start)
    return statistics.median(walls) * 1000


def main(argv: list[str]) -> None:
    from floor import render as floor_render
    from run import document
    from workreport.pipeline import derive_and_assemble, load_facts
    from workreport.render.docx import write_docx

    facts_path = next((a for a in argv if not a.startswith("--") and not a.isdigit()), str(ROOT / "facts" / "2016.yaml"))
    pairs = int(argv[argv.index("--pairs") + 1]) if "--pairs" in argv else 7
    times = int(argv[argv.index("--times") + 1]) if "--times" in argv else 30
    facts = load_facts(facts_path)
    _, report, _ = derive_and_assemble(facts)
    template = facts.kind.docx_template
    prepared = document(facts_path)
    with tempfile.TemporaryDirectory(prefix="workreport-bench-docx-") as scratch:
        ours_out, floor_out = Path(scratch) / "ours.docx", Path(scratch) / "floor.docx"
        runs = {"ours": lambda: write_docx(report, template, ours_out),
                "floor": lambda: floor_render(str(template), prepared, str(floor_out))}
        for write in runs.values():  # warm-up: imports, compiled templates, the opened template
            write()
        medians: dict[str, list[float]] = {"ours": [], "floor": []}
        for pair in range(pairs):
            for name in (["ours", "floor"] if pair % 2 == 0 else ["floor", "ours"]):
                medians[name].append(_median_ms(runs[name], times))
    ratios = [ours / floor for ours, floor in zip(medians["ours"], medians["floor"])]
    print(json.dumps({"ours_ms": round(statistics.median(medians["ours"]), 2),
                      "floor_ms": round(statistics.median(medians["floor"]), 2),
                      "ratio": round(statistics.median(ratios), 2)}))


if __name__ == "__main__":
    main(sys.argv[1:])
