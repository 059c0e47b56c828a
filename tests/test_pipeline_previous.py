"""The previous-year link: 上年事实 or <year-1>.yaml beside the file; every problem with it named and located."""

from __future__ import annotations

from pathlib import Path

import pytest

from workreport.errors import FactsError
from workreport.pipeline import load_facts

from .conftest import edit


def link(facts_dir: Path, target: str) -> Path:
    """Name last year's file in 2016.yaml with 上年事实 (written on line 12, after 年度)."""
    return edit(facts_dir / "2016.yaml", "年度: 2016\n", f"年度: 2016\n上年事实: {target}\n")


def problems(path: Path):
    with pytest.raises(FactsError) as caught:
        load_facts(path)
    return caught.value.problems


def test_found_beside_by_year(facts_dir: Path):
    assert load_facts(facts_dir / "2016.yaml").previous.year == 2015


def test_named_by_上年事实(facts_dir: Path, tmp_path: Path):
    (facts_dir / "2015.yaml").rename(tmp_path / "去年.yaml")
    facts = load_facts(link(facts_dir, "../去年.yaml"))
    assert facts.previous.year == 2015 and facts.previous.path.name == "去年.yaml"


def test_none_beside_means_no_comparison(facts_dir: Path):
    (facts_dir / "2015.yaml").unlink()
    assert load_facts(facts_dir / "2016.yaml").previous is None


def test_named_file_missing(facts_dir: Path):
    [problem] = problems(link(facts_dir, "2014.yaml"))
    assert (problem.key, problem.line) == ("上年事实", 12)
    assert problem.file.endswith("2016.yaml")
    assert "2014.yaml" in problem.message and "不存在" in problem.message and "2015.yaml" in problem.message


def test_named_folder(facts_dir: Path):
    (facts_dir / "旧").mkdir()
    [problem] = problems(link(facts_dir, "旧"))
    assert problem.line == 12 and "文件夹" in problem.message


def test_named_itself(facts_dir: Path):
    [problem] = problems(link(facts_dir, "2016.yaml"))
    assert problem.line == 12 and "本文件自己" in problem.message


def test_named_file_of_another_year(facts_dir: Path):
    edit(facts_dir / "2015.yaml", "年度: 2015", "年度: 2014")
    [problem] = problems(link(facts_dir, "2015.yaml"))
    assert (problem.key, problem.line) == ("上年事实", 12) and problem.file.endswith("2016.yaml")
    assert "2014" in problem.message and "2015 年度" in problem.message


def test_file_beside_of_another_year_points_at_its_own_year(facts_dir: Path):
    edit(facts_dir / "2015.yaml", "年度: 2015", "年度: 2014")
    [problem] = problems(facts_dir / "2016.yaml")
    assert problem.file.endswith("2015.yaml") and (problem.key, problem.line) == ("年度", 5)
    assert "2014" in problem.message and "2016.yaml" in problem.message


def test_broken_previous_file_is_introduced_by_the_link(facts_dir: Path):
    edit(facts_dir / "2015.yaml", "    现有户数: 178", "    现有户数: 一百七十八")
    intro, *rest = problems(facts_dir / "2016.yaml")
    assert intro.file.endswith("2016.yaml") and intro.key == "年度" and "2015.yaml" in intro.message
    assert rest and rest[0].file.endswith("2015.yaml") and rest[0].line == 13 and "178" in rest[0].message


def test_cli_reports_the_broken_link_in_chinese(facts_dir: Path, capsys):
    from workreport.cli import main

    link(facts_dir, "没有这个文件.yaml")
    assert main(["build", str(facts_dir / "2016.yaml"), "-o", str(facts_dir / "out")]) == 2
    err = capsys.readouterr().err
    assert "2016.yaml:12" in err and "上年事实" in err and "Traceback" not in err


def test_last_years_file_is_read_again_when_its_text_changed_and_kept_while_it_did_not(facts_dir: Path):
    first = load_facts(facts_dir / "2016.yaml").previous
    assert load_facts(facts_dir / "2016.yaml").previous is first  # the same text: the facts read before
    previous = facts_dir / "2015.yaml"
    text = previous.read_text(encoding="utf-8")
    assert "现有户数: 178" in text
    previous.write_text(text.replace("现有户数: 178", "现有户数: 179"), encoding="utf-8")  # same size, maybe the same mtime
    changed = load_facts(facts_dir / "2016.yaml").previous
    assert changed is not first and str(changed.get(("生育关怀", "亲情关爱", "现有户数"))) == "179户"
    previous.write_text("年度: 2015\n单位: [", encoding="utf-8")
    with pytest.raises(FactsError):
        load_facts(facts_dir / "2016.yaml")
