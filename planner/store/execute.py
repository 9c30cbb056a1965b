"""One run, executed in a worker process: claim it, read its exact inputs, call the pipeline
(a pure function), and write everything it produced in one last transaction.

While the pipeline works, a monitor thread stores the progress events as they come, says the
run is alive and reads whether a cancel was asked for (then the solver stops and keeps its best
roster, which is stored, marked not proven optimal). Nothing but the run's own events and
heartbeat is written before the last transaction, and that one only lands while the run is
still this process's: a run killed, timed out or declared dead in the meantime changes nothing.
"""

from __future__ import annotations

import io
import json
import logging
import os
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pandas as pd
from sqlalchemy import update

from planner.data.io import INTERVAL_COLUMNS, REQUIREMENT_COLUMNS, DataSet, interval_rows
from planner.data.roster_io import FairnessCarry
from planner.demand.forecast import forecast as make_forecast
from planner.demand.staffing import compute_requirements
from planner.domain import Horizon
from planner.pipeline import PipelineResult, Scenario, calendar_for, run_pipeline
from planner.roster.search import Progress
from planner.store import ledger, rosters, runs
from planner.store.datasets import dataset_texts, load_texts
from planner.store.db import Store, now
from planner.store.models import Run, RunFrame
from planner.store.rosters import PREVIOUS_DAYS
from planner.store.scenarios import edit_dataset, from_json
from planner.verify.report import build_report

log = logging.getLogger(__name__)


@dataclass
class Loaded:
    """What a run was given, read back from the store."""

    kind: str
    team_id: int
    data: DataSet
    scenario: Scenario
    start: Any
    weeks: int
    previous: list[Any]
    carry_over: dict[str, FairnessCarry] | None
    variants: list[Scenario] = field(default_factory=list)


@dataclass
class Outcome:
    """What a run produced, ready for the last transaction."""

    status: str
    message: str = ""
    values: dict[str, Any] = field(default_factory=dict)
    rows: list[Any] = field(default_factory=list)


class Monitor:
    """The run's heartbeat: stores queued progress events, sets ``cancel`` when asked for."""

    def __init__(self, store: Store, run_id: int, every: float) -> None:
        self.store = store
        self.run_id = run_id
        self.every = every
        self.cancel = threading.Event()
        self.events: queue.SimpleQueue[runs.Event] = queue.SimpleQueue()
        self._stop = threading.Event()
        self._parent = os.getppid()
        self._thread = threading.Thread(target=self._loop, name=f"run-{run_id}", daemon=True)

    def __enter__(self) -> Monitor:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.flush()

    def progress(self, p: Progress) -> None:
        """The solver's progress callback (solver thread): queue only, never block it."""
        self.events.put(
            runs.Event(p.elapsed, p.objective, p.bound, p.gap, p.under_staffed_hours, p.phase)
        )

    def stage(self, line: str) -> None:
        self.events.put(runs.Event(None, None, None, None, None, line))

    def flush(self) -> None:
        drained = []
        while not self.events.empty():
            drained.append(self.events.get())
        if runs.beat(self.store, self.run_id, drained):
            self.cancel.set()

    def _loop(self) -> None:
        while not self._stop.wait(self.every):
            if os.getppid() != self._parent:
                # The worker that started us is gone: stop at once, write nothing.
                os._exit(3)
            try:
                self.flush()
            except Exception:
                log.warning("run %s: could not store progress", self.run_id, exc_info=True)


def load(store: Store, run_id: int) -> Loaded:
    """The exact inputs of a run."""
    with store.read() as session:
        run = session.get(Run, run_id)
        assert run is not None
        texts = dataset_texts(session, run.dataset_id)
        previous: list[Any] = []
        if run.kind in ("solve", "sweep") and run.base_version_id is not None:
            shifts, _ = rosters.in_force(
                session,
                run.team_id,
                run.start - timedelta(days=PREVIOUS_DAYS),
                run.start + timedelta(days=7 * run.weeks),
                up_to=run.base_version_id,
            )
            previous = [rosters.to_shift(s) for s in shifts]
        inputs = dict(run.inputs)
        kind, team_id, start, weeks = run.kind, run.team_id, run.start, run.weeks
    return Loaded(
        kind=kind,
        team_id=team_id,
        data=edit_dataset(load_texts(texts), inputs.get("data_edits") or {}),
        scenario=from_json(inputs["scenario"]),
        start=start,
        weeks=weeks,
        previous=previous,
        carry_over=ledger.carry_from_json(inputs.get("fairness_carry_over")),
        variants=[from_json(v) for v in inputs.get("variants", [])],
    )


def _csv(frame: pd.DataFrame, columns: tuple[str, ...]) -> str:
    buffer = io.StringIO()
    interval_rows(frame, columns).to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue()


def _plain(value: Any) -> Any:
    """JSON-ready (numbers from numpy, dates as text)."""
    return json.loads(json.dumps(value, default=str))


def _solve_outcome(run_id: int, loaded: Loaded, result: PipelineResult, cancelled: bool) -> Outcome:
    solved = result.solve
    report = _plain(build_report(solved, result.kpis))
    check = result.check
    values: dict[str, Any] = {
        "solve_status": solved.status,
        "proven_optimal": solved.status == "optimal",
        "objective": solved.objective,
        "model_objective": solved.model_objective,
        "bound": solved.bound,
        "gap": solved.gap,
        "report": report,
        "check_ok": None if check is None else check.ok,
        "check": None
        if check is None
        else _plain(
            {
                "ok": check.ok,
                "violations": [str(v) for v in check.violations],
                "terms": check.terms,
                "objective": check.objective,
                "agrees_with_solver": check.objective == solved.objective,
            }
        ),
    }
    rows: list[Any] = [
        RunFrame(run_id=run_id, kind="forecast", content=_csv(result.forecast, INTERVAL_COLUMNS)),
        RunFrame(
            run_id=run_id,
            kind="requirements",
            content=_csv(result.requirements, REQUIREMENT_COLUMNS),
        ),
    ]
    if solved.roster is not None:
        agents = {a.agent_id: a for a in loaded.data.agents}
        rows += rosters.shift_rows(
            solved.roster, agents, loaded.data.config, result.calendar, run_id=run_id
        )
        rows += rosters.break_rows(solved.roster.breaks, run_id=run_id)
    if solved.status == "cancelled_with_roster":
        status = "cancelled"
        message = "cancelled: the best roster found is kept, not proven optimal"
    elif solved.roster is None:
        status = "cancelled" if cancelled else "failed"
        message = "no roster: " + "; ".join(solved.explanation or [solved.status])
    elif check is not None and not check.ok:
        status = "done"
        message = f"the independent check found {len(check.violations)} violation(s)"
    else:
        status = "done"
        message = "proven optimal" if solved.status == "optimal" else "not proven optimal"
    return Outcome(status, message, values, rows)


def _solve(run_id: int, loaded: Loaded, monitor: Monitor) -> Outcome:
    result = run_pipeline(
        loaded.data,
        loaded.scenario,
        loaded.start,
        loaded.weeks,
        stage=monitor.stage,
        progress=monitor.progress,
        cancel=monitor.cancel,
        previous=loaded.previous,
        fairness_history=loaded.carry_over,
    )
    return _solve_outcome(run_id, loaded, result, monitor.cancel.is_set())


def _forecast(run_id: int, loaded: Loaded, monitor: Monitor) -> Outcome:
    data = loaded.data
    calendar = calendar_for(data, Horizon(loaded.start, loaded.weeks))
    if data.forecast is not None:
        frame = data.forecast
    elif data.history is not None:
        monitor.stage(f"forecast: {loaded.weeks} week(s) from {loaded.start}")
        frame = make_forecast(data.history, data.config, calendar, loaded.start, loaded.weeks)
    else:
        return Outcome("failed", "the data set has neither history.csv nor forecast.csv")
    monitor.stage("staffing: Erlang per interval and channel")
    needs = compute_requirements(frame, data.config, loaded.scenario.staffing, calendar)
    totals = needs.groupby("channel")["staff_needed"].sum() * data.config.site.interval_minutes
    return Outcome(
        "done",
        f"forecast of {len(frame):,} rows",
        {"results": {"staff_hours_needed": _plain((totals / 60).round(1).to_dict())}},
        [
            RunFrame(run_id=run_id, kind="forecast", content=_csv(frame, INTERVAL_COLUMNS)),
            RunFrame(run_id=run_id, kind="requirements", content=_csv(needs, REQUIREMENT_COLUMNS)),
        ],
    )


def _sweep(run_id: int, loaded: Loaded, monitor: Monitor) -> Outcome:
    rows = []
    for number, variant in enumerate(loaded.variants, start=1):
        if monitor.cancel.is_set():
            break
        monitor.stage(f"variant {number}/{len(loaded.variants)}: {variant.name}")
        result = run_pipeline(
            loaded.data,
            variant,
            loaded.start,
            loaded.weeks,
            progress=monitor.progress,
            cancel=monitor.cancel,
            previous=loaded.previous,
            fairness_history=loaded.carry_over,
        )
        kpis = result.kpis or {}
        rows.append(
            _plain(
                {
                    "variant": number,
                    "scenario": variant.name,
                    "status": result.solve.status,
                    "objective": result.solve.objective,
                    "under_staffed_hours": result.solve.under_staffed_hours,
                    "check_ok": None if result.check is None else result.check.ok,
                    "kpis": kpis,
                }
            )
        )
    cancelled = monitor.cancel.is_set()
    return Outcome(
        "cancelled" if cancelled else "done",
        f"{len(rows)} of {len(loaded.variants)} variant(s) solved",
        {"results": {"variants": rows}},
    )


KINDS: dict[str, Callable[[int, Loaded, Monitor], Outcome]] = {
    "solve": _solve,
    "forecast": _forecast,
    "sweep": _sweep,
}


def finish(store: Store, run_id: int, outcome: Outcome, timings: dict[str, float]) -> bool:
    """The run's last transaction: results, draft roster and frames, all or nothing, and only
    while the run is still this process's."""
    pid = os.getpid()
    with store.write() as session:
        changed = session.execute(
            update(Run)
            .where(
                Run.id == run_id,
                Run.status == "running",
                Run.worker_pid == pid,
                Run.worker_host == runs.HOST,
            )
            .values(
                status=outcome.status,
                message=outcome.message,
                finished_at=now(),
                timings=timings,
                **outcome.values,
            )
        )
        if not changed.rowcount:  # type: ignore[attr-defined]
            session.rollback()
            return False
        session.add_all(outcome.rows)
        results = ("solve_status", "proven_optimal", "objective", "check_ok")
        runs.audit_status(
            session,
            run_id,
            "running",
            outcome.status,
            message=outcome.message,
            **{k: outcome.values[k] for k in results if k in outcome.values},
        )
    return True


def execute_run(store: Store, run_id: int, heartbeat_seconds: float = 1.0) -> str | None:
    """Claim and execute one queued run; returns its final status (``None``: another process
    took it first, or it was no longer this process's when it ended)."""
    if not runs.claim(store, run_id):
        return None
    began = time.monotonic()
    try:
        loaded = load(store, run_id)
        read = time.monotonic()
        with Monitor(store, run_id, heartbeat_seconds) as monitor:
            outcome = KINDS[loaded.kind](run_id, loaded, monitor)
        worked = time.monotonic()
        timings = {
            "load_seconds": round(read - began, 3),
            "work_seconds": round(worked - read, 3),
        }
        if finish(store, run_id, outcome, timings):
            return outcome.status
        return None
    except Exception as error:
        log.warning("run %s failed", run_id, exc_info=True)
        message = f"{type(error).__name__}: {error}"
        runs.end(store, run_id, "failed", message, pid=os.getpid(), why="error")
        return "failed"
