"""The page's answers written into the facts file's tree, changing only what changed.

Entry point: ``merge(tree, answers, schema, plain=False)``.  A value is replaced only when the
page's differs from the file's in meaning (sheet.merge.same: 1,100 and 1100 are one figure),
so everything else keeps its comments, quotes and layout; a fact emptied in the page is
removed, a new one goes where the schema orders it, and keys the schema does not know are
left alone.  It walks any depth, so lists of groups holding lists need nothing special.

The tree is the round-trip tree that saving dumps, or with ``plain`` the plain tree that
facts.load reads (new values kept as the loader reads them: dates as text), which is how
the page's answers are checked on every change without writing YAML.
"""

from __future__ import annotations

from typing import Any

import msgspec

from ..schema import is_unfilled, one_line, resolve_ref
from ..yamledit import insert_in_order, ordered, same

_MISSING = object()


def merge(tree: Any, answers: dict, schema: dict, plain: bool = False) -> None:
    """Bring ``tree`` (the whole file) to ``answers`` in place."""
    _Merger(schema, plain).group(tree, answers or {}, schema)


class _Merger(msgspec.Struct):
    """One merge: the schema's root (for $ref) and which kind of tree is merged into."""

    root: dict
    plain: bool

    def group(self, mapping: Any, answers: dict, node: dict) -> None:
        """A group: each property the schema lists, in the schema's order; other keys stay as they are."""
        for name, child in node.get("properties", {}).items():
            self.key(mapping, name, answers.get(name), resolve_ref(child, self.root), node)

    def key(self, mapping: Any, name: str, new: Any, node: dict, parent: dict) -> None:
        """One key of a group: removed, merged into in place, kept, or set."""
        old = mapping.get(name, _MISSING)
        if new is None:
            if old is not _MISSING:
                del mapping[name]
        elif old is not _MISSING and self.into(old, new, node):
            if isinstance(mapping[name], (dict, list)) and not mapping[name]:
                del mapping[name]  # a group or list left empty is not a fact
        elif old is _MISSING or not _same(old, new, node):
            insert_in_order(mapping, name, self.fresh(new, node), parent)

    def into(self, old: Any, new: Any, node: dict) -> bool:
        """Merge in place where old and new are both groups or both lists; False when they are not (the caller replaces)."""
        if isinstance(old, dict) and isinstance(new, dict):
            self.group(old, new, node)
            return True
        if isinstance(old, list) and isinstance(new, list):
            self.items(old, new, resolve_ref(node.get("items", {}), self.root))
            return True
        return False

    def items(self, old: list, new: list, item: dict) -> None:
        """A list edited item by item (its flow or block style and comments stay); items added at the end or removed from it."""
        for index, value in enumerate(new):
            if index >= len(old):
                old.append(self.fresh(value, item))
            elif not self.into(old[index], value, item) and not _same(old[index], value, item):
                old[index] = self.fresh(value, item)
        del old[len(new):]

    def fresh(self, value: Any, node: dict) -> Any:
        """A new value as the tree holds it: in a round-trip tree, groups in the schema's order and dates plain."""
        return value if self.plain else ordered(value, node, self.root)


def _same(old: Any, new: Any, node: dict) -> bool:
    """Whether a scalar means the same fact (a group or list against a value never does)."""
    if isinstance(old, (dict, list)) or isinstance(new, (dict, list)):
        return False
    if is_unfilled(old) or is_unfilled(new):
        return is_unfilled(old) and is_unfilled(new)
    if isinstance(old, str) and isinstance(new, str) and one_line(old) == one_line(new):
        return True  # a text written over several lines (a block scalar) comes back from a one-line field joined
    return same(old, new, node)
