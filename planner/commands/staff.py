"""`python -m planner staff --forecast F --config C --out R`: staffing requirement per
interval and channel (``requirements.csv``), with what-if options.

Prints a short summary, including the forecast contacts that fall outside the
coverage windows (handled elsewhere, or queued to the next opening for deferred
channels). Bad input exits 2 with every problem listed and nothing written.
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

import pandas as pd

from planner.data.config import load_config
from planner.data.io import read_forecast, write_requirements
from planner.data.problems import InputError, Problems
from planner.demand.staffing import StaffingScenario, compute_requirements, outside_coverage
from planner.domain import Config

COMMAND_LINE = "command line"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The contract options (--forecast, --config, --out) and the what-if options."""
    parser.add_argument("--forecast", required=True, type=Path, help="forecast.csv to staff")
    parser.add_argument("--config", required=True, type=Path, help="config.toml")
    parser.add_argument("--out", required=True, type=Path, help="requirements.csv to write")
    add_what_if_arguments(parser)


def add_what_if_arguments(parser: argparse.ArgumentParser) -> None:
    """The staffing what-if options (shared with ``pipeline``)."""
    what_if = parser.add_argument_group("what-if (each defaults to the forecast and config)")
    what_if.add_argument(
        "--volume-multiplier",
        type=float,
        default=1.0,
        metavar="X",
        help="scale every interval's contacts, e.g. 1.2 for 20%% more volume",
    )
    what_if.add_argument(
        "--aht-multiplier",
        type=float,
        default=1.0,
        metavar="X",
        help="scale handle time, e.g. 1.1 for calls 10%% longer",
    )
    what_if.add_argument(
        "--service-level",
        type=float,
        default=None,
        metavar="P",
        help="service level target for every live and concurrent channel, e.g. 0.9",
    )
    what_if.add_argument(
        "--shrinkage",
        type=float,
        default=None,
        metavar="S",
        help="shrinkage for every channel, e.g. 0.3",
    )


def what_if_scenario(args: argparse.Namespace, problems: Problems) -> StaffingScenario:
    """The what-if options, each range-checked and reported against its option."""

    def bad(option: str, value: float, rule: str) -> None:
        problems.add(COMMAND_LINE, None, option, f"{option} {value:g} {rule}")

    volume, aht = args.volume_multiplier, args.aht_multiplier
    level, shrinkage = args.service_level, args.shrinkage
    if not (math.isfinite(volume) and volume >= 0):
        bad("--volume-multiplier", volume, "must be a number 0 or more")
        volume = 1.0
    if not (math.isfinite(aht) and aht > 0):
        bad("--aht-multiplier", aht, "must be a number more than 0")
        aht = 1.0
    if level is not None and not 0 < level < 1:
        bad("--service-level", level, "must be a fraction between 0 and 1, e.g. 0.8")
        level = None
    if shrinkage is not None and not 0 <= shrinkage < 1:
        bad("--shrinkage", shrinkage, "must be a fraction from 0 up to (not including) 1")
        shrinkage = None
    return StaffingScenario(volume, aht, level, shrinkage)


def _read_inputs(args: argparse.Namespace, problems: Problems) -> tuple[Config, pd.DataFrame]:
    """Config and forecast, every problem of both collected; raises InputError on any."""
    config: Config | None = None
    try:
        config = load_config(args.config)
    except InputError as error:
        for p in error.problems:
            problems.add(p.file, p.row, p.column, p.rule, p.severity)
    forecast = read_forecast(args.forecast, config, problems)
    problems.raise_if_errors()
    # no error was found, so both files were read
    assert config is not None
    assert forecast is not None
    return config, forecast


def _summary(requirements: pd.DataFrame, config: Config, out: Path) -> list[str]:
    hours = config.site.interval_minutes / 60
    intervals = requirements["interval_start"].nunique()
    lines = [f"wrote {out}: {len(requirements):,} rows ({intervals:,} intervals)"]
    for name, rows in requirements.groupby("channel", sort=False):
        lines.append(
            f"  {name}: {rows['contacts'].sum():,.0f} contacts, "
            f"peak {int(rows['agents_needed'].max())} agents / "
            f"{int(rows['staff_needed'].max())} staff, "
            f"{rows['staff_needed'].sum() * hours:,.1f} staff-hours"
        )
    return lines


def run(args: argparse.Namespace) -> int:
    """Read, staff, write atomically, summarise; InputError (exit 2) before any write."""
    problems = Problems()
    scenario = what_if_scenario(args, problems)
    config, forecast = _read_inputs(args, problems)
    for warning in problems.warnings:
        print(warning, file=sys.stderr)
    requirements = compute_requirements(forecast, config, scenario)
    write_requirements(args.out, requirements)
    lines = _summary(requirements, config, args.out)
    outside = [o for o in outside_coverage(forecast, config, scenario) if o.contacts or o.carried]
    if outside:
        lines.append("outside the coverage windows:")
    for item in outside:
        if item.kind == "deferred":
            if item.contacts:
                lines.append(
                    f"  {item.channel}: {item.contacts:,.0f} contacts, queued for the next "
                    "opening (the response clock waits)"
                )
            if item.carried:
                lines.append(
                    f"  {item.channel}: {item.carried:,.0f} contacts arrive after the last "
                    "opening of the forecast (left for the next horizon)"
                )
        else:
            lines.append(f"  {item.channel}: {item.contacts:,.0f} contacts, handled elsewhere")
    print("\n".join(lines))
    return 0
