"""``python -m planner worker [--processes N] [--once] [--poll-seconds S]``: execute queued runs.

Runs beside the dashboard; each run executes in its own process, at most ``--processes`` at
once (default ``[store] run_workers`` of planner.toml: half the cores, 1 on 2 cores). On start
it marks failed the runs a killed worker left running. ``--once`` stops when the queue is empty
and nothing runs (for scripts and tests). Ctrl-C or SIGTERM: running runs are asked to cancel
(they keep their best roster), then stopped.
"""

from __future__ import annotations

import argparse
import dataclasses
import signal
import threading
from types import FrameType

from planner.commands.store_options import add_database_option, guarded, ready_store, settings_of
from planner.store.executor import LocalProcessPool
from planner.store.settings import StoreSettings
from planner.store.worker import Worker


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_database_option(parser)
    parser.add_argument("--processes", type=int, help="runs at once (default: run_workers)")
    parser.add_argument("--once", action="store_true", help="stop when the queue is empty")
    parser.add_argument("--poll-seconds", type=float, default=0.5, help="queue poll (0.5 s)")


def run(args: argparse.Namespace) -> int:
    settings = settings_of(args)
    return guarded(lambda: _work(args, settings))


def _work(args: argparse.Namespace, settings: StoreSettings) -> int:
    from planner.store.access import Refused  # noqa: PLC0415 - only for the option check

    if args.processes is not None:
        if args.processes < 1:
            raise Refused(f"--processes {args.processes} must be 1 or more")
        settings = dataclasses.replace(settings, run_workers=args.processes)
    if not args.poll_seconds > 0:
        raise Refused(f"--poll-seconds {args.poll_seconds} must be more than 0")
    store = ready_store(settings)
    stop = threading.Event()

    def on_signal(_number: int, _frame: FrameType | None) -> None:
        stop.set()

    previous = signal.signal(signal.SIGTERM, on_signal)
    worker = Worker(store, settings, LocalProcessPool(settings.run_workers), say=_say)
    _say(f"worker: {settings.run_workers} process(es) on {store!r}")
    try:
        stats = worker.run(once=args.once, poll_seconds=args.poll_seconds, stop=stop)
    except KeyboardInterrupt:
        worker.shutdown()
        stats = worker.stats
    finally:
        signal.signal(signal.SIGTERM, previous)
        store.dispose()
    _say(
        f"worker: started {len(stats.started)} run(s); marked failed {len(stats.recovered)} "
        f"left by a stopped worker and {len(stats.died)} whose process died; "
        f"timed out {len(stats.timed_out)}"
    )
    return 0


def _say(line: str) -> None:
    print(line, flush=True)
