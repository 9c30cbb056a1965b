"""Lower bounds of the roster objective, in total and term by term.

A roster's model objective is ``sum weight x raw`` over the terms of docs/OBJECTIVE.md, with
breaks at their default positions. :func:`compute_bounds` gives

- per term, a lower bound on its raw value that holds for every roster keeping the hard rules
  (the least that term can be, whatever the other terms cost), and
- a lower bound on the whole objective,

so that a report can say of each term how far the roster is from the best possible.

Why by weeks: the LP relaxation of the whole model took 80-125 s at 80 agents on one core and
did not finish at 300 agents in 300 s. The weeks of the horizon are tied to each other only by
rules across a week boundary (rest and consecutive days over Saturday night), by fairness and
stability (horizon-wide terms), and by intervals that shifts of two weeks both reach. Leaving
those ties out is a relaxation, so still a bound, and splits the LP into one LP per week of a
quarter of the size; interior point time grows faster than size, so the four solve in about a
third of the time (80 agents: about 30 s for the four, 80-130 s for the whole LP).

Per week ``w`` the model is every hard rule over the week's days with every other day empty
(:class:`planner.roster.variables.Scope` with ``aggregate``), and these costs over the intervals
that only this week's candidates reach:

- ``under_w = sum_{t, c live} priority_c (need_tc - covered_tc)``
- ``over_w = sum_t (sum_g presence_tg - sum_c covered_tc - sum_e served_te)``: the week's
  deferred queues start with nothing served before the week and may serve all the work
  arrived since the grid's start (a true roster has served some of it already: the week's
  LP can serve at least as much as the roster does in the week), so this stays a bound
- ``overtime_w``, ``preferences_w``: the model's own terms (the other weeks are empty, so they
  count this week only). An FLSA workweek that two horizon weeks share is counted by each
  with its own minutes only: ``max(0, a - r) + max(0, b - r) <= max(0, a + b - r)`` for
  ``a, b, r >= 0``, so the sum over weeks still bounds its overtime.

Intervals no candidate reaches add their whole shortage; intervals that candidates of two weeks
reach are left out (every term is non-negative, so leaving a part out keeps a bound).

The bounds, each rounded up (raw values are integers):

- ``under_staffing``: ``sum_w min under_w`` + the unreachable shortage (until those LPs end:
  the unreachable shortage alone);
- ``over_staffing``: ``sum_w min over_w`` (until those LPs end: 0);
- ``overtime``: per agent and FLSA workweek, ``max(0, minutes the weekly minimums force into
  it - its allowance)`` (the hard weekly minimum forces it; :func:`overtime_bound`);
- ``fairness``: per group and kind, the least raw value that counts within each agent's reach
  (carry-over to carry-over + the most units of that kind the agent could work) can give, the
  team total taken free (:func:`fairness_bound`);
- ``min_staff``, ``min_leads``: the shortfall if every agent were present in each open
  interval as long as all their candidate shifts together reach into it
  (:func:`planner.roster.floors.reach_bound`; 0 when nothing is short that way);
- ``preferences``, ``stability``, ``deferred_overdue``: 0 (not computed: a week's queue
  does not know what the weeks before left in it);
- total: ``sum_w min (weighted under_w + over_w + overtime_w + preferences_w)`` + the weighted
  unreachable shortage + the weighted fairness, ``min_staff`` and ``min_leads`` bounds; never
  below ``sum weight x term bound`` (which is the total until the first LPs end).

Candidates are not pruned here (:func:`planner.roster.candidates.prepare` with ``prune=False``): the
search's pruning is a heuristic, the bound must hold for every roster. The LPs run in order
(every week's total, which is what the gap is measured against, then under-staffing, then
over-staffing)
within one time limit; a solve cut short still gives a valid, weaker bound
(:meth:`planner.roster.lp_bound.Relaxation.minimise`).

:class:`BoundJob` runs all of it in a child process (``python -m planner.roster.bounds``) that can
always be killed, and reads what it has found so far.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import json
import logging
import math
import os
import pickle
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from constraints import fairness as fairness_rule
from constraints import overtime as overtime_rule
from constraints.registry import SOFT_RULES
from planner.data.atomic import write_text
from planner.domain import Agent, Config, Horizon
from planner.roster.candidates import prepare
from planner.roster.floors import reach_bound
from planner.roster.lp_bound import (
    InfeasibleRelaxation,
    LpSolution,
    Relaxation,
    UnsupportedConstraintError,
    integer_bound,
    model_proto,
    relax,
)
from planner.roster.model import build_model
from planner.roster.problem import KINDS, RosterProblem
from planner.roster.variables import Scope

log = logging.getLogger(__name__)

TERM_NAMES = tuple(rule.name for rule in SOFT_RULES)
_KILL_GRACE = 5.0
"""Seconds past its own time limit after which the child process ends itself (SIGALRM)."""


@dataclass(frozen=True)
class BoundInputs:
    """What :func:`planner.roster.candidates.prepare` needs, to prepare the unpruned problem (in the
    child process, off the solving process's time)."""

    agents: tuple[Agent, ...]
    requirements: pd.DataFrame
    config: Config
    horizon: Horizon
    options: Mapping[str, Any]

    def problem(self) -> RosterProblem:
        return prepare(
            self.agents, self.requirements, self.config, self.horizon, prune=False, **self.options
        )


@dataclass(frozen=True)
class Bounds:
    """Lower bounds on the model objective (``total``) and on each term's raw value
    (``terms``), how each term's was found (``methods``); ``complete`` when every LP ended
    proven optimal."""

    total: int
    terms: dict[str, int]
    seconds: float
    complete: bool = False
    notes: tuple[str, ...] = ()
    methods: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps(
            {
                "total": self.total,
                "terms": self.terms,
                "seconds": round(self.seconds, 3),
                "complete": self.complete,
                "notes": list(self.notes),
                "methods": self.methods,
            }
        )

    @classmethod
    def from_json(cls, text: str) -> Bounds:
        data = json.loads(text)
        return cls(
            total=data["total"],
            terms=dict(data["terms"]),
            seconds=float(data["seconds"]),
            complete=bool(data["complete"]),
            notes=tuple(data["notes"]),
            methods=dict(data["methods"]),
        )


@dataclass
class _Week:
    """One week's relaxation and its cost vectors (raw units)."""

    relaxation: Relaxation
    total: np.ndarray
    total_constant: float
    under: np.ndarray
    under_constant: float
    over: np.ndarray


def _interval_weeks(problem: RosterProblem) -> np.ndarray:
    """(intervals x weeks): which weeks' candidates reach each interval."""
    presence = problem.cands.presence.tocoo()
    reach = np.zeros((problem.grid.n_intervals, problem.n_weeks), dtype=bool)
    reach[presence.col, problem.cands.day[presence.row] // 7] = True
    return reach


def overtime_bound(problem: RosterProblem) -> int:
    """Per agent and FLSA workweek: ``max(0, forced minutes - allowance)``. A horizon week's
    candidates can put at most ``cap[w, k]`` paid minutes in workweek ``k`` (per day, the
    most any one candidate puts there, times ``rules.max_shifts_per_day``), so the week's
    minimum forces ``max(0, min_w - sum of its caps in the other workweeks)`` into ``k``;
    the allowance is what the workweek takes before overtime (the threshold less the
    previous roster's minutes there, at least 0)."""
    cands, weeks = problem.cands, problem.workweeks
    room = overtime_rule.allowance(problem)
    per_day = max(1, problem.config.rules.max_shifts_per_day)
    total = 0
    for a in range(problem.n_agents):
        ids = problem.candidates_of_agent(a)
        own = slice(ids.start, ids.stop)
        day, index, paid, first = (
            cands.day[own],
            weeks.index[own],
            cands.paid[own],
            weeks.first[own],
        )
        most = np.zeros((problem.n_days, weeks.count + 1), dtype=np.int64)
        np.maximum.at(most, (day, index), first)
        np.maximum.at(most, (day, index + 1), paid - first)
        cap = most[:, : weeks.count].reshape(problem.n_weeks, 7, -1).sum(axis=1) * per_day
        elsewhere = cap.sum(axis=1, keepdims=True) - cap
        forced = np.maximum(0, problem.min_minutes[a][:, None] - elsewhere) * (cap > 0)
        total += int(np.maximum(0, forced.sum(axis=0) - room[a]).sum())
    return total


def fairness_bound(problem: RosterProblem) -> int:
    """Per group and kind, the least raw value any count within reach gives: each agent's
    count lies in ``[carry, carry + most]`` (most: per day, the largest kind units among the
    agent's candidates that day, times ``rules.max_shifts_per_day``); for every whole team
    total ``T`` in reach, each agent's deviation is at least that of the whole count in its
    range nearest its share ``T x E_a / E`` (the tie between the counts and ``T`` is dropped,
    which only lowers the minimum). Weighted by ``fairness.kind_weights``."""
    most = _most_units(problem)
    total = 0
    for group in fairness_rule.groups(problem):
        members = group.members
        if group.weight == 0 or len(members) < 2:
            continue
        exposure = np.asarray(fairness_rule.reduced(problem.fairness_exposure[members]), np.int64)
        low = problem.fairness_carry[members, group.kind]
        high = low + most[members, group.kind]
        total += group.weight * _least_group_raw(low, high, exposure)
    return total


def _most_units(problem: RosterProblem) -> np.ndarray:
    """(agents x kinds) the most units of each kind an agent's candidates can add."""
    cands = problem.cands
    per_day = max(1, problem.config.rules.max_shifts_per_day)
    most = np.zeros((problem.n_agents, len(KINDS)), dtype=np.int64)
    if not len(cands):
        return most
    key = cands.agent.astype(np.int64) * problem.n_days + cands.day
    for k in range(len(KINDS)):
        best = np.zeros(problem.n_agents * problem.n_days, dtype=np.int64)
        np.maximum.at(best, key, cands.kinds[:, k].astype(np.int64))
        most[:, k] = best.reshape(problem.n_agents, problem.n_days).sum(axis=1) * per_day
    return most


def _least_group_raw(low: np.ndarray, high: np.ndarray, exposure: np.ndarray) -> int:
    """``min over whole T in [sum low, sum high]`` of ``floor((200 S(T) + E) / (2 E))`` with
    ``S(T) = sum_a min over whole c in [low_a, high_a] of |c E - T e_a|`` (0 when the
    integers could overflow: a bound of 0 is always valid)."""
    big_e = int(exposure.sum())
    cap = 2**62 // (400 * len(low))  # every |c E - T e_a| below it: 200 S + E fits in int64
    if big_e <= 0 or max(int(high.max()) * big_e, int(high.sum()) * int(exposure.max())) > cap:
        return 0
    best: int | None = None
    totals = np.arange(int(low.sum()), int(high.sum()) + 1, dtype=np.int64)
    for chunk in np.array_split(totals, max(1, len(totals) * len(low) // 1_000_000 + 1)):
        share = chunk[:, None] * exposure[None, :]  # T e_a
        nearest = np.clip((2 * share + big_e) // (2 * big_e), low[None, :], high[None, :])
        spread = np.abs(nearest * big_e - share).sum(axis=1)
        raw = int(((200 * spread + big_e) // (2 * big_e)).min())
        best = raw if best is None else min(best, raw)
    return best or 0


def _week(problem: RosterProblem, week: int, own: np.ndarray) -> _Week:
    """The week's model (aggregated), relaxed, with its cost vectors over ``own`` intervals."""
    days = range(7 * week, min(7 * week + 7, problem.n_days))
    scope = Scope(tuple(range(problem.n_agents)), days, aggregate=True)
    built = build_model(problem, scope, hints=False)
    cov = built.variables.coverage()
    grid = problem.grid
    weights = problem.config.weights
    terms = {t.name: t for t in built.terms}
    n_vars = len(built.model.proto.variables)
    under = np.zeros(n_vars)
    over = np.zeros(n_vars)
    under_constant = 0.0
    for (t, c), var in cov.covered_vars.items():
        if own[t]:
            under_constant += float(grid.priority[c] * grid.need[t, c])
            under[var.index] -= float(grid.priority[c])
            over[var.index] -= 1.0
    for (t, _), var in cov.presence_vars.items():
        if own[t]:
            over[var.index] += 1.0
    for (t, _), var in cov.served_vars.items():
        if own[t]:
            over[var.index] -= 1.0  # minutes a deferred queue answers are not idle
    # The model's own overtime and preference terms, read back as a cost vector; the
    # coverage costs above are added to it.
    built.model.minimize(
        terms["overtime"].weight * terms["overtime"].expr
        + terms["preferences"].weight * terms["preferences"].expr
    )
    proto = model_proto(built.model)
    del built
    relaxation = relax(proto)
    own_terms = relaxation.objective
    return _Week(
        relaxation=relaxation,
        total=own_terms.c + weights.under_staffing * under + weights.over_staffing * over,
        total_constant=own_terms.constant + weights.under_staffing * under_constant,
        under=under,
        under_constant=under_constant,
        over=over,
    )


def compute_bounds(
    problem: RosterProblem,
    time_limit: float,
    on_update: Callable[[Bounds], None] | None = None,
) -> Bounds:
    """Every bound of the module docstring within ``time_limit`` seconds; ``on_update`` gets
    the bounds found so far after each phase (it is how the child process reports).

    Every term has a bound from the start (its closed form, or 0); an LP that finishes
    replaces it, and ``methods`` says where each came from.
    """
    run = _start_bounds(problem, time_limit, on_update)
    run.report(run.current())
    weeks = _build_weeks(problem, run)
    if weeks is None:
        return run.current()
    # The total first: the gap is measured against it, and at 300 agents and more on a shared
    # 2-core machine only the first phase's LPs end inside the solve (with under-staffing
    # first, the 300-agent gap was against its 284,280 where the total's is 387,458).
    phases = (
        ("total", lambda week: week.total, lambda week: week.total_constant),
        ("under_staffing", lambda week: week.under, lambda week: week.under_constant),
        ("over_staffing", lambda week: week.over, lambda _: 0.0),
    )
    for name, cost, constant in phases:
        if time.perf_counter() >= run.deadline:
            run.timed_out = True
            break
        value = run.phase(weeks, cost, constant)
        if value is None:
            return run.current()
        run.record(name, value)
        run.report(run.current())
    if run.timed_out:
        run.notes.append("time limit reached: the bounds hold but are weaker than the LPs allow")
    if run.unproven:
        run.notes.append(
            f"{len(run.unproven)} LP(s) ended without proof of optimality ({run.unproven[0]}): "
            "their bounds hold, from the multipliers"
        )
    return run.report(run.current(complete=not run.timed_out))


@dataclass
class _BoundsRun:
    """:func:`compute_bounds`' moving state: each term's raw bound and where it came from,
    the LP total once known, the notes, and whether an LP ran out of time or ended unproven.
    ``reach``/``reached_by``: which weeks reach each interval, and from how many weeks;
    ``unreachable``: the weighted need no shift can reach."""

    problem: RosterProblem
    began: float
    deadline: float
    on_update: Callable[[Bounds], None] | None
    reach: np.ndarray
    reached_by: np.ndarray
    unreachable: int
    terms: dict[str, int]
    methods: dict[str, str]
    notes: list[str]
    lp_total: int | None = None
    timed_out: bool = False
    unproven: list[str] = field(default_factory=list)

    def current(self, complete: bool = False) -> Bounds:
        weights = self.problem.config.weights
        by_term = sum(int(getattr(weights, name)) * raw for name, raw in self.terms.items())
        best = by_term if self.lp_total is None else max(self.lp_total, by_term)
        elapsed = time.perf_counter() - self.began
        return Bounds(
            best, dict(self.terms), elapsed, complete, tuple(self.notes), dict(self.methods)
        )

    def report(self, result: Bounds) -> Bounds:
        if self.on_update is not None:
            self.on_update(result)
        return result

    def phase(
        self,
        weeks: Sequence[_Week],
        cost: Callable[[_Week], np.ndarray],
        constant: Callable[[_Week], float],
    ) -> int | None:
        """``ceil(sum_w min cost @ x + constant)``, or ``None`` when a week gives no bound."""
        found = 0.0
        for week in weeks:
            solved: LpSolution = week.relaxation.minimise(
                cost(week), self.deadline - time.perf_counter()
            )
            if solved.lower is None:
                self.notes.append(f"a week's LP gave no bound ({solved.message})")
                return None
            self.timed_out |= solved.status == "time_limit"
            if solved.status not in ("optimal", "time_limit"):
                self.unproven.append(solved.message)
            found += solved.lower + constant(week)
        return integer_bound(found)

    def record(self, name: str, value: int) -> None:
        """Take phase ``name``'s LP bound: the total, or one term's (when higher)."""
        weights = self.problem.config.weights
        if name == "total":
            # Terms outside the week LPs add their own bounds (each holds for every roster).
            apart = sum(
                int(getattr(weights, term)) * self.terms[term]
                for term in ("fairness", "min_staff", "min_leads")
            )
            self.lp_total = value + weights.under_staffing * self.unreachable + apart
        else:
            extra = self.unreachable if name == "under_staffing" else 0
            self.terms[name] = max(self.terms[name], value + extra)
            self.methods[name] = "LP by week"


def _start_bounds(
    problem: RosterProblem, time_limit: float, on_update: Callable[[Bounds], None] | None
) -> _BoundsRun:
    """The closed-form bounds every term has from the start (or 0), before any LP."""
    began = time.perf_counter()
    grid = problem.grid
    reach = _interval_weeks(problem)
    reached_by = reach.sum(axis=1)
    unreachable = int((grid.live_need[reached_by == 0] * grid.priority[None, :]).sum())
    shared = int((reached_by > 1).sum())
    notes = ["by week: rules across week boundaries, fairness and stability relaxed"]
    if shared:
        notes.append(f"{shared} interval(s) reached from two weeks left out")
    terms = dict.fromkeys(TERM_NAMES, 0)
    methods = dict.fromkeys(TERM_NAMES, "none (0)")
    floors = problem.floors
    terms.update(
        under_staffing=unreachable,
        overtime=overtime_bound(problem),
        fairness=fairness_bound(problem),
        min_staff=reach_bound(problem, floors.staff, problem.group_mask),
        min_leads=reach_bound(problem, floors.leads[:, None], floors.group_lead[:, None]),
    )
    methods.update(
        under_staffing="intervals no shift can reach",
        overtime="weekly minimum hours",
        fairness="counts within reach",
        min_staff="intervals no shift can reach",
        min_leads="intervals no shift can reach",
    )
    return _BoundsRun(
        problem=problem,
        began=began,
        deadline=began + time_limit,
        on_update=on_update,
        reach=reach,
        reached_by=reached_by,
        unreachable=unreachable,
        terms=terms,
        methods=methods,
        notes=notes,
    )


def _build_weeks(problem: RosterProblem, run: _BoundsRun) -> list[_Week] | None:
    """Each week's relaxation, or ``None`` (with a note) when time ran out or a week's
    model cannot be relaxed."""
    weeks: list[_Week] = []
    try:
        for w in range(problem.n_weeks):
            if time.perf_counter() >= run.deadline:
                run.notes.append("time limit reached while building the week models")
                return None
            weeks.append(_week(problem, w, run.reach[:, w] & (run.reached_by == 1)))
    except (InfeasibleRelaxation, UnsupportedConstraintError) as exc:
        run.notes.append(f"no LP bound: {exc}")
        return None
    return weeks


# --------------------------------------------------------------------------- child process


class BoundJob:
    """:func:`compute_bounds` in a child process that can always be killed.

    HiGHS cannot be interrupted from Python once it runs; a process can. The inputs go over as
    a pickle, the child (``python -m planner.roster.bounds``, a fresh interpreter, never a fork of a
    process running CP-SAT threads) prepares the unpruned problem itself, so the solving
    process spends no time on the bound, and rewrites its result file (atomically) after each
    phase: :meth:`poll` reads the latest without blocking, :meth:`finish` takes it and stops
    the child. The child runs in its own session so that Ctrl-C in a terminal reaches only the
    parent, ends itself ``_KILL_GRACE`` s after its time limit, and dies with its parent
    (Linux). Use as a context manager.
    """

    def __init__(self, inputs: BoundInputs, time_limit: float) -> None:
        if not time_limit > 0:
            raise ValueError(f"time_limit must be positive, got {time_limit}")
        self.time_limit = time_limit
        self.began = time.perf_counter()
        self._folder = Path(tempfile.mkdtemp(prefix="bounds_"))
        self._result_path = self._folder / "bounds.json"
        self._seen: float | None = None
        self._stderr_tail = ""
        self._latest: Bounds | None = None
        source = self._folder / "inputs.pickle"
        try:
            source.write_bytes(pickle.dumps(inputs, protocol=pickle.HIGHEST_PROTOCOL))
        except BaseException:
            shutil.rmtree(self._folder, ignore_errors=True)
            raise
        root = str(Path(__file__).resolve().parents[2])  # the folder holding planner/
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [root, env.get("PYTHONPATH")]))
        self._stderr = open(self._folder / "stderr.txt", "wb")  # noqa: SIM115 (closed in close)
        self.process: subprocess.Popen[bytes] | None = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "planner.roster.bounds",
                str(source),
                "--time-limit",
                repr(float(time_limit)),
                "--out",
                str(self._result_path),
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=self._stderr,
            env=env,
            cwd=root,
            start_new_session=True,
        )
        log.info("bounds started in process %d (%.1f s limit)", self.process.pid, time_limit)

    def __enter__(self) -> BoundJob:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def poll(self) -> Bounds | None:
        """The latest bounds the child has written (``None`` before the first)."""
        try:
            stamp = self._result_path.stat().st_mtime
        except OSError:
            return self._latest
        if stamp != self._seen:
            with contextlib.suppress(OSError, ValueError, KeyError):
                self._latest = Bounds.from_json(self._result_path.read_text())
                self._seen = stamp
        return self._latest

    def finish(self) -> tuple[Bounds | None, str]:
        """Stop the child, and the bounds it found with a note for the report."""
        stopped_early = self.running
        self.close()
        bounds = self._latest
        elapsed = time.perf_counter() - self.began
        if bounds is None:
            tail = self._stderr_tail
            detail = f": {tail}" if tail and not stopped_early else ""
            return None, f"no bound within {elapsed:.0f} s{detail}"
        if bounds.complete:
            return bounds, f"bounds computed in {bounds.seconds:.1f} s"
        if stopped_early:
            return bounds, f"bounds incomplete: stopped after {elapsed:.0f} s when the search ended"
        return bounds, f"bounds incomplete: their time limit ({self.time_limit:g} s) was reached"

    def close(self) -> None:
        """Kill the child if it still runs, reap it, keep its last result, remove its files
        (idempotent)."""
        process = self.process
        if process is not None:
            if process.poll() is None:
                process.kill()
            process.wait()
            self.poll()
            self.process = None
            self._stderr_tail = self._read_stderr_tail()
        if not self._stderr.closed:
            self._stderr.close()
        shutil.rmtree(self._folder, ignore_errors=True)

    def _read_stderr_tail(self) -> str:
        self._stderr.flush()
        try:
            text = (self._folder / "stderr.txt").read_text(errors="replace")
        except OSError:
            return ""
        lines = text.strip().splitlines()
        return lines[-1] if lines else ""


def _die_with_parent() -> None:
    """Linux: SIGKILL this process when its parent ends (best effort elsewhere)."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m planner.roster.bounds INPUTS.pickle --time-limit S --out BOUNDS.json``: the child
    side of :class:`BoundJob`."""
    parser = argparse.ArgumentParser(
        prog="python -m planner.roster.bounds", description=main.__doc__
    )
    parser.add_argument("inputs", type=Path, help="a pickled BoundInputs")
    parser.add_argument("--time-limit", type=float, required=True, help="seconds")
    parser.add_argument("--out", type=Path, required=True, help="where to write the bounds")
    args = parser.parse_args(argv)
    parent = os.getppid()
    _die_with_parent()
    if os.getppid() != parent:  # the parent died before the line above
        return 1
    # SIGALRM's default action ends the process even while HiGHS holds the interpreter.
    signal.alarm(max(1, math.ceil(args.time_limit + _KILL_GRACE)))
    began = time.perf_counter()
    inputs: BoundInputs = pickle.loads(args.inputs.read_bytes())
    problem = inputs.problem()
    remaining = args.time_limit - (time.perf_counter() - began)
    if remaining <= 0:
        return 0
    compute_bounds(problem, remaining, lambda b: write_text(args.out, b.to_json()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
