"""Forbidden sequences: after a named shift, the shift types its ``forbidden_next`` lists are
not worked on the next date.

In a manager's words: "after a late, no early the next morning"
(``[shift_types.L] forbidden_next = ["E"]``). A rule between consecutive dates of the horizon,
whatever the hours between the shifts (``rules.min_rest_hours`` is the rule about hours).

Config keys: ``[shift_types.NAME] forbidden_next``.
Penalty: none (hard rule).
Model: with one shift a day, ``x[d, T] + sum_{U in forbidden_next(T)} x[d+1, U] <= 1`` per
agent, date and type ``T`` (the tight form: the next-day shifts exclude each other already);
with several shifts a day, one constraint per pair.

Checker twin: :func:`planner.verify.contract_rules.check_forbidden_sequences`.
Test: ``tests/constraints/test_forbidden_sequences.py``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from planner.roster.variables import Variables

NAME = "forbidden_sequences"


def add(v: Variables) -> None:
    """One constraint per (free agent, date, type with a forbidden follower)."""
    problem = v.problem
    config = problem.config
    names = {t.name: i for i, t in enumerate(config.shift_types)}
    follows = {
        t: np.array([names[n] for n in st.forbidden_next], dtype=np.int64)
        for t, st in enumerate(config.shift_types)
        if st.forbidden_next
    }
    if not follows or not len(v.days):
        return
    one_a_day = config.rules.max_shifts_per_day <= 1
    types = problem.cands.types
    for agent in v.agents:
        for day in range(max(0, v.days.start - 1), min(v.days.stop, problem.n_days - 1)):
            today = v.shifts_of(agent, day)
            tomorrow = v.shifts_of(agent, day + 1)
            first = np.arange(today.start, today.stop)
            second = np.arange(tomorrow.start, tomorrow.stop)
            for t, banned in follows.items():
                before = first[types[first] == t]
                after = second[np.isin(types[second], banned)]
                if not len(before) or not len(after):
                    continue
                if not (v.free_mask[before].any() or v.free_mask[after].any()):
                    continue
                if one_a_day:
                    v.add_hard(NAME, agent, v.sum_x(np.concatenate([before, after])) <= 1)
                    continue
                for j in before.tolist():
                    for k in after.tolist():
                        v.add_hard(NAME, agent, v.sum_x(np.array([j, k])) <= 1)
