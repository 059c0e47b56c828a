"""A workbook where a facts file goes: check and build read it directly, and rollup reads a folder of township workbooks."""

from __future__ import annotations

import shutil
from pathlib import Path

import docx
import openpyxl
from ruamel.yaml import YAML

from workreport.cli import main
from workreport.facts import load
from workreport.pipeline import build

from .conftest import fill, row_of


def _text(path: Path) -> list[str]:
    return [p.text for p in docx.Document(str(path)).paragraphs]


def test_build_of_the_workbook_gives_the_same_report_as_build_of_the_yaml(book, tmp_path):
    from_yaml = build(book.with_suffix(".yaml"), tmp_path / "yaml")
    from_book = build(book, tmp_path / "book")
    assert from_book.output.name == from_yaml.output.name
    assert _text(from_book.output) == _text(from_yaml.output)
    assert any("178" in p or "180" in p for p in _text(from_book.output))  # last year's figures were found beside the workbook


def test_a_conflicting_figure_in_the_workbook_fails_check_naming_sheet_cell_and_fact(book, capsys):
    cell = fill(book, "生育关怀", "生育关怀.亲情关爱.体检户数", "1,200")
    assert main(["check", str(book)]) == 1
    out = capsys.readouterr().out
    assert f"2016.xlsx {cell} [WR201 错误]" in out and "生育关怀.亲情关爱.体检户数 为 1200户" in out
    assert "涉及：" in out and "生育关怀!C" in out.split("涉及：")[1]  # the other fact's cell too


def test_check_in_json_carries_the_cell(book, capsys):
    import json

    cell = fill(book, "生育关怀", "生育关怀.亲情关爱.体检户数", 1200)
    assert main(["check", "--format", "json", str(book)]) == 1
    found = json.loads(capsys.readouterr().out)
    assert {"code": "WR201", "cell": cell.split(" ")[-1]}.items() <= next(f for f in found if f["code"] == "WR201").items()


TOWNSHIPS = ["大阁镇", "胡麻营乡", "土城镇", "黄旗镇", "凤山镇", "波罗诺镇", "黑山嘴镇", "天桥镇", "汤河乡", "杨木栅子乡",
             "石人沟乡", "南关乡", "小坝子乡", "五道营乡", "大滩镇", "鱼儿山镇", "草原乡", "万胜永乡", "四岔口乡", "外沟门乡",
             "苏家店乡", "王营乡", "北头营乡", "窟窿山乡", "选将营乡", "西官营乡"]


def _township_facts(index: int, name: str) -> dict:
    """One township's additive figures, as a township writes them (approximations, 万元, plain numbers)."""
    return {
        "年度": 2016,
        "单位": f"{name}计划生育协会",
        "生育关怀": {
            "少生快富": {"扶持户数": f"{40 + index}多" if index % 3 == 0 else 40 + index},
            "幸福工程": {"总投入": f"{index % 4 + 1}万元", "脱贫户数": 10 + index, "累计收益": 20_000 * (index + 1)},
            "亲情关爱": {"新增户数": index % 4, "退出户数": index % 3, "现有户数": 5 + index, "体检户数": 5 + index,
                        "项目资金": {"年份": 2016, "金额": 1000 * index}, "救助户数": index % 5},
        },
        "保险": {"投保金额": {"年份": 2016, "金额": "1万元"}},
    }


def _leaves(tree: dict, path: tuple = ()):
    for key, value in tree.items():
        if isinstance(value, dict):
            yield from _leaves(value, (*path, key))
        else:
            yield ".".join((*path, key)), value


def test_twenty_six_township_workbooks_roll_up_like_twenty_six_yaml_files(tmp_path, capsys):
    yaml_folder, book_folder = tmp_path / "yaml" / "乡镇", tmp_path / "book" / "乡镇"
    yaml_folder.mkdir(parents=True)
    book_folder.mkdir(parents=True)
    form = tmp_path / "乡镇表.xlsx"
    assert main(["sheet", "--township", "tests/data/rollup/2016.yaml", "-o", str(form)]) == 0
    writer = YAML()
    for index, name in enumerate(TOWNSHIPS):
        facts = _township_facts(index, name)
        with open(yaml_folder / f"{name}.yaml", "w", encoding="utf-8") as handle:
            writer.dump(facts, handle)
        wb = openpyxl.load_workbook(form)
        for key, value in _leaves(facts):
            ws = wb["基本信息" if "." not in key else key.split(".")[0]]
            ws.cell(row_of(ws, key), 3).value = str(value)  # typed as text, as a township clerk types
        wb.save(book_folder / f"{name}.xlsx")
    (book_folder / "~$大阁镇.xlsx").write_bytes(b"owner")  # the lock file Excel and WPS keep beside an open workbook
    capsys.readouterr()
    assert main(["rollup", str(yaml_folder), "-o", str(tmp_path / "yaml.yaml")]) == 0
    from_yaml = capsys.readouterr().out
    assert main(["rollup", str(book_folder), "-o", str(tmp_path / "book.yaml")]) == 0
    from_books = capsys.readouterr().out
    county = load(tmp_path / "book.yaml").data
    assert county == load(tmp_path / "yaml.yaml").data
    assert county["生育关怀"]["亲情关爱"]["现有户数"] == sum(5 + i for i in range(26))
    assert from_books.splitlines()[:-1] == from_yaml.splitlines()[:-1]  # the same sums, from the same townships


def test_a_township_workbook_with_a_bad_value_stops_the_rollup_naming_file_and_cell(rollup_example, tmp_path, capsys):
    folder = rollup_example / "2016" / "乡镇"
    form = tmp_path / "乡镇表.xlsx"
    assert main(["sheet", "--township", str(rollup_example / "2016.yaml"), "-o", str(form)]) == 0
    shutil.copy(form, folder / "黄旗镇.xlsx")
    fill(folder / "黄旗镇.xlsx", "基本信息", "单位", "黄旗镇计划生育协会")
    cell = fill(folder / "黄旗镇.xlsx", "生育关怀", "生育关怀.亲情关爱.现有户数", "六十")
    county = rollup_example / "2016.yaml"
    before = county.read_bytes()
    assert main(["rollup", str(folder), "-o", str(county)]) == 2
    err = capsys.readouterr().err
    assert f"黄旗镇.xlsx {cell} 生育关怀.亲情关爱.现有户数" in err and "请写作 60" in err
    assert county.read_bytes() == before


def _merged(wb):
    wb["保险"].merge_cells("C3:D3")
    return "保险!C3:D3"


def _hidden(wb):
    wb["结束语"].sheet_state = "hidden"
    return "结束语!A1"


def _formula(wb):
    ws = wb["生育关怀"]
    cell = ws.cell(row_of(ws, "生育关怀.亲情关爱.退出户数"), 3)
    cell.value = "=SUM(1,5)"
    return f"生育关怀!{cell.coordinate}"


def test_a_bad_workbook_stops_build_and_sheet_with_its_cell_and_writes_nothing(book, tmp_path, capsys):
    out = tmp_path / "out"
    report = build(book.with_suffix(".yaml"), out).output
    before_report, before_facts = report.read_bytes(), book.with_suffix(".yaml").read_bytes()
    for spoil in (_merged, _hidden, _formula):
        broken = tmp_path / f"{spoil.__name__}.xlsx"
        wb = openpyxl.load_workbook(book)
        cell = spoil(wb)
        wb.save(broken)
        assert main(["build", str(broken), "-o", str(out)]) == 2
        assert main(["sheet", str(broken), "-o", str(book.with_suffix(".yaml"))]) == 2
        err = capsys.readouterr().err
        assert err.count(f"{broken.name} {cell}") == 2 and "Traceback" not in err
        assert report.read_bytes() == before_report and book.with_suffix(".yaml").read_bytes() == before_facts
        assert sorted(p.name for p in out.iterdir()) == [report.name]


def test_the_county_checks_against_township_workbooks_as_against_township_yaml(rollup_example, capsys):
    import json

    from workreport.sheet import to_book

    county = rollup_example / "2016.yaml"
    text = county.read_text(encoding="utf-8").replace("现有户数: 180", "现有户数: 170")
    county.write_text(text, encoding="utf-8")

    def findings() -> list[tuple[str, str]]:
        main(["check", "--format", "json", str(county)])
        return sorted((f["code"], f["message"]) for f in json.loads(capsys.readouterr().out))

    with_yaml = findings()
    assert ("WR551", "生育关怀.亲情关爱.现有户数：各乡镇之和为 180户（土城镇 50户、大阁镇 60户、胡麻营乡 70户），全县写的是 170户") in with_yaml
    for township in sorted((rollup_example / "2016" / "乡镇").glob("*.yaml")):
        to_book(township, township.with_suffix(".xlsx"))
        township.unlink()
    assert findings() == with_yaml


def test_a_fact_the_report_needs_is_placed_at_its_groups_cell_in_a_workbook(book):
    from workreport.pipeline import load_facts
    from workreport.rules.assemble import missing_fact_problem

    facts = load_facts(book)
    problem = missing_fact_problem(facts, ("生育关怀", "亲情关爱", "项目名称"))
    assert problem.key == "生育关怀.亲情关爱.项目名称"
    assert problem.cell == facts.raw.cell(("生育关怀", "亲情关爱")) and problem.cell.startswith("生育关怀!")
