"""The prose figure parser: numerals, approximations, units and the counted term before a figure."""

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workreport.prose import scan

TERMS = ["计生特困家庭", "新增计生特困家庭", "中国计生协会", "改革开放", "共投"]


def _read(text):
    return [(f.text, f.quantity.low, f.quantity.high, f.quantity.unit, f.term) for f in scan(text, TERMS)]


def test_arabic_and_chinese_numerals_with_units():
    assert _read("新增计生特困家庭八户，现有计生特困家庭一百八十户") == [
        ("八户", 8, 8, "户", "新增计生特困家庭"), ("一百八十户", 180, 180, "户", "计生特困家庭")]
    assert _read("共投三十五万元")[0][1:4] == (350000, 350000, "元")


def test_approximate_figures_are_ranges():
    assert _read("扶持1100多户")[0][1:3] == (1100, 1200)
    assert _read("投保50余万元")[0][1:3] == (500000, 600000)
    assert _read("约300人")[0][1:3] == (250, 350)
    assert _read("300人左右")[0][1:3] == (250, 350)
    assert _read("近三十五万元")[0][1:3] == (340000, 350000)


def test_the_term_is_the_nearest_before_the_figure_in_its_clause():
    assert _read("庆祝中国计生协会成立35周年，改革开放30年来")[0][4] == "中国计生协会"
    assert _read("庆祝中国计生协会成立35周年，改革开放30年来")[1][4] == "改革开放"
    assert _read("计生特困家庭，新增8户")[0][4] is None  # a clause end lies between


def test_words_that_only_look_like_figures_are_skipped():
    assert _read("这一项目第一个千家万户，六有五到位，十佳项目县") == []


def test_a_calendar_year_is_told_from_a_count_of_years():
    years, count = scan("2015年，改革开放30年来", TERMS)
    assert years.is_year and not count.is_year
    assert count.quantity.value == Fraction(30)


def test_numbers_as_reports_write_them():
    def one(text):
        (figure,) = scan(text)
        return figure.low, figure.high, figure.quantity.unit

    assert one("扶持1,100户") == (1100, 1100, "户")
    assert one("三四十户") == (30, 40, "户")
    assert one("十二三人") == (12, 13, "人")
    assert one("一万二千人") == one("一万二人") == (12000, 12000, "人")
    assert one("三千五百元")[:2] == one("三千五元")[:2] == (3500, 3500)
    assert one("近千人")[1:] == (1000, "人")
    assert one("百分之九十的企业") == (90, 90, "%")
    assert one("80戶") == (80, 80, "户")  # traditional characters are read as simplified
    for unit in ("人次", "场次", "份", "起", "张"):
        assert one(f"12{unit}") == (12, 12, unit)
    (year,) = scan("二〇一六年")
    assert year.year == 2016 and year.is_year
    assert scan("十三五期间共扶持") == []  # a plan period, not 15
    assert [f.text for f in scan("十三五期间建设5个基地")] == ["5个"]


def test_chinese_numerals_read_as_cn2an_writes_them():
    """cn2an as an oracle: every number it writes in Chinese is read back as that number."""
    import cn2an

    for n in [*range(1, 120), 180, 205, 1000, 1050, 1100, 3500, 12000, 35000, 100000, 350000, 1200000]:
        written = cn2an.an2cn(n)
        (figure,) = scan(f"共有{written}户")
        assert figure.low == figure.high == n, written


def test_a_change_is_told_from_a_count_and_a_term_after_the_figure_wins():
    (change,) = scan("比上年增加2户")
    assert (change.change, change.compared) == ("增加", "上年")
    (rate,) = scan("同比增长5%")
    assert rate.change == "增长"
    (count,) = scan("今年增加特困家庭2户", ["特困家庭"])
    assert count.change is None and count.term == "特困家庭"
    (after,) = scan("为180户计生特困家庭体检", ["计生特困家庭", "体检"])
    assert after.term == "计生特困家庭" and after.term_at > after.start
    (noun,) = scan("计生特困家庭，为8个家庭制定计划", ["计生特困家庭"])
    assert noun.term is None  # 8个 counts 家庭, not the term of an earlier clause


def test_scope_words_qualify_a_figure_and_其中_reaches_through_its_sentence():
    first, second, third = scan("全年新增计生特困家庭8户，其中新一轮摸底新增5户，伤残家庭3户", ["计生特困家庭"])
    assert "全年" in first.scope and "新增" in first.scope
    assert {"其中", "新一轮", "新增"} <= set(second.scope)
    assert "其中" in third.scope


PIECES = ["一", "二", "两", "三四", "十", "百", "千", "万", "亿", "〇", "零", "1", "0", "5", ",", ".", "，", "。", "、", "：", " ", "\u3000",
          "户", "人次", "周年", "年", "%", "％", "多", "余", "约", "近", "左右", "以上", "百分之", "等", "其中", "共", "新增", "比上年增加",
          "计生特困家庭", "中国计生协", "改革开放", "成立", "十三五", "收官之年", "戶", "２", "“", "”", "（", "）", "第", "这"]


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(PIECES), max_size=30).map("".join))
def test_any_text_is_read_without_error_and_every_figure_is_where_it_says(text):
    from workreport.prose import normalize

    normalized = normalize(text)
    assert len(normalized) == len(text)
    for figure in scan(text, ["计生特困家庭"], events=["中国计生协", "改革开放"]):
        assert 0 <= figure.start < figure.end <= len(text)
        assert normalized[figure.start:figure.end] == figure.text
        assert figure.low <= figure.high


def test_a_count_knows_the_list_it_names_and_whether_it_is_open():
    (open_list,) = scan("在大阁镇、胡麻营乡等5个乡镇开展试点")
    assert open_list.listed.open and open_list.listed.length == 2
    (closed,) = scan("建成了种植、养殖和加工三个基地")
    assert not closed.listed.open and closed.listed.lengths == {3} and closed.listed.sure
    (groups,) = scan("坚持调研、摸底，建档、立卡，回访、帮扶三个环节")
    assert 3 in groups.listed.lengths and not groups.listed.sure  # three groups of two
    (quantity,) = scan("全县26个乡镇全部建会")
    assert quantity.listed is None


def test_the_list_of_traditional_characters_is_what_the_installed_opencc_changes():
    import importlib.util
    from pathlib import Path

    from workreport.prose.numbers import TRADITIONAL

    script = Path(__file__).resolve().parents[1] / "scripts" / "traditional-chars.py"
    spec = importlib.util.spec_from_file_location("traditional_chars", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert TRADITIONAL.read_text(encoding="utf-8").strip() == module.changed_characters(), \
        "OpenCC changed: run .venv/bin/python scripts/traditional-chars.py"


def test_text_with_one_traditional_character_is_converted_and_simplified_text_is_left_as_written():
    from workreport.prose import normalize

    assert normalize("今年新增80戶，共投３５万元") == "今年新增80户，共投35万元"
    assert normalize("計生協會成立35周年") == "计生协会成立35周年"
    simplified = "今年新增计生特困家庭8户，乾隆年间"  # 乾 alone is a traditional character: converted as OpenCC does
    assert normalize(simplified) == __import__("opencc").OpenCC("t2s").convert(simplified)


def test_a_text_without_digit_or_numeral_holds_no_figure_and_one_with_them_is_read():
    from workreport.prose.numbers import find_figures, may_hold_figures

    for text in ["计生特困家庭", "奶牛、优种猪和肉鸡", "母亲节", ""]:
        assert not may_hold_figures(text) and list(find_figures(text)) == []
    for text in ["8户", "三四十户", "百分之九十", "近千人", "1,100户"]:
        assert may_hold_figures(text) and list(find_figures(text))


def test_reading_a_report_holds_the_cycle_collector_off_only_while_it_reads(tmp_path, monkeypatch):
    import gc

    from workreport.document import read_document
    from workreport.prose import read
    from workreport.prose import reading as reading_module

    report = tmp_path / "总结.txt"
    report.write_text("某县2016年工作总结\n今年新增计生特困家庭8户，共投35万元。\n", encoding="utf-8")
    doc = read_document(report)
    seen = []
    original = reading_module.figures_of
    monkeypatch.setattr(reading_module, "figures_of", lambda *a, **k: seen.append(gc.isenabled()) or original(*a, **k))
    assert gc.isenabled()
    assert [f.text for f in read(doc, 2016, {}).all_figures()] == ["2016年", "8户", "35万元"]
    assert seen and not any(seen) and gc.isenabled()
    gc.disable()
    try:
        read(doc, 2016, {})
        assert not gc.isenabled()  # one who had it off finds it off
    finally:
        gc.enable()
    monkeypatch.setattr(reading_module, "figures_of", lambda *a, **k: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        read(doc, 2016, {})
    assert gc.isenabled()
