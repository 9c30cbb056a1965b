"""What-if scenarios (team lead, manager): compare two to four runs side by side (first: what
the page is opened for); start a new scenario from the team's current baseline, changing
volume, AHT, service target, shrinkage, headcount (add agents by state, contract and skills;
remove named agents), max consecutive days, the minimum staff per channel or the search budget,
and run it as a queued solve with progress; rename or delete scenarios."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from pages.common import POLL_SECONDS, Card, actor, cards, chart, guarded, run_label, store
from planner.store import service
from planner.views import charts

CREATED = "scenario_created"
"""Session key of the message a new scenario leaves for the page's next run."""

MEASURES = {
    "required staff-hours": "staff-hours",
    "scheduled paid hours": "paid hours",
    "under-staffed staff-hours": "staff-hours",
    "overtime hours": "hours",
    "headcount": "agents",
    "fairness spread (max-min shifts)": "shifts",
}


def baseline() -> service.RunView | None:
    """The run behind the roster in force (the team's current baseline), if any."""
    who = actor()
    versions = service.list_versions(store(), who)
    return service.get_run(store(), who, versions[0].run_id) if versions else None


def create_form(base: service.RunView | None) -> None:
    """The new scenario's form, folded away once the team has scenarios to compare (the
    comparison comes first on the page: what a lead opens it for)."""
    who = actor()
    if base is None:
        st.subheader("New scenario")
        st.info("Nothing is published yet: scenarios start from the published roster.")
        return
    first = not service.list_scenarios(store(), who)
    with st.expander("New scenario", expanded=first, icon=":material/add:"):
        scenario_form(base)


def scenario_form(base: service.RunView) -> None:
    who = actor()
    st.caption(
        f"Starts from the baseline: run {base.id}, {base.start} for {base.weeks} week(s). "
        "Leave a value at 0 or blank to keep the baseline's."
    )
    with st.form("scenario"):
        name = st.text_input("Name", key="scenario_name")
        cols = st.columns(3)
        volume = cols[0].number_input("Volume change (%)", -90, 300, 0, step=5, key="volume")
        aht = cols[1].number_input("AHT change (%)", -90, 300, 0, step=5, key="aht")
        limit = cols[2].number_input("Time limit (s)", 5, 3600, 30, step=5, key="sc_limit")
        left, right = st.columns(2)
        target = left.number_input("Service target (%; 0 = as configured)", 0, 99, 0, key="target")
        shrink = right.number_input("Shrinkage (%; 0 = as configured)", 0, 90, 0, key="shrinkage")
        people = headcount_inputs()
        go = st.form_submit_button("Create and run", type="primary")
    if go:
        overrides: dict[str, object] = {"time_limit": float(limit), **people}
        if volume:
            overrides["staffing.volume_multiplier"] = 1 + volume / 100
        if aht:
            overrides["staffing.aht_multiplier"] = 1 + aht / 100
        if target:
            overrides["staffing.service_level_override"] = target / 100
        if shrink:
            overrides["staffing.shrinkage_override"] = shrink / 100
        scenario = service.create_scenario(store(), who, name, overrides)
        run = service.submit_run(store(), who, base.start, base.weeks, scenario_id=scenario.id)
        # Rerun: the run's progress shows at the top of the page, the message with it.
        st.session_state[CREATED] = f"Scenario {scenario.name!r} created; run {run.id} queued."
        st.rerun()


def headcount_inputs() -> dict[str, object]:
    """Headcount and rule changes, as scenario overrides (nothing when left at their defaults)."""
    agents = service.team_agents(store(), actor())
    states = sorted({a.state for a in agents})
    skills = sorted({k for a in agents for k in a.skills})
    st.markdown("**Headcount and rules**")
    cols = st.columns(4)
    added = cols[0].number_input("Add agents", 0, 200, 0, key="add_count")
    state = cols[1].selectbox("their state", states, key="add_state")
    contract = cols[2].selectbox("contract", ["full_time", "part_time"], key="add_contract")
    channels = cols[3].multiselect("skills", skills, skills, key="add_skills")
    left, right = st.columns([3, 1])
    removed = left.multiselect(
        "Remove agents",
        [a.agent_id for a in agents],
        format_func=lambda a: f"{a} {next(x.name for x in agents if x.agent_id == a)}",
        key="remove",
    )
    days = right.number_input("Max consecutive days (0 = as configured)", 0, 13, 0, key="days")
    changes: dict[str, object] = {}
    if added:
        changes["headcount.add"] = [
            {"count": int(added), "state": state, "contract": contract, "skills": channels}
        ]
    if removed:
        changes["headcount.remove"] = list(removed)
    if days:
        changes["rules.max_consecutive_days"] = int(days)
    floors = min_staff_inputs()
    if floors:
        changes["rules.min_staff"] = floors
    return changes


def min_staff_inputs() -> dict[str, int]:
    """The minimum staff per channel a scenario changes (a blank box keeps the configured
    floor; 0 turns a floor off)."""
    channels = service.team_channels(store(), actor())
    st.caption(
        "Minimum staff per channel: agents with the skill on shift in every open interval, "
        "whatever the forecast (blank: as configured)."
    )
    cols = st.columns(max(1, len(channels)))
    floors: dict[str, int] = {}
    for col, channel in zip(cols, channels, strict=False):
        value = col.number_input(
            f"Min staff: {channel.name} (now {channel.min_staff})",
            min_value=0,
            max_value=500,
            value=None,
            step=1,
            placeholder="as configured",
            key=f"min_staff_{channel.name}",
        )
        if value is not None:
            floors[channel.name] = int(value)
    return floors


def scenario_runs() -> list[service.RunView]:
    return [r for r in service.list_runs(store(), actor()) if r.kind == "solve"]


def progress() -> None:
    """The scenario runs still queued or running, refreshed until they finish."""
    pending = [r for r in scenario_runs() if not r.finished and r.scenario_id is not None]
    if not pending:
        return

    @st.fragment(run_every=POLL_SECONDS)
    def live() -> None:
        with guarded():
            runs = {r.id: r for r in scenario_runs()}
            if all(runs[r.id].finished for r in pending if r.id in runs):
                st.rerun(scope="app")
            st.subheader("Running")
            for r in pending:
                now = runs.get(r.id, r)
                events = service.run_events(store(), actor(), r.id)
                last = events[-1].phase if events else "waiting for a worker"
                st.write(f"{run_label(now)}: {last}")

    live()


def manage() -> None:
    who = actor()
    items = service.list_scenarios(store(), who)
    if not items:
        return
    st.subheader("Scenarios")
    table = pd.DataFrame(
        [
            {
                "id": s.id,
                "name": s.name,
                "changes": ", ".join(f"{k}={v}" for k, v in s.overrides.items()),
            }
            for s in items
        ]
    )
    st.dataframe(table, hide_index=True, width="stretch")
    with st.expander("Rename or delete a scenario"):
        chosen = st.selectbox("Scenario", items, format_func=lambda s: s.name, key="manage_pick")
        new_name = st.text_input("New name", key="new_name")
        cols = st.columns(2)
        if cols[0].button("Rename", key="rename") and chosen is not None:
            service.rename_scenario(store(), who, chosen.id, new_name)
            st.rerun()
        if cols[1].button("Delete", key="delete") and chosen is not None:
            service.delete_scenario(store(), who, chosen.id)
            st.rerun()


def headline(table: pd.DataFrame) -> None:
    """Each compared run's under-staffed staff-hours against the first's (cards paint before
    the table and the charts)."""
    under = table["under-staffed staff-hours"]
    first = str(table.index[0])
    cards(
        [
            Card(
                f"{name}: under-staffed",
                f"{hours:,.1f} staff-h",
                "" if name == first else f"{hours - under.iloc[0]:+,.1f} vs {first}",
            )
            for name, hours in under.items()
        ]
    )


def compare(base: service.RunView | None) -> None:
    runs = [r for r in scenario_runs() if r.finished and r.report and r.report.get("shifts")]
    st.subheader("Compare")
    if len(runs) < 2:
        st.info("Compare needs two finished runs: the baseline and a scenario.")
        return
    default = [r for r in runs if r.scenario_id is not None][:3]
    if base is not None:
        default = [r for r in runs if r.id == base.id] + default
    chosen = st.multiselect(
        "Runs (two to four)",
        runs,
        default[:4],
        format_func=run_label,
        max_selections=4,
        key="compare_pick",
    )
    if len(chosen) < 2:
        st.info("Pick at least two runs.")
        return
    view = service.compare_runs(store(), actor(), [r.id for r in chosen])
    headline(view.table)
    st.dataframe(view.table, width="stretch")
    responses = {c: "open hours" for c in view.table.columns if "response" in str(c)}
    chart(lambda: charts.comparison_bars(view.table, {**MEASURES, **responses}), key="bars")
    channel = st.radio("Channel", list(view.daily), horizontal=True, key="compare_channel")
    if channel is not None:  # one channel at a time: each chart drawn costs the browser
        chart(
            lambda: charts.comparison_chart(
                view.daily[channel],
                f"Projected service level by day: {channel}",
                "service level %",
                view.zone,
            ),
            key=f"daily_{channel}",
        )
    st.caption("Fairness: the team's mean shifts of each kind per agent.")
    st.dataframe(pd.DataFrame(view.fairness).T, width="stretch")


st.title("Scenarios")
if CREATED in st.session_state:
    st.success(st.session_state.pop(CREATED))
with guarded():
    progress()
with guarded():
    compare(baseline())
with guarded():
    create_form(baseline())
with guarded():
    manage()
