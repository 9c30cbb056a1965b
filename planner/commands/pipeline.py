"""``python -m planner pipeline``: forecast, staff, solve and check a data folder in one go.

``pipeline --data DIR --out DIR --start DATE --weeks N [--time-limit S] [--workers K]
[--seed S] [--fairness-out PATH] [--volume-multiplier X] [--aht-multiplier X]
[--service-level X] [--shrinkage X]``

This is what ``make run`` runs. It prints each stage and the solver's progress, writes
``forecast.csv``, ``requirements.csv``, ``roster.csv``, ``breaks.csv``, ``report.json`` and the
next period's ``fairness_history.csv`` into ``--out`` (each atomically, all only after the run
succeeded; the data folder's ``fairness_history.csv``, when present, is read and never written
over: :mod:`planner.commands.fairness_out`) and ends with the headline KPIs.
Exit 0 when the roster passes the independent check, 1 when no roster could be built or the
check found a violation, 2 on bad input.
"""

from __future__ import annotations

import argparse
import sys
import threading
from datetime import timedelta
from pathlib import Path

from planner.commands import fairness_out
from planner.commands.cancel import run_cancellable
from planner.commands.solve import print_progress, summary
from planner.commands.staff import add_what_if_arguments, what_if_scenario
from planner.data.io import (
    DataSet,
    check_horizon_start,
    load_dataset,
    parse_date_option,
    write_forecast,
    write_requirements,
)
from planner.data.problems import InputError, Problems
from planner.data.roster_io import (
    read_fairness_history,
    write_breaks,
    write_fairness_history,
    write_roster,
)
from planner.pipeline import PipelineResult, Scenario, run_pipeline
from planner.verify.report import build_report, write_report

LINE = "command line"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", type=Path, default=Path("data"), help="data folder")
    parser.add_argument("--out", type=Path, default=Path("out"), help="folder for the results")
    parser.add_argument("--start", required=True, help="first local date YYYY-MM-DD")
    parser.add_argument("--weeks", type=int, default=4, help="whole weeks (default 4)")
    parser.add_argument("--time-limit", type=float, default=60.0, help="solver seconds")
    parser.add_argument("--workers", type=int, default=2, help="CP-SAT workers (default 2)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    fairness_out.add_argument(parser)
    add_what_if_arguments(parser)


def _scenario(args: argparse.Namespace, problems: Problems) -> Scenario:
    if args.weeks < 1:
        problems.add(LINE, None, "--weeks", f"--weeks {args.weeks} must be 1 or more")
    if not args.time_limit > 0:
        problems.add(LINE, None, "--time-limit", f"--time-limit {args.time_limit} must be > 0")
    if args.workers < 1:
        problems.add(LINE, None, "--workers", f"--workers {args.workers} must be 1 or more")
    return Scenario(
        staffing=what_if_scenario(args, problems),
        time_limit=args.time_limit,
        workers=args.workers,
        seed=args.seed,
    )


def run(args: argparse.Namespace) -> int:
    problems = Problems()
    start = parse_date_option(args.start, "--start", problems)
    scenario = _scenario(args, problems)
    try:
        data = load_dataset(args.data, need_history=True, need_agents=True)
    except InputError as error:
        problems.extend(error.problems)
        data = None
    if data is not None and start is not None:
        check_horizon_start(start, data.config, problems)
    source = args.data / fairness_out.FILE_NAME
    history = None
    if data is not None and source.is_file():
        history = read_fairness_history(source, data.agents, problems)
        fairness_out.check_overlap(history, source, start, problems)
    else:
        source = None
    fairness_out.check_explicit(args.fairness_out, source, problems)
    problems.raise_if_errors()
    for warning in problems.warnings:
        print(warning, file=sys.stderr)
    assert data is not None
    assert start is not None
    target = fairness_out.choose(
        args.fairness_out, args.out, source, start + timedelta(days=7 * args.weeks - 1)
    )

    cancel = threading.Event()
    result = run_cancellable(
        lambda: run_pipeline(
            data,
            scenario,
            start,
            args.weeks,
            stage=lambda line: print(f"==> {line}", flush=True),
            progress=print_progress,
            cancel=cancel,
            fairness_history=history,
        ),
        cancel,
    )
    return _finish(args.out, result, data, target)


def _finish(out: Path, result: PipelineResult, data: DataSet, target: fairness_out.Target) -> int:
    solved = result.solve
    for line in summary(solved):
        print(line)
    if solved.roster is None:
        for line in solved.explanation:
            print(f"  {line}", file=sys.stderr)
        print("no roster: nothing was written", file=sys.stderr)
        return 1
    write_forecast(out / "forecast.csv", result.forecast)
    write_requirements(out / "requirements.csv", result.requirements)
    write_roster(out / "roster.csv", solved.roster, data.agents, data.config, result.calendar)
    write_breaks(out / "breaks.csv", solved.roster)
    write_report(out / "report.json", build_report(solved, result.kpis))
    names = "forecast.csv requirements.csv roster.csv breaks.csv report.json"
    if target.path is not None and result.next_fairness_history is not None:
        write_fairness_history(target.path, result.next_fairness_history)
        names += f" and {target.path}"
    print(f"wrote {out}/: {names}")
    if target.note:
        print(f"note: {target.note}")

    check = result.check
    assert check is not None
    for violation in check.violations:
        print(violation)
    verdict = "no violation" if check.ok else f"{len(check.violations)} violation(s)"
    print(f"independent check: {verdict}; objective {check.objective:,}")
    _print_kpis(result)
    return 0 if check.ok else 1


def _hours(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f} h"


def response_text(response: dict[str, float | None]) -> str:
    """A deferred channel's response times in one line (wall clock, and open hours)."""
    return (
        f"response mean {_hours(response['mean_hours'])} "
        f"({_hours(response['mean_open_hours'])} open), "
        f"90th percentile {_hours(response['p90_hours'])} "
        f"({_hours(response['p90_open_hours'])} open)"
    )


def _print_kpis(result: PipelineResult) -> None:
    if not result.kpis:
        return
    print("headline KPIs:")
    for name, channel in result.kpis["channels"].items():
        level = channel["service_level"]
        shown = "-" if level is None else f"{100 * level:.1f}%"
        print(
            f"  {name:<6} needed {channel['needed_staff_hours']:>8,.1f} staff-h  "
            f"covered {channel['covered_pct'] or 0:5.1f}%  "
            f"under {channel['under_staff_hours']:>7,.1f} h  projected SL {shown}"
        )
        if channel.get("response"):
            print(f"  {name:<6} {response_text(channel['response'])}")
    print(f"  idle (present, used by no channel) {result.kpis['idle_staff_hours']:,.1f} staff-h")
    print(f"  overtime {result.kpis['overtime_hours']:,.1f} h")
    for group, kinds in result.kpis["spread"].items():
        spread = ", ".join(f"{kind} {value}" for kind, value in kinds.items())
        print(f"  spread of shifts per agent ({group}): {spread}")
