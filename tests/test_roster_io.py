"""roster.csv and breaks.csv: exact format, flags, round trips, and every format problem
named by file, row and column; plus preferences.csv and fairness_history.csv."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest

from planner.data.problems import Problems
from planner.data.roster_io import (
    FAIRNESS_KINDS,
    ROSTER_COLUMNS,
    FairnessCarry,
    holiday_weight,
    local_window,
    read_break_rows,
    read_breaks,
    read_fairness_history,
    read_preferences,
    read_roster,
    read_roster_rows,
    shift_flags,
    write_breaks,
    write_fairness_history,
    write_roster,
)
from planner.domain import Break, FairnessConfig, Roster, Shift
from tests.support.roster import (
    WEEK,
    calendar_for,
    make_agent,
    make_config,
    make_shift,
    standard_breaks,
)

GEORGIA = make_agent("G1")
DENVER = make_agent("T1", state="TX", timezone="America/Denver")
SEATTLE = make_agent("W1", state="WA", timezone="America/Los_Angeles")
AGENTS = [GEORGIA, DENVER, SEATTLE]
CHRISTMAS = date(2026, 12, 25)  # a Friday, US federal holiday


def sample_shifts() -> list[Shift]:
    return [
        make_shift(GEORGIA, WEEK + timedelta(days=1)),  # Mon 09:00-17:30: no flag
        make_shift(GEORGIA, CHRISTMAS),  # holiday
        make_shift(DENVER, WEEK + timedelta(days=5), "17:30"),  # Fri to 02:00 Sat: evening
        make_shift(SEATTLE, WEEK + timedelta(days=6)),  # Saturday: weekend
        make_shift(SEATTLE, date(2026, 11, 1), "00:00"),  # DST night: ends 07:30 PST
    ]


def rows(path: Path) -> list[list[str]]:
    return [line.split(",") for line in path.read_text(encoding="utf-8").splitlines()]


def test_roster_csv_format_and_flags(tmp_path: Path) -> None:
    config = make_config()
    path = tmp_path / "roster.csv"
    write_roster(path, Roster(tuple(sample_shifts())), AGENTS, config, calendar_for(config))
    table = rows(path)
    assert table[0] == [*ROSTER_COLUMNS, "closer"]  # the contract's columns, then ours
    assert table[1] == [
        "W1",
        "2026-11-01",
        "2026-11-01T00:00:00-07:00",
        "2026-11-01T07:30:00-08:00",  # the offset changed during the shift
        "America/Los_Angeles",
        "2026-11-01T07:00:00Z",
        "2026-11-01T15:30:00Z",
        "8",
        "0",
        "1",
        "0",
        "0",
    ]
    flags = {(r[0], r[1]): (r[8], r[9], r[10], r[11]) for r in table[1:]}
    assert flags == {
        ("W1", "2026-11-01"): ("0", "1", "0", "0"),
        ("G1", "2026-12-07"): ("0", "0", "0", "0"),
        ("T1", "2026-12-11"): ("1", "0", "0", "1"),  # ends 02:00 Saturday: a closer
        ("W1", "2026-12-12"): ("0", "1", "0", "0"),
        ("G1", "2026-12-25"): ("0", "0", "1", "0"),
    }
    denver = next(r for r in table if r[0] == "T1")
    assert denver[2:4] == ["2026-12-11T17:30:00-07:00", "2026-12-12T02:00:00-07:00"]


def test_roster_round_trip_gives_identical_shifts(tmp_path: Path) -> None:
    config = make_config()
    calendar = calendar_for(config)
    shifts = sample_shifts()
    path = tmp_path / "roster.csv"
    write_roster(path, Roster(tuple(shifts)), AGENTS, config, calendar)
    problems = Problems()
    back = read_roster(path, problems, agents=AGENTS, config=config, calendar=calendar)
    assert list(problems) == []
    key = lambda s: (s.agent_id, s.start_utc)  # noqa: E731
    assert sorted(back, key=key) == sorted(shifts, key=key)
    assert all(s.start_utc.utcoffset() == timedelta(0) for s in back)


def test_output_is_sorted_and_deterministic(tmp_path: Path) -> None:
    config = make_config()
    calendar = calendar_for(config)
    shifts = sample_shifts()
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    write_roster(first, Roster(tuple(shifts)), AGENTS, config, calendar)
    random.Random(3).shuffle(shifts)
    write_roster(second, Roster(tuple(shifts)), AGENTS, config, calendar)
    assert first.read_bytes() == second.read_bytes()
    dates = [r[1] for r in rows(first)[1:]]
    assert dates == sorted(dates)


def test_unknown_agent_writes_nothing(tmp_path: Path) -> None:
    config = make_config()
    path = tmp_path / "roster.csv"
    stranger = make_shift(make_agent("Z9"), WEEK)
    with pytest.raises(KeyError):
        write_roster(path, [stranger], AGENTS, config, calendar_for(config))
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("start", "paid", "evening"),
    [
        ("11:30", 8, False),  # ends 20:00 exactly: not after 20:00
        ("12:00", 8, True),  # ends 20:30
        ("16:00", 8, True),  # ends 00:30: past midnight
    ],
)
def test_evening_flag(start: str, paid: float, evening: bool) -> None:
    config = make_config()
    agent = make_agent(shift_hours=(4, 8))
    shift = make_shift(agent, WEEK + timedelta(days=1), start, paid)
    assert shift_flags(shift, agent, config, calendar_for(config)).evening is evening


def test_midnight_end_counts_as_evening() -> None:
    config = make_config()
    agent = make_agent(shift_hours=(4,))
    shift = make_shift(agent, WEEK + timedelta(days=1), "20:00", 4)  # 20:00-00:00
    assert local_window(shift).end == 1440
    assert shift_flags(shift, agent, config, calendar_for(config)).evening


def test_weekend_follows_the_agents_local_weekday() -> None:
    """Friday 20:00 Pacific is Saturday 04:00 UTC: still a Friday shift for the agent."""
    config = make_config()
    friday = make_shift(SEATTLE, WEEK + timedelta(days=5), "17:30")
    assert friday.start_utc.weekday() == 5  # Saturday in UTC
    assert not shift_flags(friday, SEATTLE, config, calendar_for(config)).weekend


BAD_ROSTER = (
    ",".join(ROSTER_COLUMNS)
    + "\n"
    + """\
G1,2026-12-07,2026-12-07T09:00:00-05:00,2026-12-07T17:30:00-05:00,America/New_York,2026-12-07T14:00:00Z,2026-12-07T22:30:00Z,8,0,0,0
G1,2026-12-08,2026-12-08T09:00:00,2026-12-08T17:30:00-05:00,America/New_York,2026-12-08T14:00:00Z,2026-12-08T22:30:00Z,8,0,0,0
G1,2026-12-09,2026-12-09T09:00:00-05:00,2026-12-09T17:30:00-05:00,America/New_York,2026-12-09T15:00:00Z,2026-12-09T22:30:00Z,8,0,0,0
G1,2026-12-10,2026-12-10T09:00:00-06:00,2026-12-10T17:30:00-06:00,America/New_York,2026-12-10T15:00:00Z,2026-12-10T23:30:00Z,8,0,0,0
G1,2026-12-12,2026-12-11T09:00:00-05:00,2026-12-11T17:30:00-05:00,America/New_York,2026-12-11T14:00:00Z,2026-12-11T22:30:00Z,8,0,0,0
G1,2026-12-13,2026-12-13T17:30:00-05:00,2026-12-13T09:00:00-05:00,America/New_York,2026-12-13T22:30:00Z,2026-12-13T14:00:00Z,8,0,1,0
,2026-12-14,2026-12-14T09:00:00-05:00,2026-12-14T17:30:00-05:00,Mars/Olympus,2026-12-14T14:00:00Z,2026-12-14T22:30:00Z,eight,2,0,0
G1,2026-12-15,2026-12-15T09:00:00-05:00,2026-12-15T10:00:00-05:00,America/New_York,2026-12-15T14:00:00Z,2026-12-15T15:00:00Z,8,0,0,0
"""
)


def test_read_roster_names_every_problem(tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_text(BAD_ROSTER, encoding="utf-8")
    problems = Problems()
    shifts = read_roster(path, problems)
    assert [s.date for s in shifts] == [date(2026, 12, 7)]
    found = {(p.row, p.column) for p in problems}
    assert found == {
        (2, "start_local"),  # no offset
        (3, "start_local"),  # 09:00-05:00 is not 15:00Z
        (3, "paid_hours"),  # 15:00Z-22:30Z lasts 7.5 h
        (4, "start_local"),  # -06:00 is not New York's offset in December
        (4, "end_local"),
        (5, "date"),  # starts on the 11th
        (6, "end_utc"),  # ends before it starts
        (7, "agent_id"),
        (7, "timezone"),
        (7, "paid_hours"),
        (7, "evening"),
        (8, "paid_hours"),  # 8 h paid in a 1-hour shift
    }
    assert all(p.file == str(path) for p in problems)


def test_read_roster_checks_flags_against_the_rules(tmp_path: Path) -> None:
    config = make_config()
    calendar = calendar_for(config)
    path = tmp_path / "roster.csv"
    write_roster(path, [make_shift(GEORGIA, CHRISTMAS)], AGENTS, config, calendar)
    path.write_text(path.read_text().replace(",0,0,1,0\n", ",0,0,0,0\n"), encoding="utf-8")
    problems = Problems()
    read_roster(path, problems, agents=AGENTS, config=config, calendar=calendar)
    assert [(p.row, p.column) for p in problems] == [(1, "holiday")]
    assert read_roster(path, Problems()) != []  # without the rules the row is readable


def test_read_roster_rows_keeps_disagreements_apart_from_format_problems(tmp_path: Path) -> None:
    """BAD_ROSTER for ``check``: rows that parse are read as best they can be (UTC instants,
    the local start date) and their disagreements are field faults, not problems."""
    path = tmp_path / "roster.csv"
    path.write_text(BAD_ROSTER, encoding="utf-8")
    problems = Problems()
    read = read_roster_rows(path, problems)
    assert {(p.row, p.column) for p in problems} == {
        (2, "start_local"),  # no offset: unreadable
        (7, "agent_id"),
        (7, "timezone"),
        (7, "paid_hours"),
        (7, "evening"),
    }
    assert [(f.row, f.column) for f in read.faults] == [
        (3, "start_local"),
        (3, "paid_hours"),
        (4, "start_local"),
        (4, "end_local"),
        (5, "date"),
        (6, "end_utc"),  # ends before it starts: left out
        (8, "paid_hours"),
    ]
    assert read.rows == [1, 3, 4, 5, 8]
    assert read.shifts[3].date == date(2026, 12, 11)  # written 2026-12-12: read as its start


def test_read_roster_rows_reads_a_shift_in_its_agents_zone(tmp_path: Path) -> None:
    config = make_config()
    shift = make_shift(GEORGIA, WEEK + timedelta(days=1), "23:00", 4)  # Mon 23:00 to 03:00
    chicago = replace(shift, timezone="America/Chicago", date=shift.date)  # 22:00 in Chicago
    path = tmp_path / "roster.csv"
    write_roster(
        path,
        [chicago],
        [replace(GEORGIA, timezone="America/Chicago")],
        config,
        calendar_for(config),
    )
    read = read_roster_rows(
        path, Problems(), agents=AGENTS, config=config, calendar=calendar_for(config)
    )
    assert [(f.row, f.column) for f in read.faults] == [(1, "timezone")]
    assert read.shifts == [shift]


def test_read_break_rows_faults_kind_and_paid_flag(tmp_path: Path) -> None:
    path = tmp_path / "breaks.csv"
    path.write_text(
        "agent_id,start_utc,end_utc,kind,paid\n"
        "G1,2026-12-07T16:00:00Z,2026-12-07T16:15:00Z,nap,1\n"
        "G1,2026-12-07T18:00:00Z,2026-12-07T18:30:00Z,meal,1\n"
        "G1,2026-12-07T19:00:00Z,2026-12-07T18:30:00Z,rest,1\n",
        encoding="utf-8",
    )
    problems = Problems()
    read = read_break_rows(path, problems, agents=AGENTS, config=make_config())
    assert list(problems) == []
    assert [(f.row, f.column) for f in read.faults] == [(1, "kind"), (2, "paid"), (3, "end_utc")]
    assert [(b.kind, b.paid) for b in read.breaks] == [("rest", True), ("meal", False)]
    assert read.rows == [1, 2]
    # As an input a fault is a problem and its row is left out; without a config the paid
    # flag is not judged, so only the meal of row 2 remains.
    problems = Problems()
    assert [b.kind for b in read_breaks(path, problems)] == ["meal"]
    assert [(p.row, p.column) for p in problems] == [(1, "kind"), (3, "end_utc")]


def test_read_roster_missing_file_and_columns(tmp_path: Path) -> None:
    problems = Problems()
    assert read_roster(tmp_path / "nope.csv", problems) == []
    bad = tmp_path / "cols.csv"
    bad.write_text("agent_id,date\nG1,2026-12-07\n", encoding="utf-8")
    assert read_roster(bad, problems) == []
    first, second = list(problems)
    assert (first.file.endswith("nope.csv"), first.rule) == (True, "file not found")
    assert second.rule == "missing column(s)"


def test_breaks_round_trip_and_problems(tmp_path: Path) -> None:
    shift = make_shift(GEORGIA, WEEK + timedelta(days=1))
    breaks = standard_breaks(shift)
    path = tmp_path / "breaks.csv"
    write_breaks(path, list(reversed(breaks)))
    assert rows(path)[1] == ["G1", "2026-12-07T16:00:00Z", "2026-12-07T16:15:00Z", "rest", "1"]
    problems = Problems()
    assert read_breaks(path, problems) == breaks
    assert list(problems) == []
    path.write_text(
        "agent_id,start_utc,end_utc,kind,paid\n"
        "G1,2026-12-07T16:00:00Z,2026-12-07T16:15:00Z,nap,1\n"
        "G1,2026-12-07T16:00:00,2026-12-07T15:15:00Z,rest,yes\n",
        encoding="utf-8",
    )
    problems = Problems()
    assert read_breaks(path, problems) == []
    assert {(p.row, p.column) for p in problems} == {(1, "kind"), (2, "start_utc"), (2, "paid")}


def test_break_dataclass_round_trip_keeps_paid_flag(tmp_path: Path) -> None:
    start = make_shift(GEORGIA, WEEK).start_utc
    item = Break(
        "G1", start + timedelta(hours=2), start + timedelta(hours=2, minutes=30), "meal", True
    )
    path = tmp_path / "breaks.csv"
    write_breaks(path, Roster((), (item,)))
    assert read_breaks(path, Problems()) == [item]


def test_read_preferences(tmp_path: Path) -> None:
    path = tmp_path / "preferences.csv"
    path.write_text(
        "agent_id,weekday,kind,start,end\n"
        "G1,Fri,day_off,,\n"
        "G1,Mon,start_window,10:00,12:00\n"
        "X9,Mon,day_off,,\n"
        "G1,Funday,start_window,25:00,\n",
        encoding="utf-8",
    )
    problems = Problems()
    prefs = read_preferences(path, AGENTS, problems)
    assert [(p.agent_id, p.weekday, p.kind) for p in prefs] == [
        ("G1", 4, "day_off"),
        ("G1", 0, "start_window"),
    ]
    assert prefs[1].window is not None
    assert (prefs[1].window.start, prefs[1].window.end) == (600, 720)
    assert {(p.row, p.column) for p in problems} == {
        (3, "agent_id"),
        (4, "weekday"),
        (4, "start"),
        (4, "end"),
    }


def test_read_fairness_history_of_the_first_format(tmp_path: Path) -> None:
    """The first format (agent_id, weekend, evening, holiday) still reads: closer, weeks and
    hours count 0; a blank cell is 0; a negative count is a problem naming row and column."""
    path = tmp_path / "fairness_history.csv"
    path.write_text(
        "agent_id,weekend,evening,holiday\nG1,3,5,1\nT1,,2,0\nW1,-1,0,0\n", encoding="utf-8"
    )
    problems = Problems()
    history = read_fairness_history(path, AGENTS, problems)
    assert history == {
        "G1": FairnessCarry({"weekend": 3, "evening": 5, "holiday": 1, "closer": 0}),
        "T1": FairnessCarry({"weekend": 0, "evening": 2, "holiday": 0, "closer": 0}),
    }
    assert [(p.row, p.column) for p in problems] == [(3, "weekend")]


def test_fairness_history_round_trip_and_exposure(tmp_path: Path) -> None:
    """Every column written and read back; ``hours`` is carried exposure in minutes x 60;
    without an hours column it is weeks x max_weekly_hours (40 h here)."""
    history = {
        "G1": FairnessCarry(
            {"weekend": 4, "evening": 9, "holiday": 3, "closer": 2}, 6, 6 * 1950, date(2026, 12, 5)
        ),
        "T1": FairnessCarry({"weekend": 1}, 1, 2400, date(2026, 12, 5)),
    }
    path = tmp_path / "fairness_history.csv"
    write_fairness_history(path, history)
    assert rows(path)[0] == ["agent_id", *FAIRNESS_KINDS, "weeks", "hours", "through"]
    assert rows(path)[1] == ["G1", "4", "9", "3", "2", "6", "195", "2026-12-05"]  # 32.5 h x 6
    problems = Problems()
    back = read_fairness_history(path, AGENTS, problems)
    assert list(problems) == []
    assert back["G1"] == history["G1"]
    assert back["T1"].count("weekend") == 1
    assert back["T1"].count("closer") == 0
    path.write_text("agent_id,weekend,weeks\nG1,2,3\n", encoding="utf-8")
    assert read_fairness_history(path, AGENTS, Problems())["G1"].minutes == 3 * 40 * 60


def test_fairness_history_problems_and_agents_who_left(tmp_path: Path) -> None:
    path = tmp_path / "fairness_history.csv"
    path.write_text(
        "agent_id,weekend,weeks,hours,through\n"
        "G1,1,2,200,2026-12-05\n"  # 200 h in 2 weeks: more than 60 h a week
        "T1,1,2,x,2026-12-05\n"
        "W1,1,2,80,5 Dec\n"
        "Z9,7,10,400,2026-12-05\n",  # left the team: kept, with a warning
        encoding="utf-8",
    )
    problems = Problems()
    history = read_fairness_history(path, AGENTS, problems)
    assert {(p.row, p.column, p.severity) for p in problems} == {
        (1, "hours", "error"),
        (2, "hours", "error"),
        (3, "through", "error"),
        (4, "agent_id", "warning"),
    }
    assert history["Z9"].count("weekend") == 7


def test_closer_ends_past_local_midnight_in_the_agents_zone() -> None:
    """Closer: the end is strictly after the instant the next local date begins."""
    config = make_config()
    calendar = calendar_for(config)
    tue = WEEK + timedelta(days=2)
    midnight = make_shift(GEORGIA, tue, "15:30")  # 15:30-00:00: ends at midnight exactly
    past = make_shift(GEORGIA, tue, "16:00")  # 16:00-00:30
    assert (midnight.end_local.hour, midnight.end_local.minute) == (0, 0)
    assert not shift_flags(midnight, GEORGIA, config, calendar).closer
    assert shift_flags(past, GEORGIA, config, calendar).closer
    # 15:00-23:30 in Seattle is 18:00-02:30 in New York: not a closer for a Seattle agent.
    seattle = make_shift(SEATTLE, tue, "15:00")
    assert seattle.end_utc.astimezone(GEORGIA.zone).hour == 2
    assert not shift_flags(seattle, SEATTLE, config, calendar).closer


@pytest.mark.parametrize(
    ("day", "start", "closer"),
    [
        # Fall back (Sun 1 Nov 2026, 02:00 EDT -> 01:00 EST): 18:00 EDT + 8.5 h real =
        # 01:30 EST, a clock span of 7.5 h: a closer.
        (date(2026, 10, 31), "18:00", True),
        # 15:30 EDT + 8.5 h = 00:00 EDT Sunday (the change comes two hours later): not one.
        (date(2026, 10, 31), "15:30", False),
        # Spring forward (Sun 8 Mar 2026): 15:30 EST + 8.5 h = 00:00 EST: not a closer;
        # 19:00 EST + 8.5 h real = 04:30 EDT, a clock span of 9.5 h: a closer.
        (date(2026, 3, 7), "15:30", False),
        (date(2026, 3, 7), "19:00", True),
    ],
)
def test_closer_on_dst_nights(day: date, start: str, closer: bool) -> None:
    config = make_config()
    shift = make_shift(GEORGIA, day, start)
    assert shift.elapsed_hours == 8.5
    assert shift_flags(shift, GEORGIA, config, calendar_for(config)).closer is closer


def test_holiday_weights_match_names_robustly() -> None:
    """Case, spaces and punctuation ignored; an entry matches when contained in the name;
    the longest entry wins; no match gives the default weight."""
    policy = FairnessConfig(
        holiday_weights=(("christmas day", 3), ("CHRISTMAS DAY (observed)", 2), ("NEW YEARS", 4)),
        default_holiday_weight=1,
    )
    assert holiday_weight("Christmas Day", policy) == 3
    assert holiday_weight("Christmas Day (observed)", policy) == 2  # longest entry
    assert holiday_weight("Day After Christmas", policy) == 1  # "christmasday" not in it
    assert holiday_weight("New Year's Day", policy) == 4
    assert holiday_weight("Labor Day", policy) == 1
    assert holiday_weight(None, policy) == 0
    defaults = FairnessConfig()
    assert holiday_weight("Thanksgiving Day", defaults) == 3
    assert holiday_weight("Day After Thanksgiving", defaults) == 1
    assert holiday_weight("New Year's Day (observed)", defaults) == 3
    assert holiday_weight("New Year's Eve", defaults) == 1


def test_christmas_counts_three_holiday_units() -> None:
    config = make_config()
    flags = shift_flags(make_shift(GEORGIA, CHRISTMAS), GEORGIA, config, calendar_for(config))
    assert (flags.count("holiday"), flags.units("holiday")) == (1, 3)
    assert flags.units("weekend") == 0


def test_closer_column_is_optional_and_checked_when_present(tmp_path: Path) -> None:
    config = make_config()
    calendar = calendar_for(config)
    path = tmp_path / "roster.csv"
    late = make_shift(DENVER, WEEK + timedelta(days=2), "17:30")  # to 02:00: a closer
    write_roster(path, [late], AGENTS, config, calendar)
    text = path.read_text()
    assert text.splitlines()[1].endswith(",1,0,0,1")
    problems = Problems()
    read_roster(path, problems, agents=AGENTS, config=config, calendar=calendar)
    assert list(problems) == []
    path.write_text(text.replace(",1,0,0,1\n", ",1,0,0,0\n"), encoding="utf-8")
    read_roster(path, problems, agents=AGENTS, config=config, calendar=calendar)
    assert [(p.row, p.column) for p in problems] == [(1, "closer")]
    without = "\n".join(line.rsplit(",", 1)[0] for line in text.splitlines()) + "\n"
    path.write_text(without, encoding="utf-8")
    problems = Problems()
    assert read_roster(path, problems, agents=AGENTS, config=config, calendar=calendar) == [late]
    assert list(problems) == []
