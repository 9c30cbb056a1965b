"""``python -m planner db init|upgrade|status|seed DIR|backup FILE|restore FILE``.

- ``init``: create the database (SQLite: the file) and run every migration; an initialised
  database is left as it is.
- ``upgrade``: run the migrations an existing database lacks.
- ``status``: where the database is and its migration.
- ``seed DIR [--team NAME] [--demo-users]``: import the data set in DIR (checked like
  ``validate``) as the team's next data set, creating the team (default ``demo``); with
  ``--demo-users``, also the demo users of the local sign-in (a manager, a lead and two agents,
  the first two of ``agents.csv``).
- ``backup FILE``: every row, as gzipped JSON, written atomically.
- ``restore FILE [--replace]``: load a backup in one transaction (into an empty database, or
  replacing everything with ``--replace``).

Exit 0 done, 1 the database could not be used, 2 bad input (nothing changed).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.commands.store_options import (
    NotReady,
    add_database_option,
    guarded,
    open_store,
    ready_store,
    settings_of,
)
from planner.store import backup, datasets, migrate
from planner.store.access import COMMAND_LINE, add_team, add_user, audit, find_team
from planner.store.db import sqlite_path
from planner.store.models import Team, User
from planner.store.settings import StoreSettings
from planner.store.signin import DEMO_USERS


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_database_option(parser)
    sub = parser.add_subparsers(dest="action", required=True)
    sub.add_parser("init", help="create the database and run every migration")
    sub.add_parser("upgrade", help="run the migrations the database lacks")
    sub.add_parser("status", help="where the database is and its migration")
    seed = sub.add_parser("seed", help="import a data folder as a team's data set")
    seed.add_argument("directory", metavar="DIR", type=Path, help="data folder")
    seed.add_argument("--team", default="demo", help="team name (default demo; created)")
    seed.add_argument("--demo-users", action="store_true", help="add the demo users too")
    save = sub.add_parser("backup", help="write every row to FILE")
    save.add_argument("file", metavar="FILE", type=Path)
    load = sub.add_parser("restore", help="load a backup FILE")
    load.add_argument("file", metavar="FILE", type=Path)
    load.add_argument("--replace", action="store_true", help="replace a non-empty database")


def run(args: argparse.Namespace) -> int:
    settings = settings_of(args)
    actions = {
        "init": _init,
        "upgrade": _upgrade,
        "status": _status,
        "seed": _seed,
        "backup": _backup,
        "restore": _restore,
    }
    return guarded(lambda: actions[args.action](args, settings))


def _init(_args: argparse.Namespace, settings: StoreSettings) -> int:
    store = open_store(settings)
    try:
        revision = migrate.current_revision(store)
        if revision is not None:
            print(f"{store!r} is already initialised (migration {revision}); nothing changed")
            if revision != migrate.head_revision():
                print("run `python -m planner db upgrade` to migrate it")
            return 0
        migrate.upgrade(store)
        print(f"initialised {store!r} at migration {migrate.head_revision()}")
        return 0
    finally:
        store.dispose()


def _upgrade(_args: argparse.Namespace, settings: StoreSettings) -> int:
    file = sqlite_path(settings.database_url)
    if file is not None and not file.is_file():
        raise NotReady(f"no database at {file}: run `python -m planner db init`")
    store = open_store(settings)
    try:
        before = migrate.current_revision(store)
        if before is None:
            raise NotReady("the database is not initialised: run `python -m planner db init`")
        migrate.upgrade(store)
        after = migrate.current_revision(store)
        print(
            f"{store!r}: already at migration {after}"
            if before == after
            else f"{store!r}: migrated from {before} to {after}"
        )
        return 0
    finally:
        store.dispose()


def _status(_args: argparse.Namespace, settings: StoreSettings) -> int:
    store = open_store(settings)
    try:
        revision = migrate.current_revision(store)
        head = migrate.head_revision()
        state = "not initialised" if revision is None else f"migration {revision}"
        print(f"{store!r}: {state} (newest {head})")
        return 0
    finally:
        store.dispose()


def _seed(args: argparse.Namespace, settings: StoreSettings) -> int:
    texts = datasets.check_files(datasets.files_of_folder(args.directory))
    store = ready_store(settings)
    try:
        with store.write() as session:
            team = find_team(session, args.team) or add_team(session, args.team)
            row = datasets.add_dataset(
                session, team.id, texts, None, f"seeded from {args.directory}"
            )
            audit(
                session,
                COMMAND_LINE,
                "dataset.import",
                team_id=team.id,
                entity="dataset",
                entity_id=row.id,
                detail={"version": row.version, "files": sorted(texts)},
            )
            added = _demo_users(session, team, texts) if args.demo_users else []
        print(f"team {team.name}: data set version {row.version} ({', '.join(sorted(texts))})")
        for line in added:
            print(line)
        return 0
    finally:
        store.dispose()


def _demo_users(session: Session, team: Team, texts: dict[str, str]) -> list[str]:
    agents = datasets.load_texts(
        {k: v for k, v in texts.items() if k in ("config.toml", "agents.csv")}
    ).agents
    lines = []
    for demo in DEMO_USERS:
        if session.scalar(select(User).where(User.email == demo.email)) is not None:
            continue
        agent_id = None
        if demo.agent is not None:
            if demo.agent >= len(agents):
                continue
            agent_id = agents[demo.agent].agent_id
        add_user(session, demo.email, demo.role, team, agent_id)
        who = f" = agent {agent_id}" if agent_id else ""
        lines.append(f"demo user {demo.email} ({demo.role}{who}), signs in as {demo.sub!r}")
    return lines


def _backup(args: argparse.Namespace, settings: StoreSettings) -> int:
    store = ready_store(settings)
    try:
        counts = backup.backup(store, args.file)
        print(f"wrote {args.file}: {sum(counts.values()):,} rows in {len(counts)} tables")
        return 0
    finally:
        store.dispose()


def _restore(args: argparse.Namespace, settings: StoreSettings) -> int:
    store = ready_store(settings)
    try:
        counts = backup.restore(store, args.file, replace=args.replace)
        print(f"restored {args.file}: {sum(counts.values()):,} rows in {len(counts)} tables")
        return 0
    finally:
        store.dispose()
