"""A kind's schema as a compiled validator (fastjsonschema): only whether a facts file is valid, fast.

jsonschema takes a twelfth of a second to import and walks the schema for every file; the code
fastjsonschema generates from the schema answers in microseconds.  It only says valid or not:
``schema.structural_problems`` asks jsonschema to word the problems of a file that is not.
Generating and compiling that code takes a tenth of a second, so the compiled code is kept in
the user's cache folder, keyed by the schema and by the fastjsonschema and Python that made it.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

_FORMAT = 1  # bump when the code generated here changes
_IMPORT_LINE = re.compile(r"^from fastjsonschema import .*$", re.MULTILINE)
_ASCII_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


class Invalid(ValueError):
    """Raised by the generated code at the first thing the schema refuses."""

    def __init__(self, message: str = "", *args: Any, **details: Any):
        super().__init__(message)


def is_date(value: str) -> bool:
    """The "date" format as jsonschema checks it (ASCII digits, a real calendar day), so both agree on every file."""
    try:
        return bool(_ASCII_DATE.fullmatch(value)) and bool(dt.date.fromisoformat(value))
    except ValueError:
        return False


def is_valid(schema: dict, data: Any) -> bool:
    """Whether ``data`` satisfies ``schema`` (draft 2020-12, the keywords a facts schema uses)."""
    try:
        _validator(schema)(data, {"date": is_date})
    except Invalid:
        return False
    return True


_VALIDATORS: dict[int, tuple[dict, Callable[..., Any]]] = {}  # by the schema object's id; the object is kept so the id stays its own


def _validator(schema: dict) -> Callable[..., Any]:
    """The validate function for ``schema``, made once per schema object per process."""
    if id(schema) not in _VALIDATORS:
        namespace: dict[str, Any] = {"JsonSchemaValueException": Invalid, "JsonSchemaValuesException": Invalid}
        exec(_code(schema), namespace)  # noqa: S102 - code generated from our own schema
        _VALIDATORS[id(schema)] = (schema, namespace["validate"])
    return _VALIDATORS[id(schema)][1]


def _code(schema: dict):
    """The compiled validator code: from the cache folder, or generated, compiled and stored there."""
    from .fsutil import cached

    text = json.dumps(schema, sort_keys=True, ensure_ascii=False)
    generator = Path(importlib.util.find_spec("fastjsonschema").origin).stat()
    key = f"{_FORMAT}\n{generator.st_size}:{generator.st_mtime_ns}\n{text}"
    return cached("schema", key, lambda: compile(_generate(schema), "<schema>", "exec"))


def _generate(schema: dict) -> str:
    """fastjsonschema's source for ``schema``, without its own exception classes (importing them costs as much as jsonschema)."""
    import fastjsonschema

    # fastjsonschema knows drafts 4, 6 and 7; the facts schema uses only keywords these share with 2020-12.
    definition = dict(_bare(schema), **{"$schema": "http://json-schema.org/draft-07/schema#"})
    source = fastjsonschema.compile_to_code(definition, formats={"date": is_date}, use_default=False, detailed_exceptions=False)
    return _IMPORT_LINE.sub("", source)


def _bare(schema: dict) -> dict:
    """The schema without what validation ignores (descriptions, titles, x- annotations: much shorter code),
    its $defs renamed d0, d1, …: fastjsonschema names a definition's function by its ASCII letters only,
    so two Chinese names would become one function."""
    names = {f"#/$defs/{name}": f"#/$defs/d{i}" for i, name in enumerate(schema.get("$defs", {}))}

    def bare(node: Any) -> Any:
        if isinstance(node, list):
            return [bare(item) for item in node]
        if not isinstance(node, dict):
            return node
        out = {}
        for key, value in node.items():
            if key in ("description", "title", "$id", "$comment") or key.startswith("x-"):
                continue
            if key == "properties":
                out[key] = {name: bare(sub) for name, sub in value.items()}
            elif key == "$defs":
                out[key] = {names[f"#/$defs/{name}"][len("#/$defs/"):]: bare(sub) for name, sub in value.items()}
            elif key == "$ref":
                out[key] = names.get(value, value)
            else:
                out[key] = bare(value)
        return out

    return bare(schema)
