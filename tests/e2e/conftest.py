"""The end-to-end stack: ``streamlit run server.py`` on a free loopback port, the local OpenID
provider (the demo users), a run worker, and a seeded temporary database (the sample data of
data/: 80 agents). Chromium is Debian's (TOOLCHAIN.md section 3): pytest-playwright's launch
arguments are overridden to use it. Under ``CI=true`` a missing Chromium fails the tests, never
skips them.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Playwright, sync_playwright

from planner.cli import main
from planner.store.signin import LocalProvider, local_auth_toml, start_local_provider

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
README_SHOTS = ROOT / "docs" / "screenshots"
VIEWPORT = {"width": 1280, "height": 800}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _chromium_or_fail() -> None:
    if Path(CHROMIUM).is_file():
        return
    message = f"{CHROMIUM} is missing: `make browser` installs Debian's chromium"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    _chromium_or_fail()
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": ARGS}


@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    """Playwright's driver for this module only (pytest-playwright keeps it for the session:
    a child process that later tests, which count this process's children, would see)."""
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="module")
def browser(playwright: Playwright, browser_type_launch_args: dict[str, Any]) -> Iterator[Browser]:
    launched = playwright.chromium.launch(**browser_type_launch_args)
    yield launched
    launched.close()


@pytest.fixture(scope="module")
def browser_context_args() -> dict[str, Any]:
    """Every page at 1280x800 (pytest-playwright's own reads devices from its session
    driver, which these tests replace)."""
    return {"viewport": VIEWPORT, "accept_downloads": True}


@dataclass
class Stack:
    url: str
    database_url: str
    folder: Path


def _wait_healthy(url: str, process: subprocess.Popen[bytes], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the dashboard exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                if answer.read().decode().strip() == "ok":
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.3)
    raise RuntimeError("the dashboard did not answer in time")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """Database, sign-in provider, worker and dashboard; all stopped when the module's tests
    end (not the session's: later tests count this process's children)."""
    _chromium_or_fail()
    folder = tmp_path_factory.mktemp("e2e")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    sample = ROOT / "data"
    database_url = f"sqlite:///{folder / 'planner.db'}"
    assert main(["db", "--database", database_url, "init"]) == 0
    assert main(["db", "--database", database_url, "seed", str(sample), "--demo-users"]) == 0
    port = free_port()
    url = f"http://localhost:{port}"
    provider: LocalProvider = start_local_provider(free_port())
    secrets = folder / "secrets.toml"
    secrets.write_text(local_auth_toml(provider.port, url), encoding="utf-8")
    env = dict(os.environ, PLANNER_DATABASE_URL=database_url, PYTHONPATH=str(ROOT))
    logs = (folder / "worker.log").open("wb"), (folder / "dashboard.log").open("wb")
    worker = subprocess.Popen(
        [sys.executable, "-m", "planner", "worker", "--poll-seconds", "0.3"],
        cwd=ROOT,
        env=env,
        stdout=logs[0],
        stderr=subprocess.STDOUT,
    )
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(ROOT / "server.py"),
            "--server.headless",
            "true",
            "--server.address",
            "127.0.0.1",
            "--server.port",
            str(port),
            "--browser.gatherUsageStats",
            "false",
            "--secrets.files",
            str(secrets),
        ],
        cwd=ROOT,
        env=env,
        stdout=logs[1],
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_healthy(url, server, 60)
        yield Stack(url, database_url, folder)
    finally:
        _stop(server)
        _stop(worker)
        provider.stop()
        for log in logs:
            log.close()
        for name in ("worker.log", "dashboard.log"):
            shutil.copyfile(folder / name, SCREENSHOTS.parent / name)
