"""Coverage allocation: which channel the present agents cover, interval by interval, and
what the deferred channels' queues make of the presence left.

The query the coverage rules (``under_staffing``, ``over_staffing``, ``skills``,
``deferred_overdue``), the search and the solve share (docs/OBJECTIVE.md): present agents (per
skill group) are allocated to the live and concurrent channels among their skills, filling
them in priority order (a maximum flow, capped at each channel's need); each deferred channel
then gets the presence left of agents with its skill (its *leftover*, not capped), and its
first-in-first-out queue serves the work that has arrived with it.

:func:`evaluate_coverage` is that semantics on a concrete roster (what the rules' ``value``
and the search compute); :func:`deferred_queue` is a deferred channel's queue inside a model.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import combinations
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from planner.roster.problem import Grid, RosterProblem
    from planner.roster.variables import Expr, Variables


@lru_cache(maxsize=64)
def _cut_matrices(
    mask_bytes: bytes, n_groups: int, n_channels: int, order: tuple[int, ...]
) -> tuple[np.ndarray, np.ndarray, tuple[int, ...]]:
    """For the channel prefixes ``order[:1], order[:2], ...`` and every subset ``S`` of each
    prefix: which channels lie outside ``S`` (channels x cuts) and which groups meet ``S``
    (groups x cuts); and where each prefix's cuts end."""
    group_mask = np.frombuffer(mask_bytes, dtype=bool).reshape(n_groups, n_channels)
    outside_cols, meets_cols, ends = [], [], []
    for k in range(1, len(order) + 1):
        prefix = order[:k]
        for r in range(len(prefix) + 1):
            for subset in combinations(prefix, r):
                out = np.zeros(n_channels, dtype=np.int64)
                out[[c for c in prefix if c not in subset]] = 1
                outside_cols.append(out)
                meets_cols.append(group_mask[:, list(subset)].any(axis=1).astype(np.int64))
        ends.append(len(outside_cols))
    return np.stack(outside_cols, axis=1), np.stack(meets_cols, axis=1), tuple(ends)


def allocate(
    need: np.ndarray, presence: np.ndarray, group_mask: np.ndarray, priority: np.ndarray
) -> np.ndarray:
    """``covered[t, c]``: a maximum allocation filling channels in priority order.

    For the channels taken by priority, ``F(T) = min over S subset of T of (need of T outside
    S + presence of the groups whose skills meet S)`` is the most the channels ``T`` can get
    (Hall / max-flow min-cut); channel ``c_k`` gets ``F(c_1..c_k) - F(c_1..c_k-1)``.
    """
    n_channels = need.shape[1]
    order = tuple(sorted(range(n_channels), key=lambda c: (-int(priority[c]), c)))
    return allocate_in_order(need, presence, group_mask, order)


def allocate_in_order(
    need: np.ndarray, presence: np.ndarray, group_mask: np.ndarray, order: tuple[int, ...]
) -> np.ndarray:
    """:func:`allocate` with the channels filled in ``order`` (channels left out get 0)."""
    n_channels = need.shape[1]
    if not order:  # e.g. a team whose only channels are deferred: no live allocation
        return np.zeros(need.shape, dtype=np.int64)
    outside, meets, ends = _cut_matrices(
        np.ascontiguousarray(group_mask, dtype=bool).tobytes(),
        group_mask.shape[0],
        n_channels,
        order,
    )
    cuts = need @ outside + presence @ meets  # (rows, cuts)
    covered = np.zeros(need.shape, dtype=np.int64)
    previous = np.zeros(need.shape[0], dtype=np.int64)
    begin = 0
    for k, end in enumerate(ends):
        flow = cuts[:, begin:end].min(axis=1)
        covered[:, order[k]] = flow - previous
        previous = flow
        begin = end
    return covered


def live_order(grid: Grid) -> tuple[int, ...]:
    """The live and concurrent channels by priority (ties: config order)."""
    deferred = set(grid.deferred.channels)
    live = [c for c in range(len(grid.channels)) if c not in deferred]
    return tuple(sorted(live, key=lambda c: (-int(grid.priority[c]), c)))


def leftover(
    grid: Grid,
    rows: np.ndarray,
    presence: np.ndarray,
    group_mask: np.ndarray,
    channel: int,
    *,
    before: Sequence[tuple[int, np.ndarray]] = (),
) -> np.ndarray:
    """Per row: the most a deferred ``channel`` can get once the live channels have their
    maximum allocation in priority order and the deferred channels ``before`` (channel,
    minutes per row) theirs: ``F(L + before + {channel}) - F(L + before)`` with the channel's
    need unbounded (the presence of the row, plus one, is as good as unbounded)."""
    need = grid.live_need[rows].copy()
    done = []
    for c, minutes in before:
        need[:, c] = minutes
        done.append(c)
    need[:, channel] = presence.sum(axis=1) + 1
    order = (*live_order(grid), *done, channel)
    return allocate_in_order(need, presence, group_mask, order)[:, channel]


def fifo(arrived: np.ndarray, capacity: np.ndarray) -> np.ndarray:
    """Cumulative minutes a first-in-first-out queue has served by the end of each interval:
    ``S[t] = min(arrived[t], S[t-1] + capacity[t])``, ``S[-1] = 0`` (work-conserving).

    Closed form: ``S - C = min(0, min_{j <= t} (arrived[j] - C[j]))`` with ``C`` the cumulative
    capacity, so one pass of ``minimum.accumulate``."""
    total = np.cumsum(capacity)
    return total + np.minimum.accumulate(np.minimum(arrived - total, 0))


@dataclass(frozen=True)
class CoverageValue:
    """The coverage semantics of docs/OBJECTIVE.md on a concrete presence (intervals x groups).

    ``covered[t, c]``: the live channels' maximum allocation in priority order (deferred
    columns 0); per deferred channel ``k`` (column of the backlog): ``capacity`` (the
    leftover it may use), ``served`` cumulative (``fifo``) and ``overdue`` (work due and not
    served at the end of each open interval, 0 elsewhere).
    """

    covered: np.ndarray
    capacity: np.ndarray
    served: np.ndarray
    overdue: np.ndarray

    @property
    def served_per_interval(self) -> np.ndarray:
        return np.diff(self.served, axis=0, prepend=0)


def evaluate_coverage(grid: Grid, presence: np.ndarray, group_mask: np.ndarray) -> CoverageValue:
    """Live allocation, then each deferred channel in service order: its leftover capacity
    and its FIFO queue (the channels before it keep the minutes they served)."""
    backlog = grid.deferred
    covered = allocate_in_order(grid.live_need, presence, group_mask, live_order(grid))
    n, k = backlog.work.shape
    capacity = np.zeros((n, k), dtype=np.int64)
    served = np.zeros((n, k), dtype=np.int64)
    before: list[tuple[int, np.ndarray]] = []
    rows = np.arange(n)
    for i, channel in enumerate(backlog.channels):
        capacity[:, i] = leftover(grid, rows, presence, group_mask, channel, before=before)
        served[:, i] = fifo(backlog.arrived[:, i], capacity[:, i])
        before.append((channel, np.diff(served[:, i], prepend=0)))
    overdue = np.where(backlog.open[:, None], np.maximum(backlog.due_by - served, 0), 0)
    return CoverageValue(covered, capacity, served, overdue)


def coverage_value(problem: RosterProblem, presence: np.ndarray) -> CoverageValue:
    """:func:`evaluate_coverage` of ``presence``, cached for the last few presences seen (the
    three coverage rules of one roster evaluate the same presence)."""
    cache = problem.cache.setdefault("coverage_values", {})
    assert isinstance(cache, dict)
    key = hash(presence.tobytes())
    found = cache.get(key)
    if found is not None and np.array_equal(found[0], presence):
        return found[1]
    value = evaluate_coverage(problem.grid, presence, problem.group_mask)
    if len(cache) >= 8:
        cache.pop(next(iter(cache)))
    cache[key] = (presence.copy(), value)
    return value


def fixed_allocation(v: Variables) -> np.ndarray:
    """The live channels' allocation of the fixed part of the roster (used outside the decided
    intervals; deferred columns 0)."""
    cached = v.cache.get("fixed_allocation")
    if cached is None:
        grid = v.problem.grid
        cached = allocate_in_order(
            grid.live_need, v.fixed_presence(), v.problem.group_mask, live_order(grid)
        )
        v.cache["fixed_allocation"] = cached
    return cached  # type: ignore[return-value]


def _costs(
    grid: Grid, rows: np.ndarray, presence: np.ndarray, group_mask: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Per row of ``rows`` (intervals): (priority-weighted live shortage, presence the live
    channels leave)."""
    need = grid.live_need[rows]
    covered = allocate_in_order(need, presence, group_mask, live_order(grid))
    under = ((need - covered) * grid.priority[None, :]).sum(axis=1)
    return under, presence.sum(axis=1) - covered.sum(axis=1)


def _free_entries(v: Variables) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The free candidates' presence as (row in ``free_ids``, interval, minutes, group)."""
    sub = v.problem.cands.presence[v.free_ids].tocoo()
    groups = v.problem.cand_group[v.free_ids[sub.row]]
    return sub.row, sub.col, sub.data.astype(np.int64), groups


def marginal_costs(v: Variables) -> tuple[np.ndarray, np.ndarray, int, int]:
    """For a one-agent model (``v.marginal``): per free candidate, the change of the raw
    under-staffing (live channels) and of the presence the live channels leave, when it is
    worked alone, and both values without it. What the deferred channels make of the
    presence left is their queue's (:func:`deferred_queue`)."""
    cached = v.cache.get("marginal_costs")
    if cached is not None:
        return cached  # type: ignore[return-value]
    problem = v.problem
    grid = problem.grid
    fixed = v.fixed_presence()
    every = np.arange(grid.n_intervals)
    base_under, base_over = _costs(grid, every, fixed, problem.group_mask)
    row, col, data, groups = _free_entries(v)
    n = len(v.free_ids)
    d_under = np.zeros(n, dtype=np.int64)
    d_over = np.zeros(n, dtype=np.int64)
    if len(col):
        rows = fixed[col].copy()
        rows[np.arange(len(col)), groups] += data
        under, over = _costs(grid, col, rows, problem.group_mask)
        np.add.at(d_under, row, under - base_under[col])
        np.add.at(d_over, row, over - base_over[col])
    result = (d_under, d_over, int(base_under.sum()), int(base_over.sum()))
    v.cache["marginal_costs"] = result
    return result


# --------------------------------------------------------------------------- deferred queue


@dataclass(frozen=True)
class Tail:
    """A queue after the last interval a model decides, where every capacity is the fixed
    roster's: a function of ``S``, the cumulative service at that interval's end.

    Overdue at the due points after it: ``constant - slope x S + sum_b max(0, b - S)`` over
    ``hinges`` (``b`` with its multiplicity in ``counts``); service by the grid's end:
    ``min(room, S + capacity)`` (see :func:`_tail`).
    """

    constant: int
    slope: int
    hinges: np.ndarray
    counts: np.ndarray
    room: int
    capacity: int


@dataclass
class Queue:
    """One deferred channel's FIFO queue in a model (docs/OBJECTIVE.md, ``deferred_overdue``).

    Only the *window* ``[start, stop)``, from the first to the last interval a free candidate
    is present in, is decided. Before it every capacity is the fixed roster's: the queue is
    what the fixed roster gives (constants, ``base`` served by then, ``overdue_before``).
    Inside it ``served[t]`` is a variable, bounded by the skills rule's Hall constraints in a
    decided interval and by the fixed roster's leftover elsewhere, and ``cumulative[t] =
    cumulative[t-1] + served[t]``, at least ``lower[t]`` (what the fixed roster alone
    serves: more presence never lowers a deferred channel's leftover nor a FIFO queue's
    service) and at most the work arrived. After it, with one deferred channel, capacities
    are fixed again and the queue is an exact function of the service at the window's end
    (``tail``); with several, a later channel's leftover depends on an earlier one's queue,
    so the window runs to the grid's end. ``end`` is the service by the grid's end;
    ``incumbent_served`` the incumbent's cumulative service (hints). (A one-agent model
    prices the queue per candidate instead: :func:`marginal_backlog`.)
    """

    column: int
    channel: int
    start: int
    stop: int
    base: int
    lower: np.ndarray
    overdue_before: int
    incumbent_served: np.ndarray
    served: dict[int, Expr] = field(default_factory=dict)
    cumulative: dict[int, Expr] = field(default_factory=dict)
    tail: Tail | None = None
    end: Expr = 0

    @property
    def last(self) -> Expr:
        """Cumulative service at the window's end."""
        return self.cumulative.get(self.stop - 1, self.base)


def touched_intervals(v: Variables) -> np.ndarray:
    """Intervals some free candidate is present in (sorted)."""
    cached = v.cache.get("touched_intervals")
    if cached is None:
        sub = v.problem.cands.presence[v.free_ids].tocoo()
        cached = np.unique(sub.col) if sub.nnz else np.zeros(0, dtype=np.int64)
        v.cache["touched_intervals"] = cached
    return cached  # type: ignore[return-value]


def _fixed_value(v: Variables) -> CoverageValue:
    cached = v.cache.get("fixed_coverage")
    if cached is None:
        cached = evaluate_coverage(v.problem.grid, v.fixed_presence(), v.problem.group_mask)
        v.cache["fixed_coverage"] = cached
    return cached  # type: ignore[return-value]


def incumbent_value(v: Variables) -> CoverageValue:
    """The coverage semantics on the whole incumbent (hints)."""
    return coverage_value(v.problem, v.incumbent.group_presence)


def alone_leftover(v: Variables, column: int) -> np.ndarray:
    """Per interval, the fixed roster's leftover for deferred column ``column`` with only the
    live channels before it: what it may serve where nothing is decided (with one deferred
    channel, its capacity; with several, a bound the sequential capacity never exceeds)."""
    key = f"alone_leftover[{column}]"
    cached = v.cache.get(key)
    if cached is None:
        grid = v.problem.grid
        fixed = v.fixed_presence()
        channel = grid.deferred.channels[column]
        cached = leftover(grid, np.arange(grid.n_intervals), fixed, v.problem.group_mask, channel)
        v.cache[key] = cached
    return cached  # type: ignore[return-value]


def marginal_capacity(v: Variables) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One-agent model, one deferred channel: the leftover each free candidate adds, as
    (row in ``free_ids``, interval, minutes) triples with minutes > 0."""
    cached = v.cache.get("marginal_capacity")
    if cached is None:
        grid = v.problem.grid
        fixed = v.fixed_presence()
        channel = grid.deferred.channels[0]
        row, col, data, groups = _free_entries(v)
        rows = fixed[col].copy()
        rows[np.arange(len(col)), groups] += data
        mask = v.problem.group_mask
        gain = leftover(grid, col, rows, mask, channel) - leftover(
            grid, col, fixed[col], mask, channel
        )
        keep = gain > 0
        cached = (row[keep], col[keep], gain[keep])
        v.cache["marginal_capacity"] = cached
    return cached  # type: ignore[return-value]


def _tail(
    v: Variables, column: int, last: int, fixed: CoverageValue, *, low: int, high: int
) -> Tail:
    """The queue after interval ``last`` (capacities fixed), for a service ``S`` at its end
    between ``low`` and ``high``. With ``C_k`` the capacity after ``last`` up to ``k`` and
    ``G_k = min_{last < j <= k} (A_j + C_k - C_j)``, the service by ``k`` is
    ``min(G_k, S + C_k)``, so the overdue at a due point ``k`` is ``a_k + max(0, b_k - S)``
    with ``a_k = max(0, D_k - G_k)``, ``b_k = D_k - C_k - a_k``: a hinge only where ``b_k``
    lies between ``low`` and ``high``, linear above, 0 below."""
    backlog = v.problem.grid.deferred
    after = slice(last + 1, None)
    capacity = np.cumsum(fixed.capacity[after, column])
    arrived = backlog.arrived[after, column]
    room = capacity + np.minimum.accumulate(arrived - capacity)
    due = backlog.due_by[after, column]
    points = backlog.open[after]
    a = np.maximum(due - room, 0)[points]
    b = (due - capacity)[points] - a
    above = b >= high
    hinge = (b > low) & ~above
    values, counts = np.unique(b[hinge], return_counts=True)
    return Tail(
        constant=int(a.sum() + b[above].sum()),
        slope=int(above.sum()),
        hinges=values[::-1],
        counts=counts[::-1],
        room=int(room[-1]) if len(room) else high,
        capacity=int(capacity[-1]) if len(capacity) else 0,
    )


def deferred_queue(v: Variables, column: int) -> Queue:
    """The queue of deferred column ``column`` in model ``v`` (built once, then cached)."""
    key = f"deferred_queue[{column}]"
    cached = v.cache.get(key)
    if cached is not None:
        return cached  # type: ignore[return-value]
    grid = v.problem.grid
    backlog = grid.deferred
    fixed = _fixed_value(v)
    lower = fixed.served[:, column]
    touched = touched_intervals(v)
    single = len(backlog.channels) == 1
    start, stop = (int(touched[0]), int(touched[-1]) + 1) if len(touched) else (0, 0)
    if stop and not single:
        stop = grid.n_intervals
    base = int(lower[start - 1]) if start > 0 else 0
    queue = Queue(
        column=column,
        channel=backlog.channels[column],
        start=start,
        stop=stop,
        base=base,
        # With several deferred channels more presence may lower a later one's leftover:
        # only the service before the window is sure.
        lower=lower if single else np.full_like(lower, base),
        overdue_before=int(fixed.overdue[:start, column].sum()),
        incumbent_served=incumbent_value(v).served[:, column],
    )
    if stop <= start:
        queue.overdue_before = int(fixed.overdue[:, column].sum())
        queue.end = int(lower[-1]) if len(lower) else 0
    else:
        _chain(v, queue)
        if stop < grid.n_intervals:
            last = stop - 1
            high = int(backlog.arrived[last, column])
            queue.tail = _tail(v, column, last, fixed, low=int(queue.lower[last]), high=high)
            queue.end = _tail_service(v, queue)
        else:
            queue.end = queue.last
    v.cache[key] = queue
    return queue


def _chain(v: Variables, queue: Queue) -> None:
    """``served[t]`` and ``cumulative[t]`` over the window (see :class:`Queue`)."""
    column = queue.column
    arrived = v.problem.grid.deferred.arrived[:, column]
    hint = queue.incumbent_served
    hint_step = np.diff(hint, prepend=0)
    bound = alone_leftover(v, column)
    decided = {t: var for (t, k), var in v.coverage().served_vars.items() if k == column}
    previous: Expr = queue.base
    for t in range(queue.start, queue.stop):
        served: Expr | None = decided.get(t)
        if served is None and bound[t] > 0:
            served = v.served_var(t, column, int(bound[t]))
            v.hint(served, int(hint_step[t]))
        if served is not None:
            queue.served[t] = served
            low = int(queue.lower[t])
            total = v.model.new_int_var(low, max(low, int(arrived[t])), f"backlog_served[{t}]")
            v.hint(total, int(hint[t]))
            v.model.add(total == previous + served)
            previous = total
        queue.cumulative[t] = previous


def _tail_service(v: Variables, queue: Queue) -> Expr:
    """Service by the grid's end: ``min(room, S + capacity)`` as a variable pushed up by the
    over-staffing term (``end <= room``, ``end <= S + capacity``)."""
    tail = queue.tail
    assert tail is not None
    last = queue.last
    hint = int(min(tail.room, queue.incumbent_served[queue.stop - 1] + tail.capacity))
    end = v.model.new_int_var(0, max(0, tail.room), f"backlog_end[{queue.channel}]")
    v.hint(end, hint)
    v.model.add(end <= last + tail.capacity)
    return end


def marginal_backlog(v: Variables) -> tuple[np.ndarray, np.ndarray, int, int]:
    """One-agent model, at most one deferred channel: per free candidate, the change of the
    raw ``deferred_overdue`` and of the minutes the queue serves when it replaces the
    agent's incumbent shift(s) of its day, the agent's other days as in the incumbent; and
    the constants that make ``constant + sum_j x_j change_j`` the incumbent's exact values.

    A queue carries backlog from one day into the next, so a shift's worth depends on the
    agent's other shifts: each candidate is priced exactly against the incumbent's other
    days (the whole queue run again). The one-agent model is then exact for every schedule
    that changes at most one day of the incumbent, and first-order for the others (the
    search keeps a schedule only when its exact value is better).
    """
    cached = v.cache.get("marginal_backlog")
    if cached is not None:
        return cached  # type: ignore[return-value]
    grid = v.problem.grid
    backlog = grid.deferred
    n = len(v.free_ids)
    d_late = np.zeros(n, dtype=np.int64)
    d_served = np.zeros(n, dtype=np.int64)
    if not backlog.channels or not grid.n_intervals:
        result = (d_late, d_served, 0, 0)
        v.cache["marginal_backlog"] = result
        return result
    priority = int(grid.priority[backlog.channels[0]])
    rows, cols, gains = marginal_capacity(v)
    days = v.problem.cands.day[v.free_ids]
    worked = v.incumbent.chosen[v.free_ids]
    current = _fixed_value(v).capacity[:, 0].copy()
    mine = worked[rows]
    np.add.at(current, cols[mine], gains[mine])  # the incumbent's capacity
    queue = _QueueRun(backlog.arrived[:, 0], np.where(backlog.open, backlog.due_by[:, 0], 0))
    late_now, served_now = queue.run(current[None, :])
    constant_late, constant_served = int(late_now[0]), int(served_now[0])
    for day in np.unique(days[rows]).tolist():
        on_day = days[rows] == day
        # The day's incumbent shift(s) removed: what the day's candidates are priced against.
        base = current.copy()
        own = on_day & mine
        np.subtract.at(base, cols[own], gains[own])
        base_late, base_served = queue.run(base[None, :])
        constant_late += int(base_late[0]) - int(late_now[0])
        constant_served += int(base_served[0]) - int(served_now[0])
        pick = np.flatnonzero(on_day)
        which = np.unique(rows[pick])
        caps = np.tile(base, (len(which), 1))
        caps[np.searchsorted(which, rows[pick]), cols[pick]] += gains[pick]
        late, served = queue.run(caps)
        d_late[which] = late - int(base_late[0])
        d_served[which] = served - int(base_served[0])
    result = (priority * d_late, d_served, priority * constant_late, constant_served)
    v.cache["marginal_backlog"] = result
    return result


@dataclass(frozen=True)
class _QueueRun:
    """Many capacity profiles through one queue at once (rows of ``caps``)."""

    arrived: np.ndarray
    due: np.ndarray  # cumulative work due at the end of each open interval, else 0

    def run(self, caps: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per row: overdue minutes summed over the due points, and minutes served."""
        total = np.cumsum(caps, axis=1)
        served = total + np.minimum.accumulate(np.minimum(self.arrived - total, 0), axis=1)
        late = np.maximum(self.due - served, 0).sum(axis=1)
        return late, served[:, -1]
