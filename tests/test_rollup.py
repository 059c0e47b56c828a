"""Township roll-up: which figures add up, their sums as ranges, and writing them into the county file."""

from fractions import Fraction
from pathlib import Path

import pytest

from workreport.cli import main
from workreport.kind import load_kind
from workreport.pipeline import load_facts
from workreport.rollup import additive_paths, base_name, load_townships, totals, township_folder, write_county

from .conftest import ROOT, edit

EXAMPLE = ROOT / "tests" / "data" / "rollup"
TOWNSHIPS = EXAMPLE / "2016" / "乡镇"




def _by_key(found):
    return {".".join(t.path): t for t in found}


def test_additive_figures_are_declared_in_the_schema():
    paths = additive_paths(load_kind())
    assert ("生育关怀", "少生快富", "扶持户数") in paths and ("保险", "投保金额", "金额") in paths
    assert ("生育关怀", "少生快富", "人均增收") not in paths  # an average does not add up
    assert ("乡镇数",) not in paths


def test_the_township_folder_is_found_by_convention_or_by_key(rollup_example):
    assert township_folder(load_facts(rollup_example / "2016.yaml")) == rollup_example / "2016" / "乡镇"
    moved = rollup_example / "各乡镇"
    (rollup_example / "2016" / "乡镇").rename(moved)
    county = rollup_example / "2016.yaml"
    assert township_folder(load_facts(county)) is None
    county.write_text(county.read_text(encoding="utf-8") + "乡镇事实: 各乡镇\n", encoding="utf-8")
    assert township_folder(load_facts(county)) == moved


def test_sums_are_ranges_over_the_townships_and_name_them():
    found = _by_key(totals(load_townships(TOWNSHIPS)))
    households = found["生育关怀.少生快富.扶持户数"]  # 500多 + 300 + 300多
    assert (households.low, households.high) == (1100, 1300)
    assert sorted(name for name, _ in households.parts) == ["土城镇", "大阁镇", "胡麻营乡"]
    assert found["生育关怀.幸福工程.总投入"].low == 350_000  # derived per township from its 资金来源
    poverty = found["生育关怀.幸福工程.脱贫户数"]
    assert poverty.missing == ["土城镇"] and not poverty.complete


@pytest.mark.parametrize("key, written", [
    ("生育关怀.少生快富.扶持户数", "1100多"),
    ("生育关怀.亲情关爱.现有户数", 180),
    ("生育关怀.亲情关爱.项目资金.金额", "10万元"),
    ("保险.投保金额.金额", "50余万元"),
])
def test_sums_are_written_the_way_reports_write_figures(key, written):
    assert _by_key(totals(load_townships(TOWNSHIPS)))[key].written() == written


def test_rollup_rewrites_the_county_figures_and_keeps_its_comments(rollup_example, capsys):
    county = rollup_example / "2016.yaml"
    text = county.read_text(encoding="utf-8").replace("现有户数: 180", "现有户数: 170").replace("扶持户数: 1100多", "扶持户数: 900")
    county.write_text(text, encoding="utf-8")
    assert main(["rollup", str(rollup_example / "2016" / "乡镇"), "-o", str(county)]) == 0
    facts = load_facts(county)
    assert facts.get(("生育关怀", "亲情关爱", "现有户数")).value == 180
    assert facts.get(("生育关怀", "少生快富", "扶持户数")).low == 1100
    assert facts.get(("生育关怀", "幸福工程", "脱贫户数")).value == 270  # 土城镇 gave none: left as it was
    written = county.read_text(encoding="utf-8")
    assert "# 各乡镇 500多 + 300 + 300多" in written and "总投入" not in written  # derived figures stay derived
    out = capsys.readouterr().out
    assert "土城镇 没有填写，未写入" in out and "已写入" in out


def test_rollup_makes_a_new_county_file(tmp_path):
    target = tmp_path / "县.yaml"
    write_county(TOWNSHIPS, target)
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# 由 ") and "请补写 单位" in text
    target.write_text(text + "单位: 样例县计划生育协会\n", encoding="utf-8")
    facts = load_facts(target)
    assert facts.year == 2016
    assert facts.get(("生育关怀", "亲情关爱", "项目资金", "年份")) == 2016
    assert facts.get(("保险", "投保金额", "金额")).value == Fraction(500_000)


def _figures_changed(text: str) -> str:
    """The example county with the figures rollup must rewrite set to other values, by hand."""
    text = text.replace("扶持户数: 1100多 ", "扶持户数: '900' ")  # quoted: the quotes stay
    text = text.replace("现有户数: 180", "现有户数: 170")
    return text.replace("金额: 50余万元", "金额: \"40万元\"")


@pytest.mark.parametrize("bom, eol", [(False, "\n"), (True, "\r\n"), (True, "\n"), (False, "\r\n"), (False, "\r")])
def test_rollup_changes_only_the_figures_it_owns(rollup_example, bom, eol):
    county = rollup_example / "2016.yaml"
    original = county.read_text(encoding="utf-8")
    edited = _figures_changed(original).replace("\n", eol)
    county.write_bytes((b"\xef\xbb\xbf" if bom else b"") + edited.encode("utf-8"))

    assert main(["rollup", str(rollup_example / "2016" / "乡镇"), "-o", str(county)]) == 0

    expected = (original.replace("扶持户数: 1100多 ", "扶持户数: '1100多' ")
                .replace("金额: 50余万元", "金额: \"50余万元\"")).replace("\n", eol)
    assert county.read_bytes() == (b"\xef\xbb\xbf" if bom else b"") + expected.encode("utf-8")


@pytest.mark.parametrize("eol", ["\n", "\r\n", "\r"])
def test_rollup_adds_missing_figures_under_their_group_with_the_files_indentation(rollup_example, eol):
    county = rollup_example / "2016.yaml"
    text = county.read_text(encoding="utf-8")
    without = text.replace("    项目资金:\n      年份: 2016\n      金额: 10万元\n", "").replace("    新增户数: 8\n", "")
    without = without.replace("保险:\n  投保金额:\n    年份: 2016\n    金额: 50余万元\n", "保险:   # 本年投保\n")
    county.write_bytes(without.replace("\n", eol).encode("utf-8"))

    assert main(["rollup", str(rollup_example / "2016" / "乡镇"), "-o", str(county)]) == 0

    expected = (without.replace("    体检户数: 180\n", "    体检户数: 180\n    新增户数: 8\n    项目资金:\n      年份: 2016\n      金额: 10万元\n")
                .replace("保险:   # 本年投保\n", "保险:   # 本年投保\n  投保金额:\n    年份: 2016\n    金额: 50余万元\n"))
    assert county.read_bytes() == expected.replace("\n", eol).encode("utf-8")


def test_a_county_file_indented_by_four_gets_new_lines_indented_by_four(rollup_example):
    county = rollup_example / "2016.yaml"
    county.write_text("年度: 2016\n单位: 样例县计划生育协会\n生育关怀:\n    少生快富:\n        扶持户数: 1\n", encoding="utf-8")

    assert main(["rollup", str(rollup_example / "2016" / "乡镇"), "-o", str(county)]) == 0

    written = county.read_text(encoding="utf-8")
    assert written.startswith("年度: 2016\n单位: 样例县计划生育协会\n生育关怀:\n    少生快富:\n        扶持户数: 1100多\n"
                              "    亲情关爱:\n        新增户数: 8\n")
    assert load_facts(county).get(("保险", "投保金额", "年份")) == 2016


def test_an_empty_figure_is_filled_in_after_its_colon(rollup_example):
    county = rollup_example / "2016.yaml"
    edit(county, "    现有户数: 180\n", "    现有户数:\n")

    assert main(["rollup", str(rollup_example / "2016" / "乡镇"), "-o", str(county)]) == 0

    assert "    现有户数: 180\n    体检户数: 180\n" in county.read_text(encoding="utf-8")


@pytest.mark.parametrize("copy", ["大阁镇.yml", "大阁镇 - 副本.yaml", "大阁镇 - Copy (2).yaml", "大阁镇（2）.yaml", "大阁镇副本.yaml",
                                  "大阁镇 copy.yaml", "大阁镇 - 副本 - 副本.yaml"])
def test_a_copys_file_name_names_the_same_township(copy):
    assert base_name(Path(copy).stem) == base_name("大阁镇") == "大阁镇"


@pytest.mark.parametrize("other", ["大阁镇二村", "大阁", "副本镇"])
def test_other_townships_names_stay_apart(other):
    assert base_name(other) == other != "大阁镇"
