"""``python -m planner solve``: build the roster (CONTRACT.md).

``solve --agents A [--availability V] [--time-off T] --requirements R --config C --start DATE
--weeks N [--time-limit S] [--workers K] [--previous P] --out ROSTER [--breaks B] [--report J]``
plus ``--seed``, ``--relative-gap``, ``--mode full|plain|hinted``, ``--preferences``,
``--fairness-history``, ``--fairness-out`` and ``--lp-bound-seconds``.

Besides the roster (and ``--breaks``, ``--report``) it writes the next period's
``fairness_history.csv``: the carried counts plus this roster's
(:mod:`planner.commands.fairness_out` says where, never over the history it read).

Prints a progress line whenever the roster improves (elapsed, objective, best bound, gap,
under-staffed staff-hours), and at the end each objective term with its lower bound and gap
(:mod:`planner.roster.bounds`, computed alongside the search). Ctrl-C stops the search and keeps the
best roster found (written, and said to be not proven optimal). When the hard rules cannot all
hold it prints which agents and rules conflict, writes nothing and exits 1. Bad input exits 2,
nothing written.
"""

from __future__ import annotations

import argparse
import sys
import threading
from pathlib import Path

import pandas as pd

from planner.commands import fairness_out
from planner.commands.cancel import run_cancellable
from planner.commands.roster_inputs import (
    RosterInputs,
    add_named_shift_arguments,
    read_roster_inputs,
)
from planner.data.io import (
    read_requirements,
)
from planner.data.problems import Problems
from planner.data.roster_io import (
    write_breaks,
    write_fairness_history,
    write_roster,
)
from planner.domain import LEAD_SKILL
from planner.roster.modes import MODES
from planner.roster.search import Progress
from planner.roster.solve import SolveOptions, SolveResult, solve
from planner.verify.fairness import next_fairness_history
from planner.verify.kpi import compute_kpis
from planner.verify.report import build_report, term_rows, write_report

LINE = "command line"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--agents", type=Path, required=True, help="agents.csv")
    parser.add_argument("--availability", type=Path, help="availability.csv (optional)")
    parser.add_argument("--time-off", type=Path, help="time_off.csv (optional)")
    parser.add_argument("--requirements", type=Path, required=True, help="requirements.csv")
    parser.add_argument("--config", type=Path, required=True, help="config.toml")
    parser.add_argument("--start", required=True, help="first local date YYYY-MM-DD")
    parser.add_argument("--weeks", type=int, required=True, help="whole weeks in the horizon")
    parser.add_argument(
        "--time-limit",
        type=float,
        default=60.0,
        help="seconds for the search (default 60); the constructive start always finishes, "
        "so the first roster of a large team may take longer",
    )
    parser.add_argument("--workers", type=int, default=2, help="CP-SAT workers (default 2)")
    parser.add_argument("--previous", type=Path, help="the published roster.csv before this one")
    parser.add_argument("--out", type=Path, required=True, help="roster.csv to write")
    parser.add_argument("--breaks", type=Path, help="breaks.csv to write")
    parser.add_argument("--report", type=Path, help="report.json to write")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument(
        "--relative-gap", type=float, default=0.0, help="stop at this gap to the bound (e.g. 0.01)"
    )
    parser.add_argument("--mode", choices=MODES, default="full", help="search (default full)")
    parser.add_argument("--preferences", type=Path, help="preferences.csv (optional)")
    parser.add_argument("--fairness-history", type=Path, help="fairness_history.csv (optional)")
    fairness_out.add_argument(parser)
    add_named_shift_arguments(parser)
    parser.add_argument(
        "--lp-bound-seconds",
        type=float,
        default=None,
        help="wall limit of the lower bounds (LP by week, total and per term), computed "
        "alongside the search (default: the time limit; 0: none)",
    )


def _options_ok(args: argparse.Namespace, problems: Problems) -> None:
    # --weeks is checked with the other roster inputs (planner/commands/roster_inputs.py)
    if not args.time_limit > 0:
        problems.add(LINE, None, "--time-limit", f"--time-limit {args.time_limit} must be > 0")
    if args.workers < 1:
        problems.add(LINE, None, "--workers", f"--workers {args.workers} must be 1 or more")
    if not 0 <= args.relative_gap < 1:
        problems.add(LINE, None, "--relative-gap", "--relative-gap must be in [0, 1)")
    if args.lp_bound_seconds is not None and args.lp_bound_seconds < 0:
        problems.add(LINE, None, "--lp-bound-seconds", "--lp-bound-seconds must be 0 or more")


def print_progress(p: Progress) -> None:
    objective = f"{p.objective:,}" if p.objective is not None else "-"
    bound = f"{p.bound:,.0f}" if p.bound is not None else "-"
    gap = f"{100 * p.gap:.2f}%" if p.gap is not None else "-"
    under = f"{p.under_staffed_hours:,.1f} h" if p.under_staffed_hours is not None else "-"
    print(
        f"[{p.elapsed:7.1f} s] objective {objective}  bound {bound}  gap {gap}  "
        f"under-staffed {under}  ({p.phase})",
        flush=True,
    )


def run(args: argparse.Namespace) -> int:
    problems = Problems()
    _options_ok(args, problems)
    inputs = read_roster_inputs(args, problems)
    requirements = read_requirements(args.requirements, inputs.config, problems)
    fairness_out.check_explicit(args.fairness_out, args.fairness_history, problems)
    start = inputs.horizon.start if inputs.horizon is not None else None
    fairness_out.check_overlap(inputs.fairness_history, args.fairness_history, start, problems)
    problems.raise_if_errors()
    for warning in problems.warnings:
        print(warning, file=sys.stderr)
    config, horizon = inputs.config, inputs.horizon
    assert config is not None
    assert horizon is not None
    assert requirements is not None

    cancel = threading.Event()
    options = SolveOptions(
        time_limit=args.time_limit,
        workers=args.workers,
        seed=args.seed,
        relative_gap=args.relative_gap,
        mode=args.mode,
        lp_bound_seconds=args.lp_bound_seconds,
        cancel=cancel,
        progress=print_progress,
    )
    print(
        f"solving {len(inputs.agents)} agents, {horizon.weeks} week(s) from {horizon.start} "
        f"(mode {args.mode}, time limit {args.time_limit:g} s, {args.workers} worker(s))",
        flush=True,
    )
    # A second Ctrl-C while the search winds down gives up (nothing written).
    result = run_cancellable(
        lambda: solve(
            inputs.agents,
            requirements,
            config,
            horizon,
            options,
            availability=inputs.availability,
            time_off=inputs.time_off,
            previous=inputs.previous,
            preferences=inputs.preferences,
            fairness_history=inputs.fairness_history,
            calendar=inputs.calendar,
            agent_rules=inputs.agent_rules,
            shift_requests=inputs.shift_requests,
            shift_cover=inputs.shift_cover,
        ),
        cancel,
    )
    return _finish(args, result, inputs, requirements)


def _finish(
    args: argparse.Namespace,
    result: SolveResult,
    inputs: RosterInputs,
    requirements: pd.DataFrame,
) -> int:
    if result.roster is None:
        print(f"no roster: {result.status}", file=sys.stderr)
        for line in result.explanation:
            print(f"  {line}", file=sys.stderr)
        print("nothing was written", file=sys.stderr)
        return 1
    roster = result.roster
    config, horizon = inputs.usable, inputs.horizon
    assert horizon is not None
    kpis = compute_kpis(
        roster,
        inputs.agents,
        config,
        requirements,
        inputs.calendar,
        horizon,
        availability=inputs.availability,
        time_off=inputs.time_off,
        fairness_history=inputs.fairness_history,
        previous=inputs.previous,
    ).to_dict()
    target = fairness_out.choose(
        args.fairness_out, args.out.parent, args.fairness_history, horizon.dates[-1]
    )
    write_roster(args.out, roster, inputs.agents, config, inputs.calendar)
    written = [str(args.out)]
    if args.breaks:
        write_breaks(args.breaks, roster)
        written.append(str(args.breaks))
    if args.report:
        write_report(args.report, build_report(result, kpis))
        written.append(str(args.report))
    if target.path is not None:
        history = next_fairness_history(
            roster,
            inputs.agents,
            config,
            horizon,
            inputs.calendar,
            time_off=inputs.time_off,
            fairness_history=inputs.fairness_history,
        )
        write_fairness_history(target.path, history)
        written.append(str(target.path))
    for line in summary(result):
        print(line)
    if target.note:
        print(f"note: {target.note}")
    print(f"wrote {', '.join(written)}")
    return 0


def summary(result: SolveResult) -> list[str]:
    """The closing lines: status, objective term by term, bound, gap, shortage per channel."""
    proven = "proven optimal" if result.status == "optimal" else "not proven optimal"
    lines = [
        f"status: {result.status} ({proven}), {len(result.roster.shifts) if result.roster else 0} "
        f"shifts, {result.wall_seconds:.1f} s",
        f"objective: {result.objective:,}" if result.objective is not None else "objective: -",
    ]
    for name, row in term_rows(result).items():
        bound = "" if row["bound"] is None else f"  bound {row['bound']:>12,}"
        gap = "" if row["gap"] is None else f"  gap {100 * row['gap']:6.2f}%"
        lines.append(
            f"  {name:<15} raw {row['raw']:>10,} x {row['weight']:>5} = {row['cost']:>12,}"
            f"{bound}{gap}"
        )
    bound = f"{result.bound:,.0f} ({result.bound_source})" if result.bound is not None else "-"
    gap = f"{100 * result.gap:.2f}%" if result.gap is not None else "-"
    lines.append(f"bound: {bound}  gap: {gap}")
    shortage = ", ".join(f"{c} {h:,.1f} h" for c, h in result.under_staffed_hours.items())
    lines.append(f"under-staffed staff-hours: {shortage}")
    floors = {c: h for c, h in result.floor_short_hours.items() if c != LEAD_SKILL}
    if floors:
        short = ", ".join(f"{c} {h:,.1f} h" for c, h in floors.items())
        lines.append(f"below channel floors (min_staff), staff-hours: {short}")
    if LEAD_SKILL in result.floor_short_hours:
        hours = result.floor_short_hours[LEAD_SKILL]
        lines.append(f"below the leads' floor (min_leads), lead-hours: {hours:,.1f} h")
    lines += [f"note: {n}" for n in result.explanation + result.notes]
    return lines
