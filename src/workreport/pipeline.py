"""The whole pipeline, stage by stage: load → validate → derive → check → assemble → render.

Nothing else happens here: each stage is one call into its own module.
"""

from __future__ import annotations

import re
from pathlib import Path

import msgspec

from . import facts as facts_module
from .errors import FactsError, Problem
from .kind import DEFAULT_KIND, load_kind
from .model import Report
from .rules.assemble import assemble, trial_assembly
from .rules.derive import derive
from .rules.relations import Context
from .schema import Facts, validate


class Built(msgspec.Struct):
    """The result of a build: where the report went, and what was noticed on the way."""

    output: Path
    report: Report
    assembly_notes: list[Problem] = msgspec.field(default_factory=list)
    checked: Checked | None = None

    @property
    def notes(self) -> list[Problem]:
        """Everything worth telling: assembly notes, then the checks' warnings and infos."""
        findings = self.checked.findings if self.checked else []
        return [*self.assembly_notes, *map(finding_problem, findings)]


def load_facts(path: str | Path, with_previous: bool = True) -> Facts:
    """Read and validate a facts file (YAML, or a workbook written by ``workreport sheet``) and, when it exists, last year's."""
    raw = read_raw(path)
    facts = validate(raw, load_kind())
    if with_previous:
        facts.previous = load_previous(facts)
    return facts


def read_raw(path: str | Path) -> facts_module.RawFacts:
    """A facts file's positioned tree: from YAML, or from a workbook with each value at its cell."""
    if facts_module.is_workbook(path):
        from .sheet import read_book  # only here: openpyxl is heavy

        return read_book(path, load_kind())
    return facts_module.load(path)


def previous_path(facts: Facts) -> tuple[Path, bool]:
    """Where last year's facts are: the 上年事实 key, or <year-1>.yaml beside this file; and whether it was named."""
    named = facts.values.get("上年事实")
    if named:
        return (facts.path.parent / named), True
    return facts.path.parent / f"{facts.year - 1}.yaml", False


def load_previous(facts: Facts) -> Facts | None:
    """Last year's facts, validated; None when there is no such file and none was named.

    A problem with the link names this file's 上年事实 line (or, for the file found beside it,
    that file's own line) and says what would be right; a broken previous file is reported
    with its own problems, introduced by the line that led to it.
    """
    path, named = previous_path(facts)
    link = ("上年事实",) if named else ("年度",)
    shown = facts_module.display_path(path)
    last = facts.year - 1
    if named and not path.is_file():
        what = "是一个文件夹" if path.is_dir() else "不存在"
        raise FactsError(facts.raw.problem(link, f"上年事实写的文件 {shown} {what}；请写 {last} 年度事实文件的路径（相对本文件，如 {last}.yaml），"
                                                 f"或删去这一行，改用同一文件夹下的 {last}.yaml"))
    if not path.exists():
        return None
    if path.resolve() == facts.path.resolve():
        raise FactsError(facts.raw.problem(link, f"上年事实指向了本文件自己；应为 {last} 年度的事实文件，如 {last}.yaml"))
    try:
        previous = _validated(path, facts.kind)
    except FactsError as exc:
        intro = facts.raw.problem(link, f"上年事实文件 {shown} 有误，无法与上年比较；请先改正它（见下）")
        raise FactsError([intro, *exc.problems]) from exc
    if previous.year != last:
        if named:
            problem = facts.raw.problem(link, f"上年事实写的文件 {shown} 是 {previous.year} 年度的，应为 {last} 年度的事实文件")
        else:
            problem = previous.raw.problem(("年度",), f"按文件名这是 {last} 年度（{facts_module.display_path(facts.path)} 的上一年度）的事实文件，"
                                                      f"但年度写的是 {previous.year}；请改正年度或文件名")
        raise FactsError(problem)
    return previous


def _validated(path: Path, kind) -> Facts:
    """Last year's file read and validated.  When its text is what it was the last time this process read it
    (a page checking again as staff type, builds one after another), the facts read then are used again:
    last year's file does not change while this year's is written.  A few files are kept, not every one a batch reads."""
    text = facts_module.read_text(path)
    key = (str(path), id(kind))
    kept = _PREVIOUS.pop(key, None)
    if kept is None or kept[0] != text or kept[1].kind is not kind:
        kept = (text, validate(facts_module.parse(text, path), kind))
    _PREVIOUS[key] = kept  # the most recently used last
    while len(_PREVIOUS) > 4:
        del _PREVIOUS[next(iter(_PREVIOUS))]
    return kept[1]


_PREVIOUS: dict[tuple, tuple[str, Facts]] = {}  # last year's files as read: (path, kind) → (text, facts)


def report_name(facts: Facts) -> str:
    """The output file name: <单位><年度>年工作总结.docx, with what a file name cannot hold (/ \\ : * ? " < > |) as _.

    单位 is text staff typed: unchecked, "../" in it would write the report outside the output folder.
    """
    unit = re.sub(r'[\\/:*?"<>|\x00-\x1f\x7f]', "_", facts.values["单位"]).strip(" .") or "_"
    return f"{unit}{facts.year}年工作总结.docx"


def derive_and_assemble(facts: Facts) -> tuple[Context, Report, list[Problem]]:
    """The rule layer: derived figures, then the five sections assembled into a Report."""
    ctx = derive(facts)
    assembly = assemble(facts, ctx)
    return ctx, assembly.report, assembly.notes


class Checked(msgspec.Struct):
    """The result of checking one facts file: findings still reported, and those silenced by 忽略 comments."""

    path: Path
    findings: list = msgspec.field(default_factory=list)
    silenced: list = msgspec.field(default_factory=list)
    year: int | None = None

    @property
    def errors(self) -> list:
        return [f for f in self.findings if f.severity == "error"]


class ChecksFailed(FactsError):
    """Error-level findings stopped a build; ``checked`` holds them all for display."""

    def __init__(self, checked: Checked):
        self.checked = checked
        super().__init__([finding_problem(f) for f in checked.errors])


def check(path: str | Path) -> Checked:
    """Check one facts file: load (with last year's) → derive → run every check → apply suppressions."""
    return derive_and_check(load_facts(path))[1]


def derive_and_check(facts: Facts, assembling: bool = False) -> tuple[Context, Checked]:
    """Derived figures and the findings of every check on them (suppressions applied).

    ``assembling``: the report is wanted too, so it is written first, once; the check of what it lacks (WR002)
    reads that assembly instead of reading the templates (``assemble.missing_facts``)."""
    from .checks import run_checks
    from .checks.suppressions import apply_suppressions

    ctx = derive(facts)
    if assembling:
        trial_assembly(facts, ctx)
    result = apply_suppressions(facts, run_checks(facts, ctx))
    return ctx, Checked(facts.path, result.findings, result.silenced, facts.year)


def build(path: str | Path, out_dir: str | Path = "output", force: bool = False) -> Built:
    """Check one facts file, then build its .docx report; the previous report stays untouched on failure.

    Error-level findings stop the build (ChecksFailed) unless ``force``.  The facts are read
    and derived once for both (in a batch of a thousand, reading YAML is a third of the time).
    """
    from .fsutil import refuse_target
    from .render.docx import write_docx

    facts = load_facts(path)
    output = Path(out_dir) / report_name(facts)
    refuse_target(output, input_files(facts))
    ctx, checked = derive_and_check(facts, assembling=True)
    if checked.errors and not force:
        raise ChecksFailed(checked)
    assembly = assemble(facts, ctx)
    write_docx(assembly.report, facts.kind.docx_template, output)
    return Built(output, assembly.report, assembly.notes, checked)


def input_files(facts: Facts) -> list[Path]:
    """Every file a build reads: the facts, last year's, the .docx template; none may be the report's path."""
    files = [facts.path, facts.kind.docx_template]
    if facts.previous is not None:
        files.append(facts.previous.path)
    return files


def check_templates(kind_name: str | None = None) -> list:
    """The template lint's findings for a report kind (no literal years or counts, no unknown keys)."""
    from .checks.templates import lint_templates

    return lint_templates(kind_name or DEFAULT_KIND)


def finding_problem(finding) -> Problem:
    """A check's finding as a located Problem: [WR101] message."""
    return Problem(f"[{finding.code}] {finding.message}", file=finding.file, line=finding.line, column=finding.column, key=finding.key,
                   cell=finding.cell)
