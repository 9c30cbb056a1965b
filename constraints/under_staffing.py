"""Under-staffing: staff-minutes a live or concurrent channel needs in an interval and does not
get, weighted by the channel's priority.

In a manager's words: "a missing phone agent at 9 p.m. hurts more than a missing SMS agent"
(sample priorities phone 3, sms 2). A shortage is a cost in the report, never an infeasible
roster. Deferred channels (email) have no per-interval shortage in the objective: their work
waits in a queue, priced by :mod:`constraints.deferred_overdue`; coverage of their
``staff_needed`` is still reported (CONTRACT.md).

Raw value: ``sum_{t, c live} priority_c x (need[t, c] - covered[t, c])`` with
``need = staff_needed x interval_minutes`` and ``covered`` the allocation of present agents
to the live channels among their skills that a maximum flow gives (docs/OBJECTIVE.md). With
channel priorities the allocation that fills the highest-priority channels first is a maximum
flow (the feasible allocations form a polymatroid, on which the greedy order is optimal), so
the weighted shortage below is the smallest any maximum allocation gives.

Config keys: ``weights.under_staffing``, ``[channels.X] priority``.
Unit: staff-minute x channel priority.
Checker twin: :func:`planner.verify.coverage.coverage_terms`; tests:
``tests/constraints/test_under_staffing.py``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

from planner.roster.coverage import coverage_value, fixed_allocation, marginal_costs
from planner.roster.variables import Term

if TYPE_CHECKING:
    from planner.roster.variables import Solution, Variables

NAME = "under_staffing"


def penalty(v: Variables) -> Term:
    """Constant shortage outside the decided intervals + ``priority x (need - covered)``."""
    weight = v.problem.config.weights.under_staffing
    if v.marginal:
        d_under, _, base, _ = marginal_costs(v)
        return Term(NAME, v.sum_x(v.free_ids, d_under) + base, weight)
    grid = v.problem.grid
    cov = v.coverage()
    fixed = fixed_allocation(v)
    short = (grid.live_need - fixed) * grid.priority[None, :]
    constant = int(short[~cov.in_scope].sum())
    variables, weights = [], []
    for (t, c), var in cov.covered_vars.items():
        constant += int(grid.priority[c] * grid.live_need[t, c])
        variables.append(var)
        weights.append(-int(grid.priority[c]))
    expr = (
        cp_model.LinearExpr.weighted_sum(variables, weights) + constant if variables else constant
    )
    return Term(NAME, expr, weight)


def value(s: Solution) -> int:
    """Exact raw value on a concrete roster."""
    grid = s.problem.grid
    covered = coverage_value(s.problem, s.group_presence).covered
    return int(((grid.live_need - covered) * grid.priority[None, :]).sum())
