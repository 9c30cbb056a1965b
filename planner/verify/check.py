"""The second opinion on every roster: re-checks every hard rule and recomputes the
objective from the roster's own data, independently of the solver.

No module of ``planner/verify`` imports OR-Tools (nor any module that does; a test enforces
it): they read shifts, breaks and inputs, and work everything out again from
docs/OBJECTIVE.md. The checker is split by concern:

- :mod:`planner.verify.context`: what the checks read and report (:class:`Violation`);
- one function per hard rule, in :data:`HARD_RULE_CHECKS`, keyed by exactly the names of
  OBJECTIVE.md's hard-rule table (``constraints/registry.py`` uses the same), in
  :mod:`~planner.verify.shift_rules`, :mod:`~planner.verify.hours_rules`,
  :mod:`~planner.verify.break_rules` and :mod:`~planner.verify.stability`;
- :mod:`planner.verify.coverage`: coverage per UTC interval by OBJECTIVE.md's min-cut formula,
  vectorised, and an explicit max-flow for KPIs that need who-covers-what;
- :mod:`planner.verify.terms`: the other objective terms and the weighted sum.

Every duration comes from UTC instants; every local date, weekday and clock time from
:mod:`zoneinfo` in the agent's zone, so DST nights are handled as they happen.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import pandas as pd

from planner.data.holiday_calendar import HolidayCalendar
from planner.data.roster_io import (
    FairnessHistory,
    Preference,
    RosterSource,
)
from planner.domain import (
    Agent,
    AgentRules,
    AvailabilityWindow,
    Config,
    Horizon,
    Roster,
    Shift,
    ShiftCover,
    ShiftRequest,
    TimeOff,
)
from planner.verify.break_rules import check_breaks
from planner.verify.context import CheckContext, RuleCheck, Violation, agents_by_id
from planner.verify.contract_rules import (
    check_forbidden_sequences,
    check_max_weekends,
    check_min_consecutive_days,
    check_min_consecutive_days_off,
    check_shift_type_limits,
    check_total_hours,
    rules_by_agent,
    shift_cover_term,
    shift_requests_term,
)
from planner.verify.coverage import Coverage, compute_coverage, coverage_terms
from planner.verify.floors import floor_shortfalls
from planner.verify.hours_rules import (
    check_max_consecutive_days,
    check_min_days_off,
    check_min_rest,
    check_weekly_hours,
)
from planner.verify.shift_rules import (
    check_availability,
    check_one_shift_per_day,
    check_shift_shape,
    check_skills,
    check_time_off,
    settle_paid_hours,
)
from planner.verify.stability import check_frozen_shifts, stability_term
from planner.verify.terms import (
    TERM_NAMES,
    fairness_term,
    overtime_term,
    preferences_term,
    weighted_objective,
)

log = logging.getLogger(__name__)


@dataclass
class CheckResult:
    """What the checker found: violations, raw objective terms and the weighted objective.

    ``terms`` holds every term of OBJECTIVE.md by name (raw, non-negative integers),
    plus ``under_staffing.<channel>`` (priority x staff-minutes short, summing to
    ``under_staffing``; 0 for a deferred channel), ``min_staff.<channel>`` (summing to
    ``min_staff``) and ``deferred_overdue_minutes.<channel>``. ``skipped`` names hard rules
    that could not be checked (the ``breaks`` rule when no breaks file was given).
    ``coverage`` is the per-interval
    coverage when requirements were given.
    """

    violations: list[Violation]
    terms: dict[str, int]
    objective: int
    skipped: tuple[str, ...] = ()
    coverage: Coverage | None = None

    @property
    def ok(self) -> bool:
        """No hard rule is broken."""
        return not self.violations

    def by_rule(self) -> dict[str, list[Violation]]:
        """Violations grouped by rule name, in :data:`HARD_RULE_CHECKS` order."""
        grouped: dict[str, list[Violation]] = {name: [] for name in HARD_RULE_CHECKS}
        for violation in self.violations:
            grouped.setdefault(violation.rule, []).append(violation)
        return grouped


HARD_RULE_CHECKS: dict[str, RuleCheck] = {
    "one_shift_per_day": check_one_shift_per_day,
    "shift_shape": check_shift_shape,
    "availability": check_availability,
    "time_off": check_time_off,
    "weekly_hours": check_weekly_hours,
    "min_rest": check_min_rest,
    "max_consecutive_days": check_max_consecutive_days,
    "min_days_off": check_min_days_off,
    "breaks": check_breaks,
    "skills": check_skills,
    "frozen_shifts": check_frozen_shifts,
    "shift_type_limits": check_shift_type_limits,
    "total_hours": check_total_hours,
    "min_consecutive_days": check_min_consecutive_days,
    "min_consecutive_days_off": check_min_consecutive_days_off,
    "max_weekends": check_max_weekends,
    "forbidden_sequences": check_forbidden_sequences,
}
"""One check per hard rule, keyed by exactly the names of OBJECTIVE.md's hard-rule table."""


def field_violations(source: RosterSource | None) -> list[Violation]:
    """The field faults found reading the roster's files, as violations of ``fields``."""
    if source is None:
        return []
    return [
        Violation("fields", f.agent_id, f.date, f.message, f.file, f.row, f.column)
        for f in source.faults
    ]


def _once_per_field(violations: list[Violation]) -> list[Violation]:
    """Drop a rule's violation of a field that reading already found at fault (the paid
    hours of a shift shorter than them, say): one line per fault."""
    read = {v.place for v in violations if v.rule == "fields"}
    return [v for v in violations if v.rule == "fields" or v.place not in read]


def check_roster(
    roster: Roster,
    agents: Iterable[Agent] | Mapping[str, Agent],
    config: Config,
    horizon: Horizon,
    calendar: HolidayCalendar,
    *,
    availability: Iterable[AvailabilityWindow] = (),
    time_off: Iterable[TimeOff] = (),
    previous: Sequence[Shift] = (),
    requirements: pd.DataFrame | None = None,
    preferences: Iterable[Preference] = (),
    fairness_history: FairnessHistory | None = None,
    breaks_given: bool = True,
    source: RosterSource | None = None,
    agent_rules: Iterable[AgentRules] = (),
    shift_requests: Iterable[ShiftRequest] = (),
    shift_cover: Iterable[ShiftCover] = (),
) -> CheckResult:
    """Re-check every hard rule on ``roster`` and recompute every objective term.

    ``previous`` is the previous roster (its shifts before the horizon start carry rest
    and consecutive days over; those in the freeze window are the published ones).
    Without ``requirements`` the coverage terms are 0. ``breaks_given=False`` says there
    is no breaks file: the ``breaks`` rule is skipped and each shift is assumed to hold
    exactly the unpaid meals the rules need when checking its paid hours. ``source`` (a
    roster read from files) lets faults name their file, row and column; its field faults
    come first, as rule ``fields``. ``agent_rules``, ``shift_requests`` and ``shift_cover``
    are the rows of ``agent_rules.csv``, ``shift_requests.csv`` and ``shift_cover.csv``.
    """
    availability = tuple(availability)
    time_off = tuple(time_off)
    by_id = agents_by_id(agents)
    windows: dict[str, list[AvailabilityWindow]] = defaultdict(list)
    for w in availability:
        windows[w.agent_id].append(w)
    days_off: dict[str, set[date]] = defaultdict(set)
    for t in time_off:
        days_off[t.agent_id].add(t.date)
    ctx = CheckContext(
        roster=roster,
        agents=by_id,
        config=config,
        horizon=horizon,
        calendar=calendar,
        availability={a: tuple(w) for a, w in windows.items()},
        time_off={a: frozenset(d) for a, d in days_off.items()},
        previous=tuple(previous),
        breaks_given=breaks_given,
        source=source,
        agent_rules=rules_by_agent(agent_rules),
    )
    ctx, pay_faults = settle_paid_hours(ctx)
    roster = ctx.roster
    skipped = () if breaks_given else ("breaks",)
    violations = field_violations(source) + pay_faults
    for name, check in HARD_RULE_CHECKS.items():
        if name in skipped:
            continue
        violations.extend(check(ctx))
    violations = _once_per_field(violations)
    coverage = None
    terms: dict[str, int] = {"under_staffing": 0, "over_staffing": 0, "deferred_overdue": 0}
    if requirements is not None:
        coverage = compute_coverage(roster, by_id, config, requirements, calendar)
        terms = coverage_terms(coverage)
    terms["fairness"] = fairness_term(
        roster,
        by_id,
        config,
        horizon,
        calendar,
        availability=availability,
        time_off=time_off,
        fairness_history=fairness_history,
    )
    terms["preferences"] = preferences_term(roster, preferences)
    terms["stability"] = stability_term(roster, previous, horizon, config)
    terms["overtime"] = overtime_term(roster, config, horizon, previous)
    terms.update(min_staff=0, min_leads=0)
    if requirements is not None:
        terms.update(floor_shortfalls(roster, by_id, config, requirements, calendar).terms())
    terms["shift_requests"] = shift_requests_term(roster, shift_requests, config, horizon)
    terms["shift_cover"] = shift_cover_term(roster, shift_cover, config, horizon)
    ordered = {name: terms[name] for name in TERM_NAMES}
    ordered.update({k: v for k, v in terms.items() if k not in ordered})
    result = CheckResult(
        violations=violations,
        terms=ordered,
        objective=weighted_objective(ordered, config),
        skipped=skipped,
        coverage=coverage,
    )
    log.debug("check: %d violation(s), objective %d", len(violations), result.objective)
    return result
