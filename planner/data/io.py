"""Reading the contract's input files, with every problem reported together.

Each reader takes a :class:`~planner.data.problems.Problems` list, adds one problem
per thing wrong (file name, 1-based data row, column, rule in a manager's
words) and returns what it could read: typed objects for the small people files,
pandas frames for the interval files. Rows with a problem are left out of the
result, so a result is only trustworthy when no error was added.

Files saved by Excel or Notepad load as they are: UTF-8 with or without a
byte-order mark, Windows-1252, CRLF line ends, blanks around headers and cells,
extra columns (ignored), a ``;`` or tab delimiter when the header has no comma.

The interval files (history, forecast, requirements: a year is ~52k rows) are
checked with vectorised pandas operations; at most :data:`MAX_PER_RULE` rows
are listed per column and rule, then one line says how many more there are.
"""

from __future__ import annotations

import csv
import dataclasses
import io as _io
import logging
import re
from collections import Counter
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from planner.data.atomic import write_csv
from planner.data.config import (
    known_zone,
    make_window,
    parse_clock,
    parse_config_partial,
    read_text,
)
from planner.data.problems import Problems, Severity
from planner.data.zones import STATE_ZONES, main_zone
from planner.domain import (
    LEAD_SKILL,
    WEEKDAYS,
    Agent,
    AvailabilityWindow,
    Config,
    Contract,
    TimeOff,
)

log = logging.getLogger(__name__)

MAX_PER_RULE = 20
"""Rows listed per (column, rule) before the rest are summed up in one line."""

MAX_WEEKLY_HOURS = 60.0
MAX_SHIFT_HOURS = 16.0

AGENT_COLUMNS = (
    "agent_id",
    "state",
    "contract",
    "min_weekly_hours",
    "max_weekly_hours",
    "shift_hours",
    "skills",
)
AGENT_OPTIONAL = ("name", "timezone")
AVAILABILITY_COLUMNS = ("agent_id", "weekday", "start", "end")
TIME_OFF_COLUMNS = ("agent_id", "date")
INTERVAL_COLUMNS = ("interval_start", "channel", "contacts", "aht_seconds")
REQUIREMENT_COLUMNS = (*INTERVAL_COLUMNS, "agents_needed", "staff_needed", "service_level")

CONTRACT_FILES = (
    "config.toml",
    "agents.csv",
    "availability.csv",
    "time_off.csv",
    "history.csv",
    "forecast.csv",
    "requirements.csv",
)
"""The input files of the contract, in the order they are read."""

_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
"""Full weekday names, fixed (strftime's would follow the machine's locale)."""
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")


# --------------------------------------------------------------------------- reporting


class _Reporter:
    """Adds problems for one file, listing at most ``cap`` rows per column and rule."""

    def __init__(self, problems: Problems, file: str, cap: int = MAX_PER_RULE) -> None:
        self.problems = problems
        self.file = file
        self.cap = cap
        self._shown: Counter[tuple[str | None, str, Severity]] = Counter()
        self._hidden: Counter[tuple[str | None, str, Severity]] = Counter()
        self._found: list[tuple[int | None, str | None, str, Severity]] = []

    def add(
        self,
        row: int | None,
        column: str | None,
        rule: str,
        *,
        kind: str,
        severity: Severity = "error",
    ) -> None:
        """One problem; ``kind`` names the rule broken, for the count of the rest."""
        key = (column, kind, severity)
        if self._shown[key] < self.cap:
            self._found.append((row, column, rule, severity))
            self._shown[key] += 1
        else:
            self._hidden[key] += 1

    def flag(
        self,
        frame: pd.DataFrame,
        mask: pd.Series | np.ndarray,
        column: str,
        kind: str,
        describe: Callable[[int], str],
        *,
        severity: Severity = "error",
    ) -> None:
        """A problem for each row where ``mask`` holds; ``describe(position)`` words it."""
        positions = np.flatnonzero(np.asarray(mask, dtype=bool))
        if not len(positions):
            return
        key = (column, kind, severity)
        room = max(0, self.cap - self._shown[key])
        rows = frame["_row"].to_numpy()
        for position in positions[:room]:
            rule = describe(int(position))
            self._found.append((int(rows[position]), column, rule, severity))
        self._shown[key] += min(room, len(positions))
        if len(positions) > room:
            self._hidden[key] += len(positions) - room

    def close(self) -> None:
        """Add the problems found, row by row, then one line per rule for unlisted rows."""
        self._found.sort(key=lambda found: (found[0] is None, found[0] or 0))
        for row, column, rule, severity in self._found:
            self.problems.add(self.file, row, column, rule, severity)
        for (column, kind, severity), count in self._hidden.items():
            more = f"{count:,} more row{'s' if count > 1 else ''}"
            self.problems.add(self.file, None, column, f"... and {more}: {kind}", severity)
        self._found.clear()
        self._hidden.clear()


# --------------------------------------------------------------------------- CSV loading


def _delimiter(header_line: str) -> str:
    """Comma, unless the header has none and uses tabs or semicolons (some Excel locales)."""
    if "," in header_line:
        return ","
    if "\t" in header_line:
        return "\t"
    if ";" in header_line:
        return ";"
    return ","


def _normalise_header(name: str) -> str:
    return re.sub(r"\s+", "_", name.replace("\ufeff", "").strip().lower())


def read_csv_table(
    path: Path,
    required: Sequence[str],
    problems: Problems,
    optional: Sequence[str] = (),
    *,
    expect_rows: bool = True,
) -> pd.DataFrame | None:
    """The ``required`` and ``optional`` columns of a CSV file, as stripped text.

    The frame has one row per non-blank data row, a RangeIndex and an integer
    column ``_row`` holding the 1-based data row in the file. Missing optional
    columns are filled with ``""``; other extra columns are ignored. Returns None
    (after adding a problem) when the file cannot be read or lacks a required
    column, since then none of its rows can be checked.
    """
    file = path.name
    try:
        text = read_text(path)
    except FileNotFoundError:
        problems.add(file, None, None, "file not found")
        return None
    except OSError as error:
        problems.add(file, None, None, f"cannot be read: {error.strerror or error}")
        return None
    except UnicodeDecodeError:
        problems.add(file, None, None, "is not a text file (save it as CSV UTF-8)")
        return None

    delimiter = _delimiter(text.split("\n", 1)[0])
    try:
        first = next(csv.reader(_io.StringIO(text), delimiter=delimiter), [])
    except csv.Error as error:
        problems.add(file, None, None, f"the header row is not valid CSV: {error}")
        return None
    header = [_normalise_header(h) for h in first]
    if not any(header):
        problems.add(file, None, None, f"is empty: it needs a header row ({', '.join(required)})")
        return None
    missing = [c for c in required if c not in header]
    for column in missing:
        has = ", ".join(h for h in header if h) or "nothing"
        problems.add(file, None, column, f"required column {column} is missing (found: {has})")
    if missing:
        return None
    for column in sorted({h for h in header if header.count(h) > 1} & {*required, *optional}):
        problems.add(
            file, None, column, f"column {column} appears twice; the first is used", "warning"
        )

    loaded = _cells_fast(text, delimiter, len(header))
    if loaded is None:
        loaded = _cells_careful(text, delimiter, len(header), file, problems)
        if loaded is None:
            return None
    cells, rows = loaded
    stripped = {i: cells[i].str.strip() for i in cells.columns}
    # blank lines and Excel's trailing ",,,," rows carry no data
    keep = ~np.logical_and.reduce([(column == "").to_numpy() for column in stripped.values()])
    empty = pd.Series([""] * int(keep.sum()), dtype=str)
    frame = pd.DataFrame(
        {
            c: stripped[header.index(c)][keep].reset_index(drop=True) if c in header else empty
            for c in (*required, *optional)
        }
    )
    frame["_row"] = rows[keep]
    if expect_rows and frame.empty:
        problems.add(file, None, None, "has a header but no data rows", "warning")
    return frame


def _cells_fast(text: str, delimiter: str, width: int) -> tuple[pd.DataFrame, np.ndarray] | None:
    """Every data record as text with pandas' C parser; None when a row is malformed."""
    try:
        cells = pd.read_csv(
            _io.StringIO(text),
            sep=delimiter,
            header=None,
            skiprows=1,
            names=range(width),
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,  # so that row numbers count every record
        )
    except (pd.errors.ParserError, ValueError):
        return None
    return cells, np.arange(1, len(cells) + 1, dtype=np.int64)


def _cells_careful(
    text: str, delimiter: str, width: int, file: str, problems: Problems
) -> tuple[pd.DataFrame, np.ndarray] | None:
    """Record by record, naming each row that cannot be read (slow; only for bad files)."""
    reader = csv.reader(_io.StringIO(text), delimiter=delimiter)
    try:
        records = list(reader)[1:]
    except csv.Error as error:
        problems.add(file, max(reader.line_num - 1, 1), None, f"is not valid CSV: {error}")
        return None
    rows: list[int] = []
    kept: list[list[str]] = []
    for number, record in enumerate(records, start=1):
        if any(cell.strip() for cell in record[width:]):
            problems.add(
                file,
                number,
                None,
                f"the row has {len(record)} values but the header has {width} columns "
                "(a value holding a comma must be in double quotes)",
            )
            continue
        rows.append(number)
        kept.append((record + [""] * width)[:width])
    cells = pd.DataFrame(kept, columns=range(width), dtype=str)
    return cells, np.asarray(rows, dtype=np.int64)


# --------------------------------------------------------------------------- small parsers


def _float(text: str) -> float | None:
    """A plain decimal number, or None (no ``nan``, ``inf`` or ``1e3``)."""
    return float(text) if _NUMBER.fullmatch(text) else None


def _hours(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _weekday(text: str) -> int | None:
    """Mon = 0 for ``Mon``, ``mon``, ``Monday``; None otherwise."""
    lowered = text.strip().lower()
    for i, (name, full) in enumerate(zip(WEEKDAYS, _DAY_NAMES, strict=True)):
        if lowered in (name.lower(), full.lower()):
            return i
    return None


def _iso_date(text: str) -> date | None:
    if not _DATE.fullmatch(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


@cache
def _zone_names() -> dict[str, str]:
    """Lower-case zone name -> zone name, for "did you mean" hints."""
    from zoneinfo import available_timezones  # noqa: PLC0415 - only needed on a typo

    return {name.lower(): name for name in available_timezones()}


def _listed(items: Collection[str]) -> str:
    return ", ".join(items)


class _Row:
    """The checks of one data row: reports through the file's reporter, remembers failure."""

    def __init__(self, report: _Reporter, row: int) -> None:
        self.report = report
        self.row = row
        self.failed = False

    def bad(self, column: str, rule: str, kind: str) -> None:
        self.report.add(self.row, column, rule, kind=kind)
        self.failed = True

    def warn(self, column: str, rule: str, kind: str) -> None:
        self.report.add(self.row, column, rule, kind=kind, severity="warning")


# --------------------------------------------------------------------------- agents


def read_agents(path: Path, config: Config | None, problems: Problems) -> list[Agent]:
    """The agents of ``agents.csv``, every row checked against the contract and config.

    With ``config`` None (config.toml unreadable) the checks that need it
    (approved states, skills, shift steps) are skipped; the others still run.
    """
    return _read_agents(path, config, problems)[0]


def _read_agents(
    path: Path, config: Config | None, problems: Problems
) -> tuple[list[Agent], set[str] | None]:
    """The valid agents, and every agent_id the file names (valid row or not)."""
    frame = read_csv_table(path, AGENT_COLUMNS, problems, AGENT_OPTIONAL)
    if frame is None:
        return [], None
    report = _Reporter(problems, path.name)
    channels = {c.name.lower(): c.name for c in config.channels} if config else {}
    approved = config.site.approved_states if config else tuple(STATE_ZONES)
    step = config.shifts.start_step_minutes if config else 1
    first_row: dict[str, int] = {}
    agents: list[Agent] = []
    for record in frame.to_dict("records"):
        check = _Row(report, int(record["_row"]))
        agent_id = str(record["agent_id"])
        if not agent_id:
            check.bad("agent_id", "agent_id is empty", "agent_id is empty")
        elif agent_id in first_row:
            check.bad(
                "agent_id",
                f"agent_id {agent_id} is already used on row {first_row[agent_id]}",
                "agent_id is used twice",
            )
        else:
            first_row[agent_id] = check.row
        state = _check_state(check, str(record["state"]).upper(), approved)
        timezone = _check_timezone(check, str(record["timezone"]), state)
        contract = _check_contract(check, str(record["contract"]))
        low = _check_weekly_hours(check, "min_weekly_hours", str(record["min_weekly_hours"]))
        high = _check_weekly_hours(check, "max_weekly_hours", str(record["max_weekly_hours"]))
        if low is not None and high is not None and low > high:
            check.bad(
                "min_weekly_hours",
                f"min_weekly_hours {_hours(low)} is more than max_weekly_hours {_hours(high)}",
                "min_weekly_hours is more than max_weekly_hours",
            )
        lengths = _check_shift_hours(check, str(record["shift_hours"]), step)
        skills = _check_skills(check, str(record["skills"]), channels)
        if (
            check.failed
            or state is None
            or timezone is None
            or contract is None
            or low is None
            or high is None
            or lengths is None
            or skills is None
        ):
            continue
        if high > 0 and min(lengths) > high:
            check.warn(
                "shift_hours",
                f"the shortest shift ({_hours(min(lengths))} h) is longer than "
                f"max_weekly_hours {_hours(high)}: agent {agent_id} can never be rostered",
                "shortest shift longer than max_weekly_hours",
            )
        agents.append(
            Agent(
                agent_id=agent_id,
                name=str(record["name"]) or agent_id,
                state=state,
                timezone=timezone,
                contract=contract,
                min_weekly_hours=low,
                max_weekly_hours=high,
                shift_hours=lengths,
                skills=skills,
            )
        )
    report.close()
    return agents, set(first_row)


def _check_state(check: _Row, state: str, approved: Sequence[str]) -> str | None:
    if not state:
        check.bad("state", "state is empty", "state is empty")
        return None
    if state not in approved or state not in STATE_ZONES:
        allowed = sorted(s for s in approved if s in STATE_ZONES)
        check.bad(
            "state",
            f"state {state} is not an approved state (approved: {_listed(allowed)})",
            "state is not approved",
        )
        return None
    return state


def _check_timezone(check: _Row, text: str, state: str | None) -> str | None:
    if not text:
        if state is None:
            return None
        zones = STATE_ZONES[state]
        if len(zones) > 1:
            # The main zone is a guess here: a panhandle, Upper Peninsula, El Paso or north
            # Idaho agent would be rostered an hour off.
            check.warn(
                "timezone",
                f"timezone is blank and {state} has more than one zone ({_listed(zones)}): "
                f"{zones[0]} is assumed; write the agent's zone",
                "blank timezone in a state with more than one zone",
            )
        return main_zone(state)
    if not known_zone(text):
        close = _zone_names().get(text.lower())
        hint = f" (did you mean {close}?)" if close else ""
        check.bad(
            "timezone",
            f"timezone {text} is not an IANA time zone such as America/Chicago{hint}",
            "timezone is not an IANA zone",
        )
        return None
    if state is not None and text not in STATE_ZONES[state]:
        check.bad(
            "timezone",
            f"timezone {text} is not used in {state} ({state} uses {_listed(STATE_ZONES[state])})",
            "timezone is not used in the agent's state",
        )
        return None
    return text


def _check_contract(check: _Row, text: str) -> Contract | None:
    normal = text.lower().replace("-", "_").replace(" ", "_")
    if normal == "full_time":
        return "full_time"
    if normal == "part_time":
        return "part_time"
    check.bad(
        "contract",
        f"contract must be full_time or part_time (got {text or 'a blank'})",
        "contract is not full_time or part_time",
    )
    return None


def _check_weekly_hours(check: _Row, column: str, text: str) -> float | None:
    if not text:
        check.bad(column, f"{column} is empty", f"{column} is empty")
        return None
    value = _float(text)
    if value is None:
        check.bad(column, f"{column} {text} is not a number of hours", f"{column} not a number")
        return None
    if value < 0:
        check.bad(column, f"{column} {text} is negative (allowed: 0 to 60)", f"{column} < 0")
        return None
    if value > MAX_WEEKLY_HOURS:
        check.bad(column, f"{column} {text} is more than 60 hours", f"{column} > 60")
        return None
    return value


def _check_shift_hours(check: _Row, text: str, step: int) -> tuple[float, ...] | None:
    example = "paid shift lengths in hours separated by ;, e.g. 8 or 4;6"
    parts = [p.strip() for p in text.split(";") if p.strip()]
    if not parts:
        check.bad("shift_hours", f"shift_hours is empty: give {example}", "shift_hours is empty")
        return None
    lengths: list[float] = []
    for part in parts:
        value = _float(part)
        if value is None:
            check.bad(
                "shift_hours",
                f"shift_hours {text} is malformed: {part} is not a number ({example})",
                "shift_hours is malformed",
            )
            return None
        lengths.append(value)
    for value in lengths:
        minutes = value * 60
        if value <= 0:
            rule = f"shift length {_hours(value)} h must be more than 0"
        elif value > MAX_SHIFT_HOURS:
            rule = f"shift length {_hours(value)} h is longer than 16 hours"
        elif abs(minutes - round(minutes)) > 1e-6 or round(minutes) % step:
            rule = (
                f"shift length {_hours(value)} h is not a whole number of {step}-minute "
                "steps (shifts.start_step_minutes)"
            )
        else:
            continue
        check.bad("shift_hours", rule, "shift length out of range")
    return None if check.failed else tuple(dict.fromkeys(lengths))


def _check_skills(check: _Row, text: str, channels: dict[str, str]) -> tuple[str, ...] | None:
    names = [p.strip() for p in text.split(";") if p.strip()]
    listed = _listed(channels.values())
    if not names:
        hint = f" ({listed})" if channels else ""
        check.bad("skills", f"skills is empty: list at least one channel{hint}", "no skills")
        return None
    if not channels:  # config unreadable or without channels: nothing to check against
        return tuple(dict.fromkeys(names))
    skills: list[str] = []
    for name in names:
        channel = channels.get(name.lower())
        if channel is None and name.lower() == LEAD_SKILL:
            # Not a channel: the agent is a lead others escalate to (coverage.min_leads).
            skills.append(LEAD_SKILL)
        elif channel is None:
            check.bad(
                "skills",
                f"skill {name} is not a configured channel (channels: {listed}) nor {LEAD_SKILL}",
                "skill is not a configured channel",
            )
        else:
            skills.append(channel)
    return None if len(skills) < len(names) else tuple(dict.fromkeys(skills))


# --------------------------------------------------------------------------- availability, time off


def _agent_ids(agents: Sequence[Agent] | Collection[str] | None) -> set[str] | None:
    if agents is None:
        return None
    return {a if isinstance(a, str) else a.agent_id for a in agents}


def _known_agent(check: _Row, agent_id: str, known: Collection[str] | None) -> bool:
    if not agent_id:
        check.bad("agent_id", "agent_id is empty", "agent_id is empty")
        return False
    if known is not None and agent_id not in known:
        check.bad("agent_id", f"agent {agent_id} is not in agents.csv", "unknown agent")
        return False
    return True


def read_availability(
    path: Path, agents: Sequence[Agent] | Collection[str] | None, problems: Problems
) -> list[AvailabilityWindow]:
    """The windows of ``availability.csv``: local weekday windows per agent.

    ``agents`` (agents or their ids) are those of agents.csv; None (no usable
    agents.csv) skips the "agent exists" check.
    """
    frame = read_csv_table(path, AVAILABILITY_COLUMNS, problems, expect_rows=False)
    if frame is None:
        return []
    report = _Reporter(problems, path.name)
    known = _agent_ids(agents)
    windows: list[AvailabilityWindow] = []
    for record in frame.to_dict("records"):
        check = _Row(report, int(record["_row"]))
        agent_id = str(record["agent_id"])
        _known_agent(check, agent_id, known)
        weekday = _weekday(str(record["weekday"]))
        if weekday is None:
            check.bad(
                "weekday",
                f"weekday {record['weekday'] or '(blank)'} is not a day: use {', '.join(WEEKDAYS)}",
                "weekday is not a day",
            )
        start = parse_clock(str(record["start"]), allow_24=False)
        if start is None:
            check.bad(
                "start",
                f"start {record['start'] or '(blank)'} is not a time of day HH:MM (00:00 to 23:59)",
                "start is not a time",
            )
        end = parse_clock(str(record["end"]))
        if end is None:
            check.bad(
                "end",
                f"end {record['end'] or '(blank)'} is not a time of day HH:MM (00:00 to 24:00)",
                "end is not a time",
            )
        if check.failed or weekday is None or start is None or end is None:
            continue
        windows.append(AvailabilityWindow(agent_id, weekday, make_window(start, end)))
    report.close()
    return list(dict.fromkeys(windows))


def read_time_off(
    path: Path, agents: Sequence[Agent] | Collection[str] | None, problems: Problems
) -> list[TimeOff]:
    """The days off of ``time_off.csv``; the same agent and date twice is a warning.

    ``agents`` (agents or their ids) are those of agents.csv; None (no usable
    agents.csv) skips the "agent exists" check.
    """
    frame = read_csv_table(path, TIME_OFF_COLUMNS, problems, ("reason",), expect_rows=False)
    if frame is None:
        return []
    report = _Reporter(problems, path.name)
    known = _agent_ids(agents)
    first_row: dict[tuple[str, date], int] = {}
    days: list[TimeOff] = []
    for record in frame.to_dict("records"):
        check = _Row(report, int(record["_row"]))
        agent_id = str(record["agent_id"])
        _known_agent(check, agent_id, known)
        text = str(record["date"])
        day = _iso_date(text)
        if day is None:
            rule = (
                f"date {text} does not exist"
                if _DATE.fullmatch(text)
                else f"date {text or '(blank)'} is not a date YYYY-MM-DD, e.g. 2026-12-24"
            )
            check.bad("date", rule, "date is not a YYYY-MM-DD date")
        if check.failed or day is None:
            continue
        first = first_row.setdefault((agent_id, day), check.row)
        if first != check.row:
            check.warn(
                "date",
                f"agent {agent_id} already has {day} off on row {first}; this row adds nothing",
                "time off listed twice",
            )
            continue
        days.append(TimeOff(agent_id, day, str(record["reason"])))
    report.close()
    return days


# --------------------------------------------------------------------------- interval files


def read_history(path: Path, config: Config | None, problems: Problems) -> pd.DataFrame | None:
    """``history.csv`` as a frame: ``interval_start`` (UTC), channel, contacts, aht_seconds.

    Rows with a problem are left out; the frame is sorted by interval and channel.
    None when the file cannot be read or lacks a column.
    """
    return _read_intervals(path, config, problems, ())


def read_forecast(path: Path, config: Config | None, problems: Problems) -> pd.DataFrame | None:
    """``forecast.csv``: the same columns and checks as :func:`read_history`."""
    return _read_intervals(path, config, problems, ())


def read_requirements(path: Path, config: Config | None, problems: Problems) -> pd.DataFrame | None:
    """``requirements.csv``: the interval columns plus agents_needed, staff_needed (whole
    numbers, staff at least agents) and service_level (a fraction 0 to 1, may be blank).
    """
    return _read_intervals(path, config, problems, REQUIREMENT_COLUMNS[len(INTERVAL_COLUMNS) :])


def _read_intervals(
    path: Path, config: Config | None, problems: Problems, extra: tuple[str, ...]
) -> pd.DataFrame | None:
    frame = read_csv_table(path, (*INTERVAL_COLUMNS, *extra), problems)
    if frame is None:
        return None
    report = _Reporter(problems, path.name)
    stamps, bad = _check_interval_starts(frame, config, report)
    channels, bad_channel = _check_channels(frame, config, report)
    bad |= bad_channel
    numbers, bad_number = _check_volumes(frame, report)
    bad |= bad_number
    if extra:
        needs, bad_need = _check_needs(frame, report)
        numbers.update(needs)
        bad |= bad_need
    bad |= _check_duplicates(frame, stamps, channels, bad, report)
    if config is not None:
        present = set(channels[~bad_channel].unique())  # rows bad elsewhere still count
        for name in config.channel_names:
            if name not in present and len(frame):
                report.add(
                    None,
                    "channel",
                    f"channel {name} is configured but has no rows",
                    kind="configured channel without rows",
                    severity="warning",
                )
    report.close()
    result = pd.DataFrame({"interval_start": stamps, "channel": channels, **numbers})
    result = result[~bad].sort_values(["interval_start", "channel"], kind="stable")
    return result.reset_index(drop=True)


def _texts(frame: pd.DataFrame, column: str) -> Callable[[int], str]:
    values = frame[column].to_numpy()
    return lambda position: str(values[position]) or "(blank)"


def _saying(column: str, show: Callable[[int], str], rule: str) -> Callable[[int], str]:
    """Describes a row as "<column> <its value> <rule>"."""
    return lambda position: f"{column} {show(position)} {rule}"


def _check_interval_starts(
    frame: pd.DataFrame, config: Config | None, report: _Reporter
) -> tuple[pd.Series, np.ndarray]:
    """Parsed UTC instants and the rows that are not valid grid timestamps."""
    text = frame["interval_start"]
    show = _texts(frame, "interval_start")
    # utc=True would silently read a naive time as UTC: tell them apart by the text
    has_offset = text.str.contains(r"(?:[zZ]|[+-]\d{2}:?\d{2})$", regex=True).to_numpy()
    stamps = pd.to_datetime(text.where(text != ""), format="ISO8601", utc=True, errors="coerce")
    unreadable = stamps.isna().to_numpy()
    report.flag(
        frame,
        unreadable,
        "interval_start",
        "interval_start is not an ISO 8601 timestamp",
        lambda p: (
            f"interval_start {show(p)} is not an ISO 8601 timestamp such as "
            "2026-12-06T17:00:00-05:00"
        ),
    )
    naive = ~unreadable & ~has_offset
    report.flag(
        frame,
        naive,
        "interval_start",
        "interval_start has no UTC offset",
        lambda p: f"interval_start {show(p)} has no UTC offset: add one, e.g. -05:00, or Z for UTC",
    )
    bad = unreadable | naive
    grid = config.site.interval_minutes if config is not None else 1
    stamp_values = stamps.dt
    off_grid = (
        (stamp_values.minute % grid != 0)
        | (stamp_values.second != 0)
        | (stamp_values.microsecond != 0)
        | (stamp_values.nanosecond != 0)
    ).to_numpy() & ~bad
    report.flag(
        frame,
        off_grid,
        "interval_start",
        f"interval_start is not on the {grid}-minute grid",
        lambda p: (
            f"interval_start {show(p)} is not on the {grid}-minute grid "
            f"(site.interval_minutes: intervals start at whole multiples of {grid} minutes "
            "past the hour, in UTC)"
        ),
    )
    return stamps, bad | off_grid


def _check_channels(
    frame: pd.DataFrame, config: Config | None, report: _Reporter
) -> tuple[pd.Series, np.ndarray]:
    """Channel names as configured (capitals as in config.toml) and the unknown ones."""
    text = frame["channel"]
    blank = (text == "").to_numpy()
    report.flag(frame, blank, "channel", "channel is empty", lambda _p: "channel is empty")
    if config is None or not config.channels:
        return text, blank
    names = {c.name.lower(): c.name for c in config.channels}
    channels = text.str.lower().map(names)
    unknown = channels.isna().to_numpy() & ~blank
    show = _texts(frame, "channel")
    listed = _listed(config.channel_names)
    report.flag(
        frame,
        unknown,
        "channel",
        "channel is not configured",
        lambda p: f"channel {show(p)} is not configured in config.toml (channels: {listed})",
    )
    return channels.fillna(text).astype(str), blank | unknown


def _numbers(frame: pd.DataFrame, column: str) -> tuple[pd.Series, np.ndarray, np.ndarray]:
    """Values, blank cells and cells that are text but not a finite number."""
    text = frame[column]
    blank = (text == "").to_numpy()
    values = pd.to_numeric(text, errors="coerce").astype(float)
    garbled = ~blank & ~np.isfinite(values.to_numpy())  # "x", and also "nan" or "inf"
    return values.where(~garbled), blank, garbled


def _check_volumes(frame: pd.DataFrame, report: _Reporter) -> tuple[dict[str, Any], np.ndarray]:
    """contacts >= 0; aht_seconds > 0 where there are contacts, blank or >= 0 where none."""
    contacts, blank, garbled = _numbers(frame, "contacts")
    show_contacts = _texts(frame, "contacts")
    report.flag(frame, blank, "contacts", "contacts is empty", lambda _p: "contacts is empty")
    report.flag(
        frame,
        garbled,
        "contacts",
        "contacts is not a number",
        lambda p: f"contacts {show_contacts(p)} is not a number",
    )
    negative = (contacts < 0).to_numpy()
    report.flag(
        frame,
        negative,
        "contacts",
        "contacts is negative",
        lambda p: f"contacts {show_contacts(p)} is negative; a count of contacts is 0 or more",
    )
    bad = blank | garbled | negative

    aht, aht_blank, aht_garbled = _numbers(frame, "aht_seconds")
    show_aht = _texts(frame, "aht_seconds")
    report.flag(
        frame,
        aht_garbled,
        "aht_seconds",
        "aht_seconds is not a number",
        lambda p: f"aht_seconds {show_aht(p)} is not a number",
    )
    busy = (contacts > 0).to_numpy()
    no_handle_time = busy & ~aht_garbled & (aht_blank | (aht <= 0).to_numpy())
    report.flag(
        frame,
        no_handle_time,
        "aht_seconds",
        "aht_seconds is not more than 0 where there are contacts",
        lambda p: (
            f"aht_seconds must be more than 0 when there are contacts "
            f"(contacts {show_contacts(p)}, aht_seconds {show_aht(p)})"
        ),
    )
    negative_idle = ~busy & (aht < 0).to_numpy()
    report.flag(
        frame,
        negative_idle,
        "aht_seconds",
        "aht_seconds is negative",
        lambda p: f"aht_seconds {show_aht(p)} is negative",
    )
    bad |= aht_garbled | no_handle_time | negative_idle
    return {"contacts": contacts, "aht_seconds": aht.fillna(0.0)}, bad


def _check_needs(frame: pd.DataFrame, report: _Reporter) -> tuple[dict[str, Any], np.ndarray]:
    """agents_needed and staff_needed whole numbers >= 0, staff >= agents; service level."""
    bad = np.zeros(len(frame), dtype=bool)
    counts: dict[str, pd.Series] = {}
    for column in ("agents_needed", "staff_needed"):
        values, blank, garbled = _numbers(frame, column)
        show = _texts(frame, column)
        wrong = blank | garbled | ~((values >= 0) & (values % 1 == 0)).to_numpy()
        report.flag(
            frame,
            wrong,
            column,
            f"{column} is not a whole number 0 or more",
            _saying(column, show, "is not a whole number 0 or more"),
        )
        bad |= wrong
        counts[column] = values
    short = ~bad & (counts["staff_needed"] < counts["agents_needed"]).to_numpy()
    show_agents, show_staff = _texts(frame, "agents_needed"), _texts(frame, "staff_needed")
    report.flag(
        frame,
        short,
        "staff_needed",
        "staff_needed is less than agents_needed",
        lambda p: (
            f"staff_needed {show_staff(p)} is less than agents_needed {show_agents(p)} "
            "(staff adds shrinkage to agents)"
        ),
    )
    bad |= short
    level, _blank, garbled = _numbers(frame, "service_level")
    show_level = _texts(frame, "service_level")
    out_of_range = garbled | ((level < 0) | (level > 1)).to_numpy()
    report.flag(
        frame,
        out_of_range,
        "service_level",
        "service_level is not a fraction 0 to 1",
        lambda p: f"service_level {show_level(p)} is not a fraction from 0 to 1",
    )
    bad |= out_of_range
    result = {
        "agents_needed": counts["agents_needed"].fillna(0).astype(np.int64),
        "staff_needed": counts["staff_needed"].fillna(0).astype(np.int64),
        "service_level": level,
    }
    return result, bad


def _check_duplicates(
    frame: pd.DataFrame,
    stamps: pd.Series,
    channels: pd.Series,
    bad: np.ndarray,
    report: _Reporter,
) -> np.ndarray:
    """Rows repeating the (interval, channel) of an earlier row (same instant, any offset)."""
    keys = pd.DataFrame({"t": stamps, "c": channels, "row": frame["_row"]})
    good = keys[~bad]
    repeated = good.duplicated(["t", "c"], keep="first")
    mask = np.zeros(len(frame), dtype=bool)
    mask[np.flatnonzero(~bad)[repeated.to_numpy()]] = True
    if not mask.any():
        return mask
    first = good.groupby(["t", "c"], sort=False)["row"].transform("first")
    first_row = np.zeros(len(frame), dtype=np.int64)
    first_row[~bad] = first.to_numpy()
    show = _texts(frame, "interval_start")
    report.flag(
        frame,
        mask,
        "interval_start",
        "the same interval and channel appear twice",
        lambda p: (
            f"interval {show(p)} for channel {channels.iat[p]} is already on row {first_row[p]}"
        ),
    )
    return mask


# --------------------------------------------------------------------------- writing


def interval_rows(frame: pd.DataFrame, columns: Sequence[str] = INTERVAL_COLUMNS) -> pd.DataFrame:
    """A forecast or requirements frame as file rows: UTC instants with ``Z``, and
    numbers rounded so float noise (0.30000000000000004) never reaches a file."""
    out = frame.loc[:, list(columns)].copy()
    out["interval_start"] = pd.DatetimeIndex(out["interval_start"]).strftime("%Y-%m-%dT%H:%M:%SZ")
    out["contacts"] = out["contacts"].round(3)
    out["aht_seconds"] = out["aht_seconds"].round(1)
    if "service_level" in out:
        out["service_level"] = out["service_level"].round(6)
    return out


def write_forecast(path: Path, frame: pd.DataFrame) -> None:
    """Write ``forecast.csv`` atomically."""
    write_csv(path, interval_rows(frame))


def write_requirements(path: Path, frame: pd.DataFrame) -> None:
    """Write ``requirements.csv`` atomically."""
    write_csv(path, interval_rows(frame, REQUIREMENT_COLUMNS))


# --------------------------------------------------------------------------- the data set


@dataclass
class DataSet:
    """Every contract input of a data folder, read and checked."""

    config: Config
    agents: list[Agent]
    availability: list[AvailabilityWindow]
    time_off: list[TimeOff]
    history: pd.DataFrame | None
    forecast: pd.DataFrame | None = None
    requirements: pd.DataFrame | None = None
    files: tuple[str, ...] = field(default=())
    """The contract files that were present and read."""


def _checkable(config: Config | None, rejected: Collection[str]) -> Config | None:
    """The config other files are checked against.

    A rejected key kept its default; for the keys other files depend on, use a
    value that makes the dependent check vacuous instead, so that one mistake in
    config.toml is not echoed by a problem on every row of another file.
    """
    if config is None:
        return None
    site, shifts = config.site, config.shifts
    if "site.interval_minutes" in rejected:
        site = dataclasses.replace(site, interval_minutes=1)
    if "site.approved_states" in rejected:
        site = dataclasses.replace(site, approved_states=tuple(STATE_ZONES))
    if "shifts.start_step_minutes" in rejected:
        shifts = dataclasses.replace(shifts, start_step_minutes=1)
    return dataclasses.replace(config, site=site, shifts=shifts)


def read_dataset(
    directory: Path,
    problems: Problems,
    *,
    need_history: bool = False,
    need_agents: bool = False,
) -> DataSet:
    """Read and check every contract file present in ``directory``; never raises.

    Every file is checked even when another has errors (with config.toml
    broken, what does not depend on it is still checked). The result is only
    trustworthy when ``problems`` holds no error; :func:`load_dataset` raises.
    """
    present = tuple(name for name in CONTRACT_FILES if (directory / name).is_file())
    parsed, rejected = parse_config_partial(directory / "config.toml", problems)
    config = _checkable(parsed, rejected)

    agents: list[Agent] = []
    people: set[str] | None = None  # every agent_id of agents.csv; None: cannot check
    if "agents.csv" in present:
        agents, people = _read_agents(directory / "agents.csv", config, problems)
    elif need_agents:
        problems.add("agents.csv", None, None, "file not found: the folder needs an agents.csv")

    def optional(name: str, read: Callable[[Path], Any], default: Any) -> Any:
        return read(directory / name) if name in present else default

    availability = optional(
        "availability.csv", lambda p: read_availability(p, people, problems), []
    )
    time_off = optional("time_off.csv", lambda p: read_time_off(p, people, problems), [])
    history = optional("history.csv", lambda p: read_history(p, config, problems), None)
    if need_history and "history.csv" not in present:
        problems.add("history.csv", None, None, "file not found: the folder needs a history.csv")
    forecast = optional("forecast.csv", lambda p: read_forecast(p, config, problems), None)
    requirements = optional(
        "requirements.csv", lambda p: read_requirements(p, config, problems), None
    )
    return DataSet(
        config=parsed or Config(),
        agents=agents,
        availability=availability,
        time_off=time_off,
        history=history,
        forecast=forecast,
        requirements=requirements,
        files=present,
    )


def load_dataset(
    directory: Path, *, need_history: bool = False, need_agents: bool = False
) -> DataSet:
    """Every contract file of ``directory``, checked; :class:`InputError` with ALL problems.

    ``config.toml`` is required; with ``need_history``/``need_agents`` so is that
    file. Warnings do not stop the load; they are logged.
    """
    problems = Problems()
    if not directory.is_dir():
        problems.add(str(directory), None, None, "folder not found")
        problems.raise_if_errors()
    data = read_dataset(directory, problems, need_history=need_history, need_agents=need_agents)
    problems.raise_if_errors()
    for warning in problems.warnings:
        log.warning("%s", warning)
    return data


# --------------------------------------------------------------------------- command-line dates


def parse_date_option(text: str, option: str, problems: Problems) -> date | None:
    """A ``YYYY-MM-DD`` command-line date, or None after adding a problem."""
    day = _iso_date(text.strip())
    if day is None:
        problems.add(
            "command line",
            None,
            option,
            f"{option} {text} is not a date YYYY-MM-DD, e.g. 2026-12-06",
        )
    return day


def check_horizon_start(
    start: date, config: Config, problems: Problems, option: str = "--start"
) -> None:
    """The horizon must start on the configured first day of the week."""
    first = config.site.week_start_index
    if start.weekday() == first:
        return
    before = start - timedelta(days=(start.weekday() - first) % 7)
    after = before + timedelta(days=7)
    problems.add(
        "command line",
        None,
        option,
        f"{start} is a {_DAY_NAMES[start.weekday()]}; the week starts on {config.site.week_starts} "
        f"(use {before} or {after})",
    )
