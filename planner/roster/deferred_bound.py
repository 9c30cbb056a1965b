"""Upper bounds on a deferred channel's projected service level (email answered in time).

The question they answer: "with these agents, and phone and SMS covered at least this much,
what share of the email can any roster answer within its response time?" A bound below a
target proves that no roster of these agents reaches it, whatever the search does.

The KPI bounded is :func:`planner.verify.kpi.compute_kpis`' ``service_level`` of the channel:
the contact-weighted share of each interval's work that the first-in-first-out queue answers
by its due time (docs/OBJECTIVE.md "Deferred channels"), over the intervals whose work falls
due in the horizon (contacts whose work rounds to 0 minutes count as answered in time).

**The LP** (:func:`service_level_bound`). Every roster of the candidate shifts maps into this
linear programme, so its optimum is at least that roster's KPI:

- ``x_j`` in [0, 1] per candidate shift (unpruned: every start and length the rules allow),
  with every hard rule of :data:`constraints.registry.HARD_RULES` relaxed (the roster model's
  own rows, :mod:`planner.roster.lp_bound`): agents' hours, days off, rest, availability and
  time off;
- presence wherever the breaks are: per skill group ``g`` and local start day ``d``,
  ``P[t, g, d] <= sum_j span_j[t] x_j`` (minutes on shift in interval ``t``, breaks not taken
  out) and ``sum_t P[t, g, d] <= sum_j net_j x_j`` (``net_j``: the shift's minutes in the grid,
  at most its length less the break minutes it owes,
  :func:`planner.roster.break_rules.needs_for`); a roster's true presence, breaks wherever it
  placed them, satisfies both;
- an allocation per interval of the present minutes to channels among the agents' skills
  (Hall's conditions, as in :mod:`constraints.skills`): ``covered[t, c] <= need[t, c]`` for
  the live channels, ``cap[t]`` for the deferred one; a roster's live-first allocation with
  the whole leftover as ``cap`` is one;
- the live channels covered at least ``floors[c]`` staff-minutes over the horizon (the KPI's
  ``covered_staff_hours``);
- the work answered in time: ``z[i] <= work[i]`` of interval ``i`` and a cumulative service
  ``Z`` of that work with ``0 <= Z[t] - Z[t-1] <= cap[t]``, ``Z[t] <=`` the ``z`` arrived by
  ``t``, ``Z[t] >=`` the ``z`` due by ``t``: for a roster, ``z[i]`` = the part of interval
  ``i``'s work its queue answers by the due time and ``Z`` = that part's service so far.

The objective is ``sum_i contacts[i] / work[i] x z[i]``. This bound lets the queue skip the
work it would answer late; a first-in-first-out queue cannot, so the bound can be far above
what FIFO allows when capacity falls short for days.

**The FIFO bound by last on-time due point** (:func:`fifo_service_level_bound`). FIFO serves
``S[t] = min(A[t], S[t-1] + cap[t])`` (``A``: work arrived). The work due at due point ``t``
comes after all work due earlier (due times follow arrival order), so some of it is answered
in time only if ``S[t] > P[t]``, ``P[t]`` the work due before ``t``'s. Every roster has a
*last* due point ``tau`` of one week ``w`` with ``S[tau] > P[tau]`` (or none): every later due
point of the week is wholly late. Split the week's due points into buckets; a roster whose
``tau`` lies in bucket ``(b', b]`` keeps ``z = 0`` after ``b``, and by ``b`` its queue has
served all work due before ``f``, the bucket's first due point (``S[b] >= S[tau] > P[tau] >=
P[f]``), and the in-time work due from ``f`` to ``b`` besides: ``S[b] >= P[f] + sum z`` of that
work. So the most such a roster can answer in time is the LP over the week with those
constraints and the FIFO service ``S`` as a chain (``S[t] - S[t-1] <= cap[t]``, ``S[t] <=
A[t]``); the bound is the largest over the buckets, plus every contact outside the week
counted as answered in time. The week's model is the
roster model over its days, every other day empty (a relaxation, as in the bounds by week of
:mod:`planner.roster.bounds`); the queue starts the week with all earlier work served (FIFO
only does worse); intervals the week before's shifts reach take any capacity; the floors
hold over the intervals only the week reaches, less the need of all others. Buckets whose
roster would already miss the target with every contact up to their end in time need no LP.

Every LP bound is taken from HiGHS's multipliers by weak duality
(:meth:`planner.roster.lp_bound.Relaxation.minimise`): valid whether or not the interior point
method finished. One deferred channel (the first in service order) is bounded; the others, if
any, are given nothing (a relaxation for the first).
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations, pairwise

import numpy as np
import pandas as pd
from ortools.sat.python import cp_model

from constraints.registry import HARD_RULES
from planner.roster.break_rules import needs_for
from planner.roster.candidates import span_presence
from planner.roster.lp_bound import LpStatus, Relaxation, model_proto, relax
from planner.roster.problem import RosterProblem
from planner.roster.search import business_days
from planner.roster.variables import Expr, Incumbent, Scope, Variables

log = logging.getLogger(__name__)

SLACK_COST = 1.0
"""Cost per staff-minute of the slack that keeps a bucket's LP feasible (any value >= 0 keeps
the bound valid: a roster of the bucket needs no slack; 1 is ten times what a staff-minute
of email is worth in contacts, so the LP does not take it)."""


@dataclass(frozen=True)
class Bucket:
    """One bucket of the FIFO bound: rosters whose last on-time due point lies in
    ``(after, upto]`` (grid intervals; ``after`` -1: from the week's start) answer at most
    ``on_time`` contacts in time (``trivial``: counted without an LP)."""

    after: int
    upto: int
    on_time: float | None
    trivial: bool
    status: str


@dataclass(frozen=True)
class ServiceBound:
    """Upper bound on a deferred channel's service level (``level``) and on the contacts it
    answers in time (``on_time``), over ``contacts`` due in the horizon; ``floors`` are the
    staff-minutes each live channel had to keep covered. ``status`` is the worst LP status (a
    bound holds for every status but ``"infeasible"`` and ``"error"``, which give none).
    ``method``: ``"lp"`` or ``"fifo"`` (then ``week`` and ``buckets``)."""

    channel: str
    contacts: float
    on_time: float | None
    floors: dict[str, int]
    status: LpStatus
    seconds: float
    rows: int
    cols: int
    message: str
    method: str = "lp"
    week: int | None = None
    buckets: tuple[Bucket, ...] = ()

    @property
    def level(self) -> float | None:
        if self.on_time is None or self.contacts <= 0:
            return None
        return min(1.0, self.on_time / self.contacts)


@dataclass(frozen=True)
class _Work:
    """The deferred channel's work per interval as the KPI counts it: ``contacts``,
    ``work`` (staff-minutes), ``deadline`` (-1: never due), ``counted`` (contacts due in the
    horizon), ``weights`` (contacts per staff-minute where counted), ``instant`` (contacts
    whose work rounds to 0 minutes: in time by definition), ``total`` counted contacts."""

    contacts: np.ndarray
    work: np.ndarray
    deadline: np.ndarray
    counted: np.ndarray
    weights: np.ndarray
    instant: float
    total: float

    @classmethod
    def of(cls, problem: RosterProblem, requirements: pd.DataFrame) -> _Work:
        grid = problem.grid
        contacts = deferred_contacts(problem, requirements, 0)
        work = grid.deferred.work[:, 0]
        deadline = _deadlines(problem)
        counted = (deadline >= 0) & (contacts > 0)
        weights = np.divide(contacts, work, out=np.zeros(len(work)), where=work > 0) * counted
        return cls(
            contacts,
            work,
            deadline,
            counted,
            weights,
            float(contacts[counted & (work == 0)].sum()),
            float(contacts[counted].sum()),
        )


def deferred_contacts(
    problem: RosterProblem, requirements: pd.DataFrame, column: int
) -> np.ndarray:
    """Contacts per grid interval of deferred column ``column`` (0 where no row)."""
    grid = problem.grid
    name = grid.channels[grid.deferred.channels[column]]
    contacts = np.zeros(grid.n_intervals)
    if "contacts" not in requirements.columns or not grid.n_intervals:
        return contacts
    rows = requirements[requirements["channel"].astype(str) == name]
    starts = pd.to_datetime(rows["interval_start"], utc=True)
    origin = pd.Timestamp(grid.origin)
    minutes = (starts - origin).dt.total_seconds().to_numpy() // 60
    t = (minutes // grid.interval_minutes).astype(np.int64)
    values = pd.to_numeric(rows["contacts"], errors="coerce").fillna(0).to_numpy(float)
    ok = (t >= 0) & (t < grid.n_intervals)
    np.add.at(contacts, t[ok], values[ok])
    return contacts


def live_floors(problem: RosterProblem, covered_share: Mapping[str, float]) -> dict[str, int]:
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
    """The LP bound of the module docstring on the first deferred channel (``problem``
    prepared with ``prune=False``; ``floors``: covered staff-minutes per live channel)."""
    began = time.perf_counter()
    grid = problem.grid
    if not grid.deferred.channels:
        raise ValueError("no deferred channel to bound")
    work = _Work.of(problem, requirements)
    built = _BoundModel(problem, floors)
    z = built.answered_in_time(work, work.weights > 0, range(grid.n_intervals))
    relaxation = relax(model_proto(built.model))
    cost = np.zeros(relaxation.cols)
    for t, var in z.items():
        cost[var.index] = -work.weights[t]
    solved = relaxation.minimise(cost, time_limit - (time.perf_counter() - began))
    on_time = None
    if solved.lower is not None and solved.status not in ("infeasible", "error"):
        on_time = work.instant - solved.lower
    log.info("service level bound: %s, %s", solved.status, solved.message)
    return ServiceBound(
        channel=grid.channels[grid.deferred.channels[0]],
        contacts=work.total,
        on_time=on_time,
        floors=dict(floors),
        status=solved.status,
        seconds=time.perf_counter() - began,
        rows=relaxation.rows,
        cols=relaxation.cols,
        message=solved.message,
    )


def fifo_service_level_bound(
    problem: RosterProblem,
    requirements: pd.DataFrame,
    floors: Mapping[str, int],
    *,
    week: int,
    target: float,
    step_hours: float = 3.0,
    time_limit: float,
) -> ServiceBound:
    """The FIFO bound of the module docstring over horizon week ``week``: buckets of about
    ``step_hours`` of due points, from the first whose rosters could reach ``target``."""
    began = time.perf_counter()
    grid = problem.grid
    if not grid.deferred.channels:
        raise ValueError("no deferred channel to bound")
    work = _Work.of(problem, requirements)
    lo, hi = week_intervals(problem, week)
    index = np.arange(grid.n_intervals)
    inside = work.counted & (work.work > 0) & (index >= lo) & (index < hi)
    inside &= work.deadline < hi
    outside = work.total - work.instant - float(work.contacts[inside].sum())  # all in time
    points, cumulative = _due_points(work, inside)
    first = int(np.searchsorted(cumulative, target * work.total - work.instant - outside))
    buckets = []
    if first > 0:  # a last on-time due point up to here leaves the target out of reach
        most = outside + float(cumulative[first - 1])
        buckets.append(Bucket(-1, int(points[first - 1]), most, True, "optimal"))
    step = max(1, round(step_hours * 60 / grid.interval_minutes))
    starts = list(range(first, len(points), step))
    if not starts:
        return _fifo_result(problem, work, floors, week, buckets, began, (0, 0), "no LP needed")
    days = range(7 * week, min(7 * week + 7, problem.n_days))
    built = _BoundModel(
        problem, _week_floors(problem, floors, days), days=days, floor_mask=_only(problem, days),
        extra=_reached_before(problem, days),
    )  # fmt: skip
    z = built.answered_in_time(work, inside, range(lo, hi))
    ends = [int(points[min(k + step, len(points)) - 1]) for k in starts]
    pairs = [(int(points[k]), end) for k, end in zip(starts, ends, strict=True)]
    slack = built.slacks(built.fifo_service(range(lo, hi)), z, work.deadline, pairs)
    relaxation = relax(model_proto(built.model))
    cost = np.zeros(relaxation.cols)
    for t, var in z.items():
        cost[var.index] = -work.weights[t]
    due_by = grid.deferred.due_by[:, 0]
    for n, (k, upto) in enumerate(zip(starts, ends, strict=True)):
        late = [var.index for t, var in z.items() if work.deadline[t] > upto]
        seconds = (time_limit - (time.perf_counter() - began)) / (len(starts) - n)
        reach = _before(due_by, int(points[k]))
        value, status = _bucket(
            relaxation, cost, late=late, slack=slack[n], reach=reach, seconds=seconds
        )
        after = int(points[k - 1]) if k > 0 else -1
        buckets.append(
            Bucket(after, upto, None if value is None else outside + value, False, status)
        )
        log.info("FIFO bound bucket (%d, %d]: %s %s", after, upto, value, status)
    return _fifo_result(
        problem, work, floors, week, buckets, began, (relaxation.rows, relaxation.cols),
        f"{len(starts)} bucket LP(s)",
    )  # fmt: skip


def week_intervals(problem: RosterProblem, week: int) -> tuple[int, int]:
    """Grid intervals ``[lo, hi)`` whose business date lies in horizon week ``week``."""
    day = business_days(problem)
    lo = int(np.searchsorted(day, 7 * week, side="left"))
    hi = int(np.searchsorted(day, 7 * week + 7, side="left"))
    return lo, hi


def _due_points(work: _Work, inside: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The due points of the ``inside`` work (sorted) and the contacts due by each."""
    due = work.deadline[inside]
    points = np.unique(due)
    per_point = np.zeros(len(points))
    np.add.at(per_point, np.searchsorted(points, due), work.contacts[inside])
    return points, np.cumsum(per_point)


def _before(grid_due_by: np.ndarray, point: int) -> int:
    """Work due before due point ``point``'s own (cumulative, staff-minutes)."""
    return int(grid_due_by[point - 1]) if point > 0 else 0


def _only(problem: RosterProblem, days: range) -> np.ndarray:
    """Intervals reached by a candidate of ``days`` and by no other."""
    span = span_presence(problem).tocoo()
    mine = (problem.cands.day[span.row] >= days.start) & (problem.cands.day[span.row] < days.stop)
    ours = np.zeros(problem.grid.n_intervals, dtype=bool)
    theirs = np.zeros(problem.grid.n_intervals, dtype=bool)
    ours[span.col[mine]] = True
    theirs[span.col[~mine]] = True
    return ours & ~theirs


def _week_floors(problem: RosterProblem, floors: Mapping[str, int], days: range) -> dict[str, int]:
    """A horizon floor less the most the other intervals can cover (their need where some
    candidate with the skill reaches them): what the intervals only ``days`` reach must
    cover."""
    grid = problem.grid
    elsewhere = ~_only(problem, days)
    reach = _skilled_reach(problem)
    result = {}
    for name, floor in floors.items():
        c = grid.channels.index(name)
        coverable = elsewhere & reach[:, c]
        result[name] = int(floor) - int(grid.live_need[coverable, c].sum())
    return result


def _skilled_reach(problem: RosterProblem) -> np.ndarray:
    """(intervals x channels): some candidate of an agent with the channel's skill reaches
    the interval."""
    span = span_presence(problem).tocoo()
    skilled = problem.group_mask[problem.cand_group[span.row]]  # entries x channels
    reach = np.zeros((problem.grid.n_intervals, len(problem.grid.channels)), dtype=bool)
    for c in range(reach.shape[1]):
        reach[span.col[skilled[:, c]], c] = True
    return reach


def _reached_before(problem: RosterProblem, days: range) -> np.ndarray:
    """Per interval, the most minutes the shifts of days before ``days`` can add to the
    deferred channel's capacity: an interval's length per agent with its skill and a
    candidate of such a day reaching the interval."""
    grid = problem.grid
    span = span_presence(problem).tocoo()
    agent = problem.cands.agent[span.row]
    email = problem.group_mask[problem.agent_group[agent], grid.deferred.channels[0]]
    keep = (problem.cands.day[span.row] < days.start) & email
    pairs = np.unique(np.stack([span.col[keep], agent[keep]], axis=1), axis=0)
    agents = np.bincount(pairs[:, 0], minlength=grid.n_intervals)
    return agents.astype(np.int64) * grid.interval_minutes


def _bucket(
    relaxation: Relaxation,
    cost: np.ndarray,
    *,
    late: Sequence[int],
    slack: tuple[cp_model.IntVar, cp_model.IntVar],
    reach: int,
    seconds: float,
) -> tuple[float | None, LpStatus]:
    """One bucket's LP: ``z`` of the ``late`` columns 0, the FIFO service at the bucket's end
    (plus its slack) at least ``reach``; the most contacts answered in time, or ``None``."""
    at_least, spare = slack
    col_lo = relaxation.col_lo.copy()
    col_hi = relaxation.col_hi.copy()
    col_hi[list(late)] = 0.0
    col_lo[at_least.index] = float(reach)
    bucket_cost = cost.copy()
    bucket_cost[spare.index] = SLACK_COST
    solved = dataclasses.replace(relaxation, col_lo=col_lo, col_hi=col_hi).minimise(
        bucket_cost, seconds
    )
    if solved.lower is None or solved.status in ("infeasible", "error"):
        return None, solved.status
    return -solved.lower, solved.status


def _fifo_result(  # noqa: PLR0917 - internal
    problem: RosterProblem,
    work: _Work,
    floors: Mapping[str, int],
    week: int,
    buckets: Sequence[Bucket],
    began: float,
    size: tuple[int, int],
    message: str,
) -> ServiceBound:
    values = [b.on_time for b in buckets]
    on_time = None if any(v is None for v in values) else max(v for v in values if v is not None)
    if on_time is not None:
        on_time += work.instant
    statuses = [b.status for b in buckets if not b.trivial]
    status: LpStatus = "optimal"
    for worst in ("error", "infeasible", "time_limit"):
        if worst in statuses:
            status = worst
            break
    grid = problem.grid
    return ServiceBound(
        channel=grid.channels[grid.deferred.channels[0]],
        contacts=work.total,
        on_time=on_time,
        floors=dict(floors),
        status=status,
        seconds=time.perf_counter() - began,
        rows=size[0],
        cols=size[1],
        message=message,
        method="fifo",
        week=week,
        buckets=tuple(buckets),
    )


class _BoundModel:
    """The LP's rows, written as a CP-SAT model (relaxed by :func:`relax`): the hard rules on
    the candidates of ``days`` (default: the horizon; other days empty), presence with breaks
    anywhere, the allocation, the live floors (summed over the intervals where ``floor_mask``
    is true, default all); ``extra`` minutes of capacity per interval on top (what shifts
    outside ``days`` could add)."""

    def __init__(
        self,
        problem: RosterProblem,
        floors: Mapping[str, int],
        *,
        days: range | None = None,
        floor_mask: np.ndarray | None = None,
        extra: np.ndarray | None = None,
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
        self.capacity = self._allocation(floors, floor_mask)
        if extra is not None:
            for t in np.flatnonzero(extra).tolist():
                more = self.model.new_int_var(0, int(extra[t]), f"extra[{t}]")
                self.capacity[t] = self.capacity.get(t, 0) + more

    def _presence(self) -> dict[tuple[int, int], cp_model.IntVar]:
        """``P[t, g]`` = sum over start days of ``P[t, g, d]`` (module docstring)."""
        problem, model = self.problem, self.model
        ids = self.v.free_ids
        span = span_presence(problem)[ids].tocoo()
        net = np.minimum(np.asarray(span.sum(axis=1)).ravel(), _net_minutes(problem)[ids])
        block = problem.cand_group[ids] * problem.n_days + problem.cands.day[ids]
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
    ) -> dict[int, Expr]:
        """Per interval: covered minutes of the live channels, capacity of the deferred one,
        within Hall's conditions; the live floors. Returns the capacities."""
        problem, model = self.problem, self.model
        grid = problem.grid
        mask = problem.group_mask
        email = grid.deferred.channels[0]
        need = grid.live_need
        counted = np.ones(grid.n_intervals, dtype=bool) if floor_mask is None else floor_mask
        covered: dict[int, list[cp_model.IntVar]] = {}
        capacity: dict[int, Expr] = {}
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
                alloc[email] = model.new_int_var(0, upper, f"cap[{t}]")
                capacity[t] = alloc[email]
            _hall(model, alloc, {g: self.presence[(t, g)] for g in present}, mask)
        for c, name in enumerate(grid.channels):
            floor = int(floors.get(name, 0))
            if floor > 0:
                model.add(cp_model.LinearExpr.sum(covered.get(c, [])) >= floor)
        return capacity

    def answered_in_time(
        self, work: _Work, counted: np.ndarray, span: range
    ) -> dict[int, cp_model.IntVar]:
        """``z[i]`` per interval ``i`` of ``span`` with ``counted`` work, and the cumulative
        service ``Z`` of that work over ``span`` (with ``A``, the ``z`` arrived so far, and
        ``D``, the ``z`` due so far, as chains); returns the ``z`` variables."""
        model = self.model
        total = int(work.work.sum())
        z: dict[int, cp_model.IntVar] = {}
        due_at: dict[int, list[cp_model.IntVar]] = {}
        for t in np.flatnonzero(counted).tolist():
            z[t] = model.new_int_var(0, int(work.work[t]), f"z[{t}]")
            due_at.setdefault(int(work.deadline[t]), []).append(z[t])
        served: Expr = 0
        arrived: Expr = 0
        due: Expr = 0
        for t in span:
            if t in z:
                arrived = self._chain(f"A[{t}]", arrived + z[t], total)
            if t in due_at:
                due = self._chain(f"D[{t}]", due + cp_model.LinearExpr.sum(due_at[t]), total)
            step = self.capacity.get(t)
            if step is not None:
                now = model.new_int_var(0, total, f"Z[{t}]")
                model.add(now >= served)
                model.add(now <= served + step)
                served = now
            if t in z or step is not None:
                model.add(served <= arrived)
            if t in due_at:
                model.add(served >= due)
        return z

    def fifo_service(self, span: range) -> dict[int, Expr]:
        """FIFO's cumulative service over ``span``, at most its recursion: ``S[t] - S[t-1]``
        between 0 and the capacity, ``S[t] <=`` the work arrived; before ``span`` all work
        arrived is taken as served."""
        model = self.model
        arrived = self.problem.grid.deferred.arrived[:, 0]
        total = int(arrived[-1]) if len(arrived) else 0
        served: Expr = int(arrived[span.start - 1]) if span.start > 0 else 0
        service: dict[int, Expr] = {}
        for t in span:
            step = self.capacity.get(t)
            if step is not None:
                now = model.new_int_var(0, total, f"S[{t}]")
                model.add(now >= served)
                model.add(now <= served + step)
                model.add(now <= int(arrived[t]))
                served = now
            service[t] = served
        return service

    def slacks(
        self,
        service: Mapping[int, Expr],
        z: Mapping[int, cp_model.IntVar],
        deadline: np.ndarray,
        buckets: Sequence[tuple[int, int]],
    ) -> list[tuple[cp_model.IntVar, cp_model.IntVar]]:
        """Per bucket ``(first, end)`` (due points): ``(u, slack)`` with ``u = S[end] - (z due
        from first to end) + slack``; a bucket bounds ``u`` from below by the work due before
        ``first`` (by ``end`` FIFO has served all of it, and the in-time work due from
        ``first`` to ``end`` besides) and pays for the slack."""
        total = int(self.problem.grid.deferred.arrived[-1, 0])
        found = []
        for first, end in buckets:
            ours = [var for t, var in z.items() if first <= deadline[t] <= end]
            spare = self.model.new_int_var(0, total, f"slack[{first},{end}]")
            reach = self.model.new_int_var(-total, 2 * total, f"reach[{first},{end}]")
            self.model.add(reach == service[end] - cp_model.LinearExpr.sum(ours) + spare)
            found.append((reach, spare))
        return found

    def _chain(self, name: str, expr: Expr, upper: int) -> cp_model.IntVar:
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
    :func:`planner.roster.problem.grid_from_requirements` (the checker's rule)."""
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
    due = np.zeros(n, dtype=np.int64)
    np.add.at(due, deadline[placed], backlog.work[placed, 0])
    assert np.array_equal(due, backlog.due[:, 0]), "deadlines disagree with the grid's"
    return deadline


def _net_minutes(problem: RosterProblem) -> np.ndarray:
    """Per candidate: elapsed minutes less the break minutes the shift owes (any placement)."""
    cands = problem.cands
    owed: dict[tuple[int, str], int] = {}
    minutes = np.zeros(len(cands), dtype=np.int64)
    for j, (paid, agent) in enumerate(zip(cands.paid.tolist(), cands.agent.tolist(), strict=True)):
        key = (paid, problem.agents[agent].state)
        if key not in owed:
            owed[key] = needs_for(paid, key[1], problem.config.breaks).break_minutes
        minutes[j] = owed[key]
    return (cands.end - cands.start) - minutes
