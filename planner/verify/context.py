"""What every check reads (the roster and its inputs), what it reports, and the small time
and text helpers the checks share.

Part of the independent checker (:mod:`planner.verify.check`); never imports OR-Tools.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property
from typing import TypeAlias
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt

from planner.data.holiday_calendar import HolidayCalendar
from planner.data.roster_io import (
    RosterSource,
    format_hours,
)
from planner.domain import (
    Agent,
    AgentRules,
    AvailabilityWindow,
    Break,
    Config,
    Horizon,
    Roster,
    Shift,
    Window,
)

IntArray: TypeAlias = npt.NDArray[np.int64]


FloatArray: TypeAlias = npt.NDArray[np.float64]


CONTRACT_GROUPS = ("full_time", "part_time")


@dataclass(frozen=True)
class Violation:
    """One roster fault: which rule (``fields`` for fields that disagree), whose, on which
    local date, in a manager's words; and, when the fault sits in one field of a file row,
    that file, its 1-based data row and the column."""

    rule: str
    agent_id: str
    date: date | None
    message: str
    file: str | None = None
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        day = self.date.isoformat() if self.date is not None else "-"
        return f"{self.rule}\t{self.agent_id}\t{day}\t{self.where}{self.message}"

    @property
    def where(self) -> str:
        """``roster.csv, row 3, column paid_hours: `` (empty when not in one row)."""
        if self.row is None:
            return ""
        column = f", column {self.column}" if self.column else ""
        return f"{self.file}, row {self.row}{column}: "

    @property
    def place(self) -> Place:
        return (self.file, self.row, self.column)


Place: TypeAlias = tuple[str | None, int | None, str | None]
"""(file, 1-based data row, column) of a fault, or ``(None, None, None)``."""

NOWHERE: Place = (None, None, None)


def agents_by_id(agents: Iterable[Agent] | Mapping[str, Agent]) -> dict[str, Agent]:
    if isinstance(agents, Mapping):
        return dict(agents)
    return {a.agent_id: a for a in agents}


@dataclass(frozen=True)
class CheckContext:
    """Everything one rule check reads, prepared once (shifts sorted per agent, etc.)."""

    roster: Roster
    agents: Mapping[str, Agent]
    config: Config
    horizon: Horizon
    calendar: HolidayCalendar
    availability: Mapping[str, tuple[AvailabilityWindow, ...]] = field(default_factory=dict)
    time_off: Mapping[str, frozenset[date]] = field(default_factory=dict)
    previous: tuple[Shift, ...] = ()
    breaks_given: bool = True
    source: RosterSource | None = None
    agent_rules: Mapping[str, AgentRules] = field(default_factory=dict)
    """``agent_rules.csv`` rows by agent: their own limits of the contract rules."""

    @cached_property
    def _shift_rows(self) -> dict[Shift, int]:
        if self.source is None:
            return {}
        return dict(zip(self.roster.shifts, self.source.shift_rows, strict=True))

    def shift_place(self, shift: Shift, column: str) -> Place:
        """Where ``shift``'s ``column`` was read from, when the roster came from a file."""
        row = self._shift_rows.get(shift)
        if row is None or self.source is None:
            return NOWHERE
        return (self.source.roster_file, row, column)

    @cached_property
    def shifts_by_agent(self) -> dict[str, list[Shift]]:
        """Roster shifts per agent, sorted by start."""
        grouped: dict[str, list[Shift]] = defaultdict(list)
        for shift in sorted(self.roster.shifts, key=lambda s: (s.start_utc, s.end_utc)):
            grouped[shift.agent_id].append(shift)
        return dict(grouped)

    @cached_property
    def before_by_agent(self) -> dict[str, list[Shift]]:
        """``previous`` shifts on local dates before the horizon start, per agent, by start."""
        grouped: dict[str, list[Shift]] = defaultdict(list)
        for shift in sorted(self.previous, key=lambda s: (s.start_utc, s.end_utc)):
            if shift.date < self.horizon.start:
                grouped[shift.agent_id].append(shift)
        return dict(grouped)

    @cached_property
    def breaks_by_agent(self) -> dict[str, list[Break]]:
        grouped: dict[str, list[Break]] = defaultdict(list)
        for item in sorted(self.roster.breaks, key=lambda b: (b.start_utc, b.end_utc)):
            grouped[item.agent_id].append(item)
        return dict(grouped)

    def known_shifts(self) -> Iterable[tuple[Agent, list[Shift]]]:
        """(agent, their roster shifts) for every roster agent present in agents.csv."""
        for agent_id, shifts in sorted(self.shifts_by_agent.items()):
            agent = self.agents.get(agent_id)
            if agent is not None:
                yield agent, shifts

    def shift_breaks(self, shift: Shift) -> list[Break]:
        """The agent's breaks that overlap ``shift`` (inside it, if the roster is right)."""
        return [
            b
            for b in self.breaks_by_agent.get(shift.agent_id, ())
            if b.start_utc < shift.end_utc and b.end_utc > shift.start_utc
        ]


def hm(minutes: float) -> str:
    """Minutes as hours for a manager: ``8.5 h``, ``10 h``."""
    return f"{format_hours(minutes / 60)} h"


def local_time(instant: datetime, zone: str) -> datetime:
    return instant.astimezone(ZoneInfo(zone))


def when(instant: datetime, zone: str) -> str:
    return f"{local_time(instant, zone):%Y-%m-%d %H:%M}"


def span_text(shift: Shift) -> str:
    """``2026-12-07 08:00–16:30`` in the shift's own zone (end date shown when it differs)."""
    start = shift.start_local
    end = shift.end_local
    end_text = f"{end:%H:%M}" if end.date() == start.date() else f"{end:%Y-%m-%d %H:%M}"
    return f"{start:%Y-%m-%d %H:%M}–{end_text}"


def clock_text(minutes: int) -> str:
    """Minutes after midnight as ``HH:MM``: ``24:00`` for midnight at the end of the day,
    ``02:00 next day`` past it."""
    if minutes == 1440:
        return "24:00"
    text = f"{minutes // 60 % 24:02d}:{minutes % 60:02d}"
    return text + " next day" if minutes > 1440 else text


def window_text(window: Window) -> str:
    return f"{clock_text(window.start)}–{clock_text(window.end)}"


def whole_minutes(delta: timedelta) -> int:
    return round(delta.total_seconds() / 60)


def shift_paid_minutes(shift: Shift) -> int:
    return round(shift.paid_hours * 60)


def epoch_minutes(instant: datetime) -> int:
    return int(instant.timestamp()) // 60


def week_label(horizon: Horizon, week: int) -> str:
    return f"the week of {horizon.start + timedelta(days=7 * week)}"


RuleCheck: TypeAlias = Callable[[CheckContext], list[Violation]]
