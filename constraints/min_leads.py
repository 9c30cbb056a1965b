"""Escalation: at least ``coverage.min_leads`` agents with the ``lead`` skill on shift in
every interval the team is open.

In a manager's words: "the agents' instructions say 'escalate to your leader': whenever the
line is open, someone who can take an escalation is on shift."

``lead`` is a skill of ``agents.csv`` that is not a channel; leads also answer their channel
skills and count in coverage like anyone else. Open intervals are those of
:mod:`constraints.min_staff` (the ``[coverage]`` windows). A lead counts for the minutes they
are on shift and not on a break. Shortfalls are reported like under-staffing, with their own
weight.

Raw value: ``sum_{open t} max(0, min_leads x interval_minutes - lead minutes present in t)``.
Default ``min_leads = 0``: off.

Config keys: ``coverage.min_leads``, ``weights.min_leads``, ``[coverage]``; ``agents.csv``
``skills`` (``lead``).
Unit: lead-minute short.
Model: as :mod:`constraints.min_staff`, with the lead skill groups as the one column
(:func:`planner.roster.floors.floor_expr`).
Checker twin: :func:`planner.verify.floors.floor_shortfalls` (``min_leads``).
Tests: ``tests/constraints/test_min_leads.py``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from planner.roster.floors import floor_expr, shortfall
from planner.roster.variables import Term

if TYPE_CHECKING:
    from planner.roster.variables import Solution, Variables

NAME = "min_leads"


def penalty(v: Variables) -> Term:
    """Lead-minutes short of the floor."""
    problem = v.problem
    floors = problem.floors
    expr = floor_expr(v, floors.leads[:, None], floors.group_lead[:, None], NAME)
    return Term(NAME, expr, problem.config.weights.min_leads)


def value(s: Solution) -> int:
    """Exact raw value on a concrete roster."""
    floors = s.problem.floors
    return int(shortfall(floors.leads[:, None], s.group_presence, floors.group_lead[:, None]).sum())
