"""Checks of each shift on its own: one shift a day, its shape, availability, time off, skills.

Part of the independent checker (:mod:`planner.verify.check`); never imports OR-Tools.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt

from planner.data.roster_io import (
    format_hours,
    local_day_bounds,
    local_window,
)
from planner.domain import (
    WEEKDAYS,
    Agent,
    AvailabilityWindow,
    Shift,
)
from planner.verify.break_rules import break_length, meals_required
from planner.verify.context import (
    NOWHERE,
    CheckContext,
    Violation,
    clock_text,
    hm,
    shift_paid_minutes,
    span_text,
    whole_minutes,
)

BoolArray = npt.NDArray[np.bool_]


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
                        f"{agent.agent_id}'s shifts overlap: "
                        f"{span_text(first)} and {span_text(second)}",
                    )
                )
    return out


def check_shift_shape(ctx: CheckContext) -> list[Violation]:
    """Each shift is one of the agent's paid lengths, starts on the local start grid no
    earlier than ``shifts.earliest_start``, ends no later than ``shifts.latest_end``, is
    written in the agent's zone on its local start date, and lies in the horizon. That it
    is honestly paid (elapsed minus unpaid breaks) is :func:`settle_paid_hours`'s half of
    the rule, which :func:`planner.verify.check.check_roster` runs first. The latest end is
    compared as instants (:func:`latest_end_instant`)."""
    out = []
    cfg = ctx.config.shifts
    for agent, shifts in ctx.known_shifts():
        allowed = sorted({round(h * 60) for h in agent.shift_hours})
        allowed_text = " or ".join(format_hours(m / 60) for m in allowed)
        for shift in shifts:

            def bad(message: str, column: str = "", shift: Shift = shift) -> None:
                place = ctx.shift_place(shift, column) if column else NOWHERE
                out.append(Violation("shift_shape", shift.agent_id, shift.date, message, *place))

            who = f"{agent.agent_id}'s shift {span_text(shift)}"
            if shift.timezone != agent.timezone:
                bad(
                    f"{who} is written in {shift.timezone} but {agent.agent_id} works in "
                    f"{agent.timezone}"
                )
                continue
            if shift.start_local.date() != shift.date:
                bad(f"{who} is dated {shift.date}, not its local start date", "date")
            if not ctx.horizon.contains(shift.date):
                bad(
                    f"{who} lies outside the horizon {ctx.horizon.start} to "
                    f"{ctx.horizon.end - timedelta(days=1)}",
                    "date",
                )
            paid = shift_paid_minutes(shift)
            if paid not in allowed:
                bad(
                    f"{who} is paid {hm(paid)}; {agent.agent_id} works {allowed_text} h shifts",
                    "paid_hours",
                )
            span = local_window(shift)
            # Named shifts bring their own start times: the start grid is for the others.
            if not ctx.config.shift_types and span.start % cfg.start_step_minutes:
                bad(
                    f"{who} starts at {clock_text(span.start)}, "
                    f"off the {cfg.start_step_minutes}-min grid",
                    "start_local",
                )
            if not ctx.config.shift_types and span.start < cfg.earliest_start:
                bad(
                    f"{who} starts at {clock_text(span.start)}, before the earliest start "
                    f"{clock_text(cfg.earliest_start)}",
                    "start_local",
                )
            late = _ends_too_late(shift, cfg.latest_end)
            if late:
                bad(f"{who} {late}", "end_local")
            if ctx.config.shift_types and ctx.config.shift_type_of(span.start, paid) < 0:
                bad(f"{who} is none of the named shifts [shift_types]", "start_local")
    return out


PAID_TOLERANCE_MINUTES = 1
"""``paid_hours`` agrees with the times and breaks when within one minute (CONTRACT.md):
a file that rounds paid hours to 2 decimals is not wrong."""


def settle_paid_hours(ctx: CheckContext) -> tuple[CheckContext, list[Violation]]:
    """The shift_shape rule's check that each shift is honestly paid: its paid hours agree
    with its real elapsed time minus its unpaid breaks, within
    :data:`PAID_TOLERANCE_MINUTES`; a ``shift_shape`` violation (at the ``paid_hours`` field,
    for a roster read from a file) for each that does not.

    Returns the context in which every shift is paid what its times and breaks say, so the
    other rules and the terms count those whole minutes (and a mistyped ``paid_hours`` is
    one fault, not also a wrong length or wrong weekly hours), and the violations.
    """
    settled, out = [], []
    for shift in ctx.roster.shifts:
        agent = ctx.agents.get(shift.agent_id)
        if agent is None:
            settled.append(shift)
            continue
        elapsed = whole_minutes(shift.end_utc - shift.start_utc)
        unpaid = _unpaid_break_minutes(ctx, agent, shift)
        exact = elapsed - unpaid
        written = shift.paid_hours * 60
        if abs(exact - written) > PAID_TOLERANCE_MINUTES:
            message = (
                f"{agent.agent_id}'s shift {span_text(shift)} lasts {hm(elapsed)} in real time "
                f"with {hm(unpaid)} of unpaid breaks, so it pays {hm(exact)}, not the "
                f"{format_hours(shift.paid_hours)} h written"
            )
            place = ctx.shift_place(shift, "paid_hours")
            out.append(Violation("shift_shape", agent.agent_id, shift.date, message, *place))
        settled.append(replace(shift, paid_hours=exact / 60) if 0 < exact != written else shift)
    if settled == list(ctx.roster.shifts):
        return ctx, out
    return replace(ctx, roster=replace(ctx.roster, shifts=tuple(settled))), out


def latest_end_instant(day: date, zone: str, latest_end: int) -> datetime:
    """The instant of the latest end (``latest_end`` minutes after the local midnight of
    ``day``) in ``zone``. A wall time the spring-forward night skips is the instant the clock
    jumps (zoneinfo's ``fold=0``); one the fall-back night repeats is its later occurrence
    (every end the clock shows as no later than the limit stays allowed). Either way the
    later of the two ``fold`` readings."""
    naive = datetime.combine(day, time()) + timedelta(minutes=latest_end)
    return max(naive.replace(tzinfo=ZoneInfo(zone), fold=f).astimezone(UTC) for f in (0, 1))


def _ends_too_late(shift: Shift, latest_end: int) -> str | None:
    """How the shift ends after ``shifts.latest_end``, comparing instants (not clock
    minutes, which a DST night moves by an hour); None when it ends in time."""
    limit = latest_end_instant(shift.date, shift.timezone, latest_end)
    if shift.end_utc <= limit:
        return None
    wall = limit.astimezone(ZoneInfo(shift.timezone))
    return (
        f"ends at {clock_text(local_window(shift).end)}, after the latest end "
        f"{clock_text(latest_end)} ({wall:%Y-%m-%d %H:%M %Z})"
    )


def _unpaid_break_minutes(ctx: CheckContext, agent: Agent, shift: Shift) -> int:
    """Unpaid break minutes inside the shift; without a breaks file, the meals the rules
    need (two in a 12-hour Washington shift)."""
    if not ctx.breaks_given:
        if ctx.config.breaks.meal_paid:
            return 0
        return meals_required(ctx.config, agent, shift) * break_length(ctx.config, agent, "meal")
    total = 0
    for item in ctx.shift_breaks(shift):
        if not item.paid:
            start = max(item.start_utc, shift.start_utc)
            end = min(item.end_utc, shift.end_utc)
            total += whole_minutes(end - start)
    return total


def check_availability(ctx: CheckContext) -> list[Violation]:
    """An agent with availability rows works only shifts whose local clock span (from the
    start date's weekday; on a DST night, as the wall clock shows it) lies wholly inside
    their availability, where windows that meet or overlap, across midnight too and from
    Sunday into Monday, count as one stretch."""
    out = []
    for agent, shifts in ctx.known_shifts():
        windows = ctx.availability.get(agent.agent_id)
        if not windows:
            continue
        free = _free_minutes(windows)
        for shift in shifts:
            weekday = shift.date.weekday()
            span = local_window(shift)
            begin, end = weekday * 1440 + span.start, weekday * 1440 + span.end
            if free[np.arange(begin, end) % WEEK_MINUTES].all():
                continue
            day = weekday * 1440
            near = _stretches_near(free, min(begin, day), max(end, day + 1440))
            if near:
                offered = ", ".join(_stretch_text(s, e) for s, e in near)
                message = (
                    f"{agent.agent_id}'s shift {span_text(shift)} is outside their "
                    f"availability ({offered})"
                )
            else:
                message = (
                    f"{agent.agent_id} works {span_text(shift)} but is not available on "
                    f"{WEEKDAYS[weekday]}"
                )
            out.append(Violation("availability", agent.agent_id, shift.date, message))
    return out


WEEK_MINUTES = 7 * 1440


def _free_minutes(windows: Iterable[AvailabilityWindow]) -> BoolArray:
    """One flag per minute of the week from Monday 00:00 local clock: is the agent
    available then? A window past midnight (end at or before start) runs into the next
    day, and Sunday's into Monday (the week is a circle)."""
    free = np.zeros(WEEK_MINUTES, dtype=bool)
    for w in windows:
        length = w.window.end - w.window.start
        if length <= 0:
            length += 1440
        first = w.weekday * 1440 + w.window.start
        free[np.arange(first, first + length) % WEEK_MINUTES] = True
    return free


def _stretches_near(free: BoolArray, begin: int, end: int) -> list[tuple[int, int]]:
    """The stretches of availability (maximal runs of free minutes, ``[start, end)`` in
    week minutes, shifted by a week where that makes them meet ``[begin, end)``) that
    overlap ``[begin, end)``, in order."""
    if free.all() or not free.any():
        return []
    offset = int(np.argmin(free))  # start the scan at a busy minute, so no run wraps
    rolled = np.roll(free, -offset).astype(np.int8)
    edges = np.diff(np.concatenate(([0], rolled, [0])))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    runs = sorted(
        ((int(s) + offset) % WEEK_MINUTES, int(e - s)) for s, e in zip(starts, ends, strict=True)
    )
    return sorted(
        (start + k, start + length + k)
        for start, length in runs
        for k in (-WEEK_MINUTES, 0, WEEK_MINUTES)
        if start + k < end and begin < start + length + k
    )


def _stretch_text(start: int, end: int) -> str:
    """``Fri 16:00–Sat 24:00``, ``Tue 12:00–22:00``: a stretch ends at 24:00 of its last
    day rather than 00:00 of the next."""
    first = f"{WEEKDAYS[start // 1440 % 7]} {clock_text(start % 1440)}"
    last_day, last_clock = divmod(end - 1, 1440)
    last_clock += 1
    if last_day == start // 1440:
        return f"{first}–{clock_text(last_clock)}"
    return f"{first}–{WEEKDAYS[last_day % 7]} {clock_text(last_clock)}"


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
                            f"{agent.agent_id} has {day} off but works {span_text(shift)}",
                        )
                    )
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
                        f"the roster has a shift {span_text(shift)} for {agent_id!r}, who is not "
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
