"""Hand-made runs for the store tests: a queued run (through the service, as a lead would)
marked done with shifts written by hand, so publishing, diffs, the freeze window, the ledger
and the exports are tested in milliseconds, each shift readable in the test."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, event, update

from planner.data.problems import Problems
from planner.data.roster_io import is_closer, read_breaks, read_roster
from planner.domain import Horizon, Roster, Shift
from planner.pipeline import calendar_for
from planner.store import datasets, rosters, service
from planner.store.access import Actor
from planner.store.db import Store
from planner.store.models import BreakRow, Run, ShiftRow

ZONES = {"A001": "America/New_York", "A002": "America/Chicago", "A003": "America/Detroit"}
"""The sample's agents used by hand-made shifts, in their own zones."""

Planned = tuple[str, str, str, float]
"""(agent_id, local date, local start HH:MM, paid hours): one hand-made shift."""


def shift_row(agent: str, day: str, start: str, hours: float, run_id: int) -> ShiftRow:
    """A shift of ``hours`` paid hours plus a 30-minute unpaid meal, in the agent's zone."""
    zone = ZoneInfo(ZONES[agent])
    local = datetime.combine(date.fromisoformat(day), datetime.strptime(start, "%H:%M").time())
    begin = local.replace(tzinfo=zone).astimezone(ZoneInfo("UTC"))
    meal = 30 if hours >= 6 else 0
    end = begin + timedelta(hours=hours, minutes=meal)
    local_day = date.fromisoformat(day)
    return ShiftRow(
        run_id=run_id,
        agent_id=agent,
        date=local_day,
        start_utc=begin,
        end_utc=end,
        timezone=ZONES[agent],
        paid_hours=hours,
        evening=end.astimezone(zone).hour >= 20 or end.astimezone(zone).date() > local_day,
        weekend=local_day.weekday() >= 5,
        holiday=False,
        closer=is_closer(Shift(agent, local_day, begin, end, ZONES[agent], hours)),
    )


def made_run(
    store: Store, lead: Actor, start: str, shifts: Sequence[Planned], weeks: int = 1
) -> int:
    """Queue a solve as ``lead`` and finish it by hand with ``shifts`` (each with a meal
    break of 30 minutes two hours in): a run ready to publish."""
    run = service.submit_run(store, lead, date.fromisoformat(start), weeks)
    with store.write() as session:
        session.execute(
            update(Run)
            .where(Run.id == run.id)
            .values(status="done", solve_status="feasible", proven_optimal=False, check_ok=True)
        )
        for planned in shifts:
            row = shift_row(*planned, run_id=run.id)
            session.add(row)
            if planned[3] >= 6:
                meal = row.start_utc + timedelta(hours=2)
                session.add(
                    BreakRow(run_id=run.id, agent_id=row.agent_id, start_utc=meal,
                             end_utc=meal + timedelta(minutes=30), kind="meal", paid=False)
                )  # fmt: skip
    return run.id


def run_from_files(store: Store, lead: Actor, start: str, folder: Path, weeks: int = 1) -> int:
    """Queue a solve as ``lead`` and finish it with the ``roster.csv`` and ``breaks.csv`` that
    a command-line ``solve`` wrote into ``folder``: the store then publishes exactly the file's
    roster, flags computed as a worker computes them."""
    roster, breaks = folder / "roster.csv", folder / "breaks.csv"
    run = service.submit_run(store, lead, date.fromisoformat(start), weeks)
    with store.read() as session:
        texts = datasets.dataset_texts(session, run.dataset_id)
    data = datasets.load_texts(texts)
    agents = {a.agent_id: a for a in data.agents}
    calendar = calendar_for(data, Horizon(run.start, weeks))
    problems = Problems()
    shifts = read_roster(roster, problems, agents=agents, config=data.config, calendar=calendar)
    pauses = read_breaks(breaks, problems, agents=agents, config=data.config)
    problems.raise_if_errors()
    drafted = Roster(tuple(shifts), tuple(pauses))
    with store.write() as session:
        session.execute(
            update(Run)
            .where(Run.id == run.id)
            .values(status="done", solve_status="feasible", proven_optimal=False, check_ok=True)
        )
        session.add_all(rosters.shift_rows(drafted, agents, data.config, calendar, run_id=run.id))
        session.add_all(rosters.break_rows(drafted.breaks, run_id=run.id))
    return run.id


TELEMETRY = {"run_events"}
"""Tables a transaction may write without an audit entry: a run's progress events."""
WRITE = re.compile(r"^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+\"?(\w+)\"?", re.IGNORECASE)
SET = re.compile(r"\bSET\s+(.*?)\s+WHERE\b", re.IGNORECASE | re.DOTALL)


def _heartbeat(statement: str) -> bool:
    """``UPDATE runs SET heartbeat_at=... WHERE ...`` (the run's telemetry), nothing else."""
    found = SET.search(statement)
    if found is None:
        return False
    columns = {part.split("=")[0].strip().strip('"') for part in found.group(1).split(",")}
    return columns == {"heartbeat_at"}


@dataclass
class AuditWatch:
    """Every committed transaction of any engine of this process that changed a table must
    also have written to ``audit_log`` (progress events and heartbeats aside; Alembic's own
    version table aside). ``unaudited`` lists the writes of those that did not."""

    pending: dict[int, list[str]] = field(default_factory=dict)
    unaudited: list[list[str]] = field(default_factory=list)
    audited: int = 0

    def statement(self, conn: Any, cursor: Any, statement: str, *_rest: Any) -> None:
        found = WRITE.match(statement)
        if found is None:
            return
        if not statement.lstrip().upper().startswith("INSERT") and cursor.rowcount == 0:
            return  # a compare-and-set that matched nothing changed nothing
        table = found.group(1).lower()
        if table in TELEMETRY or table == "alembic_version":
            return
        if table == "runs" and _heartbeat(statement):
            return
        verb = statement.split(maxsplit=1)[0].upper()
        self.pending.setdefault(id(conn), []).append(
            table if table == "audit_log" else f"{verb} {table}"
        )

    def commit(self, conn: Any) -> None:
        writes = self.pending.pop(id(conn), [])
        changes = [w for w in writes if w != "audit_log"]
        if changes and "audit_log" not in writes:
            self.unaudited.append(changes)
        elif changes:
            self.audited += 1

    def rollback(self, conn: Any) -> None:
        self.pending.pop(id(conn), None)


@contextmanager
def audit_watch() -> Iterator[AuditWatch]:
    """Watch every engine of this process while the block runs (:class:`AuditWatch`)."""
    watch = AuditWatch()
    hooks = [
        ("after_cursor_execute", watch.statement),
        ("commit", watch.commit),
        ("rollback", watch.rollback),
    ]
    for name, hook in hooks:
        event.listen(Engine, name, hook)
    try:
        yield watch
    finally:
        for name, hook in hooks:
            event.remove(Engine, name, hook)


def run_trail(store: Store, manager: Actor, run_id: int) -> list[tuple[Any, ...]]:
    """A run's audit entries, oldest first: (actor, action, from, to, why)."""
    entries = [
        e
        for e in reversed(service.audit_log(store, manager, limit=1000))
        if e.entity == "run" and e.entity_id == run_id
    ]
    return [
        (e.actor, e.action, e.detail.get("from"), e.detail.get("to"), e.detail.get("why"))
        for e in entries
    ]
