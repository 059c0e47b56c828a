"""Word segmentation of short texts (a title that must not break inside a word), with jieba.

Reading figures does not segment (prose.numbers and prose.reading work on characters, in
linear time); only the .docx writer asks where the words of a long title are.  jieba's
dictionary is loaded on first use only.
"""

from __future__ import annotations

import functools
import io
import itertools
from collections.abc import Iterable

from ..fsutil import cache_dir

_WORDS_CALLS = itertools.count()
# The domain's terms outweigh any split of them: 生育关怀 stays whole even where 生育 and 关怀 are common words.
TERM_FREQ = 100_000


def words(text: str, terms: Iterable[str] = ()) -> list[str]:
    """A short ``text`` (a title) segmented into words exactly as jieba's full dictionary would,
    with ``terms`` (the domain's words, data/terms.yaml and the calendar) kept whole.

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


@functools.lru_cache(maxsize=8)
def _tokenizer(terms: tuple[str, ...] = ()):
    """jieba's tokenizer with its whole dictionary (loaded here, on first use, from a cache when one was kept)
    and ``terms`` as user words."""
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.tmp_dir = cache_dir()  # jieba caches its parsed dictionary there: ~1 s saved on every later run
    for term in terms:
        tokenizer.add_word(term, TERM_FREQ)
    return tokenizer
