"""The objective's other terms (preferences, overtime; fairness lives in
:mod:`planner.verify.fairness`) and the weighted sum.

Part of the independent checker (:mod:`planner.verify.check`); never imports OR-Tools.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from planner.data.roster_io import Preference
from planner.domain import Config, Horizon, Roster, Window
from planner.verify.context import shift_paid_minutes
from planner.verify.fairness import fairness_term

__all__ = [
    "TERM_NAMES",
    "fairness_term",
    "overtime_term",
    "preferences_term",
    "weighted_objective",
]

TERM_NAMES = (
    "under_staffing",
    "over_staffing",
    "fairness",
    "preferences",
    "stability",
    "overtime",
)
"""The objective's terms in OBJECTIVE.md's order (``terms`` adds ``under_staffing.<channel>``)."""


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
