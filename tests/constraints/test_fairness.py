"""fairness: spread of FTE-scaled weekend/evening/holiday counts, with carry-over."""

from __future__ import annotations

from datetime import timedelta

from planner.domain import Horizon
from tests.support.model import (
    WEEK,
    make_agent,
    make_config,
    relaxed_rules,
    shifts_of,
    solve_checked,
)

SATURDAY = WEEK + timedelta(days=6)
WEDNESDAY = WEEK + timedelta(days=3)


def need(t, channel):  # type: ignore[no-untyped-def]
    """Phone needs 1 from 10:00 to 18:30 on Wednesday and on Saturday."""
    hour = t.hour + t.minute / 60
    return int(channel == "phone" and t.date() in (WEDNESDAY, SATURDAY) and 10 <= hour < 18.5)


def agents() -> list:  # type: ignore[type-arg]
    """Two full-timers of exactly one 8 h shift a week (so a shift counts round(4000/8) = 500
    per FTE)."""
    return [make_agent(a, min_hours=8, max_hours=8, skills=("phone",)) for a in ("A1", "A2")]


def test_one_weekend_shift_between_two_agents_is_a_spread_of_one_shift() -> None:
    # One works Saturday, the other Wednesday: weekend counts 1 and 0, scaled by 500:
    # spread 500. No evening (both end 18:30) and no holiday.
    result, _ = solve_checked(agents(), make_config(rules=relaxed_rules()), Horizon(WEEK, 1), need)
    assert result.terms["fairness"].raw == 500


def test_carried_over_weekend_evens_it_out() -> None:
    # A2 had a weekend shift last period: A1 takes this Saturday and both count 1.
    history = {"A2": {"weekend": 1, "evening": 0, "holiday": 0}}
    result, _ = solve_checked(
        agents(),
        make_config(rules=relaxed_rules()),
        Horizon(WEEK, 1),
        need,
        fairness_history=history,
    )
    assert result.terms["fairness"].raw == 0
    assert [s.date for s in shifts_of(result, "A1")] == [SATURDAY]


def test_part_timers_form_their_own_group() -> None:
    # A part-timer alone in their group adds no spread, whatever they work: still 500.
    team = [*agents(), make_agent("P1", contract="part_time", max_hours=8, skills=("email",))]
    result, _ = solve_checked(team, make_config(rules=relaxed_rules()), Horizon(WEEK, 1), need)
    assert result.terms["fairness"].raw == 500
