"""``python -m planner bench-curtois INSTANCE.txt --time-limit S [--workers K] --out SOLUTION.csv``:
solve a Curtois & Qu benchmark instance with the product's engine.

Reads the instance (CRLF or LF), maps it onto the product's rules
(:mod:`planner.benchmarks.curtois`), solves (:mod:`planner.benchmarks.curtois_solve`), writes
``SOLUTION.csv`` (``employee,day,shift``, 0-based days, one row per worked shift), re-reads it
with the product's independent checker, and prints the objective, the bound, the checker's
objective and the best-known bounds (``best_known.csv`` beside the instance, or
``--best-known``). Exit 1 when no roster was found or the checker disagrees; 2 for an
unreadable instance or bad options.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from planner.benchmarks.curtois import (
    InstanceError,
    read_best_known,
    read_instance,
    validate_solution,
    write_solution,
)
from planner.benchmarks.curtois_solve import solve_instance
from planner.data.problems import Problems

LINE = "command line"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("instance", type=Path, help="InstanceN.txt")
    parser.add_argument("--time-limit", type=float, default=60.0, help="seconds (default 60)")
    parser.add_argument("--workers", type=int, default=2, help="CP-SAT workers (default 2)")
    parser.add_argument("--out", type=Path, required=True, help="SOLUTION.csv to write")
    parser.add_argument(
        "--mode",
        choices=("auto", "full", "plain", "hinted"),
        default="auto",
        help="search mode (default auto: plain CP-SAT for small instances, else full)",
    )
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument(
        "--best-known", type=Path, help="best_known.csv (default: beside the instance)"
    )


def run(args: argparse.Namespace) -> int:
    problems = Problems()
    if not args.time_limit > 0:
        problems.add(LINE, None, "--time-limit", f"--time-limit {args.time_limit} must be > 0")
    if args.workers < 1:
        problems.add(LINE, None, "--workers", f"--workers {args.workers} must be 1 or more")
    instance = None
    try:
        instance = read_instance(args.instance)
    except OSError as error:
        problems.add(args.instance.name, None, None, f"cannot be read: {error.strerror or error}")
    except (InstanceError, UnicodeDecodeError) as error:
        problems.add(args.instance.name, None, None, str(error))
    problems.raise_if_errors()
    assert instance is not None
    print(
        f"{instance.name}: {instance.days} days, {len(instance.staff)} employees, "
        f"{len(instance.shifts)} shift types (time limit {args.time_limit:g} s, "
        f"{args.workers} worker(s))",
        flush=True,
    )
    solved = solve_instance(
        instance, time_limit=args.time_limit, workers=args.workers, mode=args.mode, seed=args.seed
    )
    result = solved.result
    if solved.assignment is None:
        print(f"no roster: {result.status}", file=sys.stderr)
        for line in result.explanation:
            print(f"  {line}", file=sys.stderr)
        return 1
    write_solution(args.out, solved.assignment)
    checked = validate_solution(instance, args.out)
    best = read_best_known(args.best_known or args.instance.parent / "best_known.csv")
    known = best.get(instance.name)
    bound = f"{result.bound:,.0f}" if result.bound is not None else "-"
    print(f"mode: {solved.mode}, status: {result.status}, {solved.seconds:.1f} s")
    print(f"objective: {result.objective}")
    print(f"bound: {bound}")
    print(f"checker objective (from {args.out.name} alone): {checked.objective}")
    if known is not None:
        lower = "-" if known.lower is None else str(known.lower)
        upper = "-" if known.upper is None else str(known.upper)
        gap = ""
        if known.upper and result.objective is not None:
            excess = 100 * (result.objective - known.upper) / known.upper
            gap = f", gap to best-known upper bound {excess:.2f}%"
        print(f"best known: lower {lower}, upper {upper}{gap}")
    print(f"wrote {args.out}")
    if not checked.ok or checked.objective != result.objective:
        for line in checked.violations:
            print(f"  {line}", file=sys.stderr)
        print("the checker disagrees with the solver", file=sys.stderr)
        return 1
    return 0
