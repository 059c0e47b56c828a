"""explain and the generated docs/checks.md."""

from workreport.checks import all_checks
from workreport.checks.docs import DOCS_FILE, explain_code, markdown


def test_every_code_is_explained_with_what_why_and_fix():
    for code, item in all_checks().items():
        text = explain_code(code.lower())
        assert text.startswith(f"{code} {item.title}")
        assert len(item.doc.splitlines()) >= 2, f"{code} has no documentation"


def test_unknown_code_is_not_explained():
    assert explain_code("WR999") is None


def test_committed_docs_are_up_to_date():
    assert DOCS_FILE.read_text(encoding="utf-8") == markdown(), "run make docs-checks"
