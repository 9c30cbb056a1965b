"""under_staffing: staff-minutes short x channel priority, exact by hand."""

from __future__ import annotations

from planner.domain import Horizon
from tests.support.model import (
    WEEK,
    make_agent,
    make_config,
    relaxed_rules,
    solve_checked,
    window_need,
)


def test_one_agent_for_two_needed() -> None:
    # Phone needs 2 from 10:00 to 18:30 on Sunday: 2 x 510 = 1020 staff-minutes. One phone
    # agent works 10:00-18:30 and is away 60 min (30 min meal, two 15 min rests): 450
    # minutes covered. Short: (1020 - 450) x priority 3 = 1710. Nothing idle.
    agents = [make_agent(max_hours=8, skills=("phone",))]
    need = window_need(WEEK, 10, 18.5, {"phone": 2})
    result, _ = solve_checked(agents, make_config(rules=relaxed_rules()), Horizon(WEEK, 1), need)
    assert result.terms["under_staffing"].raw == 1710
    assert result.terms["over_staffing"].raw == 0
    assert result.under_staffed_hours["phone"] == (1020 - 450) / 60
    assert result.status == "optimal"


def test_priority_decides_who_is_short() -> None:
    # One agent with phone and email, both channels need 1 all day Sunday 10:00-18:30: the
    # agent answers phone (priority 3), email (priority 1) stays short.
    # Short: phone 510 - 450 = 60 min x 3 + email 510 x 1 = 690.
    agents = [make_agent(max_hours=8, skills=("phone", "email"))]
    need = window_need(WEEK, 10, 18.5, {"phone": 1, "email": 1})
    result, _ = solve_checked(agents, make_config(rules=relaxed_rules()), Horizon(WEEK, 1), need)
    assert result.terms["under_staffing"].raw == 60 * 3 + 510
