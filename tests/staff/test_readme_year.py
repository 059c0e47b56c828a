"""The staff guide of README.md, step by step, in a scratch copy of the repository: from the 2016
facts to a finished 2017 report with nothing but ``make`` targets and edits of the facts file."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest

ROOT = Path(__file__).resolve().parents[2]
VENV = ROOT / ".venv"

# What a staff member writes over each 待填 of the new file (key as it stands on its line → value).
FILLED = {
    "标题": "丰宁县计生协会推进生育关怀和青春健康教育工作",
    "组织单位": "市协会",
    "参训人员": "全县乡镇、街道协会负责人",
    "年初会议": "全县计生协会工作会议",
    "主题": "[“计生协会服务家庭”]",
    "庆祝成立周年": "中国计生协会",
    "宣传品": "[健康服务手册]",
    "发表文章": "[省级网络, 市级报纸]",
    "创新做法": "把贷款期限延长到三年。",
    "创新成效": "减轻了计生家庭的还款压力",
    "人均增收": "3200元",
    "新增户数": "5",
    "退出户数": "5",
    "帮扶措施数": "6",
    "体检户数": "175",
    "金额": "12万元",
    "救助户数": "60",
    "计划生育率": "100%",
    "亮点": "[我县被评为全省计生协会工作先进县]",
}


def make(repo: Path, *args: str) -> subprocess.CompletedProcess:
    """``make`` in the copy, with this worktree's installed environment (STAMP empty: no reinstall)."""
    return subprocess.run(["make", "-s", "-C", str(repo), *args, f"VENV={VENV}", "STAMP="],
                          capture_output=True, text=True, timeout=300)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A scratch copy of the repository as a fresh clone has it (no output, no .venv)."""
    target = tmp_path / "workreport"
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    for name in filter(None, files.split("\0")):
        if (ROOT / name).is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, target / name)
    return target


def fill(path: Path) -> None:
    """Replace every 待填 as the README says: the value on the same line, the comment kept."""
    text = path.read_text(encoding="utf-8")
    for key, value in FILLED.items():
        text = re.sub(rf"^(\s*{key}: )待填", lambda m: m.group(1) + value, text, flags=re.M)
    assert "待填" not in text
    path.write_text(text, encoding="utf-8")


def test_the_readme_steps_take_2016_to_a_finished_2017_report(repo: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    guide = readme[readme.index("## 给工作人员：一年的工作怎么做"):]
    order = [guide.index(step) for step in ("make new-year", "待填", "make check", "make report", "Word")]
    assert order == sorted(order), "the guide follows the staff's year"

    last_year = (repo / "facts" / "2016.yaml").read_bytes()
    step = make(repo, "new-year")
    assert step.returncode == 0, step.stderr
    assert (repo / "facts" / "2016.yaml").read_bytes() == last_year
    new = repo / "facts" / "2017.yaml"
    assert "2017 年工作总结" in new.read_text(encoding="utf-8").splitlines()[1]

    step = make(repo, "check")
    assert step.returncode != 0
    assert "WR001" in step.stdout and "facts/2017.yaml:16" in step.stdout
    assert "facts/2016.yaml：2 个警告（已在往年报告中" in step.stdout
    assert step.stdout.rstrip().splitlines()[-1].startswith("20 个错误，1 个警告")  # the summary is last

    fill(new)
    step = make(repo, "check")
    assert step.returncode == 0, step.stdout + step.stderr
    assert "WR406" in step.stdout  # the five-year plan ended in 2016: said, and what to do

    step = make(repo, "report")
    assert step.returncode == 0, step.stderr
    report = repo / "output" / "丰宁县计划生育协会2017年工作总结.docx"
    text = "\n".join(p.text for p in docx.Document(str(report)).paragraphs)
    assert "2017年12月20日" in text and "把贷款期限延长到三年，这一创新" not in text
    assert "把贷款期限延长到三年。这一创新" in text and "。。" not in text and "收官之年" not in text
    assert "与上年持平" in text  # compared with 2016 from the file beside it (180 + 5 − 5)
