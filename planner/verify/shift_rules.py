"""Checks of each shift on its own: one shift a day, its shape, availability, time off, skills.

Part of the independent checker (:mod:`planner.verify.check`); never imports OR-Tools.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from planner.data.roster_io import (
    format_hours,
    local_day_bounds,
    local_window,
)
from planner.domain import (
    WEEKDAYS,
    Agent,
    Shift,
)
from planner.verify.break_rules import break_length, meals_required
from planner.verify.context import (
    CheckContext,
    Violation,
    clock_text,
    hm,
    shift_paid_minutes,
    span_text,
    whole_minutes,
    window_text,
)


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
    """Each shift is one of the agent's paid lengths, honestly paid (elapsed minus unpaid
    breaks), starts on the local start grid no earlier than ``shifts.earliest_start``, ends
    no later than the instant of ``shifts.latest_end`` local time (:func:`latest_end_instant`),
    is written in the agent's zone on its local start date, and lies in the horizon."""
    out = []
    cfg = ctx.config.shifts
    for agent, shifts in ctx.known_shifts():
        allowed = sorted({round(h * 60) for h in agent.shift_hours})
        allowed_text = " or ".join(format_hours(m / 60) for m in allowed)
        for shift in shifts:

            def bad(message: str, shift: Shift = shift) -> None:
                out.append(Violation("shift_shape", shift.agent_id, shift.date, message))

            who = f"{agent.agent_id}'s shift {span_text(shift)}"
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
            paid = shift_paid_minutes(shift)
            if paid not in allowed:
                bad(f"{who} is paid {hm(paid)}; {agent.agent_id} works {allowed_text} h shifts")
            elapsed = whole_minutes(shift.end_utc - shift.start_utc)
            unpaid = _unpaid_break_minutes(ctx, agent, shift)
            if elapsed - unpaid != paid:
                bad(
                    f"{who} lasts {hm(elapsed)} in real time with {hm(unpaid)} of unpaid "
                    f"breaks, so it pays {hm(elapsed - unpaid)}, not the {hm(paid)} written"
                )
            span = local_window(shift)
            if span.start % cfg.start_step_minutes:
                bad(
                    f"{who} starts at {clock_text(span.start)}, "
                    f"off the {cfg.start_step_minutes}-min grid"
                )
            if span.start < cfg.earliest_start:
                bad(
                    f"{who} starts at {clock_text(span.start)}, before the earliest start "
                    f"{clock_text(cfg.earliest_start)}"
                )
            late = _ends_too_late(shift, cfg.latest_end)
            if late:
                bad(f"{who} {late}")
    return out


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
                offered = ", ".join(window_text(w) for w in sorted(today, key=lambda w: w.start))
                message = (
                    f"{agent.agent_id}'s shift {span_text(shift)} is outside their "
                    f"{WEEKDAYS[weekday]} availability ({offered})"
                )
            else:
                message = (
                    f"{agent.agent_id} works {span_text(shift)} but is not available on "
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
