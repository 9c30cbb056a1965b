"""Presence floors: a channel's minimum staff (``min_staff``) and the minimum of leads
(``min_leads``) in every interval the team is open, whatever the forecast says.

:func:`prepare_floors` gives the prepared data (:class:`planner.roster.problem.Floors`): which
grid intervals are open (the ``[coverage]`` windows, as staffing reads them:
:func:`planner.demand.staffing.coverage_mask`) and the floor of each, in minutes. The rest is
the arithmetic both rules share: a floor is a matrix ``floor[t, k]`` (minutes) over some
*columns* ``k`` (the channels, or one column of leads) and a matrix ``columns[g, k]`` saying
which skill groups count toward which column; the shortfall of an interval is
``sum_k max(0, floor[t, k] - sum_{g: columns[g, k]} presence[t, g])``. An agent counts in
full toward every column of their group: a phone-and-sms agent toward both floors.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy import sparse

from planner.data.holiday_calendar import HolidayCalendar
from planner.demand.staffing import coverage_mask
from planner.domain import LEAD_SKILL, Agent, Config
from planner.roster.problem import Floors, Grid, RosterProblem

if TYPE_CHECKING:
    from planner.roster.variables import Expr, Variables


def prepare_floors(
    config: Config,
    grid: Grid,
    calendar: HolidayCalendar,
    agents: Sequence[Agent],
    agent_group: np.ndarray,
    *,
    n_groups: int,
) -> Floors:
    """Open intervals and the floors of :class:`~planner.roster.problem.Floors`."""
    n = grid.n_intervals
    is_open = np.zeros(n, dtype=bool)
    if n:
        starts = pd.DatetimeIndex(
            pd.Timestamp(grid.origin) + pd.to_timedelta(np.arange(n) * grid.interval_minutes, "m")
        )
        is_open = coverage_mask(starts, config, calendar) & grid.listed
    minutes = grid.interval_minutes
    per_channel = np.array([c.min_staff for c in config.channels], dtype=np.int64)
    staff = is_open[:, None].astype(np.int64) * per_channel[None, :] * minutes
    leads = is_open.astype(np.int64) * config.coverage.min_leads * minutes
    group_lead = np.zeros(n_groups, dtype=bool)
    for a, agent in enumerate(agents):
        if LEAD_SKILL in agent.skills:
            group_lead[agent_group[a]] = True
    return Floors(is_open, staff.reshape(n, len(per_channel)), leads, group_lead)


def shortfall(floor: np.ndarray, presence: np.ndarray, columns: np.ndarray) -> np.ndarray:
    """``max(0, floor - presence @ columns)`` per row and column (minutes)."""
    return np.maximum(0, floor - presence @ columns.astype(np.int64))


def floor_expr(v: Variables, floor: np.ndarray, columns: np.ndarray, name: str) -> Expr:
    """The shortfall summed over the grid as a linear expression of ``v``'s model: a constant
    where no free candidate is present, one ``short >= floor - presence`` variable per
    decided (interval, column) the fixed roster leaves short, or, for a one-agent model
    (``v.marginal``), a constant change per candidate."""
    if not floor.any():
        return 0
    if v.marginal:
        base, delta = _marginal(v, floor, columns)
        return v.sum_x(v.free_ids, -delta) + base if len(v.free_ids) else base
    cov = v.coverage()
    fixed = v.fixed_presence()
    total: Expr = int(shortfall(floor[~cov.in_scope], fixed[~cov.in_scope], columns).sum())
    current = shortfall(floor, v.incumbent.group_presence, columns)
    for t in cov.intervals.tolist():
        for k in np.flatnonzero(floor[t]).tolist():
            groups = np.flatnonzero(columns[:, k])
            missing = int(floor[t, k] - fixed[t, groups].sum())
            if missing <= 0:
                continue  # the fixed roster alone meets the floor here
            supply = sum((v.presence(t, int(g)) for g in groups), start=0)
            short = v.model.new_int_var(0, missing, f"{name}[{t},{k}]")
            v.model.add(short >= int(floor[t, k]) - supply)
            v.hint(short, int(current[t, k]))
            total += short
    return total


def _marginal(v: Variables, floor: np.ndarray, columns: np.ndarray) -> tuple[int, np.ndarray]:
    """The shortfall with the fixed roster alone, and how much each free candidate, worked
    alone, lowers it (exact when two of the free agent's shifts never share an interval)."""
    problem = v.problem
    fixed = v.fixed_presence()
    cols = columns.astype(np.int64)
    supply = fixed @ cols
    base = np.maximum(0, floor - supply)
    sub = problem.cands.presence[v.free_ids].tocoo()
    groups = problem.cand_group[v.free_ids[sub.row]]
    added = sub.data.astype(np.int64)[:, None] * cols[groups]
    after = np.maximum(0, floor[sub.col] - supply[sub.col] - added)
    gain = (base[sub.col] - after).sum(axis=1)
    delta = np.bincount(sub.row, weights=gain, minlength=len(v.free_ids))
    return int(base.sum()), np.rint(delta).astype(np.int64)


def reach_bound(problem: RosterProblem, floor: np.ndarray, columns: np.ndarray) -> int:
    """A lower bound of the shortfall on every roster (breaks at default positions): the
    shortfall if every agent were present, in each interval, as long as all their candidate
    shifts together reach into it (at most the interval)."""
    if not floor.any() or not len(problem.cands):
        return int(floor.sum())
    cands = problem.cands
    owner = sparse.csr_array(
        (np.ones(len(cands)), (cands.agent, np.arange(len(cands)))),
        shape=(problem.n_agents, len(cands)),
    )
    reach = sparse.csr_array(owner @ cands.presence)
    reach.data = np.minimum(reach.data, problem.grid.interval_minutes)
    per_agent = columns[problem.agent_group].astype(np.float64)  # (agents, columns)
    most = np.asarray(reach.T @ per_agent)  # (intervals, columns)
    return int(np.maximum(0, floor - np.rint(most).astype(np.int64)).sum())
