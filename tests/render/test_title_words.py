"""A long title breaks between words, with the same segmentation as the prose checks: jieba with
the domain's terms (data/terms.yaml, the calendar's names) kept whole."""

from __future__ import annotations

import pytest

from workreport.prose.vocabulary import title_terms
from workreport.render.docx import split_title
from workreport.rules.derive import load_calendar

TERMS = [t for t in title_terms(load_calendar()) if len(t) > 1]


def _broken_terms(title: str) -> list[str]:
    """The terms of the title that its line break falls inside."""
    head, _, tail = split_title(title).partition("\n")
    cut = len(head)
    return [t for t in TERMS for start in range(len(title)) if title.startswith(t, start) and start < cut < start + len(t)] if tail else []


@pytest.mark.parametrize("title, expected", [
    ("丰宁县计生协完善队伍建设夯实计生协会基层基础", "丰宁县计生协完善队伍建设\n夯实计生协会基层基础"),  # the reference title
    ("丰宁县计生协会推进生育关怀和少生快富工作总结", "丰宁县计生协会推进生育关怀\n和少生快富工作总结"),  # not 生育｜关怀
    ("丰宁满族自治县计划生育协会2016年工作总结", "丰宁满族自治县计划生育协会\n2016年工作总结"),
])
def test_reference_and_generated_titles(title: str, expected: str) -> None:
    assert split_title(title) == expected


@pytest.mark.parametrize("term", [t for t in TERMS if len(t) >= 3])
def test_no_term_is_broken_wherever_it_falls(term: str) -> None:
    for lead in ("丰宁县计生协会推进", "丰宁县计生协会扎实推进", "丰宁县计划生育协会全力推进"):
        title = f"{lead}{term}工作夯实基层基础"
        assert not _broken_terms(title), (title, split_title(title))
