"""Prepared data of the named-shift and horizon contract rules.

Named shifts (``[shift_types.NAME]``) replace the start grid when configured: an agent is
offered each named shift whose paid length is one of theirs and whose ``agent_rules.csv``
cap is not 0. The per-agent limits of the horizon rules (``[rules]`` overridden by
``agent_rules.csv``), the cover needs of ``shift_cover.csv`` and the request weights of
``shift_requests.csv`` become integer arrays here, so the rules in ``constraints/`` only
iterate over them (STYLE.md).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Any

import numpy as np

from planner.domain import Agent, AgentRules, Config, Horizon, ShiftCover, ShiftRequest
from planner.roster.break_rules import BreakNeeds
from planner.roster.problem import AgentLimits, Candidates, CoverNeeds

Offer = tuple[int, int, BreakNeeds, int]
"""(local start minute, paid minutes, break needs, shift type index or -1)."""


def offers(
    config: Config,
    starts: Iterable[int],
    lengths: Sequence[tuple[int, BreakNeeds]],
    type_max: np.ndarray | None,
) -> list[tuple[int, list[tuple[int, BreakNeeds, int]]]]:
    """The shifts one agent is offered each day, grouped by local start (ascending):
    every start of the grid with every paid length, or, with shift types configured, the
    agent's named shifts (a length of theirs, a cap other than 0 in ``type_max``)."""
    if not config.shift_types:
        group = [(paid, needs, -1) for paid, needs in lengths]
        return [(s, group) for s in starts]
    by_length = dict(lengths)
    grouped: dict[int, list[tuple[int, BreakNeeds, int]]] = {}
    for t, shift_type in enumerate(config.shift_types):
        needs = by_length.get(shift_type.minutes)
        if needs is None or (type_max is not None and type_max[t] == 0):
            continue
        grouped.setdefault(shift_type.start, []).append((shift_type.minutes, needs, t))
    return [(s, sorted(grouped[s], key=lambda g: (g[0], g[2]))) for s in sorted(grouped)]


def weekends(horizon: Horizon) -> tuple[tuple[int, ...], ...]:
    """Horizon day indices of each weekend (a Saturday and the Sunday after) touching the
    horizon, in date order."""
    found: dict[date, list[int]] = {}
    for i, day in enumerate(horizon.dates):
        if day.weekday() >= 5:
            saturday = day - timedelta(days=day.weekday() - 5)
            found.setdefault(saturday, []).append(i)
    return tuple(tuple(days) for _, days in sorted(found.items()))


def _minutes(hours: float) -> int:
    return math.floor(round(hours * 60, 6))


def agent_limits(
    agents: Sequence[Agent], config: Config, horizon: Horizon, rows: Iterable[AgentRules]
) -> AgentLimits:
    """Each agent's limits: the ``agent_rules.csv`` value where given, else ``[rules]``."""
    rules = config.rules
    by_id = {r.agent_id: r for r in rows}
    names = {t.name: i for i, t in enumerate(config.shift_types)}
    n = len(agents)
    limits = AgentLimits.none(n)
    type_max = np.full((n, len(names)), -1, dtype=np.int64)
    for a, agent in enumerate(agents):
        own = by_id.get(agent.agent_id, AgentRules(agent.agent_id))
        max_consecutive = _pick(own.max_consecutive_days, rules.max_consecutive_days)
        limits.max_consecutive[a] = max(0, max_consecutive)
        limits.min_consecutive[a] = max(
            1, _pick(own.min_consecutive_days, rules.min_consecutive_days)
        )
        limits.min_days_off[a] = max(
            1, _pick(own.min_consecutive_days_off, rules.min_consecutive_days_off)
        )
        weekends_cap = _pick(own.max_weekends, rules.max_weekends)
        limits.max_weekends[a] = -1 if weekends_cap is None else weekends_cap
        low = _pick(own.min_total_hours, rules.min_total_hours)
        limits.min_total[a] = math.ceil(round(low * 60, 6))
        high = _pick(own.max_total_hours, rules.max_total_hours)
        limits.max_total[a] = -1 if high is None else _minutes(high)
        for name, cap in own.max_shifts:
            if name in names:
                type_max[a, names[name]] = cap
    found = weekends(horizon)
    window = rules.weekend_window_weeks
    return AgentLimits(
        type_max=type_max,
        min_total=limits.min_total,
        max_total=limits.max_total,
        max_consecutive=limits.max_consecutive,
        min_consecutive=limits.min_consecutive,
        min_days_off=limits.min_days_off,
        max_weekends=limits.max_weekends,
        weekends=found,
        weekend_window=len(found) if window <= 0 else min(window, max(1, len(found))),
    )


def _pick(own: Any, default: Any) -> Any:
    return default if own is None else own


def cover_needs(config: Config, horizon: Horizon, rows: Iterable[ShiftCover]) -> CoverNeeds:
    """The cover rows on horizon dates and configured shift types (the last row of a pair
    wins; the readers reject duplicates), sorted by (day, shift type)."""
    names = {t.name: i for i, t in enumerate(config.shift_types)}
    table: dict[tuple[int, int], ShiftCover] = {}
    for row in rows:
        if horizon.contains(row.date) and row.shift_type in names:
            table[((row.date - horizon.start).days, names[row.shift_type])] = row
    keys = sorted(table)
    return CoverNeeds(
        day=np.array([d for d, _ in keys], dtype=np.int64),
        shift_type=np.array([t for _, t in keys], dtype=np.int64),
        required=np.array([table[k].required for k in keys], dtype=np.int64),
        weight_under=np.array([table[k].weight_under for k in keys], dtype=np.int64),
        weight_over=np.array([table[k].weight_over for k in keys], dtype=np.int64),
    )


def request_weights(
    cands: Candidates,
    agents: Sequence[Agent],
    config: Config,
    horizon: Horizon,
    rows: Iterable[ShiftRequest],
) -> tuple[np.ndarray | None, int]:
    """Per candidate: + the weight of each off-request it breaks, - the weight of each
    on-request it meets; and the total on-request weight (the cost with nothing met)."""
    rows = tuple(rows)
    if not rows:
        return None, 0
    names = {t.name: i for i, t in enumerate(config.shift_types)}
    index = {a.agent_id: i for i, a in enumerate(agents)}
    lookup = {
        (int(a), int(d), int(t)): j
        for j, (a, d, t) in enumerate(zip(cands.agent, cands.day, cands.types, strict=True))
    }
    weights = np.zeros(len(cands), dtype=np.int64)
    constant = 0
    for r in rows:
        a, t = index.get(r.agent_id), names.get(r.shift_type)
        if a is None or t is None or not horizon.contains(r.date):
            continue
        j = lookup.get((a, (r.date - horizon.start).days, t))
        if r.kind == "on":
            constant += r.weight
            if j is not None:
                weights[j] -= r.weight
        elif j is not None:
            weights[j] += r.weight
    return weights, constant
