"""Forecast accuracy, side by side: our model, seasonal-naive and statsforecast's MSTL.

    .venv/bin/python -m bench.forecast_bench [--history data/history.csv]
        [--config data/config.toml] [--case 4] [--case 4:2026-07-04]

Each ``--case WEEKS[:END]`` is a backtest: the WEEKS weeks ending on local date END
(default: the last whole day of history) are held out, and every method forecasts
them from the history before. Ours and seasonal-naive come from
:func:`planner.demand.forecast.backtest`; MSTL (``season_length=[48, 336]``,
``trend_forecaster=AutoETS(model="ZZN")``) runs in ``.venv-peer`` through
``bench/peer_mstl.py`` because statsforecast 2.1.1 needs pandas < 3. The bench
creates ``.venv-peer`` when it is missing. All three are scored by WAPE on the same
intervals, per channel, over all held-out days and over the holiday days alone.
The default cases are the last 4 weeks of history and the 4 weeks ending on
Saturday 4 July 2026 (Juneteenth and Independence Day; with `holidays.observed = "observed"`
the observed Friday 3 July instead of the Saturday).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pandas as pd

from planner.data.atomic import write_text
from planner.data.config import load_config
from planner.data.holiday_calendar import HolidayCalendar
from planner.data.io import read_history
from planner.data.problems import Problems
from planner.demand.forecast import backtest, history_span, local_instant, wape
from planner.domain import Config

ROOT = Path(__file__).resolve().parent.parent
PEER_VENV = ROOT / ".venv-peer"
PEER_PYTHON = PEER_VENV / "bin" / "python"
PEER_REQUIREMENT = "statsforecast==2.1.1"
RESULTS = ROOT / "bench" / "results" / "forecast_bench.json"
DEFAULT_CASES = ("4", "4:2026-07-04")
METHODS = ("model", "naive", "mstl")


@dataclass(frozen=True)
class Case:
    weeks: int
    end: date | None


def parse_case(text: str) -> Case:
    weeks, _, end = text.partition(":")
    return Case(int(weeks), date.fromisoformat(end) if end else None)


def ensure_peer_venv() -> None:
    """Create ``.venv-peer`` with statsforecast when it is not there yet (~20 s)."""
    if PEER_PYTHON.exists():
        return
    print(f"creating {PEER_VENV} with {PEER_REQUIREMENT} ...", flush=True)
    subprocess.run(["python3", "-m", "venv", str(PEER_VENV)], check=True)
    subprocess.run(
        [str(PEER_PYTHON), "-m", "pip", "install", "-q", "--disable-pip-version-check",
         PEER_REQUIREMENT],
        check=True,
    )  # fmt: skip


def run_mstl(
    history_path: Path, train_end: pd.Timestamp, horizon: int, minutes: int
) -> pd.DataFrame:
    """MSTL's forecast from ``bench/peer_mstl.py`` in the peer environment."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "mstl.csv"
        subprocess.run(
            [
                str(PEER_PYTHON), str(ROOT / "bench" / "peer_mstl.py"),
                "--history", str(history_path),
                "--train-end", train_end.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "--horizon", str(horizon),
                "--interval-minutes", str(minutes),
                "--out", str(out),
            ],
            check=True,
        )  # fmt: skip
        frame = pd.read_csv(out)
    frame["interval_start"] = pd.to_datetime(frame["interval_start"], utc=True)
    return frame.rename(columns={"contacts": "mstl"})


def score(frame: pd.DataFrame, channels: tuple[str, ...]) -> dict[str, dict[str, float | None]]:
    """WAPE of every method per channel on ``frame``'s rows."""
    table: dict[str, dict[str, float | None]] = {}
    for channel in channels:
        part = frame[frame["channel"] == channel]
        actual = part["actual"].to_numpy()
        table[channel] = {m: wape(actual, part[m].to_numpy()) for m in METHODS}
    return table


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1%}"


def _gain(ours: float | None, other: float | None) -> str:
    if ours is None or not other:
        return "n/a"
    return f"{1 - ours / other:+.1%}"


def format_table(title: str, table: dict[str, dict[str, float | None]]) -> str:
    header = f"{'model':>7} {'s-naive':>8} {'MSTL':>7} {'vs s-naive':>11} {'vs MSTL':>8}"
    lines = [title, f"  {'channel':<8} {header}"]
    for channel, row in table.items():
        lines.append(
            f"  {channel:<8} {_pct(row['model']):>7} {_pct(row['naive']):>8} "
            f"{_pct(row['mstl']):>7} {_gain(row['model'], row['naive']):>11} "
            f"{_gain(row['model'], row['mstl']):>8}"
        )
    return "\n".join(lines)


def run_case(
    case: Case, history: pd.DataFrame, history_path: Path, config: Config
) -> dict[str, object]:
    span = history_span(history, config)
    assert span is not None
    end = case.end or span[1]
    calendar = HolidayCalendar(config.holidays, range(span[0].year - 1, end.year + 2))
    started = time.perf_counter()
    result = backtest(history, config, calendar, case.weeks, end)
    ours_seconds = time.perf_counter() - started

    zone = config.site.zone
    minutes = config.site.interval_minutes
    train_end = local_instant(result.start, 0, zone)
    stop = local_instant(result.end + timedelta(days=1), 0, zone)
    horizon = int((stop - train_end) / pd.Timedelta(minutes=minutes))
    sys.stdout.flush()  # keep our lines before the peer's
    started = time.perf_counter()
    mstl = run_mstl(history_path, train_end, horizon, minutes)
    mstl_seconds = time.perf_counter() - started

    merged = result.evaluation.merge(mstl, on=["interval_start", "channel"], how="inner")
    if len(merged) != len(result.evaluation):
        print(f"warning: MSTL covers {len(merged)} of {len(result.evaluation)} intervals")
    channels = config.channel_names
    overall = score(merged, channels)
    holidays = score(merged[merged["holiday"]], channels)
    listed = ", ".join(d.isoformat() for d in result.holiday_dates) or "none"
    print()
    print(
        f"Backtest: held out {result.start} to {result.end} ({case.weeks} weeks); "
        f"holiday days: {listed}"
    )
    print(f"  run time: our model {ours_seconds:.1f} s, MSTL {mstl_seconds:.1f} s (3 fits)")
    print(format_table("WAPE, all held-out days:", overall))
    if result.holiday_dates:
        print(format_table("WAPE, holiday days alone:", holidays))
    return {
        "start": result.start.isoformat(),
        "end": result.end.isoformat(),
        "weeks": case.weeks,
        "holiday_dates": [d.isoformat() for d in result.holiday_dates],
        "seconds": {"model": round(ours_seconds, 2), "mstl": round(mstl_seconds, 2)},
        "wape": overall,
        "wape_holidays": holidays if result.holiday_dates else None,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--history", default=str(ROOT / "data" / "history.csv"))
    parser.add_argument("--config", default=str(ROOT / "data" / "config.toml"))
    parser.add_argument("--case", action="append", help="WEEKS[:END], repeatable")
    args = parser.parse_args(argv)
    cases = [parse_case(c) for c in (args.case or DEFAULT_CASES)]

    config = load_config(Path(args.config))
    problems = Problems()
    history = read_history(Path(args.history), config, problems)
    problems.raise_if_errors()
    assert history is not None
    ensure_peer_venv()
    started = time.perf_counter()
    results = [run_case(case, history, Path(args.history), config) for case in cases]
    total = time.perf_counter() - started
    print(f"\nbench wall time: {total:.0f} s")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    write_text(RESULTS, json.dumps({"cases": results, "seconds": round(total, 1)}, indent=2))
    print(f"figures written to {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
