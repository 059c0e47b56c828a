"""Word segmentation of a title, the same as jieba's with its full dictionary and the domain's terms,
without importing jieba or reading its dictionary at start-up.

jieba's accurate mode (HMM off) builds, for each position of the text, the dictionary words that
start there, and takes the path whose summed log frequency is greatest.  All it ever asks its
dictionary is a substring's frequency and whether some word begins with it.  Both are answered
here by binary search in a sorted copy of jieba's dict.txt (written once into the user's cache
folder, keyed by the dictionary's size and date), mapped into memory: a title costs a few hundred
look-ups instead of reading 350,000 entries.  The terms are added as jieba's ``add_word(term, TERM_FREQ)``
adds them, so the words are exactly those of jieba's full tokenizer with the terms (tests/render/test_words.py
holds it to jieba itself).
"""

from __future__ import annotations

import functools
import importlib.util
import mmap
import re
from collections.abc import Iterable
from math import log
from pathlib import Path

# jieba's own patterns (jieba/__init__.py): runs it segments, whitespace it keeps, single Latin letters/digits it joins.
_HAN = re.compile("([\u4E00-\u9FD5a-zA-Z0-9+#&\\._%\\-]+)")
_SKIP = re.compile("(\r\n|\\s)")
_ENG = re.compile("[a-zA-Z0-9]")
_INDEX_FORMAT = 1  # bump when the sorted index's layout changes


# The domain's terms outweigh any split of them: 生育关怀 stays whole even where 生育 and 关怀 are common words.
TERM_FREQ = 100_000


def segment(text: str, terms: Iterable[str] = ()) -> list[str]:
    """``text`` in words: jieba's ``lcut(text, HMM=False)`` with ``terms`` added as words of TERM_FREQ."""
    dictionary = _dictionary(tuple(sorted({t for t in terms if t})))
    words: list[str] = []
    for block in _HAN.split(text):
        if not block:
            continue
        if _HAN.match(block):
            words.extend(_cut(block, dictionary))
            continue
        for part in _SKIP.split(block):
            words.extend([part] if _SKIP.match(part) else part)
    return words


def _cut(sentence: str, dictionary: Dictionary) -> list[str]:
    """One run of word characters, cut along the most probable path (jieba's __cut_DAG_NO_HMM)."""
    n, entry = len(sentence), dictionary.entry
    dag = {}
    for k in range(n):
        ends, i, fragment = [], k, sentence[k]
        while i < n and (frequency := entry(fragment)) is not None:
            if frequency:
                ends.append(i)
            i += 1
            fragment = sentence[k:i + 1]
        dag[k] = ends or [k]
    route = {n: (0, 0)}
    logtotal = log(dictionary.total)
    for idx in range(n - 1, -1, -1):  # the same expression as jieba's calc, so that ties fall the same way
        route[idx] = max((log(entry(sentence[idx:x + 1]) or 1) - logtotal + route[x + 1][0], x) for x in dag[idx])
    words, x, buffer = [], 0, ""
    while x < n:
        y = route[x][1] + 1
        word = sentence[x:y]
        if _ENG.match(word) and len(word) == 1:
            buffer += word
        else:
            if buffer:
                words.append(buffer)
                buffer = ""
            words.append(word)
        x = y
    if buffer:
        words.append(buffer)
    return words


class Dictionary:
    """jieba's prefix dictionary with the terms added, answered from the sorted index on demand."""

    def __init__(self, index: bytes | mmap.mmap, terms: tuple[str, ...], term_frequency: int):
        header_end = index.find(b"\n")
        self._index, self._start = index, header_end + 1
        self.total = int(index[:header_end]) + term_frequency * len(terms)
        self._terms = dict.fromkeys(terms, term_frequency)
        self._term_prefixes = {t[:i] for t in terms for i in range(1, len(t))}
        self._seen: dict[str, int | None] = {}

    def entry(self, fragment: str) -> int | None:
        """jieba's FREQ.get(fragment): a word's frequency, 0 for a mere beginning of a word, None for neither."""
        if fragment in self._terms:
            return self._terms[fragment]
        if fragment not in self._seen:
            found = self._lookup(fragment.encode("utf-8"))
            self._seen[fragment] = 0 if found is None and fragment in self._term_prefixes else found
        return self._seen[fragment]

    def _lookup(self, key: bytes) -> int | None:
        """Binary search of the index's lines (``word frequency``, sorted by the word's UTF-8 bytes)."""
        index, lo, hi = self._index, self._start, len(self._index)
        while lo < hi:
            mid = (lo + hi) // 2
            newline = index.rfind(b"\n", lo, mid)
            start = lo if newline < 0 else newline + 1
            end = index.find(b"\n", start)
            if index[start:index.find(b" ", start, end)] < key:
                lo = end + 1
            else:
                hi = start
        if lo >= len(index):
            return None
        word, _, frequency = index[lo:index.find(b"\n", lo)].partition(b" ")
        if word == key:
            return int(frequency)
        return 0 if word.startswith(key) else None


@functools.lru_cache(maxsize=8)
def _dictionary(terms: tuple[str, ...]) -> Dictionary:

    return Dictionary(_index(), terms, TERM_FREQ)


@functools.lru_cache(maxsize=1)
def _index() -> bytes | mmap.mmap:
    """The sorted index, mapped from the cache folder (written there on first use); in memory when no cache folder is writable."""
    from ..errors import WorkreportError
    from ..fsutil import atomic_write
    from ..fsutil import cache_dir

    source = jieba_dictionary()
    stat = source.stat()
    folder = cache_dir()
    if folder is None:
        return sorted_index(source.read_bytes())
    cached = Path(folder) / f"jieba-sorted-{_INDEX_FORMAT}-{stat.st_size}-{int(stat.st_mtime)}.txt"
    if cached.is_file():
        with open(cached, "rb") as file:
            mapped = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) if cached.stat().st_size else b""
        if _whole(mapped):
            return mapped
    index = sorted_index(source.read_bytes())
    try:
        atomic_write(cached, lambda tmp: tmp.write_bytes(index))  # processes building it at once never read half a file
    except WorkreportError:  # a full disk: this process answers from memory, a later one writes it
        pass
    return index


def _whole(index: bytes | mmap.mmap) -> bool:
    """Whether a cached index looks as this module writes it (a total, then lines, a newline at the end)."""
    header_end = index.find(b"\n")
    return 0 < header_end and index[:header_end].isdigit() and index[-1:] == b"\n"


def jieba_dictionary() -> Path:
    """jieba's dict.txt, found without importing jieba (whose import costs a fifth of a second)."""
    spec = importlib.util.find_spec("jieba")
    return Path(spec.origin).parent / "dict.txt"


def sorted_index(dictionary: bytes) -> bytes:
    """jieba's dict.txt as the index: the total frequency, then ``word frequency`` lines sorted by word.

    Read as jieba's gen_pfdict reads it: every line adds to the total, a word listed twice keeps
    its last frequency.
    """
    frequencies: dict[bytes, int] = {}
    total = 0
    for line in dictionary.splitlines():
        word, frequency = line.strip().decode("utf-8").split(" ")[:2]
        frequencies[word.encode("utf-8")] = int(frequency)
        total += int(frequency)
    lines = [b"%s %d" % (word, frequencies[word]) for word in sorted(frequencies)]
    return b"%d\n" % total + b"\n".join(lines) + b"\n"
