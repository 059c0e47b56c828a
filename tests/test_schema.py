"""Validation against the kind's schema: all problems at once, located, in Chinese."""

import pytest

from workreport import facts, schema
from workreport.errors import FactsError
from workreport.kind import load_kind
from workreport.quantity import Quantity

from .conftest import FACTS, edit


def _validate(path):
    return schema.validate(facts.load(path), load_kind())


def test_default_facts_validate_and_figures_are_typed():
    values = _validate(FACTS / "2016.yaml").values
    assert isinstance(values["生育关怀"]["少生快富"]["扶持户数"], Quantity)
    assert str(values["生育关怀"]["幸福工程"]["资金来源"][0]["金额"]) == "30万元"
    assert values["成文日期"].isoformat() == "2016-12-20"


def test_every_problem_is_reported_at_once_with_line_and_key(facts_dir):
    path = facts_dir / "2016.yaml"
    edit(path, "新增户数: 8 ", "新增户数: 八户 ")
    edit(path, "  幸福工程:", "  幸福功程:")
    edit(path, "年度: 2016", "年度: 二〇一六")
    with pytest.raises(FactsError) as info:
        _validate(path)
    shown = [str(p) for p in info.value.problems]
    assert any("年度: 应为整数" in s for s in shown)
    assert any("未知的键“幸福功程”，您是否想写“幸福工程”" in s for s in shown)
    assert any("请写作 8" in s and "新增户数" in s for s in shown)
    lines = path.read_text(encoding="utf-8").splitlines()
    for problem in info.value.problems:
        assert problem.file.endswith("2016.yaml") and problem.line
    unknown = next(p for p in info.value.problems if "幸福功程" in p.message)
    assert "幸福功程" in lines[unknown.line - 1]


def test_missing_required_and_negative_counts(facts_dir):
    path = facts_dir / "2016.yaml"
    edit(path, "单位: 丰宁县计划生育协会          # 落款用全称\n", "")
    edit(path, "退出户数: 6", "退出户数: -6")
    with pytest.raises(FactsError) as info:
        _validate(path)
    messages = " ".join(p.message for p in info.value.problems)
    assert "缺少必填项“单位”" in messages
    assert "不能为负数" in messages


def test_impossible_date_is_reported(facts_dir):
    path = edit(facts_dir / "2016.yaml", "成文日期: 2016-12-20", "成文日期: '2016-02-30'")
    with pytest.raises(FactsError, match="日期不存在"):
        _validate(path)


def test_schema_at_follows_refs_and_items():
    node = schema.schema_at(load_kind().schema, ("非公协会", "企业协会", "任务目标", 0, "名称"))
    assert node["type"] == "string"


def test_a_required_key_marked_unfilled_is_left_to_check_wr001(facts_dir):
    path = edit(facts_dir / "2016.yaml", "    金额: 50余万元", "    金额: 待填")
    facts_ = _validate(path)
    assert facts_.get(("保险", "投保金额", "金额")) is None


def test_full_width_digits_are_accepted_everywhere_a_number_is_wanted(facts_dir):
    path = facts_dir / "2016.yaml"
    edit(path, "年度: 2016", "年度: ２０１６")
    edit(path, "成文日期: 2016-12-20", "成文日期: ２０１６-１２-２０")
    edit(path, "现有户数: 180", "现有户数: １８０")
    values = _validate(path).values
    assert values["年度"] == 2016 and values["成文日期"].isoformat() == "2016-12-20"
    assert values["生育关怀"]["亲情关爱"]["现有户数"].value == 180


def test_a_date_with_one_digit_months_is_read(facts_dir):
    path = edit(facts_dir / "2016.yaml", "成文日期: 2016-12-20", "成文日期: 2016-1-5")
    assert _validate(path).values["成文日期"].isoformat() == "2016-01-05"


def test_35_wan_where_yuan_is_declared_reads_as_350000_yuan(facts_dir):
    path = edit(facts_dir / "2016.yaml", "金额: 30万元", "金额: 35万")
    amount = _validate(path).values["生育关怀"]["幸福工程"]["资金来源"][0]["金额"]
    assert amount.value == 350_000 and amount.unit == "元" and str(amount) == "35万元"


def test_line_breaks_in_a_text_fact_are_joined(facts_dir):
    path = edit(facts_dir / "2016.yaml", "  合作单位: 中国人寿保险公司丰宁分公司", "  合作单位: |\n    中国人寿保险公司\n\n    丰宁分公司")
    assert _validate(path).values["保险"]["合作单位"] == "中国人寿保险公司丰宁分公司"  # a blank line would split the paragraph


def test_invisible_characters_in_a_key_are_named_and_shown():
    from workreport.schema import invisible_characters, show_invisible

    key = "年\u200b度\u00a0\u3000"
    assert invisible_characters(key) == ["U+200B 零宽空格", "U+00A0 不换行空格", "U+3000 全角空格"]
    assert show_invisible(key) == "年⟨U+200B⟩度⟨U+00A0⟩⟨U+3000⟩"
    assert invisible_characters("执笔 人") == [] and show_invisible("执笔 人") == "执笔 人"


def test_thousands_of_unknown_keys_are_listed_up_to_a_limit_then_counted(facts_dir):
    path = facts_dir / "2016.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "".join(f"未知{i}: 值\n" for i in range(3000)), encoding="utf-8")
    with pytest.raises(FactsError) as refused:
        _validate(path)
    unknown = [p for p in refused.value.problems if "未知" in (p.key or "")]
    assert len(unknown) == schema.MAX_UNKNOWN_KEYS + 1
    assert unknown[-1].key == f"未知{schema.MAX_UNKNOWN_KEYS}"
    assert f"另有 {3000 - schema.MAX_UNKNOWN_KEYS} 个未知的键" in unknown[-1].message
