"""The roster's files: ``roster.csv`` and ``breaks.csv`` (CONTRACT.md), plus the two
optional inputs only the roster objective reads, ``preferences.csv`` and
``fairness_history.csv`` (docs/OBJECTIVE.md; ``solve`` also writes the next one).

Writers sort their rows so the same roster always gives the same bytes, and write
atomically. Readers collect every format problem (file, 1-based data row, column,
rule) into a :class:`~planner.data.problems.Problems` list instead of stopping at the
first one. A roster row that parses but whose fields disagree (local vs UTC time, the
date, the zone, paid hours, a flag, a break's kind or paid flag) is not a format problem
but a :class:`FieldFault`: ``check`` reports it as a roster fault (exit 1), while a roster
read as an input (``--previous``, ``validate``) counts it as bad input (exit 2). The
``evening``/``weekend``/``holiday`` flags and the extra ``closer`` column, and what a holiday
weighs, are pure functions of a shift (:func:`shift_flags`), so the writer, the solver's
candidates, the checker and the KPIs agree on them.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Literal, NamedTuple
from zoneinfo import ZoneInfo

from planner.data.atomic import atomic_open
from planner.data.holiday_calendar import HolidayCalendar
from planner.data.problems import Problems
from planner.data.zones import is_iana_zone
from planner.domain import (
    WEEKDAYS,
    Agent,
    Break,
    BreakKind,
    Config,
    FairnessConfig,
    Roster,
    Shift,
    Window,
)

ROSTER_COLUMNS = (
    "agent_id",
    "date",
    "start_local",
    "end_local",
    "timezone",
    "start_utc",
    "end_utc",
    "paid_hours",
    "evening",
    "weekend",
    "holiday",
)
ROSTER_EXTRA_COLUMNS = ("closer",)
"""Written after the contract's columns; optional when reading (CONTRACT.md allows extras)."""
BREAK_COLUMNS = ("agent_id", "start_utc", "end_utc", "kind", "paid")
PREFERENCE_COLUMNS = ("agent_id", "weekday", "kind", "start", "end")
FAIRNESS_KINDS = ("weekend", "evening", "holiday", "closer")
"""The kinds of shift fairness shares out, in array order (docs/OBJECTIVE.md "fairness")."""
FAIRNESS_HISTORY_COLUMNS = ("agent_id", *FAIRNESS_KINDS, "weeks", "hours", "through")
"""``fairness_history.csv``; only ``agent_id`` is required (a missing column counts 0)."""

PreferenceKind = Literal["day_off", "start_window"]


# --------------------------------------------------------------------------- flags


@dataclass(frozen=True)
class ShiftFlags:
    """The kinds of shift that fairness shares out (the ``roster.csv`` flags), and what the
    shift counts in the ``fairness`` term: 1 of each of its kinds, except a holiday, which
    counts its ``holiday_weight`` (Christmas Day 3 by default)."""

    evening: bool
    weekend: bool
    holiday: bool
    closer: bool = False
    holiday_weight: int = 1

    def count(self, kind: str) -> int:
        """1 when the shift is of ``kind`` (its ``roster.csv`` flag), else 0."""
        return int(getattr(self, kind))

    def units(self, kind: str) -> int:
        """What the shift adds to its agent's ``kind`` count in the ``fairness`` term."""
        if kind == "holiday":
            return self.holiday_weight if self.holiday else 0
        return self.count(kind)


def local_window(shift: Shift) -> Window:
    """The shift's local clock span in minutes after midnight of its own date.

    Read from the wall clock of the shift's zone, so a shift across the 2 a.m.
    change shows a span one hour shorter (fall back) or longer (spring forward)
    than its real elapsed length, and an end past midnight exceeds 1440.
    """
    start = shift.start_local
    end = shift.end_local
    start_min = (start.date() - shift.date).days * 1440 + start.hour * 60 + start.minute
    end_min = (end.date() - shift.date).days * 1440 + end.hour * 60 + end.minute
    return Window(start_min, end_min)


def is_evening(shift: Shift, config: Config) -> bool:
    """The shift ends after ``shifts.evening_ends_after`` local time, or past midnight."""
    end = local_window(shift).end
    return end > config.shifts.evening_ends_after or end > 1440


def is_closer(shift: Shift) -> bool:
    """The shift ends strictly after the instant the next local date (after its start date)
    begins in its zone: past local midnight. Compared as instants, so DST nights need no care;
    a shift ending at 00:00 exactly is not a closer."""
    start = shift.start_local
    next_day = start.date() + timedelta(days=1)
    return shift.end_utc > local_midnight(next_day, shift.timezone)


def name_key(text: str) -> str:
    """A holiday name without case, spaces or punctuation: "New Year's Day" -> "newyearsday"."""
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def holiday_weight(name: str | None, policy: FairnessConfig) -> int:
    """The weight of a worked holiday called ``name`` (``None``: not a holiday, 0).

    A ``fairness.holiday_weights`` entry matches when its name is contained in the holiday's
    name, both compared without case, spaces or punctuation ("Christmas Day" matches
    "Christmas Day (observed)", not "Day After Christmas"). The longest matching entry wins
    (so an entry for "Christmas Day (observed)" overrides "Christmas Day" on that day); among
    equally long ones the largest weight. No match: ``fairness.default_holiday_weight``.
    """
    if name is None:
        return 0
    text = name_key(name)
    best: tuple[int, int] | None = None
    for entry, weight in policy.holiday_weights:
        key = name_key(entry)
        if key and key in text and (best is None or (len(key), weight) > best):
            best = (len(key), weight)
    return policy.default_holiday_weight if best is None else best[1]


def is_weekend(shift: Shift) -> bool:
    """The shift starts on a local Saturday or Sunday."""
    return shift.start_local.date().weekday() >= 5


def is_holiday(shift: Shift, agent: Agent, calendar: HolidayCalendar) -> bool:
    """The shift's start date is a holiday of the calendar in force for ``agent``."""
    return calendar.for_agent(agent, shift.start_local.date()) is not None


def shift_flags(
    shift: Shift, agent: Agent, config: Config, calendar: HolidayCalendar
) -> ShiftFlags:
    """The ``evening``, ``weekend``, ``holiday`` (CONTRACT.md) and ``closer`` flags of one
    shift, and the weight of its holiday."""
    name = calendar.for_agent(agent, shift.start_local.date())
    return ShiftFlags(
        evening=is_evening(shift, config),
        weekend=is_weekend(shift),
        holiday=name is not None,
        closer=is_closer(shift),
        holiday_weight=holiday_weight(name, config.fairness) if name is not None else 1,
    )


# --------------------------------------------------------------------------- formatting


def format_hours(hours: float) -> str:
    """Hours as a short decimal: ``8``, ``7.5``, ``8.25`` (whole minutes, no float noise)."""
    minutes = round(hours * 60)
    text = f"{minutes / 60:.4f}".rstrip("0").rstrip(".")
    return text or "0"


def format_utc(instant: datetime) -> str:
    """``2026-12-07T01:00:00Z``."""
    return instant.astimezone(ZoneInfo("UTC")).strftime("%Y-%m-%dT%H:%M:%SZ")


def format_local(instant: datetime, zone: str) -> str:
    """ISO 8601 with the zone's offset at that instant: ``2026-12-06T17:00:00-08:00``."""
    return instant.astimezone(ZoneInfo(zone)).isoformat(timespec="seconds")


def _shift_sort_key(shift: Shift) -> tuple[date, str, datetime]:
    return (shift.date, shift.agent_id, shift.start_utc)


def _break_sort_key(item: Break) -> tuple[str, datetime, datetime, str]:
    return (item.agent_id, item.start_utc, item.end_utc, item.kind)


# --------------------------------------------------------------------------- writers


def roster_rows(
    roster: Roster | Iterable[Shift],
    agents: Iterable[Agent] | Mapping[str, Agent],
    config: Config,
    calendar: HolidayCalendar,
) -> list[dict[str, str]]:
    """The rows of ``roster.csv``, sorted by date, agent and start (strings, as written)."""
    shifts = roster.shifts if isinstance(roster, Roster) else tuple(roster)
    by_id = _agents_by_id(agents)
    rows = []
    for shift in sorted(shifts, key=_shift_sort_key):
        agent = by_id.get(shift.agent_id)
        if agent is None:
            raise KeyError(f"roster shift of unknown agent {shift.agent_id!r}")
        flags = shift_flags(shift, agent, config, calendar)
        rows.append(
            {
                "agent_id": shift.agent_id,
                "date": shift.date.isoformat(),
                "start_local": format_local(shift.start_utc, shift.timezone),
                "end_local": format_local(shift.end_utc, shift.timezone),
                "timezone": shift.timezone,
                "start_utc": format_utc(shift.start_utc),
                "end_utc": format_utc(shift.end_utc),
                "paid_hours": format_hours(shift.paid_hours),
                "evening": str(int(flags.evening)),
                "weekend": str(int(flags.weekend)),
                "holiday": str(int(flags.holiday)),
                "closer": str(int(flags.closer)),
            }
        )
    return rows


def write_roster(
    path: str | Path,
    roster: Roster | Iterable[Shift],
    agents: Iterable[Agent] | Mapping[str, Agent],
    config: Config,
    calendar: HolidayCalendar,
) -> None:
    """Write ``roster.csv`` (CONTRACT.md columns, sorted by date, agent, start) atomically."""
    rows = roster_rows(roster, agents, config, calendar)
    _write_rows(path, (*ROSTER_COLUMNS, *ROSTER_EXTRA_COLUMNS), rows)


def write_breaks(path: str | Path, breaks: Roster | Iterable[Break]) -> None:
    """Write ``breaks.csv`` (sorted by agent and start) atomically."""
    items = breaks.breaks if isinstance(breaks, Roster) else tuple(breaks)
    rows = [
        {
            "agent_id": item.agent_id,
            "start_utc": format_utc(item.start_utc),
            "end_utc": format_utc(item.end_utc),
            "kind": item.kind,
            "paid": str(int(item.paid)),
        }
        for item in sorted(items, key=_break_sort_key)
    ]
    _write_rows(path, BREAK_COLUMNS, rows)


def _write_rows(path: str | Path, columns: tuple[str, ...], rows: list[dict[str, str]]) -> None:
    with atomic_open(path) as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


# --------------------------------------------------------------------------- readers


def _read_rows(
    path: str | Path, columns: tuple[str, ...], problems: Problems, optional: tuple[str, ...] = ()
) -> list[dict[str, str]] | None:
    """CSV rows as dicts of stripped strings; ``None`` (and a problem) when unreadable."""
    name = str(path)
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            header = [h.strip() for h in (reader.fieldnames or [])]
            missing = [c for c in columns if c not in header and c not in optional]
            if missing:
                problems.add(name, None, ", ".join(missing), "missing column(s)")
                return None
            reader.fieldnames = header
            return [
                {k: (v or "").strip() for k, v in row.items() if isinstance(k, str)}
                for row in reader
            ]
    except FileNotFoundError:
        problems.add(name, None, None, "file not found")
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        problems.add(name, None, None, f"cannot read the file: {error}")
    return None


def _parse_instant(
    text: str, name: str, row: int, column: str, problems: Problems, *, to_utc: bool = True
) -> datetime | None:
    """An ISO 8601 timestamp that must carry an offset or ``Z`` (in UTC unless ``to_utc``
    is false: then with the offset written)."""
    if not text:
        problems.add(name, row, column, "is empty")
        return None
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        problems.add(name, row, column, f"{text!r} is not an ISO 8601 timestamp")
        return None
    if value.tzinfo is None or value.utcoffset() is None:
        problems.add(name, row, column, f"{text!r} has no UTC offset (add e.g. -05:00 or Z)")
        return None
    if value.second or value.microsecond:
        problems.add(name, row, column, f"{text!r} is not on a whole minute")
        return None
    return value.astimezone(ZoneInfo("UTC")) if to_utc else value


def _parse_flag(text: str, name: str, row: int, column: str, problems: Problems) -> bool | None:
    if text not in ("0", "1"):
        problems.add(name, row, column, f"{text!r} must be 0 or 1")
        return None
    return text == "1"


@dataclass(frozen=True)
class FieldFault:
    """A field of a ``roster.csv`` or ``breaks.csv`` row that parses but disagrees with the
    row's other fields or with the rules (CONTRACT.md). ``check`` reports it as a roster
    fault (exit 1); a reader of the roster as an input (``--previous``, ``validate``) as bad
    input (exit 2)."""

    file: str
    row: int
    column: str
    message: str
    agent_id: str
    date: date | None = None

    def __str__(self) -> str:
        return f"{self.file}, row {self.row}, column {self.column}: {self.message}"


class RosterRows(NamedTuple):
    """The shifts of ``roster.csv`` as best read, each one's 1-based data row, and the field
    faults found."""

    shifts: list[Shift]
    rows: list[int]
    faults: list[FieldFault]


class BreakRows(NamedTuple):
    """The breaks of ``breaks.csv`` as best read, each one's data row, and the field faults."""

    breaks: list[Break]
    rows: list[int]
    faults: list[FieldFault]


@dataclass(frozen=True)
class RosterSource:
    """Where a roster read from files came from, for the checker to name rows: each shift's
    and break's 1-based data row (in the order of ``Roster.shifts`` and ``Roster.breaks``)
    and the field faults found reading them."""

    roster_file: str
    shift_rows: tuple[int, ...]
    breaks_file: str | None = None
    break_rows: tuple[int, ...] = ()
    faults: tuple[FieldFault, ...] = ()


@dataclass
class _RowFaults:
    """Collects the field faults of one data row."""

    file: str
    row: int
    agent_id: str
    day: date | None
    found: list[FieldFault]

    def add(self, column: str, message: str) -> None:
        self.found.append(FieldFault(self.file, self.row, column, message, self.agent_id, self.day))


@dataclass(frozen=True)
class _WrittenShift:
    """One roster row's values as written, each parsed, none yet compared with another."""

    agent_id: str
    day: date
    zone: str
    start_utc: datetime
    end_utc: datetime
    start_local: datetime
    end_local: datetime
    paid: float
    flags: tuple[bool | None, ...]  # in FAIRNESS_KINDS order; None: no such column (closer)


def read_roster_rows(
    path: str | Path,
    problems: Problems,
    *,
    agents: Iterable[Agent] | Mapping[str, Agent] | None = None,
    config: Config | None = None,
    calendar: HolidayCalendar | None = None,
) -> RosterRows:
    """Read ``roster.csv``: what cannot be read as the format says (a missing column, an
    empty or unparsable value, a timestamp without offset, a flag other than 0/1) goes to
    ``problems``; fields that parse but disagree become :class:`FieldFault` s.

    Disagreements: a local time that is not the UTC instant, or not written with its zone's
    offset; a date that is not the local start date; a zone that is not the agent's; an end
    not after the start; paid hours more than a minute over the elapsed time; and, when
    ``agents``, ``config`` and ``calendar`` are given, a flag that is not
    :func:`shift_flags`'s. Each shift is read as best it can be: at its UTC instants, in
    its agent's zone, on its local start date (a shift that ends before it starts is left
    out). Paid hours against the breaks, and every rule, are :mod:`planner.verify`'s job.
    """
    name = str(path)
    result = RosterRows([], [], [])
    rows = _read_rows(path, ROSTER_COLUMNS, problems)
    if rows is None:
        return result
    by_id = _agents_by_id(agents)
    for number, row in enumerate(rows, start=1):
        written = _written_shift(row, number, name, problems)
        if written is None:
            continue
        agent = by_id.get(written.agent_id)
        zone = ZoneInfo(agent.timezone if agent is not None else written.zone)
        day = written.start_utc.astimezone(zone).date()  # the faults' local start date
        faults = _RowFaults(name, number, written.agent_id, day, result.faults)
        shift = _agreed_shift(written, agent, faults)
        if shift is None:
            continue
        if agent is not None and config is not None and calendar is not None:
            _check_flags(
                written, shift, shift_flags(shift, agent, config, calendar), config, faults
            )
        result.shifts.append(shift)
        result.rows.append(number)
    return result


def read_roster(
    path: str | Path,
    problems: Problems,
    *,
    agents: Iterable[Agent] | Mapping[str, Agent] | None = None,
    config: Config | None = None,
    calendar: HolidayCalendar | None = None,
) -> list[Shift]:
    """Read ``roster.csv`` as an input (``--previous``, ``validate``): like
    :func:`read_roster_rows`, but a field fault is bad input too (added to ``problems``)
    and rows with a fault are left out."""
    read = read_roster_rows(path, problems, agents=agents, config=config, calendar=calendar)
    add_faults(read.faults, problems)
    faulty = {f.row for f in read.faults}
    return [s for s, row in zip(read.shifts, read.rows, strict=True) if row not in faulty]


def add_faults(faults: Iterable[FieldFault], problems: Problems) -> None:
    """Field faults as bad-input problems (for files read as inputs)."""
    for fault in faults:
        problems.add(fault.file, fault.row, fault.column, fault.message)


def _written_shift(
    row: dict[str, str], number: int, name: str, problems: Problems
) -> _WrittenShift | None:
    """The row's values, or ``None`` (and problems) when one cannot be read."""
    before = len(problems)
    if not row["agent_id"]:
        problems.add(name, number, "agent_id", "is empty")
    zone = row["timezone"]
    if not zone or not is_iana_zone(zone):
        problems.add(name, number, "timezone", f"{zone!r} is not an IANA time zone")
    day: date | None = None
    try:
        day = date.fromisoformat(row["date"])
    except ValueError:
        problems.add(name, number, "date", f"{row['date']!r} is not a YYYY-MM-DD date")
    instants = {
        column: _parse_instant(
            row[column], name, number, column, problems, to_utc=column.endswith("utc")
        )
        for column in ("start_utc", "end_utc", "start_local", "end_local")
    }
    paid = _parse_hours(row["paid_hours"], name, number, problems)
    flags = [
        _parse_flag(row[kind], name, number, kind, problems) if kind in row else None
        for kind in FAIRNESS_KINDS
    ]
    if len(problems) > before:
        return None
    assert day is not None
    assert paid is not None
    start_utc, end_utc, start_local, end_local = (v for v in instants.values() if v is not None)
    return _WrittenShift(
        row["agent_id"],
        day,
        zone,
        start_utc,
        end_utc,
        start_local,
        end_local,
        paid,
        tuple(flags),  # every present flag parsed (a problem above otherwise)
    )


def _parse_hours(text: str, name: str, row: int, problems: Problems) -> float | None:
    """``paid_hours``: a positive, finite number."""
    try:
        paid = float(text)
    except ValueError:
        problems.add(name, row, "paid_hours", f"{text!r} is not a number")
        return None
    if not 0 < paid < float("inf"):
        problems.add(name, row, "paid_hours", f"{text!r} must be positive")
        return None
    return paid


def _agreed_shift(written: _WrittenShift, agent: Agent | None, faults: _RowFaults) -> Shift | None:
    """The shift at its UTC instants in its agent's zone, faulting each field that
    disagrees; ``None`` when it ends before it starts.

    A row written wholly in another zone, or in the agent's zone but naming another, has
    one fault, its ``timezone``: local offsets and the date may follow either zone.
    """
    zone = agent.timezone if agent is not None else written.zone
    zones = dict.fromkeys((written.zone, zone))
    for column, local, utc in (
        ("start_local", written.start_local, written.start_utc),
        ("end_local", written.end_local, written.end_utc),
    ):
        if local != utc:
            faults.add(
                column,
                f"{local.isoformat()} is not the same instant as {format_utc(utc)} "
                f"({column[:-6]}_utc)",
            )
        elif all(local.utcoffset() != utc.astimezone(ZoneInfo(z)).utcoffset() for z in zones):
            faults.add(
                column,
                f"the offset of {local.isoformat()} is not {written.zone}'s at that instant "
                f"({format_local(utc, written.zone)})",
            )
    local_days = [written.start_utc.astimezone(ZoneInfo(z)).date() for z in zones]
    if written.day not in local_days:
        faults.add(
            "date", f"{written.day} is not the local start date {local_days[0]} in {written.zone}"
        )
    if zone != written.zone:
        faults.add(
            "timezone", f"{written.zone} is not the zone of {written.agent_id}, who works in {zone}"
        )
    elapsed = (written.end_utc - written.start_utc).total_seconds() / 60
    if elapsed <= 0:
        faults.add("end_utc", "the shift must end after it starts")
        return None
    if written.paid * 60 > elapsed + 1:  # within one minute agrees (CONTRACT.md)
        faults.add(
            "paid_hours",
            f"{format_hours(written.paid)} h paid is more than the "
            f"{format_hours(elapsed / 60)} h the shift lasts",
        )
    day = written.start_utc.astimezone(ZoneInfo(zone)).date()
    return Shift(written.agent_id, day, written.start_utc, written.end_utc, zone, written.paid)


def _check_flags(
    written: _WrittenShift, shift: Shift, flags: ShiftFlags, config: Config, faults: _RowFaults
) -> None:
    for kind, said in zip(FAIRNESS_KINDS, written.flags, strict=True):
        right = flags.count(kind)
        if said is not None and said != bool(right):
            faults.add(
                kind,
                f"says {int(said)} but the shift {_kind_reason(kind, shift, config)} "
                f"so it should be {right}",
            )


def _kind_reason(kind: str, shift: Shift, config: Config) -> str:
    if kind == "evening":
        limit = _clock(config.shifts.evening_ends_after)
        return f"ends at {shift.end_local:%Y-%m-%d %H:%M} local (evening = after {limit})"
    if kind == "weekend":
        return f"starts on a {WEEKDAYS[shift.start_local.weekday()]}"
    if kind == "closer":
        return f"ends at {shift.end_local:%Y-%m-%d %H:%M} local (closer = after midnight)"
    return f"starts on {shift.date.isoformat()}"


def _clock(minutes: int) -> str:
    return f"{minutes // 60 % 24:02d}:{minutes % 60:02d}"


def read_break_rows(
    path: str | Path,
    problems: Problems,
    *,
    agents: Iterable[Agent] | Mapping[str, Agent] | None = None,
    config: Config | None = None,
) -> BreakRows:
    """Read ``breaks.csv``: unreadable values go to ``problems``; fields that parse but
    disagree become :class:`FieldFault` s: a kind other than ``meal``/``rest`` (read as a
    meal when unpaid, a rest when paid), an end not after the start (left out) and, with
    ``config``, a paid flag other than the break policy's (read as the policy says)."""
    name = str(path)
    result = BreakRows([], [], [])
    rows = _read_rows(path, BREAK_COLUMNS, problems)
    if rows is None:
        return result
    by_id = _agents_by_id(agents)
    for number, row in enumerate(rows, start=1):
        before = len(problems)
        agent_id = row["agent_id"]
        if not agent_id:
            problems.add(name, number, "agent_id", "is empty")
        start = _parse_instant(row["start_utc"], name, number, "start_utc", problems)
        end = _parse_instant(row["end_utc"], name, number, "end_utc", problems)
        paid = _parse_flag(row["paid"], name, number, "paid", problems)
        if len(problems) > before or start is None or end is None or paid is None:
            continue
        agent = by_id.get(agent_id)
        day = start.astimezone(agent.zone).date() if agent is not None else None
        faults = _RowFaults(name, number, agent_id, day, result.faults)
        item = _agreed_break(Break(agent_id, start, end, "meal", paid), row["kind"], config, faults)
        if item is not None:
            result.breaks.append(item)
            result.rows.append(number)
    return result


def _agreed_break(
    item: Break, kind_text: str, config: Config | None, faults: _RowFaults
) -> Break | None:
    kind: BreakKind = "rest" if kind_text == "rest" else "meal"
    if kind_text not in ("meal", "rest"):
        kind = "rest" if item.paid else "meal"
        faults.add(
            "kind",
            f"{kind_text!r} must be meal or rest (read as a {kind}, being "
            f"{'paid' if item.paid else 'unpaid'})",
        )
    if item.end_utc <= item.start_utc:
        faults.add("end_utc", "the break must end after it starts")
        return None
    paid = item.paid
    if config is not None:
        paid = config.breaks.meal_paid if kind == "meal" else config.breaks.rest_paid
        if paid != item.paid:
            faults.add(
                "paid",
                f"says {int(item.paid)} but the break policy makes a {kind} "
                f"{'paid' if paid else 'unpaid'} (breaks.{kind}_paid), so it should be "
                f"{int(paid)}",
            )
    return replace(item, kind=kind, paid=paid)


def read_breaks(
    path: str | Path,
    problems: Problems,
    *,
    agents: Iterable[Agent] | Mapping[str, Agent] | None = None,
    config: Config | None = None,
) -> list[Break]:
    """Read ``breaks.csv`` as an input: like :func:`read_break_rows`, but a field fault is
    bad input too and rows with a fault are left out."""
    read = read_break_rows(path, problems, agents=agents, config=config)
    add_faults(read.faults, problems)
    faulty = {f.row for f in read.faults}
    return [b for b, row in zip(read.breaks, read.rows, strict=True) if row not in faulty]


def read_roster_source(
    roster_path: str | Path,
    breaks_path: str | Path | None,
    problems: Problems,
    *,
    agents: Iterable[Agent] | Mapping[str, Agent] | None = None,
    config: Config | None = None,
    calendar: HolidayCalendar | None = None,
) -> tuple[Roster, RosterSource]:
    """The roster to check (``roster.csv`` and, when given, ``breaks.csv``) as best read,
    and where each shift and break came from with the field faults found; what cannot be
    read goes to ``problems``."""
    shifts = read_roster_rows(
        roster_path, problems, agents=agents, config=config, calendar=calendar
    )
    breaks = BreakRows([], [], [])
    if breaks_path is not None:
        breaks = read_break_rows(breaks_path, problems, agents=agents, config=config)
    source = RosterSource(
        roster_file=str(roster_path),
        shift_rows=tuple(shifts.rows),
        breaks_file=None if breaks_path is None else str(breaks_path),
        break_rows=tuple(breaks.rows),
        faults=(*shifts.faults, *breaks.faults),
    )
    return Roster(tuple(shifts.shifts), tuple(breaks.breaks)), source


# --------------------------------------------------------------------------- objective inputs


@dataclass(frozen=True)
class Preference:
    """One row of ``preferences.csv``: a weekday off, or a window of preferred start times.

    ``window`` (``start_window`` only) holds local start times in minutes after
    midnight, both ends included; an end before the start wraps past midnight.
    """

    agent_id: str
    weekday: int
    kind: PreferenceKind
    window: Window | None = None


def _parse_hhmm(text: str) -> int | None:
    parts = text.split(":")
    if len(parts) != 2 or not all(p.isdigit() for p in parts):
        return None
    hours, minutes = int(parts[0]), int(parts[1])
    if not (0 <= hours <= 24 and 0 <= minutes < 60) or hours * 60 + minutes > 1440:
        return None
    return hours * 60 + minutes


def read_preferences(
    path: str | Path, agents: Iterable[Agent] | Mapping[str, Agent], problems: Problems
) -> list[Preference]:
    """Read ``preferences.csv`` (``agent_id, weekday, kind, start, end``)."""
    name = str(path)
    rows = _read_rows(path, PREFERENCE_COLUMNS, problems, optional=("start", "end"))
    if rows is None:
        return []
    known = _agents_by_id(agents)
    result = []
    for number, row in enumerate(rows, start=1):
        before = len(problems)
        agent_id = row["agent_id"]
        if agent_id not in known:
            problems.add(name, number, "agent_id", f"{agent_id!r} is not in agents.csv")
        weekday_text = row["weekday"].strip().title()[:3]
        if weekday_text not in WEEKDAYS:
            problems.add(name, number, "weekday", f"{row['weekday']!r} must be Mon..Sun")
        kind = row["kind"]
        window: Window | None = None
        start_text, end_text = row.get("start", ""), row.get("end", "")
        if kind == "day_off":
            if start_text or end_text:
                problems.add(name, number, "start", "must be blank for a day_off row")
        elif kind == "start_window":
            start, end = _parse_hhmm(start_text), _parse_hhmm(end_text)
            if start is None:
                problems.add(name, number, "start", f"{start_text!r} is not HH:MM")
            if end is None:
                problems.add(name, number, "end", f"{end_text!r} is not HH:MM")
            if start is not None and end is not None:
                window = Window(start, end)
        else:
            problems.add(name, number, "kind", f"{kind!r} must be day_off or start_window")
        if len(problems) > before:
            continue
        result.append(
            Preference(
                agent_id,
                WEEKDAYS.index(weekday_text),
                "day_off" if kind == "day_off" else "start_window",
                window,
            )
        )
    return result


@dataclass(frozen=True)
class FairnessCarry:
    """One row of ``fairness_history.csv``: what an agent brings from earlier periods.

    ``counts`` per fairness kind (holidays in weighted units, as the ``fairness`` term counts
    them); ``weeks`` employed and ``minutes`` of contracted time over those weeks (the file's
    ``hours`` x 60), the agent's carried exposure; ``through`` the last date the counts cover
    (``None`` when the file does not say).
    """

    counts: Mapping[str, int] = field(default_factory=dict)
    weeks: int = 0
    minutes: int = 0
    through: date | None = None

    def count(self, kind: str) -> int:
        """The carried count of ``kind`` (0 when the file has no such column)."""
        return int(self.counts.get(kind, 0))


FairnessHistory = Mapping[str, FairnessCarry]
"""``fairness_history.csv`` by agent id."""


def read_fairness_history(
    path: str | Path, agents: Iterable[Agent] | Mapping[str, Agent], problems: Problems
) -> dict[str, FairnessCarry]:
    """Read ``fairness_history.csv`` (docs/OBJECTIVE.md "fairness").

    Columns ``agent_id`` (required), ``weekend, evening, holiday, closer`` (whole counts),
    ``weeks`` (whole), ``hours`` (a number), ``through`` (``YYYY-MM-DD``); a missing column or
    blank cell counts 0, so the first format (``agent_id, weekend, evening, holiday``) still
    reads. Without an ``hours`` column the carried hours are ``weeks`` x the agent's
    ``max_weekly_hours``. An agent not in ``agents.csv`` (someone who left) is a warning; the
    row is kept, so the history written next carries it on unchanged.
    """
    name = str(path)
    rows = _read_rows(
        path, FAIRNESS_HISTORY_COLUMNS, problems, optional=FAIRNESS_HISTORY_COLUMNS[1:]
    )
    if rows is None:
        return {}
    known = _agents_by_id(agents)
    result: dict[str, FairnessCarry] = {}
    for number, row in enumerate(rows, start=1):
        agent_id = row["agent_id"]
        if not agent_id:
            problems.add(name, number, "agent_id", "is empty")
            continue
        if agent_id in result:
            problems.add(name, number, "agent_id", f"{agent_id!r} appears twice")
            continue
        carry = _fairness_row(row, number, name, known.get(agent_id), problems)
        if carry is None:
            continue
        if agent_id not in known:
            problems.add(
                name,
                number,
                "agent_id",
                f"{agent_id!r} is not in agents.csv: carried on unchanged, compared with nobody",
                "warning",
            )
        result[agent_id] = carry
    return result


def _fairness_row(
    row: dict[str, str], number: int, name: str, agent: Agent | None, problems: Problems
) -> FairnessCarry | None:
    before = len(problems)
    whole: dict[str, int] = {}
    for column in (*FAIRNESS_KINDS, "weeks"):
        text = row.get(column, "") or "0"
        if not text.isdigit():
            problems.add(name, number, column, f"{text!r} must be a whole number >= 0")
            continue
        whole[column] = int(text)
    hours: float | None = None
    text = row.get("hours", "")
    if text:
        try:
            hours = float(text)
        except ValueError:
            hours = None
        if hours is None or not 0 <= hours < float("inf"):
            problems.add(name, number, "hours", f"{text!r} must be a number of hours >= 0")
        elif "weeks" in whole and hours > 60 * whole["weeks"] + 1e-9:
            problems.add(
                name,
                number,
                "hours",
                f"{text} h is more than 60 h a week over {whole['weeks']} weeks",
            )
    through: date | None = None
    if text := row.get("through", ""):
        try:
            through = date.fromisoformat(text)
        except ValueError:
            problems.add(name, number, "through", f"{text!r} is not a YYYY-MM-DD date")
    if len(problems) > before:
        return None
    weeks = whole["weeks"]
    if hours is None:
        hours = weeks * agent.max_weekly_hours if agent is not None else 0.0
    return FairnessCarry(
        counts={kind: whole[kind] for kind in FAIRNESS_KINDS},
        weeks=weeks,
        minutes=round(hours * 60),
        through=through,
    )


def write_fairness_history(path: str | Path, history: FairnessHistory) -> None:
    """Write ``fairness_history.csv`` (every column, sorted by agent) atomically."""
    rows = [
        {
            "agent_id": agent_id,
            **{kind: str(carry.count(kind)) for kind in FAIRNESS_KINDS},
            "weeks": str(carry.weeks),
            "hours": format_hours(carry.minutes / 60),
            "through": carry.through.isoformat() if carry.through is not None else "",
        }
        for agent_id, carry in sorted(history.items())
    ]
    _write_rows(path, FAIRNESS_HISTORY_COLUMNS, rows)


def _agents_by_id(agents: Iterable[Agent] | Mapping[str, Agent] | None) -> dict[str, Agent]:
    if agents is None:
        return {}
    if isinstance(agents, Mapping):
        return dict(agents)
    return {a.agent_id: a for a in agents}


def local_midnight(day: date, zone: str) -> datetime:
    """The instant a local date begins in ``zone`` (DST-safe: midnight always exists here)."""
    return datetime(day.year, day.month, day.day, tzinfo=ZoneInfo(zone))


def local_day_bounds(day: date, zone: str) -> tuple[datetime, datetime]:
    """The real instants ``[start, end)`` of a local date (23, 24 or 25 hours long)."""
    nxt = day + timedelta(days=1)
    return local_midnight(day, zone), local_midnight(nxt, zone)
