"""`python -m planner check`: exit 0 (no violation), 1 (violations), 2 (bad input)."""

from __future__ import annotations

import csv
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import NamedTuple

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
    assert "no violation of the 17 hard rules checked" in out


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
    assert "no violation of the 16 hard rules checked" in out
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


# --------------------------------------------------------------------------- field faults


def edit_row(path: Path, row: int, **values: str) -> None:
    """Set columns of one 1-based data row of a CSV file."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fields = list(reader.fieldnames or [])
        rows = list(reader)
    rows[row - 1].update(values)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def fault_lines(out: str) -> list[list[str]]:
    """The fault lines of ``check``'s output, split at tabs (the summary has no tab)."""
    return [line.split("\t") for line in out.splitlines() if "\t" in line]


class Disagreement(NamedTuple):
    """One edit of one row that makes one field disagree, and the fault line it gives."""

    file: str
    row: int
    values: dict[str, str]
    rule: str
    column: str
    words: str


# Row 2 of the roster is A1's Tuesday 2026-12-08 09:00-17:30 New York (14:00Z-22:30Z), 8 h
# paid; breaks.csv rows 1-3 are Monday's rest, meal (30 min, unpaid) and rest.
DISAGREEMENTS = [
    Disagreement(
        "roster.csv",
        2,
        {"start_local": "2026-12-08T10:00:00-05:00"},
        "fields",
        "start_local",
        "2026-12-08T10:00:00-05:00 is not the same instant as 2026-12-08T14:00:00Z (start_utc)",
    ),
    Disagreement(
        "roster.csv",
        2,
        {"end_local": "2026-12-08T16:30:00-06:00"},  # the right instant, Chicago's offset
        "fields",
        "end_local",
        "the offset of 2026-12-08T16:30:00-06:00 is not America/New_York's at that instant "
        "(2026-12-08T17:30:00-05:00)",
    ),
    Disagreement(
        "roster.csv",
        2,
        {"date": "2026-12-09"},
        "fields",
        "date",
        "2026-12-09 is not the local start date 2026-12-08 in America/New_York",
    ),
    Disagreement(
        "roster.csv",
        2,
        {
            "timezone": "America/Chicago",
            "start_local": "2026-12-08T08:00:00-06:00",
            "end_local": "2026-12-08T16:30:00-06:00",
        },
        "fields",
        "timezone",
        "America/Chicago is not the zone of A1, who works in America/New_York",
    ),
    Disagreement(
        "roster.csv",
        2,
        {"timezone": "America/Chicago"},  # times still New York's: the zone is the one fault
        "fields",
        "timezone",
        "America/Chicago is not the zone of A1, who works in America/New_York",
    ),
    Disagreement(
        "roster.csv",
        2,
        {"paid_hours": "7.5"},
        "shift_shape",
        "paid_hours",
        "A1's shift 2026-12-08 09:00–17:30 lasts 8.5 h in real time with 0.5 h of unpaid "
        "breaks, so it pays 8 h, not the 7.5 h written",
    ),
    Disagreement(
        "roster.csv",
        2,
        {"paid_hours": "9"},  # also not what times and breaks say: one line all the same
        "fields",
        "paid_hours",
        "9 h paid is more than the 8.5 h the shift lasts",
    ),
    Disagreement(
        "roster.csv",
        2,
        {"evening": "1"},
        "fields",
        "evening",
        "says 1 but the shift ends at 2026-12-08 17:30 local (evening = after 20:00) so it "
        "should be 0",
    ),
    Disagreement(
        "roster.csv",
        2,
        {"weekend": "1"},
        "fields",
        "weekend",
        "says 1 but the shift starts on a Tue so it should be 0",
    ),
    Disagreement(
        "breaks.csv",
        2,
        {"kind": "lunch"},
        "fields",
        "kind",
        "'lunch' must be meal or rest (read as a meal, being unpaid)",
    ),
    Disagreement(
        "breaks.csv",
        2,
        {"paid": "1"},
        "fields",
        "paid",
        "says 1 but the break policy makes a meal unpaid (breaks.meal_paid), so it should be 0",
    ),
]


@pytest.mark.parametrize("case", DISAGREEMENTS, ids=lambda c: f"{c.file}-{c.column}")
def test_fields_that_disagree_are_one_fault_each_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], case: Disagreement
) -> None:
    argv = write_inputs(tmp_path, weekdays())
    edit_row(tmp_path / case.file, case.row, **case.values)
    assert main([*argv, "--breaks", str(tmp_path / "breaks.csv")]) == 1
    captured = capsys.readouterr()
    assert captured.err == ""
    (line,) = fault_lines(captured.out)  # the row is read as best it can be: no cascade
    day = "2026-12-08" if case.file == "roster.csv" else "2026-12-07"
    where = f"{tmp_path / case.file}, row {case.row}, column {case.column}"
    assert line == [case.rule, "A1", day, f"{where}: {case.words}"]
    assert "1 violation" in captured.out


def test_paid_hours_within_one_minute_agree(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = write_inputs(tmp_path, weekdays())
    edit_row(tmp_path / "roster.csv", 1, paid_hours="7.99")  # 479.4 min for 480: agrees
    edit_row(tmp_path / "roster.csv", 2, paid_hours="8.01")
    assert main([*argv, "--breaks", str(tmp_path / "breaks.csv")]) == 0
    edit_row(tmp_path / "roster.csv", 3, paid_hours="7.98")  # 478.8 min: 1.2 min off
    assert main([*argv, "--breaks", str(tmp_path / "breaks.csv")]) == 1
    (line,) = fault_lines(capsys.readouterr().out)
    assert line[3].startswith(f"{tmp_path / 'roster.csv'}, row 3, column paid_hours:")


def test_paid_hours_rounded_to_two_decimals_pass(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """On a 10-minute start grid a 7 h 50 min shift is paid 7.8333... h; a file that
    writes 7.83 (469.8 minutes) is not wrong."""
    agent = make_agent("A1", min_hours=32, skills=("phone", "sms"), shift_hours=(470 / 60,))
    shifts = [make_shift(agent, WEEK + timedelta(days=i), paid_hours=470 / 60) for i in (1, 2)]
    argv = write_inputs(tmp_path, shifts)
    (tmp_path / "config.toml").write_text(
        CONFIG + "\n[shifts]\nstart_step_minutes = 10\n", encoding="utf-8"
    )
    (tmp_path / "agents.csv").write_text(
        AGENTS.replace(",32,40,8,", ",0,40,7.8333333333,"), encoding="utf-8"
    )
    roster = tmp_path / "roster.csv"
    assert "7.8333" in roster.read_text(encoding="utf-8")
    edit_row(roster, 1, paid_hours="7.83")
    edit_row(roster, 2, paid_hours="7.83")
    assert main([*argv, "--breaks", str(tmp_path / "breaks.csv")]) == 0, capsys.readouterr()


def test_every_fault_at_once_fields_first(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shifts = weekdays()
    shifts[0] = make_shift(AGENT, WEEK + timedelta(days=1), "17:30")  # Mon to Tue 02:00
    argv = write_inputs(tmp_path, shifts)
    roster, breaks = tmp_path / "roster.csv", tmp_path / "breaks.csv"
    edit_row(roster, 1, evening="0")  # Monday's shift ends at 02:00: evening
    edit_row(roster, 3, date="2026-12-10", paid_hours="7.5")
    edit_row(roster, 4, end_utc="2026-12-10T13:00:00Z")  # before its start: left out
    edit_row(breaks, 1, kind="coffee")
    assert main([*argv, "--breaks", str(breaks)]) == 1
    lines = fault_lines(capsys.readouterr().out)
    places = [(rule, text.split(":")[0]) for rule, _agent, _day, text in lines]
    assert places[:6] == [
        ("fields", f"{roster}, row 1, column evening"),
        ("fields", f"{roster}, row 3, column date"),
        ("fields", f"{roster}, row 4, column end_local"),
        ("fields", f"{roster}, row 4, column end_utc"),
        ("fields", f"{breaks}, row 1, column kind"),
        ("shift_shape", f"{roster}, row 3, column paid_hours"),
    ]
    rules = [line[0] for line in lines[6:]]
    assert "min_rest" in rules  # Monday's shift ends 02:00, Tuesday's starts 09:00
    assert rules.count("breaks") == 3  # Thursday's three breaks lie in no shift now


def test_unreadable_roster_files_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = write_inputs(tmp_path, weekdays())
    roster = tmp_path / "roster.csv"
    good = roster.read_text(encoding="utf-8")
    roster.write_text(good.replace(",paid_hours,", ",hours,", 1), encoding="utf-8")
    assert main(argv) == 2
    assert f"{roster}, column paid_hours: missing column(s)" in capsys.readouterr().err
    roster.write_text(good, encoding="utf-8")
    edit_row(roster, 2, start_utc="2026-12-08T14:00:00", paid_hours="eight")
    edit_row(roster, 3, evening="yes")
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert f"{roster}, row 2, column start_utc: '2026-12-08T14:00:00' has no UTC offset" in err
    assert f"{roster}, row 2, column paid_hours: 'eight' is not a number" in err
    assert f"{roster}, row 3, column evening: 'yes' must be 0 or 1" in err


def test_a_previous_roster_whose_fields_disagree_is_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = write_inputs(tmp_path, weekdays())
    previous = tmp_path / "previous.csv"
    previous.write_text((tmp_path / "roster.csv").read_text(encoding="utf-8"), encoding="utf-8")
    edit_row(previous, 2, date="2026-12-09")
    assert main([*argv, "--previous", str(previous)]) == 2
    err = capsys.readouterr().err
    assert f"{previous}, row 2, column date: 2026-12-09 is not the local start date" in err
