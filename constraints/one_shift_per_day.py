"""One shift per day: an agent works at most ``rules.max_shifts_per_day`` shifts per local
start date, and an agent's shifts never overlap.

In a manager's words: "one shift a day per person, and nobody is booked twice at once."

Config keys: ``rules.max_shifts_per_day``.
Penalty: none (hard rule). Model: ``sum of x over the agent's candidates of the day <= max``.
Overlaps are forbidden here only when ``rules.min_rest_hours`` is 0; otherwise
:mod:`constraints.min_rest` forbids them already (an overlap is a rest shorter than zero).

Checker twin: :func:`planner.verify.shift_rules.check_one_shift_per_day`.
Test: ``tests/constraints/test_one_shift_per_day.py``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from constraints import min_rest

if TYPE_CHECKING:
    from planner.roster.variables import Variables

NAME = "one_shift_per_day"


def add(v: Variables) -> None:
    """At most ``max_shifts_per_day`` candidates a day; no overlaps when rest is 0."""
    limit = max(0, v.problem.config.rules.max_shifts_per_day)
    for agent in v.agents:
        for day in v.days:
            ids = v.shifts_of(agent, day)
            if len(ids) > limit:
                v.add_hard(NAME, agent, v.sum_x(np.arange(ids.start, ids.stop)) <= limit)
    if min_rest.rest_minutes(v.problem) <= 0:
        min_rest.add_cliques(v, NAME, gap=0)
