"""Over-staffing: paid presence no channel needs (idle time).

In a manager's words: "don't pay people to wait for contacts that are not coming."

Raw value: ``sum_t (sum_a present_{a,t} - sum_c covered[t, c])`` over the requirement grid:
minutes agents are on shift and not on a break, minus the minutes allocated to a channel's
need (docs/OBJECTIVE.md). Presence outside every channel's coverage window is all idle.

Config keys: ``weights.over_staffing``.
Unit: staff-minute.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

from planner.roster.coverage import allocate, fixed_allocation, marginal_costs
from planner.roster.variables import Term

if TYPE_CHECKING:
    from planner.roster.variables import Solution, Variables

NAME = "over_staffing"


def penalty(v: Variables) -> Term:
    """Fixed idle time outside the decided intervals + presence - covered inside them."""
    weight = v.problem.config.weights.over_staffing
    if v.marginal:
        _, d_over, _, base = marginal_costs(v)
        return Term(NAME, v.sum_x(v.free_ids, d_over) + base, weight)
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
    return Term(NAME, expr, weight)


def value(s: Solution) -> int:
    """Exact raw value on a concrete roster."""
    grid = s.problem.grid
    covered = allocate(grid.need, s.group_presence, s.problem.group_mask, grid.priority)
    return int(s.group_presence.sum() - covered.sum())
