"""overtime: paid minutes over the weekly threshold, exact by hand."""

from __future__ import annotations

from planner.domain import Horizon
from tests.support.model import WEEK, make_agent, make_config, relaxed_rules, solve_checked


def test_forty_eight_hours_is_eight_hours_of_overtime() -> None:
    # Must work 48 h (six 8 h shifts); threshold 40 h, 8 h overtime allowed: 480 minutes.
    rules = relaxed_rules(overtime_allowed=True, max_overtime_hours_per_week=8)
    agent = make_agent(min_hours=48, max_hours=48)
    result, _ = solve_checked([agent], make_config(rules=rules), Horizon(WEEK, 1))
    assert result.terms["overtime"].raw == 480
    assert result.roster is not None
    assert len(result.roster.shifts) == 6
