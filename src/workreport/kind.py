"""A report kind: the folder under templates/ that holds its schema, relations, outline and templates.

Everything a county (or another kind of report) changes lives there, not in Python.
"""

from __future__ import annotations

import functools
import json
import os
from pathlib import Path
from typing import Any

import msgspec

from .errors import Problem, TemplateError

DEFAULT_KIND = "fpa-annual"
MAX_DATA_BYTES = 2_000_000  # schema.json, relations.yaml, outline.yaml and the package's data files are a few KB each


class Kind(msgspec.Struct, frozen=True, eq=False):  # hashed by identity: one object per kind per process
    """One report kind, read once per process."""

    name: str
    folder: Path
    schema: dict
    relations: list
    outline: dict

    @property
    def docx_template(self) -> Path:
        return self.folder / "report.docx"

    @property
    def text_folder(self) -> Path:
        """The folder of the Jinja2 paragraph templates."""
        return self.folder / "text"


def templates_root() -> Path:
    """Where report kinds live: $WORKREPORT_TEMPLATES, ./templates, or the one beside the package source."""
    if os.environ.get("WORKREPORT_TEMPLATES"):
        return Path(os.environ["WORKREPORT_TEMPLATES"])
    local = Path.cwd() / "templates"
    if (local / DEFAULT_KIND).is_dir():
        return local
    return Path(__file__).resolve().parents[2] / "templates"


@functools.lru_cache(maxsize=None)
def load_kind(name: str = DEFAULT_KIND, root: Path | None = None) -> Kind:
    """Read a report kind's schema.json, relations.yaml and outline.yaml."""
    folder = (root or templates_root()) / name
    if not folder.is_dir():
        raise TemplateError(Problem(f"找不到报告模板“{name}”（应在 {folder}）"))
    return Kind(
        name=name,
        folder=folder,
        schema=_read_json(folder / "schema.json"),
        relations=read_yaml(folder / "relations.yaml") or [],
        outline=read_yaml(folder / "outline.yaml") or {},
    )


def _read_json(path: Path) -> dict:
    try:
        return json.loads(_read(path))
    except (OSError, ValueError) as exc:
        raise TemplateError(Problem(f"模板文件无法读取：{exc}", file=str(path))) from exc


def read_yaml(path: Path) -> Any:
    """A data file shipped with the templates or the package (safe loader); a broken one is a TemplateError.

    What a text holds is kept in the user's cache folder (by the text itself), so a later run that meets
    the same text loads it instead of parsing it: four such files were a tenth of a cold check.
    """
    from .fsutil import cached

    try:
        text = _read(path)
    except (OSError, ValueError) as exc:
        raise TemplateError(Problem(f"模板文件无法读取：{exc}", file=str(path))) from exc
    return cached("data", f"{_YAML_FORMAT}\n{text}", lambda: _parse_yaml(text, path))


_YAML_FORMAT = 1  # bump when what _parse_yaml makes of a text changes


def _parse_yaml(text: str, path: Path) -> Any:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    from .facts import c_yaml

    try:
        return (c_yaml() or YAML(typ="safe")).load(text)
    except (ValueError, YAMLError) as exc:
        raise TemplateError(Problem(f"模板文件无法读取：{exc}", file=str(path))) from exc


def _read(path: Path) -> str:
    """A template data file's text, read bounded and only from a regular file (inputs.read_bytes)."""
    from .inputs import read_bytes

    return read_bytes(path, MAX_DATA_BYTES, "模板数据文件", TemplateError).decode("utf-8")
