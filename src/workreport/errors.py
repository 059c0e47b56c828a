"""The one error family of workreport: every failure a user can cause is a WorkreportError.

The CLI turns these into Chinese messages and exit code 2; anything else is a bug.
"""

from __future__ import annotations

import msgspec


class Problem(msgspec.Struct, frozen=True):
    """One thing wrong with the input: where it is, and what to do about it (in Chinese)."""

    message: str
    file: str | None = None
    line: int | None = None
    column: int | None = None
    key: str | None = None
    cell: str | None = None  # in a workbook, where a YAML file has a line: 生育关怀!C12

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = self.file
            if self.line:
                where += f":{self.line}"
                if self.column:
                    where += f":{self.column}"
        if self.cell:
            where = f"{where} {self.cell}".strip()
        head = " ".join(part for part in (where, self.key) if part)
        return f"{head}: {self.message}" if head else self.message


class WorkreportError(Exception):
    """An input or command problem the user can fix; carries one or more Problems."""

    def __init__(self, problems: Problem | list[Problem] | str):
        if isinstance(problems, str):
            problems = [Problem(problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class FactsError(WorkreportError):
    """The facts file cannot be read or does not fit the schema."""


class TemplateError(WorkreportError):
    """A template (outline, paragraph template, .docx) is broken."""


class OutputError(WorkreportError):
    """The report could not be written (locked, read-only, no space)."""
