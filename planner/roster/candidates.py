"""Prepared data for the roster model: the UTC requirement grid and every candidate shift.

Everything that needs time zones, calendars or files happens here, once, so the model only
iterates over integer arrays (STYLE.md). Times are whole minutes after the start of the
requirement grid (``Grid.origin``, a UTC instant): "grid minutes".

Candidates: per agent and local date of the horizon, each of the agent's paid lengths and
each local start on the ``shifts.start_step_minutes`` grid from ``shifts.earliest_start``.
The start is the local wall time in the agent's zone (a spring-forward time that does not
exist is skipped; an ambiguous fall-back time is taken at its first occurrence, ``fold=0``);
the end is the start plus the elapsed length (paid + unpaid breaks) in real time, so on a DST
night the local clock span is one hour shorter or longer. A candidate must end no later than
the instant of ``shifts.latest_end`` local time (:func:`planner.roster.timing.ends_in_time`:
instants, not clock minutes), lie inside one of the agent's availability spans (when the agent
has windows; windows that meet at midnight form one span, :func:`timing.availability_spans`),
touch no day off, and have a valid break placement. Its presence per grid interval
counts the minutes on shift minus the breaks at their default positions
(:func:`planner.roster.breaks.default_placement`), so the model's coverage is realistic.

Pruning: a candidate that covers no interval where a channel among the agent's skills needs
staff can only add idle time. Per (agent, date, paid length) such candidates are dropped when
that bucket has at least one useful candidate; the bucket's earliest and latest candidates and
any shift published in ``--previous`` are always kept (they give the rest rule and stability
the most room). The pruning is a heuristic restriction: an infeasible verdict is always
re-checked without it (:func:`prepare` with ``prune=False``).
"""

from __future__ import annotations

import dataclasses
import logging
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
from scipy import sparse

from planner.data.holiday_calendar import HolidayCalendar
from planner.data.roster_io import FairnessCarry, FairnessHistory, Preference, holiday_weight
from planner.domain import (
    LEAD_SKILL,
    Agent,
    AgentRules,
    AvailabilityWindow,
    Config,
    Horizon,
    Shift,
    ShiftCover,
    ShiftRequest,
    TimeOff,
)
from planner.roster import named_shifts, timing
from planner.roster.break_rules import BreakNeeds, BreakSlot, needs_for
from planner.roster.breaks import placement_variants
from planner.roster.floors import prepare_floors
from planner.roster.problem import (
    KINDS,
    Candidates,
    FixedShift,
    Floors,
    Grid,
    Published,
    RosterProblem,
    freeze_window_end,
    grid_from_requirements,
)
from planner.roster.workweeks import (
    cut_points,
    prepare_workweeks,
    start_minutes,
    unpaid_in_larger_part,
)

log = logging.getLogger(__name__)


# --------------------------------------------------------------------------- grid


# --------------------------------------------------------------------------- candidates


# --------------------------------------------------------------------------- preparation


def _local_midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(), tzinfo=zone)


def _clock_minutes(instant: datetime, zone: ZoneInfo, day: date) -> int:
    """Local wall-clock minutes of ``instant`` after the local midnight of ``day``."""
    local = instant.astimezone(zone)
    return (local.date() - day).days * 1440 + local.hour * 60 + local.minute


def _in_window(minute: int, window: tuple[int, int]) -> bool:
    start, end = window
    if start <= end:
        return start <= minute <= end
    return minute >= start or minute <= end


def skill_groups(agents: Sequence[Agent], channels: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Agents grouped by identical skill sets: (group per agent, group x channel mask).

    The ``lead`` skill, not a channel, also splits groups (leads count toward
    ``coverage.min_leads``); a lead group answers the same channels as its other half.
    """
    masks: dict[tuple[bool, ...], int] = {}
    groups = np.zeros(len(agents), dtype=np.int64)
    for i, agent in enumerate(agents):
        key = (*(c in agent.skills for c in channels), LEAD_SKILL in agent.skills)
        groups[i] = masks.setdefault(key, len(masks))
    keys = np.array(list(masks), dtype=bool).reshape(len(masks), len(channels) + 1)
    return groups, keys[:, : len(channels)]


def _presence_matrix(  # noqa: PLR0917
    seg_cand: np.ndarray,
    seg_start: np.ndarray,
    seg_end: np.ndarray,
    interval: int,
    n_intervals: int,
    n_cands: int,
) -> sparse.csr_array:
    """Sum of minutes of the segments ``[start, end)`` per (candidate, grid interval)."""
    rows, cols, vals = [], [], []
    chunk = 100_000
    for lo in range(0, len(seg_cand), chunk):
        c = seg_cand[lo : lo + chunk]
        s = seg_start[lo : lo + chunk]
        e = seg_end[lo : lo + chunk]
        first = np.floor_divide(s, interval)
        span = int((np.floor_divide(e - 1, interval) - first).max(initial=0)) + 1
        ks = first[:, None] + np.arange(span)[None, :]
        minutes = np.minimum(e[:, None], (ks + 1) * interval) - np.maximum(
            s[:, None], ks * interval
        )
        ok = (minutes > 0) & (ks >= 0) & (ks < n_intervals)
        rows.append(np.broadcast_to(c[:, None], ks.shape)[ok])
        cols.append(ks[ok])
        vals.append(minutes[ok])
    if rows:
        r, k, v = np.concatenate(rows), np.concatenate(cols), np.concatenate(vals)
    else:
        r = k = v = np.zeros(0, dtype=np.int64)
    matrix = sparse.coo_array(
        (v.astype(np.int32), (r, k)), shape=(n_cands, max(n_intervals, 0))
    ).tocsr()
    matrix.sum_duplicates()
    return sparse.csr_array(matrix)


_COLUMNS = (
    "agent",
    "day",
    "paid",
    "start",
    "end",
    "local_start",
    "local_end",
    "evening",
    "weekend",
    "holiday",
    "closer",
    "preference",
    "shape",
    "slot",
    "type",
)
"""The integer columns collected per candidate while enumerating (see :class:`Candidates`)."""

_Family = tuple[tuple[BreakSlot, ...], ...]
"""The valid break placements of one (phase, elapsed length, break needs)."""


@dataclass(frozen=True)
class _Context:
    """What every agent's enumeration shares: grid, shift rules, dates and holiday weights."""

    grid: Grid
    config: Config
    dates: Sequence[date]
    starts_local: range
    step: int
    holiday_of: dict[tuple[int, date], int]


@dataclass(frozen=True)
class _AgentTerms:
    """One agent's inputs to enumeration, resolved once: availability spans (``None``: no
    windows), days off as grid-minute spans, preferences and paid lengths with break needs."""

    index: int
    agent: Agent
    spans: tuple[timing.WeekSpan, ...] | None
    off_spans: list[tuple[int, int]]
    day_off_pref: set[int]
    start_windows: dict[int, list[tuple[int, int]]]
    offered: list[tuple[int, list[tuple[int, BreakNeeds, int]]]]
    """Per local start (ascending): the (paid minutes, break needs, shift type or -1)
    offered there (:func:`planner.roster.named_shifts.offers`)."""

    def template_key(self, ctx: _Context) -> tuple[object, ...]:
        """What the agent's shifts depend on, availability and time off aside (agents alike
        share them)."""
        return (
            self.agent.zone.key,
            tuple((s, tuple(group)) for s, group in self.offered),
            tuple(sorted(self.day_off_pref)),
            tuple(sorted((d, tuple(w)) for d, w in self.start_windows.items())),
            tuple(ctx.holiday_of[(self.index, d)] for d in ctx.dates),
        )

    def preference_penalty(self, weekday: int, s_local: int) -> int:
        """1 for a preferred day off, plus 1 for a start outside that weekday's windows."""
        pen = int(weekday in self.day_off_pref)
        if weekday in self.start_windows and not any(
            _in_window(s_local, w) for w in self.start_windows[weekday]
        ):
            pen += 1
        return pen


@dataclass(frozen=True)
class _Start:
    """One local start of one day: date index, date, local minutes and the UTC instant."""

    day_index: int
    day: date
    local: int
    utc: datetime
    minute: int


@dataclass
class _Table:
    """The candidate columns being collected, and the break families met so far."""

    cols: dict[str, list[int]] = field(default_factory=lambda: {k: [] for k in _COLUMNS})
    families: list[_Family] = field(default_factory=list)
    family_index: dict[tuple[int, int, BreakNeeds], int] = field(default_factory=dict)

    def family(self, key: tuple[int, int, BreakNeeds]) -> int:
        """The index of the family of ``key``, placing its variants on first sight."""
        found = self.family_index.get(key)
        if found is None:
            found = self.family_index[key] = len(self.families)
            self.families.append(placement_variants(*key))
        return found

    def append(self, **row: int) -> None:
        for k, v in row.items():
            self.cols[k].append(v)


def prepare(
    agents: Sequence[Agent],
    requirements: pd.DataFrame,
    config: Config,
    horizon: Horizon,
    *,
    availability_rows: Iterable[AvailabilityWindow] = (),
    time_off_rows: Iterable[TimeOff] = (),
    previous: Iterable[Shift] = (),
    preferences: Iterable[Preference] = (),
    fairness_history: FairnessHistory | None = None,
    calendar: HolidayCalendar | None = None,
    prune: bool = True,
    agent_rules: Iterable[AgentRules] = (),
    shift_requests: Iterable[ShiftRequest] = (),
    shift_cover: Iterable[ShiftCover] = (),
) -> RosterProblem:
    """Build the :class:`RosterProblem`: grid, candidates, weekly bounds, history, fairness,
    and the named-shift data (:mod:`planner.roster.named_shifts`)."""
    agents = tuple(agents)
    limits = named_shifts.agent_limits(agents, config, horizon, agent_rules)
    avail = tuple(availability_rows)
    offs = tuple(time_off_rows)
    previous = tuple(previous)
    if calendar is None:
        years = {d.year for d in horizon.dates} | {horizon.start.year - 1, horizon.end.year}
        calendar = HolidayCalendar(config.holidays, years)
    grid = grid_from_requirements(requirements, config, horizon, calendar)
    agent_group, group_mask = skill_groups(agents, grid.channels)
    floors = prepare_floors(
        config, grid, calendar, agents, agent_group, n_groups=group_mask.shape[0]
    )
    notes: list[str] = []
    table = _enumerate(
        agents, config, horizon, calendar, grid, avail, offs, preferences, limits, notes
    )
    arr = {k: np.asarray(v, dtype=np.int64) for k, v in table.cols.items()}
    arr["shape"], shapes, fits = _choose_breaks(
        arr, table.families, grid, agent_group, group_mask, cuts=_workweek_cuts(arr, config, grid)
    )
    arr = _drop_unfit(arr, fits, agents, notes)
    cands = _candidates(arr, shapes, grid, named=bool(config.shift_types))
    index = {a.agent_id: i for i, a in enumerate(agents)}
    freeze_end = freeze_window_end(previous, horizon.start, config.stability.freeze_days)
    # Named shifts are few a day and each may have its own cover: none is pruned.
    if prune and len(cands) and not config.shift_types:
        protected = _protected(cands, previous, index, grid, horizon.start, freeze_end)
        cands = _prune(cands, protected, agent_group, group_mask, grid, floors)
    day_offsets = _day_offsets(cands, len(agents), horizon.days)
    cands.request, request_constant = named_shifts.request_weights(
        cands, agents, config, horizon, shift_requests
    )
    history, published = _published(
        cands, previous, index, grid, horizon.start, freeze_end, n_agents=len(agents)
    )
    min_m, max_m, off_days = _weekly_bounds(agents, config, horizon, offs)
    workweeks = prepare_workweeks(
        cands,
        config,
        grid,
        horizon,
        n_agents=len(agents),
        history=_before_horizon(previous, index, horizon.start),
    )
    eligible, carry, exposure = _fairness_data(agents, config, avail, fairness_history, off_days)
    return RosterProblem(
        agents=agents,
        config=config,
        horizon=horizon,
        calendar=calendar,
        grid=grid,
        cands=cands,
        agent_group=agent_group,
        group_mask=group_mask,
        day_offsets=day_offsets,
        min_minutes=min_m,
        max_minutes=max_m,
        time_off_days=off_days,
        workweeks=workweeks,
        floors=floors,
        history=history,
        published=published,
        has_previous=bool(previous),
        freeze_days=max(0, (freeze_end - horizon.start).days),
        fairness_eligible=eligible,
        fairness_carry=carry,
        fairness_exposure=exposure,
        availability=avail,
        time_off=offs,
        pruned=prune,
        notes=notes,
        limits=limits,
        cover=named_shifts.cover_needs(config, horizon, shift_cover),
        request_constant=request_constant,
    )


def _enumerate(  # noqa: PLR0917
    agents: Sequence[Agent],
    config: Config,
    horizon: Horizon,
    calendar: HolidayCalendar,
    grid: Grid,
    avail: Sequence[AvailabilityWindow],
    offs: Sequence[TimeOff],
    preferences: Iterable[Preference],
    limits: named_shifts.AgentLimits,
    notes: list[str],
) -> _Table:
    """Every candidate of every agent (before break choice and pruning), in agent, day,
    start, length order; a note per agent and paid length that had no break placement."""
    ctx = _Context(
        grid=grid,
        config=config,
        dates=horizon.dates,
        starts_local=timing.local_starts(config.shifts),
        step=max(1, config.shifts.start_step_minutes),
        holiday_of={
            (i, d): holiday_weight(calendar.for_agent(a, d), config.fairness)
            for i, a in enumerate(agents)
            for d in horizon.dates
        },
    )
    prefs_by_agent: dict[str, list[Preference]] = {}
    for p in preferences:
        prefs_by_agent.setdefault(p.agent_id, []).append(p)
    avail_by_agent: dict[str, list[AvailabilityWindow]] = {}
    for w in avail:
        avail_by_agent.setdefault(w.agent_id, []).append(w)
    offs_by_agent: dict[str, list[TimeOff]] = {}
    for o in offs:
        offs_by_agent.setdefault(o.agent_id, []).append(o)
    table = _Table()
    # Agents whose shifts are the same before availability and time off (same zone, lengths,
    # breaks, preferences and holidays: 1,000 sample agents fall into 70 such templates)
    # share one enumeration; each filters it by their own availability and days off.
    templates: dict[tuple[object, ...], _Template] = {}
    for a, agent in enumerate(agents):
        terms = _agent_terms(
            a,
            agent,
            ctx,
            avail_by_agent.get(agent.agent_id, []),
            offs_by_agent.get(agent.agent_id, []),
            prefs_by_agent.get(agent.agent_id, []),
            limits.type_max[a],
        )
        key = terms.template_key(ctx)
        template = templates.get(key)
        if template is None:
            template = templates[key] = _template(ctx, terms, table)
        for paid in sorted(template.add(terms, table)):
            notes.append(
                f"agent {agent.agent_id}: no valid break placement for some {paid / 60:g} h "
                "shifts; those shifts are not offered"
            )
    log.debug("candidates of %d agents from %d templates", len(agents), len(templates))
    return table


def _agent_terms(  # noqa: PLR0917
    a: int,
    agent: Agent,
    ctx: _Context,
    avail: Sequence[AvailabilityWindow],
    offs: Sequence[TimeOff],
    prefs: Sequence[Preference],
    type_max: np.ndarray | None,
) -> _AgentTerms:
    """Resolve agent ``a``'s availability, days off, preferences and lengths once."""
    zone = agent.zone
    off_dates = sorted({o.date for o in offs if o.agent_id == agent.agent_id})
    start_windows: dict[int, list[tuple[int, int]]] = {}
    for p in prefs:
        if p.kind == "start_window" and p.window is not None:
            start_windows.setdefault(p.weekday, []).append((p.window.start, p.window.end))
    return _AgentTerms(
        index=a,
        agent=agent,
        spans=timing.availability_spans(avail, agent.agent_id),
        off_spans=[
            (
                ctx.grid.minute(_local_midnight(d, zone)),
                ctx.grid.minute(_local_midnight(d + timedelta(days=1), zone)),
            )
            for d in off_dates
        ],
        day_off_pref={p.weekday for p in prefs if p.kind == "day_off"},
        start_windows=start_windows,
        offered=named_shifts.offers(
            ctx.config,
            ctx.starts_local,
            [
                (paid, needs_for(paid, agent.state, ctx.config.breaks))
                for paid in timing.paid_lengths(agent)
            ],
            type_max,
        ),
    )


@dataclass(frozen=True)
class _Template:
    """The shifts of agents alike, availability and time off aside: every candidate column
    but ``agent`` (arrays), the weekday of each, and the shifts that fit every rule but have
    no valid break placement (``paid``, ``start``, ``end``, ``weekday``, ``local_start``,
    ``local_end`` arrays)."""

    cols: dict[str, np.ndarray]
    weekday: np.ndarray
    unplaceable: dict[str, np.ndarray]

    def add(self, terms: _AgentTerms, table: _Table) -> set[int]:
        """Append agent ``terms.index``'s candidates (the template inside their availability
        and off their days off) to ``table``; the paid lengths of their shifts without a
        valid break placement."""
        cols, lost = self.cols, self.unplaceable
        keep = _off_mask(terms.off_spans, cols["start"], cols["end"]) & _available(
            terms.spans, self.weekday, cols["local_start"], cols["local_end"]
        )
        n = int(keep.sum())
        table.cols["agent"].extend([terms.index] * n)
        for name, values in cols.items():
            table.cols[name].extend(values[keep].tolist())
        gone = _off_mask(terms.off_spans, lost["start"], lost["end"]) & _available(
            terms.spans, lost["weekday"], lost["local_start"], lost["local_end"]
        )
        return set(lost["paid"][gone].tolist())


def _available(
    spans: Sequence[timing.WeekSpan] | None,
    weekday: np.ndarray,
    local_start: np.ndarray,
    local_end: np.ndarray,
) -> np.ndarray:
    """Shifts inside one availability span (:func:`planner.roster.timing.fits_availability`,
    vectorised; ``None``: no windows, every shift)."""
    if spans is None:
        return np.ones(len(weekday), dtype=bool)
    begin = weekday * 1440 + local_start
    end = weekday * 1440 + local_end
    keep = np.zeros(len(weekday), dtype=bool)
    for s, e in spans:
        for k in (0, timing.WEEK_MINUTES):
            keep |= (s <= begin + k) & (end + k <= e)
    return keep


def _off_mask(
    off_spans: Sequence[tuple[int, int]], start: np.ndarray, end: np.ndarray
) -> np.ndarray:
    """Shifts ``[start, end)`` overlapping none of the days off ``[s, e)``
    (:func:`planner.roster.timing.fits_time_off`, vectorised)."""
    keep = np.ones(len(start), dtype=bool)
    for s, e in off_spans:
        keep &= (end <= s) | (start >= e)
    return keep


def _template(ctx: _Context, terms: _AgentTerms, table: _Table) -> _Template:
    """Enumerate the shifts of ``terms``' agent without their availability and time off, as
    a template."""
    rows = _Table(families=table.families, family_index=table.family_index)
    bare = dataclasses.replace(terms, off_spans=[], spans=None)
    names = ("paid", "start", "end", "weekday", "local_start", "local_end")
    unplaceable: dict[str, list[int]] = {k: [] for k in names}
    _agent_candidates(ctx, bare, rows, unplaceable)
    cols = {k: np.asarray(v, dtype=np.int64) for k, v in rows.cols.items() if k != "agent"}
    weekdays = np.array([d.weekday() for d in ctx.dates], dtype=np.int64)
    return _Template(
        cols,
        weekdays[cols["day"]] if len(cols["day"]) else np.zeros(0, dtype=np.int64),
        {k: np.asarray(v, dtype=np.int64) for k, v in unplaceable.items()},
    )


def _agent_candidates(
    ctx: _Context, terms: _AgentTerms, table: _Table, unplaceable: dict[str, list[int]]
) -> None:
    """Append the agent's candidates to ``table``; add to ``unplaceable`` the shifts that fit
    every rule but have no valid break placement (not offered)."""
    zone = terms.agent.zone
    for di, day in enumerate(ctx.dates):
        if terms.spans is not None and not timing.may_start_on(terms.spans, day.weekday()):
            continue
        for s_local, group in terms.offered:
            naive = datetime.combine(day, time()) + timedelta(minutes=s_local)
            utc = naive.replace(tzinfo=zone).astimezone(UTC)
            if utc.astimezone(zone).replace(tzinfo=None) != naive:
                continue  # a wall time skipped by the spring-forward change
            start = _Start(di, day, s_local, utc, ctx.grid.minute(utc))
            for paid, needs, shift_type in group:
                if _offer(ctx, terms, table, start, (paid, needs, shift_type)) is False:
                    elapsed = paid + needs.unpaid_minutes
                    end_utc = utc + timedelta(minutes=elapsed)
                    unplaceable["paid"].append(paid)
                    unplaceable["start"].append(start.minute)
                    unplaceable["end"].append(start.minute + elapsed)
                    unplaceable["weekday"].append(day.weekday())
                    unplaceable["local_start"].append(s_local)
                    unplaceable["local_end"].append(_clock_minutes(end_utc, zone, day))


def _offer(
    ctx: _Context, terms: _AgentTerms, table: _Table, at: _Start, shift: tuple[int, BreakNeeds, int]
) -> bool | None:
    """Append the shift ``(paid minutes, break needs, shift type)`` from ``at`` when it
    fits; ``None`` when a rule (latest end, availability, time off) rules it out, ``False``
    when only its breaks have no valid placement, ``True`` when appended."""
    paid, needs, shift_type = shift
    zone, weekday, shifts_cfg = terms.agent.zone, at.day.weekday(), ctx.config.shifts
    elapsed = paid + needs.unpaid_minutes
    end = at.minute + elapsed
    end_utc = at.utc + timedelta(minutes=elapsed)
    if not timing.ends_in_time(end_utc, at.day, zone, shifts_cfg):
        return None
    local_end = _clock_minutes(end_utc, zone, at.day)
    if terms.spans is not None and not timing.fits_availability(
        terms.spans, weekday, at.local, local_end
    ):
        return None
    if not timing.fits_time_off(terms.off_spans, at.minute, end):
        return None
    family = table.family(((ctx.grid.epoch_minute + at.minute) % needs.step, elapsed, needs))
    if not table.families[family]:
        return False
    table.append(
        agent=terms.index,
        day=at.day_index,
        paid=paid,
        start=at.minute,
        end=end,
        local_start=at.local,
        local_end=local_end,
        evening=local_end > shifts_cfg.evening_ends_after or local_end > 1440,
        weekend=weekday >= 5,
        holiday=ctx.holiday_of[(terms.index, at.day)],
        closer=local_end > 1440,
        preference=terms.preference_penalty(weekday, at.local),
        shape=family,
        slot=at.local // ctx.step,
        type=shift_type,
    )
    return True


def _drop_unfit(
    arr: dict[str, np.ndarray], fits: np.ndarray, agents: Sequence[Agent], notes: list[str]
) -> dict[str, np.ndarray]:
    """Drop candidates over a workweek start with no valid placement; a note per agent."""
    if fits.all():
        return arr
    for a in np.unique(arr["agent"][~fits]).tolist():
        notes.append(
            f"agent {agents[a].agent_id}: some shifts over the FLSA workweek start have no "
            "valid break placement keeping their unpaid breaks in one part; not offered"
        )
    return {k: v[fits] for k, v in arr.items()}


def _candidates(
    arr: dict[str, np.ndarray], shapes: list[tuple[BreakSlot, ...]], grid: Grid, *, named: bool
) -> Candidates:
    """The :class:`Candidates` of the columns, with their presence matrix and kinds (and
    their shift types when ``named``)."""
    n = len(arr["agent"])
    presence, total = _candidate_presence(arr, shapes, grid, n)
    kinds = np.stack([arr[k] for k in KINDS], axis=1).astype(np.int64).reshape(n, len(KINDS))
    return Candidates(
        agent=arr["agent"],
        day=arr["day"],
        week=arr["day"] // 7,
        paid=arr["paid"],
        start=arr["start"],
        end=arr["end"],
        local_start=arr["local_start"],
        local_end=arr["local_end"],
        kinds=kinds,
        preference=arr["preference"],
        shape=arr["shape"],
        shapes=shapes,
        presence=presence,
        total=total,
        shift_type=arr["type"] if named else None,
    )


def _lookup(
    cands: Candidates, previous: Sequence[Shift], index: dict[str, int]
) -> dict[tuple[int, int, int], int]:
    """Candidate index by (agent, start, end), for the agents of ``previous`` only (a large
    team's dictionary of every candidate took seconds to build for nothing)."""
    owners = sorted({index[s.agent_id] for s in previous if s.agent_id in index})
    if not owners:
        return {}
    ids = np.flatnonzero(np.isin(cands.agent, owners)).tolist()
    agent, start, end = cands.agent.tolist(), cands.start.tolist(), cands.end.tolist()
    return {(agent[j], start[j], end[j]): j for j in ids}


def _protected(  # noqa: PLR0917
    cands: Candidates,
    previous: Sequence[Shift],
    index: dict[str, int],
    grid: Grid,
    first: date,
    freeze_end: date,
) -> np.ndarray:
    """True for candidates equal to a shift published in the freeze window (never pruned)."""
    lookup = _lookup(cands, previous, index)
    protected = np.zeros(len(cands), dtype=bool)
    for s in previous:
        owner = index.get(s.agent_id)
        if owner is not None and first <= s.date < freeze_end:
            j = lookup.get((owner, grid.minute(s.start_utc), grid.minute(s.end_utc)))
            if j is not None:
                protected[j] = True
    return protected


def _prune(  # noqa: PLR0917
    cands: Candidates,
    protected: np.ndarray,
    agent_group: np.ndarray,
    group_mask: np.ndarray,
    grid: Grid,
    floors: Floors,
) -> Candidates:
    """Drop the candidates that cover no demand, keeping each bucket's earliest and latest
    candidate, whole buckets with nothing useful, and ``protected`` ones (module docstring)."""
    n = len(cands)
    keep = _useful(cands, agent_group, group_mask, grid, floors) | protected
    keep |= _bucket_keep(cands, keep)
    dropped = int(n - keep.sum())
    if dropped:
        log.info("pruned %d of %d candidate shifts that cover no demand", dropped, n)
    return cands.take(keep)


def _published(  # noqa: PLR0917
    cands: Candidates,
    previous: Sequence[Shift],
    index: dict[str, int],
    grid: Grid,
    first: date,
    freeze_end: date,
    *,
    n_agents: int,
) -> tuple[tuple[tuple[FixedShift, ...], ...], tuple[Published, ...]]:
    """Previous shifts: before the horizon, per agent as fixed history; inside the freeze
    window, as published shifts with their matching candidate (-1: none)."""
    lookup = _lookup(cands, previous, index)
    history_lists: list[list[FixedShift]] = [[] for _ in range(n_agents)]
    published = []
    for s in sorted(previous, key=lambda s: (s.agent_id, s.start_utc)):
        owner = index.get(s.agent_id)
        if owner is None:
            continue
        d = (s.date - first).days
        start, end = grid.minute(s.start_utc), grid.minute(s.end_utc)
        if d < 0:
            history_lists[owner].append(FixedShift(owner, d, start, end))
        elif s.date < freeze_end:
            match = lookup.get((owner, start, end), -1)
            published.append(Published(owner, d, start, end, match, s))
    return tuple(tuple(h) for h in history_lists), tuple(published)


def _before_horizon(
    previous: Sequence[Shift], index: dict[str, int], first: date
) -> dict[int, list[Shift]]:
    """Previous shifts dated before the horizon, per agent index."""
    before: dict[int, list[Shift]] = {}
    for s in previous:
        if s.agent_id in index and s.date < first:
            before.setdefault(index[s.agent_id], []).append(s)
    return before


def _choose_breaks(
    arr: dict[str, np.ndarray],
    families: list[tuple[tuple[BreakSlot, ...], ...]],
    grid: Grid,
    agent_group: np.ndarray,
    group_mask: np.ndarray,
    *,
    cuts: np.ndarray,
) -> tuple[np.ndarray, list[tuple[BreakSlot, ...]], np.ndarray]:
    """Each candidate's default break placement: among its family's valid variants, the one
    whose breaks fall where the agent's channels need least (need x priority); ties go
    round the tied variants by start time, which staggers identical shifts' breaks. A
    candidate over a workweek start (``cuts``, grid minutes; a candidate's end: none) takes
    only variants keeping its unpaid breaks in its larger part
    (:mod:`planner.roster.workweeks`).

    Returns the chosen placement index per candidate, the list of placements, and whether a
    variant fits each candidate.
    """
    shapes: list[tuple[BreakSlot, ...]] = []
    offsets = []
    for variants in families:
        offsets.append(len(shapes))
        shapes.extend(variants)
    chosen = np.zeros(len(arr["agent"]), dtype=np.int64)
    fits = np.ones(len(arr["agent"]), dtype=bool)
    weight = (group_mask * grid.priority[None, :]).astype(np.int64) @ grid.need.T  # (G, T)
    weight = weight * grid.listed[None, :]
    groups = agent_group[arr["agent"]] if len(arr["agent"]) else arr["agent"]
    for f, variants in enumerate(families):
        ids = np.flatnonzero(arr["shape"] == f)
        if not len(ids):
            continue
        start, end, cut = arr["start"][ids], arr["end"][ids], cuts[ids]
        allowed = np.stack(
            [unpaid_in_larger_part(start, end, cut, slots) for slots in variants], axis=1
        )
        fits[ids] = allowed.any(axis=1)
        if len(variants) == 1 or grid.n_intervals == 0:
            chosen[ids] = offsets[f] + np.argmax(allowed, axis=1)
            continue
        costs = np.zeros((len(ids), len(variants)))
        for v, slots in enumerate(variants):
            seg_c = np.concatenate([np.arange(len(ids))] * len(slots))
            seg_s = np.concatenate([start + b.start for b in slots])
            seg_e = np.concatenate([start + b.end for b in slots])
            away = _presence_matrix(
                seg_c, seg_s, seg_e, grid.interval_minutes, grid.n_intervals, len(ids)
            ).tocoo()
            lost = away.data * weight[groups[ids][away.row], away.col]
            costs[:, v] = np.bincount(away.row, weights=lost, minlength=len(ids))
        costs[~allowed] = np.inf
        tied = costs == costs.min(axis=1, keepdims=True)
        pick = arr["slot"][ids] % tied.sum(axis=1)
        rank = np.cumsum(tied, axis=1) - 1
        chosen[ids] = offsets[f] + np.argmax(tied & (rank == pick[:, None]), axis=1)
    return chosen, shapes, fits


def _workweek_cuts(arr: dict[str, np.ndarray], config: Config, grid: Grid) -> np.ndarray:
    """Per candidate: the FLSA workweek start inside it (grid minutes), or its end."""
    if not len(arr["start"]):
        return np.zeros(0, dtype=np.int64)
    starts = start_minutes(config, grid, int(arr["start"].min()), int(arr["end"].max()))
    return cut_points(starts, arr["start"], arr["end"])


def span_presence(problem: RosterProblem) -> sparse.csr_array:
    """Minutes on shift per (candidate, listed grid interval), breaks not taken out: what a
    shift can be present in each interval wherever its breaks lie (the service-level bound,
    :mod:`planner.roster.deferred_bound`)."""
    cands, grid = problem.cands, problem.grid
    n = len(cands)
    presence = _presence_matrix(
        np.arange(n), cands.start, cands.end, grid.interval_minutes, grid.n_intervals, n
    )
    if not grid.listed.all():
        presence = sparse.csr_array(presence @ sparse.diags_array(grid.listed.astype(np.int32)))
        presence.eliminate_zeros()
    return presence


def _candidate_presence(
    arr: dict[str, np.ndarray], shapes: list[tuple[BreakSlot, ...]], grid: Grid, n: int
) -> tuple[sparse.csr_array, np.ndarray]:
    """Presence matrix from shift spans minus default breaks (vectorised per break shape)."""
    seg_c, seg_s, seg_e = [], [], []
    ids = np.arange(n)
    for k, slots in enumerate(shapes):
        sel = arr["shape"] == k
        if not sel.any():
            continue
        c, s, e = ids[sel], arr["start"][sel], arr["end"][sel]
        cursor = s.copy()
        for b in sorted(slots):
            seg_c.append(c)
            seg_s.append(cursor)
            seg_e.append(s + b.start)
            cursor = s + b.end
        seg_c.append(c)
        seg_s.append(cursor)
        seg_e.append(e)
    if seg_c:
        sc, ss, se = np.concatenate(seg_c), np.concatenate(seg_s), np.concatenate(seg_e)
    else:
        sc = ss = se = np.zeros(0, dtype=np.int64)
    presence = _presence_matrix(sc, ss, se, grid.interval_minutes, grid.n_intervals, n)
    if not grid.listed.all():
        presence = sparse.csr_array(presence @ sparse.diags_array(grid.listed.astype(np.int32)))
        presence.eliminate_zeros()
    total = np.asarray(presence.sum(axis=1)).ravel().astype(np.int64)
    return presence, total


def _useful(
    cands: Candidates, agent_group: np.ndarray, group_mask: np.ndarray, grid: Grid, floors: Floors
) -> np.ndarray:
    """True for candidates present in an interval where one of their channels needs staff
    or has a floor, or, for a lead, where leads have a floor."""
    if grid.n_intervals == 0 or len(cands) == 0:
        return np.zeros(len(cands), dtype=bool)
    wanted = (grid.need > 0) | (floors.staff > 0)
    needed = wanted.astype(np.int64) @ group_mask.T.astype(np.int64)  # (T, G)
    needed += np.outer(floors.leads > 0, floors.group_lead).astype(np.int64)
    per_group = cands.presence @ (needed > 0).astype(np.int64)  # (J, G)
    groups = agent_group[cands.agent]
    return np.asarray(per_group)[np.arange(len(cands)), groups] > 0


def _bucket_keep(cands: Candidates, useful: np.ndarray) -> np.ndarray:
    """Per (agent, day, paid) bucket: all of it when nothing in it is useful, and always its
    earliest and latest candidate."""
    n = len(cands)
    keep = np.zeros(n, dtype=bool)
    key = (cands.agent * 10_000 + cands.day) * 10_000 + cands.paid
    order = np.lexsort((cands.start, key))
    sorted_key = key[order]
    bounds = np.flatnonzero(np.diff(sorted_key)) + 1
    for block in np.split(order, bounds):
        if not len(block):
            continue
        if not useful[block].any():
            keep[block] = True
        keep[block[0]] = True
        keep[block[-1]] = True
    return keep


def _day_offsets(cands: Candidates, n_agents: int, n_days: int) -> np.ndarray:
    """``offsets[a, d]``: first candidate of agent ``a`` on day ``d`` (arrays are sorted)."""
    key = cands.agent * (n_days + 1) + cands.day
    if len(key) > 1:
        assert np.all(np.diff(key) >= 0), "candidates must be sorted by agent and day"
    grid_keys = np.arange(n_agents)[:, None] * (n_days + 1) + np.arange(n_days + 1)[None, :]
    offsets = np.searchsorted(key, grid_keys.ravel(), side="left").reshape(n_agents, n_days + 1)
    # The last column is the end of the agent's range: the first candidate of the next agent.
    offsets[:, n_days] = np.searchsorted(key, (np.arange(n_agents) + 1) * (n_days + 1))
    return offsets.astype(np.int64)


def _weekly_bounds(
    agents: Sequence[Agent], config: Config, horizon: Horizon, offs: Sequence[TimeOff]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Paid minutes per (agent, week): contract lower and upper bound, and time-off dates.

    The overtime limits are per FLSA workweek (:attr:`RosterProblem.workweeks`), not here.
    """
    weeks = horizon.weeks
    lo = np.zeros((len(agents), weeks), dtype=np.int64)
    hi = np.zeros((len(agents), weeks), dtype=np.int64)
    off_days = np.zeros((len(agents), weeks), dtype=np.int64)
    off_by_agent: dict[str, set[date]] = {}
    for o in offs:
        if horizon.contains(o.date):
            off_by_agent.setdefault(o.agent_id, set()).add(o.date)
    for a, agent in enumerate(agents):
        for d in off_by_agent.get(agent.agent_id, ()):
            off_days[a, horizon.week_of(d)] += 1
        for w in range(weeks):
            lowered = agent.min_weekly_hours - off_days[a, w] * agent.longest_shift_hours
            lo[a, w] = max(0, math.ceil(round(lowered * 60, 6)))
            hi[a, w] = math.floor(round(agent.max_weekly_hours * 60, 6))
    return lo, hi, off_days


def _fairness_data(
    agents: Sequence[Agent],
    config: Config,
    avail: Sequence[AvailabilityWindow],
    history: FairnessHistory | None,
    off_days: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Eligibility (agent x kind), carried-over counts and exposure in contracted minutes
    (docs/OBJECTIVE.md "fairness")."""
    eligible = np.zeros((len(agents), len(KINDS)), dtype=bool)
    carry = np.zeros((len(agents), len(KINDS)), dtype=np.int64)
    exposure = np.zeros(len(agents), dtype=np.int64)
    evening = config.shifts.evening_ends_after
    for a, agent in enumerate(agents):
        carried = (history or {}).get(agent.agent_id, FairnessCarry())
        carry[a] = [carried.count(kind) for kind in KINDS]
        weeks = int((off_days[a] < 7).sum())  # weeks with a date not wholly taken off
        exposure[a] = carried.minutes + weeks * round(agent.max_weekly_hours * 60)
        if agent.max_weekly_hours <= 0 or exposure[a] <= 0:
            continue
        rows = [w for w in avail if w.agent_id == agent.agent_id]
        if not rows:
            eligible[a] = True
            continue
        ends = [w.window.end for w in rows]
        eligible[a, KINDS.index("weekend")] = any(w.weekday >= 5 for w in rows)
        eligible[a, KINDS.index("evening")] = any(e > evening or e > 1440 for e in ends)
        eligible[a, KINDS.index("holiday")] = True
        # Past midnight: a window ending after 24:00, or one ending at 24:00 that the next
        # weekday's window from 00:00 continues (they form one span).
        starts = {(w.weekday, w.window.start) for w in rows}
        eligible[a, KINDS.index("closer")] = any(
            w.window.end > 1440 or (w.window.end == 1440 and ((w.weekday + 1) % 7, 0) in starts)
            for w in rows
        )
    return eligible, carry, exposure
