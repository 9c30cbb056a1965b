"""The fairness ledger: per agent and local date, what the roster in force on that date adds to
the agent's ``fairness_history.csv`` (docs/OBJECTIVE.md "fairness"), derived on publish.

A row holds, for one agent and one date of a published version's horizon:

- the shifts of that date by kind (``weekend``, ``evening``, ``holiday``, ``closer``: the
  ``roster.csv`` flags, as the dashboard shows them);
- ``holiday_credit``: what those shifts count in the ``fairness`` term's holiday kind (each
  holiday shift its ``[fairness.holiday_weights]`` weight: Christmas Day 3 by default);
- on the first date of each week of the horizon, for every agent of the version's data set
  (shifts or not), the agent's exposure that week: ``weeks`` (1 unless every date of the week
  is taken off) and ``minutes`` of contracted time (``weeks`` x ``max_weekly_hours`` x 60).

Publishing a version rewrites the rows of its horizon's dates (a re-plan of weeks 3-4 replaces
those weeks; weeks 1-2 stay as they were), so the ledger always says what the rosters in force
say. The sum over the dates before a horizon is exactly the ``fairness_history.csv`` that the
file-based loop (``solve --fairness-out``, then ``--fairness-history``) would hand the solve of
that horizon: the carry-over a stored run records (:func:`carry_over`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from planner.data.io import DataSet
from planner.data.roster_io import FAIRNESS_KINDS, FairnessCarry, shift_flags
from planner.domain import Horizon, Shift
from planner.pipeline import calendar_for
from planner.store import datasets, rosters
from planner.store.models import LedgerEntry, RosterVersion, ShiftRow
from planner.store.scenarios import edit_dataset
from planner.verify.fairness import horizon_weeks

SHIFT_KINDS = FAIRNESS_KINDS
"""The kinds of shift the ledger counts per date (``roster.csv`` flags plus ``closer``)."""
COLUMNS = (*SHIFT_KINDS, "holiday_credit", "weeks", "minutes")
"""The numbers of a ledger row (and of an agent's totals)."""
DATA_FILES = ("config.toml", "agents.csv", "time_off.csv")
"""What the ledger reads of a version's data set (holiday weights, contracts, time off)."""


@dataclass(frozen=True)
class Entry:
    """One ledger row before it is stored."""

    agent_id: str
    date: date
    values: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COLUMNS, 0))


def entries(shifts: Iterable[Shift], data: DataSet, horizon: Horizon) -> list[Entry]:
    """The ledger rows of one published roster over ``horizon`` (module docstring), computed
    as :func:`planner.verify.fairness.next_fairness_history` adds them up: the same flags,
    holiday weights, calendar and weeks not wholly taken off."""
    agents = {a.agent_id: a for a in data.agents}
    calendar = calendar_for(data, horizon)
    rows: dict[tuple[str, date], dict[str, int]] = {}

    def row(agent_id: str, day: date) -> dict[str, int]:
        return rows.setdefault((agent_id, day), dict.fromkeys(COLUMNS, 0))

    for shift in shifts:
        agent = agents.get(shift.agent_id)
        if agent is None or not horizon.contains(shift.date):
            continue
        flags = shift_flags(shift, agent, data.config, calendar)
        values = row(shift.agent_id, shift.date)
        for kind in SHIFT_KINDS:
            values[kind] += flags.count(kind)
        values["holiday_credit"] += flags.units("holiday")
    for agent_id, agent in sorted(agents.items()):
        contracted = round(agent.max_weekly_hours * 60)
        for week in range(horizon.weeks):
            first = horizon.start + timedelta(days=7 * week)
            weeks = horizon_weeks(agent_id, Horizon(first, 1), data.time_off)
            values = row(agent_id, first)
            values["weeks"] += weeks
            values["minutes"] += weeks * contracted
    return [Entry(a, d, v) for (a, d), v in sorted(rows.items())]


def version_data(texts: Mapping[str, str], edits: Mapping[str, Any] | None) -> DataSet:
    """The part of a version's data set the ledger reads, with the run's data edits (added or
    removed agents) applied, as the run's solve saw it."""
    small = {k: v for k, v in texts.items() if k in DATA_FILES}
    return edit_dataset(datasets.load_texts(small), edits or {})


def record(
    session: Session,
    version: RosterVersion,
    shifts: Sequence[ShiftRow],
    edits: Mapping[str, Any] | None,
) -> int:
    """Make the ledger say what the new version says on its dates; returns the rows written."""
    texts = datasets.dataset_texts(session, version.dataset_id)
    data = version_data(texts, edits)
    first, end = rosters.horizon_dates(version)
    session.execute(
        delete(LedgerEntry).where(
            LedgerEntry.team_id == version.team_id,
            LedgerEntry.date >= first,
            LedgerEntry.date < end,
        )
    )
    horizon = Horizon(version.start, version.weeks)
    made = entries([rosters.to_shift(s) for s in shifts], data, horizon)
    session.add_all(
        LedgerEntry(
            team_id=version.team_id,
            agent_id=e.agent_id,
            date=e.date,
            version_id=version.id,
            **e.values,
        )
        for e in made
    )
    return len(made)


def totals(
    session: Session, team_id: int, before: date | None = None, agent_id: str | None = None
) -> dict[str, dict[str, int]]:
    """Per agent, the sums of the ledger (on dates before ``before`` when given): shifts per
    kind, holiday credit, weeks and contracted minutes (:data:`COLUMNS`)."""
    query = select(
        LedgerEntry.agent_id, *(func.sum(getattr(LedgerEntry, c)) for c in COLUMNS)
    ).where(LedgerEntry.team_id == team_id)
    if before is not None:
        query = query.where(LedgerEntry.date < before)
    if agent_id is not None:
        query = query.where(LedgerEntry.agent_id == agent_id)
    rows = session.execute(query.group_by(LedgerEntry.agent_id).order_by(LedgerEntry.agent_id))
    return {
        agent: {c: int(v or 0) for c, v in zip(COLUMNS, sums, strict=True)} for agent, *sums in rows
    }


def as_carry(values: Mapping[str, int], through: date | None) -> FairnessCarry:
    """An agent's ledger totals as the ``fairness_history.csv`` row they amount to (the
    holiday kind counted in weighted credit, as the ``fairness`` term counts it)."""
    counts = {k: int(values.get(k, 0)) for k in SHIFT_KINDS}
    counts["holiday"] = int(values.get("holiday_credit", 0))
    return FairnessCarry(
        counts=counts,
        weeks=int(values.get("weeks", 0)),
        minutes=int(values.get("minutes", 0)),
        through=through,
    )


def carry_over(session: Session, team_id: int, before: date) -> dict[str, FairnessCarry]:
    """The ``fairness_history.csv`` a solve of the team starting on ``before`` is given: per
    agent, the ledger's sums over the dates before it; ``through`` is the last of those dates
    that a published version covers."""
    covered = rosters.owners(session, team_id, None, before)
    through = max(covered) if covered else None
    return {a: as_carry(v, through) for a, v in totals(session, team_id, before).items()}


def carry_json(carry: Mapping[str, FairnessCarry]) -> dict[str, dict[str, Any]]:
    """The carry-over as plain JSON (stored in a run's ``inputs``)."""
    return {
        agent: {
            **{k: c.count(k) for k in FAIRNESS_KINDS},
            "weeks": c.weeks,
            "minutes": c.minutes,
            "through": None if c.through is None else c.through.isoformat(),
        }
        for agent, c in sorted(carry.items())
    }


def carry_from_json(
    data: Mapping[str, Mapping[str, Any]] | None,
) -> dict[str, FairnessCarry] | None:
    """A stored carry-over (``None``: the run has none). A run queued before the ledger kept
    closers and exposure recorded only weekend/evening/holiday counts: the rest reads 0, as a
    first-format ``fairness_history.csv`` does."""
    if data is None:
        return None
    result = {}
    for agent, row in data.items():
        through = row.get("through")
        result[agent] = FairnessCarry(
            counts={k: int(row.get(k, 0)) for k in FAIRNESS_KINDS},
            weeks=int(row.get("weeks", 0)),
            minutes=int(row.get("minutes", 0)),
            through=None if not through else date.fromisoformat(through),
        )
    return result
