"""Template lint (WR801–WR806): no literal figures in templates, no references the schema lacks."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from workreport.checks import REGISTRY, run_checks
from workreport.checks.templates import Template, lint_templates, literal_figures
from workreport.kind import load_kind, templates_root
from workreport.pipeline import load_facts
from workreport.rules.derive import derive

from ..conftest import FACTS


@pytest.fixture
def kind_copy(tmp_path: Path):
    """A scratch copy of the fpa-annual kind; ``write(name, text)`` adds or replaces one template."""
    root = tmp_path / "templates"
    shutil.copytree(templates_root() / "fpa-annual", root / "fpa-annual")

    def write(name: str, source: str):
        (root / "fpa-annual" / "text" / name).write_text(source, encoding="utf-8")
        return load_kind("fpa-annual", root)

    return write


def codes(findings):
    return [(f.code, f.line, f.actual) for f in findings]


def test_shipped_templates_are_clean():
    assert lint_templates("fpa-annual") == []


def test_literal_year_and_anniversary_are_caught(kind_copy):
    original = (templates_root() / "fpa-annual" / "text" / "队伍建设.j2").read_text(encoding="utf-8")
    source = original.replace("一系列宣传教育活动。", "一系列宣传教育活动。2016年正值中国计生协会成立35周年。")
    findings = lint_templates(kind_copy("队伍建设.j2", source))
    line = source.splitlines().index(next(l for l in source.splitlines() if "2016年正值" in l)) + 1
    assert codes(findings) == [("WR801", line, "2016年"), ("WR802", line, "35周年")]
    assert all(f.file.endswith("队伍建设.j2") and f.section == "队伍建设" for f in findings)
    assert "{{ 年度 }}" in findings[0].message and "周年数" in findings[1].message


@pytest.mark.parametrize("literal, code", [
    ("2015年", "WR801"), ("06年", "WR801"), ("二〇一六年", "WR801"),
    ("35周年", "WR802"), ("成立三十六周年", "WR802"),
    ("8户", "WR803"), ("六项", "WR803"), ("九年来", "WR803"), ("八大基地", "WR803"), ("30年来", "WR803"), ("5.29", "WR803"),
    ("10万元", "WR804"), ("50余万元", "WR804"), ("90%", "WR804"), ("三十万元", "WR804"), ("百分之九十", "WR804"),
])
def test_literal_figures(literal, code):
    kind = load_kind()
    found = literal_figures(Template(kind, "t.j2", Path("t.j2"), f"今年{literal}，", None))
    assert [c for *_, c in found] == [code]


@pytest.mark.parametrize("words", [
    "一是", "首先是", "其次是", "三是", "“三融入”", "“六有”", "五到位", "两提高", "十三五", "一年来", "一系列",
    "一项工作", "千家万户", "百姓", "五年计划", "第三个", "四个全面", "几年来",
])
def test_fixed_terms_are_not_figures(words):
    kind = load_kind()
    assert literal_figures(Template(kind, "t.j2", Path("t.j2"), f"这是{words}的说法。", None)) == []


def test_figures_in_tags_and_comments(kind_copy):
    findings = lint_templates(kind_copy("结束语.j2", "{# 2016年的写法 #}{{ 简称 | default('2015年') }}{% set 数 = 8 %}第二行\n"))
    assert codes(findings) == [("WR801", 1, "2015年")]  # a comment is not printed; a number in a tag is not text


def test_unknown_keys_are_caught(kind_copy):
    source = (
        "{{ 亲情关爱.现有户 }}\n"
        "{% set 协会 = 非公协会.企业协会 %}{{ 协会.建会比率 }}\n"
        "{% for 项 in 幸福工程.资金来源 %}{{ 项.来源 }}{{ 项.数额 }}{% endfor %}\n"
        "{{ 不存在的键 }}{{ 变化.亲情关爱.现有户数 | 比上年 }}{{ 变化.亲情关爱.户数 }}\n"
        "{{ 上年.生育关怀.亲情关爱.现有户数 }}{{ 上年.亲情关爱 }}{{ 年度 }}{{ 序号() }}{{ 少生快富.开展年数 }}\n"
    )
    findings = lint_templates(kind_copy("生育关怀.j2", source))
    assert codes(findings) == [
        ("WR805", 1, "亲情关爱.现有户"),
        ("WR805", 2, "协会.建会比率"),
        ("WR805", 3, "项.数额"),
        ("WR805", 4, "不存在的键"),
        ("WR805", 4, "变化.亲情关爱.户数"),
        ("WR805", 5, "上年.亲情关爱"),
    ]
    assert "现有户数" in findings[0].message  # the keys that would be right are named


def test_section_names_are_local_to_their_section(kind_copy):
    findings = lint_templates(kind_copy("保险.j2", "{{ 险种 | 列举 }}{{ 亲情关爱.现有户数 }}\n"))
    assert codes(findings) == [("WR805", 1, "亲情关爱")]


def test_syntax_error_is_a_finding(kind_copy):
    findings = lint_templates(kind_copy("保险.j2", "第一行\n{% if 险种 %}没有结束\n"))
    assert [f.code for f in findings] == ["WR806"]


def test_template_checks_are_documented_but_not_run_on_facts():
    import workreport.checks.templates  # noqa: F401  (registers WR801–WR806)

    assert {"WR801", "WR802", "WR803", "WR804", "WR805", "WR806"} <= set(REGISTRY)
    assert all(REGISTRY[c].doc for c in ("WR801", "WR805"))
    facts = load_facts(FACTS / "2016.yaml")
    assert not any(f.code.startswith("WR8") for f in run_checks(facts, derive(facts)))


def test_imported_macros_template_names_and_a_figures_own_properties_are_no_facts(kind_copy):
    source = ('{% from "其他工作.j2" import 工作项目 %}{% import "其他工作.j2" as 其他 %}\n'
              "{% if 企业协会.计划生育率.exact and 企业协会.计划生育率.value == 100 %}无一例{% endif %}\n"
              "{{ 工作项目(其他工作[0], 序号) }}{{ 其他.工作项目(其他工作[0], 序号) }}\n")
    assert lint_templates(kind_copy("非公协会.j2", source)) == []
    wrong = source.replace("计划生育率.value", "计划生育率.数值").replace("无一例", "{{ '第2段' }}")
    assert sorted((f.code, f.actual) for f in lint_templates(kind_copy("非公协会.j2", wrong))) == [
        ("WR803", "2"), ("WR805", "企业协会.计划生育率.数值")]  # a string that is no template's .j2 name is linted
