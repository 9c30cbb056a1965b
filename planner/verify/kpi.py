"""What a roster delivers, in a workforce manager's figures: coverage per interval and
channel, under/over-staffed staff-hours, % of demand covered, projected service level
(per interval, day and week), overtime, and who got the weekends, evenings, closers and
holidays, against each agent's share at the team's rate (the ``fairness`` term explained).

Everything is computed from the roster itself (shifts and breaks), like
:mod:`planner.verify.check`, and never from the solver. Coverage is the same maximum
allocation as the checker's (channels served by priority), taken as an explicit flow
(:func:`planner.verify.check.allocation_flows`) so that idle presence can be shown per channel.

Service level: for live and concurrent channels, the staff a channel actually gets in an
interval (covered minutes / interval minutes) is turned back into agents, ``agents = staff x
(1 - shrinkage)`` (rounded down to whole agents; breaks the roster places are already out of
presence), then :mod:`planner.demand.erlang` gives the level: Erlang C (Erlang A when the
channel has ``patience_seconds``) for live channels, Erlang C with ``concurrency`` servers
per agent for concurrent ones. For a deferred channel it is the share of each interval's
contacts that its first-in-first-out queue, run on the presence the live channels leave to
agents with its skill (the checker's, docs/OBJECTIVE.md), answers by their due time; with
its response times (:class:`ResponseTimes`, wall-clock and open hours). Daily and weekly
levels are contact-weighted.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from planner.data.holiday_calendar import HolidayCalendar
from planner.data.roster_io import FAIRNESS_KINDS, FairnessCarry, FairnessHistory, shift_flags
from planner.demand import erlang
from planner.domain import (
    Agent,
    AvailabilityWindow,
    ChannelConfig,
    Config,
    Horizon,
    Roster,
    Shift,
    TimeOff,
)
from planner.verify.context import CONTRACT_GROUPS
from planner.verify.coverage import Coverage, DeferredQueue, allocation_flows, compute_coverage
from planner.verify.fairness import (
    exposures,
    fairness_counts,
    fairness_groups,
    horizon_weeks,
    shift_units,
)
from planner.verify.floors import floor_shortfalls
from planner.verify.workweek import added_overtime, workweek_hours

FloatArray = npt.NDArray[np.float64]

INTERVAL_COLUMNS = (
    "interval_start",
    "channel",
    "staff_needed",
    "staff_present",
    "under",
    "over",
    "staff_covered",
    "service_level",
)
"""Columns of :func:`interval_table` (staff equivalents; ``service_level`` NaN when no contacts)."""


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class ChannelKpis:
    """One channel over the horizon. Hours are staff-hours (staff x hours)."""

    channel: str
    needed_staff_hours: float
    covered_staff_hours: float
    under_staff_hours: float
    over_staff_hours: float
    covered_pct: float | None
    """Share of needed staff-hours covered, in % (None when nothing was needed)."""
    contacts: float
    service_level: float | None
    """Projected service level over the horizon, contact-weighted (None without contacts)."""
    response: ResponseTimes | None = None
    """Deferred channels: how long their contacts wait for an answer (None otherwise)."""


@dataclass(frozen=True)
class ResponseTimes:
    """A deferred channel's response times, contact-weighted over the contacts its queue
    answers within the grid: mean and 90th percentile, in wall-clock hours and in open hours
    (the clock of ``response_hours``, which stops while the team is closed). A contact is
    taken to arrive in the middle of its interval and to be answered at the end of the
    interval in which the queue reaches it."""

    mean_hours: float | None
    p90_hours: float | None
    mean_open_hours: float | None
    p90_open_hours: float | None
    answered: float
    """Contacts answered within the grid."""
    unanswered: float
    """Contacts still waiting at the end of the grid."""


@dataclass(frozen=True)
class Kpis:
    """The roster's KPIs; :meth:`to_dict` is JSON-ready (dates as ISO strings)."""

    channels: dict[str, ChannelKpis]
    idle_staff_hours: float
    """Present time no channel needed (the ``over_staffing`` term, in staff-hours)."""
    daily_service_level: dict[str, dict[date, float | None]]
    """Per channel, per business-local date."""
    weekly_service_level: dict[str, list[float | None]]
    """Per channel, per horizon week."""
    overtime_hours: float
    overtime_by_agent: dict[str, float]
    paid_hours_by_agent: dict[str, float]
    counts: dict[str, dict[str, int]]
    """Per agent: weekend, evening, holiday and closer shifts in the horizon."""
    spread: dict[str, dict[str, int]]
    """Per contract group and kind: max - min of the counts over the group's agents."""
    fairness: dict[str, Any] = field(default_factory=dict)
    """The ``fairness`` term explained (:func:`fairness_kpis`): per group and kind the team's
    rate, per agent counts, exposure, share and deviation, and the holidays worked."""
    floor_short_hours: dict[str, float] = field(default_factory=dict)
    """Per channel: staff-hours short of its ``min_staff`` floor in the open intervals."""
    lead_short_hours: float = 0.0
    """Lead-hours short of ``coverage.min_leads`` in the open intervals."""

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict (floats rounded to 4 decimals, dates as strings)."""
        return {
            "channels": {c: _rounded(asdict(k)) for c, k in self.channels.items()},
            "idle_staff_hours": _round(self.idle_staff_hours),
            "daily_service_level": {
                c: {d.isoformat(): _round(v) for d, v in days.items()}
                for c, days in self.daily_service_level.items()
            },
            "weekly_service_level": {
                c: [_round(v) for v in weeks] for c, weeks in self.weekly_service_level.items()
            },
            "overtime_hours": _round(self.overtime_hours),
            "overtime_by_agent": {a: _round(v) for a, v in self.overtime_by_agent.items()},
            "paid_hours_by_agent": {a: _round(v) for a, v in self.paid_hours_by_agent.items()},
            "counts": self.counts,
            "spread": self.spread,
            "fairness": self.fairness,
            "floor_short_hours": {c: _round(v) for c, v in self.floor_short_hours.items()},
            "lead_short_hours": _round(self.lead_short_hours),
        }


def _round(value: float | None) -> float | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return round(float(value), 4)


def _rounded(values: dict[str, Any]) -> dict[str, Any]:
    return {
        k: _round(v) if isinstance(v, float) else _rounded(v) if isinstance(v, dict) else v
        for k, v in values.items()
    }


# --------------------------------------------------------------------------- per interval


@dataclass(frozen=True)
class _Detail:
    coverage: Coverage
    covered: FloatArray  # [t, c] minutes (a deferred channel: its need its leftover meets)
    used: FloatArray  # [t, c] minutes a channel takes (a deferred channel: what it serves)
    idle: FloatArray  # [t, c] idle minutes attributed to the channel
    idle_unskilled: FloatArray  # [t] idle minutes of agents with no configured channel


def _detail(coverage: Coverage) -> _Detail:
    """Flows of the allocation: live channels by priority up to their need, then each deferred
    channel (service order) up to what its queue serves; each group's idle minutes split
    evenly over its channels (an idle multi-skilled agent is "spare" on each channel they
    could take)."""
    channels = list(coverage.channels)
    presence = {g: coverage.presence[:, i] for i, g in enumerate(coverage.groups)}
    need = {c: coverage.need[:, i] for i, c in enumerate(channels)}
    priority = dict(zip(channels, coverage.priority, strict=True))
    for k, queue in enumerate(coverage.deferred):
        need[queue.channel] = queue.served[queue.rows]
        priority[queue.channel] = -k  # after every live channel (priorities are 1 or more)
    flows = allocation_flows(presence, need, priority)
    n_t = len(coverage.interval_start)
    used = np.zeros((n_t, len(channels)))
    idle = np.zeros((n_t, len(channels)))
    unskilled = np.zeros(n_t)
    for gi, group in enumerate(coverage.groups):
        given = np.zeros(n_t)
        for ci, channel in enumerate(channels):
            values = flows.get((group, channel))
            if values is not None and len(values):
                used[:, ci] += values
                given += values
        rest = coverage.presence[:, gi] - given
        skills = [ci for ci, c in enumerate(channels) if c in group]
        if skills:
            for ci in skills:
                idle[:, ci] += rest / len(skills)
        else:
            unskilled += rest
    covered = used.copy()
    for queue in coverage.deferred:
        covered[:, queue.column] = coverage.covered[:, queue.column]
    return _Detail(coverage, covered, used, idle, unskilled)


def _shrinkage(channel: ChannelConfig | None, config: Config) -> float:
    if channel is not None and channel.shrinkage is not None:
        return channel.shrinkage
    return config.staffing.shrinkage


def _channel_config(config: Config, name: str) -> ChannelConfig | None:
    try:
        return config.channel(name)
    except KeyError:
        return None


def _pivot(requirements: pd.DataFrame, coverage: Coverage, column: str) -> FloatArray | None:
    """``requirements[column]`` on the coverage grid ([t, c], 0 where missing)."""
    if column not in requirements.columns or len(requirements) == 0:
        return None
    index = pd.DatetimeIndex(requirements["interval_start"])
    index = index.tz_localize("UTC") if index.tz is None else index.tz_convert("UTC")
    rows = coverage.interval_start.get_indexer(index)
    position = {c: i for i, c in enumerate(coverage.channels)}
    cols = np.asarray([position.get(str(c), -1) for c in requirements["channel"]], dtype=np.int64)
    values = pd.to_numeric(requirements[column], errors="coerce").fillna(0).to_numpy(float)
    out = np.zeros((len(coverage.interval_start), len(coverage.channels)))
    ok = (rows >= 0) & (cols >= 0)
    np.add.at(out, (rows[ok], cols[ok]), values[ok])
    return out


def _on_time(queue: DeferredQueue) -> FloatArray:
    """Per grid position, the share of its work answered by its deadline (NaN: no work due
    here; a position whose work rounds to 0 minutes is on time)."""
    arrived = queue.arrived
    answered = queue.answered
    before = arrived - queue.work
    due = queue.deadline >= 0
    share = np.full(len(arrived), np.nan)
    done = answered[np.maximum(queue.deadline, 0)] - before
    with np.errstate(divide="ignore", invalid="ignore"):
        fraction = np.clip(done / queue.work, 0.0, 1.0)
    share[due] = np.where(queue.work[due] > 0, fraction[due], 1.0)
    return share


def response_times(queue: DeferredQueue, contacts: FloatArray) -> ResponseTimes:
    """Response times of a deferred channel's contacts (``contacts`` per grid position), from
    its first-in-first-out queue: the work arrived between cumulative levels ``x`` and ``y``
    is answered where cumulative service passes ``y``."""
    arrived, answered = queue.arrived, queue.answered
    levels = np.unique(np.concatenate([[0], arrived, answered]))
    low, high = levels[:-1], levels[1:]
    came = np.searchsorted(arrived, high, side="left")  # position the piece arrived in
    went = np.searchsorted(answered, high, side="left")  # position it was answered in
    came = np.minimum(came, len(arrived) - 1)
    per_minute = np.divide(
        contacts[came], queue.work[came], out=np.zeros(len(came)), where=queue.work[came] > 0
    )
    weight = (high - low) * per_minute
    done = went < len(answered)
    step = queue.interval_minutes
    open_before = np.concatenate([[0], np.cumsum(queue.is_open * step)])
    wall = np.asarray((went[done] + 1 - came[done] - 0.5) * step / 60.0, dtype=np.float64)
    arrival_clock = open_before[came[done]] + queue.is_open[came[done]] * step / 2
    open_wait = np.asarray((open_before[went[done] + 1] - arrival_clock) / 60.0, dtype=np.float64)
    w = weight[done]
    # Contacts whose work rounds to 0 minutes have no piece: they count as answered at once.
    instant = float(contacts[(queue.work == 0) & (contacts > 0)].sum())
    if instant:
        wall = np.concatenate([wall, [0.0]])
        open_wait = np.concatenate([open_wait, [0.0]])
        w = np.concatenate([w, [instant]])
    return ResponseTimes(
        mean_hours=_weighted_mean(wall, w),
        p90_hours=_weighted_quantile(wall, w, 0.9),
        mean_open_hours=_weighted_mean(open_wait, w),
        p90_open_hours=_weighted_quantile(open_wait, w, 0.9),
        answered=float(w.sum()),
        unanswered=float(weight[~done].sum()),
    )


def _weighted_mean(values: FloatArray, weights: FloatArray) -> float | None:
    total = float(weights.sum())
    return float((values * weights).sum() / total) if total > 0 else None


def _weighted_quantile(values: FloatArray, weights: FloatArray, q: float) -> float | None:
    """The smallest value with at least ``q`` of the weight at or below it."""
    keep = weights > 0
    if not keep.any():
        return None
    order = np.argsort(values[keep], kind="stable")
    cumulative = np.cumsum(weights[keep][order])
    at = int(np.searchsorted(cumulative, q * cumulative[-1] - 1e-9, side="left"))
    return float(values[keep][order][min(at, len(order) - 1)])


def _on_grid(queue: DeferredQueue, values: FloatArray) -> FloatArray:
    """Per-row values of the coverage grid laid on the queue's contiguous grid."""
    out = np.zeros(len(queue.work))
    out[queue.rows] = values
    return out


def _service_levels(
    detail: _Detail, requirements: pd.DataFrame, config: Config
) -> tuple[FloatArray, FloatArray] | None:
    """(service level [t, c], contacts [t, c]) at the staff each channel actually got."""
    coverage = detail.coverage
    contacts = _pivot(requirements, coverage, "contacts")
    aht_sum = _pivot(requirements, coverage, "aht_seconds")
    if contacts is None or aht_sum is None:
        return None
    interval_seconds = coverage.interval_minutes * 60.0
    staff = detail.covered / coverage.interval_minutes
    level = np.full(contacts.shape, np.nan)
    for ci, name in enumerate(coverage.channels):
        channel = _channel_config(config, name)
        if channel is None:
            continue
        agents = np.floor(staff[:, ci] * (1.0 - _shrinkage(channel, config)) + 1e-9)
        c, h = contacts[:, ci], aht_sum[:, ci]
        # Live contacts in an interval without need are outside the coverage windows:
        # another team answers them, so they get no level here (inside a window any
        # contact needs at least one agent).
        busy = (c > 0) & (h > 0) & (coverage.need[:, ci] > 0)
        queue = next((q for q in coverage.deferred if q.column == ci), None)
        if queue is not None:
            share = _on_time(queue)[queue.rows]
            level[:, ci] = np.where(c > 0, share, np.nan)
            continue
        if not busy.any():
            continue
        load = erlang.offered_load(c[busy], h[busy], interval_seconds)
        if channel.kind == "concurrent":
            servers = agents[busy] * max(1, channel.concurrency)
            level[busy, ci] = erlang.service_level(servers, load, h[busy], channel.answer_seconds)
        elif channel.patience_seconds is not None:
            level[busy, ci] = erlang.erlang_a(
                agents[busy], load, h[busy], channel.patience_seconds, channel.answer_seconds
            ).service_level
        else:
            level[busy, ci] = erlang.service_level(
                agents[busy], load, h[busy], channel.answer_seconds
            )
    return level, contacts


def _weighted(level: FloatArray, weight: FloatArray) -> float | None:
    ok = ~np.isnan(level) & (weight > 0)
    total = float(weight[ok].sum())
    if total <= 0:
        return None
    return float((level[ok] * weight[ok]).sum() / total)


def interval_table(
    roster: Roster,
    agents: Iterable[Agent] | Mapping[str, Agent],
    config: Config,
    requirements: pd.DataFrame,
    calendar: HolidayCalendar | None = None,
) -> pd.DataFrame:
    """Per interval and channel, in staff equivalents (minutes / interval minutes):
    ``staff_needed``, ``staff_present`` (covered + spare), ``under`` (needed - covered),
    ``over`` (spare: present, skilled for the channel, not needed), ``staff_covered`` and
    the projected ``service_level`` (NaN without contacts). For charts."""
    coverage = compute_coverage(roster, agents, config, requirements, calendar)
    detail = _detail(coverage)
    return _table(detail, requirements, config)


def _table(detail: _Detail, requirements: pd.DataFrame, config: Config) -> pd.DataFrame:
    coverage = detail.coverage
    minutes = coverage.interval_minutes
    n_t, n_c = coverage.need.shape
    levels = _service_levels(detail, requirements, config)
    level = levels[0] if levels is not None else np.full((n_t, n_c), np.nan)
    return pd.DataFrame(
        {
            "interval_start": np.repeat(coverage.interval_start, n_c),
            "channel": np.tile(np.asarray(coverage.channels, dtype=object), n_t),
            "staff_needed": (coverage.need / minutes).ravel(),
            "staff_present": ((detail.used + detail.idle) / minutes).ravel(),
            "under": ((coverage.need - detail.covered) / minutes).ravel(),
            "over": (detail.idle / minutes).ravel(),
            "staff_covered": (detail.covered / minutes).ravel(),
            "service_level": level.ravel(),
        },
        columns=list(INTERVAL_COLUMNS),
    )


# --------------------------------------------------------------------------- the KPIs


def compute_kpis(  # noqa: PLR0917 - the documented positional signature
    roster: Roster,
    agents: Iterable[Agent] | Mapping[str, Agent],
    config: Config,
    requirements: pd.DataFrame | None,
    calendar: HolidayCalendar,
    horizon: Horizon,
    *,
    availability: Iterable[AvailabilityWindow] = (),
    time_off: Iterable[TimeOff] = (),
    fairness_history: FairnessHistory | None = None,
    previous: Sequence[Shift] = (),
) -> Kpis:
    """Every KPI of a roster (coverage ones empty when ``requirements`` is None). Overtime is
    per FLSA workweek, what the roster adds to the ``previous`` roster's shifts there."""
    by_id = dict(agents) if isinstance(agents, Mapping) else {a.agent_id: a for a in agents}
    channels: dict[str, ChannelKpis] = {}
    daily: dict[str, dict[date, float | None]] = {}
    weekly: dict[str, list[float | None]] = {}
    idle_hours = 0.0
    if requirements is not None:
        coverage = compute_coverage(roster, by_id, config, requirements, calendar)
        detail = _detail(coverage)
        minutes = coverage.interval_minutes
        hours = minutes / 60.0
        levels = _service_levels(detail, requirements, config)
        business = coverage.interval_start.tz_convert(config.site.zone)
        days = np.asarray([d.date() for d in business])
        weeks = np.clip(
            np.asarray([horizon.week_of(d) for d in days], dtype=np.int64), 0, horizon.weeks - 1
        )
        for ci, name in enumerate(coverage.channels):
            need = coverage.need[:, ci] / minutes * hours
            covered = detail.covered[:, ci] / minutes * hours
            over = detail.idle[:, ci] / minutes * hours
            contacts = levels[1][:, ci] if levels is not None else np.zeros(len(days))
            level = levels[0][:, ci] if levels is not None else np.full(len(days), np.nan)
            channels[name] = ChannelKpis(
                channel=name,
                needed_staff_hours=float(need.sum()),
                covered_staff_hours=float(covered.sum()),
                under_staff_hours=float((need - covered).sum()),
                over_staff_hours=float(over.sum()),
                covered_pct=(
                    100.0 * float(covered.sum()) / float(need.sum()) if need.sum() > 0 else None
                ),
                contacts=float(contacts.sum()),
                service_level=_weighted(level, contacts),
                response=next(
                    (
                        response_times(q, _on_grid(q, contacts))
                        for q in coverage.deferred
                        if q.column == ci
                    ),
                    None,
                ),
            )
            daily[name] = {
                d: _weighted(level[days == d], contacts[days == d]) for d in sorted(set(days))
            }
            weekly[name] = [
                _weighted(level[weeks == w], contacts[weeks == w]) for w in range(horizon.weeks)
            ]
        idle_hours = float(coverage.idle.sum()) / 60.0
    threshold = round(config.rules.overtime_threshold_hours * 60)
    overtime_by_agent: dict[str, float] = dict.fromkeys(sorted(by_id), 0.0)
    paid_by_agent: dict[str, float] = dict.fromkeys(sorted(by_id), 0.0)
    for shift in roster.shifts:
        if horizon.contains(shift.date):
            paid_by_agent[shift.agent_id] = paid_by_agent.get(shift.agent_id, 0.0) + (
                round(shift.paid_hours * 60) / 60
            )
    for week in workweek_hours(roster, config, horizon, previous):
        overtime_by_agent[week.agent_id] = (
            overtime_by_agent.get(week.agent_id, 0.0) + added_overtime(week, threshold) / 60
        )
    floor_hours: dict[str, float] = {}
    lead_hours = 0.0
    if requirements is not None:
        floors = floor_shortfalls(roster, by_id, config, requirements, calendar)
        floor_hours = {
            c: float(floors.staff[:, i].sum()) / 60 for i, c in enumerate(floors.channels)
        }
        lead_hours = float(floors.leads.sum()) / 60
    counts = shift_units(roster, by_id, config, horizon, calendar, weighted=False)
    spread: dict[str, dict[str, int]] = {}
    for group in CONTRACT_GROUPS:
        members = [a for a, agent in by_id.items() if agent.contract == group]
        spread[group] = {
            kind: (
                max(counts[a][kind] for a in members) - min(counts[a][kind] for a in members)
                if members
                else 0
            )
            for kind in FAIRNESS_KINDS
        }
    return Kpis(
        channels=channels,
        idle_staff_hours=idle_hours,
        daily_service_level=daily,
        weekly_service_level=weekly,
        overtime_hours=sum(overtime_by_agent.values()),
        overtime_by_agent=overtime_by_agent,
        paid_hours_by_agent=paid_by_agent,
        counts=counts,
        spread=spread,
        fairness=fairness_kpis(
            roster,
            by_id,
            config,
            horizon,
            calendar,
            availability=availability,
            time_off=time_off,
            fairness_history=fairness_history,
        ),
        floor_short_hours=floor_hours,
        lead_short_hours=lead_hours,
    )


def fairness_kpis(
    roster: Roster,
    agents: Mapping[str, Agent],
    config: Config,
    horizon: Horizon,
    calendar: HolidayCalendar,
    *,
    availability: Iterable[AvailabilityWindow] = (),
    time_off: Iterable[TimeOff] = (),
    fairness_history: FairnessHistory | None = None,
) -> dict[str, Any]:
    """Why the ``fairness`` term is what it is, JSON-ready.

    ``groups[contract][kind]``: kind ``weight``, ``team_count`` T, ``exposure_hours`` E,
    ``rate_per_fte_week`` (T per 40 contracted hours a week), ``penalty`` (raw, before the
    kind weight) and ``agents`` compared. ``agents[id]``: ``weeks`` and ``exposure_hours``
    (carried + this horizon), per kind the ``carried`` count, what the ``horizon`` adds, the
    ``count``, the ``share`` at the team's rate and the ``deviation`` (count - share; both
    ``None`` when the agent is not compared on that kind), and the ``holidays`` worked with
    their names and weights.
    """
    history = fairness_history or {}
    offs = tuple(time_off)
    units = shift_units(roster, agents, config, horizon, calendar)
    totals = fairness_counts(roster, agents, config, horizon, calendar, fairness_history=history)
    exposure = exposures(agents, horizon, offs, history)
    groups = fairness_groups(totals, exposure, agents, config, availability)
    detail: dict[str, dict[str, Any]] = {}
    for a in sorted(agents):
        carried = history.get(a, FairnessCarry())
        detail[a] = {
            "weeks": carried.weeks + horizon_weeks(a, horizon, offs),
            "exposure_hours": _round(exposure[a] / 60),
            "carried": {k: carried.count(k) for k in FAIRNESS_KINDS},
            "horizon": units[a],
            "count": totals[a],
            "share": dict.fromkeys(FAIRNESS_KINDS),
            "deviation": dict.fromkeys(FAIRNESS_KINDS),
            "holidays": [],
        }
    by_group: dict[str, dict[str, Any]] = {c: {} for c in CONTRACT_GROUPS}
    for g in groups:
        hours = g.total_exposure / 60
        by_group[g.contract][g.kind] = {
            "weight": g.weight,
            "team_count": g.total,
            "exposure_hours": _round(hours),
            "rate_per_fte_week": _round(40 * g.total / hours) if hours else None,
            "penalty": g.raw,
            "agents": len(g.counts),
        }
        for a in g.counts:
            detail[a]["share"][g.kind] = _round(float(g.share(a)))
            detail[a]["deviation"][g.kind] = _round(float(g.deviation(a)))
    for shift in sorted(roster.shifts, key=lambda s: (s.agent_id, s.start_utc)):
        agent = agents.get(shift.agent_id)
        if agent is None or not horizon.contains(shift.date):
            continue
        name = calendar.for_agent(agent, shift.start_local.date())
        if name is not None:
            weight = shift_flags(shift, agent, config, calendar).units("holiday")
            detail[shift.agent_id]["holidays"].append(
                {"date": shift.date.isoformat(), "name": name, "weight": weight}
            )
    return {"groups": by_group, "agents": detail}
