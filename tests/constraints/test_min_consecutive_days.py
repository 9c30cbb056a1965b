"""min_consecutive_days: a run of working dates between two days off is long enough; runs
touching the horizon's edges are free."""

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


def works(problem, days, off):  # type: ignore[no-untyped-def]
    """Force these days worked (E) and those days off."""
    idle = [j for d in off for j in problem.candidates_of(0, d)]
    return feasible(problem, [named(problem, d, "E") for d in days], idle)


def test_runs_of_two_or_more() -> None:
    problem = make_problem([make_agent()], named_config(min_consecutive_days=2), Horizon(WEEK, 1))
    assert works(problem, [2, 3], [1, 4])
    assert not works(problem, [2], [1, 3])
    assert works(problem, [0], [1])  # a run touching the first date may go on before it
    assert works(problem, [6], [5])  # ... or after the last


def test_an_agent_row_overrides_the_config() -> None:
    rules = [AgentRules("A1", min_consecutive_days=3)]
    problem = make_problem([make_agent()], named_config(), Horizon(WEEK, 1), agent_rules=rules)
    assert not works(problem, [2, 3], [1, 4])
    assert works(problem, [2, 3, 4], [1, 5])


def test_checker_reads_inner_runs_only() -> None:
    agent = make_agent()
    config = named_config(min_consecutive_days=2)
    horizon = Horizon(WEEK, 1)

    def shifts(days):  # type: ignore[no-untyped-def]
        return [named_shift(agent, WEEK + timedelta(days=d), "E") for d in days]

    assert "min_consecutive_days" in violated([agent], config, horizon, shifts([2]))
    assert "min_consecutive_days" not in violated([agent], config, horizon, shifts([2, 3]))
    assert "min_consecutive_days" not in violated([agent], config, horizon, shifts([0, 6]))
