"""Peer forecast for the side-by-side bench: statsforecast's MSTL, per channel, in UTC.

Runs in its own environment, because statsforecast 2.1.1 needs pandas < 3:

    .venv-peer/bin/python bench/peer_mstl.py --history data/history.csv \\
        --train-end 2026-10-25T04:00:00Z --horizon 1344 --out /tmp/mstl.csv

It reads the same ``history.csv`` as the planner, keeps the rows before
``--train-end`` (an ISO 8601 instant), fills the intervals the file leaves out with
0 contacts on the regular UTC grid, fits ``MSTL(season_length=[day, week],
trend_forecaster=AutoETS(model="ZZN"))`` to each channel's contacts and writes
``interval_start`` (ISO 8601, ``Z``), ``channel``, ``contacts`` for the ``--horizon``
intervals that follow. MSTL knows nothing of holidays, DST or business time: it sees
the plain UTC series, as a generic time-series library would. Negative forecasts are
clipped to 0 (which only helps it). Standalone on purpose: no ``planner`` import.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import pandas as pd
from statsforecast import StatsForecast
from statsforecast.models import MSTL, AutoETS


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--history", required=True, help="history.csv")
    parser.add_argument("--train-end", required=True, help="first instant not learned from")
    parser.add_argument("--horizon", required=True, type=int, help="intervals to forecast")
    parser.add_argument("--out", required=True, help="forecast CSV to write")
    parser.add_argument("--interval-minutes", type=int, default=30, help="grid (default 30)")
    return parser.parse_args(argv)


def training_frame(history: pd.DataFrame, train_end: pd.Timestamp, minutes: int) -> pd.DataFrame:
    """``unique_id, ds, y`` on the full UTC grid (naive UTC ``ds``), missing rows as 0."""
    step = pd.Timedelta(minutes=minutes)
    past = history[history["interval_start"] < train_end]
    frames = []
    for channel, rows in past.groupby("channel", sort=False):
        series = rows.groupby("interval_start")["contacts"].sum()
        grid = pd.date_range(series.index.min(), train_end - step, freq=step)
        series = series.reindex(grid, fill_value=0.0)
        frames.append(
            pd.DataFrame(
                {"unique_id": channel, "ds": grid.tz_localize(None), "y": series.to_numpy(float)}
            )
        )
    return pd.concat(frames, ignore_index=True)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    history = pd.read_csv(args.history)
    history["interval_start"] = pd.to_datetime(history["interval_start"], utc=True)
    train_end = pd.Timestamp(args.train_end)
    train_end = (
        train_end.tz_localize("UTC") if train_end.tzinfo is None else train_end.tz_convert("UTC")
    )
    frame = training_frame(history, train_end, args.interval_minutes)
    per_day = 24 * 60 // args.interval_minutes
    model = MSTL(season_length=[per_day, 7 * per_day], trend_forecaster=AutoETS(model="ZZN"))
    started = time.perf_counter()
    forecast = StatsForecast(models=[model], freq=f"{args.interval_minutes}min", n_jobs=1).forecast(
        df=frame, h=args.horizon
    )
    elapsed = time.perf_counter() - started
    forecast = forecast.reset_index(drop=("unique_id" in forecast.columns))
    out = pd.DataFrame(
        {
            "interval_start": pd.DatetimeIndex(forecast["ds"]).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "channel": forecast["unique_id"].astype(str),
            "contacts": forecast["MSTL"].clip(lower=0.0).round(4),
        }
    )
    target = Path(args.out)
    partial = target.with_name(f".{target.name}.partial")
    out.to_csv(partial, index=False)
    os.replace(partial, target)  # never leave half a file behind
    channels = frame["unique_id"].nunique()
    print(f"MSTL fit+forecast of {channels} series: {elapsed:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
