"""The prose layer: Chinese list and number filters, and template errors that name file and line."""

import pytest

from workreport.errors import TemplateError
from workreport.quantity import parse_quantity
from workreport.render import text


def test_enumerate_cn():
    assert text.enumerate_cn(["奶牛", "优种猪", "肉鸡"]) == "奶牛、优种猪和肉鸡"
    assert text.enumerate_cn(["奶牛", "优种猪", "等"]) == "奶牛、优种猪等"
    assert text.enumerate_cn(["甲", "乙"], "及") == "甲及乙"
    assert text.enumerate_cn(["甲", "乙", "丙"], "、") == "甲、乙、丙"


def test_number_filters():
    assert text.number_only(parse_quantity("1100多", "户")) == "1100多"
    assert text.chinese(parse_quantity(9, "年")) == "九"
    assert text.quoted("母亲节") == "“母亲节”" and text.book_title("章程") == "《章程》"


def test_ordinals_count_only_what_is_rendered():
    ordinals = text.Ordinals("首先")
    assert [ordinals(), ordinals(), ordinals()] == ["首先是", "其次是", "三是"]


def test_missing_fact_names_template_and_line(tmp_path):
    (tmp_path / "a.j2").write_text("第一行\n{{ 保险.合作单位 }}\n", encoding="utf-8")
    with pytest.raises(TemplateError) as info:
        text.render(tmp_path, "a.j2", {"保险": {}})
    problem = info.value.problems[0]
    assert problem.file.endswith("a.j2") and problem.line == 2 and "合作单位" in problem.message


def test_syntax_error_names_template_and_line(tmp_path):
    (tmp_path / "b.j2").write_text("一\n二\n{% if %}\n", encoding="utf-8")
    with pytest.raises(TemplateError) as info:
        text.render(tmp_path, "b.j2", {})
    assert info.value.problems[0].line == 3


def test_templates_are_sandboxed(tmp_path):
    (tmp_path / "c.j2").write_text("{{ ''.__class__.__mro__ }}", encoding="utf-8")
    with pytest.raises(TemplateError, match="不允许"):
        text.render(tmp_path, "c.j2", {})


def test_facts_text_is_data_not_template(tmp_path):
    (tmp_path / "d.j2").write_text("{{ 说明 }}", encoding="utf-8")
    assert text.render(tmp_path, "d.j2", {"说明": "{{ 1 + 1 }} & <b>"}) == "{{ 1 + 1 }} & <b>"
