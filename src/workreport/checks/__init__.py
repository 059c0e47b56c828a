"""Consistency checks: each a small unit with a code (WR###), a severity, a Chinese title and a docstring.

A check is a function ``(facts, ctx) -> iterable of Finding`` registered with ``@check``;
its docstring is what ``workreport explain CODE`` prints.  Families by hundreds:

- WR0xx  facts still to fill in
- WR1xx  sums and stocks/flows
- WR2xx  bounds, subsets and figures stated twice
- WR3xx  counts against lists
- WR4xx  time: years since, anniversaries, plans, dates
- WR5xx  across years; WR55x across levels (townships add up to the county)
- WR6xx  figures in prose; WR61x figures of an edited report against the facts
- WR7xx  typography of Chinese text
- WR8xx  templates
- WR9xx  suppressions
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable, Iterable
from typing import Any

import msgspec

from ..facts import Path_, display_path, dotted, walk
from ..rules.derive import per_derivation
from ..rules.relations import PREVIOUS, Conflict, Context
from ..schema import Facts

ERROR, WARNING, INFO = "error", "warning", "info"
SEVERITY_CN = {ERROR: "错误", WARNING: "警告", INFO: "提示"}
FAMILIES = ("relations", "unfilled", "across_years", "rollup", "prose", "typography", "suppressions")
# ^ modules of this package that hold checks on a facts file; importing them registers their checks.
TEMPLATE_FAMILY = "templates"  # the template lint: registered and documented like the others, run by its own entry point
REPORT_FAMILY = "trace"  # an edited report against the facts (workreport.trace): documented here, run by check --report


class Related(msgspec.Struct, frozen=True):
    """Another fact a finding involves: where it is written (a 上年 key is in last year's file)."""

    file: str | None
    line: int | None
    key: str
    cell: str | None = None  # in a workbook: 生育关怀!C12


class Finding(msgspec.Struct, frozen=True):
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
    related: tuple[Related, ...] = ()
    cell: str | None = None  # in a workbook, where a YAML file has a line: 生育关怀!C12

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: every field, None and an empty ``related`` left out."""
        out = {k: v for k, v in msgspec.structs.asdict(self).items() if v is not None and k != "related"}
        if self.related:
            out["related"] = [{k: v for k, v in msgspec.structs.asdict(r).items() if v is not None} for r in self.related]
        return out

    def places(self) -> list[tuple[str | None, int | None]]:
        """File and line of every fact involved, this finding's own first."""
        return [(self.file, self.line), *((r.file, r.line) for r in self.related)]


class Check(msgspec.Struct, frozen=True):
    """A registered check: its code, severity, Chinese title and the function that runs it."""

    code: str
    severity: str
    title: str
    run: Callable[[Facts, Context], Iterable[Finding]]

    @property
    def family(self) -> str:
        """The module of this package that holds the check (e.g. "relations")."""
        return self.run.__module__.rsplit(".", 1)[-1]

    @property
    def doc(self) -> str:
        """The check's documentation (its docstring), printed by ``workreport explain``."""
        return inspect.cleandoc(self.run.__doc__ or "")


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
    """Every check, the template lint's too, in code order (importing the family modules registers them)."""
    for family in (*FAMILIES, TEMPLATE_FAMILY, REPORT_FAMILY):
        importlib.import_module(f"{__name__}.{family}")
    return dict(sorted(REGISTRY.items()))


def run_checks(facts: Facts, ctx: Context) -> list[Finding]:
    """All findings for one facts file, in file and line order."""
    findings: list[Finding] = []
    for item in all_checks().values():
        if item.family in FAMILIES:
            findings.extend(item.run(facts, ctx))
    return sorted(findings, key=lambda f: (f.file or "", f.line or 0, f.code))


def _year_of(facts: Facts, path: Path_) -> tuple[Facts, Path_]:
    """The facts a path points into (last year's for a path starting with 上年) and the path within them."""
    if path and path[0] == PREVIOUS and facts.previous is not None:
        return facts.previous, path[1:]
    return facts, path


def locate(facts: Facts, path: Path_) -> tuple[str, int | None, int | None]:
    """File, line and column of a fact; a path starting with 上年 is in last year's file."""
    owner, inner = _year_of(facts, path)
    line, column = owner.raw.where(inner)
    return display_path(owner.raw.path), line, column


def related(facts: Facts, paths: Iterable[Path_]) -> tuple[Related, ...]:
    """The other facts of a finding, each with its file and line."""
    out = []
    for path in paths:
        file, line, _ = locate(facts, path)
        out.append(Related(file, line, dotted(path), cell_of(facts, path)))
    return tuple(out)


def cell_of(facts: Facts, path: Path_) -> str | None:
    """The workbook cell of a fact (生育关怀!C12), when its facts were read from a workbook."""
    owner, inner = _year_of(facts, path)
    return owner.raw.cell(inner)


def section_of(path: Path_) -> str:
    """The report section a fact belongs to (its top-level group), or 基本信息 for a top-level value."""
    shown = path[1:] if path and path[0] == PREVIOUS else path
    return str(shown[0]) if len(shown) > 1 else "基本信息"


def from_conflict(code: str, facts: Facts, conflict: Conflict) -> Finding:
    """A relation's Conflict as a Finding located at its first (most likely wrong) fact, naming the others."""
    path = conflict.paths[0] if conflict.paths else ()
    return finding(code, facts, path, conflict.message, severity=conflict.severity,
                   expected=conflict.expected, actual=conflict.actual, others=conflict.paths[1:])


def excerpt(facts: Facts, path: Path_) -> str | None:
    """The line of the facts file the finding points at, as staff wrote it."""
    owner, inner = _year_of(facts, path)
    line, _ = owner.raw.where(inner)
    return owner.raw.line(line) if line else None


def finding(code: str, facts: Facts, path: Path_, message: str, *, severity: str | None = None, offset: int | None = None,
            expected: str | None = None, actual: str | None = None, others: Iterable[Path_] = ()) -> Finding:
    """A Finding of ``code`` at the fact ``path`` (``offset`` characters into its text, when given), naming ``others``."""
    file, line, column = locate(facts, path)
    if offset is not None and line:
        column = _text_column(facts, path, line, column, offset)
    return Finding(
        code=code,
        severity=severity or REGISTRY[code].severity,
        message=message,
        file=file,
        line=line,
        column=column,
        section=section_of(path) if path else None,
        key=dotted(path) or None,
        excerpt=excerpt(facts, path),
        expected=expected,
        actual=actual,
        related=related(facts, others),
        cell=cell_of(facts, path),
    )


def _text_column(facts: Facts, path: Path_, line: int, column: int | None, offset: int) -> int | None:
    """The column of the character ``offset`` into a text value, found on its line as written."""
    owner, inner = _year_of(facts, path)
    value = owner.get(inner)
    lines = owner.raw.lines
    if not isinstance(value, str) or not 0 < line <= len(lines):
        return column
    found = lines[line - 1].find(value[offset:offset + 6] or value[-1:], (column or 1) - 1)
    return found + 1 if found >= 0 else column


@per_derivation
def text_fields(facts: Facts, ctx: Context) -> list[tuple[Path_, str]]:
    """Every text value of the facts as staff wrote them (list items too), with its path: three checks read them."""
    return [(path, value) for path, value in walk(facts.values) if isinstance(value, str)]
