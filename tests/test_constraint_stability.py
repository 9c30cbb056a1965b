"""stability: published shifts changed inside the freeze window, each counting 1."""

from __future__ import annotations

from datetime import timedelta

from planner.domain import Horizon
from tests.test_model_support import (
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
    # Published: Monday 09:00. Demand moved to Tuesday 09:00-17:30. Keeping Monday leaves
    # 510 phone minutes short (510 x 3 x 20 = 30,600); moving costs 2 changes (the dropped
    # and the added shift) x 5,000 = 10,000. So it moves, and stability is 2.
    agent = make_agent(max_hours=8, skills=("phone",))
    published = make_shift(agent, MONDAY, "09:00", 8)
    need = window_need(TUESDAY, 9, 17.5, {"phone": 1})
    result, _ = solve_checked(
        [agent], make_config(rules=relaxed_rules()), Horizon(WEEK, 1), need, previous=[published]
    )
    assert result.terms["stability"].raw == 2
    assert [s.date for s in shifts_of(result, "A1")] == [TUESDAY]


def test_keeping_the_published_shift_costs_nothing() -> None:
    agent = make_agent(max_hours=8, skills=("phone",))
    published = make_shift(agent, MONDAY, "09:00", 8)
    need = window_need(MONDAY, 9, 17.5, {"phone": 1})
    result, _ = solve_checked(
        [agent], make_config(rules=relaxed_rules()), Horizon(WEEK, 1), need, previous=[published]
    )
    assert result.terms["stability"].raw == 0
    assert [s.start_utc for s in shifts_of(result, "A1")] == [published.start_utc]
