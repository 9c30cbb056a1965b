"""`python -m planner forecast`: interval forecast per channel, or a backtest of it.

``forecast --history H --config C --start DATE --weeks N --out F`` writes the
forecast for the horizon; ``--backtest WEEKS [--backtest-end DATE]`` holds out the
last WEEKS weeks of history (or the WEEKS weeks ending on DATE), forecasts them from
the history before and prints the WAPE table per channel against seasonal-naive.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pandas as pd

from planner.data.config import load_config
from planner.data.holiday_calendar import HolidayCalendar
from planner.data.io import check_horizon_start, parse_date_option, read_history, write_forecast
from planner.data.problems import InputError, Problems
from planner.demand.forecast import (
    Accuracy,
    BacktestResult,
    backtest,
    forecast,
    history_span,
)
from planner.domain import Config, Horizon

WHERE = "command line"
MAX_WEEKS = 52
MIN_TRAINING_DAYS = 14
"""Whole local days of history a forecast needs before its first date."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--history", required=True, metavar="H", help="history.csv")
    parser.add_argument("--config", required=True, metavar="C", help="config.toml")
    parser.add_argument(
        "--start", metavar="DATE", help="first local date YYYY-MM-DD (the week's first day)"
    )
    parser.add_argument("--weeks", metavar="N", help=f"whole weeks to forecast (1-{MAX_WEEKS})")
    parser.add_argument("--out", metavar="F", help="forecast.csv to write")
    parser.add_argument(
        "--backtest",
        metavar="WEEKS",
        help="hold out WEEKS weeks of history, forecast them and print WAPE per channel",
    )
    parser.add_argument(
        "--backtest-end",
        metavar="DATE",
        help="last held-out local date (default: the last whole day of history)",
    )


def _weeks_option(text: str | None, option: str, problems: Problems) -> int | None:
    if text is None:
        return None
    try:
        value = int(text.strip())
    except ValueError:
        value = 0
    if not 1 <= value <= MAX_WEEKS:
        problems.add(
            WHERE, None, option, f"{option} {text} must be a whole number from 1 to {MAX_WEEKS}"
        )
        return None
    return value


def _calendar(config: Config, history: pd.DataFrame, last: date) -> HolidayCalendar:
    first_year = pd.Timestamp(history["interval_start"].min()).year - 1
    return HolidayCalendar(config.holidays, range(first_year, last.year + 2))


@dataclass(frozen=True)
class _Options:
    """The command's options, checked: what to forecast and what to back-test."""

    forecasting: bool
    start: date | None
    weeks: int | None
    held_weeks: int | None
    held_end: date | None


def _options(args: argparse.Namespace, problems: Problems) -> _Options:
    forecasting = args.backtest is None or any(
        v is not None for v in (args.start, args.weeks, args.out)
    )
    if forecasting:
        for option, value in (
            ("--start", args.start),
            ("--weeks", args.weeks),
            ("--out", args.out),
        ):
            if value is None:
                problems.add(WHERE, None, option, f"{option} is required (or use --backtest)")
    if args.backtest_end is not None and args.backtest is None:
        problems.add(WHERE, None, "--backtest-end", "--backtest-end needs --backtest WEEKS")
    return _Options(
        forecasting=forecasting,
        start=parse_date_option(args.start, "--start", problems) if args.start else None,
        weeks=_weeks_option(args.weeks, "--weeks", problems),
        held_weeks=_weeks_option(args.backtest, "--backtest", problems),
        held_end=(
            parse_date_option(args.backtest_end, "--backtest-end", problems)
            if args.backtest_end
            else None
        ),
    )


def _check_history_reach(
    options: _Options, first_day: date, last_day: date, problems: Problems
) -> None:
    """Enough history before the forecast start and before the held-out weeks."""
    start, held_weeks = options.start, options.held_weeks
    if start is not None and (start - first_day).days < MIN_TRAINING_DAYS:
        problems.add(
            WHERE,
            None,
            "--start",
            f"history starts on {first_day}; a forecast from {start} needs at least "
            f"{MIN_TRAINING_DAYS} days of history before it",
        )
    if held_weeks is None:
        return
    end = options.held_end or last_day
    held_start = end - timedelta(days=7 * held_weeks - 1)
    if end > last_day:
        problems.add(
            WHERE, None, "--backtest-end", f"{end} is after history's last whole day {last_day}"
        )
    elif (held_start - first_day).days < MIN_TRAINING_DAYS:
        problems.add(
            WHERE,
            None,
            "--backtest",
            f"holding out {held_weeks} week(s) from {held_start} leaves "
            f"{max(0, (held_start - first_day).days)} day(s) of history to learn from; "
            f"at least {MIN_TRAINING_DAYS} are needed",
        )


def _read_inputs(
    args: argparse.Namespace, options: _Options, problems: Problems
) -> tuple[Config, pd.DataFrame]:
    """The config and the history, checked together with the options (all problems at once)."""
    config: Config | None = None
    try:
        config = load_config(Path(args.config))
    except InputError as error:
        for problem in error.problems:
            problems.add(problem.file, problem.row, problem.column, problem.rule, problem.severity)
    if config is not None and options.start is not None:
        check_horizon_start(options.start, config, problems, "--start")
    history = read_history(Path(args.history), config, problems)
    problems.raise_if_errors()
    assert config is not None  # no error: both files were read
    assert history is not None
    return config, history


def run(args: argparse.Namespace) -> int:
    problems = Problems()
    options = _options(args, problems)
    config, history = _read_inputs(args, options, problems)

    history_file = Path(args.history).name
    span = history_span(history, config)
    if span is None:
        problems.add(history_file, None, None, "has no whole local day of history")
        problems.raise_if_errors()
    assert span is not None
    first_day, last_day = span
    for channel in config.channel_names:
        if not (history["channel"] == channel).any():
            problems.add(history_file, None, "channel", f"channel {channel} has no history")
    _check_history_reach(options, first_day, last_day, problems)
    problems.raise_if_errors()

    if options.held_weeks is not None:
        end = options.held_end or last_day
        calendar = _calendar(config, history, end)
        result = backtest(history, config, calendar, options.held_weeks, end)
        print(format_backtest(result, first_day))
    if options.forecasting:
        assert options.start is not None
        assert options.weeks is not None
        horizon = Horizon(options.start, options.weeks)
        calendar = _calendar(config, history, horizon.end)
        frame = forecast(history, config, calendar, options.start, options.weeks)
        write_forecast(args.out, frame)
        print(summary(frame, horizon, args.out))
    return 0


def summary(frame: pd.DataFrame, horizon: Horizon, out: str) -> str:
    """One line per channel: what was written."""
    intervals = frame["interval_start"].nunique()
    last = horizon.end - timedelta(days=1)
    lines = [f"wrote {out}: {intervals} intervals, local dates {horizon.start} to {last}"]
    for channel, part in frame.groupby("channel", sort=False):
        contacts = part["contacts"].sum()
        aht = (part["contacts"] * part["aht_seconds"]).sum() / contacts if contacts > 0 else 0.0
        lines.append(f"  {channel}: {contacts:,.0f} contacts, mean AHT {aht:.0f} s")
    return "\n".join(lines)


def _percent(value: float | None, signed: bool = False) -> str:
    if value is None:
        return "n/a"
    return f"{value:+.1%}" if signed else f"{value:.1%}"


def _row(channel: str, days: str, accuracy: Accuracy) -> str:
    return (
        f"{channel:<10} {days:<9} {_percent(accuracy.model_wape):>8} "
        f"{_percent(accuracy.naive_wape):>15} {_percent(accuracy.improvement, signed=True):>12}"
    )


def format_backtest(result: BacktestResult, history_start: date) -> str:
    """The WAPE table of a backtest, per channel, with holiday-days rows."""
    lines = [
        f"Backtest: held out {result.start} to {result.end} ({result.weeks} week(s)), "
        f"learned from {history_start} to {result.start - timedelta(days=1)}",
        "WAPE = sum|forecast - actual| / sum(actual) over the held-out intervals; "
        "seasonal-naive = the same local interval one week earlier; "
        "improvement = 1 - model / seasonal-naive",
        "",
        f"{'channel':<10} {'days':<9} {'model':>8} {'seasonal-naive':>15} {'improvement':>12}",
    ]
    for overall, holidays in zip(result.overall, result.holidays, strict=True):
        lines.append(_row(overall.channel, "all", overall))
        if result.holiday_dates:
            lines.append(_row(overall.channel, "holidays", holidays))
    if result.holiday_dates:
        listed = ", ".join(d.isoformat() for d in result.holiday_dates)
        lines.append(f"\nholiday days held out: {listed}")
    else:
        lines.append("\nno holiday in the held-out weeks")
    return "\n".join(lines)
