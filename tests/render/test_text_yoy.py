"""The 比上年 filter: a change from 变化.… in words, in a template."""

from __future__ import annotations

import pytest

from workreport.errors import TemplateError
from workreport.quantity import parse_quantity
from workreport.render import text
from workreport.rules.yoy import change


def render(tmp_path, source, **context):
    (tmp_path / "t.j2").write_text(source, encoding="utf-8")
    return text.render(tmp_path, "t.j2", context)


def test_filter_words_a_change(tmp_path):
    item = change(parse_quantity(190, "户"), parse_quantity(180, "户"))
    assert render(tmp_path, "共{{ 数 }}户，{{ 变 | 比上年 }}，{{ 变 | 比上年('幅度') }}", 数=190, 变=item) == \
        "共190户，比上年增加10户，比上年增长5.6%"


def test_filter_refuses_an_unknown_form(tmp_path):
    item = change(parse_quantity(190, "户"), parse_quantity(180, "户"))
    with pytest.raises(TemplateError) as caught:
        render(tmp_path, "{{ 变 | 比上年('百分比') }}", 变=item)
    assert "差额" in caught.value.problems[0].message and caught.value.problems[0].line == 1


def test_filter_refuses_a_plain_figure(tmp_path):
    with pytest.raises(TemplateError) as caught:
        render(tmp_path, "{{ 数 | 比上年 }}", 数=parse_quantity(190, "户"))
    assert "变化" in caught.value.problems[0].message
