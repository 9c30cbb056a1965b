"""shift_requests: an unmet on-request or a broken off-request costs its weight."""

from __future__ import annotations

from datetime import timedelta

from planner.domain import AgentRules, Horizon, ShiftRequest, TimeOff
from tests.support.model import WEEK, make_agent, named_config, shifts_of, solve_checked

MONDAY = WEEK + timedelta(days=1)
OFF_REST = [TimeOff("A1", WEEK + timedelta(days=d)) for d in range(2, 7)]


def test_one_shift_a_day_meets_the_heavier_request() -> None:
    # Sunday: E asked with weight 2, L with weight 5; one shift a day: L, 2 unmet.
    requests = [ShiftRequest("A1", WEEK, "E", "on", 2), ShiftRequest("A1", WEEK, "L", "on", 5)]
    result, _ = solve_checked(
        [make_agent()], named_config(), Horizon(WEEK, 1), shift_requests=requests, time_off=OFF_REST
    )
    assert result.terms["shift_requests"].raw == 2
    assert result.terms["shift_requests"].cost == 2 * 100
    assert [s.start_local.hour for s in shifts_of(result, "A1")] == [14]


def test_an_off_request_is_broken_only_by_that_shift() -> None:
    # Ana must work Sunday and Monday (16 h, other days off) and asked not to work L on
    # Monday (weight 3) nor E on Sunday (weight 1): E Monday and L Sunday are not allowed
    # (no E after L), so one request gives: L Sunday + L Monday breaks 3, E + E breaks 1.
    rules = [AgentRules("A1", min_total_hours=16)]
    requests = [
        ShiftRequest("A1", MONDAY, "L", "off", 3),
        ShiftRequest("A1", WEEK, "E", "off", 1),
    ]
    result, _ = solve_checked(
        [make_agent()],
        named_config(),
        Horizon(WEEK, 1),
        shift_requests=requests,
        agent_rules=rules,
        time_off=OFF_REST,
    )
    assert result.terms["shift_requests"].raw == 1
    assert [s.start_local.hour for s in shifts_of(result, "A1")] == [6, 6]
