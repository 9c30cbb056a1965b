"""Minimum rest: at least ``rules.min_rest_hours`` between the end of one shift and the start
of the next, also across the horizon's start when ``--previous`` gives the roster before it.

In a manager's words: "after closing at 2 a.m., nobody opens at 8 a.m. the same morning."

Config keys: ``rules.min_rest_hours``.
Penalty: none (hard rule).

Model: two shifts of an agent conflict when one starts less than the rest after the other
ends; stretched by the rest, shifts are intervals ``[start, end + rest)`` and the conflicts are
their overlaps. That is an interval graph, whose maximal cliques are found by one sweep, and
one constraint ``sum of x over a clique <= 1`` per maximal clique is the tightest linear form
(it holds for any ``rules.max_shifts_per_day``: two members of one clique always conflict).
Shifts of the previous roster enter the cliques as constants 1. With one shift a day, a
clique of one date's candidates only is already implied by :mod:`constraints.one_shift_per_day`
and is skipped.

Checker twin: :func:`planner.verify.hours_rules.check_min_rest`.
Test: ``tests/constraints/test_min_rest.py``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from planner.roster.problem import RosterProblem
    from planner.roster.variables import Variables

NAME = "min_rest"


def rest_minutes(problem: RosterProblem) -> int:
    return round(problem.config.rules.min_rest_hours * 60)


def cliques(problem: RosterProblem, agent: int, gap: int) -> list[tuple[np.ndarray, int]]:
    """Maximal sets of mutually conflicting shifts of ``agent`` when shifts must be ``gap``
    minutes apart: (candidate indices, number of previous-roster shifts in the set)."""
    key = ("cliques", agent, gap)
    cached = problem.cache.get(key)
    if cached is not None:
        return cached  # type: ignore[return-value]
    ids = problem.candidates_of_agent(agent)
    cands = problem.cands
    starts = np.concatenate(
        [cands.start[ids.start : ids.stop], [s.start for s in problem.history[agent]]]
    ).astype(np.int64)
    ends = (
        np.concatenate(
            [cands.end[ids.start : ids.stop], [s.end for s in problem.history[agent]]]
        ).astype(np.int64)
        + gap
    )
    n_cand = len(ids)
    # Events: removals (kind 0) before additions (kind 1) at equal times, because a shift
    # starting exactly when the previous one's rest is over does not conflict.
    times = np.concatenate([starts, ends])
    kinds = np.concatenate([np.ones(len(starts), dtype=np.int64), np.zeros(len(ends), np.int64)])
    items = np.concatenate([np.arange(len(starts)), np.arange(len(ends))])
    order = np.lexsort((kinds, times))
    active: set[int] = set()
    grew = False
    found: list[tuple[np.ndarray, int]] = []
    for e in order.tolist():
        item = int(items[e])
        if kinds[e] == 1:
            active.add(item)
            grew = True
        else:
            if grew and len(active) > 1:
                members = np.array(sorted(active), dtype=np.int64)
                local = members[members < n_cand]
                found.append((local + ids.start, int((members >= n_cand).sum())))
            grew = False
            active.discard(item)
    problem.cache[key] = found
    return found


def add_cliques(v: Variables, rule: str, gap: int) -> None:
    """``sum x <= 1`` over each maximal conflict clique holding a free candidate."""
    problem = v.problem
    one_a_day = problem.config.rules.max_shifts_per_day <= 1
    days = problem.cands.day
    for agent in v.agents:
        for members, fixed in cliques(problem, agent, gap):
            if not v.free_mask[members].any():
                continue
            if one_a_day and fixed == 0 and days[members[0]] == days[members[-1]]:
                continue
            v.add_hard(rule, agent, v.sum_x(members) + fixed <= 1)


def add(v: Variables) -> None:
    """One clique constraint per maximal set of shifts closer than the rest."""
    gap = rest_minutes(v.problem)
    if gap > 0:  # with no rest required, one_shift_per_day forbids overlaps
        add_cliques(v, NAME, gap)
