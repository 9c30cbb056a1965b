"""Shift requests: an agent asks to work a named shift on a date (``on``) or not to work it
(``off``), each request with a weight; an unmet request costs its weight.

In a manager's words: "Maria asked for the early on the 3rd (weight 2) and not the night on
the 14th (weight 3): give her the early and a day shift on the 14th and both are met."

An ``on`` request is met when the agent works that shift type that date (another shift or a
day off leaves it unmet); an ``off`` request is broken only by that shift type that date
(another shift is fine). Weights per candidate are prepared in
:func:`planner.roster.named_shifts.request_weights`.

Inputs: optional ``shift_requests.csv``. Config keys: ``weights.shift_requests``,
``[shift_types.NAME]``.
Unit: request weight.
Raw value: ``sum_on weight x (1 - met) + sum_off weight x broken``
``= request_constant + sum_j request_j x_j``.

Checker twin: :func:`planner.verify.contract_rules.shift_requests_term`.
Test: ``tests/constraints/test_shift_requests.py``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from planner.roster.variables import Term

if TYPE_CHECKING:
    from planner.roster.variables import Solution, Variables

NAME = "shift_requests"


def penalty(v: Variables) -> Term:
    """``request_constant + sum request_j x_j`` (fixed candidates folded in)."""
    problem = v.problem
    weight = problem.config.weights.shift_requests
    request = problem.cands.request
    if request is None:
        return Term(NAME, 0, weight)
    constant = problem.request_constant + int(request[v.incumbent.chosen & ~v.free_mask].sum())
    ids = v.free_ids[request[v.free_ids] != 0]
    return Term(NAME, v.sum_x(ids, request[ids]) + constant, weight)


def value(s: Solution) -> int:
    """Exact raw value on a concrete roster."""
    request = s.problem.cands.request
    if request is None:
        return 0
    return s.problem.request_constant + int(np.asarray(request)[s.chosen].sum())
