"""The objective's other terms (preferences, overtime; fairness lives in
:mod:`planner.verify.fairness`) and the weighted sum.

Part of the independent checker (:mod:`planner.verify.check`); never imports OR-Tools.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

from planner.data.roster_io import Preference
from planner.domain import Config, Horizon, Roster, Shift, Window
from planner.verify.fairness import eligible, fairness_term
from planner.verify.workweek import added_overtime, workweek_hours

__all__ = [
    "TERM_NAMES",
    "eligible",
    "fairness_term",
    "overtime_term",
    "preferences_term",
    "weighted_objective",
]

TERM_NAMES = (
    "under_staffing",
    "over_staffing",
    "deferred_overdue",
    "fairness",
    "preferences",
    "stability",
    "overtime",
    "min_staff",
    "min_leads",
    "shift_requests",
    "shift_cover",
)
"""The objective's terms in OBJECTIVE.md's order (``terms`` adds ``under_staffing.<channel>``
``min_staff.<channel>`` and ``deferred_overdue_minutes.<channel>``)."""


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


def overtime_term(
    roster: Roster, config: Config, horizon: Horizon, previous: Sequence[Shift] = ()
) -> int:
    """Paid minutes the roster adds over the overtime threshold, summed over agents and FLSA
    workweeks (docs/OBJECTIVE.md "overtime", "Workweeks"). Twin of ``constraints/overtime.py``."""
    threshold = round(config.rules.overtime_threshold_hours * 60)
    return sum(
        added_overtime(hours, threshold)
        for hours in workweek_hours(roster, config, horizon, previous)
    )


def weighted_objective(terms: Mapping[str, int], config: Config) -> int:
    """``sum(weight x raw)`` over the terms of :data:`TERM_NAMES`, with ``config.weights``."""
    return sum(int(getattr(config.weights, name)) * int(terms.get(name, 0)) for name in TERM_NAMES)
