"""Roll-up checks WR551–WR554: the county against the sum of its townships."""


import pytest

from workreport.checks import run_checks
from workreport.pipeline import load_facts
from workreport.rules.derive import derive

from ..conftest import ROOT, edit

EXAMPLE = ROOT / "tests" / "data" / "rollup"




def rollup_findings(county):
    facts = load_facts(county)
    return [f for f in run_checks(facts, derive(facts)) if f.code.startswith("WR55")]


def test_the_example_county_adds_up():
    assert rollup_findings(EXAMPLE / "2016.yaml") == []


def test_a_county_figure_unlike_the_township_sum_is_an_error_naming_the_townships(rollup_example):
    county = edit(rollup_example / "2016.yaml", "现有户数: 180", "现有户数: 200")
    [finding] = rollup_findings(county)
    assert finding.code == "WR551" and finding.severity == "error"
    assert finding.key == "生育关怀.亲情关爱.现有户数"
    assert finding.line == county.read_text(encoding="utf-8").splitlines().index("    现有户数: 200") + 1
    assert all(f"{name} {n}户" in finding.message for name, n in (("大阁镇", 60), ("胡麻营乡", 70), ("土城镇", 50)))
    assert finding.expected == "180户" and finding.actual == "200户"


@pytest.mark.parametrize("county_figure, codes", [("1250", []), ("1100多", []), ("1000多", []), ("1350", ["WR551"]), ("1000", ["WR551"])])
def test_approximate_figures_compare_as_ranges(rollup_example, county_figure, codes):
    # the townships' 500多 + 300 + 300多 can be anything from 1100 to 1300
    county = edit(rollup_example / "2016.yaml", "扶持户数: 1100多", f"扶持户数: {county_figure}")
    assert [f.code for f in rollup_findings(county)] == codes


def test_a_partial_sum_above_the_county_is_an_error_naming_who_is_missing(rollup_example):
    county = edit(rollup_example / "2016.yaml", "脱贫户数: 270", "脱贫户数: 150")
    [finding] = rollup_findings(county)
    assert finding.code == "WR552" and "未填写的乡镇：土城镇" in finding.message


def test_a_township_of_another_year_is_an_error_in_its_file(rollup_example):
    edit(rollup_example / "2016" / "乡镇" / "土城镇.yaml", "年度: 2016", "年度: 2015")
    codes = {f.code: f for f in rollup_findings(rollup_example / "2016.yaml")}
    assert codes["WR553"].file.endswith("土城镇.yaml") and codes["WR553"].line == 1


def test_fewer_township_files_than_townships_is_a_warning(rollup_example):
    county = edit(rollup_example / "2016.yaml", "乡镇数: 3", "乡镇数: 26")
    [finding] = rollup_findings(county)
    assert finding.code == "WR554" and finding.severity == "warning" and "3 个乡镇的文件" in finding.message


def test_a_county_without_townships_has_no_rollup_findings(facts_dir):
    assert rollup_findings(facts_dir / "2016.yaml") == []
