"""The form drawn from a schema: kinds of field, labels, units, help, choices, lists, 待填; and answers typed back."""

from __future__ import annotations

from workreport.kind import load_kind
from workreport.serve.form import BOOLEAN, CHOICE, DATE, FIGURE, LIST, NUMBER, OBJECT, TEXT, answers, build_form, typed

SCHEMA = {
    "type": "object",
    "$defs": {"金额": {"type": "object", "properties": {"年份": {"type": "integer"}, "金额": {"type": ["integer", "string"], "x-unit": "元"}}}},
    "properties": {
        "年度": {"type": "integer", "description": "总结的年度"},
        "单位": {"type": "string", "title": "落款单位"},
        "附件": {"type": "boolean"},
        "分隔": {"type": "string", "enum": ["、", "，"]},
        "成文日期": {"type": "string", "format": "date", "x-date": True},
        "户数": {"type": ["integer", "string"], "x-unit": "户"},
        "资金": {"$ref": "#/$defs/金额"},
        "来源": {"type": "array", "items": {"type": "object", "properties": {"名称": {"type": "string"},
                                                                           "做法": {"type": "array", "items": {"type": "string"}}}}},
    },
}


def by_id(form):
    out = {form.id: form}
    for child in form.children:
        out.update(by_id(child))
    return out


def test_each_schema_node_is_drawn_as_its_kind_with_its_words():
    import datetime as dt

    tree = {"年度": 2016, "单位": "丰宁县计划生育协会", "附件": True, "分隔": "、", "成文日期": dt.date(2016, 12, 20), "户数": "1100多",
            "资金": {"年份": 2015, "金额": "10万元"}, "来源": [{"名称": "争取资金", "做法": ["甲", "乙"]}]}
    fields = by_id(build_form(SCHEMA, tree))
    kinds = {key: f.kind for key, f in fields.items()}
    assert kinds == {"": OBJECT, "年度": NUMBER, "单位": TEXT, "附件": BOOLEAN, "分隔": CHOICE, "成文日期": DATE, "户数": FIGURE,
                     "资金": OBJECT, "资金.年份": NUMBER, "资金.金额": FIGURE, "来源": LIST, "来源[0]": OBJECT,
                     "来源[0].名称": TEXT, "来源[0].做法": LIST, "来源[0].做法[0]": TEXT, "来源[0].做法[1]": TEXT}
    assert fields["单位"].label == "落款单位" and fields["年度"].label == "年度" and fields["来源[0]"].label == "第 1 项"
    assert fields["年度"].help == "总结的年度" and fields["户数"].unit == "户" and fields["资金.金额"].unit == "元"
    assert fields["成文日期"].value == "2016-12-20" and fields["附件"].value == "true" and fields["户数"].value == "1100多"
    assert fields["分隔"].choices == [("", "（未填）"), ("、", "、"), ("，", "，")]
    assert [c.key for c in fields["来源"].blank.children] == ["名称", "做法"]  # a new item's fields, nested list included


def test_unfilled_is_a_state_of_its_own_for_values_groups_and_lists():
    fields = by_id(build_form(SCHEMA, {"年度": "待填", "资金": "待填", "来源": "待填"}))
    assert fields["年度"].unfilled and fields["年度"].value == "待填"
    assert fields["资金"].unfilled and fields["来源"].unfilled and fields["来源"].children == []
    assert not fields["单位"].unfilled
    assert answers(build_form(SCHEMA, {"年度": "待填", "资金": "待填", "来源": "待填"})) == {
        "年度": "待填", "单位": None, "附件": None, "分隔": None, "成文日期": None, "户数": None, "资金": "待填", "来源": "待填"}


def test_a_value_the_schema_does_not_allow_is_kept_as_a_choice():
    fields = by_id(build_form(SCHEMA, {"分隔": "/", "附件": "是的"}))
    assert ("/", "/") in fields["分隔"].choices and ("是的", "是的") in fields["附件"].choices


def test_answers_are_typed_by_the_schema_as_yaml_would_read_them():
    page = {"年度": "2016", "单位": " 丰宁县 ", "附件": "false", "户数": "1100多", "分隔": "", "资金": {"年份": "2015", "金额": "350000"},
            "来源": [{"名称": "甲", "做法": [None, "乙"]}, {"名称": None, "做法": None}], "成文日期": "2016-12-20"}
    assert typed(page, SCHEMA, SCHEMA) == {"年度": 2016, "单位": "丰宁县", "附件": False, "户数": "1100多",
                                           "资金": {"年份": 2015, "金额": 350000}, "来源": [{"名称": "甲", "做法": ["乙"]}],
                                           "成文日期": "2016-12-20"}
    assert typed({"年度": "二〇一六", "户数": "0.5", "单位": "2016"}, SCHEMA, SCHEMA) == {"年度": "二〇一六", "户数": 0.5, "单位": "2016"}


def test_the_county_form_has_every_key_of_its_schema():
    kind = load_kind()
    form = build_form(kind.schema, {})
    top = [child.key for child in form.children]
    assert top == list(kind.schema["properties"])
    assert by_id(form)["生育关怀.亲情关爱.项目资金.金额"].unit == "元"  # through $ref
