"""The second opinion on every roster: re-checks every hard rule and recomputes the
objective from the roster's own data, independently of the solver.

This module never imports OR-Tools (nor any module that does): it reads shifts,
breaks and inputs, and works everything out again from docs/OBJECTIVE.md.

- One function per hard rule, in :data:`HARD_RULE_CHECKS`, keyed by exactly the
  names of OBJECTIVE.md's hard-rule table (``constraints/registry.py`` uses the same).
- Every duration comes from UTC instants; every local date, weekday and clock time
  from :mod:`zoneinfo` in the agent's zone, so DST nights are handled as they happen.
- Coverage per UTC interval uses OBJECTIVE.md's min-cut formula, vectorised over
  intervals, with agents grouped by skill set (:func:`compute_coverage`); the
  per-channel split follows channel priority (Edmonds' greedy on the coverage
  polymatroid). :func:`allocate` gives the same numbers through an explicit
  max-flow, for KPIs that need who-covers-what.
"""

from __future__ import annotations

import itertools
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property
from typing import TypeAlias
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt
import pandas as pd

from planner.data.holiday_calendar import HolidayCalendar
from planner.data.roster_io import (
    FAIRNESS_KINDS,
    Preference,
    format_hours,
    local_day_bounds,
    local_window,
    shift_flags,
)
from planner.domain import (
    WEEKDAYS,
    Agent,
    AvailabilityWindow,
    Break,
    Config,
    Horizon,
    Roster,
    Shift,
    TimeOff,
    Window,
)

log = logging.getLogger(__name__)

IntArray: TypeAlias = npt.NDArray[np.int64]
FloatArray: TypeAlias = npt.NDArray[np.float64]

TERM_NAMES = (
    "under_staffing",
    "over_staffing",
    "fairness",
    "preferences",
    "stability",
    "overtime",
)
"""The objective's terms in OBJECTIVE.md's order (``terms`` adds ``under_staffing.<channel>``)."""

CONTRACT_GROUPS = ("full_time", "part_time")
BREAK_GRID_MINUTES = 15


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Violation:
    """One broken hard rule: which rule, whose, on which local date, in a manager's words."""

    rule: str
    agent_id: str
    date: date | None
    message: str

    def __str__(self) -> str:
        day = self.date.isoformat() if self.date is not None else "-"
        return f"{self.rule}\t{self.agent_id}\t{day}\t{self.message}"


@dataclass
class CheckResult:
    """What the checker found: violations, raw objective terms and the weighted objective.

    ``terms`` holds every term of OBJECTIVE.md by name (raw, non-negative integers),
    plus ``under_staffing.<channel>`` (priority x staff-minutes short, summing to
    ``under_staffing``). ``skipped`` names hard rules that could not be checked (the
    ``breaks`` rule when no breaks file was given). ``coverage`` is the per-interval
    coverage when requirements were given.
    """

    violations: list[Violation]
    terms: dict[str, int]
    objective: int
    skipped: tuple[str, ...] = ()
    coverage: Coverage | None = None

    @property
    def ok(self) -> bool:
        """No hard rule is broken."""
        return not self.violations

    def by_rule(self) -> dict[str, list[Violation]]:
        """Violations grouped by rule name, in :data:`HARD_RULE_CHECKS` order."""
        grouped: dict[str, list[Violation]] = {name: [] for name in HARD_RULE_CHECKS}
        for violation in self.violations:
            grouped.setdefault(violation.rule, []).append(violation)
        return grouped


# --------------------------------------------------------------------------- context


def _agents_by_id(agents: Iterable[Agent] | Mapping[str, Agent]) -> dict[str, Agent]:
    if isinstance(agents, Mapping):
        return dict(agents)
    return {a.agent_id: a for a in agents}


@dataclass(frozen=True)
class CheckContext:
    """Everything one rule check reads, prepared once (shifts sorted per agent, etc.)."""

    roster: Roster
    agents: Mapping[str, Agent]
    config: Config
    horizon: Horizon
    calendar: HolidayCalendar
    availability: Mapping[str, tuple[AvailabilityWindow, ...]] = field(default_factory=dict)
    time_off: Mapping[str, frozenset[date]] = field(default_factory=dict)
    previous: tuple[Shift, ...] = ()
    breaks_given: bool = True

    @cached_property
    def shifts_by_agent(self) -> dict[str, list[Shift]]:
        """Roster shifts per agent, sorted by start."""
        grouped: dict[str, list[Shift]] = defaultdict(list)
        for shift in sorted(self.roster.shifts, key=lambda s: (s.start_utc, s.end_utc)):
            grouped[shift.agent_id].append(shift)
        return dict(grouped)

    @cached_property
    def before_by_agent(self) -> dict[str, list[Shift]]:
        """``previous`` shifts on local dates before the horizon start, per agent, by start."""
        grouped: dict[str, list[Shift]] = defaultdict(list)
        for shift in sorted(self.previous, key=lambda s: (s.start_utc, s.end_utc)):
            if shift.date < self.horizon.start:
                grouped[shift.agent_id].append(shift)
        return dict(grouped)

    @cached_property
    def breaks_by_agent(self) -> dict[str, list[Break]]:
        grouped: dict[str, list[Break]] = defaultdict(list)
        for item in sorted(self.roster.breaks, key=lambda b: (b.start_utc, b.end_utc)):
            grouped[item.agent_id].append(item)
        return dict(grouped)

    def known_shifts(self) -> Iterable[tuple[Agent, list[Shift]]]:
        """(agent, their roster shifts) for every roster agent present in agents.csv."""
        for agent_id, shifts in sorted(self.shifts_by_agent.items()):
            agent = self.agents.get(agent_id)
            if agent is not None:
                yield agent, shifts

    def shift_breaks(self, shift: Shift) -> list[Break]:
        """The agent's breaks that overlap ``shift`` (inside it, if the roster is right)."""
        return [
            b
            for b in self.breaks_by_agent.get(shift.agent_id, ())
            if b.start_utc < shift.end_utc and b.end_utc > shift.start_utc
        ]


# --------------------------------------------------------------------------- wording


def _hm(minutes: float) -> str:
    """Minutes as hours for a manager: ``8.5 h``, ``10 h``."""
    return f"{format_hours(minutes / 60)} h"


def _local(instant: datetime, zone: str) -> datetime:
    return instant.astimezone(ZoneInfo(zone))


def _when(instant: datetime, zone: str) -> str:
    return f"{_local(instant, zone):%Y-%m-%d %H:%M}"


def _span(shift: Shift) -> str:
    """``2026-12-07 08:00–16:30`` in the shift's own zone (end date shown when it differs)."""
    start = shift.start_local
    end = shift.end_local
    end_text = f"{end:%H:%M}" if end.date() == start.date() else f"{end:%Y-%m-%d %H:%M}"
    return f"{start:%Y-%m-%d %H:%M}–{end_text}"


def _clock(minutes: int) -> str:
    """Minutes after midnight as ``HH:MM`` (``+1d`` past midnight)."""
    text = f"{minutes // 60 % 24:02d}:{minutes % 60:02d}"
    return text + " next day" if minutes > 1440 else text


def _window_text(window: Window) -> str:
    return f"{_clock(window.start)}–{_clock(window.end)}"


def _minutes(delta: timedelta) -> int:
    return round(delta.total_seconds() / 60)


def _paid_minutes(shift: Shift) -> int:
    return round(shift.paid_hours * 60)


def _epoch_minutes(instant: datetime) -> int:
    return int(instant.timestamp()) // 60


# --------------------------------------------------------------------------- hard rules


def check_one_shift_per_day(ctx: CheckContext) -> list[Violation]:
    """At most ``rules.max_shifts_per_day`` shifts per agent per local start date; an
    agent's shifts never overlap (also against ``previous`` shifts before the horizon)."""
    out = []
    limit = ctx.config.rules.max_shifts_per_day
    for agent, shifts in ctx.known_shifts():
        per_day: dict[date, int] = defaultdict(int)
        for shift in shifts:
            per_day[shift.date] += 1
        for day, count in sorted(per_day.items()):
            if count > limit:
                out.append(
                    Violation(
                        "one_shift_per_day",
                        agent.agent_id,
                        day,
                        f"{agent.agent_id} works {count} shifts on {day} (max {limit})",
                    )
                )
        timeline = ctx.before_by_agent.get(agent.agent_id, [])[-1:] + shifts
        for first, second in itertools.pairwise(timeline):
            if second.start_utc < first.end_utc:
                out.append(
                    Violation(
                        "one_shift_per_day",
                        agent.agent_id,
                        second.date,
                        f"{agent.agent_id}'s shifts overlap: {_span(first)} and {_span(second)}",
                    )
                )
    return out


def check_shift_shape(ctx: CheckContext) -> list[Violation]:
    """Each shift is one of the agent's paid lengths, honestly paid (elapsed minus unpaid
    breaks), starts on the local start grid no earlier than ``shifts.earliest_start``, ends
    no later than ``shifts.latest_end``, is written in the agent's zone on its local start
    date, and lies in the horizon."""
    out = []
    cfg = ctx.config.shifts
    for agent, shifts in ctx.known_shifts():
        allowed = sorted({round(h * 60) for h in agent.shift_hours})
        allowed_text = " or ".join(format_hours(m / 60) for m in allowed)
        for shift in shifts:

            def bad(message: str, shift: Shift = shift) -> None:
                out.append(Violation("shift_shape", shift.agent_id, shift.date, message))

            who = f"{agent.agent_id}'s shift {_span(shift)}"
            if shift.timezone != agent.timezone:
                bad(
                    f"{who} is written in {shift.timezone} but {agent.agent_id} works in "
                    f"{agent.timezone}"
                )
                continue
            if shift.start_local.date() != shift.date:
                bad(f"{who} is dated {shift.date}, not its local start date")
            if not ctx.horizon.contains(shift.date):
                bad(
                    f"{who} lies outside the horizon {ctx.horizon.start} to "
                    f"{ctx.horizon.end - timedelta(days=1)}"
                )
            paid = _paid_minutes(shift)
            if paid not in allowed:
                bad(f"{who} is paid {_hm(paid)}; {agent.agent_id} works {allowed_text} h shifts")
            elapsed = _minutes(shift.end_utc - shift.start_utc)
            unpaid = _unpaid_break_minutes(ctx, agent, shift)
            if elapsed - unpaid != paid:
                bad(
                    f"{who} lasts {_hm(elapsed)} in real time with {_hm(unpaid)} of unpaid "
                    f"breaks, so it pays {_hm(elapsed - unpaid)}, not the {_hm(paid)} written"
                )
            span = local_window(shift)
            if span.start % cfg.start_step_minutes:
                bad(
                    f"{who} starts at {_clock(span.start)}, "
                    f"off the {cfg.start_step_minutes}-min grid"
                )
            if span.start < cfg.earliest_start:
                bad(
                    f"{who} starts at {_clock(span.start)}, before the earliest start "
                    f"{_clock(cfg.earliest_start)}"
                )
            if span.end > cfg.latest_end:
                bad(
                    f"{who} ends at {_clock(span.end)}, after the latest end "
                    f"{_clock(cfg.latest_end)}"
                )
    return out


def _unpaid_break_minutes(ctx: CheckContext, agent: Agent, shift: Shift) -> int:
    """Unpaid break minutes inside the shift; without a breaks file, the meal the rules need."""
    if not ctx.breaks_given:
        meal_needed = _meals_required(ctx.config, agent, _paid_minutes(shift)) > 0
        if meal_needed and not ctx.config.breaks.meal_paid:
            return _break_length(ctx.config, agent, "meal")
        return 0
    total = 0
    for item in ctx.shift_breaks(shift):
        if not item.paid:
            start = max(item.start_utc, shift.start_utc)
            end = min(item.end_utc, shift.end_utc)
            total += _minutes(end - start)
    return total


def check_availability(ctx: CheckContext) -> list[Violation]:
    """An agent with availability rows works only shifts lying wholly inside one window of
    the start date's weekday (local clock)."""
    out = []
    for agent, shifts in ctx.known_shifts():
        windows = ctx.availability.get(agent.agent_id)
        if not windows:
            continue
        for shift in shifts:
            weekday = shift.date.weekday()
            today = [w.window for w in windows if w.weekday == weekday]
            span = local_window(shift)
            if any(w.start <= span.start and span.end <= w.end for w in today):
                continue
            if today:
                offered = ", ".join(_window_text(w) for w in sorted(today, key=lambda w: w.start))
                message = (
                    f"{agent.agent_id}'s shift {_span(shift)} is outside their "
                    f"{WEEKDAYS[weekday]} availability ({offered})"
                )
            else:
                message = (
                    f"{agent.agent_id} works {_span(shift)} but is not available on "
                    f"{WEEKDAYS[weekday]}"
                )
            out.append(Violation("availability", agent.agent_id, shift.date, message))
    return out


def check_time_off(ctx: CheckContext) -> list[Violation]:
    """No shift of an agent overlaps (in real time) a local date they have off."""
    out = []
    for agent, shifts in ctx.known_shifts():
        days_off = ctx.time_off.get(agent.agent_id)
        if not days_off:
            continue
        for day in sorted(days_off):
            begin, end = local_day_bounds(day, agent.timezone)
            for shift in shifts:
                if shift.start_utc < end and shift.end_utc > begin:
                    out.append(
                        Violation(
                            "time_off",
                            agent.agent_id,
                            day,
                            f"{agent.agent_id} has {day} off but works {_span(shift)}",
                        )
                    )
    return out


def _week_label(horizon: Horizon, week: int) -> str:
    return f"the week of {horizon.start + timedelta(days=7 * week)}"


def weekly_paid_minutes(ctx: CheckContext, agent_id: str) -> list[int]:
    """Paid minutes per horizon week (a shift counts in the week of its local date)."""
    weeks = [0] * ctx.horizon.weeks
    for shift in ctx.shifts_by_agent.get(agent_id, ()):
        week = ctx.horizon.week_of(shift.date)
        if 0 <= week < ctx.horizon.weeks:
            weeks[week] += _paid_minutes(shift)
    return weeks


def check_weekly_hours(ctx: CheckContext) -> list[Violation]:
    """Paid hours per horizon week within [min - time-off lowering, max]; over the overtime
    threshold only when overtime is allowed, and then by at most the weekly overtime cap."""
    out = []
    rules = ctx.config.rules
    threshold = round(rules.overtime_threshold_hours * 60)
    ot_cap = round(rules.max_overtime_hours_per_week * 60)
    for agent_id, agent in sorted(ctx.agents.items()):
        days_off = ctx.time_off.get(agent_id, frozenset())
        for week, paid in enumerate(weekly_paid_minutes(ctx, agent_id)):
            first = ctx.horizon.start + timedelta(days=7 * week)
            label = _week_label(ctx.horizon, week)
            n_off = sum(1 for d in days_off if ctx.horizon.week_of(d) == week)
            minimum = max(
                0, round((agent.min_weekly_hours - n_off * agent.longest_shift_hours) * 60)
            )
            maximum = round(agent.max_weekly_hours * 60)
            if paid < minimum:
                lowered = ""
                if n_off:
                    lowered = (
                        f", lowered from {_hm(round(agent.min_weekly_hours * 60))} by "
                        f"{n_off} day{'s' if n_off > 1 else ''} off"
                    )
                out.append(
                    Violation(
                        "weekly_hours",
                        agent_id,
                        first,
                        f"{agent_id} is paid {_hm(paid)} in {label} (min {_hm(minimum)}{lowered})",
                    )
                )
            if paid > maximum:
                out.append(
                    Violation(
                        "weekly_hours",
                        agent_id,
                        first,
                        f"{agent_id} is paid {_hm(paid)} in {label} (max {_hm(maximum)})",
                    )
                )
            if paid > threshold:
                if not rules.overtime_allowed:
                    out.append(
                        Violation(
                            "weekly_hours",
                            agent_id,
                            first,
                            f"{agent_id} is paid {_hm(paid)} in {label}, over the "
                            f"{_hm(threshold)} overtime threshold, and overtime is not allowed",
                        )
                    )
                elif paid - threshold > ot_cap:
                    out.append(
                        Violation(
                            "weekly_hours",
                            agent_id,
                            first,
                            f"{agent_id} works {_hm(paid - threshold)} of overtime in {label} "
                            f"(max {_hm(ot_cap)})",
                        )
                    )
    return out


def check_min_rest(ctx: CheckContext) -> list[Violation]:
    """At least ``rules.min_rest_hours`` between the end of one shift and the start of the
    next, across the horizon start with ``previous``."""
    out = []
    need = round(ctx.config.rules.min_rest_hours * 60)
    for agent, shifts in ctx.known_shifts():
        timeline = ctx.before_by_agent.get(agent.agent_id, [])[-1:] + shifts
        for first, second in itertools.pairwise(timeline):
            rest = _minutes(second.start_utc - first.end_utc)
            if rest >= need:
                continue
            end = first.end_local
            start = _local(second.start_utc, agent.timezone)
            start_text = (
                f"{start:%H:%M}" if start.date() == end.date() else f"{start:%Y-%m-%d %H:%M}"
            )
            if rest < 0:
                message = (
                    f"{agent.agent_id} has no rest: the shift ending {end:%Y-%m-%d %H:%M} "
                    f"overlaps the next starting {start_text} (min {_hm(need)})"
                )
            else:
                message = (
                    f"{agent.agent_id} rests {_hm(rest)} between the shift ending "
                    f"{end:%Y-%m-%d %H:%M} and the next starting {start_text} (min {_hm(need)})"
                )
            out.append(Violation("min_rest", agent.agent_id, second.date, message))
    return out


def check_max_consecutive_days(ctx: CheckContext) -> list[Violation]:
    """No more than ``rules.max_consecutive_days`` consecutive local dates with a shift,
    counting ``previous`` shifts before the horizon start."""
    out = []
    limit = ctx.config.rules.max_consecutive_days
    for agent, shifts in ctx.known_shifts():
        days = {s.date for s in shifts} | {
            s.date for s in ctx.before_by_agent.get(agent.agent_id, ())
        }
        ordered = sorted(days)
        runs: list[list[date]] = []
        for day in ordered:
            if runs and runs[-1][-1] + timedelta(days=1) == day:
                runs[-1].append(day)
            else:
                runs.append([day])
        for run in runs:
            in_horizon = [d for d in run if ctx.horizon.contains(d)]
            if len(run) <= limit or not in_horizon:
                continue
            first_over = max(run[limit], in_horizon[0])
            out.append(
                Violation(
                    "max_consecutive_days",
                    agent.agent_id,
                    first_over,
                    f"{agent.agent_id} works {len(run)} consecutive days, {run[0]} to {run[-1]} "
                    f"(max {limit})",
                )
            )
    return out


def check_min_days_off(ctx: CheckContext) -> list[Violation]:
    """At least ``rules.min_days_off_per_week`` local dates without a shift in each horizon week."""
    out = []
    need = ctx.config.rules.min_days_off_per_week
    for agent_id in sorted(ctx.agents):
        worked = {s.date for s in ctx.shifts_by_agent.get(agent_id, ())}
        for week in range(ctx.horizon.weeks):
            first = ctx.horizon.start + timedelta(days=7 * week)
            off = sum(1 for i in range(7) if first + timedelta(days=i) not in worked)
            if off < need:
                out.append(
                    Violation(
                        "min_days_off",
                        agent_id,
                        first,
                        f"{agent_id} has {off} day{'' if off == 1 else 's'} off in "
                        f"{_week_label(ctx.horizon, week)} (min {need})",
                    )
                )
    return out


def _meals_required(config: Config, agent: Agent, paid: int) -> int:
    policy = config.breaks
    company = paid >= round(policy.meal_min_shift_hours * 60)
    washington = agent.state == "WA" and paid > 5 * 60
    return int(company or washington)


def _rests_required(config: Config, agent: Agent, paid: int) -> int:
    every = round(config.breaks.rest_every_hours * 60)
    company = paid // every if every > 0 else 0
    washington = paid // 240 if agent.state == "WA" else 0
    return max(company, washington)


def _break_length(config: Config, agent: Agent, kind: str) -> int:
    """A break's required length: the policy's, raised to Washington's minimum for WA agents
    (a meal of at least 30 minutes, a rest of at least 10)."""
    if kind == "meal":
        length = config.breaks.meal_minutes
        return max(length, 30) if agent.state == "WA" else length
    length = config.breaks.rest_minutes
    return max(length, 10) if agent.state == "WA" else length


def check_breaks(ctx: CheckContext) -> list[Violation]:
    """Every shift has the breaks the company policy and, for WA agents, Washington law
    require, of the configured lengths, inside the shift, not overlapping, on the 15-minute
    grid, none starting in the first hour or ending in the last hour."""
    out = []
    for agent_id, items in sorted(ctx.breaks_by_agent.items()):
        if agent_id not in ctx.agents:
            continue
        shifts = ctx.shifts_by_agent.get(agent_id, [])
        zone = ctx.agents[agent_id].timezone
        for item in items:
            if not any(s.start_utc <= item.start_utc and item.end_utc <= s.end_utc for s in shifts):
                out.append(
                    Violation(
                        "breaks",
                        agent_id,
                        _local(item.start_utc, zone).date(),
                        f"{agent_id}'s {item.kind} {_when(item.start_utc, zone)}–"
                        f"{_local(item.end_utc, zone):%H:%M} is not inside one of their shifts",
                    )
                )
    for agent, shifts in ctx.known_shifts():
        for shift in shifts:
            inside = [
                b
                for b in ctx.shift_breaks(shift)
                if shift.start_utc <= b.start_utc and b.end_utc <= shift.end_utc
            ]
            out.extend(_shift_break_violations(ctx, agent, shift, inside))
    return out


def _shift_break_violations(
    ctx: CheckContext, agent: Agent, shift: Shift, items: list[Break]
) -> list[Violation]:
    config = ctx.config
    rules = config.breaks
    out: list[Violation] = []
    zone = agent.timezone
    who = f"{agent.agent_id}'s shift {_span(shift)}"

    def bad(message: str) -> None:
        out.append(Violation("breaks", agent.agent_id, shift.date, message))

    start = _epoch_minutes(shift.start_utc)
    end = _epoch_minutes(shift.end_utc)
    paid = _paid_minutes(shift)
    meals = [b for b in items if b.kind == "meal"]
    rests = [b for b in items if b.kind == "rest"]
    # Placement and lengths.
    for item in items:
        b_start, b_end = _epoch_minutes(item.start_utc), _epoch_minutes(item.end_utc)
        at = f"{item.kind} at {_local(item.start_utc, zone):%H:%M}"
        local = _local(item.start_utc, zone)
        if (local.hour * 60 + local.minute) % BREAK_GRID_MINUTES:
            bad(f"{who}: the {at} is not on a {BREAK_GRID_MINUTES}-minute boundary")
        if b_start - start < 60:
            bad(f"{who}: the {at} starts in the first hour of the shift")
        if end - b_end < 60:
            bad(f"{who}: the {at} ends in the last hour of the shift")
        length = b_end - b_start
        expected = _break_length(config, agent, item.kind)
        if length != expected:
            bad(f"{who}: the {at} lasts {length} min, policy says {expected} min")
        paid_expected = rules.meal_paid if item.kind == "meal" else rules.rest_paid
        if item.paid != paid_expected:
            bad(
                f"{who}: the {at} is marked {'paid' if item.paid else 'unpaid'}, policy says "
                f"{'paid' if paid_expected else 'unpaid'}"
            )
    for first, second in itertools.pairwise(items):
        if second.start_utc < first.end_utc:
            bad(
                f"{who}: the {first.kind} at {_local(first.start_utc, zone):%H:%M} and the "
                f"{second.kind} at {_local(second.start_utc, zone):%H:%M} overlap"
            )
    # How many.
    meals_needed = _meals_required(config, agent, paid)
    if len(meals) < meals_needed:
        bad(f"{who} is paid {_hm(paid)} and has no meal break")
    rests_needed = _rests_required(config, agent, paid)
    if len(rests) < rests_needed:
        bad(f"{who} is paid {_hm(paid)} and has {len(rests)} rest break(s) (needs {rests_needed})")
    if agent.state == "WA":
        out.extend(_washington(agent, shift, items, who))
    return out


def _washington(agent: Agent, shift: Shift, items: list[Break], who: str) -> list[Violation]:
    """Washington's meal and rest rules (WAC 296-126-092), measured in real elapsed time."""
    out: list[Violation] = []
    start = _epoch_minutes(shift.start_utc)
    end = _epoch_minutes(shift.end_utc)
    paid = _paid_minutes(shift)

    def bad(message: str) -> None:
        out.append(Violation("breaks", agent.agent_id, shift.date, message))

    spans = sorted((_epoch_minutes(b.start_utc), _epoch_minutes(b.end_utc), b.kind) for b in items)
    meals = [(s, e) for s, e, kind in spans if kind == "meal" and e - s >= 30]
    if paid > 300 and not any(start + 120 <= s <= start + 300 for s, _ in meals):
        bad(f"{who} (WA): needs a 30-min meal starting 2 to 5 hours into the shift")
    cursor = start
    for s, e in [*meals, (end, end)]:
        if s - cursor > 300:
            bad(f"{who} (WA): {_hm(s - cursor)} of work without a meal (max 5 h)")
        cursor = max(cursor, e)
    rests = [(s, e) for s, e, kind in spans if kind == "rest" and e - s >= 10]
    if len(rests) < paid // 240:
        bad(
            f"{who} (WA): {len(rests)} rest break(s) of 10+ min for {_hm(paid)} worked "
            f"(needs {paid // 240})"
        )
    cursor = start
    for s, e, _ in [*spans, (end, end, "end")]:
        if s - cursor > 180:
            bad(f"{who} (WA): {_hm(s - cursor)} of work without a break (max 3 h)")
        cursor = max(cursor, e)
    return out


def check_skills(ctx: CheckContext) -> list[Violation]:
    """Roster rows (shifts and breaks) must belong to agents of agents.csv; the coverage
    allocation then only ever assigns agents to channels among their skills."""
    out = []
    for agent_id, shifts in sorted(ctx.shifts_by_agent.items()):
        if agent_id not in ctx.agents:
            for shift in shifts:
                out.append(
                    Violation(
                        "skills",
                        agent_id,
                        shift.date,
                        f"the roster has a shift {_span(shift)} for {agent_id!r}, who is not "
                        "in agents.csv",
                    )
                )
    for agent_id, items in sorted(ctx.breaks_by_agent.items()):
        if agent_id not in ctx.agents:
            out.append(
                Violation(
                    "skills",
                    agent_id,
                    None,
                    f"breaks.csv has {len(items)} break(s) for {agent_id!r}, who is not in "
                    "agents.csv",
                )
            )
    return out


def freeze_window(previous: Iterable[Shift], horizon: Horizon, config: Config) -> tuple[date, date]:
    """The freeze window ``[first, end)`` of local dates.

    The published period runs from the horizon start through the last local date with a
    shift in ``previous`` (any agent); the window is its first ``stability.freeze_days``
    dates. When ``previous`` has no shift on or after the horizon start it is empty.
    """
    first = horizon.start
    last = max((s.date for s in previous), default=None)
    if last is None or last < first:
        return first, first
    freeze = max(0, config.stability.freeze_days)
    return first, min(first + timedelta(days=freeze), last + timedelta(days=1))


def published_shifts(previous: Iterable[Shift], horizon: Horizon, config: Config) -> list[Shift]:
    """Rows of the previous roster in the freeze window (:func:`freeze_window`)."""
    previous = tuple(previous)
    first, end = freeze_window(previous, horizon, config)
    return [s for s in previous if first <= s.date < end]


def _stability_mismatches(
    roster: Roster, previous: Iterable[Shift], horizon: Horizon, config: Config
) -> tuple[list[Shift], list[Shift]]:
    """(published shifts not kept, new shifts in the freeze window not published)."""
    previous = tuple(previous)
    first, end = freeze_window(previous, horizon, config)
    published = [s for s in previous if first <= s.date < end]
    key_pub = {(s.agent_id, s.start_utc, s.end_utc) for s in published}
    new_in_window = [s for s in roster.shifts if first <= s.date < end]
    key_new = {(s.agent_id, s.start_utc, s.end_utc) for s in new_in_window}
    dropped = [s for s in published if (s.agent_id, s.start_utc, s.end_utc) not in key_new]
    added = [s for s in new_in_window if (s.agent_id, s.start_utc, s.end_utc) not in key_pub]
    return dropped, added


def check_frozen_shifts(ctx: CheckContext) -> list[Violation]:
    """With ``previous`` and ``stability.frozen_is_hard``, the published shifts of the freeze
    window are kept exactly and none is added there."""
    if not ctx.previous or not ctx.config.stability.frozen_is_hard:
        return []
    dropped, added = _stability_mismatches(ctx.roster, ctx.previous, ctx.horizon, ctx.config)
    out = [
        Violation(
            "frozen_shifts",
            s.agent_id,
            s.date,
            f"{s.agent_id}'s published shift {_span(s)} is frozen but was changed or removed",
        )
        for s in sorted(dropped, key=lambda s: (s.date, s.agent_id, s.start_utc))
    ]
    out += [
        Violation(
            "frozen_shifts",
            s.agent_id,
            s.date,
            f"{s.agent_id}'s shift {_span(s)} was added inside the frozen window",
        )
        for s in sorted(added, key=lambda s: (s.date, s.agent_id, s.start_utc))
    ]
    return out


RuleCheck: TypeAlias = Callable[[CheckContext], list[Violation]]

HARD_RULE_CHECKS: dict[str, RuleCheck] = {
    "one_shift_per_day": check_one_shift_per_day,
    "shift_shape": check_shift_shape,
    "availability": check_availability,
    "time_off": check_time_off,
    "weekly_hours": check_weekly_hours,
    "min_rest": check_min_rest,
    "max_consecutive_days": check_max_consecutive_days,
    "min_days_off": check_min_days_off,
    "breaks": check_breaks,
    "skills": check_skills,
    "frozen_shifts": check_frozen_shifts,
}
"""One check per hard rule, keyed by exactly the names of OBJECTIVE.md's hard-rule table."""


# --------------------------------------------------------------------------- coverage


@dataclass(frozen=True)
class Coverage:
    """Per UTC interval: need and covered minutes per channel, presence per skill group.

    ``need[t, c]`` = staff_needed x interval minutes; ``presence[t, g]`` = minutes of the
    agents of skill group ``groups[g]`` on shift and off break; ``covered[t, c]`` = the
    maximum allocation, split across channels by priority (highest first).
    """

    interval_start: pd.DatetimeIndex
    channels: tuple[str, ...]
    priority: tuple[int, ...]
    groups: tuple[frozenset[str], ...]
    interval_minutes: int
    need: IntArray
    presence: IntArray
    covered: IntArray

    @property
    def under(self) -> IntArray:
        """Staff-minutes short per interval and channel."""
        return self.need - self.covered

    @property
    def idle(self) -> IntArray:
        """Present minutes no channel needed, per interval."""
        return self.presence.sum(axis=1) - self.covered.sum(axis=1)


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
            (_epoch_minutes(item.start_utc), _epoch_minutes(item.end_utc))
        )
    for spans in breaks_by_agent.values():
        spans.sort()
    if len(grid) == 0:
        return presence
    for shift in shifts:
        group = agent_group.get(shift.agent_id)
        if group is None:
            continue
        s, e = _epoch_minutes(shift.start_utc), _epoch_minutes(shift.end_utc)
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
) -> Coverage:
    """Need, presence and covered minutes per interval of ``requirements`` (its UTC grid)."""
    by_id = _agents_by_id(agents)
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
    covered = _min_cut_chain(need, presence, masks, _channel_order(channels, priority))
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
    )


# --------------------------------------------------------------------------- max-flow


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
    eps = 1e-9
    for target in order:
        while need[target] - into[target] > eps:
            # BFS over channels: reach `target` from some group with supply left. Nodes are
            # channels; an edge c -> c' exists when a group g feeding c (flow[g][c] > 0) can
            # also serve c'. Start from groups with supply.
            parent: dict[int, tuple[int, int | None]] = {}  # channel -> (group, prev channel)
            frontier = []
            for g in range(n_g):
                if left[g] > eps:
                    for c in range(n_c):
                        if masks[g] >> c & 1 and c not in parent:
                            parent[c] = (g, None)
                            frontier.append(c)
            while frontier and target not in parent:
                nxt = []
                for c in frontier:
                    for g in range(n_g):
                        if flow[g][c] > eps:
                            for c2 in range(n_c):
                                if masks[g] >> c2 & 1 and c2 not in parent:
                                    parent[c2] = (g, c)
                                    nxt.append(c2)
                frontier = nxt
            if target not in parent:
                break
            # Walk back to find the bottleneck.
            path: list[tuple[int, int, int | None]] = []  # (group, into channel, from channel)
            node: int | None = target
            while node is not None:
                g, prev = parent[node]
                path.append((g, node, prev))
                node = prev
            amount = need[target] - into[target]
            g0 = path[-1][0]
            amount = min(amount, left[g0])
            for g, _, prev in path:
                if prev is not None:
                    amount = min(amount, flow[g][prev])
            for g, c_in, prev in path:
                flow[g][c_in] += amount
                if prev is not None:
                    flow[g][prev] -= amount
            left[g0] -= amount
            into[target] += amount
    return flow


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


# --------------------------------------------------------------------------- objective terms


def coverage_terms(coverage: Coverage) -> dict[str, int]:
    """``under_staffing`` (with ``under_staffing.<channel>``) and ``over_staffing``."""
    under = coverage.under
    terms = {
        f"under_staffing.{c}": int(coverage.priority[i] * under[:, i].sum())
        for i, c in enumerate(coverage.channels)
    }
    return {
        "under_staffing": sum(terms.values()),
        **terms,
        "over_staffing": int(coverage.idle.sum()),
    }


def eligible(
    agent: Agent, kind: str, availability: Sequence[AvailabilityWindow], config: Config
) -> bool:
    """Whether fairness spreads shifts of ``kind`` over this agent (OBJECTIVE.md)."""
    if agent.max_weekly_hours <= 0:
        return False
    if not availability or kind == "holiday":
        return True
    if kind == "weekend":
        return any(w.weekday >= 5 for w in availability)
    return any(
        w.window.end > config.shifts.evening_ends_after or w.window.end > 1440 for w in availability
    )


def fairness_counts(
    roster: Roster,
    agents: Iterable[Agent] | Mapping[str, Agent],
    config: Config,
    horizon: Horizon,
    calendar: HolidayCalendar,
    *,
    fairness_history: Mapping[str, Mapping[str, int]] | None = None,
) -> dict[str, dict[str, int]]:
    """Per agent, weekend/evening/holiday shifts in the horizon plus carried-over counts."""
    by_id = _agents_by_id(agents)
    history = fairness_history or {}
    counts = {
        a: {k: int(history.get(a, {}).get(k, 0)) for k in FAIRNESS_KINDS} for a in sorted(by_id)
    }
    for shift in roster.shifts:
        agent = by_id.get(shift.agent_id)
        if agent is None or not horizon.contains(shift.date):
            continue
        flags = shift_flags(shift, agent, config, calendar)
        for kind in FAIRNESS_KINDS:
            counts[agent.agent_id][kind] += flags.count(kind)
    return counts


def fte_scale(agent: Agent) -> int:
    """``round(4000 / max_weekly_hours)``: a 40-hour agent's shift counts 100."""
    return round(4000 / agent.max_weekly_hours)


def fairness_spreads(
    counts: Mapping[str, Mapping[str, int]],
    agents: Iterable[Agent] | Mapping[str, Agent],
    config: Config,
    availability: Iterable[AvailabilityWindow] = (),
) -> dict[tuple[str, str], int]:
    """``spread[(group, kind)]`` = max - min of FTE-scaled counts over eligible agents."""
    by_id = _agents_by_id(agents)
    windows: dict[str, list[AvailabilityWindow]] = defaultdict(list)
    for w in availability:
        windows[w.agent_id].append(w)
    spreads = {}
    for group in CONTRACT_GROUPS:
        for kind in FAIRNESS_KINDS:
            scaled = [
                counts[a][kind] * fte_scale(agent)
                for a, agent in sorted(by_id.items())
                if agent.contract == group and eligible(agent, kind, windows.get(a, []), config)
            ]
            spreads[(group, kind)] = max(scaled) - min(scaled) if len(scaled) >= 2 else 0
    return spreads


def fairness_term(
    roster: Roster,
    agents: Iterable[Agent] | Mapping[str, Agent],
    config: Config,
    horizon: Horizon,
    calendar: HolidayCalendar,
    *,
    availability: Iterable[AvailabilityWindow] = (),
    fairness_history: Mapping[str, Mapping[str, int]] | None = None,
) -> int:
    """``fairness`` = sum over contract groups and kinds of the FTE-scaled spread."""
    counts = fairness_counts(
        roster, agents, config, horizon, calendar, fairness_history=fairness_history
    )
    return sum(fairness_spreads(counts, agents, config, availability).values())


def _in_start_window(minute: int, window: Window) -> bool:
    if window.end >= window.start:
        return window.start <= minute <= window.end
    return minute >= window.start or minute <= window.end


def preferences_term(roster: Roster, preferences: Iterable[Preference]) -> int:
    """Shifts on a preferred day off, plus shifts starting outside that weekday's start windows."""
    days_off: set[tuple[str, int]] = set()
    windows: dict[tuple[str, int], list[Window]] = defaultdict(list)
    for pref in preferences:
        if pref.kind == "day_off":
            days_off.add((pref.agent_id, pref.weekday))
        elif pref.window is not None:
            windows[(pref.agent_id, pref.weekday)].append(pref.window)
    total = 0
    for shift in roster.shifts:
        local = shift.start_local
        key = (shift.agent_id, local.weekday())
        if key in days_off:
            total += 1
        if key in windows:
            minute = local.hour * 60 + local.minute
            if not any(_in_start_window(minute, w) for w in windows[key]):
                total += 1
    return total


def stability_term(
    roster: Roster, previous: Iterable[Shift], horizon: Horizon, config: Config
) -> int:
    """Published shifts of the freeze window not kept, plus new shifts added there (0 when hard)."""
    previous = tuple(previous)
    if not previous or config.stability.frozen_is_hard:
        return 0
    dropped, added = _stability_mismatches(roster, previous, horizon, config)
    return len(dropped) + len(added)


def overtime_term(roster: Roster, config: Config, horizon: Horizon) -> int:
    """Paid minutes over the weekly overtime threshold, summed over agents and weeks."""
    threshold = round(config.rules.overtime_threshold_hours * 60)
    weeks: dict[tuple[str, int], int] = defaultdict(int)
    for shift in roster.shifts:
        week = horizon.week_of(shift.date)
        if 0 <= week < horizon.weeks:
            weeks[(shift.agent_id, week)] += _paid_minutes(shift)
    return sum(max(0, paid - threshold) for paid in weeks.values())


def weighted_objective(terms: Mapping[str, int], config: Config) -> int:
    """``sum(weight x raw)`` over the six terms, with ``config.weights``."""
    return sum(int(getattr(config.weights, name)) * int(terms.get(name, 0)) for name in TERM_NAMES)


# --------------------------------------------------------------------------- entry point


def check_roster(
    roster: Roster,
    agents: Iterable[Agent] | Mapping[str, Agent],
    config: Config,
    horizon: Horizon,
    calendar: HolidayCalendar,
    *,
    availability: Iterable[AvailabilityWindow] = (),
    time_off: Iterable[TimeOff] = (),
    previous: Sequence[Shift] = (),
    requirements: pd.DataFrame | None = None,
    preferences: Iterable[Preference] = (),
    fairness_history: Mapping[str, Mapping[str, int]] | None = None,
    breaks_given: bool = True,
) -> CheckResult:
    """Re-check every hard rule on ``roster`` and recompute every objective term.

    ``previous`` is the previous roster (its shifts before the horizon start carry rest
    and consecutive days over; those in the freeze window are the published ones).
    Without ``requirements`` the coverage terms are 0. ``breaks_given=False`` says there
    is no breaks file: the ``breaks`` rule is skipped and each shift is assumed to hold
    exactly the unpaid meal the rules need when checking its paid hours.
    """
    availability = tuple(availability)
    by_id = _agents_by_id(agents)
    windows: dict[str, list[AvailabilityWindow]] = defaultdict(list)
    for w in availability:
        windows[w.agent_id].append(w)
    days_off: dict[str, set[date]] = defaultdict(set)
    for t in time_off:
        days_off[t.agent_id].add(t.date)
    ctx = CheckContext(
        roster=roster,
        agents=by_id,
        config=config,
        horizon=horizon,
        calendar=calendar,
        availability={a: tuple(w) for a, w in windows.items()},
        time_off={a: frozenset(d) for a, d in days_off.items()},
        previous=tuple(previous),
        breaks_given=breaks_given,
    )
    skipped = () if breaks_given else ("breaks",)
    violations: list[Violation] = []
    for name, check in HARD_RULE_CHECKS.items():
        if name in skipped:
            continue
        violations.extend(check(ctx))
    coverage = None
    terms: dict[str, int] = {"under_staffing": 0, "over_staffing": 0}
    if requirements is not None:
        coverage = compute_coverage(roster, by_id, config, requirements)
        terms = coverage_terms(coverage)
    terms["fairness"] = fairness_term(
        roster,
        by_id,
        config,
        horizon,
        calendar,
        availability=availability,
        fairness_history=fairness_history,
    )
    terms["preferences"] = preferences_term(roster, preferences)
    terms["stability"] = stability_term(roster, previous, horizon, config)
    terms["overtime"] = overtime_term(roster, config, horizon)
    ordered = {name: terms[name] for name in TERM_NAMES}
    ordered.update({k: v for k, v in terms.items() if k not in ordered})
    result = CheckResult(
        violations=violations,
        terms=ordered,
        objective=weighted_objective(ordered, config),
        skipped=skipped,
        coverage=coverage,
    )
    log.debug("check: %d violation(s), objective %d", len(violations), result.objective)
    return result


__all__ = [
    "CONTRACT_GROUPS",
    "HARD_RULE_CHECKS",
    "TERM_NAMES",
    "CheckContext",
    "CheckResult",
    "Coverage",
    "RuleCheck",
    "Violation",
    "allocate",
    "allocation_flows",
    "check_roster",
    "compute_coverage",
    "coverage_terms",
    "eligible",
    "fairness_counts",
    "fairness_spreads",
    "fairness_term",
    "freeze_window",
    "fte_scale",
    "overtime_term",
    "preferences_term",
    "presence_minutes",
    "published_shifts",
    "stability_term",
    "weekly_paid_minutes",
    "weighted_objective",
]
