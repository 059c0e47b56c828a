"""Year-over-year changes: which way a figure went, by how much, and the words for it."""

from __future__ import annotations

from workreport.pipeline import derive_and_assemble, load_facts
from workreport.quantity import parse_quantity
from workreport.rules.yoy import AMOUNT, DOWN, RATE, SAME, UP, change, changes, phrase

from ..conftest import FACTS, edit


def q(text, unit="户"):
    return parse_quantity(text, unit)


def test_direction_of_exact_figures():
    assert change(q(180), q(178)).direction == UP
    assert change(q(175), q(180)).direction == DOWN
    assert change(q(180), q(180)).direction == SAME


def test_wording_of_amounts():
    assert phrase(change(q(180), q(178))) == "比上年增加2户"
    assert phrase(change(q(175), q(180))) == "比上年减少5户"
    assert phrase(change(q(180), q(180))) == "与上年持平"
    assert phrase(change(q("12万元", "元"), q("10万元", "元"))) == "比上年增加2万元"
    assert phrase(change(q("100500", "元"), q("10万元", "元"))) == "比上年增加500元"


def test_wording_of_rates():
    assert phrase(change(q(190), q(180)), RATE) == "比上年增长5.6%"
    assert phrase(change(q(162), q(180)), RATE) == "比上年下降10%"
    assert phrase(change(q(180), q(180)), RATE) == "与上年持平"
    assert phrase(change(q(3), q(0)), RATE) == "比上年增加3户"  # no rate from zero: the amount instead


def test_percentages_change_by_points():
    assert phrase(change(q("95%", "%"), q("90%", "%"))) == "比上年提高5个百分点"
    assert phrase(change(q("85%", "%"), q("90%", "%")), RATE) == "比上年降低5个百分点"


def test_approximate_figures_only_when_every_value_agrees():
    assert change(q("1100多"), q("1000多")) is None  # 1100–1200 against 1000–1100: could be equal
    assert phrase(change(q("1300多"), q("1100多"))) == "比上年有所增加"
    assert phrase(change(q(900), q("1100多"))) == "比上年有所减少"
    assert phrase(change(q("1300多"), q("1100多")), RATE) == "比上年有所增加"


def test_not_comparable():
    assert change(q(5), None) is None
    assert change(q("5万元", "元"), q(5)) is None  # units differ
    assert change("文字", "文字") is None


def test_changes_mirror_this_years_mappings():
    now = {"年度": 2017, "亲情关爱": {"现有户数": q(175), "新增户数": q(4)}, "保险": {"险种": ["甲"]}}
    before = {"年度": 2016, "亲情关爱": {"现有户数": q(180)}}
    tree = changes(now, before)
    assert set(tree) == {"亲情关爱", "保险"}
    assert set(tree["亲情关爱"]) == {"现有户数"}
    assert tree["亲情关爱"]["现有户数"].direction == DOWN
    assert tree["保险"] == {}
    assert changes(now, None) == {"亲情关爱": {}, "保险": {}}


def _text(path):
    _, report, _ = derive_and_assemble(load_facts(path))
    return "\n".join(p.text for p in report.paragraphs)


def test_2016_report_compares_families_with_2015():
    assert "现共有计生特困家庭180户，比上年增加2户。" in _text(FACTS / "2016.yaml")


def test_comparison_left_out_without_last_years_figure(facts_dir):
    (facts_dir / "2015.yaml").unlink()
    assert "现共有计生特困家庭180户。" in _text(facts_dir / "2016.yaml")


def test_comparison_says_unchanged(facts_dir):
    edit(facts_dir / "2015.yaml", "现有户数: 178", "现有户数: 180")
    edit(facts_dir / "2016.yaml", "退出户数: 6", "退出户数: 8")
    assert "现共有计生特困家庭180户，与上年持平。" in _text(facts_dir / "2016.yaml")


def test_forms_are_named_in_chinese():
    assert (AMOUNT, RATE) == ("差额", "幅度")
