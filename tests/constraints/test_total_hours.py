"""total_hours: paid hours over the whole horizon between the agent's limits."""

from __future__ import annotations

from datetime import timedelta

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


def test_between_16_and_24_hours_over_two_weeks() -> None:
    # Config says 16-40 h; Ana's own row lowers the maximum to 24 h (three 8 h shifts).
    config = named_config(min_total_hours=16, max_total_hours=40)
    rules = [AgentRules("A1", max_total_hours=24)]
    problem = make_problem([make_agent()], config, Horizon(WEEK, 2), agent_rules=rules)
    early = [named(problem, d, "E") for d in (0, 3, 8, 10)]
    only_sunday = [j for j in range(len(problem.cands)) if j != early[0]]
    assert not feasible(problem, early[:1], only_sunday)  # 8 h < 16 h
    assert feasible(problem, early[:2])
    assert feasible(problem, early[:3])
    assert not feasible(problem, early)


def test_checker_sums_the_horizon() -> None:
    agent = make_agent()
    config = named_config(min_total_hours=16, max_total_hours=24)
    horizon = Horizon(WEEK, 2)
    shifts = [named_shift(agent, WEEK + timedelta(days=d), "E") for d in (0, 3, 8, 10)]
    assert "total_hours" in violated([agent], config, horizon, shifts[:1])
    assert "total_hours" not in violated([agent], config, horizon, shifts[:3])
    assert "total_hours" in violated([agent], config, horizon, shifts)
