"""Precision and recall of ``workreport lint`` per code on the labelled corpus (corpus.yaml beside this file).

Run: ``make prose-eval`` (or ``python tests/prose_corpus/evaluate.py``).  Each entry is linted as a
report of its own; a finding at error or warning level counts, a hint (提示) does not.  A must-flag
entry is a true positive for its code when that code is found, a false negative otherwise; any
other code found on an entry is a false positive for that code.
"""

from __future__ import annotations

import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml import YAML

CORPUS = Path(__file__).resolve().parent / "corpus.yaml"
COUNTED = ("error", "warning")


@dataclass(frozen=True)
class Entry:
    """One labelled text: what it says, the codes it must raise (none: nothing), the report year, whether it is a whole file."""

    number: int
    text: str
    codes: frozenset[str]
    year: int
    raw: bool

    def document(self) -> str:
        """The text as a report file: a title and a section heading before it unless it is a whole file."""
        if self.raw:
            return self.text
        return f"某县计划生育协会{self.year}年工作总结\n一、重点工作\n{self.text}"


def entries() -> list[Entry]:
    """The corpus, in file order."""
    data = YAML(typ="safe").load(CORPUS.read_text(encoding="utf-8"))
    return [Entry(n, str(item["text"]), _codes(item.get("code")), int(item.get("year", 2016)), bool(item.get("raw")))
            for n, item in enumerate(data, 1)]


def _codes(value) -> frozenset[str]:
    if not value:
        return frozenset()
    return frozenset([value] if isinstance(value, str) else value)


def codes_found(entry: Entry, folder: Path) -> set[str]:
    """The codes lint reports at error or warning level on one entry."""
    from workreport.lint import lint

    path = folder / f"{entry.number:03d}.txt"
    path.write_text(entry.document(), encoding="utf-8")
    return {f.code for f in lint(path, entry.year).findings if f.severity in COUNTED}


def evaluate() -> tuple[dict[str, Counter], list[tuple[Entry, set[str]]]]:
    """Counts of tp/fp/fn per code, and the entries that were read wrong with what was found."""
    counts: dict[str, Counter] = {}
    wrong = []
    with tempfile.TemporaryDirectory() as folder:
        for entry in entries():
            found = codes_found(entry, Path(folder))
            expected = set(entry.codes)
            for code in found | expected:
                tally = counts.setdefault(code, Counter())
                tally["tp" if code in found and code in expected else "fp" if code in found else "fn"] += 1
            if found != expected:
                wrong.append((entry, found))
    return counts, wrong


def main() -> int:
    counts, wrong = evaluate()
    total = len(entries())
    flagged = sum(1 for e in entries() if e.codes)
    print(f"语料 {total} 条（须报出 {flagged} 条，不得报出 {total - flagged} 条）")
    print(f"{'代码':<8}{'精确率':>8}{'召回率':>8}{'TP':>5}{'FP':>5}{'FN':>5}")
    for code, c in sorted(counts.items()):
        precision = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0
        recall = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0
        print(f"{code:<10}{precision:>9.1%}{recall:>9.1%}{c['tp']:>5}{c['fp']:>5}{c['fn']:>5}")
    for entry, found in wrong:
        print(f"  第{entry.number}条 应为 {sorted(entry.codes) or '无'}，实为 {sorted(found) or '无'}：{entry.text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
