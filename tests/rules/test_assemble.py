"""Assembly: five sections in order, ordinals numbered by what is present."""

import re

import pytest

from workreport.errors import FactsError
from workreport.model import BODY, HEADING1
from workreport.pipeline import derive_and_assemble, load_facts
from workreport.rules.assemble import join_marks, split_paragraphs

from ..conftest import FACTS, edit

HEADINGS = [
    "一、强化自身建设，提高服务本能",
    "二、推进生育关怀，扩大社会效应",
    "三、壮大非公协会，发挥职能作用",
    "四、关注青春健康，拓展服务范围",
    "五、提高广大计生家庭抵御风险能力，切实解决群众的后顾之忧",
]


def _report(path=FACTS / "2016.yaml"):
    return derive_and_assemble(load_facts(path))[1]


def test_five_sections_in_order():
    report = _report()
    assert [p.text for p in report.paragraphs if p.kind == HEADING1] == HEADINGS
    assert report.sections == ["队伍建设", "生育关怀", "非公协会", "青春健康", "保险"]


def test_a_missing_section_closes_up_the_numbering(facts_dir):
    path = facts_dir / "2016.yaml"
    text = path.read_text(encoding="utf-8")
    start, end = text.index("非公协会:\n"), text.index("青春健康:\n")
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    headings = [p.text for p in _report(path).paragraphs if p.kind == HEADING1]
    assert headings[2] == "三、关注青春健康，拓展服务范围"
    assert len(headings) == 4


def test_a_missing_programme_closes_up_the_sub_item_ordinals(facts_dir):
    path = facts_dir / "2016.yaml"
    text = path.read_text(encoding="utf-8")
    start, end = text.index("  学习培训:\n"), text.index("  宣传:\n")
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    body = "".join(p.text for p in _report(path).paragraphs if p.kind == BODY)
    assert "首先是抓宣传促转变" in body and "其次是抓工作促落实" in body
    assert "三是" not in body.split("二、")[0]


def test_title_date_and_author_are_required_for_a_report(facts_dir):
    path = edit(facts_dir / "2016.yaml", "标题: 丰宁县计生协完善队伍建设夯实计生协会基层基础\n", "")
    with pytest.raises(FactsError, match="标题"):
        _report(path)


def test_split_paragraphs_joins_lines_and_splits_on_blank_lines():
    assert split_paragraphs("甲，\n乙。\n\n  丙。\n") == ["甲，乙。", "丙。"]


def test_a_fact_ending_in_a_full_stop_meets_the_sentence_with_one_mark(facts_dir):
    edit(facts_dir / "2016.yaml", "的少生快富贷款\n", "的少生快富贷款。\n")
    edit(facts_dir / "2016.yaml", "为代表的受益先进典型\n", "为代表的受益先进典型。\n")
    _, report, _ = derive_and_assemble(load_facts(facts_dir / "2016.yaml"))
    text = "".join(p.text for p in report.paragraphs)
    assert "少生快富贷款。这一创新" in text and "受益先进典型；我县" in text
    assert not re.search("[，。；、：]{2}", text)


def test_zero_years_and_negative_anniversaries_are_never_printed(facts_dir):
    edit(facts_dir / "2016.yaml", "开始年份: 2007 ", "开始年份: 2016 ")
    _, report, _ = derive_and_assemble(load_facts(facts_dir / "2016.yaml"))
    text = "".join(p.text for p in report.paragraphs)
    assert "开展零年来" not in text and "“少生快富”项目在我县开展以来" in text


@pytest.mark.parametrize("mark_run, joined", [("贷款。，这一", "贷款，这一"), ("收益。。", "收益。"), ("做法；。", "做法。"),
                                              ("好。”", "好。”"), ("甲、乙", "甲、乙")])
def test_join_marks(mark_run, joined):
    assert join_marks(mark_run) == joined
