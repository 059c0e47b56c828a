"""The merge of the page's answers into a facts file's tree: only what changed, at any depth, comments kept."""

from __future__ import annotations

import io

from ruamel.yaml import YAML

from workreport.serve.merge import merge

SCHEMA = {
    "type": "object",
    "properties": {
        "年度": {"type": "integer"},
        "成文日期": {"type": "string", "x-date": True},
        "说明": {"type": "string"},
        "其他工作": {"type": "array", "items": {"type": "object", "properties": {
            "名称": {"type": "string"}, "人数": {"type": ["integer", "string"], "x-unit": "人"},
            "做法": {"type": "array", "items": {"type": "string"}}}}},
        "附件": {"type": "boolean"},
    },
}

TEXT = """\
年度: 2016   # 年度
自定: 保留   # 不在 schema 中的键
说明: |
  第一行
  第二行
其他工作:
  - 名称: 义诊   # 每季度一次
    人数: 30
    做法: [量血压, 发药]
"""


def round_trip(text: str, answers: dict) -> str:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    tree = yaml.load(text)
    merge(tree, answers, SCHEMA)
    out = io.StringIO()
    yaml.dump(tree, out)
    return out.getvalue()


# a one-line field holds a block scalar's lines joined
PAGE = {"年度": 2016, "说明": "第一行第二行", "其他工作": [{"名称": "义诊", "人数": 30, "做法": ["量血压", "发药"]}]}


def test_the_same_answers_leave_the_text_as_it_was():
    assert round_trip(TEXT, PAGE) == TEXT


def test_a_value_in_a_nested_list_of_a_list_of_groups_changes_alone():
    page = {**PAGE, "其他工作": [{"名称": "义诊", "人数": 30, "做法": ["量血压", "送药"]}]}
    assert round_trip(TEXT, page) == TEXT.replace("[量血压, 发药]", "[量血压, 送药]")


def test_items_and_groups_are_added_in_the_schema_s_order_and_removed():
    page = {**PAGE, "成文日期": "2016-12-20", "其他工作": [PAGE["其他工作"][0], {"名称": "读书会", "做法": ["每月一次"]}]}
    out = round_trip(TEXT, page)
    assert out.index("年度: 2016") < out.index("自定: 保留") < out.index("成文日期: 2016-12-20") < out.index("说明:")
    assert out.endswith("  - 名称: 读书会\n    做法:\n      - 每月一次\n")
    assert "- 名称: 义诊   # 每季度一次" in out
    assert "其他工作" not in round_trip(TEXT, {**PAGE, "其他工作": None})


def test_a_plain_tree_keeps_dates_as_the_loader_reads_them_and_unknown_keys_stay():
    tree = {"年度": 2016, "自定": "保留", "其他工作": "待填"}
    merge(tree, {"年度": 2017, "成文日期": "2017-12-20", "其他工作": [{"名称": "义诊"}]}, SCHEMA, plain=True)
    assert tree == {"年度": 2017, "成文日期": "2017-12-20", "自定": "保留", "其他工作": [{"名称": "义诊"}]}
    assert list(tree) == ["年度", "自定", "成文日期", "其他工作"]  # before the first key the schema lists after it
