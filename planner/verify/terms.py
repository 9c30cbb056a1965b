"""The objective's other terms (fairness, preferences, overtime) and the weighted sum.

Part of the independent checker (:mod:`planner.verify.check`); never imports OR-Tools.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

from planner.data.holiday_calendar import HolidayCalendar
from planner.data.roster_io import (
    FAIRNESS_KINDS,
    Preference,
    shift_flags,
)
from planner.domain import (
    Agent,
    AvailabilityWindow,
    Config,
    Horizon,
    Roster,
    Window,
)
from planner.verify.context import CONTRACT_GROUPS, agents_by_id, shift_paid_minutes

TERM_NAMES = (
    "under_staffing",
    "over_staffing",
    "fairness",
    "preferences",
    "stability",
    "overtime",
    "shift_requests",
    "shift_cover",
)
"""The objective's terms in OBJECTIVE.md's order (``terms`` adds ``under_staffing.<channel>``)."""


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
    by_id = agents_by_id(agents)
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
    by_id = agents_by_id(agents)
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


def overtime_term(roster: Roster, config: Config, horizon: Horizon) -> int:
    """Paid minutes over the weekly overtime threshold, summed over agents and weeks."""
    threshold = round(config.rules.overtime_threshold_hours * 60)
    weeks: dict[tuple[str, int], int] = defaultdict(int)
    for shift in roster.shifts:
        week = horizon.week_of(shift.date)
        if 0 <= week < horizon.weeks:
            weeks[(shift.agent_id, week)] += shift_paid_minutes(shift)
    return sum(max(0, paid - threshold) for paid in weeks.values())


def weighted_objective(terms: Mapping[str, int], config: Config) -> int:
    """``sum(weight x raw)`` over the six terms, with ``config.weights``."""
    return sum(int(getattr(config.weights, name)) * int(terms.get(name, 0)) for name in TERM_NAMES)
