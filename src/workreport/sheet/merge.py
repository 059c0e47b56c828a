"""Write a workbook's facts into a YAML facts file: a ruamel round trip that changes only the values that changed.

Entry point: ``merge_into(book, target)``.  An existing file keeps its comments, key order,
quotes and layout: a value is rewritten only when the workbook's differs from it in meaning
(1,100 and 1100 are the same figure, 0.9 and 90% the same percentage), a fact whose row was
emptied is removed, and a fact the workbook has no row for is left alone.  When nothing
changed the file is not written at all.  A missing file is created in the schema's order.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from ..errors import FactsError, Problem
from ..facts import Path_, display_path, lookup, read_stored
from ..fsutil import atomic_write
from ..kind import Kind
from ..schema import schema_at
from ..yamledit import dump, insert_in_order, new_yaml, ordered, round_trip, same, yaml_value
from . import layout
from .layout import LIST, SCALAR, Field
from .read import WorkbookFacts


def merge_into(book: WorkbookFacts, target: Path, kind: Kind) -> list[Path_]:
    """Write ``book``'s facts into ``target``; return the facts whose values changed (empty: the file was left as it was)."""
    target = Path(target)
    if target.exists():
        return _update(book, target, kind)
    _create(book, target, kind)
    return sorted(book.covered)


def _update(book: WorkbookFacts, target: Path, kind: Kind) -> list[Path_]:

    stored = read_stored(target)
    text = stored.lf
    yaml, tree, _ = round_trip(text)
    year = book.data.get("年度")
    if year is not None and tree.get("年度") not in (None, year):
        raise FactsError(Problem(f"工作簿是 {year} 年度的，而 {display_path(target)} 是 {tree.get('年度')} 年度的事实文件；"
                                 "请写回对应年度的事实文件", file=display_path(book.path), cell=book.cell(("年度",))))
    changed: list[Path_] = []
    for sheet in layout.sheets(kind.schema):
        for field in sheet.fields:
            if field.path in book.covered and _merge_field(tree, field, lookup(book.data, field.path), kind.schema):
                changed.append(field.path)
    if not changed:
        return []
    written = dump(yaml, tree)
    atomic_write(target, lambda tmp: tmp.write_bytes(stored.encode(written)))
    return changed


def _merge_field(tree: Any, field: Field, new: Any, schema: dict) -> bool:
    """Bring one field of ``tree`` to the workbook's value; whether anything changed."""
    old = lookup(tree, field.path)
    if field.shape == SCALAR:
        return _set(tree, field.path, old, new, field.node, schema)
    if field.shape == LIST:
        return _merge_list(tree, field.path, old, new, field.node.get("items", {}), schema)
    return _merge_table(tree, field, old, new, schema)


def _set(tree: Any, path: Path_, old: Any, new: Any, node: dict, schema: dict) -> bool:
    """Set, or with ``new`` None remove, the value at ``path`` unless it already means the same."""
    if same(old, new, node):
        return False
    if new is None:
        parent = lookup(tree, path[:-1])
        if isinstance(parent, dict) and path[-1] in parent:
            del parent[path[-1]]
        return True
    _place(tree, path, yaml_value(new, node), schema)
    return True


def _merge_list(tree: Any, path: Path_, old: Any, new: Any, item: dict, schema: dict) -> bool:
    """A list edited in place (its flow or block style and comments stay); a whole list replaces 待填."""
    if not isinstance(old, list) or not isinstance(new, list):
        return _set(tree, path, old, new, {"type": "array"}, schema)
    if len(old) == len(new) and all(same(a, b, item) for a, b in zip(old, new)):
        return False
    for index, value in enumerate(new):
        if index < len(old):
            if not same(old[index], value, item):
                old[index] = yaml_value(value, item)
        else:
            old.append(yaml_value(value, item))
    del old[len(new):]
    return True


def _merge_table(tree: Any, field: Field, old: Any, new: Any, schema: dict) -> bool:
    """A table's groups, field by field; groups added at the end or removed from it."""
    if not isinstance(old, list) or not isinstance(new, list) or not all(isinstance(g, dict) for g in old):
        return _set(tree, field.path, old, new, {"type": "array"}, schema)
    from ruamel.yaml.comments import CommentedMap

    changed = len(old) != len(new)
    for index, group in enumerate(new):
        if index >= len(old):
            old.append(CommentedMap((k, yaml_value(v, dict(field.columns)[k])) for k, v in group.items()))
            continue
        for key, node in field.columns:
            if node.get("x-derived"):
                continue
            path = (*field.path, index, key)
            if node.get("type") == "array":
                changed |= _merge_list(tree, path, old[index].get(key), group.get(key), node.get("items", {}), schema)
            elif layout.is_pairs(node):
                changed |= _merge_pairs(tree, path, old[index].get(key), group.get(key), node, schema)
            else:
                changed |= _set(tree, path, old[index].get(key), group.get(key), node, schema)
    del old[len(new):]
    return changed


def _merge_pairs(tree: Any, path: Path_, old: Any, new: Any, node: dict, schema: dict) -> bool:
    """Named figures (其他工作.数字) edited name by name, so that each line keeps its comment; a name
    no longer in the cell is removed, a new one added at the end."""
    if not isinstance(old, dict) or not isinstance(new, dict):
        return _set(tree, path, old, new, {"type": "object"}, schema)
    figure = node["additionalProperties"]
    changed = False
    for name in [k for k in old if k not in new]:
        del old[name]
        changed = True
    for name, value in new.items():
        if not same(old.get(name), value, figure):
            old[name] = value
            changed = True
    return changed


def _place(tree: Any, path: Path_, value: Any, schema: dict) -> None:
    """Set ``value`` at ``path``; a key not yet in the file goes where the schema orders it, its groups created on the way."""
    from ruamel.yaml.comments import CommentedMap

    node = tree
    for depth, step in enumerate(path):
        if isinstance(step, int):
            node = node[step]
            continue
        last = depth == len(path) - 1
        if step in node and (last or isinstance(node[step], dict)):
            if last:
                node[step] = value
            node = node[step]
            continue
        insert_in_order(node, step, value if last else CommentedMap(), schema_at(schema, path[:depth]) or {})
        node = node[step]


def _create(book: WorkbookFacts, target: Path, kind: Kind) -> None:
    """A new facts file from the workbook, keys in the schema's order."""
    yaml = new_yaml()
    tree = ordered(book.data, kind.schema, kind.schema)
    out = io.StringIO()
    out.write(f"# yaml-language-server: $schema=../templates/{kind.name}/schema.json\n"
              f"# 由工作簿 {book.path.name} 写成（workreport sheet）。\n\n")
    yaml.dump(tree, out)
    atomic_write(target, lambda tmp: tmp.write_bytes(out.getvalue().encode("utf-8")))
