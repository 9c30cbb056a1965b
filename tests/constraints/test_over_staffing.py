"""over_staffing: present minutes no channel needs, exact by hand."""

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


def test_idle_minutes_of_a_forced_shift() -> None:
    # The agent must work one 8 h shift (min = max = 8 h); phone needs 1 from 10:00 to
    # 12:00 on Sunday only. Present 510 - 60 (breaks) = 450 minutes; 120 of them are needed
    # (breaks are placed outside the demand). Idle: 450 - 120 = 330.
    agents = [make_agent(min_hours=8, max_hours=8, skills=("phone",))]
    need = window_need(WEEK, 10, 12, {"phone": 1})
    result, _ = solve_checked(agents, make_config(rules=relaxed_rules()), Horizon(WEEK, 1), need)
    assert result.terms["under_staffing"].raw == 0
    assert result.terms["over_staffing"].raw == 330
