"""Where the store lives and how many run workers it has: ``planner.toml`` and the environment.

``PLANNER_DATABASE_URL`` (any SQLAlchemy URL, e.g. ``postgresql+psycopg://user@host/db``)
wins over ``[store] database`` of ``planner.toml`` (the path of the embedded SQLite file,
relative to the settings file). Without either, the database is ``var/planner.db`` beside the
settings file. ``PLANNER_SETTINGS`` names another settings file.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from planner.data.problems import Problems

SETTINGS_FILE = "planner.toml"
DEFAULT_DATABASE = "var/planner.db"


@dataclass(frozen=True)
class StoreSettings:
    """The store's settings; every value has a safe default.

    ``run_workers``: processes executing runs at once (default: half the cores, at least 1).
    ``busy_timeout_seconds``: how long a SQLite writer waits for another one.
    ``heartbeat_seconds``: how often a running run reports it is alive and polls for cancel.
    ``stale_after_seconds``: a running run silent this long is taken for dead.
    ``timeout_grace_seconds``: a run is stopped (timed out) this long after its own budget.
    """

    database_url: str
    run_workers: int
    busy_timeout_seconds: float = 10.0
    heartbeat_seconds: float = 1.0
    stale_after_seconds: float = 120.0
    timeout_grace_seconds: float = 120.0


def default_run_workers() -> int:
    """Half the cores, at least one: 1 on a 2-core machine, leaving a core to the server."""
    return max(1, (os.cpu_count() or 2) // 2)


def database_url(value: str, base: Path) -> str:
    """A SQLAlchemy URL from a URL or a file path (relative to ``base``)."""
    if "://" in value:
        return value
    path = Path(value)
    if not path.is_absolute():
        path = base / path
    return f"sqlite:///{path}"


def _positive(
    table: dict[str, object], key: str, default: float, problems: Problems, name: str
) -> float:
    value = table.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
        problems.add(name, None, f"store.{key}", f"{value!r} must be a number more than 0")
        return default
    return float(value)


def read_settings(path: Path | None = None, *, database: str | None = None) -> StoreSettings:
    """The settings from ``path`` (default ``$PLANNER_SETTINGS`` or ``./planner.toml``; a
    missing file gives the defaults) and the environment; ``database`` (a URL or a path, from
    the command line) wins over both. Bad values raise :class:`InputError` naming the key."""
    problems = Problems()
    path = path or Path(os.environ.get("PLANNER_SETTINGS", SETTINGS_FILE))
    name = str(path)
    table: dict[str, object] = {}
    if path.is_file():
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
            problems.add(name, None, None, f"cannot read the settings: {error}")
            raw = {}
        store = raw.get("store", {})
        if isinstance(store, dict):
            table = store
        else:
            problems.add(name, None, "store", "must be a table [store]")
    known = {
        "database",
        "run_workers",
        "busy_timeout_seconds",
        "heartbeat_seconds",
        "stale_after_seconds",
        "timeout_grace_seconds",
    }
    for key in sorted(set(table) - known):
        problems.add(name, None, f"store.{key}", "unknown key", "warning")
    # A path on the command line or in the environment is relative to where the command
    # runs; one in the settings file, to the settings file.
    base = Path.cwd()
    chosen: object = database or os.environ.get("PLANNER_DATABASE_URL")
    if not chosen:
        base = path.resolve().parent
        chosen = table.get("database")
    if chosen is not None and (not isinstance(chosen, str) or not chosen.strip()):
        problems.add(name, None, "store.database", f"{chosen!r} must be a path or a URL")
        chosen = None
    workers = table.get("run_workers", default_run_workers())
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        problems.add(name, None, "store.run_workers", f"{workers!r} must be a whole number >= 1")
        workers = default_run_workers()
    settings = StoreSettings(
        database_url=database_url(str(chosen or DEFAULT_DATABASE), base),
        run_workers=workers,
        busy_timeout_seconds=_positive(table, "busy_timeout_seconds", 10.0, problems, name),
        heartbeat_seconds=_positive(table, "heartbeat_seconds", 1.0, problems, name),
        stale_after_seconds=_positive(table, "stale_after_seconds", 120.0, problems, name),
        timeout_grace_seconds=_positive(table, "timeout_grace_seconds", 120.0, problems, name),
    )
    problems.raise_if_errors()
    return settings
