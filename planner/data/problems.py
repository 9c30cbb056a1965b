"""Input problems, collected and reported together.

Every check that reads user files appends :class:`Problem` objects to a
:class:`Problems` list instead of raising on the first one, so a manager sees
every mistake in one go. A command raises :class:`InputError` once, at the end
of validation, when the list holds at least one error.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one place in one input file.

    ``row`` is the 1-based data row (the header is not counted); ``column`` is the
    CSV column, the config key (``shifts.latest_end``) or the command-line option.
    """

    file: str
    row: int | None
    column: str | None
    rule: str
    severity: Severity = "error"

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column}")
        prefix = "warning" if self.severity == "warning" else "error"
        return f"{prefix}: {', '.join(where)}: {self.rule}"


class Problems:
    """An ordered collection of problems found while reading inputs."""

    def __init__(self) -> None:
        self._items: list[Problem] = []

    def add(
        self,
        file: str,
        row: int | None,
        column: str | None,
        rule: str,
        severity: Severity = "error",
    ) -> None:
        self._items.append(Problem(file, row, column, rule, severity))

    def extend(self, other: Iterable[Problem]) -> None:
        self._items.extend(other)

    def __iter__(self) -> Iterator[Problem]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self._items if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self._items if p.severity == "warning"]

    def raise_if_errors(self) -> None:
        """Raise :class:`InputError` carrying every problem when any is an error."""
        if self.errors:
            raise InputError(list(self._items))


class InputError(Exception):
    """Bad input: carries every problem found (errors and warnings)."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        errors = [p for p in problems if p.severity == "error"]
        super().__init__(f"{len(errors)} input problem(s)")
