"""Checks across shifts: weekly paid hours, rest between shifts, consecutive days, days off.

Part of the independent checker (:mod:`planner.verify.check`); never imports OR-Tools.
"""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from planner.verify.context import (
    CheckContext,
    Violation,
    hm,
    local_time,
    shift_paid_minutes,
    week_label,
    whole_minutes,
)
from planner.verify.workweek import workweek_hours, workweek_text


def weekly_paid_minutes(ctx: CheckContext, agent_id: str) -> list[int]:
    """Paid minutes per horizon week (a shift counts in the week of its local date)."""
    weeks = [0] * ctx.horizon.weeks
    for shift in ctx.shifts_by_agent.get(agent_id, ()):
        week = ctx.horizon.week_of(shift.date)
        if 0 <= week < ctx.horizon.weeks:
            weeks[week] += shift_paid_minutes(shift)
    return weeks


def check_weekly_hours(ctx: CheckContext) -> list[Violation]:
    """Paid hours per horizon week within [min - time-off lowering, max]; per FLSA workweek,
    over the overtime threshold only when overtime is allowed, and then by at most the weekly
    overtime cap (docs/OBJECTIVE.md "Workweeks"). Twin of ``constraints/weekly_hours.py``."""
    return _contract_hours(ctx) + _workweek_caps(ctx)


def _contract_hours(ctx: CheckContext) -> list[Violation]:
    """Paid hours per horizon week (local dates) within the contract's bounds."""
    out = []
    for agent_id, agent in sorted(ctx.agents.items()):
        days_off = ctx.time_off.get(agent_id, frozenset())
        for week, paid in enumerate(weekly_paid_minutes(ctx, agent_id)):
            first = ctx.horizon.start + timedelta(days=7 * week)
            label = week_label(ctx.horizon, week)
            n_off = sum(1 for d in days_off if ctx.horizon.week_of(d) == week)
            minimum = max(
                0, round((agent.min_weekly_hours - n_off * agent.longest_shift_hours) * 60)
            )
            maximum = round(agent.max_weekly_hours * 60)
            if paid < minimum:
                lowered = ""
                if n_off:
                    lowered = (
                        f", lowered from {hm(round(agent.min_weekly_hours * 60))} by "
                        f"{n_off} day{'s' if n_off > 1 else ''} off"
                    )
                out.append(
                    Violation(
                        "weekly_hours",
                        agent_id,
                        first,
                        f"{agent_id} is paid {hm(paid)} in {label} (min {hm(minimum)}{lowered})",
                    )
                )
            if paid > maximum:
                out.append(
                    Violation(
                        "weekly_hours",
                        agent_id,
                        first,
                        f"{agent_id} is paid {hm(paid)} in {label} (max {hm(maximum)})",
                    )
                )
    return out


def _workweek_caps(ctx: CheckContext) -> list[Violation]:
    """Per agent and FLSA workweek in which the roster pays something: previous + roster
    paid minutes at most the threshold (overtime not allowed) or the threshold plus the cap."""
    out = []
    rules = ctx.config.rules
    threshold = round(rules.overtime_threshold_hours * 60)
    cap = threshold + (
        round(rules.max_overtime_hours_per_week * 60) if rules.overtime_allowed else 0
    )
    for hours in workweek_hours(ctx.roster, ctx.config, ctx.horizon, ctx.previous):
        if hours.agent_id not in ctx.agents or hours.previous + hours.roster <= cap:
            continue
        paid = hours.previous + hours.roster
        label = workweek_text(hours.start, ctx.config)
        before = f" ({hm(hours.previous)} of them in the previous roster)" if hours.previous else ""
        if rules.overtime_allowed:
            message = (
                f"{hours.agent_id} works {hm(paid - threshold)} of overtime in {label}{before} "
                f"(max {hm(cap - threshold)})"
            )
        else:
            message = (
                f"{hours.agent_id} is paid {hm(paid)} in {label}{before}, over the "
                f"{hm(threshold)} overtime threshold, and overtime is not allowed"
            )
        day = hours.start.astimezone(ctx.config.site.zone).date()
        out.append(Violation("weekly_hours", hours.agent_id, day, message))
    return out


def check_min_rest(ctx: CheckContext) -> list[Violation]:
    """At least ``rules.min_rest_hours`` between the end of one shift and the start of the
    next, across the horizon start with ``previous``."""
    out = []
    need = round(ctx.config.rules.min_rest_hours * 60)
    for agent, shifts in ctx.known_shifts():
        timeline = ctx.before_by_agent.get(agent.agent_id, [])[-1:] + shifts
        for first, second in itertools.pairwise(timeline):
            rest = whole_minutes(second.start_utc - first.end_utc)
            if rest >= need:
                continue
            end = first.end_local
            start = local_time(second.start_utc, agent.timezone)
            start_text = (
                f"{start:%H:%M}" if start.date() == end.date() else f"{start:%Y-%m-%d %H:%M}"
            )
            if rest < 0:
                message = (
                    f"{agent.agent_id} has no rest: the shift ending {end:%Y-%m-%d %H:%M} "
                    f"overlaps the next starting {start_text} (min {hm(need)})"
                )
            else:
                message = (
                    f"{agent.agent_id} rests {hm(rest)} between the shift ending "
                    f"{end:%Y-%m-%d %H:%M} and the next starting {start_text} (min {hm(need)})"
                )
            out.append(Violation("min_rest", agent.agent_id, second.date, message))
    return out


def check_max_consecutive_days(ctx: CheckContext) -> list[Violation]:
    """No more than ``rules.max_consecutive_days`` consecutive local dates with a shift,
    counting ``previous`` shifts before the horizon start (``agent_rules.csv``
    ``max_consecutive_days`` for an agent when given)."""
    out = []
    for agent, shifts in ctx.known_shifts():
        own = ctx.agent_rules.get(agent.agent_id)
        limit = ctx.config.rules.max_consecutive_days
        if own is not None and own.max_consecutive_days is not None:
            limit = own.max_consecutive_days
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
                        f"{week_label(ctx.horizon, week)} (min {need})",
                    )
                )
    return out
