"""Generate a roster: pick the horizon and the time limit, queue the solve, follow it live.

The solve runs in the worker beside the server, never here; this page reads the run's progress
events from the database every couple of seconds, so a reload (or another browser) shows the
same run, and the page stays responsive. Cancel keeps the best roster found so far.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from pages.common import (
    POLL_SECONDS,
    Card,
    actor,
    cards,
    chart,
    guarded,
    local_time,
    pick_run,
    store,
)
from planner.store import service
from planner.views import charts


def new_run_form() -> None:
    who = actor()
    with st.form("new_run"):
        st.subheader("New roster")
        cols = st.columns(3)
        start = cols[0].date_input("First day", service.next_start(store(), who), key="start")
        weeks = cols[1].number_input("Weeks", 1, service.MAX_WEEKS, 1, key="weeks")
        limit = cols[2].number_input("Time limit (seconds)", 5, 3600, 60, step=5, key="time_limit")
        go = st.form_submit_button("Generate roster", type="primary")
    if go:
        run = service.submit_run(
            store(), who, start, int(weeks), overrides={"time_limit": float(limit)}
        )
        st.query_params["run"] = str(run.id)
        st.session_state.pop("run_pick", None)
        st.rerun()


def event_rows(events: list[service.EventView]) -> list[dict[str, object]]:
    return [
        {"elapsed": e.elapsed, "objective": e.objective, "bound": e.bound, "phase": e.phase}
        for e in events
    ]


def show_progress(run: service.RunView) -> None:
    """Where the run is: status, phase, objective and bound over time, under-staffed hours."""
    who = actor()
    events = service.run_events(store(), who, run.id)
    last = next((e for e in reversed(events) if e.objective is not None), None)
    phase = (
        events[-1].phase if events else ("waiting for a worker" if run.status == "queued" else "")
    )
    under = last.under_staffed_hours if last else None
    cards(
        [
            Card("Status", run.status),
            Card("Elapsed (s)", f"{last.elapsed:.0f}" if last and last.elapsed else "-"),
            Card("Objective", f"{last.objective:,}" if last and last.objective else "-"),
            Card("Bound", f"{last.bound:,.0f}" if last and last.bound is not None else "-"),
            Card("Under-staffed (staff-h)", f"{under:,.1f}" if under is not None else "-"),
        ]
    )
    st.caption(f"Phase: {phase or '-'}")
    if any(e.objective is not None for e in events):
        chart(lambda: charts.progress_chart(event_rows(events)), key=f"progress_{run.id}")


def follow(run_id: int) -> None:
    """Live while the run is queued or running; a full rerun once it finishes."""

    @st.fragment(run_every=POLL_SECONDS)
    def live() -> None:
        with guarded():  # a fragment reruns alone: it needs its own guard
            run = service.get_run(store(), actor(), run_id)
            if run.finished:
                st.rerun(scope="app")
            show_progress(run)
            if st.button("Cancel (keeps the best roster found)", key=f"cancel_{run_id}"):
                service.cancel_run(store(), actor(), run_id)
                st.toast(f"Asked run {run_id} to stop")

    live()


def finished(run: service.RunView) -> None:
    show_progress(run)
    if run.status == "done" and run.check_ok:
        st.success(f"Run {run.id}: {run.message}. The independent check accepted the roster.")
        st.page_link("pages/review.py", label="Review this roster", icon=":material/insights:")
    elif run.status == "cancelled" and run.check_ok:
        st.info(f"Run {run.id}: {run.message}.")
        st.page_link("pages/review.py", label="Review this roster", icon=":material/insights:")
    elif run.check_ok is False:
        st.error(f"Run {run.id}: {run.message}. Do not publish it; see Review for the details.")
    else:
        st.error(f"Run {run.id} has no roster: {run.status}.")
        rows = service.explanation(run)
        if rows:
            st.write("Why: the hard rules that cannot all hold, by agent and rule.")
            st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
        else:
            st.write(run.message)
        st.caption(
            "Change the data (availability, time off, shift lengths) or the rules, then run again."
        )


def runs_section() -> None:
    """The chosen run (default: the newest) and where it is, first: what the page is opened
    to follow, and cards paint before the form's widgets."""
    who = actor()
    runs = [r for r in service.list_runs(store(), who) if r.kind == "solve"]
    run = pick_run(runs, "run_pick")
    if run is None:
        st.info("No solve yet: generate the first roster below.")
        return
    st.caption(
        f"Queued by {run.created_by or 'the seed'} at {local_time(run.created_at, 'UTC')}; "
        f"horizon {run.start} for {run.weeks} week(s)."
    )
    if run.finished:
        finished(run)
    else:
        follow(run.id)


def main() -> None:
    st.title("Generate a roster")
    runs_section()
    new_run_form()


with guarded():
    main()
