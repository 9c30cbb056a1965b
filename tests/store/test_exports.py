"""Exports: an agent's ``.ics`` (their zone as TZID, breaks in the description, UIDs stable so
a re-import updates), ``roster.csv`` that the independent ``check`` reads back, and Excel."""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from icalendar import Calendar
from openpyxl import load_workbook

from planner.cli import main
from planner.data.io import load_dataset
from planner.data.roster_io import write_breaks, write_roster
from planner.domain import Break, Horizon, Shift
from planner.pipeline import calendar_for
from planner.store import datasets, exports, service
from tests.store.conftest import START, World
from tests.support.store import made_run, run_from_files

WEEK = [
    ("A001", "2026-11-22", "16:00", 6),
    ("A001", "2026-11-24", "16:00", 6),
    ("A002", "2026-11-22", "10:00", 6),
]


def _events(ics: bytes) -> dict[str, dict[str, object]]:
    calendar = Calendar.from_ical(ics)
    return {
        str(e["uid"]): {
            "start": e.decoded("dtstart"),
            "end": e.decoded("dtend"),
            "tzid": e["dtstart"].params.get("TZID"),
            "description": str(e.get("description", "")),
            "sequence": int(e.get("sequence", 0)),
            "status": str(e.get("status", "")),
        }
        for e in calendar.walk("VEVENT")
    }


def test_the_calendar_has_the_agents_zone_breaks_and_stable_uids(world: World) -> None:
    store, lead, manager, agent = world.store, world["lead"], world["manager"], world["agent"]
    service.publish_run(store, manager, made_run(store, lead, START, WEEK))
    ics = service.export_calendar(store, agent)
    calendar = Calendar.from_ical(ics)
    assert [str(z["tzid"]) for z in calendar.walk("VTIMEZONE")] == ["America/New_York"]
    first = _events(ics)
    assert len(first) == 2  # A001's two shifts only
    sunday = first["planner-1-A001-20261122-1@coverage-planner"]
    assert sunday["tzid"] == "America/New_York"
    assert sunday["start"] == datetime(2026, 11, 22, 16, 0, tzinfo=ZoneInfo("America/New_York"))
    assert sunday["end"] == datetime(2026, 11, 22, 22, 30, tzinfo=ZoneInfo("America/New_York"))
    assert "Paid hours: 6" in str(sunday["description"])
    assert "- meal 18:00-18:30 (unpaid)" in str(sunday["description"])
    assert sunday["sequence"] == 1
    # the same export twice: byte for byte the same
    assert service.export_calendar(store, agent) == ics

    # version 2 moves Tuesday and drops Sunday: same UIDs, a higher sequence, Sunday cancelled
    moved = [("A001", "2026-11-24", "17:00", 6), WEEK[2]]
    service.publish_run(store, manager, made_run(store, lead, START, moved), override_reason="x")
    second = _events(service.export_calendar(store, agent))
    assert set(second) == set(first)
    tuesday = second["planner-1-A001-20261124-1@coverage-planner"]
    assert tuesday["sequence"] == 2
    assert tuesday["start"] == datetime(2026, 11, 24, 17, 0, tzinfo=ZoneInfo("America/New_York"))
    cancelled = second["planner-1-A001-20261122-1@coverage-planner"]
    assert cancelled["status"] == "CANCELLED"
    assert cancelled["sequence"] == 2  # newer than the event the calendar has


def test_a_lead_exports_any_agents_calendar_in_their_zone(world: World) -> None:
    store = world.store
    service.publish_run(store, world["manager"], made_run(store, world["lead"], START, WEEK))
    events = _events(service.export_calendar(store, world["lead"], "A002"))
    assert [e["tzid"] for e in events.values()] == ["America/Chicago"]


def test_the_roster_csv_is_a_roster_file_the_checker_reads(
    world: World, sample_dir: Path, tmp_path: Path
) -> None:
    store, lead = world.store, world["lead"]
    service.publish_run(store, world["manager"], made_run(store, lead, START, WEEK))
    data = service.export_roster_csv(store, lead)
    lines = data.decode().splitlines()
    assert lines[0] == (
        "agent_id,date,start_local,end_local,timezone,start_utc,end_utc,paid_hours,evening,"
        "weekend,holiday,closer"
    )
    assert lines[1] == (
        "A001,2026-11-22,2026-11-22T16:00:00-05:00,2026-11-22T22:30:00-05:00,America/New_York,"
        "2026-11-22T21:00:00Z,2026-11-23T03:30:00Z,6,1,1,0,0"
    )
    # validate reads it as a roster.csv: format, times, zones and flags all agree
    (tmp_path / "roster.csv").write_bytes(data)
    for name in ("config.toml", "agents.csv"):
        (tmp_path / name).write_bytes((sample_dir / name).read_bytes())
    assert main(["validate", str(tmp_path)]) == 0


def test_the_excel_workbook_has_the_roster_and_breaks(world: World) -> None:
    store, lead = world.store, world["lead"]
    run = made_run(store, lead, START, WEEK)
    book = load_workbook(io.BytesIO(service.export_roster_xlsx(store, lead, run_id=run)))
    assert book.sheetnames == ["Roster", "Breaks"]
    rows = list(book["Roster"].iter_rows(values_only=True))
    assert rows[0][:3] == ("agent_id", "name", "date")
    assert rows[1][:2] == ("A001", "Destiny Cooper")
    assert rows[1][8] == 6.0  # paid hours, a number
    assert rows[0][-1] == "closer"
    assert len(rows) == 4
    breaks = list(book["Breaks"].iter_rows(values_only=True))
    assert breaks[0] == ("agent_id", "start_utc", "end_utc", "kind", "paid")
    assert breaks[1] == ("A001", "2026-11-22T23:00:00Z", "2026-11-22T23:30:00Z", "meal", 0)


def test_a_roster_file_published_exports_as_the_same_file(
    world: World, sample_dir: Path, tmp_path: Path
) -> None:
    """Import then export gives back the same data: a roster written by the command line's
    writers (a closer, a DST-free week), published in the store, exports byte for byte as the
    same ``roster.csv`` and ``breaks.csv``; a data set imported exports as the same files."""
    store, lead = world.store, world["lead"]
    week = [*WEEK, ("A002", "2026-11-27", "19:00", 6)]  # Friday 19:00 to 01:30: a closer
    draft = made_run(store, lead, START, week)
    roster = service.draft_roster(store, lead, draft)
    shifts = [Shift(s.agent_id, s.date, s.start_utc, s.end_utc, s.timezone, s.paid_hours)
              for s in roster.shifts]  # fmt: skip
    breaks = [Break(b.agent_id, b.start_utc, b.end_utc, "meal", b.paid) for b in roster.breaks]
    data = load_dataset(sample_dir)
    calendar = calendar_for(data, Horizon(date.fromisoformat(START), 1))
    write_roster(tmp_path / "roster.csv", shifts, data.agents, data.config, calendar)
    write_breaks(tmp_path / "breaks.csv", breaks)
    published = run_from_files(store, lead, START, tmp_path)
    service.publish_run(store, world["manager"], published)
    exported = service.export_roster_csv(store, lead)
    assert exported == (tmp_path / "roster.csv").read_bytes()
    assert b",1\n" in exported  # the closer column says so
    in_force = service.roster_in_force(store, lead)
    assert exports.breaks_csv(in_force.breaks) == (tmp_path / "breaks.csv").read_bytes()

    files = {name: (sample_dir / name).read_text() for name in datasets.STORED_FILES
             if (sample_dir / name).is_file()}  # fmt: skip
    service.import_dataset(store, lead, files, "round trip")
    assert service.dataset_files(store, lead) == files
