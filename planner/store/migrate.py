"""Alembic migrations of the store: ``db init`` and ``db upgrade`` run them to the newest.

The migration scripts live in ``planner/store/migrations/versions``; no ``alembic.ini`` is
needed (the configuration is built here), but ``alembic`` itself works too with
``-x url=...`` for writing a new revision.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from planner.store.db import Store

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(store: Store | None = None) -> AlembicConfig:
    """The Alembic configuration (with ``store``, its engine is handed to the env script)."""
    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    if store is not None:
        config.attributes["engine"] = store.engine
    return config


def head_revision() -> str:
    """The newest migration."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(store: Store) -> str | None:
    """The migration the database is at (``None``: never initialised)."""
    with store.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(store: Store, revision: str = "head") -> None:
    """Run every migration up to ``revision`` (idempotent at the head)."""
    command.upgrade(alembic_config(store), revision)
