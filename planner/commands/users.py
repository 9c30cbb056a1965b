"""``python -m planner users add|list|disable|enable``: who may sign in, and as what.

``users add --email E --role manager|lead|agent [--team T] [--agent-id ID]``: ``--team`` may be
left out when the database has one team; an agent names their ``agent_id`` (checked against
the team's newest data set when it has one). ``users list [--team T]`` prints one user a line.
``users disable --email E`` takes access away at once (also from a session already signed in);
``users enable`` gives it back. Every change is in the audit log. Exit 2 on bad input.
"""

from __future__ import annotations

import argparse

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.commands.store_options import (
    add_database_option,
    guarded,
    ready_store,
    settings_of,
    team_of,
)
from planner.store import datasets
from planner.store.access import Refused, add_user, set_disabled
from planner.store.models import Team, User
from planner.store.settings import StoreSettings


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_database_option(parser)
    sub = parser.add_subparsers(dest="action", required=True)
    add = sub.add_parser("add", help="add a user")
    add.add_argument("--email", required=True, help="the address their sign-in verifies")
    add.add_argument("--role", required=True, help="manager, lead or agent")
    add.add_argument("--team", help="their team (may be left out when there is one team)")
    add.add_argument("--agent-id", help="an agent's agent_id in agents.csv")
    listing = sub.add_parser("list", help="list the users")
    listing.add_argument("--team", help="only this team")
    for name, text in (("disable", "take access away"), ("enable", "give access back")):
        one = sub.add_parser(name, help=text)
        one.add_argument("--email", required=True)


def run(args: argparse.Namespace) -> int:
    settings = settings_of(args)
    actions = {"add": _add, "list": _list, "disable": _disable, "enable": _enable}
    return guarded(lambda: actions[args.action](args, settings))


def _check_agent(session: Session, team: Team, agent_id: str | None) -> None:
    if agent_id is None:
        return
    row = datasets.latest_dataset(session, team.id)
    if row is None:
        return
    texts = datasets.dataset_texts(session, row.id)
    known = {
        a.agent_id
        for a in datasets.load_texts(
            {k: v for k, v in texts.items() if k in ("config.toml", "agents.csv")}
        ).agents
    }
    if agent_id not in known:
        raise Refused(
            f"--agent-id {agent_id!r} is not in agents.csv of team {team.name} "
            f"(data set version {row.version})"
        )


def _add(args: argparse.Namespace, settings: StoreSettings) -> int:
    store = ready_store(settings)
    try:
        with store.write() as session:
            team = team_of(session, args.team)
            if args.role == "agent":
                _check_agent(session, team, args.agent_id)
            user = add_user(session, args.email, args.role, team, args.agent_id)
            agent = f", agent {user.agent_id}" if user.agent_id else ""
            print(f"added {user.email}: {user.role} of team {team.name}{agent}")
        return 0
    finally:
        store.dispose()


def _list(args: argparse.Namespace, settings: StoreSettings) -> int:
    store = ready_store(settings)
    try:
        with store.read() as session:
            query = select(User, Team.name).join(Team, User.team_id == Team.id)
            if args.team:
                query = query.where(Team.id == team_of(session, args.team).id)
            rows = session.execute(query.order_by(Team.name, User.role, User.email)).all()
            print("email\trole\tteam\tagent_id\tstatus")
            for user, team in rows:
                status = "disabled" if user.disabled else "active"
                print(f"{user.email}\t{user.role}\t{team}\t{user.agent_id or ''}\t{status}")
        return 0
    finally:
        store.dispose()


def _switch(args: argparse.Namespace, settings: StoreSettings, disabled: bool) -> int:
    store = ready_store(settings)
    try:
        with store.write() as session:
            user = set_disabled(session, args.email, disabled)
            print(f"{user.email}: {'disabled' if disabled else 'enabled'}")
        return 0
    finally:
        store.dispose()


def _disable(args: argparse.Namespace, settings: StoreSettings) -> int:
    return _switch(args, settings, True)


def _enable(args: argparse.Namespace, settings: StoreSettings) -> int:
    return _switch(args, settings, False)
