"""The audit log holds every change: each status change of a run (queued, running, done,
failed, cancelled, timed out, failed after its worker was killed), with its cause and actor,
and every write of the service layer, the store and the store's commands.

:func:`tests.support.store.audit_watch` watches every database transaction of the process:
one that changes a table and commits without writing to ``audit_log`` is a failure (a run's
progress events and heartbeat are its telemetry, not changes, and are left out).
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import update

from planner.cli import main
from planner.store import backup, migrate, runs, seed, service
from planner.store.db import Store
from planner.store.execute import execute_run
from planner.store.executor import Ended, Executor, Job
from planner.store.models import Run
from planner.store.settings import StoreSettings
from planner.store.worker import Worker
from tests.store.conftest import START, World
from tests.support.store import audit_watch, made_run, run_trail

DAY = date.fromisoformat(START)


def _trail(world: World, run_id: int) -> list[tuple[Any, ...]]:
    return run_trail(world.store, world["manager"], run_id)


def _dead_pid() -> int:
    """The id of a process of this host that has ended."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


class Scripted(Executor):
    """A stand-in backend whose jobs never work: each run is claimed for a process that does
    nothing, then dies (``die``) or hangs until stopped (``hang``), as scripted."""

    def __init__(self, store: Store, fates: dict[int, str], pid: int) -> None:
        self.store, self.fates, self.pid = store, fates, pid
        self.jobs: set[int] = set()
        self.stopped: list[int] = []

    def free_slots(self) -> int:
        return 10

    def start(self, job: Job) -> None:
        assert runs.claim(self.store, job.run_id, pid=self.pid)
        self.jobs.add(job.run_id)

    def running(self) -> set[int]:
        return set(self.jobs)

    def reap(self) -> list[Ended]:
        ended = [r for r in sorted(self.jobs) if self.fates[r] == "die"]
        self.jobs -= set(ended)
        return [Ended(r, -9, self.pid) for r in ended]

    def stop(self, run_id: int) -> None:
        self.stopped.append(run_id)
        self.fates[run_id] = "die"

    def shutdown(self, wait_seconds: float = 0.0) -> None:
        for run_id in self.jobs:
            self.fates[run_id] = "die"


def test_each_status_change_of_a_run_is_audited_with_its_cause(world: World) -> None:
    store, lead = world.store, world["lead"]
    worker = ("worker", "run.status")
    submitted = (lead.email, "run.submit", None, None, None)
    forecast = service.submit_run(store, lead, DAY, 1, kind="forecast")
    queued = service.submit_run(store, lead, DAY, 1)
    broken = service.submit_run(store, lead, DAY, 1)
    silent = service.submit_run(store, lead, DAY, 1)
    killed = service.submit_run(store, lead, DAY, 1)
    with store.write() as session:  # test set-up, not a change under watch
        inputs = {**broken.inputs, "scenario": {**broken.inputs["scenario"], "workers": "many"}}
        session.execute(update(Run).where(Run.id == broken.id).values(inputs=inputs))

    with audit_watch() as watch:
        assert execute_run(store, forecast.id, 0.2) == "done"
        service.cancel_run(store, lead, queued.id)
        assert execute_run(store, broken.id, 0.2) == "failed"
        assert runs.claim(store, silent.id, pid=os.getpid())
        assert runs.claim(store, killed.id, pid=_dead_pid())
    with store.write() as session:  # silent for ten minutes
        stale = service.get_run(store, lead, silent.id).started_at - timedelta(minutes=10)  # type: ignore[operator]
        session.execute(update(Run).where(Run.id == silent.id).values(heartbeat_at=stale))
    with audit_watch() as again:
        assert sorted(runs.recover(store, stale_after=120)) == [silent.id, killed.id]
    assert watch.unaudited == again.unaudited == []

    assert _trail(world, forecast.id) == [
        submitted,
        (*worker, "queued", "running", None),
        (*worker, "running", "done", None),
    ]
    assert _trail(world, queued.id) == [
        submitted,
        (lead.email, "run.cancel", None, None, None),
        (lead.email, "run.status", "queued", "cancelled", None),
    ]
    assert _trail(world, broken.id)[-1] == (*worker, "running", "failed", "error")
    assert _trail(world, silent.id)[-1] == (*worker, "running", "failed", "silent")
    assert _trail(world, killed.id)[-1] == (*worker, "running", "failed", "worker stopped")
    done = next(
        e for e in service.audit_log(store, world["manager"]) if e.detail.get("to") == "running"
    )
    assert {"host", "pid"} <= set(done.detail)


def test_a_worker_audits_a_run_whose_process_died_overran_or_was_stopped(world: World) -> None:
    store, lead = world.store, world["lead"]
    dies, overruns, stopped = (
        service.submit_run(store, lead, DAY, 1, kind="forecast") for _ in range(3)
    )
    with store.write() as session:  # a budget no run can keep
        session.execute(update(Run).where(Run.id == overruns.id).values(budget_seconds=0.0))
    fates = {dies.id: "die", overruns.id: "hang", stopped.id: "hang"}
    executor = Scripted(store, fates, pid=_dead_pid())
    settings = StoreSettings(database_url=world.url, run_workers=3, timeout_grace_seconds=0.0)
    loop = Worker(store, settings, executor)
    with audit_watch() as watch:
        loop.step()  # all three claimed
        loop.step()  # one died, one overran
        loop.shutdown(0.0)  # the last asked to cancel, then reaped
    assert watch.unaudited == []
    assert loop.stats.died == [dies.id, stopped.id]
    assert loop.stats.timed_out == [overruns.id]
    assert _trail(world, dies.id)[-1] == ("worker", "run.status", "running", "failed",
                                          "process died")  # fmt: skip
    assert _trail(world, overruns.id)[-1] == ("worker", "run.status", "running", "timed_out",
                                              "over budget")  # fmt: skip
    assert _trail(world, stopped.id)[-2:] == [
        ("worker", "run.cancel", None, None, "the worker is stopping"),
        ("worker", "run.status", "running", "failed", "process died"),
    ]


def test_every_change_through_the_service_and_commands_is_audited(
    world: World, empty_url: str, sample_dir: Path, tmp_path: Path
) -> None:
    """Every write path, each through its public function: the commands (seed, teams, users),
    the service (data, scenarios, runs, publishing, the freeze override, the agent's seen
    version and calendar token), the seed of ``make run`` and a restore."""
    store, lead, manager, agent = world.store, world["lead"], world["manager"], world["agent"]
    db = ("--database", world.url)
    first = made_run(store, lead, START, [("A001", "2026-11-22", "16:00", 6)])
    service.publish_run(store, manager, first)  # (audited: the second publish is watched)
    second = made_run(store, lead, START, [("A001", "2026-11-22", "17:00", 6)])
    file = tmp_path / "backup.gz"
    with audit_watch() as watch:
        assert main(["db", *db, "seed", str(sample_dir), "--team", "gamma"]) == 0
        assert main(["teams", *db, "add", "delta"]) == 0
        assert main(["users", *db, "add", "--email", "x@gamma.example", "--role", "lead",
                     "--team", "gamma"]) == 0  # fmt: skip
        assert main(["users", *db, "disable", "--email", "x@gamma.example"]) == 0
        assert main(["users", *db, "enable", "--email", "x@gamma.example"]) == 0
        service.import_dataset(store, lead, {"time_off.csv": "agent_id,date\n"}, on_top=True)
        scenario = service.create_scenario(store, lead, "busy", {"seed": 3})
        run = service.submit_run(store, lead, DAY, 1, kind="forecast", scenario_id=scenario.id)
        service.rename_scenario(store, lead, scenario.id, "busier")
        service.delete_scenario(store, lead, scenario.id)
        service.cancel_run(store, lead, run.id)
        service.publish_run(store, manager, second, override_reason="swap agreed")
        service.mark_seen(store, agent, 2)
        service.mark_seen(store, agent, 2)  # nothing changes: nothing to audit
        service.feed_token(store, agent)
        service.feed_token(store, agent, renew=True)
        assert seed.queue_seed(store, "gamma", DAY, 1, 5.0) is not None
        backup.backup(store, file)
        copy = Store(empty_url)
        migrate.upgrade(copy)
        backup.restore(copy, file)
    copy.dispose()
    assert watch.unaudited == []
    assert watch.audited >= 17  # one transaction per call above, each with its entry
    actions = [e.action for e in service.audit_log(store, manager, limit=1000)]
    for action in ("dataset.import", "scenario.rename", "scenario.delete", "roster.publish",
                   "roster.freeze_override", "user.seen", "calendar.feed_token"):  # fmt: skip
        assert action in actions
    assert actions.count("user.seen") == 1
    unlinked = next(e for e in service.audit_log(store, manager) if e.action == "scenario.delete")
    assert unlinked.detail["runs_unlinked"] == [run.id]
