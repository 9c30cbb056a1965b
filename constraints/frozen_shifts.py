"""Frozen shifts: with ``--previous`` and ``stability.frozen_is_hard``, the shifts already
published for the freeze window (the first ``stability.freeze_days`` dates of the horizon that
``--previous`` covers, see :mod:`constraints.stability`) are kept exactly.

In a manager's words: "what we told people for the next two weeks does not change."

Config keys: ``stability.freeze_days``, ``stability.frozen_is_hard``.
Penalty: none (hard rule); when the freeze is soft, changes cost :mod:`constraints.stability`.
Model: the candidate equal to each published shift is fixed to 1, and no other candidate of
the freeze window is worked. A published shift that breaks another hard rule (so is no
candidate) makes the model infeasible, and the explanation names it.

Checker twin: :func:`planner.verify.stability.check_frozen_shifts`.
Test: ``tests/constraints/test_frozen_shifts.py``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from planner.roster.variables import Variables

NAME = "frozen_shifts"


def active(v: Variables) -> bool:
    problem = v.problem
    return problem.has_previous and problem.config.stability.frozen_is_hard


def freeze_days(v: Variables) -> int:
    """Days of the freeze window inside the horizon (0 when nothing is published)."""
    return min(v.problem.freeze_days, v.problem.n_days)


def add(v: Variables) -> None:
    """Published shifts worked; nothing else in the freeze window."""
    if not active(v):
        return
    problem = v.problem
    window = freeze_days(v)
    published = problem.published_candidates
    for p in problem.published:
        if not v.is_free_day(p.agent, p.day):
            continue
        if p.candidate < 0:
            v.add_hard(NAME, p.agent, False)
        else:
            v.add_hard(NAME, p.agent, v.x(p.candidate) == 1)
    for agent in v.agents:
        for day in v.days:
            if day >= window:
                break
            others = [j for j in v.shifts_of(agent, day) if not published[j]]
            if others:
                v.add_hard(NAME, agent, v.sum_x(np.asarray(others, dtype=np.int64)) == 0)
