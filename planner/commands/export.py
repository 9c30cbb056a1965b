"""``python -m planner export calendar|roster``: a team's published rosters as files, from the
command line.

- ``calendar --agent-id A --out FILE.ics [--team T]``: the agent's published shifts as the
  dashboard gives them (each in the agent's zone with its ``TZID``, breaks in the description,
  UIDs stable across versions, shifts a later version took away sent cancelled).
- ``roster --out FILE.csv|FILE.xlsx [--team T] [--version N | --run ID]``: ``roster.csv`` (as
  ``solve`` writes it) or an Excel workbook (Roster and Breaks sheets) of the roster in force,
  of published version ``N`` or of a run's draft.

Files are written atomically. ``--team`` may be left out when the database has one team.
Exit 0 done, 1 the database could not be used, 2 bad input (an unknown team, version or run).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.commands.store_options import (
    add_database_option,
    guarded,
    ready_store,
    settings_of,
    team_of,
)
from planner.data.atomic import write_bytes
from planner.store import rosters, service
from planner.store.access import NotFound, Refused
from planner.store.models import BreakRow, RosterVersion, Run, ShiftRow, Team
from planner.store.settings import StoreSettings


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_database_option(parser)
    sub = parser.add_subparsers(dest="action", required=True)
    calendar = sub.add_parser("calendar", help="an agent's published shifts as .ics")
    calendar.add_argument("--team", help="the team (may be left out when there is one)")
    calendar.add_argument("--agent-id", required=True, help="the agent's agent_id")
    calendar.add_argument("--out", type=Path, required=True, help=".ics file to write")
    roster = sub.add_parser("roster", help="a roster as roster.csv or Excel")
    roster.add_argument("--team", help="the team (may be left out when there is one)")
    which = roster.add_mutually_exclusive_group()
    which.add_argument("--version", type=int, help="a published version (number)")
    which.add_argument("--run", dest="run_id", type=int, help="a run's draft roster")
    roster.add_argument("--out", type=Path, required=True, help=".csv or .xlsx file to write")


def run(args: argparse.Namespace) -> int:
    settings = settings_of(args)
    action = _calendar if args.action == "calendar" else _roster
    return guarded(lambda: action(args, settings))


def _calendar(args: argparse.Namespace, settings: StoreSettings) -> int:
    store = ready_store(settings)
    try:
        with store.read() as session:
            team = team_of(session, args.team)
            shifts, _ = rosters.in_force(session, team.id, agent_id=args.agent_id)
            data = service.calendar_of(session, team.id, args.agent_id)
        write_bytes(args.out, data)
        print(f"wrote {args.out}: {len(shifts)} published shift(s) of {args.agent_id}")
        return 0
    finally:
        store.dispose()


def _rows(
    session: Session, team: Team, version: int | None, run_id: int | None
) -> tuple[list[ShiftRow], list[BreakRow], str]:
    if run_id is not None:
        found = session.get(Run, run_id)
        if found is None or found.team_id != team.id:
            raise NotFound(f"--run {run_id}: team {team.name} has no such run")
        return rosters.run_shifts(session, run_id), rosters.run_breaks(session, run_id), "draft"
    if version is None:
        shifts, breaks = rosters.in_force(session, team.id)
        return shifts, breaks, "roster in force"
    row = session.scalar(
        select(RosterVersion).where(
            RosterVersion.team_id == team.id, RosterVersion.version == version
        )
    )
    if row is None:
        raise NotFound(f"--version {version}: team {team.name} has no such published version")
    shifts, breaks = rosters.version_rows(session, row.id)
    return shifts, breaks, f"version {version}"


def _roster(args: argparse.Namespace, settings: StoreSettings) -> int:
    suffix = args.out.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise Refused(f"--out {args.out}: the file must end in .csv or .xlsx")
    store = ready_store(settings)
    try:
        with store.read() as session:
            team = team_of(session, args.team)
            shifts, breaks, what = _rows(session, team, args.version, args.run_id)
            data = service.roster_file(session, team.id, shifts, breaks, excel=suffix == ".xlsx")
        write_bytes(args.out, data)
        print(f"wrote {args.out}: {len(shifts)} shift(s) of the {what} of team {team.name}")
        return 0
    finally:
        store.dispose()
