"""Loading facts files: positions of every value, and Chinese messages for unreadable files."""

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


def test_an_alias_bomb_is_refused_quickly_with_bounded_memory(tmp_path):
    import time
    import tracemalloc

    path = tmp_path / "bomb.yaml"
    path.write_text((Path(__file__).parent / "bad_inputs" / "billion_laughs.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    tracemalloc.start()
    started = time.perf_counter()
    with pytest.raises(FactsError, match="别名炸弹"):
        facts.load(path)
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert elapsed < 5 and peak < 50_000_000  # 9**9 values would be gigabytes


def test_a_few_aliases_are_still_legal_yaml(tmp_path):
    path = tmp_path / "f.yaml"
    path.write_text("年度: 2016\n单位: &u 丰宁县计划生育协会\n简称: *u\n", encoding="utf-8")
    assert facts.load(path).data["简称"] == "丰宁县计划生育协会"


def test_a_section_and_an_empty_value_are_located_at_their_key(tmp_path):
    path = tmp_path / "f.yaml"
    path.write_text("年度: 2016\n保险:\n  # 合作的公司\n  合作单位:\n  险种: [甲]\n", encoding="utf-8")
    raw = facts.load(path)
    assert raw.where(("保险",)) == (2, 1)
    assert raw.where(("保险", "合作单位")) == (4, 3)
    assert raw.where(("保险", "险种")) == (5, 7)  # a flow list where it is written


def test_dates_stay_text_for_the_schema_and_numbers_are_typed(tmp_path):
    path = tmp_path / "f.yaml"
    path.write_text("a: 2016-02-30\nb: 0x10\nc: 1_000\nd: .nan\ne: true\nf: ~\n", encoding="utf-8")
    assert facts.load(path).data == {"a": "2016-02-30", "b": 16, "c": 1000, "d": ".nan", "e": True, "f": None}


def test_a_device_is_not_read(tmp_path):
    with pytest.raises(FactsError, match="不是普通文件"):
        facts.load(Path("/dev/zero"))


def test_walk_visits_every_value_with_its_path_parents_first():
    tree = {"a": {"b": [1, {"c": "x"}]}}
    assert list(facts.walk(tree)) == [
        ((), tree), (("a",), tree["a"]), (("a", "b"), [1, {"c": "x"}]),
        (("a", "b", 0), 1), (("a", "b", 1), {"c": "x"}), (("a", "b", 1, "c"), "x"),
    ]
    deep: list = []
    for _ in range(5000):  # deeper than the interpreter's recursion limit
        deep = [deep]
    assert len(list(facts.walk(deep))) == 5001


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.data())
def test_the_quick_c_composer_reads_exactly_what_the_careful_one_reads(data):
    """Random edits of the default facts: the C path (when it takes the text) gives the same data, positions
    and problems as the pure-Python path.  Derandomized, so the suite is the same on every run; it passed
    10,000 random runs in a row by hand (max_examples=10000, no database) when the '|#' guard came in."""
    text = (FACTS / "2016.yaml").read_text(encoding="utf-8")
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(text)))
        text = text[:at] + data.draw(st.text(alphabet=":-[]{}#'\"?|>!%@ \n　，八a1", max_size=3)) + text[at:]
    assert _parsed(text, fast=True) == _parsed(text, fast=False)


def _parsed(text, fast):
    original = facts._compose_fast
    if not fast:
        facts._compose_fast = lambda _text: None
    try:
        return facts.parse_yaml(text, Path("f.yaml"))
    except FactsError as exc:
        return [str(p) for p in exc.problems]
    finally:
        facts._compose_fast = original


@pytest.mark.parametrize("text", ["a: |#x\n", "a: >-#x\n  b\n", "a: |2#\n  b\n", "a: '|#x'\n", "a:\r  b: 1\r",
                                  "a: !!20!!16-12-20\n", "a: [!x!b c]\n"])
def test_texts_the_c_composer_once_misread_read_the_same_both_ways(text):
    assert _parsed(text, fast=True) == _parsed(text, fast=False)


def test_the_c_composer_is_used_for_plain_facts_and_declines_what_it_cannot_guard():
    plain = (FACTS / "2016.yaml").read_text(encoding="utf-8")
    assert facts._compose_fast(plain) is not None
    assert facts._compose_fast(plain + "别名: &a 1\n再用: *a\n") is None
    assert facts._compose_fast("a:" + "[" * 600 + "]" * 600) is None
    assert facts._compose_fast("a:\t1\n") is None


def test_lines_and_the_key_on_a_line_are_found_without_rescanning(tmp_path):
    path = tmp_path / "f.yaml"
    path.write_text("年度: 2016\n保险:\n  险种: [甲]  # 忽略 WR404: 原因\n  合作单位: 乙\n", encoding="utf-8")
    raw = facts.load(path)
    assert raw.line(3) == "险种: [甲]  # 忽略 WR404: 原因" and raw.line(9) is None
    for line in range(1, 6):  # the deepest fact written on each line, as a scan of every position finds it
        on_line = [p for p, (ln, _) in raw.positions.items() if ln == line]
        assert raw.path_on_line(line) == (max(on_line, key=len) if on_line else ())
    assert raw.path_on_line(3) == ("保险", "险种", 0)


def test_a_copied_tree_can_be_changed_without_changing_the_original():
    tree = {"a": {"b": [1, {"c": "x"}]}, "d": "y"}
    copied = facts.copy_tree(tree)
    assert copied == tree
    copied["a"]["b"][1]["c"] = "z"
    copied["a"]["b"].append(2)
    copied["a"]["new"] = 3
    assert tree == {"a": {"b": [1, {"c": "x"}]}, "d": "y"}


@pytest.mark.parametrize("levels", [facts.MAX_DEPTH - 2, facts.MAX_DEPTH - 1, facts.MAX_DEPTH, facts.MAX_DEPTH + 1])
def test_the_quick_composer_takes_nesting_as_deep_as_the_careful_one_and_no_deeper(levels, monkeypatch):
    text = "".join("  " * i + "a:\n" for i in range(levels)) + "  " * levels + "b: 1\n"

    def outcome():
        try:
            return facts.parse_yaml(text, Path("深.yaml"))
        except FactsError as exc:
            return [str(p) for p in exc.problems]

    quick = outcome()
    monkeypatch.setattr(facts, "_compose_fast", lambda text: None)
    assert quick == outcome()
