"""Speed of the staffing step: 6 weeks x 96 intervals (15 min) x 3 channels.

Run with ``python -m bench.staff_bench``. Times :func:`planner.demand.staffing.compute_requirements`
on a seeded synthetic forecast (an intraday curve with evening and weekend peaks) for
phone (live), sms (concurrent) and email (deferred), five times, and prints the median.
``--erlang-a`` gives the phone channel a caller patience, so Erlang A replaces Erlang C.
The target is under 1 second.
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import time

import numpy as np
import pandas as pd

from planner.demand.staffing import compute_requirements
from planner.domain import ChannelConfig, Config, SiteConfig

WEEKS = 6
INTERVAL_MINUTES = 15
RUNS = 5
TARGET_SECONDS = 1.0

CHANNELS = (
    ChannelConfig("phone", "live", service_level=0.8, answer_seconds=60),
    ChannelConfig("sms", "concurrent", service_level=0.8, answer_seconds=120, concurrency=2),
    ChannelConfig("email", "deferred", response_hours=4),
)
PEAK_CONTACTS = {"phone": 90.0, "sms": 55.0, "email": 40.0}
AHT_SECONDS = {"phone": 420.0, "sms": 600.0, "email": 540.0}


def synthetic_forecast(seed: int = 7) -> pd.DataFrame:
    """A 6-week, 15-minute forecast for three channels with realistic daily shapes."""
    rng = np.random.default_rng(seed)
    per_day = 24 * 60 // INTERVAL_MINUTES
    starts = pd.date_range(
        "2026-11-01T04:00Z", periods=WEEKS * 7 * per_day, freq=f"{INTERVAL_MINUTES}min"
    )
    local = starts.tz_convert("America/New_York")
    hour = local.hour.to_numpy() + local.minute.to_numpy() / 60
    evening = np.exp(-0.5 * ((hour - 20.0) / 3.5) ** 2)  # busiest around 8 pm
    weekend = np.where(local.day_of_week.to_numpy() >= 5, 1.3, 1.0)
    frames = []
    for name, peak in PEAK_CONTACTS.items():
        contacts = rng.poisson(peak * (0.1 + 0.9 * evening) * weekend).astype(float)
        aht = AHT_SECONDS[name] * rng.uniform(0.9, 1.1, len(starts))
        frames.append(
            pd.DataFrame(
                {
                    "interval_start": starts,
                    "channel": name,
                    "contacts": contacts,
                    "aht_seconds": aht,
                }
            )
        )
    return pd.concat(frames, ignore_index=True).sort_values(["interval_start", "channel"])


def bench_config(erlang_a: bool = False) -> Config:
    channels = CHANNELS
    if erlang_a:
        channels = (dataclasses.replace(CHANNELS[0], patience_seconds=180.0), *CHANNELS[1:])
    return Config(site=SiteConfig(interval_minutes=INTERVAL_MINUTES), channels=channels)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--erlang-a", action="store_true", help="phone callers hang up (Erlang A)")
    args = parser.parse_args()
    forecast = synthetic_forecast()
    config = bench_config(args.erlang_a)
    compute_requirements(forecast, config)  # warm-up: imports, holiday tables
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        result = compute_requirements(forecast, config)
        times.append(time.perf_counter() - started)
    median = statistics.median(times)
    model = "Erlang A" if args.erlang_a else "Erlang C"
    print(
        f"staff: {len(forecast):,} rows ({WEEKS} weeks x {24 * 60 // INTERVAL_MINUTES} intervals "
        f"x {len(CHANNELS)} channels, phone {model}): median {median:.3f} s of {RUNS} runs "
        f"(min {min(times):.3f}, max {max(times):.3f}); target < {TARGET_SECONDS:.0f} s; "
        f"peak {int(result['agents_needed'].max())} agents"
    )


if __name__ == "__main__":
    main()
