"""What every page shares: the store, the signed-in user, errors shown as plain words.

Pages are thin: they call :mod:`planner.store.service` (which checks every role) and render
:mod:`planner.views.charts`; no business rule lives here.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from planner.data.problems import InputError
from planner.store import service
from planner.store.db import Store
from planner.store.settings import read_settings

if TYPE_CHECKING:
    import plotly.graph_objects as go

log = logging.getLogger("planner.dashboard")

ACTOR = "actor"
"""Session key of the signed-in :class:`~planner.store.access.Actor` (set by app.py)."""

POLL_SECONDS = 2.0
"""How often a page showing a run in progress reads its new events."""

CHARTS_ON = "charts_on"
"""Session key: this session's pages draw their charts (set after its first run, see
:func:`chart`)."""
CHARTS_HELD = "charts_held"
"""Session key: the run now ending held back a chart (app.py then reruns at once)."""
CHART_HELD_TEXT = "Drawing the chart..."


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


@dataclass(frozen=True)
class Card:
    """One headline figure of a page."""

    label: str
    value: str
    note: str = ""
    """A line under the value (what it is compared with)."""
    help: str = ""
    """Shown when the pointer rests on the card."""


CARD = (
    '<div class="headline-card" data-label="{label}" data-value="{value}" data-note="{note}" '
    'title="{help}" style="border:1px solid rgba(128,128,128,.35);border-radius:.5rem;'
    'padding:.5rem .75rem"><div style="font-size:.875rem;opacity:.75">{label}</div>'
    '<div style="font-size:1.75rem;line-height:1.3">{value}</div>'
    '<div style="font-size:.8rem;opacity:.75;min-height:1.1em">{note}</div></div>'
)


def cards(row: Sequence[Card]) -> None:
    """A page's headline figures, drawn first, side by side.

    Plain markdown, not ``st.metric``: Streamlit loads the metric component lazily, and on a
    browser's first visit that load queued behind the chart library's below it (plotly, a
    4.7 MB script Chromium took 1-1.6 s to compile here), so the figures a page is opened for
    appeared with the charts, 3-5 s after sign-in (README "First paint")."""
    for col, card in zip(st.columns(len(row)), row, strict=True):
        fields = {k: html.escape(getattr(card, k)) for k in ("label", "value", "note", "help")}
        col.markdown(CARD.format(**fields), unsafe_allow_html=True)


def chart(figure: Callable[[], go.Figure], key: str) -> None:
    """A plotly chart, from a session's second run on.

    On a browser's first visit Chromium compiles plotly (a 4.7 MB script) in 1-1.6 s on this
    machine, on the page's only thread; when a page's first run sent its charts with its
    cards and tables, those waited for it (3-5 s after sign-in). So a session's first run
    draws its page with a line in place of each chart, and app.py reruns it at once with the
    charts (README "First paint")."""
    if st.session_state.get(CHARTS_ON):
        st.plotly_chart(figure(), key=key)
    else:
        st.session_state[CHARTS_HELD] = True
        st.caption(CHART_HELD_TEXT)


def draw_held_charts() -> None:
    """After a page's run (app.py): if it held back charts, rerun it with them."""
    if st.session_state.pop(CHARTS_HELD, False):
        st.session_state[CHARTS_ON] = True
        st.rerun()


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
