"""A warm build: the same report built again and again in one process, as a server or a batch worker builds it.

Usage: python bench/warm.py FACTS OUT_FOLDER [--times N]

Builds once to fill every per-process cache, then N times more; prints the median of those N
builds in milliseconds (one number, read by bench/run.py).
"""

from __future__ import annotations

import statistics
import sys
import time


def main(argv: list[str]) -> None:
    from workreport.pipeline import build

    facts, folder = argv[0], argv[1]
    times = int(argv[argv.index("--times") + 1]) if "--times" in argv else 30
    build(facts, folder)
    walls = []
    for _ in range(times):
        start = time.perf_counter()
        build(facts, folder)
        walls.append(time.perf_counter() - start)
    print(round(statistics.median(walls) * 1000, 1))


if __name__ == "__main__":
    main(sys.argv[1:])
