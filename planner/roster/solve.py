"""Build the roster: a pure function of its inputs, returning a :class:`SolveResult`.

``solve(agents, requirements, config, horizon, options, ...)`` prepares the candidates
(:mod:`planner.roster.candidates`), checks quickly that every agent's hard rules can hold (and
explains when not), builds a valid roster constructively (:mod:`planner.roster.construct`), improves
it (:mod:`planner.roster.search`) within the time limit, places the breaks
(:mod:`planner.roster.breaks`) and computes every objective term exactly on the final roster
(:func:`planner.roster.model.evaluate`). The constructive start always finishes (a valid roster
whatever the time limit); every later phase keeps to the deadline. With ``lp_bound_seconds``, lower
bounds on the objective and on each term (:mod:`planner.roster.bounds`) are computed in a child
process started with the solve, while it runs; when the search ends what they found is taken and the
child is stopped.

No globals, no printing, no files: the command line, the dashboard (in a thread, with a
``threading.Event`` to cancel) and batch runs call the same function. Setting ``cancel`` keeps
the best roster found so far (status ``cancelled_with_roster``: valid, not proven optimal).
"""

from __future__ import annotations

import logging
import pickle
import threading
import time as clock
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Literal

import numpy as np
import pandas as pd
from ortools.sat.python import cp_model

from planner.data.holiday_calendar import HolidayCalendar
from planner.data.roster_io import FairnessHistory, Preference
from planner.domain import (
    LEAD_SKILL,
    Agent,
    AgentRules,
    AvailabilityWindow,
    Break,
    Config,
    Horizon,
    Roster,
    Shift,
    ShiftCover,
    ShiftRequest,
    TimeOff,
)
from planner.roster.bounds import BoundInputs, BoundJob, Bounds
from planner.roster.breaks import PlacedShift, place_breaks
from planner.roster.candidates import prepare
from planner.roster.construct import construct
from planner.roster.coverage import allocate, allocate_in_order, live_order
from planner.roster.floors import shortfall
from planner.roster.model import TermValue, build_model, evaluate, total
from planner.roster.modes import Mode
from planner.roster.problem import RosterProblem
from planner.roster.search import (
    Progress,
    ProgressFn,
    SearchResult,
    lns,
    relative_gap,
    solve_monolithic,
)
from planner.roster.variables import Incumbent, Scope, Solution

log = logging.getLogger(__name__)

LP_SOURCE = "LP relaxation by week, HiGHS"
CP_SAT_SOURCE = "CP-SAT"

Status = Literal["optimal", "feasible", "infeasible", "cancelled_with_roster", "no_roster"]


@dataclass(frozen=True)
class SolveOptions:
    """How to solve: time limit (seconds), CP-SAT workers, seed, stop at this relative gap,
    search mode (``full``, ``plain``, ``hinted``), the bounds' own wall limit (seconds; they
    run in a child process alongside the search and are stopped when the search ends; 0:
    none; ``None``: the time limit), a cancel flag and a progress callback (called from the
    solving thread)."""

    time_limit: float = 60.0
    workers: int = 2
    seed: int = 0
    relative_gap: float = 0.0
    mode: Mode = "full"
    lp_bound_seconds: float | None = 0.0
    cancel: threading.Event | None = None
    progress: ProgressFn | None = None
    sub_time_limit: float = 3.0
    subsolvers: tuple[str, ...] = ()
    """CP-SAT full-problem subsolvers when it runs more than one worker (empty: CP-SAT's
    own portfolio); see :func:`planner.roster.model.solve_model`."""
    whole_model_share: float = 0.5
    """The share of the time left that the full search gives CP-SAT on the whole model first,
    on models of up to :data:`planner.roster.search.WHOLE_MODEL_CANDIDATES` candidates."""


@dataclass
class SolveResult:
    """What a solve gives.

    ``roster`` holds shifts and breaks (``None`` without one). ``objective`` and ``terms``
    are exact on that roster, breaks where they are (docs/OBJECTIVE.md). ``model_objective``
    is the same roster with breaks at their default positions: what the model optimises,
    what ``bound`` bounds and ``gap`` compares. Break placement afterwards only lowers the
    cost, so ``objective <= model_objective``; status ``optimal`` means no roster is better
    for the model (breaks at default positions), not that no break placement could do
    better. ``term_bounds`` are lower bounds on each term's raw model value (breaks at
    default positions), ``bound_methods`` say how each was found. ``explanation`` says why
    no roster exists (status ``infeasible``) or what the search noticed.
    """

    status: Status
    roster: Roster | None
    objective: int | None
    bound: float | None
    gap: float | None
    wall_seconds: float
    terms: dict[str, TermValue] = field(default_factory=dict)
    explanation: list[str] = field(default_factory=list)
    model_objective: int | None = None
    bound_source: str | None = None
    first_roster_seconds: float | None = None
    mode: Mode = "full"
    candidates: int = 0
    iterations: int = 0
    improvements: int = 0
    under_staffed_hours: dict[str, float] = field(default_factory=dict)
    floor_short_hours: dict[str, float] = field(default_factory=dict)
    """Staff-hours short of each channel's ``min_staff`` floor, and (key ``lead``) lead-hours
    short of ``min_leads``; only the floors that are set."""
    notes: list[str] = field(default_factory=list)
    prepare_seconds: float | None = None
    model_terms: dict[str, TermValue] = field(default_factory=dict)
    term_bounds: dict[str, int] = field(default_factory=dict)
    bound_methods: dict[str, str] = field(default_factory=dict)

    @property
    def has_roster(self) -> bool:
        return self.roster is not None


# --------------------------------------------------------------------------- pre-checks


def _hours(minutes: float) -> str:
    return f"{minutes / 60:g} h"


def precheck(problem: RosterProblem) -> list[str]:
    """Quick reasons, in a manager's words, why some agent's hard rules cannot all hold.

    Per agent and week: the lowest weekly hours must not exceed the highest, and the
    candidate shifts (one a day, at most ``7 - min_days_off`` days) must be able to add up
    to the weekly minimum. Frozen published shifts must still be possible shifts.
    """
    rules = problem.config.rules
    work_days = max(0, 7 - max(0, rules.min_days_off_per_week))
    found: list[str] = []
    for a in range(len(problem.agents)):
        found.extend(_agent_precheck(problem, a, work_days))
    found.extend(_frozen_precheck(problem))
    return found


def _agent_precheck(problem: RosterProblem, a: int, work_days: int) -> list[str]:
    """Agent ``a``'s reasons: no shift at all, or weeks whose hours cannot add up (weeks
    with the same reason share one message)."""
    agent = problem.agents[a]
    has_rows = any(w.agent_id == agent.agent_id for w in problem.availability)
    limits = ["their availability" if has_rows else "the shift rules"]
    if problem.time_off_days[a].any():
        limits.append("time off")
    limiter = " and ".join(limits) + (" allow" if len(limits) > 1 or not has_rows else " allows")
    lengths = "/".join(f"{h:g}" for h in agent.shift_hours)
    if not len(problem.candidates_of_agent(a)) and problem.min_minutes[a].any():
        return [
            f"agent {agent.agent_id} has no possible shift at all: no {lengths} h shift "
            f"(plus unpaid breaks, {_window_text(problem)}) fits, but they must work at "
            f"least {_hours(int(problem.min_minutes[a].max()))} a week"
        ]
    messages: dict[str, list[int]] = {}
    for w in range(problem.n_weeks):
        text = _week_precheck(problem, a, w, work_days, limiter=limiter, lengths=lengths)
        if text:
            messages.setdefault(text, []).append(w)
    return [
        f"agent {agent.agent_id} {text} in {_weeks_text(problem, weeks)}"
        for text, weeks in messages.items()
    ]


def _week_precheck(
    problem: RosterProblem, a: int, w: int, work_days: int, *, limiter: str, lengths: str
) -> str:
    """Why agent ``a``'s hours in week ``w`` cannot hold ("": they can, as far as seen)."""
    low, high = int(problem.min_minutes[a, w]), int(problem.max_minutes[a, w])
    if low > high:
        return f"must work at least {_hours(low)} but at most {_hours(high)} (max weekly hours)"
    if low <= 0:
        return ""
    totals, days = _week_totals(problem, a, w, work_days)
    if max(totals, default=0) < low:
        return (
            f"needs {_hours(low)} but {limiter} at most "
            f"{_hours(max(totals, default=0))}: a {lengths} h shift (plus unpaid "
            f"breaks) fits on {days} day(s), at most {work_days} days a week"
        )
    if not any(low <= t <= high for t in totals):
        sums = ", ".join(_hours(t) for t in sorted(totals) if t)
        wanted = f"exactly {_hours(low)}" if low == high else f"{_hours(low)} to {_hours(high)}"
        return f"needs {wanted} but {lengths} h shifts only add up to {sums}"
    return ""


def _frozen_precheck(problem: RosterProblem) -> list[str]:
    """Frozen published shifts (``stability.frozen_is_hard``) that are no possible shift."""
    if not (problem.has_previous and problem.config.stability.frozen_is_hard):
        return []
    found: list[str] = []
    for p in problem.published:
        if p.candidate < 0:
            agent = problem.agents[p.agent]
            where = (
                "lies outside the horizon"
                if p.day >= problem.n_days
                else "no longer fits the shift, availability, time-off or break rules"
            )
            found.append(
                f"agent {agent.agent_id}'s published shift starting "
                f"{p.shift.start_local:%Y-%m-%d %H:%M} is frozen (stability.frozen_is_hard) "
                f"but {where}"
            )
    return found


def _weeks_text(problem: RosterProblem, weeks: list[int]) -> str:
    first = problem.horizon.start
    if len(weeks) == 1:
        return f"week {weeks[0] + 1} (from {first + timedelta(days=7 * weeks[0])})"
    if weeks == list(range(weeks[0], weeks[-1] + 1)):
        return f"weeks {weeks[0] + 1}-{weeks[-1] + 1}"
    return "weeks " + ", ".join(str(w + 1) for w in weeks)


def _grid_notes(problem: RosterProblem) -> list[str]:
    """Say when requirements.csv reaches well outside the horizon: the objective counts its
    whole grid (docs/OBJECTIVE.md), so shortage there is a constant no roster can change."""
    grid = problem.grid
    if not grid.n_intervals:
        return ["requirements.csv has no rows: under- and over-staffing are 0"]
    zone = problem.config.site.zone
    first = datetime.combine(problem.horizon.start, time(), tzinfo=zone)
    last = datetime.combine(problem.horizon.end, time(), tzinfo=zone) + timedelta(days=1)
    end = grid.interval_start(grid.n_intervals - 1)
    if grid.origin < first or end >= last:
        return [
            f"requirements.csv runs from {grid.origin:%Y-%m-%d %H:%M} to {end:%Y-%m-%d %H:%M} "
            "UTC, beyond the horizon: staff needed there counts as a shortage no roster can fill"
        ]
    return []


def _clock(minutes: int) -> str:
    """Local clock text of minutes after midnight: ``24:00`` at midnight, ``02:00 next day``
    past it (so a latest end of 24:00 does not read as an empty window)."""
    text = f"{minutes // 60 % 24:02d}:{minutes % 60:02d}"
    if minutes == 1440:
        return "24:00"
    return text + " next day" if minutes > 1440 else text


def _window_text(problem: RosterProblem) -> str:
    shifts = problem.config.shifts
    return f"start {_clock(shifts.earliest_start)} or later, end by {_clock(shifts.latest_end)}"


def _week_totals(
    problem: RosterProblem, agent: int, week: int, work_days: int
) -> tuple[set[int], int]:
    """Paid minutes the agent's candidates can add up to in a week (one shift a day, at most
    ``work_days`` days; rest and consecutive days ignored), and the days with a candidate."""
    reach = {(0, 0)}
    days = 0
    for day in range(week * 7, min(week * 7 + 7, problem.n_days)):
        ids = problem.candidates_of(agent, day)
        lengths = set(problem.cands.paid[ids.start : ids.stop].tolist())
        days += bool(lengths)
        reach |= {(n + 1, m + length) for n, m in reach for length in lengths if n < work_days}
    return {m for _, m in reach}, days


def explain_agent(problem: RosterProblem, agent: int, time_limit: float = 10.0) -> list[str]:
    """Which hard rules of one agent conflict, from CP-SAT assumptions (one literal per
    rule; the candidate rules shape, availability, time off and breaks are given)."""
    built = build_model(
        problem, Scope((agent,), range(problem.n_days), diagnose=True, hard_only=True)
    )
    literals = built.variables.assumptions()
    if not literals:
        return []
    keys = list(literals)
    built.model.add_assumptions([literals[k] for k in keys])
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = 1
    solver.parameters.linearization_level = 2  # the LP proves counting conflicts at once
    solver.parameters.catch_sigint_signal = False
    status = solver.solve(built.model)
    agent_id = problem.agents[agent].agent_id
    if status != cp_model.INFEASIBLE:
        return []
    core = set(solver.sufficient_assumptions_for_infeasibility())
    rules = sorted({rule for (rule, _), lit in literals.items() if lit.index in core})
    if not rules:
        return [f"agent {agent_id}: the allowed shifts cannot satisfy the hard rules"]
    return [
        f"agent {agent_id}: these rules cannot all hold with the shifts their availability, "
        f"time off, shift lengths and breaks allow: {', '.join(rules)}"
    ]


# --------------------------------------------------------------------------- roster


def _roster(problem: RosterProblem, placed: Sequence[PlacedShift], chosen: np.ndarray) -> Roster:
    grid = problem.grid
    shifts: list[Shift] = [problem.to_shift(int(j)) for j in np.flatnonzero(chosen)]
    breaks: list[Break] = []
    for item in placed:
        agent_id = problem.agents[item.agent].agent_id
        for b in item.breaks:
            breaks.append(
                Break(agent_id, grid.instant(b.start), grid.instant(b.end), b.kind, b.paid)
            )
    return Roster(tuple(shifts), tuple(breaks))


def finish_roster(
    problem: RosterProblem, incumbent: Incumbent, deadline: float | None = None
) -> tuple[Roster, dict[str, TermValue], np.ndarray]:
    """Place the breaks of ``incumbent`` (moving them until ``deadline``, a
    :func:`time.perf_counter` value, if given) and compute its exact terms.

    A shift over an FLSA workweek start with unpaid breaks keeps its breaks where the model
    had them (in the larger part of the shift), so its paid minutes in each workweek stay the
    model's (:mod:`planner.roster.workweeks`). Returns the roster, its terms, and the presence
    per (interval, skill group).
    """
    cands = problem.cands
    ids = np.flatnonzero(incumbent.chosen)
    placed = [
        PlacedShift(
            int(cands.agent[j]),
            int(problem.cand_group[j]),
            int(cands.start[j]),
            int(cands.end[j]),
            problem.needs(int(j)),
            cands.default_breaks(int(j)),
        )
        for j in ids
    ]
    pinned = [
        bool(problem.workweeks.crosses[j]) and problem.needs(int(j)).unpaid_minutes > 0 for j in ids
    ]
    plan = place_breaks(
        [p for p, pin in zip(placed, pinned, strict=True) if not pin],
        incumbent.group_presence,
        problem.grid.listed,
        problem.grid.interval_minutes,
        problem.grid.epoch_minute,
        cost=_break_cost(problem),
        deadline=deadline,
    )
    terms = evaluate(problem, Solution(problem, incumbent.chosen, plan.group_presence))
    model_terms = evaluate(problem, Solution.of(problem, incumbent))
    if total(terms) > total(model_terms):
        # The break cost prices a deferred channel against its staff_needed profile, not its
        # queue: keep the default breaks when the exact objective says the moves did not pay.
        return _roster(problem, placed, incumbent.chosen), model_terms, incumbent.group_presence
    kept = [p for p, pin in zip(placed, pinned, strict=True) if pin]
    return _roster(problem, plan.shifts + kept, incumbent.chosen), terms, plan.group_presence


def _break_cost(problem: RosterProblem) -> Callable[[np.ndarray, np.ndarray], np.ndarray]:
    """The per-interval cost breaks are placed by: live shortage, idle time and the floors'
    shortfalls as in the objective; a deferred channel's queue is not per interval, so its
    ``staff_needed`` profile (the flattest capacity that answers it in time) stands in for it:
    a staff-minute short of the profile costs what a staff-minute overdue for a whole response
    window would (``weights.deferred_overdue`` is per staff-hour) x priority; presence beyond
    the profile counts as idle."""
    grid = problem.grid
    weights = problem.config.weights
    w_under, w_over = weights.under_staffing, weights.over_staffing
    window = max(
        (c.response_hours * 60 / grid.interval_minutes for c in problem.config.channels),
        default=1.0,
    )
    w_late = weights.deferred_overdue * window / 60
    deferred = np.zeros(len(grid.channels), dtype=bool)
    deferred[list(grid.deferred.channels)] = True
    order = (*live_order(grid), *grid.deferred.channels)

    floors = problem.floors

    def cost(rows: np.ndarray, t: np.ndarray) -> np.ndarray:
        covered = allocate_in_order(grid.need[t], rows, problem.group_mask, order)
        short = (grid.need[t] - covered) * grid.priority[None, :]
        under = short[:, ~deferred].sum(axis=1)
        late = short[:, deferred].sum(axis=1)
        idle = rows.sum(axis=1) - covered.sum(axis=1)
        staff = shortfall(floors.staff[t], rows, problem.group_mask).sum(axis=1)
        leads = shortfall(floors.leads[t, None], rows, floors.group_lead[:, None]).sum(axis=1)
        return np.asarray(
            w_under * under
            + w_late * late
            + w_over * idle
            + weights.min_staff * staff
            + weights.min_leads * leads
        )

    return cost


def _under_hours(problem: RosterProblem, presence: np.ndarray) -> dict[str, float]:
    grid = problem.grid
    covered = allocate(grid.need, presence, problem.group_mask, grid.priority)
    short = (grid.need - covered).sum(axis=0) / 60.0
    return {c: round(float(short[i]), 2) for i, c in enumerate(grid.channels)}


def _floor_hours(problem: RosterProblem, presence: np.ndarray) -> dict[str, float]:
    """Staff-hours short of each channel's ``min_staff`` floor (channels with one), and
    lead-hours short of ``min_leads`` (key ``lead``, when set)."""
    floors = problem.floors
    short = shortfall(floors.staff, presence, problem.group_mask).sum(axis=0) / 60.0
    hours = {
        c.name: round(float(short[i]), 2)
        for i, c in enumerate(problem.config.channels)
        if c.min_staff > 0
    }
    if problem.config.coverage.min_leads > 0:
        leads = shortfall(floors.leads[:, None], presence, floors.group_lead[:, None])
        hours[LEAD_SKILL] = round(float(leads.sum()) / 60.0, 2)
    return hours


# --------------------------------------------------------------------------- solve


def solve(
    agents: Sequence[Agent],
    requirements: pd.DataFrame,
    config: Config,
    horizon: Horizon,
    options: SolveOptions | None = None,
    *,
    availability: Iterable[AvailabilityWindow] = (),
    time_off: Iterable[TimeOff] = (),
    previous: Iterable[Shift] = (),
    preferences: Iterable[Preference] = (),
    fairness_history: FairnessHistory | None = None,
    calendar: HolidayCalendar | None = None,
    agent_rules: Iterable[AgentRules] = (),
    shift_requests: Iterable[ShiftRequest] = (),
    shift_cover: Iterable[ShiftCover] = (),
) -> SolveResult:
    """Build the best roster found within ``options.time_limit`` (see the module docstring).

    Whatever the time limit, mode ``full`` (and ``hinted``) return a valid roster when the
    constructive start finds one; status ``infeasible`` comes with an explanation naming
    agents and rules. Mode ``plain`` is CP-SAT alone on the whole model, for comparison: it
    may end without a roster (status ``no_roster``).
    """
    options = options or SolveOptions()
    began = clock.perf_counter()
    deadline = began + options.time_limit
    previous = tuple(previous)
    inputs = {
        "availability_rows": tuple(availability),
        "time_off_rows": tuple(time_off),
        "previous": previous,
        "preferences": tuple(preferences),
        "fairness_history": fairness_history,
        "calendar": calendar,
        "agent_rules": tuple(agent_rules),
        "shift_requests": tuple(shift_requests),
        "shift_cover": tuple(shift_cover),
    }

    def make(prune: bool) -> RosterProblem:
        return prepare(agents, requirements, config, horizon, prune=prune, **inputs)  # type: ignore[arg-type]

    problem = make(True)
    prepare_seconds = clock.perf_counter() - began
    log.info("prepared %d candidate shifts in %.1f s", len(problem.cands), prepare_seconds)
    problem.notes.extend(_grid_notes(problem))

    def result(status: Status, **kw: object) -> SolveResult:
        fields: dict[str, object] = {"roster": None, "objective": None, "bound": None, "gap": None}
        fields.update(kw)
        return SolveResult(
            status=status,
            wall_seconds=clock.perf_counter() - began,
            mode=options.mode,
            candidates=len(problem.cands),
            notes=list(problem.notes),
            prepare_seconds=prepare_seconds,
            **fields,  # type: ignore[arg-type]
        )

    reasons = precheck(problem)
    if reasons:
        return result("infeasible", explanation=reasons)

    bound_seconds = options.lp_bound_seconds
    with _BoundRun(options.time_limit if bound_seconds is None else bound_seconds) as lp:
        lp.start(
            BoundInputs(tuple(agents), requirements, config, horizon, inputs),
            deadline - clock.perf_counter(),
        )
        return _search(
            problem,
            options=options,
            began=began,
            deadline=deadline,
            previous=previous,
            make=make,
            result=result,
            lp=lp,
        )


class _BoundRun:
    """The bounds' child process (:class:`planner.roster.bounds.BoundJob`) for one solve: started
    with the solve, polled without blocking, stopped when the solve ends."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.job: BoundJob | None = None
        self.note: str | None = None

    def __enter__(self) -> _BoundRun:
        return self

    def __exit__(self, *_: object) -> None:
        if self.job is not None:
            self.job.close()

    def start(self, inputs: BoundInputs, remaining: float) -> None:
        limit = min(self.seconds, remaining)
        if limit <= 1:
            return
        try:
            self.job = BoundJob(inputs, limit)
        except (OSError, pickle.PicklingError, TypeError, AttributeError) as exc:
            # The bounds are a report, not the roster: the solve goes on without them.
            log.warning("bounds not started: %s", exc)
            self.note = f"bounds not started: {exc}"

    def poll(self) -> float | None:
        bounds = self.job.poll() if self.job is not None else None
        return None if bounds is None else float(bounds.total)

    def finish(
        self, wait_until: float, cancel: threading.Event | None
    ) -> tuple[Bounds | None, str | None]:
        """What the child found, and the note to report. A search that ended early (proven
        optimal, gap reached) leaves the bounds until ``wait_until`` to finish, unless
        cancelled; then the child is stopped."""
        if self.job is None:
            return None, self.note
        while (
            self.job.running
            and clock.perf_counter() < wait_until
            and not (cancel is not None and cancel.is_set())
        ):
            clock.sleep(0.05)
        return self.job.finish()


def _search(
    problem: RosterProblem,
    *,
    options: SolveOptions,
    began: float,
    deadline: float,
    previous: tuple[Shift, ...],
    make: Callable[[bool], RosterProblem],
    result: Callable[..., SolveResult],
    lp: _BoundRun,
) -> SolveResult:
    """Construct (not in ``plain`` mode), search until ``deadline``, finish the roster."""
    begun = _begin(problem, options, began, previous, make, result)
    if isinstance(begun, SolveResult):
        return begun
    problem = begun.problem
    until = deadline - _finish_reserve(problem, options, begun.incumbent)
    if begun.incumbent is not None and options.mode == "full":
        found = _run_lns(problem, begun, options, began, until, lp)
    else:
        found = _run_monolithic(problem, begun, options, began, until, lp)
        if found.search.incumbent is None:
            return _without_roster(problem, options, found, make, result)
    notes = begun.notes + ([found.lp_note] if found.lp_note else [])
    # Breaks move until shortly before the solve's deadline (evaluating the roster after them
    # took 10 s at 1,000 agents on a loaded machine), but at least for the reserve's time (the
    # constructive start may itself have run past the deadline).
    margin = min(15.0, 0.03 * options.time_limit)
    finish_by = max(
        deadline - margin, clock.perf_counter() + _finish_reserve(problem, options, None)
    )
    return _finished(problem, options, found, result, notes, finish_by)


@dataclass
class _Begun:
    """Where the search starts: the problem (unpruned when construct needed it), the
    constructed roster (``None`` in ``plain`` mode), when it was found, construct's notes."""

    problem: RosterProblem
    incumbent: Incumbent | None = None
    first_seconds: float | None = None
    notes: list[str] = field(default_factory=list)


@dataclass
class _Found:
    """What the search and the bounds' child gave: the best bound and its source."""

    search: SearchResult
    bounds: Bounds | None
    bound: float | None
    bound_source: str | None
    lp_note: str | None
    first_seconds: float | None


def _begin(  # noqa: PLR0917
    problem: RosterProblem,
    options: SolveOptions,
    began: float,
    previous: tuple[Shift, ...],
    make: Callable[[bool], RosterProblem],
    result: Callable[..., SolveResult],
) -> _Begun | SolveResult:
    """The constructive start (not in ``plain`` mode), or the result when it ends the solve
    (infeasible, no roster)."""
    if options.mode == "plain":
        return _Begun(problem)
    # Always finishes, whatever the time limit: a valid roster is the first promise.
    made = _construct(problem, options, _previous_hint(problem, previous), lambda: make(False))
    if made.explanation:
        return result("infeasible", explanation=made.explanation)
    if made.incumbent is None:
        return result("no_roster", explanation=made.notes)
    first_seconds = clock.perf_counter() - began
    if options.progress is not None:
        objective = total(evaluate(made.problem, Solution.of(made.problem, made.incumbent)))
        options.progress(Progress(first_seconds, objective, None, None, None, "construct"))
    return _Begun(made.problem, made.incumbent, first_seconds, list(made.notes))


def _finish_reserve(
    problem: RosterProblem, options: SolveOptions, start: Incumbent | None
) -> float:
    """Seconds kept to place the breaks of the final roster and evaluate it."""
    # Measured 4.5 s for 1,517 shifts (80 agents, 4 weeks) on a loaded 2-core machine, about
    # 3 ms a shift; 5,648 shifts (300 agents) took 150 s under a profiler with the machine
    # loaded. Breaks stop moving at the deadline (place_breaks), so this is what the search
    # leaves them, not a promise that they all get visited.
    expected_shifts = (
        int(start.chosen.sum()) if start is not None else 5 * problem.n_agents * problem.n_weeks
    )
    return min(0.25 * options.time_limit, 0.5 + 0.006 * expected_shifts)


def _best_bound(bounds: Bounds | None, cp_sat: float | None) -> tuple[float | None, str | None]:
    """The higher of the LP bounds' total and CP-SAT's bound (``None``: not proven)."""
    bound, source = (bounds.total, LP_SOURCE) if bounds is not None else (None, None)
    if cp_sat is not None and (bound is None or cp_sat > bound):
        return cp_sat, CP_SAT_SOURCE
    return bound, source


def _run_lns(  # noqa: PLR0917
    problem: RosterProblem,
    begun: _Begun,
    options: SolveOptions,
    began: float,
    until: float,
    lp: _BoundRun,
) -> _Found:
    """LNS from the constructed roster until ``until``; CP-SAT's bound counts only when the
    search proved optimality (a neighbourhood's bound is no bound of the whole)."""
    assert begun.incumbent is not None
    search = lns(
        problem,
        begun.incumbent,
        deadline=until,
        workers=options.workers,
        seed=options.seed,
        cancel=options.cancel,
        progress=options.progress,
        began=began,
        gap_limit=options.relative_gap,
        sub_time_limit=options.sub_time_limit,
        poll_bound=lp.poll,
        subsolvers=options.subsolvers,
        whole_model_share=options.whole_model_share,
    )
    search.first_roster_seconds = begun.first_seconds
    bounds, lp_note = lp.finish(until, options.cancel)
    bound, source = _best_bound(bounds, search.bound if search.proven_optimal else None)
    return _Found(search, bounds, bound, source, lp_note, begun.first_seconds)


def _run_monolithic(  # noqa: PLR0917
    problem: RosterProblem,
    begun: _Begun,
    options: SolveOptions,
    began: float,
    until: float,
    lp: _BoundRun,
) -> _Found:
    """CP-SAT on the whole model (hinted with the constructed roster, if any)."""
    search = solve_monolithic(
        problem,
        hint=begun.incumbent,
        deadline=until,
        workers=options.workers,
        seed=options.seed,
        gap_limit=options.relative_gap,
        cancel=options.cancel,
        progress=options.progress,
        began=began,
        subsolvers=options.subsolvers,
    )
    bounds, lp_note = lp.finish(until, options.cancel)
    bound, source = _best_bound(bounds, search.bound)
    first_seconds = begun.first_seconds
    if first_seconds is None or options.mode == "plain":
        first_seconds = search.first_roster_seconds
    return _Found(search, bounds, bound, source, lp_note, first_seconds)


def _without_roster(
    problem: RosterProblem,
    options: SolveOptions,
    found: _Found,
    make: Callable[[bool], RosterProblem],
    result: Callable[..., SolveResult],
) -> SolveResult:
    """CP-SAT ended with no roster: infeasible (explained), or out of time."""
    if found.search.infeasible:
        made = _construct(problem, options, None, lambda: make(False))
        return result(
            "infeasible",
            explanation=made.explanation or ["CP-SAT proved the hard rules cannot all hold"],
        )
    return result(
        "no_roster",
        bound=found.bound,
        explanation=["CP-SAT found no roster within the time limit"]
        + ([found.lp_note] if found.lp_note else []),
        bound_source=found.bound_source,
    )


def _finished(  # noqa: PLR0917
    problem: RosterProblem,
    options: SolveOptions,
    found: _Found,
    result: Callable[..., SolveResult],
    notes: list[str],
    deadline: float | None = None,
) -> SolveResult:
    """Place the final roster's breaks (until ``deadline``), evaluate it and say how good
    it is."""
    search, bound, bounds = found.search, found.bound, found.bounds
    incumbent = search.incumbent
    assert incumbent is not None
    model_terms = evaluate(problem, Solution.of(problem, incumbent))
    model_objective = total(model_terms)
    roster, terms, presence = finish_roster(problem, incumbent, deadline)
    cancelled = search.cancelled or (options.cancel is not None and options.cancel.is_set())
    gap = relative_gap(model_objective, bound)
    status: Status
    if cancelled:
        status = "cancelled_with_roster"
    elif search.proven_optimal or (gap is not None and gap <= 0):
        status = "optimal"
    else:
        status = "feasible"
    return result(
        status,
        roster=roster,
        objective=total(terms),
        bound=bound,
        gap=gap,
        terms=terms,
        model_objective=model_objective,
        bound_source=found.bound_source,
        first_roster_seconds=found.first_seconds,
        iterations=search.iterations,
        improvements=search.improvements,
        under_staffed_hours=_under_hours(problem, presence),
        floor_short_hours=_floor_hours(problem, presence),
        explanation=notes,
        model_terms=model_terms,
        term_bounds=dict(bounds.terms) if bounds is not None else {},
        bound_methods=dict(bounds.methods) if bounds is not None else {},
    )


@dataclass
class ConstructOutcome:
    problem: RosterProblem
    incumbent: Incumbent | None
    explanation: list[str]
    notes: list[str]


def _construct(
    problem: RosterProblem,
    options: SolveOptions,
    hint: np.ndarray | None,
    unpruned: Callable[[], RosterProblem],
) -> ConstructOutcome:
    """The constructive start; infeasible agents are re-checked without pruning, then
    explained."""
    made = construct(problem, seed=options.seed, cancel=options.cancel, hint=hint)
    if made.incumbent is None:
        return ConstructOutcome(problem, None, [], ["cancelled before a first roster"])
    if made.complete:
        return ConstructOutcome(problem, made.incumbent, [], [])
    if problem.pruned:
        # Pruning is a heuristic: never call an agent infeasible because of it.
        full = unpruned()
        made = construct(full, seed=options.seed, cancel=options.cancel)
        if made.incumbent is None:
            return ConstructOutcome(full, None, [], ["cancelled before a first roster"])
        if made.complete:
            return ConstructOutcome(full, made.incumbent, [], ["candidate pruning was lifted"])
        problem = full
    explanation: list[str] = []
    for a in made.infeasible_agents:
        explanation += explain_agent(problem, a) or [
            f"agent {problem.agents[a].agent_id}: the hard rules cannot all hold"
        ]
    for a in made.unknown_agents:
        explanation.append(
            f"agent {problem.agents[a].agent_id}: no schedule keeping every hard rule was found "
            "in time (not proven impossible)"
        )
    return ConstructOutcome(problem, None, explanation, [])


def _previous_hint(problem: RosterProblem, previous: Sequence[Shift]) -> np.ndarray | None:
    """Candidates equal to shifts of the previous roster in the horizon (warm start)."""
    if not previous:
        return None
    hint = np.zeros(len(problem.cands), dtype=bool)
    lookup = {
        (int(a), int(s), int(e)): j
        for j, (a, s, e) in enumerate(
            zip(problem.cands.agent, problem.cands.start, problem.cands.end, strict=True)
        )
    }
    index = problem.agent_index
    for shift in previous:
        a = index.get(shift.agent_id)
        if a is None:
            continue
        key = (a, problem.grid.minute(shift.start_utc), problem.grid.minute(shift.end_utc))
        j = lookup.get(key)
        if j is not None:
            hint[j] = True
    return hint if hint.any() else None
