"""Review a roster: KPI cards, coverage (needed vs present, gaps in red), projected service
level against the target, email response, the roster by agent, fairness, the objective term by
term with its bounds, and the independent check's verdict."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from pages.common import Card, actor, cards, chart, guarded, pick_run, store
from planner.domain import Roster
from planner.store import service
from planner.views import charts

GANTT_AGENTS = 20
"""Agents drawn in the roster chart at first (more on demand: the chart grows per agent)."""


def kpi_cards(run: service.RunView) -> None:
    """The run's own figures: drawn before anything is computed for the charts."""
    kpis = (run.report or {}).get("kpis") or {}
    verdict = "passed" if run.check_ok else ("FAILED" if run.check_ok is False else "not run")
    cards(
        [
            Card("Objective", f"{run.objective:,}" if run.objective is not None else "-"),
            Card("Gap to bound", f"{100 * run.gap:.1f}%" if run.gap is not None else "-"),
            Card("Overtime (h)", f"{float(kpis.get('overtime_hours') or 0):,.1f}"),
            Card("Independent check", verdict),
        ]
    )


def channel_cards(view: service.ReviewView) -> None:
    """Per channel: the projected service level against its target, what was covered."""
    kpis = (view.run.report or {}).get("kpis") or {}
    channels = kpis.get("channels") or {}
    for col, (name, values) in zip(
        st.columns(max(1, len(channels))), channels.items(), strict=False
    ):
        level = values.get("service_level")
        covered = values.get("covered_pct")
        col.metric(
            f"{name}: projected service level",
            f"{100 * level:.1f}%" if level is not None else "-",
            f"target {100 * view.targets.get(name, 0):.0f}%",
            delta_color="off",
            delta_arrow="off",
        )
        col.caption(
            f"covered {covered:.1f}% of {values.get('needed_staff_hours', 0):,.1f} staff-h needed; "
            f"under-staffed {values.get('under_staff_hours', 0):,.1f} staff-h"
            if covered is not None
            else "nothing needed"
        )


def channel_view(view: service.ReviewView) -> None:
    """Coverage and service level of one channel at a time (drawing all at once is slow)."""
    channel = st.radio("Channel", list(view.channels), horizontal=True, key="channel")
    if channel is None:
        return
    chart(lambda: charts.coverage_heatmap(view.intervals, channel, view.zone), f"cov_{channel}")
    chart(
        lambda: charts.service_level_chart(
            view.intervals, channel, view.targets.get(channel, 0.8), view.zone
        ),
        key=f"sl_{channel}",
    )
    if view.kinds.get(channel) == "deferred":
        response_cards(view, channel)
        st.caption(
            "Email: the service level is the share of emails answered within the channel's "
            "response time (config `channels.email.response_hours`)."
        )
        chart(
            lambda: charts.comparison_chart(
                {"answered in time": view.daily_levels.get(channel, pd.Series())},
                "Email response: share answered in time per day, %",
                "% answered within the response time",
                view.zone,
            ),
            key=f"resp_{channel}",
        )


def _hours(value: object) -> str:
    return f"{float(value):,.1f} h" if isinstance(value, int | float) else "-"


def response_cards(view: service.ReviewView, channel: str) -> None:
    """A deferred channel's response times: mean and 90th percentile, in the hours the team
    is open (the clock of its response target) and on the wall clock."""
    kpis = (view.run.report or {}).get("kpis") or {}
    response = ((kpis.get("channels") or {}).get(channel) or {}).get("response") or {}
    cols = st.columns(5)
    cols[0].metric(
        f"{channel}: mean response (open hours)", _hours(response.get("mean_open_hours"))
    )
    cols[1].metric("90th percentile (open hours)", _hours(response.get("p90_open_hours")))
    cols[2].metric("mean response (wall clock)", _hours(response.get("mean_hours")))
    cols[3].metric("90th percentile (wall clock)", _hours(response.get("p90_hours")))
    cols[4].metric("still waiting at the end", f"{float(response.get('unanswered') or 0):,.0f}")
    st.caption(
        "Each email is taken to arrive mid-interval and to be answered at the end of the "
        "interval in which the team reaches it; open hours stop while the team is closed."
    )


def gantt(view: service.ReviewView) -> None:
    st.subheader("Roster by agent")
    agents = sorted({s.agent_id for s in view.roster.shifts})
    cols = st.columns([2, 3])
    where = cols[0].radio(
        "Times in", ["each agent's own time zone", f"business time ({view.zone})"], key="tz"
    )
    chosen = cols[1].multiselect("Agents", agents, agents[:GANTT_AGENTS], key="gantt_agents")
    part = Roster(
        tuple(s for s in view.roster.shifts if s.agent_id in chosen),
        tuple(b for b in view.roster.breaks if b.agent_id in chosen),
    )
    zone = None if where.startswith("each") else view.zone
    chart(lambda: charts.roster_gantt(part, zone), key="gantt")


def fairness(view: service.ReviewView) -> None:
    st.subheader("Fairness")
    st.caption(
        "Evening shifts (ending late in the evening), closers (ending past midnight), weekend "
        "and holiday shifts per agent in this horizon, each by the agent's own local dates and "
        "times; the dashed lines are the team's mean: "
        + ", ".join(f"{k} {v:.1f}" for k, v in view.team_rate.items())
    )
    chart(
        lambda: charts.fairness_chart(view.counts, ("evening", "closer", "weekend", "holiday")),
        key="fairness",
    )


def objective(view: service.ReviewView) -> None:
    st.subheader("The objective, term by term")
    terms = (view.run.report or {}).get("terms") or {}
    chart(lambda: charts.objective_chart(terms), key="objective")
    table = pd.DataFrame(terms).T
    st.dataframe(table, width="stretch")
    check = view.run.check or {}
    if check.get("ok"):
        agrees = "agrees" if check.get("agrees_with_solver") else "DISAGREES"
        st.success(
            f"Independent check: no hard rule broken; its objective {check.get('objective'):,} "
            f"{agrees} with the solver's."
        )
    elif check:
        st.error(f"Independent check: {len(check.get('violations', []))} violation(s).")
        st.dataframe(pd.DataFrame({"violation": check.get("violations", [])}), hide_index=True)


def main() -> None:
    who = actor()
    st.title("Review a roster")
    runs = [
        r
        for r in service.list_runs(store(), who)
        if r.kind == "solve" and r.finished and r.report and r.report.get("shifts")
    ]
    run = pick_run(runs, "review_pick")
    if run is None:
        st.info("No roster to review yet: generate one first.")
        st.page_link("pages/generate.py", label="Generate", icon=":material/play_circle:")
        return
    kpi_cards(run)
    with st.spinner("Computing coverage..."):
        view = service.run_review(store(), who, run.id)
    channel_cards(view)
    channel_view(view)
    gantt(view)
    fairness(view)
    objective(view)


with guarded():
    main()
