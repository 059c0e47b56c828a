"""Template lint (WR8xx): what a paragraph template must not hold, and what it must not name.

Entry point: ``lint_templates(kind)`` checks every ``text/*.j2`` of a report kind.  A template
is reused year after year, so its literal text (outside ``{{ }}`` and ``{% %}``, and quoted
strings inside them) must not contain a year, an anniversary, a count or an amount: those
come from the facts or are derived.  Its ``{{ x.y }}`` references must name keys the kind's
schema defines, or the report breaks the first year a fact is written.

The checks are registered like the facts checks (``workreport explain WR801``) but take one
``Template`` instead of ``(facts, ctx)``; ``run_checks`` leaves them out because this module
is not in ``FAMILIES``.

What counts as a figure in literal text (decided here, documented in ``explain``):

- any Arabic digit (2015年, 06年, 35周年, 8户, 10万元, 90%, 5.29);
- Chinese numerals written as a year (二〇一六年, 〇六年) or before 周年;
- Chinese numerals before a measure word or unit (六项, 九年来, 八大基地, 三十万元).

Not figures: ordinals (一是, 二是, 首先, 第三), fixed terms whose numeral is not followed by
a measure word (三融入, 六有, 五到位, 两提高, 十三五), the article 一 alone (一年来, 一系列,
一项工作), numerals made only of 百/千/万 (千家万户, 百姓), and the political fixed terms in
``FIXED_TERMS`` (四个全面 …).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import msgspec

from ..facts import Path_, display_path, dotted
from ..kind import DEFAULT_KIND, Kind, load_kind
from ..rules.needs import CHANGES, ORDINALS, chain
from ..rules.relations import PREVIOUS
from ..schema import is_figure, schema_at
from . import ERROR, REGISTRY, Check, Finding, check

CN_DIGIT = "〇零一二两三四五六七八九"
CN_NUMERAL = CN_DIGIT + "十百千万亿"
MEASURE_WORDS = "户项个家名人次条所期届批座处类种件大位场篇份本支村乡镇倍成天月岁套台辆间"  # and 年, not in N年计划
FIXED_TERMS = ("三个代表", "四个全面", "五位一体", "四个意识", "四个自信", "两个维护", "两个确保", "三严三实", "四个服务")
FIGURE_ATTRIBUTES = ("value", "exact", "unit", "low", "high")  # what a template may ask of a figure (quantity.Quantity)
# Names a template may use that are not facts: Jinja's own and the ones assemble.py adds.
NOT_FACTS = {ORDINALS, "loop", "caller", "varargs", "kwargs", "self", "super", "range", "dict", "lipsum", "cycler", "joiner", "namespace"}

_NUM = rf"(?:\d+(?:\.\d+)?|[{CN_NUMERAL}]+)"
PATTERN_SOURCES = (  # (code, regex): earlier patterns win where matches overlap
    ("WR802", rf"{_NUM}\s*周年"),
    ("WR801", rf"(?<![\d.])(?:\d{{4}}|0\d|[{CN_DIGIT}]{{4}}|[〇零][{CN_DIGIT}])\s*年(?![计规])"),
    ("WR804", rf"(?:约|近)?{_NUM}\s*(?:多|余)?\s*(?:(?:万|亿)\s*(?:多|余)?\s*元?|元|%|％|个百分点)|百分之[{CN_NUMERAL}]+"),
    ("WR803", rf"(?<!第){_NUM}\s*(?:多|余)?\s*(?:年(?![计规])|[{MEASURE_WORDS}])"),
    ("WR803", r"\d+(?:\.\d+)?"),
)


@functools.cache
def patterns() -> tuple[tuple[str, re.Pattern], ...]:
    """PATTERN_SOURCES compiled, once, when a template is first read: a check of facts alone never needs them."""
    return tuple((code, re.compile(source)) for code, source in PATTERN_SOURCES)


ADVICE = {
    "WR801": "年份每年都变：请用 {{ 年度 }}，或事实文件中的年份（如 {{ 少生快富.开始年份 }}）",
    "WR802": "周年数每年都变：请在事实文件写“庆祝成立周年”，模板用 {{ 宣传.周年数 | 数 }}周年（由成立年份推算）",
    "WR803": "数量要写进事实文件再由模板引用（如 {{ 亲情关爱.新增户数 }}），年数、条数由程序推算（如 {{ 少生快富.开展年数 | 中文 }}年来）",
    "WR804": "金额和比例要写进事实文件再由模板引用（如 {{ 亲情关爱.项目资金.金额 }}）",
}


class Template(msgspec.Struct, frozen=True):
    """One paragraph template of a kind, and the outline section whose keys its context merges in."""

    kind: Kind
    name: str
    path: Path
    text: str
    section: str | None


def lint_templates(kind: Kind | str = DEFAULT_KIND) -> list[Finding]:
    """Every template finding of a report kind (a Kind or its name), in file and line order."""
    kind = load_kind(kind) if isinstance(kind, str) else kind
    findings: list[Finding] = []
    for template in templates_of(kind):
        for item in template_checks():
            findings.extend(item.run(template))
    return sorted(findings, key=lambda f: (f.file or "", f.line or 0, f.column or 0, f.code))


def template_checks() -> list[Check]:
    """The registered checks of this module, in code order."""
    return [item for code, item in sorted(REGISTRY.items()) if item.run.__module__ == __name__]


def templates_of(kind: Kind) -> list[Template]:
    """The kind's .j2 files, each with its outline section (the closing and includes have none)."""
    sections = {s["template"]: s["id"] for s in kind.outline.get("sections", [])}
    from ..render.text import template_text

    return [Template(kind, path.name, path, template_text(kind.text_folder, path), sections.get(path.name))
            for path in sorted(kind.text_folder.glob("*.j2"))]


# --- literal figures ------------------------------------------------------------------------

@check("WR801", ERROR, "模板中写死了年份")
def literal_year(template: Template) -> Iterable[Finding]:
    """模板的固定文字中写死了年份。

    模板年年沿用，写在模板里的“2015年”“06年”“二〇一六年”到了下一年就错了（参考报告中的
    “2015年我们争取项目资金10万元”就是这样留下来的）。
    改正：年份用 {{ 年度 }}，或引用事实文件中的年份（{{ 项目资金.年份 }}、{{ 开始年份 }}）。
    """
    return _literal_findings(template, "WR801")


@check("WR802", ERROR, "模板中写死了周年数")
def literal_anniversary(template: Template) -> Iterable[Finding]:
    """模板的固定文字中写死了周年数。

    “成立35周年”只在一年里是对的：参考报告 2016 年还在庆祝中国计生协会成立35周年
    （1980 年成立，2016 年是36周年）。
    改正：事实文件写“庆祝成立周年: 中国计生协会”，模板写 {{ 宣传.周年数 | 数 }}周年，周年数由纪年表推算。
    """
    return _literal_findings(template, "WR802")


@check("WR803", ERROR, "模板中写死了数量")
def literal_count(template: Template) -> Iterable[Finding]:
    """模板的固定文字中写死了数量（数字加量词，或任何阿拉伯数字）。

    如“8户”“六项”“九年来”“八大基地”：这些数字每年都变，或应由列表推算。
    不算数量的：序号（一是、其次、第三）、数字后面不是量词的固定说法（三融入、六有、五到位、
    两提高、十三五）、单独的“一”（一年来、一系列、一项工作）、只由百千万组成的词（千家万户）。
    改正：把数字写进事实文件，模板引用它；条数用列表推算，年数用“开始年份”推算。
    """
    return _literal_findings(template, "WR803")


@check("WR804", ERROR, "模板中写死了金额或比例")
def literal_amount(template: Template) -> Iterable[Finding]:
    """模板的固定文字中写死了金额或比例，如“10万元”“50余万”“90%”“三十万元”。

    改正：把金额、比例写进事实文件（可写 35万元、50余万元、90%），模板引用它。
    """
    return _literal_findings(template, "WR804")


def _literal_findings(template: Template, code: str) -> Iterator[Finding]:
    for line, column, text, found in literal_figures(template):
        if found == code:
            yield _finding(template, code, line, column, f"模板的文字中写死了“{text}”；{ADVICE[code]}", actual=text)


def literal_figures(template: Template) -> list[tuple[int, int, str, str]]:
    """(line, column, text, code) of every figure in the template's literal text and string constants."""
    out = []
    for line, column, text in _literal_pieces(template):
        taken: list[tuple[int, int]] = []
        masked = _mask_fixed_terms(text)
        for code, pattern in patterns():
            for match in pattern.finditer(masked):
                span = match.span()
                if any(span[0] < end and start < span[1] for start, end in taken) or _not_a_figure(masked, match):
                    continue
                taken.append(span)
                row, col = _position(text, span[0], line, column)
                out.append((row, col, match.group().strip(), code))
    return out


def _mask_fixed_terms(text: str) -> str:
    """The text with the fixed terms blanked out (same length, so positions stay)."""
    for term in FIXED_TERMS:
        text = text.replace(term, "　" * len(term))
    return text


def _not_a_figure(text: str, match: re.Match) -> bool:
    """Chinese numerals that are words, not figures: the article 一, runs of only 百/千/万/亿."""
    numerals = re.match(rf"(?:约|近)?([{CN_NUMERAL}]+)", match.group())
    if not numerals or re.match(r"\d|百分之", match.group()):
        return False
    run = numerals.group(1)
    start = match.start() + numerals.start(1)
    before = text[start - 1] if start > 0 else ""
    if before in CN_NUMERAL:  # the run is the tail of a longer word (千家万户: 万户)
        return True
    return run == "一" or not any(ch in CN_DIGIT + "十" for ch in run)


def _literal_pieces(template: Template) -> Iterator[tuple[int, int, str]]:
    """(line, column, text) of the template's literal text and of the string constants in its tags."""
    from jinja2 import TemplateSyntaxError

    env = _environment(template)
    line, column = 1, 1
    try:
        for lineno, token, value in env.lex(template.text, template.name):
            if lineno != line:
                line, column = lineno, 1
            if token == "data" or (token == "string" and not value.strip("\"'").endswith(".j2")):  # a template's own file name is no prose
                yield line, column, value
            if "\n" in value:
                line, column = line + value.count("\n"), len(value.rsplit("\n", 1)[1]) + 1
            else:
                column += len(value)
    except TemplateSyntaxError:
        return  # WR806 reports it


def _position(text: str, offset: int, line: int, column: int) -> tuple[int, int]:
    """Line and column of ``offset`` into a piece of text that starts at (line, column)."""
    before = text[:offset]
    if "\n" not in before:
        return line, column + offset
    return line + before.count("\n"), len(before.rsplit("\n", 1)[1]) + 1


# --- references -----------------------------------------------------------------------------

@check("WR805", ERROR, "模板引用了事实文件格式中没有的键")
def unknown_reference(template: Template) -> Iterable[Finding]:
    """模板引用了事实文件格式（schema.json）中没有定义的键。

    模板中的 {{ 亲情关爱.现有户数 }} 这类名字必须是 schema.json 定义的键（推算的数字用
    x-derived 定义）；各部分的模板还可以直接用本部分的键（如 生育关怀.j2 中的 亲情关爱），
    以及 上年.…（上一年度的事实）、变化.…（与上年相比，用 | 比上年 写成文字）、序号()。
    写错的键在今年的事实文件里恰好没有这一项时不会出错，等哪一年写了才发现，所以在这里检查。
    改正：改成 schema.json 中的键名，或先在 schema.json 中定义这个键。
    """
    tree = _parse(template)
    if tree is None:
        return []
    return [_finding(template, "WR805", line, None, message, actual=shown) for line, shown, message in _unknown(tree, template)]


@check("WR806", ERROR, "模板无法解析")
def syntax_error(template: Template) -> Iterable[Finding]:
    """模板有 Jinja2 语法错误，无法生成文字。

    常见原因：{% if %} 没有对应的 {% endif %}，{{ 或 }} 不成对，名字中有空格。
    改正：按提示的行号修改模板。
    """
    from jinja2 import TemplateSyntaxError

    try:
        _environment(template).parse(template.text, template.name)
    except TemplateSyntaxError as exc:
        return [_finding(template, "WR806", exc.lineno, None, f"模板语法错误：{exc.message}")]
    return []


def _parse(template: Template) -> Any:
    from jinja2 import TemplateSyntaxError

    try:
        return _environment(template).parse(template.text, template.name)
    except TemplateSyntaxError:
        return None


def _unknown(tree: Any, template: Template) -> list[tuple[int, str, str]]:
    """(line, name, message) of every reference the schema does not define."""
    out: list[tuple[int, str, str]] = []
    _visit(tree, {}, template, out)
    return out


def _visit(node: Any, scope: dict[str, Path_ | None], template: Template, out: list) -> None:
    """Walk the template tree; ``scope`` maps names set in the template to the fact they stand for."""
    from jinja2 import nodes

    if isinstance(node, nodes.For):
        _visit(node.iter, scope, template, out)
        inner = dict(scope)
        source = _resolve(node.iter, scope, template)
        _bind(node.target, (*source, "*") if source is not None else None, inner)
        for child in [node.test, *node.body]:
            if child is not None:
                _visit(child, inner, template, out)
        for child in node.else_:
            _visit(child, scope, template, out)
        return
    if isinstance(node, nodes.Macro):
        scope[node.name] = None  # the macro itself: callable, not a fact
        inner = dict(scope)
        for arg in node.args:
            inner[arg.name] = None  # a macro argument is whatever the caller passes
        for child in [*node.defaults, *node.body]:
            _visit(child, inner, template, out)
        return
    if isinstance(node, (nodes.FromImport, nodes.Import)):  # macros of another template: callables, not facts
        names = [node.target] if isinstance(node, nodes.Import) else [n if isinstance(n, str) else n[1] for n in node.names]
        scope.update(dict.fromkeys(names))
        return
    if isinstance(node, nodes.Assign):
        _visit(node.node, scope, template, out)
        _bind(node.target, _resolve(node.node, scope, template), scope)
        return
    if isinstance(node, (nodes.Name, nodes.Getattr, nodes.Getitem)):
        _check_chain(node, scope, template, out)
        return
    for child in node.iter_child_nodes():
        _visit(child, scope, template, out)


def _resolve(expression: Any, scope: dict, template: Template) -> Path_ | None:
    """The fact an expression stands for ({% set 协会 = 流动人口协会 %}), or None when it is not one."""
    from jinja2 import nodes

    base, steps, _ = chain(expression)
    if not isinstance(base, nodes.Name) or None in steps:
        return None
    if base.name in scope:
        start = scope[base.name]
    elif base.name == PREVIOUS:
        start = ()
    elif base.name in NOT_FACTS or base.name == CHANGES:
        return None
    else:
        start = _value_path(base.name, template)
    return None if start is None else (*start, *steps)


def _bind(target: Any, path: Path_ | None, scope: dict) -> None:
    from jinja2 import nodes

    for name in target.find_all(nodes.Name) if not isinstance(target, nodes.Name) else [target]:
        scope[name.name] = path if isinstance(target, nodes.Name) else None


def _check_chain(node: Any, scope: dict, template: Template, out: list) -> None:
    """Check one reference; report the first step the schema does not define."""
    from jinja2 import nodes

    base, steps, computed = chain(node)
    for expression in computed:
        _visit(expression, scope, template, out)
    if not isinstance(base, nodes.Name):
        _visit(base, scope, template, out)
        return
    problem = _lookup(base.name, steps, scope, template)
    if problem is not None:
        shown, message = problem
        out.append((node.lineno, shown, f"“{shown}”：{message}"))


def _lookup(name: str, steps: list, scope: dict, template: Template) -> tuple[str, str] | None:
    """None when the reference is defined (or cannot be checked); else (the reference up to the bad step, why)."""
    if name in scope:
        return None if scope[name] is None else _walk(name, scope[name], steps, template)
    if name in NOT_FACTS:
        return None
    if name == PREVIOUS:
        return _walk(name, (), steps, template)
    if name == CHANGES:
        if not steps or steps[0] is None:
            return None
        start = _value_path(steps[0], template)
        if start is None:
            return f"{name}.{steps[0]}", f"事实文件格式（schema.json）中没有“{steps[0]}”{_choices((), template, steps[0], template.section)}"
        return _walk(f"{name}.{steps[0]}", start, steps[1:], template)
    start = _value_path(name, template)
    if start is None:
        return name, f"事实文件格式（schema.json）中没有这个键{_choices((), template, name, template.section)}"
    return _walk(name, start, steps, template)


def _value_path(name: str, template: Template) -> Path_ | None:
    """Where a bare name points in the facts: the section's key, or a top-level key."""
    schema = template.kind.schema
    if template.section and schema_at(schema, (template.section, name)) is not None:
        return (template.section, name)
    if schema_at(schema, (name,)) is not None:
        return (name,)
    return None


def _walk(shown: str, start: Path_, steps: list, template: Template) -> tuple[str, str] | None:
    """Follow ``steps`` from ``start`` through the schema; the first undefined step, with a message."""
    path = tuple(start)
    for step in steps:
        if step is None:
            return None
        if step in FIGURE_ATTRIBUTES and _is_figure(template.kind.schema, path):
            return None  # a figure's own property ({% if 计划生育率.exact and 计划生育率.value == 100 %}), not a key
        path = (*path, step)
        shown += f".{step}" if step != "*" else "[*]"
        if schema_at(template.kind.schema, path) is None:
            return shown, f"事实文件格式（schema.json）中 {dotted(path[:-1]) or '最外层'} 下没有“{step}”{_choices(path[:-1], template, step)}"
    return None


def _is_figure(schema: dict, path: Path_) -> bool:
    """Whether the fact at ``path`` is a figure (a Quantity in the templates)."""
    return is_figure(schema_at(schema, path) or {})


def _choices(path: Path_, template: Template, wrong: str, section: str | None = None) -> str:
    """The key most likely meant instead of ``wrong`` at ``path`` (or in ``section``), else all of them."""
    import difflib

    keys = list((schema_at(template.kind.schema, path) or {}).get("properties", {}))
    if section:
        keys = list((schema_at(template.kind.schema, (section,)) or {}).get("properties", {})) + keys
    close = difflib.get_close_matches(str(wrong), keys, n=1, cutoff=0.4)
    if close:
        return f"，您是否想写“{close[0]}”？"
    return f"；这里可以用：{'、'.join(keys)}" if keys else ""


def _environment(template: Template):
    from ..render.text import environment

    return environment(template.kind.text_folder)


def _finding(template: Template, code: str, line: int | None, column: int | None, message: str, actual: str | None = None) -> Finding:
    lines = template.text.splitlines()
    excerpt = lines[line - 1].strip() if line and 0 < line <= len(lines) else None
    return Finding(code=code, severity=REGISTRY[code].severity, message=message, file=display_path(template.path),
                   line=line, column=column, section=template.section, excerpt=excerpt, actual=actual)
