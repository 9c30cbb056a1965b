"""The ``fairness`` term on a roster file, its per-agent detail, and the next period's
``fairness_history.csv``, from docs/OBJECTIVE.md "fairness".

Part of the independent checker (:mod:`planner.verify.check`); never imports OR-Tools. The
deviations are computed as exact fractions (``count - T x E_a / E``), not with the solver's
integer form, so the two derivations meet only in the documented value.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from planner.data.holiday_calendar import HolidayCalendar
from planner.data.roster_io import (
    FAIRNESS_KINDS,
    FairnessCarry,
    FairnessHistory,
    shift_flags,
)
from planner.domain import Agent, AvailabilityWindow, Config, Horizon, Roster, TimeOff
from planner.verify.context import CONTRACT_GROUPS, agents_by_id


def eligible(
    agent: Agent, kind: str, availability: Sequence[AvailabilityWindow], config: Config
) -> bool:
    """Whether fairness compares this agent on ``kind`` (OBJECTIVE.md; exposure aside)."""
    if agent.max_weekly_hours <= 0:
        return False
    if not availability or kind == "holiday":
        return True
    if kind == "weekend":
        return any(w.weekday >= 5 for w in availability)
    if kind == "closer":
        return any(_runs_past_midnight(w, availability) for w in availability)
    return any(
        w.window.end > config.shifts.evening_ends_after or w.window.end > 1440 for w in availability
    )


def _runs_past_midnight(
    window: AvailabilityWindow, availability: Sequence[AvailabilityWindow]
) -> bool:
    """The window ends after 24:00, or at 24:00 where a window of the next weekday starts."""
    if window.window.end > 1440:
        return True
    following = (window.weekday + 1) % 7
    return window.window.end == 1440 and any(
        w.weekday == following and w.window.start == 0 for w in availability
    )


def horizon_weeks(agent_id: str, horizon: Horizon, time_off: Iterable[TimeOff]) -> int:
    """Weeks of the horizon in which the agent has a date not taken off."""
    off = {t.date for t in time_off if t.agent_id == agent_id and horizon.contains(t.date)}
    return sum(
        1
        for week in range(horizon.weeks)
        if any(day not in off for day in horizon.dates[7 * week : 7 * week + 7])
    )


def exposures(
    agents: Iterable[Agent] | Mapping[str, Agent],
    horizon: Horizon,
    time_off: Iterable[TimeOff] = (),
    fairness_history: FairnessHistory | None = None,
) -> dict[str, int]:
    """Per agent, ``E_a`` in contracted minutes: carried ``hours`` x 60 + the horizon's weeks
    not wholly taken off x ``max_weekly_hours`` x 60."""
    history = fairness_history or {}
    offs = tuple(time_off)
    return {
        a: history.get(a, FairnessCarry()).minutes
        + horizon_weeks(a, horizon, offs) * round(agent.max_weekly_hours * 60)
        for a, agent in sorted(agents_by_id(agents).items())
    }


def shift_units(
    roster: Roster,
    agents: Iterable[Agent] | Mapping[str, Agent],
    config: Config,
    horizon: Horizon,
    calendar: HolidayCalendar,
    *,
    weighted: bool = True,
) -> dict[str, dict[str, int]]:
    """Per agent and kind, what the horizon's shifts add (``weighted=False``: shifts)."""
    by_id = agents_by_id(agents)
    result = {a: dict.fromkeys(FAIRNESS_KINDS, 0) for a in sorted(by_id)}
    for shift in roster.shifts:
        agent = by_id.get(shift.agent_id)
        if agent is None or not horizon.contains(shift.date):
            continue
        flags = shift_flags(shift, agent, config, calendar)
        for kind in FAIRNESS_KINDS:
            result[agent.agent_id][kind] += flags.units(kind) if weighted else flags.count(kind)
    return result


def fairness_counts(
    roster: Roster,
    agents: Iterable[Agent] | Mapping[str, Agent],
    config: Config,
    horizon: Horizon,
    calendar: HolidayCalendar,
    *,
    fairness_history: FairnessHistory | None = None,
) -> dict[str, dict[str, int]]:
    """Per agent and kind, ``count_a``: carried count + what the horizon's shifts add."""
    history = fairness_history or {}
    units = shift_units(roster, agents, config, horizon, calendar)
    return {
        a: {k: n + history.get(a, FairnessCarry()).count(k) for k, n in kinds.items()}
        for a, kinds in units.items()
    }


@dataclass(frozen=True)
class FairnessGroup:
    """One comparison: the eligible agents of a contract group on one kind.

    ``counts`` and ``exposure`` (contracted minutes) per member; ``raw`` is the group's
    ``round_half_up(100 x sum |count - share|)`` before the kind weight.
    """

    contract: str
    kind: str
    weight: int
    counts: dict[str, int]
    exposure: dict[str, int]

    @property
    def total(self) -> int:
        """``T``: the team's count."""
        return sum(self.counts.values())

    @property
    def total_exposure(self) -> int:
        """``E``: the team's exposure in contracted minutes."""
        return sum(self.exposure.values())

    def share(self, agent_id: str) -> Fraction:
        """The agent's share at the team's rate, ``T x E_a / E`` (0 for an empty group)."""
        if not self.total_exposure:
            return Fraction(0)
        return Fraction(self.total * self.exposure[agent_id], self.total_exposure)

    def deviation(self, agent_id: str) -> Fraction:
        """``count_a - share_a``: above the team's rate when positive."""
        return self.counts[agent_id] - self.share(agent_id)

    @property
    def raw(self) -> int:
        """``floor(100 x sum |deviation| + 1/2)``."""
        return math.floor(100 * sum(abs(self.deviation(a)) for a in self.counts) + Fraction(1, 2))


def fairness_groups(
    counts: Mapping[str, Mapping[str, int]],
    exposure: Mapping[str, int],
    agents: Iterable[Agent] | Mapping[str, Agent],
    config: Config,
    availability: Iterable[AvailabilityWindow] = (),
) -> list[FairnessGroup]:
    """Every (contract group, kind) comparison, members being the eligible agents with
    exposure > 0."""
    by_id = agents_by_id(agents)
    windows: dict[str, list[AvailabilityWindow]] = defaultdict(list)
    for w in availability:
        windows[w.agent_id].append(w)
    weights = config.fairness.kind_weights
    result = []
    for contract in CONTRACT_GROUPS:
        for kind in FAIRNESS_KINDS:
            members = [
                a
                for a, agent in sorted(by_id.items())
                if agent.contract == contract
                and exposure[a] > 0
                and eligible(agent, kind, windows.get(a, []), config)
            ]
            result.append(
                FairnessGroup(
                    contract,
                    kind,
                    int(getattr(weights, kind)),
                    {a: int(counts[a][kind]) for a in members},
                    {a: int(exposure[a]) for a in members},
                )
            )
    return result


def fairness_term(
    roster: Roster,
    agents: Iterable[Agent] | Mapping[str, Agent],
    config: Config,
    horizon: Horizon,
    calendar: HolidayCalendar,
    *,
    availability: Iterable[AvailabilityWindow] = (),
    time_off: Iterable[TimeOff] = (),
    fairness_history: FairnessHistory | None = None,
) -> int:
    """``fairness`` = sum over groups of ``kind weight x raw``."""
    counts = fairness_counts(
        roster, agents, config, horizon, calendar, fairness_history=fairness_history
    )
    exposure = exposures(agents, horizon, time_off, fairness_history)
    groups = fairness_groups(counts, exposure, agents, config, availability)
    return sum(g.weight * g.raw for g in groups)


def next_fairness_history(
    roster: Roster,
    agents: Iterable[Agent] | Mapping[str, Agent],
    config: Config,
    horizon: Horizon,
    calendar: HolidayCalendar,
    *,
    time_off: Iterable[TimeOff] = (),
    fairness_history: FairnessHistory | None = None,
) -> dict[str, FairnessCarry]:
    """The ``fairness_history.csv`` of the next period: per agent of ``agents``, the carried
    counts plus this roster's, weeks plus the horizon's weeks not wholly off, hours plus those
    weeks' contracted hours; rows of agents no longer in ``agents`` carried on unchanged.
    ``through`` is the horizon's last date on every row."""
    history = dict(fairness_history or {})
    by_id = agents_by_id(agents)
    offs = tuple(time_off)
    units = shift_units(roster, by_id, config, horizon, calendar)
    last = horizon.dates[-1]
    result: dict[str, FairnessCarry] = {}
    for a, agent in by_id.items():
        carried = history.pop(a, FairnessCarry())
        weeks = horizon_weeks(a, horizon, offs)
        result[a] = FairnessCarry(
            counts={k: carried.count(k) + units[a][k] for k in FAIRNESS_KINDS},
            weeks=carried.weeks + weeks,
            minutes=carried.minutes + weeks * round(agent.max_weekly_hours * 60),
            through=last,
        )
    for a, carried in history.items():
        result[a] = FairnessCarry(carried.counts, carried.weeks, carried.minutes, last)
    return dict(sorted(result.items()))
