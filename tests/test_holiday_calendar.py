"""planner/data/holiday_calendar.py against what the `holidays` package really says for 2026."""

from datetime import date

from planner.data.holiday_calendar import HolidayCalendar
from planner.domain import Agent, HolidayPolicy


def _agent(state: str) -> Agent:
    return Agent(
        agent_id="A1",
        name="Test Agent",
        state=state,
        timezone="America/New_York",
        contract="full_time",
        min_weekly_hours=32,
        max_weekly_hours=40,
        shift_hours=(8,),
        skills=("phone",),
    )


def test_july_4_2026_counts_once_on_its_own_date_by_default() -> None:
    # Saturday 4 July 2026 is observed on Friday 3 July; the package lists both dates, the
    # calendar keeps one: "actual" (the default) the Saturday, "observed" the Friday.
    calendar = HolidayCalendar(HolidayPolicy(), [2026])
    assert date(2026, 7, 4).weekday() == 5
    assert calendar.name(date(2026, 7, 4)) == "Independence Day"
    assert not calendar.is_holiday(date(2026, 7, 3))
    assert not calendar.is_holiday(date(2026, 7, 2))
    observed = HolidayCalendar(HolidayPolicy(observed="observed"), [2026])
    assert observed.name(date(2026, 7, 3)) == "Independence Day (observed)"
    assert not observed.is_holiday(date(2026, 7, 4))
    for each in (calendar, observed):
        july = [d for d, name in each.company_days().items() if name.startswith("Independence")]
        assert len(july) == 1


def test_thanksgiving_2026_is_thursday_november_26_and_friday_is_not_federal() -> None:
    calendar = HolidayCalendar(HolidayPolicy(), [2026])
    assert calendar.name(date(2026, 11, 26)) == "Thanksgiving Day"
    assert not calendar.is_holiday(date(2026, 11, 27))


def test_federal_policy_ignores_the_state() -> None:
    calendar = HolidayCalendar(HolidayPolicy(use_agent_state=False), [2026])
    assert calendar.name(date(2026, 12, 24), "GA") is None
    assert calendar.name(date(2026, 2, 16), "GA") == "Washington's Birthday"
    assert calendar.for_agent(_agent("NC"), date(2026, 12, 24)) is None


def test_agent_state_policy_moves_washingtons_birthday_to_december_24_in_georgia() -> None:
    calendar = HolidayCalendar(HolidayPolicy(use_agent_state=True), [2026])
    georgia = _agent("GA")
    assert calendar.for_agent(georgia, date(2026, 12, 24)) == "Washington's Birthday"
    assert calendar.for_agent(georgia, date(2026, 2, 16)) is None
    # the same dates for an agent elsewhere follow that agent's state
    washington = _agent("WA")
    assert calendar.for_agent(washington, date(2026, 12, 24)) is None
    assert calendar.for_agent(washington, date(2026, 2, 16)) == "Presidents' Day"


def test_agent_state_policy_adds_state_days() -> None:
    calendar = HolidayCalendar(HolidayPolicy(use_agent_state=True), [2026])
    assert calendar.name(date(2026, 12, 24), "NC") == "Christmas Eve"
    assert calendar.name(date(2026, 12, 24), "MI") == "Christmas Eve"
    assert calendar.name(date(2026, 11, 27), "TX") == "Friday After Thanksgiving"
    # FL, NC, TX, WA and MI drop Columbus Day; GA and ID keep it
    assert not calendar.is_holiday(date(2026, 10, 12), "FL")
    assert calendar.is_holiday(date(2026, 10, 12), "ID")
    # company days (no state) stay the federal ones
    assert date(2026, 12, 24) not in calendar.company_days()


def test_extra_dates_are_company_holidays() -> None:
    policy = HolidayPolicy(extra_dates=(date(2026, 12, 24), date(2026, 12, 31)))
    calendar = HolidayCalendar(policy, [2026])
    assert calendar.name(date(2026, 12, 24)) == "Company holiday"
    assert calendar.for_agent(_agent("FL"), date(2026, 12, 31)) == "Company holiday"
    days = calendar.company_days()
    assert date(2026, 12, 31) in days
    assert list(days) == sorted(days)


def test_extra_dates_also_apply_under_the_state_policy() -> None:
    policy = HolidayPolicy(use_agent_state=True, extra_dates=(date(2026, 8, 14),))
    calendar = HolidayCalendar(policy, [2026])
    assert calendar.name(date(2026, 8, 14), "WA") == "Company holiday"
    assert calendar.name(date(2026, 8, 14), "GA") == "Company holiday"


def test_removed_dates_are_worked() -> None:
    policy = HolidayPolicy(removed_dates=(date(2026, 10, 12), date(2026, 11, 11)))
    calendar = HolidayCalendar(policy, [2026])
    assert not calendar.is_holiday(date(2026, 10, 12))
    assert not calendar.is_holiday(date(2026, 11, 11))
    assert calendar.is_holiday(date(2026, 11, 26))
    days = calendar.company_days()
    assert date(2026, 10, 12) not in days
    assert len(days) == 11 - 2  # 2026 has 11 federal holidays, each on one date


def test_only_the_requested_years_are_in_the_calendar() -> None:
    calendar = HolidayCalendar(HolidayPolicy(), [2026])
    assert not calendar.is_holiday(date(2027, 1, 1))
    both = HolidayCalendar(HolidayPolicy(), [2027, 2026, 2026])
    assert both.years == (2026, 2027)
    assert both.is_holiday(date(2027, 1, 1))
