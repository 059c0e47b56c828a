"""The prose figure parser: numerals, approximations, units and the counted term before a figure."""

from fractions import Fraction

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


def test_words_of_a_title_match_jieba_with_its_full_dictionary():
    import jieba

    from workreport.prose import segment, words

    for title in ("丰宁县计生协完善队伍建设夯实计生协会基层基础", "丰宁满族自治县计划生育协会2016年工作总结"):
        assert segment._substring_tokenizer(title).lcut(title) == jieba.lcut(title)
        assert words(title) == jieba.lcut(title)  # first call by substrings, later ones by the loaded dictionary
