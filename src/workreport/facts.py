"""Load a facts file: safe YAML, every value with its file, line and column.

The loader keeps positions so that every message can point at the line staff wrote.  It
only composes YAML nodes and converts them itself: no Python object is ever constructed
from a tag, a key written twice is an error, and limits on size, aliases, depth and text
length keep a hostile or mistaken file from hanging or exhausting the build.
"""

from __future__ import annotations

import functools
import math
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import msgspec

from .errors import FactsError, Problem

Path_ = tuple[Any, ...]  # a key path into the facts tree: ("生育关怀", "幸福工程", "资金来源", 0, "金额")

# Limits that keep a hostile or mistaken file from hanging the build.  A year's facts are a few
# KB, a few hundred values, five levels deep; each limit is far above that.
FACTS_SUFFIXES = (".yaml", ".yml")  # a facts file's name ends so
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls")  # or so when staff fill it in Excel or WPS (workreport sheet)
MAX_BYTES = 1_000_000  # the pure-Python YAML parser reads about 1 MB a second
MAX_ALIASES = 100  # anchors/aliases (&名称 / *名称) are legal YAML, but a facts file needs few
MAX_VALUES = 20_000  # values, counted as composed and again as aliases expand: a billion-laughs file stops here
MAX_DEPTH = 30  # nesting levels; deeper is a hostile file (and would exhaust the stack)
MAX_TEXT = 2_000  # characters in one value; a fact is a phrase or a sentence, not an article
MAX_ITEMS = 1_000  # items in one list; the longest list of a year's facts has a few dozen


def is_workbook(path: str | Path) -> bool:
    """Whether a file is (meant as) a spreadsheet rather than a YAML facts file, by its name."""
    return Path(path).suffix.lower() in WORKBOOK_SUFFIXES


class RawFacts(msgspec.Struct, dict=True):
    """A facts file as read: plain data (dicts, lists, scalars) and where each value stands."""

    path: Path
    data: dict
    positions: dict[Path_, tuple[int, int]] = msgspec.field(default_factory=dict)
    text: str = ""

    @functools.cached_property
    def lines(self) -> list[str]:
        """The file's lines as written (computed once: checks quote a line for every finding)."""
        return self.text.splitlines()

    def line(self, number: int) -> str | None:
        """Line ``number`` (1-based) as written, stripped; None past the end."""
        return self.lines[number - 1].strip() if 0 < number <= len(self.lines) else None

    def path_on_line(self, line: int) -> Path_:
        """The deepest fact written on ``line`` (the key a comment there belongs to), or ()."""
        return self._deepest_by_line.get(line, ())

    @functools.cached_property
    def _deepest_by_line(self) -> dict[int, Path_]:
        deepest: dict[int, Path_] = {}
        for path, (line, _) in self.positions.items():
            if len(path) > len(deepest.get(line, ())):
                deepest[line] = path
        return deepest

    def where(self, path: Path_) -> tuple[int | None, int | None]:
        """Line and column (1-based) of the value at ``path``, or of its nearest parent."""
        path = tuple(path)
        while path:
            if path in self.positions:
                return self.positions[path]
            path = path[:-1]
        return (None, None)

    def cell(self, path: Path_) -> str | None:
        """The spreadsheet cell of the value at ``path`` (生育关怀!C12); None in a YAML file, which has lines."""
        return None

    def problem(self, path: Path_, message: str) -> Problem:
        """A Problem located at the value of ``path`` in this file."""
        line, column = self.where(path)
        return Problem(message, file=display_path(self.path), line=line, column=column, key=dotted(path) or None, cell=self.cell(path))


def display_path(path: Path) -> str:
    """A path as users see it: relative to the working folder when it is inside it."""
    return _relative(str(path), os.getcwd())


@functools.lru_cache(maxsize=256)  # every message names its file: resolving it each time cost seconds for 20,000 messages
def _relative(path: str, cwd: str) -> str:
    try:
        return str(Path(path).resolve().relative_to(Path(cwd).resolve()))
    except ValueError:
        return path


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


def lookup(tree: Any, path: Path_, default: Any = None) -> Any:
    """The value at ``path`` in a facts tree, or ``default`` when any step is missing."""
    for step in path:
        try:
            tree = tree[step]
        except (KeyError, IndexError, TypeError):
            return default
    return tree


def copy_tree(tree: Any) -> Any:
    """A copy of a facts tree's mappings and lists, to add to or change; the values in it (text, numbers, dates,
    quantities) cannot change and are shared, which copy.deepcopy took a tenth of a build to find out."""
    if isinstance(tree, dict):
        return {key: copy_tree(value) for key, value in tree.items()}
    if isinstance(tree, list):
        return [copy_tree(value) for value in tree]
    return tree


def walk(tree: Any, path: Path_ = ()) -> Iterator[tuple[Path_, Any]]:
    """Every value of a facts tree with its path, parents before children (mappings, lists and leaves), in file order."""
    stack = [(path, tree)]  # not recursive generators: each value would pass up through one generator per level
    while stack:
        path, tree = stack.pop()
        yield path, tree
        if isinstance(tree, dict):
            stack.extend(((*path, key), value) for key, value in reversed(tree.items()))
        elif isinstance(tree, list):
            stack.extend(((*path, index), tree[index]) for index in range(len(tree) - 1, -1, -1))


def load(path: str | Path) -> RawFacts:
    """Read and parse one facts file; raise FactsError with Chinese messages on any problem."""
    return parse(read_text(Path(path)), Path(path))


def parse(text: str, path: Path) -> RawFacts:
    """The facts file ``path`` whose text is ``text``, parsed; raise FactsError with Chinese messages on any problem."""
    data, positions = parse_yaml(text, path)
    if data is None:
        raise FactsError(Problem("文件是空的：请至少填写 年度 和 单位", file=display_path(path), line=1))
    if not isinstance(data, dict):
        raise FactsError(Problem("文件的最外层应是“键: 值”的形式（如 年度: 2016），实为列表或单个值", file=display_path(path), line=1))
    return RawFacts(path, data, positions, text)


def read_text(path: Path) -> str:
    """The file's text as UTF-8 (a BOM is accepted); other encodings are refused by name."""
    return read_stored(path).text


class StoredText(msgspec.Struct, frozen=True):
    """A facts file's text as staff's editor stored it (without the BOM, line ends as they are), and what a rewrite
    of it keeps: the UTF-8 BOM Windows Notepad writes, and CRLF or CR line ends."""

    text: str
    bom: bool

    @property
    def eol(self) -> str:
        return "\r\n" if "\r\n" in self.text else "\r" if "\r" in self.text else "\n"

    @property
    def lf(self) -> str:
        """The text with \\n line ends, as ruamel reads and writes it."""
        return self.text.replace("\r\n", "\n").replace("\r", "\n")

    @property
    def data(self) -> bytes:
        """The file's bytes as read (its BOM, its line ends)."""
        return (("\ufeff" if self.bom else "") + self.text).encode("utf-8")

    def encode(self, text: str) -> bytes:
        """``text`` (\\n line ends) as this file stores text: its BOM and line ends."""
        return (("\ufeff" if self.bom else "") + text.replace("\n", self.eol)).encode("utf-8")


def read_stored(path: Path) -> StoredText:
    """The file's text as UTF-8 and how it is stored (see StoredText); other encodings are refused by name."""
    from .inputs import read_bytes

    shown = display_path(path)
    raw = read_bytes(path, MAX_BYTES, "事实文件（.yaml）", FactsError)
    try:
        return StoredText(raw.decode("utf-8-sig"), raw.startswith(b"\xef\xbb\xbf"))
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise FactsError(Problem(_encoding_hint(raw), file=shown, line=line)) from exc


def _encoding_hint(raw: bytes) -> str:
    """Name the encoding a non-UTF-8 file is probably in, and say how to fix it."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "文件是 UTF-16 编码（Windows“Unicode”），请在编辑器中“另存为 UTF-8”后再运行"
    try:
        raw.decode("gb18030")
    except UnicodeDecodeError:
        return "文件不是 UTF-8 编码，无法读取；请在编辑器中“另存为 UTF-8”"
    return "文件是 GBK/GB18030 编码（Windows 记事本的默认编码），请在编辑器中“另存为 UTF-8”后再运行"


def parse_yaml(text: str, path: Path) -> tuple[Any, dict[Path_, tuple[int, int]]]:
    """Parse YAML text safely; return plain data and the (line, column) of every value.

    The text is only composed into ruamel's node graph; no Python object is ever constructed
    from a tag.  ``_Walker`` then turns the nodes into dicts, lists and scalars, refusing
    tags, duplicate keys, merge keys, over-long text and alias bombs.
    """
    shown = display_path(path)
    # A lone CR ends a line (old Mac editors) for YAML, but lines and columns here are counted by "\n":
    # without this a control character on line 17 of such a file was shown at 1:491.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    _refuse_tabs(text, shown)
    composed = _compose_fast(text)
    if composed is not None:
        yaml, root = composed
        positions: dict[Path_, tuple[int, int]] = {}
        try:
            return (None if root is None else _Walker(yaml, shown, positions, quick=True).value(root, ())), positions
        except _TooDeep:
            pass  # the careful composer refuses it, at the line where it goes too deep
    yaml = _yaml()
    root = _compose(yaml, text, shown)
    positions = {}
    if root is None:
        return None, positions
    return _Walker(yaml, shown, positions).value(root, ()), positions


class _TooDeep(Exception):
    """Text the C composer took nests past MAX_DEPTH: the pure-Python composer reads it again and says where."""


def _refuse_tabs(text: str, shown: str) -> None:
    """A tab in the indentation is the commonest Windows mistake; say so before the parser does, less clearly."""
    tab = re.search(r"^( *)\t", text, re.MULTILINE)
    if tab:
        line = text[: tab.start()].count("\n") + 1
        raise FactsError(Problem("行首有制表符（Tab）；YAML 只能用空格缩进，请把 Tab 换成空格", file=shown, line=line, column=len(tab.group(1)) + 1))


C_SAFE_DEPTH = 500  # nesting the C composer may recurse through: far from the end of the C stack


def _compose_fast(text: str) -> tuple[Any, Any] | None:
    """The loader and root node from ruamel's C composer (ruamel.yaml.clib, ten times quicker), or
    None where only the pure-Python composer is safe or can explain: the C one neither counts
    aliases nor limits nesting (it recurses in C), and takes a tab where ruamel does not, so text
    with any anchor, alias, tag or tab, or that could nest deeply, goes the careful way; so does a "#" run into a block
    scalar's header ("|#x", which libyaml takes for a comment and reads as empty text), and text it cannot read, or
    nested past MAX_DEPTH, whose problem the pure-Python composer then names with its line.  Both give the same nodes."""
    bound = _nesting_bound(text)
    if (any(mark in text for mark in "&*\t") or bound > C_SAFE_DEPTH
            or "#" in text and _BLOCK_COMMENT_RE.search(text) or "!" in text and _TAG_RE.search(text)):
        return None
    yaml = c_yaml()
    if yaml is None:
        return None
    try:
        root = yaml.compose(text)
    except Exception:  # noqa: BLE001 — any failure is reported, with its line, by the pure-Python composer
        return None
    return yaml, root


def c_yaml() -> Any:
    """A safe ruamel loader on the C parser (ruamel.yaml.clib), or None when that is not installed."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=False)
    if yaml.Parser.__name__ != "CParser":
        return None
    yaml.Resolver = _c_resolver()
    return yaml


@functools.cache
def _c_resolver() -> type:
    """ruamel's resolver as its C parser uses it, without looking the YAML version and its rules up again for every scalar.

    The C parser never tells the resolver of a %YAML directive, so every file it reads is YAML 1.2 (or the
    loader's own version); ruamel found that out anew for each scalar through two raised AttributeErrors,
    which was a third of reading a facts file.
    """
    from ruamel.yaml.resolver import _DEFAULT_YAML_VERSION, VersionedResolver

    class C12Resolver(VersionedResolver):
        @property
        def processing_version(self) -> Any:
            return self._loader_version or _DEFAULT_YAML_VERSION

        @property
        def versioned_resolver(self) -> Any:
            try:
                return self._fixed_resolver
            except AttributeError:
                rules = VersionedResolver.versioned_resolver.fget(self)
                # ruamel wraps each pattern in a LazyEval, whose every .match passes through __getattribute__
                self._fixed_resolver = {first: [(tag, _compiled(pattern)) for tag, pattern in patterns]
                                        for first, patterns in rules.items()}
                return self._fixed_resolver

    return C12Resolver


def _compiled(pattern: Any) -> Any:
    """The compiled regular expression behind ruamel's lazily compiled one (or the pattern itself)."""
    lazy = getattr(pattern, "lazy_self", None)
    return lazy() if callable(lazy) else pattern


# libyaml takes "|#x" (a block scalar's header run into a "#") for a comment and returns an empty
# string; ruamel rightly refuses it (a comment needs a space before it).
_BLOCK_COMMENT_RE = re.compile(r"[|>][0-9+-]*#")
# A tag ("!" starting a token) is refused either way, but libyaml takes an undefined handle ("!20!") that ruamel
# refuses, so the two would word the refusal differently; a facts file has no tags, so this costs nothing.
_TAG_RE = re.compile(r"(?:^|[\s,\[\]{}?:-])!", re.MULTILINE)


def _nesting_bound(text: str) -> int:
    """An upper bound of how deep ``text`` can nest: every bracket may open a level, and a block
    level needs more indentation or a "- " (twice, for sequences written at their key's indent)."""
    lines = text.splitlines()
    block = max((len(line) - len(line.lstrip(" ")) + line.count("- ") + line.count("? ") for line in lines), default=0)
    return 2 * block + 2 + text.count("[") + text.count("{")


def _yaml() -> Any:
    """A fresh pure-Python ruamel loader with a depth limit and an alias-counting composer."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=True)
    yaml.Composer = _counting_composer()
    yaml.max_depth = MAX_DEPTH
    return yaml


@functools.cache
def _counting_composer() -> type:
    """ruamel's Composer, refusing the document at its (MAX_ALIASES + 1)-th alias or (MAX_VALUES + 1)-th node, as it is read."""
    from ruamel.yaml.composer import Composer, ComposerError
    from ruamel.yaml.events import AliasEvent

    class CountingComposer(Composer):
        """Counts nodes and alias events while composing, so that a hostile file stops before it is built."""

        aliases = 0
        nodes = 0

        def compose_node(self, parent: Any, index: Any) -> Any:
            if self.parser.check_event(AliasEvent):
                self.aliases += 1
                if self.aliases > MAX_ALIASES:
                    raise ComposerError(None, None, _TOO_MANY_ALIASES, self.parser.peek_event().start_mark)
            else:
                self.nodes += 1
                if self.nodes > MAX_VALUES:
                    raise ComposerError(None, None, _TOO_MANY_VALUES, self.parser.peek_event().start_mark)
            return super().compose_node(parent, index)

    return CountingComposer


_TOO_MANY_ALIASES = "too many aliases"
_TOO_MANY_VALUES = "too many values"
_TOO_MANY_VALUES_MESSAGE = f"值太多（超过 {MAX_VALUES} 项），一个事实文件的上限是 {MAX_VALUES} 项；请检查是否选错了文件"


def _compose(yaml: Any, text: str, shown: str) -> Any:
    """The document's root node, or None for an empty document; parser errors become located FactsErrors."""
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    from ruamel.yaml.reader import ReaderError

    try:
        return yaml.compose(text)
    except MarkedYAMLError as exc:
        raise FactsError(_yaml_problem(exc, shown, text)) from exc
    except ReaderError as exc:  # a control character pasted from Word or a web page
        before = text[: exc.position]
        line, column = before.count("\n") + 1, exc.position - before.rfind("\n")
        raise FactsError(Problem(f"这里有一个看不见的控制字符（U+{exc.character:04X}），YAML 不允许；请删去它"
                                 "（常见于从 Word 或网页粘贴的文字）", file=shown, line=line, column=column)) from exc
    except (YAMLError, RecursionError) as exc:
        raise FactsError(Problem(f"YAML 格式错误，无法读取（{exc}）；请检查冒号、引号和缩进", file=shown)) from exc


# ruamel's messages (problem and context), what each means for staff, and which line to name:
# "problem" where the parser noticed, "context" where the construct began (an unclosed quote),
# "indent" the line where it noticed and, in the message, the line above it (either may be wrong).
_PARSER_MESSAGES: list[tuple[str, str, str]] = [
    (_TOO_MANY_ALIASES, f"YAML 别名（*名称）超过 {MAX_ALIASES} 个，可能是恶意构造的文件，已拒绝读取；事实文件不需要别名，请直接写值", "problem"),
    (_TOO_MANY_VALUES, _TOO_MANY_VALUES_MESSAGE, "problem"),
    ("maximum depth", f"层次太深（超过 {MAX_DEPTH} 层），不是事实文件的结构；请检查缩进或方括号", "problem"),
    ("found character '\\t'", "这里有制表符（Tab）；YAML 的缩进和冒号后都只能用空格，请把 Tab 换成空格", "problem"),
    ("while scanning a quoted scalar", "引号没有配对：这里开始的引号（\" 或 '）一直没有结束；请补上另一半引号，或去掉这个引号", "context"),
    ("found unknown escape character", "双引号中的反斜杠“\\”是转义符；路径或文字中要写反斜杠，请改用单引号，或写成两个反斜杠“\\\\”", "problem"),
    ("found undefined tag handle", "不允许使用 YAML 标签（以 ! 开头）；值以 ! 开头时请把整个值用引号括起来", "problem"),
    ("while parsing a tag", "不允许使用 YAML 标签（以 ! 开头）；值以 ! 开头时请把整个值用引号括起来", "problem"),
    ("while parsing an tag", "不允许使用 YAML 标签（以 ! 开头）；值以 ! 开头时请把整个值用引号括起来", "problem"),  # sic, ruamel 0.19
    ("mapping values are not allowed", "这一行多了冒号或缩进不对：值里要用冒号时，请把整个值用引号括起来；下一层的键要多缩进两个空格", "problem"),
    ("while scanning a simple key", "这一行缺少冒号，应写成“键: 值”（冒号后加空格）", "context"),
    ("could not find expected ':'", "这一行缺少冒号，应写成“键: 值”（冒号后加空格）", "problem"),
    ("did not find expected '-' indicator", "列表缩进不对：同一列表的各项“- ”应上下对齐{above}", "indent"),
    ("block sequence entries are not allowed", "这里不能开始列表：键后面已经写了值，列表项“- ”应另起一行并多缩进两个空格", "problem"),
    ("did not find expected key", "缩进不对齐{above}：同一层的键应左对齐，下一层多缩进两个空格", "indent"),
    ("expected <block end>", "缩进不对齐{above}：同一层的键应左对齐，下一层多缩进两个空格", "indent"),
    ("expected ',' or ']'", "方括号列表 [ … ] 没有正确结束：缺少“]”，或项之间缺少英文逗号“,”（项中有逗号或冒号时请给这一项加引号）", "context"),
    ("expected ',' or '}'", "花括号 { … } 没有正确结束：缺少“}”，或项之间缺少英文逗号“,”", "context"),
    ("while scanning an alias", "“*”后应紧跟别名；值以 * 开头时请把整个值用引号括起来", "problem"),
    ("while scanning an anchor", "“&”后应紧跟锚点名；值以 & 开头时请把整个值用引号括起来", "problem"),
    ("found undefined alias", "别名 {alias} 没有对应的锚点（&名称）；值以 * 开头时请把整个值用引号括起来", "problem"),
    ("expected a single document", "文件中有文档分隔线“---”，一个事实文件只能有一个文档；请删去“---”之后的内容或这条线", "problem"),
    ("expected chomping or indentation indicators", "“|”或“>”后面只能写缩进的数字或 + / −；要写注释，请在“#”前加一个空格", "problem"),
    ("cannot start any token", "这里有不能作为开头的字符（如 @、` 或 %）；请把整个值用引号括起来", "problem"),
    ("found unexpected end of stream", "文件意外结束：前面有没有结束的引号或括号", "context"),
]


def _yaml_problem(exc: Any, shown: str, text: str) -> Problem:
    """Translate a ruamel parser error into a located Chinese message saying what the parser expected."""
    problem = f"{exc.problem or ''} {exc.context or ''}"
    for marker, message, where in _PARSER_MESSAGES:
        if marker in problem:
            break
    else:
        message, where = f"YAML 格式错误（{problem.strip()}）；请检查这一行的冒号、引号和缩进", "problem"
    mark = (exc.context_mark if where == "context" else None) or exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else None
    full_width = _full_width_key_line(text, line) if line else None
    if full_width:  # whatever the parser then expected, the cause is a key typed with the Chinese input method
        return Problem("这一行的冒号是全角的“：”（中文输入法），YAML 只认半角冒号；请改成“键: 值”（半角冒号后加空格）",
                       file=shown, line=full_width, column=_line_text(text, full_width).index("：") + 1)
    if where == "indent" and mark and _text_after_quote(_line_text(text, line), mark.column):
        message = ("引号后面还有文字：值以引号开头时，整个值都要写在引号里；请把整个值再用另一种引号括起来"
                   "（如 主题: '\"母亲节\"活动'），或改用中文引号（如 主题: “母亲节”活动）")
        where = "problem"
    above = _line_above(text, line) if where == "indent" and line else None
    alias = re.search(r"undefined alias '?([^'\s]+)", problem)
    message = message.replace("{alias}", f"*{alias.group(1)}" if alias else "")
    message = message.replace("{above}", f"：第 {above} 行和第 {line} 行的缩进对不上，其中一行有误" if above else "")
    return Problem(message, file=shown, line=line, column=mark.column + 1 if mark else None)


# A key ended by a full-width colon: the first colon of the line is "：" (a "：" after "键: " is part of the value).
_FULL_WIDTH_KEY_RE = r"^\s*(?:-\s+)?[^\s:#'\"：][^:#'\"：]*："  # compiled on first use: only a file YAML refuses needs it


def _full_width_key_line(text: str, line: int) -> int | None:
    """The line, of the one the parser stopped at and the one above it, whose key ends in a full-width colon: YAML
    reads such a line as text, and trips over it there or on the next line, which it then reads out of place."""
    above = _line_above(text, line)
    for number in (line, above):
        if number and re.match(_FULL_WIDTH_KEY_RE, _line_text(text, number)):
            return number
    return None


def _text_after_quote(row: str, column: int) -> bool:
    """Whether the parser stopped right after a value's closing quote with more of the value written after it
    ("母亲节"活动): the quotes then ended the value, and YAML reads the rest as a key out of place."""
    rest = row[column:].strip()
    return 0 < column <= len(row) and row[column - 1] in "\"'" and bool(rest) and not rest.startswith("#")


def _line_text(text: str, line: int) -> str:
    """The text of line ``line`` (1-based), or "" past the end."""
    rows = text.splitlines()
    return rows[line - 1] if 0 < line <= len(rows) else ""


def _line_above(text: str, line: int) -> int | None:
    """The number of the nearest line above ``line`` that holds something (not blank, not only a comment)."""
    rows = text.splitlines()
    for number in range(min(line, len(rows) + 1) - 1, 0, -1):
        if rows[number - 1].strip() and not rows[number - 1].lstrip().startswith("#"):
            return number
    return None


_CORE = "tag:yaml.org,2002:"
_MERGE = _CORE + "merge"


class _Walker:
    """Turns a composed node graph into plain data and records where each value was written.

    It is the one place that decides what a facts file may hold: plain text, numbers, true/false
    and empty values, in mappings and lists; every value counted, so that aliases cannot expand
    a small file into a huge tree.
    """

    def __init__(self, yaml: Any, shown: str, positions: dict[Path_, tuple[int, int]], quick: bool = False):
        from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

        self.kinds = MappingNode, SequenceNode, ScalarNode
        self.quick = quick  # the nodes came from the C composer, which neither limits nesting nor allows aliases here
        self.constructor = yaml.constructor  # only for int/float/bool scalars: tag-free conversions
        self.shown = shown
        self.positions = positions
        self.count = 0
        self.seen: set[int] = set()  # collection nodes already turned into data: meeting one again is an alias
        self.aliased = False

    def refuse(self, node: Any, message: str, path: Path_ = ()) -> FactsError:
        """A FactsError located at ``node``."""
        mark = node.start_mark
        return FactsError(Problem(message, file=self.shown, line=mark.line + 1, column=mark.column + 1, key=dotted(path) or None))

    def value(self, node: Any, path: Path_, depth: int = 0) -> Any:
        """The plain value of ``node`` at ``path``."""
        MappingNode, SequenceNode, _ = self.kinds
        self.count += 1
        if isinstance(node.value, list):
            self.aliased = self.aliased or id(node) in self.seen
            self.seen.add(id(node))
        if self.count > MAX_VALUES:  # the C composer counts nothing, and aliases repeat nodes here
            if self.aliased:
                raise self.refuse(node, f"别名（*名称）展开后超过 {MAX_VALUES} 项，可能是恶意构造的文件（“别名炸弹”），已拒绝读取")
            raise self.refuse(node, _TOO_MANY_VALUES_MESSAGE)
        if self.quick and depth >= MAX_DEPTH:  # as deep as the careful composer refuses (its levels count from 1)
            raise _TooDeep
        if depth > MAX_DEPTH:  # the careful composer limits nesting, so there only an alias that contains itself gets here
            raise self.refuse(node, "别名（*名称）引用了包含它自己的内容，无法展开；请直接写值")
        tag = str(node.tag)
        if isinstance(node, MappingNode):
            self.expect_tag(node, tag, "map", path)
            return self.mapping(node, path, depth)
        if isinstance(node, SequenceNode):
            self.expect_tag(node, tag, "seq", path)
            if len(node.value) > MAX_ITEMS:
                raise self.refuse(node, f"列表太长：{len(node.value)} 项，一个列表的上限是 {MAX_ITEMS} 项；请检查是否选错了文件或误粘贴了内容", path)
            return [self.value(item, self.place((*path, i), item), depth + 1) for i, item in enumerate(node.value)]
        return self.scalar(node, tag, path)

    def place(self, path: Path_, node: Any, key: Any = None) -> Path_:
        """Record where the value at ``path`` stands: a block collection or a missing value at its key, anything else where it is written."""
        at_key = getattr(node, "flow_style", None) is False or (node.value == "" and not getattr(node, "style", None))
        where = key if key is not None and at_key else node
        self.positions[path] = (where.start_mark.line + 1, where.start_mark.column + 1)
        return path

    def mapping(self, node: Any, path: Path_, depth: int) -> dict:
        """A mapping's keys and values; a key written twice is an error, not last-one-wins."""
        out: dict[str, Any] = {}
        lines: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = self.key(key_node, path)
            if key in lines:
                raise self.refuse(key_node, f"键“{key}”在同一层写了两次（第 {lines[key]} 行和第 {key_node.start_mark.line + 1} 行）；"
                                            "请删去重复的一处（程序不会默认取后一个）", (*path, key))
            lines[key] = key_node.start_mark.line + 1
            child = self.place((*path, key), value_node, key_node)
            out[key] = self.value(value_node, child, depth + 1)
        return out

    def key(self, node: Any, path: Path_) -> str:
        """A mapping key as text; keys must be plain words."""
        ScalarNode = self.kinds[2]
        tag = str(node.tag)
        if tag == _MERGE:
            raise self.refuse(node, "不支持 YAML 合并键“<<”；请把要用的内容直接写出来", path)
        if not isinstance(node, ScalarNode):
            raise self.refuse(node, "键应是一个词（如 新增户数），不能是列表或分组；这一行可能多了“? ”或括号", path)
        if tag != _CORE + "str" and not tag.startswith(_CORE):
            raise self.refuse(node, f"不允许使用 YAML 标签（{_shown_tag(tag)}）；请直接写键名", path)
        if not node.value.strip() or tag == _CORE + "null":
            raise self.refuse(node, "缺少键名：冒号前应有键名，如“新增户数: 8”", path)
        self.check_length(node, node.value, path)
        return node.value

    def expect_tag(self, node: Any, tag: str, wanted: str, path: Path_) -> None:
        if tag != _CORE + wanted:
            raise self.refuse(node, f"不允许使用 YAML 标签（{_shown_tag(tag)}）；请直接写值", path)

    def check_length(self, node: Any, text: str, path: Path_) -> None:
        """Refuse text longer than MAX_TEXT, and a lone surrogate (a "\\ud800" escape) that no file can hold."""
        if len(text) > MAX_TEXT:
            raise self.refuse(node, f"内容太长：{len(text)} 个字符，一项事实的上限是 {MAX_TEXT} 个字符；请检查是否误粘贴了整段文章", path)
        surrogate = _SURROGATE_RE.search(text)
        if surrogate:
            raise self.refuse(node, f"这里有一个无效的字符（孤立的代理码 U+{ord(surrogate.group()):04X}，常由 \\u 转义写成），"
                                    "它不能写进 Word 文件；请删去它，或写出完整的字符", path)

    def scalar(self, node: Any, tag: str, path: Path_) -> Any:
        """A scalar as str, int, float, bool or None; dates stay text (the schema reads them and reports a day that does not exist)."""
        text = node.value
        self.check_length(node, text, path)
        if tag == _CORE + "str":
            return text
        if tag == _CORE + "timestamp":
            return text
        if tag == _CORE + "null":
            return None
        convert = {_CORE + "int": self.constructor.construct_yaml_int, _CORE + "float": self.constructor.construct_yaml_float,
                   _CORE + "bool": self.constructor.construct_yaml_bool}.get(tag)
        if convert is None:
            raise self.refuse(node, f"不允许使用 YAML 标签（{_shown_tag(tag)}）；请直接写值", path)
        try:
            value = convert(node)
        except (ValueError, KeyError, IndexError) as exc:  # an explicit !!int on text that is not a number
            raise self.refuse(node, f"“{text}”不是有效的值；请去掉“!!”标签，直接写值", path) from exc
        if isinstance(value, float) and not math.isfinite(value):
            return text  # .inf/.nan are not figures; kept as written, the schema says what is wanted
        return value


_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def _shown_tag(tag: str) -> str:
    """A tag the way it was written: tag:yaml.org,2002:python/object → !!python/object."""
    return "!!" + tag[len(_CORE):] if tag.startswith(_CORE) else tag
