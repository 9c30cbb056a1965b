"""Skills: an agent on shift covers, in each interval, at most one channel, and only one of
their skills.

In a manager's words: "an email-only agent never counts towards phone coverage, and nobody
answers two channels at once."

Config keys: ``[channels]``; ``agents.csv`` ``skills``.
Penalty: none (hard rule, enforced by the coverage allocation).

Model: ``covered[t, c]`` (staff-minutes allocated to channel ``c``, at most its need) must be
an allocation of the present agents to channels among their skills. By Hall's theorem (a
transportation problem) that holds exactly when for every nonempty set ``S`` of channels
``sum_{c in S} covered[t, c] <= presence of the agents whose skills meet S`` (3 channels: 7
sets). Sets whose need the fixed part of the roster already meets are skipped, as are sets
holding a channel with no need (implied by a smaller set).
"""

from __future__ import annotations

from itertools import combinations
from typing import TYPE_CHECKING

from planner.roster.coverage import allocate

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
    need = problem.grid.need
    mask = problem.group_mask
    fixed = v.fixed_presence()
    n_groups = mask.shape[0]
    intervals = v.coverage_intervals()
    if len(intervals):
        # The incumbent's allocation, as a hint for the covered variables.
        current = allocate(
            need[intervals], v.incumbent.group_presence[intervals], mask, problem.grid.priority
        )
        for k, t in enumerate(intervals.tolist()):
            for c in range(need.shape[1]):
                if need[t, c] > 0:
                    v.hint(v.coverage().covered_vars[(t, c)], int(current[k, c]))
    for t in v.coverage_intervals().tolist():
        needed = [c for c in range(need.shape[1]) if need[t, c] > 0]
        for subset in channel_subsets(len(needed)):
            channels = [needed[i] for i in subset]
            groups = [g for g in range(n_groups) if mask[g, channels].any()]
            demand = int(need[t, channels].sum())
            if demand <= int(fixed[t, groups].sum()):
                continue  # the fixed roster alone meets it
            supply = sum((v.presence(t, g) for g in groups), start=0)
            allocated = sum((v.covered(t, c) for c in channels), start=0)
            v.add_hard(NAME, None, allocated <= supply)
