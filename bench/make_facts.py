"""Generate N county facts files from facts/2016.yaml with varied, consistent figures.

Usage: python bench/make_facts.py N FOLDER [--seed S]

Writes FOLDER/2016/<县名>.yaml (one per county, each naming its own last-year file with
上年事实) and FOLDER/2015/<县名>.yaml (last year's closing figures), so that every
generated county loads two files like the default report does.  The figures change per
county but keep every relation true (stock and flows, parts within wholes), so each file
passes the checks and builds.
"""

from __future__ import annotations

import argparse
import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "facts" / "2016.yaml"
PREVIOUS = ROOT / "facts" / "2015.yaml"
ORIGINAL_NAME = "丰宁"

# Two-character place-name syllables: 38 × 38 pairs, 1,432 distinct names once doubled syllables (安安) are left out.
FIRST = "安宝昌长承崇大德定东丰福阜高广海和华怀嘉建江金晋乐临龙隆宁平庆清青荣瑞山泰通"
SECOND = "安白城川德东丰阜固宫和河华化江乐林陵门宁平桥泉山水台田武西仙阳义原远州庄泽中"


def county_names(count: int, rng: random.Random) -> list[str]:
    """``count`` distinct two-character names (without 县)."""
    pool = sorted({a + b for a in FIRST for b in SECOND if a != b})  # a set: a name made twice would overwrite a file
    if count > len(pool):
        raise SystemExit(f"最多生成 {len(pool)} 个县")
    return rng.sample(pool, count)


def figures(rng: random.Random) -> dict[str, str]:
    """One county's figures: each key a facts line's key, each value what to write; all relations hold."""
    townships = rng.randint(8, 40)
    opening = rng.randint(50, 400)
    new, left = rng.randint(0, 20), rng.randint(0, 20)
    current = opening + new - left
    return {
        "乡镇数": str(townships),
        "覆盖乡镇数": str(rng.randint(1, townships)),
        "扶持户数": f"{rng.randint(2, 30) * 100}多",
        "人均增收": f"{rng.randint(10, 50) * 100}多元",
        "滚动次数": str(rng.randint(1, 6)),
        "脱贫户数": str(rng.randint(50, 500)),
        "累计收益": f"{rng.randint(200, 3000)}万元",
        "新增户数": str(new),
        "退出户数": str(left),
        "现有户数": str(current),
        "体检户数": str(rng.randint(0, current)),
        "救助户数": str(rng.randint(0, current)),
        "建会比例": f"{rng.randint(50, 100)}%",
        "上年户数": str(opening),
        "争取资金": f"{rng.randint(10, 60)}万元",
        "募捐款": f"{rng.randint(1, 20)}万元",
        "项目资金": f"{rng.randint(5, 30)}万元",
        "投保金额": f"{rng.randint(10, 90)}余万元",
    }


def _set(text: str, key: str, value: str, occurrence: int = 1) -> str:
    """Replace the value of the ``occurrence``-th line ``key: value`` (keeping its comment)."""
    pattern = re.compile(rf"^(\s*(?:- )?{key}: )[^#\n]*?(\s*(?:#.*)?)$", re.MULTILINE)
    matches = list(pattern.finditer(text))
    if len(matches) < occurrence:
        raise SystemExit(f"{SOURCE} 中找不到第 {occurrence} 个“{key}”")
    match = matches[occurrence - 1]
    return text[: match.start()] + match.group(1) + value + match.group(2) + text[match.end() :]


def county_text(source: str, name: str, values: dict[str, str]) -> str:
    """This year's facts of one county."""
    text = source.replace(ORIGINAL_NAME, name)
    for key in ("乡镇数", "覆盖乡镇数", "扶持户数", "人均增收", "滚动次数", "脱贫户数", "累计收益",
                "新增户数", "退出户数", "现有户数", "体检户数", "救助户数", "建会比例"):
        text = _set(text, key, values[key])
    text = _set(text, "金额", values["争取资金"], 1)
    text = _set(text, "金额", values["募捐款"], 2)
    text = _set(text, "金额", values["项目资金"], 3)
    text = _set(text, "金额", values["投保金额"], 4)
    text = text.replace("年份: 2015", "年份: 2016")  # this year's funds, so that WR404 stays quiet
    return text.replace("\n成文日期:", f"\n上年事实: ../2015/{name}县.yaml\n成文日期:", 1)


def previous_text(source: str, name: str, values: dict[str, str]) -> str:
    """Last year's closing figures of one county."""
    text = source.replace(ORIGINAL_NAME, name)
    text = _set(text, "乡镇数", values["乡镇数"])
    return _set(text, "现有户数", values["上年户数"])


def make(count: int, folder: Path, seed: int = 2016) -> Path:
    """Write ``count`` counties under ``folder``; return the folder of this year's files."""
    rng = random.Random(seed)
    source = SOURCE.read_text(encoding="utf-8")
    previous = PREVIOUS.read_text(encoding="utf-8")
    this_year, last_year = folder / "2016", folder / "2015"
    this_year.mkdir(parents=True, exist_ok=True)
    last_year.mkdir(parents=True, exist_ok=True)
    for name in county_names(count, rng):
        values = figures(rng)
        (this_year / f"{name}县.yaml").write_text(county_text(source, name, values), encoding="utf-8")
        (last_year / f"{name}县.yaml").write_text(previous_text(previous, name, values), encoding="utf-8")
    return this_year


def main() -> None:
    parser = argparse.ArgumentParser(description="生成 N 个县的事实文件（基准测试用）")
    parser.add_argument("count", type=int, help="县的个数")
    parser.add_argument("folder", type=Path, help="输出文件夹")
    parser.add_argument("--seed", type=int, default=2016)
    args = parser.parse_args()
    print(make(args.count, args.folder, args.seed))


if __name__ == "__main__":
    main()
