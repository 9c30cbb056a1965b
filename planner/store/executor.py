"""Where runs execute: one interface, :class:`Executor`, and its local backend,
:class:`LocalProcessPool` (a bounded set of worker processes on this machine).

The worker loop (:mod:`planner.store.worker`) only talks to the interface: it hands over a
:class:`Job` (a run id and how to reach the database), learns which jobs ended, and stops a
job that overran. Everything a run does to the database is done by the job itself
(:func:`planner.store.execute.execute_run`), so a distributed backend (a queue of remote
workers) implements the same five methods and no caller changes.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import logging
import os
import signal
import subprocess
import sys
import time
from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

PR_SET_PDEATHSIG = 1


@dataclass(frozen=True)
class Job:
    """One run to execute, and how to reach the database it lives in."""

    run_id: int
    database_url: str
    heartbeat_seconds: float = 1.0
    busy_timeout_seconds: float = 10.0


@dataclass(frozen=True)
class Ended:
    """A job that is over: its process's exit code (``None`` when unknown) and id."""

    run_id: int
    exit_code: int | None
    pid: int | None


class Executor(ABC):
    """Runs jobs somewhere; the caller polls it."""

    @abstractmethod
    def free_slots(self) -> int:
        """How many more jobs may start now."""

    @abstractmethod
    def start(self, job: Job) -> None:
        """Start executing ``job`` (returns at once)."""

    @abstractmethod
    def running(self) -> set[int]:
        """Run ids of the jobs started and not yet reaped."""

    @abstractmethod
    def reap(self) -> list[Ended]:
        """The jobs that ended since the last call."""

    @abstractmethod
    def stop(self, run_id: int) -> None:
        """Stop a job at once (it overran); it is reaped like any other."""

    @abstractmethod
    def shutdown(self, wait_seconds: float = 0.0) -> None:
        """Wait up to ``wait_seconds`` for the jobs, then stop the rest."""


def die_with_parent(parent: int, signal_number: int = signal.SIGKILL) -> None:
    """Linux: have the kernel signal this process when the process that started it dies, so a
    killed worker never leaves a run executing unseen (elsewhere the run's monitor notices its
    parent is gone). Exits at once when the parent died before this line ran."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal_number)
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:
        os._exit(3)


def run_job(job: Job, parent: int) -> None:
    """The body of a run's process: execute one run."""
    die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the worker loop's to handle
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    from planner.store.db import Store  # noqa: PLC0415 - the child imports what it needs
    from planner.store.execute import execute_run  # noqa: PLC0415

    store = Store(job.database_url, busy_timeout_seconds=job.busy_timeout_seconds)
    try:
        execute_run(store, job.run_id, job.heartbeat_seconds)
    finally:
        store.dispose()


DATABASE_VARIABLE = "PLANNER_RUN_DATABASE_URL"
"""The database reaches a run's process in its environment: a URL may hold a password, which a
command line would show to every user of the machine."""


class LocalProcessPool(Executor):
    """At most ``processes`` runs at once, each in a fresh process of its own
    (``python -m planner.store.executor``): no state shared with the worker loop, a clean
    OR-Tools per run, and a run can be stopped alone."""

    def __init__(self, processes: int) -> None:
        if processes < 1:
            raise ValueError("processes must be 1 or more")
        self.processes = processes
        self._jobs: dict[int, subprocess.Popen[bytes]] = {}

    def free_slots(self) -> int:
        return self.processes - len(self._jobs)

    def start(self, job: Job) -> None:
        if job.run_id in self._jobs:
            return
        root = str(Path(__file__).resolve().parents[2])  # the folder holding planner/
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [root, env.get("PYTHONPATH")]))
        env[DATABASE_VARIABLE] = job.database_url
        self._jobs[job.run_id] = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "planner.store.executor",
                str(job.run_id),
                "--heartbeat-seconds",
                repr(job.heartbeat_seconds),
                "--busy-timeout-seconds",
                repr(job.busy_timeout_seconds),
                "--parent",
                str(os.getpid()),
            ],
            stdin=subprocess.DEVNULL,
            env=env,
            start_new_session=True,  # a Ctrl-C at the terminal is the worker's, not the run's
        )

    def running(self) -> set[int]:
        return set(self._jobs)

    def reap(self) -> list[Ended]:
        ended = []
        for run_id, process in list(self._jobs.items()):
            code = process.poll()
            if code is not None:
                ended.append(Ended(run_id, code, process.pid))
                del self._jobs[run_id]
        return ended

    def stop(self, run_id: int) -> None:
        process = self._jobs.get(run_id)
        if process is not None and process.poll() is None:
            process.kill()
            process.wait(10)

    def pid(self, run_id: int) -> int | None:
        process = self._jobs.get(run_id)
        return None if process is None else process.pid

    def shutdown(self, wait_seconds: float = 0.0) -> None:
        deadline = time.monotonic() + wait_seconds
        for process in self._jobs.values():
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(max(0.0, deadline - time.monotonic()))
        for run_id in list(self._jobs):
            self.stop(run_id)


def main(argv: list[str] | None = None) -> int:
    """``python -m planner.store.executor RUN_ID ...``: one run's process (the database URL in
    ``$PLANNER_RUN_DATABASE_URL``)."""
    parser = argparse.ArgumentParser(prog="python -m planner.store.executor")
    parser.add_argument("run_id", type=int)
    parser.add_argument("--heartbeat-seconds", type=float, default=1.0)
    parser.add_argument("--busy-timeout-seconds", type=float, default=10.0)
    parser.add_argument("--parent", type=int, required=True)
    args = parser.parse_args(argv)
    job = Job(
        args.run_id,
        os.environ[DATABASE_VARIABLE],
        args.heartbeat_seconds,
        args.busy_timeout_seconds,
    )
    run_job(job, args.parent)
    return 0


if __name__ == "__main__":
    sys.exit(main())
