"""本县自己的工作项目 (其他工作): declared in the facts file, checked, derived, written as paragraphs of their own, tabled."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from workreport.errors import FactsError
from workreport.pipeline import check, derive_and_assemble, load_facts
from workreport.quantity import parse_quantity
from workreport.rules.items import declaration_problems, own_terms, parse_total, previous_figure

from ..conftest import ROOT, edit

EXAMPLE = ROOT / "facts" / "examples" / "青石县"
GIRLS = ("生育关怀", "其他工作", 0)


@pytest.fixture
def county(tmp_path: Path) -> Path:
    """A scratch copy of the example county's 2016 and 2017 facts; returns the 2017 file."""
    target = tmp_path / "青石县"
    shutil.copytree(EXAMPLE, target)
    return target / "2017.yaml"


def _report(path: Path):
    facts = load_facts(path)
    ctx, report, _ = derive_and_assemble(facts)
    return facts, ctx, report


def test_a_total_is_read_as_its_name_and_parts():
    assert parse_total("发放资金 = 发放助学金 + 发放生活补助") == ("发放资金", ("发放助学金", "发放生活补助"))
    assert parse_total("发放资金＝发放助学金＋发放生活补助") == ("发放资金", ("发放助学金", "发放生活补助"))
    assert parse_total("发放资金 = 发放助学金") is None  # one part is no total
    assert parse_total("发放资金是发放助学金加生活补助") is None


def test_figures_are_quantities_at_their_line_and_an_undeclared_total_is_added_up(county):
    facts, ctx, _ = _report(county)
    figures = facts.get((*GIRLS, "数字"))
    assert figures["发放助学金"] == parse_quantity("25万元", "元") and str(figures["受助女孩"]) == "120人"
    line = county.read_text(encoding="utf-8").splitlines().index("        受助女孩: 120人") + 1
    assert facts.raw.where((*GIRLS, "数字", "受助女孩"))[0] == line  # a later trace names file:line
    assert "发放资金" not in figures and str(ctx.get((*GIRLS, "数字", "发放资金"))) == "30万元"


def test_each_item_is_a_paragraph_of_its_own_numbered_on_in_its_section(county):
    _, _, report = _report(county)
    texts = [p.text for p in report.paragraphs]
    heading = texts.index("二是扎实开展“关爱女孩行动”。")  # after 一是 亲情关爱, its sentence a paragraph of its own
    assert texts[heading - 2] == "一是积极稳妥地开展“亲情关爱”行动。"
    assert texts[heading + 1] == ("为全县家庭困难的在校女孩发放助学金和生活补助，帮助她们安心完成学业。全年发放助学金25万元，"
                                  "发放生活补助5万元，受助女孩120人，累计受助女孩560人，发放资金共30万元。")
    health = next(t for t in texts if "家庭健康促进" in t)  # 青春健康 numbers nothing: the item opens with 我县
    assert health.startswith("我县扎实开展“家庭健康促进”。以家庭为单位普及健康知识")
    assert health.endswith("全年举办健康讲座36场，培训家庭健康指导员210人，受益家庭3200多户。")
    assert texts.index(health) == texts.index("五、提高广大计生家庭抵御风险能力，切实解决群众的后顾之忧") - 1  # last in its section


def test_an_item_with_a_name_only_is_one_sentence(county):
    edit(county, "        受益家庭: 3200多户\n", "        受益家庭: 3200多户\n    - 名称: 婚育新风进万家\n")
    _, _, report = _report(county)
    texts = [p.text for p in report.paragraphs]
    assert "我县扎实开展“婚育新风进万家”。" in texts


def test_a_figure_without_its_unit_is_refused_at_its_line(county):
    edit(county, "受助女孩: 120人", "受助女孩: 120")
    with pytest.raises(FactsError) as refused:
        load_facts(county)
    (problem,) = refused.value.problems
    assert problem.key == "生育关怀.其他工作[0].数字.受助女孩" and problem.line and "请写明单位" in problem.message


def test_a_total_written_wrong_is_wr103_at_the_total_naming_its_parts(county):
    edit(county, "        发放生活补助: 5万元\n", "        发放生活补助: 5万元\n        发放资金: 32万元\n")
    (found,) = [f for f in check(county).findings if f.code == "WR103"]
    assert found.key == "生育关怀.其他工作[0].数字.发放资金" and found.expected == "30万元" and found.actual == "32万元"
    assert "关爱女孩行动的发放资金" in found.message and len(found.related) == 2


def test_declarations_name_figures_of_the_item_even_while_they_are_still_to_fill_in():
    values = {"生育关怀": {"其他工作": [{"名称": "甲", "数字": {"乙": parse_quantity("3人")}, "沿用": ["丙"], "合计": ["丁 = 乙 + 戊"]}]}}
    written = {"生育关怀": {"其他工作": [{"名称": "甲", "数字": {"乙": "3人", "戊": "待填", "丙": "待填"}}]}}
    assert list(declaration_problems(values, written)) == []
    assert [where for where, _, _ in declaration_problems(values, {})] == [
        ("生育关怀", "其他工作", 0, "沿用", 0), ("生育关怀", "其他工作", 0, "合计", 0)]


def test_attachment_lists_own_figures_beside_last_years_item_of_the_same_name(county):
    edit(county.parent / "2016.yaml", "  其他工作:\n", "  其他工作:\n    - 名称: 婚育新风进万家\n      数字: {宣传: 3场}\n")
    _, ctx, report = _report(county)  # last year's item is now second in its list: found by name
    rows = {row[0]: row[1:] for row in report.attachment.rows}
    assert rows["关爱女孩行动：受助女孩"] == ["120人", "96人", "+24人", "+25%"]
    assert rows["关爱女孩行动：发放资金"] == ["30万元", "24万元", "+6万元", "+25%"]  # both years' totals added up
    assert rows["家庭健康促进：受益家庭"] == ["3200多户", "—", "—", "—"]  # new this year
    assert "少生快富扶持户数" not in rows and "企业建会比例" not in rows  # programmes absent in both years
    assert previous_figure(ctx.previous, GIRLS, "关爱女孩行动", "没有的数字") is None


def test_the_readme_shows_what_the_example_county_gets(county):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### 本县自己的工作项目"):readme.index("## 版式与 PDF")]
    quoted = [line[2:] for line in section.splitlines() if line.startswith("> ") and line[2:].strip()]
    _, _, report = _report(county)
    texts = [p.text for p in report.paragraphs]
    start = texts.index(quoted[0])
    assert texts[start:start + len(quoted)] == quoted


def test_a_figure_written_as_a_list_is_one_problem_at_its_line(county):
    edit(county, "受助女孩: 120人", "受助女孩: [120人, 96人]")
    with pytest.raises(FactsError) as refused:
        load_facts(county)
    assert [(p.key, p.message) for p in refused.value.problems] == [
        ("生育关怀.其他工作[0].数字.受助女孩", "应为一个数字和它的单位，如 120人、25万元，实为列表")]


def test_own_terms_name_each_figure_for_a_reader_of_prose(county):
    edit(county, "        受益家庭: 3200多户\n", "        受益家庭: 3200多户\n        受助女孩: 15人\n")
    facts, _, report = _report(county)
    terms = own_terms(facts.values)
    assert terms["发放助学金"] == (*GIRLS, "数字", "发放助学金")
    assert "受助女孩" not in terms  # two items count 受助女孩: only the item's name tells them apart
    assert terms["关爱女孩行动受助女孩"] == (*GIRLS, "数字", "受助女孩")
    assert terms["家庭健康促进受助女孩"] == ("青春健康", "其他工作", 0, "数字", "受助女孩")
    text = "".join(p.text for p in report.paragraphs)
    assert all(f"{term}{facts.get(path)}" in text for term, path in terms.items() if not term.startswith(("关爱", "家庭")))


def test_a_section_with_only_own_items_says_only_them(county):
    text = county.read_text(encoding="utf-8")
    youth, insurance = text.index("青春健康:\n"), text.index("保险:\n")
    closing = text.index("结束语:\n")
    own = ("  其他工作:\n    - 名称: 计生家庭互助保险\n      数字:\n        参保家庭: 800户\n\n")
    county.write_text(text[:youth] + "青春健康:\n" + text[text.index("  其他工作:\n    - 名称: 家庭健康促进"):insurance]
                      + "保险:\n" + own + text[closing:], encoding="utf-8")
    assert check(county).errors == []
    _, _, report = _report(county)
    texts = [p.text for p in report.paragraphs]
    four, five = texts.index("四、关注青春健康，拓展服务范围"), texts.index("五、提高广大计生家庭抵御风险能力，切实解决群众的后顾之忧")
    assert len(texts[four + 1:five]) == 1 and texts[four + 1].startswith("我县扎实开展“家庭健康促进”。")
    assert texts[five + 1] == "我县扎实开展“计生家庭互助保险”。全年参保家庭800户。"
    assert texts[five + 2].startswith("以上是我县计生协会一年来的几项重点工作")
