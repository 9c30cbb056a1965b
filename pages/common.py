"""What every page shares: the store, the signed-in user, errors shown as plain words.

Pages are thin: they call :mod:`planner.store.service` (which checks every role) and render
:mod:`planner.views.charts`; no business rule lives here.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from planner.data.problems import InputError
from planner.store import service
from planner.store.db import Store
from planner.store.settings import read_settings

log = logging.getLogger("planner.dashboard")

ACTOR = "actor"
"""Session key of the signed-in :class:`~planner.store.access.Actor` (set by app.py)."""

POLL_SECONDS = 2.0
"""How often a page showing a run in progress reads its new events."""


@st.cache_resource(show_spinner=False)
def _store(url: str) -> Store:
    return Store(url)


def store() -> Store:
    """The shared store (one engine per database URL for the whole server)."""
    return _store(read_settings().database_url)


def actor() -> service.Actor:
    """The signed-in user (app.py signed them in before any page runs)."""
    who = st.session_state.get(ACTOR)
    if not isinstance(who, service.Actor):
        st.error("You are not signed in: reload the page and sign in.")
        st.stop()
    return who


def problems_table(error: InputError) -> pd.DataFrame:
    """Every problem of bad input as rows: file, row, column, rule."""
    return pd.DataFrame(
        [
            {
                "file": p.file,
                "row": "" if p.row is None else str(p.row),
                "column": p.column or "",
                "rule": p.rule,
                "severity": p.severity,
            }
            for p in error.problems
        ]
    )


@contextmanager
def guarded() -> Iterator[None]:
    """Turn every error of a page into a plain message that says what to do; the traceback
    goes to the server's log, never to the browser."""
    try:
        yield
    except service.AccessDenied as error:
        st.error(str(error))
    except service.NotFound as error:
        st.error(f"{error}. Pick another one, or reload the page.")
    except service.Refused as error:
        st.warning(str(error))
    except InputError as error:
        st.error("The input has problems; nothing was saved. Fix them and try again:")
        st.dataframe(problems_table(error), hide_index=True, width="stretch")
    except Exception:
        log.exception("dashboard page failed")
        st.error(
            "Something went wrong on this page. Reload it and try again; if it keeps "
            "happening, tell whoever runs the planner (the details are in the server's log)."
        )


def local_time(instant: datetime | None, zone: str, fmt: str = "%a %Y-%m-%d %H:%M") -> str:
    """An instant as clock time in ``zone``, with the zone's abbreviation."""
    if instant is None:
        return ""
    local = instant.astimezone(ZoneInfo(zone))
    return f"{local.strftime(fmt)} {local.tzname()}"


def run_label(run: service.RunView) -> str:
    """How a run reads in a picker."""
    name = (run.inputs.get("scenario") or {}).get("name", "baseline")
    return f"#{run.id} {run.kind} {run.start} ({run.weeks} wk) {name}: {run.status}" + (
        f", objective {run.objective:,}" if run.objective is not None else ""
    )


def pick_run(runs: list[service.RunView], key: str, label: str = "Run") -> service.RunView | None:
    """A run picker that remembers the choice in the URL (``?run=ID``), so a reload shows
    the same run; the newest run when the URL names none of these."""
    if not runs:
        return None
    ids = [r.id for r in runs]
    wanted = st.query_params.get("run")
    index = ids.index(int(wanted)) if wanted and wanted.isdigit() and int(wanted) in ids else 0
    chosen = st.selectbox(label, runs, index=index, format_func=run_label, key=key)
    if chosen is not None:
        st.query_params["run"] = str(chosen.id)
    return chosen
