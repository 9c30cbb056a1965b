"""Skills: an agent on shift covers, in each interval, at most one channel, and only one of
their skills.

In a manager's words: "an email-only agent never counts towards phone coverage, and nobody
answers two channels at once."

Config keys: ``[channels]``; ``agents.csv`` ``skills``.
Penalty: none (hard rule, enforced by the coverage allocation).

Model: ``covered[t, c]`` (staff-minutes allocated to live channel ``c``, at most its need)
and ``served[t, e]`` (minutes deferred channel ``e`` answers, need unbounded) must be an
allocation of the present agents to channels among their skills. By Hall's theorem (a
transportation problem) that holds exactly when for every nonempty set ``S`` of channels
``sum_{c in S} allocated[t, c] <= presence of the agents whose skills meet S`` (3 channels: 7
sets). Sets of live channels whose need the fixed part of the roster already meets are
skipped, as are sets holding a live channel with no need (implied by a smaller set).

The model lets any such allocation stand, not only the live-first one of docs/OBJECTIVE.md:
a relaxation, so the model's cost of a roster is never above its exact cost (``value``), and
lower bounds of the model bound the exact objective.

Checker twin: :func:`planner.verify.coverage.allocate` (the checker's own max-flow allocation
gives a channel only the minutes of agents holding its skill).
Test: ``tests/constraints/test_skills.py``.
"""

from __future__ import annotations

from itertools import combinations
from typing import TYPE_CHECKING

from planner.roster.coverage import incumbent_value

if TYPE_CHECKING:
    from planner.roster.variables import Variables

NAME = "skills"


def channel_subsets(n_channels: int) -> list[tuple[int, ...]]:
    """Every nonempty set of channel indices."""
    return [s for k in range(1, n_channels + 1) for s in combinations(range(n_channels), k)]


def add(v: Variables) -> None:
    """Hall constraints per decided interval and channel set."""
    if v.scope.hard_only or v.marginal:
        return  # no coverage variables: no objective, or coverage priced per candidate
    problem = v.problem
    need = problem.grid.live_need
    deferred = problem.grid.deferred.channels
    mask = problem.group_mask
    fixed = v.fixed_presence()
    n_groups = mask.shape[0]
    cov = v.coverage()
    if len(cov.intervals):
        # The incumbent's allocation and service, as hints for the coverage variables.
        current = incumbent_value(v)
        for (t, c), var in cov.covered_vars.items():
            v.hint(var, int(current.covered[t, c]))
        served = current.served_per_interval
        for (t, k), var in cov.served_vars.items():
            v.hint(var, int(served[t, k]))
    for t in cov.intervals.tolist():
        live = [c for c in range(need.shape[1]) if need[t, c] > 0]
        queues = [k for k in range(len(deferred)) if (t, k) in cov.served_vars]
        channels_here = [*live, *(deferred[k] for k in queues)]
        for subset in channel_subsets(len(channels_here)):
            channels = [channels_here[i] for i in subset]
            groups = [g for g in range(n_groups) if mask[g, channels].any()]
            unbounded = any(i >= len(live) for i in subset)
            demand = int(need[t, channels].sum())
            if not unbounded and demand <= int(fixed[t, groups].sum()):
                continue  # the fixed roster alone meets it
            supply = sum((v.presence(t, g) for g in groups), start=0)
            allocated = sum(
                (
                    v.covered(t, c)
                    if i < len(live)
                    else cov.served_vars[(t, queues[i - len(live)])]
                    for i, c in zip(subset, channels, strict=True)
                ),
                start=0,
            )
            v.add_hard(NAME, None, allocated <= supply)
