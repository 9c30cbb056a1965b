"""The dashboard's figures: right numbers in the right cells, units and time zones named."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import numpy as np
import pandas as pd

from planner.domain import Break, Roster, Shift
from planner.views import charts

NY = "America/New_York"


def frame(
    start: str, values: list[float], minutes: int = 30, channel: str = "phone"
) -> pd.DataFrame:
    first = pd.Timestamp(start, tz="UTC")
    return pd.DataFrame(
        {
            "interval_start": [
                first + pd.Timedelta(minutes=minutes * i) for i in range(len(values))
            ],
            "channel": channel,
            "staff_needed": values,
        }
    )


def test_requirement_heatmap_places_values_in_local_day_and_time() -> None:
    # 2026-12-07 21:00 UTC is 16:00 in New York (EST, UTC-5).
    fig = charts.requirement_heatmap(frame("2026-12-07T21:00Z", [3, 4]), "phone", NY)
    heat = fig.data[0]
    assert list(heat.x) == ["16:00", "16:30"]
    assert list(heat.y) == ["Mon 2026-12-07"]
    assert heat.z.tolist() == [[3.0, 4.0]]
    assert NY in fig.layout.title.text
    assert NY in fig.layout.xaxis.title.text


def test_day_by_time_sums_the_repeated_fall_back_hour() -> None:
    # 2026-11-01: 01:00-02:00 happens twice in New York (05:00 and 06:00 UTC).
    grid = charts.day_by_time(frame("2026-11-01T05:00Z", [1, 1, 2, 2], 30), "staff_needed", NY)
    assert grid.loc["Sun 2026-11-01", "01:00"] == 1 + 2
    assert grid.loc["Sun 2026-11-01", "01:30"] == 1 + 2


def test_coverage_heatmap_shows_gaps_as_negative_staff() -> None:
    intervals = frame("2026-12-07T21:00Z", [3, 2])
    intervals["staff_covered"] = [2.0, 2.0]
    intervals["over"] = [0.0, 1.0]
    fig = charts.coverage_heatmap(intervals, "phone", NY)
    assert fig.data[0].z.tolist() == [[-1.0, 1.0]]
    assert fig.data[0].zmid == 0
    assert "gap" in fig.layout.title.text


def test_service_level_chart_marks_intervals_below_target() -> None:
    intervals = frame("2026-12-07T21:00Z", [1, 1, 1])
    intervals["service_level"] = [0.9, 0.5, np.nan]
    fig = charts.service_level_chart(intervals, "phone", 0.8, NY)
    line, below = fig.data
    assert list(line.y[:2]) == [90.0, 50.0]
    assert list(below.y) == [50.0]
    assert fig.layout.yaxis.title.text == "%"
    assert fig.layout.shapes[0].y0 == 80.0


def shift(agent: str, start: datetime, hours: float, zone: str = NY) -> Shift:
    return Shift(agent, start.date(), start, start + timedelta(hours=hours), zone, hours)


def test_gantt_draws_each_shift_in_the_agents_own_zone_with_breaks() -> None:
    start = datetime(2026, 12, 7, 22, 0, tzinfo=UTC)  # 17:00 New York, 14:00 Los Angeles
    roster = Roster(
        (shift("A1", start, 8), shift("W1", start, 8, "America/Los_Angeles")),
        (Break("A1", start + timedelta(hours=3), start + timedelta(hours=3.5), "meal", False),),
    )
    fig = charts.roster_gantt(roster)
    shifts = next(t for t in fig.data if t.name == "shift")
    assert [b.hour for b in pd.to_datetime(shifts.base)] == [17, 14]
    assert list(shifts.x) == [8 * 3600 * 1000] * 2
    meal = next(t for t in fig.data if t.name == "meal")
    assert pd.to_datetime(meal.base[0]).hour == 20
    assert "own time zone" in fig.layout.title.text


def test_gantt_in_business_time() -> None:
    start = datetime(2026, 12, 7, 22, 0, tzinfo=UTC)
    fig = charts.roster_gantt(Roster((shift("W1", start, 8, "America/Los_Angeles"),)), NY)
    assert pd.to_datetime(fig.data[0].base[0]).hour == 17
    assert NY in fig.layout.xaxis.title.text


def test_fairness_chart_has_a_bar_per_kind_and_the_team_mean() -> None:
    counts = {"A": {"weekend": 2, "closer": 1}, "B": {"weekend": 4, "closer": 1}}
    fig = charts.fairness_chart(counts, ["weekend", "closer"])
    assert [t.name for t in fig.data] == ["weekend", "closer"]
    assert list(fig.data[0].y) == [2.0, 4.0]
    assert fig.layout.shapes[0].y0 == 3.0


def test_forecast_chart_sums_contacts_per_local_day() -> None:
    history = frame("2026-12-07T21:00Z", [0, 0]).assign(contacts=[5.0, 7.0])
    future = frame("2026-12-08T21:00Z", [0]).assign(contacts=[9.0])
    fig = charts.forecast_chart(
        history, future, "phone", NY, holidays=[pd.Timestamp(date(2026, 12, 25))]
    )
    assert list(fig.data[0].y) == [12.0]
    assert list(fig.data[1].y) == [9.0]
    assert "contacts per day" in fig.layout.yaxis.title.text


def test_objective_chart_shows_cost_and_bound_per_term() -> None:
    fig = charts.objective_chart(
        {"under_staffing": {"cost": 100, "bound": 90}, "fairness": {"cost": 5, "bound": None}}
    )
    assert list(fig.data[0].y) == [100.0, 5.0]
    assert fig.data[1].y[0] == 90.0


def test_progress_chart_draws_objective_and_bound_over_seconds() -> None:
    events = [
        {"elapsed": None, "objective": None, "bound": None},  # a phase line: no point
        {"elapsed": 1.0, "objective": 900, "bound": None},
        {"elapsed": 2.5, "objective": 800, "bound": 600.0},
    ]
    fig = charts.progress_chart(events)
    best, bound = fig.data
    assert list(best.x) == [1.0, 2.5]
    assert list(best.y) == [900, 800]
    assert list(bound.x) == [2.5]
    assert "seconds" in fig.layout.xaxis.title.text
    assert "objective units" in fig.layout.yaxis.title.text


def test_week_calendar_splits_a_shift_past_midnight_in_the_agents_zone() -> None:
    # 2026-12-07 21:00 UTC = 16:00 EST; 9 hours -> 01:00 next day.
    start = datetime(2026, 12, 7, 21, tzinfo=UTC)
    roster = Roster(
        (Shift("A1", date(2026, 12, 7), start, start + timedelta(hours=9), NY, 8.5),),
        (Break("A1", start + timedelta(hours=3), start + timedelta(hours=3.5), "meal", False),),
    )
    fig = charts.week_calendar(roster, NY, date(2026, 12, 6))
    axis, shift, meal = fig.data
    assert list(axis.x) == [  # every day on the axis, shifts or not
        "Sun 12-06",
        "Mon 12-07",
        "Tue 12-08",
        "Wed 12-09",
        "Thu 12-10",
        "Fri 12-11",
        "Sat 12-12",
    ]
    assert list(shift.x) == ["Mon 12-07", "Tue 12-08"]
    assert list(shift.base) == [16.0, 0.0]
    assert list(shift.y) == [8.0, 1.0]
    assert list(meal.base) == [19.0]
    assert NY in fig.layout.yaxis.title.text


def test_hours_chart_names_its_unit_and_zone() -> None:
    fig = charts.hours_chart({date(2026, 12, 6): 40.0, date(2026, 12, 13): 32.5}, NY)
    assert list(fig.data[0].y) == [40.0, 32.5]
    assert fig.layout.yaxis.title.text == "paid hours"
    assert NY in fig.layout.title.text


def test_comparison_bars_is_one_figure_with_a_panel_per_measure_and_its_unit() -> None:
    table = pd.DataFrame(
        {"required staff-hours": [100.0, 120.0], "headcount": [8, 9]},
        index=["#2 baseline", "#3 Volume +20%"],
    )
    fig = charts.comparison_bars(
        table, {"required staff-hours": "staff-hours", "headcount": "agents"}
    )
    assert [t.text for t in fig.layout.annotations] == [
        "required staff-hours (staff-hours)",
        "headcount (agents)",
    ]
    assert [list(bar.x) for bar in fig.data] == [["#2 baseline", "#3 Volume +20%"]] * 2
    assert [list(bar.y) for bar in fig.data] == [[100.0, 120.0], [8.0, 9.0]]
    assert fig.layout.yaxis.title.text == "staff-hours"
    assert fig.layout.yaxis2.title.text == "agents"
