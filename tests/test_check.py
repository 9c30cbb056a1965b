"""Every hard rule of docs/OBJECTIVE.md, both ways: a tiny hand-built roster that passes
and one that breaks it (asserting the rule name and the agent)."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest

from planner.domain import (
    Agent,
    AvailabilityWindow,
    Break,
    Config,
    Horizon,
    Roster,
    RulesConfig,
    Shift,
    StabilityConfig,
    TimeOff,
    Window,
)
from planner.verify.check import HARD_RULE_CHECKS, CheckResult, check_roster
from planner.verify.context import Violation
from tests.support.roster import (
    WEEK,
    calendar_for,
    local,
    make_agent,
    make_config,
    make_shift,
    night_config,
    roster_with_breaks,
    standard_breaks,
    week_horizon,
)

ROOT = Path(__file__).resolve().parents[1]
MON, TUE, WED, THU, FRI, SAT = (WEEK + timedelta(days=i) for i in range(1, 7))


def run(
    shifts: list[Shift],
    agents: list[Agent],
    config: Config | None = None,
    *,
    horizon: Horizon | None = None,
    breaks: list[Break] | None = None,
    **kwargs: object,
) -> CheckResult:
    """Check ``shifts`` (with standard breaks unless ``breaks`` is given)."""
    config = config or make_config()
    roster = roster_with_breaks(shifts) if breaks is None else Roster(tuple(shifts), tuple(breaks))
    return check_roster(
        roster,
        agents,
        config,
        horizon or week_horizon(),
        calendar_for(config),
        **kwargs,  # type: ignore[arg-type]
    )


def found(result: CheckResult, rule: str) -> list[Violation]:
    return [v for v in result.violations if v.rule == rule]


def weekdays_9_to_5(agent: Agent, days: list[date] | None = None) -> list[Shift]:
    return [make_shift(agent, d) for d in (days or [MON, TUE, WED, THU, FRI])]


# --------------------------------------------------------------------------- registry


def test_registry_names_are_exactly_objective_md_hard_rules() -> None:
    text = (ROOT / "docs" / "OBJECTIVE.md").read_text(encoding="utf-8")
    table = text.split("# Hard rules", 1)[1].split("## Break rules", 1)[0]
    names = [
        line.split("|")[1].strip().strip("`")
        for line in table.splitlines()
        if line.startswith("| `")
    ]
    assert names == list(HARD_RULE_CHECKS)
    assert len(names) == 17


def test_checker_never_imports_ortools_or_the_engine() -> None:
    """Imported in a fresh interpreter, the checker pulls in no solver module, even indirectly."""
    code = (
        "import sys, planner.verify.check, planner.verify.kpi, planner.data.roster_io\n"
        "import planner.commands.check\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('ortools', 'constraints')\n"
        "       or m.startswith('planner.roster.')]\n"
        "print(bad)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"


def test_a_plain_week_passes_every_rule() -> None:
    agent = make_agent(min_hours=32)
    result = run(weekdays_9_to_5(agent), [agent])
    assert result.ok, result.violations
    assert result.violations == []


# --------------------------------------------------------------------------- one_shift_per_day


def test_two_shifts_on_one_day_break_one_shift_per_day() -> None:
    agent = make_agent(shift_hours=(4,))
    shifts = [make_shift(agent, MON, "06:00", 4), make_shift(agent, MON, "16:00", 4)]
    config = make_config(rules=RulesConfig(min_rest_hours=4))
    bad = found(run(shifts, [agent], config), "one_shift_per_day")
    assert [(v.agent_id, v.date) for v in bad] == [("A1", MON)]
    assert "2 shifts" in bad[0].message
    allowed = make_config(rules=RulesConfig(min_rest_hours=4, max_shifts_per_day=2))
    assert run(shifts, [agent], allowed).ok


def test_overlapping_shifts_on_two_dates_break_one_shift_per_day() -> None:
    agent = make_agent(shift_hours=(4, 8))
    shifts = [make_shift(agent, MON, "16:00"), make_shift(agent, TUE, "00:00", 4)]
    bad = found(run(shifts, [agent], night_config()), "one_shift_per_day")
    assert [(v.agent_id, v.date) for v in bad] == [("A1", TUE)]
    assert "overlap" in bad[0].message


# --------------------------------------------------------------------------- shift_shape


def test_shift_shape_passes_at_the_edges() -> None:
    agent = make_agent()
    # 06:00 is the earliest start; 17:30 + 8.5 h ends at 02:00, the latest end.
    shifts = [make_shift(agent, MON, "06:00"), make_shift(agent, WED, "17:30")]
    assert run(shifts, [agent]).ok


@pytest.mark.parametrize(
    ("start", "paid", "words"),
    [
        ("09:00", 6, "works 8 h shifts"),  # a length the agent does not work
        ("09:15", 8, "off the 30-min grid"),
        ("05:30", 8, "before the earliest start 06:00"),
        ("18:00", 8, "after the latest end 02:00"),  # 18:00 + 8.5 h = 02:30
    ],
)
def test_shift_shape_violations(start: str, paid: float, words: str) -> None:
    agent = make_agent()
    result = run([make_shift(agent, MON, start, paid)], [agent])
    bad = found(result, "shift_shape")
    assert [v.agent_id for v in bad] == ["A1"]
    assert words in bad[0].message


def test_paid_hours_must_match_elapsed_minus_unpaid_breaks() -> None:
    agent = make_agent(shift_hours=(8, 9))
    shift = make_shift(agent, MON)  # 09:00-17:30 with a 30-min unpaid meal: 8 h paid
    claims_nine = replace(shift, paid_hours=9)
    result = run([claims_nine], [agent], breaks=standard_breaks(shift))
    bad = found(result, "shift_shape")
    assert [v.agent_id for v in bad] == ["A1"]
    assert "pays 8 h, not the 9 h written" in bad[0].message


def test_shift_outside_horizon_or_in_wrong_zone_is_misshapen() -> None:
    agent = make_agent()
    outside = make_shift(agent, WEEK + timedelta(days=7))
    wrong_zone = replace(make_shift(agent, MON), timezone="America/Chicago")
    result = run([outside, wrong_zone], [agent])
    messages = [v.message for v in found(result, "shift_shape")]
    assert any("outside the horizon" in m for m in messages)
    assert any("written in America/Chicago" in m for m in messages)


# --------------------------------------------------------------------------- availability


def test_availability_both_ways() -> None:
    agent = make_agent()
    windows = [
        AvailabilityWindow("A1", 0, Window(8 * 60, 18 * 60)),  # Mon 08:00-18:00
        AvailabilityWindow("A1", 2, Window(16 * 60, 26 * 60)),  # Wed 16:00-02:00
    ]
    inside = [make_shift(agent, MON, "09:00"), make_shift(agent, WED, "17:30")]
    assert run(inside, [agent], availability=windows).ok
    late = make_shift(agent, MON, "10:00")  # ends 18:30
    other_day = make_shift(agent, TUE, "09:00")
    bad = found(run([late, other_day], [agent], availability=windows), "availability")
    assert [(v.agent_id, v.date) for v in bad] == [("A1", MON), ("A1", TUE)]
    assert "not available on Tue" in bad[1].message


def test_agent_without_availability_rows_may_work_anything() -> None:
    agent, other = make_agent(), make_agent("B2")
    windows = [AvailabilityWindow("B2", 0, Window(8 * 60, 12 * 60))]
    assert run([make_shift(agent, TUE, "12:00")], [agent, other], availability=windows).ok


# --------------------------------------------------------------------------- time_off


def test_time_off_both_ways() -> None:
    agent = make_agent()
    off = [TimeOff("A1", TUE)]
    assert run([make_shift(agent, MON, "09:00")], [agent], time_off=off).ok
    # 17:30-02:00 runs into Tuesday, a day off.
    bad = found(run([make_shift(agent, MON, "17:30")], [agent], time_off=off), "time_off")
    assert [(v.agent_id, v.date) for v in bad] == [("A1", TUE)]


# --------------------------------------------------------------------------- weekly_hours


def test_weekly_minimum_and_its_time_off_lowering() -> None:
    agent = make_agent(min_hours=40)
    four = weekdays_9_to_5(agent, [MON, TUE, WED, THU])  # 32 h
    bad = found(run(four, [agent]), "weekly_hours")
    assert [(v.agent_id, v.date) for v in bad] == [("A1", WEEK)]
    assert "paid 32 h" in bad[0].message
    assert "min 40 h" in bad[0].message
    # One day off lowers the minimum by the agent's longest shift (8 h): 32 h is enough.
    assert run(four, [agent], time_off=[TimeOff("A1", FRI)]).ok


def test_weekly_minimum_is_never_below_zero() -> None:
    agent = make_agent(min_hours=8)
    off = [TimeOff("A1", MON), TimeOff("A1", TUE)]
    assert run([], [agent], time_off=off).ok
    assert found(run([], [agent]), "weekly_hours")


def test_weekly_maximum() -> None:
    agent = make_agent(max_hours=32)
    bad = found(run(weekdays_9_to_5(agent), [agent]), "weekly_hours")
    assert [v.agent_id for v in bad] == ["A1"]
    assert "max 32 h" in bad[0].message


def test_overtime_only_when_allowed_and_capped() -> None:
    agent = make_agent(max_hours=48)
    six = weekdays_9_to_5(agent, [MON, TUE, WED, THU, FRI, SAT])  # 48 h, 8 over 40
    base = RulesConfig(min_days_off_per_week=1)
    not_allowed = found(run(six, [agent], make_config(rules=base)), "weekly_hours")
    assert [v.agent_id for v in not_allowed] == ["A1"]
    assert "overtime is not allowed" in not_allowed[0].message
    allowed = replace(base, overtime_allowed=True, max_overtime_hours_per_week=8)
    assert run(six, [agent], make_config(rules=allowed)).ok
    capped = replace(allowed, max_overtime_hours_per_week=4)
    bad = found(run(six, [agent], make_config(rules=capped)), "weekly_hours")
    assert [v.agent_id for v in bad] == ["A1"]
    assert "8 h of overtime" in bad[0].message


# --------------------------------------------------------------------------- min_rest


def test_min_rest_both_ways() -> None:
    agent = make_agent()
    closing = make_shift(agent, MON, "17:30")  # ends Tue 02:00
    assert run([closing, make_shift(agent, TUE, "12:00")], [agent]).ok  # exactly 10 h
    bad = found(run([closing, make_shift(agent, TUE, "09:00")], [agent]), "min_rest")
    assert [(v.agent_id, v.date) for v in bad] == [("A1", TUE)]
    assert bad[0].message == (
        "A1 rests 7 h between the shift ending 2026-12-08 02:00 and the next starting 09:00 "
        "(min 10 h)"
    )


def test_min_rest_across_the_horizon_start_uses_previous() -> None:
    agent = make_agent()
    saturday_before = make_shift(agent, WEEK - timedelta(days=1), "17:30")  # ends Sun 02:00
    sunday = make_shift(agent, WEEK, "09:00")
    assert run([sunday], [agent]).ok
    bad = found(run([sunday], [agent], previous=[saturday_before]), "min_rest")
    assert [(v.agent_id, v.date) for v in bad] == [("A1", WEEK)]
    assert "rests 7 h" in bad[0].message


# --------------------------------------------------------------------------- max_consecutive_days


def test_max_consecutive_days_within_the_horizon() -> None:
    agent = make_agent(max_hours=60)
    rules = RulesConfig(
        min_days_off_per_week=0, overtime_allowed=True, max_overtime_hours_per_week=20
    )
    seven = [make_shift(agent, WEEK + timedelta(days=i)) for i in range(7)]
    bad = found(run(seven, [agent], make_config(rules=rules)), "max_consecutive_days")
    assert [(v.agent_id, v.date) for v in bad] == [("A1", SAT)]
    assert "7 consecutive days" in bad[0].message
    assert run(seven[:6], [agent], make_config(rules=rules)).ok


def test_max_consecutive_days_across_the_horizon_start() -> None:
    agent = make_agent()
    before = [make_shift(agent, WEEK - timedelta(days=i)) for i in range(1, 6)]  # Tue-Sat
    two = [make_shift(agent, WEEK), make_shift(agent, MON)]
    assert run(two, [agent]).ok
    bad = found(run(two, [agent], previous=before), "max_consecutive_days")
    assert [(v.agent_id, v.date) for v in bad] == [("A1", MON)]
    assert "7 consecutive days, 2026-12-01 to 2026-12-07" in bad[0].message


# --------------------------------------------------------------------------- min_days_off


def test_min_days_off_both_ways() -> None:
    agent = make_agent(max_hours=48)
    rules = RulesConfig(overtime_allowed=True, max_overtime_hours_per_week=8)
    six = weekdays_9_to_5(agent, [MON, TUE, WED, THU, FRI, SAT])
    bad = found(run(six, [agent], make_config(rules=rules)), "min_days_off")
    assert [(v.agent_id, v.date) for v in bad] == [("A1", WEEK)]
    assert "1 day off" in bad[0].message
    assert run(six[:5], [agent], make_config(rules=rules)).ok


# --------------------------------------------------------------------------- breaks


def _break(shift: Shift, kind: str, start: str, minutes: int) -> Break:
    agent_zone_start = local(make_agent(shift.agent_id, timezone=shift.timezone), shift.date, start)
    return Break(
        shift.agent_id,
        agent_zone_start,
        agent_zone_start + timedelta(minutes=minutes),
        "meal" if kind == "meal" else "rest",
        kind != "meal",
    )


def test_breaks_missing_meal() -> None:
    agent = make_agent()
    shift = make_shift(agent, MON)
    rests = [b for b in standard_breaks(shift) if b.kind == "rest"]
    bad = found(run([shift], [agent], breaks=rests), "breaks")
    assert [v.agent_id for v in bad] == ["A1"]
    assert "no meal" in bad[0].message


@pytest.mark.parametrize(
    ("meal_start", "words"),
    [
        ("09:30", "first hour"),
        ("16:45", "last hour"),  # ends 17:15, inside the last hour of 09:00-17:30
        ("13:10", "15-minute boundary"),
    ],
)
def test_break_placement(meal_start: str, words: str) -> None:
    agent = make_agent()
    shift = make_shift(agent, MON)
    breaks = [
        _break(shift, "rest", "11:00", 15),
        _break(shift, "meal", meal_start, 30),
        _break(shift, "rest", "15:30", 15),
    ]
    bad = found(run([shift], [agent], breaks=breaks), "breaks")
    assert bad, words
    assert all(v.agent_id == "A1" for v in bad)
    assert any(words in v.message for v in bad)


def test_breaks_overlapping_outside_or_wrong_length() -> None:
    agent = make_agent()
    shift = make_shift(agent, MON)
    breaks = [
        _break(shift, "rest", "13:15", 15),  # inside the meal
        _break(shift, "meal", "13:00", 30),
        _break(shift, "rest", "15:30", 20),  # 20 min, policy 15
        _break(shift, "rest", "19:00", 15),  # after the shift
    ]
    messages = [v.message for v in found(run([shift], [agent], breaks=breaks), "breaks")]
    assert any("overlap" in m for m in messages)
    assert any("lasts 20 min, policy says 15 min" in m for m in messages)
    assert any("not inside one of their shifts" in m for m in messages)


def test_short_shift_needs_one_rest_and_no_meal() -> None:
    agent = make_agent(shift_hours=(4,))
    shift = make_shift(agent, MON, "09:00", 4)
    assert run([shift], [agent]).ok
    bad = found(run([shift], [agent], breaks=[]), "breaks")
    assert [v.agent_id for v in bad] == ["A1"]
    assert "0 rest break(s) (needs 1)" in bad[0].message


def _wa_shift() -> tuple[Agent, Shift]:
    agent = make_agent("W1", state="WA", timezone="America/Los_Angeles")
    return agent, make_shift(agent, MON)  # 09:00-17:30 Pacific


def test_washington_meal_at_one_and_a_half_hours_fails() -> None:
    agent, shift = _wa_shift()
    breaks = [
        _break(shift, "meal", "10:30", 30),
        _break(shift, "rest", "12:30", 15),
        _break(shift, "rest", "14:30", 15),
    ]
    bad = found(run([shift], [agent], breaks=breaks), "breaks")
    assert {v.agent_id for v in bad} == {"W1"}
    assert any("meal starting 2 to 5 hours" in v.message for v in bad)


def test_washington_meal_at_three_hours_passes() -> None:
    agent, shift = _wa_shift()
    breaks = [
        _break(shift, "rest", "10:30", 15),
        _break(shift, "meal", "12:00", 30),
        _break(shift, "rest", "14:30", 15),
    ]
    assert run([shift], [agent], breaks=breaks).ok


def test_washington_three_and_a_half_hours_without_a_break_fails() -> None:
    agent, shift = _wa_shift()
    breaks = [
        _break(shift, "rest", "10:00", 15),
        _break(shift, "meal", "12:00", 30),
        _break(shift, "rest", "16:00", 15),  # 12:30-16:00 is 3.5 h of work
    ]
    bad = found(run([shift], [agent], breaks=breaks), "breaks")
    assert [(v.agent_id, v.message.split(": ", 1)[1]) for v in bad] == [
        ("W1", "3.5 h of work without a break (max 3 h)")
    ]
    # The same local break times are fine outside Washington.
    georgia = make_agent("G1")
    g_shift = make_shift(georgia, MON)
    g_breaks = [
        _break(g_shift, "rest", "10:00", 15),
        _break(g_shift, "meal", "12:00", 30),
        _break(g_shift, "rest", "16:00", 15),
    ]
    assert run([g_shift], [georgia], breaks=g_breaks).ok


def test_washington_more_than_five_hours_without_a_meal_fails() -> None:
    agent = make_agent("W1", state="WA", timezone="America/Los_Angeles", shift_hours=(10,))
    shift = make_shift(agent, MON, "08:00", 10)  # 08:00-18:30
    breaks = [
        _break(shift, "rest", "10:00", 15),
        _break(shift, "meal", "12:00", 30),  # 12:30-18:30 is 6 h without a meal
        _break(shift, "rest", "14:30", 15),
        _break(shift, "rest", "16:30", 15),
    ]
    bad = found(run([shift], [agent], breaks=breaks), "breaks")
    assert [v.message.split(": ", 1)[1] for v in bad] == ["6 h of work without a meal (max 5 h)"]


def test_without_a_breaks_file_breaks_are_skipped_and_the_meal_assumed() -> None:
    agent = make_agent()
    result = run(weekdays_9_to_5(agent), [agent], breaks=[], breaks_given=False)
    assert result.ok
    assert result.skipped == ("breaks",)


# --------------------------------------------------------------------------- skills


def test_roster_rows_of_unknown_agents_break_skills() -> None:
    agent, stranger = make_agent(), make_agent("Z9")
    result = run([make_shift(agent, MON), make_shift(stranger, MON)], [agent])
    bad = found(result, "skills")
    assert {v.agent_id for v in bad} == {"Z9"}
    assert all(v.agent_id == "Z9" for v in result.violations)
    assert run([make_shift(agent, MON)], [agent]).ok


# --------------------------------------------------------------------------- frozen_shifts


def test_frozen_shifts_both_ways() -> None:
    agent = make_agent()
    published = [make_shift(agent, MON), make_shift(agent, TUE)]
    hard = make_config(stability=StabilityConfig(freeze_days=14, frozen_is_hard=True))
    kept = run(published, [agent], hard, previous=published)
    assert kept.ok
    moved = [published[0], make_shift(agent, TUE, "10:00")]
    bad = found(run(moved, [agent], hard, previous=published), "frozen_shifts")
    assert [(v.agent_id, v.date) for v in bad] == [("A1", TUE), ("A1", TUE)]
    assert "changed or removed" in bad[0].message
    assert "added inside the frozen window" in bad[1].message
    soft = run(moved, [agent], make_config(), previous=published)
    assert soft.ok
    assert soft.terms["stability"] == 2


# Tests of the shared builders in tests/support/roster.py


def test_make_shift_is_dst_correct() -> None:
    agent = make_agent(timezone="America/Los_Angeles", state="WA")
    shift = make_shift(agent, date(2026, 11, 1), "00:00")
    # 8 h paid + 30 min meal = 8.5 h real; on the fall-back night the clock shows 7.5 h.
    assert shift.elapsed_hours == 8.5
    assert f"{shift.end_local:%H:%M}" == "07:30"


def test_standard_breaks_of_an_eight_hour_shift() -> None:
    agent = make_agent()
    breaks = standard_breaks(make_shift(agent, WEEK))
    assert [(b.kind, f"{b.start_utc.astimezone(agent.zone):%H:%M}") for b in breaks] == [
        ("rest", "11:00"),
        ("meal", "13:00"),
        ("rest", "15:30"),
    ]
