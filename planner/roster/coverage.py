"""Coverage allocation: which channel the present agents cover, interval by interval.

The query the coverage rules (``under_staffing``, ``over_staffing``, ``skills``), the search
and the solve share: present agents (per skill group) are allocated to channels among their
skills, filling channels in priority order; the result is a maximum flow (docs/OBJECTIVE.md).
"""

from __future__ import annotations

from functools import lru_cache
from itertools import combinations
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from planner.roster.variables import Variables


@lru_cache(maxsize=64)
def _cut_matrices(
    mask_bytes: bytes, n_groups: int, n_channels: int, order: tuple[int, ...]
) -> tuple[np.ndarray, np.ndarray, tuple[int, ...]]:
    """For the channel prefixes ``order[:1], order[:2], ...`` and every subset ``S`` of each
    prefix: which channels lie outside ``S`` (channels x cuts) and which groups meet ``S``
    (groups x cuts); and where each prefix's cuts end."""
    group_mask = np.frombuffer(mask_bytes, dtype=bool).reshape(n_groups, n_channels)
    outside_cols, meets_cols, ends = [], [], []
    for k in range(1, len(order) + 1):
        prefix = order[:k]
        for r in range(len(prefix) + 1):
            for subset in combinations(prefix, r):
                out = np.zeros(n_channels, dtype=np.int64)
                out[[c for c in prefix if c not in subset]] = 1
                outside_cols.append(out)
                meets_cols.append(group_mask[:, list(subset)].any(axis=1).astype(np.int64))
        ends.append(len(outside_cols))
    return np.stack(outside_cols, axis=1), np.stack(meets_cols, axis=1), tuple(ends)


def allocate(
    need: np.ndarray, presence: np.ndarray, group_mask: np.ndarray, priority: np.ndarray
) -> np.ndarray:
    """``covered[t, c]``: a maximum allocation filling channels in priority order.

    For the channels taken by priority, ``F(T) = min over S subset of T of (need of T outside
    S + presence of the groups whose skills meet S)`` is the most the channels ``T`` can get
    (Hall / max-flow min-cut); channel ``c_k`` gets ``F(c_1..c_k) - F(c_1..c_k-1)``.
    """
    n_channels = need.shape[1]
    order = tuple(sorted(range(n_channels), key=lambda c: (-int(priority[c]), c)))
    outside, meets, ends = _cut_matrices(
        np.ascontiguousarray(group_mask, dtype=bool).tobytes(),
        group_mask.shape[0],
        n_channels,
        order,
    )
    cuts = need @ outside + presence @ meets  # (rows, cuts)
    covered = np.zeros(need.shape, dtype=np.int64)
    previous = np.zeros(need.shape[0], dtype=np.int64)
    begin = 0
    for k, end in enumerate(ends):
        flow = cuts[:, begin:end].min(axis=1)
        covered[:, order[k]] = flow - previous
        previous = flow
        begin = end
    return covered


def fixed_allocation(v: Variables) -> np.ndarray:
    """The allocation of the fixed part of the roster (used outside the decided intervals)."""
    cached = v.cache.get("fixed_allocation")
    if cached is None:
        grid = v.problem.grid
        cached = allocate(grid.need, v.fixed_presence(), v.problem.group_mask, grid.priority)
        v.cache["fixed_allocation"] = cached
    return cached  # type: ignore[return-value]


def _costs(
    need: np.ndarray, presence: np.ndarray, group_mask: np.ndarray, priority: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Per row: (priority-weighted shortage, idle minutes)."""
    covered = allocate(need, presence, group_mask, priority)
    under = ((need - covered) * priority[None, :]).sum(axis=1)
    return under, presence.sum(axis=1) - covered.sum(axis=1)


def marginal_costs(v: Variables) -> tuple[np.ndarray, np.ndarray, int, int]:
    """For a one-agent model (``v.marginal``): per free candidate, the change of the raw
    under- and over-staffing values when it is worked alone, and both values without it."""
    cached = v.cache.get("marginal_costs")
    if cached is not None:
        return cached  # type: ignore[return-value]
    problem = v.problem
    grid = problem.grid
    fixed = v.fixed_presence()
    base_under, base_over = _costs(grid.need, fixed, problem.group_mask, grid.priority)
    sub = problem.cands.presence[v.free_ids].tocoo()
    n = len(v.free_ids)
    # Where no channel needs anyone, a shift's minutes are all idle and short nothing.
    needed = grid.need[sub.col].any(axis=1)
    d_under = np.zeros(n)
    # bincount over an empty selection returns int64, whatever the weights: cast, so the
    # float sums below can be added to it.
    d_over = np.bincount(sub.row[~needed], weights=sub.data[~needed], minlength=n).astype(float)
    if needed.any():
        cols, data, row = sub.col[needed], sub.data[needed], sub.row[needed]
        rows = fixed[cols].copy()
        groups = problem.cand_group[v.free_ids[row]]
        rows[np.arange(len(cols)), groups] += data
        under, over = _costs(grid.need[cols], rows, problem.group_mask, grid.priority)
        d_under += np.bincount(row, weights=under - base_under[cols], minlength=n)
        d_over += np.bincount(row, weights=over - base_over[cols], minlength=n)
    result = (
        np.rint(d_under).astype(np.int64),
        np.rint(d_over).astype(np.int64),
        int(base_under.sum()),
        int(base_over.sum()),
    )
    v.cache["marginal_costs"] = result
    return result
