"""The page's answers written into the facts file's round-trip tree, changing only what changed.

Entry point: ``merge(tree, answers, schema)``.  A value is replaced only when the page's
differs from the file's in meaning (sheet.merge.same: 1,100 and 1100 are one figure), so
everything else keeps its comments, quotes and layout; a fact emptied in the page is
removed, a new one goes where the schema orders it, and keys the schema does not know are
left alone.  It walks any depth, so lists of groups holding lists need nothing special.
"""

from __future__ import annotations

from typing import Any

from ..schema import is_unfilled, resolve_ref
from ..sheet.merge import _yaml_value, same

_MISSING = object()


def merge(tree: Any, answers: dict, schema: dict) -> bool:
    """Bring the round-trip ``tree`` (the whole file) to ``answers``; whether anything changed."""
    return _merge_group(tree, answers or {}, schema, schema)


def _merge_group(mapping: Any, answers: dict, node: dict, root: dict) -> bool:
    """A group: each property the schema lists, in the schema's order; other keys stay as they are."""
    changed = False
    for name, child in node.get("properties", {}).items():
        changed |= _merge_key(mapping, name, answers.get(name), resolve_ref(child, root), node, root)
    return changed


def _merge_key(mapping: Any, name: str, new: Any, node: dict, parent: dict, root: dict) -> bool:
    """One key of a group: removed, set, or merged into in place."""
    old = mapping.get(name, _MISSING)
    if new is None:
        if old is _MISSING:
            return False
        del mapping[name]
        return True
    if old is not _MISSING and _merge_into(old, new, node, root):
        return _prune(mapping, name)
    if old is not _MISSING and _same(old, new, node, root):
        return False
    _insert(mapping, name, _fresh(new, node, root), parent)
    return True


def _merge_into(old: Any, new: Any, node: dict, root: dict) -> bool:
    """Merge in place where old and new are both groups or both lists; False when they are not (the caller replaces)."""
    if isinstance(old, dict) and isinstance(new, dict):
        _merge_group(old, new, node, root)
        return True
    if isinstance(old, list) and isinstance(new, list):
        _merge_list(old, new, resolve_ref(node.get("items", {}), root), root)
        return True
    return False


def _merge_list(old: list, new: list, item: dict, root: dict) -> None:
    """A list edited item by item (its flow or block style and comments stay); items added at the end or removed from it."""
    for index, value in enumerate(new):
        if index >= len(old):
            old.append(_fresh(value, item, root))
        elif not _merge_into(old[index], value, item, root) and not _same(old[index], value, item, root):
            old[index] = _fresh(value, item, root)
    del old[len(new):]


def _prune(mapping: Any, name: str) -> bool:
    """After an in-place merge: a group or list left empty is removed (an empty one is not a fact). Always True:
    the caller cannot cheaply know whether the merge changed anything, and the document compares texts."""
    if isinstance(mapping[name], (dict, list)) and not mapping[name]:
        del mapping[name]
    return True


def _same(old: Any, new: Any, node: dict, root: dict) -> bool:
    """Whether a scalar means the same fact (a group or list against a value never does)."""
    if isinstance(old, (dict, list)) or isinstance(new, (dict, list)):
        return False
    if is_unfilled(old) or is_unfilled(new):
        return is_unfilled(old) and is_unfilled(new)
    return same(old, new, node)


def _fresh(value: Any, node: dict, root: dict) -> Any:
    """A new value as the facts file writes it: groups as round-trip maps in the schema's order, dates plain."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    node = resolve_ref(node, root)
    if isinstance(value, dict):
        props = node.get("properties", {})
        keys = [k for k in props if k in value] + [k for k in value if k not in props]
        return CommentedMap((k, _fresh(value[k], props.get(k, {}), root)) for k in keys)
    if isinstance(value, list):
        return CommentedSeq(_fresh(v, node.get("items", {}), root) for v in value)
    return _yaml_value(value, node)


def _insert(mapping: Any, key: str, value: Any, parent: dict) -> None:
    """Set ``key``; a key not yet in the file goes before the first key the schema lists after it."""
    if key in mapping or not hasattr(mapping, "insert"):
        mapping[key] = value
        return
    order = list(parent.get("properties", {}))
    later = set(order[order.index(key) + 1:]) if key in order else set()
    position = next((i for i, existing in enumerate(mapping) if existing in later), len(mapping))
    mapping.insert(position, key, value)
