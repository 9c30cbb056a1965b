"""``python -m planner dashboard [--data DIR] [--port P] [--seed-weeks N] [--seed-time-limit S]``:
everything ``make run`` serves, in one command.

1. The database (``planner.toml``: ``var/planner.db``) is created and migrated when missing, and
   seeded from ``--data`` with the demo users when it has no team yet (idempotent afterwards).
2. Without a real ``[auth]`` in ``.streamlit/secrets.toml``, the local sign-in provider starts
   (the demo users; README) and ``[auth]`` is written to point at it.
3. The first time, a forecast and a short solve are queued for the demo team; once the
   independent check accepted the roster, it is published as version 1 (audited as ``seed``).
4. The run worker (``python -m planner worker``) and the dashboard (``streamlit run server.py``
   on 127.0.0.1) start beside each other; Ctrl-C or SIGTERM stops all of them.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

from planner.commands.store_options import add_database_option, open_store, settings_of
from planner.store import insight, migrate, seed
from planner.store.access import find_team
from planner.store.datasets import dataset_config, latest_dataset
from planner.store.settings import StoreSettings
from planner.store.signin import (
    DEFAULT_SECRETS,
    DEMO_USERS,
    StartRefused,
    check_dashboard_address,
    ensure_local_sign_in,
)

ROOT = Path(__file__).resolve().parents[2]
SECRETS = ROOT / DEFAULT_SECRETS
"""Beside server.py: where Streamlit reads the script's secrets, wherever the command runs."""
TEAM = "demo"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_database_option(parser)
    parser.add_argument("--data", type=Path, default=ROOT / "data", help="seed data (data/)")
    parser.add_argument("--address", default="127.0.0.1", help="listen address (127.0.0.1)")
    parser.add_argument("--port", type=int, default=8501, help="dashboard port (8501)")
    parser.add_argument("--seed-weeks", type=int, default=1, help="first roster's weeks (1)")
    parser.add_argument(
        "--seed-time-limit", type=float, default=20.0, help="first solve's limit (20 s)"
    )
    parser.add_argument("--no-seed", action="store_true", help="queue no first roster")


def run(args: argparse.Namespace) -> int:
    settings = settings_of(args)
    try:
        check_dashboard_address(args.address, SECRETS)
    except StartRefused as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    _prepare_database(settings, args.data)
    return _serve(args, settings)


def _cli(*argv: str, settings: StoreSettings) -> None:
    env = dict(os.environ, PLANNER_DATABASE_URL=settings.database_url)
    subprocess.run([sys.executable, "-m", "planner", *argv], check=True, env=env, cwd=ROOT)


def _prepare_database(settings: StoreSettings, data: Path) -> None:
    """Create, migrate and seed the database when needed (idempotent)."""
    store = open_store(settings)
    try:
        migrate.upgrade(store)
        with store.read() as session:
            team = find_team(session, TEAM)
    finally:
        store.dispose()
    if team is None:
        _cli("db", "seed", str(data), "--team", TEAM, "--demo-users", settings=settings)


def _queue_seed(settings: StoreSettings, args: argparse.Namespace) -> seed.SeedRuns | None:
    store = open_store(settings)
    try:
        with store.read() as session:
            team = find_team(session, TEAM)
            row = None if team is None else latest_dataset(session, team.id)
            week_starts = "Sun" if row is None else dataset_config(session, row.id).site.week_starts
        start = insight.next_week_start(date.today(), week_starts)
        return seed.queue_seed(store, TEAM, start, args.seed_weeks, args.seed_time_limit)
    finally:
        store.dispose()


def _publish_later(settings: StoreSettings, run_id: int, stop: threading.Event) -> None:
    store = open_store(settings)
    try:
        print(seed.publish_when_done(store, run_id, stop=stop.is_set), flush=True)
    finally:
        store.dispose()


def _start(command: list[str], settings: StoreSettings) -> subprocess.Popen[bytes]:
    env = dict(os.environ, PLANNER_DATABASE_URL=settings.database_url)
    return subprocess.Popen(command, cwd=ROOT, env=env)


def _serve(args: argparse.Namespace, settings: StoreSettings) -> int:
    app_url = f"http://localhost:{args.port}"
    stop = threading.Event()
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    children: list[subprocess.Popen[bytes]] = []
    provider = None
    try:
        provider = ensure_local_sign_in(SECRETS, app_url)
        if provider is not None:
            print("local sign-in: type one of these on the sign-in page:", flush=True)
            for user in DEMO_USERS:
                print(f"  {user.sub:8} {user.email} ({user.role})", flush=True)
        children.append(_start([sys.executable, "-m", "planner", "worker"], settings))
        seeded = None if args.no_seed else _queue_seed(settings, args)
        if seeded is not None:
            threading.Thread(
                target=_publish_later, args=(settings, seeded.solve_id, stop), daemon=True
            ).start()
        children.append(_start(_streamlit_command(args), settings))
        print(f"dashboard on {app_url} (Ctrl-C stops it)", flush=True)
        while all(c.poll() is None for c in children):
            time.sleep(0.5)
        return 1
    except KeyboardInterrupt:
        return 0
    except StartRefused as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    finally:
        stop.set()
        _stop_all(children)
        if provider is not None:
            provider.stop()


def _streamlit_command(args: argparse.Namespace) -> list[str]:
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(ROOT / "server.py"),
        "--server.headless",
        "true",
        "--server.address",
        args.address,
        "--server.port",
        str(args.port),
        "--browser.gatherUsageStats",
        "false",
    ]


def _stop_all(children: list[subprocess.Popen[bytes]]) -> None:
    for child in reversed(children):
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
    for child in reversed(children):
        try:
            child.wait(30)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait(10)
