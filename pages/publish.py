"""Publish a roster (manager): the diff against the roster in force first, then the button;
exports of the published roster (CSV, Excel, an agent's .ics)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from pages.common import Card, actor, cards, guarded, local_time, pick_run, store
from planner.store import service


def diff_rows(diff: dict[str, object]) -> pd.DataFrame:
    """One row per changed shift: agent, change, date, was, now (agents' local times)."""
    rows = []
    agents = diff.get("agents") or {}
    assert isinstance(agents, dict)
    for agent, kinds in sorted(agents.items()):
        for item in kinds.get("added", []):
            rows.append([agent, "added", item["date"], "", f"{item['start']} to {item['end']}"])
        for item in kinds.get("removed", []):
            rows.append([agent, "removed", item["date"], f"{item['start']} to {item['end']}", ""])
        for item in kinds.get("moved", []):
            was = f"{item['from']['start']} to {item['from']['end']}"
            rows.append(
                [agent, "moved", item["date"], was, f"{item['to']['start']} to {item['to']['end']}"]
            )
    return pd.DataFrame(rows, columns=["agent", "change", "date", "was", "now"])


def publish_section() -> None:
    who = actor()
    runs = [
        r
        for r in service.list_runs(store(), who)
        if r.kind == "solve" and r.status in ("done", "cancelled") and r.check_ok
    ]
    run = pick_run(runs, "publish_pick", "Roster to publish")
    if run is None:
        st.info("No roster the independent check accepted yet: generate one first.")
        return
    diff = service.publish_preview(store(), who, run.id)
    counts = diff["counts"]
    st.subheader("What changes against the roster in force")
    cards([Card(f"Shifts {k}", str(counts[k])) for k in ("added", "removed", "moved")])
    table = diff_rows(diff)
    if len(table):
        st.dataframe(table, hide_index=True, width="stretch", height=260)
    else:
        st.write("No change against the roster in force.")
    with st.form("publish"):
        reason = st.text_input(
            "Override reason (only needed for changes inside the freeze window; audited)",
            key="override",
        )
        go = st.form_submit_button(f"Publish run {run.id}", type="primary")
    if go:
        version = service.publish_run(store(), who, run.id, reason.strip() or None)
        st.success(
            f"Published as version {version.version} at "
            f"{local_time(version.published_at, 'UTC')}. Agents see it now."
        )


def exports_section() -> None:
    who = actor()
    st.subheader("Exports of the roster in force")
    versions = service.list_versions(store(), who)
    if not versions:
        st.write("Nothing published yet.")
        return
    latest = versions[0]
    st.caption(
        f"Version {latest.version}, published by {latest.published_by or 'the seed'} "
        f"at {local_time(latest.published_at, 'UTC')}."
    )
    cols = st.columns(3)
    # Each file is made when its button is clicked (the service checks the user then), not
    # on every visit of the page: the workbook alone takes about a second.
    shared = store()
    cols[0].download_button(
        "roster.csv",
        lambda: service.export_roster_csv(shared, who),
        file_name="roster.csv",
        mime="text/csv",
    )
    cols[1].download_button(
        "Excel workbook",
        lambda: service.export_roster_xlsx(shared, who),
        file_name="roster.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    agents = [a.agent_id for a in service.team_agents(store(), who)]
    agent = cols[2].selectbox("Agent's calendar", agents, key="ics_agent")
    if agent:
        cols[2].download_button(
            f"{agent}.ics",
            lambda: service.export_calendar(shared, who, agent),
            file_name=f"shifts-{agent}.ics",
            mime="text/calendar",
        )


st.title("Publish")
with guarded():
    publish_section()
with guarded():
    exports_section()
