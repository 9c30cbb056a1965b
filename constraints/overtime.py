"""Overtime: paid minutes over the overtime threshold, per agent and week.

In a manager's words: "every hour past 40 in a week is paid time and a half, so use it only
where it buys coverage."

Raw value: ``sum_{agent, week} max(0, paid_minutes - 60 x rules.overtime_threshold_hours)``.
Whether overtime is allowed at all, and how much, is :mod:`constraints.weekly_hours`.
Model: ``ot >= paid_minutes - threshold``, ``ot >= 0`` per agent and week that can exceed
the threshold (tight at the optimum; :func:`value` is exact).

Config keys: ``weights.overtime``, ``rules.overtime_threshold_hours``.
Unit: paid minute.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from planner.roster.variables import Term

if TYPE_CHECKING:
    from planner.roster.problem import RosterProblem
    from planner.roster.variables import Expr, Solution, Variables

NAME = "overtime"


def threshold(problem: RosterProblem) -> int:
    return round(problem.config.rules.overtime_threshold_hours * 60)


def weekly_paid(problem: RosterProblem, chosen: np.ndarray) -> np.ndarray:
    """(agents x weeks) paid minutes of a roster."""
    cands = problem.cands
    result = np.zeros((problem.n_agents, problem.n_weeks), dtype=np.int64)
    ids = np.flatnonzero(chosen)
    np.add.at(result, (cands.agent[ids], cands.week[ids]), cands.paid[ids])
    return result


def penalty(v: Variables) -> Term:
    """Fixed overtime as a constant + one ``ot`` variable per free agent-week that can need it."""
    problem = v.problem
    limit = threshold(problem)
    paid = weekly_paid(problem, v.incumbent.chosen)
    free_weeks = set(v.weeks())
    constant = 0
    total: Expr = 0
    for a in range(problem.n_agents):
        for w in range(problem.n_weeks):
            if v.is_free_agent(a) and w in free_weeks:
                high = int(problem.max_minutes[a, w])
                if high <= limit:
                    continue
                ot = v.model.new_int_var(0, high - limit, f"overtime[{a},{w}]")
                v.hint(ot, min(high - limit, max(0, int(paid[a, w]) - limit)))
                v.model.add(ot >= v.paid_minutes(a, w) - limit)
                total += ot
            else:
                constant += max(0, int(paid[a, w]) - limit)
    return Term(NAME, total + constant, problem.config.weights.overtime)


def value(s: Solution) -> int:
    """Exact raw value on a concrete roster."""
    paid = weekly_paid(s.problem, s.chosen)
    return int(np.maximum(0, paid - threshold(s.problem)).sum())
