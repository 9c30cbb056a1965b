"""The service reads the dashboard's pages use, on real runs: the forecast with its backtest, the
review of a roster, the diff a publish would record, a scenario comparison, an agent's own
schedule with the changes since they last looked, the calendar subscription by token, scenarios
renamed and deleted, data uploaded on top of the current set (Excel too), and the first roster
``make run`` queues and publishes as the seed.

Every solve is tiny (the sample's 8 agents, one week, one worker, 2 s) and checked.
"""

from __future__ import annotations

import io
from datetime import date

import pytest
from icalendar import Calendar
from openpyxl import Workbook

from planner.data.problems import InputError
from planner.store import insight, seed, service
from planner.store.access import AccessDenied, NotFound, Refused, set_disabled
from planner.store.execute import execute_run, load
from tests.store.conftest import START, World
from tests.support.store import made_run

DAY = date.fromisoformat(START)
TINY = {"time_limit": 2.0, "workers": 1, "lp_bound_seconds": 0}


def _solved(world: World, overrides: dict[str, object] | None = None, name: str = "tiny") -> int:
    lead = world["lead"]
    scenario = service.create_scenario(world.store, lead, name, {**TINY, **(overrides or {})})
    run = service.submit_run(world.store, lead, DAY, 1, scenario_id=scenario.id)
    assert execute_run(world.store, run.id, 0.2) == "done"
    assert service.get_run(world.store, lead, run.id).check_ok is True
    return run.id


@pytest.mark.slow
def test_forecast_review_preview_and_comparison_of_real_runs(world: World) -> None:
    store, lead = world.store, world["lead"]
    base = _solved(world)
    busy = _solved(world, {"staffing.volume_multiplier": 1.2}, "busy")
    view = service.forecast_view(store, lead, base)
    assert view.channels == ("phone", "sms", "email")
    assert view.zone == "America/New_York"
    assert set(view.forecast["channel"]) == set(view.channels)
    assert {"staff_needed"} <= set(view.requirements.columns)
    assert len(view.history)
    assert [a.channel for a in view.accuracy] == list(view.channels)
    assert all(a.model_wape_pct is not None and a.model_wape_pct >= 0 for a in view.accuracy)
    review = service.run_review(store, lead, base)
    assert {"staff_needed", "staff_present", "under", "service_level"} <= set(review.intervals)
    # The interval table is computed once per finished run, behind the access check: a
    # second reader of the team gets it from the cache, an agent or another team never.
    assert service.run_review(store, world["manager"], base).intervals is review.intervals
    for outsider in ("agent", "other_lead", "other_manager"):
        with pytest.raises(AccessDenied):
            service.run_review(store, world[outsider], base)
    assert review.roster.shifts
    assert set(review.counts) <= {a.agent_id for a in service.team_agents(store, lead)}
    assert set(review.team_rate) == {"weekend", "evening", "holiday", "closer"}
    assert review.kinds["email"] == "deferred"
    assert review.daily_levels["phone"].notna().any()
    diff = service.publish_preview(store, lead, base)
    assert diff["counts"]["added"] == len(review.roster.shifts)  # nothing published yet
    compared = service.compare_runs(store, lead, [base, busy])
    needed = compared.table["required staff-hours"]
    assert needed.iloc[1] == pytest.approx(needed.iloc[0] * 1.2, rel=0.15)
    assert list(compared.daily["phone"]) == list(compared.table.index)
    with pytest.raises(Refused, match="two to four"):
        service.compare_runs(store, lead, [base])


def test_warm_up_parses_each_teams_newest_data_set_and_shows_nobody_anything(
    world: World,
) -> None:
    store = world.store
    assert service.warm_up(store) is None
    for who in ("lead", "other_lead"):
        newest = service.list_datasets(store, world[who])[0]
        assert (store.url, newest.id) in insight._DATASETS.items


def test_review_and_forecast_refuse_a_run_without_results(world: World) -> None:
    run = service.submit_run(world.store, world["lead"], DAY, 1)
    with pytest.raises(Refused, match="no forecast"):
        service.forecast_view(world.store, world["lead"], run.id)
    with pytest.raises(Refused, match="no roster"):
        service.run_review(world.store, world["lead"], run.id)


def _publish(world: World, shifts: list[tuple[str, str, str, float]]) -> int:
    """Publish hand-made shifts (inside the freeze window: with an override reason)."""
    run = made_run(world.store, world["lead"], START, shifts)
    return service.publish_run(world.store, world["manager"], run, "test re-plan").version


def test_an_agent_schedule_is_their_own_with_changes_since_they_looked(world: World) -> None:
    store, agent = world.store, world["agent"]
    _publish(world, [("A001", "2026-11-22", "16:00", 6), ("A002", "2026-11-22", "16:00", 6)])
    first = service.my_schedule(store, agent)
    assert {s.agent_id for s in first.roster.shifts} == {"A001"}
    assert {b.agent_id for b in first.roster.breaks} == {"A001"}
    assert first.zone == "America/New_York"
    assert (first.latest_version, first.seen_version, first.changes) == (1, None, [])
    assert set(first.counts) == {"weekend", "evening", "holiday", "closer"}
    service.mark_seen(store, agent, 1)
    _publish(
        world,
        [("A001", "2026-11-22", "16:00", 6), ("A002", "2026-11-22", "10:00", 6)],
    )
    assert service.my_schedule(store, agent).changes == []  # A002 moved, not them
    _publish(world, [("A001", "2026-11-22", "10:00", 6), ("A002", "2026-11-22", "10:00", 6)])
    changed = service.my_schedule(store, agent)
    assert [(c["version"], c["change"], c["date"]) for c in changed.changes] == [
        ("3", "moved", "2026-11-22")
    ]
    assert changed.changes[0]["was"].startswith("2026-11-22T16:00")
    service.mark_seen(store, agent, 3)
    assert service.my_schedule(store, agent).changes == []
    service.mark_seen(store, agent, 2)  # never goes back
    assert service.my_schedule(store, agent).seen_version == 3


def test_an_agent_sees_their_closers_against_the_teams_rate(world: World) -> None:
    # A001 ends past local midnight on Sunday (a closer and an evening shift, on a weekend);
    # A002 and A003 end at 16:30 local. Closers are counted from the published shifts.
    _publish(
        world,
        [
            ("A001", "2026-11-22", "17:00", 7),
            ("A002", "2026-11-23", "09:00", 7),
            ("A003", "2026-11-24", "09:00", 7),
        ],
    )
    view = service.my_schedule(world.store, world["agent"])
    assert view.counts == {"weekend": 1, "evening": 1, "holiday": 0, "closer": 1}
    # The team's rate is over every agent of its data set (the ledger keeps each one's
    # exposure, closers or not): one closer among them all.
    agents_csv = service.dataset_files(world.store, world["manager"])["agents.csv"]
    team_size = len(agents_csv.strip().splitlines()) - 1
    assert team_size > 3
    assert view.team_rate["closer"] == round(1 / team_size, 2)
    (flags,) = view.flags.values()
    assert flags == {"evening": True, "weekend": True, "holiday": False, "closer": True}
    other = service.my_schedule(world.store, world["agent2"])
    assert other.counts["closer"] == 0
    assert all(not f["closer"] for f in other.flags.values())


def test_the_calendar_feed_is_the_token_holders_own_and_nothing_else(world: World) -> None:
    store = world.store
    _publish(world, [("A001", "2026-11-22", "16:00", 6), ("A002", "2026-11-23", "16:00", 6)])
    token = service.feed_token(store, world["agent"])
    assert service.feed_token(store, world["agent"]) == token  # stable until renewed
    assert service.feed_token(store, world["agent2"]) != token
    events = list(Calendar.from_ical(service.feed_calendar(store, token)).walk("VEVENT"))
    assert len(events) == 1
    assert "A001" in str(events[0]["UID"])
    with pytest.raises(NotFound):
        service.feed_calendar(store, token + "x")
    with pytest.raises(NotFound):
        service.feed_calendar(store, "")
    renewed = service.feed_token(store, world["agent"], renew=True)
    assert renewed != token
    with pytest.raises(NotFound):
        service.feed_calendar(store, token)
    # revoked: the URL answers nothing, until the agent asks for a new one
    assert service.revoke_feed_token(store, world["agent"]) is True
    assert service.revoke_feed_token(store, world["agent"]) is False
    with pytest.raises(NotFound, match=r"^no calendar behind this address$"):
        service.feed_calendar(store, renewed)
    again = service.feed_token(store, world["agent"])
    assert again not in (token, renewed)
    # a disabled account's URL is as dead as an unknown one, and says nothing more
    with store.write() as session:
        set_disabled(session, world["agent"].email, True)
    with pytest.raises(NotFound, match=r"^no calendar behind this address$"):
        service.feed_calendar(store, again)
    with pytest.raises(AccessDenied, match="linked to an agent"):
        service.feed_token(store, world["manager"])
    actions = [e.action for e in service.audit_log(store, world["manager"])]
    assert actions.count("calendar.feed_token") == 4  # A001: first, renewed, new; A002
    assert actions.count("calendar.feed_revoke") == 1


def test_scenarios_are_renamed_and_deleted_their_runs_kept(world: World) -> None:
    store, lead = world.store, world["lead"]
    a = service.create_scenario(store, lead, "a", {"seed": 1})
    b = service.create_scenario(store, lead, "b", {"seed": 2}, base_id=a.id)
    run = service.submit_run(store, lead, DAY, 1, scenario_id=b.id)
    with pytest.raises(Refused, match="already has a scenario named 'b'"):
        service.rename_scenario(store, lead, a.id, "b")
    assert service.rename_scenario(store, lead, a.id, "baseline +").name == "baseline +"
    with pytest.raises(Refused, match="builds on"):
        service.delete_scenario(store, lead, a.id)
    service.delete_scenario(store, lead, b.id)
    kept = service.get_run(store, lead, run.id)
    assert kept.scenario_id is None
    assert kept.inputs["scenario"]["name"] == "b"
    assert [s.name for s in service.list_scenarios(store, lead)] == ["baseline +"]
    actions = [e.action for e in service.audit_log(store, world["manager"])][:3]
    assert actions == ["scenario.delete", "scenario.rename", "run.submit"]


def _xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_uploads_go_on_top_of_the_current_data_set_excel_included(
    world: World, sample_texts: dict[str, str]
) -> None:
    store, lead = world.store, world["lead"]
    lines = [line.split(",") for line in sample_texts["time_off.csv"].splitlines()]
    header, first = lines[0], lines[1]
    values: list[object] = [
        date.fromisoformat(v) if k == "date" else v for k, v in zip(header, first, strict=True)
    ]
    saved = service.import_dataset(
        store, lead, {"time_off.xlsx": _xlsx([header, values])}, "one day off", on_top=True
    )
    assert saved.version == 2
    assert "history.csv" in saved.files  # kept from version 1
    files = service.dataset_files(store, lead)
    assert files["time_off.csv"].splitlines() == [",".join(header), ",".join(first)]
    assert files["agents.csv"] == sample_texts["agents.csv"]
    with pytest.raises(InputError) as bad:
        service.import_dataset(store, lead, {"agents.csv": b"agent_id,name\nA1,\n"}, on_top=True)
    assert all(p.file == "agents.csv" for p in bad.value.problems)
    assert len(service.list_datasets(store, lead)) == 2  # nothing saved


@pytest.mark.slow
def test_the_seed_queues_once_and_publishes_as_the_seed(world: World) -> None:
    store = world.store
    runs = seed.queue_seed(store, "alpha", DAY, 1, 2.0)
    assert runs is not None
    assert seed.queue_seed(store, "alpha", DAY, 1, 2.0) is None  # idempotent
    assert seed.queue_seed(store, "no such team", DAY, 1, 2.0) is None
    assert execute_run(store, runs.forecast_id, 0.2) == "done"
    assert execute_run(store, runs.solve_id, 0.2) == "done"
    assert "as version 1" in seed.publish_when_done(store, runs.solve_id, poll_seconds=0.1)
    version = service.list_versions(store, world["manager"])[0]
    assert version.published_by is None
    log = service.audit_log(store, world["manager"])
    assert (log[0].actor, log[0].action) == ("seed", "roster.publish")
    assert insight.next_week_start(date(2026, 12, 3)) == date(2026, 12, 6)
    assert insight.next_week_start(date(2026, 12, 6)) == date(2026, 12, 13)
    assert insight.next_week_start(date(2026, 12, 6), "Mon") == date(2026, 12, 7)


def test_explanation_reads_agents_and_rules() -> None:
    rows = service.insight.explanation_rows(
        [
            "agent A007: these rules cannot all hold with the shifts their availability, "
            "time off, shift lengths and breaks allow: max_consecutive_days, min_rest",
            "CP-SAT found no roster within the time limit",
            # the solver's pre-check sentences (planner/roster/solve.py precheck)
            "agent A017 needs 40 h but their availability and time off allow at most 24 h: a "
            "8 h shift (plus unpaid breaks) fits on 3 day(s), at most 5 days a week in weeks 1-2",
            "agent A018 has no possible shift at all: no 8 h shift (plus unpaid breaks, start "
            "06:00 or later, end by 22:00) fits, but they must work at least 40 h a week",
            "agent A019 must work at least 40 h but at most 30 h (max weekly hours) in week 1 "
            "(from 2026-11-22)",
            "agent A020's published shift starting 2026-11-23 08:00 is frozen "
            "(stability.frozen_is_hard) but lies outside the horizon",
            "agent A021: no schedule keeping every hard rule was found in time (not proven "
            "impossible)",
        ]
    )
    assert rows[0]["agent"] == "A007"
    assert rows[0]["rules"] == "max_consecutive_days, min_rest"
    assert rows[1] == {
        "agent": "",
        "rules": "",
        "why": "CP-SAT found no roster within the time limit",
    }
    assert [(r["agent"], r["rules"]) for r in rows[2:]] == [
        ("A017", "weekly_hours, availability, time_off, shift_shape, min_days_off"),
        ("A018", "weekly_hours, shift_shape"),
        ("A019", "weekly_hours"),
        ("A020", "frozen_shifts"),
        ("A021", ""),
    ]
    assert rows[2]["why"].startswith("needs 40 h but their availability")


@pytest.mark.slow
def test_an_infeasible_run_is_explained_by_agent_and_rule(world: World) -> None:
    store, lead = world.store, world["lead"]
    # A001 works 36 to 40 h in 8 h shifts; available Monday and Tuesday only: 16 h at most.
    only = "agent_id,weekday,start,end\nA001,Mon,06:00,22:00\nA001,Tue,06:00,22:00\n"
    service.import_dataset(store, lead, {"availability.csv": only.encode()}, "A001", on_top=True)
    scenario = service.create_scenario(store, lead, "tiny", TINY)
    run = service.submit_run(store, lead, DAY, 1, scenario_id=scenario.id)
    assert execute_run(store, run.id, 0.2) == "failed"
    failed = service.get_run(store, lead, run.id)
    rows = service.explanation(failed)
    mine = [r for r in rows if r["agent"] == "A001"]
    assert mine, rows
    assert mine[0]["rules"].split(", ")[:2] == ["weekly_hours", "availability"]
    assert "16 h" in mine[0]["why"]


@pytest.mark.slow
def test_a_headcount_and_rules_scenario_solves_on_the_edited_team(world: World) -> None:
    store, lead = world.store, world["lead"]
    base = _solved(world)
    people = {
        "headcount.add": [
            {"count": 2, "state": "NC", "contract": "full_time", "skills": ["phone"]}
        ],
        "headcount.remove": ["A003"],
        "rules.max_consecutive_days": 5,
    }
    run = _solved(world, people, "two more, one less")
    view = service.get_run(store, lead, run)
    assert view.inputs["data_edits"] == people
    agents = {s.agent_id for s in service.run_review(store, lead, run).roster.shifts}
    assert "A003" not in agents
    assert {"NEW001", "NEW002"} <= agents  # full-time: they must work their hours
    compared = service.compare_runs(store, lead, [base, run])
    assert list(compared.table["headcount"]) == [8, 9]


def test_a_min_staff_scenario_reaches_the_run_and_the_data_it_reads(world: World) -> None:
    store, lead = world.store, world["lead"]
    base = service.create_scenario(store, lead, "phone floor", {"rules.min_staff": {"phone": 3}})
    child = service.create_scenario(
        store, lead, "and sms", {"rules.min_staff": {"sms": 0, "email": 2}}, base_id=base.id
    )
    run = service.submit_run(store, lead, DAY, 1, scenario_id=child.id)
    floors = {"phone": 3, "sms": 0, "email": 2}  # the base's floor kept, the child's added
    assert service.get_run(store, lead, run.id).inputs["data_edits"] == {"rules.min_staff": floors}
    read = load(store, run.id).data.config  # what the worker solves with
    assert {c.name: c.min_staff for c in read.channels} == floors
    configured = {c.name: c.min_staff for c in service.team_channels(store, lead)}
    assert configured == {"phone": 0, "sms": 0, "email": 0}  # the data set itself unchanged
    with pytest.raises(AccessDenied):
        service.team_channels(store, world["agent"])


@pytest.mark.slow
def test_a_min_staff_scenario_is_solved_and_checked_against_the_new_floor(world: World) -> None:
    store, lead = world.store, world["lead"]
    base = _solved(world)
    # 50 on the phone in every open interval: more than the team has, so the floor's term
    # must show a shortfall that the baseline (floors off) does not have.
    floored = _solved(world, {"rules.min_staff": {"phone": 50}}, "phone floor 50")
    before = service.get_run(store, lead, base)
    after = service.get_run(store, lead, floored)
    assert before.report is not None
    assert after.report is not None
    assert after.check is not None
    assert before.report["terms"]["min_staff"]["raw"] == 0
    assert after.report["terms"]["min_staff"]["raw"] > 0
    assert after.check["terms"]["min_staff.phone"] == after.report["terms"]["min_staff"]["raw"]
    assert after.check["agrees_with_solver"] is True


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"headcount.add": [{"count": 1, "state": "ZZ", "contract": "full_time",
                             "skills": ["phone"]}]}, "state 'ZZ'"),
        ({"headcount.add": [{"count": 1, "state": "NC", "contract": "full_time",
                             "skills": ["fax"]}]}, "no channel named fax"),
        ({"headcount.add": [{"count": 0, "state": "NC", "contract": "full_time",
                             "skills": ["phone"]}]}, "count 0"),
        ({"headcount.add": [{"count": 1, "state": "NC", "contract": "gig",
                             "skills": ["phone"]}]}, "contract 'gig'"),
        ({"headcount.remove": ["A999"]}, "no agent A999"),
        ({"rules.max_consecutive_days": 0}, "1 to 13"),
        ({"rules.min_staff": {"fax": 2}}, "no channel named fax"),
        ({"rules.min_staff": {"phone": -1}}, "phone -1 must be a whole number 0 to 500"),
        ({"rules.min_staff": {"phone": 1.5}}, "phone 1.5 must be a whole number"),
        ({"rules.min_staff": {}}, "table of channel name"),
    ],
)  # fmt: skip
def test_bad_headcount_or_rules_are_refused_before_queueing(
    world: World, overrides: dict[str, object], message: str
) -> None:
    store, lead = world.store, world["lead"]

    def queue() -> None:  # a bad shape is refused at once, a misfit when it is queued
        scenario = service.create_scenario(store, lead, "bad", overrides)
        service.submit_run(store, lead, DAY, 1, scenario_id=scenario.id)

    with pytest.raises(Refused, match=message):
        queue()
    assert service.list_runs(store, lead) == []
