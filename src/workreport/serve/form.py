"""The form of a report kind: its schema walked into fields, each with the value the facts file holds.

Entry point: ``build_form(schema, tree)``.  Nothing here knows a field of the county's
report: labels, units, help, choices and lists come from the schema's own words
(``title`` or the key, ``x-unit``, ``description``, ``enum``), so another kind's schema gets
its page without new code.  The Jinja macros in templates/form.html draw these fields.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec

from ..facts import Path_, dotted
from ..schema import is_unfilled, resolve_ref

# What a field is drawn as.
OBJECT, LIST, TEXT, FIGURE, NUMBER, BOOLEAN, CHOICE, DATE = "object", "list", "text", "figure", "number", "boolean", "choice", "date"


class Field(msgspec.Struct):
    """One field of the form: a group, a list, or a value, with what the page shows about it."""

    key: Any  # the property name, or the index in its list
    path: Path_
    kind: str
    label: str
    help: str = ""
    unit: str = ""
    choices: list[tuple[str, str]] = msgspec.field(default_factory=list)  # (value sent, text shown)
    value: str = ""  # a value field's text as the page shows it
    unfilled: bool = False  # 待填: still to fill in (a value, or a whole group or list)
    required: bool = False
    children: list[Field] = msgspec.field(default_factory=list)  # a group's fields, a list's items
    blank: Field | None = None  # a list's new item, drawn into a <template>

    @property
    def id(self) -> str:
        """The dotted key path that findings name (生育关怀.幸福工程.资金来源[0].金额)."""
        return dotted(self.path)


def build_form(schema: dict, tree: Any) -> Field:
    """The whole form: the schema's top-level group with the values of ``tree`` (the facts file as read)."""
    return _field(schema, schema, "", (), tree, required=True)


def _field(node: dict, root: dict, key: Any, path: Path_, value: Any, required: bool = False) -> Field:
    """The field for ``node`` at ``path`` holding ``value`` (None when the file does not have it)."""
    node = resolve_ref(node, root)
    label = node.get("title") or (f"第 {key + 1} 项" if isinstance(key, int) else str(key))
    made = Field(key, path, _kind(node), label, help=node.get("description", ""), unit=node.get("x-unit", ""),
                 unfilled=is_unfilled(value), required=required)
    if made.kind == OBJECT:
        present = value if isinstance(value, dict) else {}
        wanted = set(node.get("required", []))
        made.children = [_field(child, root, name, (*path, name), present.get(name), name in wanted)
                         for name, child in node.get("properties", {}).items()]
    elif made.kind == LIST:
        items = resolve_ref(node.get("items", {}), root)
        present = value if isinstance(value, list) else []
        made.children = [_field(items, root, i, (*path, i), item) for i, item in enumerate(present)]
        made.blank = _field(items, root, 0, (*path, 0), None)
    else:
        made.value = "" if value is None else shown(value)
        made.choices = _choices(node, made.kind, made.value)
    return made


def _kind(node: dict) -> str:
    """How a schema node is drawn."""
    types = node.get("type")
    types = set(types) if isinstance(types, list) else {types}
    if "properties" in node or "object" in types:
        return OBJECT
    if "array" in types:
        return LIST
    if "enum" in node:
        return CHOICE
    if "x-unit" in node:
        return FIGURE
    if "boolean" in types:
        return BOOLEAN
    if node.get("x-date") or node.get("format") == "date":
        return DATE
    if types & {"integer", "number"}:
        return NUMBER
    return TEXT


def _choices(node: dict, kind: str, current: str) -> list[tuple[str, str]]:
    """A choice field's options: 未填, the schema's values, and what the file holds if the schema does not allow it."""
    if kind == BOOLEAN:
        options = [("", "（未填）"), ("true", "是"), ("false", "否")]
    elif kind == CHOICE:
        options = [("", "（未填）"), *((shown(v), shown(v)) for v in node["enum"])]
    else:
        return []
    if current and current not in {v for v, _ in options}:
        options.append((current, current))  # kept, so that a value the schema refuses is shown, not lost
    return options


def shown(value: Any) -> str:
    """A scalar of the facts file as the page shows it: a date 2016-12-20, true/false, a figure as written."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (dict, list)):
        return ""  # a group or list where the schema wants one value: the check says so at this field
    return str(value)


def typed(value: Any, node: dict, root: dict) -> Any:
    """The page's answer (text, lists and groups of text) as the facts file holds it, by the schema.

    An empty field is None (not written); 待填 stays 待填; a whole number where the schema allows
    one is an int, true/false a bool; every other answer stays text, so that what the schema
    refuses is reported with the text staff typed.
    """
    node = resolve_ref(node, root)
    if isinstance(value, dict):
        props = node.get("properties", {})
        out = {k: typed(v, props.get(k, {}), root) for k, v in value.items()}
        return {k: v for k, v in out.items() if v is not None} or None
    if isinstance(value, list):
        out = [typed(v, node.get("items", {}), root) for v in value]
        return [v for v in out if v is not None] or None
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text:
        return None
    kind = _kind(node)
    if kind == BOOLEAN and text in ("true", "false"):
        return text == "true"
    if kind in (FIGURE, NUMBER) or (kind == CHOICE and set(_types(node)) & {"integer", "number"}):
        return _number(text)
    return text


def _types(node: dict) -> list:
    types = node.get("type", [])
    return types if isinstance(types, list) else [types]


def _number(text: str) -> Any:
    """A figure as YAML would read it unquoted: 2386 an int, 0.9 a float, 1100多 (or １８０) text for the schema to read."""
    if not text.isascii():
        return text
    head, dot, tail = text.lstrip("+-").partition(".")
    if head.isdigit() and not dot:
        return int(text)
    if head.isdigit() and dot and tail.isdigit():
        return float(text)
    return text


def answers(form: Field) -> Any:
    """What the page sends for an untouched form (app.js builds the same shape from the page): text, groups and lists."""
    if form.kind == OBJECT:
        out = {child.key: answers(child) for child in form.children}
        return "待填" if form.unfilled and all(v is None for v in out.values()) else out
    if form.kind == LIST:
        items = [answers(child) for child in form.children]
        return items or ("待填" if form.unfilled else None)
    return form.value or None
