"""FLSA workweeks read again from the roster's own files (docs/OBJECTIVE.md "Workweeks").

Hours belong to the workweek in which they are worked (29 CFR 778.104). A workweek starts
every week on ``rules.workweek_start_day`` (default ``site.week_starts``) at
``rules.workweek_start_time`` (default 00:00) in business time; a start the clock skips is read
with the offset before the change (:mod:`zoneinfo`, ``fold=0``). A shift over a workweek start
is paid, in each workweek, its elapsed minutes there less the unpaid break minutes
(``breaks.csv``) there; unpaid minutes that no break names (no breaks file, a ``--previous``
shift) lie in the larger part of the shift (the earlier one on a tie).

Part of the independent checker (:mod:`planner.verify.check`); never imports OR-Tools.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from planner.domain import Break, Config, Horizon, Roster, Shift
from planner.verify.context import shift_paid_minutes, whole_minutes


def workweek_start(instant: datetime, config: Config) -> datetime:
    """The start (UTC) of the workweek holding ``instant``."""
    weekday, _ = config.workweek_start
    local = instant.astimezone(config.site.zone)
    day = local.date() - timedelta(days=(local.weekday() - weekday) % 7)
    start = _at(day, config)
    return start if start <= instant else _at(day - timedelta(days=7), config)


def _at(day: date, config: Config) -> datetime:
    """The workweek start on business-local date ``day``, as a UTC instant."""
    minute = config.workweek_start[1]
    clock = time(minute // 60, minute % 60)
    return datetime.combine(day, clock, tzinfo=config.site.zone).astimezone(UTC)


def next_start(start: datetime, config: Config) -> datetime:
    """The workweek start a week after the workweek start ``start``."""
    local = start.astimezone(config.site.zone)
    return _at(local.date() + timedelta(days=7), config)


def split_shift(
    shift: Shift, breaks: Iterable[Break], config: Config
) -> list[tuple[datetime, int]]:
    """(workweek start, paid minutes in it) for each workweek the shift is paid in.

    ``breaks`` are the agent's breaks (any; those overlapping the shift count).
    """
    paid = shift_paid_minutes(shift)
    start = workweek_start(shift.start_utc, config)
    cut = next_start(start, config)
    if not shift.start_utc < cut < shift.end_utc:
        return [(start, paid)]
    named = early_named = 0
    for b in breaks:
        if b.paid:
            continue
        lo, hi = max(b.start_utc, shift.start_utc), min(b.end_utc, shift.end_utc)
        if hi > lo:
            named += whole_minutes(hi - lo)
            early_named += max(0, whole_minutes(min(hi, cut) - lo))
    early = whole_minutes(cut - shift.start_utc)
    late = whole_minutes(shift.end_utc - cut)
    unnamed = max(0, early + late - paid - named)
    head = early - early_named - (unnamed if early >= late else 0)
    head = min(paid, max(0, head))
    return [(start, head), (cut, paid - head)]


@dataclass(frozen=True)
class WorkweekHours:
    """One agent's paid minutes in one workweek: this roster's and the previous roster's."""

    agent_id: str
    start: datetime
    roster: int
    previous: int


def workweek_hours(
    roster: Roster, config: Config, horizon: Horizon, previous: Sequence[Shift] = ()
) -> list[WorkweekHours]:
    """Paid minutes per agent and workweek in which the roster pays something: the roster's
    shifts of the horizon's dates, and the ``previous`` shifts dated before the horizon."""
    breaks: dict[str, list[Break]] = defaultdict(list)
    for item in roster.breaks:
        breaks[item.agent_id].append(item)
    ours: dict[tuple[str, datetime], int] = defaultdict(int)
    for shift in roster.shifts:
        if horizon.contains(shift.date):
            for start, minutes in split_shift(shift, breaks.get(shift.agent_id, ()), config):
                ours[(shift.agent_id, start)] += minutes
    before: dict[tuple[str, datetime], int] = defaultdict(int)
    for shift in previous:
        if shift.date < horizon.start:
            for start, minutes in split_shift(shift, (), config):
                before[(shift.agent_id, start)] += minutes
    return [
        WorkweekHours(agent_id, start, minutes, before.get((agent_id, start), 0))
        for (agent_id, start), minutes in sorted(ours.items())
        if minutes > 0
    ]


def added_overtime(hours: WorkweekHours, threshold: int) -> int:
    """Overtime minutes the roster adds to the workweek: ``max(0, previous + roster -
    threshold) - max(0, previous - threshold)``."""
    return max(0, hours.previous + hours.roster - threshold) - max(0, hours.previous - threshold)


def workweek_text(start: datetime, config: Config) -> str:
    """``the workweek from Sun 2026-12-13 00:00`` (business time)."""
    local = start.astimezone(config.site.zone)
    return f"the workweek from {local:%a %Y-%m-%d %H:%M}"
