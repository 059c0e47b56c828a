"""The page: the form drawn by Jinja macros from the schema, and the findings as the page's script shows them.

Entry points: ``render_page(document, token)`` for the whole page, ``findings_json(document,
evaluation)`` for what the script puts beside the fields after each change.
"""

from __future__ import annotations

import functools

from ..checks import SEVERITY_CN
from ..facts import display_path
from .document import Evaluation, FactsDocument
from .downloads import soffice


@functools.cache
def _environment():
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    return Environment(loader=PackageLoader("workreport.serve", "templates"), autoescape=select_autoescape(default=True),
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def render_page(document: FactsDocument, token: str) -> str:
    """The whole page for the facts file as it is on disk now."""
    return _environment().get_template("page.html").render(
        form=document.form(), token=token, version=document.version, file=display_path(document.path),
        title=document.kind.schema.get("title", "事实"), pdf=soffice() is not None)


def findings_json(document: FactsDocument, evaluation: Evaluation) -> dict:
    """The findings for the page (each with the fields it names), and the schema's refusals likewise."""
    own = display_path(document.path)
    items = [{"code": "", "severity": "error", "label": SEVERITY_CN["error"], "message": p.message, "keys": [p.key or ""],
              "where": ""} for p in evaluation.problems]
    for f in evaluation.findings:
        keys = [f.key or ""] if f.file in (None, own) else []
        keys += [r.key for r in f.related if r.file in (None, own) and r.key not in keys]
        items.append({"code": f.code, "severity": f.severity, "label": SEVERITY_CN.get(f.severity, f.severity),
                      "message": f.message, "keys": keys, "where": "" if f.file == own else _where(f.file, f.line)})
    counts = {s: sum(1 for i in items if i["severity"] == s) for s in ("error", "warning", "info")}
    summary = "没有发现问题" if not items else "，".join(f"{SEVERITY_CN[s]} {n} 处" for s, n in counts.items() if n)
    return {"findings": items, "summary": summary}


def preview_json(evaluation: Evaluation) -> dict:
    """The report's preview; asked for after the findings are on screen, so that they come first."""
    from .preview import preview_html

    if evaluation.facts is None:
        return {"preview": '<p class="note">有不符合要求的值（见页面顶部），改正后这里显示报告。</p>'}
    return {"preview": str(preview_html(evaluation.facts, evaluation.context))}


def _where(file: str | None, line: int | None) -> str:
    return f"{file}:{line}" if file and line else (file or "")
