"""Where the store lives (``planner.toml`` and the environment), and the executor interface:
the worker loop runs on any :class:`Executor`, so another backend needs no change of caller."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

import pytest

from planner.data.problems import InputError
from planner.store import service
from planner.store.execute import execute_run
from planner.store.executor import Ended, Executor, Job
from planner.store.settings import default_run_workers, read_settings
from planner.store.worker import Worker
from tests.store.conftest import START, World


def test_settings_come_from_the_file_the_environment_and_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PLANNER_DATABASE_URL", raising=False)
    missing = read_settings(tmp_path / "none.toml")
    assert missing.database_url == f"sqlite:///{tmp_path / 'var' / 'planner.db'}"
    assert missing.run_workers == default_run_workers()  # half the cores: 1 on 2
    file = tmp_path / "planner.toml"
    file.write_text('[store]\ndatabase = "data/team.db"\nrun_workers = 3\n')
    settings = read_settings(file)
    assert settings.database_url == f"sqlite:///{tmp_path / 'data' / 'team.db'}"
    assert settings.run_workers == 3
    monkeypatch.setenv("PLANNER_DATABASE_URL", "postgresql+psycopg://u@db.example/planner")
    assert read_settings(file).database_url == "postgresql+psycopg://u@db.example/planner"
    assert read_settings(file, database="other.db").database_url.endswith("/other.db")


def test_bad_settings_name_the_key(tmp_path: Path) -> None:
    file = tmp_path / "planner.toml"
    file.write_text('[store]\nrun_workers = 0\nheartbeat_seconds = "often"\n')
    with pytest.raises(InputError) as bad:
        read_settings(file)
    lines = [str(p) for p in bad.value.problems]
    assert any("store.run_workers" in line and "must be a whole number" in line for line in lines)
    assert any("store.heartbeat_seconds" in line for line in lines)


class InlineExecutor(Executor):
    """A stand-in backend: runs each job at once on a thread of this process."""

    def __init__(self) -> None:
        self.jobs: dict[int, threading.Thread] = {}
        self.world: World | None = None

    def free_slots(self) -> int:
        return 1 - len(self.jobs)

    def start(self, job: Job) -> None:
        assert self.world is not None
        assert job.database_url == self.world.url
        thread = threading.Thread(target=execute_run, args=(self.world.store, job.run_id, 0.2))
        thread.start()
        self.jobs[job.run_id] = thread

    def running(self) -> set[int]:
        return set(self.jobs)

    def reap(self) -> list[Ended]:
        done = [r for r, t in self.jobs.items() if not t.is_alive()]
        for run_id in done:
            del self.jobs[run_id]
        return [Ended(r, 0, None) for r in done]

    def stop(self, run_id: int) -> None:  # pragma: no cover - nothing overruns here
        raise AssertionError("nothing should overrun")

    def shutdown(self, wait_seconds: float = 0.0) -> None:
        for thread in self.jobs.values():
            thread.join(wait_seconds)


def test_the_worker_loop_runs_on_any_executor(world: World) -> None:
    lead = world["lead"]
    runs = [service.submit_run(world.store, lead, date.fromisoformat(START), 1, kind="forecast")
            for _ in range(2)]  # fmt: skip
    executor = InlineExecutor()
    executor.world = world
    settings = read_settings(database=world.url)
    stats = Worker(world.store, settings, executor).run(once=True, poll_seconds=0.05)
    assert stats.started == [r.id for r in runs]
    assert [service.get_run(world.store, lead, r.id).status for r in runs] == ["done", "done"]
