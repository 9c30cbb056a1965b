"""`python -m planner check`: exit 0 (no violation), 1 (violations), 2 (bad input)."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from planner.cli import main
from planner.data.roster_io import write_breaks, write_roster
from planner.domain import Roster, Shift
from tests.support.roster import (
    WEEK,
    calendar_for,
    make_agent,
    make_config,
    make_shift,
    roster_with_breaks,
)

ROOT = Path(__file__).resolve().parents[1]

CONFIG = """\
[site]
business_timezone = "America/New_York"
interval_minutes = 30
week_starts = "Sun"

[channels.phone]
kind = "live"
priority = 3

[channels.sms]
kind = "concurrent"
concurrency = 2
priority = 2

[channels.email]
kind = "deferred"
priority = 1
"""

AGENTS = """\
agent_id,name,state,timezone,contract,min_weekly_hours,max_weekly_hours,shift_hours,skills
A1,Ann,GA,America/New_York,full_time,32,40,8,phone;sms
"""

REQUIREMENTS = """\
interval_start,channel,contacts,aht_seconds,agents_needed,staff_needed,service_level
2026-12-07T15:00:00Z,phone,20,300,2,3,0.8
2026-12-07T15:30:00Z,phone,0,300,0,0,1
"""

AGENT = make_agent("A1", min_hours=32, skills=("phone", "sms"))


def write_inputs(folder: Path, shifts: list[Shift]) -> list[str]:
    """Write config, agents, roster and breaks; return the common command line."""
    (folder / "config.toml").write_text(CONFIG, encoding="utf-8")
    (folder / "agents.csv").write_text(AGENTS, encoding="utf-8")
    config = make_config()
    roster = roster_with_breaks(shifts)
    write_roster(folder / "roster.csv", roster, [AGENT], config, calendar_for(config))
    write_breaks(folder / "breaks.csv", roster)
    return [
        "check",
        "--agents",
        str(folder / "agents.csv"),
        "--config",
        str(folder / "config.toml"),
        "--start",
        WEEK.isoformat(),
        "--weeks",
        "1",
        "--roster",
        str(folder / "roster.csv"),
    ]


def weekdays() -> list[Shift]:
    return [make_shift(AGENT, WEEK + timedelta(days=i)) for i in range(1, 6)]


def test_clean_roster_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = write_inputs(tmp_path, weekdays())
    assert main([*argv, "--breaks", str(tmp_path / "breaks.csv")]) == 0
    out = capsys.readouterr().out
    assert "5 shifts of 1 agents" in out
    assert "no violation of the 11 hard rules checked" in out


def test_violations_exit_1_one_line_each(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shifts = weekdays()
    shifts[0] = make_shift(AGENT, WEEK + timedelta(days=1), "17:30")  # Mon to Tue 02:00
    argv = write_inputs(tmp_path, shifts)
    assert main([*argv, "--breaks", str(tmp_path / "breaks.csv")]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split("\t") == [
        "min_rest",
        "A1",
        "2026-12-08",
        "A1 rests 7 h between the shift ending 2026-12-08 02:00 and the next starting 09:00 "
        "(min 10 h)",
    ]
    assert "1 violation (min_rest 1)" in lines[1]


def test_without_breaks_file_the_rule_is_skipped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = write_inputs(tmp_path, weekdays())
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "no violation of the 10 hard rules checked" in out
    assert "breaks not checked" in out


def test_requirements_print_coverage_and_objective(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Monday 10:00 New York (15:00Z) needs 3 phone staff; A1 covers 1: short 2 x 30 min
    x priority 3 = 180; 10:30 needs nobody: 30 idle minutes. Objective 20 x 180 + 30."""
    argv = write_inputs(tmp_path, weekdays())
    (tmp_path / "requirements.csv").write_text(REQUIREMENTS, encoding="utf-8")
    argv += ["--breaks", str(tmp_path / "breaks.csv")]
    assert main([*argv, "--requirements", str(tmp_path / "requirements.csv")]) == 0
    out = capsys.readouterr().out
    # A1 (phone+sms) idle at 10:30 shows as 0.25 spare staff-hours on each channel.
    assert "phone: needed 1.50, covered 33.3%, under 1.00, over 0.25" in out
    assert "sms: needed 0.00, covered -, under 0.00, over 0.25" in out
    assert "present but not needed: 0.50 staff-hours" in out
    assert "under_staffing: 180 x 20 = 3600" in out
    assert "over_staffing: 30 x 1 = 30" in out
    assert "objective: 3630" in out


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (["--start", "2026-12-07"], "--start"),  # a Monday; weeks start on Sunday
        (["--start", "2026-13-01"], "--start"),
        (["--weeks", "0"], "--weeks"),
    ],
)
def test_bad_options_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], change: list[str], words: str
) -> None:
    argv = write_inputs(tmp_path, weekdays())
    at = argv.index(change[0])
    argv[at + 1] = change[1]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert words in err
    assert "Traceback" not in err


def test_bad_roster_file_exits_2_naming_row_and_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = write_inputs(tmp_path, weekdays())
    roster = tmp_path / "roster.csv"
    text = roster.read_text(encoding="utf-8").splitlines()
    text[2] = text[2].replace("-05:00", "", 1)  # row 2 loses its start offset
    roster.write_text("\n".join(text) + "\n", encoding="utf-8")
    (tmp_path / "agents.csv").write_text(AGENTS.replace("GA,", "ZZ,"), encoding="utf-8")
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "roster.csv, row 2, column start_local" in err
    assert "agents.csv, row 1, column state" in err


def test_unknown_agent_in_the_roster_is_a_violation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = write_inputs(tmp_path, weekdays())
    stranger = make_agent("Z9")
    config = make_config()
    write_roster(
        tmp_path / "roster.csv",
        Roster((*weekdays(), make_shift(stranger, WEEK + timedelta(days=6)))),
        [AGENT, stranger],
        config,
        calendar_for(config),
    )
    assert main(argv) == 1
    assert "skills\tZ9\t2026-12-12" in capsys.readouterr().out


def test_module_entry_point_runs_without_traceback(tmp_path: Path) -> None:
    argv = write_inputs(tmp_path, weekdays())
    done = subprocess.run(
        [sys.executable, "-m", "planner", *argv, "--breaks", str(tmp_path / "nope.csv")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert "nope.csv" in done.stderr
    assert "file not found" in done.stderr
    assert "Traceback" not in done.stderr
