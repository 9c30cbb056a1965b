"""Fixtures of the store tests: the same tests run on SQLite and on a real PostgreSQL.

PostgreSQL comes from ``pg_virtualenv`` (``make test`` runs the suite inside it; TOOLCHAIN.md
section 9), which sets ``PGHOST``/``PGUSER``/``PGPASSWORD``. Without it the PostgreSQL half is
skipped on a developer's machine and FAILS under ``CI=true``: a missing database never passes
for a green run there.

Each test gets its own database, copied from a template made once per backend: migrated, with
two teams (alpha, beta), the sample data set of 8 agents in each, and the users of
:data:`PEOPLE` (one of them disabled after signing in, to prove a session cannot outlive it).
"""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from planner.cli import main
from planner.store import datasets, migrate
from planner.store.access import Actor, add_team, add_user, set_disabled, sign_in
from planner.store.db import Store

BACKENDS = ("sqlite", "postgresql")
START = "2026-11-22"
"""The Sunday after the sample's history ends: the first week the tests plan."""

PEOPLE = {
    "manager": ("manager@alpha.example", "manager", "alpha", None),
    "lead": ("lead@alpha.example", "lead", "alpha", None),
    "agent": ("agent1@alpha.example", "agent", "alpha", "A001"),
    "agent2": ("agent2@alpha.example", "agent", "alpha", "A002"),
    "disabled": ("gone@alpha.example", "lead", "alpha", None),
    "other_manager": ("manager@beta.example", "manager", "beta", None),
    "other_lead": ("lead@beta.example", "lead", "beta", None),
}


def postgres_available() -> bool:
    return bool(os.environ.get("PGHOST"))


def require_postgres() -> None:
    if postgres_available():
        return
    message = "PostgreSQL is not available (run the tests under pg_virtualenv, see Makefile)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


class Backend:
    """Makes databases of one kind: fresh ones and copies of the seeded template."""

    def __init__(self, name: str, folder: Path) -> None:
        self.name = name
        self.folder = folder
        self._numbers = itertools.count(1)
        self._made: list[str] = []
        self.template: str | None = None

    def _admin(self):  # type: ignore[no-untyped-def]
        return create_engine("postgresql+psycopg:///postgres", isolation_level="AUTOCOMMIT")

    def new_url(self, template: str | None = None) -> str:
        """A new database: empty, or a copy of ``template`` (a name from this backend)."""
        number = next(self._numbers)
        if self.name == "sqlite":
            path = self.folder / f"db{number}.sqlite"
            if template is not None:
                shutil.copyfile(template, path)
            return f"sqlite:///{path}"
        name = f"planner_test_{os.getpid()}_{number}"
        engine = self._admin()
        with engine.connect() as connection:
            clause = f" TEMPLATE {template}" if template else ""
            connection.execute(text(f'CREATE DATABASE "{name}"{clause}'))
        engine.dispose()
        self._made.append(name)
        return f"postgresql+psycopg:///{name}"

    def template_name(self, url: str) -> str:
        database = make_url(url).database
        assert database is not None
        return database

    def drop(self, url: str) -> None:
        """Drop a database made here (at the end of its test: nothing piles up)."""
        if self.name == "sqlite":
            return
        name = make_url(url).database
        engine = self._admin()
        with engine.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()
        self._made.remove(str(name))

    def drop_all(self) -> None:
        for name in list(self._made):
            self.drop(f"postgresql+psycopg:///{name}")


@dataclass
class World:
    """A seeded store and its people, signed in."""

    store: Store
    url: str
    people: dict[str, Actor]
    backend: str

    def __getitem__(self, role: str) -> Actor:
        return self.people[role]


@pytest.fixture(scope="session")
def sample_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("sample8")
    assert main(["sample-data", "--out", str(folder), "--agents", "8"]) == 0
    return folder


@pytest.fixture(scope="session")
def sample_texts(sample_dir: Path) -> dict[str, str]:
    return datasets.check_files(datasets.files_of_folder(sample_dir))


@pytest.fixture(scope="session", params=BACKENDS)
def backend(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Backend]:
    if request.param == "postgresql":
        require_postgres()
    made = Backend(request.param, tmp_path_factory.mktemp(f"db-{request.param}"))
    yield made
    made.drop_all()


def _seed(url: str, texts: dict[str, str]) -> dict[str, Actor]:
    store = Store(url)
    migrate.upgrade(store)
    with store.write() as session:
        teams = {name: add_team(session, name) for name in ("alpha", "beta")}
        for team in teams.values():
            datasets.add_dataset(session, team.id, texts, None, "sample")
        for email, role, team, agent in PEOPLE.values():
            add_user(session, email, role, teams[team], agent)
    people = {key: sign_in(store, email) for key, (email, *_rest) in PEOPLE.items()}
    with store.write() as session:
        set_disabled(session, PEOPLE["disabled"][0], True)
    store.dispose()
    return people


@pytest.fixture(scope="session")
def seeded_template(backend: Backend, sample_texts: dict[str, str]) -> tuple[str, dict[str, Actor]]:
    url = backend.new_url()
    people = _seed(url, sample_texts)
    if backend.name == "sqlite":
        return str(make_url(url).database), people
    return backend.template_name(url), people


@pytest.fixture
def world(backend: Backend, seeded_template: tuple[str, dict[str, Actor]]) -> Iterator[World]:
    template, people = seeded_template
    url = backend.new_url(template)
    store = Store(url)
    yield World(store, url, people, backend.name)
    store.dispose()
    backend.drop(url)


@pytest.fixture
def empty_url(backend: Backend) -> Iterator[str]:
    """A database that exists (PostgreSQL) or may be created (SQLite), with no table."""
    url = backend.new_url()
    yield url
    backend.drop(url)
