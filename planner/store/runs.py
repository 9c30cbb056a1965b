"""The run queue in the database: claim, heartbeat, progress, cancel, finish, recover.

A run's status only moves forward, each step one compare-and-set update (``... WHERE status =
'queued'``, ``... WHERE status = 'running' AND worker_pid = ...``), so two workers never take
the same run and a run marked failed by recovery is never later overwritten by a process that
was presumed dead::

    queued -> running -> done | failed | cancelled | timed_out
    queued -> cancelled                       (cancelled before a worker took it)

Every step after ``queued`` (which is the ``run.submit`` entry) is written to the audit log in
the same transaction as the change, as ``run.status`` with ``from`` and ``to`` (and why),
actor ``worker`` or the user who cancelled. The heartbeat and the progress events are the
run's telemetry, stored in ``runs.heartbeat_at`` and ``run_events``, not audited one by one.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.orm import Session

from planner.store.access import Actor, audit
from planner.store.db import Store, now
from planner.store.models import Run, RunEvent

HOST = socket.gethostname()
WORKER = "worker"
"""The actor of the status changes a worker makes, in the audit log."""


def audit_status(
    session: Session,
    run_id: int,
    before: str,
    after: str,
    *,
    actor: Actor | str = WORKER,
    **detail: Any,
) -> None:
    """Audit one status change of a run, inside the transaction that makes it."""
    team_id = session.scalar(select(Run.team_id).where(Run.id == run_id))
    audit(
        session,
        actor,
        "run.status",
        team_id=team_id,
        entity="run",
        entity_id=run_id,
        detail={"from": before, "to": after, **detail},
    )


@dataclass(frozen=True)
class Event:
    """One progress report, before it is stored."""

    elapsed: float | None
    objective: int | None
    bound: float | None
    gap: float | None
    under_staffed_hours: float | None
    phase: str


def queued(store: Store, limit: int, skip: Iterable[int] = ()) -> list[int]:
    """The oldest queued runs (ids), at most ``limit``, leaving out ``skip``."""
    if limit <= 0:
        return []
    with store.read() as session:
        query = select(Run.id).where(Run.status == "queued")
        skipped = list(skip)
        if skipped:
            query = query.where(Run.id.not_in(skipped))
        return list(session.scalars(query.order_by(Run.id).limit(limit)))


def claim(store: Store, run_id: int, pid: int | None = None) -> bool:
    """Take a queued run for this process; ``False`` when another took it (or it was
    cancelled) first."""
    stamp = now()
    pid = pid or os.getpid()
    with store.write() as session:
        taken = session.execute(
            update(Run)
            .where(Run.id == run_id, Run.status == "queued")
            .values(
                status="running",
                started_at=stamp,
                heartbeat_at=stamp,
                worker_host=HOST,
                worker_pid=pid,
            )
        )
        if not taken.rowcount:  # type: ignore[attr-defined]
            return False
        audit_status(session, run_id, "queued", "running", host=HOST, pid=pid)
        return True


def _mine(run_id: int, pid: int) -> tuple[ColumnElement[bool], ...]:
    return (
        Run.id == run_id,
        Run.status == "running",
        Run.worker_pid == pid,
        Run.worker_host == HOST,
    )


def beat(store: Store, run_id: int, events: Iterable[Event] = (), pid: int | None = None) -> bool:
    """Store the new progress events and say the run is alive; returns whether a cancel was
    asked for. Nothing is written once the run is no longer this process's."""
    pid = pid or os.getpid()
    with store.write() as session:
        alive = session.execute(update(Run).where(*_mine(run_id, pid)).values(heartbeat_at=now()))
        if not alive.rowcount:  # type: ignore[attr-defined]
            return True
        session.add_all(
            RunEvent(
                run_id=run_id,
                elapsed=e.elapsed,
                objective=e.objective,
                bound=e.bound,
                gap=e.gap,
                under_staffed_hours=e.under_staffed_hours,
                phase=e.phase,
            )
            for e in events
        )
        return bool(session.scalar(select(Run.cancel_requested).where(Run.id == run_id)))


def end(
    store: Store,
    run_id: int,
    status: str,
    message: str,
    *,
    pid: int | None = None,
    why: str,
) -> bool:
    """Mark a running run finished without results (failed, timed out); only while it is
    still running (and, with ``pid``, still that process's). ``why`` names the cause in the
    audit log (``error``, ``process died``, ``over budget``, ``worker stopped``)."""
    with store.write() as session:
        conditions = [Run.id == run_id, Run.status == "running"]
        if pid is not None:
            conditions += [Run.worker_pid == pid, Run.worker_host == HOST]
        changed = session.execute(
            update(Run).where(*conditions).values(status=status, message=message, finished_at=now())
        )
        if not changed.rowcount:  # type: ignore[attr-defined]
            return False
        audit_status(session, run_id, "running", status, why=why, message=message)
        return True


def pid_alive(pid: int) -> bool:
    """Whether a process of this host with that id exists."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def recover(
    store: Store, stale_after: float, alive: Callable[[int], bool] = pid_alive
) -> list[int]:
    """Mark failed every running run whose process is gone: on this host, a process that no
    longer exists; anywhere, one silent for ``stale_after`` seconds. Its draft and results were
    never written (they are written in the run's last transaction), so nothing else changes."""
    cutoff = now() - timedelta(seconds=stale_after)
    with store.read() as session:
        running = session.execute(
            select(Run.id, Run.worker_host, Run.worker_pid, Run.heartbeat_at).where(
                Run.status == "running"
            )
        ).all()
    failed = []
    for run_id, host, pid, heartbeat in running:
        gone = host == HOST and (pid is None or not alive(pid))
        silent = heartbeat is None or heartbeat < cutoff
        if (gone or silent) and end(
            store,
            run_id,
            "failed",
            "the worker stopped during the run (killed or crashed); nothing of it was kept",
            why="worker stopped" if gone else "silent",
        ):
            failed.append(run_id)
    return failed


def request_cancel(session: Session, actor: Actor | str, run: Run) -> None:
    """Ask a run to cancel, inside the caller's transaction (audited): a queued run is
    cancelled at once; a running one stops at its next heartbeat and keeps its best roster.
    The caller checked that the run is not finished."""
    session.execute(update(Run).where(Run.id == run.id).values(cancel_requested=True))
    audit(session, actor, "run.cancel", team_id=run.team_id, entity="run", entity_id=run.id)
    message = "cancelled before it started"
    stopped = session.execute(
        update(Run)
        .where(Run.id == run.id, Run.status == "queued")
        .values(status="cancelled", message=message, finished_at=now())
    )
    if stopped.rowcount:  # type: ignore[attr-defined]
        audit_status(session, run.id, "queued", "cancelled", actor=actor, message=message)
