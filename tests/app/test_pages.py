"""An AppTest per page and role: every page renders for the roles it is routed to, with no
exception, and its actions go through the service layer (which checks the role)."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable

import pytest
from icalendar import Calendar
from streamlit.testing.v1 import AppTest

from pages.common import CHART_HELD_TEXT, Card
from planner.store import service
from planner.store.access import set_disabled
from planner.store.db import Store
from planner.store.models import Run
from tests.app.conftest import EMAILS, START

App = Callable[..., AppTest]


def opened(app: App, role: str, page: str | None = None) -> AppTest:
    at = app(role).run()
    if page is not None:
        at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def titles(at: AppTest) -> list[str]:
    return [t.value for t in at.title]


def charts(at: AppTest) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def chart_titles(at: AppTest) -> list[str]:
    return [c["layout"]["title"]["text"] for c in charts(at)]


CARD = re.compile(r'data-label="([^"]*)" data-value="([^"]*)" data-note="([^"]*)"')


def headline(at: AppTest) -> dict[str, Card]:
    """The page's headline cards (pages/common.py cards), by label, in page order."""
    found = [CARD.search(m.value) for m in at.markdown]
    return {
        card.label: card
        for card in (Card(*map(html.unescape, m.groups())) for m in found if m is not None)
    }


# --------------------------------------------------------------------------- sign-in


def test_signed_out_sees_only_the_sign_in_button(app: App) -> None:
    at = app(None).run()
    assert not at.exception
    assert [b.label for b in at.button] == ["Sign in"]
    assert titles(at) == ["Coverage planner"]


def test_unknown_email_gets_a_plain_message_and_no_page(app: App) -> None:
    at = app("x", email="stranger@example.com").run()
    assert not at.exception
    assert "not a user of the planner" in at.error[0].value
    assert [b.label for b in at.button] == ["Sign out"]


@pytest.mark.parametrize(
    ("role", "main_title"),
    [("manager", "Generate a roster"), ("lead", "Scenarios"), ("agent", "My schedule")],
)
def test_each_role_lands_on_its_main_page(app: App, role: str, main_title: str) -> None:
    at = opened(app, role)
    assert titles(at)[0].startswith(main_title)
    assert any(EMAILS[role] in m.value for m in at.caption)


def _routes() -> list[tuple[str, str]]:
    import app as entry  # the page table (importing app.py runs nothing)

    return [(role, path) for role, pages in entry.PAGES.items() for path, _, _ in pages]


PAGE_TITLES = {
    "pages/my_schedule.py": "My schedule",
    "pages/generate.py": "Generate a roster",
    "pages/review.py": "Review a roster",
    "pages/publish.py": "Publish",
    "pages/forecast.py": "Forecast",
    "pages/data.py": "Data",
    "pages/scenarios.py": "Scenarios",
}


@pytest.mark.parametrize(("role", "page"), _routes())
def test_every_page_of_every_role_renders_without_error(app: App, role: str, page: str) -> None:
    at = opened(app, role, page)
    assert titles(at)[0].startswith(PAGE_TITLES[page])
    assert not at.error, [e.value for e in at.error]


def test_an_infeasible_run_shows_why_by_agent_and_rule(app: App, store: Store) -> None:
    manager = service.sign_in(store, EMAILS["manager"])
    run = service.submit_run(store, manager, START, 1)
    why = (
        "agent A004: these rules cannot all hold with the shifts their availability, time off, "
        "shift lengths and breaks allow: max_consecutive_days, min_days_off"
    )
    with store.write() as session:
        row = session.get(Run, run.id)
        assert row is not None
        hours = (
            "agent A001 needs 36 h but their availability allows at most 16 h: a 8 h shift "
            "(plus unpaid breaks) fits on 2 day(s), at most 5 days a week in week 1"
        )
        row.status, row.message = "failed", f"no roster: {why}; {hours}"
        row.report = {"explanation": [why, hours], "shifts": 0}
    at = app("manager")
    at.query_params["run"] = str(run.id)
    at.run()
    assert not at.exception
    assert any("has no roster" in e.value for e in at.error)
    table = at.dataframe[0].value
    assert table.iloc[0]["agent"] == "A004"
    assert table.iloc[0]["rules"] == "max_consecutive_days, min_days_off"
    assert table.iloc[1]["agent"] == "A001"
    assert table.iloc[1]["rules"] == "weekly_hours, availability, shift_shape, min_days_off"


# --------------------------------------------------------------------------- agent


def test_agent_schedule_shows_only_their_own_shifts(app: App, store: Store) -> None:
    at = opened(app, "agent")
    manager = service.sign_in(store, EMAILS["manager"])
    own = service.roster_in_force(store, manager, agent_id="A001").shifts
    table = at.dataframe[0].value
    assert len(table) == len(own) > 0
    assert "agent" not in table.columns  # only theirs: no column of whose shift it is
    assert {"evening/closer/weekend/holiday", "breaks"} <= set(table.columns)
    cards = headline(at)
    assert list(cards) == ["Next shift", "Upcoming shifts", "Upcoming paid hours"]
    assert [m.label for m in at.metric] == [
        "evening shifts",
        "closers",
        "weekend shifts",
        "holiday shifts",
    ]
    assert cards["Upcoming shifts"].value == str(len(own))  # the week starts on the coming Sunday
    assert cards["Upcoming paid hours"].value == f"{sum(s.paid_hours for s in own):.1f}"
    assert [c for c in chart_titles(at) if c.startswith("My week")]
    assert any("Paid hours per week" in t for t in chart_titles(at))
    url = at.text_input[0].value
    assert "/feed/" in url
    assert url.endswith(".ics")
    ics = service.export_calendar(store, service.sign_in(store, EMAILS["agent"]))
    uids = {str(e["UID"]) for e in Calendar.from_ical(ics).walk("VEVENT")}
    assert len(uids) == len(own)


def test_agent_subscription_token_is_theirs_and_renewable(app: App, store: Store) -> None:
    at = opened(app, "agent")
    token = at.text_input[0].value.rsplit("/", 1)[1].removesuffix(".ics")
    body = service.feed_calendar(store, token)
    assert b"BEGIN:VCALENDAR" in body
    renew = next(b for b in at.button if b.label.startswith("Make a new subscription URL"))
    renew.click().run()
    assert not at.exception
    with pytest.raises(service.NotFound):
        service.feed_calendar(store, token)


def test_agent_marks_changes_as_seen(app: App, store: Store) -> None:
    at = opened(app, "agent")
    seen = next(b for b in at.button if b.label == "Mark as seen")
    seen.click().run()
    assert not at.exception
    agent = service.sign_in(store, EMAILS["agent"])
    assert service.my_schedule(store, agent).seen_version == 1


# --------------------------------------------------------------------------- manager


def test_generate_queues_a_run_and_follows_it(app: App, store: Store) -> None:
    at = opened(app, "manager")
    manager = service.sign_in(store, EMAILS["manager"])
    before = len(service.list_runs(store, manager))
    at.number_input(key="time_limit").set_value(15)
    next(b for b in at.button if b.label == "Generate roster").click().run()
    assert not at.exception
    runs = service.list_runs(store, manager)
    assert len(runs) == before + 1
    assert runs[0].status == "queued"
    assert runs[0].inputs["scenario"]["time_limit"] == 15
    assert at.query_params["run"] == str(runs[0].id)
    assert headline(at)["Status"].value == "queued"
    next(b for b in at.button if b.label.startswith("Cancel")).click().run()
    assert not at.exception
    assert service.get_run(store, manager, runs[0].id).status == "cancelled"


def test_generate_shows_a_finished_run(app: App) -> None:
    at = opened(app, "manager", "pages/generate.py")
    # the newest solve is the lead's scenario; the page lists every solve run
    assert at.selectbox(key="run_pick").options
    assert at.success
    assert "independent check accepted" in at.success[0].value


def test_review_shows_kpis_coverage_service_levels_fairness_and_terms(app: App) -> None:
    at = opened(app, "manager", "pages/review.py")
    cards = headline(at)
    assert list(cards) == ["Objective", "Gap to bound", "Overtime (h)", "Independent check"]
    assert cards["Independent check"].value == "passed"
    for channel in ("phone", "sms", "email"):
        at.radio(key="channel").set_value(channel).run()
        assert not at.exception
        found = chart_titles(at)
        assert any(t.startswith(f"Coverage: {channel}") for t in found)
        assert any(t.startswith(f"Projected service level: {channel}") for t in found)
    assert any(t.startswith("Email response") for t in found)  # email is deferred
    labels = {m.label for m in at.metric}
    assert {"email: mean response (open hours)", "90th percentile (open hours)"} <= labels
    assert any(t.startswith("Roster by agent") for t in found)
    assert any(t.startswith("Shifts agents trade away, per agent") for t in found)
    fairness = next(c for c in charts(at) if c["layout"]["title"]["text"].startswith("Shifts"))
    assert [bar["name"] for bar in fairness["data"]] == ["evening", "closer", "weekend", "holiday"]
    assert "Why this roster costs what it costs" in found
    assert any("no hard rule broken" in s.value for s in at.success)


def test_review_in_business_time(app: App) -> None:
    at = opened(app, "manager", "pages/review.py")
    at.radio(key="tz").set_value(at.radio(key="tz").options[1]).run()
    assert not at.exception
    assert any("America/New_York" in t for t in chart_titles(at) if t.startswith("Roster"))


def test_publish_shows_the_diff_first_and_refuses_a_stale_base(app: App) -> None:
    at = opened(app, "manager", "pages/publish.py")
    assert list(headline(at)) == ["Shifts added", "Shifts removed", "Shifts moved"]
    # The seed's run is already version 1: publishing it again is refused, in words.
    at.selectbox(key="publish_pick").select_index(
        len(at.selectbox(key="publish_pick").options) - 1
    ).run()
    next(b for b in at.button if b.label.startswith("Publish run")).click().run()
    assert not at.exception
    assert any("stale base" in w.value for w in at.warning)
    assert {b.label for b in at.get("download_button")} >= {"roster.csv", "Excel workbook"}


def test_publish_a_new_roster(app: App, store: Store) -> None:
    at = opened(app, "manager", "pages/publish.py")
    at.selectbox(key="publish_pick").select_index(0).run()  # the lead's scenario run
    next(b for b in at.button if b.label.startswith("Publish run")).click().run()
    assert not at.exception
    assert any("Published as version 2" in s.value for s in at.success)
    manager = service.sign_in(store, EMAILS["manager"])
    assert service.list_versions(store, manager)[0].version == 2


def test_forecast_page_shows_backtest_and_heatmaps(app: App) -> None:
    at = opened(app, "manager", "pages/forecast.py")
    cards = headline(at)
    assert set(cards) == {f"{c}: forecast WAPE" for c in ("phone", "sms", "email")}
    for card in cards.values():  # "12.3%" above "-4.5 pts vs seasonal-naive 16.8%"
        model, naive = float(card.value.rstrip("%")), float(card.note.split()[-1].rstrip("%"))
        assert card.note.startswith(f"{model - naive:+.1f} pts vs seasonal-naive")
    assert any(t.startswith("Contacts per day: phone") for t in chart_titles(at))
    at.radio(key="channel").set_value("email").run()
    assert any(t.startswith("Required staff: email") for t in chart_titles(at))


def test_data_page_refuses_bad_files_with_a_table_and_saves_good_ones(
    app: App, store: Store
) -> None:
    at = opened(app, "manager", "pages/data.py")
    manager = service.sign_in(store, EMAILS["manager"])
    before = len(service.list_datasets(store, manager))
    at.file_uploader[0].set_value(("agents.csv", b"agent_id,name\nA1,\n", "text/csv"))
    next(b for b in at.button if b.label == "Check and save").click().run()
    assert not at.exception
    assert "nothing was saved" in at.error[0].value
    problems = at.dataframe[0].value
    assert list(problems.columns)[:4] == ["file", "row", "column", "rule"]
    assert len(service.list_datasets(store, manager)) == before
    files = service.dataset_files(store, manager)
    at.file_uploader[0].set_value(
        ("time_off.csv", files["time_off.csv"].encode("cp1252"), "text/csv")
    )
    next(b for b in at.button if b.label == "Check and save").click().run()
    assert not at.exception
    assert "Saved as data set version 2" in at.success[0].value


def test_data_page_browses_the_current_files(app: App) -> None:
    at = opened(app, "lead", "pages/data.py")
    at.radio(key="file").set_value("agents.csv").run()
    assert not at.exception
    assert "agent_id" in at.dataframe[0].value.columns
    cards = headline(at)
    assert cards["Data set in force"].value == "v1"
    assert cards["Agents"].value == str(len(at.dataframe[0].value)) == "8"


# --------------------------------------------------------------------------- lead


def test_lead_scenarios_compare_and_create(app: App, store: Store) -> None:
    at = opened(app, "lead")
    assert len(at.multiselect(key="compare_pick").value) == 2
    table = at.dataframe[0].value
    assert list(table.index) == ["#2 baseline", "#3 Volume +20%"]
    assert (
        table.loc["#3 Volume +20%", "required staff-hours"]
        > table.loc["#2 baseline", "required staff-hours"]
    )
    under = table["under-staffed staff-hours"]
    card = headline(at)["#3 Volume +20%: under-staffed"]
    assert card.value == f"{under.iloc[1]:,.1f} staff-h"
    assert card.note == f"{under.iloc[1] - under.iloc[0]:+,.1f} vs #2 baseline"
    assert any(t.startswith("Projected service level by day: phone") for t in chart_titles(at))
    p90 = "email response, 90th percentile (open hours)"
    assert p90 in table.columns
    bars = next(c for c in charts(at) if c["layout"]["title"]["text"].startswith("The scenarios"))
    panels = [a["text"] for a in bars["layout"]["annotations"]]
    assert p90 in panels  # its unit named once
    assert "required staff-hours (staff-hours)" in panels
    at.text_input(key="scenario_name").set_value("AHT +10%")
    at.number_input(key="aht").set_value(10)
    next(b for b in at.button if b.label == "Create and run").click().run()
    assert not at.exception
    lead = service.sign_in(store, EMAILS["lead"])
    names = [s.name for s in service.list_scenarios(store, lead)]
    assert names == ["Volume +20%", "AHT +10%"]
    assert at.success[0].value.startswith("Scenario 'AHT +10%' created; run")
    assert any(s.value == "Running" for s in at.subheader)  # its progress, at the top
    assert service.list_runs(store, lead)[0].status == "queued"


def test_lead_scenario_with_headcount_and_rules(app: App, store: Store) -> None:
    at = opened(app, "lead")
    at.text_input(key="scenario_name").set_value("Two hires, A003 leaves")
    at.number_input(key="add_count").set_value(2)
    at.multiselect(key="remove").set_value(["A003"])
    at.number_input(key="days").set_value(5)
    next(b for b in at.button if b.label == "Create and run").click().run()
    assert not at.exception
    lead = service.sign_in(store, EMAILS["lead"])
    created = service.list_scenarios(store, lead)[-1]
    assert created.overrides["headcount.remove"] == ["A003"]
    assert created.overrides["headcount.add"][0]["count"] == 2
    assert created.overrides["rules.max_consecutive_days"] == 5
    assert service.list_runs(store, lead)[0].inputs["data_edits"]["headcount.remove"] == ["A003"]


def test_lead_scenario_with_a_minimum_staff_per_channel(app: App, store: Store) -> None:
    at = opened(app, "lead")
    assert at.number_input(key="min_staff_phone").value is None  # blank: as configured
    at.text_input(key="scenario_name").set_value("Two on the phone, email off")
    at.number_input(key="min_staff_phone").set_value(2)
    at.number_input(key="min_staff_email").set_value(0)
    next(b for b in at.button if b.label == "Create and run").click().run()
    assert not at.exception
    lead = service.sign_in(store, EMAILS["lead"])
    created = service.list_scenarios(store, lead)[-1]
    assert created.overrides["rules.min_staff"] == {"phone": 2, "email": 0}
    run = service.list_runs(store, lead)[0]
    assert run.scenario_id == created.id
    assert run.inputs["data_edits"] == {"rules.min_staff": {"phone": 2, "email": 0}}


def test_lead_renames_and_deletes_a_scenario(app: App, store: Store) -> None:
    at = opened(app, "lead")
    at.text_input(key="new_name").set_value("Busy season")
    at.button(key="rename").click().run()
    assert not at.exception
    lead = service.sign_in(store, EMAILS["lead"])
    assert [s.name for s in service.list_scenarios(store, lead)] == ["Busy season"]
    at.button(key="delete").click().run()
    assert not at.exception
    assert service.list_scenarios(store, lead) == []


def test_lead_has_no_publish_page(app: App) -> None:
    import app as entry

    assert "pages/publish.py" not in [p for p, _, _ in entry.PAGES["lead"]]
    assert [p for p, _, _ in entry.PAGES["agent"]] == ["pages/my_schedule.py"]


# --------------------------------------------------------------------------- every chart

ZONE = re.compile(r"[A-Z][A-Za-z_]+/[A-Za-z_]+|UTC|own time zone|own local")
TIME_AXIS = re.compile(r"\b(date|day|week|interval|time of day|local time|hour of the day)\b")
"""An axis of dates or clock times (``staff-hours`` or ``paid hours`` are units, not time)."""


def _axis_titles(layout: dict, axis: str) -> list[str]:
    return [
        str((value.get("title") or {}).get("text") or "")
        for key, value in layout.items()
        if re.fullmatch(axis + r"\d*", key) and value.get("visible", True)
    ]


@pytest.mark.parametrize(
    ("role", "page", "radio"),
    [
        ("manager", "pages/generate.py", None),
        ("manager", "pages/review.py", "email"),
        ("manager", "pages/forecast.py", None),
        ("lead", "pages/scenarios.py", None),
        ("agent", "pages/my_schedule.py", None),
    ],
)
def test_every_chart_names_its_units_and_time_zone(
    app: App, role: str, page: str, radio: str | None
) -> None:
    """Each chart has a title and its axes say what they count (units); a chart with a time
    or date axis says whose time (an IANA zone, or each agent's own)."""
    at = opened(app, role, page)
    found = charts(at)
    if radio is not None:  # the review's email channel adds the email response chart
        at.radio(key="channel").set_value(radio).run()
        found += charts(at)
    assert found
    for chart in found:
        layout = chart["layout"]
        title = layout["title"]["text"]
        xs, ys = _axis_titles(layout, "xaxis"), _axis_titles(layout, "yaxis")
        assert title, chart
        assert ys, title
        assert all(ys), (title, ys)
        assert all(xs), (title, xs)
        timed = [t for t in xs + ys if TIME_AXIS.search(t)]
        if timed:
            assert ZONE.search(title) or all(ZONE.search(t) for t in timed), (title, timed)


# --------------------------------------------------------------------------- errors


def test_an_unexpected_error_is_a_plain_message(app: App, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("database exploded")

    monkeypatch.setattr(service, "list_runs", broken)
    at = opened(app, "manager", "pages/review.py")
    assert "Something went wrong" in at.error[0].value
    assert all("exploded" not in e.value for e in at.error)


def test_a_refusal_is_shown_as_what_to_do(app: App, store: Store) -> None:
    at = opened(app, "manager")
    manager = service.sign_in(store, EMAILS["manager"])
    with store.write() as session:
        set_disabled(session, manager.email, True)
    at.run()
    assert not at.exception
    assert "disabled" in at.error[0].value


# --------------------------------------------------------------------------- first paint


def _held_charts_script() -> None:
    import plotly.graph_objects as go  # AppTest runs this body alone, as a script
    import streamlit as st

    from pages.common import chart, draw_held_charts

    st.session_state["runs"] = st.session_state.get("runs", 0) + 1
    drawn = st.session_state.setdefault("drawn", [])
    st.title("Page")
    chart(lambda: drawn.append(st.session_state["runs"]) or go.Figure(), key="c")
    draw_held_charts()


def test_a_sessions_first_run_holds_its_charts_back_then_reruns_with_them() -> None:
    at = AppTest.from_function(_held_charts_script).run()
    assert not at.exception
    assert at.session_state["runs"] == 2  # the first run drew no chart, the rerun did
    assert at.session_state["drawn"] == [2]
    assert len(charts(at)) == 1
    assert not [c for c in at.caption if c.value == CHART_HELD_TEXT]
    at.run()  # later runs of the session draw at once, without a rerun
    assert at.session_state["runs"] == 3
    assert at.session_state["drawn"] == [2, 3]
