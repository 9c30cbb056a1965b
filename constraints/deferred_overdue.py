"""Deferred overdue: email (and any deferred channel) answered later than its response time.

In a manager's words: "every email gets an answer within 4 open hours; an email that waits
longer costs more the longer it waits." Email is not answered in the interval it arrives:
it waits in a first-in-first-out queue, which agents with the email skill work through with
the presence the live channels leave them (their *leftover*, docs/OBJECTIVE.md). So idle
email-skilled agents reduce the backlog, and the roster is judged by the work answered late,
not by a fixed per-interval email requirement.

Raw value: ``sum_e priority_e x sum_{t open} max(0, D[t, e] - S[t, e])``: at the end of each
open interval, the staff-minutes of work due by then (``D``, cumulative) that the queue has
not served (``S``, cumulative, ``S[t] = min(A[t], S[t-1] + leftover[t])``, ``A`` the work
arrived). Work of an interval is ``contacts x aht_seconds / 60 / ((1 - shrinkage) x
max_occupancy)`` staff-minutes rounded half up (channel overrides of shrinkage and occupancy
apply); its response clock runs only in open intervals (coverage windows): it is due by the
end of open interval ``o + H - 1``, ``o`` the first open interval at or after its arrival,
``H = floor(60 x response_hours / interval_minutes)``. Summed at every due point, a minute
late for three open intervals counts three.

Model: per deferred channel, in the window of intervals the free candidates can change
(:class:`planner.roster.coverage.Queue`), ``S[t] = S[t-1] + served[t]``, ``S[t] <= A[t]``,
``overdue[t] >= D[t] - S[t]``, ``overdue[t] >= 0``; ``served[t]`` is bounded by the skills
rule (a decided interval), the fixed roster's leftover (elsewhere) or the leftover each
candidate adds (a one-agent model). Serving more never costs more, so the model's queue is
the FIFO queue of its allocation; the allocation may differ from live-first (a relaxation:
the model's value of a roster is at most ``value``, which is exact).

Config keys: ``weights.deferred_overdue``, ``[channels.X] response_hours``, ``priority``,
``shrinkage``, ``max_occupancy``, ``[staffing]``, ``[coverage]``.
Unit: staff-minute overdue x open interval x channel priority.
Checker twin: :func:`planner.verify.coverage.coverage_terms` (``deferred_overdue``); tests:
``tests/constraints/test_deferred_overdue.py``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from planner.roster.coverage import Queue, coverage_value, deferred_queue
from planner.roster.variables import Term

if TYPE_CHECKING:
    from planner.roster.variables import Expr, Solution, Variables

NAME = "deferred_overdue"


def _overdue(v: Variables, queue: Queue) -> Expr:
    """Overdue minutes of one queue: constants outside its window, variables inside."""
    backlog = v.problem.grid.deferred
    arrived = backlog.arrived[:, queue.column]
    due = backlog.due_by[:, queue.column]
    hint = queue.incumbent_served
    total: Expr = queue.overdue_outside
    cumulative: Expr = queue.base
    for t in range(queue.start, queue.stop):
        served = queue.served.get(t)
        if served is not None:
            low = int(queue.lower[t])
            s = v.model.new_int_var(low, max(low, int(arrived[t])), f"backlog_served[{t}]")
            v.hint(s, int(hint[t]))
            v.model.add(s == cumulative + served)
            cumulative = s
        if backlog.open[t] and due[t] > queue.lower[t]:
            late = v.model.new_int_var(0, int(due[t] - queue.lower[t]), f"overdue[{t}]")
            v.hint(late, max(0, int(due[t] - hint[t])))
            v.model.add(late >= due[t] - cumulative)
            total += late
    if queue.empties and not isinstance(cumulative, int):
        # Empty at the window's end with the fixed roster alone, so with every roster here.
        v.model.add(cumulative >= int(arrived[queue.stop - 1]))
    return total


def penalty(v: Variables) -> Term:
    """Per deferred channel, its queue's overdue minutes x its priority."""
    grid = v.problem.grid
    total: Expr = 0
    for column, channel in enumerate(grid.deferred.channels):
        total += int(grid.priority[channel]) * _overdue(v, deferred_queue(v, column))
    return Term(NAME, total, v.problem.config.weights.deferred_overdue)


def value(s: Solution) -> int:
    """Exact raw value on a concrete roster."""
    grid = s.problem.grid
    overdue = coverage_value(s.problem, s.group_presence).overdue
    priority = grid.priority[list(grid.deferred.channels)]
    return int((overdue.sum(axis=0) * priority).sum())
