"""The words prose is read with: things counted, fixed terms, scope words (data/terms.yaml) and calendar names.

Entry point: ``Vocabulary(words_by_kind)``: finds every known word of a text in one pass (a
trie compiled into one regular expression, longest word first), so that looking up terms
stays linear in the length of the text.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from pathlib import Path

TERMS = Path(__file__).resolve().parent.parent / "data" / "terms.yaml"
THING, FIXED, SCOPE, EVENT = "事物", "固定说法", "范围", "纪念"
_SPACES = re.compile(r"[ \u3000]")


@functools.lru_cache(maxsize=None)
def terms_file() -> dict:
    """data/terms.yaml as read."""
    from ..kind import read_yaml

    return read_yaml(TERMS) or {}


def field_terms() -> tuple[str, ...]:
    """The things figures count (data/terms.yaml, 事物)."""
    return tuple(terms_file().get(THING) or ())


def fixed_terms() -> tuple[str, ...]:
    """Fixed terms with a numeral that are not quantities (data/terms.yaml, 固定说法)."""
    return tuple(terms_file().get(FIXED) or ())


def title_terms(calendar: dict) -> tuple[str, ...]:
    """The words a title must not break inside: the things counted, the fixed terms and the calendar's names."""
    from ..rules.relations import calendar_names

    return tuple(sorted({*field_terms(), *fixed_terms(), *calendar_names(calendar)}))


def scope_words() -> tuple[str, ...]:
    """Words that qualify a count: 全年, 新增, 累计, 其中, 乡镇, 村 … (data/terms.yaml, 范围)."""
    return tuple(str(w) for group in (terms_file().get(SCOPE) or {}).values() for w in group or ())


@functools.lru_cache(maxsize=1)
def sentence_wide_scopes() -> frozenset[str]:
    """Scope words that qualify every figure after them in their sentence: the words of time, and 其中."""
    return frozenset([*map(str, (terms_file().get(SCOPE) or {}).get("时间") or ()), "其中"])


@functools.cache
def _space_in_words() -> re.Pattern:
    """A space between two Chinese characters (compiled on first need: its classes take a millisecond to compile)."""
    return re.compile(r"[\u4e00-\u9fff][ \u3000][\u4e00-\u9fff]")


class Vocabulary:
    """Known words by kind (事物, 固定说法, 范围, 纪念), found in a text longest first."""

    def __init__(self, kinds: dict[str, Iterable[str]]):
        self.kinds: dict[str, set[str]] = {}
        for kind, words in kinds.items():
            for word in words:
                if word:
                    self.kinds.setdefault(str(word), set()).add(kind)
        self.pattern = re.compile(_trie_pattern(sorted(self.kinds), gaps=False)) if self.kinds else None

    @functools.cached_property
    def spaced_pattern(self) -> re.Pattern:
        """The words with a space allowed between two characters; compiled only for a text that has one (it is large)."""
        return re.compile(_trie_pattern(sorted(self.kinds), gaps=True))

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """Every known word of ``text`` as (start, end, word), left to right, the longest at each place."""
        if self.pattern is None:
            return []
        spaced = ("\u3000" in text or " " in text) and _space_in_words().search(text)
        pattern = self.spaced_pattern if spaced else self.pattern
        return [(m.start(), m.end(), _SPACES.sub("", m.group())) for m in pattern.finditer(text)]

    def is_(self, word: str, kind: str) -> bool:
        """Whether ``word`` is known as ``kind``."""
        return kind in self.kinds.get(word, ())


@functools.lru_cache(maxsize=16)
def vocabulary(things: tuple[str, ...], events: tuple[str, ...] = (), with_fixed: bool = True) -> Vocabulary:
    """The vocabulary for some things counted and calendar names, with the fixed terms and scope words of terms.yaml."""
    return Vocabulary({THING: things, EVENT: events, FIXED: fixed_terms() if with_fixed else (), SCOPE: scope_words()})


def _trie_pattern(words: list[str], gaps: bool) -> str:
    """A regular expression matching any of ``words``, the longest at each place (a trie, so one pass is cheap)."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _node_pattern(trie, gaps, root=True)


def _node_pattern(node: dict, gaps: bool, root: bool = False) -> str:
    """The trie below ``node``; with ``gaps`` a space may stand between two characters of a word (中国计生 协会, from a PDF)."""
    ends = "" in node
    gap = "[ \u3000]?" if gaps and not root else ""
    branches = [gap + re.escape(ch) + _node_pattern(child, gaps) for ch, child in sorted(node.items()) if ch]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if ends else body


@functools.lru_cache(maxsize=1)
def stock_scopes() -> frozenset[str]:
    """Scope words of stocks and flows (新增, 退出, 现有, 累计 …)."""
    return frozenset(map(str, (terms_file().get(SCOPE) or {}).get("增减") or ()))
