"""Benchmark: how fast workreport is, each figure timed against its floor in the same run (``make bench``, never the tests).

The machine may be busy (other users, other builds), so every figure is measured in pairs with
its floor, the two runs alternating (ours first, then the floor first), and what is reported is
the median of the pairs' ratios, with the load average before and after:

- ``build``  cold ``workreport build facts/2016.yaml`` against bench/floor.py, the same document rendered by
             docxtpl alone (open the template, render, save), each in a fresh process;
- ``check``  cold ``workreport check facts/2016.yaml`` against the same floor;
- ``batch``  ``workreport build`` of a folder of N generated counties (bench/make_facts.py, distinct names,
             each with its last-year file) against bench/floor.py over the same N documents in a pool of
             as many processes (the batch floor); the largest resident set of one worker is reported too;
- ``warm``   the median of 30 builds of facts/2016.yaml in one process after a first (bench/warm.py), run in
             7 processes: the median of the 7 and their range;
- ``write_docx`` the renderer alone against docxtpl's open, render and save of the same document, warm (bench/write_docx.py).

Figures and ratios are printed as a table and appended to bench/results/<date>.json.

Usage: python bench/run.py [--count N] [--pairs P] [--batch-pairs B]
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

    own = [0]

    def sample() -> None:  # pool workers exit before the parent; catch their VmHWM while they live
        while True:
            own[0] = max(own[0], _peak_kib(process.pid))
            for child in _descendants(process.pid):
                children[child] = max(children.get(child, 0), _peak_kib(child))
            if done.wait(0.02):
                return

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
        # VmHWM of the command itself, sampled: ru_maxrss would count this script's own memory, copied at fork
        "rss_mb": round((own[0] or usage.ru_maxrss) / 1024, 1),
        "worker_rss_mb": round(max(children.values(), default=0) / 1024, 1),
        "stderr_tail": stderr.decode("utf-8", "replace")[-400:] if process.returncode not in (0, 1) else "",
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

TARGETS = {"build": 1.3, "check": 0.5, "batch": 1.2}  # the most each may take, as a multiple of its floor
WARM_TARGET_MS = 15
WORKER_TARGET_MB = 150


def paired(ours: dict[str, list[str]], floor: list[str], pairs: int) -> dict:
    """Each of ``ours`` (name → command) and ``floor`` run ``pairs`` times in turn, the order rotating each round;
    per name: median wall, median of the ratios to the floor of the same round, memory."""
    names = [*ours, "floor"]
    commands = {**ours, "floor": floor}
    for name in names:  # warm-up: caches filled, files in the page cache
        measure(commands[name])
    runs: dict[str, list[dict]] = {name: [] for name in names}
    loads = [os.getloadavg()[0]]
    for round_ in range(pairs):
        order = names[round_ % len(names):] + names[:round_ % len(names)]
        for name in order:
            runs[name].append(measure(commands[name]))
        loads.append(os.getloadavg()[0])
    result = {}
    for name in names:
        result[name] = _summary(runs[name])
        if name != "floor":
            ratios = [ours_run["wall_s"] / floor_run["wall_s"] for ours_run, floor_run in zip(runs[name], runs["floor"])]
            result[name]["ratio"] = round(statistics.median(ratios), 2)
            result[name]["ratio_range"] = [round(min(ratios), 2), round(max(ratios), 2)]
    result["load"] = [round(min(loads), 2), round(max(loads), 2)]
    return result


def _summary(runs: list[dict]) -> dict:
    return {
        "wall_s": round(statistics.median(r["wall_s"] for r in runs), 3),
        "wall_min_s": min(r["wall_s"] for r in runs),
        "rss_mb": max(r["rss_mb"] for r in runs),
        "worker_rss_mb": max(r["worker_rss_mb"] for r in runs),
        "exit": max(r["exit"] for r in runs),
        "stderr_tail": next((r["stderr_tail"] for r in runs if r["stderr_tail"]), ""),
        "runs": len(runs),
    }


def warm_ms(folder: Path, runs: int = 7) -> dict:
    """The warm build in milliseconds: bench/warm.py (the median of 30 builds in one process) run ``runs`` times,
    each in its own process; the median of those runs and their range."""
    medians = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, str(ROOT / "bench" / "warm.py"), str(DEFAULT_FACTS), str(folder)],
                             cwd=ROOT, capture_output=True, text=True, check=True)
        medians.append(float(out.stdout.strip()))
    return {"ms": round(statistics.median(medians), 1), "range": [min(medians), max(medians)], "runs": runs}


def renderer_figures() -> dict:
    """write_docx against docxtpl alone, warm, in one process (bench/write_docx.py in its own process)."""
    out = subprocess.run([sys.executable, str(ROOT / "bench" / "write_docx.py"), str(DEFAULT_FACTS)],
                         cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description="workreport 性能基准（与 docxtpl 下限成对比较）")
    parser.add_argument("--count", type=int, default=1000, help="批量生成的县数（默认 1000）")
    parser.add_argument("--pairs", type=int, default=7, help="单份生成、检查与下限成对测量的轮数（取比值的中位数）")
    parser.add_argument("--batch-pairs", type=int, default=7, help="批量生成与批量下限成对测量的轮数")
    args = parser.parse_args()
    workreport, python, floor = str(BIN / "workreport"), sys.executable, str(ROOT / "bench" / "floor.py")
    jobs = cpus()
    with tempfile.TemporaryDirectory(prefix="workreport-bench-") as scratch:
        tmp = Path(scratch)
        counties = make(args.count, tmp / "facts")
        one = write_documents([DEFAULT_FACTS], tmp / "one.json")
        many = write_documents(sorted(counties.glob("*.yaml")), tmp / "many.json")
        single = paired({"build": [workreport, "build", str(DEFAULT_FACTS), "-o", str(tmp / "out1")],
                         "check": [workreport, "check", str(DEFAULT_FACTS)]},
                        [python, floor, str(one), str(tmp / "floor1")], args.pairs)
        batch = paired({"batch": [workreport, "build", str(counties), "-o", str(tmp / "outN")]},
                       [python, floor, str(many), str(tmp / "floorN"), "--jobs", str(jobs)], args.batch_pairs)
        warm = warm_ms(tmp / "warm")
        renderer = renderer_figures()
    result = {
        "time": dt.datetime.now().isoformat(timespec="seconds"),
        "count": args.count,
        "cpus": jobs,
        "pairs": args.pairs,
        "batch_pairs": args.batch_pairs,
        "figures": {"build": single["build"], "check": single["check"], "floor": single["floor"],
                    "batch": batch["batch"], "batch_floor": batch["floor"]},
        "load": {"single": single["load"], "batch": batch["load"]},
        "warm": warm,
        "write_docx": renderer,
        "batch_files_per_s": round(args.count / batch["batch"]["wall_s"], 1),
    }
    print(report(result))
    save(result)


def report(result: dict) -> str:
    """The figures as a table: each against its floor, the median ratio of the pairs and the target."""
    figures = result["figures"]
    lines = [f"workreport bench {result['time']}  cpus={result['cpus']}  pairs={result['pairs']}/{result['batch_pairs']}  "
             f"load(1 min) single {result['load']['single']} batch {result['load']['batch']}",
             f"{'':13}{'wall s':>8}{'floor s':>9}{'ratio':>7}{'range':>13}{'target':>8}{'rss MB':>8}{'worker MB':>11}{'exit':>6}"]
    for name, floor in (("build", "floor"), ("check", "floor"), ("batch", "batch_floor")):
        fig, base = figures[name], figures[floor]
        ok = "✓" if fig["ratio"] <= TARGETS[name] else "✗"
        low, high = fig["ratio_range"]
        lines.append(f"{name:13}{fig['wall_s']:>8.3f}{base['wall_s']:>9.3f}{fig['ratio']:>6.2f}×{f'{low:.2f}–{high:.2f}':>13}"
                     f"{f'≤{TARGETS[name]}× {ok}':>8}{fig['rss_mb']:>8.1f}{fig['worker_rss_mb']:>11.1f}{fig['exit']:>6}")
        if fig.get("stderr_tail"):
            lines.append(f"  stderr: {fig['stderr_tail']}")
    worker = figures["batch"]["worker_rss_mb"]
    lines.append(f"batch {result['batch_files_per_s']} files/s ({result['count']} files); worker {worker} MB "
                 f"(≤{WORKER_TARGET_MB} {'✓' if worker <= WORKER_TARGET_MB else '✗'}); "
                 f"floor worker {figures['batch_floor']['worker_rss_mb']} MB")
    warm = result["warm"]
    lines.append(f"warm in-process build {warm['ms']} ms, range {warm['range'][0]}–{warm['range'][1]} over {warm['runs']} processes "
                 f"(≤{WARM_TARGET_MS} {'✓' if warm['ms'] <= WARM_TARGET_MS else '✗'})")
    if "write_docx" in result:
        renderer = result["write_docx"]
        lines.append(f"warm write_docx {renderer['ours_ms']} ms against docxtpl alone {renderer['floor_ms']} ms: {renderer['ratio']}×")
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
