"""Stability: changes to shifts already published for the freeze window.

In a manager's words: "once people have their schedule for the next two weeks, every change
costs us trust."

With ``--previous``, the *published period* runs from the horizon start through the last local
date with a shift in it (any agent), and the freeze window is its first
``stability.freeze_days`` dates (:func:`planner.roster.candidates.freeze_window_end`): a previous
roster that ends before the horizon (given only for rest and consecutive-day continuity)
publishes nothing, and the term is 0. The published shifts are the rows dated in the window.
Each published shift with no shift of the same agent, start and end in the new roster counts
1, and each new shift in that window equal to no published shift counts 1. With
``stability.frozen_is_hard`` the window is frozen (:mod:`constraints.frozen_shifts`) and this
term is 0; without ``--previous`` it is 0.

Config keys: ``weights.stability``, ``stability.freeze_days``, ``stability.frozen_is_hard``.
Unit: changed published shift.

Checker twin: :func:`planner.verify.stability.stability_term`.
Test: ``tests/constraints/test_stability.py``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from planner.roster.variables import Term

if TYPE_CHECKING:
    from planner.roster.problem import RosterProblem
    from planner.roster.variables import Solution, Variables

NAME = "stability"


def applies(problem: RosterProblem) -> bool:
    return problem.has_previous and not problem.config.stability.frozen_is_hard


def window(problem: RosterProblem) -> int:
    """Days of the freeze window inside the horizon (0 when nothing is published)."""
    return min(problem.freeze_days, problem.n_days)


def penalty(v: Variables) -> Term:
    """Published shifts not kept + new shifts in the window that were not published."""
    problem = v.problem
    weight = problem.config.weights.stability
    if not applies(problem):
        return Term(NAME, 0, weight)
    published = problem.published_candidates
    in_window = problem.cands.day < window(problem)
    new_ids = np.flatnonzero(in_window & ~published)
    chosen = v.incumbent.chosen
    free = v.free_mask
    constant = int((chosen[new_ids] & ~free[new_ids]).sum())
    expr = v.sum_x(new_ids[free[new_ids]]) + constant
    kept_ids = [p.candidate for p in problem.published if p.candidate >= 0]
    expr = expr + len(problem.published) - v.sum_x(np.asarray(kept_ids, dtype=np.int64))
    return Term(NAME, expr, weight)


def value(s: Solution) -> int:
    """Exact raw value on a concrete roster."""
    problem = s.problem
    if not applies(problem):
        return 0
    published = problem.published_candidates
    in_window = problem.cands.day < window(problem)
    added = int((s.chosen & in_window & ~published).sum())
    dropped = sum(1 for p in problem.published if p.candidate < 0 or not s.chosen[p.candidate])
    return added + dropped
