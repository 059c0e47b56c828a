"""Word segmentation of short texts (a title that must not break inside a word), with jieba.

Reading figures does not segment (prose.numbers and prose.reading work on characters, in
linear time); only the .docx writer asks where the words of a long title are.  jieba's
dictionary is loaded on first use only.
"""

from __future__ import annotations

import functools
import io
import itertools

_WORDS_CALLS = itertools.count()


def words(text: str) -> list[str]:
    """A short ``text`` (a title) segmented into words exactly as jieba's full dictionary would.

    Loading jieba's whole dictionary takes most of a second.  For the first text of a process
    a scan of the dictionary for the text's own substrings is quicker (a third of that) and
    gives the same words, since jieba only ever looks up substrings (and the dictionary's
    total frequency, kept too, weighs every path).  A process that segments more (a batch)
    loads the dictionary once instead.
    """
    if next(_WORDS_CALLS):
        return _tokenizer().lcut(text)
    return _substring_tokenizer(text).lcut(text)


def _substring_tokenizer(text: str):
    """A jieba tokenizer that knows only the dictionary words found inside ``text``."""
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
    return tokenizer


@functools.lru_cache(maxsize=1)
def _tokenizer():
    """jieba's tokenizer with its whole dictionary (loaded here, on first use, from a cache when one was kept)."""
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.tmp_dir = _cache_dir()  # jieba caches its parsed dictionary there: ~1 s saved on every later run
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
