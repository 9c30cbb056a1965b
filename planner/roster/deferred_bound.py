"""An upper bound on a deferred channel's projected service level (email answered in time).

The question it answers: "with these agents, and phone and SMS covered at least this much,
what share of the email can any roster answer within its response time?" If the bound is
below a target, no roster reaches the target, whatever the search does.

The KPI bounded is :func:`planner.verify.kpi.compute_kpis`' ``service_level`` of the channel:
the contact-weighted share of each interval's work that the first-in-first-out queue answers
by its due time (docs/OBJECTIVE.md "Deferred channels"), over the intervals whose work falls
due in the horizon. The bound is the optimum of a linear programme that every roster of the
candidate shifts maps into (so the optimum is at least that roster's KPI):

- ``x_j`` in [0, 1] per candidate shift (unpruned: every start and length the rules allow),
  with every hard rule of :data:`constraints.registry.HARD_RULES` relaxed (the roster model's
  own rows, :mod:`planner.roster.lp_bound`); agents' hours, days off, rest, availability and
  time off included;
- presence wherever the breaks are: per skill group ``g`` and local start day ``d``,
  ``P[t, g, d] <= sum_j span_j[t] x_j`` (minutes on shift in interval ``t``, no break) and
  ``sum_t P[t, g, d] <= sum_j net_j x_j`` (``net_j``: the shift's minutes in the grid, at most
  its length less the break minutes it owes, :func:`planner.roster.break_rules.needs_for`);
  a roster's true presence, breaks where it placed them, satisfies both;
- an allocation per interval of present minutes to channels among the agents' skills (Hall's
  conditions, as :mod:`constraints.skills`): ``covered[t, c] <= need[t, c]`` for the live
  channels, ``served[t]`` for the deferred one; every roster's live-first allocation is one;
- the live channels covered at least ``floors[c]`` staff-minutes over the horizon (the KPI's
  ``covered_staff_hours``);
- the work answered in time: ``z[i] <= work[i]`` of interval ``i`` and a cumulative service
  ``S`` of that work with ``0 <= S[t] - S[t-1] <= served[t]``, ``S[t] <=`` the ``z`` arrived
  by ``t`` and ``S[t] >=`` the ``z`` due by ``t``. For a roster, ``z[i]`` = the part of
  interval ``i``'s work its FIFO queue answers by the due time and ``S`` = that part's
  service so far satisfy them (the queue serves it before its due time, after its arrival).

The objective is ``sum_i contacts[i] / work[i] x z[i]`` (plus the contacts whose work rounds
to 0 minutes, on time by definition); divided by the contacts due in the horizon it is the
bound on the service level. The LP bound is taken from HiGHS's multipliers by weak duality
(:meth:`planner.roster.lp_bound.Relaxation.minimise`), so it holds whether or not the
interior point method finished.

One deferred channel (the first in service order) is bounded; with several, the others are
given nothing (a relaxation for the first).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from itertools import combinations, pairwise

import numpy as np
import pandas as pd
from ortools.sat.python import cp_model

from constraints.registry import HARD_RULES
from planner.roster.break_rules import needs_for
from planner.roster.candidates import span_presence
from planner.roster.lp_bound import LpStatus, model_proto, relax
from planner.roster.problem import RosterProblem
from planner.roster.variables import Incumbent, Scope, Variables

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ServiceBound:
    """Upper bound on a deferred channel's service level (``level``) and on the contacts it
    answers in time (``on_time``), over ``contacts`` due in the horizon; ``floors`` are the
    staff-minutes each live channel had to keep covered. ``status`` is the LP's (the bound
    holds for any status but ``"infeasible"`` and ``"error"``). ``rows``/``cols`` size the
    LP."""

    channel: str
    contacts: float
    on_time: float | None
    floors: dict[str, int]
    status: LpStatus
    seconds: float
    rows: int
    cols: int
    message: str

    @property
    def level(self) -> float | None:
        if self.on_time is None or self.contacts <= 0:
            return None
        return min(1.0, self.on_time / self.contacts)


def deferred_contacts(problem: RosterProblem, requirements: pd.DataFrame, column: int) -> np.ndarray:
    """Contacts per grid interval of deferred column ``column`` (0 where no row)."""
    grid = problem.grid
    name = grid.channels[grid.deferred.channels[column]]
    contacts = np.zeros(grid.n_intervals)
    if "contacts" not in requirements.columns or not grid.n_intervals:
        return contacts
    rows = requirements[requirements["channel"].astype(str) == name]
    starts = pd.to_datetime(rows["interval_start"], utc=True)
    origin = pd.Timestamp(grid.origin)
    t = ((starts - origin).dt.total_seconds().to_numpy() // 60 // grid.interval_minutes).astype(
        np.int64
    )
    values = pd.to_numeric(rows["contacts"], errors="coerce").fillna(0).to_numpy(float)
    ok = (t >= 0) & (t < grid.n_intervals)
    np.add.at(contacts, t[ok], values[ok])
    return contacts


def due_in_horizon(problem: RosterProblem) -> np.ndarray:
    """Per interval: its work has a due time in the grid (an open interval at or after it)."""
    backlog = problem.grid.deferred
    opened = np.flatnonzero(backlog.open)
    if not len(opened):
        return np.zeros(problem.grid.n_intervals, dtype=bool)
    return np.arange(problem.grid.n_intervals) <= opened[-1]


def live_floors(
    problem: RosterProblem, covered_share: Mapping[str, float]
) -> dict[str, int]:
    """Staff-minutes each live channel must keep covered: ``share x`` its need (0 when not
    named)."""
    grid = problem.grid
    deferred = set(grid.deferred.channels)
    floors = {}
    for c, name in enumerate(grid.channels):
        if c in deferred:
            continue
        share = float(covered_share.get(name, 0.0))
        floors[name] = int(np.floor(share * float(grid.live_need[:, c].sum()) + 1e-9))
    return floors


def service_level_bound(
    problem: RosterProblem,
    requirements: pd.DataFrame,
    floors: Mapping[str, int],
    *,
    time_limit: float,
) -> ServiceBound:
    """The bound of the module docstring on the first deferred channel (``problem`` prepared
    with ``prune=False``; ``floors``: covered staff-minutes per live channel)."""
    began = time.perf_counter()
    grid = problem.grid
    if not grid.deferred.channels:
        raise ValueError("no deferred channel to bound")
    channel = grid.channels[grid.deferred.channels[0]]
    contacts = deferred_contacts(problem, requirements, 0)
    due = due_in_horizon(problem)
    work = grid.deferred.work[:, 0]
    counted = due & (contacts > 0)
    total = float(contacts[counted].sum())
    instant = float(contacts[counted & (work == 0)].sum())
    built = _BoundModel(problem, floors)
    weights = np.divide(contacts, work, out=np.zeros(len(work)), where=work > 0) * counted
    z_vars = built.answered_in_time(weights > 0)
    proto = model_proto(built.model)
    relaxation = relax(proto)
    cost = np.zeros(relaxation.cols)
    for t, var in z_vars.items():
        cost[var.index] = -weights[t]
    remaining = time_limit - (time.perf_counter() - began)
    solved = relaxation.minimise(cost, remaining)
    on_time = None if solved.lower is None else instant - solved.lower
    if solved.status in ("infeasible", "error"):
        on_time = None
    log.info("service level bound: %s, %s", solved.status, solved.message)
    return ServiceBound(
        channel=channel,
        contacts=total,
        on_time=on_time,
        floors=dict(floors),
        status=solved.status,
        seconds=time.perf_counter() - began,
        rows=relaxation.rows,
        cols=relaxation.cols,
        message=solved.message,
    )


class _BoundModel:
    """The LP's rows, written as a CP-SAT model (relaxed by :func:`relax`): the hard rules on
    the candidates of ``days`` (default: the horizon; other days empty, as in the bounds by
    week of :mod:`planner.roster.bounds`), presence with breaks anywhere, the allocation, the
    live floors (summed over the intervals where ``floor_mask`` is true, default all)."""

    def __init__(
        self,
        problem: RosterProblem,
        floors: Mapping[str, int],
        *,
        days: range | None = None,
        floor_mask: np.ndarray | None = None,
    ) -> None:
        self.problem = problem
        self.model = cp_model.CpModel()
        scope = Scope(
            tuple(range(problem.n_agents)),
            range(problem.n_days) if days is None else days,
            hard_only=True,
            aggregate=True,
        )
        self.v = Variables(self.model, problem, scope, Incumbent.empty(problem))
        for rule in HARD_RULES:
            rule.add(self.v)
        self.upper: dict[tuple[int, int], int] = {}
        self.presence = self._presence()
        self.served = self._allocation(floors, floor_mask)

    def _presence(self) -> dict[tuple[int, int], cp_model.IntVar]:
        """``P[t, g]`` = sum over start days of ``P[t, g, d]`` (module docstring)."""
        problem, model = self.problem, self.model
        ids = self.v.free_ids
        span = span_presence(problem)[ids].tocoo()
        net = np.minimum(np.asarray(span.sum(axis=1)).ravel(), _net_minutes(problem)[ids])
        group = problem.cand_group[ids]
        block = group * problem.n_days + problem.cands.day[ids]
        x = [self.v.var(int(j)) for j in ids]
        parts: dict[tuple[int, int], list[cp_model.IntVar]] = {}
        by_block: dict[int, list[cp_model.IntVar]] = {}
        for t, key, rows, minutes in _runs(span.col, block[span.row], span.row, span.data):
            most = sum(minutes)
            g, d = divmod(key, problem.n_days)
            var = model.new_int_var(0, most, f"P[{t},{g},{d}]")
            model.add(var <= cp_model.LinearExpr.weighted_sum([x[r] for r in rows], minutes))
            by_block.setdefault(key, []).append(var)
            parts.setdefault((t, g), []).append(var)
            self.upper[(t, g)] = self.upper.get((t, g), 0) + most
        for key, variables in by_block.items():
            mine = np.flatnonzero(block == key)
            model.add(
                cp_model.LinearExpr.sum(variables)
                <= cp_model.LinearExpr.weighted_sum([x[r] for r in mine], net[mine].tolist())
            )
        presence = {}
        for (t, g), variables in parts.items():
            var = model.new_int_var(0, self.upper[(t, g)], f"P[{t},{g}]")
            model.add(var == cp_model.LinearExpr.sum(variables))
            presence[(t, g)] = var
        return presence

    def _allocation(
        self, floors: Mapping[str, int], floor_mask: np.ndarray | None
    ) -> dict[int, cp_model.IntVar]:
        """Per interval: covered minutes of the live channels, served minutes of the deferred
        one, within Hall's conditions; the live floors."""
        problem, model = self.problem, self.model
        grid = problem.grid
        mask = problem.group_mask
        email = grid.deferred.channels[0]
        need = grid.live_need
        counted = np.ones(grid.n_intervals, dtype=bool) if floor_mask is None else floor_mask
        covered: dict[int, list[cp_model.IntVar]] = {}
        served: dict[int, cp_model.IntVar] = {}
        groups_at: dict[int, list[int]] = {}
        for t, g in self.presence:
            groups_at.setdefault(t, []).append(g)
        for t, present in sorted(groups_at.items()):
            alloc: dict[int, cp_model.IntVar] = {}
            for c in range(len(grid.channels)):
                if need[t, c] > 0 and mask[present, c].any():
                    alloc[c] = model.new_int_var(0, int(need[t, c]), f"covered[{t},{c}]")
                    if counted[t]:
                        covered.setdefault(c, []).append(alloc[c])
            if mask[present, email].any():
                upper = sum(self.upper[(t, g)] for g in present)
                alloc[email] = served[t] = model.new_int_var(0, upper, f"served[{t}]")
            _hall(model, alloc, {g: self.presence[(t, g)] for g in present}, mask)
        for c, name in enumerate(grid.channels):
            floor = int(floors.get(name, 0))
            if floor > 0:
                model.add(cp_model.LinearExpr.sum(covered.get(c, [])) >= floor)
        return served

    def answered_in_time(self, counted: np.ndarray) -> dict[int, cp_model.IntVar]:
        """``z[i]`` per interval with counted work, and the cumulative service ``S`` of the
        module docstring (with ``A``, the ``z`` arrived so far, and ``D``, the ``z`` due so
        far, as chains); returns the ``z`` variables."""
        problem, model = self.problem, self.model
        work = problem.grid.deferred.work[:, 0]
        deadline = _deadlines(problem)
        total = int(work.sum())
        z: dict[int, cp_model.IntVar] = {}
        due_at: dict[int, list[cp_model.IntVar]] = {}
        for t in np.flatnonzero(counted & (work > 0)).tolist():
            z[t] = model.new_int_var(0, int(work[t]), f"z[{t}]")
            due_at.setdefault(int(deadline[t]), []).append(z[t])
        served: cp_model.LinearExpr | int = 0
        arrived: cp_model.LinearExpr | int = 0
        due: cp_model.LinearExpr | int = 0
        for t in range(problem.grid.n_intervals):
            if t in z:
                arrived = self._chain(f"A[{t}]", arrived + z[t], total)
            if t in due_at:
                due = self._chain(f"D[{t}]", due + cp_model.LinearExpr.sum(due_at[t]), total)
            step = self.served.get(t)
            if step is not None:
                now = model.new_int_var(0, total, f"S[{t}]")
                model.add(now >= served)
                model.add(now <= served + step)
                served = now
            if t in z or step is not None:
                model.add(served <= arrived)
            if t in due_at:
                model.add(served >= due)
        return z

    def _chain(self, name: str, expr: cp_model.LinearExprT, upper: int) -> cp_model.IntVar:
        """A variable equal to ``expr`` (keeps each row short)."""
        var = self.model.new_int_var(0, upper, name)
        self.model.add(var == expr)
        return var


def _runs(
    col: np.ndarray, key: np.ndarray, row: np.ndarray, data: np.ndarray
) -> Iterator[tuple[int, int, list[int], list[int]]]:
    """The entries grouped by (key, col): ``(col, key, rows, minutes)`` per group."""
    order = np.lexsort((col, key))
    col, key, row, data = col[order], key[order], row[order], data[order]
    cut = np.flatnonzero((np.diff(key) != 0) | (np.diff(col) != 0)) + 1
    bounds = np.concatenate([[0], cut, [len(row)]]) if len(row) else np.zeros(1, np.int64)
    for s, e in pairwise(bounds.tolist()):
        yield int(col[s]), int(key[s]), row[s:e].tolist(), data[s:e].tolist()


def _hall(
    model: cp_model.CpModel,
    alloc: Mapping[int, cp_model.IntVar],
    presence: Mapping[int, cp_model.IntVar],
    mask: np.ndarray,
) -> None:
    """Hall's conditions of one interval: every set of channels gets at most the presence of
    the groups that can answer one of them."""
    here = list(alloc)
    for k in range(1, len(here) + 1):
        for subset in combinations(here, k):
            supply = [var for g, var in presence.items() if mask[g, list(subset)].any()]
            model.add(
                cp_model.LinearExpr.sum([alloc[c] for c in subset])
                <= cp_model.LinearExpr.sum(supply)
            )


def _deadlines(problem: RosterProblem) -> np.ndarray:
    """Per interval, the interval by whose end its work is due (-1: never), as in
    :func:`planner.roster.problem.grid_from_requirements`."""
    grid = problem.grid
    backlog = grid.deferred
    n = grid.n_intervals
    opened = np.flatnonzero(backlog.open)
    deadline = np.full(n, -1, dtype=np.int64)
    if not len(opened):
        return deadline
    channel = problem.config.channels[backlog.channels[0]]
    window = max(1, int(np.floor(channel.response_hours * 60 / grid.interval_minutes + 1e-9)))
    clock = np.searchsorted(opened, np.arange(n))
    placed = clock < len(opened)
    deadline[placed] = opened[np.minimum(clock[placed] + window - 1, len(opened) - 1)]
    return deadline


def _net_minutes(problem: RosterProblem) -> np.ndarray:
    """Per candidate: elapsed minutes less the break minutes the shift owes (any placement)."""
    cands = problem.cands
    states = np.asarray([problem.agents[int(a)].state for a in cands.agent], dtype=object)
    owed: dict[tuple[int, str], int] = {}
    minutes = np.zeros(len(cands), dtype=np.int64)
    for j, (paid, state) in enumerate(zip(cands.paid.tolist(), states.tolist(), strict=True)):
        key = (paid, state)
        if key not in owed:
            owed[key] = needs_for(paid, state, problem.config.breaks).break_minutes
        minutes[j] = owed[key]
    return (cands.end - cands.start) - minutes
