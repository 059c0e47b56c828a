"""Templates edited by staff: every mistake names the template file and line; nothing leaves the templates folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from workreport import cli
from workreport.errors import TemplateError
from workreport.kind import load_kind, templates_root
from workreport.render import text
from tests.conftest import FACTS


def problem_of(folder: Path, name: str, source: str, context: dict | None = None, **others: str):
    """Write template ``name`` (and ``others``) into ``folder``, render it, and return the one Problem raised."""
    (folder / name).write_text(source, encoding="utf-8")
    for other, body in others.items():
        (folder / other).write_text(body, encoding="utf-8")
    with pytest.raises(TemplateError) as info:
        text.render(folder, name, context or {})
    assert len(info.value.problems) == 1
    return info.value.problems[0]


@pytest.mark.parametrize("target", ["../../etc/passwd", "/etc/passwd", "../secret.txt"])
def test_include_cannot_leave_the_templates_folder(tmp_path, target):
    folder = tmp_path / "text"
    folder.mkdir()
    (tmp_path / "secret.txt").write_text("机密", encoding="utf-8")

    problem = problem_of(folder, "a.j2", "第一行\n{% include '" + target + "' %}\n")

    assert "找不到模板" in problem.message and "只能引用模板文件夹" in problem.message
    assert problem.file.endswith("a.j2") and problem.line == 2


def test_an_error_in_an_included_template_names_that_template(tmp_path):
    problem = problem_of(tmp_path, "a.j2", "一\n{% include 'b.j2' %}\n", {}, **{"b.j2": "一\n二\n{{ 没有的事实 }}\n"})
    assert problem.file.endswith("b.j2") and problem.line == 3 and "没有的事实" in problem.message


def test_a_runtime_error_names_file_and_line(tmp_path):
    problem = problem_of(tmp_path, "a.j2", "一\n二\n{{ 年度 / 0 }}\n", {"年度": 2016})
    assert problem.file.endswith("a.j2") and problem.line == 3 and "模板出错" in problem.message


def test_a_template_including_itself_is_stopped(tmp_path):
    problem = problem_of(tmp_path, "a.j2", "一\n{% include 'a.j2' %}\n")
    assert problem.file.endswith("a.j2") and problem.line == 2 and "引用了自己" in problem.message


@pytest.mark.parametrize("expression", ["年度.__class__.__mro__", "().__class__.__base__.__subclasses__()", "单位.format.__globals__"])
def test_the_sandbox_refuses_python_internals(tmp_path, expression):
    problem = problem_of(tmp_path, "a.j2", "一\n{{ " + expression + " }}\n", {"年度": 2016, "单位": "协会"})
    assert problem.line == 2 and problem.file.endswith("a.j2")


@pytest.fixture
def staff_templates(tmp_path, monkeypatch):
    """A copy of the templates that a test may edit, used by the CLI through WORKREPORT_TEMPLATES."""
    root = tmp_path / "templates"
    shutil.copytree(templates_root() / "fpa-annual", root / "fpa-annual")
    monkeypatch.setenv("WORKREPORT_TEMPLATES", str(root))
    load_kind.cache_clear()
    yield root / "fpa-annual" / "text"
    load_kind.cache_clear()


def test_build_with_a_broken_template_names_it(staff_templates, tmp_path, capsys):
    template = staff_templates / "保险.j2"
    lines = template.read_text(encoding="utf-8").splitlines()
    lines[1] += "{% include '../../../../etc/passwd' %}"
    template.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "output"

    code = cli.main(["build", str(FACTS / "2016.yaml"), "-o", str(out)])

    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err and "root:" not in err
    assert "保险.j2:2" in err and "找不到模板" in err
    assert not out.exists() or list(out.iterdir()) == []
