"""The Jinja2 environment that turns facts into Chinese prose.

Templates run sandboxed with a strict Undefined: a fact a template needs but the facts file
lacks is a MissingFact, which says which mapping lacked which key (assembly turns it into
the fact's line in the facts file); an ``{% include %}`` cannot leave the kind's text folder.
Filters write figures the way official reports do.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..errors import Problem, TemplateError, WorkreportError
from ..quantity import Quantity, chinese_numeral, ordinal
from ..rules.relations import list_items
from ..rules.yoy import AMOUNT, RATE, Change, phrase


class MissingFact(TemplateError):
    """A template needed a fact the facts file does not hold.

    ``owner`` is the mapping of facts the template looked in (None for a name looked up in
    the template's own context) and ``name`` the key it wanted.  ``render`` locates it at the
    template's line for whoever renders a template directly; assembly turns it into the fact's
    path and reports it at the facts file's line, where staff can act on it.
    """

    section: str | None = None  # the outline section whose context the template ran in, set by assembly

    def __init__(self, owner: Any, name: str | None, where: dict[str, Any] | None = None):
        self.owner, self.name = owner, name
        super().__init__(Problem(f"模板用到的事实不存在：{name}；请在事实文件中填写，或在模板中用 {{% if … is defined %}} 判断",
                                 **(where or {})))


def _undefined_class():
    """StrictUndefined that fails with a MissingFact when a fact (a name, or a key of a mapping of facts) is missing."""
    from jinja2 import StrictUndefined
    from jinja2.exceptions import UndefinedError
    from jinja2.utils import missing

    class FactUndefined(StrictUndefined):
        __slots__ = ()

        def __init__(self, hint=None, obj=missing, name=None, exc=UndefinedError):
            if exc is UndefinedError and hint is None and (obj is missing or isinstance(obj, dict)):
                exc = lambda _message: MissingFact(None if obj is missing else obj, name)  # noqa: E731
            super().__init__(hint, obj, name, exc)

    return FactUndefined


def enumerate_cn(items: Iterable[Any], last: str = "和") -> str:
    """List items the Chinese way: 奶牛、优种猪和肉鸡; an open list (…, 等) ends with 等."""
    values, is_open = list_items(list(items))
    values = [str(v) for v in values]
    if is_open:
        return "、".join(values) + "等"
    if len(values) < 2 or last == "、":
        return "、".join(values)
    return "、".join(values[:-1]) + last + values[-1]


def number_only(value: Any) -> str:
    """A figure without its unit: 1100多户 → 1100多, 36年 → 36."""
    return value.number_text() if isinstance(value, Quantity) else str(value)


def chinese(value: Any) -> str:
    """A whole figure in Chinese numerals, for fixed phrases like 九年来 and 四次."""
    number = int(value.value) if isinstance(value, Quantity) else int(value)
    return chinese_numeral(number)


def quoted(value: Any) -> str:
    """A name in Chinese quotation marks: “母亲节”."""
    return f"“{value}”"


def book_title(value: Any) -> str:
    """A document title in 书名号: 《流动人口计划生育协议书》."""
    return f"《{value}》"


def compared_with_last_year(item: Change, form: str = AMOUNT) -> str:
    """A change against last year in words (比上年增加2户; 比上年('幅度') → 比上年增长1.1%)."""
    from jinja2.exceptions import TemplateRuntimeError

    if form not in (AMOUNT, RATE):
        raise TemplateRuntimeError(f"比上年 的参数应为“{AMOUNT}”或“{RATE}”，实为“{form}”")
    if not isinstance(item, Change):
        raise TemplateRuntimeError(f"比上年 只能用于 变化.… 中的数字，实为 {item!r}")
    return phrase(item, form)


class Ordinals:
    """The sub-item ordinals of one section, numbered by what is present: 一是, 二是, …"""

    def __init__(self, style: str):
        self.style = style
        self.count = 0

    def __call__(self) -> str:
        self.count += 1
        return ordinal(self.count, self.style)


MAX_TEMPLATE_BYTES = 200_000  # one paragraph template; the longest is under 2 KB


def template_text(folder: Path, path: Path) -> str:
    """The text of the template file ``path``: only a regular file inside ``folder`` (symlinks resolved and
    refused when they lead outside it), bounded in size; staff edit templates, and one must not read /etc/passwd."""
    from ..inputs import read_inside

    data = read_inside(folder, path, MAX_TEMPLATE_BYTES, "段落模板（.j2）", TemplateError)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TemplateError(Problem("模板文件不是 UTF-8 编码；请在编辑器中“另存为 UTF-8”", file=_shown(path))) from exc


def _folder_loader(folder: Path):
    """A Jinja loader that reads templates through ``template_text``: an include cannot leave the folder."""
    from jinja2 import BaseLoader, TemplateNotFound
    from jinja2.loaders import split_template_path

    class FolderLoader(BaseLoader):
        def get_source(self, environment, template):
            path = folder.joinpath(*split_template_path(template))  # refuses ".." itself
            if not path.exists():
                raise TemplateNotFound(template)
            text, mtime = template_text(folder, path), path.stat().st_mtime

            def uptodate() -> bool:  # asked before every render: one look at the file
                try:
                    return path.stat().st_mtime == mtime
                except OSError:
                    return False

            return text, str(path), uptodate

        def list_templates(self):
            return sorted(p.name for p in folder.glob("*.j2"))

    return FolderLoader()


@functools.lru_cache(maxsize=None)
def environment(folder: Path):
    """One sandboxed Jinja2 environment per template folder (compiled templates are cached)."""
    from jinja2 import FileSystemBytecodeCache
    from jinja2.sandbox import SandboxedEnvironment

    from ..fsutil import cache_dir

    cache = cache_dir()  # compiled templates kept between runs: every build renders them all
    env = SandboxedEnvironment(
        loader=_folder_loader(Path(folder)),
        bytecode_cache=FileSystemBytecodeCache(cache) if cache else None,
        undefined=_undefined_class(),
        autoescape=False,  # plain text; the .docx writer escapes for XML
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters.update({"列举": enumerate_cn, "数": number_only, "中文": chinese, "引号": quoted, "书名号": book_title,
                        "比上年": compared_with_last_year})
    return env


def render(folder: Path, name: str, context: dict) -> str:
    """Render one paragraph template to text; every error becomes a TemplateError naming the template file and line.

    Staff edit these templates, so a runtime error (a division by zero, an include of itself)
    is their mistake to fix, not a crash: it is reported where it happened, like a syntax error.
    """
    from jinja2 import TemplateNotFound, TemplateSyntaxError, UndefinedError
    from jinja2.sandbox import SecurityError

    env = environment(Path(folder))
    try:
        return env.get_template(name).render(context)
    except TemplateSyntaxError as exc:
        raise TemplateError(Problem(f"模板语法错误：{exc.message}", file=_template_file(folder, exc.name or name), line=exc.lineno)) from exc
    except TemplateNotFound as exc:
        raise TemplateError(Problem(f"找不到模板“{exc.name}”（只能引用模板文件夹 {_shown(folder)} 中的文件）", **_where(exc, folder, name))) from exc
    except UndefinedError as exc:
        raise TemplateError(Problem(f"模板用到的事实不存在：{_undefined_name(exc)}；请在事实文件中填写，或在模板中用 {{% if … is defined %}} 判断",
                                    **_where(exc, folder, name))) from exc
    except SecurityError as exc:
        raise TemplateError(Problem(f"模板中有不允许的操作：{exc}", **_where(exc, folder, name))) from exc
    except MissingFact as exc:
        raise MissingFact(exc.owner, exc.name, _where(exc, folder, name)) from exc
    except WorkreportError:
        raise
    except RecursionError as exc:
        raise TemplateError(Problem("模板引用了自己（include 或宏无限循环）", **_where(exc, folder, name))) from exc
    except Exception as exc:  # jinja2's TemplateError, or what a template expression raised (ZeroDivisionError …)
        raise TemplateError(Problem(f"模板出错：{exc}", **_where(exc, folder, name))) from exc


def _template_file(folder: Path, name: str) -> str:
    return _shown(Path(folder) / name)


def _shown(path: Path) -> str:
    from ..facts import display_path

    return display_path(path)


def _where(exc: BaseException, folder: Path, name: str) -> dict[str, Any]:
    """File and line of the innermost template frame of the error (an included template's own line), read from the traceback Jinja rewrote."""
    root = Path(folder).resolve()
    file, line = _template_file(folder, name), None
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if Path(filename).resolve().is_relative_to(root):
            file, line = _shown(Path(filename)), tb.tb_lineno
        tb = tb.tb_next
    return {"file": file, "line": line}


def _undefined_name(exc: Exception) -> str:
    text = str(exc)
    if "has no attribute" in text:
        return text.split("has no attribute")[-1].strip().strip("'")
    if "is undefined" in text:
        return text.split("is undefined")[0].strip().strip("'")
    return text
