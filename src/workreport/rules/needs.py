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

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..facts import Path_

ORDINALS = "序号"  # the one callable assembly puts in a section's context: its sub-item ordinals
STRING_FILTERS = frozenset({  # look nothing up in the facts (without attribute=) and give a string or a number
    "列举", "数", "中文", "引号", "书名号", "比上年", "join", "length", "count", "string", "trim", "round", "int", "float",
    "abs", "replace", "lower", "upper", "e", "escape", "safe", "format", "center", "indent", "truncate", "title",
    "capitalize", "wordcount"})
ITEM_FILTERS = frozenset({"first", "last", "list", "reverse", "batch", "slice"})  # give items: they may be mappings
OPTIONAL_FILTERS = frozenset({"default", "d"})  # give a value for an undefined operand: its last step may be missing
VALUE_GLOBALS = frozenset({"range", "namespace", "cycler", "joiner", "lipsum"})  # what they make is no mapping of facts
STRING_METHODS = frozenset(name for name in dir(str) if not name.startswith("_"))
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


class _Binding:
    """What a name or an expression stands for: a fact path, a value that is no mapping of facts, Jinja's loop
    object, a mapping's read-only method, a macro, or something not followed (opaque)."""

    __slots__ = ("kind", "path", "macro")

    def __init__(self, kind: str, path: Path_ = (), macro: Any = None):
        self.kind, self.path, self.macro = kind, path, macro

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Binding) and (self.kind, self.path, self.macro) == (other.kind, other.path, other.macro)


VALUE, OPAQUE, LOOP, METHOD = _Binding("value"), _Binding("opaque"), _Binding("loop"), _Binding("method")


class _Reader:
    """One template read into lookups: a walk of its Jinja tree that keeps, for each name, what it stands for."""

    def __init__(self, env: Any):
        self.env = env
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
            scope[node.target.name] = VALUE  # the text the block wrote
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
        for name in set().union(*branches):  # a name set in some branches only stands for something not known
            bound = [branch.get(name) for branch in branches]
            scope[name] = bound[0] if all(b == bound[0] for b in bound) else OPAQUE

    def _for(self, node: Any, scope: dict, when: tuple) -> None:
        from jinja2 import nodes

        source = self.expr(node.iter, scope, when)
        if node.recursive:
            self.never(when)
            return
        outside = self.inside
        item = OPAQUE  # an item of a list made in the template may be a mapping of facts: not followed
        if source.kind == "path":
            self.loops.append(source.path)
            self.inside = (*outside, len(self.loops) - 1)
            item = _Binding("path", (*source.path, len(self.loops) - 1))
        inner = dict(scope, loop=LOOP)
        for name in node.target.find_all(nodes.Name) if not isinstance(node.target, nodes.Name) else ():
            inner[name.name] = OPAQUE  # for 名, 值 in …: parts of an item
        if isinstance(node.target, nodes.Name):
            inner[node.target.name] = item
        body_when = when
        if node.test is not None:  # for 目标 in 任务目标 if 目标.内容 is defined: the body runs for items that pass
            self.expr(node.test, inner, when)
            body_when = (*when, self.condition(node.test, inner))
        self.body(node.body, inner, body_when)
        self.inside = outside
        self.body(node.else_, dict(scope), when)

    def _assign(self, node: Any, scope: dict, when: tuple) -> None:
        from jinja2 import nodes

        value = self.expr(node.node, scope, when)
        if isinstance(node.target, nodes.Name):
            scope[node.target.name] = value
        elif isinstance(node.target, nodes.NSRef):  # {% set 合计.名称 = … %}: the namespace holds what it is given
            if value.kind != "value":
                scope[node.target.name] = OPAQUE
        else:
            for name in node.target.find_all(nodes.Name):
                scope[name.name] = OPAQUE

    def _from_import(self, node: Any, scope: dict, when: tuple) -> None:
        from jinja2 import nodes

        if not isinstance(node.template, nodes.Const):
            self.never(when)
            return
        tree = self.env.parse(self.env.loader.get_source(self.env, node.template.value)[0])
        macros = {m.name: m for m in tree.body if isinstance(m, nodes.Macro)}
        for entry in node.names:
            name, alias = (entry, entry) if isinstance(entry, str) else entry
            scope[alias] = _Binding("macro", macro=macros[name]) if name in macros else OPAQUE

    # --- expressions: each gives what its value stands for, and records the lookups it makes ----------------
    def expr(self, node: Any, scope: dict, when: tuple, optional: bool = False) -> _Binding:
        from jinja2 import nodes

        if isinstance(node, (nodes.Const, nodes.TemplateData)):
            return VALUE
        if isinstance(node, nodes.Name):
            return self._name(node.name, scope, when, optional)
        if isinstance(node, nodes.Getattr):
            return self._step(node.node, node.attr, scope, when, optional, attribute=True)
        if isinstance(node, nodes.Getitem):
            if _const_str(node.arg) is not None:
                return self._step(node.node, node.arg.value, scope, when, optional, attribute=False)
            self.expr(node.arg, scope, when)
            if self.expr(node.node, scope, when).kind != "value":
                self.never(when)  # an index or a computed key into facts
            return OPAQUE
        if isinstance(node, nodes.Filter):
            return self._filter(node, scope, when)
        if isinstance(node, nodes.Test):
            self.expr(node.node, scope, when, optional=node.name in ("defined", "undefined"))
            self._arguments(node, scope, when)
            return VALUE
        if isinstance(node, nodes.Call):
            return self._call(node, scope, when)
        if isinstance(node, nodes.CondExpr):
            self.expr(node.test, scope, when)
            condition = self.condition(node.test, scope)
            self.expr(node.expr1, scope, (*when, condition))
            if node.expr2 is not None:
                self.expr(node.expr2, scope, (*when, ("not", condition)))
            return OPAQUE
        if isinstance(node, (nodes.And, nodes.Or)):  # the right side runs only as the left side decides
            self.expr(node.left, scope, when)
            condition = self.condition(node.left, scope)
            self.expr(node.right, scope, (*when, condition if isinstance(node, nodes.And) else ("not", condition)))
            return OPAQUE  # and/or give one of their operands
        if isinstance(node, nodes.Dict):
            for child in node.iter_child_nodes():
                self.expr(child, scope, when)
            return OPAQUE  # a mapping made in the template: a key it lacks is a missing fact too
        if isinstance(node, (nodes.Pair, nodes.Keyword, nodes.Not, nodes.Neg, nodes.Pos, nodes.Compare, nodes.BinExpr,
                             nodes.Concat, nodes.List, nodes.Tuple, nodes.Slice, nodes.Operand, nodes.MarkSafe,
                             nodes.MarkSafeIfAutoescape)):
            for child in node.iter_child_nodes():
                self.expr(child, scope, when)
            return VALUE  # a bool, number, string or list: no mapping itself (its items are reached only opaquely)
        self.never(when)
        return OPAQUE

    def _name(self, name: str, scope: dict, when: tuple, optional: bool) -> _Binding:
        if name in scope:
            return scope[name]
        if name in VALUE_GLOBALS:
            return VALUE
        if "" in scope:  # inside a macro: a name that is not an argument is not followed
            self.never(when)
            return OPAQUE
        if not optional:
            self.need(when, (name,))
        return _Binding("path", (name,))

    def _step(self, base: Any, key: str, scope: dict, when: tuple, optional: bool, attribute: bool) -> _Binding:
        owner = self.expr(base, scope, when)
        if owner.kind == "value":
            return VALUE
        if owner.kind == "loop":
            return VALUE if key in LOOP_VALUES else OPAQUE
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
        return _Binding("path", path)

    def _filter(self, node: Any, scope: dict, when: tuple) -> _Binding:
        from jinja2 import nodes

        self._arguments(node, scope, when)
        if node.name in OPTIONAL_FILTERS:
            value = self.expr(node.node, scope, when, optional=True)
            # x | default([]) is x where x is defined, else a list: a loop over it runs over x's items or none.
            plain = all(isinstance(a, (nodes.List, nodes.Tuple, nodes.Const)) for a in node.args) and not node.kwargs
            return value if plain and value.kind == "path" else OPAQUE
        source = self.expr(node.node, scope, when)
        attribute = next((kw.value for kw in node.kwargs if kw.key == "attribute"), None)
        if node.name == "map" and not node.args and attribute is not None and len(node.kwargs) == 1:
            self._map(source, attribute, when)
            return VALUE
        if node.name == "map" and len(node.args) == 1 and not node.kwargs and _const_str(node.args[0]) in STRING_FILTERS:
            return VALUE
        if attribute is None and node.name in STRING_FILTERS:
            return VALUE
        if attribute is None and node.name in ITEM_FILTERS:
            return OPAQUE
        self.never(when)
        return OPAQUE

    def _map(self, source: _Binding, attribute: Any, when: tuple) -> None:
        """``x | map(attribute='名称')``: a lookup of 名称 in every item of x."""
        key = _const_str(attribute)
        if source.kind == "path" and key is not None and "." not in key:
            self.loops.append(source.path)
            self.need(when, (*source.path, len(self.loops) - 1, key))
        elif source.kind != "value":
            self.never(when)

    def _call(self, node: Any, scope: dict, when: tuple) -> _Binding:
        from jinja2 import nodes

        given = [self.expr(a, scope, when) for a in node.args]
        named = {kw.key: self.expr(kw.value, scope, when) for kw in node.kwargs}
        callee = self.expr(node.node, scope, when)
        if node.dyn_args is not None or node.dyn_kwargs is not None:
            self.never(when)
            return OPAQUE
        if callee.kind == "macro":
            self._expand(callee.macro, given, named, when)
            return VALUE
        if callee.kind == "value":  # range(), namespace(), a string's split(): nothing of the facts is changed
            plain = all(b.kind == "value" for b in [*given, *named.values()])
            made = (isinstance(node.node, nodes.Name) and node.node.name in VALUE_GLOBALS
                    or isinstance(node.node, nodes.Getattr) and node.node.attr in STRING_METHODS)
            return VALUE if plain and made else OPAQUE
        if callee.kind == "method" or callee.kind == "path" and callee.path == (ORDINALS,):
            return OPAQUE  # 项.数字.items(), 序号()
        self.never(when)  # a call that may change the facts (列表.append …)
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
                inner[name] = VALUE  # left out: Jinja's undefined, not a missing fact
        self.depth += 1
        self.body(definition.body, inner, when)
        self.depth -= 1

    def _arguments(self, node: Any, scope: dict, when: tuple) -> None:
        for argument in [*node.args, *(kw.value for kw in node.kwargs)]:
            self.expr(argument, scope, when)
        for extra in (node.dyn_args, node.dyn_kwargs):
            if extra is not None:
                self.expr(extra, scope, when)

    def condition(self, node: Any, scope: dict) -> tuple:
        """What a test says about the facts, as far as it can be told from the text: ``… is defined`` and its
        combinations with and, or, not; anything else is unknown."""
        from jinja2 import nodes

        if isinstance(node, nodes.Test) and node.name in ("defined", "undefined") and not node.args:
            path = _path_of(node.node, scope)
            if path is None:
                return UNKNOWN
            return ("def", path) if node.name == "defined" else ("not", ("def", path))
        if isinstance(node, nodes.Not):
            return ("not", self.condition(node.node, scope))
        if isinstance(node, (nodes.And, nodes.Or)):
            return ("and" if isinstance(node, nodes.And) else "or", self.condition(node.left, scope), self.condition(node.right, scope))
        return UNKNOWN


def _const_str(node: Any) -> str | None:
    from jinja2 import nodes

    return node.value if isinstance(node, nodes.Const) and isinstance(node.value, str) else None


def _path_of(node: Any, scope: dict) -> Path_ | None:
    """The fact path an expression names (a name or a chain of keys), or None."""
    from jinja2 import nodes

    if isinstance(node, nodes.Name):
        bound = scope.get(node.name)
        if bound is None:
            return None if "" in scope or node.name in VALUE_GLOBALS else (node.name,)
        return bound.path if bound.kind == "path" else None
    if isinstance(node, nodes.Getattr) and node.attr not in DICT_ATTRIBUTES:
        key = node.attr
    elif isinstance(node, nodes.Getitem) and _const_str(node.arg) not in (None, *DICT_ATTRIBUTES):
        key = node.arg.value  # x['items'] is the method where the key is missing: defined either way
    else:
        return None
    owner = _path_of(node.node, scope)
    return None if owner is None else (*owner, key)


def read_template(env: Any, name: str) -> dict:
    """The lookups of one template: {"lookups": [(conditions, path, the loops they are in)], "loops": [path]}
    (marshal data)."""
    reader = _Reader(env)
    source = env.loader.get_source(env, name)[0]
    reader.body(env.parse(source).body, {}, ())
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
    except WorkreportError:
        return None
    if any(name not in texts for name in names):
        return None
    key = "\n\0".join([Path(__file__).read_text(encoding="utf-8"), *(f"{n}\n{t}" for n, t in texts.items()), *names])
    if key not in _READ:
        try:
            _READ[key] = cached("needs", key, lambda: _read_all(folder, names))
        except Exception:  # noqa: BLE001 - a template Jinja cannot parse: the trial assembly reports it at its line
            return None
        while len(_READ) > 4:  # a page or a batch meets one kind's templates, edited now and then
            del _READ[next(iter(_READ))]
    return _READ[key]


_READ: dict[str, dict] = {}  # the lookups this process has loaded, by their key


def _read_all(folder: Path, names: list[str]) -> dict[str, dict]:
    from ..render.text import environment

    env = environment(folder)
    return {name: read_template(env, name) for name in names}


# --- the answer for one file's figures ------------------------------------------------------------------------

_MISSING, _NOT_A_MAPPING = object(), object()


def nothing_missing(lookups: dict, context: dict) -> bool:
    """Whether every lookup of ``lookups`` (one template's) that may run with ``context`` finds its fact."""
    loops = lookups["loops"]
    for when, path, ids in lookups["lookups"]:
        for binding in _bindings(ids, loops, context):
            if _holds(when, context, loops, binding) is False:
                continue
            if path[0] == NEVER or _value(context, path, binding) is _MISSING:
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
    """Every assignment of items to the loops ``ids`` (outer loops first): a loop over what is not a list runs over
    no mapping of facts, and one over a missing fact is that fact's own lookup."""
    bound = bound or {}
    if not ids:
        yield bound
        return
    first, rest = ids[0], ids[1:]
    items = _value(context, loops[first], bound)
    if not isinstance(items, (list, tuple)):
        return
    for index in range(len(items)):
        yield from _bindings(rest, loops, context, {**bound, first: index})


def _value(context: dict, path: tuple, bound: dict) -> Any:
    """The value at ``path``; _MISSING where a mapping lacks a key; _NOT_A_MAPPING past anything else."""
    current: Any = context
    for step in path:
        if isinstance(step, int) and not isinstance(step, bool):
            current = current[bound[step]]
        elif isinstance(current, dict):
            if step not in current:
                return _MISSING
            current = current[step]
        else:
            return _NOT_A_MAPPING
    return current


def _holds(when: tuple, context: dict, loops: list, bound: dict) -> bool | None:
    """Whether all the conditions hold: True, False, or None when the text does not tell."""
    values = [_truth(condition, context, bound) for condition in when]
    if False in values:
        return False
    return True if all(values) else None


def _truth(condition: tuple, context: dict, bound: dict) -> bool | None:
    kind = condition[0]
    if kind == "def":
        value = _value(context, condition[1], bound)
        return None if value is _NOT_A_MAPPING else value is not _MISSING
    if kind == "not":
        inner = _truth(condition[1], context, bound)
        return None if inner is None else not inner
    if kind in ("and", "or"):
        left, right = _truth(condition[1], context, bound), _truth(condition[2], context, bound)
        if kind == "and":
            return False if False in (left, right) else (True if left and right else None)
        return True if True in (left, right) else (False if left is False and right is False else None)
    return None

