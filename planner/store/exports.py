"""Exports of stored rosters: an agent's calendar (``.ics``), the roster as ``roster.csv`` and
as an Excel workbook.

The calendar gives every shift in the agent's own zone (``DTSTART;TZID=America/Chicago:...``,
with the zone's ``VTIMEZONE``), the breaks in the description, and a UID that stays the same for
the same agent, local date and shift of the day, whatever version it came from: importing a
newer calendar updates the events instead of adding copies (``SEQUENCE`` is the version number).
A shift that a later version took away is sent as a cancelled event with its old UID.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from planner.data.roster_io import (
    BREAK_COLUMNS,
    ROSTER_COLUMNS,
    ROSTER_EXTRA_COLUMNS,
    format_hours,
    format_local,
    format_utc,
)

PRODID = "-//Coverage planner//Roster//EN"
SHIFT_COLUMNS = (*ROSTER_COLUMNS, *ROSTER_EXTRA_COLUMNS)
"""The columns of an exported ``roster.csv``: the contract's, then ``closer``."""


@dataclass(frozen=True)
class ShiftView:
    """A stored shift, as the dashboard and the exports see it."""

    agent_id: str
    date: date
    start_utc: datetime
    end_utc: datetime
    timezone: str
    paid_hours: float
    evening: bool
    weekend: bool
    holiday: bool
    closer: bool = False
    version: int | None = None
    published_at: datetime | None = None


@dataclass(frozen=True)
class BreakView:
    agent_id: str
    start_utc: datetime
    end_utc: datetime
    kind: str
    paid: bool


# --------------------------------------------------------------------------- CSV and Excel


def roster_table(shifts: Iterable[ShiftView]) -> list[dict[str, str]]:
    """The rows of ``roster.csv`` (CONTRACT.md, and ``closer`` after them, as ``solve`` writes
    it), sorted by date, agent and start."""
    rows = []
    for s in sorted(shifts, key=lambda s: (s.date, s.agent_id, s.start_utc)):
        rows.append(
            {
                "agent_id": s.agent_id,
                "date": s.date.isoformat(),
                "start_local": format_local(s.start_utc, s.timezone),
                "end_local": format_local(s.end_utc, s.timezone),
                "timezone": s.timezone,
                "start_utc": format_utc(s.start_utc),
                "end_utc": format_utc(s.end_utc),
                "paid_hours": format_hours(s.paid_hours),
                "evening": str(int(s.evening)),
                "weekend": str(int(s.weekend)),
                "holiday": str(int(s.holiday)),
                "closer": str(int(s.closer)),
            }
        )
    return rows


def break_table(breaks: Iterable[BreakView]) -> list[dict[str, str]]:
    """The rows of ``breaks.csv``, sorted by agent and start."""
    return [
        {
            "agent_id": b.agent_id,
            "start_utc": format_utc(b.start_utc),
            "end_utc": format_utc(b.end_utc),
            "kind": b.kind,
            "paid": str(int(b.paid)),
        }
        for b in sorted(breaks, key=lambda b: (b.agent_id, b.start_utc, b.end_utc, b.kind))
    ]


def _csv(columns: Sequence[str], rows: list[dict[str, str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def roster_csv(shifts: Iterable[ShiftView]) -> bytes:
    """``roster.csv`` bytes, as ``solve`` writes the file: ``python -m planner check`` reads
    them back."""
    return _csv(SHIFT_COLUMNS, roster_table(shifts))


def breaks_csv(breaks: Iterable[BreakView]) -> bytes:
    """``breaks.csv`` bytes."""
    return _csv(BREAK_COLUMNS, break_table(breaks))


def roster_xlsx(
    shifts: Iterable[ShiftView], breaks: Iterable[BreakView], names: dict[str, str]
) -> bytes:
    """An Excel workbook: a Roster sheet (the ``roster.csv`` columns plus the agent's name;
    hours as numbers) and a Breaks sheet."""
    from openpyxl import Workbook  # noqa: PLC0415 - only for a workbook: a slow import

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Roster"
    sheet.append(["agent_id", "name", *SHIFT_COLUMNS[1:]])
    for row in roster_table(shifts):
        values: list[object] = [row[c] for c in SHIFT_COLUMNS]
        values[7] = float(row["paid_hours"])
        values[8:] = [int(row[c]) for c in SHIFT_COLUMNS[8:]]
        sheet.append([values[0], names.get(row["agent_id"], ""), *values[1:]])
    pauses = book.create_sheet("Breaks")
    pauses.append(list(BREAK_COLUMNS))
    for row in break_table(breaks):
        pauses.append([row[c] for c in BREAK_COLUMNS[:-1]] + [int(row["paid"])])
    for ws in (sheet, pauses):
        ws.freeze_panes = "A2"
        for column in ws.columns:
            width = max(len(str(cell.value or "")) for cell in column)
            ws.column_dimensions[column[0].column_letter].width = min(30, width + 2)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --------------------------------------------------------------------------- calendar


def shift_uid(team_id: int, agent_id: str, day: date, index: int) -> str:
    """The same for the same agent, local date and n-th shift of that date, in any version."""
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", agent_id)
    return f"planner-{team_id}-{safe}-{day:%Y%m%d}-{index}@coverage-planner"


def _slots(shifts: Iterable[ShiftView]) -> dict[tuple[date, int], ShiftView]:
    by_day: dict[date, list[ShiftView]] = defaultdict(list)
    for s in shifts:
        by_day[s.date].append(s)
    return {
        (day, n): s
        for day, items in by_day.items()
        for n, s in enumerate(sorted(items, key=lambda s: s.start_utc), start=1)
    }


def _clock(instant: datetime, zone: ZoneInfo) -> str:
    return instant.astimezone(zone).strftime("%H:%M")


def _description(shift: ShiftView, breaks: Sequence[BreakView]) -> str:
    zone = ZoneInfo(shift.timezone)
    lines = [f"Paid hours: {format_hours(shift.paid_hours)}"]
    inside = [b for b in breaks if shift.start_utc <= b.start_utc < shift.end_utc]
    if inside:
        lines.append("Breaks:")
        for b in sorted(inside, key=lambda b: b.start_utc):
            paid = "paid" if b.paid else "unpaid"
            span = f"{_clock(b.start_utc, zone)}-{_clock(b.end_utc, zone)}"
            lines.append(f"- {b.kind} {span} ({paid})")
    else:
        lines.append("Breaks: none")
    return "\n".join(lines)


def agent_calendar(
    team_id: int,
    agent_id: str,
    name: str,
    shifts: Sequence[ShiftView],
    breaks: Sequence[BreakView],
    *,
    cancelled: Sequence[ShiftView] = (),
) -> bytes:
    """The ``.ics`` of one agent's published shifts (see the module docstring). ``cancelled``
    are shifts of earlier versions that the roster in force no longer has."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", f"Shifts of {name or agent_id}")
    present = _slots(shifts)
    for (day, n), shift in sorted(present.items()):
        calendar.add_component(_event(team_id, day, n, shift, _description(shift, breaks)))
    for (day, n), shift in sorted(_slots(cancelled).items()):
        if (day, n) not in present:
            event = _event(team_id, day, n, shift, "Cancelled: no longer on the roster")
            event.add("status", "CANCELLED")
            calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def _event(team_id: int, day: date, n: int, shift: ShiftView, description: str) -> Event:
    zone = ZoneInfo(shift.timezone)
    event = Event()
    event.add("uid", shift_uid(team_id, shift.agent_id, day, n))
    event.add("dtstamp", shift.published_at or datetime.now(ZoneInfo("UTC")))
    event.add("sequence", shift.version or 0)
    event.add("dtstart", shift.start_utc.astimezone(zone))
    event.add("dtend", shift.end_utc.astimezone(zone))
    event.add("summary", f"Shift ({format_hours(shift.paid_hours)} h)")
    event.add("description", description)
    return event
