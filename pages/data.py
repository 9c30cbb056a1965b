"""The team's data: upload agents, availability, time off, history (CSV, or Excel workbooks);
every problem shown as a table (file, row, column, rule) and nothing saved until all are fixed;
the current data set browsable."""

from __future__ import annotations

import io

import pandas as pd
import streamlit as st

from pages.common import Card, actor, cards, guarded, local_time, store
from planner.store import service

ACCEPTED = ["csv", "xlsx", "toml"]


def headline() -> None:
    """The data set in force at a glance (cards paint before any table): its version and
    who is in it."""
    who = actor()
    versions = service.list_datasets(store(), who)
    if not versions:
        return
    newest = versions[0]
    agents = service.team_agents(store(), who)
    states = sorted({a.state for a in agents})
    skills = sorted({k for a in agents for k in a.skills})
    cards(
        [
            Card("Data set in force", f"v{newest.version}", newest.note or ""),
            Card("Agents", str(len(agents))),
            Card("States", str(len(states)), ", ".join(states)),
            Card("Skills", str(len(skills)), help=", ".join(skills)),
        ]
    )


def upload() -> None:
    who = actor()
    st.subheader("Upload")
    st.caption(
        "Upload one or more of agents.csv, availability.csv, time_off.csv, history.csv, "
        "config.toml (or the same names as .xlsx). They replace their namesakes of the current "
        "data set; the others are kept. Files saved by Excel are fine."
    )
    with st.form("upload", clear_on_submit=False):
        files = st.file_uploader("Files", type=ACCEPTED, accept_multiple_files=True, key="files")
        note = st.text_input("Note (what changed)", key="note")
        go = st.form_submit_button("Check and save", type="primary")
    if go:
        if not files:
            st.warning("Choose at least one file first.")
            return
        saved = service.import_dataset(
            store(), who, {f.name: f.getvalue() for f in files}, note, on_top=True
        )
        st.success(f"Saved as data set version {saved.version}: {', '.join(saved.files)}.")


def browse() -> None:
    who = actor()
    st.subheader("Current data set")
    versions = service.list_datasets(store(), who)
    if not versions:
        st.info("No data set yet: upload one above.")
        return
    chosen = st.selectbox(
        "Version",
        versions,
        format_func=lambda d: f"v{d.version} ({local_time(d.created_at, 'UTC')}) {d.note}",
        key="dataset",
    )
    texts = service.dataset_files(store(), who, chosen.id)
    name = st.radio("File", sorted(texts), horizontal=True, key="file")
    if name.endswith(".csv"):
        frame = pd.read_csv(io.StringIO(texts[name]), dtype=str, keep_default_na=False)
        st.caption(f"{len(frame):,} rows")
        st.dataframe(frame, hide_index=True, width="stretch", height=380)
    else:
        st.code(texts[name], language="toml")


st.title("Data")
with guarded():
    headline()
with guarded():
    upload()
with guarded():
    browse()
