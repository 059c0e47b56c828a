"""What the paragraph templates may look up in the facts, read once from their text: enough to tell, without Jinja,
that a facts file lacks nothing the report needs.

``check`` must refuse what ``build`` cannot render (WR002), and the sure way to know is to write the report ahead
(``assemble.trial_assembly``), which costs Jinja: a third of a cold check.  This module reads the templates once
(with Jinja, the result kept in the cache folder by their text) into a list of *lookups*: each fact path a template
may look up, under the conditions (``{% if … is defined %}``, loops, macros) in which it does.  ``nothing_missing``
then answers, for one file's figures, whether every lookup that may run finds its fact.  When it cannot show that
(a fact the templates use is absent, or a template does something this reading does not follow), the answer is
"not known" and the trial assembly decides, as before: this is a short cut that is never taken wrongly, not a
second judge.

A lookup fails only where the renderer's undefined fails with a missing fact (``render.text``): a name not in the
template's context, or a key a mapping lacks.  A step on anything that is not a mapping (a figure's ``value``, a
list's method) cannot be a missing fact, so a lookup stops there.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import msgspec

from ..facts import Path_

ORDINALS = "序号"  # the one callable assembly puts in a section's context: its sub-item ordinals
CHANGES = "变化"  # this year against last, which assembly puts in every template's context (beside 上年)
# Filters that look nothing up and give a string or a number (join: without an attribute, given by keyword or second).
STRING_FILTERS = frozenset({
    "列举", "数", "中文", "引号", "书名号", "比上年", "join", "length", "count", "string", "trim", "round", "abs", "replace",
    "lower", "upper", "e", "escape", "safe", "center", "indent", "truncate", "title", "capitalize", "wordcount"})
ARGUMENT_FILTERS = frozenset({"int", "float"})  # give a number, or their default argument where conversion fails
# Filters that give items as they are, with the most positional arguments that are not an attribute to look up.
ITEM_FILTERS = {"first": 0, "last": 0, "list": 0, "reverse": 0, "batch": 2, "slice": 2, "sort": 2, "unique": 1}
OPTIONAL_FILTERS = frozenset({"default", "d"})  # give a value for an undefined operand: its last step may be missing
GLOBALS = frozenset({"range", "namespace", "cycler", "joiner", "lipsum", "dict"})  # Jinja's, where the context has none
OWN_NAMES = frozenset({"self"})  # Jinja's whatever the context holds: the template itself
READ_ONLY_DICT_METHODS = frozenset({"items", "keys", "values", "get", "copy"})
DICT_ATTRIBUTES = frozenset(dir(dict))  # x.items on a mapping is its method (the renderer tries attributes first)
LOOP_VALUES = frozenset({"index", "index0", "revindex", "revindex0", "first", "last", "length", "depth", "depth0"})
MAX_MACRO_DEPTH = 8

# A condition on the facts: ("def", path) — the path is defined; ("not", c), ("and", c, c), ("or", c, c); ("?",) unknown.
UNKNOWN: tuple = ("?",)
# A lookup: (conditions that all hold when it runs, path).  A path step is a key, or an int: the current item of that
# loop (``loops[i]`` is the path the loop runs over).  A path starting with NEVER (then the loops it is inside) is
# something the reading does not follow: a file where it may run is not shown to lack nothing.
NEVER = "!"


class _Binding(msgspec.Struct):
    """What a name or an expression stands for, as far as missing facts go:

    - ``path``: a fact path (``exact``: the expression is that fact; not exact: that fact or a default for it);
    - ``plain``: strings, numbers, booleans or lists of them, which hold no mapping a lookup could miss a key of;
    - ``loop``, ``method`` (a mapping's read-only method), ``macro``, ``namespace``, ``global`` (range, dict …);
    - ``opaque``: anything else; a lookup in it, a loop over it, or a call of it is not followed.
    """

    kind: str
    path: tuple = ()
    exact: bool = True
    macro: Any = None


PLAIN, OPAQUE, LOOP, METHOD, NAMESPACE = (_Binding(k) for k in ("plain", "opaque", "loop", "method", "namespace"))


def _path(path: Path_, exact: bool = True) -> _Binding:
    return _Binding("path", tuple(path), exact)


class _Reader:
    """One template read into lookups: a walk of its Jinja tree that keeps, for each name, what it stands for."""

    def __init__(self, env: Any, tree: Any):
        self.env = env
        self.assigned = _assigned_names(tree)
        self.lookups: list[tuple] = []
        self.loops: list[Path_] = []
        self.inside: tuple[int, ...] = ()  # the loops (by number) around the node being read
        self.depth = 0

    def need(self, when: tuple, path: Path_) -> None:
        self.lookups.append((when, path))

    def never(self, when: tuple) -> None:
        self.lookups.append((when, (NEVER, *self.inside)))

    # --- statements -----------------------------------------------------------------------------------------
    def body(self, nodes_: list, scope: dict, when: tuple) -> None:
        for node in nodes_:
            self.statement(node, scope, when)

    def statement(self, node: Any, scope: dict, when: tuple) -> None:
        from jinja2 import nodes

        if isinstance(node, nodes.Output):
            for child in node.nodes:
                self.expr(child, scope, when)
        elif isinstance(node, nodes.If):
            self._if(node, scope, when)
        elif isinstance(node, nodes.For):
            self._for(node, scope, when)
        elif isinstance(node, nodes.Assign):
            self._assign(node, scope, when)
        elif isinstance(node, nodes.AssignBlock) and isinstance(node.target, nodes.Name) and node.filter is None:
            self.body(node.body, scope, when)
            scope[node.target.name] = PLAIN  # the text the block wrote
        elif isinstance(node, nodes.Macro):
            scope[node.name] = _Binding("macro", macro=node)
        elif isinstance(node, nodes.FromImport):
            self._from_import(node, scope, when)
        elif not isinstance(node, (nodes.Break, nodes.Continue)):  # include, import, call blocks, with, blocks, extends
            self.never(when)

    def _if(self, node: Any, scope: dict, when: tuple) -> None:
        branches, before = [], when
        for test, body in [(node.test, node.body), *[(e.test, e.body) for e in node.elif_]]:
            self.expr(test, scope, before)
            condition = self.condition(test, scope)
            inner = dict(scope)
            self.body(body, inner, (*before, condition))
            branches.append(inner)
            before = (*before, ("not", condition))
        inner = dict(scope)
        self.body(node.else_, inner, before)
        branches.append(inner)
        for name in set().union(*branches):
            bound = [branch.get(name) for branch in branches]
            if None in bound:  # set in some branches only: read later, it may be unset (see _name)
                scope.pop(name, None)
            else:  # set in every branch, to one thing or to different ones
                scope[name] = bound[0] if all(b == bound[0] for b in bound) else OPAQUE

    def _for(self, node: Any, scope: dict, when: tuple) -> None:
        from jinja2 import nodes

        source = self.expr(node.iter, scope, when)
        if node.recursive:
            self.never(when)
            return
        outside = self.inside
        if source.kind == "path":  # the items of a list of facts, or one item not followed (a mapping's keys …)
            self.loops.append(source.path)
            self.inside = (*outside, len(self.loops) - 1)
            item = _path((*source.path, len(self.loops) - 1))
        else:
            item = _plain_if_all([source])
        targets = dict(scope)
        if isinstance(node.target, nodes.Name):
            targets[node.target.name] = item
        else:  # for 名, 值 in …: parts of an item
            for name in node.target.find_all(nodes.Name):
                targets[name.name] = _plain_if_all([item])
        body_when = when
        if node.test is not None:  # for 目标 in 任务目标 if 目标.内容 is defined: the body runs for items that pass
            self.expr(node.test, targets, when)  # before this loop's own loop variable exists
            body_when = (*when, self.condition(node.test, targets))
        inner = dict(targets, loop=LOOP)
        self.body(node.body, inner, body_when)
        self.inside = outside
        self.body(node.else_, dict(scope), when)

    def _assign(self, node: Any, scope: dict, when: tuple) -> None:
        from jinja2 import nodes

        value = self.expr(node.node, scope, when)
        if isinstance(node.target, nodes.Name):
            scope[node.target.name] = value
        elif isinstance(node.target, nodes.NSRef):
            self._name(node.target.name, scope, when, optional=False)  # what a namespace holds is never trusted
        else:
            for name in node.target.find_all(nodes.Name):
                scope[name.name] = _plain_if_all([value])

    def _from_import(self, node: Any, scope: dict, when: tuple) -> None:
        """{% from "其他工作.j2" import 工作项目 %}: the macros of a template of the folder whose top level does
        nothing else (importing runs it, without the context); anything else is not followed."""
        from jinja2 import nodes

        name = _const_str(node.template)
        if name is None or not name.endswith(".j2"):  # the cache is keyed by the folder's .j2 files
            self.never(when)
            return
        tree = self.env.parse(self.env.loader.get_source(self.env, name)[0])
        if any(not isinstance(n, nodes.Macro) and not _only_text(n) for n in tree.body):
            self.never(when)
        macros = {m.name: m for m in tree.body if isinstance(m, nodes.Macro)}
        for entry in node.names:
            found, alias = (entry, entry) if isinstance(entry, str) else entry
            scope[alias] = _Binding("macro", macro=macros[found]) if found in macros else OPAQUE

    # --- expressions: each gives what its value stands for, and records the lookups it makes ----------------
    def expr(self, node: Any, scope: dict, when: tuple, optional: bool = False) -> _Binding:
        from jinja2 import nodes

        if isinstance(node, nodes.TemplateData):
            return PLAIN
        if isinstance(node, nodes.Const):
            return PLAIN if node.value is None or isinstance(node.value, (str, int, float, bool)) else OPAQUE
        if isinstance(node, nodes.Name):
            return self._name(node.name, scope, when, optional)
        if isinstance(node, nodes.Getattr):
            return self._step(node.node, node.attr, scope, when, optional, attribute=True)
        if isinstance(node, nodes.Getitem):
            if _const_str(node.arg) is not None:
                return self._step(node.node, node.arg.value, scope, when, optional, attribute=False)
            self.expr(node.arg, scope, when)
            if self.expr(node.node, scope, when).kind == "plain":
                return PLAIN  # a character of a string, an item of a list of strings
            self.never(when)  # an index or a computed key into facts
            return OPAQUE
        if isinstance(node, nodes.Filter):
            return self._filter(node, scope, when)
        if isinstance(node, nodes.Test):
            self.expr(node.node, scope, when, optional=node.name in ("defined", "undefined"))
            self._arguments(node, scope, when)
            return PLAIN
        if isinstance(node, nodes.Call):
            return self._call(node, scope, when)
        if isinstance(node, nodes.CondExpr):
            self.expr(node.test, scope, when)
            condition = self.condition(node.test, scope)
            sides = [self.expr(node.expr1, scope, (*when, condition))]
            if node.expr2 is not None:
                sides.append(self.expr(node.expr2, scope, (*when, ("not", condition))))
            return _plain_if_all(sides)
        if isinstance(node, (nodes.And, nodes.Or)):  # the right side runs only as the left side decides
            left = self.expr(node.left, scope, when)
            condition = self.condition(node.left, scope)
            right = self.expr(node.right, scope, (*when, condition if isinstance(node, nodes.And) else ("not", condition)))
            return _plain_if_all([left, right])  # and/or give one of their operands
        if isinstance(node, (nodes.Not, nodes.Compare, nodes.Concat)):
            for child in node.iter_child_nodes():
                self.expr(child, scope, when)
            return PLAIN  # a boolean, or a string (~)
        if isinstance(node, (nodes.BinExpr, nodes.UnaryExpr)):
            return _plain_if_all([self.expr(child, scope, when) for child in node.iter_child_nodes()])
        if isinstance(node, (nodes.MarkSafe, nodes.MarkSafeIfAutoescape, nodes.Operand)):
            return self.expr(node.expr, scope, when)
        if isinstance(node, nodes.Slice):
            return _plain_if_all([self.expr(child, scope, when) for child in node.iter_child_nodes()])
        if isinstance(node, (nodes.List, nodes.Tuple, nodes.Dict)):
            parts = [self.expr(child.value if isinstance(child, nodes.Pair) else child, scope, when) for child in node.items]
            for pair in node.items if isinstance(node, nodes.Dict) else ():
                self.expr(pair.key, scope, when)
            return PLAIN if not isinstance(node, nodes.Dict) and all(p.kind == "plain" for p in parts) else OPAQUE
        self.never(when)
        return OPAQUE

    def _name(self, name: str, scope: dict, when: tuple, optional: bool) -> _Binding:
        if name in scope:
            return scope[name]
        if name in OWN_NAMES:
            return OPAQUE
        if name in self.assigned:  # set somewhere in the template: Jinja may read its own (yet unset) variable, not the fact
            self.never(when)
            return OPAQUE
        if "" in scope:  # inside a macro: a name that is not an argument is not followed, but Jinja's own are there
            if name in GLOBALS:
                return _Binding("global", (name,))
            self.never(when)
            return OPAQUE
        if name in GLOBALS:  # Jinja's range …, unless the context has a fact of that name
            self.never((*when, ("def", (name,))))
            return _Binding("global", (name,))
        if not optional:
            self.need(when, (name,))
        return _path((name,))

    def _step(self, base: Any, key: str, scope: dict, when: tuple, optional: bool, attribute: bool) -> _Binding:
        owner = self.expr(base, scope, when)
        if owner.kind == "plain":
            return OPAQUE if key == "maketrans" else PLAIN  # a string's method (maketrans makes a mapping), a list's attribute
        if owner.kind == "loop" and key in LOOP_VALUES:
            return PLAIN
        if owner.kind == "namespace":
            return OPAQUE  # what a namespace holds is not followed
        if owner.kind != "path":
            self.never(when)
            return OPAQUE
        if attribute and key in DICT_ATTRIBUTES:  # a mapping's method (项.数字.items): not a key
            if key in READ_ONLY_DICT_METHODS:
                return METHOD
            self.never(when)  # one that changes the facts (update, pop …)
            return OPAQUE
        path = (*owner.path, key)
        if not optional:
            self.need(when, path)
        return _path(path, owner.exact)

    def _filter(self, node: Any, scope: dict, when: tuple) -> _Binding:
        arguments = self._arguments(node, scope, when)
        if node.dyn_args is not None or node.dyn_kwargs is not None:
            self.never(when)
            return OPAQUE
        if node.name in OPTIONAL_FILTERS:
            value = self.expr(node.node, scope, when, optional=True)
            # x | default([]) is x where x is defined, else nothing to look into: a loop over it runs over x's items
            # or none.  A default that may hold a mapping (default([甲]), default({})) is not followed.
            empty = all(_empty_literal(a) for a in node.args) and not node.kwargs
            if value.kind == "path" and empty:
                return _path(value.path, exact=False)
            return PLAIN if value.kind == "plain" and empty else OPAQUE
        source = self.expr(node.node, scope, when)
        keywords = {kw.key for kw in node.kwargs}
        if node.name == "map":
            return self._map(node, source, when)
        if node.name in STRING_FILTERS and "attribute" not in keywords and not (node.name == "join" and len(node.args) > 1):
            return PLAIN
        if node.name in ARGUMENT_FILTERS:
            return _plain_if_all(arguments)
        if node.name in ITEM_FILTERS and "attribute" not in keywords and len(node.args) <= ITEM_FILTERS[node.name]:
            return _plain_if_all([source, *arguments])  # batch and slice fill rows with their argument
        self.never(when)
        return OPAQUE

    def _map(self, node: Any, source: _Binding, when: tuple) -> _Binding:
        """``x | map(attribute='名称')``: a lookup of 名称 in every item of x; ``x | map('引号')``: a string filter on each."""
        if len(node.args) >= 1 and not node.kwargs and _const_str(node.args[0]) in STRING_FILTERS:
            return PLAIN
        key = _const_str(node.kwargs[0].value) if not node.args and len(node.kwargs) == 1 and node.kwargs[0].key == "attribute" else None
        if source.kind == "path" and key is not None and "." not in key:
            self.loops.append(source.path)
            self.need(when, (*source.path, len(self.loops) - 1, key))
            return OPAQUE  # the values found: they may be mappings
        self.never(when)
        return OPAQUE

    def _call(self, node: Any, scope: dict, when: tuple) -> _Binding:
        given = [self.expr(a, scope, when) for a in node.args]
        named = {kw.key: self.expr(kw.value, scope, when) for kw in node.kwargs}
        callee = self.expr(node.node, scope, when)
        plain = all(b.kind == "plain" for b in [*given, *named.values()])
        if node.dyn_args is not None or node.dyn_kwargs is not None:
            self.never(when)
            return OPAQUE
        if callee.kind == "macro":
            self._expand(callee.macro, given, named, when)
            return PLAIN
        if callee.kind == "method" or callee.kind == "path" and callee.path == (ORDINALS,):
            return OPAQUE  # 项.数字.items(), 序号()
        if plain and callee.kind == "plain":
            return PLAIN  # a string's split('=') …: nothing of the facts goes in
        if plain and callee.kind == "global":
            return NAMESPACE if callee.path == ("namespace",) else OPAQUE
        self.never(when)  # a call that may look facts up ('{0.乙}'.format(甲)) or change them (列表.append …)
        return OPAQUE

    def _expand(self, definition: Any, given: list, named: dict, when: tuple) -> None:
        """A macro's body read where it is called, its arguments standing for what the caller passed.

        What a macro finds by a name that is not an argument depends on where and how it was defined and imported
        (and on what the template set before the call), so such a name is not followed: ``""`` marks that scope."""
        if self.depth >= MAX_MACRO_DEPTH:
            self.never(when)
            return
        inner = {"": OPAQUE, "caller": OPAQUE, "varargs": OPAQUE, "kwargs": OPAQUE}
        names = [argument.name for argument in definition.args]
        defaults = dict(zip(names[len(names) - len(definition.defaults):], definition.defaults))
        for i, name in enumerate(names):
            if i < len(given):
                inner[name] = given[i]
            elif name in named:
                inner[name] = named[name]
            elif name in defaults:
                inner[name] = self.expr(defaults[name], inner, when)
            else:
                inner[name] = PLAIN  # left out: Jinja's undefined, not a missing fact
        self.depth += 1
        self.body(definition.body, inner, when)
        self.depth -= 1

    def _arguments(self, node: Any, scope: dict, when: tuple) -> list[_Binding]:
        """What a filter's or test's arguments stand for (their lookups recorded)."""
        given = [self.expr(argument, scope, when) for argument in [*node.args, *(kw.value for kw in node.kwargs)]]
        return given + [self.expr(extra, scope, when) for extra in (node.dyn_args, node.dyn_kwargs) if extra is not None]

    def condition(self, node: Any, scope: dict) -> tuple:
        """What a test says about the facts, as far as it can be told from the text: ``… is defined``, a fact's
        truth (true only where it is defined) and their combinations with and, or, not; anything else is unknown."""
        from jinja2 import nodes

        if isinstance(node, nodes.Test) and node.name in ("defined", "undefined") and not node.args:
            path = _path_of(node.node, scope, self.assigned)
            if path is None:
                return UNKNOWN
            return ("def", path) if node.name == "defined" else ("not", ("def", path))
        if isinstance(node, nodes.Not):
            return ("not", self.condition(node.node, scope))
        if isinstance(node, (nodes.And, nodes.Or)):
            return ("and" if isinstance(node, nodes.And) else "or", self.condition(node.left, scope), self.condition(node.right, scope))
        if isinstance(node, nodes.Filter) and node.name in OPTIONAL_FILTERS:
            if not _falsy_default(node):
                return UNKNOWN
            node = node.node  # {% if 项.数字 | default({}) %}: true only where 项.数字 is defined
        path = _path_of(node, scope, self.assigned)
        return UNKNOWN if path is None else ("and", ("def", path), UNKNOWN)


def _assigned_names(tree: Any) -> frozenset[str]:
    """Every name the template sets anywhere (set, for, macro, import, with): where one is read before its value is
    set in the same scope, or from a loop that sets it later, Jinja reads its own variable, not the context's fact."""
    from jinja2 import nodes

    names = {n.name for n in tree.find_all(nodes.Name) if n.ctx in ("store", "param")}
    names |= {n.name for n in tree.find_all(nodes.Macro)} | {n.target for n in tree.find_all(nodes.Import)}
    names |= {e if isinstance(e, str) else e[1] for n in tree.find_all(nodes.FromImport) for e in n.names}
    return frozenset(names)


def _plain_if_all(bindings: list[_Binding]) -> _Binding:
    return PLAIN if all(b.kind == "plain" for b in bindings) else OPAQUE


def _empty_literal(node: Any) -> bool:
    """An empty list, tuple or string, a number, a boolean or none: a default a loop runs over no item of
    (or fails on, which is no missing fact), and that holds no mapping."""
    from jinja2 import nodes

    if isinstance(node, (nodes.List, nodes.Tuple)):
        return not node.items
    return isinstance(node, nodes.Const) and (node.value is None or node.value == "" or isinstance(node.value, (int, float, bool)))


def _falsy_default(node: Any) -> bool:
    """``x | default(v)`` with a false ``v`` (none, '', 0, false, [], {}), or none given: true only where x is."""
    from jinja2 import nodes

    given = node.args[0] if node.args else next((kw.value for kw in node.kwargs if kw.key == "default_value"), None)
    if given is None:
        return True
    if isinstance(given, (nodes.List, nodes.Tuple, nodes.Dict)):
        return not given.items
    return isinstance(given, nodes.Const) and not given.value


def _only_text(node: Any) -> bool:
    from jinja2 import nodes

    return isinstance(node, nodes.Output) and all(isinstance(child, nodes.TemplateData) for child in node.nodes)


def _const_str(node: Any) -> str | None:
    from jinja2 import nodes

    return node.value if isinstance(node, nodes.Const) and isinstance(node.value, str) else None


def chain(node: Any) -> tuple[Any, list, list]:
    """An attribute chain: its base, its steps and its computed indexes.

    亲情关爱.项目资金.金额 → (Name 亲情关爱, [项目资金, 金额], []); a computed index is the step None.
    """
    from jinja2 import nodes

    steps: list = []
    computed: list = []
    while isinstance(node, (nodes.Getattr, nodes.Getitem)):
        if isinstance(node, nodes.Getattr):
            steps.append(node.attr)
        elif isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, (str, int)):
            steps.append("*" if isinstance(node.arg.value, int) else node.arg.value)
        else:
            steps.append(None)
            computed.append(node.arg)
        node = node.node
    return node, list(reversed(steps)), computed


def _path_of(node: Any, scope: dict, assigned: frozenset[str]) -> Path_ | None:
    """The fact path an expression is exactly (a name or a chain of keys), or None: not a key where a step is an index,
    computed, or a mapping's method's name (x.items is the method; x['items'] too where the key is missing)."""
    from jinja2 import nodes

    base, steps, computed = chain(node)
    if not isinstance(base, nodes.Name) or computed or any(s == "*" or s in DICT_ATTRIBUTES for s in steps):
        return None
    bound = scope.get(base.name)
    if bound is None:
        unfollowed = "" in scope or base.name in GLOBALS or base.name in OWN_NAMES or base.name in assigned
        return None if unfollowed else (base.name, *steps)
    return (*bound.path, *steps) if bound.kind == "path" and bound.exact else None


def read_template(env: Any, name: str) -> dict:
    """The lookups of one template: {"lookups": [(conditions, path, the loops they are in)], "loops": [path]}
    (marshal data)."""
    tree = env.parse(env.loader.get_source(env, name)[0])
    reader = _Reader(env, tree)
    reader.body(tree.body, {}, ())
    return {"lookups": [(when, path, _loop_ids(when, path)) for when, path in reader.lookups], "loops": reader.loops}


def template_lookups(folder: Path, names: list[str]) -> dict[str, dict] | None:
    """The lookups of each of ``names`` in the kind's text folder, kept in the cache folder by the templates' text
    (and this module's); None when a template cannot be read (the trial assembly then reports it)."""
    from ..errors import WorkreportError
    from ..fsutil import cached
    from ..render.text import template_text

    folder = Path(folder)
    try:
        texts = {p.relative_to(folder).as_posix(): template_text(folder, p) for p in sorted(folder.rglob("*.j2"))}
        version = _reader_version()
    except (WorkreportError, OSError):  # an installation without sources cannot key the cache: not known
        return None
    if any(name not in texts for name in names):
        return None
    key = "\n\0".join([version, *(f"{n}\n{t}" for n, t in texts.items()), *names])
    if key not in _READ:
        try:
            _READ[key] = cached("needs", key, lambda: _read_all(folder, names))
        except Exception:  # noqa: BLE001 - a template Jinja cannot parse: the trial assembly reports it at its line
            return None
        while len(_READ) > 4:  # a page or a batch meets one kind's templates, edited now and then
            del _READ[next(iter(_READ))]
    return _READ[key]


_READ: dict[str, dict] = {}  # the lookups this process has loaded, by their key


@functools.cache
def _reader_version() -> str:
    """What the reading depends on besides the templates: this module, the environment it parses them with
    (render/text.py) and the Jinja that parses them (its __init__.py names its version)."""
    import importlib.util

    from ..render import text

    jinja = Path(importlib.util.find_spec("jinja2").origin)
    return "\n".join(Path(f).read_text(encoding="utf-8") for f in (__file__, text.__file__, jinja))


def _read_all(folder: Path, names: list[str]) -> dict[str, dict]:
    from ..render.text import environment

    env = environment(folder)
    return {name: read_template(env, name) for name in names}


# --- the answer for one file's figures ------------------------------------------------------------------------

_MISSING, _NOT_A_MAPPING, _UNKNOWN = object(), object(), object()
_PLAIN_ITEM, _UNKNOWN_ITEM = -1, -2  # a loop's item that is a key or a character; one reached past a non-mapping


def nothing_missing(lookups: dict, context: dict) -> bool:
    """Whether every lookup of ``lookups`` (one template's) that may run with ``context`` finds its fact."""
    loops = lookups["loops"]
    for when, path, ids in lookups["lookups"]:
        for binding in _bindings(ids, loops, context):
            if _holds(when, context, binding) is False:
                continue
            if path[0] == NEVER:
                return False
            found = _value(context, path, binding)
            if found is _MISSING or found is _UNKNOWN:
                return False
    return True


def _loop_ids(when: tuple, path: tuple) -> tuple[int, ...]:
    """The loops a lookup and its conditions name (by number, outer loops first)."""
    ids: set[int] = set()

    def collect(item: Any) -> None:
        if isinstance(item, int) and not isinstance(item, bool):
            ids.add(item)
        elif isinstance(item, tuple):
            for part in item:
                collect(part)

    collect(when)
    collect(path)
    return tuple(sorted(ids))


def _bindings(ids: tuple[int, ...], loops: list, context: dict, bound: dict | None = None) -> Iterator[dict]:
    """Every assignment of items to the loops ``ids`` (outer loops first).  A loop over a list runs over its items;
    over a mapping or a string, over keys or characters (one stands for all: none is a mapping); over what lies past
    a non-mapping, over items not known; over a missing fact or nothing iterable, not at all (the fact's own lookup,
    or an error that is not a missing fact, stops it)."""
    bound = bound or {}
    if not ids:
        yield bound
        return
    first, rest = ids[0], ids[1:]
    items = _value(context, loops[first], bound)
    if isinstance(items, (list, tuple)):
        indexes: Any = range(len(items))
    elif isinstance(items, (dict, str)):
        indexes = [_PLAIN_ITEM] if items else []
    else:
        indexes = [_UNKNOWN_ITEM] if items is _NOT_A_MAPPING or items is _UNKNOWN else []
    for index in indexes:
        yield from _bindings(rest, loops, context, {**bound, first: index})


def _value(context: dict, path: tuple, bound: dict) -> Any:
    """The value at ``path``; _MISSING where a mapping lacks a key; _NOT_A_MAPPING past anything else (a figure, a
    string, a key of a mapping looped over); _UNKNOWN past an item not known."""
    current: Any = context
    for step in path:
        if isinstance(step, int) and not isinstance(step, bool):
            index = bound[step]
            if index == _UNKNOWN_ITEM:
                return _UNKNOWN
            if index == _PLAIN_ITEM:
                return _NOT_A_MAPPING
            current = current[index]
        elif isinstance(current, dict):
            if step not in current:
                return _MISSING
            current = current[step]
        else:
            return _NOT_A_MAPPING
    return current


def _holds(when: tuple, context: dict, bound: dict) -> bool | None:
    """Whether all the conditions hold: True, False, or None when the text does not tell."""
    values = [_truth(condition, context, bound) for condition in when]
    if False in values:
        return False
    return True if all(values) else None


def _truth(condition: tuple, context: dict, bound: dict) -> bool | None:
    kind = condition[0]
    if kind == "def":
        value = _value(context, condition[1], bound)
        return None if value is _NOT_A_MAPPING or value is _UNKNOWN else value is not _MISSING
    if kind == "not":
        inner = _truth(condition[1], context, bound)
        return None if inner is None else not inner
    if kind in ("and", "or"):
        left, right = _truth(condition[1], context, bound), _truth(condition[2], context, bound)
        if kind == "and":
            return False if False in (left, right) else (True if left and right else None)
        return True if True in (left, right) else (False if left is False and right is False else None)
    return None

