"""The worker loop beside the server: ``python -m planner worker``.

On start it marks failed every run left running by a worker that died (nothing of those runs
was written but their progress). Then it hands queued runs to the executor, as many as it has
free processes, oldest first; notices runs whose process ended without finishing them (marked
failed); and stops runs that overrun their budget (the solver's time limit plus a grace; marked
timed out). On Ctrl-C or SIGTERM it asks its running runs to cancel (they keep their best
roster), waits a little, and stops the rest.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update

from planner.store import runs
from planner.store.access import audit
from planner.store.db import Store, now
from planner.store.executor import Executor, Job
from planner.store.models import Run
from planner.store.settings import StoreSettings

log = logging.getLogger(__name__)

RECOVER_EVERY = 30.0
"""Seconds between two looks for runs of other hosts that fell silent."""


@dataclass
class WorkerStats:
    """What one worker loop did."""

    recovered: list[int]
    started: list[int]
    timed_out: list[int]
    died: list[int]


STARTUP_LIMIT = 120.0
"""Seconds a run's process may take to claim its run; past them it is stopped and the run,
still queued, is started again."""


def _states(store: Store, ids: set[int]) -> dict[int, tuple[str, datetime | None, float]]:
    """Status, start and budget of the given runs."""
    if not ids:
        return {}
    with store.read() as session:
        rows = session.execute(
            select(Run.id, Run.status, Run.started_at, Run.budget_seconds).where(Run.id.in_(ids))
        )
        return {run_id: (status, began, float(budget)) for run_id, status, began, budget in rows}


def _ask_cancel(store: Store, ids: set[int]) -> None:
    """Ask running runs to cancel (the worker is stopping); audited per run."""
    if not ids:
        return
    with store.write() as session:
        for run_id, team_id in session.execute(
            select(Run.id, Run.team_id).where(
                Run.id.in_(ids), Run.status == "running", Run.cancel_requested.is_(False)
            )
        ).all():
            session.execute(update(Run).where(Run.id == run_id).values(cancel_requested=True))
            audit(
                session,
                runs.WORKER,
                "run.cancel",
                team_id=team_id,
                entity="run",
                entity_id=run_id,
                detail={"why": "the worker is stopping"},
            )


class Worker:
    """The loop, over any :class:`Executor`."""

    def __init__(
        self,
        store: Store,
        settings: StoreSettings,
        executor: Executor,
        say: Callable[[str], None] = lambda _line: None,
    ) -> None:
        self.store = store
        self.settings = settings
        self.executor = executor
        self.say = say
        self.spawned: dict[int, float] = {}
        self.stats = WorkerStats([], [], [], [])

    def recover(self) -> list[int]:
        failed = runs.recover(self.store, self.settings.stale_after_seconds)
        for run_id in failed:
            self.say(f"run {run_id}: marked failed (its worker stopped during the run)")
        self.stats.recovered += failed
        return failed

    def _reap(self) -> None:
        for ended in self.executor.reap():
            self.spawned.pop(ended.run_id, None)
            if ended.pid is not None and runs.end(
                self.store,
                ended.run_id,
                "failed",
                f"the run's process ended without finishing it (exit code {ended.exit_code})",
                pid=ended.pid,
                why="process died",
            ):
                self.stats.died.append(ended.run_id)
                self.say(f"run {ended.run_id}: its process died (exit code {ended.exit_code})")
            else:
                self.say(f"run {ended.run_id}: ended")

    def _stop_overrunning(self) -> None:
        """Stop a run past its budget (counted from its claim: a slow start is not the run's
        fault) plus the grace, and a process that never claimed its run."""
        grace = timedelta(seconds=self.settings.timeout_grace_seconds)
        clock = time.monotonic()
        for run_id, (status, began, budget) in _states(self.store, self.executor.running()).items():
            if status == "running" and began is not None:
                if now() > began + timedelta(seconds=budget) + grace:
                    self.executor.stop(run_id)
                    if runs.end(
                        self.store,
                        run_id,
                        "timed_out",
                        "stopped: the run overran its time budget; nothing of it was kept",
                        why="over budget",
                    ):
                        self.stats.timed_out.append(run_id)
                        self.say(f"run {run_id}: timed out")
            elif status == "queued" and clock > self.spawned.get(run_id, clock) + STARTUP_LIMIT:
                self.executor.stop(run_id)
                self.say(f"run {run_id}: its process did not start in time; it stays queued")

    def _start_queued(self) -> int:
        ids = runs.queued(self.store, self.executor.free_slots(), skip=self.executor.running())
        for run_id in ids:
            self.executor.start(
                Job(
                    run_id,
                    self.store.url,
                    self.settings.heartbeat_seconds,
                    self.settings.busy_timeout_seconds,
                )
            )
            self.spawned[run_id] = time.monotonic()
            self.stats.started.append(run_id)
            self.say(f"run {run_id}: started")
        return len(ids)

    def step(self) -> bool:
        """One turn of the loop; returns whether anything is running or was started."""
        self._reap()
        self._stop_overrunning()
        started = self._start_queued()
        return bool(started or self.executor.running())

    def run(
        self, *, once: bool = False, poll_seconds: float = 0.5, stop: threading.Event | None = None
    ) -> WorkerStats:
        """Loop until ``stop`` is set (``once``: until the queue is empty and nothing runs)."""
        stop = stop or threading.Event()
        self.recover()
        last_recover = time.monotonic()
        try:
            while True:
                busy = self.step()
                if once and not busy:
                    break
                if time.monotonic() - last_recover > RECOVER_EVERY:
                    self.recover()
                    last_recover = time.monotonic()
                if stop.wait(poll_seconds):
                    break
        finally:
            self.shutdown()
        return self.stats

    def shutdown(self, wait_seconds: float = 20.0) -> None:
        """Ask the running runs to cancel (keeping their best roster), wait, stop the rest."""
        running = self.executor.running()
        if running:
            self.say(f"stopping: asking run(s) {sorted(running)} to cancel")
            _ask_cancel(self.store, running)
        self.executor.shutdown(wait_seconds)
        self._reap()
