"""Runs: queued in the database, executed beside the server, followed from anywhere.

Every solve here is tiny (the sample's 8 agents, 1 week, 1 CP-SAT worker, a few seconds, no
bounds process) and its independent check verdict is stored with the run and asserted.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, update

from planner.store import execute, ledger, runs, service
from planner.store.db import Store
from planner.store.execute import execute_run
from planner.store.executor import LocalProcessPool
from planner.store.models import Base, Run, RunFrame
from planner.store.settings import StoreSettings
from planner.store.worker import Worker
from tests.store.conftest import START, World
from tests.support.store import run_trail

ROOT = Path(__file__).resolve().parents[2]
DAY = date.fromisoformat(START)
TINY = {"time_limit": 2, "workers": 1, "lp_bound_seconds": 0}
LONG = {"time_limit": 60, "workers": 1, "lp_bound_seconds": 0}


def _scenario(world: World, name: str, overrides: dict[str, Any]) -> int:
    return service.create_scenario(world.store, world["lead"], name, overrides).id


def _settings(world: World, **changes: Any) -> StoreSettings:
    values: dict[str, Any] = {"database_url": world.url, "run_workers": 1, **changes}
    return StoreSettings(**values)


def _wait(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}")


def _counts(store: Store, leave_out: tuple[str, ...] = ()) -> dict[str, int]:
    with store.read() as session:
        return {
            t.name: int(session.scalar(select(func.count()).select_from(t)) or 0)
            for t in Base.metadata.sorted_tables
            if t.name not in leave_out
        }


def _assert_checked(run: service.RunView) -> None:
    assert run.check_ok is True, run.check
    assert run.check is not None
    assert run.check["violations"] == []
    assert run.check["agrees_with_solver"] is True


@pytest.mark.slow
def test_a_run_goes_queued_running_done_in_a_worker_process(world: World) -> None:
    store, lead = world.store, world["lead"]
    run = service.submit_run(store, lead, DAY, 1, scenario_id=_scenario(world, "tiny", TINY))
    assert run.status == "queued"
    assert run.inputs["scenario"]["time_limit"] == 2
    assert run.inputs["dataset_version"] == 1
    stats = Worker(store, _settings(world), LocalProcessPool(1)).run(once=True, poll_seconds=0.1)
    assert stats.started == [run.id]
    done = service.get_run(store, lead, run.id)
    assert done.status == "done", done.message
    assert done.solve_status in ("optimal", "feasible")
    assert done.proven_optimal == (done.solve_status == "optimal")
    _assert_checked(done)
    assert done.objective == done.check["objective"]  # type: ignore[index]
    assert done.report is not None
    assert set(done.report["terms"]) >= {"under_staffing", "fairness", "stability"}
    assert done.report["kpis"]["channels"]
    assert done.timings is not None
    assert done.timings["work_seconds"] > 0
    events = service.run_events(store, lead, run.id)
    phases = [e.phase for e in events]
    assert any(p.startswith("forecast") for p in phases)
    assert any(e.objective is not None for e in events)
    assert service.run_events(store, lead, run.id, after=events[-1].id) == []
    draft = service.draft_roster(store, lead, run.id)
    assert draft.shifts
    assert draft.breaks
    with store.read() as session:
        kinds = set(session.scalars(select(RunFrame.kind).where(RunFrame.run_id == run.id)))
    assert kinds == {"forecast", "requirements"}


@pytest.mark.slow
def test_a_cancelled_run_keeps_its_best_roster_marked_not_proven_optimal(world: World) -> None:
    store, lead = world.store, world["lead"]
    run = service.submit_run(store, lead, DAY, 1, scenario_id=_scenario(world, "long", LONG))
    worker = threading.Thread(target=execute_run, args=(store, run.id, 0.2))
    worker.start()
    _wait(
        lambda: any(e.objective is not None for e in service.run_events(store, lead, run.id)),
        60,
        "a first roster",
    )
    began = time.monotonic()
    assert service.cancel_run(store, lead, run.id).cancel_requested
    worker.join(60)
    assert time.monotonic() - began < 30
    cancelled = service.get_run(store, lead, run.id)
    assert cancelled.status == "cancelled"
    assert cancelled.proven_optimal is False
    assert cancelled.solve_status == "cancelled_with_roster"
    assert "not proven optimal" in cancelled.message
    _assert_checked(cancelled)
    assert service.draft_roster(store, lead, run.id).shifts
    assert run_trail(store, world["manager"], run.id)[-3:] == [
        ("worker", "run.status", "queued", "running", None),
        (lead.email, "run.cancel", None, None, None),
        ("worker", "run.status", "running", "cancelled", None),
    ]
    with pytest.raises(service.Refused, match="already cancelled"):
        service.cancel_run(store, lead, run.id)


def test_a_queued_run_cancelled_never_starts(world: World) -> None:
    store, lead = world.store, world["lead"]
    run = service.submit_run(store, lead, DAY, 1)
    assert service.cancel_run(store, lead, run.id).status == "cancelled"
    assert execute_run(store, run.id) is None  # a worker cannot claim it
    assert service.get_run(store, lead, run.id).started_at is None


@pytest.mark.slow
def test_a_worker_killed_mid_run_leaves_it_failed_on_the_next_start(world: World) -> None:
    store, lead = world.store, world["lead"]
    run = service.submit_run(store, lead, DAY, 1, scenario_id=_scenario(world, "long", LONG))
    command = [sys.executable, "-m", "planner", "worker", "--database", world.url]
    worker = subprocess.Popen(
        [*command, "--poll-seconds", "0.2"], cwd=ROOT, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        _wait(
            lambda: any(e.objective is not None for e in service.run_events(store, lead, run.id)),
            90,
            "the run to find a first roster in the worker",
        )
        before = _counts(store, leave_out=("run_events", "audit_log"))
        with store.read() as session:
            pid = session.scalar(select(Run.worker_pid).where(Run.id == run.id))
        assert pid is not None
        assert pid != worker.pid
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(10)
        # the run's own process dies with its worker (it never finishes unseen)
        _wait(lambda: not runs.pid_alive(pid), 10, "the run's process to die with the worker")
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(10)
    assert service.get_run(store, lead, run.id).status == "running"  # until a worker starts
    restart = subprocess.run(
        [*command, "--once"], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    assert restart.returncode == 0, restart.stderr
    assert "marked failed 1 left by a stopped worker" in restart.stdout
    failed = service.get_run(store, lead, run.id)
    assert failed.status == "failed"
    assert "worker stopped during the run" in failed.message
    assert failed.objective is None
    assert service.draft_roster(store, lead, run.id).shifts == ()
    # nothing else changed; the audit log says what happened to the run, and why
    assert _counts(store, leave_out=("run_events", "audit_log")) == before
    assert run_trail(store, world["manager"], run.id)[-1] == (
        "worker", "run.status", "running", "failed", "worker stopped",
    )  # fmt: skip


def test_a_run_silent_too_long_is_marked_failed_anywhere(world: World) -> None:
    store, lead = world.store, world["lead"]
    run = service.submit_run(store, lead, DAY, 1)
    assert runs.claim(store, run.id, pid=os.getpid())  # alive, but it stops beating
    with store.write() as session:
        stale = service.get_run(store, lead, run.id).started_at - timedelta(minutes=10)  # type: ignore[operator]
        session.execute(update(Run).where(Run.id == run.id).values(heartbeat_at=stale))
    assert runs.recover(store, stale_after=120) == [run.id]
    assert runs.recover(store, stale_after=120) == []
    # the presumed-dead process cannot write its results any more
    assert not execute.finish(store, run.id, execute.Outcome("done", "late"), {})
    assert service.get_run(store, lead, run.id).status == "failed"


@pytest.mark.slow
def test_a_run_over_its_budget_is_stopped_as_timed_out_and_changes_nothing(
    world: World,
) -> None:
    store, lead = world.store, world["lead"]
    run = service.submit_run(store, lead, DAY, 1, scenario_id=_scenario(world, "long", LONG))
    before = _counts(store, leave_out=("run_events", "runs", "audit_log"))
    with store.write() as session:  # a budget no solve can keep
        session.execute(update(Run).where(Run.id == run.id).values(budget_seconds=0.0))
    settings = _settings(world, timeout_grace_seconds=4.0)
    stats = Worker(store, settings, LocalProcessPool(1)).run(once=True, poll_seconds=0.1)
    assert stats.timed_out == [run.id]
    assert stats.started == [run.id]  # the budget counts from the claim: one start, no retries
    stopped = service.get_run(store, lead, run.id)
    assert stopped.status == "timed_out"
    assert stopped.objective is None
    assert service.draft_roster(store, lead, run.id).shifts == ()
    assert _counts(store, leave_out=("run_events", "runs", "audit_log")) == before
    assert run_trail(store, world["manager"], run.id)[-1] == (
        "worker", "run.status", "running", "timed_out", "over budget",
    )  # fmt: skip


def test_a_failing_run_is_marked_failed_with_its_reason_and_changes_nothing(
    world: World,
) -> None:
    store, lead = world.store, world["lead"]
    run = service.submit_run(store, lead, DAY, 1)
    with store.write() as session:  # inputs no pipeline accepts
        broken = {**run.inputs, "scenario": {**run.inputs["scenario"], "workers": "many"}}
        session.execute(update(Run).where(Run.id == run.id).values(inputs=broken))
    before = _counts(store, leave_out=("run_events", "runs", "audit_log"))
    assert execute_run(store, run.id) == "failed"
    failed = service.get_run(store, lead, run.id)
    assert failed.status == "failed"
    assert failed.message
    assert _counts(store, leave_out=("run_events", "runs", "audit_log")) == before


def test_a_forecast_run_stores_its_forecast_and_requirements(world: World) -> None:
    store, lead = world.store, world["lead"]
    run = service.submit_run(store, lead, DAY, 1, kind="forecast")
    assert execute_run(store, run.id, 0.2) == "done"
    done = service.get_run(store, lead, run.id)
    assert done.results is not None
    assert set(done.results["staff_hours_needed"]) == {"phone", "sms", "email"}
    with store.read() as session:
        frames = dict(
            session.execute(
                select(RunFrame.kind, RunFrame.content).where(RunFrame.run_id == run.id)
            ).all()
        )
    assert frames["requirements"].startswith("interval_start,channel,contacts,aht_seconds,")
    assert len(frames["forecast"].splitlines()) > 7 * 24  # a week of intervals per channel


@pytest.mark.slow
def test_a_sweep_solves_each_variant_and_stores_their_kpis(world: World) -> None:
    store, lead = world.store, world["lead"]
    tiny = {**TINY, "time_limit": 1}
    variants = [{"staffing.volume_multiplier": 0.5}, {"staffing.volume_multiplier": 1.0}]
    scenario = _scenario(world, "tiny", tiny)
    run = service.submit_run(store, lead, DAY, 1, kind="sweep", scenario_id=scenario,
                             variants=variants)  # fmt: skip
    assert run.inputs["variants"][0]["staffing"]["volume_multiplier"] == 0.5
    assert execute_run(store, run.id, 0.2) == "done"
    rows = service.get_run(store, lead, run.id).results["variants"]  # type: ignore[index]
    assert [r["scenario"] for r in rows] == ["tiny #1", "tiny #2"]
    assert all(r["check_ok"] is True for r in rows)
    half, full = (sum(r["under_staffed_hours"].values()) for r in rows)
    assert half < full  # half the contacts: less shortage


def test_bad_runs_are_refused_before_they_are_queued(world: World) -> None:
    store, lead = world.store, world["lead"]
    from planner.data.problems import InputError

    with pytest.raises(InputError) as bad:
        service.submit_run(store, lead, date(2026, 11, 23), 0)
    lines = [str(p) for p in bad.value.problems]
    assert any("2026-11-23 is a Monday; the week starts on Sun" in line for line in lines)
    assert any("weeks" in line for line in lines)
    with pytest.raises(service.Refused, match="not 'optimise'"):
        service.submit_run(store, lead, DAY, 1, kind="optimise")
    with pytest.raises(service.Refused, match="bad scenario: 'colour' is not a scenario key"):
        service.create_scenario(store, lead, "odd", {"colour": "red"})
    with pytest.raises(service.Refused, match="time_limit -1 must be more than 0"):
        service.create_scenario(store, lead, "odd", {"time_limit": -1})
    with pytest.raises(service.Refused, match="a sweep needs at least one variant"):
        service.submit_run(store, lead, DAY, 1, kind="sweep")
    assert service.list_runs(store, lead) == []


@pytest.mark.slow
def test_the_loop_closes_the_next_solve_reads_the_published_roster_and_ledger(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Week 1 is solved and published; the solve of week 2 is given that roster as
    ``previous`` and the ledger as fairness carry-over, with no file handled by anyone."""
    store, lead, manager = world.store, world["lead"], world["manager"]
    scenario = _scenario(world, "tiny", TINY)
    first = service.submit_run(store, lead, DAY, 1, scenario_id=scenario)
    assert execute_run(store, first.id, 0.2) == "done"
    _assert_checked(service.get_run(store, lead, first.id))
    version = service.publish_run(store, manager, first.id)
    published = service.roster_in_force(store, lead)
    sums = service.fairness_counts(store, lead)
    assert sums  # week 1 counted

    seen: dict[str, Any] = {}
    real = execute.run_pipeline

    def spy(*args: Any, **kwargs: Any) -> Any:
        seen.update(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(execute, "run_pipeline", spy)
    second = service.submit_run(store, lead, DAY + timedelta(days=7), 1, scenario_id=scenario)
    assert second.base_version_id == version.id
    assert execute_run(store, second.id, 0.2) == "done"
    previous = {(s.agent_id, s.start_utc, s.end_utc) for s in seen["previous"]}
    assert previous == {(s.agent_id, s.start_utc, s.end_utc) for s in published.shifts}
    # the ledger's sums as fairness_history.csv rows (tests/store/test_ledger.py proves them
    # equal to the file-based loop's)
    through = DAY + timedelta(days=6)
    assert seen["fairness_history"] == {a: ledger.as_carry(v, through) for a, v in sums.items()}
    done = service.get_run(store, lead, second.id)
    _assert_checked(done)  # checked with the previous roster: rest and days across the boundary
    assert service.publish_run(store, manager, second.id).version == 2
