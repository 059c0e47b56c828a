"""Figures in Chinese prose: 八户, 1100多户, 50余万元, 三十五万元, 改革开放30年, 成立35周年.

Entry point: ``scan(text, terms)`` finds every figure that carries a unit and, for each, the
counted term it is about: the nearest of ``terms`` before it in the same clause.  Numbers
are read by a small numeral parser (Arabic and Chinese numerals, 多/余/约/近/左右 as
ranges, 万/亿 scales); terms are found with jieba, whose dictionary is loaded on first use
only, with ``terms`` added as user words so that a term is never split or merged into a
longer word.  Used by the prose checks (WR6xx) and by the lint of existing reports.
"""

from __future__ import annotations

import functools
import io
import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from .quantity import Quantity, QuantityError, parse_chinese_number, parse_quantity

UNITS = ("周年", "户", "人", "元", "个", "项", "%", "％", "次", "名", "家", "条", "年", "岁")
_CN_NUM = "零〇一二两三四五六七八九十百千万亿"
_FIGURE_RE = re.compile(
    r"(?P<pre>约|近)?"
    rf"(?P<num>\d+(?:\.\d+)?|[{_CN_NUM}]+)"
    r"(?P<more1>多|余)?(?P<scale>万|亿)?(?P<more2>多|余)?"
    # A space before the unit ("180 户") is a typographic slip, not the end of the figure; a scaled
    # number needs no unit ("投保50余万").
    rf"(?:[ \u3000]?(?P<unit>{'|'.join(map(re.escape, UNITS))}))?"
    r"(?P<post>左右)?"
)
# Where a clause ends: a counted term does not reach across these.
_CLAUSE_END = set("，,。；;！!？?：:\n")
# A Chinese numeral must hold a digit or 十 (千家万户 is not a figure).
_CN_HAS_DIGIT = re.compile("[零〇一二两三四五六七八九十]")


@dataclass(frozen=True)
class ProseFigure:
    """A figure found in prose: as written, its value range and unit, where it is, and its counted term."""

    text: str
    quantity: Quantity
    start: int
    end: int
    term: str | None = None

    @property
    def is_year(self) -> bool:
        """Whether this is a calendar year (2015年), not a count of years (30年)."""
        q = self.quantity
        return q.unit == "年" and q.exact and q.value.denominator == 1 and 1900 <= q.value <= 2100 and self.text[:1].isdigit()


def scan(text: str, terms: Iterable[str] = (), require_term: bool = False) -> list[ProseFigure]:
    """Every figure with a unit in ``text``, each with the nearest term of ``terms`` before it in its clause.

    With ``require_term`` only figures that have one of ``terms`` before them in their clause
    are returned; text with no such figure is then answered without loading jieba at all.
    """
    terms = tuple(sorted({t for t in terms if t}))
    matches = list(_FIGURE_RE.finditer(text))
    if require_term:
        matches = [m for m in matches if _clause_mentions(text, m.start(), terms)]
    if not matches:
        return []  # no figure: jieba is not even loaded
    tokens = _tokens(text, terms)
    starts = {start for _, start, _ in tokens} | {len(text)}
    ends = {end for _, _, end in tokens} | {0}
    found = []
    for match in matches:
        figure = _figure(match, text, starts, ends)
        if figure is not None:
            term = _term_before(tokens, set(terms), text, figure.start)
            found.append(ProseFigure(figure.text, figure.quantity, figure.start, figure.end, term))
    return found


def _clause_mentions(text: str, position: int, terms: tuple[str, ...]) -> bool:
    """Whether any of ``terms`` stands in the clause before ``position`` (a cheap test before segmenting)."""
    start = max((i for i in range(position) if text[i] in _CLAUSE_END), default=-1) + 1
    clause = text[start:position]
    return any(term in clause for term in terms)


_WORDS_CALLS = itertools.count()
# The domain's terms outweigh any split of them: 生育关怀 stays whole even where 生育 and 关怀 are common words.
TERM_FREQ = 100_000


def words(text: str, terms: Iterable[str] = ()) -> list[str]:
    """A short ``text`` (a title) segmented into words exactly as jieba's full dictionary would,
    with ``terms`` (the domain's words, data/terms.yaml) kept whole as in ``scan``.

    Loading jieba's whole dictionary takes most of a second.  For the first text of a process
    a scan of the dictionary for the text's own substrings is quicker (a third of that) and
    gives the same words, since jieba only ever looks up substrings (and the dictionary's
    total frequency, kept too, weighs every path).  A process that segments more (a batch)
    loads the dictionary once instead.
    """
    terms = tuple(sorted({t for t in terms if t}))
    if next(_WORDS_CALLS):
        return _tokenizer(terms).lcut(text, HMM=False)
    return _substring_tokenizer(text, tuple(t for t in terms if t in text)).lcut(text, HMM=False)


def _substring_tokenizer(text: str, terms: tuple[str, ...] = ()):
    """A jieba tokenizer that knows only the dictionary words found inside ``text``, and ``terms``."""
    import jieba

    tokenizer = jieba.Tokenizer()
    wanted = {text[i:j] for i in range(len(text)) for j in range(i + 1, len(text) + 1)}
    entries, total = [], 0
    with tokenizer.get_dict_file() as dictionary:
        for line in dictionary.read().decode("utf-8").splitlines():
            word, _, rest = line.partition(" ")
            frequency = int(rest.partition(" ")[0])
            total += frequency
            if word in wanted:
                entries.append(f"{word} {frequency}")
    tokenizer.FREQ, _ = tokenizer.gen_pfdict(io.BytesIO("\n".join(entries).encode("utf-8")))
    tokenizer.total, tokenizer.initialized = total, True
    for term in terms:
        tokenizer.add_word(term, TERM_FREQ)
    return tokenizer


def _figure(match: re.Match, text: str, starts: set[int], ends: set[int]) -> ProseFigure | None:
    """The match as a ProseFigure, or None when it is part of a word (这一项目, 第一个) or not a number."""
    start, end = match.span()
    if start not in starts or end not in ends:
        return None
    if start > 0 and (text[start - 1] == "第" or text[start - 1].isdigit() or text[start - 1] == "."):
        return None
    if not match["unit"] and not match["scale"]:
        return None
    number = match["num"]
    if not number[0].isdigit():
        number = _arabic(number)
        if number is None:
            return None
    written = f"{match['pre'] or ''}{number}{match['more1'] or ''}{match['scale'] or ''}{match['more2'] or ''}{match['unit'] or ''}{match['post'] or ''}"
    try:
        quantity = parse_quantity(written)
    except QuantityError:
        return None
    return ProseFigure(match.group(), quantity, start, end)


def _arabic(numeral: str) -> str | None:
    """A Chinese numeral as Arabic digits, keeping a trailing 万/亿 as the scale: 三十五万 → 35万."""
    if not _CN_HAS_DIGIT.search(numeral):
        return None
    scale = numeral[-1] if numeral[-1] in "万亿" and len(numeral) > 1 else ""
    core = numeral[: -1] if scale else numeral
    try:
        return f"{parse_chinese_number(core)}{scale}"
    except ValueError:
        return None


def _term_before(tokens: list[tuple[str, int, int]], terms: set[str], text: str, position: int) -> str | None:
    """The nearest term token ending at or before ``position`` with no clause end in between."""
    for word, start, end in reversed(tokens):
        if end > position:
            continue
        if any(ch in _CLAUSE_END for ch in text[end:position]):
            return None
        if word in terms:
            return word
    return None


def _tokens(text: str, terms: tuple[str, ...]) -> list[tuple[str, int, int]]:
    """jieba's segmentation of ``text`` as (word, start, end), with ``terms`` kept whole."""
    return list(_tokenizer(terms).tokenize(text, HMM=False))


@functools.lru_cache(maxsize=8)
def _tokenizer(terms: tuple[str, ...]):
    """A jieba tokenizer with the terms as user words (jieba's dictionary loads here, on first use)."""
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.tmp_dir = _cache_dir()  # jieba caches its parsed dictionary there: ~1 s saved on every later run
    for term in terms:
        tokenizer.add_word(term, TERM_FREQ)
    return tokenizer


def _cache_dir() -> str | None:
    """A writable folder for jieba's dictionary cache ($XDG_CACHE_HOME/workreport), or None for the system temp folder."""
    import os
    from pathlib import Path

    folder = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "workreport"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return str(folder) if os.access(folder, os.W_OK) else None
