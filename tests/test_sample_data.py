"""`sample-data`: deterministic, realistic, contract-shaped, and equal to the committed data/."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from planner.cli import main
from planner.data.config import parse_config
from planner.data.problems import Problems
from planner.data.sample_data import (
    DEFAULT_SEED,
    STATE_WEIGHTS,
    SampleParams,
    apportion,
    sample_config,
    week_is_feasible,
    write_sample,
)
from planner.data.zones import STATE_ZONES, resolve_zone
from planner.domain import Agent, AvailabilityWindow, Window

REPO = Path(__file__).resolve().parent.parent
BUSINESS_ZONE = "America/New_York"
FILES = ("config.toml", "agents.csv", "availability.csv", "time_off.csv", "history.csv")


@pytest.fixture(scope="module")
def default_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The data set for the default parameters, written once for this module."""
    out = tmp_path_factory.mktemp("sample") / "data"
    write_sample(out, SampleParams())
    return out


def _csv(folder: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(folder / name, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def agents(default_dir: Path) -> pd.DataFrame:
    return _csv(default_dir, "agents.csv")


@pytest.fixture(scope="module")
def history(default_dir: Path) -> pd.DataFrame:
    """history.csv with a UTC ``utc`` column and business-local ``local`` column."""
    frame = pd.read_csv(default_dir / "history.csv")
    frame["utc"] = pd.to_datetime(frame["interval_start"], utc=True)
    frame["local"] = frame["utc"].dt.tz_convert(BUSINESS_ZONE)
    frame["day"] = frame["local"].dt.date
    return frame


def _daily(history: pd.DataFrame) -> pd.Series:
    """Total contacts (all channels) per local business date."""
    return history.groupby("day")["contacts"].sum()


# --------------------------------------------------------------------------- determinism


def test_same_seed_same_bytes_and_another_seed_differs(tmp_path: Path) -> None:
    write_sample(tmp_path / "a", SampleParams(seed=7))
    write_sample(tmp_path / "b", SampleParams(seed=7))
    write_sample(tmp_path / "c", SampleParams(seed=8))
    for name in (*FILES, "README.md"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    for name in ("agents.csv", "history.csv"):
        assert (tmp_path / "a" / name).read_bytes() != (tmp_path / "c" / name).read_bytes(), name


def test_committed_data_equals_the_generator_output(default_dir: Path) -> None:
    committed = REPO / "data"
    generated = sorted(p.name for p in default_dir.iterdir())
    assert sorted(p.name for p in committed.iterdir() if not p.name.startswith(".")) == generated
    for name in generated:
        assert (committed / name).read_bytes() == (default_dir / name).read_bytes(), (
            f"data/{name} drifted from the generator: run "
            "`python -m planner sample-data --out data`"
        )
    assert f"--seed {DEFAULT_SEED}" in (committed / "README.md").read_text()


# --------------------------------------------------------------------------- command line


def test_cli_writes_every_contract_file_into_a_new_folder(tmp_path: Path) -> None:
    out = tmp_path / "new" / "folder"
    code = main(["sample-data", "--out", str(out), "--agents", "9", "--seed", "3"])
    assert code == 0
    for name in FILES:
        assert (out / name).stat().st_size > 0
    assert len(_csv(out, "agents.csv")) == 9
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


def test_cli_end_date_moves_history_to_the_saturday_on_or_before(tmp_path: Path) -> None:
    code = main(["sample-data", "--out", str(tmp_path), "--agents", "7", "--end", "2026-06-10"])
    assert code == 0
    last = pd.read_csv(tmp_path / "history.csv")["interval_start"].iloc[-1]
    last_local = pd.Timestamp(last).tz_convert(BUSINESS_ZONE)
    assert last_local.date() == date(2026, 6, 6)  # Wednesday 10 June -> Saturday 6 June
    assert (last_local.hour, last_local.minute) == (23, 30)


@pytest.mark.parametrize(
    ("option", "value"),
    [("--agents", "0"), ("--seed", "-1"), ("--end", "2026-02-30"), ("--end", "tomorrow")],
)
def test_cli_bad_option_is_bad_input_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], option: str, value: str
) -> None:
    out = tmp_path / "out"
    assert main(["sample-data", "--out", str(out), option, value]) == 2
    assert option in capsys.readouterr().err
    assert not out.exists()


def test_cli_out_that_is_a_file_is_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "plain.txt"
    target.write_text("keep me")
    assert main(["sample-data", "--out", str(target)]) == 2
    assert "--out" in capsys.readouterr().err
    assert target.read_text() == "keep me"


# --------------------------------------------------------------------------- config


def test_config_loads_with_the_project_parser_without_any_problem(default_dir: Path) -> None:
    problems = Problems()
    config = parse_config(default_dir / "config.toml", problems)
    assert [str(p) for p in problems] == []
    assert config == sample_config(SampleParams())
    assert config.site.business_timezone == BUSINESS_ZONE
    assert config.site.week_starts == "Sun"
    assert config.coverage.weekday == Window(16 * 60, 26 * 60)
    assert config.coverage.weekend == config.coverage.holiday == Window(8 * 60, 26 * 60)
    phone, sms, email = (config.channel(n) for n in ("phone", "sms", "email"))
    assert (phone.kind, phone.service_level, phone.answer_seconds, phone.priority) == (
        "live",
        0.8,
        60,
        3,
    )
    assert (sms.kind, sms.concurrency, sms.answer_seconds, sms.priority) == (
        "concurrent",
        2,
        120,
        2,
    )
    assert (email.kind, email.response_hours, email.priority) == ("deferred", 4, 1)
    assert date(2026, 12, 24) in config.holidays.extra_dates


def test_the_whole_folder_passes_validate(
    default_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", str(default_dir)]) == 0
    assert "error" not in capsys.readouterr().err


def test_every_config_key_has_a_comment(default_dir: Path) -> None:
    lines = (default_dir / "config.toml").read_text().splitlines()
    for i, line in enumerate(lines):
        if re.match(r"^[a-z_]+ = ", line):
            if line.endswith("["):  # a multi-line list: the comment follows its "]"
                closing = next(x for x in lines[i:] if x.startswith("]"))
                assert "#" in closing, line
            else:
                assert " # " in line, line


# --------------------------------------------------------------------------- agents


def test_every_state_and_every_split_zone_is_present(agents: pd.DataFrame) -> None:
    assert set(agents["state"]) == set(STATE_ZONES)
    zones = {resolve_zone(s, z) for s, z in zip(agents["state"], agents["timezone"], strict=True)}
    for split in ("America/Chicago", "America/Denver", "America/Los_Angeles", "America/Menominee"):
        assert split in zones
    # the split zones are used by the states they split, not just by main-zone states
    pairs = set(zip(agents["state"], agents["timezone"], strict=True))
    assert {("FL", "America/Chicago"), ("TX", "America/Denver")} <= pairs
    assert {("ID", "America/Los_Angeles"), ("MI", "America/Menominee")} <= pairs


def test_each_agent_zone_is_one_of_its_states_zones_and_some_cells_are_blank(
    agents: pd.DataFrame,
) -> None:
    for state, cell in zip(agents["state"], agents["timezone"], strict=True):
        assert resolve_zone(state, cell) in STATE_ZONES[state]
    blank = agents[agents["timezone"] == ""]
    assert 0 < len(blank) < len(agents)
    assert agents["agent_id"].is_unique
    assert agents["name"].is_unique
    assert len(agents) == 80


def test_full_and_part_time_mix_with_their_hours_and_shift_lengths(agents: pd.DataFrame) -> None:
    hours = agents.assign(
        lo=agents["min_weekly_hours"].astype(float), hi=agents["max_weekly_hours"].astype(float)
    )
    full = hours[hours["contract"] == "full_time"]
    part = hours[hours["contract"] == "part_time"]
    assert len(full) + len(part) == len(agents)
    assert 0.5 < len(full) / len(agents) < 0.8
    assert full["lo"].between(32, 40).all()
    assert (full["hi"] == 40).all()
    assert part["lo"].between(12, 20).all()
    assert part["hi"].between(24, 30).all()
    assert set(full["shift_hours"]) == {"8", "10", "8;10"}
    assert set(part["shift_hours"]) == {"4;6", "4;5;6"}
    assert (hours["lo"] <= hours["hi"]).all()


def test_not_everyone_has_every_skill_but_every_channel_is_covered(
    agents: pd.DataFrame,
) -> None:
    skills = [set(s.split(";")) for s in agents["skills"]]
    everything = sum(1 for s in skills if s == {"phone", "sms", "email"})
    assert 0.35 < everything / len(skills) < 0.65
    assert any(len(s) == 1 for s in skills)
    assert any(len(s) == 2 for s in skills)
    for channel in ("phone", "sms", "email"):
        assert sum(channel in s for s in skills) / len(skills) > 0.6, channel


def test_a_tiny_team_still_covers_every_channel(tmp_path: Path) -> None:
    write_sample(tmp_path, SampleParams(agents=3, history_weeks=1))
    small = _csv(tmp_path, "agents.csv")
    assert len(small) == 3
    assert "phone;sms;email" in set(small["skills"])


# --------------------------------------------------------------------------- availability


def test_availability_evening_only_weekend_heavy_and_mostly_free(
    default_dir: Path, agents: pd.DataFrame
) -> None:
    windows = _csv(default_dir, "availability.csv")
    assert list(windows.columns) == ["agent_id", "weekday", "start", "end"]
    assert set(windows["agent_id"]) <= set(agents["agent_id"])
    assert not windows.duplicated(["agent_id", "weekday"]).any()
    by_agent = windows.groupby("agent_id")
    evening = [a for a, g in by_agent if len(g) == 7 and (g["end"] <= g["start"]).all()]
    weekend = [
        a
        for a, g in by_agent
        if {"Fri", "Sat", "Sun"} <= set(g["weekday"]) and 1 <= len(g) - 3 <= 2
    ]
    assert len(evening) >= 5
    assert len(weekend) >= 4
    assert len(evening) + len(weekend) == windows["agent_id"].nunique()
    assert windows["agent_id"].nunique() < 0.4 * len(agents)


# --------------------------------------------------------------------------- time off


def test_time_off_is_after_history_unique_and_a_handful_per_agent(default_dir: Path) -> None:
    off = _csv(default_dir, "time_off.csv")
    assert list(off.columns) == ["agent_id", "date", "reason"]
    days = pd.to_datetime(off["date"]).dt.date
    first = date(2026, 11, 22)  # the Sunday after history ends
    assert days.min() >= first
    assert days.max() < first + timedelta(weeks=8)
    assert not off.duplicated(["agent_id", "date"]).any()
    assert off.groupby("agent_id").size().max() <= 4
    assert off["agent_id"].nunique() >= 15
    assert (off["reason"] != "").all()
    assert date(2026, 11, 26) in set(days)  # somebody asked for Thanksgiving


def test_time_off_leaves_every_week_able_to_reach_the_minimum(
    default_dir: Path, agents: pd.DataFrame
) -> None:
    """Independent arithmetic: the lowered minimum fits in the days still free."""
    off = _csv(default_dir, "time_off.csv")
    windows = _csv(default_dir, "availability.csv")
    off_days = {
        (a, date.fromisoformat(d)) for a, d in zip(off["agent_id"], off["date"], strict=True)
    }
    first = date(2026, 11, 22)
    for row in agents.itertuples():
        longest = max(float(h) for h in row.shift_hours.split(";"))
        weekdays = set(windows.loc[windows["agent_id"] == row.agent_id, "weekday"])
        for week in range(8):
            days = [first + timedelta(days=7 * week + i) for i in range(7)]
            k = sum((row.agent_id, d) in off_days for d in days)
            need = max(0.0, float(row.min_weekly_hours) - k * longest)
            free = [
                d
                for d in days
                if (row.agent_id, d) not in off_days
                and (not weekdays or d.strftime("%a") in weekdays)
            ]
            assert need <= longest * min(5, len(free)), (row.agent_id, week)


def _agent(min_hours: float, shifts: tuple[float, ...]) -> Agent:
    return Agent(
        "X", "X", "WA", "America/Los_Angeles", "full_time", min_hours, 40, shifts, ("sms",)
    )


def test_week_is_feasible_lowers_the_minimum_per_time_off_date() -> None:
    week = [date(2026, 11, 22) + timedelta(days=i) for i in range(7)]
    # only Sat and Sun available, 8-hour shifts: 16 hours at most
    windows = [AvailabilityWindow("X", d, Window(8 * 60, 24 * 60)) for d in (5, 6)]
    assert not week_is_feasible(_agent(20, (8,)), windows, week, set())
    # one date off lowers 20 by 8 to 12: two 8-hour shifts (16) fit again
    assert week_is_feasible(_agent(20, (8,)), windows, week, {week[1]})
    # a 10-hour shift needs a window of 10 hours
    short = [AvailabilityWindow("X", d, Window(16 * 60, 24 * 60)) for d in range(7)]
    assert not week_is_feasible(_agent(10, (10,)), short, week, set())
    # without availability rows, 5 days x 8 hours = 40 reach a 40-hour minimum
    assert week_is_feasible(_agent(40, (8,)), [], week, set())
    # ... but not a 41-hour minimum with 8-hour shifts (max 40 also caps it)
    assert not week_is_feasible(_agent(41, (8,)), [], week, set())


# --------------------------------------------------------------------------- history


def test_history_covers_52_weeks_of_the_30_minute_grid_ending_on_a_saturday(
    history: pd.DataFrame,
) -> None:
    assert list(history.columns[:4]) == ["interval_start", "channel", "contacts", "aht_seconds"]
    assert history["interval_start"].str.endswith("Z").all()
    assert set(history["channel"]) == {"phone", "sms", "email"}
    assert not history.duplicated(["interval_start", "channel"]).any()
    start = pd.Timestamp("2025-11-23", tz=BUSINESS_ZONE)  # local midnight, a Sunday
    end = pd.Timestamp("2026-11-22", tz=BUSINESS_ZONE)  # local midnight after Saturday
    assert start.weekday() == 6
    assert (end - timedelta(days=1)).weekday() == 5
    for _, group in history.groupby("channel"):
        times = group["utc"].sort_values()
        assert times.iloc[0] == start
        assert times.iloc[-1] + timedelta(minutes=30) == end
        assert (times.diff().dropna() == timedelta(minutes=30)).all()
        assert len(times) == (end - start) / timedelta(minutes=30) == 52 * 7 * 48
    assert (history["contacts"] >= 0).all()
    assert history["contacts"].dtype.kind == "i"
    assert (history["aht_seconds"] > 0).all()


def test_history_end_is_the_saturday_on_or_before_today() -> None:
    assert SampleParams(today=date(2026, 11, 21)).history_end == date(2026, 11, 21)
    assert SampleParams(today=date(2026, 11, 20)).history_end == date(2026, 11, 14)
    assert SampleParams(today=date(2026, 11, 22)).history_end == date(2026, 11, 21)
    assert SampleParams(history_weeks=52).history_start == date(2025, 11, 23)


def test_volume_scale_fits_an_80_agent_team(history: pd.DataFrame) -> None:
    """Median daily busiest interval per channel: phone 40-80, sms ~30-50, email ~20-40."""
    daily_peak = history.groupby(["channel", "day"])["contacts"].max().groupby("channel").median()
    assert 40 <= daily_peak["phone"] <= 80
    assert 25 <= daily_peak["sms"] <= 50
    assert 18 <= daily_peak["email"] <= 40


def test_aht_is_near_each_channels_typical_value(history: pd.DataFrame) -> None:
    weighted = (history["aht_seconds"] * history["contacts"]).groupby(history["channel"]).sum()
    mean = weighted / history.groupby("channel")["contacts"].sum()
    for channel, typical in (("phone", 360), ("sms", 420), ("email", 600)):
        assert abs(mean[channel] / typical - 1) < 0.08, channel
    assert history.groupby("channel")["aht_seconds"].std().gt(0).all()


def test_weekend_days_are_busier_than_weekdays(history: pd.DataFrame) -> None:
    daily = _daily(history)
    weekday = pd.Series([d.weekday() for d in daily.index], index=daily.index)
    weekend = daily[weekday >= 5].mean()
    midweek = daily[weekday.between(0, 3)].mean()
    assert weekend > 1.2 * midweek


def test_evening_peak_in_business_time(history: pd.DataFrame) -> None:
    phone = history[(history["channel"] == "phone") & (history["local"].dt.day_of_week < 5)]
    hour = phone["local"].dt.hour
    evening = phone.loc[hour.between(19, 21), "contacts"].mean()
    midday = phone.loc[hour.between(11, 13), "contacts"].mean()
    night = phone.loc[hour.between(3, 5), "contacts"].mean()
    assert evening > 1.4 * midday
    assert midday > 3 * night > 0  # another team handles the night, but contacts exist


def test_dst_moves_the_utc_pattern_by_one_hour(history: pd.DataFrame) -> None:
    """The shape lives in Eastern time: its UTC profile is an hour earlier in summer."""
    phone = history[history["channel"] == "phone"]

    def utc_profile(month: int) -> np.ndarray:
        part = phone[phone["local"].dt.month == month]
        return np.asarray(part.groupby(part["utc"].dt.hour)["contacts"].mean().to_numpy())

    winter, summer = utc_profile(1), utc_profile(7)
    best = max(range(-3, 4), key=lambda s: float(np.corrcoef(winter, np.roll(summer, s))[0, 1]))
    assert best == 1


def _same_weekday_mean(daily: pd.Series, day: date) -> float:
    others = [d for d in daily.index if d.weekday() == day.weekday() and abs((d - day).days) > 7]
    return float(daily[others].mean())


@pytest.mark.parametrize(
    "day",
    [
        date(2025, 12, 25),  # Christmas, a Thursday
        date(2025, 12, 24),  # Christmas Eve
        date(2025, 11, 27),  # Thanksgiving
        date(2026, 1, 1),  # New Year's Day
        date(2025, 12, 31),  # New Year's Eve
        date(2026, 7, 4),  # Independence Day, a Saturday
    ],
)
def test_holiday_volume_beats_the_same_weekday_average(history: pd.DataFrame, day: date) -> None:
    daily = _daily(history)
    assert daily[day] > 1.1 * _same_weekday_mean(daily, day)


def test_christmas_is_much_busier_than_an_ordinary_thursday(history: pd.DataFrame) -> None:
    daily = _daily(history)
    assert daily[date(2025, 12, 25)] > 1.5 * _same_weekday_mean(daily, date(2025, 12, 25))


def test_july_4_fireworks_evening(history: pd.DataFrame) -> None:
    phone = history[history["channel"] == "phone"]
    evening = phone[phone["local"].dt.hour.between(20, 23)]
    by_day = evening.groupby("day")["contacts"].sum()
    saturdays = [d for d in by_day.index if d.weekday() == 5 and d != date(2026, 7, 4)]
    assert by_day[date(2026, 7, 4)] > 1.3 * by_day[saturdays].mean()


# --------------------------------------------------------------------------- pure helpers


def test_apportion_sums_and_gives_every_state_an_agent() -> None:
    for total in (7, 12, 80, 81, 500):
        counts = apportion(total, STATE_WEIGHTS)
        assert sum(counts.values()) == total
        assert min(counts.values()) >= 1
    assert sum(apportion(3, STATE_WEIGHTS).values()) == 3
    counts = apportion(100, {"a": 0.5, "b": 0.25, "c": 0.25})
    # one each first, then 97 split 48.5 / 24.25 / 24.25 -> 49 / 24 / 24 (largest remainder)
    assert counts == {"a": 50, "b": 25, "c": 25}
