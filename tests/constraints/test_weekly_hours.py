"""weekly_hours: paid hours per week within [min - time-off lowering, max], overtime rules."""

from __future__ import annotations

from datetime import timedelta

from planner.domain import Horizon, TimeOff
from tests.support.model import (
    WEEK,
    feasible,
    find,
    make_agent,
    make_config,
    make_problem,
    relaxed_rules,
)


def test_minimum_and_maximum_hours() -> None:
    agent = make_agent(min_hours=16, max_hours=16)
    problem = make_problem([agent], make_config(rules=relaxed_rules()), Horizon(WEEK, 1))
    days = [find(problem, 0, d, "09:00", 8) for d in range(3)]
    assert not feasible(problem, [], idle=list(range(len(problem.cands))))  # 0 < 16 h
    assert feasible(problem, days[:2])  # exactly 16 h
    assert not feasible(problem, days)  # 24 h > 16 h


def test_time_off_lowers_the_minimum_by_the_longest_shift() -> None:
    # min 24 h, longest shift 10 h, one day off: the week needs 14 h.
    agent = make_agent(min_hours=24, max_hours=40, shift_hours=(4, 10))
    off = [TimeOff("A1", WEEK + timedelta(days=6))]
    problem = make_problem(
        [agent], make_config(rules=relaxed_rules()), Horizon(WEEK, 1), time_off_rows=off
    )
    assert problem.min_minutes[0, 0] == 14 * 60
    ten, four = find(problem, 0, 0, "09:00", 10), find(problem, 0, 1, "09:00", 4)
    others = [j for j in range(len(problem.cands)) if j not in (ten, four)]
    assert feasible(problem, [ten, four], idle=others)  # 14 h: enough
    assert not feasible(problem, [ten], idle=[j for j in others if j != four] + [four])


def test_overtime_only_when_allowed_and_capped() -> None:
    agent = make_agent(max_hours=60, shift_hours=(4, 8))
    no_ot = make_problem([agent], make_config(rules=relaxed_rules()), Horizon(WEEK, 1))
    eights = [find(no_ot, 0, d, "09:00", 8) for d in range(5)]
    assert feasible(no_ot, eights)  # 40 h: at the threshold
    assert not feasible(no_ot, [*eights, find(no_ot, 0, 5, "09:00", 4)])  # 44 h
    rules = relaxed_rules(overtime_allowed=True, max_overtime_hours_per_week=4)
    capped = make_problem([agent], make_config(rules=rules), Horizon(WEEK, 1))
    eights = [find(capped, 0, d, "09:00", 8) for d in range(5)]
    assert feasible(capped, [*eights, find(capped, 0, 5, "09:00", 4)])  # 44 h: 4 h overtime
    assert not feasible(capped, [*eights, find(capped, 0, 5, "09:00", 8)])  # 48 h
