"""Forbidden sequences: after a named shift, the shift types its ``forbidden_next`` lists are
not worked on the next date.

In a manager's words: "after a late, no early the next morning"
(``[shift_types.L] forbidden_next = ["E"]``). A rule between consecutive dates of the horizon,
whatever the hours between the shifts (``rules.min_rest_hours`` is the rule about hours).

Config keys: ``[shift_types.NAME] forbidden_next``.
Penalty: none (hard rule).
Model: with one shift a day, ``x[d, T] + sum_{U in forbidden_next(T)} x[d+1, U] <= 1`` per
agent, date and type ``T`` (the tight form: the next-day shifts exclude each other already);
with several shifts a day, one constraint per pair. Shifts of other shapes than the named
ones (none when shift types are configured) have no type and no sequence rule.

Checker twin: :func:`planner.verify.contract_rules.check_forbidden_sequences`.
Test: ``tests/constraints/test_forbidden_sequences.py``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from planner.roster.problem import RosterProblem
    from planner.roster.variables import Variables

NAME = "forbidden_sequences"


def type_table(problem: RosterProblem) -> np.ndarray:
    """``table[agent, day, type]``: the candidate of that named shift (-1: none; with one
    shift a day a named shift is one candidate per agent and date)."""
    cached = problem.cache.get(NAME)
    if cached is not None:
        return cached  # type: ignore[return-value]
    cands = problem.cands
    table = np.full(
        (problem.n_agents, problem.n_days, max(1, len(problem.config.shift_types))),
        -1,
        dtype=np.int64,
    )
    named = cands.types >= 0
    table[cands.agent[named], cands.day[named], cands.types[named]] = np.flatnonzero(named)
    problem.cache[NAME] = table
    return table


def add(v: Variables) -> None:
    """One constraint per (free agent, date, type with a forbidden follower)."""
    problem = v.problem
    config = problem.config
    names = {t.name: i for i, t in enumerate(config.shift_types)}
    follows = [
        (t, np.array([names[n] for n in st.forbidden_next], dtype=np.int64))
        for t, st in enumerate(config.shift_types)
        if st.forbidden_next
    ]
    if not follows or not len(v.days):
        return
    one_a_day = config.rules.max_shifts_per_day <= 1
    table = type_table(problem)
    days = range(max(0, v.days.start - 1), min(v.days.stop, problem.n_days - 1))
    for agent in v.agents:
        for day in days:
            for t, banned in follows:
                before = int(table[agent, day, t])
                if before < 0:
                    continue
                after = table[agent, day + 1, banned]
                after = after[after >= 0]
                if not len(after):
                    continue
                if one_a_day:
                    v.add_hard(NAME, agent, v.sum_x(np.append(after, before)) <= 1)
                    continue
                for k in after.tolist():
                    v.add_hard(NAME, agent, v.sum_x(np.array([before, k])) <= 1)
