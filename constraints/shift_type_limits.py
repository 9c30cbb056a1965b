"""Shift type limits: an agent works at most their cap of each named shift over the horizon
(``agent_rules.csv`` ``max_shifts``, e.g. ``N=3;L=0``). A cap of 0 means the agent never
works that shift (a contract or skill restriction): such shifts are not even offered
(:mod:`planner.roster.named_shifts`).

In a manager's words: "Alex does at most three nights this month and no lates at all."

Config keys: ``[shift_types.NAME]``; ``agent_rules.csv`` ``max_shifts``.
Penalty: none (hard rule).
Model: ``sum x <= cap`` over the agent's candidates of the type.

Checker twin: :func:`planner.verify.contract_rules.check_shift_type_limits`.
Test: ``tests/constraints/test_shift_type_limits.py``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from planner.roster.variables import Variables

NAME = "shift_type_limits"


def add(v: Variables) -> None:
    """One cap per (free agent, capped type) with a free candidate of that type."""
    caps = v.problem.contract.type_max
    types = v.problem.cands.types
    for agent in v.agents:
        if not (caps[agent] >= 0).any():
            continue
        ids = v.problem.candidates_of_agent(agent)
        own = np.arange(ids.start, ids.stop)
        for t in np.flatnonzero(caps[agent] >= 0).tolist():
            members = own[types[own] == t]
            if len(members) > caps[agent, t] and v.free_mask[members].any():
                v.add_hard(NAME, agent, v.sum_x(members) <= int(caps[agent, t]))
