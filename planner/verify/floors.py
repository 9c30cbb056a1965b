"""Presence floors read again from the roster: minutes short of each channel's
``min_staff`` and of ``coverage.min_leads`` in the open intervals (docs/OBJECTIVE.md
``min_staff``, ``min_leads``).

Open intervals are the intervals of ``requirements.csv`` whose start lies inside the
``[coverage]`` windows (:func:`planner.demand.staffing.coverage_mask`). An agent is present
for the minutes of an interval on shift and off break (``breaks.csv``), and counts toward the
floor of every channel among their skills, and toward the leads' floor with the ``lead`` skill.

Part of the independent checker (:mod:`planner.verify.check`); never imports OR-Tools.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from planner.data.holiday_calendar import HolidayCalendar
from planner.demand.staffing import coverage_mask
from planner.domain import LEAD_SKILL, Agent, Config, Roster
from planner.verify.context import IntArray, agents_by_id
from planner.verify.coverage import presence_minutes


@dataclass(frozen=True)
class FloorShortfalls:
    """Minutes short per open interval: ``staff[t, c]`` of channel ``c``'s floor,
    ``leads[t]`` of the leads' floor (``open[t]``: the interval is open)."""

    channels: tuple[str, ...]
    open: np.ndarray
    staff: IntArray
    leads: IntArray

    def terms(self) -> dict[str, int]:
        """``min_staff`` (with ``min_staff.<channel>``) and ``min_leads``, raw."""
        per_channel = {
            f"min_staff.{c}": int(self.staff[:, i].sum()) for i, c in enumerate(self.channels)
        }
        return {
            "min_staff": sum(per_channel.values()),
            "min_leads": int(self.leads.sum()),
            **per_channel,
        }


def floor_shortfalls(
    roster: Roster,
    agents: Iterable[Agent] | Mapping[str, Agent],
    config: Config,
    requirements: pd.DataFrame,
    calendar: HolidayCalendar,
) -> FloorShortfalls:
    """Shortfalls of every floor over the intervals of ``requirements``."""
    by_id = agents_by_id(agents)
    channels = config.channel_names
    minutes = config.site.interval_minutes
    starts = pd.DatetimeIndex(pd.to_datetime(requirements["interval_start"], utc=True).unique())
    starts = starts.sort_values()
    grid = np.asarray(
        (starts - pd.Timestamp("1970-01-01", tz="UTC")) // pd.Timedelta(minutes=1), dtype=np.int64
    )
    is_open = coverage_mask(starts, config, calendar) if len(starts) else np.zeros(0, bool)
    kinds = (*channels, LEAD_SKILL)
    skill_sets: list[frozenset[str]] = []
    agent_group: dict[str, int] = {}
    for agent_id, agent in sorted(by_id.items()):
        skills = frozenset(agent.skills) & frozenset(kinds)
        if skills not in skill_sets:
            skill_sets.append(skills)
        agent_group[agent_id] = skill_sets.index(skills)
    presence = presence_minutes(
        roster.shifts,
        roster.breaks,
        agent_group,
        n_groups=len(skill_sets),
        grid=grid,
        interval_minutes=minutes,
    )

    def short(skill: str, floor: int) -> IntArray:
        having = [g for g, skills in enumerate(skill_sets) if skill in skills]
        present = presence[:, having].sum(axis=1)
        return np.where(is_open, np.maximum(0, floor * minutes - present), 0).astype(np.int64)

    staff = np.zeros((len(grid), len(channels)), dtype=np.int64)
    for i, channel in enumerate(config.channels):
        if channel.min_staff > 0:
            staff[:, i] = short(channel.name, channel.min_staff)
    leads = np.zeros(len(grid), dtype=np.int64)
    if config.coverage.min_leads > 0:
        leads = short(LEAD_SKILL, config.coverage.min_leads)
    return FloorShortfalls(channels, np.asarray(is_open, dtype=bool), staff, leads)
