"""`python -m planner validate DIR`: check every contract file in a folder, change nothing.

The inputs (config.toml, required; agents, availability, time off, history,
forecast, requirements) are read by :mod:`planner.data.io`; a roster.csv,
breaks.csv, preferences.csv or fairness_history.csv in the folder is read by
:mod:`planner.data.roster_io` (format and the roster's evening/weekend/holiday flags;
the hard rules are ``check``'s job). Every problem of every file is printed,
one per line (errors first). With any error the exit status is 2; with
warnings only it is 0, and so is a clean folder, which also gets one summary
line per file read.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from planner.data.holiday_calendar import HolidayCalendar
from planner.data.io import DataSet, read_dataset
from planner.data.named_shifts_io import read_agent_rules, read_shift_cover, read_shift_requests
from planner.data.problems import Problems
from planner.data.roster_io import read_breaks, read_fairness_history, read_preferences, read_roster


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "directory",
        metavar="DIR",
        type=Path,
        help="folder holding config.toml and any of agents.csv, availability.csv, "
        "time_off.csv, history.csv, forecast.csv, requirements.csv",
    )


def run(args: argparse.Namespace) -> int:
    directory: Path = args.directory
    problems = Problems()
    if not directory.is_dir():
        problems.add(str(directory), None, None, "folder not found")
        problems.raise_if_errors()
    data = read_dataset(directory, problems)
    roster_lines = _roster_files(directory, data, problems)
    problems.raise_if_errors()  # the CLI prints every problem and exits 2
    for warning in problems.warnings:
        print(warning, file=sys.stderr)
    for line in summary(data) + roster_lines:
        print(line)
    files = len(data.files) + len(roster_lines)
    warned = f", {len(problems)} warning{'s' if len(problems) != 1 else ''}" if problems else ""
    print(f"{directory}: {files} files valid{warned}")
    return 0


def _roster_files(directory: Path, data: DataSet, problems: Problems) -> list[str]:
    """Read the roster-side files present; one summary line each."""
    lines: list[str] = []
    trusted = not problems.errors  # flags are only judged against a sound config and agents
    path = directory / "roster.csv"
    if path.is_file():
        shifts = read_roster(path, Problems())  # a first look, for the calendar's years
        years = {s.date.year for s in shifts} or {2000}
        calendar = HolidayCalendar(data.config.holidays, range(min(years), max(years) + 1))
        if trusted:
            shifts = read_roster(
                path, problems, agents=data.agents, config=data.config, calendar=calendar
            )
        else:
            shifts = read_roster(path, problems)
        people = len({s.agent_id for s in shifts})
        lines.append(f"roster.csv: {_count(len(shifts), 'shift')} for {_count(people, 'agent')}")
    if (path := directory / "breaks.csv").is_file():
        lines.append(f"breaks.csv: {_count(len(read_breaks(path, problems)), 'break')}")
    if (path := directory / "preferences.csv").is_file():
        preferences = read_preferences(path, data.agents, problems)
        lines.append(f"preferences.csv: {_count(len(preferences), 'preference')}")
    lines += _named_shift_files(directory, data, problems)
    if (path := directory / "fairness_history.csv").is_file():
        counts = read_fairness_history(path, data.agents, problems)
        agents = _count(len(counts), "agent")
        lines.append(f"fairness_history.csv: carried-over counts for {agents}")
    return lines


def _named_shift_files(directory: Path, data: DataSet, problems: Problems) -> list[str]:
    """agent_rules.csv, shift_requests.csv and shift_cover.csv when present."""
    ids = {a.agent_id for a in data.agents}
    lines = []
    if (path := directory / "agent_rules.csv").is_file():
        rules = read_agent_rules(path, ids, data.config, problems)
        lines.append(f"agent_rules.csv: own limits for {_count(len(rules), 'agent')}")
    if (path := directory / "shift_requests.csv").is_file():
        requests = read_shift_requests(path, ids, data.config, problems)
        lines.append(f"shift_requests.csv: {_count(len(requests), 'request')}")
    if (path := directory / "shift_cover.csv").is_file():
        cover = read_shift_cover(path, data.config, problems)
        lines.append(f"shift_cover.csv: {_count(len(cover), 'cover row')}")
    return lines


def summary(data: DataSet) -> list[str]:
    """One line per file read: what it holds, in a manager's words."""
    lines: list[str] = []
    config = data.config
    for name in data.files:
        if name == "config.toml":
            channels = ", ".join(f"{c.name} ({c.kind})" for c in config.channels)
            lines.append(
                f"config.toml: {config.site.interval_minutes}-minute intervals, weeks start "
                f"on {config.site.week_starts}, channels {channels}"
            )
        elif name == "agents.csv":
            lines.append(f"agents.csv: {_count(len(data.agents), 'agent')}")
        elif name == "availability.csv":
            people = len({w.agent_id for w in data.availability})
            lines.append(
                f"availability.csv: {_count(len(data.availability), 'window')} for "
                f"{_count(people, 'agent')}"
            )
        elif name == "time_off.csv":
            people = len({t.agent_id for t in data.time_off})
            lines.append(
                f"time_off.csv: {_count(len(data.time_off), 'day')} off for "
                f"{_count(people, 'agent')}"
            )
        else:
            frame = {
                "history.csv": data.history,
                "forecast.csv": data.forecast,
                "requirements.csv": data.requirements,
            }[name]
            lines.append(f"{name}: {_describe_intervals(frame)}")
    return lines


def _describe_intervals(frame: pd.DataFrame | None) -> str:
    if frame is None or frame.empty:
        return "no rows"
    first, last = frame["interval_start"].min(), frame["interval_start"].max()
    channels = ", ".join(dict.fromkeys(frame["channel"]))
    return (
        f"{_count(len(frame), 'row')}, intervals {first:%Y-%m-%d %H:%M} to "
        f"{last:%Y-%m-%d %H:%M} UTC, channels {channels}"
    )


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"
