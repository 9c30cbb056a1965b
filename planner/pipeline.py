"""The whole pipeline as one pure function: (data set, scenario) -> result.

history -> forecast -> requirements (Erlang) -> roster (CP-SAT) -> check + KPIs.

No hidden state: everything a run depends on is in its arguments, so what-if sweeps can
fan out over threads or processes (the dashboard solves off its script thread; Ray later),
and two runs with the same inputs and seed give the same roster.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

import pandas as pd

from planner.data.holiday_calendar import HolidayCalendar
from planner.data.io import DataSet
from planner.data.roster_io import FairnessCarry, FairnessHistory
from planner.demand.forecast import forecast as make_forecast
from planner.demand.staffing import StaffingScenario, compute_requirements
from planner.domain import Horizon, Shift
from planner.roster.modes import Mode
from planner.verify.check import CheckResult, check_roster
from planner.verify.fairness import next_fairness_history
from planner.verify.kpi import compute_kpis

if TYPE_CHECKING:  # the solver (OR-Tools) loads when a pipeline runs, not on import
    from planner.roster.search import Progress
    from planner.roster.solve import SolveResult

Stage = Callable[[str], None]
"""Called with a short line as each stage starts (from the calling thread)."""


@dataclass(frozen=True)
class Scenario:
    """A what-if: staffing knobs and the solver's budget (``lp_bound_seconds``: the lower
    bounds' own limit, ``None`` for the time limit, 0 for none). Plain, picklable data."""

    name: str = "baseline"
    staffing: StaffingScenario = field(default_factory=StaffingScenario)
    time_limit: float = 60.0
    workers: int = 2
    seed: int = 0
    mode: Mode = "full"
    lp_bound_seconds: float | None = None


@dataclass
class PipelineResult:
    """Everything one run produced; the roster lives in ``solve.roster``."""

    scenario: Scenario
    horizon: Horizon
    calendar: HolidayCalendar
    forecast: pd.DataFrame
    requirements: pd.DataFrame
    solve: SolveResult
    check: CheckResult | None
    kpis: dict[str, Any] | None
    next_fairness_history: dict[str, FairnessCarry] | None = None
    """The next period's ``fairness_history.csv`` (carried counts + this roster's)."""


def calendar_for(data: DataSet, horizon: Horizon) -> HolidayCalendar:
    """The company holiday calendar over the history and the horizon (with margins)."""
    first = horizon.start.year - 1
    if data.history is not None and len(data.history):
        first = min(first, pd.Timestamp(data.history["interval_start"].min()).year - 1)
    return HolidayCalendar(data.config.holidays, range(first, horizon.end.year + 2))


def run_pipeline(
    data: DataSet,
    scenario: Scenario,
    start: date,
    weeks: int,
    *,
    stage: Stage | None = None,
    progress: Callable[[Progress], None] | None = None,
    cancel: threading.Event | None = None,
    previous: Sequence[Shift] = (),
    fairness_history: FairnessHistory | None = None,
) -> PipelineResult:
    """Forecast (unless the data set brings its own), staff, solve and check one horizon.

    ``start`` must be the configured first weekday (callers validate it with
    :func:`planner.data.io.check_horizon_start`). ``progress`` and ``cancel`` go to the solver.
    ``previous`` (the published roster before this one: rest, consecutive days and the freeze
    window) and ``fairness_history`` (``fairness_history.csv`` of earlier periods) go to the
    solver, the check and the KPIs alike, as ``solve --previous --fairness-history`` do; the
    result carries the next fairness history (carried counts + this roster's).
    """
    # Imported here, not above: the dashboard reads Scenario and calendar_for from this
    # module, and its pages must not wait for OR-Tools to load.
    from planner.roster.solve import SolveOptions, solve  # noqa: PLC0415

    say = stage or (lambda _line: None)
    horizon = Horizon(start, weeks)
    calendar = calendar_for(data, horizon)

    if data.forecast is not None:
        say("forecast: using the data set's forecast.csv")
        forecast = data.forecast
    else:
        if data.history is None:
            raise ValueError("the data set has neither history.csv nor forecast.csv")
        say(f"forecast: {weeks} week(s) from {start} from {len(data.history):,} history rows")
        forecast = make_forecast(data.history, data.config, calendar, start, weeks)

    say("staffing: Erlang per interval and channel")
    requirements = compute_requirements(forecast, data.config, scenario.staffing, calendar)

    say(
        f"solve: {len(data.agents)} agents, mode {scenario.mode}, "
        f"time limit {scenario.time_limit:g} s, {scenario.workers} worker(s)"
    )
    options = SolveOptions(
        time_limit=scenario.time_limit,
        workers=scenario.workers,
        seed=scenario.seed,
        mode=scenario.mode,
        lp_bound_seconds=scenario.lp_bound_seconds,
        cancel=cancel,
        progress=progress,
    )
    result = solve(
        data.agents,
        requirements,
        data.config,
        horizon,
        options,
        availability=data.availability,
        time_off=data.time_off,
        previous=previous,
        fairness_history=fairness_history,
        calendar=calendar,
    )

    check: CheckResult | None = None
    kpis: dict[str, Any] | None = None
    following: dict[str, FairnessCarry] | None = None
    if result.roster is not None:
        say("check: every hard rule, independently of the solver")
        check = check_roster(
            result.roster,
            data.agents,
            data.config,
            horizon,
            calendar,
            availability=data.availability,
            time_off=data.time_off,
            previous=previous,
            requirements=requirements,
            fairness_history=fairness_history,
        )
        kpis = compute_kpis(
            result.roster,
            data.agents,
            data.config,
            requirements,
            calendar,
            horizon,
            availability=data.availability,
            time_off=data.time_off,
            fairness_history=fairness_history,
        ).to_dict()
        following = next_fairness_history(
            result.roster,
            data.agents,
            data.config,
            horizon,
            calendar,
            time_off=data.time_off,
            fairness_history=fairness_history,
        )
    return PipelineResult(
        scenario, horizon, calendar, forecast, requirements, result, check, kpis, following
    )
