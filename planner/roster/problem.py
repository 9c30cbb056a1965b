"""The prepared roster problem: the types the model, the search and the evaluation read.

:func:`planner.roster.candidates.prepare` builds a :class:`RosterProblem` from the inputs;
everything here is plain data (integer arrays in grid minutes, see :class:`Grid`), so the
rules under ``constraints/`` and the model only iterate over it (STYLE.md).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property

import numpy as np
import pandas as pd
from scipy import sparse

from planner.data.holiday_calendar import HolidayCalendar
from planner.data.roster_io import FAIRNESS_KINDS
from planner.demand.staffing import company_calendar, coverage_mask, deferred_work
from planner.domain import (
    Agent,
    AvailabilityWindow,
    Config,
    Horizon,
    Shift,
    TimeOff,
)
from planner.roster.break_rules import BreakNeeds, BreakSlot, needs_for

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


KINDS = FAIRNESS_KINDS
"""Fairness kinds in array order: weekend, evening, holiday, closer."""


@dataclass(frozen=True)
class Backlog:
    """The deferred channels' work on the grid (docs/OBJECTIVE.md, ``deferred_overdue``).

    ``channels`` are the deferred channels' indices in service order (priority, then config
    order); column ``k`` of ``work`` and ``due`` belongs to ``channels[k]``. ``work[t, k]``
    is the staff-minutes of work arriving in interval ``t``, ``due[t, k]`` the staff-minutes
    due by the end of interval ``t``; ``open[t]``: ``t`` lies inside the coverage windows
    (the response clock runs, and its end is a due point).
    """

    channels: tuple[int, ...]
    work: np.ndarray
    due: np.ndarray
    open: np.ndarray

    @classmethod
    def none(cls, n_intervals: int) -> Backlog:
        empty = np.zeros((n_intervals, 0), dtype=np.int64)
        return cls((), empty, empty.copy(), np.zeros(n_intervals, dtype=bool))

    @cached_property
    def arrived(self) -> np.ndarray:
        """Cumulative work arrived by the end of each interval (intervals x channels)."""
        return np.cumsum(self.work, axis=0)

    @cached_property
    def due_by(self) -> np.ndarray:
        """Cumulative work due by the end of each interval (intervals x channels)."""
        return np.cumsum(self.due, axis=0)


@dataclass(frozen=True)
class Grid:
    """The UTC requirement grid: ``need[t, c]`` staff-minutes for interval ``t``, channel ``c``.

    Intervals run contiguously from the first to the last row of ``requirements.csv``;
    ``listed[t]`` is false for an interval with no row there, which is not part of the
    objective's grid (presence in it counts nowhere). ``need`` holds every channel's
    ``staff_needed`` (what coverage is reported against); the objective prices the live and
    concurrent channels per interval (:attr:`live_need`) and the deferred ones through their
    ``backlog``.
    """

    origin: datetime
    interval_minutes: int
    channels: tuple[str, ...]
    need: np.ndarray
    priority: np.ndarray
    staff_needed: np.ndarray
    listed: np.ndarray
    backlog: Backlog | None = None

    @cached_property
    def deferred(self) -> Backlog:
        """The deferred channels' work (none when the grid was built without it)."""
        return self.backlog if self.backlog is not None else Backlog.none(self.n_intervals)

    @cached_property
    def live_need(self) -> np.ndarray:
        """``need`` with the deferred channels' columns at 0 (what under-staffing prices)."""
        live = self.need.copy()
        live[:, list(self.deferred.channels)] = 0
        return live

    @property
    def n_intervals(self) -> int:
        return int(self.need.shape[0])

    @property
    def epoch_minute(self) -> int:
        """Minutes from 1970-01-01 UTC to the origin (for clock boundaries)."""
        return int((self.origin - _EPOCH).total_seconds() // 60)

    def minute(self, instant: datetime) -> int:
        """Grid minutes of an aware instant (whole minutes)."""
        return int((instant - self.origin).total_seconds() // 60)

    def instant(self, minute: int) -> datetime:
        """The UTC instant of a grid minute."""
        return self.origin + timedelta(minutes=int(minute))

    def interval_start(self, t: int) -> datetime:
        return self.instant(t * self.interval_minutes)


def grid_from_requirements(
    requirements: pd.DataFrame,
    config: Config,
    horizon: Horizon,
    calendar: HolidayCalendar | None = None,
) -> Grid:
    """The grid of ``requirements.csv`` (columns ``interval_start``, ``channel``,
    ``staff_needed``; ``contacts`` and ``aht_seconds`` for the deferred channels' work):
    from its first to its last interval, need 0 where a row is missing.

    Channels are the config's, in config order; rows of other channels are ignored.
    ``calendar`` (default: the company calendar) says which intervals are open.
    """
    interval = config.site.interval_minutes
    channels = config.channel_names
    priority = np.array([config.channel(c).priority for c in channels], dtype=np.int64)
    if requirements.empty:
        origin = datetime.combine(horizon.start, time(), tzinfo=config.site.zone).astimezone(UTC)
        empty = np.zeros((0, len(channels)), dtype=np.int64)
        return Grid(origin, interval, channels, empty, priority, empty.copy(), np.zeros(0, bool))
    starts = pd.to_datetime(requirements["interval_start"], utc=True)
    first = starts.min().to_pydatetime()
    last = starts.max().to_pydatetime()
    n = int((last - first).total_seconds() // 60) // interval + 1
    staff = np.zeros((n, len(channels)), dtype=np.int64)
    index = {c: i for i, c in enumerate(channels)}
    col = requirements["channel"].map(index)
    ok = col.notna().to_numpy()
    t = ((starts - starts.min()).dt.total_seconds().to_numpy() // 60 // interval).astype(np.int64)
    values = np.rint(requirements["staff_needed"].to_numpy(dtype=float)).astype(np.int64)
    np.add.at(staff, (t[ok], col[ok].to_numpy(dtype=np.int64)), values[ok])
    listed = np.zeros(n, dtype=bool)
    listed[t] = True
    origin = first.astimezone(UTC)
    starts_utc = pd.date_range(origin, periods=n, freq=f"{interval}min")
    if calendar is None:
        calendar = company_calendar(config, starts_utc)
    is_open = coverage_mask(starts_utc, config, calendar)
    rows = t[ok], col[ok].to_numpy(dtype=np.int64)
    backlog = _backlog(requirements.loc[ok], rows, config, is_open)
    return Grid(origin, interval, channels, staff * interval, priority, staff, listed, backlog)


def deferred_order(config: Config) -> tuple[int, ...]:
    """Indices of the deferred channels in service order: priority, then config order."""
    found = [i for i, c in enumerate(config.channels) if c.kind == "deferred"]
    return tuple(sorted(found, key=lambda i: (-config.channels[i].priority, i)))


def _backlog(
    rows_frame: pd.DataFrame,
    rows: tuple[np.ndarray, np.ndarray],
    config: Config,
    is_open: np.ndarray,
) -> Backlog:
    """Work and due work per interval of each deferred channel (docs/OBJECTIVE.md).

    The response clock of work arriving in interval ``t`` starts at the first open interval
    ``o >= t`` (counted among open intervals) and the work is due by the end of open
    interval ``o + H - 1`` (``H = max(1, floor(60 x response_hours / interval_minutes))``),
    or of the last open interval when fewer remain; work with no open interval at or after
    its arrival is never due here.
    """
    n = is_open.shape[0]
    order = deferred_order(config)
    if not order:
        return Backlog.none(n)
    interval = config.site.interval_minutes
    work = np.zeros((n, len(order)), dtype=np.int64)
    has_volume = {"contacts", "aht_seconds"} <= set(rows_frame.columns)
    t, col = rows
    for k, c in enumerate(order):
        mine = col == c
        if not has_volume or not mine.any():
            continue
        minutes = deferred_work(
            rows_frame["contacts"].to_numpy(dtype=float)[mine],
            rows_frame["aht_seconds"].to_numpy(dtype=float)[mine],
            config.channels[c],
            config,
        )
        np.add.at(work[:, k], t[mine], minutes)
    open_at = np.flatnonzero(is_open)
    due = np.zeros_like(work)
    if len(open_at):
        clock = np.searchsorted(open_at, np.arange(n))  # ordinal of the first open interval
        placed = clock < len(open_at)
        for k, c in enumerate(order):
            window = max(1, math.floor(config.channels[c].response_hours * 60 / interval + 1e-9))
            end = open_at[np.minimum(clock[placed] + window - 1, len(open_at) - 1)]
            np.add.at(due[:, k], end, work[placed, k])
    return Backlog(order, work, due, is_open)


@dataclass
class Candidates:
    """Candidate shifts as parallel arrays, sorted by (agent, day, start, paid).

    ``start``/``end`` are grid minutes; ``local_start``/``local_end`` are local clock minutes
    after the midnight of the shift's date (``local_end`` past 1440 after midnight);
    ``presence`` is a sparse (candidates x intervals) matrix of minutes on shift and not on a
    default-placed break; ``total`` is its row sum (minutes present inside the grid).
    ``kinds[j, k]`` is what candidate ``j`` adds to its agent's count of fairness kind
    ``KINDS[k]``: 0 or 1, a holiday its weight (docs/OBJECTIVE.md "fairness").
    """

    agent: np.ndarray
    day: np.ndarray
    week: np.ndarray
    paid: np.ndarray
    start: np.ndarray
    end: np.ndarray
    local_start: np.ndarray
    local_end: np.ndarray
    kinds: np.ndarray
    preference: np.ndarray
    shape: np.ndarray
    shapes: list[tuple[BreakSlot, ...]]
    presence: sparse.csr_array
    total: np.ndarray
    shift_type: np.ndarray | None = None
    """Index of each candidate's shift type in ``config.shift_types`` (-1: none); ``None``
    when no shift type is configured."""
    request: np.ndarray | None = None
    """Per candidate: weight of the off-requests it breaks minus the weight of the
    on-requests it meets (``shift_requests``); ``None`` without requests."""

    def __len__(self) -> int:
        return int(self.agent.shape[0])

    def default_breaks(self, j: int) -> tuple[BreakSlot, ...]:
        """Candidate ``j``'s default breaks in grid minutes."""
        s = int(self.start[j])
        return tuple(
            BreakSlot(b.start + s, b.end + s, b.kind, b.paid) for b in self.shapes[self.shape[j]]
        )

    def take(self, keep: np.ndarray) -> Candidates:
        """The candidates where ``keep`` is true, in the same order."""
        return Candidates(
            agent=self.agent[keep],
            day=self.day[keep],
            week=self.week[keep],
            paid=self.paid[keep],
            start=self.start[keep],
            end=self.end[keep],
            local_start=self.local_start[keep],
            local_end=self.local_end[keep],
            kinds=self.kinds[keep],
            preference=self.preference[keep],
            shape=self.shape[keep],
            shapes=self.shapes,
            presence=sparse.csr_array(self.presence[np.flatnonzero(keep)]),
            total=self.total[keep],
            shift_type=None if self.shift_type is None else self.shift_type[keep],
            request=None if self.request is None else self.request[keep],
        )

    @property
    def types(self) -> np.ndarray:
        """Shift type index per candidate (-1 throughout when none is configured)."""
        if self.shift_type is None:
            return np.full(len(self), -1, dtype=np.int64)
        return self.shift_type


@dataclass(frozen=True)
class AgentLimits:
    """Per-agent horizon limits of the contract rules, from ``[rules]`` and
    ``agent_rules.csv`` (the file wins); minutes for hours. "None" values: ``type_max`` -1,
    ``max_total`` -1, ``max_consecutive`` 0, ``min_consecutive`` and ``min_days_off`` 1,
    ``max_weekends`` -1. ``weekends`` holds the horizon day indices of each weekend
    (Saturday and the Sunday after) that touches the horizon; ``weekend_window`` is the
    number of weekends in a row ``max_weekends`` counts over."""

    type_max: np.ndarray
    min_total: np.ndarray
    max_total: np.ndarray
    max_consecutive: np.ndarray
    min_consecutive: np.ndarray
    min_days_off: np.ndarray
    max_weekends: np.ndarray
    weekends: tuple[tuple[int, ...], ...]
    weekend_window: int

    @classmethod
    def none(cls, n_agents: int) -> AgentLimits:
        """No limit for anyone (what a problem built without the rules holds)."""
        minus = np.full(n_agents, -1, dtype=np.int64)
        ones = np.ones(n_agents, dtype=np.int64)
        return cls(
            np.zeros((n_agents, 0), dtype=np.int64),
            np.zeros(n_agents, dtype=np.int64),
            minus.copy(),
            np.zeros(n_agents, dtype=np.int64),
            ones.copy(),
            ones.copy(),
            minus.copy(),
            (),
            1,
        )


@dataclass(frozen=True)
class CoverNeeds:
    """``shift_cover.csv`` on the horizon: one entry per listed (day, shift type)."""

    day: np.ndarray
    shift_type: np.ndarray
    required: np.ndarray
    weight_under: np.ndarray
    weight_over: np.ndarray

    @classmethod
    def empty(cls) -> CoverNeeds:
        z = np.zeros(0, dtype=np.int64)
        return cls(z, z.copy(), z.copy(), z.copy(), z.copy())

    def __len__(self) -> int:
        return int(self.day.shape[0])


@dataclass(frozen=True)
class FixedShift:
    """A shift from ``--previous``: grid minutes and the day index relative to the horizon."""

    agent: int
    day: int
    start: int
    end: int


@dataclass(frozen=True)
class Published:
    """A published shift in the freeze window and the candidate equal to it (-1: none)."""

    agent: int
    day: int
    start: int
    end: int
    candidate: int
    shift: Shift


@dataclass(frozen=True)
class Workweeks:
    """FLSA workweeks (docs/OBJECTIVE.md "Workweeks"), built by
    :func:`planner.roster.workweeks.prepare_workweeks`.

    ``starts[k]`` is the grid minute at which workweek ``k`` starts (``k + 1`` ends it); the
    workweeks run from the one holding the earliest candidate start to the one holding the
    latest candidate end. Candidate ``j`` starts in workweek ``index[j]``, is paid
    ``first[j]`` minutes in it and the rest of its paid minutes in ``index[j] + 1``;
    ``crosses[j]`` says it runs over a workweek start. ``carried[a, k]`` is the paid minutes
    that ``--previous`` shifts dated before the horizon hold in workweek ``k``.
    """

    starts: np.ndarray
    index: np.ndarray
    first: np.ndarray
    crosses: np.ndarray
    carried: np.ndarray

    @property
    def count(self) -> int:
        return max(0, len(self.starts) - 1)

    def parts(self, ids: range, paid: np.ndarray, week: int) -> tuple[np.ndarray, np.ndarray]:
        """The candidates among ``ids`` paid in workweek ``week``, and their minutes in it
        (``paid`` is every candidate's paid minutes)."""
        idx = np.arange(ids.start, ids.stop)
        index, first = self.index[idx], self.first[idx]
        head = index == week
        tail = (index == week - 1) & (paid[idx] > first)
        minutes = np.where(head, first, paid[idx] - first)
        keep = head | tail
        return idx[keep], minutes[keep]


@dataclass(frozen=True)
class Floors:
    """Minimum presence in the open intervals (docs/OBJECTIVE.md ``min_staff``,
    ``min_leads``), in minutes per grid interval.

    ``open[t]``: interval ``t`` is listed and starts inside the ``[coverage]`` windows;
    ``staff[t, c]``: ``channels.X.min_staff x interval minutes`` where open, else 0;
    ``leads[t]``: ``coverage.min_leads x interval minutes`` where open, else 0;
    ``group_lead[g]``: the agents of skill group ``g`` have the ``lead`` skill.
    """

    open: np.ndarray
    staff: np.ndarray
    leads: np.ndarray
    group_lead: np.ndarray


@dataclass
class RosterProblem:
    """Everything the model, the search and the evaluation read; built by :func:`prepare`."""

    agents: tuple[Agent, ...]
    config: Config
    horizon: Horizon
    calendar: HolidayCalendar
    grid: Grid
    cands: Candidates
    agent_group: np.ndarray
    group_mask: np.ndarray
    day_offsets: np.ndarray
    min_minutes: np.ndarray
    max_minutes: np.ndarray
    time_off_days: np.ndarray
    workweeks: Workweeks
    floors: Floors
    history: tuple[tuple[FixedShift, ...], ...]
    published: tuple[Published, ...]
    has_previous: bool
    fairness_eligible: np.ndarray
    """(agents x kinds): the agent takes part in the kind's comparison (exposure > 0 too)."""
    fairness_carry: np.ndarray
    """(agents x kinds): counts carried over from ``fairness_history.csv``."""
    fairness_exposure: np.ndarray
    """Per agent: contracted minutes over the comparison period (carried + this horizon)."""
    availability: tuple[AvailabilityWindow, ...]
    time_off: tuple[TimeOff, ...]
    pruned: bool
    freeze_days: int = 0
    """Length of the freeze window in days (docs/OBJECTIVE.md "stability"); may exceed the
    horizon."""
    notes: list[str] = field(default_factory=list)
    cache: dict[object, object] = field(default_factory=dict)
    limits: AgentLimits | None = None
    """Horizon contract limits per agent (``None``: every such rule is off)."""
    cover: CoverNeeds = field(default_factory=CoverNeeds.empty)
    request_constant: int = 0
    """Total weight of the on-requests (each costs its weight unless met)."""

    @property
    def n_agents(self) -> int:
        return len(self.agents)

    @property
    def n_days(self) -> int:
        return self.horizon.days

    @property
    def n_weeks(self) -> int:
        return self.horizon.weeks

    @property
    def contract(self) -> AgentLimits:
        """The horizon contract limits (:func:`planner.roster.candidates.prepare` sets them)."""
        assert self.limits is not None, "prepare() sets the limits"
        return self.limits

    @cached_property
    def agent_index(self) -> dict[str, int]:
        return {a.agent_id: i for i, a in enumerate(self.agents)}

    def candidates_of(self, agent: int, day: int) -> range:
        """Candidate indices of ``agent`` on horizon day ``day`` (empty outside the horizon)."""
        if not 0 <= day < self.n_days:
            return range(0)
        return range(int(self.day_offsets[agent, day]), int(self.day_offsets[agent, day + 1]))

    def candidates_of_agent(self, agent: int) -> range:
        return range(int(self.day_offsets[agent, 0]), int(self.day_offsets[agent, -1]))

    @cached_property
    def published_candidates(self) -> np.ndarray:
        """True for candidates equal to a published shift."""
        mark = np.zeros(len(self.cands), dtype=bool)
        for p in self.published:
            if p.candidate >= 0:
                mark[p.candidate] = True
        return mark

    @cached_property
    def cand_group(self) -> np.ndarray:
        return self.agent_group[self.cands.agent]

    def needs(self, j: int) -> BreakNeeds:
        """Break needs of candidate ``j``."""
        agent = self.agents[int(self.cands.agent[j])]
        return needs_for(int(self.cands.paid[j]), agent.state, self.config.breaks)

    def to_shift(self, j: int) -> Shift:
        """Candidate ``j`` as a :class:`~planner.domain.Shift`."""
        agent = self.agents[int(self.cands.agent[j])]
        return Shift(
            agent_id=agent.agent_id,
            date=self.horizon.start + timedelta(days=int(self.cands.day[j])),
            start_utc=self.grid.instant(int(self.cands.start[j])),
            end_utc=self.grid.instant(int(self.cands.end[j])),
            timezone=agent.timezone,
            paid_hours=int(self.cands.paid[j]) / 60,
        )


def profile_view(problem: RosterProblem) -> RosterProblem:
    """``problem`` with every deferred channel priced like a live one, against its
    ``staff_needed`` profile (the flattest capacity that answers it in time), instead of
    through its queue. Shares the candidates; used by the constructive start, which
    schedules agents one at a time: priced through the queue, the first agents would see
    every email of the horizon waiting and all go where the backlog is longest."""
    grid = replace(problem.grid, backlog=Backlog.none(problem.grid.n_intervals))
    return replace(problem, grid=grid, cache={})


def freeze_window_end(previous: Iterable[Shift], start: date, freeze_days: int) -> date:
    """End (exclusive) of the freeze window ``[start, end)`` (docs/OBJECTIVE.md "stability").

    The published period runs from ``start`` through the last local date with a shift in
    ``previous`` (any agent); the window is its first ``freeze_days`` days. A previous roster
    ending before ``start`` (given for rest and consecutive-day continuity) publishes nothing:
    the window is empty (``end == start``).
    """
    last = max((s.date for s in previous), default=None)
    if last is None or last < start:
        return start
    return min(start + timedelta(days=max(0, freeze_days)), last + timedelta(days=1))
