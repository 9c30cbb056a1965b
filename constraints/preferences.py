"""Preferences: shifts on a weekday the agent prefers off, or starting outside the start
times they prefer on that weekday.

In a manager's words: "Kim asked for Fridays off and to start between 10:00 and 12:00 on
Mondays; each shift that ignores a wish counts once."

Each shift starting on a local weekday with a ``day_off`` row counts 1; each shift starting on
a weekday with ``start_window`` rows but at a local start time outside all of them counts 1.
Counts per candidate are prepared in :mod:`planner.roster.candidates`.

Inputs: optional ``preferences.csv``. Config keys: ``weights.preferences``.
Unit: unmet preference.

Checker twin: :func:`planner.verify.terms.preferences_term`.
Test: ``tests/constraints/test_preferences.py``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from planner.roster.variables import Term

if TYPE_CHECKING:
    from planner.roster.variables import Solution, Variables

NAME = "preferences"


def penalty(v: Variables) -> Term:
    """``sum preference_j x_j``."""
    pref = v.problem.cands.preference
    constant = int(pref[v.incumbent.chosen & ~v.free_mask].sum())
    ids = v.free_ids[pref[v.free_ids] > 0]
    expr = v.sum_x(ids, pref[ids]) + constant
    return Term(NAME, expr, v.problem.config.weights.preferences)


def value(s: Solution) -> int:
    """Exact raw value on a concrete roster."""
    return int(np.asarray(s.problem.cands.preference)[s.chosen].sum())
