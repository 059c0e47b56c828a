"""The compiled validator agrees with jsonschema on every file: valid or not, the same answer."""

from __future__ import annotations

import copy
import random
import subprocess
import sys
from pathlib import Path

import jsonschema

from workreport import facts, schema_code
from workreport.kind import load_kind

from .conftest import FACTS

SCHEMA = load_kind().schema
VALUES = ["", "文字", "2016-12-20", "2016-02-29", "2016-02-30", "２０１６-12-20", "2016-1-5", "待填", 0, -3, 1.5, 2.0,
          1899, 1900, 2100, 2101, True, None, [], ["甲"], [""], [1], {}, {"未知": 1}, {"名称": "六有"}]


def _agrees(data) -> bool:
    expected = not any(jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker()).iter_errors(data))
    return schema_code.is_valid(SCHEMA, data) == expected


def _places(node, path=()):
    """Every (container, key) in the data: where a value can be replaced or removed."""
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else []
    for key, value in items:
        yield node, key
        yield from _places(value, (*path, key))


def _mutants(data, count: int, seed: int = 15):
    """``count`` copies of ``data``, each changed in one to three places: a value replaced, a key removed or added."""
    rng = random.Random(seed)
    for _ in range(count):
        mutant = copy.deepcopy(data)
        for _ in range(rng.randint(1, 3)):
            node, key = rng.choice(list(_places(mutant)))
            action = rng.random()
            if action < 0.7:
                node[key] = copy.deepcopy(rng.choice(VALUES))
            elif action < 0.85 and isinstance(node, dict):
                del node[key]
            elif isinstance(node, dict):
                node[rng.choice(["未知键", "幸福功程", "金额", "年份", "名称"])] = copy.deepcopy(rng.choice(VALUES))
        yield mutant


def test_the_shipped_facts_are_valid_for_both():
    for path in sorted(FACTS.glob("*.yaml")):
        data = facts.load(path).data
        assert _agrees(data), path


def test_a_thousand_changed_files_get_the_same_answer_from_both():
    data = facts.load(FACTS / "2016.yaml").data
    answers = []
    for mutant in _mutants(data, 1000):
        assert _agrees(mutant), mutant
        answers.append(schema_code.is_valid(SCHEMA, mutant))
    assert 100 < answers.count(False) and 20 < answers.count(True)  # both answers were put to the test


def test_dates_are_checked_as_jsonschema_checks_them():
    assert [schema_code.is_date(d) for d in ("2016-12-20", "2016-02-29", "2015-02-29", "2016-13-01", "２０１６-12-20", "20161220")] == [
        True, True, False, False, False, False]


def test_definitions_with_chinese_names_stay_apart():
    """fastjsonschema would name both definitions' functions validate____defs; each keeps its own rules."""
    data = facts.load(FACTS / "2016.yaml").data
    named_list = data["非公协会"]["企业协会"]["任务目标"][0]
    assert set(named_list) == {"名称", "引语", "分隔", "内容"}  # no 年份/金额, which the other definition requires
    assert schema_code.is_valid(SCHEMA, data)


def test_the_compiled_code_is_cached_and_a_valid_file_never_imports_jsonschema(tmp_path):
    script = """
import sys
from workreport.pipeline import load_facts
load_facts("facts/2016.yaml")
print(sorted(m for m in ("jsonschema", "fastjsonschema") if m in sys.modules))
"""
    root = Path(__file__).resolve().parents[1]
    env = {"XDG_CACHE_HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    first = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=root, env=env)
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == "['fastjsonschema']"  # the code generated and stored
    assert len(list((tmp_path / "workreport").glob("schema-*.marshal"))) == 1
    second = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=root, env=env)
    assert second.stdout.strip() == "[]", second.stderr  # read from the cache: neither library imported
