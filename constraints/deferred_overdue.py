"""Deferred overdue: email (and any deferred channel) answered later than its response time.

In a manager's words: "every email gets an answer within 4 open hours; an email that waits
longer costs more the longer it waits." Email is not answered in the interval it arrives:
it waits in a first-in-first-out queue, which agents with the email skill work through with
the presence the live channels leave them (their *leftover*, docs/OBJECTIVE.md). So idle
email-skilled agents reduce the backlog, and the roster is judged by the work answered late,
not by a fixed per-interval email requirement.

Raw value: ``floor(sum_e priority_e x sum_{t open} max(0, D[t, e] - S[t, e]) / 60)``: at the
end of each open interval, the staff-minutes of work due by then (``D``, cumulative) that
the queue has not served (``S``, cumulative, ``S[t] = min(A[t], S[t-1] + leftover[t])``,
``A`` the work arrived), summed, in whole staff-hours. Work of an interval is ``contacts x
aht_seconds / 60 / ((1 - shrinkage) x occupancy)`` staff-minutes rounded half up
(:func:`planner.demand.staffing.deferred_work`: the channel's shrinkage, else
``[staffing]``'s; occupancy 1 unless the channel sets ``max_occupancy``). Its response clock
runs only in open intervals (coverage windows): it is due by the end of open interval
``o + H - 1``, ``o`` the first open interval at or after its arrival, ``H = floor(60 x
response_hours / interval_minutes)``, or by the end of the last open interval. Summed at
every due point, a minute late for three open intervals counts three.

Why hours, and the default weight 3: a staff-minute of capacity given to a queue that is
behind saves one overdue staff-minute at every due point until the queue catches up, so in a
backlog lasting ``L`` open intervals it is worth ``L x weight / 60``. A 4-week horizon has
about 700 open intervals, so with 3 per staff-hour (1/20 per staff-minute) even a backlog
lasting the whole horizon values a staff-minute at 35, below a short SMS staff-minute
(2 x 20) and a phone one (3 x 20): email gets the presence the live channels leave and the
shifts placed where it waits, not a staff-minute the live channels need. Work three hours
late (6 intervals) still makes a staff-minute worth 0.3 more than leaving it idle (the
over-staffing term, 1, counts only unused presence).

Model: per deferred channel, in the window of intervals the free candidates can change
(:class:`planner.roster.coverage.Queue`), ``S[t] = S[t-1] + served[t]``, ``S[t] <= A[t]``,
``overdue[t] >= D[t] - S[t]``, ``overdue[t] >= 0``, and after the window the exact function
of the service at its end (:class:`planner.roster.coverage.Tail`); ``served[t]`` is bounded
by the skills rule (a decided interval) or the fixed roster's leftover (elsewhere); ``60 x
raw >= minutes - 59``. Serving more never costs more, so the model's queue is the FIFO queue
of its allocation; the allocation may differ from live-first (a relaxation: the model's
value of a roster is at most ``value``, which is exact). A one-agent model prices each
candidate by its exact effect on the queue against the agent's other shifts
(:func:`planner.roster.coverage.marginal_backlog`).

Config keys: ``weights.deferred_overdue``, ``[channels.X] response_hours``, ``priority``,
``shrinkage``, ``max_occupancy``, ``[staffing] shrinkage``, ``[coverage]``.
Unit: staff-hour overdue x open interval x channel priority (the sum rounded down).
Checker twin: :func:`planner.verify.coverage.coverage_terms` (``deferred_overdue``); tests:
``tests/constraints/test_deferred_overdue.py``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from planner.roster.coverage import Queue, coverage_value, deferred_queue, marginal_backlog
from planner.roster.variables import Term

if TYPE_CHECKING:
    from planner.roster.problem import RosterProblem
    from planner.roster.variables import Expr, Solution, Variables

NAME = "deferred_overdue"
MINUTES = 60
"""Raw unit: a staff-hour overdue at a due point (overdue is counted in staff-minutes)."""


def _overdue(v: Variables, queue: Queue) -> Expr:
    """Overdue minutes of one queue: constants before its window, a variable per due point
    inside it, the tail's function of the service at its end after it."""
    backlog = v.problem.grid.deferred
    due = backlog.due_by[:, queue.column]
    hint = queue.incumbent_served
    total: Expr = queue.overdue_before
    for t in range(queue.start, queue.stop):
        if not backlog.open[t] or due[t] <= queue.lower[t]:
            continue  # not a due point, or nothing can be late here
        served = queue.cumulative[t]
        if isinstance(served, int):
            total += max(0, int(due[t]) - served)
            continue
        late = v.model.new_int_var(0, int(due[t] - queue.lower[t]), f"overdue[{t}]")
        v.hint(late, max(0, int(due[t] - hint[t])))
        v.model.add(late >= int(due[t]) - served)
        total += late
    if queue.tail is not None:
        total += _tail_overdue(v, queue)
    return total


def _tail_overdue(v: Variables, queue: Queue) -> Expr:
    """``constant - slope x S + sum_b count_b max(0, b - S)`` (:class:`Tail`) with the sum
    as ``z >= 0``, ``z >= sum_{b' >= b} count_b' (b' - S)`` for each hinge ``b`` (the
    hinges come in decreasing order)."""
    tail = queue.tail
    assert tail is not None
    served = queue.last
    hinges = tail.hinges.astype(np.int64)
    counts = tail.counts.astype(np.int64)
    if isinstance(served, int):
        return (
            tail.constant
            - tail.slope * served
            + int((counts * np.maximum(hinges - served, 0)).sum())
        )
    if not len(hinges):
        return tail.constant - tail.slope * served
    start = int(queue.incumbent_served[queue.stop - 1])
    bends = v.model.new_int_var(0, int((counts * hinges).sum()), f"overdue_tail[{queue.channel}]")
    v.hint(bends, int((counts * np.maximum(hinges - start, 0)).sum()))
    weight = np.cumsum(counts)
    reach = np.cumsum(counts * hinges)
    for w, r in zip(weight.tolist(), reach.tolist(), strict=True):
        v.model.add(bends >= r - w * served)
    return tail.constant - tail.slope * served + bends


def penalty(v: Variables) -> Term:
    """Per deferred channel, its queue's overdue minutes x its priority, in whole hours."""
    grid = v.problem.grid
    weight = v.problem.config.weights.deferred_overdue
    if not grid.deferred.channels:
        return Term(NAME, 0, weight)
    minutes: Expr = 0
    if v.marginal:
        d_late, _, base, _ = marginal_backlog(v)
        minutes = v.sum_x(v.free_ids, d_late) + base
    else:
        for column, channel in enumerate(grid.deferred.channels):
            minutes += int(grid.priority[channel]) * _overdue(v, deferred_queue(v, column))
    if isinstance(minutes, int):
        return Term(NAME, minutes // MINUTES, weight)
    # raw = floor(minutes / 60): the least integer with 60 raw >= minutes - 59.
    priority = grid.priority[list(grid.deferred.channels)]
    most = int((grid.deferred.due_by * grid.deferred.open[:, None] * priority).sum())
    raw = v.model.new_int_var(0, most // MINUTES + 1, "deferred_overdue")
    v.hint(raw, _raw(v.problem, v.incumbent.group_presence))
    v.model.add(MINUTES * raw >= minutes - (MINUTES - 1))
    return Term(NAME, raw, weight)


def overdue_minutes(problem: RosterProblem, presence: np.ndarray) -> np.ndarray:
    """Per deferred column: staff-minutes overdue summed over the due points, x priority."""
    grid = problem.grid
    overdue = coverage_value(problem, presence).overdue
    return overdue.sum(axis=0) * grid.priority[list(grid.deferred.channels)]


def _raw(problem: RosterProblem, presence: np.ndarray) -> int:
    return int(overdue_minutes(problem, presence).sum()) // MINUTES


def value(s: Solution) -> int:
    """Exact raw value on a concrete roster."""
    return _raw(s.problem, s.group_presence)
