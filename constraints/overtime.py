"""Overtime: paid minutes over the overtime threshold, per agent and FLSA workweek.

In a manager's words: "every hour past 40 in a workweek is paid time and a half, so use it
only where it buys coverage. A Saturday 18:00-02:00 shift puts its last two hours in the next
workweek: if that one already holds 40 hours, they are overtime."

Hours belong to the workweek in which they are worked (29 CFR 778.104; docs/OBJECTIVE.md
"Workweeks"): the workweek starts each week at ``rules.workweek_start_time`` on
``rules.workweek_start_day`` in business time, and a shift over it splits its paid minutes.
Raw value: ``sum_{agent, workweek} max(0, previous + roster - threshold) - max(0, previous -
threshold)`` with ``roster`` the paid minutes of this roster's shifts in the workweek,
``previous`` those of the ``--previous`` shifts dated before the horizon (0 without it) and
``threshold = 60 x rules.overtime_threshold_hours``: the overtime this roster adds. Whether
overtime is allowed at all, and how much, is :mod:`constraints.weekly_hours`.
Model: ``ot >= roster - max(0, threshold - previous)``, ``ot >= 0`` per agent and workweek
that can exceed it (tight at the optimum; :func:`value` is exact).

Config keys: ``weights.overtime``, ``rules.overtime_threshold_hours``,
``rules.workweek_start_day``, ``rules.workweek_start_time``.
Unit: paid minute.
Checker twin: :func:`planner.verify.terms.overtime_term`.
Tests: ``tests/constraints/test_overtime.py``, ``tests/constraints/test_workweek.py``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from constraints.weekly_hours import overtime_cap
from planner.roster.variables import Term

if TYPE_CHECKING:
    from planner.roster.problem import RosterProblem
    from planner.roster.variables import Expr, Solution, Variables

NAME = "overtime"


def threshold(problem: RosterProblem) -> int:
    return round(problem.config.rules.overtime_threshold_hours * 60)


def allowance(problem: RosterProblem) -> np.ndarray:
    """(agents x workweeks) paid minutes the roster may add before they are overtime."""
    return np.maximum(0, threshold(problem) - problem.workweeks.carried)


def workweek_paid(problem: RosterProblem, chosen: np.ndarray) -> np.ndarray:
    """(agents x workweeks) paid minutes of a roster's shifts."""
    cands, weeks = problem.cands, problem.workweeks
    result = np.zeros((problem.n_agents, weeks.count), dtype=np.int64)
    ids = np.flatnonzero(chosen)
    if not weeks.count:
        return result
    np.add.at(result, (cands.agent[ids], weeks.index[ids]), weeks.first[ids])
    rest = cands.paid[ids] - weeks.first[ids]
    tail = rest > 0
    np.add.at(result, (cands.agent[ids][tail], weeks.index[ids][tail] + 1), rest[tail])
    return result


def penalty(v: Variables) -> Term:
    """Fixed overtime as a constant + one ``ot`` variable per free agent-workweek that can
    need it."""
    problem = v.problem
    room = allowance(problem)
    cap = overtime_cap(problem.config)
    paid = workweek_paid(problem, v.incumbent.chosen)
    over = np.maximum(0, paid - room)
    constant = 0
    total: Expr = 0
    decided: set[tuple[int, int]] = set()
    for a in v.agents:
        for w in v.free_workweeks(a):
            decided.add((a, w))
            # weekly_hours keeps the roster's minutes in the workweek under the cap.
            most = max(0, cap - int(problem.workweeks.carried[a, w])) - int(room[a, w])
            if most <= 0:
                continue
            ot = v.model.new_int_var(0, most, f"overtime[{a},{w}]")
            v.hint(ot, int(over[a, w]))
            v.model.add(ot >= v.workweek_paid(a, w) - int(room[a, w]))
            total += ot
    for a, w in zip(*np.nonzero(over), strict=True):
        if (int(a), int(w)) not in decided:
            constant += int(over[a, w])
    return Term(NAME, total + constant, problem.config.weights.overtime)


def value(s: Solution) -> int:
    """Exact raw value on a concrete roster."""
    paid = workweek_paid(s.problem, s.chosen)
    return int(np.maximum(0, paid - allowance(s.problem)).sum())
