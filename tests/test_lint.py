"""``workreport lint``: the reference report's known defects are found, and nothing that is correct there."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workreport.cli import main
from workreport.errors import WorkreportError
from workreport.lint import lint

REFERENCE = Path("/work/shared/reference/fengning-2016-summary.txt")

# The defects the reference README lists, by code and paragraph (= line of the text file).
KNOWN_DEFECTS = {
    ("WR401", 3),  # 改革开放30年来 (38 in 2016)
    ("WR402", 3),  # 庆祝中国计生协会成立35周年 (36 in 2016)
    ("WR301", 6),  # 8大基地 with six named
    ("WR404", 9),  # 2015年 … 项目资金10万元
    ("WR404", 14),  # 2015年 … 投保50余万
    ("WR702", 9),  # "180 户"
}
# Paragraphs holding half-width , ; . ( ) beside Chinese text (read off the reference by hand).
HALF_WIDTH_PARAGRAPHS = {2, 3, 4, 6, 7, 9, 10, 11, 12, 13, 14, 15}


PROSE_PIECES = ["\n", "一、", "二是", "总结", "2016年", "2015年", "今年", "上年末", "共有", "新增", "退出", "现有", "共投", "其中", "、", "，", "。",
                "；", ",", ".", " ", "8户", "180 户", "35万元", "三四十户", "等", "五个", "8大基地", "“六有”", "（有A、有B）", "有C", "十二五",
                "收官之年", "中国计生协", "成立35周年", "改革开放", "30年来", "比上年增加2户", "计生特困家庭", "奶牛", "肉鸡", "和", "戶", "計生"]


def _codes(findings):
    return {(f.code, f.line) for f in findings}


def _lint_text(tmp_path, text, year=2016, name="report.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return lint(path, year).findings


@pytest.fixture(scope="module")
def reference_findings():
    return lint(REFERENCE, 2016).findings


def test_reference_gives_exactly_its_known_defects(reference_findings):
    expected = KNOWN_DEFECTS | {("WR701", p) for p in HALF_WIDTH_PARAGRAPHS}
    assert _codes(reference_findings) == expected


def test_each_defect_says_what_is_right(reference_findings):
    by_code = {}
    for f in reference_findings:
        by_code.setdefault(f.code, []).append(f)
    (reform,) = by_code["WR401"]
    assert (reform.expected, reform.actual) == ("38年", "30年") and "1978" in reform.message
    third = REFERENCE.read_text(encoding="utf-8").split("\n")[2]
    assert "改革开放30年来" in reform.excerpt and reform.column == third.index("改革开放30年来") + len("改革开放") + 1
    (anniversary,) = by_code["WR402"]
    assert (anniversary.expected, anniversary.actual) == ("36周年", "35周年") and "1980" in anniversary.message
    (bases,) = by_code["WR301"]
    assert (bases.expected, bases.actual) == ("6大", "8大") and "6 项" in bases.message
    funds, insured = by_code["WR404"]
    assert "10万元" in funds.message and "50余万" in insured.message
    assert funds.actual == insured.actual == "2015" and funds.severity == "warning"
    (space,) = by_code["WR702"]
    # the spaced figure, not the whole paragraph twice
    assert (space.expected, space.actual) == ("180户", "180 户") and "180 户" in space.message
    assert space.excerpt == "现共有计生特困家庭180 户。"
    heading = next(f for f in by_code["WR701"] if f.line == 2)
    assert heading.expected == "一、强化自身建设，提高服务本能" and heading.column == 9
    assert all(f.file.endswith("fengning-2016-summary.txt") for f in reference_findings)


def test_correct_figures_of_the_reference_raise_nothing(reference_findings):
    codes = {f.code for f in reference_findings}
    # 30万元 + 5万元 = 共投35万元; 新增8户、退出六户、现有180户 (178 + 8 − 6); 三融入/六强化/六有/五到位 listed fully.
    assert not codes & {"WR101", "WR102", "WR203", "WR302"}
    # 自2006年开始, 在2006年率先成立, 2016年以来: not another year's figures.
    assert {f.line for f in reference_findings if f.code == "WR404"} == {9, 14}


CORRECT_2016 = "\n".join([
    "某县计生协会2016年工作总结",
    "一、强化自身建设，提高服务本能",
    "大张旗鼓地宣传改革开放38年来计生工作取得的辉煌成就，开展了“庆祝中国计生协会成立36周年”宣传活动。",
    "上年末全县共有计生特困家庭178户，今年新增计生特困家庭8户，退出六户，现共有计生特困家庭180户。",
    "幸福工程自2006年开始，争取资金30万元，从募捐款中提出5万元作为补充，共投35万元。与2015年相比增加了10户。",
    "建设奶牛、肉鸡和中药材种植三大基地。达到了“三融入”（融入校园、融入社区、融入企业）的目标。",
    "企业计生协会达到了“六有”，企业计生协会有健全的组织网络，有专兼职的工作人员，有明确的工作职责，有固定的活动阵地，有切实可行的工作制度，有经常性的服务活动。",
])


def test_a_correct_report_gets_no_finding(tmp_path):
    assert _lint_text(tmp_path, CORRECT_2016) == []


@pytest.mark.parametrize(("old", "new", "code", "expected"), [
    ("现共有计生特困家庭180户", "现共有计生特困家庭181户", "WR102", "180户"),
    ("共投35万元", "共投36万元", "WR101", "35万元"),
    ("改革开放38年来", "改革开放三十年来", "WR401", "38年"),
    ("成立36周年", "成立35周年", "WR402", "36周年"),
    ("三大基地", "四大基地", "WR301", "3大"),
    ("“三融入”", "“四融入”", "WR302", "4 条（与“四融入”相符）"),
    ("达到了“六有”", "达到了“五有”", "WR302", "5 条（与“五有”相符）"),
])
def test_one_wrong_figure_gives_one_finding_at_its_place(tmp_path, old, new, code, expected):
    assert CORRECT_2016.count(old) == 1
    findings = _lint_text(tmp_path, CORRECT_2016.replace(old, new))
    assert [(f.code, f.expected) for f in findings] == [(code, expected)]
    (found,) = findings
    lines = CORRECT_2016.split("\n")
    assert old in lines[found.line - 1] and new in found.excerpt
    # the column points into the changed words (at the figure, or at the fixed term)
    start = lines[found.line - 1].index(old)
    assert start < found.column <= start + len(new)


def test_same_thing_with_two_figures_is_flagged(tmp_path):
    text = CORRECT_2016 + "\n二、亲情关爱\n今年新增计生特困家庭9户，全部建档。"
    findings = _lint_text(tmp_path, text)
    assert [(f.code, f.line, f.expected, f.actual) for f in findings] == [("WR203", 9, "8户", "9户")]


def test_an_earlier_years_figures_are_flagged_once_per_sentence(tmp_path):
    text = "总结\n一、工作\n2015年我们争取项目资金10万元，救助52户。2016年新增8户。"
    findings = _lint_text(tmp_path, text)
    assert [(f.code, f.line, f.column) for f in findings] == [("WR404", 3, 1)]
    assert "10万元、52户" in findings[0].message


def test_the_docx_of_a_report_is_linted_like_its_text(tmp_path, reference_findings):
    from docx import Document

    word = Document()
    for line in REFERENCE.read_text(encoding="utf-8").split("\n"):
        word.add_paragraph(line)
    path = tmp_path / "2016年工作总结.docx"
    word.save(path)
    from_docx = lint(path, 2016).findings
    assert [(f.code, f.line, f.column, f.excerpt) for f in from_docx] == [(f.code, f.line, f.column, f.excerpt) for f in reference_findings]


def test_a_gbk_copy_is_linted_like_the_original(tmp_path, reference_findings):
    path = tmp_path / "gbk.txt"
    path.write_bytes(REFERENCE.read_text(encoding="utf-8").encode("gb18030"))
    assert _codes(lint(path, 2016).findings) == _codes(reference_findings)


def test_the_year_is_guessed_from_the_text_when_not_given():
    linted = lint(REFERENCE)
    assert (linted.year, linted.year_guessed) == (2016, True)


def test_cli_lint_text_json_github_and_exit_codes(tmp_path, capsys):
    assert main(["lint", str(REFERENCE), "--year", "2016"]) == 1
    out = capsys.readouterr().out
    assert "[WR401 错误]" in out and "应为：38年" in out and "3 个错误" in out
    assert main(["lint", str(REFERENCE), "--year", "2016", "--format", "json"]) == 1
    items = json.loads(capsys.readouterr().out)
    assert {(i["code"], i["line"]) for i in items} >= KNOWN_DEFECTS
    assert all({"code", "severity", "message", "file", "line"} <= set(i) for i in items)
    assert main(["lint", str(REFERENCE), "--year", "2016", "--format", "github"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert any(line.startswith("::error file=") and ",line=3," in line and "WR401" in line for line in lines)
    clean = tmp_path / "clean.txt"
    clean.write_text(CORRECT_2016, encoding="utf-8")
    assert main(["lint", str(clean), "--year", "2016"]) == 0
    assert "没有发现问题" in capsys.readouterr().out


def test_cli_lint_of_an_unusable_file_exits_2_without_traceback(tmp_path):
    result = subprocess.run([sys.executable, "-m", "workreport.cli", "lint", str(tmp_path / "无.docx")], capture_output=True, text=True)
    assert result.returncode == 2
    assert "找不到这个文件" in result.stderr and "Traceback" not in result.stderr


def test_no_command_loads_jieba(tmp_path):
    """The CLI, check, build (its long title included) and lint stay free of jieba: prose is read by
    characters, and a title is split from a sorted copy of jieba's dictionary kept in the cache folder."""
    script = f"""
import sys
import workreport.cli as cli
cli._parser()
from workreport.pipeline import load_facts, derive_and_assemble
derive_and_assemble(load_facts("facts/2016.yaml"))
from workreport.pipeline import check
check("facts/2016.yaml")
from workreport.lint import lint
lint({str(REFERENCE)!r}, 2016)
from workreport.render.docx import split_title
assert split_title("丰宁县计生协完善队伍建设夯实计生协会基层基础") == "丰宁县计生协完善队伍建设\\n夯实计生协会基层基础"
assert "jieba" not in sys.modules, "build, check or lint imported jieba"
print("ok")
"""
    root = Path(__file__).resolve().parents[1]
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=root,
                            env={"XDG_CACHE_HOME": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
    assert list((tmp_path / "cache" / "workreport").glob("jieba-sorted-*.txt"))  # the index is kept where it can be written


def test_figures_with_a_space_before_the_unit_or_only_a_scale_are_read():
    from workreport.prose import scan

    found = [(f.text, int(f.quantity.value), f.quantity.unit) for f in scan("现共有计生特困家庭180 户，投保50余万，着实解决", ["计生特困家庭"])]
    assert found == [("180 户", 180, "户"), ("50余万", 500000, "")]


def test_calendar_messages_name_the_event_with_its_own_verb(tmp_path):
    text = "总结\n一、工作\n宣传改革开放30年来的成就。在建党90周年之际开展活动。纪念《公开信》发表34周年。"
    messages = [f.message for f in _lint_text(tmp_path, text)]
    assert any("改革开放始于 1978 年" in m for m in messages)
    assert any("中国共产党成立于 1921 年" in m for m in messages)
    assert any("公开信发表于 1980 年" in m for m in messages)
    assert not any("改革开放成立于" in m or "建党成立于" in m for m in messages)


def test_a_law_is_counted_from_its_passing_or_its_entry_into_force(tmp_path):
    ok = "总结\n一、工作\n纪念《人口与计划生育法》颁布15周年，庆祝《人口与计划生育法》实施14周年。"
    assert _lint_text(tmp_path, ok) == []
    (wrong,) = _lint_text(tmp_path, ok.replace("实施14周年", "实施15周年"))
    assert (wrong.code, wrong.expected) == ("WR402", "14周年") and "施行于 2002 年" in wrong.message


def test_named_count_says_what_the_name_says_and_what_is_listed(tmp_path):
    text = "总结\n一、工作\n形成了“三融入”（融入校园、融入社区、融入企业、融入家庭）的模式。"
    (finding,) = _lint_text(tmp_path, text)
    assert finding.code == "WR302"
    assert (finding.expected, finding.actual) == ("3 条（与“三融入”相符）", "4 条")
    assert "说的是 3 条，实际列出了 4 条" in finding.message


def test_a_plan_stage_is_checked_against_the_year(tmp_path):
    (finding,) = _lint_text(tmp_path, "总结\n一、工作\n今年是“十二五”收官之年，各项任务全面完成。", year=2018)
    assert finding.code == "WR403" and finding.expected == "十三五第3年" and "2011—2015" in finding.message
    assert _lint_text(tmp_path, "总结\n一、工作\n2015年是“十二五”收官之年，各项任务全面完成。") == []


def test_anniversary_in_a_title_joined_to_its_body_and_with_a_space_is_read(tmp_path):
    joined = "某县计生协会2016年工作总结2016年，我县庆祝中国计生协 成立35周年，开展活动12场次。"
    codes = {(f.code, f.line) for f in _lint_text(tmp_path, joined)}
    assert ("WR402", 1) in codes


@settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(PROSE_PIECES), min_size=1, max_size=40).map("".join))
def test_any_text_lints_without_a_traceback(tmp_path, text):
    path = tmp_path / "fuzz.txt"
    path.write_text(text, encoding="utf-8")
    try:
        linted = lint(path, 2016)
    except WorkreportError as exc:
        assert all(re.search("[\u4e00-\u9fff]", p.message) for p in exc.problems)
        return
    for finding in linted.findings:
        assert finding.line >= 1 and finding.column >= 1 and re.search("[\u4e00-\u9fff]", finding.message)


def _hard_wrapped(width: int = 35) -> list[str]:
    """The reference as text copied from a PDF: every paragraph broken into lines of ``width`` characters."""
    lines = []
    for paragraph in REFERENCE.read_text(encoding="utf-8").split("\n"):
        lines += [paragraph[i:i + width] for i in range(0, len(paragraph), width)] or [""]
    return lines


def test_a_hard_wrapped_copy_gives_the_same_defects_at_their_own_lines(tmp_path, reference_findings):
    lines = _hard_wrapped()
    path = tmp_path / "pdf.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    findings = [f for f in lint(path, 2016).findings if f.code != "WR701"]
    assert sorted(f.code for f in findings) == sorted(f.code for f in reference_findings if f.code != "WR701")
    for finding in findings:
        at = lines[finding.line - 1][finding.column - 1:]
        if finding.code != "WR702":
            assert at.startswith(finding.actual[:len(at)]), (finding.code, at, finding.actual)
    (anniversary,) = [f for f in findings if f.code == "WR402"]
    assert lines[anniversary.line - 1].endswith("35") and lines[anniversary.line].startswith("周年")  # read across the wrap
