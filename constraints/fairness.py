"""Fairness: weekend, evening and holiday shifts spread evenly among comparable agents, per
full-time equivalent, counting what each agent already had in earlier periods.

In a manager's words: "if Jo worked last Christmas, someone else takes this one; a 20-hour
part-timer does half the weekends of a 40-hour colleague, not the same number."

For each kind ``k`` (weekend, evening, holiday: the ``roster.csv`` flags) and each contract
group (full_time, part_time), over the agents eligible for ``k``:
``scaled = (shifts of kind k + carried-over count) x round(4000 / max_weekly_hours)``
(a 40-hour agent: count x 100) and the penalty is ``max scaled - min scaled`` (0 with fewer
than two agents). Eligible: agents without availability rows always; with rows, weekend when
they have a Saturday or Sunday window, evening when a window ends after
``shifts.evening_ends_after`` or past midnight, holiday always; never an agent whose
``max_weekly_hours`` is 0.

Model: ``max_var >= scaled_a`` and ``min_var <= scaled_a`` per agent, penalty
``max_var - min_var`` (linear; tight at the optimum, and recomputed exactly by :func:`value`).

Inputs: optional ``fairness_history.csv``. Config keys: ``weights.fairness``,
``shifts.evening_ends_after``.
Unit: 1/100 shift per FTE.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from planner.roster.problem import KINDS
from planner.roster.variables import Term

if TYPE_CHECKING:
    from planner.roster.problem import RosterProblem
    from planner.roster.variables import Expr, Solution, Variables

NAME = "fairness"
CONTRACTS = ("full_time", "part_time")


def groups(problem: RosterProblem) -> list[tuple[str, int, np.ndarray]]:
    """(contract, kind index, agents) for every group of eligible agents."""
    contract = np.array([a.contract for a in problem.agents])
    result = []
    for name in CONTRACTS:
        for k in range(len(KINDS)):
            members = np.flatnonzero((contract == name) & problem.fairness_eligible[:, k])
            result.append((name, k, members))
    return result


def counts(problem: RosterProblem, chosen: np.ndarray) -> np.ndarray:
    """(agents x kinds) shifts of each kind in the roster plus the carried-over counts."""
    cands = problem.cands
    result = problem.fairness_carry.copy()
    ids = np.flatnonzero(chosen)
    np.add.at(result, cands.agent[ids], cands.kinds[ids].astype(np.int64))
    return result


def penalty(v: Variables) -> Term:
    """Sum over groups of ``max_var - min_var``; fixed agents enter as constants."""
    problem = v.problem
    fixed_counts = counts(problem, v.incumbent.chosen & ~v.free_mask)
    now = counts(problem, v.incumbent.chosen)
    horizon_cap = problem.n_days * max(1, problem.config.rules.max_shifts_per_day)
    total: Expr = 0
    scale = problem.fairness_scale
    for _, k, group in groups(problem):
        members = [a for a in group.tolist() if v.is_active(a)]
        if len(members) < 2:
            continue
        free = [a for a in members if v.is_free_agent(a)]
        fixed = [a for a in members if not v.is_free_agent(a)]
        fixed_scaled = [int(scale[a] * fixed_counts[a, k]) for a in fixed]
        if not free:
            total += max(fixed_scaled) - min(fixed_scaled)
            continue
        upper = int(max(scale[a] * (problem.fairness_carry[a, k] + horizon_cap) for a in members))
        low_max = max(fixed_scaled, default=0)
        high_min = min(fixed_scaled, default=upper)
        top = v.model.new_int_var(low_max, max(upper, low_max), f"fair_max[{KINDS[k]},{k}]")
        bottom = v.model.new_int_var(0, high_min, f"fair_min[{KINDS[k]},{k}]")
        current = [int(scale[a] * now[a, k]) for a in members]
        v.hint(top, max(current))
        v.hint(bottom, min(current))
        for a in free:
            count = v.kind_count(a, KINDS[k]) + int(problem.fairness_carry[a, k])
            scaled = int(scale[a]) * count
            v.model.add(top >= scaled)
            v.model.add(bottom <= scaled)
        total += top - bottom
    return Term(NAME, total, problem.config.weights.fairness)


def value(s: Solution) -> int:
    """Exact raw value on a concrete roster."""
    problem = s.problem
    c = counts(problem, s.chosen)
    result = 0
    for _, k, members in groups(problem):
        if len(members) < 2:
            continue
        scaled = problem.fairness_scale[members] * c[members, k]
        result += int(scaled.max() - scaled.min())
    return result
