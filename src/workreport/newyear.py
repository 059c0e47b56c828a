"""Roll a year's facts file over to the next year, keeping every comment, key order and quote.

Entry point: ``new_year(source, output=None, force=False)``.  What happens to each fact is
declared in the kind's schema with the ``x-new-year`` annotation, inherited by everything
below the annotated node unless a descendant says otherwise:

- ``keep``   the value stays (names, start and founding years, working principles);
- ``carry``  the value stays as the starting point: a stock (现有户数 — last year's closing,
             which the previous-year link also reads as this year's opening) or a cumulative
             figure (``x-cumulative`` without an annotation means ``carry``); staff update it;
- ``clear``  a flow or this year's event: replaced by the marker ``待填`` (a whole list too)
             so that ``check`` lists each one (WR001) until it is filled in;
- ``next``   a year becomes the new report year (年度, the 年份 of a dated figure) and a
             date moves into it (成文日期 2016-12-20 → 2017-12-20);
- ``source`` the 上年事实 link: points at the file the new year was made from.

A node without any annotation above it is cleared: a fact nobody classified is never
silently reused.  Derived figures (``x-derived``) are removed: the program computes them.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter
from pathlib import Path
from typing import Any

import msgspec

from . import facts as facts_module
from .errors import FactsError, Problem, TemplateError
from .facts import Path_, display_path, dotted
from .fsutil import atomic_write, refuse_existing
from .kind import load_kind
from .schema import UNFILLED, child_schema, resolve_ref, schema_at, validate
from .yamledit import dump, round_trip

KEEP, CARRY, CLEAR, NEXT, SOURCE, DERIVED = "keep", "carry", "clear", "next", "source", "derived"
POLICIES = (KEEP, CARRY, CLEAR, NEXT, SOURCE)
PREVIOUS_KEY = "上年事实"


class Rollover(msgspec.Struct):
    """What ``new_year`` wrote: the new file and the facts it marked, carried and removed."""

    source: Path
    output: Path
    year: int
    cleared: list[Path_] = msgspec.field(default_factory=list)
    carried: list[Path_] = msgspec.field(default_factory=list)
    removed: list[Path_] = msgspec.field(default_factory=list)
    positions: dict[Path_, tuple[int, int]] = msgspec.field(default_factory=dict)
    relaid: bool = False  # no known indentation writes the source back unchanged: the layout was normalised

    def line(self, path: Path_) -> int | None:
        """The line of ``path`` in the new file."""
        return self.positions.get(tuple(path), (None, None))[0]


def new_year(source: str | Path, output: str | Path | None = None, force: bool = False) -> Rollover:
    """Write next year's facts file from ``source``; refuse to overwrite unless ``force``."""
    source = Path(source)
    stored = facts_module.read_stored(source)  # its BOM and Windows or old Mac line ends stay
    raw = facts_module.parse(stored.text, source)
    kind = load_kind()
    facts = validate(raw, kind)
    _refuse_last_year(raw, kind, facts.year)
    target = Path(output) if output else source.parent / f"{facts.year + 1}.yaml"
    refuse_existing(target, force, inputs=[source])
    source_text = stored.lf
    yaml, tree, relaid = round_trip(source_text)
    result = Rollover(source=source, output=target, year=facts.year + 1, relaid=relaid)
    _roll(tree, kind.schema, kind.schema, CLEAR, (), result)
    _link_previous(tree, source, target, result)
    text = dump(yaml, tree)
    _refuse_lost_comments(source, source_text, text, {raw.where(path)[0] for path in result.removed})
    text = _next_year_header(text)  # after the comment check: the opening comment's year changes on purpose
    data, result.positions = facts_module.parse_yaml(text, target)
    _refuse_unusable(facts_module.RawFacts(target, data, result.positions, text), kind, source)
    atomic_write(target, lambda tmp: tmp.write_bytes(stored.encode(text)))
    return result


def _next_year_header(text: str) -> str:
    """The file's opening comment block with every year in it one later (2016 年工作总结 → 2017 年工作总结)."""
    import re

    lines = text.split("\n")
    for index, line in enumerate(lines):
        if line.strip() and not line.lstrip().startswith("#"):
            break
        if not line.lstrip().startswith("# yaml-language-server"):
            lines[index] = re.sub(r"(?<!\d)(19\d\d|20\d\d)(?!\d)", lambda m: str(int(m.group(1)) + 1), line)
    return "\n".join(lines)


def _refuse_last_year(raw: facts_module.RawFacts, kind, year: int) -> None:
    """Refuse to roll over into a year the schema does not accept: the new file could never be used."""
    latest = (schema_at(kind.schema, ("年度",)) or {}).get("maximum")
    if latest is not None and year + 1 > latest:
        raise FactsError(raw.problem(("年度",), f"年度 {year} 已是程序接受的最后一个年度（最大 {latest}），"
                                               f"无法生成 {year + 1} 年度的事实文件；请检查年度是否写错"))


def _refuse_unusable(written: facts_module.RawFacts, kind, source: Path) -> None:
    """Write nothing the tool would then reject: the new file must pass the same validation as any facts file."""
    try:
        validate(written, kind)
    except FactsError as exc:
        intro = Problem("由此生成的新年度文件无法通过检查，没有生成；请先改正原文件中的相应内容（见下）", file=display_path(source))
        raise FactsError([intro, *exc.problems]) from exc


def _refuse_lost_comments(source: Path, read: str, written: str, removed_lines: set[int]) -> None:
    """Refuse to write the new file when a comment of the source would be missing from it, naming its line.

    The comment at the end of a removed (derived) figure's line goes with it; the command says it removed it.

    ruamel keeps comments at the ends of lines and on lines of their own, but drops some it
    cannot attach to a value, such as one inside a bracket list (``[母亲节, # 五月``).
    """
    kept = Counter(text for _, text in comments(written))
    lost = []
    for line, text in comments(read):
        if line in removed_lines:
            continue
        if kept[text] > 0:
            kept[text] -= 1
        else:
            lost.append(Problem(f"这条注释（{text}）无法保留到新年度文件中，新文件没有生成；"
                                "请把它移到单独的一行或“键: 值”的行末（方括号、花括号中的注释和写在值之前的注释无法保留），然后再运行",
                                file=display_path(source), line=line))
    if lost:
        raise FactsError(lost)


def comments(text: str) -> list[tuple[int, str]]:
    """Every comment of a YAML text with its line: a ``#`` outside every value and key (whose spans the composer knows)."""
    from ruamel.yaml import YAML

    root = YAML(typ="safe", pure=True).compose(text)
    spans = sorted(_scalar_spans(root))
    found, position, span, line, counted = [], 0, 0, 1, 0
    while True:
        position = text.find("#", position)
        if position < 0:
            return found
        while span < len(spans) and spans[span][1] <= position:
            span += 1
        if span < len(spans) and spans[span][0] <= position:
            position = spans[span][1]
            continue
        end = text.find("\n", position)
        end = len(text) if end < 0 else end
        line, counted = line + text.count("\n", counted, position), position  # counted once: linear in the text
        found.append((line, text[position:end].rstrip()))
        position = end


def _scalar_spans(root) -> list[tuple[int, int]]:
    """The (start, end) character spans of every key and scalar value in a composed tree."""
    spans, stack, seen = [], [root] if root is not None else [], set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node.value, list):
            for item in node.value:
                stack.extend(item if isinstance(item, tuple) else (item,))
        else:
            spans.append((node.start_mark.index, node.end_mark.index))
    return spans


def policy_of(node: dict, root: dict, inherited: str) -> str:
    """What happens to a fact at the new year, from its schema node (see the module docstring)."""
    resolved = resolve_ref(node, root)
    if node.get("x-derived") or resolved.get("x-derived"):
        return DERIVED
    declared = node.get("x-new-year") or resolved.get("x-new-year")
    if declared:
        if declared not in POLICIES:
            raise TemplateError(Problem(f"schema.json 中 x-new-year 的值“{declared}”无效，应为 {'、'.join(POLICIES)} 之一"))
        return declared
    if resolved.get("x-cumulative"):
        return CARRY
    return inherited


def _roll(value: Any, node: dict, root: dict, inherited: str, path: Path_, result: Rollover,
          carried: frozenset[str] = frozenset()) -> Any:
    """Apply the policies to ``value`` (a ruamel node) in place; return its new value.

    ``carried`` names keys of this mapping that carry whatever the schema says: a node marked
    ``x-carried-by: 沿用`` (the figures of an own work item) carries the keys its sibling 沿用 lists.
    """
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    policy = policy_of(node, root, inherited)
    resolved = resolve_ref(node, root)
    if policy == CARRY and inherited != CARRY and path:
        result.carried.append(path)
    if isinstance(value, CommentedMap):
        for key in list(value):
            child = child_schema(resolved, str(key))
            if str(key) in carried:  # listed in 沿用: the value stays as the starting point
                result.carried.append((*path, str(key)))
                continue
            child_policy = policy_of(child, root, policy)
            if child_policy == DERIVED:
                _delete_key(value, key)
                result.removed.append((*path, str(key)))
            elif child_policy == CLEAR and isinstance(value[key], CommentedSeq):
                _clear_list(value, key)
                result.cleared.append((*path, str(key)))
            else:
                value[key] = _roll(value[key], child, root, policy, (*path, str(key)), result, _carried_keys(value, child, root))
        return value
    if isinstance(value, CommentedSeq):
        items = resolved.get("items", {})
        for index in range(len(value)):
            value[index] = _roll(value[index], items, root, policy, (*path, index), result)
        return value
    if policy == CLEAR:
        result.cleared.append(path)
        return UNFILLED
    if policy == NEXT:
        return _into_year(value, result.year, path)
    return value


def _carried_keys(parent: Any, node: dict, root: dict) -> frozenset[str]:
    """The keys of a node that carry because its sibling list (named by ``x-carried-by``) lists them."""
    sibling = resolve_ref(node, root).get("x-carried-by")
    listed = parent.get(sibling) if sibling and hasattr(parent, "get") else None
    return frozenset(str(name) for name in listed) if isinstance(listed, list) else frozenset()


def _into_year(value: Any, year: int, path: Path_) -> Any:
    """A year replaced by ``year``; a date moved into ``year`` (29 February becomes 28 February)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return year
    if isinstance(value, dt.date):
        return _with_year(value, year)
    if isinstance(value, str):
        try:
            moved = _with_year(dt.date.fromisoformat(value.strip()), year).isoformat()
        except ValueError:
            raise FactsError(Problem(f"“{value}”不是年份或日期，无法推到 {year} 年", key=dotted(path))) from None
        return type(value)(moved)  # keeps the quoting staff used
    return value


def _with_year(date: dt.date, year: int) -> dt.date:
    try:
        return date.replace(year=year)
    except ValueError:
        return date.replace(year=year, day=28)


def _link_previous(tree: Any, source: Path, target: Path, result: Rollover) -> None:
    """Make the new file find ``source`` as its previous year: by default, or through 上年事实."""
    relative = Path(os.path.relpath(source.resolve(), target.resolve().parent)).as_posix()
    default = target.parent / f"{result.year - 1}.yaml"
    if PREVIOUS_KEY in tree:
        tree[PREVIOUS_KEY] = relative
    elif not (default.exists() and default.resolve() == source.resolve()):
        tree.insert(list(tree).index("年度") + 1 if "年度" in tree else 0, PREVIOUS_KEY, relative)


# --- comments: keep the full-line comments and blank lines of whatever is removed -------------

def _comment_token(container: Any, key: Any):
    """The comment token that follows ``container[key]`` on its line (and the lines after it)."""
    from ruamel.yaml.comments import CommentedSeq

    entry = container.ca.items.get(key)
    if not entry:
        return None
    return entry[0] if isinstance(container, CommentedSeq) else entry[2]


def _following_lines(token) -> str:
    """The blank and comment lines after a node's own line, from its comment token."""
    if token is None or "\n" not in token.value:
        return ""
    return token.value.split("\n", 1)[1]


def _append_lines(container: Any, key: Any, lines: str) -> None:
    """Add full-line comments and blank lines after ``container[key]`` (or after its last descendant)."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.error import CommentMark
    from ruamel.yaml.tokens import CommentToken

    if not lines:
        return
    child = container[key]
    if isinstance(child, (CommentedMap, CommentedSeq)) and len(child):
        last = list(child)[-1] if isinstance(child, CommentedMap) else len(child) - 1
        _append_lines(child, last, lines)
        return
    token = _comment_token(container, key)
    if token is not None:
        token.value += lines
        return
    new = CommentToken("\n" + lines, CommentMark(0), None)
    slot = 0 if isinstance(container, CommentedSeq) else 2
    entry = container.ca.items.setdefault(key, [None, None, None, None])
    entry[slot] = new


def _delete_key(mapping: Any, key: Any) -> None:
    """Remove a key; the comment lines that followed it move to the key before it."""
    lines = _following_lines(_comment_token(mapping, key))
    keys = list(mapping)
    position = keys.index(key)
    del mapping[key]
    mapping.ca.items.pop(key, None)
    if position > 0:
        _append_lines(mapping, keys[position - 1], lines)


def _clear_list(mapping: Any, key: Any) -> None:
    """Replace a whole list by the marker; the comment lines between and after its items stay."""
    seq = mapping[key]
    lines = "".join(_following_lines(_comment_token(seq, i)) for i in range(len(seq)))
    mapping[key] = UNFILLED
    _append_lines(mapping, key, lines)
