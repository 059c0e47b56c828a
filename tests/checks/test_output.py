"""The three output formats of findings, and the related facts every finding names."""

import json

from workreport.checks import Finding, Related
from workreport.checks.output import as_github, as_json, as_text, exit_code

FOUND = Finding("WR102", "error", "计生特困家庭户数：上年 178户 + 8户 − 6户 应为 180户，但写的是 181户", file="facts/2016.yaml",
                line=61, column=11, section="生育关怀", key="生育关怀.亲情关爱.现有户数", excerpt="现有户数: 181",
                expected="180户", actual="181户",
                related=(Related("facts/2016.yaml", 59, "生育关怀.亲情关爱.新增户数"), Related("facts/2015.yaml", 13, "上年.生育关怀.亲情关爱.现有户数")))
WARN = Finding("WR404", "warning", "往年的数字", file="facts/2016.yaml", line=65, section="生育关怀")


def test_text_groups_by_section_and_names_every_fact():
    text = as_text([FOUND, WARN], [], ["facts/2016.yaml"])
    assert "【生育关怀】" in text
    assert "facts/2016.yaml:61:11 [WR102 错误] 计生特困家庭户数" in text
    assert "61 | 现有户数: 181" in text and "应为：180户；实为：181户" in text
    assert "涉及：facts/2016.yaml:59 生育关怀.亲情关爱.新增户数；facts/2015.yaml:13 上年.生育关怀.亲情关爱.现有户数" in text
    assert text.endswith("1 个错误，1 个警告，0 条提示")


def test_json_has_the_contract_fields_and_related():
    item = json.loads(as_json([FOUND], []))[0]
    assert {k: item[k] for k in ("code", "severity", "file", "line", "section", "key", "expected", "actual")} == {
        "code": "WR102", "severity": "error", "file": "facts/2016.yaml", "line": 61, "section": "生育关怀",
        "key": "生育关怀.亲情关爱.现有户数", "expected": "180户", "actual": "181户"}
    assert item["related"][1] == {"file": "facts/2015.yaml", "line": 13, "key": "上年.生育关怀.亲情关爱.现有户数"}


def test_github_annotations_escape_newlines_and_commas():
    lines = as_github([FOUND, WARN], []).splitlines()
    assert lines[0].startswith("::error file=facts/2016.yaml,line=61,col=11,title=WR102 ")
    assert "%0A涉及：facts/2016.yaml:59" in lines[0] and "\n" not in lines[0]
    assert lines[1].startswith("::warning file=facts/2016.yaml,line=65,")


def test_exit_code_is_1_only_for_errors():
    assert exit_code([FOUND, WARN]) == 1
    assert exit_code([WARN]) == 0
