"""What the store's commands (``db``, ``users``, ``teams``, ``worker``, ``runs``, ``export``)
share: the ``--database`` option, opening the store, finding a team, and turning refusals into
exit codes."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from planner.store.access import AccessDenied, NotFound, Refused, find_team
from planner.store.db import Store, sqlite_path
from planner.store.migrate import current_revision, head_revision
from planner.store.models import Team
from planner.store.settings import StoreSettings, read_settings


def add_database_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--database",
        help="SQLAlchemy URL or SQLite file (default: $PLANNER_DATABASE_URL, else [store] "
        "database of planner.toml, else var/planner.db)",
    )


def settings_of(args: argparse.Namespace) -> StoreSettings:
    return read_settings(database=getattr(args, "database", None))


def open_store(settings: StoreSettings) -> Store:
    return Store(settings.database_url, busy_timeout_seconds=settings.busy_timeout_seconds)


class NotReady(Exception):
    """The database is missing or not at the newest migration."""


def ready_store(settings: StoreSettings) -> Store:
    """The store, refused (:class:`NotReady`) unless it exists at the newest migration."""
    path = sqlite_path(settings.database_url)
    if path is not None and not path.is_file():
        raise NotReady(f"no database at {path}: run `python -m planner db init` first")
    store = open_store(settings)
    revision = current_revision(store)
    if revision is None:
        store.dispose()
        raise NotReady("the database is not initialised: run `python -m planner db init`")
    if revision != head_revision():
        store.dispose()
        raise NotReady(
            f"the database is at migration {revision}, this planner needs {head_revision()}: "
            "run `python -m planner db upgrade`"
        )
    return store


def guarded(action: Callable[[], int]) -> int:
    """Run a store command: a refusal or bad input is exit 2 with its message, a database
    that cannot be reached exit 1; never a traceback."""
    try:
        return action()
    except (Refused, AccessDenied, NotFound, NotReady) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except OperationalError as error:
        print(f"error: the database cannot be used: {error.orig}", file=sys.stderr)
        return 1


def team_of(session: Session, name: str | None) -> Team:
    """The team named ``--team`` (left out: the only team there is); :class:`Refused` naming
    the teams otherwise."""
    teams = list(session.scalars(select(Team).order_by(Team.name)))
    names = ", ".join(t.name for t in teams) or "none yet: `db seed DIR --team T` or `teams add`"
    if name is None:
        if len(teams) == 1:
            return teams[0]
        raise Refused(f"--team is needed (teams: {names})")
    team = find_team(session, name)
    if team is None:
        raise Refused(f"--team {name!r} is not a team (teams: {names})")
    return team
