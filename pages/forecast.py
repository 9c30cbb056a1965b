"""The forecast against history per channel (holidays marked), its backtest accuracy against
seasonal-naive, and the required staff as a heatmap (day x interval, business time zone)."""

from __future__ import annotations

import streamlit as st

from pages.common import Card, actor, cards, chart, guarded, pick_run, store
from planner.store import service
from planner.store.insight import Accuracy
from planner.views import charts


def accuracy_card(a: Accuracy) -> Card:
    """One channel's backtest: the forecast's WAPE, and by how much it beats seasonal-naive."""
    label = f"{a.channel}: forecast WAPE"
    if a.model_wape_pct is None or a.naive_wape_pct is None:
        return Card(label, "-" if a.model_wape_pct is None else f"{a.model_wape_pct:.1f}%")
    return Card(
        label,
        f"{a.model_wape_pct:.1f}%",
        f"{a.model_wape_pct - a.naive_wape_pct:+.1f} pts vs seasonal-naive {a.naive_wape_pct:.1f}%",
    )


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
    if view.accuracy:  # the headline first: cards paint before any table or chart
        st.subheader("Backtest: the last weeks of history, held out and forecast")
        cards([accuracy_card(a) for a in view.accuracy])
        st.caption(
            "WAPE: the absolute errors summed over the actual contacts; lower is better. "
            "Seasonal-naive repeats the same weekday and time of the week before."
        )
    channel = st.radio("Channel", list(view.channels), horizontal=True, key="channel")
    if channel is None:
        return
    chart(
        lambda: charts.forecast_chart(
            view.history, view.forecast, channel, view.zone, view.holidays
        ),
        key=f"fc_{channel}",
    )
    chart(
        lambda: charts.requirement_heatmap(view.requirements, channel, view.zone),
        key=f"req_{channel}",
    )


with guarded():
    main()
