"""Which figures WR501 compares with last year: every figure the schema marks cumulative, wherever the facts hold it."""

from pathlib import Path

import pytest

from workreport.checks.across_years import cumulative_paths
from workreport.facts import walk
from workreport.pipeline import load_facts
from workreport.schema import schema_at

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("name", ["facts/2016.yaml", "facts/examples/青石县/2016.yaml", "facts/examples/青石县/2017.yaml"])
def test_cumulative_paths_are_the_present_figures_the_schema_marks_cumulative_in_file_order(name):
    facts = load_facts(ROOT / name, with_previous=False)
    schema = facts.kind.schema
    marked = [path for path, _ in walk(facts.values) if path and (schema_at(schema, path) or {}).get("x-cumulative")]
    assert marked or "青石县" in name  # the reference county's file holds cumulative figures
    assert list(cumulative_paths(schema, facts.values)) == marked
