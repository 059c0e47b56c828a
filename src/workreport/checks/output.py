"""Findings as users read them: Chinese text grouped by file and section, JSON, or GitHub annotations.

Entry point: ``render(findings, silenced, fmt)``; ``exit_code(findings)`` says 1 when any is an error.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from . import ERROR, INFO, REGISTRY, SEVERITY_CN, WARNING, Finding
from .suppressions import Suppression

FORMATS = ("text", "json", "github")
Silenced = tuple[Finding, Suppression]


def render(findings: list[Finding], silenced: list[Silenced], fmt: str = "text", files: Iterable[str] = ()) -> str:
    """The findings in ``fmt`` (text, json or github); ``files`` are the files checked (named even when clean)."""
    if fmt == "json":
        return as_json(findings, silenced)
    if fmt == "github":
        return as_github(findings, silenced)
    return as_text(findings, silenced, list(files))


def exit_code(findings: Iterable[Finding]) -> int:
    """1 when any finding is an error, else 0 (warnings and infos pass)."""
    return 1 if any(f.severity == ERROR for f in findings) else 0


def summary(findings: list[Finding], silenced: list[Silenced]) -> str:
    """The closing line: how many errors, warnings, infos, and how many were silenced."""
    count = {s: sum(f.severity == s for f in findings) for s in (ERROR, WARNING, INFO)}
    line = f"{count[ERROR]} 个错误，{count[WARNING]} 个警告，{count[INFO]} 条提示"
    if silenced:
        line += f"；另有 {len(silenced)} 个问题已按“忽略”注释不报"
    return line


def as_text(findings: list[Finding], silenced: list[Silenced], files: list[str]) -> str:
    """Chinese text: each file, its findings grouped by section, then the summary line."""
    blocks = []
    order = list(dict.fromkeys([*files, *(f.file or "" for f in findings)]))
    for file in order:
        mine = [f for f in findings if (f.file or "") == file]
        if not mine:
            blocks.append(f"{file}：没有发现问题")
            continue
        lines = [f"{file}"]
        for section in dict.fromkeys(f.section or "全文" for f in mine):
            lines.append(f"【{section}】")
            lines += [_text_finding(f) for f in mine if (f.section or "全文") == section]
        blocks.append("\n".join(lines))
    for found, why in silenced:
        blocks.append(f"已忽略：{_place(found)} [{found.code}] {found.message}（原因：{why.reason}）")
    blocks.append(summary(findings, silenced))
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
