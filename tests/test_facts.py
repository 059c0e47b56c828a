"""Loading facts files: positions of every value, and Chinese messages for unreadable files."""

import pytest

from workreport import facts
from workreport.errors import FactsError

from .conftest import FACTS


def test_every_value_knows_its_line():
    raw = facts.load(FACTS / "2016.yaml")
    lines = raw.text.splitlines()
    line, column = raw.where(("生育关怀", "亲情关爱", "新增户数"))
    assert lines[line - 1].strip().startswith("新增户数: 8")
    assert lines[line - 1][column - 1] == "8"
    line, _ = raw.where(("生育关怀", "幸福工程", "资金来源", 1, "金额"))
    assert "5万元" in lines[line - 1]


def test_dotted_paths_round_trip():
    path = ("生育关怀", "幸福工程", "资金来源", 0, "金额")
    assert facts.dotted(path) == "生育关怀.幸福工程.资金来源[0].金额"
    assert facts.parse_dotted(facts.dotted(path)) == path


def _problem(tmp_path, text, encoding="utf-8"):
    path = tmp_path / "f.yaml"
    path.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    with pytest.raises(FactsError) as info:
        facts.load(path)
    return info.value.problems[0]


def test_duplicate_key_is_an_error_not_last_one_wins(tmp_path):
    problem = _problem(tmp_path, "年度: 2016\n单位: 甲\n年度: 2017\n")
    assert problem.line == 3 and "写了两次" in problem.message


def test_tab_indentation_is_located(tmp_path):
    problem = _problem(tmp_path, "年度: 2016\n保险:\n\t合作单位: 甲\n")
    assert problem.line == 3 and "Tab" in problem.message


def test_python_tags_are_refused(tmp_path):
    problem = _problem(tmp_path, '年度: !!python/object/apply:os.system ["true"]\n')
    assert "标签" in problem.message and problem.line == 1


def test_gbk_file_is_named(tmp_path):
    problem = _problem(tmp_path, "年度: 2016\n单位: 丰宁县\n", encoding="gbk")
    assert "GBK" in problem.message and "UTF-8" in problem.message


def test_bom_is_accepted(tmp_path):
    path = tmp_path / "f.yaml"
    path.write_bytes("\ufeff年度: 2016\n单位: 甲\n".encode())
    assert facts.load(path).data["年度"] == 2016


def test_empty_file_missing_file_and_folder(tmp_path):
    assert "空" in _problem(tmp_path, "").message
    with pytest.raises(FactsError, match="找不到"):
        facts.load(tmp_path / "none.yaml")
    with pytest.raises(FactsError, match="文件夹"):
        facts.load(tmp_path)
