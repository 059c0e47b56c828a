"""Roll township figures up to the county: which figures add up, their sums, and writing them.

A county's township facts files sit in a folder of their own, one file per township, in
the same format as the county's (单位 = the township's association; the file name is the
township's name).  The folder is the one the county file names under ``乡镇事实``, or else
``<folder of the county file>/<its name without .yaml>/乡镇/`` (facts/2016/乡镇/ for
facts/2016.yaml).  Which figures add up across townships is data: ``"x-additive": true`` in
the kind's schema.json.

Entry point: ``totals(townships)`` sums every additive figure, approximate ones as ranges;
the roll-up checks (checks/rollup.py) compare the sums with the county's figures and
``write_county`` writes them into a county facts file.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from .errors import FactsError
from .facts import Path_, display_path, dotted
from .kind import Kind
from .quantity import MORE, SCALE_NAMES, Quantity, plain_number, sum_range
from .schema import Facts, schema_at

TOWNSHIP_KEY = "乡镇事实"  # county key naming the township folder, relative to the county file
TOWNSHIP_FOLDER = "乡镇"
ADDITIVE = "x-additive"


@dataclass
class Total:
    """One additive figure summed over the townships: who gave what, and who left it out."""

    path: Path_
    unit: str
    parts: list[tuple[str, Quantity]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    @property
    def low(self) -> Fraction:
        return sum_range([q for _, q in self.parts])[0]

    @property
    def high(self) -> Fraction:
        return sum_range([q for _, q in self.parts])[1]

    @property
    def complete(self) -> bool:
        """Whether every township gave this figure."""
        return bool(self.parts) and not self.missing

    def shown(self) -> str:
        """The sum as a reader wants it: 1300户, 35万元, or a range 1300–1500户 when approximate."""
        scale = self._scale()
        if self.low == self.high:
            return str(Quantity(self.low, self.unit, "", scale))
        return f"{plain_number(self.low / scale)}–{plain_number(self.high / scale)}{SCALE_NAMES.get(scale, '')}{self.unit}"

    def breakdown(self) -> str:
        """Each township's figure: 大阁镇 500多户、胡麻营乡 300户."""
        return "、".join(f"{name} {q}" for name, q in self.parts)

    def written(self) -> int | str:
        """The sum as a facts file writes it: 1300, "35万元", "1300多" (parts exact or 多/余), "约1400" (other approximations)."""
        scale = self._scale()
        unit = self.unit if self.unit == "元" else ""
        exact = all(q.exact for _, q in self.parts)
        if all(q.exact or q.approx in MORE for _, q in self.parts):  # nominal sum is the lower bound
            value = sum((q.value for _, q in self.parts), Fraction(0))
            marker = "" if exact else "余" if scale > 1 else "多"  # as reports write them: 50余万元, 1100多户
        else:
            value, marker = (self.low + self.high) / 2, "约"
        if value.denominator != 1 or (value / scale).denominator != 1:
            scale = 1
            marker = "多" if marker == "余" else marker
        if exact and scale == 1 and not unit:
            return int(value)
        number = plain_number(Fraction(round(value) if marker == "约" else value) / scale)
        text = f"约{number}" if marker == "约" else f"{number}{marker}"
        return f"{text}{SCALE_NAMES.get(scale, '')}{unit}"

    def _scale(self) -> int:
        scales = {q.scale for _, q in self.parts}
        return scales.pop() if len(scales) == 1 else 1


def additive_paths(kind: Kind) -> list[Path_]:
    """The figures marked ``"x-additive": true`` in the kind's schema (not inside lists), in schema order."""
    return _additive(kind)


@functools.lru_cache(maxsize=None)
def _additive(kind: Kind) -> list[Path_]:
    found: list[Path_] = []

    def walk(path: Path_) -> None:
        node = schema_at(kind.schema, path) or {}
        if node.get(ADDITIVE):
            found.append(path)
        for key in node.get("properties", {}):
            walk((*path, key))

    walk(())
    return found


def township_folder(county: Facts) -> Path | None:
    """The county's township folder: the one named under 乡镇事实, else <county name>/乡镇/ if it exists."""
    named = county.values.get(TOWNSHIP_KEY)
    if named:
        folder = county.path.parent / named
        if not folder.is_dir():
            raise FactsError(county.raw.problem((TOWNSHIP_KEY,), f"找不到乡镇事实文件夹 {display_path(folder)}"))
        return folder
    folder = county.path.parent / county.path.stem / TOWNSHIP_FOLDER
    return folder if folder.is_dir() else None


def load_townships(folder: Path) -> list[Facts]:
    """Every township's facts (the folder's *.yaml, and workbooks filled from ``workreport sheet --township``),
    validated; all problems of all files reported together."""
    from .batch import FACTS_SUFFIXES, facts_files
    from .sheet import WORKBOOK_SUFFIXES

    files = facts_files([folder], FACTS_SUFFIXES + WORKBOOK_SUFFIXES)
    stamp = tuple((str(p.resolve()), p.stat().st_mtime_ns) for p in files)
    return _load(stamp)


@functools.lru_cache(maxsize=8)  # the checks ask several times per county; a batch has many counties
def _load(stamp: tuple[tuple[str, int], ...]) -> list[Facts]:
    from .pipeline import load_facts

    townships, problems = [], []
    for name, _ in stamp:
        try:
            townships.append(load_facts(name))
        except FactsError as exc:
            problems += exc.problems
    if problems:
        raise FactsError(problems)
    return townships


def township_name(township: Facts) -> str:
    """How a township is named in messages: its file name (大阁镇.yaml → 大阁镇)."""
    return township.path.stem


def totals(townships: list[Facts]) -> list[Total]:
    """Every additive figure of the townships' kind, summed over the townships (derived figures included)."""
    from .rules.derive import derive

    if not townships:
        return []
    kind = townships[0].kind
    contexts = [(township_name(t), derive(t)) for t in townships]
    out = []
    for path in additive_paths(kind):
        total = Total(path, (schema_at(kind.schema, path) or {}).get("x-unit", ""))
        for name, ctx in contexts:
            value = ctx.get(path)
            if isinstance(value, Quantity):
                total.parts.append((name, value))
            else:
                total.missing.append(name)
        if total.parts:
            out.append(total)
    return out


def write_county(folder: Path, out: Path) -> list[tuple[Total, str | None]]:
    """Write the township sums into the county facts file ``out`` (created if missing; comments kept).

    Returns every total with the reason it was not written (None when it was): a figure some
    township left out, or one the program derives (``x-derived``, e.g. 总投入 from 资金来源).
    """
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap

    from .facts import read_text
    from .fsutil import atomic_write

    townships = load_townships(folder)
    years = {t.year for t in townships}
    if len(years) > 1:
        raise FactsError([t.raw.problem(("年度",), f"各乡镇的年度不一致（{'、'.join(map(str, sorted(years)))}）") for t in townships])
    sums = totals(townships)
    yaml = YAML(typ="rt")
    yaml.indent(mapping=2, sequence=4, offset=2)
    out = Path(out)
    if out.exists():
        tree = yaml.load(read_text(out))
    else:
        tree = CommentedMap(年度=years.pop())
        tree.yaml_set_start_comment(f"由 {display_path(folder)} 中 {len(townships)} 个乡镇的数字汇总而成（workreport rollup）。\n请补写 单位 等其余事实。")
    schema = townships[0].kind.schema
    results = []
    for total in sums:
        reason = _not_written(total, schema)
        if reason is None:
            _put(tree, total.path, total.written(), schema, tree.get("年度"))
        results.append((total, reason))
    atomic_write(out, lambda tmp: _dump(yaml, tree, tmp))
    return results


def _not_written(total: Total, schema: dict) -> str | None:
    """Why a total is not written into the county file, or None."""
    if total.missing:
        return f"{'、'.join(total.missing)} 没有填写，未写入"
    if (schema_at(schema, total.path) or {}).get("x-derived"):
        return "由程序推算，未写入"
    return None


def _put(tree: dict, path: Path_, value: int | str, schema: dict, year: int | None) -> None:
    """Set ``value`` at ``path``, creating mappings in between; a new 注明年份的金额 gets this year as 年份."""
    from ruamel.yaml.comments import CommentedMap

    node = tree
    for depth, step in enumerate(path[:-1], 1):
        if not isinstance(node.get(step), dict):
            node[step] = CommentedMap()
            required = (schema_at(schema, path[:depth]) or {}).get("required", [])
            if "年份" in required and year is not None:
                node[step]["年份"] = year
        node = node[step]
    node[path[-1]] = value


def _dump(yaml, tree, tmp: Path) -> None:
    with open(tmp, "w", encoding="utf-8") as handle:
        yaml.dump(tree, handle)


def describe(total: Total, reason: str | None = None) -> str:
    """One line for the rollup command: the figure, its sum, where it came from, and why it was not written."""
    line = f"{dotted(total.path)} = {total.written()}（{total.breakdown()}）"
    return f"{line}；{reason}" if reason else line
