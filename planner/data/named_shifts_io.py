"""Readers of the optional named-shift files (extra files, CONTRACT.md allows them):

- ``agent_rules.csv``: ``agent_id`` and any of ``max_consecutive_days``,
  ``min_consecutive_days``, ``min_consecutive_days_off``, ``max_weekends``,
  ``min_total_hours``, ``max_total_hours``, ``max_shifts`` (``E=14;N=0``: a cap per shift
  type over the horizon); a blank cell keeps the ``[rules]`` value;
- ``shift_requests.csv``: ``agent_id, date, shift_type, kind`` (``on`` | ``off``) and an
  optional ``weight`` (a whole number, default 1);
- ``shift_cover.csv``: ``date, shift_type, required`` and optional ``weight_under`` (default
  100) and ``weight_over`` (default 1).

Every problem names the file, the 1-based data row, the column and the rule; all problems
are collected before anything is used.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from pathlib import Path

from planner.data.io import read_csv_table
from planner.data.problems import Problems
from planner.domain import AgentRules, Config, ShiftCover, ShiftRequest

AGENT_RULES_OPTIONAL = (
    "max_consecutive_days",
    "min_consecutive_days",
    "min_consecutive_days_off",
    "max_weekends",
    "min_total_hours",
    "max_total_hours",
    "max_shifts",
)
INT_COLUMNS = AGENT_RULES_OPTIONAL[:4]
HOUR_COLUMNS = AGENT_RULES_OPTIONAL[4:6]
LEAST_ONE = frozenset({"max_consecutive_days", "min_consecutive_days", "min_consecutive_days_off"})


class _File:
    def __init__(self, path: Path, problems: Problems) -> None:
        self.name = path.name
        self.problems = problems
        self.failed = False

    def bad(self, row: int, column: str, rule: str) -> None:
        self.problems.add(self.name, row, column, rule)
        self.failed = True

    def whole(self, row: int, column: str, text: str, least: int = 0) -> int | None:
        if not text.isdigit() or int(text) < least:
            self.bad(row, column, f"{text!r} must be a whole number, {least} or more")
            return None
        return int(text)

    def hours(self, row: int, column: str, text: str) -> float | None:
        try:
            value = float(text)
        except ValueError:
            value = -1.0
        if value < 0:
            self.bad(row, column, f"{text!r} must be a number of hours, 0 or more")
            return None
        return value

    def day(self, row: int, text: str) -> date | None:
        try:
            return date.fromisoformat(text)
        except ValueError:
            self.bad(row, "date", f"{text!r} is not a date YYYY-MM-DD")
            return None

    def shift_type(self, row: int, column: str, text: str, config: Config) -> str | None:
        if text not in config.shift_type_names:
            known = ", ".join(config.shift_type_names) or "none configured"
            self.bad(row, column, f"{text!r} is not a [shift_types.NAME] (known: {known})")
            return None
        return text


def read_agent_rules(
    path: Path, agents: Collection[str], config: Config, problems: Problems
) -> list[AgentRules]:
    """The rows of ``agent_rules.csv`` (one per agent at most)."""
    frame = read_csv_table(path, ("agent_id",), problems, AGENT_RULES_OPTIONAL)
    if frame is None:
        return []
    file = _File(path, problems)
    seen: set[str] = set()
    found = []
    for record in frame.to_dict("records"):
        row, agent_id = int(record["_row"]), str(record["agent_id"])
        before = len(problems)
        if agent_id not in agents:
            file.bad(row, "agent_id", f"{agent_id!r} is not in agents.csv")
        elif agent_id in seen:
            file.bad(row, "agent_id", f"{agent_id!r} has a row already")
        seen.add(agent_id)
        values: dict[str, object] = {}
        for column in INT_COLUMNS:
            if text := str(record[column]):
                values[column] = file.whole(row, column, text, int(column in LEAST_ONE))
        for column in HOUR_COLUMNS:
            if text := str(record[column]):
                values[column] = file.hours(row, column, text)
        caps = _caps(file, row, str(record["max_shifts"]), config)
        if len(problems) == before:
            found.append(AgentRules(agent_id, max_shifts=caps, **values))  # type: ignore[arg-type]
    return found


def _caps(file: _File, row: int, text: str, config: Config) -> tuple[tuple[str, int], ...]:
    caps = []
    for part in (p.strip() for p in text.split(";") if p.strip()):
        name, sign, number = part.partition("=")
        if not sign:
            file.bad(row, "max_shifts", f"{part!r} must be TYPE=N, e.g. N=3")
            continue
        known = file.shift_type(row, "max_shifts", name.strip(), config)
        cap = file.whole(row, "max_shifts", number.strip())
        if known is not None and cap is not None:
            caps.append((known, cap))
    return tuple(caps)


def read_shift_requests(
    path: Path, agents: Collection[str], config: Config, problems: Problems
) -> list[ShiftRequest]:
    """The rows of ``shift_requests.csv``."""
    frame = read_csv_table(path, ("agent_id", "date", "shift_type", "kind"), problems, ("weight",))
    if frame is None:
        return []
    file = _File(path, problems)
    found = []
    for record in frame.to_dict("records"):
        row, agent_id = int(record["_row"]), str(record["agent_id"])
        before = len(problems)
        if agent_id not in agents:
            file.bad(row, "agent_id", f"{agent_id!r} is not in agents.csv")
        day = file.day(row, str(record["date"]))
        name = file.shift_type(row, "shift_type", str(record["shift_type"]), config)
        kind = str(record["kind"]).lower()
        if kind not in ("on", "off"):
            file.bad(row, "kind", f"{record['kind']!r} must be on or off")
        weight = file.whole(row, "weight", str(record["weight"]) or "1", 1)
        if len(problems) == before and day and name and weight:
            found.append(ShiftRequest(agent_id, day, name, "on" if kind == "on" else "off", weight))
    return found


def read_shift_cover(path: Path, config: Config, problems: Problems) -> list[ShiftCover]:
    """The rows of ``shift_cover.csv`` (one per date and shift type)."""
    frame = read_csv_table(
        path, ("date", "shift_type", "required"), problems, ("weight_under", "weight_over")
    )
    if frame is None:
        return []
    file = _File(path, problems)
    seen: dict[tuple[date, str], int] = {}
    found = []
    for record in frame.to_dict("records"):
        row = int(record["_row"])
        before = len(problems)
        day = file.day(row, str(record["date"]))
        name = file.shift_type(row, "shift_type", str(record["shift_type"]), config)
        required = file.whole(row, "required", str(record["required"]))
        under = file.whole(row, "weight_under", str(record["weight_under"]) or "100")
        over = file.whole(row, "weight_over", str(record["weight_over"]) or "1")
        if day and name and (first := seen.setdefault((day, name), row)) != row:
            file.bad(row, "date", f"{day} {name} has a row already (row {first})")
        numbers = (required, under, over)
        if len(problems) == before and day and name and None not in numbers:
            found.append(ShiftCover(day, name, *numbers))  # type: ignore[arg-type]
    return found
