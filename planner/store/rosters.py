"""Rosters in the store: drafts of runs and published versions, the roster in force, the diff
between two rosters and the freeze window (the fairness ledger is :mod:`planner.store.ledger`).

The roster *in force* on a local date is the one of the last published version whose horizon
holds that date (a re-plan of weeks 3-4 replaces those weeks and leaves weeks 1-2 as they
were).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.data.holiday_calendar import HolidayCalendar
from planner.data.roster_io import format_local, shift_flags
from planner.domain import Agent, Break, Config, Roster, Shift
from planner.store.models import BreakRow, RosterVersion, ShiftRow

PREVIOUS_DAYS = 14
"""Days of the roster in force before a horizon that a solve reads (rest, consecutive days)."""


# --------------------------------------------------------------------------- rows <-> objects


def shift_rows(
    roster: Roster,
    agents: Mapping[str, Agent],
    config: Config,
    calendar: HolidayCalendar,
    *,
    run_id: int | None = None,
    version_id: int | None = None,
) -> list[ShiftRow]:
    """The rows of a roster's shifts, with their ``roster.csv`` flags (``closer`` too)."""
    rows = []
    for shift in roster.shifts:
        flags = shift_flags(shift, agents[shift.agent_id], config, calendar)
        rows.append(
            ShiftRow(
                run_id=run_id,
                version_id=version_id,
                agent_id=shift.agent_id,
                date=shift.date,
                start_utc=shift.start_utc,
                end_utc=shift.end_utc,
                timezone=shift.timezone,
                paid_hours=shift.paid_hours,
                evening=flags.evening,
                weekend=flags.weekend,
                holiday=flags.holiday,
                closer=flags.closer,
            )
        )
    return rows


def break_rows(
    breaks: Iterable[Break], *, run_id: int | None = None, version_id: int | None = None
) -> list[BreakRow]:
    return [
        BreakRow(
            run_id=run_id,
            version_id=version_id,
            agent_id=b.agent_id,
            start_utc=b.start_utc,
            end_utc=b.end_utc,
            kind=b.kind,
            paid=b.paid,
        )
        for b in breaks
    ]


def copy_rows(
    shifts: Iterable[ShiftRow], breaks: Iterable[BreakRow], version_id: int
) -> list[ShiftRow | BreakRow]:
    """Copies of a draft's rows, belonging to a published version."""
    copies: list[ShiftRow | BreakRow] = []
    for s in shifts:
        copies.append(
            ShiftRow(
                version_id=version_id,
                agent_id=s.agent_id,
                date=s.date,
                start_utc=s.start_utc,
                end_utc=s.end_utc,
                timezone=s.timezone,
                paid_hours=s.paid_hours,
                evening=s.evening,
                weekend=s.weekend,
                holiday=s.holiday,
                closer=s.closer,
            )
        )
    for b in breaks:
        copies.append(
            BreakRow(
                version_id=version_id,
                agent_id=b.agent_id,
                start_utc=b.start_utc,
                end_utc=b.end_utc,
                kind=b.kind,
                paid=b.paid,
            )
        )
    return copies


def to_shift(row: ShiftRow) -> Shift:
    return Shift(row.agent_id, row.date, row.start_utc, row.end_utc, row.timezone, row.paid_hours)


def to_break(row: BreakRow) -> Break:
    return Break(
        row.agent_id, row.start_utc, row.end_utc, "meal" if row.kind == "meal" else "rest", row.paid
    )


def run_shifts(session: Session, run_id: int) -> list[ShiftRow]:
    return list(
        session.scalars(select(ShiftRow).where(ShiftRow.run_id == run_id).order_by(*_SHIFT_ORDER))
    )


def run_breaks(session: Session, run_id: int) -> list[BreakRow]:
    return list(
        session.scalars(select(BreakRow).where(BreakRow.run_id == run_id).order_by(*_BREAK_ORDER))
    )


_SHIFT_ORDER = (ShiftRow.date, ShiftRow.agent_id, ShiftRow.start_utc)
_BREAK_ORDER = (BreakRow.agent_id, BreakRow.start_utc)


# --------------------------------------------------------------------------- published


def latest_version(session: Session, team_id: int) -> RosterVersion | None:
    return session.scalar(
        select(RosterVersion)
        .where(RosterVersion.team_id == team_id)
        .order_by(RosterVersion.version.desc())
        .limit(1)
    )


def horizon_dates(version: RosterVersion) -> tuple[date, date]:
    """``[first, end)`` local dates of a version's horizon."""
    return version.start, version.start + timedelta(days=7 * version.weeks)


def in_force(
    session: Session,
    team_id: int,
    first: date | None = None,
    end: date | None = None,
    *,
    agent_id: str | None = None,
    up_to: int | None = None,
) -> tuple[list[ShiftRow], list[BreakRow]]:
    """The published shifts (and their breaks) in force on the local dates ``[first, end)``
    (either end open when ``None``), optionally of one agent; with ``up_to`` (a version id),
    as they were when that version was the last one."""
    owner = {day: v.id for day, v in owners(session, team_id, first, end, up_to=up_to).items()}
    if not owner:
        return [], []
    query = select(ShiftRow).where(ShiftRow.version_id.in_(set(owner.values())))
    if agent_id is not None:
        query = query.where(ShiftRow.agent_id == agent_id)
    rows = session.scalars(query.order_by(*_SHIFT_ORDER))
    shifts = [s for s in rows if owner.get(s.date) == s.version_id]
    by_agent: dict[str, list[ShiftRow]] = defaultdict(list)
    for s in shifts:
        by_agent[s.agent_id].append(s)
    query_b = select(BreakRow).where(BreakRow.version_id.in_({s.version_id for s in shifts}))
    if agent_id is not None:
        query_b = query_b.where(BreakRow.agent_id == agent_id)
    breaks = [
        b
        for b in session.scalars(query_b.order_by(*_BREAK_ORDER))
        if any(
            s.version_id == b.version_id and s.start_utc <= b.start_utc < s.end_utc
            for s in by_agent[b.agent_id]
        )
    ]
    return shifts, breaks


def owners(
    session: Session,
    team_id: int,
    first: date | None = None,
    end: date | None = None,
    *,
    up_to: int | None = None,
) -> dict[date, RosterVersion]:
    """Per local date of ``[first, end)``, the version in force: the last published one whose
    horizon holds it (with ``up_to``, among the versions up to that id)."""
    query = select(RosterVersion).where(RosterVersion.team_id == team_id)
    if up_to is not None:
        query = query.where(RosterVersion.id <= up_to)
    owner: dict[date, RosterVersion] = {}
    for v in session.scalars(query.order_by(RosterVersion.version)):
        lo, hi = horizon_dates(v)
        lo, hi = max(lo, first or lo), min(hi, end or hi)
        for k in range((hi - lo).days):
            owner[lo + timedelta(days=k)] = v
    return owner


def version_rows(
    session: Session, version_id: int, agent_id: str | None = None
) -> tuple[list[ShiftRow], list[BreakRow]]:
    shifts = select(ShiftRow).where(ShiftRow.version_id == version_id)
    breaks = select(BreakRow).where(BreakRow.version_id == version_id)
    if agent_id is not None:
        shifts = shifts.where(ShiftRow.agent_id == agent_id)
        breaks = breaks.where(BreakRow.agent_id == agent_id)
    return (
        list(session.scalars(shifts.order_by(*_SHIFT_ORDER))),
        list(session.scalars(breaks.order_by(*_BREAK_ORDER))),
    )


# --------------------------------------------------------------------------- diff


def _span(s: ShiftRow | Shift) -> dict[str, str]:
    return {
        "start": format_local(s.start_utc, s.timezone),
        "end": format_local(s.end_utc, s.timezone),
    }


def roster_diff(
    before: Sequence[ShiftRow], after: Sequence[ShiftRow], first: date, end: date
) -> dict[str, Any]:
    """Per agent, what changed on the local dates ``[first, end)``: shifts added (a date that
    had none), removed (a date that has none now) and moved (the same date, other times).

    ``{"agents": {agent_id: {"added": [...], "removed": [...], "moved": [...]}}, "counts":
    {"added": n, "removed": n, "moved": n}}``; agents without a change are left out.
    """
    old: dict[tuple[str, date], list[ShiftRow]] = defaultdict(list)
    new: dict[tuple[str, date], list[ShiftRow]] = defaultdict(list)
    for s in before:
        if first <= s.date < end:
            old[(s.agent_id, s.date)].append(s)
    for s in after:
        if first <= s.date < end:
            new[(s.agent_id, s.date)].append(s)
    agents: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for key in sorted(set(old) | set(new)):
        agent, day = key
        a = {(s.start_utc, s.end_utc): s for s in old.get(key, [])}
        b = {(s.start_utc, s.end_utc): s for s in new.get(key, [])}
        gone = [a[k] for k in sorted(set(a) - set(b))]
        came = [b[k] for k in sorted(set(b) - set(a))]
        entry = agents.setdefault(agent, {"added": [], "removed": [], "moved": []})
        for x, y in zip(gone, came, strict=False):
            entry["moved"].append({"date": day.isoformat(), "from": _span(x), "to": _span(y)})
        paired = min(len(gone), len(came))
        for x in gone[paired:]:
            entry["removed"].append({"date": day.isoformat(), **_span(x)})
        for y in came[paired:]:
            entry["added"].append({"date": day.isoformat(), **_span(y)})
    agents = {k: v for k, v in agents.items() if any(v.values())}
    counts = {
        kind: sum(len(v[kind]) for v in agents.values()) for kind in ("added", "removed", "moved")
    }
    return {"first": first.isoformat(), "end": end.isoformat(), "agents": agents, "counts": counts}


# --------------------------------------------------------------------------- freeze window


@dataclass(frozen=True)
class FrozenChange:
    """A published shift in the freeze window that the new roster drops or a new shift there."""

    agent_id: str
    date: date
    change: str  # "dropped" or "added"
    start: str
    end: str

    def __str__(self) -> str:
        verb = "drops the published" if self.change == "dropped" else "adds a"
        shift = f"shift {self.start} to {self.end}"
        return f"{self.agent_id} {self.date}: the new roster {verb} {shift}"


def freeze_window(previous: Sequence[ShiftRow], start: date, freeze_days: int) -> tuple[date, date]:
    """``[start, min(start + freeze_days, day after the last published date))`` (docs/OBJECTIVE.md,
    stability): empty when nothing is published on or after ``start``."""
    last = max((s.date for s in previous), default=None)
    if last is None or last < start:
        return start, start
    return start, min(start + timedelta(days=freeze_days), last + timedelta(days=1))


def frozen_changes(
    previous: Sequence[ShiftRow], new: Sequence[ShiftRow], start: date, freeze_days: int
) -> list[FrozenChange]:
    """Every change of the new roster in the freeze window, compared exactly (same agent, same
    start and end instants), as the stability term counts them."""
    lo, hi = freeze_window(previous, start, freeze_days)
    published = {(s.agent_id, s.start_utc, s.end_utc): s for s in previous if lo <= s.date < hi}
    proposed = {(s.agent_id, s.start_utc, s.end_utc): s for s in new if lo <= s.date < hi}
    changes = [
        FrozenChange(s.agent_id, s.date, "dropped", **_span(s))
        for k, s in published.items()
        if k not in proposed
    ] + [
        FrozenChange(s.agent_id, s.date, "added", **_span(s))
        for k, s in proposed.items()
        if k not in published
    ]
    return sorted(changes, key=lambda c: (c.date, c.agent_id, c.start))
