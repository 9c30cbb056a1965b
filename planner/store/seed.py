"""The first roster of a fresh dashboard (``make run``): a forecast and a short solve queued for
the demo team, and that roster published as version 1 once the independent check accepted it,
audited as ``seed``. Idempotent: a team that already has a run or a version gets nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from planner.store import publish
from planner.store.access import Refused, find_team
from planner.store.db import Store
from planner.store.models import FINISHED, RosterVersion, Run
from planner.store.service import queue_run

SEED = "seed"
"""The actor of the seed's runs and version in the audit log."""


@dataclass(frozen=True)
class SeedRuns:
    team_id: int
    forecast_id: int
    solve_id: int


def queue_seed(
    store: Store, team: str, start: date, weeks: int, time_limit: float
) -> SeedRuns | None:
    """Queue the first forecast and a short solve for ``team`` (``None``: it has runs or
    versions already, or there is no such team)."""
    with store.write() as session:
        row = find_team(session, team)
        if row is None:
            return None
        runs = session.scalar(select(func.count(Run.id)).where(Run.team_id == row.id))
        versions = session.scalar(
            select(func.count(RosterVersion.id)).where(RosterVersion.team_id == row.id)
        )
        if runs or versions:
            return None
        forecast = queue_run(session, SEED, start, weeks, kind="forecast", team_id=row.id)
        solve = queue_run(
            session,
            SEED,
            start,
            weeks,
            team_id=row.id,
            overrides={"time_limit": float(time_limit), "workers": 1},
        )
        return SeedRuns(row.id, forecast.id, solve.id)


def publish_when_done(
    store: Store,
    run_id: int,
    *,
    poll_seconds: float = 1.0,
    timeout_seconds: float = 900.0,
    stop: Callable[[], bool] = lambda: False,
) -> str:
    """Wait for the seed solve, then publish it as the team's first version (audited as
    ``seed``). Returns what happened, in words."""
    deadline = time.monotonic() + timeout_seconds
    while time.monotonic() < deadline and not stop():
        with store.read() as session:
            run = session.get(Run, run_id)
            status = None if run is None else run.status
        if status in FINISHED:
            break
        time.sleep(poll_seconds)
    else:
        return f"seed run {run_id} did not finish: nothing published"
    try:
        with store.write() as session:
            run = session.get(Run, run_id)
            assert run is not None
            version = publish.publish(session, SEED, run)
            return f"published the seed roster (run {run_id}) as version {version.version}"
    except Refused as error:
        return f"seed roster not published: {error}"
