"""`python -m planner check`: re-check every hard rule on a roster file, independently of
the solver (CONTRACT.md).

Prints each fault on its own line (rule, agent, local date, message; a fault in one field
of a file row starts its message with the file, the 1-based data row and the column), then
a summary; with ``--requirements`` also the coverage figures per channel (under/over
staff-hours, % of demand covered, projected service level) and the objective's terms.

A roster that parses but whose fields disagree (local vs UTC times, the date, the zone, paid
hours, a flag, a break's kind or paid flag) is at fault like one that breaks a hard rule:
rule ``fields``, listed first, all in one go, with the hard-rule violations of the roster
as best read (:func:`planner.data.roster_io.read_roster_source`).
Exit status: 0 no fault, 1 at least one fault, 2 bad input: a file that cannot be read as
its format says (missing column, unparsable value), or a bad input beside it (nothing
checked).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pandas as pd

from planner.commands.roster_inputs import add_named_shift_arguments, read_roster_inputs
from planner.data.io import (
    read_requirements,
)
from planner.data.problems import Problems
from planner.data.roster_io import read_roster_source
from planner.domain import Config, Horizon, Roster
from planner.verify.check import HARD_RULE_CHECKS, CheckResult, check_roster
from planner.verify.kpi import Kpis, compute_kpis
from planner.verify.terms import TERM_NAMES


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--agents", type=Path, required=True, help="agents.csv")
    parser.add_argument("--availability", type=Path, help="availability.csv (optional)")
    parser.add_argument("--time-off", type=Path, help="time_off.csv (optional)")
    parser.add_argument("--config", type=Path, required=True, help="config.toml")
    parser.add_argument(
        "--start", required=True, help="first local date of the horizon, YYYY-MM-DD"
    )
    parser.add_argument("--weeks", type=int, required=True, help="whole weeks in the horizon")
    parser.add_argument("--roster", type=Path, required=True, help="roster.csv to check")
    parser.add_argument(
        "--breaks",
        type=Path,
        help="breaks.csv of the roster; without it the break rules are not checked",
    )
    parser.add_argument(
        "--requirements", type=Path, help="requirements.csv: also print coverage figures"
    )
    parser.add_argument(
        "--previous",
        type=Path,
        help="the previous (published) roster.csv: rest and consecutive days across the "
        "horizon start, and the freeze window",
    )
    parser.add_argument("--preferences", type=Path, help="preferences.csv (optional)")
    parser.add_argument(
        "--fairness-history", type=Path, help="fairness_history.csv: carried-over counts"
    )
    add_named_shift_arguments(parser)


def run(args: argparse.Namespace) -> int:
    problems = Problems()
    inputs = read_roster_inputs(args, problems)
    config, horizon, calendar, agents = (
        inputs.config,
        inputs.horizon,
        inputs.calendar,
        inputs.agents,
    )
    rules = config is not None and horizon is not None  # flags are only checkable against both
    roster, source = read_roster_source(
        args.roster,
        args.breaks,
        problems,
        agents=agents,
        config=config if rules else None,
        calendar=calendar if rules else None,
    )
    requirements: pd.DataFrame | None = None
    if args.requirements:
        requirements = read_requirements(args.requirements, config, problems)
    problems.raise_if_errors()
    for warning in problems.warnings:
        print(warning, file=sys.stderr)
    assert config is not None
    assert horizon is not None
    availability = inputs.availability
    result = check_roster(
        roster,
        agents,
        config,
        horizon,
        calendar,
        availability=availability,
        time_off=inputs.time_off,
        previous=inputs.previous,
        requirements=requirements,
        preferences=inputs.preferences,
        fairness_history=inputs.fairness_history,
        breaks_given=args.breaks is not None,
        source=source,
        agent_rules=inputs.agent_rules,
        shift_requests=inputs.shift_requests,
        shift_cover=inputs.shift_cover,
    )
    for violation in result.violations:
        print(violation)
    for line in summary(result, roster, horizon, args.roster):
        print(line)
    if requirements is not None:
        kpis = compute_kpis(
            roster,
            agents,
            config,
            requirements,
            calendar,
            horizon,
            availability=availability,
            time_off=inputs.time_off,
            fairness_history=inputs.fairness_history,
            previous=inputs.previous,
        )
        for line in coverage_lines(kpis):
            print(line)
        for line in objective_lines(result, config):
            print(line)
    return 1 if result.violations else 0


def summary(result: CheckResult, roster: Roster, horizon: Horizon, path: Path) -> list[str]:
    """The verdict in one or two lines."""
    people = len({s.agent_id for s in roster.shifts})
    last = horizon.end - timedelta(days=1)
    head = f"{path}: {len(roster.shifts)} shifts of {people} agents, {horizon.start} to {last}: "
    checked = len(HARD_RULE_CHECKS) - len(result.skipped)
    if result.ok:
        lines = [f"{head}no violation of the {checked} hard rules checked"]
    else:
        by_rule = Counter(v.rule for v in result.violations)
        listed = ", ".join(f"{rule} {n}" for rule, n in by_rule.items())
        count = len(result.violations)
        lines = [f"{head}{count} violation{'s' if count != 1 else ''} ({listed})"]
    if "breaks" in result.skipped:
        lines.append(
            "breaks not checked (no --breaks file); paid hours assume the unpaid meals the "
            "rules require"
        )
    return lines


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f}%"


def _h(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f} h"


def coverage_lines(kpis: Kpis) -> list[str]:
    """Coverage per channel: needed, covered %, short and spare staff-hours, projected SL."""
    lines = ["coverage (staff-hours):"]
    for name, k in kpis.channels.items():
        covered = "-" if k.covered_pct is None else f"{k.covered_pct:.1f}%"
        lines.append(
            f"  {name}: needed {k.needed_staff_hours:.2f}, covered {covered}, "
            f"under {k.under_staff_hours:.2f}, over {k.over_staff_hours:.2f}, "
            f"projected service level {_pct(k.service_level)}"
        )
        if k.response is not None:
            r = k.response
            lines.append(
                f"  {name} response: mean {_h(r.mean_hours)} ({_h(r.mean_open_hours)} open), "
                f"90th percentile {_h(r.p90_hours)} ({_h(r.p90_open_hours)} open), "
                f"{r.unanswered:.0f} contacts unanswered at the end"
            )
    lines.append(f"  present but not needed: {kpis.idle_staff_hours:.2f} staff-hours")
    lines.append(f"  overtime: {kpis.overtime_hours:.2f} hours")
    floors = {c: h for c, h in kpis.floor_short_hours.items() if h > 0}
    if floors:
        short = ", ".join(f"{c} {h:.2f}" for c, h in floors.items())
        lines.append(f"  below channel floors (min_staff): {short} staff-hours")
    if kpis.lead_short_hours > 0:
        lines.append(
            f"  below the leads' floor (min_leads): {kpis.lead_short_hours:.2f} lead-hours"
        )
    return lines


def objective_lines(result: CheckResult, config: Config) -> list[str]:
    """Each objective term: raw value, weight and weighted value, then the total."""
    lines = ["objective terms (raw x weight):"]
    for name in TERM_NAMES:
        weight = int(getattr(config.weights, name))
        raw = result.terms[name]
        lines.append(f"  {name}: {raw} x {weight} = {raw * weight}")
    lines.append(f"objective: {result.objective}")
    return lines
