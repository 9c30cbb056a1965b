"""`python -m planner validate DIR`: one small bad file per rule, exit code and message.

Each case changes one cell of the minimal valid data set (tests/test_io_dataset.py)
and checks that the printed line names the file, the 1-based data row, the column
and the rule. Agents rows: 1 = A1 (TX), 2 = A2 (WA), 3 = A3 (FL).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.dataset import (
    AGENTS_CSV,
    AVAILABILITY_CSV,
    CONFIG_TOML,
    HISTORY_CSV,
    REQUIREMENTS_CSV,
    TIME_OFF_CSV,
    run_validate,
    write_dataset,
)

A1 = "A1,Ann Lee,TX,America/Chicago,full_time,32,40,8;10,phone;sms"
A2 = "A2,Bob Ray,WA,America/Los_Angeles,part_time,16,24,4;6,sms;email"
PHONE_1 = "2026-12-06T16:00:00-05:00,phone,12,240"


def _agents(old: str, new: str) -> dict[str, str | bytes | None]:
    assert old in AGENTS_CSV
    return {"agents.csv": AGENTS_CSV.replace(old, new)}


ERROR_CASES = {
    "state not approved": (
        _agents(A2, A2.replace(",WA,America/Los_Angeles,", ",OR,,")),
        "error: agents.csv, row 2, column state: state OR is not an approved state "
        "(approved: FL, GA, ID, MI, NC, TX, WA)",
    ),
    "zone not used in the state": (
        _agents(A1, A1.replace(",TX,America/Chicago,", ",TX,America/New_York,")),
        "error: agents.csv, row 1, column timezone: timezone America/New_York is not used "
        "in TX (TX uses America/Chicago, America/Denver)",
    ),
    "not an IANA zone": (
        _agents(A2, A2.replace("America/Los_Angeles", "Pacific Time")),
        "error: agents.csv, row 2, column timezone: timezone Pacific Time is not an IANA time zone",
    ),
    "duplicate agent_id": (
        _agents("A3,Cy Oh", "A1,Cy Oh"),
        "error: agents.csv, row 3, column agent_id: agent_id A1 is already used on row 1",
    ),
    "missing required column": (
        {"agents.csv": "agent_id,name,state,timezone,contract,min_weekly_hours\nA1,Ann,TX,,x,1\n"},
        "error: agents.csv, column max_weekly_hours: required column max_weekly_hours is missing",
    ),
    "min above max": (
        _agents(A2, A2.replace(",16,24,", ",30,24,")),
        "error: agents.csv, row 2, column min_weekly_hours: min_weekly_hours 30 is more than "
        "max_weekly_hours 24",
    ),
    "negative hours": (
        _agents(A2, A2.replace(",16,24,", ",-4,24,")),
        "error: agents.csv, row 2, column min_weekly_hours: min_weekly_hours -4 is negative",
    ),
    "more than 60 hours": (
        _agents(A2, A2.replace(",16,24,", ",16,61,")),
        "error: agents.csv, row 2, column max_weekly_hours: max_weekly_hours 61 is more than "
        "60 hours",
    ),
    "empty shift_hours": (
        _agents(A2, A2.replace(",4;6,", ",,")),
        "error: agents.csv, row 2, column shift_hours: shift_hours is empty",
    ),
    "malformed shift_hours": (
        _agents(A2, A2.replace(",4;6,", ",8;x,")),
        "error: agents.csv, row 2, column shift_hours: shift_hours 8;x is malformed: x is not "
        "a number",
    ),
    "shift length off the start step": (
        _agents(A2, A2.replace(",4;6,", ",4.25,")),
        "error: agents.csv, row 2, column shift_hours: shift length 4.25 h is not a whole "
        "number of 30-minute steps",
    ),
    "unknown skill": (
        _agents(A2, A2.replace("sms;email", "sms;chat")),
        "error: agents.csv, row 2, column skills: skill chat is not a configured channel "
        "(channels: phone, sms, email)",
    ),
    "availability time 25:00": (
        {"availability.csv": AVAILABILITY_CSV.replace("A2,Sat,20:00", "A2,Sat,25:00")},
        "error: availability.csv, row 2, column start: start 25:00 is not a time of day",
    ),
    "availability for an unknown agent": (
        {"availability.csv": AVAILABILITY_CSV.replace("A2,Mon", "A9,Mon")},
        "error: availability.csv, row 1, column agent_id: agent A9 is not in agents.csv",
    ),
    "time off date malformed": (
        {"time_off.csv": TIME_OFF_CSV.replace("2026-12-24", "12/24/2026")},
        "error: time_off.csv, row 1, column date: date 12/24/2026 is not a date YYYY-MM-DD",
    ),
    "time off for an unknown agent": (
        {"time_off.csv": TIME_OFF_CSV + "B7,2026-12-25,\n"},
        "error: time_off.csv, row 2, column agent_id: agent B7 is not in agents.csv",
    ),
    "negative contacts": (
        {"history.csv": HISTORY_CSV.replace("phone,15,230", "phone,-15,230")},
        "error: history.csv, row 4, column contacts: contacts -15 is negative",
    ),
    "no handle time with contacts": (
        {"history.csv": HISTORY_CSV.replace("phone,15,230", "phone,15,0")},
        "error: history.csv, row 4, column aht_seconds: aht_seconds must be more than 0 when "
        "there are contacts (contacts 15, aht_seconds 0)",
    ),
    "duplicate interval and channel": (
        # 21:30Z written as 16:30-05:00 is the same instant as row 4
        {"history.csv": HISTORY_CSV + "2026-12-06T16:30:00-05:00,phone,1,200\n"},
        "error: history.csv, row 7, column interval_start: interval 2026-12-06T16:30:00-05:00 "
        "for channel phone is already on row 4",
    ),
    "interval off the grid": (
        {"history.csv": HISTORY_CSV.replace("21:30:00Z,sms", "21:40:00Z,sms")},
        "error: history.csv, row 5, column interval_start: interval_start "
        "2026-12-06T21:40:00Z is not on the 30-minute grid",
    ),
    "naive timestamp": (
        {"history.csv": HISTORY_CSV.replace("21:30:00Z,sms", "21:30:00,sms")},
        "error: history.csv, row 5, column interval_start: interval_start 2026-12-06T21:30:00 "
        "has no UTC offset",
    ),
    "staff below agents in requirements": (
        {"requirements.csv": REQUIREMENTS_CSV.replace(",4,6,0.85", ",4,3,0.85")},
        "error: requirements.csv, row 1, column staff_needed: staff_needed 3 is less than "
        "agents_needed 4",
    ),
    "interval_minutes 20": (
        {"config.toml": CONFIG_TOML.replace("interval_minutes = 30", "interval_minutes = 20")},
        "error: config.toml, column site.interval_minutes: interval_minutes must be 15, 30 or "
        "60 (got 20)",
    ),
    "config.toml missing": (
        {"config.toml": None},
        "error: config.toml: file not found",
    ),
}


@pytest.mark.parametrize("case", ERROR_CASES)
def test_a_bad_cell_is_named_and_exits_2(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    changes, expected = ERROR_CASES[case]
    code, out, err = run_validate(write_dataset(tmp_path, changes), capsys)
    assert code == 2
    assert any(line.startswith(expected) for line in err), err
    assert out == []  # no summary when the folder is not valid


def test_an_unknown_config_key_is_a_warning_with_exit_0(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = CONFIG_TOML.replace("week_starts", "intervals_minutes = 30\nweek_starts")
    code, out, err = run_validate(write_dataset(tmp_path, {"config.toml": config}), capsys)
    assert code == 0
    assert err == [
        "warning: config.toml, column site.intervals_minutes: unknown key "
        "site.intervals_minutes is ignored (did you mean site.interval_minutes?)"
    ]
    assert out[-1] == f"{tmp_path}: 7 files valid, 1 warning"


def test_the_same_day_off_twice_is_a_warning_with_exit_0(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    time_off = TIME_OFF_CSV + "A1,2026-12-24,again\n"
    code, out, err = run_validate(write_dataset(tmp_path, {"time_off.csv": time_off}), capsys)
    assert code == 0
    assert err == [
        "warning: time_off.csv, row 2, column date: agent A1 already has 2026-12-24 off on "
        "row 1; this row adds nothing"
    ]
    assert "time_off.csv: 1 day off for 1 agent" in out


def test_excel_saved_files_load_fine(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # "CSV (Windows)": cp1252, CRLF, an extra column, blanks around headers and cells
    agents = (
        " agent_id , name ,state,timezone,contract,min_weekly_hours,max_weekly_hours,"
        "shift_hours,skills,Notes\r\n"
        "A1, José Núñez ,TX,America/Chicago,full_time,32,40,8;10,phone;sms,café shift lead\r\n"
        "A2,Bob Ray,WA,America/Los_Angeles,part_time,16,24,4;6,sms;email,\r\n"
        "A3,Cy Oh,FL,America/Chicago,full_time,32,40,8,phone;email,\r\n"
        ",,,,,,,,,\r\n"
    ).encode("cp1252")
    # "CSV UTF-8": a byte-order mark and CRLF
    history = b"\xef\xbb\xbf" + HISTORY_CSV.replace("\n", "\r\n").encode("utf-8")
    config = CONFIG_TOML.replace("\n", "\r\n").encode("cp1252")
    directory = write_dataset(
        tmp_path, {"agents.csv": agents, "history.csv": history, "config.toml": config}
    )
    code, out, err = run_validate(directory, capsys)
    assert (code, err) == (0, [])
    assert "agents.csv: 3 agents" in out

    from planner.data.io import load_dataset

    data = load_dataset(directory)
    assert data.agents[0].name == "José Núñez"
    assert data.history is not None
    assert len(data.history) == 6


def test_problems_in_several_files_are_reported_together(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    changes: dict[str, str | bytes | None] = {
        "config.toml": CONFIG_TOML.replace('week_starts = "Sun"', 'week_starts = "Sunday"'),
        "agents.csv": AGENTS_CSV.replace(",TX,America/Chicago,", ",OR,,"),
        "time_off.csv": TIME_OFF_CSV.replace("2026-12-24", "2026-12-32"),
        "history.csv": HISTORY_CSV.replace("sms,4,300", "sms,-4,300"),
    }
    code, _out, err = run_validate(write_dataset(tmp_path, changes), capsys)
    assert code == 2
    assert [line.split(":")[1].split(",")[0].strip() for line in err] == [
        "config.toml",
        "agents.csv",
        "time_off.csv",
        "history.csv",
    ]
    assert err[0].startswith("error: config.toml, column site.week_starts:")
    assert err[1].startswith("error: agents.csv, row 1, column state:")
    assert err[2] == "error: time_off.csv, row 1, column date: date 2026-12-32 does not exist"
    assert err[3].startswith("error: history.csv, row 2, column contacts:")


def test_validate_changes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = write_dataset(tmp_path / "bad", {"history.csv": HISTORY_CSV.replace(",12,", ",-1,")})
    good = write_dataset(tmp_path / "good")
    for directory, expected_code in ((bad, 2), (good, 0)):
        before = {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in directory.iterdir()}
        assert run_validate(directory, capsys)[0] == expected_code
        after = {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in directory.iterdir()}
        assert after == before


def test_a_missing_folder_is_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run_validate(tmp_path / "nowhere", capsys)
    assert code == 2
    assert err == [f"error: {tmp_path / 'nowhere'}: folder not found"]


def test_only_config_is_required(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "config.toml").write_text(CONFIG_TOML, encoding="utf-8")
    code, out, err = run_validate(tmp_path, capsys)
    assert (code, err) == (0, [])
    assert out[-1] == f"{tmp_path}: 1 files valid"


def test_the_sample_data_set_is_valid(capsys: pytest.CaptureFixture[str]) -> None:
    data = Path(__file__).resolve().parents[1] / "data"
    code, out, err = run_validate(data, capsys)
    assert code == 0, err
    assert any(line.startswith("agents.csv: ") for line in out)
    assert any(line.startswith("history.csv: ") for line in out)


# A1 (TX, America/Chicago) works Sunday 6 Dec 2026 16:00 to 00:30 CST (-06:00):
# a weekend shift (Sunday), an evening shift (ends after 20:00), not a holiday.
ROSTER_CSV = (
    "agent_id,date,start_local,end_local,timezone,start_utc,end_utc,paid_hours,evening,"
    "weekend,holiday\n"
    "A1,2026-12-06,2026-12-06T16:00:00-06:00,2026-12-07T00:30:00-06:00,America/Chicago,"
    "2026-12-06T22:00:00Z,2026-12-07T06:30:00Z,8,1,1,0\n"
)


def test_a_roster_in_the_folder_is_checked_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run_validate(write_dataset(tmp_path, {"roster.csv": ROSTER_CSV}), capsys)
    assert (code, err) == (0, [])
    assert "roster.csv: 1 shift for 1 agent" in out
    assert out[-1] == f"{tmp_path}: 8 files valid"

    wrong_flag = ROSTER_CSV.replace(",8,1,1,0", ",8,1,0,0")
    code, _out, err = run_validate(write_dataset(tmp_path, {"roster.csv": wrong_flag}), capsys)
    assert code == 2
    assert len(err) == 1
    assert "roster.csv, row 1, column weekend:" in err[0]
