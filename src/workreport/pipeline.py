"""The whole pipeline, stage by stage: load → validate → derive → check → assemble → render.

Nothing else happens here: each stage is one call into its own module.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import facts as facts_module
from .errors import FactsError, Problem
from .kind import load_kind
from .model import Report
from .rules.assemble import assemble
from .rules.derive import derive
from .rules.relations import Context
from .schema import Facts, validate


@dataclass
class Built:
    """The result of a build: where the report went, and what was noticed on the way."""

    output: Path
    report: Report
    notes: list[Problem] = field(default_factory=list)


def load_facts(path: str | Path, with_previous: bool = True) -> Facts:
    """Read and validate a facts file and, when it exists, last year's."""
    raw = facts_module.load(path)
    facts = validate(raw, load_kind())
    if with_previous:
        facts.previous = load_previous(facts)
    return facts


def previous_path(facts: Facts) -> tuple[Path, bool]:
    """Where last year's facts are: the 上年事实 key, or <year-1>.yaml beside this file; and whether it was named."""
    named = facts.values.get("上年事实")
    if named:
        return (facts.path.parent / named), True
    return facts.path.parent / f"{facts.year - 1}.yaml", False


def load_previous(facts: Facts) -> Facts | None:
    """Last year's facts, validated; None when there is no such file and none was named."""
    path, named = previous_path(facts)
    if not path.exists():
        if named:
            raise FactsError(facts.raw.problem(("上年事实",), f"找不到上年事实文件 {path}"))
        return None
    previous = validate(facts_module.load(path), facts.kind)
    if previous.year != facts.year - 1:
        key = ("上年事实",) if named else ("年度",)
        raise FactsError(facts.raw.problem(key, f"上年事实文件 {facts_module.display_path(path)} 的年度是 {previous.year}，应为 {facts.year - 1}"))
    return previous


def report_name(facts: Facts) -> str:
    """The output file name: <单位><年度>年工作总结.docx."""
    return f"{facts.values['单位']}{facts.year}年工作总结.docx"


def derive_and_assemble(facts: Facts) -> tuple[Context, Report, list[Problem]]:
    """The rule layer: derived figures, then the five sections assembled into a Report."""
    ctx = derive(facts)
    assembly = assemble(facts, ctx)
    return ctx, assembly.report, assembly.notes


def build(path: str | Path, out_dir: str | Path = "output") -> Built:
    """Build the .docx report for one facts file; the previous report stays untouched on failure."""
    from .render.docx import write_docx

    facts = load_facts(path)
    _, report, notes = derive_and_assemble(facts)
    output = Path(out_dir) / report_name(facts)
    write_docx(report, facts.kind.docx_template, output)
    return Built(output, report, notes)
