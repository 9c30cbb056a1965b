"""shift_type_limits: at most ``max_shifts`` of a named shift per agent over the horizon."""

from __future__ import annotations

from datetime import timedelta

import pytest

from planner.domain import AgentRules, Horizon
from tests.support.model import (
    WEEK,
    feasible,
    make_agent,
    make_problem,
    named,
    named_config,
    named_shift,
    violated,
)

RULES = [AgentRules("A1", max_shifts=(("L", 2), ("E", 0)))]


def test_two_lates_allowed_a_third_is_not() -> None:
    problem = make_problem([make_agent()], named_config(), Horizon(WEEK, 1), agent_rules=RULES)
    lates = [named(problem, d, "L") for d in (0, 2, 4)]
    assert feasible(problem, lates[:2])
    assert not feasible(problem, lates)


def test_a_cap_of_zero_offers_no_such_shift() -> None:
    problem = make_problem([make_agent()], named_config(), Horizon(WEEK, 1), agent_rules=RULES)
    with pytest.raises(LookupError):
        named(problem, 0, "E")


def test_checker_counts_the_shifts_of_each_type() -> None:
    agent = make_agent()
    horizon = Horizon(WEEK, 1)
    lates = [named_shift(agent, WEEK + timedelta(days=d), "L") for d in (0, 2, 4)]
    config = named_config()
    assert "shift_type_limits" not in violated(
        [agent], config, horizon, lates[:2], agent_rules=RULES
    )
    assert "shift_type_limits" in violated([agent], config, horizon, lates, agent_rules=RULES)
    early = [named_shift(agent, WEEK, "E")]
    assert "shift_type_limits" in violated([agent], config, horizon, early, agent_rules=RULES)
