"""preferences: shifts on a preferred day off or outside preferred start windows count 1."""

from __future__ import annotations

from datetime import timedelta

from planner.data.roster_io import Preference
from planner.domain import Horizon, Window
from tests.support.model import (
    WEEK,
    make_agent,
    make_config,
    relaxed_rules,
    shifts_of,
    solve_checked,
)

MONDAY = WEEK + timedelta(days=1)


def need(t, channel):  # type: ignore[no-untyped-def]
    hour = t.hour + t.minute / 60
    return int(channel == "phone" and t.date() in (WEEK, MONDAY) and 10 <= hour < 18.5)


def test_day_off_preference_moves_the_shift() -> None:
    # Sunday and Monday need the same; the agent prefers Sundays off: Monday it is, 0 unmet.
    prefs = [Preference("A1", 6, "day_off")]
    agent = make_agent(max_hours=8, skills=("phone",))
    result, _ = solve_checked(
        [agent], make_config(rules=relaxed_rules()), Horizon(WEEK, 1), need, preferences=prefs
    )
    assert result.terms["preferences"].raw == 0
    assert [s.date for s in shifts_of(result, "A1")] == [MONDAY]


def test_each_unmet_wish_counts_once() -> None:
    # Sunday off preferred, and Monday starts wanted between 06:00 and 07:00. Covering the
    # 10:00 demand breaks one wish either way (Sunday, or Monday at 10:00): raw 1.
    prefs = [
        Preference("A1", 6, "day_off"),
        Preference("A1", 0, "start_window", Window(6 * 60, 7 * 60)),
    ]
    agent = make_agent(max_hours=8, skills=("phone",))
    result, _ = solve_checked(
        [agent], make_config(rules=relaxed_rules()), Horizon(WEEK, 1), need, preferences=prefs
    )
    assert result.terms["preferences"].raw == 1
