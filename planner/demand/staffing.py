"""Staffing requirements: forecast contacts -> agents and staff needed per interval and channel.

One pure function, :func:`compute_requirements`, turns a forecast frame into the rows
of ``requirements.csv``. Per channel kind:

- ``live`` (phone): Erlang C, or Erlang A when ``patience_seconds`` is set; the
  fewest agents that reach the service level with occupancy at most ``max_occupancy``.
- ``concurrent`` (SMS, chat): each agent is ``concurrency`` servers, with AHT as
  measured at that concurrency; servers from Erlang C (with the occupancy cap),
  ``agents = ceil(servers / concurrency)``, service level projected at
  ``agents x concurrency`` servers.
- ``deferred`` (email): a backlog answered first in, first out, every contact within
  ``response_hours``; see :func:`backlog_plan`.

Outside the ``[coverage]`` windows this team needs nobody (0 agents, 0 staff). Live
and concurrent contacts there are handled elsewhere (service level blank); deferred
contacts wait for the next opening, the response clock paused while closed, and their
row reports the share of them answered in time.

Staff adds shrinkage: ``ceil(agents / (1 - shrinkage))``, computed exactly
(:func:`planner.demand.erlang.staff_with_shrinkage`). Per-channel ``shrinkage`` and
``max_occupancy`` override ``[staffing]``; a :class:`StaffingScenario` overrides both.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import numpy.typing as npt
import pandas as pd

from planner.data.holiday_calendar import HolidayCalendar
from planner.data.io import INTERVAL_COLUMNS, REQUIREMENT_COLUMNS
from planner.demand import erlang
from planner.demand.forecast import coverage_window
from planner.domain import ChannelConfig, Config, Window

BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

_EPOCH = date(1970, 1, 1)
_SLACK = 1e-9
"""Agents of slack when rounding a fluid capacity up to whole agents, so that a
capacity of exactly 5 agents computed as 5.000000000001 still means 5."""


@dataclass(frozen=True)
class StaffingScenario:
    """What-if knobs on top of the forecast and config; the defaults change nothing.

    ``volume_multiplier`` scales contacts, ``aht_multiplier`` scales handle time,
    ``service_level_override`` replaces every live and concurrent channel's target
    (deferred channels keep their response window), ``shrinkage_override`` replaces
    ``[staffing]`` and per-channel shrinkage.
    """

    volume_multiplier: float = 1.0
    aht_multiplier: float = 1.0
    service_level_override: float | None = None
    shrinkage_override: float | None = None

    def __post_init__(self) -> None:
        if not (math.isfinite(self.volume_multiplier) and self.volume_multiplier >= 0):
            raise ValueError("volume_multiplier must be a number 0 or more")
        if not (math.isfinite(self.aht_multiplier) and self.aht_multiplier > 0):
            raise ValueError("aht_multiplier must be a number more than 0")
        level = self.service_level_override
        if level is not None and not 0 < level < 1:
            raise ValueError("service_level_override must lie strictly between 0 and 1")
        shrinkage = self.shrinkage_override
        if shrinkage is not None and not 0 <= shrinkage < 1:
            raise ValueError("shrinkage_override must lie in [0, 1)")


BASELINE = StaffingScenario()


# --------------------------------------------------------------------------- coverage


def company_calendar(config: Config, intervals_utc: pd.DatetimeIndex) -> HolidayCalendar:
    """The company holiday calendar for every business-local date the intervals touch.

    One year either side is included, so a window that started the day before the
    first interval (or a New Year's Eve holiday) is classified correctly.
    """
    if len(intervals_utc) == 0:
        return HolidayCalendar(config.holidays, [])
    local = intervals_utc.tz_convert(config.site.zone)
    years = range(int(local.year.min()) - 1, int(local.year.max()) + 2)
    return HolidayCalendar(config.holidays, years)


def _bounds(window: Window | None) -> tuple[int, int]:
    return (0, 0) if window is None else (window.start, window.end)


def coverage_mask(
    intervals_utc: pd.DatetimeIndex | pd.Series, config: Config, calendar: HolidayCalendar
) -> BoolArray:
    """Which intervals lie inside the team's ``[coverage]`` windows.

    An interval is inside when its start, in business-local wall-clock time, lies in
    the window of its local date's day type (holiday, which takes precedence, else
    weekend = Sat and Sun, else weekday), or in the part past midnight of the
    previous date's window: a window belongs to the day it starts, so Friday's
    16:00-02:00 covers Saturday 00:00-02:00 whatever Saturday's own window says.
    Wall-clock time makes DST automatic: 08:00 is 13:00Z in winter, 12:00Z in summer.
    """
    index = pd.DatetimeIndex(intervals_utc)
    if index.tz is None:
        raise ValueError("interval starts must be timezone-aware (UTC)")
    if len(index) == 0:
        return np.zeros(0, dtype=bool)
    wall = index.tz_convert(config.site.zone).tz_localize(None)
    minutes = wall.to_numpy().astype("datetime64[m]").astype(np.int64)
    day = minutes // 1440
    minute = minutes % 1440
    first = int(day.min()) - 1
    days = np.arange(first, int(day.max()) + 1)
    windows = np.array(
        [_bounds(coverage_window(config, calendar, _EPOCH + timedelta(days=int(d)))) for d in days],
        dtype=np.int64,
    ).reshape(-1, 2)
    today = windows[day - first]
    yesterday = windows[day - first - 1]
    own = (today[:, 0] <= minute) & (minute < today[:, 1])
    spill = minute + 1440 < yesterday[:, 1]
    return np.asarray(own | spill, dtype=bool)


# --------------------------------------------------------------------------- deferred


@dataclass(frozen=True)
class BacklogPlan:
    """Capacity for a deferred queue on a grid of equal intervals.

    ``agents`` per interval (0 where closed); ``on_time`` per interval: the share of
    that interval's contacts answered within the response window at that capacity
    (NaN where it has none, or where they arrive after the last opening, ``carried``).
    """

    agents: IntArray
    on_time: FloatArray
    carried: BoolArray


def _taut_string(lower: list[float], upper: list[float]) -> list[float]:
    """The shortest path from ``(0, lower[0])`` to ``(m, lower[m])`` that keeps
    ``lower[k] <= path[k] <= upper[k]`` at every integer ``k`` (needs
    ``lower[0] == upper[0]`` and ``lower[m] == upper[m]``).

    From an anchor, walk forward narrowing the cone of feasible slopes; when a point
    falls outside the cone, the string bends at the point that set the crossed edge
    of the cone (touching the upper curve or the lower one) and starts again there.
    """
    m = len(lower) - 1
    path = [0.0] * (m + 1)
    anchor, value = 0, lower[0]
    path[0] = value
    while anchor < m:
        hi_slope, hi_at = math.inf, anchor
        lo_slope, lo_at = -math.inf, anchor
        end, end_value = m, lower[m]
        slope = math.nan
        for k in range(anchor + 1, m + 1):
            span = k - anchor
            up = (upper[k] - value) / span
            low = (lower[k] - value) / span
            if low > hi_slope + _SLACK:  # must bend down, around the upper curve
                end, slope, end_value = hi_at, hi_slope, upper[hi_at]
                break
            if up < lo_slope - _SLACK:  # must bend up, around the lower curve
                end, slope, end_value = lo_at, lo_slope, lower[lo_at]
                break
            if up <= hi_slope:
                hi_slope, hi_at = up, k
            if low >= lo_slope:
                lo_slope, lo_at = low, k
        else:
            slope = (end_value - value) / (m - anchor)
        for k in range(anchor + 1, end):
            path[k] = value + slope * (k - anchor)
        path[end] = end_value
        anchor, value = end, end_value
    return path


def _whole_agents(path: list[float], arrived: list[float]) -> tuple[IntArray, list[float]]:
    """Whole agents per interval that keep a FIFO queue on or ahead of the fluid ``path``.

    Interval ``k`` gets ``ceil(path[k+1] - served[k])`` agents, where ``served`` is what
    the queue has really answered with the agents so far (never more than has
    arrived). Since ``served >= path`` at every point, no interval needs more than the
    ceiling of its fluid capacity, deadlines stay met, and fractions carry forward:
    10 contacts' work over 4 intervals gives 3, 2, 3, 2 agents rather than 3, 3, 3, 3.
    """
    capacity = np.zeros(len(path) - 1, dtype=np.int64)
    served = [0.0] * len(path)
    for k in range(len(path) - 1):
        need = max(0, math.ceil(path[k + 1] - served[k] - _SLACK))
        capacity[k] = need
        served[k + 1] = min(arrived[k + 1], served[k] + need)
    return capacity, served


def backlog_plan(
    contacts: npt.ArrayLike,
    aht_seconds: npt.ArrayLike,
    open_: npt.ArrayLike,
    interval_seconds: float,
    response_seconds: float,
    *,
    staffable: npt.ArrayLike | None = None,
) -> BacklogPlan:
    """The least capacity that answers every deferred contact within its response window.

    Inputs are per interval of a contiguous grid; ``open_`` says where the team works
    (the coverage windows); ``staffable`` (default: everywhere) where capacity may be
    placed. The model (FIFO, fluid work of ``contacts x AHT``):

    - The response clock runs only while the team is open (a business-hours target):
      a contact arriving while closed counts as arriving at the next opening; the
      window is ``H = floor(response / interval)`` open intervals (at least 1).
    - Work arriving in an interval may be answered in it; work whose clock starts in
      open interval ``o`` must be done by the end of open interval ``o + H - 1`` (by
      the end of the grid at the latest: nothing is left for the next horizon). The
      backlog at the start is 0; contacts after the last staffable opening are
      ``carried`` (not planned here).
    - Cumulative answered work ``S`` must stay between the deadline curve (work due so
      far) and the arrival curve (work arrived so far). Among all such profiles the
      taut string (shortest path between the two curves) minimises every convex cost
      of the per-interval capacity at once, the peak included: the flattest feasible
      profile (the YDS speed schedule of Yao, Demers & Shenker, 1995). It is turned
      into whole agents (``interval / AHT`` contacts each) by :func:`_whole_agents`,
      never more than the ceiling of an interval's fluid capacity.

    ``on_time`` is then measured, not assumed: a work-conserving FIFO queue is run with
    the whole agents, and each interval's share answered by its deadline is reported.
    It is below 1 only where no staffable interval lies inside a contact's window.
    """
    c = np.asarray(contacts, dtype=np.float64)
    h = np.asarray(aht_seconds, dtype=np.float64)
    is_open = np.asarray(open_, dtype=bool)
    n = c.size
    can_staff = is_open if staffable is None else is_open & np.asarray(staffable, dtype=bool)
    window = max(1, math.floor(response_seconds / interval_seconds + 1e-9))
    work = c * h / interval_seconds  # agent-intervals
    clock_at = np.flatnonzero(is_open)
    staff_at = np.flatnonzero(can_staff)
    m = staff_at.size
    agents = np.zeros(n, dtype=np.int64)
    on_time = np.full(n, np.nan)
    grid = np.arange(n)
    # Points are interval boundaries on the staffable axis: point k = start of its k-th
    # interval. Work is released at its first staffable interval and due at the point
    # where its clock has run H open intervals.
    release = np.searchsorted(staff_at, grid)
    carried = (release >= m) & (c > 0)
    if m == 0:
        return BacklogPlan(agents=agents, on_time=on_time, carried=carried)
    clock_end = np.searchsorted(clock_at, grid) + window
    due_at = np.where(
        clock_end < clock_at.size, clock_at[np.minimum(clock_end, clock_at.size - 1)], n
    )
    deadline = np.searchsorted(staff_at, due_at)
    placed = release < m
    planned_deadline = np.maximum(deadline, release + 1)  # no capacity inside: soonest
    arrived = np.concatenate(
        [[0.0], np.cumsum(np.bincount(release[placed], weights=work[placed], minlength=m))]
    )
    due = np.cumsum(
        np.bincount(planned_deadline[placed], weights=work[placed], minlength=m + 1)[: m + 1]
    )
    path = _taut_string(due.tolist(), arrived.tolist())
    capacity, served = _whole_agents(path, arrived.tolist())
    agents[staff_at] = capacity

    before = np.concatenate([[0.0], np.cumsum(np.where(placed, work, 0.0))])[:-1]
    with_work = placed & (work > 0)
    done_by_deadline = np.asarray(served)[np.minimum(deadline, m)]
    with np.errstate(divide="ignore", invalid="ignore"):
        share = (done_by_deadline - before) / work
    share = np.where(share >= 1.0 - _SLACK, 1.0, np.clip(share, 0.0, 1.0))  # float noise
    on_time[with_work] = share[with_work]
    return BacklogPlan(agents=agents, on_time=on_time, carried=carried)


def deferred_occupancy(channel: ChannelConfig) -> float:
    """The occupancy a deferred channel's work is planned at: its own ``max_occupancy`` when
    set, else 1. A backlog always has work waiting, so the idling that ``[staffing]
    max_occupancy`` caps in a live queue does not arise; a manager who wants a cap on email
    sets it on the channel, and then :func:`backlog_plan` and the roster both apply it."""
    return 1.0 if channel.max_occupancy is None else channel.max_occupancy


def deferred_work(
    contacts: npt.ArrayLike, aht_seconds: npt.ArrayLike, channel: ChannelConfig, config: Config
) -> IntArray:
    """Staff-minutes of rostered presence that a deferred channel's contacts need, per row:
    ``contacts x aht_seconds / 60 / ((1 - shrinkage) x occupancy)`` (the channel's shrinkage,
    else ``[staffing]``'s; :func:`deferred_occupancy`), rounded half up to a whole
    staff-minute (docs/OBJECTIVE.md, ``deferred_overdue``: the roster model and the checker
    both use this one rounding). Missing values count 0."""
    shrinkage = config.staffing.shrinkage if channel.shrinkage is None else channel.shrinkage
    c = np.nan_to_num(np.asarray(contacts, dtype=np.float64))
    h = np.nan_to_num(np.asarray(aht_seconds, dtype=np.float64))
    per = (1.0 - shrinkage) * deferred_occupancy(channel)
    minutes = np.maximum(c * h, 0.0) / 60.0 / per
    return np.floor(minutes + 0.5).astype(np.int64)


# --------------------------------------------------------------------------- per kind


def _shrinkage(channel: ChannelConfig, config: Config, scenario: StaffingScenario) -> float:
    if scenario.shrinkage_override is not None:
        return scenario.shrinkage_override
    return channel.shrinkage if channel.shrinkage is not None else config.staffing.shrinkage


def _max_occupancy(channel: ChannelConfig, config: Config) -> float:
    if channel.max_occupancy is not None:
        return channel.max_occupancy
    return config.staffing.max_occupancy


def _target(channel: ChannelConfig, scenario: StaffingScenario) -> float:
    override = scenario.service_level_override
    return channel.service_level if override is None else override


def _queue_channel(
    channel: ChannelConfig,
    config: Config,
    scenario: StaffingScenario,
    contacts: FloatArray,
    aht: FloatArray,
) -> tuple[IntArray, FloatArray]:
    """Agents and projected service level for live or concurrent rows with contacts."""
    interval_seconds = config.site.interval_minutes * 60
    load = erlang.offered_load(contacts, aht, interval_seconds)
    target = _target(channel, scenario)
    occupancy = _max_occupancy(channel, config)
    answer = channel.answer_seconds
    if channel.kind == "concurrent":
        servers = erlang.required_agents_erlang_c(
            load, aht, answer, target, max_occupancy=occupancy
        )
        per_agent = max(1, channel.concurrency)
        agents = -(-servers // per_agent)
        level = erlang.service_level(agents * per_agent, load, aht, answer)
    elif channel.patience_seconds is not None:
        patience = channel.patience_seconds
        agents = erlang.required_agents_erlang_a(
            load, aht, patience, answer, target, max_occupancy=occupancy
        )
        level = erlang.erlang_a(agents, load, aht, patience, answer).service_level
    else:
        agents = erlang.required_agents_erlang_c(load, aht, answer, target, max_occupancy=occupancy)
        level = erlang.service_level(agents, load, aht, answer)
    return agents, level


def _deferred_channel(
    channel: ChannelConfig,
    config: Config,
    *,
    stamps: pd.DatetimeIndex,
    contacts: FloatArray,
    aht: FloatArray,
    calendar: HolidayCalendar,
) -> tuple[IntArray, FloatArray]:
    """Agents and on-time share for one deferred channel's rows, in any order.

    The rows are laid on a contiguous grid first: an interval missing from the
    forecast has no contacts and gets no agents (it has no row to report them on),
    but the response clock runs through it when the coverage windows say open.
    """
    step = config.site.interval_minutes * 60
    seconds = stamps.as_unit("s").asi8
    offset = seconds - seconds.min()
    if np.any(offset % step):
        raise ValueError(f"channel {channel.name}: interval starts are not on the interval grid")
    position = offset // step
    size = int(position.max()) + 1
    grid_contacts = np.zeros(size)
    grid_aht = np.zeros(size)
    grid_contacts[position] = contacts
    # An occupancy cap set on the channel stretches each contact's work (deferred_occupancy).
    grid_aht[position] = aht / deferred_occupancy(channel)
    grid = pd.date_range(stamps.min(), periods=size, freq=f"{config.site.interval_minutes}min")
    grid_open = coverage_mask(grid, config, calendar)
    present = np.zeros(size, dtype=bool)
    present[position] = True
    plan = backlog_plan(
        grid_contacts,
        grid_aht,
        grid_open,
        step,
        channel.response_hours * 3600,
        staffable=present,  # requirements are reported on the forecast's rows only
    )
    return plan.agents[position], plan.on_time[position]


# --------------------------------------------------------------------------- requirements


def _scaled(forecast: pd.DataFrame, scenario: StaffingScenario) -> pd.DataFrame:
    """The forecast's interval columns with the scenario's volume and AHT applied."""
    missing = [c for c in INTERVAL_COLUMNS if c not in forecast.columns]
    if missing:
        raise ValueError(f"forecast lacks column(s) {', '.join(missing)}")
    frame = forecast.loc[:, list(INTERVAL_COLUMNS)].reset_index(drop=True)
    frame["contacts"] = frame["contacts"].astype(np.float64) * scenario.volume_multiplier
    frame["aht_seconds"] = frame["aht_seconds"].astype(np.float64) * scenario.aht_multiplier
    return frame


def compute_requirements(
    forecast: pd.DataFrame,
    config: Config,
    scenario: StaffingScenario = BASELINE,
    calendar: HolidayCalendar | None = None,
) -> pd.DataFrame:
    """The rows of ``requirements.csv``, one per forecast row, in the forecast's order.

    ``forecast`` has ``interval_start`` (tz-aware UTC), ``channel`` (configured names),
    ``contacts`` and ``aht_seconds``. The result has exactly
    :data:`~planner.data.io.REQUIREMENT_COLUMNS`: contacts and AHT after the scenario,
    ``agents_needed`` and ``staff_needed`` (int), and ``service_level`` projected at
    ``agents_needed`` (the on-time share for deferred channels; 1 for an interval
    without contacts; NaN where this team answers none of the interval's contacts).
    ``calendar`` defaults to the company calendar of :func:`company_calendar`.
    """
    frame = _scaled(forecast, scenario)
    stamps = pd.DatetimeIndex(frame["interval_start"])
    if calendar is None:
        calendar = company_calendar(config, stamps)
    inside = coverage_mask(stamps, config, calendar)
    agents = np.zeros(len(frame), dtype=np.int64)
    staff = np.zeros(len(frame), dtype=np.int64)
    level = np.where(inside, 1.0, np.nan)
    channels = frame["channel"].to_numpy()
    contacts = frame["contacts"].to_numpy(dtype=np.float64)
    aht = frame["aht_seconds"].to_numpy(dtype=np.float64)
    unknown = set(pd.unique(channels)) - set(config.channel_names)
    if unknown:
        raise ValueError(f"forecast channel(s) not configured: {', '.join(sorted(unknown))}")
    for channel in config.channels:
        rows = np.flatnonzero(channels == channel.name)
        if rows.size == 0:
            continue
        if channel.kind == "deferred":
            need, sl = _deferred_channel(
                channel,
                config,
                stamps=stamps[rows],
                contacts=contacts[rows],
                aht=aht[rows],
                calendar=calendar,
            )
            agents[rows] = need
            level[rows] = np.where(contacts[rows] > 0, sl, level[rows])
        else:
            busy = rows[inside[rows] & (contacts[rows] > 0)]
            need, sl = _queue_channel(channel, config, scenario, contacts[busy], aht[busy])
            agents[busy] = need
            level[busy] = sl
        staff[rows] = erlang.staff_with_shrinkage(
            agents[rows], _shrinkage(channel, config, scenario)
        )
    frame["agents_needed"] = agents
    frame["staff_needed"] = staff
    frame["service_level"] = level
    return frame.loc[:, list(REQUIREMENT_COLUMNS)]


@dataclass(frozen=True)
class OutsideCoverage:
    """Forecast contacts of one channel that fall outside the coverage windows."""

    channel: str
    kind: str
    contacts: float
    """Handled elsewhere (live, concurrent) or queued for the next opening (deferred)."""
    carried: float = 0.0
    """Deferred only: contacts after the horizon's last opening, left for the next one."""


def outside_coverage(
    forecast: pd.DataFrame,
    config: Config,
    scenario: StaffingScenario = BASELINE,
    calendar: HolidayCalendar | None = None,
) -> list[OutsideCoverage]:
    """Per configured channel with rows: contacts outside the ``[coverage]`` windows."""
    frame = _scaled(forecast, scenario)
    stamps = pd.DatetimeIndex(frame["interval_start"])
    if calendar is None:
        calendar = company_calendar(config, stamps)
    inside = coverage_mask(stamps, config, calendar)
    result = []
    for channel in config.channels:
        mine = (frame["channel"] == channel.name).to_numpy()
        if not mine.any():
            continue
        outside = float(frame["contacts"].to_numpy()[mine & ~inside].sum())
        carried = 0.0
        if channel.kind == "deferred" and inside[mine].any():
            order = np.argsort(stamps[mine].to_numpy())
            last_open = np.flatnonzero(inside[mine][order]).max()
            late = order[last_open + 1 :]
            carried = float(frame["contacts"].to_numpy()[mine][late].sum())
        elif channel.kind == "deferred":
            carried = outside
        result.append(OutsideCoverage(channel.name, channel.kind, outside, carried))
    return result
