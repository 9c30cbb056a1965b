"""Who is acting, and what they may do: enforced here, in the service layer, never only by
hiding a page.

A person signs in through OpenID Connect; the provider's *verified* email maps to one row of
the users table, which gives their role and team. An unknown, unverified or disabled email gets
no access and a plain message. Every service function re-reads the acting user in its own
transaction, so disabling someone or changing their role takes effect at once, even for a
session that signed in before.

- agent: reads their own published shifts, breaks and fairness counts (and calendar);
- lead: reads all of that for the whole team, imports data, creates scenarios and runs, cancels
  runs; cannot publish;
- manager: everything a lead may, plus publishing (and overriding the freeze window, audited)
  and reading the audit log.

Nobody reads or changes another team.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from planner.store.db import Store
from planner.store.models import AuditEntry, Team, User

Role = Literal["manager", "lead", "agent"]

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

COMMAND_LINE = "command line"
"""The actor recorded in the audit log for changes made with ``python -m planner``."""


class AccessDenied(Exception):
    """The acting user may not do this; the message says why, in plain words."""


class Refused(Exception):
    """The action is allowed to this user but cannot be done now (a stale base, a frozen shift,
    a run that is not finished); the message says why and what to do."""


class NotFound(Exception):
    """The object asked for does not exist."""


@dataclass(frozen=True)
class Actor:
    """A signed-in user, as resolved from their verified email."""

    user_id: int
    email: str
    role: Role
    team_id: int
    team: str
    agent_id: str | None = None


def normalise_email(email: str) -> str:
    return email.strip().lower()


def sign_in(store: Store, email: str | None, *, verified: bool | None = True) -> Actor:
    """The user behind a verified email, or :class:`AccessDenied` with a plain message.

    ``verified`` is the provider's ``email_verified`` claim (``None`` when it sent none:
    providers such as Google Workspace only issue verified addresses then).
    """
    if not email or not email.strip():
        raise AccessDenied("No access: the sign-in gave no email address.")
    if verified is False:
        raise AccessDenied(f"No access: {email.strip()} is not a verified email address.")
    with store.read() as session:
        user = session.scalar(select(User).where(User.email == normalise_email(email)))
        if user is None:
            raise AccessDenied(
                f"No access: {email.strip()} is not a user of the planner. "
                "Ask your manager to add you."
            )
        return _checked(user)


def _checked(user: User) -> Actor:
    if user.disabled:
        raise AccessDenied(f"No access: the account {user.email} is disabled.")
    return Actor(
        user_id=user.id,
        email=user.email,
        role=user.role,  # type: ignore[arg-type]
        team_id=user.team_id,
        team=user.team.name,
        agent_id=user.agent_id,
    )


def acting(session: Session, actor: Actor, *roles: Role) -> Actor:
    """The actor as the database has them now (enabled, current role and team), refused with
    :class:`AccessDenied` unless their role is one of ``roles`` (any role when none given)."""
    user = session.get(User, actor.user_id)
    if user is None:
        raise AccessDenied(f"No access: the account {actor.email} no longer exists.")
    current = _checked(user)
    if roles and current.role not in roles:
        allowed = " or ".join(roles)
        raise AccessDenied(f"Not allowed: this needs the {allowed} role; you are {current.role}.")
    return current


def same_team(actor: Actor, team_id: int, what: str) -> None:
    """Refuse anything of another team."""
    if actor.team_id != team_id:
        raise AccessDenied(f"Not allowed: {what} belongs to another team.")


def own_agent(actor: Actor, agent_id: str) -> None:
    """An agent reads only themselves; leads and managers read anyone of their team."""
    if actor.role == "agent" and actor.agent_id != agent_id:
        raise AccessDenied("Not allowed: an agent sees only their own shifts and counts.")


def audit(
    session: Session,
    actor: Actor | str,
    action: str,
    *,
    team_id: int | None = None,
    entity: str = "",
    entity_id: int | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    """Add one audit entry inside the caller's transaction (it commits with the change)."""
    if isinstance(actor, Actor):
        user_id, name = actor.user_id, actor.email
        team_id = actor.team_id if team_id is None else team_id
    else:
        user_id, name = None, actor
    session.add(
        AuditEntry(
            user_id=user_id,
            actor=name,
            team_id=team_id,
            action=action,
            entity=entity,
            entity_id=entity_id,
            detail=detail or {},
        )
    )


# --------------------------------------------------------------------------- users and teams


def add_team(session: Session, name: str, *, by: str = COMMAND_LINE) -> Team:
    """Create a team (refused when the name is taken)."""
    name = name.strip()
    if not name:
        raise Refused("a team needs a name")
    if session.scalar(select(Team).where(func.lower(Team.name) == name.lower())) is not None:
        raise Refused(f"there is already a team {name!r}")
    team = Team(name=name)
    session.add(team)
    session.flush()
    audit(session, by, "team.add", team_id=team.id, entity="team", entity_id=team.id)
    return team


def find_team(session: Session, name: str) -> Team | None:
    return session.scalar(select(Team).where(func.lower(Team.name) == name.strip().lower()))


def add_user(
    session: Session,
    email: str,
    role: str,
    team: Team,
    agent_id: str | None = None,
    *,
    by: str = COMMAND_LINE,
) -> User:
    """Add a user (the checks of ``users add``: a valid, new email; a role; agents name their
    ``agent_id``, others do not). Raises :class:`Refused` with every problem."""
    problems = []
    address = normalise_email(email)
    if not EMAIL.match(address):
        problems.append(f"--email {email!r} is not an email address")
    elif session.scalar(select(User).where(User.email == address)) is not None:
        problems.append(f"--email {address} is already a user")
    if role not in ("manager", "lead", "agent"):
        problems.append(f"--role {role!r} must be manager, lead or agent")
    if role == "agent" and not (agent_id or "").strip():
        problems.append("--agent-id is needed for an agent (their agent_id in agents.csv)")
    if role in ("manager", "lead") and agent_id:
        problems.append("--agent-id is only for agents")
    if problems:
        raise Refused("; ".join(problems))
    user = User(email=address, role=role, team_id=team.id, agent_id=(agent_id or None))
    session.add(user)
    session.flush()
    audit(
        session,
        by,
        "user.add",
        team_id=team.id,
        entity="user",
        entity_id=user.id,
        detail={"email": address, "role": role, "agent_id": agent_id},
    )
    return user


def set_disabled(session: Session, email: str, disabled: bool, *, by: str = COMMAND_LINE) -> User:
    """Disable (or enable again) a user; they keep their history."""
    user = session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None:
        raise NotFound(f"{email.strip()} is not a user")
    user.disabled = disabled
    audit(
        session,
        by,
        "user.disable" if disabled else "user.enable",
        team_id=user.team_id,
        entity="user",
        entity_id=user.id,
        detail={"email": user.email},
    )
    return user
