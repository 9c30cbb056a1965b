"""Alembic's environment: migrate the engine handed over by :mod:`planner.store.migrate`
(or, from the ``alembic`` command, the URL given with ``-x url=...``)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

from planner.store.db import make_engine
from planner.store.models import Base

config = context.config
engine = config.attributes.get("engine")
if not isinstance(engine, Engine):
    engine = make_engine(context.get_x_argument(as_dictionary=True)["url"])

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
