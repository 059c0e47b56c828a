"""Consistency checks: each a small unit with a code (WR###), a severity, a Chinese title and a docstring.

A check is a function ``(facts, ctx) -> iterable of Finding`` registered with ``@check``;
its docstring is what ``workreport explain CODE`` prints.  Families by hundreds:

- WR0xx  facts still to fill in
- WR1xx  sums and stocks/flows
- WR2xx  bounds, subsets and figures stated twice
- WR3xx  counts against lists
- WR4xx  time: years since, anniversaries, plans, dates
- WR5xx  across years
- WR6xx  figures in prose
- WR7xx  typography of Chinese text
- WR8xx  templates
- WR9xx  suppressions
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from typing import Any

from ..facts import Path_, display_path, dotted
from ..rules.relations import PREVIOUS, Conflict, Context
from ..schema import Facts

ERROR, WARNING, INFO = "error", "warning", "info"
SEVERITY_CN = {ERROR: "错误", WARNING: "警告", INFO: "提示"}
FAMILIES = ("relations",)  # modules of this package that hold checks; importing them registers their checks


@dataclass(frozen=True)
class Finding:
    """One thing a check found, located in the facts file (or a template)."""

    code: str
    severity: str
    message: str
    file: str | None = None
    line: int | None = None
    column: int | None = None
    section: str | None = None
    key: str | None = None
    excerpt: str | None = None
    expected: str | None = None
    actual: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: every field, None left out."""
        return {k: v for k, v in asdict(self).items() if v is not None}


@dataclass(frozen=True)
class Check:
    """A registered check: its code, severity, Chinese title and the function that runs it."""

    code: str
    severity: str
    title: str
    run: Callable[[Facts, Context], Iterable[Finding]]

    @property
    def doc(self) -> str:
        """The check's documentation (its docstring), printed by ``workreport explain``."""
        return (self.run.__doc__ or "").strip()


REGISTRY: dict[str, Check] = {}


def check(code: str, severity: str, title: str) -> Callable:
    """Register a check function under ``code``."""

    def register(func: Callable) -> Callable:
        if code in REGISTRY:
            raise ValueError(f"duplicate check code {code}")
        REGISTRY[code] = Check(code, severity, title, func)
        return func

    return register


def all_checks() -> dict[str, Check]:
    """Every check, in code order (importing the family modules registers them)."""
    for family in FAMILIES:
        importlib.import_module(f"{__name__}.{family}")
    return dict(sorted(REGISTRY.items()))


def run_checks(facts: Facts, ctx: Context) -> list[Finding]:
    """All findings for one facts file, in file and line order."""
    findings: list[Finding] = []
    for item in all_checks().values():
        findings.extend(item.run(facts, ctx))
    return sorted(findings, key=lambda f: (f.file or "", f.line or 0, f.code))


def locate(facts: Facts, path: Path_) -> tuple[str, int | None, int | None]:
    """File, line and column of a fact; a path starting with 上年 is in last year's file."""
    if path and path[0] == PREVIOUS and facts.previous is not None:
        raw, path = facts.previous.raw, path[1:]
    else:
        raw = facts.raw
    line, column = raw.where(path)
    return display_path(raw.path), line, column


def from_conflict(code: str, facts: Facts, conflict: Conflict) -> Finding:
    """A relation's Conflict as a Finding located at its first (most likely wrong) fact."""
    path = conflict.paths[0] if conflict.paths else ()
    file, line, column = locate(facts, path)
    shown = path[1:] if path and path[0] == PREVIOUS else path
    return Finding(
        code=code,
        severity=conflict.severity,
        message=conflict.message,
        file=file,
        line=line,
        column=column,
        section=str(shown[0]) if shown else None,
        key=dotted(path) or None,
        excerpt=_excerpt(facts, path),
        expected=conflict.expected,
        actual=conflict.actual,
    )


def _excerpt(facts: Facts, path: Path_) -> str | None:
    """The line of the facts file the finding points at, as staff wrote it."""
    raw = facts.previous.raw if path and path[0] == PREVIOUS and facts.previous else facts.raw
    line, _ = raw.where(path[1:] if path and path[0] == PREVIOUS else path)
    if not line:
        return None
    lines = raw.text.splitlines()
    return lines[line - 1].strip() if 0 < line <= len(lines) else None
