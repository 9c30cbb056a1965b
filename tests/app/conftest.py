"""Fixtures of the dashboard's AppTests: one seeded database for the session (the sample's 8
agents, history up to today, one week from the coming Sunday, a forecast and a 5-second solve
executed in-process and published as version 1 by the seed; a lead's +20% volume scenario
solved beside it), copied for each test, and an AppTest per role.

A signed-in user is simulated with ``AppTest.user`` (what ``st.user`` reads); production signs
in through ``st.login``.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from planner.cli import main
from planner.store import seed, service
from planner.store.db import Store
from planner.store.execute import execute_run
from planner.store.insight import next_week_start

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
TODAY = date.today()
START = next_week_start(TODAY)
"""The coming Sunday: the sample's history ends on the Saturday before today, and an agent's
page shows upcoming shifts."""

EMAILS = {
    "manager": "manager@example.com",
    "lead": "lead@example.com",
    "agent": "agent1@example.com",
    "agent2": "agent2@example.com",
}


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database with the demo team, its users and a published first roster."""
    folder = tmp_path_factory.mktemp("dashboard")
    sample = folder / "sample"
    assert main(["sample-data", "--out", str(sample), "--agents", "8", "--end", str(TODAY)]) == 0
    path = folder / "template.db"
    url = f"sqlite:///{path}"
    assert main(["db", "--database", url, "init"]) == 0
    assert main(["db", "--database", url, "seed", str(sample), "--demo-users"]) == 0
    store = Store(url)
    try:
        runs = seed.queue_seed(store, "demo", START, 1, 5.0)
        assert runs is not None
        assert execute_run(store, runs.forecast_id) == "done"
        assert execute_run(store, runs.solve_id) == "done"
        assert "version 1" in seed.publish_when_done(store, runs.solve_id)
        lead = service.sign_in(store, EMAILS["lead"])
        scenario = service.create_scenario(
            store, lead, "Volume +20%", {"staffing.volume_multiplier": 1.2, "time_limit": 5.0}
        )
        run = service.submit_run(store, lead, START, 1, scenario_id=scenario.id)
        assert execute_run(store, run.id) == "done"
        with store.engine.connect() as connection:  # everything into the file before copies
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        store.dispose()
    return path


@pytest.fixture
def database(seeded_template: Path, tmp_path: Path) -> str:
    """A test's own copy of the seeded database."""
    path = tmp_path / "planner.db"
    shutil.copyfile(seeded_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def store(database: str) -> Iterator[Store]:
    s = Store(database)
    yield s
    s.dispose()


@pytest.fixture
def app(database: str, monkeypatch: pytest.MonkeyPatch) -> Callable[[str | None], AppTest]:
    """An AppTest of app.py signed in as a role (``None``: signed out)."""
    monkeypatch.setenv("PLANNER_DATABASE_URL", database)

    def make(role: str | None, email: str | None = None) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=120)
        if role is None and email is None:
            at.user = {"is_logged_in": False}
        else:
            at.user = {
                "is_logged_in": True,
                "email": email or EMAILS[str(role)],
                "email_verified": True,
            }
        return at

    return make
