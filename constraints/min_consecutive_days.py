"""Minimum consecutive days: a stretch of working dates between two days off lasts at least
``rules.min_consecutive_days`` dates (``agent_rules.csv`` ``min_consecutive_days`` for that
agent when given).

In a manager's words: "no one-day stints: once Lee comes in, it is for at least two days."

Only stretches with a day off on both sides inside the horizon count: a stretch touching the
first or the last date may carry on outside it (the horizon edges are free, as in the
Curtois & Qu benchmark readings of CPMpy and wssuite).

Config keys: ``rules.min_consecutive_days`` (1: off); ``agent_rules.csv``
``min_consecutive_days``.
Penalty: none (hard rule).
Model: for each too-short length ``s`` and each first date ``d`` with ``d - 1`` and ``d + s``
in the horizon, "off, ``s`` worked, off" is forbidden:
``sum works[d .. d+s-1] - works[d-1] - works[d+s] <= s - 1``.

With a minimum above 1 and the agent free over the whole horizon, the agent's worked dates
are also tied to a small automaton of stretches (:mod:`planner.roster.stretches`, shared
with the other stretch rules, posted once per agent): exact, like the patterns, but tight in
the LP relaxation, where the patterns are weak (the bound CP-SAT proves, and the LP-guided
search, depend on it).

Checker twin: :func:`planner.verify.contract_rules.check_min_consecutive_days`.
Test: ``tests/constraints/test_min_consecutive_days.py``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from planner.roster.stretches import add_stretch_flow

if TYPE_CHECKING:
    from planner.roster.variables import Variables

NAME = "min_consecutive_days"


def add(v: Variables) -> None:
    """Forbid each "off, s worked, off" pattern shorter than the agent's minimum."""
    for agent in v.agents:
        add_stretch_flow(v, agent)
        least = int(v.problem.contract.min_consecutive[agent])
        for s in range(1, least):
            for d in _firsts(v, s):
                worked = sum((v.works(agent, k) for k in range(d, d + s)), start=0)
                pattern = worked - v.works(agent, d - 1) - v.works(agent, d + s)
                if not isinstance(pattern, int):
                    v.add_hard(NAME, agent, pattern <= s - 1)


def _firsts(v: Variables, s: int) -> range:
    """First dates ``d`` of an inner stretch of ``s`` dates whose window ``d-1 .. d+s``
    holds a free date."""
    n = v.problem.n_days
    low = max(1, v.days.start - s)
    high = min(n - 1 - s, v.days.stop)  # the window's last date d + s stays in the horizon
    return range(low, high + 1)
