"""What ``make run`` serves: the dashboard (``app.py``) and, beside it on the same server, each
agent's calendar subscription at ``/feed/<token>.ics`` (the token is the agent's secret; a
token nobody holds is 404). ``streamlit run server.py --server.address 127.0.0.1``."""

from __future__ import annotations

import logging
import sys
import threading
from functools import cache
from pathlib import Path

import streamlit as st
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from planner.store import service
from planner.store.db import Store
from planner.store.settings import read_settings
from planner.store.signin import StartRefused, check_dashboard_address

log = logging.getLogger("planner.dashboard")


def _refuse_beyond_loopback() -> None:
    """Never serve beyond this machine with only the local demo sign-in: the check of
    ``python -m planner dashboard``, made here too for a plain ``streamlit run server.py``
    (against every secrets file Streamlit reads: ``secrets.files``)."""
    files = [Path(f).expanduser() for f in st.get_option("secrets.files") or []]
    try:
        check_dashboard_address(st.get_option("server.address"), files)
    except StartRefused as error:
        print(f"error: {error}", file=sys.stderr, flush=True)
        raise SystemExit(2) from None


_refuse_beyond_loopback()


@cache
def _store() -> Store:
    settings = read_settings()
    return Store(settings.database_url, busy_timeout_seconds=settings.busy_timeout_seconds)


def feed(request: Request) -> Response:
    """An agent's published shifts as a calendar feed (sync: Starlette runs it on a thread)."""
    token = str(request.path_params.get("token", ""))
    try:
        body = service.feed_calendar(_store(), token)
    except service.NotFound:
        return PlainTextResponse("No calendar behind this address.", status_code=404)
    except service.AccessDenied as error:
        return PlainTextResponse(str(error), status_code=403)
    except Exception:
        log.exception("calendar feed failed")
        return PlainTextResponse("The calendar cannot be read now; try again later.", 503)
    return Response(
        body,
        media_type="text/calendar; charset=utf-8",
        headers={"Cache-Control": "private, max-age=300"},
    )


def _hide(error: Exception) -> bool:
    """Any error a page did not turn into a message: logged here, never shown as a traceback."""
    log.error("dashboard script failed", exc_info=error)
    return False


def _warm_up() -> None:
    """What the first page of the first visitor would otherwise wait for: the figures' code
    and the newest data set of each team, parsed (a thread: the server answers meanwhile; a
    page that needs one of these before it is ready simply computes it)."""
    try:
        from planner.views import charts  # noqa: PLC0415 - in the thread, not at start

        charts.warm_up()
        service.warm_up(_store())
    except Exception:  # a warm-up that fails costs speed only: the pages compute on demand
        log.warning("warm-up failed", exc_info=True)


threading.Thread(target=_warm_up, name="planner-warm-up", daemon=True).start()

app = st.App("app.py", routes=[Route("/feed/{token}.ics", feed)], on_script_error=_hide)
