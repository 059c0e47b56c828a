"""Quantities: parsing as staff write them, ranges of approximate figures, Chinese numerals."""

from fractions import Fraction

import pytest

from workreport.quantity import (
    QuantityError,
    chinese_numeral,
    ordinal,
    parse_chinese_number,
    parse_figure,
    parse_quantity,
    ranges_overlap,
    sum_range,
)


@pytest.mark.parametrize(
    ("written", "unit", "low", "high", "shown"),
    [
        (180, "户", 180, 180, "180户"),
        ("180户", "户", 180, 180, "180户"),
        ("１８０", "户", 180, 180, "180户"),
        ("1100多", "户", 1100, 1200, "1100多户"),
        ("3000多元", "元", 3000, 4000, "3000多元"),
        ("50余万", "元", 500_000, 600_000, "50余万元"),
        ("35万元", "元", 350_000, 350_000, "35万元"),
        ("0.5万元", "元", 5000, 5000, "0.5万元"),
        ("约300", "人", 250, 350, "约300人"),
        ("300左右", "人", 250, 350, "300人左右"),
        ("近200", "户", 100, 200, "近200户"),
        ("90%", "%", 90, 90, "90%"),
    ],
)
def test_written_figures_keep_their_form_and_range(written, unit, low, high, shown):
    q = parse_quantity(written, unit)
    assert (q.low, q.high) == (low, high)
    assert str(q) == shown


def test_chinese_numeral_in_a_count_suggests_the_arabic_figure():
    with pytest.raises(QuantityError, match="请写作 8"):
        parse_quantity("八户", "户")


def test_wrong_unit_is_named():
    with pytest.raises(QuantityError, match="单位应为“元”"):
        parse_quantity("35人", "元")


def test_scale_is_only_for_money():
    with pytest.raises(QuantityError, match="350000"):
        parse_quantity("35万", "户")


def test_two_approximations_at_once_are_refused():
    with pytest.raises(QuantityError, match="两种约数"):
        parse_quantity("约1100多", "户")


@pytest.mark.parametrize(("text", "value"), [("八", 8), ("十", 10), ("十五", 15), ("一百八十", 180), ("三十五万", 350_000), ("两", 2), ("一千一百", 1100), ("二〇一六", 2016)])
def test_parse_chinese_number(text, value):
    assert parse_chinese_number(text) == value


@pytest.mark.parametrize(("value", "text"), [(0, "零"), (6, "六"), (9, "九"), (10, "十"), (15, "十五"), (38, "三十八"), (105, "一百零五"), (1100, "一千一百"), (350_000, "三十五万")])
def test_chinese_numeral(value, text):
    assert chinese_numeral(value) == text


def test_ordinal_styles():
    assert [ordinal(i, "首先") for i in (1, 2, 3, 4)] == ["首先是", "其次是", "三是", "四是"]
    assert [ordinal(i, "一是") for i in (1, 2)] == ["一是", "二是"]
    assert ordinal(5, "一、") == "五、"


def test_sum_of_approximate_figures_is_a_range():
    parts = [parse_quantity("1100多", "户"), parse_quantity(50, "户")]
    assert sum_range(parts) == (Fraction(1150), Fraction(1250))
    assert ranges_overlap(sum_range(parts), (Fraction(1200), Fraction(1200)))
    assert not ranges_overlap(sum_range(parts), (Fraction(1300), Fraction(1300)))


@pytest.mark.parametrize("written", [8.5, "8.5户", "约8.5"])
def test_a_count_must_be_whole(written):
    with pytest.raises(QuantityError, match="户数应为整数"):
        parse_quantity(written, "户")


def test_fractions_stay_legal_for_money_and_undeclared_units():
    assert parse_quantity("0.5万", "元").value == 5000
    assert parse_quantity("1.5人").value == Fraction(3, 2)  # prose: 平均每户1.5人


@pytest.mark.parametrize(("written", "value", "unit", "shown"), [
    ("25万元", 250_000, "元", "25万元"), ("120人", 120, "人", "120人"), ("3场", 3, "场", "3场"),
    ("3200多户", 3200, "户", "3200多户"), ("９０％", 90, "%", "90%"), ("1.2万人次", 12_000, "人次", "1.2万人次"),
])
def test_a_figure_of_staffs_own_naming_keeps_the_unit_it_is_written_with(written, value, unit, shown):
    figure = parse_figure(written)
    assert (figure.value, figure.unit, str(figure)) == (value, unit, shown)


@pytest.mark.parametrize(("written", "message"), [
    (120, "请写明单位，如 120人"), ("120", "请写明单位"), ("8.5人", "人数应为整数"), ("一百二十人", "请写作 120"),
    (True, "是/否"), ("约120多人", "两种约数写法"),
])
def test_a_figure_of_staffs_own_naming_needs_its_unit_and_a_whole_count(written, message):
    with pytest.raises(QuantityError, match=message):
        parse_figure(written)


@pytest.mark.parametrize(("written", "shown"), [([1, 2], "列表"), ({"a": 1}, "分组"), (None, "空值")])
def test_a_figure_of_staffs_own_naming_is_one_value(written, shown):
    with pytest.raises(QuantityError, match=f"应为一个数字和它的单位，如 120人、25万元，实为{shown}"):
        parse_figure(written)
