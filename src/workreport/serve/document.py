"""The facts file the page edits: read once, checked as the page changes it, saved without loss.

Entry point: ``FactsDocument(path)``.  On every change the page's answers are merged into the
file's tree as it was loaded and go through the same schema, derivation, checks and 忽略
comments as ``workreport check``.  Saving merges them into the ruamel round-trip tree, checks
the text it would write exactly as check would read it, and only then writes it, atomically.
"""

from __future__ import annotations

import copy
import hashlib
import threading
from pathlib import Path
from typing import Any

import msgspec

from ..errors import FactsError, Problem
from ..facts import RawFacts, copy_tree, display_path, parse_yaml, read_stored
from ..fsutil import atomic_write
from ..kind import Kind, load_kind
from ..schema import Facts, validate
from .form import Field, build_form, typed
from .merge import merge


class StaleFile(FactsError):
    """The file changed on disk since the page read it: saving would overwrite someone's edit."""


class Unsaveable(FactsError):
    """The page's answers are refused by the schema: the file is left as it was."""


class Evaluation(msgspec.Struct):
    """What the page shows after a change: the checked facts (None when the schema refused them) and the problems."""

    text: str
    facts: Facts | None = None
    context: Any = None  # the derived figures (rules.relations.Context) when the facts were read
    findings: list = msgspec.field(default_factory=list)  # checks' findings, suppressions applied
    problems: list[Problem] = msgspec.field(default_factory=list)  # what the schema or the file link refused


class FactsDocument:
    """One facts file and the version of it the page was built from."""

    def __init__(self, path: str | Path, kind: Kind | None = None):
        self.path = Path(path)
        self.kind = kind or load_kind()
        self.lock = threading.Lock()  # one check or save at a time: the pipeline's caches are not built for threads
        self._last: tuple | None = None  # the last answers checked and what was found
        self._read()

    def _read(self) -> None:
        """Read the file and keep its round-trip tree; the version is a digest of its bytes."""
        from ..facts import parse
        from ..yamledit import round_trip

        self.stored = read_stored(self.path)  # read once: the text, its facts and its version are of the same save
        self.raw = parse(self.stored.text, self.path)  # a file that cannot be read is told as check tells it, with its line
        self.version = _digest(self.stored.data)  # the bytes: any save by an editor changes it
        self.text = self.stored.lf
        self.yaml, self.tree, _ = round_trip(self.text)
        if not isinstance(self.tree, dict):
            raise FactsError(Problem("文件的最外层应是“键: 值”的形式（如 年度: 2016）", file=display_path(self.path), line=1))

    def reload(self) -> None:
        """Read the file again (the page was reloaded: it shows what is on disk now)."""
        with self.lock:
            self._read()

    def form(self) -> Field:
        """The page's form with the file's values."""
        return build_form(self.kind.schema, self.tree)

    def merged(self, answers: dict) -> str:
        """The file's text with the page's answers written in (only what changed)."""
        from ..yamledit import dump

        tree = copy.deepcopy(self.tree)
        merge(tree, typed(answers, self.kind.schema, self.kind.schema) or {}, self.kind.schema)
        return dump(self.yaml, tree)

    def evaluate(self, answers: dict) -> Evaluation:
        """Check the page's answers as ``workreport check`` checks the saved file.

        The answers are merged into the file's plain tree (as facts.load read it), not written
        as YAML: the checks see the values the saved file would hold, and lines and 忽略
        comments are the file's as it is on disk, which is what staff see in their editor.
        """
        import json

        key = (self.version, json.dumps(answers, ensure_ascii=False, sort_keys=True))
        with self.lock:
            if self._last is not None and self._last[0] == key:
                return self._last[1]  # the preview and the downloads ask about the answers just checked
            data = copy_tree(self.raw.data)
            merge(data, typed(answers, self.kind.schema, self.kind.schema) or {}, self.kind.schema, plain=True)
            result = self._evaluate(RawFacts(self.path, data, self.raw.positions, self.raw.text))
            self._last = (key, result)
            return result

    def _evaluate_text(self, text: str) -> Evaluation:
        """Check ``text`` as the facts file: exactly what check would find in it once saved."""
        try:
            data, positions = parse_yaml(text, self.path)
        except FactsError as exc:
            return Evaluation(text, problems=list(exc.problems))
        return self._evaluate(RawFacts(self.path, data, positions, text))

    def _evaluate(self, raw: RawFacts) -> Evaluation:
        from ..pipeline import derive_and_check, load_previous

        result = Evaluation(raw.text)
        try:
            facts = validate(raw, self.kind)
            facts.previous = load_previous(facts)
            context, checked = derive_and_check(facts)  # what check runs: a check may find a linked file missing
            findings = checked.findings
        except FactsError as exc:
            result.problems = list(exc.problems)
            return result
        result.facts, result.context, result.findings = facts, context, findings
        return result

    def save(self, answers: dict, version: str) -> bool:
        """Write the page's answers to the file, atomically; whether anything was written.

        Refused (StaleFile) when the file is no longer the version the page was built from, and
        (Unsaveable) when the schema refuses the answers: the file always stays readable by check.
        """
        with self.lock:
            shown = display_path(self.path)
            if not self.path.is_file() or _digest(self.path.read_bytes()) != version or version != self.version:
                raise StaleFile(Problem("文件在页面打开后已被改动（可能在编辑器或另一个标签页中保存过），为免覆盖，这次没有保存；"
                                        "请重新载入页面（页面上未保存的修改会丢失，可先记下）", file=shown))
            text = self.merged(answers)
            evaluation = self._evaluate_text(text)
            if evaluation.problems:
                raise Unsaveable([Problem(f"有不符合要求的值，没有保存（文件未改动）：{p.message}", file=p.file, line=p.line, key=p.key)
                                  for p in evaluation.problems])
            if text == self.text:
                return False
            atomic_write(self.path, lambda tmp: tmp.write_bytes(self.stored.encode(text)))
            self._read()
            return True


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:20]
