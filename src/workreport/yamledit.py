"""Round-trip editing of a facts file, shared by everything that rewrites one (new-year, the workbook's
write-back, the page's save): the ruamel set-up that writes staff's layout back unchanged, what counts as the
same value, and where a key new to the file goes.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from .quantity import QuantityError
from .schema import is_figure, is_unfilled, read_figure

# (mapping, sequence, offset) indents tried in turn: the first that writes the file back unchanged is used.
LAYOUTS = ((2, 4, 2), (2, 2, 0), (4, 4, 2), (4, 4, 0), (4, 6, 4), (2, 2, 2), (3, 3, 0))


def round_trip(text: str):
    """A ruamel round-trip YAML that writes ``text`` back exactly as staff laid it out, the tree it read from
    ``text`` (comments kept), and whether no layout could write it back unchanged."""
    yaml = new_yaml()
    tree = yaml.load(text)  # the indents only shape what is written: one reading serves every layout tried
    for mapping, sequence, offset in LAYOUTS:
        yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
        if dump(yaml, tree) == text:
            return yaml, tree, False
    yaml.indent(mapping=LAYOUTS[0][0], sequence=LAYOUTS[0][1], offset=LAYOUTS[0][2])
    return yaml, tree, True


def new_yaml(layout: tuple[int, int, int] = LAYOUTS[0]):
    """A ruamel round-trip YAML writing the (mapping, sequence, offset) indents ``layout``, quotes kept, lines never re-wrapped."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap a long line
    mapping, sequence, offset = layout
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    return yaml


def ordered(value: Any, node: dict, root: dict) -> Any:
    """A new value as a round-trip tree holds it: groups in the schema's key order (then keys it does not know),
    lists as sequences, dates as dates (``yaml_value``)."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    from .schema import resolve_ref

    node = resolve_ref(node, root)
    if isinstance(value, dict):
        props = node.get("properties", {})
        keys = [k for k in props if k in value] + [k for k in value if k not in props]
        return CommentedMap((k, ordered(value[k], props.get(k, {}), root)) for k in keys)
    if isinstance(value, list):
        return CommentedSeq(ordered(v, node.get("items", {}), root) for v in value)
    return yaml_value(value, node)


def dump(yaml, tree: Any) -> str:
    out = io.StringIO()
    yaml.dump(tree, out)
    return out.getvalue()


def same(old: Any, new: Any, node: dict) -> bool:
    """Whether two values mean the same fact: equal figures however written, equal dates, equal text."""
    if old is None or new is None:
        return old is None and new is None
    if is_unfilled(old) or is_unfilled(new):
        return is_unfilled(old) and is_unfilled(new)
    if isinstance(old, list) or isinstance(new, list):
        return isinstance(old, list) and isinstance(new, list) and len(old) == len(new) \
            and all(same(a, b, node.get("items", {})) for a, b in zip(old, new))
    if is_figure(node):
        try:
            a, b = read_figure(old, node), read_figure(new, node)
        except QuantityError:
            return str(old) == str(new)
        return (a.value, a.approx, a.scale) == (b.value, b.approx, b.scale)
    old, new = plain(old), plain(new)
    if isinstance(old, bool) or isinstance(new, bool):
        return isinstance(old, bool) and isinstance(new, bool) and old == new
    if isinstance(old, (int, float)) and isinstance(new, (int, float)):
        return old == new
    return isinstance(old, str) and isinstance(new, str) and old == new


def plain(value: Any) -> Any:
    """A round-trip YAML value as the loader reads it: a date as its text, a quoted string as a str."""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value) if isinstance(value, str) else value


def yaml_value(value: Any, node: dict) -> Any:
    """A value as the facts file writes it: a date plain (2016-12-20), everything else as read."""
    if node.get("x-date") and isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value


def insert_in_order(mapping: Any, key: str, value: Any, parent: dict) -> None:
    """Set ``key``; a key not yet in the file goes before the first key the schema lists after it."""
    if key in mapping:
        mapping[key] = value
        return
    order = list(parent.get("properties", {}))
    later = set(order[order.index(key) + 1:]) if key in order else set()
    position = next((i for i, existing in enumerate(mapping) if existing in later), len(mapping))
    if hasattr(mapping, "insert"):  # a round-trip map
        mapping.insert(position, key, value)
        return
    items = list(mapping.items())
    items.insert(position, (key, value))
    mapping.clear()
    mapping.update(items)
