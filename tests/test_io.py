"""The readers of planner/data/io.py: what they return, and how they word what is wrong."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from planner.data.config import parse_config
from planner.data.io import (
    MAX_PER_RULE,
    check_horizon_start,
    load_dataset,
    parse_date_option,
    read_agents,
    read_availability,
    read_csv_table,
    read_history,
    read_requirements,
    read_time_off,
)
from planner.data.problems import InputError, Problems
from planner.domain import Config, Window
from tests.support.dataset import (
    AGENTS_CSV,
    CONFIG_TOML,
    HISTORY_CSV,
    REQUIREMENTS_CSV,
    run_validate,
    write_dataset,
)


@pytest.fixture
def config(tmp_path: Path) -> Config:
    path = tmp_path / "config.toml"
    path.write_text(CONFIG_TOML, encoding="utf-8")
    problems = Problems()
    parsed = parse_config(path, problems)
    assert parsed is not None
    assert len(problems) == 0
    return parsed


def _file(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8", newline="")
    return path


def _lines(problems: Problems) -> list[str]:
    return [str(p) for p in problems]


# --------------------------------------------------------------------------- CSV loading


def test_rows_are_numbered_as_in_the_file_blank_lines_included(tmp_path: Path) -> None:
    path = _file(tmp_path, "t.csv", "a,b\n1,x\n\n3,y\n,\n5,z\n")
    problems = Problems()
    frame = read_csv_table(path, ("a", "b"), problems)
    assert frame is not None
    assert _lines(problems) == []
    assert frame["a"].tolist() == ["1", "3", "5"]
    assert frame["_row"].tolist() == [1, 3, 5]


def test_headers_are_matched_loosely_and_extra_columns_ignored(tmp_path: Path) -> None:
    path = _file(tmp_path, "t.csv", " Agent ID ;Weekday;Notes\n A1 ; Mon ;x\n")
    problems = Problems()
    frame = read_csv_table(path, ("agent_id", "weekday"), problems)
    assert frame is not None
    assert _lines(problems) == []
    assert frame[["agent_id", "weekday"]].values.tolist() == [["A1", "Mon"]]


def test_a_missing_column_stops_that_file(tmp_path: Path) -> None:
    path = _file(tmp_path, "agents.csv", "agent_id,state\nA1,TX\n")
    problems = Problems()
    assert read_csv_table(path, ("agent_id", "state", "skills"), problems) is None
    assert _lines(problems) == [
        "error: agents.csv, column skills: required column skills is missing "
        "(found: agent_id, state)"
    ]


def test_an_unquoted_comma_is_named(tmp_path: Path, config: Config) -> None:
    text = AGENTS_CSV.replace("Bob Ray", "Ray, Bob")
    problems = Problems()
    agents = read_agents(_file(tmp_path, "agents.csv", text), config, problems)
    assert _lines(problems) == [
        "error: agents.csv, row 2: the row has 10 values but the header has 9 columns "
        "(a value holding a comma must be in double quotes)"
    ]
    assert [a.agent_id for a in agents] == ["A1", "A3"]


def test_an_empty_file(tmp_path: Path) -> None:
    problems = Problems()
    assert read_csv_table(_file(tmp_path, "x.csv", ""), ("a",), problems) is None
    assert _lines(problems) == ["error: x.csv: is empty: it needs a header row (a)"]


# --------------------------------------------------------------------------- agents


def test_agents_are_normalised_the_way_a_manager_types(tmp_path: Path, config: Config) -> None:
    text = AGENTS_CSV.replace("A1,Ann Lee,TX,America/Chicago,full_time", "A1,,tx,,Full-Time")
    text = text.replace("A2,Bob Ray,WA,America/Los_Angeles,", "A2,Bob Ray,wa,,").replace(
        "phone;sms", "Phone; SMS;phone;"
    )
    problems = Problems()
    (a1, a2, *_rest) = read_agents(_file(tmp_path, "agents.csv", text), config, problems)
    # A blank zone is the state's main zone; in a state with two zones also a warning.
    assert _lines(problems) == [
        "warning: agents.csv, row 1, column timezone: timezone is blank and TX has more than "
        "one zone (America/Chicago, America/Denver): America/Chicago is assumed; write the "
        "agent's zone"
    ]
    assert (a1.name, a1.state, a1.timezone, a1.contract) == (
        "A1",  # a blank name shows the id
        "TX",
        "America/Chicago",
        "full_time",
    )
    assert a1.skills == ("phone", "sms")
    assert (a2.state, a2.timezone) == ("WA", "America/Los_Angeles")


def test_lead_is_a_skill_beside_the_channels(tmp_path: Path, config: Config) -> None:
    # "lead" is not a channel: the agent is someone others escalate to (coverage.min_leads),
    # and still answers their channels.
    text = AGENTS_CSV.replace("phone;sms", "phone;Lead;sms")
    problems = Problems()
    (a1, *_rest) = read_agents(_file(tmp_path, "agents.csv", text), config, problems)
    assert _lines(problems) == []
    assert a1.skills == ("phone", "lead", "sms")


def test_a_bad_row_is_left_out_and_the_others_kept(tmp_path: Path, config: Config) -> None:
    text = AGENTS_CSV.replace(",16,24,", ",16,x,")
    problems = Problems()
    agents = read_agents(_file(tmp_path, "agents.csv", text), config, problems)
    assert _lines(problems) == [
        "error: agents.csv, row 2, column max_weekly_hours: max_weekly_hours x is not a "
        "number of hours"
    ]
    assert [a.agent_id for a in agents] == ["A1", "A3"]


def test_a_shift_longer_than_the_week_is_a_warning(tmp_path: Path, config: Config) -> None:
    text = AGENTS_CSV.replace(",16,24,4;6,", ",0,6,8,")
    problems = Problems()
    agents = read_agents(_file(tmp_path, "agents.csv", text), config, problems)
    assert _lines(problems) == [
        "warning: agents.csv, row 2, column shift_hours: the shortest shift (8 h) is longer "
        "than max_weekly_hours 6: agent A2 can never be rostered"
    ]
    assert len(agents) == 3


def test_a_zone_with_wrong_capitals_gets_a_hint(tmp_path: Path, config: Config) -> None:
    text = AGENTS_CSV.replace("America/Los_Angeles", "america/los_angeles")
    problems = Problems()
    read_agents(_file(tmp_path, "agents.csv", text), config, problems)
    assert _lines(problems) == [
        "error: agents.csv, row 2, column timezone: timezone america/los_angeles is not an "
        "IANA time zone such as America/Chicago (did you mean America/Los_Angeles?)"
    ]


def test_without_a_config_the_other_agent_checks_still_run(tmp_path: Path) -> None:
    text = AGENTS_CSV.replace("phone;sms", "chat").replace(",16,24,", ",-1,24,")
    problems = Problems()
    read_agents(_file(tmp_path, "agents.csv", text), None, problems)
    assert [(p.row, p.column) for p in problems] == [(2, "min_weekly_hours")]


# --------------------------------------------------------------------------- availability, time off


def test_availability_windows(tmp_path: Path) -> None:
    text = (
        "agent_id,weekday,start,end\nA1,monday,9:00,17:30\nA1,SUN,22:00,06:00\nA1,Fri,0:00,24:00\n"
    )
    problems = Problems()
    windows = read_availability(_file(tmp_path, "availability.csv", text), ["A1"], problems)
    assert _lines(problems) == []
    assert [(w.weekday, w.window) for w in windows] == [
        (0, Window(540, 1050)),
        (6, Window(1320, 360 + 1440)),  # runs past midnight
        (4, Window(0, 1440)),
    ]


def test_availability_without_agents_skips_the_id_check(tmp_path: Path) -> None:
    text = "agent_id,weekday,start,end\nZ9,Mon,9:00,17:00\n"
    problems = Problems()
    assert len(read_availability(_file(tmp_path, "availability.csv", text), None, problems)) == 1
    assert _lines(problems) == []


def test_time_off_dates(tmp_path: Path) -> None:
    text = "agent_id,date\nA1,2026-12-24\nA1,2026-2-3\nA1,2026-02-29\nA1,\n"
    problems = Problems()
    days = read_time_off(_file(tmp_path, "time_off.csv", text), ["A1"], problems)
    assert [(t.date, t.reason) for t in days] == [(date(2026, 12, 24), "")]
    assert _lines(problems) == [
        "error: time_off.csv, row 2, column date: date 2026-2-3 is not a date YYYY-MM-DD, "
        "e.g. 2026-12-24",
        "error: time_off.csv, row 3, column date: date 2026-02-29 does not exist",
        "error: time_off.csv, row 4, column date: date (blank) is not a date YYYY-MM-DD, "
        "e.g. 2026-12-24",
    ]


# --------------------------------------------------------------------------- interval files


def test_history_is_utc_sorted_and_channels_as_configured(tmp_path: Path, config: Config) -> None:
    text = (
        "interval_start,channel,contacts,aht_seconds\n"
        "2026-03-08T03:30:00-04:00,Phone,3,200\n"  # EDT: 07:30 UTC
        "2026-03-08T01:30:00-05:00,phone,2,100\n"  # EST: 06:30 UTC
        "2026-03-08T07:00:00+00:00,SMS,1,50\n"
    )
    problems = Problems()
    frame = read_history(_file(tmp_path, "history.csv", text), config, problems)
    assert _lines(problems) == [
        "warning: history.csv, column channel: channel email is configured but has no rows"
    ]
    assert frame is not None
    assert [t.isoformat() for t in frame["interval_start"]] == [
        "2026-03-08T06:30:00+00:00",
        "2026-03-08T07:00:00+00:00",
        "2026-03-08T07:30:00+00:00",
    ]
    assert frame["channel"].tolist() == ["phone", "sms", "phone"]
    assert frame["contacts"].tolist() == [2.0, 1.0, 3.0]


def test_history_rows_with_a_problem_are_left_out(tmp_path: Path, config: Config) -> None:
    text = HISTORY_CSV.replace("phone,15,230", "phone,15,").replace("sms,5,310", "sms,x,310")
    problems = Problems()
    frame = read_history(_file(tmp_path, "history.csv", text), config, problems)
    assert _lines(problems) == [
        "error: history.csv, row 4, column aht_seconds: aht_seconds must be more than 0 when "
        "there are contacts (contacts 15, aht_seconds (blank))",
        "error: history.csv, row 5, column contacts: contacts x is not a number",
    ]
    assert frame is not None
    assert len(frame) == 4


def test_a_rule_broken_on_many_rows_is_listed_once_then_counted(
    tmp_path: Path, config: Config
) -> None:
    start = pd.Timestamp("2026-12-06T21:00:00Z")
    rows = [f"{(start + pd.Timedelta(minutes=30 * i)).isoformat()},phone,-1,200" for i in range(25)]
    text = "interval_start,channel,contacts,aht_seconds\n" + "\n".join(rows) + "\n"
    problems = Problems()
    read_history(_file(tmp_path, "history.csv", text), config, problems)
    errors = [str(p) for p in problems.errors]
    assert len(errors) == MAX_PER_RULE + 1
    assert errors[0].startswith("error: history.csv, row 1, column contacts: contacts -1")
    assert errors[-1] == (
        "error: history.csv, column contacts: ... and 5 more rows: contacts is negative"
    )


def test_a_year_of_history_reads_fast(tmp_path: Path, config: Config) -> None:
    starts = pd.date_range("2025-12-07T05:00Z", periods=52 * 7 * 48, freq="30min")
    local = starts.tz_convert("America/Chicago").strftime("%Y-%m-%dT%H:%M:%S%z")
    stamps = local.str.replace(r"(\d\d)(\d\d)$", r"\1:\2", regex=True)  # -0600 -> -06:00
    rng = np.random.default_rng(7)
    frames = [
        pd.DataFrame(
            {
                "interval_start": stamps,
                "channel": name,
                "contacts": rng.poisson(20, len(stamps)),
                "aht_seconds": 240,
            }
        )
        for name in ("phone", "sms", "email")
    ]
    path = tmp_path / "history.csv"
    pd.concat(frames).to_csv(path, index=False)
    problems = Problems()
    began = time.perf_counter()
    frame = read_history(path, config, problems)
    elapsed = time.perf_counter() - began
    assert _lines(problems) == []
    assert frame is not None
    assert len(frame) == 3 * 17_472
    assert frame["interval_start"].iloc[0] == starts[0]
    assert elapsed < 10  # about 0.3 s when the machine is idle; a per-row loop takes far longer


def test_requirements_columns(tmp_path: Path, config: Config) -> None:
    text = (
        REQUIREMENTS_CSV.replace(",4,6,0.85", ",4.5,6,0.85")
        .replace(",1,2,0.9", ",1,2,1.2")
        .replace(",1,2,\n", ",0,0,\n")
    )
    problems = Problems()
    frame = read_requirements(_file(tmp_path, "requirements.csv", text), config, problems)
    assert _lines(problems) == [
        "error: requirements.csv, row 1, column agents_needed: agents_needed 4.5 is not a "
        "whole number 0 or more",
        "error: requirements.csv, row 2, column service_level: service_level 1.2 is not a "
        "fraction from 0 to 1",
    ]
    assert frame is not None
    assert frame[["channel", "agents_needed", "staff_needed"]].values.tolist() == [["email", 0, 0]]
    assert frame["staff_needed"].dtype == np.int64


# --------------------------------------------------------------------------- the data set


def test_a_broken_config_does_not_echo_through_other_files(tmp_path: Path) -> None:
    # with interval_minutes rejected, a 15-minute history is not also flagged row by row
    history = HISTORY_CSV.replace("21:30:00Z,phone", "21:15:00Z,phone")
    config = CONFIG_TOML.replace("interval_minutes = 30", "interval_minutes = 20")
    agents = AGENTS_CSV.replace(",16,24,", ",30,24,")
    directory = write_dataset(
        tmp_path, {"config.toml": config, "history.csv": history, "agents.csv": agents}
    )
    with pytest.raises(InputError) as raised:
        load_dataset(directory)
    assert [(p.file, p.row, p.column) for p in raised.value.problems] == [
        ("config.toml", None, "site.interval_minutes"),
        ("agents.csv", 2, "min_weekly_hours"),
    ]


def test_an_unreadable_config_still_lets_the_agents_be_checked(tmp_path: Path) -> None:
    agents = AGENTS_CSV.replace(",16,24,", ",-3,24,")
    directory = write_dataset(tmp_path, {"config.toml": "[site\n", "agents.csv": agents})
    with pytest.raises(InputError) as raised:
        load_dataset(directory)
    assert [(p.file, p.row, p.column) for p in raised.value.problems] == [
        ("config.toml", None, None),
        ("agents.csv", 2, "min_weekly_hours"),
    ]


def test_files_a_command_needs(tmp_path: Path) -> None:
    directory = write_dataset(tmp_path, {"history.csv": None, "agents.csv": None})
    assert load_dataset(directory).history is None
    with pytest.raises(InputError) as raised:
        load_dataset(directory, need_history=True, need_agents=True)
    assert sorted(str(p) for p in raised.value.problems) == [
        "error: agents.csv: file not found: the folder needs an agents.csv",
        "error: history.csv: file not found: the folder needs a history.csv",
    ]


# --------------------------------------------------------------------------- command-line dates


def test_the_horizon_must_start_on_the_first_day_of_the_week(config: Config) -> None:
    problems = Problems()
    check_horizon_start(date(2026, 12, 6), config, problems)  # a Sunday
    assert len(problems) == 0
    check_horizon_start(date(2026, 12, 2), config, problems)
    assert _lines(problems) == [
        "error: command line, column --start: 2026-12-02 is a Wednesday; the week starts on "
        "Sun (use 2026-11-29 or 2026-12-06)"
    ]


def test_a_monday_week(config: Config) -> None:
    import dataclasses

    monday = dataclasses.replace(config, site=dataclasses.replace(config.site, week_starts="Mon"))
    problems = Problems()
    check_horizon_start(date(2026, 12, 6), monday, problems, option="--from")
    assert [(p.column, p.rule.split(";")[0]) for p in problems] == [
        ("--from", "2026-12-06 is a Sunday")
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2026-12-06", date(2026, 12, 6)), (" 2026-12-06 ", date(2026, 12, 6))],
)
def test_date_options(text: str, expected: date) -> None:
    problems = Problems()
    assert parse_date_option(text, "--start", problems) == expected
    assert len(problems) == 0


@pytest.mark.parametrize("text", ["12/06/2026", "2026-02-30", "20261206", "next sunday"])
def test_date_options_that_are_not_dates(text: str) -> None:
    problems = Problems()
    assert parse_date_option(text, "--start", problems) is None
    assert _lines(problems) == [
        f"error: command line, column --start: --start {text} is not a date YYYY-MM-DD, "
        "e.g. 2026-12-06"
    ]


# Tests of the shared builders in tests/support/dataset.py


def test_the_minimal_data_set_validates_cleanly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run_validate(write_dataset(tmp_path), capsys)
    assert (code, err) == (0, [])
    assert "agents.csv: 3 agents" in out
    assert "availability.csv: 2 windows for 1 agent" in out
    assert "time_off.csv: 1 day off for 1 agent" in out
    assert any(line.startswith("history.csv: 6 rows") for line in out)
    assert out[-1] == f"{tmp_path}: 7 files valid"


def test_the_minimal_data_set_reads_into_typed_objects(tmp_path: Path) -> None:
    data = load_dataset(write_dataset(tmp_path))
    assert data.config.channel_names == ("phone", "sms", "email")
    a1, a2, a3 = data.agents
    assert (a1.agent_id, a1.state, a1.timezone) == ("A1", "TX", "America/Chicago")  # blank
    assert (a2.contract, a2.shift_hours, a2.skills) == ("part_time", (4.0, 6.0), ("sms", "email"))
    assert (a3.min_weekly_hours, a3.max_weekly_hours) == (32.0, 40.0)
    # Saturday 20:00 to 02:00 runs past midnight: end 26:00 = 1560 minutes
    assert [(w.weekday, w.window) for w in data.availability] == [
        (0, Window(16 * 60, 24 * 60)),
        (5, Window(20 * 60, 26 * 60)),
    ]
    assert [(t.agent_id, t.date, t.reason) for t in data.time_off] == [
        ("A1", date(2026, 12, 24), "family")
    ]
    history = data.history
    assert history is not None
    assert str(history["interval_start"].dt.tz) == "UTC"
    first = pd.Timestamp("2026-12-06T21:00:00Z")
    assert list(history["interval_start"]) == [first] * 3 + [first + pd.Timedelta("30min")] * 3
    assert history["aht_seconds"].tolist()[:3] == [0.0, 240.0, 300.0]  # email blank -> 0
    requirements = data.requirements
    assert requirements is not None
    assert requirements["staff_needed"].tolist() == [2, 6, 2]  # sorted: email, phone, sms
