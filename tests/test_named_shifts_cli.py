"""The named-shift files on the command line: ``solve`` and ``check`` read
``--agent-rules``, ``--shift-requests`` and ``--shift-cover``; ``validate`` reads them in a
folder; a bad row is exit 2 naming file, row and column, nothing written."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from planner.cli import main

CONFIG = """\
[site]
business_timezone = "America/New_York"
week_starts = "Sun"

[rules]
min_rest_hours = 0
min_days_off_per_week = 0
max_consecutive_days = 7

[weights]
over_staffing = 0
fairness = 0

[breaks]
meal_minutes = 0
rest_every_hours = 0

[channels.phone]
kind = "live"

[shift_types.E]
start = "06:00"
hours = 8

[shift_types.L]
start = "14:00"
hours = 8
forbidden_next = ["E"]
"""
AGENTS = """\
agent_id,name,state,timezone,contract,min_weekly_hours,max_weekly_hours,shift_hours,skills
A1,Ann,GA,America/New_York,full_time,0,40,8,phone
A2,Bo,GA,America/New_York,full_time,0,40,8,phone
"""
REQUIREMENTS = """\
interval_start,channel,contacts,aht_seconds,agents_needed,staff_needed,service_level
2026-12-07T15:00:00Z,phone,0,300,0,0,1
"""
AGENT_RULES = """\
agent_id,max_shifts,min_total_hours,max_consecutive_days
A1,L=0,16,
A2,,,3
"""
REQUESTS = """\
agent_id,date,shift_type,kind,weight
A2,2026-12-07,L,on,3
A1,2026-12-08,E,off,2
"""
COVER = """\
date,shift_type,required,weight_under,weight_over
2026-12-07,E,1,100,1
2026-12-07,L,1,100,1
"""


def folder(tmp_path: Path, **changes: str) -> Path:
    files = {
        "config.toml": CONFIG,
        "agents.csv": AGENTS,
        "requirements.csv": REQUIREMENTS,
        "agent_rules.csv": AGENT_RULES,
        "shift_requests.csv": REQUESTS,
        "shift_cover.csv": COVER,
        **changes,
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def common(d: Path) -> list[str]:
    return [
        "--agents",
        str(d / "agents.csv"),
        "--config",
        str(d / "config.toml"),
        "--start",
        "2026-12-06",
        "--weeks",
        "1",
        "--agent-rules",
        str(d / "agent_rules.csv"),
        "--shift-requests",
        str(d / "shift_requests.csv"),
        "--shift-cover",
        str(d / "shift_cover.csv"),
    ]


def test_solve_then_check_with_the_named_shift_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    d = folder(tmp_path)
    roster = d / "roster.csv"
    solve = ["solve", *common(d), "--requirements", str(d / "requirements.csv")]
    assert main([*solve, "--out", str(roster), "--time-limit", "10", "--workers", "1"]) == 0
    out = capsys.readouterr().out
    # A1 works E Monday (cover) and one more E (16 h minimum), never L nor E Tuesday (off
    # request); A2 works L Monday (request and cover): every cost is 0.
    assert "objective: 0" in out
    with roster.open() as f:
        rows = [(r["agent_id"], r["date"], r["start_local"][11:16]) for r in csv.DictReader(f)]
    assert ("A1", "2026-12-07", "06:00") in rows
    assert ("A2", "2026-12-07", "14:00") in rows
    assert not any(a == "A1" and t == "14:00" for a, _, t in rows)
    assert main(["check", *common(d), "--roster", str(roster)]) == 0
    assert main(["validate", str(d)]) == 0
    assert "shift_cover.csv: 2 cover rows" in capsys.readouterr().out


def test_bad_rows_exit_2_naming_file_row_and_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    d = folder(
        tmp_path,
        **{
            "agent_rules.csv": "agent_id,max_shifts,max_weekends\nA1,X=1,\nA9,,two\n",
            "shift_requests.csv": "agent_id,date,shift_type,kind\nA1,2026-13-01,E,maybe\n",
            "shift_cover.csv": COVER + "2026-12-07,E,2,100,1\n",
        },
    )
    out = d / "roster.csv"
    solve = ["solve", *common(d), "--requirements", str(d / "requirements.csv")]
    assert main([*solve, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    for where in (
        "agent_rules.csv, row 1, column max_shifts",
        "agent_rules.csv, row 2, column agent_id",
        "agent_rules.csv, row 2, column max_weekends",
        "shift_requests.csv, row 1, column date",
        "shift_requests.csv, row 1, column kind",
        "shift_cover.csv, row 3, column date",
    ):
        assert where in err, where
    assert not out.exists()
