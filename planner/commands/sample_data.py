"""`python -m planner sample-data --out DIR [--agents N] [--seed S] [--end DATE]`."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from planner.data.problems import Problems
from planner.data.sample_data import DEFAULT_SEED, DEFAULT_TODAY, SampleParams, write_sample

MAX_AGENTS = 2000
WHERE = "command line"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", required=True, help="folder to write into (created if missing)")
    parser.add_argument("--agents", type=int, default=80, help="number of agents (default 80)")
    parser.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})"
    )
    parser.add_argument(
        "--end",
        default=DEFAULT_TODAY.isoformat(),
        metavar="DATE",
        help="generation date YYYY-MM-DD; history ends on the Saturday on or before it "
        f"(default {DEFAULT_TODAY.isoformat()})",
    )


def parse_args(args: argparse.Namespace) -> tuple[Path, SampleParams]:
    """Check the options; every problem is reported at once and nothing is written."""
    problems = Problems()
    if not 1 <= args.agents <= MAX_AGENTS:
        problems.add(WHERE, None, "--agents", f"must be between 1 and {MAX_AGENTS}")
    if args.seed < 0:
        problems.add(WHERE, None, "--seed", "must be 0 or more")
    today = DEFAULT_TODAY
    try:
        today = date.fromisoformat(args.end)
    except ValueError:
        problems.add(WHERE, None, "--end", f"not a date YYYY-MM-DD: {args.end!r}")
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        problems.add(WHERE, None, "--out", f"exists and is not a folder: {out}")
    problems.raise_if_errors()
    return out, SampleParams(agents=args.agents, seed=args.seed, today=today)


def run(args: argparse.Namespace) -> int:
    out, params = parse_args(args)
    written = write_sample(out, params)
    print(
        f"wrote {len(written)} files to {out}: {params.agents} agent(s), "
        f"{params.history_weeks} weeks of history {params.history_start} to "
        f"{params.history_end}, seed {params.seed}"
    )
    return 0
