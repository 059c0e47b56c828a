"""Done-when of issue 5: roll 2016 over, fill what is marked, and the 2017 report is right — no template edited."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from workreport.facts import dotted
from workreport.newyear import new_year
from workreport.pipeline import build, derive_and_assemble, load_facts

# What staff write into the marked fields of 2017 (and the carried stock they update).
FILLED = {
    "标题": "丰宁县计生协深化生育关怀服务计生家庭",
    "队伍建设.学习培训.组织单位": "市协会",
    "队伍建设.学习培训.参训人员": "全县乡镇、街道协会负责人",
    "队伍建设.学习培训.年初会议": "全县业务工作会议",
    "队伍建设.宣传.主题": ["坚持基本国策、发挥协会作用"],
    "队伍建设.宣传.庆祝成立周年": "中国计生协会",
    "队伍建设.宣传.宣传品": ["宣传单"],
    "队伍建设.宣传.发表文章": ["省级网络"],
    "生育关怀.少生快富.创新做法": "与建信银行续签合作协议",
    "生育关怀.少生快富.创新成效": "使计生家庭贷款更加方便",
    "生育关怀.少生快富.人均增收": "3500多元",
    "生育关怀.亲情关爱.新增户数": 4,
    "生育关怀.亲情关爱.退出户数": 9,
    "生育关怀.亲情关爱.帮扶措施数": 6,
    "生育关怀.亲情关爱.体检户数": 175,
    "生育关怀.亲情关爱.项目资金.金额": "12万元",
    "生育关怀.亲情关爱.救助户数": 40,
    "非公协会.企业协会.计划生育率": "100%",
    "保险.投保金额.金额": "55万元",
    "结束语.亮点": ["全县计生协会工作再上新台阶"],
}
UPDATED = {"生育关怀.亲情关爱.现有户数": 175}  # 180 + 4 − 9


def fill(path: Path, values: dict) -> None:
    """Replace every 待填 (and the given carried values) the way staff would, keeping the file's layout."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    tree = yaml.load(path.read_text(encoding="utf-8"))
    left = dict(values)

    def walk(node, trail):
        for key in list(node) if isinstance(node, dict) else []:
            here = (*trail, str(key))
            if dotted(here) in left:
                node[key] = left.pop(dotted(here))
            elif node[key] == "待填":
                raise AssertionError(f"no value for {dotted(here)}")
            else:
                walk(node[key], here)

    walk(tree, ())
    assert not left, f"not in the file: {left}"
    out = io.StringIO()
    yaml.dump(tree, out)
    path.write_text(out.getvalue(), encoding="utf-8")


@pytest.fixture
def facts_2017(facts_dir: Path) -> Path:
    path = new_year(facts_dir / "2016.yaml").output
    fill(path, {**FILLED, **UPDATED})
    return path


def report_text(path: Path) -> str:
    _, report, _ = derive_and_assemble(load_facts(path))
    return "\n".join(p.text for p in report.paragraphs)


def test_every_marked_field_is_named_by_the_fill(facts_dir: Path):
    result = new_year(facts_dir / "2016.yaml")
    assert {dotted(p) for p in result.cleared} == set(FILLED)


def test_2017_report_has_this_years_derived_figures(facts_2017: Path):
    text = report_text(facts_2017)
    assert "改革开放39年来" in text
    assert "庆祝中国计生协会成立37周年" in text
    assert "“少生快富”项目在我县开展十年来" in text
    assert "2017年以来" in text and "2017年，丰宁县" in text
    assert "今年我们争取项目资金12万元" in text
    assert "今年我们共为" in text and "投保55万元" in text


def test_2017_report_compares_with_2016(facts_2017: Path):
    text = report_text(facts_2017)
    assert "现共有计生特困家庭175户，比上年减少5户。" in text


def test_2017_report_repeats_nothing_of_2016(facts_2017: Path):
    text = report_text(facts_2017)
    for stale in ("2016", "2015", "38年", "36周年", "九年来", "收官之年", "180户", "10万元", "50余万"):
        assert stale not in text, stale


def test_2017_docx_is_built(facts_2017: Path, tmp_path: Path):
    from docx import Document

    built = build(facts_2017, tmp_path / "out")
    assert built.output.name == "丰宁县计划生育协会2017年工作总结.docx"
    body = "\n".join(p.text for p in Document(str(built.output)).paragraphs)
    assert "改革开放39年来" in body and "比上年减少5户" in body
