"""Findings as users read them: Chinese text grouped by file and section, JSON, or GitHub annotations.

Entry point: ``render(findings, silenced, fmt)``; ``exit_code(findings)`` says 1 when any is an error.
Text ends with the summary line, always last; ``settled`` files (other years' facts, whose
reports are out) are told in one line each instead of in full.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from . import ERROR, INFO, REGISTRY, SEVERITY_CN, WARNING, Finding
from .suppressions import Suppression

FORMATS = ("text", "json", "github")
Silenced = tuple[Finding, Suppression]


def render(findings: list[Finding], silenced: list[Silenced], fmt: str = "text", files: Iterable[str] = (),
           settled: Iterable[str] = (), unreadable: int = 0) -> str:
    """The findings in ``fmt`` (text, json or github); ``files`` are the files checked (named even when clean).

    In text, findings in the ``settled`` files are collapsed to one line per file; ``unreadable``
    files (told separately) are counted in the summary line.
    """
    if fmt == "json":
        return as_json(findings, silenced)
    if fmt == "github":
        return as_github(findings, silenced)
    return as_text(findings, silenced, list(files), settled=set(settled), unreadable=unreadable)


def exit_code(findings: Iterable[Finding]) -> int:
    """1 when any finding is an error, else 0 (warnings and infos pass)."""
    return 1 if any(f.severity == ERROR for f in findings) else 0


def summary(findings: list[Finding], silenced: list[Silenced], unreadable: int = 0) -> str:
    """The closing line: how many errors, warnings, infos, how many were silenced, how many files were unusable."""
    line = counts(findings)
    if silenced:
        line += f"；另有 {len(silenced)} 个问题已按“忽略”注释不报"
    if unreadable:
        line += f"；{unreadable} 个文件无法使用（见上），未能检查"
    return line


def counts(findings: list[Finding], skip_zero: bool = False) -> str:
    """N 个错误，N 个警告，N 条提示 (only the non-zero ones with ``skip_zero``)."""
    count = {s: sum(f.severity == s for f in findings) for s in (ERROR, WARNING, INFO)}
    parts = [(count[ERROR], "个错误"), (count[WARNING], "个警告"), (count[INFO], "条提示")]
    return "，".join(f"{n} {what}" for n, what in parts if n or not skip_zero)


def as_text(findings: list[Finding], silenced: list[Silenced], files: list[str], settled: set[str] = frozenset(),
            unreadable: int = 0) -> str:
    """Chinese text: each file, its findings grouped by section (a settled file in one line), then the summary line."""
    blocks = []
    order = list(dict.fromkeys([*files, *(f.file or "" for f in findings)]))
    for file in order:
        mine = [f for f in findings if (f.file or "") == file]
        if not mine:
            blocks.append(f"{file}：没有发现问题")
            continue
        if file in settled:
            blocks.append(f"{file}：{counts(mine, skip_zero=True)}（已在往年报告中；要逐条列出，请加 --all-years）")
            continue
        lines = [f"{file}"]
        for section in dict.fromkeys(f.section or "全文" for f in mine):
            lines.append(f"【{section}】")
            lines += [_text_finding(f) for f in mine if (f.section or "全文") == section]
        blocks.append("\n".join(lines))
    for found, why in silenced:
        blocks.append(f"已忽略：{_place(found)} [{found.code}] {found.message}（原因：{why.reason}）")
    current = [f for f in findings if (f.file or "") not in settled]
    blocks.append(summary(current, silenced, unreadable) + ("（不含往年文件）" if len(current) < len(findings) else ""))
    return "\n\n".join(blocks)


def _text_finding(f: Finding) -> str:
    """One finding: location, code and severity, message; the line as written; 应为/实为; the other facts."""
    out = [f"{_place(f)} [{f.code} {SEVERITY_CN[f.severity]}] {f.message}"]
    if f.excerpt:
        out.append(f"    {f.line} | {f.excerpt}")
    if f.expected or f.actual:
        out.append("    " + "；".join(x for x in (f.expected and f"应为：{f.expected}", f.actual and f"实为：{f.actual}") if x))
    if f.related:
        out.append("    涉及：" + "；".join(_related(r) for r in f.related))
    return "\n".join(out)


def _place(f: Finding) -> str:
    """file:line:column, as far as known; a workbook's file and cell: 2016.xlsx 生育关怀!C12."""
    place = ":".join(str(x) for x in (f.file, f.line, f.column) if x is not None)
    return f"{place} {f.cell}".strip() if f.cell else place or "（无位置）"


def _related(r) -> str:
    """Another fact of a finding: where it is written, or that it was derived or left out."""
    if r.cell:
        return f"{r.file} {r.cell} {r.key}"
    return f"{r.file}:{r.line} {r.key}" if r.line else f"{r.key}（推算或未填写）"


def as_json(findings: list[Finding], silenced: list[Silenced]) -> str:
    """A JSON array of findings; silenced ones are included with ``suppressed: true`` and the reason."""
    items = [f.to_dict() for f in findings]
    items += [{**f.to_dict(), "suppressed": True, "reason": why.reason} for f, why in silenced]
    return json.dumps(items, ensure_ascii=False, indent=2)


def as_github(findings: list[Finding], silenced: list[Silenced]) -> str:
    """GitHub Actions workflow commands (::error/::warning/::notice), one per finding, then the summary."""
    command = {ERROR: "error", WARNING: "warning", INFO: "notice"}
    lines = []
    for f in findings:
        props = [f"file={_prop(f.file)}"] if f.file else []
        props += [f"line={f.line}"] if f.line else []
        props += [f"col={f.column}"] if f.column else []
        title = f"{f.code} {REGISTRY[f.code].title}" if f.code in REGISTRY else f.code
        props.append(f"title={_prop(title)}")
        lines.append(f"::{command[f.severity]} {','.join(props)}::{_data(_one_line(f))}")
    lines.append(summary(findings, silenced))
    return "\n".join(lines)


def _one_line(f: Finding) -> str:
    """The message (after its cell, in a workbook) with 应为/实为 and the other facts involved."""
    text = f"{f.cell}：{f.message}" if f.cell else f.message
    if f.expected or f.actual:
        text += "（" + "；".join(x for x in (f.expected and f"应为：{f.expected}", f.actual and f"实为：{f.actual}") if x) + "）"
    if f.related:
        text += "\n涉及：" + "；".join(_related(r) for r in f.related)
    return text


def _data(text: str) -> str:
    """Escape a workflow command's message (GitHub's rules: % CR LF)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    """Escape a workflow command's property value (also , and :)."""
    return _data(text).replace(":", "%3A").replace(",", "%2C")
