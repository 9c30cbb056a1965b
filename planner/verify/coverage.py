"""Coverage per UTC interval: presence, need and a maximum allocation of agents to channels
(OBJECTIVE.md's min-cut formula, vectorised), and the coverage terms.

Part of the independent checker (:mod:`planner.verify.check`); never imports OR-Tools.
"""

from __future__ import annotations

import logging
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from planner.data.holiday_calendar import HolidayCalendar
from planner.demand.staffing import company_calendar, coverage_mask, deferred_work
from planner.domain import (
    Agent,
    Break,
    Config,
    Roster,
    Shift,
)
from planner.verify.context import FloatArray, IntArray, agents_by_id, epoch_minutes


@dataclass(frozen=True)
class DeferredQueue:
    """One deferred channel's queue over the contiguous grid from the first to the last
    requirement interval (the response clock also runs through intervals without a row).

    Per position ``t`` (interval ``first_minute + t x interval_minutes``, epoch minutes):
    ``is_open``, ``work`` arriving, the position by whose end that work is due (``deadline``,
    -1: never), ``due`` by its end (staff-minutes), ``capacity`` (the leftover), ``served``
    in it, ``overdue`` at its end (0 unless open). ``rows`` maps each
    coverage row to its position.
    """

    channel: str
    column: int
    first_minute: int
    interval_minutes: int
    rows: IntArray
    is_open: npt.NDArray[np.bool_]
    work: IntArray
    deadline: IntArray
    due: IntArray
    capacity: IntArray
    served: IntArray
    overdue: IntArray

    @property
    def arrived(self) -> IntArray:
        """Work arrived by the end of each position (cumulative)."""
        return np.cumsum(self.work)

    @property
    def answered(self) -> IntArray:
        """Work served by the end of each position (cumulative)."""
        return np.cumsum(self.served)


@dataclass(frozen=True)
class Coverage:
    """Per UTC interval: need and covered minutes per channel, presence per skill group.

    ``need[t, c]`` = staff_needed x interval minutes; ``presence[t, g]`` = minutes of the
    agents of skill group ``groups[g]`` on shift and off break; ``covered[t, c]`` = for a live
    or concurrent channel the maximum allocation, split across channels by priority
    (highest first); for a deferred channel the part of its need its leftover meets
    (``min(need, capacity)``, coverage as reported). ``deferred`` holds each deferred
    channel's queue; ``used[t, c]`` is what a channel really takes: covered for a live
    channel, served for a deferred one.
    """

    interval_start: pd.DatetimeIndex
    channels: tuple[str, ...]
    priority: tuple[int, ...]
    groups: tuple[frozenset[str], ...]
    interval_minutes: int
    need: IntArray
    presence: IntArray
    covered: IntArray
    deferred: tuple[DeferredQueue, ...] = ()
    used: IntArray | None = None

    @property
    def live(self) -> npt.NDArray[np.bool_]:
        """Per channel: live or concurrent (priced per interval)."""
        flags = np.ones(len(self.channels), dtype=bool)
        for queue in self.deferred:
            flags[queue.column] = False
        return flags

    @property
    def under(self) -> IntArray:
        """Staff-minutes short of the need per interval and channel (as reported)."""
        return self.need - self.covered

    @property
    def idle(self) -> IntArray:
        """Present minutes no channel used, per interval."""
        used = self.covered if self.used is None else self.used
        return self.presence.sum(axis=1) - used.sum(axis=1)


log = logging.getLogger(__name__)


def _interval_minutes_index(starts: pd.Series | pd.DatetimeIndex) -> IntArray:
    """UTC timestamps as whole minutes since the epoch (independent of datetime resolution)."""
    index = pd.DatetimeIndex(starts)
    index = index.tz_localize("UTC") if index.tz is None else index.tz_convert("UTC")
    epoch = pd.Timestamp("1970-01-01", tz="UTC")
    return np.asarray((index - epoch) // pd.Timedelta(minutes=1), dtype=np.int64)


def _channel_order(channels: Sequence[str], priority: Sequence[int]) -> list[int]:
    """Channel indices by priority, highest first (ties: the configured order)."""
    return sorted(range(len(channels)), key=lambda i: (-priority[i], i))


def _min_cut_chain(
    need: IntArray, presence: IntArray, group_masks: Sequence[int], order: Sequence[int]
) -> IntArray:
    """Covered minutes per interval and channel by the min-cut formula of OBJECTIVE.md.

    F(S) = min over U subset of S of (sum_{c in S minus U} n_c + sum_{g meets U} p_g) is the
    most the channels S can get. Taking the channels by priority, c_k gets
    F({c_1..c_k}) - F({c_1..c_k-1}): Edmonds' greedy on this polymatroid, a maximum
    allocation that also maximises priority-weighted coverage.
    """
    n_int, n_ch = need.shape
    masks = np.asarray(group_masks, dtype=np.int64)
    covered = np.zeros_like(need)
    previous = np.zeros(n_int, dtype=np.int64)
    chosen = 0
    for c in order:
        chosen |= 1 << c
        best: IntArray | None = None
        subset = chosen
        while True:  # every U subset of the chosen channels, the empty set included
            outside = [i for i in range(n_ch) if chosen >> i & 1 and not subset >> i & 1]
            value = need[:, outside].sum(axis=1) + presence[:, (masks & subset) != 0].sum(axis=1)
            best = value if best is None else np.minimum(best, value)
            if subset == 0:
                break
            subset = (subset - 1) & chosen
        assert best is not None
        covered[:, c] = best - previous
        previous = best
    return covered


def presence_minutes(
    shifts: Iterable[Shift],
    breaks: Iterable[Break],
    agent_group: Mapping[str, int],
    *,
    n_groups: int,
    grid: IntArray,
    interval_minutes: int,
) -> IntArray:
    """Minutes on shift and off break per interval of ``grid`` (epoch minutes) and group."""
    presence = np.zeros((len(grid), n_groups), dtype=np.int64)
    breaks_by_agent: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for item in breaks:
        breaks_by_agent[item.agent_id].append(
            (epoch_minutes(item.start_utc), epoch_minutes(item.end_utc))
        )
    for spans in breaks_by_agent.values():
        spans.sort()
    if len(grid) == 0:
        return presence
    for shift in shifts:
        group = agent_group.get(shift.agent_id)
        if group is None:
            continue
        s, e = epoch_minutes(shift.start_utc), epoch_minutes(shift.end_utc)
        for seg_start, seg_end in _subtract(s, e, breaks_by_agent.get(shift.agent_id, ())):
            lo = int(np.searchsorted(grid, seg_start - interval_minutes, side="right"))
            hi = int(np.searchsorted(grid, seg_end, side="left"))
            if hi <= lo:
                continue
            starts = grid[lo:hi]
            overlap = np.minimum(seg_end, starts + interval_minutes) - np.maximum(seg_start, starts)
            presence[lo:hi, group] += np.maximum(overlap, 0)
    return presence


def _subtract(start: int, end: int, holes: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """``[start, end)`` minus the union of ``holes`` (sorted by start)."""
    segments = []
    cursor = start
    for h_start, h_end in holes:
        if h_end <= cursor or h_start >= end:
            continue
        if h_start > cursor:
            segments.append((cursor, h_start))
        cursor = max(cursor, h_end)
    if cursor < end:
        segments.append((cursor, end))
    return segments


def compute_coverage(
    roster: Roster,
    agents: Iterable[Agent] | Mapping[str, Agent],
    config: Config,
    requirements: pd.DataFrame,
    calendar: HolidayCalendar | None = None,
) -> Coverage:
    """Need, presence and covered minutes per interval of ``requirements`` (its UTC grid), and
    the deferred channels' queues (``calendar``, default the company calendar, says which
    intervals are open)."""
    by_id = agents_by_id(agents)
    minutes = config.site.interval_minutes
    channels = list(config.channel_names)
    priority = [int(c.priority) for c in config.channels]
    known = (
        requirements["channel"].astype(str).isin(channels).to_numpy() if len(requirements) else None
    )
    if known is not None and not known.all():
        # requirements.csv validation rejects unknown channels; here they simply need nobody.
        log.warning(
            "coverage: %d requirement row(s) of unconfigured channels ignored", (~known).sum()
        )
    starts = _interval_minutes_index(requirements["interval_start"]) if len(requirements) else None
    grid = np.unique(starts) if starts is not None else np.zeros(0, dtype=np.int64)
    need = np.zeros((len(grid), len(channels)), dtype=np.int64)
    if starts is not None and known is not None:
        rows = np.searchsorted(grid, starts[known])
        cols = np.asarray(
            [channels.index(c) for c in requirements["channel"].astype(str)[known]], dtype=np.int64
        )
        needed = pd.to_numeric(requirements["staff_needed"], errors="coerce").fillna(0)
        staff = np.rint(needed.to_numpy(dtype=float)[known]).astype(np.int64)
        np.add.at(need, (rows, cols), staff * minutes)
    groups: list[frozenset[str]] = []
    agent_group: dict[str, int] = {}
    for agent_id in sorted(by_id):
        skills = frozenset(by_id[agent_id].skills) & frozenset(channels)
        if skills not in groups:
            groups.append(skills)
        agent_group[agent_id] = groups.index(skills)
    presence = presence_minutes(
        roster.shifts,
        roster.breaks,
        agent_group,
        n_groups=len(groups),
        grid=grid,
        interval_minutes=minutes,
    )
    masks = [sum(1 << channels.index(c) for c in g) for g in groups]
    deferred = [i for i, c in enumerate(config.channels) if c.kind == "deferred"]
    live = [i for i in _channel_order(channels, priority) if i not in deferred]
    live_need = need.copy()
    live_need[:, deferred] = 0
    covered = _min_cut_chain(live_need, presence, masks, live)
    used = covered.copy()
    queues = _queues(
        _QueueInputs(config, requirements, grid, calendar, live_need, presence, masks, live)
    )
    for queue in queues:
        capacity = queue.capacity[queue.rows]
        covered[:, queue.column] = np.minimum(need[:, queue.column], capacity)
        used[:, queue.column] = queue.served[queue.rows]
    index = pd.DatetimeIndex(pd.to_datetime(grid, unit="m", utc=True))
    return Coverage(
        interval_start=index,
        channels=tuple(channels),
        priority=tuple(priority),
        groups=tuple(groups),
        interval_minutes=minutes,
        need=need,
        presence=presence,
        covered=covered,
        deferred=tuple(queues),
        used=used,
    )


@dataclass(frozen=True)
class _QueueInputs:
    config: Config
    requirements: pd.DataFrame
    grid: IntArray
    calendar: HolidayCalendar | None
    live_need: IntArray
    presence: IntArray
    masks: list[int]
    live: list[int]


def _deadlines(n: int, is_open: npt.NDArray[np.bool_], window: int) -> IntArray:
    """Per position, the position by whose end its work is due (-1: never): the clock of
    work arriving at ``t`` starts at the first open position at or after ``t`` and runs
    ``window`` open positions (or to the last open one)."""
    opens = [t for t in range(n) if is_open[t]]
    deadline = np.full(n, -1, dtype=np.int64)
    following = len(opens)  # index in ``opens`` of the first open position >= t
    for t in range(n - 1, -1, -1):
        if is_open[t]:
            following -= 1
        if following < len(opens):
            deadline[t] = opens[min(following + window - 1, len(opens) - 1)]
    return deadline


def _queues(inputs: _QueueInputs) -> list[DeferredQueue]:
    """Each deferred channel's queue, in service order (priority, then config order): its
    capacity is what it can get once the live channels and the deferred channels before it
    have theirs (need unbounded), its queue first in, first out."""
    config, grid = inputs.config, inputs.grid
    channels = list(config.channel_names)
    order = sorted(
        (i for i, c in enumerate(config.channels) if c.kind == "deferred"),
        key=lambda i: (-config.channels[i].priority, i),
    )
    if not order or not len(grid):
        return []
    minutes = config.site.interval_minutes
    rows = (grid - grid[0]) // minutes
    starts = pd.DatetimeIndex(
        pd.to_datetime(grid[0] + minutes * np.arange(rows[-1] + 1), unit="m", utc=True)
    )
    calendar = inputs.calendar or company_calendar(config, starts)
    is_open = coverage_mask(starts, config, calendar)
    frame = inputs.requirements
    volume = {"contacts", "aht_seconds"} <= set(frame.columns)
    stamps = _interval_minutes_index(frame["interval_start"]) if volume else None
    need = inputs.live_need.copy()
    done: list[int] = []
    queues = []
    for column in order:
        channel = config.channels[column]
        work = np.zeros(len(starts), dtype=np.int64)
        if stamps is not None:
            mine = (frame["channel"].astype(str) == channel.name).to_numpy()
            per_row = deferred_work(
                pd.to_numeric(frame["contacts"], errors="coerce").to_numpy(float)[mine],
                pd.to_numeric(frame["aht_seconds"], errors="coerce").to_numpy(float)[mine],
                channel,
                config,
            )
            np.add.at(work, (stamps[mine] - grid[0]) // minutes, per_row)
        window = max(1, math.floor(channel.response_hours * 60 / minutes + 1e-9))
        need[:, column] = inputs.presence.sum(axis=1) + 1  # as good as unbounded
        allocated = _min_cut_chain(
            need, inputs.presence, inputs.masks, [*inputs.live, *done, column]
        )
        capacity = np.zeros(len(starts), dtype=np.int64)
        capacity[rows] = allocated[:, column]
        served = np.zeros(len(starts), dtype=np.int64)
        backlog = 0
        for t in range(len(starts)):  # first in, first out, never idle while work waits
            served[t] = min(backlog + work[t], capacity[t])
            backlog += work[t] - served[t]
        deadline = _deadlines(len(starts), is_open, window)
        due = np.zeros_like(work)
        np.add.at(due, deadline[deadline >= 0], work[deadline >= 0])
        late = np.cumsum(due) - np.cumsum(served)
        overdue = np.where(is_open, np.maximum(late, 0), 0)
        queues.append(
            DeferredQueue(
                channel.name,
                channels.index(channel.name),
                int(grid[0]),
                minutes,
                rows,
                is_open,
                work,
                deadline,
                due,
                capacity,
                served,
                overdue,
            )
        )
        need[:, column] = served[rows]
        done.append(column)
    return queues


def _flow_one(
    supply: Sequence[float], masks: Sequence[int], need: Sequence[float], order: Sequence[int]
) -> list[list[float]]:
    """Exact max-flow groups -> channels for one interval, channels served by priority.

    Augmenting paths (BFS) into one channel at a time, in ``order``; an augmenting path
    never lowers a channel's inflow, so each channel ends with as much as it can get
    given the higher-priority ones (the polymatroid greedy).
    """
    n_g, n_c = len(supply), len(need)
    flow = [[0.0] * n_c for _ in range(n_g)]
    left = list(supply)
    into = [0.0] * n_c
    for target in order:
        while need[target] - into[target] > _EPS:
            parent = _reach_channels(flow, left, masks, n_c, target)
            if target not in parent:
                break
            amount = _augment(flow, left, parent, target, need[target] - into[target])
            into[target] += amount
    return flow


_EPS = 1e-9
"""Minutes below which a flow, a supply or a need left counts as none."""

_Parents = dict[int, tuple[int, int | None]]
"""Channel -> (group that feeds it, channel that group's minutes are taken from or None)."""


def _reach_channels(
    flow: list[list[float]], left: list[float], masks: Sequence[int], n_c: int, target: int
) -> _Parents:
    """BFS over channels until ``target`` is reached (or nothing more is).

    Nodes are channels; an edge c -> c' exists when a group g feeding c (flow[g][c] > 0)
    can also serve c'. Start from groups with supply left.
    """
    n_g = len(left)
    parent: _Parents = {}
    frontier = []
    for g in range(n_g):
        if left[g] > _EPS:
            for c in range(n_c):
                if masks[g] >> c & 1 and c not in parent:
                    parent[c] = (g, None)
                    frontier.append(c)
    while frontier and target not in parent:
        nxt = []
        for c in frontier:
            for g in range(n_g):
                if flow[g][c] > _EPS:
                    nxt.extend(_serve_from(parent, masks[g], g, c, n_c))
        frontier = nxt
    return parent


def _serve_from(parent: _Parents, mask: int, g: int, c: int, n_c: int) -> list[int]:
    """The channels group ``g`` (feeding ``c``) can serve that the BFS has not reached yet;
    they are marked reached through ``c``."""
    reached = []
    for c2 in range(n_c):
        if mask >> c2 & 1 and c2 not in parent:
            parent[c2] = (g, c)
            reached.append(c2)
    return reached


def _augment(
    flow: list[list[float]], left: list[float], parent: _Parents, target: int, wanted: float
) -> float:
    """Push the bottleneck amount (at most ``wanted``) along the path to ``target``; return
    it."""
    # Walk back to find the bottleneck.
    path: list[tuple[int, int, int | None]] = []  # (group, into channel, from channel)
    node: int | None = target
    while node is not None:
        g, prev = parent[node]
        path.append((g, node, prev))
        node = prev
    g0 = path[-1][0]
    amount = min(wanted, left[g0])
    for g, _, prev in path:
        if prev is not None:
            amount = min(amount, flow[g][prev])
    for g, c_in, prev in path:
        flow[g][c_in] += amount
        if prev is not None:
            flow[g][prev] -= amount
    left[g0] -= amount
    return amount


def allocation_flows(
    presence_by_skillset: Mapping[frozenset[str], npt.ArrayLike],
    need: Mapping[str, npt.ArrayLike],
    priority: Mapping[str, int] | None = None,
) -> dict[tuple[frozenset[str], str], FloatArray]:
    """Minutes each skill group gives each channel, per interval (a maximum allocation).

    Channels with higher ``priority`` are served first (ties: the order of ``need``), so
    the allocation is also the one maximising priority-weighted coverage. Intervals with
    the same (presence, need) pattern are solved once.
    """
    channels = list(need)
    groups = list(presence_by_skillset)
    arrays = [np.atleast_1d(np.asarray(presence_by_skillset[g], dtype=float)) for g in groups]
    needs = [np.atleast_1d(np.asarray(need[c], dtype=float)) for c in channels]
    length = max((len(a) for a in [*arrays, *needs]), default=0)
    p = (
        np.stack([np.broadcast_to(a, (length,)) for a in arrays], axis=1)
        if groups
        else np.zeros((length, 0))
    )
    n = (
        np.stack([np.broadcast_to(a, (length,)) for a in needs], axis=1)
        if channels
        else np.zeros((length, 0))
    )
    prio = [int((priority or {}).get(c, 1)) for c in channels]
    order = _channel_order(channels, prio)
    masks = [sum(1 << i for i, c in enumerate(channels) if c in g) for g in groups]
    result = np.zeros((length, len(groups), len(channels)))
    cache: dict[tuple[float, ...], list[list[float]]] = {}
    for t in range(length if groups and channels else 0):
        key = (*p[t].tolist(), *n[t].tolist())
        if key not in cache:
            cache[key] = _flow_one(p[t].tolist(), masks, n[t].tolist(), order)
        result[t] = cache[key]
    return {
        (g, c): result[:, gi, ci] for gi, g in enumerate(groups) for ci, c in enumerate(channels)
    }


def allocate(
    presence_by_skillset: Mapping[frozenset[str], npt.ArrayLike],
    need: Mapping[str, npt.ArrayLike],
    priority: Mapping[str, int] | None = None,
) -> dict[str, FloatArray]:
    """Covered minutes per channel (and interval) by an exact max-flow allocation.

    ``presence_by_skillset`` maps a skill set to present minutes (a number or one per
    interval); ``need`` maps a channel to needed minutes. Each group's minutes go only to
    channels in its skill set, at most ``need`` per channel. Equal to the min-cut value
    of OBJECTIVE.md in total; per channel, higher ``priority`` is served first.
    """
    flows = allocation_flows(presence_by_skillset, need, priority)
    sizes = [np.size(v) for v in (*presence_by_skillset.values(), *need.values())]
    covered = {c: np.zeros(max(sizes, default=0)) for c in need}
    for (_, c), values in flows.items():
        covered[c] = covered[c] + values
    return covered


def coverage_terms(coverage: Coverage) -> dict[str, int]:
    """``under_staffing`` (with ``under_staffing.<channel>``: 0 for a deferred channel),
    ``over_staffing`` and ``deferred_overdue`` (whole staff-hours; with
    ``deferred_overdue_minutes.<channel>``, priority x staff-minutes overdue summed over the
    due points)."""
    under = coverage.under * coverage.live[None, :]
    terms = {
        f"under_staffing.{c}": int(coverage.priority[i] * under[:, i].sum())
        for i, c in enumerate(coverage.channels)
    }
    late = {
        f"deferred_overdue_minutes.{q.channel}": int(coverage.priority[q.column] * q.overdue.sum())
        for q in coverage.deferred
    }
    return {
        "under_staffing": sum(terms.values()),
        **terms,
        "over_staffing": int(coverage.idle.sum()),
        "deferred_overdue": sum(late.values()) // 60,  # whole staff-hours
        **late,
    }
