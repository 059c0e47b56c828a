"""A second county, end to end: 青石县 2017 (facts/examples/青石县), with other programmes than 丰宁县's.

No 少生快富 and no 企业协会; 关爱女孩行动 and 家庭健康促进 as its own work items.  From its facts
to the .docx read back, and as LibreOffice prints it; nothing under templates/ or src/ knows it.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import docx
import pytest

from tests.conftest import ROOT
from tests.render.render_support import convert_to_pdf, run_tool
from workreport.cli import main
from workreport.pipeline import build, check

EXAMPLE = ROOT / "facts" / "examples" / "青石县"
# What only 丰宁县's facts or programmes say: none of it may reach another county's report.
FENGNING = ("丰宁", "少生快富", "幸福工程", "企业协会", "企业计生协会", "六有", "大阁", "建信银行", "街道办事处",
            "青春健康服务中心", "亲情关爱卡", "无一例违反政策生育", "养殖", "这一创新", "郝敏", "王建云", "收官之年", "成立36周年")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("qingshi")
    shutil.copytree(EXAMPLE, folder / "facts")
    return build(folder / "facts" / "2017.yaml", folder / "output").output


def _paragraphs(path: Path) -> list[str]:
    return [p.text for p in docx.Document(str(path)).paragraphs if p.text.strip()]


def test_the_example_county_checks_clean_and_does_not_disturb_the_default_facts(capsys):
    assert check(EXAMPLE / "2017.yaml").findings == []
    assert main(["check", "facts/"]) == 0  # the folder check reads facts/*.yaml only, not the example's subfolder
    assert "青石县" not in capsys.readouterr().out


def test_its_own_items_are_paragraphs_of_their_own_with_their_figures(built: Path):
    texts = _paragraphs(built)
    assert texts[0].replace("\n", "") == "青石县计生协会关爱计生家庭服务群众健康工作总结"  # the title breaks between words
    girls = texts.index("二是扎实开展“关爱女孩行动”。")
    assert texts[girls + 1].startswith("为全县家庭困难的在校女孩发放助学金和生活补助")
    assert "全年发放助学金25万元，发放生活补助5万元，受助女孩120人，累计受助女孩560人，发放资金共30万元。" in texts[girls + 1]
    health = [t for t in texts if t.startswith("我县扎实开展“家庭健康促进”。")]
    assert len(health) == 1 and "举办健康讲座36场，培训家庭健康指导员210人，受益家庭3200多户" in health[0]
    assert [t for t in texts if re.match("[一二三四五]、", t)] == [
        "一、强化自身建设，提高服务本能", "二、推进生育关怀，扩大社会效应", "三、壮大非公协会，发挥职能作用",
        "四、关注青春健康，拓展服务范围", "五、提高广大计生家庭抵御风险能力，切实解决群众的后顾之忧"]
    assert "一是加快流动人口协会体系建设" in texts[texts.index("三、壮大非公协会，发挥职能作用") + 1]
    assert "现共有计生特困家庭68户，比上年增加4户" in "".join(texts)  # last year's file beside it was found


def test_nothing_of_the_first_countys_programmes_leaks_in(built: Path):
    document = docx.Document(str(built))
    text = "".join(_paragraphs(built)) + "".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert [word for word in FENGNING if word in text] == []


def test_the_attachment_compares_its_own_items_with_last_year(built: Path):
    (table,) = docx.Document(str(built)).tables
    rows = {row.cells[0].text: [c.text for c in row.cells[1:]] for row in table.rows}
    assert rows["关爱女孩行动：受助女孩"] == ["120人", "96人", "+24人", "+25%"]
    assert rows["家庭健康促进：举办健康讲座"] == ["36场", "—", "—", "—"]
    assert not any("少生快富" in label or "企业" in label for label in rows)


def test_libreoffice_prints_its_own_items(built: Path, tmp_path: Path):
    copy = tmp_path / built.name
    shutil.copy(built, copy)
    printed = re.sub(r"\s+", "", run_tool("pdftotext", str(convert_to_pdf(copy)), "-"))
    assert "二是扎实开展“关爱女孩行动”。" in printed and "受益家庭3200多户。" in printed
    assert "附件1" in printed and "青石县计划生育协会2017年12月15日" in printed


def test_nothing_under_templates_or_src_is_specific_to_the_example_county():
    for folder in ("templates", "src"):
        for path in (ROOT / folder).rglob("*"):
            if path.is_file() and path.suffix in (".py", ".j2", ".json", ".yaml", ".md", ".txt"):
                text = path.read_text(encoding="utf-8")
                assert "青石" not in text, path  # its programmes' names appear only as examples in schema.json's descriptions


def test_a_staff_edited_report_of_the_second_county_is_traced_and_annotated(built: Path, tmp_path: Path, capsys):
    """The second county's own items are traced like any fact: a changed figure of 关爱女孩行动 is an error at
    its line in the facts file, a figure no fact holds is listed, and the annotated copy carries one comment each."""
    import json

    facts = built.parent.parent / "facts" / "2017.yaml"
    document = docx.Document(str(built))
    girls = next(p for p in document.paragraphs if "受助女孩120人" in p.text)
    run = next(r for r in girls.runs if "受助女孩120人" in r.text)
    run.text = run.text.replace("受助女孩120人", "受助女孩125人")
    girls.add_run("我们还为受助女孩家庭送去慰问品300份。")
    edited = tmp_path / "改过的总结.docx"
    document.save(str(edited))
    annotated = tmp_path / "批注.docx"
    capsys.readouterr()

    code = main(["check", str(facts), "--report", str(edited), "--annotate", str(annotated), "--format", "json"])

    assert code == 1
    findings = json.loads(capsys.readouterr().out)
    wrong = [f for f in findings if f["severity"] == "error"]
    assert [(f["code"], f["actual"], f["expected"]) for f in wrong] == [("WR611", "125人", "120人")]
    line = next(n for n, text in enumerate(facts.read_text(encoding="utf-8").splitlines(), 1) if "受助女孩: 120人" in text)
    assert any(r["line"] == line for r in wrong[0]["related"]) or wrong[0]["line"] == line
    assert [f["code"] for f in findings if f["code"] == "WR613" and "300份" in f["message"]] == ["WR613"]
    assert len(findings) == 2  # the 附件 table's cells, its own items' rows too, agree with the facts
    comments = list(docx.Document(str(annotated)).comments)
    assert len(comments) == 2 and any("120人" in c.text for c in comments)


def test_the_built_report_traces_clean_against_its_facts(built: Path, capsys):
    facts = built.parent.parent / "facts" / "2017.yaml"
    assert main(["check", str(facts), "--report", str(built)]) == 0
    assert "0 个错误，0 个警告，0 条提示" in capsys.readouterr().out
