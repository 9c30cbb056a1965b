"""Run long work on a worker thread so that Ctrl-C cancels it instead of killing it."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def run_cancellable(work: Callable[[], T], cancel: threading.Event) -> T:
    """Run ``work`` on a worker thread; a Ctrl-C on this thread only sets ``cancel``.

    The work is expected to watch ``cancel``, stop and return its best result. Waiting is on
    an Event, not on ``Thread.join``, because an interrupted join may return before the
    thread ends. An exception in the work is re-raised here.
    """
    done = threading.Event()
    outcome: list[T] = []
    failure: list[BaseException] = []

    def target() -> None:
        try:
            outcome.append(work())
        except BaseException as error:  # noqa: BLE001 - re-raised on the calling thread
            failure.append(error)
        finally:
            done.set()

    threading.Thread(target=target, name="work", daemon=True).start()
    try:
        while not done.wait(0.2):
            pass
    except KeyboardInterrupt:
        print("cancel requested: keeping the best roster found so far", flush=True)
        cancel.set()
        while not done.wait(0.2):
            pass
    if failure:
        raise failure[0]
    return outcome[0]
