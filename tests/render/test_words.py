"""The title's segmentation from the sorted index is jieba's full segmentation with the domain's terms."""

from __future__ import annotations

import random
import subprocess
import sys

from workreport import fsutil
from workreport.prose.vocabulary import title_terms
from workreport.render import words
from workreport.render.words import segment, sorted_index
from workreport.rules.derive import load_calendar

TERMS = title_terms(load_calendar())
REFERENCE_TITLE = "丰宁县计生协完善队伍建设夯实计生协会基层基础"

# Pieces titles are made of: units, the field's words, verbs, years; a few made-up runs and Latin/digits
# to reach words jieba's dictionary does not hold and its handling of Latin, digits and spaces.
UNITS = ["丰宁县计生协", "丰宁满族自治县计划生育协会", "承德市计生协会", "隆化县计划生育协会", "宽城县计生协会"]
VERBS = ["完善", "夯实", "推进", "扎实推进", "全力推进", "深化", "加强", "创新", "落实", "开展", "做好", "助力"]
OBJECTS = ["队伍建设", "基层基础", "生育关怀", "少生快富", "流动人口", "计生特殊家庭", "幸福家庭", "母亲节",
           "会员之家", "群众自治", "优质服务", "宣传教育", "协会工作", "青春健康", "家庭发展", "暖心行动"]
ENDINGS = ["", "工作总结", "年度工作总结", "2016年工作总结", "二〇一六年工作总结", "工作", "取得新成效"]
ODD = ["AB型", "3A级", "x-y", "No.1", " ", "、", "（试行）", "乡镇a1", "嘢嘢"]


def _jieba(terms) -> "jieba.Tokenizer":
    """jieba itself, with its whole dictionary and ``terms`` added as the index adds them: the oracle."""
    import jieba

    tokenizer = jieba.Tokenizer()
    for term in terms:
        tokenizer.add_word(term, words.TERM_FREQ)
    return tokenizer


def _full(text: str) -> list[str]:
    return _JIEBA.lcut(text, HMM=False)


_JIEBA = _jieba(sorted(set(TERMS)))


def _titles(count: int, seed: int = 15) -> list[str]:
    rng = random.Random(seed)
    titles = []
    for _ in range(count):
        parts = [rng.choice(UNITS)]
        for _ in range(rng.randint(1, 3)):
            parts += [rng.choice(VERBS), rng.choice(OBJECTS + list(TERMS))]
        if rng.random() < 0.2:
            parts.insert(rng.randint(1, len(parts)), rng.choice(ODD))
        parts.append(rng.choice(ENDINGS))
        titles.append("".join(parts))
    return titles


def test_the_reference_title_is_cut_as_jieba_cuts_it():
    assert segment(REFERENCE_TITLE, TERMS) == _full(REFERENCE_TITLE)
    assert "计生协会" in segment(REFERENCE_TITLE, TERMS)  # a term of the field, whole


def test_a_thousand_generated_titles_are_cut_as_jieba_cuts_them():
    titles = _titles(1000)
    assert len(set(titles)) > 900
    different = [(t, segment(t, TERMS), _full(t)) for t in titles if segment(t, TERMS) != _full(t)]
    assert different == []


def test_without_terms_it_is_plain_jieba():
    import jieba

    plain = jieba.Tokenizer()
    for title in _titles(50, seed=7):
        assert segment(title) == plain.lcut(title, HMM=False) == segment(title, ())


def test_the_index_reads_the_dictionary_as_jieba_does():
    """Every line adds to the total, a word listed twice keeps its last frequency, words sort by their bytes."""
    index = sorted_index("乙 5 n\n甲乙 3\n甲 2 v\n乙 7 n\n".encode("utf-8"))
    assert index.decode("utf-8") == "17\n乙 7\n甲 2\n甲乙 3\n"  # 乙 is U+4E59, 甲 U+7532
    dictionary = words.Dictionary(index, ("甲丙丁",), 100)
    assert dictionary.total == 117
    assert [dictionary.entry(w) for w in ("甲", "甲乙", "乙", "甲丙", "甲丙丁", "丙", "甲乙乙")] == [2, 3, 7, 0, 100, None, None]


def test_the_index_is_written_once_to_the_cache_and_read_without_importing_jieba(tmp_path):
    script = f"""
import sys
from workreport.render.words import segment
print("/".join(segment({REFERENCE_TITLE!r}, ["计生协会"])))
assert "jieba" not in sys.modules
"""
    env = {"XDG_CACHE_HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    first = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env)
    assert first.returncode == 0, first.stderr
    cached = list((tmp_path / "workreport").glob("jieba-sorted-*.txt"))
    assert len(cached) == 1
    written = cached[0].stat().st_mtime_ns
    second = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env)
    assert second.stdout == first.stdout and second.returncode == 0
    assert cached[0].stat().st_mtime_ns == written  # read, not written again
    assert first.stdout.strip().split("/") == _jieba(["计生协会"]).lcut(REFERENCE_TITLE, HMM=False)


def test_without_a_writable_cache_the_index_is_built_in_memory(monkeypatch):
    monkeypatch.setattr(fsutil, "cache_dir", lambda: None)
    words._index.cache_clear()
    words._dictionary.cache_clear()
    try:
        assert segment(REFERENCE_TITLE, TERMS) == _full(REFERENCE_TITLE)
        assert isinstance(words._index(), bytes)
    finally:
        words._index.cache_clear()
        words._dictionary.cache_clear()


def test_a_damaged_cached_index_is_written_again(tmp_path, monkeypatch):
    monkeypatch.setattr(fsutil, "cache_dir", lambda: str(tmp_path))
    source = words.jieba_dictionary().stat()
    cached = tmp_path / f"jieba-sorted-{words._INDEX_FORMAT}-{source.st_size}-{int(source.st_mtime)}.txt"
    cached.write_bytes(b"12\n\xe8\xae\xa1 3")  # cut short: no newline at the end
    words._index.cache_clear()
    words._dictionary.cache_clear()
    try:
        assert segment(REFERENCE_TITLE, TERMS) == _full(REFERENCE_TITLE)
        assert cached.read_bytes().endswith(b"\n") and cached.stat().st_size > 1_000_000
    finally:
        words._index.cache_clear()
        words._dictionary.cache_clear()
