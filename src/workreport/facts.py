"""Load a facts file: safe YAML, every value with its file, line and column.

The loader keeps positions so that every message can point at the line staff wrote;
it never constructs Python objects from YAML tags (round-trip loader, tags refused).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import FactsError, Problem

Path_ = tuple[Any, ...]  # a key path into the facts tree: ("生育关怀", "幸福工程", "资金来源", 0, "金额")

MAX_BYTES = 2_000_000  # a year's facts are a few KB; anything this large is not a facts file
MAX_ALIASES = 100  # YAML anchors/aliases are legal, but thousands of them are an alias bomb


@dataclass
class RawFacts:
    """A facts file as read: plain data (dicts, lists, scalars) and where each value stands."""

    path: Path
    data: dict
    positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    text: str = ""

    def where(self, path: Path_) -> tuple[int | None, int | None]:
        """Line and column (1-based) of the value at ``path``, or of its nearest parent."""
        path = tuple(path)
        while path:
            if path in self.positions:
                return self.positions[path]
            path = path[:-1]
        return (None, None)

    def problem(self, path: Path_, message: str) -> Problem:
        """A Problem located at the value of ``path`` in this file."""
        line, column = self.where(path)
        return Problem(message, file=display_path(self.path), line=line, column=column, key=dotted(path) or None)


def display_path(path: Path) -> str:
    """A path as users see it: relative to the working folder when it is inside it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def dotted(path: Path_) -> str:
    """A key path as staff read it: 生育关怀.幸福工程.资金来源[0].金额."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def parse_dotted(text: str) -> Path_:
    """The inverse of ``dotted``: "a.b[0].c" → ("a", "b", 0, "c"); "[*]" stays "*"."""
    parts: list[Any] = []
    for name, index in re.findall(r"([^.\[\]]+)|\[(\d+|\*)\]", text):
        if name:
            parts.append(name)
        else:
            parts.append("*" if index == "*" else int(index))
    return tuple(parts)


def load(path: str | Path) -> RawFacts:
    """Read and parse one facts file; raise FactsError with Chinese messages on any problem."""
    path = Path(path)
    text = read_text(path)
    data, positions = parse_yaml(text, path)
    if data is None:
        raise FactsError(Problem("文件是空的：请至少填写 年度 和 单位", file=display_path(path), line=1))
    if not isinstance(data, dict):
        raise FactsError(Problem("文件的最外层应是“键: 值”的形式（如 年度: 2016），实为列表或单个值", file=display_path(path), line=1))
    return RawFacts(path, data, positions, text)


def read_text(path: Path) -> str:
    """The file's text as UTF-8 (a BOM is accepted); other encodings are refused by name."""
    shown = display_path(path)
    if not path.exists():
        raise FactsError(Problem("找不到这个文件，请检查路径", file=shown))
    if path.is_dir():
        raise FactsError(Problem("这是一个文件夹，不是事实文件（.yaml）", file=shown))
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise FactsError(Problem(f"无法读取文件（{exc.strerror}）", file=shown)) from exc
    if len(raw) > MAX_BYTES:
        raise FactsError(Problem(f"文件太大（{len(raw) // 1024} KB），事实文件通常只有几 KB；请检查是否选错了文件", file=shown))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise FactsError(Problem(_encoding_hint(raw), file=shown, line=line)) from exc


def _encoding_hint(raw: bytes) -> str:
    """Name the encoding a non-UTF-8 file is probably in, and say how to fix it."""
    try:
        raw.decode("gb18030")
    except UnicodeDecodeError:
        return "文件不是 UTF-8 编码，无法读取；请在编辑器中“另存为 UTF-8”"
    return "文件是 GBK/GB18030 编码（Windows 记事本的默认编码），请在编辑器中“另存为 UTF-8”后再运行"


def parse_yaml(text: str, path: Path) -> tuple[Any, dict[Path_, tuple[int, int]]]:
    """Parse YAML text safely; return plain data and the positions of every value."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    shown = display_path(path)
    if text.count("*") > MAX_ALIASES and len(re.findall(r"(?<![\w\"'])\*[^\s,\]}]+", text)) > MAX_ALIASES:
        raise FactsError(Problem(f"文件中的 YAML 别名（*名称）超过 {MAX_ALIASES} 个，已拒绝读取", file=shown))
    tab = re.search(r"^( *)\t", text, re.MULTILINE)
    if tab:
        line = text[: tab.start()].count("\n") + 1
        raise FactsError(Problem("行首有制表符（Tab）；YAML 只能用空格缩进，请把 Tab 换成空格", file=shown, line=line, column=len(tab.group(1)) + 1))
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    try:
        tree = yaml.load(text)
    except MarkedYAMLError as exc:
        raise FactsError(_yaml_problem(exc, shown)) from exc
    except YAMLError as exc:
        raise FactsError(Problem(f"YAML 格式错误：{exc}", file=shown)) from exc
    positions: dict[Path_, tuple[int, int]] = {}
    return _plain(tree, (), positions, shown), positions


def _yaml_problem(exc: Any, shown: str) -> Problem:
    """Translate a ruamel parser error into a located Chinese message."""
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else None
    column = mark.column + 1 if mark else None
    problem = (exc.problem or "") + " " + (exc.context or "")
    if "duplicate key" in problem:
        key = re.search(r'duplicate key "?(.+?)"? ', problem + " ")
        name = key.group(1) if key else ""
        message = f"键“{name}”在同一层写了两次；请删去重复的一处（程序不会默认取后一个）"
    elif "tab" in problem.lower():
        message = "这里有制表符（Tab）；YAML 只能用空格缩进"
    elif "mapping values are not allowed" in problem:
        message = "这一行多了冒号或缩进不对：值里要用冒号时，请把整个值用引号括起来"
    elif "could not find expected ':'" in problem or "simple key" in problem:
        message = "这一行缺少冒号，应写成“键: 值”（冒号后加空格）"
    elif "did not find expected key" in problem or "expected <block end>" in problem:
        message = "缩进不对齐：同一层的键应左对齐，下一层多缩进两个空格"
    elif "found undefined tag" in problem or "could not determine a constructor" in problem:
        message = "不允许使用 YAML 标签（以 ! 开头）；请直接写值"
    elif "found character" in problem and "cannot start any token" in problem:
        message = "这里有不能作为开头的字符（如 @ 或 `）；请把整个值用引号括起来"
    else:
        message = f"YAML 格式错误（{problem.strip()}）；请检查这一行的冒号、引号和缩进"
    return Problem(message, file=shown, line=line, column=column)


_SAFE_TAGS = {f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")}


def _plain(node: Any, path: Path_, positions: dict, shown: str) -> Any:
    """Convert ruamel's round-trip nodes to dicts/lists/scalars, recording each value's position."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq, TaggedScalar

    tag = getattr(getattr(node, "tag", None), "value", None)
    if tag and tag not in _SAFE_TAGS:
        line, col = positions.get(path, (None, None))
        raise FactsError(Problem(f"不允许使用 YAML 标签（{tag}）；请直接写值", file=shown, line=line, column=col, key=dotted(path) or None))
    if isinstance(node, TaggedScalar):
        return _scalar(node.value)
    if isinstance(node, CommentedMap):
        out = {}
        for key in node:
            # A block mapping or list "starts" on its key's line; a scalar where it is written.
            nested = isinstance(node[key], (CommentedMap, CommentedSeq))
            line, col = node.lc.key(key) if nested or not _has_value_pos(node, key) else node.lc.value(key)
            child = (*path, str(key))
            positions[child] = (line + 1, col + 1)
            out[str(key)] = _plain(node[key], child, positions, shown)
        return out
    if isinstance(node, CommentedSeq):
        out_list = []
        for i, item in enumerate(node):
            line, col = node.lc.item(i)
            positions[(*path, i)] = (line + 1, col + 1)
            out_list.append(_plain(item, (*path, i), positions, shown))
        return out_list
    return _scalar(node)


def _has_value_pos(node: Any, key: Any) -> bool:
    try:
        node.lc.value(key)
        return True
    except (KeyError, TypeError, AttributeError):
        return False


def _scalar(value: Any) -> Any:
    """ruamel's scalar subclasses (ScalarFloat, LiteralScalarString …) as the plain Python types."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, str):
        return str(value)
    if hasattr(value, "isoformat"):  # an unquoted 2016-12-20; the schema reads it as text
        return value.isoformat()
    return value
