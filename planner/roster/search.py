"""Improving a roster: large-neighbourhood search (LNS) around CP-SAT, and the two monolithic
modes the benchmark compares it with.

Modes:

- ``full`` (default): the constructive start (:mod:`planner.roster.construct`), then LNS until the
  time limit: repeatedly free a *neighbourhood*, keep everything else fixed to the incumbent
  (it enters the sub-model as constants, see :class:`planner.roster.variables.Scope`), re-solve it
  with CP-SAT for a few seconds with the incumbent as hint, and keep the result when the
  exact objective (:func:`planner.roster.model.evaluate`) improves. Coverage bookkeeping is
  incremental (:meth:`planner.roster.variables.Incumbent.replace`).
- ``plain``: one CP-SAT model of everything, no hint.
- ``hinted``: one CP-SAT model of everything, hinted with the constructive start.

Neighbourhoods, chosen at random with weights that follow their recent success:

- ``agent``: one agent over the whole horizon (a best response, priced exactly per shift:
  milliseconds); a first sweep does every agent once;
- ``agents``: a few random agents over the whole horizon;
- ``skill_days``: agents sharing a skill set over a few consecutive days;
- ``worst_day``: the agents able to work on a day drawn by its weighted shortage (what a
  shift can reach) and the email overdue from a backlog that began that day, over the day
  before to the day after next.

Each neighbourhood is sized by its number of free candidate shifts; the size grows when
sub-models solve to optimality quickly and shrinks when they time out.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from planner.roster.coverage import coverage_value
from planner.roster.model import build_model, evaluate, evaluate_incumbent, solve_model, total
from planner.roster.problem import RosterProblem
from planner.roster.variables import Incumbent, Scope, Solution

log = logging.getLogger(__name__)

KINDS = ("agent", "agents", "skill_days", "worst_day")
WHOLE_MODEL_CANDIDATES = 3000
"""Up to this many candidate shifts, LNS first solves the whole model (small instances are
proven optimal that way)."""


@dataclass(frozen=True)
class Progress:
    """One progress report: seconds since the solve began, objective of the best roster
    (breaks at default positions), best bound, relative gap, staff-hours the live channels
    are short."""

    elapsed: float
    objective: int | None
    bound: float | None
    gap: float | None
    under_staffed_hours: float | None
    phase: str


ProgressFn = Callable[[Progress], None]


@dataclass
class SearchResult:
    """The best roster found (``None``: none) and how the search went."""

    incumbent: Incumbent | None
    objective: int | None
    bound: float | None = None
    proven_optimal: bool = False
    cancelled: bool = False
    iterations: int = 0
    improvements: int = 0
    first_roster_seconds: float | None = None
    neighbourhoods: dict[str, tuple[int, int]] = field(default_factory=dict)
    infeasible: bool = False


def relative_gap(objective: float | None, bound: float | None) -> float | None:
    """``(objective - bound) / max(1, |objective|)``, or ``None`` without both."""
    if objective is None or bound is None:
        return None
    return max(0.0, (objective - bound) / max(1.0, abs(objective)))


def under_staffed_hours(problem: RosterProblem, incumbent: Incumbent) -> float:
    """Staff-hours the live channels need and do not get (unweighted). A deferred channel is
    left out: the roster answers it from a queue, not against its staffing profile."""
    grid = problem.grid
    covered = coverage_value(problem, incumbent.group_presence).covered
    return float((grid.live_need - covered).sum()) / 60.0


# --------------------------------------------------------------------------- monolithic


def solve_monolithic(
    problem: RosterProblem,
    *,
    hint: Incumbent | None,
    deadline: float,
    workers: int,
    seed: int,
    gap_limit: float,
    cancel: threading.Event | None,
    progress: ProgressFn | None,
    began: float,
    subsolvers: tuple[str, ...] = (),
) -> SearchResult:
    """One CP-SAT model of the whole roster (``plain`` without hint, ``hinted`` with one),
    solved until ``deadline`` (a :func:`time.perf_counter` value). With a hint, the hint is
    the result when CP-SAT finds nothing better: it is a valid roster."""
    built = build_model(problem, Scope.everything(problem), hint, hints=hint is not None)
    first: list[float] = []

    def on_solution(_: float, objective: float, bound: float) -> None:
        elapsed = time.perf_counter() - began
        if not first:
            first.append(elapsed)
        if progress is not None:
            obj = round(objective)
            progress(Progress(elapsed, obj, bound, relative_gap(obj, bound), None, "cp-sat"))

    outcome = solve_model(
        built,
        time_limit=max(0.05, deadline - time.perf_counter()),
        workers=workers,
        seed=seed,
        relative_gap=gap_limit,
        cancel=cancel,
        on_solution=on_solution,
        subsolvers=subsolvers,
    )
    del built
    cancelled = cancel is not None and cancel.is_set()
    fallback = None
    if hint is not None:
        fallback = SearchResult(
            hint,
            total(evaluate_incumbent(problem, hint)),
            outcome.bound,
            cancelled=cancelled,
            iterations=1,
        )
    if outcome.chosen is None:
        if fallback is not None:
            log.info("CP-SAT found no roster (%s): keeping the hint", outcome.status)
            return fallback
        return SearchResult(
            None,
            None,
            outcome.bound,
            cancelled=cancelled,
            infeasible=outcome.status == "INFEASIBLE",
        )
    incumbent = Incumbent.from_chosen(problem, _mask(problem, outcome.chosen))
    objective = total(evaluate_incumbent(problem, incumbent))
    if fallback is not None and fallback.objective is not None and fallback.objective < objective:
        return fallback
    return SearchResult(
        incumbent,
        objective,
        bound=outcome.bound,
        proven_optimal=outcome.status == "OPTIMAL",
        cancelled=cancelled,
        iterations=1,
        improvements=int(fallback is not None and fallback.objective != objective),
        first_roster_seconds=first[0] if first else time.perf_counter() - began,
    )


def _mask(problem: RosterProblem, ids: np.ndarray) -> np.ndarray:
    mask = np.zeros(len(problem.cands), dtype=bool)
    mask[ids] = True
    return mask


# --------------------------------------------------------------------------- LNS


@dataclass
class _Stats:
    tries: int = 0
    wins: int = 0


class _Neighbourhoods:
    """Draws scopes; adapts its size budget (free candidates) to how sub-solves go."""

    def __init__(self, problem: RosterProblem, rng: np.random.Generator) -> None:
        self.problem = problem
        self.rng = rng
        self.budget = 2500.0
        self.stats = {k: _Stats() for k in KINDS}
        self.counts = np.diff(problem.day_offsets, axis=1)  # candidates per (agent, day)
        self.day_of_interval = business_days(problem)
        self.reachable = np.asarray(problem.cands.presence.sum(axis=0)).ravel() > 0
        """Intervals some candidate shift is present in."""

    def pick_kind(self) -> str:
        weights = np.array(
            [
                0.5 if k == "agent" else (1 + self.stats[k].wins) / (2 + self.stats[k].tries)
                for k in KINDS
            ]
        )
        weights = weights / weights.sum()
        return str(self.rng.choice(KINDS, p=weights))

    def _fill(self, agents: list[int], days: range) -> tuple[int, ...]:
        """Take agents in the given order while the free candidates fit the budget."""
        chosen: list[int] = []
        size = 0
        for a in agents:
            n = int(self.counts[a, days.start : days.stop].sum())
            if not n:
                continue
            if chosen and size + n > self.budget:
                break
            chosen.append(a)
            size += n
        return tuple(sorted(chosen))

    def draw(self, kind: str, incumbent: Incumbent) -> Scope:
        problem = self.problem
        all_days = range(problem.n_days)
        if kind == "agents":
            order = self.rng.permutation(problem.n_agents).tolist()
            return Scope(self._fill(order, all_days), all_days)
        if kind == "skill_days":
            groups = problem.agent_group
            group = int(self.rng.choice(groups))
            span = int(self.rng.integers(2, 5))
            first = int(self.rng.integers(0, max(1, problem.n_days - span + 1)))
            days = range(first, min(problem.n_days, first + span))
            members = [
                a for a in self.rng.permutation(problem.n_agents).tolist() if groups[a] == group
            ]
            others = [
                a for a in self.rng.permutation(problem.n_agents).tolist() if groups[a] != group
            ]
            return Scope(self._fill(members + others, days), days)
        # worst_day: the day before (where presence can move from) to the day after next
        # (a backlog that began on ``day`` is late there whatever it holds)
        day = self._worst_day(incumbent)
        days = range(max(0, day - 1), min(problem.n_days, day + 3))
        # Agents working that day first, then others who could, in random order.
        order = self.rng.permutation(problem.n_agents).tolist()
        offsets = problem.day_offsets
        works = [bool(incumbent.chosen[offsets[a, day] : offsets[a, day + 1]].any()) for a in order]
        able = [bool(self.counts[a, day]) for a in order]
        order = [
            a
            for _, _, a in sorted(
                zip(works, able, order, strict=True), key=lambda x: (not x[0], not x[1])
            )
        ]
        return Scope(self._fill(order, days), days)

    def _worst_day(self, incumbent: Incumbent) -> int:
        """A day drawn with odds growing with what a neighbourhood there can win: the
        weighted live shortage no shift can reach is left out (nothing changes it), and
        email answered late counts on the day its backlog began (:func:`backlog_onsets`):
        the capacity that decides when a queue falls behind is there, while the days after
        are late whatever they hold."""
        problem = self.problem
        grid = problem.grid
        weights = problem.config.weights
        value = coverage_value(problem, incumbent.group_presence)
        short = ((grid.live_need - value.covered) * grid.priority[None, :]).sum(axis=1)
        short = weights.under_staffing * np.where(self.reachable, short, 0)
        onset, late = backlog_onsets(problem, value.served, value.overdue)
        days = np.concatenate([self.day_of_interval, self.day_of_interval[onset]])
        cost = np.concatenate([short, weights.deferred_overdue / 60 * late])
        per_day = np.bincount(days, weights=cost, minlength=problem.n_days)
        if per_day.sum() <= 0:
            return int(self.rng.integers(0, problem.n_days))
        odds = per_day**2
        return int(self.rng.choice(problem.n_days, p=odds / odds.sum()))

    def record(
        self, kind: str, improved: bool, optimal: bool, seconds: float, limit: float
    ) -> None:
        stats = self.stats[kind]
        stats.tries += 1
        stats.wins += int(improved)
        if kind == "agent":
            return
        if optimal and seconds < 0.5 * limit:
            self.budget = min(self.budget * 1.25, 40_000.0)
        elif not optimal:
            self.budget = max(self.budget * 0.8, 300.0)


def backlog_onsets(
    problem: RosterProblem, served: np.ndarray, overdue: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Each stretch of intervals in which a deferred queue has work overdue (due and not
    served, open or closed), as (the interval it begins in, its overdue staff-minutes summed
    over its due points x priority)."""
    backlog = problem.grid.deferred
    onsets, totals = [], []
    for k, channel in enumerate(backlog.channels):
        behind = backlog.due_by[:, k] > served[:, k]
        if not behind.any():
            continue
        edges = np.diff(np.concatenate([[0], behind.astype(np.int8), [0]]))
        starts, stops = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
        per_interval = np.concatenate([[0], np.cumsum(overdue[:, k])])
        onsets.append(starts)
        totals.append((per_interval[stops] - per_interval[starts]) * problem.grid.priority[channel])
    if not onsets:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    return np.concatenate(onsets), np.concatenate(totals).astype(float)


def business_days(problem: RosterProblem) -> np.ndarray:
    """Horizon day index (business time zone) of each grid interval, clipped to the horizon."""
    grid = problem.grid
    if grid.n_intervals == 0:
        return np.zeros(0, dtype=np.int64)
    starts = pd.date_range(
        grid.origin, periods=grid.n_intervals, freq=f"{grid.interval_minutes}min"
    )
    local = starts.tz_convert(problem.config.site.business_timezone).normalize().tz_localize(None)
    days = (local - pd.Timestamp(problem.horizon.start)).days.to_numpy()
    return np.clip(days, 0, problem.n_days - 1).astype(np.int64)


@dataclass
class _Whole:
    """The whole model's run: the better of its roster and the start, its exact objective,
    and CP-SAT's bound when it proved the model optimal."""

    incumbent: Incumbent
    objective: int
    bound: float | None


def _solve_whole(
    problem: RosterProblem,
    current: Incumbent,
    objective: int,
    *,
    deadline: float,
    sub_time_limit: float,
    workers: int,
    seed: int,
    cancel: threading.Event | None,
    subsolvers: tuple[str, ...] = (),
    share: float = 0.5,
) -> _Whole:
    """Solve the whole model once, for ``share`` of the time left (small instances)."""
    limit = min(
        max(sub_time_limit, share * (deadline - time.perf_counter())),
        deadline - time.perf_counter(),
    )
    built = build_model(problem, Scope.everything(problem), current)
    limit = min(limit, deadline - time.perf_counter())
    outcome = solve_model(
        built,
        time_limit=max(0.05, limit),
        workers=workers,
        seed=seed,
        cancel=cancel,
        subsolvers=subsolvers,
    )
    found = _Whole(current, objective, None)
    if outcome.chosen is None:
        return found
    trial = Incumbent.from_chosen(problem, _mask(problem, outcome.chosen))
    value = total(evaluate(problem, Solution.of(problem, trial)))
    if value <= objective:
        found = _Whole(trial, value, None)
    if outcome.status == "OPTIMAL":
        found.bound = outcome.bound
    return found


def lns(
    problem: RosterProblem,
    start: Incumbent,
    *,
    deadline: float,
    workers: int,
    seed: int,
    cancel: threading.Event | None,
    progress: ProgressFn | None,
    began: float,
    bound: float | None = None,
    gap_limit: float = 0.0,
    sub_time_limit: float = 3.0,
    poll_bound: Callable[[], float | None] | None = None,
    subsolvers: tuple[str, ...] = (),
    whole_model_share: float = 0.5,
) -> SearchResult:
    """Improve ``start`` until ``deadline`` (a :func:`time.perf_counter` value), ``cancel``,
    or a gap to ``bound`` of at most ``gap_limit``. ``poll_bound`` (never blocking) gives a
    bound that arrives or improves during the search (the bounds from their own process), or
    ``None``.

    Every sub-solve's time limit is clipped to the time left after its model is built, so
    the search ends at ``deadline`` give or take one CP-SAT stop (tens of milliseconds)."""
    rng = np.random.default_rng(seed)
    hoods = _Neighbourhoods(problem, rng)
    current = start.copy()
    objective = total(evaluate_incumbent(problem, current))
    run = _Run(
        problem,
        current,
        objective,
        bound,
        deadline,
        sweep=list(rng.permutation(problem.n_agents).tolist()),
        result=SearchResult(current, objective, bound=bound),
        progress=progress,
        began=began,
        subsolvers=subsolvers,
    )
    run.report("start")
    run.last_report = time.perf_counter()
    if not len(problem.cands):
        run.deadline = time.perf_counter()  # nothing to decide: the empty roster is the only one
        run.result.proven_optimal = True
        run.result.bound = float(objective) if bound is None else bound
    elif len(problem.cands) <= WHOLE_MODEL_CANDIDATES:
        # Small enough for one model: solve it whole first; optimal there is optimal overall.
        run.open_whole(
            sub_time_limit=sub_time_limit, workers=workers, seed=seed, cancel=cancel,
            share=whole_model_share,
        )  # fmt: skip
    while not run.should_stop(cancel, poll_bound, gap_limit):
        kind, scope = run.next_scope(hoods, rng)
        if not scope.agents:
            continue
        if not run.improve(
            hoods, kind, scope, sub_time_limit=sub_time_limit, workers=workers, seed=seed,
            cancel=cancel,
        ):  # fmt: skip
            break  # building the model used the time left
    run.report("end")
    result = run.result
    result.incumbent = run.current
    result.objective = run.objective
    result.neighbourhoods = {k: (s.tries, s.wins) for k, s in hoods.stats.items()}
    return result


@dataclass
class _Run:
    """The LNS's moving state: the current roster and its exact objective, the best bound
    known, the agents still to sweep first, the deadline (brought forward once the search
    is proven done), the result's counters and when progress was last reported."""

    problem: RosterProblem
    current: Incumbent
    objective: int
    bound: float | None
    deadline: float
    sweep: list[int]
    result: SearchResult
    progress: ProgressFn | None
    began: float
    subsolvers: tuple[str, ...] = ()
    last_report: float = 0.0

    def report(self, phase: str) -> None:
        if self.progress is None:
            return
        elapsed = time.perf_counter() - self.began
        self.progress(
            Progress(
                elapsed,
                self.objective,
                self.bound,
                relative_gap(self.objective, self.bound),
                under_staffed_hours(self.problem, self.current),
                phase,
            )
        )

    def open_whole(
        self,
        *,
        sub_time_limit: float,
        workers: int,
        seed: int,
        cancel: threading.Event | None,
        share: float,
    ) -> None:
        """Solve the whole model first (small instances) for ``share`` of the time left;
        stop when that proves optimal."""
        whole = _solve_whole(
            self.problem, self.current, self.objective, deadline=self.deadline,
            sub_time_limit=sub_time_limit, workers=workers, seed=seed, cancel=cancel,
            subsolvers=self.subsolvers, share=share,
        )  # fmt: skip
        self.result.iterations += 1
        if whole.incumbent is not self.current:
            self.result.improvements += 1
        self.current, self.objective = whole.incumbent, whole.objective
        if whole.bound is None:
            return
        self.bound = whole.bound if self.bound is None else max(self.bound, whole.bound)
        self.result.bound = self.bound
        # The model may price a roster below its exact value (a deferred channel may
        # take presence live-first would not give it): optimal for the model is
        # optimal overall only when the exact value meets the model's bound.
        if self.objective <= math.ceil(self.bound - 1e-6):
            self.result.proven_optimal = True
            self.sweep = []
            self.deadline = time.perf_counter()

    def should_stop(
        self,
        cancel: threading.Event | None,
        poll_bound: Callable[[], float | None] | None,
        gap_limit: float,
    ) -> bool:
        """Cancelled, past the deadline, or within ``gap_limit`` of the best bound (polled
        first)."""
        now = time.perf_counter()
        if cancel is not None and cancel.is_set():
            self.result.cancelled = True
            return True
        if now >= self.deadline:
            return True
        if poll_bound is not None:
            # Bounds arrive in steps (closed forms first, then each phase of LPs).
            polled = poll_bound()
            if polled is not None and (self.bound is None or polled > self.bound):
                self.bound = polled
                self.result.bound = self.bound
        gap = relative_gap(self.objective, self.bound)
        return gap is not None and gap <= gap_limit

    def next_scope(self, hoods: _Neighbourhoods, rng: np.random.Generator) -> tuple[str, Scope]:
        """The next neighbourhood: the sweep's next agent, then a drawn kind."""
        if self.sweep:
            return "agent", Scope((self.sweep.pop(),), range(self.problem.n_days))
        kind = hoods.pick_kind()
        if kind == "agent":
            return kind, Scope(
                (int(rng.integers(self.problem.n_agents)),), range(self.problem.n_days)
            )
        return kind, hoods.draw(kind, self.current)

    def improve(
        self,
        hoods: _Neighbourhoods,
        kind: str,
        scope: Scope,
        *,
        sub_time_limit: float,
        workers: int,
        seed: int,
        cancel: threading.Event | None,
    ) -> bool:
        """Re-solve ``scope`` and keep a better roster; ``False`` when building its model
        used the time left (nothing solved)."""
        problem = self.problem
        built = build_model(problem, scope, self.current)
        left = self.deadline - time.perf_counter()
        if left < 0.05:
            return False
        limit = min(sub_time_limit, left)
        free = built.variables.free_ids
        outcome = solve_model(
            built,
            time_limit=limit,
            workers=1 if kind == "agent" else workers,
            seed=seed + self.result.iterations,
            cancel=cancel,
            subsolvers=self.subsolvers,
        )
        self.result.iterations += 1
        improved = False
        if outcome.chosen is not None:
            trial = self.current.copy()
            trial.replace(problem, free[self.current.chosen[free]], outcome.chosen)
            value = total(evaluate(problem, Solution.of(problem, trial)))
            if value < self.objective:
                self.current, self.objective = trial, value
                self.result.improvements += 1
                improved = True
        hoods.record(kind, improved, outcome.status == "OPTIMAL", outcome.wall_seconds, limit)
        # At most one line a second while improving, and one every 10 s while not.
        since = time.perf_counter() - self.last_report
        if (improved and since >= 1.0) or since >= 10.0:
            self.last_report = time.perf_counter()
            self.report(kind)
        return True
