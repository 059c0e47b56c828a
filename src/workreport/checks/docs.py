"""Documentation of the checks, from the registry: ``workreport explain`` and docs/checks.md.

Run ``python -m workreport.checks.docs [PATH]`` (``make docs-checks``) to regenerate docs/checks.md.
"""

from __future__ import annotations

import sys
from pathlib import Path

from . import SEVERITY_CN, all_checks

DOCS_FILE = Path(__file__).resolve().parents[3] / "docs" / "checks.md"
FAMILY_NAMES = {"0": "待填写", "1": "合计与增减", "2": "范围、部分与整体、同一数字", "3": "条数与列表", "4": "时间",
                "5": "跨年度", "6": "叙述文字中的数字", "7": "中文排版", "8": "模板", "9": "忽略注释"}


def explain_code(code: str) -> str | None:
    """What ``workreport explain CODE`` prints: code, title, severity, then the check's documentation."""
    item = all_checks().get(code.strip().upper())
    if item is None:
        return None
    return f"{item.code} {item.title}（{SEVERITY_CN[item.severity]}）\n\n{item.doc}"


def table() -> str:
    """Every check on one line: code, severity, title."""
    lines = [f"{c.code}  {SEVERITY_CN[c.severity]}  {c.title}" for c in all_checks().values()]
    return "\n".join([*lines, "", "运行 workreport explain 代码 查看某项检查的说明。"])


def markdown() -> str:
    """docs/checks.md: the list of all checks by family, each with its documentation."""
    out = ["# 检查一览（Checks）", "",
           "<!-- Generated from the check registry by `make docs-checks` (python -m workreport.checks.docs); do not edit. -->", "",
           "`workreport check` 按下列检查核对事实文件；`workreport explain 代码` 打印同样的说明。",
           "错误（error）使检查以退出码 1 结束；警告和提示不影响退出码。", "",
           "| 代码 | 级别 | 检查 |", "|---|---|---|"]
    checks = all_checks()
    out += [f"| [{c.code}](#{c.code.lower()}) | {SEVERITY_CN[c.severity]} | {c.title} |" for c in checks.values()]
    family = None
    for c in checks.values():
        if c.code[2] != family:
            family = c.code[2]
            out += ["", f"## WR{family}xx {FAMILY_NAMES.get(family, '')}".rstrip()]
        out += ["", f"### {c.code}", "", f"**{c.title}**（{SEVERITY_CN[c.severity]}）", "", c.doc]
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write docs/checks.md (or the path given)."""
    args = sys.argv[1:] if argv is None else argv
    target = Path(args[0]) if args else DOCS_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(markdown(), encoding="utf-8")
    print(f"已生成：{target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
