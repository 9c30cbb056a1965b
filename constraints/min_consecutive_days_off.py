"""Minimum consecutive days off: a stretch of days off between two working dates lasts at
least ``rules.min_consecutive_days_off`` dates (``agent_rules.csv``
``min_consecutive_days_off`` for that agent when given).

In a manager's words: "days off come at least two together: a lone day off between shifts
is no rest."

Only stretches with a working date on both sides inside the horizon count (the horizon
edges are free, as for :mod:`constraints.min_consecutive_days`).

Config keys: ``rules.min_consecutive_days_off`` (1: off); ``agent_rules.csv``
``min_consecutive_days_off``.
Penalty: none (hard rule).
Model: for each too-short length ``s`` and each first date ``d`` with ``d - 1`` and ``d + s``
in the horizon, "worked, ``s`` off, worked" is forbidden:
``works[d-1] + works[d+s] - sum works[d .. d+s-1] <= 1``.

With a minimum above 1 and the agent free over the whole horizon, the agent's worked dates
are also tied to a small automaton of stretches (:mod:`planner.roster.stretches`, shared
with the other stretch rules, posted once per agent): exact, like the patterns, but tight in
the LP relaxation, where the patterns are weak (the bound CP-SAT proves, and the LP-guided
search, depend on it).

Checker twin: :func:`planner.verify.contract_rules.check_min_consecutive_days_off`.
Test: ``tests/constraints/test_min_consecutive_days_off.py``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from planner.roster.stretches import add_stretch_flow

if TYPE_CHECKING:
    from planner.roster.variables import Variables

NAME = "min_consecutive_days_off"


def add(v: Variables) -> None:
    """Forbid each "worked, s off, worked" pattern shorter than the agent's minimum."""
    n = v.problem.n_days
    for agent in v.agents:
        add_stretch_flow(v, agent)
        least = int(v.problem.contract.min_days_off[agent])
        for s in range(1, least):
            low = max(1, v.days.start - s)
            high = min(n - 1 - s, v.days.stop)
            for d in range(low, high + 1):
                off = sum((v.works(agent, k) for k in range(d, d + s)), start=0)
                pattern = v.works(agent, d - 1) + v.works(agent, d + s) - off
                if not isinstance(pattern, int):
                    v.add_hard(NAME, agent, pattern <= 1)
