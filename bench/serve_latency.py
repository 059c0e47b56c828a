"""Benchmark: from a change in the page to its finding on screen, through headless Chromium (never run by tests).

Starts ``workreport serve`` in this process on a scratch copy of facts/2016.yaml, opens the
page in Debian's headless Chromium (Playwright with executable_path) and, N times, types a
value into 现有户数 that breaks (999) or mends (180) the sum 上年 + 新增 − 退出, measuring in
the page from the input event to the frame after the finding beside the field appeared or
went.  Prints the median, p95 and maximum in milliseconds and appends them to
bench/results/serve-<date>.json.

Usage: python bench/serve_latency.py [--count N] [--facts FILE]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.serve.browser import MISSING, chromium_path  # noqa: E402

MEASURE = """async ([key, value]) => {
    const input = document.getElementById('f-' + key);
    const slot = document.getElementById('m-' + key);
    const wanted = value === '180' ? 0 : 1;
    const start = performance.now();
    input.value = value;
    input.dispatchEvent(new Event('input', {bubbles: true}));
    await new Promise(resolve => {
        const done = () => slot.querySelectorAll('.finding').length === wanted;
        if (done()) return resolve();
        const watch = new MutationObserver(() => { if (done()) { watch.disconnect(); resolve(); } });
        watch.observe(slot, {childList: true});
    });
    await new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    return performance.now() - start;
}"""


def measure(count: int, facts: Path) -> list[float]:
    """``count`` change-to-finding times (ms) in the browser, the first few discarded as warm-up."""
    from playwright.sync_api import sync_playwright

    from workreport.serve.document import FactsDocument
    from workreport.serve.server import make_server

    server = make_server(FactsDocument(facts), 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    key = "生育关怀.亲情关爱.现有户数"
    times = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium_path(), args=["--no-sandbox"])
            page = browser.new_page()
            page.goto(server.url)
            page.wait_for_function("() => document.body.dataset.checked && !document.body.dataset.busy")
            for i in range(count + 5):
                elapsed = page.evaluate(MEASURE, [key, "999" if i % 2 == 0 else "180"])
                page.wait_for_function("() => !document.body.dataset.busy")
                if i >= 5:
                    times.append(elapsed)
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--facts", type=Path, default=ROOT / "facts" / "2016.yaml")
    args = parser.parse_args()
    if chromium_path() is None:
        print(MISSING, file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "facts"
        shutil.copytree(args.facts.parent, copy)
        times = sorted(measure(args.count, copy / args.facts.name))
    p95 = times[min(len(times) - 1, round(0.95 * len(times)) - 1)]
    figures = {"what": "serve: change → finding on screen (ms)", "count": len(times), "median": round(statistics.median(times), 1),
               "p95": round(p95, 1), "max": round(times[-1], 1), "load": round(os.getloadavg()[0], 2), "cores": os.cpu_count()}
    print(json.dumps(figures, ensure_ascii=False))
    out = ROOT / "bench" / "results" / f"serve-{dt.date.today().isoformat()}.json"
    out.parent.mkdir(exist_ok=True)
    with out.open("a", encoding="utf-8") as stream:
        stream.write(json.dumps(figures, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
