"""The labelled corpus (tests/prose_corpus/corpus.yaml): every must-flag entry is flagged with its code, no other entry warns."""

from pathlib import Path

import pytest

from .prose_corpus.evaluate import entries, codes_found

ENTRIES = entries()


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("corpus")


def test_the_corpus_is_large_and_covers_every_code_lint_reports():
    assert len(ENTRIES) >= 150
    flagged = {code for e in ENTRIES for code in e.codes}
    assert flagged == {"WR101", "WR102", "WR203", "WR301", "WR302", "WR401", "WR402", "WR403", "WR404", "WR701", "WR702"}
    assert sum(1 for e in ENTRIES if not e.codes) >= 100
    assert any(e.raw for e in ENTRIES)  # title and body joined, as pasted from a PDF
    assert sum(1 for e in ENTRIES if "縣" in e.text or "協" in e.text) >= 6  # traditional characters


@pytest.mark.parametrize("entry", [e for e in ENTRIES if e.codes], ids=lambda e: f"{e.number}-{'+'.join(sorted(e.codes))}")
def test_a_must_flag_entry_is_flagged_with_its_code(entry, folder):
    assert entry.codes <= codes_found(entry, folder)


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: str(e.number))
def test_no_entry_gets_an_error_or_warning_it_was_not_labelled_with(entry, folder):
    assert codes_found(entry, folder) <= entry.codes
