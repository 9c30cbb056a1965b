"""Checks of the named-shift and horizon contract rules, and their two objective terms.

Rules: shift type limits, total hours over the horizon, minimum consecutive working days,
minimum consecutive days off, maximum weekends, forbidden next-day sequences. Terms: shift
requests, shift cover. Each agent's limits are the ``agent_rules.csv`` value where given,
else the ``[rules]`` one. A shift's type is the named shift with its local start time and
paid length (:meth:`planner.domain.Config.shift_type_of`).

Part of the independent checker (:mod:`planner.verify.check`); never imports OR-Tools.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date, timedelta

from planner.data.roster_io import local_window
from planner.domain import (
    AgentRules,
    Config,
    Horizon,
    Roster,
    Shift,
    ShiftCover,
    ShiftRequest,
)
from planner.verify.context import CheckContext, Violation, hm, shift_paid_minutes


def shift_type_name(shift: Shift, config: Config) -> str | None:
    """The named shift ``shift`` is (``None``: none, or no shift type configured)."""
    index = config.shift_type_of(local_window(shift).start, shift_paid_minutes(shift))
    return None if index < 0 else config.shift_types[index].name


def _limit(ctx: CheckContext, agent_id: str, key: str) -> object:
    own = ctx.agent_rules.get(agent_id)
    value = getattr(own, key) if own is not None else None
    return getattr(ctx.config.rules, key) if value is None else value


def _worked_days(ctx: CheckContext, agent_id: str) -> list[bool]:
    """Per horizon date: the agent has a shift that local date."""
    worked = [False] * ctx.horizon.days
    for shift in ctx.shifts_by_agent.get(agent_id, ()):
        if ctx.horizon.contains(shift.date):
            worked[(shift.date - ctx.horizon.start).days] = True
    return worked


def _inner_runs(flags: list[bool], state: bool) -> list[tuple[int, int]]:
    """Maximal runs ``[first, last]`` of ``state`` with the other state on both sides inside
    the list (runs touching either end are left out: the edges are free)."""
    runs = []
    i = 0
    while i < len(flags):
        if flags[i] != state:
            i += 1
            continue
        j = i
        while j + 1 < len(flags) and flags[j + 1] == state:
            j += 1
        if i > 0 and j < len(flags) - 1:
            runs.append((i, j))
        i = j + 1
    return runs


def check_shift_type_limits(ctx: CheckContext) -> list[Violation]:
    """Shifts of each named type per agent over the horizon within ``max_shifts``."""
    out = []
    for agent, shifts in ctx.known_shifts():
        own = ctx.agent_rules.get(agent.agent_id)
        caps = dict(own.max_shifts) if own is not None else {}
        counts = Counter(
            shift_type_name(s, ctx.config) for s in shifts if ctx.horizon.contains(s.date)
        )
        for name, cap in sorted(caps.items()):
            if counts.get(name, 0) > cap:
                out.append(
                    Violation(
                        "shift_type_limits",
                        agent.agent_id,
                        None,
                        f"{agent.agent_id} works {counts[name]} {name} shifts (max {cap})",
                    )
                )
    return out


def check_total_hours(ctx: CheckContext) -> list[Violation]:
    """Paid hours over the horizon between ``min_total_hours`` and ``max_total_hours``."""
    out = []
    for agent_id in sorted(ctx.agents):
        paid = sum(
            shift_paid_minutes(s)
            for s in ctx.shifts_by_agent.get(agent_id, ())
            if ctx.horizon.contains(s.date)
        )
        low = round(float(_limit(ctx, agent_id, "min_total_hours")) * 60)  # type: ignore[arg-type]
        high = _limit(ctx, agent_id, "max_total_hours")
        if paid < low:
            out.append(
                Violation(
                    "total_hours",
                    agent_id,
                    None,
                    f"{agent_id} is paid {hm(paid)} over the horizon (min {hm(low)})",
                )
            )
        if high is not None and paid > round(float(high) * 60):  # type: ignore[arg-type]
            out.append(
                Violation(
                    "total_hours",
                    agent_id,
                    None,
                    f"{agent_id} is paid {hm(paid)} over the horizon "
                    f"(max {hm(round(float(high) * 60))})",  # type: ignore[arg-type]
                )
            )
    return out


def _run_check(ctx: CheckContext, key: str, state: bool, rule: str) -> list[Violation]:
    out = []
    what = "consecutive working days" if state else "consecutive days off"
    for agent_id in sorted(ctx.agents):
        least = int(_limit(ctx, agent_id, key))  # type: ignore[call-overload]
        if least <= 1:
            continue
        for first, last in _inner_runs(_worked_days(ctx, agent_id), state):
            if last - first + 1 < least:
                start = ctx.horizon.start + timedelta(days=first)
                out.append(
                    Violation(
                        rule,
                        agent_id,
                        start,
                        f"{agent_id} has {last - first + 1} {what}, {start} to "
                        f"{ctx.horizon.start + timedelta(days=last)} (min {least})",
                    )
                )
    return out


def check_min_consecutive_days(ctx: CheckContext) -> list[Violation]:
    """Each run of working dates between two days off in the horizon is long enough."""
    return _run_check(ctx, "min_consecutive_days", True, "min_consecutive_days")


def check_min_consecutive_days_off(ctx: CheckContext) -> list[Violation]:
    """Each run of days off between two working dates in the horizon is long enough."""
    return _run_check(ctx, "min_consecutive_days_off", False, "min_consecutive_days_off")


def weekends_of(horizon: Horizon) -> list[date]:
    """The Saturdays of the weekends (Saturday + Sunday) touching the horizon, in order."""
    saturdays = {d - timedelta(days=d.weekday() - 5) for d in horizon.dates if d.weekday() >= 5}
    return sorted(saturdays)


def check_max_weekends(ctx: CheckContext) -> list[Violation]:
    """At most ``max_weekends`` worked weekends in any ``weekend_window_weeks`` in a row."""
    out = []
    saturdays = weekends_of(ctx.horizon)
    weeks = ctx.config.rules.weekend_window_weeks
    size = len(saturdays) if weeks <= 0 else min(weeks, max(1, len(saturdays)))
    for agent_id in sorted(ctx.agents):
        cap = _limit(ctx, agent_id, "max_weekends")
        if cap is None:
            continue
        dates = {
            s.date for s in ctx.shifts_by_agent.get(agent_id, ()) if ctx.horizon.contains(s.date)
        }
        worked = [sat in dates or sat + timedelta(days=1) in dates for sat in saturdays]
        for first in range(max(1, len(saturdays) - size + 1)):
            count = sum(worked[first : first + size])
            if count > int(cap):  # type: ignore[call-overload]
                window = saturdays[first : first + size]
                out.append(
                    Violation(
                        "max_weekends",
                        agent_id,
                        window[0],
                        f"{agent_id} works {count} of the {len(window)} weekends from "
                        f"{window[0]} (max {cap})",
                    )
                )
    return out


def check_forbidden_sequences(ctx: CheckContext) -> list[Violation]:
    """No shift type listed in ``forbidden_next`` of the shift worked the day before."""
    banned = {t.name: set(t.forbidden_next) for t in ctx.config.shift_types if t.forbidden_next}
    if not banned:
        return []
    out = []
    for agent, shifts in ctx.known_shifts():
        by_date: dict[date, set[str]] = defaultdict(set)
        for s in shifts:
            name = shift_type_name(s, ctx.config)
            if name is not None and ctx.horizon.contains(s.date):
                by_date[s.date].add(name)
        for day, names in sorted(by_date.items()):
            following = by_date.get(day + timedelta(days=1), set())
            for name in sorted(names):
                for bad in sorted(banned.get(name, set()) & following):
                    out.append(
                        Violation(
                            "forbidden_sequences",
                            agent.agent_id,
                            day + timedelta(days=1),
                            f"{agent.agent_id} works {bad} on {day + timedelta(days=1)} after "
                            f"{name} on {day}, which may not be followed by {bad}",
                        )
                    )
    return out


def _worked_types(roster: Roster, config: Config, horizon: Horizon) -> set[tuple[str, date, str]]:
    found = set()
    for shift in roster.shifts:
        name = shift_type_name(shift, config)
        if name is not None and horizon.contains(shift.date):
            found.add((shift.agent_id, shift.date, name))
    return found


def shift_requests_term(
    roster: Roster, requests: Iterable[ShiftRequest], config: Config, horizon: Horizon
) -> int:
    """Weights of the unmet on-requests plus weights of the broken off-requests."""
    worked = _worked_types(roster, config, horizon)
    names = set(config.shift_type_names)
    total = 0
    for r in requests:
        if r.shift_type not in names or not horizon.contains(r.date):
            continue
        works = (r.agent_id, r.date, r.shift_type) in worked
        if works == (r.kind == "off"):
            total += r.weight
    return total


def shift_cover_term(
    roster: Roster, cover: Iterable[ShiftCover], config: Config, horizon: Horizon
) -> int:
    """``sum weight_under x short + weight_over x extra`` over the cover rows."""
    counts: Counter[tuple[date, str]] = Counter()
    for shift in roster.shifts:
        name = shift_type_name(shift, config)
        if name is not None and horizon.contains(shift.date):
            counts[(shift.date, name)] += 1
    names = set(config.shift_type_names)
    rows = {(c.date, c.shift_type): c for c in cover if c.shift_type in names}
    total = 0
    for (day, name), row in rows.items():
        if not horizon.contains(day):
            continue
        n = counts.get((day, name), 0)
        total += row.weight_under * max(0, row.required - n) + row.weight_over * max(
            0, n - row.required
        )
    return total


def rules_by_agent(rows: Iterable[AgentRules]) -> dict[str, AgentRules]:
    return {r.agent_id: r for r in rows}
