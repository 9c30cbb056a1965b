"""Write a :class:`~tests.generated.spec.CaseSpec` as the contract files of a data folder.

``config.toml``, ``agents.csv``, ``availability.csv`` and ``time_off.csv`` (each optional
file only when the spec says so), and ``forecast.csv`` with one row per interval and channel
for the horizon's dates in business time plus the hours past midnight into which the last
date's coverage runs (CONTRACT.md), so that ``staff`` turns it into requirements. The
formats are CONTRACT.md's, written by hand: the writer must not lean on the code under test.
"""

from __future__ import annotations

import csv
import math
import random
from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from tests.generated.spec import CaseSpec, ChannelSpec, DemandSpec

UTC = ZoneInfo("UTC")


def _window_spill_minutes(window: str) -> int:
    """Minutes a coverage window runs past midnight (0 when it ends by midnight)."""
    if not window:
        return 0
    start_text, end_text = window.split("-")
    start = int(start_text[:2]) * 60 + int(start_text[3:])
    end = int(end_text[:2]) * 60 + int(end_text[3:])
    return end if end <= start else 0


def config_text(spec: CaseSpec) -> str:
    """``config.toml``: the contract keys from the spec, project keys at their defaults."""
    lines = [
        f"# Generated test case, seed {spec.seed} ({spec.theme}).",
        "[site]",
        f'business_timezone = "{spec.business_timezone}"',
        f"interval_minutes = {spec.interval_minutes}",
        f'week_starts = "{spec.week_starts}"',
        'approved_states = ["FL", "GA", "ID", "NC", "TX", "WA", "MI"]',
        "",
        "[coverage]",
        *(f'{key} = "{value}"' for key, value in spec.coverage.items()),
        "",
        "[shifts]",
        f'earliest_start = "{spec.earliest_start}"',
        f'latest_end = "{spec.latest_end}"',
        f"start_step_minutes = {spec.start_step_minutes}",
        f'evening_ends_after = "{spec.evening_ends_after}"',
        "",
        "[rules]",
        f"min_rest_hours = {spec.min_rest_hours}",
        f"max_consecutive_days = {spec.max_consecutive_days}",
        f"min_days_off_per_week = {spec.min_days_off_per_week}",
        "max_shifts_per_day = 1",
        "",
        "[staffing]",
        f"shrinkage = {spec.shrinkage}",
        "max_occupancy = 0.85",
        "",
    ]
    for channel in spec.channels:
        lines += [f"[channels.{channel.name}]", f'kind = "{channel.kind}"']
        if channel.kind in ("live", "concurrent"):
            lines += [
                f"service_level = {channel.service_level}",
                f"answer_seconds = {channel.answer_seconds}",
            ]
        if channel.kind == "live" and channel.patience_seconds is not None:
            lines.append(f"patience_seconds = {channel.patience_seconds}")
        if channel.kind == "concurrent":
            lines.append(f"concurrency = {channel.concurrency}")
        if channel.kind == "deferred":
            lines.append(f"response_hours = {channel.response_hours}")
        lines += [f"priority = {channel.priority}", ""]
    lines += [
        "[holidays]",
        f"use_agent_state = {'true' if spec.use_agent_state_holidays else 'false'}",
        "",
    ]
    return "\n".join(lines)


def _write_csv(path: Path, header: list[str], rows: list[list[object]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def _curve(hour: float, evening_peak: bool) -> float:
    """Relative volume at a local hour of the day, peak 1 (wraps around midnight)."""
    centre = 20.5 if evening_peak else 13.0
    distance = min(abs(hour - centre), 24 - abs(hour - centre))
    return 0.08 + 0.92 * math.exp(-0.5 * (distance / 3.0) ** 2)


def _contacts(
    channel: ChannelSpec, demand: DemandSpec, hour: float, interval: int, rng: random.Random
) -> float:
    """Contacts of one interval: offered load -> contacts at the channel's handle time."""
    per_erlang = interval * 60 / channel.aht_seconds  # contacts that make one Erlang
    peak = channel.peak_erlangs * per_erlang
    level = _curve(hour, demand.evening_peak) * rng.uniform(0.8, 1.2)
    if demand.pattern == "zero":
        return 0.0
    if demand.pattern == "mostly_zero":
        return float(round(peak * rng.uniform(0.3, 1.0))) if rng.random() < 0.05 else 0.0
    if demand.pattern == "curve":
        return float(round(peak * level)) if level > 0.3 else 0.0
    return float(max(1, round(peak * level)))  # positive: never an empty interval


def forecast_rows(spec: CaseSpec) -> list[list[object]]:
    """Rows of forecast.csv: every UTC interval of the horizon's business dates, plus the
    past-midnight tail of the last date's coverage, for every channel."""
    zone = ZoneInfo(spec.business_timezone)
    spill = max(_window_spill_minutes(w) for w in spec.coverage.values())
    first = datetime.combine(spec.start, time(), tzinfo=zone).astimezone(UTC)
    last = datetime.combine(spec.end, time(), tzinfo=zone).astimezone(UTC)
    last += timedelta(minutes=spill)
    rng = random.Random(spec.demand.seed)
    step = timedelta(minutes=spec.interval_minutes)
    rows: list[list[object]] = []
    moment = first
    while moment < last:
        local = moment.astimezone(zone)
        hour = local.hour + local.minute / 60
        stamp = moment.strftime("%Y-%m-%dT%H:%M:%SZ")
        for channel in spec.channels:
            contacts = _contacts(channel, spec.demand, hour, spec.interval_minutes, rng)
            aht = round(channel.aht_seconds * rng.uniform(0.9, 1.1), 1)
            rows.append([stamp, channel.name, f"{contacts:g}", f"{aht:g}"])
        moment += step
    return rows


CASE_FILES = (
    "config.toml",
    "agents.csv",
    "availability.csv",
    "time_off.csv",
    "forecast.csv",
    "spec.json",
    "requirements.csv",
    "roster.csv",
    "breaks.csv",
    "report.json",
)
"""What a case folder may hold: the inputs, then what staff and solve write."""


def write_case(spec: CaseSpec, directory: Path) -> Path:
    """Write the data folder of ``spec`` into ``directory`` (created); returns it.

    Files of an earlier case in the same folder are removed first: a stale requirements.csv
    or roster.csv would be validated along with the new files.
    """
    directory.mkdir(parents=True, exist_ok=True)
    for name in CASE_FILES:
        (directory / name).unlink(missing_ok=True)
    (directory / "config.toml").write_text(config_text(spec), encoding="utf-8")
    _write_csv(
        directory / "agents.csv",
        [
            "agent_id",
            "name",
            "state",
            "timezone",
            "contract",
            "min_weekly_hours",
            "max_weekly_hours",
            "shift_hours",
            "skills",
        ],
        [
            [
                a.agent_id,
                a.name,
                a.state,
                a.timezone,
                a.contract,
                a.min_weekly_hours,
                a.max_weekly_hours,
                a.shift_hours,
                ";".join(a.skills),
            ]
            for a in spec.agents
        ],
    )
    if spec.write_availability:
        _write_csv(
            directory / "availability.csv",
            ["agent_id", "weekday", "start", "end"],
            [[w.agent_id, w.weekday, w.start, w.end] for w in spec.availability],
        )
    if spec.write_time_off:
        _write_csv(
            directory / "time_off.csv",
            ["agent_id", "date", "reason"],
            [[agent_id, day.isoformat(), "generated"] for agent_id, day in spec.time_off],
        )
    _write_csv(
        directory / "forecast.csv",
        ["interval_start", "channel", "contacts", "aht_seconds"],
        forecast_rows(spec),
    )
    (directory / "spec.json").write_text(spec.to_json() + "\n", encoding="utf-8")
    return directory
