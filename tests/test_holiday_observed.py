"""``holidays.observed``: a holiday counts on one date, its own (``"actual"``, the default)
or the weekday it is observed on (``"observed"``); the calendar, the roster's holiday flag
(solver candidates and roster_io), and the coverage windows all follow."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest

from planner.data.config import parse_config
from planner.data.holiday_calendar import HolidayCalendar
from planner.data.problems import Problems
from planner.data.roster_io import shift_flags
from planner.demand.staffing import coverage_mask
from planner.domain import CoverageConfig, HolidayObserved, HolidayPolicy, Horizon, Window
from tests.support import model
from tests.support.dataset import CONFIG_TOML
from tests.support.roster import make_agent, make_config, make_shift

MODES: tuple[HolidayObserved, ...] = ("actual", "observed")


def _dates(
    policy: HolidayPolicy, years: list[int], prefix: str, state: str | None = None
) -> list[date]:
    table = HolidayCalendar(policy, years).days(state)
    return sorted(
        d for d, name in table.items() if any(n.startswith(prefix) for n in name.split("; "))
    )


@pytest.mark.parametrize(
    ("prefix", "years", "actual", "observed"),
    [
        # Saturday 4 July 2026, observed Friday 3 July
        ("Independence Day", [2026], [date(2026, 7, 4)], [date(2026, 7, 3)]),
        # Sunday 4 July 2027, observed Monday 5 July
        ("Independence Day", [2027], [date(2027, 7, 4)], [date(2027, 7, 5)]),
        # Juneteenth 2027 on a Saturday
        ("Juneteenth", [2027], [date(2027, 6, 19)], [date(2027, 6, 18)]),
        # Christmas 2027 on a Saturday
        ("Christmas Day", [2027], [date(2027, 12, 25)], [date(2027, 12, 24)]),
        # New Year's Day 2028 on a Saturday: observed on Friday 31 December 2027
        ("New Year's Day", [2027, 2028], [date(2027, 1, 1), date(2028, 1, 1)],
         [date(2027, 1, 1), date(2027, 12, 31)]),
        # a weekday holiday is the same in both modes
        ("Thanksgiving", [2026], [date(2026, 11, 26)], [date(2026, 11, 26)]),
    ],
)  # fmt: skip
def test_each_holiday_counts_on_one_date(
    prefix: str, years: list[int], actual: list[date], observed: list[date]
) -> None:
    assert _dates(HolidayPolicy(), years, prefix) == actual  # "actual" is the default
    assert _dates(HolidayPolicy(observed="observed"), years, prefix) == observed


def test_new_years_day_observed_in_the_year_before_needs_only_that_year() -> None:
    # The calendar of 2027 alone knows that 1 January 2028 is observed on 31 December 2027.
    observed = HolidayCalendar(HolidayPolicy(observed="observed"), [2027])
    assert observed.name(date(2027, 12, 31)) == "New Year's Day (observed)"
    assert not HolidayCalendar(HolidayPolicy(observed="observed"), [2028]).is_holiday(
        date(2028, 1, 1)
    )
    actual = HolidayCalendar(HolidayPolicy(), [2027, 2028])
    assert not actual.is_holiday(date(2027, 12, 31))
    assert actual.name(date(2028, 1, 1)) == "New Year's Day"


@pytest.mark.parametrize("mode", MODES)
def test_state_calendars_count_each_holiday_once(mode: HolidayObserved) -> None:
    # North Carolina 2027: Christmas Eve (Friday), Christmas Day (Saturday) and the Day
    # After Christmas (Sunday); observed on 23, 24 and 27 December.
    policy = HolidayPolicy(use_agent_state=True, observed=mode)
    expected = {
        "actual": {"Christmas Eve": 24, "Christmas Day": 25, "Day After Christmas": 26},
        "observed": {"Christmas Eve": 23, "Christmas Day": 24, "Day After Christmas": 27},
    }[mode]
    for name, day in expected.items():
        assert _dates(policy, [2027], name, "NC") == [date(2027, 12, day)], name


@pytest.mark.parametrize("mode", MODES)
def test_a_holiday_listed_only_on_its_observed_date_keeps_it(mode: HolidayObserved) -> None:
    # Georgia moves Washington's Birthday to December; the package lists it only there.
    calendar = HolidayCalendar(HolidayPolicy(use_agent_state=True, observed=mode), [2026])
    assert calendar.name(date(2026, 12, 24), "GA") == "Washington's Birthday"
    assert calendar.name(date(2026, 2, 16), "GA") is None


def test_company_dates_still_apply_in_both_modes() -> None:
    added = HolidayCalendar(HolidayPolicy(extra_dates=(date(2026, 7, 3),)), [2026])
    assert added.name(date(2026, 7, 3)) == "Company holiday"
    assert added.is_holiday(date(2026, 7, 4))
    worked = HolidayPolicy(observed="observed", removed_dates=(date(2026, 7, 3),))
    calendar = HolidayCalendar(worked, [2026])
    assert not calendar.is_holiday(date(2026, 7, 3))
    assert not calendar.is_holiday(date(2026, 7, 4))


@pytest.mark.parametrize("mode", MODES)
def test_roster_holiday_flags_follow_the_mode(mode: HolidayObserved) -> None:
    config = make_config(holidays=HolidayPolicy(observed=mode))
    calendar = HolidayCalendar(config.holidays, [2026])
    agent = make_agent()
    flags = {
        day.day: shift_flags(make_shift(agent, day), agent, config, calendar).holiday
        for day in (date(2026, 7, 3), date(2026, 7, 4))
    }
    assert flags == ({3: False, 4: True} if mode == "actual" else {3: True, 4: False})


@pytest.mark.parametrize("mode", MODES)
def test_solver_candidates_holiday_flags_follow_the_mode(mode: HolidayObserved) -> None:
    config = model.make_config(holidays=HolidayPolicy(observed=mode))
    sunday = date(2026, 6, 28)
    problem = model.make_problem([model.make_agent()], config, Horizon(sunday, 1))
    cands = problem.cands
    holiday_days = {
        sunday + timedelta(days=int(cands.day[j]))
        for j in range(len(cands))
        if cands.kinds[j, 2]  # KINDS = weekend, evening, holiday
    }
    assert holiday_days == {date(2026, 7, 4) if mode == "actual" else date(2026, 7, 3)}


@pytest.mark.parametrize("mode", MODES)
def test_coverage_windows_follow_the_mode(mode: HolidayObserved) -> None:
    # Holiday window 10:00-12:00 (business time, EDT); weekday 16:00-02:00.
    config = make_config(
        coverage=CoverageConfig(holiday=Window(10 * 60, 12 * 60)),
        holidays=HolidayPolicy(observed=mode),
    )
    calendar = HolidayCalendar(config.holidays, [2026])
    friday_ten = pd.DatetimeIndex(pd.to_datetime(["2026-07-03T14:00Z"], utc=True))
    open_at_ten = bool(coverage_mask(friday_ten, config, calendar)[0])
    assert open_at_ten == (mode == "observed")


def test_observed_must_be_one_of_the_two_modes(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(CONFIG_TOML + '[holidays]\nobserved = "weekday"\n')
    problems = Problems()
    parse_config(path, problems)
    assert [str(p) for p in problems] == [
        "error: config.toml, column holidays.observed: observed must be one of actual, "
        'observed (got "weekday")'
    ]
    path.write_text(CONFIG_TOML + '[holidays]\nobserved = "observed"\n')
    config = parse_config(path, problems := Problems())
    assert list(problems) == []
    assert config is not None
    assert config.holidays.observed == "observed"
