"""Over-staffing: paid presence no channel uses (idle time).

In a manager's words: "don't pay people to wait for contacts that are not coming."

Raw value: ``sum_t (sum_a present_{a,t} - sum_{c live} covered[t, c] - sum_{e deferred}
served[t, e])`` over the requirement grid: minutes agents are on shift and not on a break,
minus the minutes allocated to a live channel's need, minus the minutes a deferred channel's
queue answers (docs/OBJECTIVE.md). A deferred channel's leftover its queue cannot use
(nothing waiting) is idle; presence outside every coverage window is idle unless it answers
queued work.

Config keys: ``weights.over_staffing``.
Unit: staff-minute.
Checker twin: :func:`planner.verify.coverage.coverage_terms`; tests:
``tests/constraints/test_over_staffing.py``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

from planner.roster.coverage import (
    coverage_value,
    deferred_queue,
    fixed_allocation,
    marginal_backlog,
    marginal_costs,
)
from planner.roster.variables import Term

if TYPE_CHECKING:
    from planner.roster.variables import Expr, Solution, Variables

NAME = "over_staffing"


def _served(v: Variables) -> Expr:
    """Minutes the deferred channels' queues answer over the grid."""
    total: Expr = 0
    for column in range(len(v.problem.grid.deferred.channels)):
        total += deferred_queue(v, column).end
    return total


def penalty(v: Variables) -> Term:
    """Fixed idle time outside the decided intervals + presence - covered inside them, less
    what the deferred queues serve."""
    weight = v.problem.config.weights.over_staffing
    if v.marginal:
        _, d_over, _, base = marginal_costs(v)
        _, d_served, _, served = marginal_backlog(v)
        return Term(NAME, v.sum_x(v.free_ids, d_over - d_served) + base - served, weight)
    cov = v.coverage()
    fixed = v.fixed_presence()
    alloc = fixed_allocation(v)
    out = ~cov.in_scope
    constant = int(fixed[out].sum() - alloc[out].sum()) + int(fixed[cov.in_scope].sum())
    variables = list(cov.presence_vars.values()) + list(cov.covered_vars.values())
    weights = [1] * len(cov.presence_vars) + [-1] * len(cov.covered_vars)
    expr = (
        cp_model.LinearExpr.weighted_sum(variables, weights) + constant if variables else constant
    )
    return Term(NAME, expr - _served(v), weight)


def value(s: Solution) -> int:
    """Exact raw value on a concrete roster."""
    value = coverage_value(s.problem, s.group_presence)
    served = int(value.served[-1].sum()) if len(value.served) else 0
    return int(s.group_presence.sum() - value.covered.sum()) - served
