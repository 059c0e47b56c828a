"""Benchmark: how fast workreport is at one report and at a thousand (run by ``make bench``, never by tests).

Measures, each in a fresh process (the page cache warm, as when staff rebuild after a save):

- ``build``        workreport build facts/2016.yaml
- ``check``        workreport check facts/2016.yaml
- ``floor``        bench/floor.py: the same document rendered by docxtpl alone (the floor)
- ``batch``        workreport build <folder of N generated counties> (bench/make_facts.py)
- ``batch_floor``  bench/floor.py over the same N documents on the same number of processes

and prints wall time and peak memory (the largest resident set of the process and of any
process it started), then appends the figures to bench/results/<date>.json.

Usage: python bench/run.py [--count N] [--repeat R]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
RESULTS = ROOT / "bench" / "results"
DEFAULT_FACTS = ROOT / "facts" / "2016.yaml"

sys.path.insert(0, str(ROOT / "bench"))
from make_facts import make  # noqa: E402


def cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


# --- measuring one process ---------------------------------------------------------------

def _descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (Linux /proc)."""
    out, stack = [], [pid]
    while stack:
        parent = stack.pop()
        try:
            tasks = os.listdir(f"/proc/{parent}/task")
        except OSError:
            continue
        for task in tasks:
            try:
                children = Path(f"/proc/{parent}/task/{task}/children").read_text().split()
            except OSError:
                continue
            for child in map(int, children):
                out.append(child)
                stack.append(child)
    return out


def _peak_kib(pid: int) -> int:
    """A process's peak resident set so far (VmHWM), in KiB; 0 when it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def measure(command: list[str], cwd: Path = ROOT) -> dict:
    """Run ``command``; its wall time, exit code, its own peak RSS and the largest peak RSS of its children."""
    env = dict(os.environ, CI="true")  # plain progress lines, no bar
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    children: dict[int, int] = {}
    done = threading.Event()

    def sample() -> None:  # pool workers exit before the parent; catch their VmHWM while they live
        while not done.wait(0.05):
            for child in _descendants(process.pid):
                children[child] = max(children.get(child, 0), _peak_kib(child))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stderr = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    done.set()
    sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    return {
        "wall_s": round(wall, 3),
        "exit": process.returncode,
        "rss_mb": round(usage.ru_maxrss / 1024, 1),
        "worker_rss_mb": round(max(children.values(), default=0) / 1024, 1),
        "stderr_tail": stderr.decode("utf-8", "replace")[-400:] if process.returncode not in (0, 1) else "",
    }


def repeated(command: list[str], repeat: int) -> dict:
    """The median wall time and the largest memory of ``repeat`` runs (after one warm-up run)."""
    measure(command)
    runs = [measure(command) for _ in range(repeat)]
    return {
        "wall_s": round(statistics.median(r["wall_s"] for r in runs), 3),
        "wall_min_s": min(r["wall_s"] for r in runs),
        "rss_mb": max(r["rss_mb"] for r in runs),
        "worker_rss_mb": max(r["worker_rss_mb"] for r in runs),
        "exit": runs[-1]["exit"],
        "stderr_tail": runs[-1]["stderr_tail"],
        "runs": repeat,
    }


# --- preparing the floor's documents -------------------------------------------------------

def document(facts_path: str) -> dict:
    """What workreport hands docxtpl for one facts file, as JSON-ready strings."""
    from workreport.pipeline import derive_and_assemble, load_facts, report_name
    from workreport.render import docx

    facts = load_facts(facts_path)
    _, report, _ = derive_and_assemble(facts)
    context = docx._context(report)  # the renderer's own context: the floor renders exactly what a build renders
    return {
        "name": report_name(facts),
        "title": context["title"],
        "body": str(context["body"]),
        "signature": str(context["signature"]),
        "attachment": context["attachment"],
    }


def write_documents(files: list[Path], target: Path) -> Path:
    """The floor's input for ``files``, prepared in parallel."""
    from workreport.kind import load_kind

    with ProcessPoolExecutor(max_workers=cpus()) as pool:
        documents = list(pool.map(document, map(str, files), chunksize=16))
    target.write_text(json.dumps({"template": str(load_kind().docx_template), "documents": documents}, ensure_ascii=False), encoding="utf-8")
    return target


# --- the run --------------------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description="workreport 性能基准")
    parser.add_argument("--count", type=int, default=1000, help="批量生成的县数（默认 1000）")
    parser.add_argument("--repeat", type=int, default=5, help="单份测量重复次数（取中位数）")
    args = parser.parse_args()
    workreport, python = str(BIN / "workreport"), sys.executable
    jobs = cpus()
    with tempfile.TemporaryDirectory(prefix="workreport-bench-") as scratch:
        tmp = Path(scratch)
        counties = make(args.count, tmp / "facts")
        one = write_documents([DEFAULT_FACTS], tmp / "one.json")
        many = write_documents(sorted(counties.glob("*.yaml")), tmp / "many.json")
        load_before = os.getloadavg()
        figures = {
            "build": repeated([workreport, "build", str(DEFAULT_FACTS), "-o", str(tmp / "out1")], args.repeat),
            "check": repeated([workreport, "check", str(DEFAULT_FACTS)], args.repeat),
            "floor": repeated([python, str(ROOT / "bench" / "floor.py"), str(one), str(tmp / "floor1")], args.repeat),
            "batch": measure([workreport, "build", str(counties), "-o", str(tmp / "outN")]),
            "batch_floor": measure([python, str(ROOT / "bench" / "floor.py"), str(many), str(tmp / "floorN"), "--jobs", str(jobs)]),
        }
    result = {
        "time": dt.datetime.now().isoformat(timespec="seconds"),
        "count": args.count,
        "cpus": jobs,
        "load_before": [round(x, 2) for x in load_before],
        "load_after": [round(x, 2) for x in os.getloadavg()],
        "figures": figures,
        "ratios": {
            "build_over_floor": round(figures["build"]["wall_s"] / figures["floor"]["wall_s"], 2),
            "batch_over_floor": round(figures["batch"]["wall_s"] / figures["batch_floor"]["wall_s"], 2),
            "batch_files_per_s": round(args.count / figures["batch"]["wall_s"], 1),
        },
    }
    print(report(result))
    save(result)


def report(result: dict) -> str:
    """The figures as a table."""
    lines = [f"workreport bench {result['time']}  cpus={result['cpus']}  load={result['load_before']} → {result['load_after']}",
             f"{'':14}{'wall s':>9}{'rss MB':>9}{'worker MB':>11}{'exit':>6}"]
    for name, fig in result["figures"].items():
        lines.append(f"{name:14}{fig['wall_s']:>9.3f}{fig['rss_mb']:>9.1f}{fig['worker_rss_mb']:>11.1f}{fig['exit']:>6}")
        if fig.get("stderr_tail"):
            lines.append(f"  stderr: {fig['stderr_tail']}")
    ratios = result["ratios"]
    lines.append(f"build/floor {ratios['build_over_floor']}×   batch/floor {ratios['batch_over_floor']}×   "
                 f"batch {ratios['batch_files_per_s']} files/s ({result['count']} files)")
    return "\n".join(lines)


def save(result: dict) -> Path:
    """Append this run to bench/results/<date>.json (a JSON list of runs)."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    target = RESULTS / f"{dt.date.today().isoformat()}.json"
    runs = json.loads(target.read_text(encoding="utf-8")) if target.exists() else []
    runs.append(result)
    target.write_text(json.dumps(runs, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"已写入 {target.relative_to(ROOT)}")
    return target


if __name__ == "__main__":
    main()
