"""``python -m planner teams add NAME|list``: the teams of the store (``db seed`` also creates
one). Exit 2 on bad input (a name already taken)."""

from __future__ import annotations

import argparse

from sqlalchemy import select

from planner.commands.store_options import add_database_option, guarded, ready_store, settings_of
from planner.store.access import add_team
from planner.store.models import Team
from planner.store.settings import StoreSettings


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_database_option(parser)
    sub = parser.add_subparsers(dest="action", required=True)
    add = sub.add_parser("add", help="add a team")
    add.add_argument("name", metavar="NAME")
    sub.add_parser("list", help="list the teams")


def run(args: argparse.Namespace) -> int:
    settings = settings_of(args)
    return guarded(lambda: _add(args, settings) if args.action == "add" else _list(settings))


def _add(args: argparse.Namespace, settings: StoreSettings) -> int:
    store = ready_store(settings)
    try:
        with store.write() as session:
            team = add_team(session, args.name)
            print(f"added team {team.name}")
        return 0
    finally:
        store.dispose()


def _list(settings: StoreSettings) -> int:
    store = ready_store(settings)
    try:
        with store.read() as session:
            for team in session.scalars(select(Team).order_by(Team.name)):
                print(team.name)
        return 0
    finally:
        store.dispose()
