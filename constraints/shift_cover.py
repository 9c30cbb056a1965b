"""Shift cover: how many agents work each named shift on each date, against the number
``shift_cover.csv`` asks for; each agent short costs that row's ``weight_under``, each agent
too many its ``weight_over``.

In a manager's words: "we need 3 on the late shift on Saturday: one short costs 100, one
extra costs 1." Dates are each agent's local dates; a (date, shift type) without a row
needs nothing and costs nothing.

Inputs: optional ``shift_cover.csv``. Config keys: ``weights.shift_cover``,
``[shift_types.NAME]``.
Unit: agent short x weight_under + agent over x weight_over.
Raw value: ``sum_rows weight_under x max(0, required - n) + weight_over x max(0, n - required)``
with ``n`` the agents on that shift type that date.
Model: a row no free candidate touches is a constant; a row with one free candidate (always,
when one agent is free: the constructive start, the one-agent neighbourhoods) is its cost
without it plus the exact change that candidate makes; a row with more has
``under >= required - n`` and ``over >= n - required`` (non-negative integers; at the optimum
they are the maxima above, and :func:`value` computes them exactly).

Checker twin: :func:`planner.verify.contract_rules.shift_cover_term`.
Test: ``tests/constraints/test_shift_cover.py``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from planner.roster.variables import Term

if TYPE_CHECKING:
    from planner.roster.problem import CoverNeeds, RosterProblem
    from planner.roster.variables import Expr, Solution, Variables

NAME = "shift_cover"


def row_members(problem: RosterProblem) -> tuple[np.ndarray, np.ndarray]:
    """Candidates (all agents) of the cover rows' dates and shift types, row by row: the
    candidate indices and, for each, its row."""
    cached = problem.cache.get(NAME)
    if cached is not None:
        return cached  # type: ignore[return-value]
    cover = problem.cover
    cands = problem.cands
    width = len(problem.config.shift_types) + 1
    key = cands.day * width + cands.types
    order = np.argsort(key, kind="stable")
    row_key = cover.day * width + cover.shift_type
    lo = np.searchsorted(key[order], row_key, side="left")
    hi = np.searchsorted(key[order], row_key, side="right")
    rows = np.repeat(np.arange(len(cover)), hi - lo)
    members = np.concatenate([order[a:b] for a, b in zip(lo.tolist(), hi.tolist(), strict=True)])
    found = (members.astype(np.int64), rows.astype(np.int64))
    problem.cache[NAME] = found
    return found


def row_costs(cover: CoverNeeds, counts: np.ndarray) -> np.ndarray:
    """Each row's cost when ``counts`` agents work its shift type on its date."""
    under = np.maximum(0, cover.required - counts)
    over = np.maximum(0, counts - cover.required)
    return cover.weight_under * under + cover.weight_over * over


def counts_of(problem: RosterProblem, chosen: np.ndarray) -> np.ndarray:
    """Agents on each cover row's shift type and date in a roster."""
    members, rows = row_members(problem)
    return np.bincount(rows[chosen[members]], minlength=len(problem.cover)).astype(np.int64)


def penalty(v: Variables) -> Term:
    """Constant rows + per row with one free candidate, that candidate's exact change of the
    row's cost (``x`` is 0 or 1, so the cost is linear in it) + per row with more,
    ``weight_under x under + weight_over x over``."""
    problem = v.problem
    weight = problem.config.weights.shift_cover
    cover = problem.cover
    if not len(cover):
        return Term(NAME, 0, weight)
    members, rows = row_members(problem)
    free = v.free_mask[members]
    n_rows = len(cover)
    fixed = v.incumbent.chosen[members] & ~free
    base = np.bincount(rows[fixed], minlength=n_rows)
    n_free = np.bincount(rows[free], minlength=n_rows)
    current = counts_of(problem, v.incumbent.chosen)
    constant = int(row_costs(cover, base)[n_free <= 1].sum())
    single = n_free[rows[free]] == 1
    lone, lone_rows = members[free][single], rows[free][single]
    delta = row_costs(cover, base + 1)[lone_rows] - row_costs(cover, base)[lone_rows]
    total: Expr = v.sum_x(lone, delta) + constant if len(lone) else constant
    many = free & (n_free[rows] > 1)
    many_members, many_rows = members[many], rows[many]
    cut = np.searchsorted(many_rows, np.arange(n_rows + 1))
    for r in np.flatnonzero(n_free > 1).tolist():
        required, fixed_n = int(cover.required[r]), int(base[r])
        n = v.sum_x(many_members[cut[r] : cut[r + 1]]) + fixed_n
        under = v.model.new_int_var(0, max(0, required - fixed_n), f"cover_under[{r}]")
        over = v.model.new_int_var(0, max(0, fixed_n + int(n_free[r]) - required), f"over[{r}]")
        v.model.add(under >= required - n)
        v.model.add(over >= n - required)
        v.hint(under, max(0, required - int(current[r])))
        v.hint(over, max(0, int(current[r]) - required))
        total += int(cover.weight_under[r]) * under + int(cover.weight_over[r]) * over
    return Term(NAME, total, weight)


def value(s: Solution) -> int:
    """Exact raw value on a concrete roster."""
    problem = s.problem
    if not len(problem.cover):
        return 0
    return int(row_costs(problem.cover, counts_of(problem, s.chosen)).sum())
