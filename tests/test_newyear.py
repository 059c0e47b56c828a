"""new-year: the next year's facts file keeps the staff's layout and marks what must be filled in."""

from __future__ import annotations

import difflib
import io
import re
from pathlib import Path

import pytest

from tests.conftest import FACTS, edit
from workreport.cli import main
from workreport.errors import FactsError, OutputError
from workreport.facts import dotted
from workreport.newyear import new_year

LINE = re.compile(r"^(?P<key>\s*(?:- )?[^:#\s][^:#]*):\s*(?P<value>.*?)\s*(?P<comment>#.*)?$")

# What rolling 2016 over must change, from the x-new-year annotations of schema.json:
# years and dates move to 2017, flows and this year's events become 待填.
EXPECTED_CHANGES = {
    "年度": "2017",
    "标题": "待填",
    "成文日期": "2017-12-20",
    "组织单位": "待填",
    "参训人员": "待填",
    "年初会议": "待填",
    "主题": "待填",
    "庆祝成立周年": "待填",
    "宣传品": "待填",
    "发表文章": "待填",
    "创新做法": "待填",
    "创新成效": "待填",
    "人均增收": "待填",
    "新增户数": "待填",
    "退出户数": "待填",
    "帮扶措施数": "待填",
    "体检户数": "待填",
    "年份": "2017",  # 项目资金 and 投保金额
    "金额": "待填",
    "救助户数": "待填",
    "计划生育率": "待填",
    "亮点": "待填",
}


def comments(text: str) -> list[str]:
    """Every comment of a YAML text (full-line and end-of-line), in order."""
    return [m.group(0).strip() for m in re.finditer(r"(?:^|\s)#.*$", text, re.MULTILINE)]


@pytest.fixture
def rolled(facts_dir: Path) -> tuple[str, str, object]:
    result = new_year(facts_dir / "2016.yaml")
    original = (facts_dir / "2016.yaml").read_text(encoding="utf-8")
    return original, result.output.read_text(encoding="utf-8"), result


def test_writes_next_year_beside_the_source(facts_dir: Path):
    result = new_year(facts_dir / "2016.yaml")
    assert result.output == facts_dir / "2017.yaml"
    assert result.year == 2017
    assert "上年事实" not in result.output.read_text(encoding="utf-8")  # 2016.yaml beside it is found by name


def test_only_the_changed_values_differ_line_for_line(rolled):
    original, new, _ = rolled
    old_lines, new_lines = original.splitlines(), new.splitlines()
    changed: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        if op == "delete":  # only the items of a list that was replaced by 待填
            assert all(line.lstrip().startswith("- ") for line in old_lines[i1:i2]), old_lines[i1:i2]
            continue
        assert op == "replace" and i2 - i1 >= j2 - j1, (op, old_lines[i1:i2], new_lines[j1:j2])
        if old_lines[i1].startswith("# "):  # the opening comment names the year: it names the new one
            assert (old_lines[i1:i2], new_lines[j1:j2]) == (["# 丰宁县计划生育协会 2016 年工作总结 —— 事实文件"],
                                                            ["# 丰宁县计划生育协会 2017 年工作总结 —— 事实文件"])
            continue
        assert all(line.lstrip().startswith("- ") for line in old_lines[i1 + j2 - j1:i2])
        for old, line in zip(old_lines[i1:i1 + j2 - j1], new_lines[j1:j2]):
            before, after = LINE.match(old), LINE.match(line)
            assert before and after, (old, line)
            assert after["key"] == before["key"]
            assert after["comment"] == before["comment"]
            changed.append((after["key"].strip(), after["value"]))
    assert dict(changed) == EXPECTED_CHANGES
    assert sorted(k for k, _ in changed) == sorted([*EXPECTED_CHANGES, "年份", "金额"])


def test_every_comment_is_kept(rolled):
    original, new, _ = rolled
    assert comments(new) == comments(original.replace("2016 年工作总结", "2017 年工作总结"))  # the heading names the new year
    assert new.startswith("# yaml-language-server: $schema=../templates/fpa-annual/schema.json\n")


def test_stocks_and_cumulative_figures_carry_over(rolled):
    _, new, result = rolled
    assert "    现有户数: 180                 # 年末计生特困家庭总数" in new
    assert "    扶持户数: 1100多" in new
    assert "    开始年份: 2007" in new and "    成立年份: 2006" in new  # start and founding years stay
    carried = {dotted(p) for p in result.carried}
    assert {"生育关怀.亲情关爱.现有户数", "生育关怀.少生快富.扶持户数", "生育关怀.幸福工程.累计收益"} <= carried
    assert not any(p.startswith("生育关怀.少生快富.基地[") for p in carried)  # a carried list is listed once


def test_report_lines_of_what_to_fill(rolled):
    _, new, result = rolled
    lines = new.splitlines()
    for path in result.cleared:
        line = result.line(path)
        assert lines[line - 1].strip().startswith(f"{path[-1]}: 待填"), (dotted(path), line)
    assert len(result.cleared) == sum(v == "待填" for v in EXPECTED_CHANGES.values()) + 1  # 金额 twice


def test_derived_figures_are_removed_and_their_comment_lines_kept(facts_dir: Path):
    source = edit(facts_dir / "2016.yaml", "    开始年份: 2007               # 项目在本县开始的年份；“N年来”由此推算\n",
                  "    开始年份: 2007               # 项目在本县开始的年份；“N年来”由此推算\n"
                  "    开展年数: 9                  # 写了则核对\n"
                  "    # 下面是选项思路\n")
    result = new_year(source)
    new = result.output.read_text(encoding="utf-8")
    assert "开展年数" not in new
    assert "    开始年份: 2007               # 项目在本县开始的年份；“N年来”由此推算\n    # 下面是选项思路\n    选项思路:" in new
    assert [dotted(p) for p in result.removed] == ["生育关怀.少生快富.开展年数"]


def test_comments_between_items_of_a_cleared_list_are_kept(facts_dir: Path):
    source = edit(facts_dir / "2016.yaml", "  亮点:\n    - 承德市", "  亮点:   # 每条一句\n    # 第一条\n    - 承德市")
    edit(source, "并广泛推行我县经验做法\n", "并广泛推行我县经验做法\n\n# 文件结束\n")
    new = new_year(source).output.read_text(encoding="utf-8")
    assert comments(new) == comments(source.read_text(encoding="utf-8").replace("2016 年工作总结", "2017 年工作总结"))
    assert re.search(r"\n  亮点: 待填 +# 每条一句\n    # 第一条\n\n# 文件结束\n$", new)


def test_quoted_date_keeps_its_quotes_and_29_february_becomes_28th(facts_dir: Path):
    source = edit(facts_dir / "2016.yaml", "成文日期: 2016-12-20", '成文日期: "2016-02-29"')
    new = new_year(source).output.read_text(encoding="utf-8")
    assert '成文日期: "2017-02-28"' in new


def test_refuses_to_overwrite_without_force(facts_dir: Path):
    target = facts_dir / "2017.yaml"
    target.write_text("年度: 2017\n单位: 已填写的内容\n", encoding="utf-8")
    with pytest.raises(OutputError) as caught:
        new_year(facts_dir / "2016.yaml")
    assert "--force" in caught.value.problems[0].message
    assert target.read_text(encoding="utf-8") == "年度: 2017\n单位: 已填写的内容\n"
    new_year(facts_dir / "2016.yaml", force=True)
    assert target.read_text(encoding="utf-8").count("待填") == 20


def test_never_writes_over_its_source(facts_dir: Path):
    with pytest.raises(OutputError):
        new_year(facts_dir / "2016.yaml", facts_dir / "2016.yaml", force=True)
    assert (facts_dir / "2016.yaml").read_text(encoding="utf-8") == (FACTS / "2016.yaml").read_text(encoding="utf-8")


def test_an_invalid_source_is_refused_with_its_line(facts_dir: Path):
    source = edit(facts_dir / "2016.yaml", "    新增户数: 8", "    新增户数: 八户")
    with pytest.raises(FactsError) as caught:
        new_year(source)
    assert caught.value.problems[0].line == 61
    assert not (facts_dir / "2017.yaml").exists()


def test_output_elsewhere_links_back_with_上年事实(facts_dir: Path, tmp_path: Path):
    result = new_year(facts_dir / "2016.yaml", tmp_path / "next" / "丰宁2017.yaml")
    new = result.output.read_text(encoding="utf-8")
    assert "\n年度: 2017\n上年事实: ../facts/2016.yaml\n" in new


def test_cli_new_year_lists_what_to_fill(facts_dir: Path, capsys):
    assert main(["new-year", str(facts_dir / "2016.yaml")]) == 0
    out = capsys.readouterr().out
    assert "2017.yaml:61  生育关怀.亲情关爱.新增户数" in out
    assert "2017.yaml:63  生育关怀.亲情关爱.现有户数" in out  # carried, to update
    assert main(["new-year", str(facts_dir / "2016.yaml")]) == 2
    assert "--force" in capsys.readouterr().err


def test_four_space_indentation_and_windows_line_ends_stay(facts_dir: Path):
    from ruamel.yaml import YAML

    source = facts_dir / "2016.yaml"
    yaml = YAML()
    yaml.width = 4096
    yaml.indent(mapping=4, sequence=6, offset=4)
    wide = io.StringIO()
    yaml.dump(yaml.load(source.read_text(encoding="utf-8")), wide)
    source.write_bytes(wide.getvalue().replace("\n", "\r\n").encode("utf-8"))
    result = new_year(source)
    written = result.output.read_bytes().decode("utf-8")
    old, new = wide.getvalue().splitlines(), written.splitlines()
    assert not result.relaid
    assert written.count("\r\n") == written.count("\n")
    changed = [line for line in difflib.ndiff(old, new) if line.startswith("+ ")]
    assert len(changed) == 25  # the heading's year and the values of EXPECTED_CHANGES (年份 and 金额 twice), nothing else
    assert "\n        新增户数: 待填 " in written and "\n            - 名称: 六有\r\n" in written


def test_a_bom_stays(facts_dir: Path):
    source = facts_dir / "2016.yaml"
    source.write_bytes(b"\xef\xbb\xbf" + source.read_bytes())
    assert new_year(source).output.read_bytes().startswith(b"\xef\xbb\xbf# yaml-language-server")


def test_comments_are_found_outside_values_only():
    from workreport.newyear import comments as found

    text = ('a: "x # not a comment"   # one\n'
            "b: c#d\n"
            "# two\n"
            "e: |\n  # inside a block of text\n"
            "f: [g, # three\n    h]\n"
            "i:\n  # four\n  j\n")
    assert found(text) == [(1, "# one"), (3, "# two"), (6, "# three"), (9, "# four")]


def test_a_comment_it_moves_is_still_kept(facts_dir: Path):
    source = edit(facts_dir / "2016.yaml", "执笔人: 郭志", "执笔人:   # 办公室\n  郭志")
    result = new_year(source)
    assert "执笔人: 郭志 # 办公室\n" in result.output.read_text(encoding="utf-8")
    assert result.relaid


def test_old_mac_line_ends_stay(facts_dir: Path):
    source = facts_dir / "2016.yaml"
    with_lf = new_year(source).output.read_text(encoding="utf-8")
    (facts_dir / "2017.yaml").unlink()
    source.write_bytes(source.read_bytes().replace(b"\n", b"\r"))

    with_cr = new_year(source).output.read_bytes().decode("utf-8")

    assert "\n" not in with_cr and with_cr.replace("\r", "\n") == with_lf
