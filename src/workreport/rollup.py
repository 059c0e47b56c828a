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
import re
from fractions import Fraction
from pathlib import Path

import msgspec

from . import facts as facts_module
from .errors import FactsError, Problem
from .facts import Path_, RawFacts, display_path, dotted, lookup
from .kind import Kind
from .quantity import MORE, SCALE_NAMES, Quantity, plain_number, sum_range
from .schema import Facts, schema_at

TOWNSHIP_KEY = "乡镇事实"  # county key naming the township folder, relative to the county file
TOWNSHIP_FOLDER = "乡镇"
ADDITIVE = "x-additive"


class Total(msgspec.Struct):
    """One additive figure summed over the townships: who gave what, and who left it out."""

    path: Path_
    unit: str
    parts: list[tuple[str, Quantity]] = msgspec.field(default_factory=list)
    missing: list[str] = msgspec.field(default_factory=list)

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
    """Every township's facts (the folder's *.yaml and *.yml, and workbooks filled from ``workreport sheet
    --township``), validated; all problems of all files reported together.

    The same township twice (a copy, the same name with another extension, the same 单位) is
    refused: its figures would be added twice.
    """
    from .inputs import facts_files

    files = facts_files([folder], facts_module.FACTS_SUFFIXES + facts_module.WORKBOOK_SUFFIXES)
    stamp = tuple((str(p.resolve()), p.stat().st_mtime_ns) for p in files)
    return _load(stamp)


@functools.lru_cache(maxsize=8)  # the checks ask several times per county; a batch has many counties
def _load(stamp: tuple[tuple[str, int], ...]) -> list[Facts]:
    """The townships of ``stamp``'s files, validated and refused when one is there twice (FactsError: not kept)."""
    from .pipeline import load_facts

    townships, problems = [], []
    for name, _ in stamp:
        try:
            townships.append(load_facts(name))
        except FactsError as exc:
            problems += exc.problems
    if problems:
        raise FactsError(problems)
    refuse_duplicates(townships)
    return townships


# Endings Windows and phones give a copied file: "大阁镇 - 副本", "大阁镇 - Copy (2)", "大阁镇(1)", "大阁镇副本".
_COPY_ENDING = r"(?i)(\s*-\s*(副本|copy)(\s*\(\d+\))?|\s*[(（]\d+[)）]|\s*的?副本\d*|\s+copy( \d+)?)$"  # compiled on first use (re keeps it)


def refuse_duplicates(townships: list[Facts]) -> None:
    """Raise FactsError naming every file of a township given twice: same name (less a copy's ending and the
    extension), same 单位, or the same text."""
    groups: dict[int, set[int]] = {}
    seen: dict[tuple[str, str], int] = {}
    for index, township in enumerate(townships):
        for sign in _signs(township):
            first = seen.setdefault(sign, index)
            if first != index:
                merged = groups.get(first, {first}) | groups.get(index, {index})
                for member in merged:
                    groups[member] = merged
    problems, reported = [], set()
    for members in groups.values():
        if id(members) in reported:
            continue
        reported.add(id(members))
        names = "、".join(display_path(townships[i].path) for i in sorted(members))
        why = "、".join(_SAME[kind] for kind in _SAME if _shared(kind, [townships[i] for i in members]))
        for i in sorted(members):
            problems.append(townships[i].raw.problem(("单位",), f"同一个乡镇有 {len(members)} 个事实文件（{names}；{why}），"
                                                                "汇总会把它的数字重复相加；请只保留一个，删去或移走其余的"))
    if problems:
        raise FactsError(problems)


def base_name(stem: str) -> str:
    """A township's name from its file name, less the ending a copy gets: 大阁镇 - 副本 → 大阁镇."""
    while re.search(_COPY_ENDING, stem):
        stem = re.sub(_COPY_ENDING, "", stem)
    return stem.strip().casefold()


_SAME = {"name": "去掉扩展名和“副本”等字样后文件名相同", "unit": "单位相同", "text": "内容相同"}


def _signs(township: Facts) -> list[tuple[str, str]]:
    """What makes two township files the same township: the name without a copy's ending, the 单位, the text."""
    text = township.raw.text.replace("\r\n", "\n").strip()
    if not text:  # a workbook has no text of its own: its bytes say whether it is a copy
        import hashlib  # here: every check imports this module, and OpenSSL costs a cold check 3 ms

        text = hashlib.sha256(township.path.read_bytes()).hexdigest()
    return [("name", base_name(township.path.stem)), ("unit", "".join(str(township.values.get("单位", "")).split())),
            ("text", text)]


def _shared(kind: str, townships: list[Facts]) -> bool:
    """Whether two of ``townships`` have the same sign of this kind."""
    values = [value for t in townships for sign, value in _signs(t) if sign == kind]
    return len(set(values)) < len(values)


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
    """Write the township sums into the county facts file ``out`` (created if missing).

    Only the figures rolled up change: every other byte of an existing file (comments, quotes,
    BOM, line ends, layout) stays as it was.  Townships of another year than the county's, the
    same township twice, and an ``out`` inside the township folder are refused.  Returns every
    total with the reason it was not written (None when it was): a figure some township left
    out, or one the program derives (``x-derived``, e.g. 总投入 from 资金来源).
    """
    from .fsutil import atomic_write, refuse_target

    out = Path(out)
    townships = load_townships(folder)
    inputs = [t.path for t in townships]
    refuse_target(out, inputs)
    _refuse_inside(out, folder)
    stored = facts_module.read_stored(out) if out.exists() else None  # its BOM and line ends are written back
    county = facts_module.parse(stored.text, out) if stored else None  # broken, empty or a list: a located FactsError
    year = _county_year(county, townships)
    text = stored.lf if stored else _new_county(folder, townships, year)  # edited with \n line ends
    schema = townships[0].kind.schema
    results = []
    for total in totals(townships):
        reason = _not_written(total, schema)
        if reason is None:
            text = _put(text, out, total.path, total.written(), schema, year)
        results.append((total, reason))
    _verify(text, out, [(t.path, t.written()) for t, reason in results if reason is None])
    data = stored.encode(text) if stored else text.encode("utf-8")
    atomic_write(out, lambda tmp: tmp.write_bytes(data), inputs=inputs)
    return results


def _refuse_inside(out: Path, folder: Path) -> None:
    """The county file never goes among the townships: the next roll-up would count it as one."""
    if out.resolve().parent == Path(folder).resolve() or Path(folder).resolve() in out.resolve().parents:
        raise FactsError(Problem(f"县事实文件不能写在乡镇事实文件夹 {display_path(folder)} 中（下次汇总会把它当作一个乡镇）；"
                                 "请写到乡镇文件夹之外，如 facts/2016.yaml", file=display_path(out)))


def _county_year(county: RawFacts | None, townships: list[Facts]) -> int:
    """The year the sums are for: the county's 年度, or the townships' when there is no county file yet.

    Every township must be of that year; each one that is not is named.
    """
    if county is not None:
        year = county.data.get("年度")
        if not isinstance(year, int) or isinstance(year, bool):
            raise FactsError(county.problem(("年度",), f"县事实文件的 年度 应为整数（如 {townships[0].year}），"
                                                      f"实为“{year if year is not None else '空'}”；汇总需要知道是哪一年的数字"))
        against = f"县事实文件 {display_path(county.path)} 的年度是 {year}"
    else:
        years = sorted({t.year for t in townships})
        if len(years) > 1:
            raise FactsError([t.raw.problem(("年度",), f"各乡镇的年度不一致（{'、'.join(map(str, years))}），"
                                                       f"这个乡镇是 {t.year}；汇总只能用同一年度的数字") for t in townships])
        return years[0]
    wrong = [t for t in townships if t.year != year]
    if wrong:
        raise FactsError([t.raw.problem(("年度",), f"乡镇 {township_name(t)} 的年度是 {t.year}，而{against}；"
                                                   "汇总只能用同一年度的数字，请换成本年度的乡镇文件或改正年度") for t in wrong])
    return year


def _new_county(folder: Path, townships: list[Facts], year: int) -> str:
    """The start of a new county file: where its figures came from, and its year."""
    return (f"# 由 {display_path(folder)} 中 {len(townships)} 个乡镇的数字汇总而成（workreport rollup）。\n"
            f"# 请补写 单位 等其余事实。\n年度: {year}\n")


def _not_written(total: Total, schema: dict) -> str | None:
    """Why a total is not written into the county file, or None."""
    if total.missing:
        return f"{'、'.join(total.missing)} 没有填写，未写入"
    if (schema_at(schema, total.path) or {}).get("x-derived"):
        return "由程序推算，未写入"
    return None


# --- writing: the county file's text is edited at the figures' spans, never re-dumped ------------

def _put(text: str, out: Path, path: Path_, value: int | str, schema: dict, year: int) -> str:
    """``text`` with ``value`` at ``path``: the old value's characters replaced, or new lines added under the
    nearest mapping that exists (a new 注明年份的金额 gets this year as 年份)."""
    from ruamel.yaml.nodes import MappingNode, ScalarNode

    node = _compose(text)
    for depth, step in enumerate(path):
        found = next(((k, v) for k, v in node.value if k.value == step), None)
        if found is None:
            return _insert(text, node, path, depth, value, schema, year, out)
        key, child = found
        last = depth == len(path) - 1
        if last and isinstance(child, ScalarNode) and not child.anchor:
            return _replace(text, key, child, value)
        if not last and isinstance(child, MappingNode) and child.flow_style is False and not child.anchor:
            node = child
            continue
        if not last and isinstance(child, ScalarNode) and str(child.tag).endswith(":null") and not child.anchor:
            return _insert_under_key(text, key, path, depth + 1, value, schema, year)
        raise FactsError(Problem(f"{_unwritable(child, last, text)}，汇总无法写入 {dotted(path)}；请改好这一处后再汇总",
                                 file=display_path(out), line=key.start_mark.line + 1, key=dotted(path[:depth + 1])))
    raise AssertionError("unreachable: the loop returns at the last step")


def _unwritable(node, last: bool, text: str) -> str:
    """Why rollup cannot write at or under ``node``: what it is, and what it should be."""
    from ruamel.yaml.nodes import MappingNode, ScalarNode

    if node.anchor:
        return "这里用了锚点或别名（&名称、*名称），改它会连带改动别处；应直接写值"
    if isinstance(node, MappingNode) and node.flow_style is not False and not last:
        return "这个分组用花括号 { } 写成了一行；应分行写，每项一行"
    if last:
        return f"这里应是一个数字，实为{'分组' if isinstance(node, MappingNode) else '列表'}"
    written = text[node.start_mark.index:node.end_mark.index] if isinstance(node, ScalarNode) else "列表"
    return f"这里应是一个分组（下面分行写各项），实为“{written}”"


def _compose(text: str):
    """The YAML node tree of ``text`` (already read safely by facts.load), with each node's character span."""
    from ruamel.yaml import YAML

    return YAML(typ="safe", pure=True).compose(text)


def _replace(text: str, key, node, value: int | str) -> str:
    """``text`` with the scalar ``node`` rewritten as ``value`` in the same quotes."""
    start, end = node.start_mark.index, node.end_mark.index
    if node.style in ("'", '"'):
        written = f"{node.style}{value}{node.style}"
    elif node.style in ("|", ">"):  # a block scalar spans its line ends: keep one
        written = f"{value}\n"
    else:
        written = str(value)
    if start == end or node.value == "" and node.style is None:  # an empty value: right after the colon
        start = end = text.index(":", key.end_mark.index) + 1
        written = f" {value}"
    return text[:start] + written + text[end:]


def _insert(text: str, mapping, path: Path_, depth: int, value: int | str, schema: dict, year: int, out: Path) -> str:
    """Add ``path[depth:]`` as new lines at the end of ``mapping`` (a block mapping)."""
    if mapping.flow_style is not False or not mapping.value:
        raise FactsError(Problem(f"{dotted(path[:depth]) or '文件最外层'} 用花括号写成了一行，无法加入 {dotted(path)}；请改成分行的写法后再汇总",
                                 file=display_path(out), line=mapping.start_mark.line + 1))
    indent = mapping.value[0][0].start_mark.column
    at = _line_after(text, _last_leaf_end(mapping))
    return _insert_lines(text, at, indent, path, depth, value, schema, year)


def _insert_under_key(text: str, key, path: Path_, depth: int, value: int | str, schema: dict, year: int) -> str:
    """Add ``path[depth:]`` as new lines under a key written with nothing after it (``幸福工程:``)."""
    at = _line_after(text, key.end_mark.index)
    return _insert_lines(text, at, key.start_mark.column + _step(text), path, depth, value, schema, year)


def _insert_lines(text: str, at: int, indent: int, path: Path_, depth: int, value: int | str, schema: dict, year: int) -> str:
    lines = []
    for level, step in enumerate(path[depth:-1]):
        pad = " " * (indent + level * _step(text))
        lines.append(f"{pad}{step}:")
        required = (schema_at(schema, path[:depth + level + 1]) or {}).get("required", [])
        if "年份" in required:
            lines.append(f"{pad}{' ' * _step(text)}年份: {year}")
    lines.append(f"{' ' * (indent + (len(path) - depth - 1) * _step(text))}{path[-1]}: {value}")
    block = "".join(line + "\n" for line in lines)
    prefix = "\n" if at == len(text) and text and not text.endswith("\n") else ""
    return text[:at] + prefix + block + text[at:]


def _last_leaf_end(node) -> int:
    """Where the last value written in a block collection ends."""
    last = node.value[-1]
    value = last[1] if isinstance(last, tuple) else last
    if isinstance(value.value, list) and value.flow_style is False and value.value:
        return _last_leaf_end(value)
    return value.end_mark.index


def _line_after(text: str, index: int) -> int:
    """The start of the line after the one holding ``index`` (its end when it is the last line)."""
    if index > 0 and text[index - 1] == "\n":
        return index
    end = text.find("\n", index)
    return len(text) if end < 0 else end + 1


def _step(text: str) -> int:
    """How far the file indents a level: its first nested key's indentation, or two spaces."""
    found = re.search(r"^[^\s#][^\n]*:[ \t]*(#[^\n]*)?\r?\n(?:[ \t]*(#[^\n]*)?\r?\n)*( +)\S", text, re.MULTILINE)
    return len(found.group(3)) if found else 2


def _verify(text: str, out: Path, written: list[tuple[Path_, int | str]]) -> None:
    """The edited text reads back with every written figure at its place (a guard against a wrong edit)."""
    data, _ = facts_module.parse_yaml(text, out)
    for path, value in written:
        if lookup(data, path) != value:
            raise AssertionError(f"roll-up wrote {dotted(path)} = {value!r} but it reads back as {lookup(data, path)!r}")


def describe(total: Total, reason: str | None = None) -> str:
    """One line for the rollup command: the figure, its sum, where it came from, and why it was not written."""
    line = f"{dotted(total.path)} = {total.written()}（{total.breakdown()}）"
    return f"{line}；{reason}" if reason else line
