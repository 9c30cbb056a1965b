"""``python -m planner solve``: build the roster (CONTRACT.md).

``solve --agents A [--availability V] [--time-off T] --requirements R --config C --start DATE
--weeks N [--time-limit S] [--workers K] [--previous P] --out ROSTER [--breaks B] [--report J]``
plus ``--seed``, ``--relative-gap``, ``--mode full|plain|hinted``, ``--preferences``,
``--fairness-history`` and ``--lp-bound-seconds``.

Prints a progress line whenever the roster improves (elapsed, objective, best bound, gap,
under-staffed staff-hours). Ctrl-C stops the search and keeps the best roster found (written,
and said to be not proven optimal). When the hard rules cannot all hold it prints which
agents and rules conflict, writes nothing and exits 1. Bad input exits 2, nothing written.
"""

from __future__ import annotations

import argparse
import sys
import threading
from pathlib import Path
from typing import Any

import pandas as pd

from planner.config import parse_config
from planner.domain import Config, Horizon
from planner.holiday_calendar import HolidayCalendar
from planner.io import (
    check_horizon_start,
    parse_date_option,
    read_agents,
    read_availability,
    read_requirements,
    read_time_off,
)
from planner.kpi import compute_kpis
from planner.problems import Problems
from planner.report import build_report, write_report
from planner.roster_io import (
    read_fairness_history,
    read_preferences,
    read_roster,
    write_breaks,
    write_roster,
)
from planner.search import MODES, Progress
from planner.solve import SolveOptions, SolveResult, solve

LINE = "command line"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--agents", type=Path, required=True, help="agents.csv")
    parser.add_argument("--availability", type=Path, help="availability.csv (optional)")
    parser.add_argument("--time-off", type=Path, help="time_off.csv (optional)")
    parser.add_argument("--requirements", type=Path, required=True, help="requirements.csv")
    parser.add_argument("--config", type=Path, required=True, help="config.toml")
    parser.add_argument("--start", required=True, help="first local date YYYY-MM-DD")
    parser.add_argument("--weeks", type=int, required=True, help="whole weeks in the horizon")
    parser.add_argument("--time-limit", type=float, default=60.0, help="seconds (default 60)")
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
    parser.add_argument(
        "--lp-bound-seconds",
        type=float,
        default=0.0,
        help="wall limit of the LP relaxation bound, solved alongside the search (default 0: none)",
    )


def _options_ok(args: argparse.Namespace, problems: Problems) -> None:
    if args.weeks < 1:
        problems.add(LINE, None, "--weeks", f"--weeks {args.weeks} must be 1 or more")
    if not args.time_limit > 0:
        problems.add(LINE, None, "--time-limit", f"--time-limit {args.time_limit} must be > 0")
    if args.workers < 1:
        problems.add(LINE, None, "--workers", f"--workers {args.workers} must be 1 or more")
    if not 0 <= args.relative_gap < 1:
        problems.add(LINE, None, "--relative-gap", "--relative-gap must be in [0, 1)")
    if args.lp_bound_seconds < 0:
        problems.add(LINE, None, "--lp-bound-seconds", "--lp-bound-seconds must be 0 or more")


def _print_progress(p: Progress) -> None:
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
    config = parse_config(args.config, problems)
    start = parse_date_option(args.start, "--start", problems)
    _options_ok(args, problems)
    if start is not None and config is not None:
        check_horizon_start(start, config, problems)
    agents = read_agents(args.agents, config, problems)
    ids = [a.agent_id for a in agents]
    availability = read_availability(args.availability, ids, problems) if args.availability else []
    time_off = read_time_off(args.time_off, ids, problems) if args.time_off else []
    requirements = read_requirements(args.requirements, config, problems)
    horizon = Horizon(start, max(args.weeks, 1)) if start is not None else None
    usable = config or Config()
    years = range(horizon.start.year - 1, horizon.end.year + 2) if horizon else range(2000, 2001)
    calendar = HolidayCalendar(usable.holidays, years)
    previous = []
    if args.previous:
        previous = read_roster(
            args.previous, problems, agents=agents, config=usable, calendar=calendar
        )
    preferences = read_preferences(args.preferences, agents, problems) if args.preferences else []
    history = (
        read_fairness_history(args.fairness_history, agents, problems)
        if args.fairness_history
        else None
    )
    problems.raise_if_errors()
    for warning in problems.warnings:
        print(warning, file=sys.stderr)
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
        progress=_print_progress,
    )
    outcome: list[SolveResult] = []
    failure: list[BaseException] = []
    done = threading.Event()

    def work() -> None:
        try:
            outcome.append(
                solve(
                    agents,
                    requirements,
                    config,
                    horizon,
                    options,
                    availability=availability,
                    time_off=time_off,
                    previous=previous,
                    preferences=preferences,
                    fairness_history=history,
                    calendar=calendar,
                )
            )
        except BaseException as error:  # noqa: BLE001 - re-raised on the main thread
            failure.append(error)
        finally:
            done.set()

    print(
        f"solving {len(agents)} agents, {horizon.weeks} week(s) from {horizon.start} "
        f"(mode {args.mode}, time limit {args.time_limit:g} s, {args.workers} worker(s))",
        flush=True,
    )
    # The solve runs on a worker thread so that Ctrl-C (a KeyboardInterrupt on this thread)
    # only sets ``cancel``: the search stops and keeps its best roster. A second Ctrl-C
    # while it winds down gives up (nothing written). Waiting on an Event, not on
    # Thread.join, because an interrupted join may return before the thread ends.
    threading.Thread(target=work, name="solve", daemon=True).start()
    try:
        while not done.wait(0.2):
            pass
    except KeyboardInterrupt:
        print("cancel requested: keeping the best roster found so far", flush=True)
        cancel.set()
        while not done.wait(0.2):
            pass
    if failure:
        raise failure[0]
    result = outcome[0]
    return _finish(
        args, result, agents, config, horizon, calendar, requirements, availability, history
    )


def _finish(  # noqa: PLR0917
    args: argparse.Namespace,
    result: SolveResult,
    agents: list[Any],
    config: Config,
    horizon: Horizon,
    calendar: HolidayCalendar,
    requirements: pd.DataFrame,
    availability: list[Any],
    history: dict[str, dict[str, int]] | None,
) -> int:
    if result.roster is None:
        print(f"no roster: {result.status}", file=sys.stderr)
        for line in result.explanation:
            print(f"  {line}", file=sys.stderr)
        print("nothing was written", file=sys.stderr)
        return 1
    roster = result.roster
    kpis = compute_kpis(
        roster,
        agents,
        config,
        requirements,
        calendar,
        horizon,
        availability=availability,
        fairness_history=history,
    ).to_dict()
    write_roster(args.out, roster, agents, config, calendar)
    written = [str(args.out)]
    if args.breaks:
        write_breaks(args.breaks, roster)
        written.append(str(args.breaks))
    if args.report:
        write_report(args.report, build_report(result, kpis))
        written.append(str(args.report))
    for line in summary(result):
        print(line)
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
    for t in result.terms.values():
        lines.append(f"  {t.name:<15} raw {t.raw:>10,} x {t.weight:>5} = {t.cost:>12,}")
    bound = f"{result.bound:,.0f} ({result.bound_source})" if result.bound is not None else "-"
    gap = f"{100 * result.gap:.2f}%" if result.gap is not None else "-"
    lines.append(f"bound: {bound}  gap: {gap}")
    shortage = ", ".join(f"{c} {h:,.1f} h" for c, h in result.under_staffed_hours.items())
    lines.append(f"under-staffed staff-hours: {shortage}")
    lines += [f"note: {n}" for n in result.explanation + result.notes]
    return lines
