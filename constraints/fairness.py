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
Unit: 1/100 shift (x kind weight). Checker twin: :func:`planner.verify.fairness.fairness_term`.
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
    bound: every candidate counted); computed once per problem."""
    cached = problem.cache.get("fairness_reachable")
    if cached is None:
        cached = np.zeros((problem.n_agents, len(KINDS)), dtype=np.int64)
        np.add.at(cached, problem.cands.agent, problem.cands.kinds.astype(np.int64))
        problem.cache["fairness_reachable"] = cached
    return cached  # type: ignore[return-value]


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
        current = [int(now[a, group.kind]) for a in members]
        if not any(v.is_free_agent(a) for a in members):
            total += group.weight * group_raw(current, exposure)
            continue
        high = [int(most[a, group.kind]) for a in members]
        total += group.weight * _group_penalty(v, group, members, exposure, current, high)
    return Term(NAME, total, problem.config.weights.fairness)


def _group_penalty(  # noqa: PLR0917 - the group's prepared arrays
    v: Variables,
    group: Group,
    members: list[int],
    exposure: list[int],
    current: list[int],
    most: list[int],
) -> cp_model.IntVar:
    """The group's raw value as a variable ``q`` (see the module docstring).

    A free member's deviation is a variable ``dev >= +-(count E - T e)``; the fixed members'
    together are a convex function of ``T`` alone, one variable above its linear pieces
    (:func:`fixed_pieces`), so a model with few free agents stays small.
    """
    k, kind = group.kind, KINDS[group.kind]
    tag = f"{group.contract},{kind}"
    carry = v.problem.fairness_carry
    big_e = sum(exposure)
    free = [i for i, a in enumerate(members) if v.is_free_agent(a)]
    fixed = [i for i, a in enumerate(members) if not v.is_free_agent(a)]
    count: dict[int, cp_model.IntVar] = {}
    for i in free:
        a = members[i]
        var = v.model.new_int_var(int(carry[a, k]), most[i], f"fair_count[{a},{kind}]")
        v.model.add(var == v.kind_count(a, kind) + int(carry[a, k]))
        v.hint(var, current[i])
        count[i] = var
    fixed_total = sum(current[i] for i in fixed)
    low = fixed_total + sum(int(carry[members[i], k]) for i in free)
    high = fixed_total + sum(most[i] for i in free)
    team = v.model.new_int_var(low, high, f"fair_total[{tag}]")
    v.model.add(team == cp_model.LinearExpr.sum(list(count.values())) + fixed_total)
    now_team = sum(current)
    v.hint(team, now_team)
    parts: list[cp_model.IntVar] = []
    reaches = []
    for i in free:
        e = exposure[i]
        reach = max(
            abs(most[i] * big_e - low * e), abs(int(carry[members[i], k]) * big_e - high * e)
        )
        dev = v.model.new_int_var(0, reach, f"fair_dev[{members[i]},{kind}]")
        gap = count[i] * big_e - team * e
        v.model.add(dev >= gap)
        v.model.add(dev >= -gap)
        v.hint(dev, abs(current[i] * big_e - now_team * e))
        parts.append(dev)
        reaches.append(reach)
    if fixed:
        fixed_counts = [current[i] for i in fixed]
        fixed_exposure = [exposure[i] for i in fixed]
        pieces = fixed_pieces(fixed_counts, fixed_exposure, big_e, low, high)
        # f is convex: its largest value over [low, high] is at an end.
        reach = max(_spread(fixed_counts, fixed_exposure, big_e, t) for t in (low, high))
        rest = v.model.new_int_var(0, reach, f"fair_fixed[{tag}]")
        for at, value, slope in pieces:
            v.model.add(rest >= slope * (team - at) + value)
        v.hint(
            rest,
            _spread([current[i] for i in fixed], [exposure[i] for i in fixed], big_e, now_team),
        )
        parts.append(rest)
        reaches.append(reach)
    top = (200 * sum(reaches) + big_e) // (2 * big_e)
    q = v.model.new_int_var(0, top, f"fairness[{tag}]")
    v.model.add(2 * big_e * q >= 200 * cp_model.LinearExpr.sum(parts) - big_e + 1)
    v.hint(q, group_raw(current, exposure))
    return q


def _spread(counts: list[int], exposure: list[int], big_e: int, team: int) -> int:
    """``sum_a |c_a E - T e_a|``."""
    return sum(abs(c * big_e - team * e) for c, e in zip(counts, exposure, strict=True))


def fixed_pieces(
    counts: list[int], exposure: list[int], big_e: int, low: int, high: int
) -> list[tuple[int, int, int]]:
    """``f(T) = sum_a |c_a E - T e_a|`` over whole ``T`` in ``[low, high]`` as the lines
    ``(t, f(t), slope)``: ``f(T) = max_lines f(t) + slope x (T - t)`` at every whole ``T`` there.

    ``f`` is convex; its kinks are at ``T = c_a E / e_a``. Between consecutive points of
    ``{low, high, floor and ceil of each kink inside}`` it is affine on the integers, so the
    line through such a point and the next integer is exact on that stretch and, ``f`` being
    convex, below ``f`` at every other whole ``T``.
    """
    points = {low, high}
    for c, e in zip(counts, exposure, strict=True):
        if e > 0:
            floor = c * big_e // e
            points.update(t for t in (floor, floor + 1) if low <= t <= high)
    ordered = sorted(points)
    lines = []
    for t in ordered:
        value = _spread(counts, exposure, big_e, t)
        slope = _spread(counts, exposure, big_e, t + 1) - value if t < high else 0
        if t < high or len(ordered) == 1:
            lines.append((t, value, slope))
    return lines


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
