"""Fairness: the shifts agents trade away (closers, weekends, holidays, evenings) are shared
in proportion to each agent's exposure, counting what each agent already had.

In a manager's words: "everyone closes, works weekends and holidays at the team's rate for
the time they are contracted; if Jo worked last Christmas, someone else takes this one; a new
hire four weeks in owes four weeks' share of weekends, not the backlog of the veterans'."

For each contract group (full_time, part_time) and each kind ``k`` (weekend, evening,
holiday, closer), over the group's agents eligible for ``k`` (docs/OBJECTIVE.md "fairness"):

- ``count_a`` = carried-over count + what the agent's shifts in the horizon add (1 per shift
  of the kind; a holiday its weight, e.g. Christmas Day 3);
- ``E_a`` = exposure in contracted minutes: carried ``hours`` x 60 + the horizon's weeks not
  wholly taken off x ``max_weekly_hours`` x 60;
- the team's total ``T = sum count_a`` over the exposure ``E = sum E_a`` is the team rate, and
  agent ``a``'s share at that rate is ``T x E_a / E``;
- raw = ``round_half_up(100 x sum_a |count_a - T x E_a / E|)`` (1/100 shift), times
  ``fairness.kind_weights.k``.

Everybody is pulled toward the team's rate, not only the extremes. Model, all linear (the
bounds relax it to an LP): ``T`` is a variable (``T = sum count_a``); with ``S = sum_a dev_a``,
``dev_a >= +-(count_a x E - T x E_a)`` and ``2 E q >= 200 S - E + 1``, the least whole ``q`` is
exactly ``floor((200 S + E) / (2 E))``, the raw value (tight at the optimum; :func:`value`
computes it exactly). Exposures are divided by their greatest common divisor first (the value
is unchanged) to keep the coefficients small.

Inputs: optional ``fairness_history.csv``, ``time_off.csv``, ``availability.csv``. Config
keys: ``weights.fairness``, ``fairness.kind_weights``, ``fairness.holiday_weights``,
``fairness.default_holiday_weight``, ``shifts.evening_ends_after``.
Unit: 1/100 shift (x kind weight). Checker: :func:`planner.verify.fairness.fairness_term`.
Tests: ``tests/constraints/test_fairness.py``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from ortools.sat.python import cp_model

from planner.roster.problem import KINDS
from planner.roster.variables import Term

if TYPE_CHECKING:
    from planner.roster.problem import RosterProblem
    from planner.roster.variables import Expr, Solution, Variables

NAME = "fairness"
CONTRACTS = ("full_time", "part_time")


@dataclass(frozen=True)
class Group:
    """The agents one (contract, kind) comparison covers, with their kind's weight."""

    contract: str
    kind: int
    weight: int
    members: np.ndarray


def kind_weights(problem: RosterProblem) -> tuple[int, ...]:
    """``fairness.kind_weights`` in :data:`KINDS` order."""
    weights = problem.config.fairness.kind_weights
    return tuple(int(getattr(weights, kind)) for kind in KINDS)


def groups(problem: RosterProblem) -> list[Group]:
    """Every (contract, kind) group of eligible agents."""
    contract = np.array([a.contract for a in problem.agents])
    weights = kind_weights(problem)
    return [
        Group(
            name,
            k,
            weights[k],
            np.flatnonzero((contract == name) & problem.fairness_eligible[:, k]),
        )
        for name in CONTRACTS
        for k in range(len(KINDS))
    ]


def reduced(exposure: np.ndarray) -> list[int]:
    """Exposures divided by their greatest common divisor (the raw value does not change)."""
    values = [int(e) for e in exposure]
    divisor = math.gcd(*values) or 1
    return [e // divisor for e in values]


def group_raw(counts: list[int], exposure: list[int]) -> int:
    """``floor((200 S + E) / (2 E))`` with ``S = sum |c_a E - T e_a|`` (exact integers)."""
    total_exposure = sum(exposure)
    if len(counts) < 2 or total_exposure <= 0:
        return 0
    team = sum(counts)
    spread = sum(abs(c * total_exposure - team * e) for c, e in zip(counts, exposure, strict=True))
    return (200 * spread + total_exposure) // (2 * total_exposure)


def counts(problem: RosterProblem, chosen: np.ndarray) -> np.ndarray:
    """(agents x kinds) what the roster's shifts add to each kind, plus the carried counts."""
    cands = problem.cands
    result = problem.fairness_carry.copy()
    ids = np.flatnonzero(chosen)
    np.add.at(result, cands.agent[ids], cands.kinds[ids].astype(np.int64))
    return result


def reachable(problem: RosterProblem) -> np.ndarray:
    """(agents x kinds) the most each agent's candidates can add to each kind (a safe upper
    bound: every candidate counted)."""
    result = np.zeros((problem.n_agents, len(KINDS)), dtype=np.int64)
    np.add.at(result, problem.cands.agent, problem.cands.kinds.astype(np.int64))
    return result


def penalty(v: Variables) -> Term:
    """``sum_groups weight x q``; inactive agents (not yet scheduled) are left out."""
    problem = v.problem
    now = counts(problem, v.incumbent.chosen)
    most = problem.fairness_carry + reachable(problem)
    total: Expr = 0
    for group in groups(problem):
        members = [a for a in group.members.tolist() if v.is_active(a)]
        if group.weight == 0 or len(members) < 2:
            continue
        exposure = reduced(problem.fairness_exposure[members])
        if not any(v.is_free_agent(a) for a in members):
            total += group.weight * group_raw([int(now[a, group.kind]) for a in members], exposure)
            continue
        total += group.weight * _group_penalty(v, group, members, exposure, now, most)
    return Term(NAME, total, problem.config.weights.fairness)


def _group_penalty(  # noqa: PLR0917 - the group's prepared arrays
    v: Variables,
    group: Group,
    members: list[int],
    exposure: list[int],
    now: np.ndarray,
    most: np.ndarray,
) -> cp_model.IntVar:
    """The group's raw value as a variable ``q`` (see the module docstring)."""
    k, kind = group.kind, KINDS[group.kind]
    tag = f"{group.contract},{kind}"
    carry = v.problem.fairness_carry
    big_e = sum(exposure)
    count: list[Expr] = []
    low: list[int] = []
    high: list[int] = []
    for a in members:
        if v.is_free_agent(a):
            lo, hi = int(carry[a, k]), int(most[a, k])
            var = v.model.new_int_var(lo, hi, f"fair_count[{a},{kind}]")
            v.model.add(var == v.kind_count(a, kind) + int(carry[a, k]))
            v.hint(var, int(now[a, k]))
            count.append(var)
        else:
            lo = hi = int(now[a, k])
            count.append(lo)
        low.append(lo)
        high.append(hi)
    team = v.model.new_int_var(sum(low), sum(high), f"fair_total[{tag}]")
    v.model.add(team == cp_model.LinearExpr.sum(count))
    now_team = sum(int(now[a, k]) for a in members)
    v.hint(team, now_team)
    devs, reaches = [], []
    for i, a in enumerate(members):
        e = exposure[i]
        reach = max(abs(high[i] * big_e - sum(low) * e), abs(low[i] * big_e - sum(high) * e))
        dev = v.model.new_int_var(0, reach, f"fair_dev[{a},{kind}]")
        gap = count[i] * big_e - team * e
        v.model.add(dev >= gap)
        v.model.add(dev >= -gap)
        v.hint(dev, abs(int(now[a, k]) * big_e - now_team * e))
        devs.append(dev)
        reaches.append(reach)
    top = (200 * sum(reaches) + big_e) // (2 * big_e)
    q = v.model.new_int_var(0, top, f"fairness[{tag}]")
    v.model.add(2 * big_e * q >= 200 * cp_model.LinearExpr.sum(devs) - big_e + 1)
    v.hint(q, group_raw([int(now[a, k]) for a in members], exposure))
    return q


def value(s: Solution) -> int:
    """Exact raw value on a concrete roster."""
    problem = s.problem
    c = counts(problem, s.chosen)
    result = 0
    for group in groups(problem):
        members = group.members.tolist()
        if group.weight == 0 or len(members) < 2:
            continue
        exposure = reduced(problem.fairness_exposure[members])
        result += group.weight * group_raw([int(c[a, group.kind]) for a in members], exposure)
    return result
