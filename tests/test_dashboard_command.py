"""``python -m planner dashboard`` (``make run``): it refuses to listen beyond loopback with
only the local sign-in, and prepares the database once (created, migrated, seeded with the
demo team and users), leaving it as it is on the next start."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from planner.cli import main
from planner.commands import dashboard
from planner.store.db import Store
from planner.store.models import DataSetRow, User
from planner.store.settings import StoreSettings


def test_listening_beyond_loopback_without_a_real_provider_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dashboard, "SECRETS", tmp_path / "secrets.toml")
    url = f"sqlite:///{tmp_path / 'planner.db'}"
    assert main(["dashboard", "--database", url, "--address", "0.0.0.0"]) == 2
    assert "beyond this machine" in capsys.readouterr().err
    assert not (tmp_path / "planner.db").exists()  # refused before anything was made


def test_the_database_is_prepared_once(tmp_path: Path) -> None:
    sample = tmp_path / "sample"
    assert main(["sample-data", "--out", str(sample), "--agents", "4"]) == 0
    settings = StoreSettings(database_url=f"sqlite:///{tmp_path / 'var' / 'p.db'}", run_workers=1)
    dashboard._prepare_database(settings, sample)
    dashboard._prepare_database(settings, sample)  # idempotent
    store = Store(settings.database_url)
    try:
        with store.read() as session:
            assert session.scalar(select(func.count(DataSetRow.id))) == 1
            emails = set(session.scalars(select(User.email)))
        assert emails == {
            "manager@example.com",
            "lead@example.com",
            "agent1@example.com",
            "agent2@example.com",
        }
    finally:
        store.dispose()
