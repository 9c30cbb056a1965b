"""The ordered list of business rules: hard rules first, then soft rules.

Names are those of docs/OBJECTIVE.md and of :data:`planner.verify.check.HARD_RULE_CHECKS`; a test
asserts the sets are equal. No discovery magic: a rule exists when it is listed here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING

from constraints import (
    availability,
    breaks,
    deferred_overdue,
    fairness,
    forbidden_sequences,
    frozen_shifts,
    max_consecutive_days,
    max_weekends,
    min_consecutive_days,
    min_consecutive_days_off,
    min_days_off,
    min_leads,
    min_rest,
    min_staff,
    one_shift_per_day,
    over_staffing,
    overtime,
    preferences,
    shift_cover,
    shift_requests,
    shift_shape,
    shift_type_limits,
    skills,
    stability,
    time_off,
    total_hours,
    under_staffing,
    weekly_hours,
)

if TYPE_CHECKING:
    from planner.roster.variables import Solution, Term, Variables


@dataclass(frozen=True)
class HardRule:
    """A rule every roster must keep; ``add`` posts it on a model."""

    name: str
    add: Callable[[Variables], None]
    doc: str


@dataclass(frozen=True)
class SoftRule:
    """A named penalty term: ``penalty`` builds it on a model, ``value`` computes it exactly
    on a concrete roster; its weight is ``weights.<name>`` in config."""

    name: str
    penalty: Callable[[Variables], Term]
    value: Callable[[Solution], int]
    doc: str


def _hard(module: ModuleType) -> HardRule:
    return HardRule(module.NAME, module.add, module.__doc__ or "")


def _soft(module: ModuleType) -> SoftRule:
    return SoftRule(module.NAME, module.penalty, module.value, module.__doc__ or "")


HARD_RULES: tuple[HardRule, ...] = tuple(
    _hard(m)
    for m in (
        one_shift_per_day,
        shift_shape,
        availability,
        time_off,
        weekly_hours,
        min_rest,
        max_consecutive_days,
        min_days_off,
        breaks,
        skills,
        frozen_shifts,
        shift_type_limits,
        total_hours,
        min_consecutive_days,
        min_consecutive_days_off,
        max_weekends,
        forbidden_sequences,
    )
)

SOFT_RULES: tuple[SoftRule, ...] = tuple(
    _soft(m)
    for m in (
        under_staffing,
        over_staffing,
        deferred_overdue,
        fairness,
        preferences,
        stability,
        overtime,
        min_staff,
        min_leads,
        shift_requests,
        shift_cover,
    )
)

HARD_RULE_NAMES = tuple(r.name for r in HARD_RULES)
SOFT_RULE_NAMES = tuple(r.name for r in SOFT_RULES)
