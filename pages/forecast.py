"""The forecast against history per channel (holidays marked), its backtest accuracy against
seasonal-naive, and the required staff as a heatmap (day x interval, business time zone)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from pages.common import actor, guarded, pick_run, store
from planner.store import service
from planner.views import charts


def main() -> None:
    who = actor()
    st.title("Forecast")
    runs = [
        r
        for r in service.list_runs(store(), who)
        if r.kind in ("forecast", "solve") and r.status in ("done", "cancelled")
    ]
    run = pick_run(runs, "forecast_pick")
    if run is None:
        st.info("No forecast yet: generate a roster (it forecasts first).")
        return
    with st.spinner("Reading the forecast and backtesting it..."):
        view = service.forecast_view(store(), who, run.id)
    st.caption(
        f"Days and times in the business time zone, {view.zone}. Holidays are the orange lines."
    )
    if view.accuracy:
        st.subheader("Backtest: the last weeks of history, held out and forecast")
        table = pd.DataFrame(
            [
                {
                    "channel": a.channel,
                    "forecast WAPE %": a.model_wape_pct,
                    "seasonal-naive WAPE %": a.naive_wape_pct,
                }
                for a in view.accuracy
            ]
        )
        st.dataframe(table, hide_index=True)
        st.caption("WAPE: the absolute errors summed over the actual contacts; lower is better.")
    channel = st.radio("Channel", list(view.channels), horizontal=True, key="channel")
    if channel is None:
        return
    st.plotly_chart(
        charts.forecast_chart(view.history, view.forecast, channel, view.zone, view.holidays),
        key=f"fc_{channel}",
    )
    st.plotly_chart(
        charts.requirement_heatmap(view.requirements, channel, view.zone), key=f"req_{channel}"
    )


with guarded():
    main()
