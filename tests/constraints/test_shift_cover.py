"""shift_cover: agents on a named shift per date against the number asked; each short costs
weight_under, each extra weight_over."""

from __future__ import annotations

from datetime import timedelta

from planner.domain import AgentRules, Horizon, ShiftCover, TimeOff
from tests.support.model import WEEK, make_agent, named_config, shifts_of, solve_checked

MONDAY = WEEK + timedelta(days=1)
OFF_REST = [TimeOff("A1", WEEK + timedelta(days=d)) for d in range(2, 7)]
COVER = [ShiftCover(WEEK, "E", 2, 100, 1), ShiftCover(MONDAY, "L", 0, 100, 5)]


def test_one_agent_for_two_needed_costs_100() -> None:
    # E on Sunday needs 2, Ana is alone: 1 short x 100. L on Monday wants nobody: she
    # does not work it. Raw 100.
    result, _ = solve_checked(
        [make_agent()], named_config(), Horizon(WEEK, 1), shift_cover=COVER, time_off=OFF_REST
    )
    assert result.terms["shift_cover"].raw == 100
    assert [(s.date, s.start_local.hour) for s in shifts_of(result, "A1")] == [(WEEK, 6)]


def test_an_extra_agent_costs_weight_over() -> None:
    # Ana must work Sunday and Monday (16 h) but only one E: Sunday E (1 short: 100) and
    # Monday L (1 over: 5), or Sunday L (2 short: 200) and Monday ... Raw 105.
    rules = [AgentRules("A1", min_total_hours=16, max_shifts=(("E", 1),))]
    result, _ = solve_checked(
        [make_agent()],
        named_config(),
        Horizon(WEEK, 1),
        shift_cover=COVER,
        agent_rules=rules,
        time_off=OFF_REST,
    )
    assert result.terms["shift_cover"].raw == 100 + 5
    assert [s.start_local.hour for s in shifts_of(result, "A1")] == [6, 14]


def test_two_agents_fill_it() -> None:
    agents = [make_agent("A1"), make_agent("A2")]
    result, _ = solve_checked(agents, named_config(), Horizon(WEEK, 1), shift_cover=COVER)
    assert result.terms["shift_cover"].raw == 0
