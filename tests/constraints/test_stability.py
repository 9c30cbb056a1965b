"""stability: published shifts changed inside the freeze window, each counting 1."""

from __future__ import annotations

from datetime import datetime, timedelta

from planner.domain import Horizon
from tests.support.model import (
    WEEK,
    make_agent,
    make_config,
    make_shift,
    relaxed_rules,
    shifts_of,
    solve_checked,
    window_need,
)

MONDAY = WEEK + timedelta(days=1)
TUESDAY = WEEK + timedelta(days=2)


def test_moving_a_published_shift_costs_two() -> None:
    # Published: Monday 09:00 and (another agent) Tuesday 09:00, so the published period is
    # Sunday to Tuesday. Demand moved to Tuesday 09:00-17:30. Keeping Monday leaves 510 phone
    # minutes short (510 x 3 x 20 = 30,600); moving costs 2 changes (the dropped and the
    # added shift) x 5,000 = 10,000. So it moves, and stability is 2.
    agent = make_agent(max_hours=8, skills=("phone",))
    other = make_agent("A2", max_hours=8, skills=("email",))
    published = [make_shift(agent, MONDAY, "09:00", 8), make_shift(other, TUESDAY, "09:00", 8)]
    need = window_need(TUESDAY, 9, 17.5, {"phone": 1, "email": 1})
    result, _ = solve_checked(
        [agent, other],
        make_config(rules=relaxed_rules()),
        Horizon(WEEK, 1),
        need,
        previous=published,
    )
    assert result.terms["stability"].raw == 2
    assert [s.date for s in shifts_of(result, "A1")] == [TUESDAY]


def test_a_previous_roster_ending_before_the_horizon_publishes_nothing() -> None:
    # --previous holds only last Saturday (rest and consecutive-day continuity): the freeze
    # window is empty, so the new Monday shift costs nothing (it used to cost 1 x 5,000).
    agent = make_agent(max_hours=8, skills=("phone",))
    last_period = make_shift(agent, WEEK - timedelta(days=1), "09:00", 8)
    need = window_need(MONDAY, 9, 17.5, {"phone": 1})
    result, _ = solve_checked(
        [agent], make_config(rules=relaxed_rules()), Horizon(WEEK, 1), need, previous=[last_period]
    )
    assert [s.date for s in shifts_of(result, "A1")] == [MONDAY]
    assert result.terms["stability"].raw == 0


def test_only_changes_inside_the_published_week_count() -> None:
    # Published: Saturday of week 1 only, so the freeze window (14 days configured) is week 1.
    # Demand on Friday of week 1 and Tuesday of week 2, one 8-h shift a week allowed. Moving
    # Saturday to Friday costs 2 (dropped + added); the week-2 shift is outside the window.
    agent = make_agent(max_hours=8, skills=("phone",))
    friday, saturday = WEEK + timedelta(days=5), WEEK + timedelta(days=6)
    week2_tuesday = TUESDAY + timedelta(days=7)
    published = make_shift(agent, saturday, "09:00", 8)
    week1 = window_need(friday, 9, 17.5, {"phone": 1})
    week2 = window_need(week2_tuesday, 9, 17.5, {"phone": 1})

    def need(local: datetime, channel: str) -> int:
        return week1(local, channel) + week2(local, channel)

    result, _ = solve_checked(
        [agent], make_config(rules=relaxed_rules()), Horizon(WEEK, 2), need, previous=[published]
    )
    assert [s.date for s in shifts_of(result, "A1")] == [friday, week2_tuesday]
    assert result.terms["stability"].raw == 2


def test_keeping_the_published_shift_costs_nothing() -> None:
    agent = make_agent(max_hours=8, skills=("phone",))
    published = make_shift(agent, MONDAY, "09:00", 8)
    need = window_need(MONDAY, 9, 17.5, {"phone": 1})
    result, _ = solve_checked(
        [agent], make_config(rules=relaxed_rules()), Horizon(WEEK, 1), need, previous=[published]
    )
    assert result.terms["stability"].raw == 0
    assert [s.start_utc for s in shifts_of(result, "A1")] == [published.start_utc]
