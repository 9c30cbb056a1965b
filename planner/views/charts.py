"""Plotly figures of the planner's results: pure functions of frames and rosters.

The dashboard pages (beside ``app.py``) render these; nothing here imports Streamlit, so
every chart is testable on its own. Every figure names its units and its time zone: a
planner reading "20:00" must know whose 20:00 it is.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from planner.domain import Roster

HEIGHT = 420
GAP_COLOUR = "#d62728"
TARGET_COLOUR = "#7f7f7f"
COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd"]
"""One colour per compared scenario (two to four)."""


def _layout(fig: go.Figure, title: str, x: str, y: str, height: int = HEIGHT) -> go.Figure:
    fig.update_layout(
        title=title,
        xaxis_title=x,
        yaxis_title=y,
        height=height,
        margin={"l": 60, "r": 20, "t": 60, "b": 50},
        legend={"orientation": "h", "y": -0.2},
    )
    return fig


def _local(series: pd.Series, zone: str) -> pd.Series:
    return pd.to_datetime(series, utc=True).dt.tz_convert(ZoneInfo(zone))


def day_by_time(frame: pd.DataFrame, value: str, zone: str) -> pd.DataFrame:
    """``value`` pivoted to local date (rows) x local clock time (columns) in ``zone``.

    An hour that occurs twice on the fall-back night is summed into its clock slot; the
    hour skipped in spring is simply absent (blank cells)."""
    local = _local(frame["interval_start"], zone)
    table = pd.DataFrame(
        {
            "day": local.dt.strftime("%a %Y-%m-%d"),
            "time": local.dt.strftime("%H:%M"),
            "value": frame[value].to_numpy(dtype=float),
        }
    )
    pivot = table.pivot_table(index="day", columns="time", values="value", aggfunc="sum")
    order = sorted(pivot.index, key=lambda d: d[4:])
    return pivot.reindex(order)


def requirement_heatmap(requirements: pd.DataFrame, channel: str, zone: str) -> go.Figure:
    """Required staff (``staff_needed``) of one channel, day x time of day, in ``zone``."""
    rows = requirements[requirements["channel"] == channel]
    grid = day_by_time(rows, "staff_needed", zone)
    fig = go.Figure(
        go.Heatmap(
            z=grid.to_numpy(),
            x=list(grid.columns),
            y=list(grid.index),
            colorscale="Blues",
            colorbar={"title": "staff"},
            hovertemplate="%{y} %{x}<br>%{z:.0f} staff needed<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed")
    return _layout(
        fig,
        f"Required staff: {channel} (staff on shift, {zone})",
        f"time of day ({zone})",
        "date",
    )


def coverage_heatmap(intervals: pd.DataFrame, channel: str, zone: str) -> go.Figure:
    """Present minus needed staff per interval of one channel (negative = a gap), from
    :func:`planner.verify.kpi.interval_table`, day x time of day in ``zone``."""
    rows = intervals[intervals["channel"] == channel].copy()
    rows["balance"] = rows["staff_covered"] + rows["over"] - rows["staff_needed"]
    grid = day_by_time(rows, "balance", zone)
    limit = float(np.nanmax(np.abs(grid.to_numpy()))) if grid.size else 1.0
    fig = go.Figure(
        go.Heatmap(
            z=grid.to_numpy(),
            x=list(grid.columns),
            y=list(grid.index),
            colorscale="RdBu",
            zmid=0,
            zmin=-max(limit, 1.0),
            zmax=max(limit, 1.0),
            colorbar={"title": "staff"},
            hovertemplate="%{y} %{x}<br>%{z:+.1f} staff vs need<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed")
    return _layout(
        fig,
        f"Coverage: {channel}, present minus needed staff (red = gap; {zone})",
        f"time of day ({zone})",
        "date",
    )


def service_level_chart(
    intervals: pd.DataFrame, channel: str, target: float, zone: str
) -> go.Figure:
    """Projected service level per interval against the channel's target line."""
    rows = intervals[intervals["channel"] == channel]
    when = _local(rows["interval_start"], zone)
    level = 100 * rows["service_level"].to_numpy(dtype=float)
    fig = go.Figure()
    fig.add_scatter(x=when, y=level, mode="lines", name="projected service level")
    fig.add_hline(
        y=100 * target,
        line_dash="dash",
        line_color=TARGET_COLOUR,
        annotation_text=f"target {target:.0%}",
    )
    below = level < 100 * target
    fig.add_scatter(
        x=when[below],
        y=level[below],
        mode="markers",
        marker={"color": GAP_COLOUR, "size": 5},
        name="below target",
    )
    fig.update_yaxes(range=[0, 105])
    return _layout(
        fig, f"Projected service level: {channel} ({zone})", f"interval start ({zone})", "%"
    )


def forecast_chart(
    history: pd.DataFrame,
    forecast: pd.DataFrame,
    channel: str,
    zone: str,
    holidays: Iterable[pd.Timestamp] = (),
) -> go.Figure:
    """Contacts per day of one channel: history, then the forecast; holidays marked."""

    def daily(frame: pd.DataFrame) -> pd.Series:
        rows = frame[frame["channel"] == channel]
        days = _local(rows["interval_start"], zone).dt.date
        return rows["contacts"].groupby(days.to_numpy()).sum()

    past, future = daily(history), daily(forecast)
    fig = go.Figure()
    fig.add_scatter(x=list(past.index), y=past.to_numpy(), mode="lines", name="history")
    fig.add_scatter(
        x=list(future.index), y=future.to_numpy(), mode="lines", name="forecast", line_dash="dot"
    )
    for day in holidays:
        fig.add_vline(x=pd.Timestamp(day).to_pydatetime(), line_color="#ff7f0e", opacity=0.4)
    return _layout(
        fig,
        f"Contacts per day: {channel} (history and forecast; holidays marked; days in {zone})",
        f"date ({zone})",
        "contacts per day",
    )


def roster_gantt(roster: Roster, zone: str | None = None) -> go.Figure:
    """One bar per shift, one row per agent; breaks drawn on top. ``zone`` None: each
    agent in their own time zone (clock times as the agent reads them)."""
    rows: list[dict[str, Any]] = []
    for shift in sorted(roster.shifts, key=lambda s: (s.agent_id, s.start_utc)):
        tz = ZoneInfo(zone or shift.timezone)
        rows.append(
            {
                "agent": shift.agent_id,
                "start": shift.start_utc.astimezone(tz).replace(tzinfo=None),
                "end": shift.end_utc.astimezone(tz).replace(tzinfo=None),
                "what": "shift",
            }
        )
    zone_of = {s.agent_id: s.timezone for s in roster.shifts}
    for item in roster.breaks:
        tz = ZoneInfo(zone or zone_of.get(item.agent_id, "UTC"))
        rows.append(
            {
                "agent": item.agent_id,
                "start": item.start_utc.astimezone(tz).replace(tzinfo=None),
                "end": item.end_utc.astimezone(tz).replace(tzinfo=None),
                "what": item.kind,
            }
        )
    fig = go.Figure()
    colours = {"shift": "#1f77b4", "meal": "#ff7f0e", "rest": "#2ca02c"}
    for what in ("shift", "meal", "rest"):
        part = [r for r in rows if r["what"] == what]
        if not part:
            continue
        base = [r["start"] for r in part]
        length = [(r["end"] - r["start"]).total_seconds() * 1000 for r in part]
        fig.add_bar(
            base=base,
            x=length,
            y=[r["agent"] for r in part],
            orientation="h",
            name=what,
            marker_color=colours[what],
            width=0.8 if what == "shift" else 0.4,
        )
    fig.update_layout(barmode="overlay")
    fig.update_xaxes(type="date")
    where = zone or "each agent's own time zone"
    return _layout(
        fig,
        f"Roster by agent ({where})",
        f"local time ({where})",
        "agent",
        height=max(HEIGHT, 22 * len({r["agent"] for r in rows}) + 120),
    )


def fairness_chart(counts: Mapping[str, Mapping[str, float]], kinds: Sequence[str]) -> go.Figure:
    """Per agent, how many shifts of each kind, against the team's mean (dashed)."""
    agents = sorted(counts)
    fig = go.Figure()
    for kind in kinds:
        values = [float(counts[a].get(kind, 0)) for a in agents]
        fig.add_bar(x=agents, y=values, name=kind)
        if values:
            fig.add_hline(
                y=float(np.mean(values)),
                line_dash="dash",
                opacity=0.5,
                annotation_text=f"team mean {kind}",
            )
    fig.update_layout(barmode="group")
    return _layout(
        fig,
        "Shifts agents trade away, per agent (by each agent's own local dates and times)",
        "agent",
        "shifts in the horizon",
    )


def objective_chart(terms: Mapping[str, Mapping[str, float | None]]) -> go.Figure:
    """The objective term by term: cost and, where known, its lower bound."""
    names = list(terms)
    cost = [float(terms[n].get("cost") or 0) for n in names]
    bound = [terms[n].get("bound") for n in names]
    fig = go.Figure()
    fig.add_bar(x=names, y=cost, name="cost (weight x raw)")
    fig.add_bar(x=names, y=[float(b) if b is not None else None for b in bound], name="bound")
    fig.update_layout(barmode="group")
    return _layout(fig, "Why this roster costs what it costs", "term", "objective units")


def comparison_chart(
    series: Mapping[str, pd.Series], title: str, y: str, zone: str | None = None
) -> go.Figure:
    """Scenarios overlaid: one line per scenario (index = date or interval)."""
    fig = go.Figure()
    for name, values in series.items():
        fig.add_scatter(x=list(values.index), y=values.to_numpy(), mode="lines+markers", name=name)
    x = f"date ({zone})" if zone else "date"
    return _layout(fig, title + (f" ({zone})" if zone else ""), x, y)


def comparison_bars(
    table: pd.DataFrame, measures: Mapping[str, str], columns: int = 3
) -> go.Figure:
    """One panel per measure (``measures``: column of ``table`` -> its unit), one bar per
    scenario (a row of ``table``) in each: one figure, so the browser draws one chart."""
    names = list(measures)
    rows = max(1, -(-len(names) // columns))
    fig = make_subplots(
        rows=rows,
        cols=columns,
        subplot_titles=[m if f"({measures[m]})" in m else f"{m} ({measures[m]})" for m in names],
        vertical_spacing=0.18,
        horizontal_spacing=0.1,
    )
    scenarios = [str(s) for s in table.index]
    for n, measure in enumerate(names):
        fig.add_bar(
            x=scenarios,
            y=table[measure].to_numpy(dtype=float),
            name=measure,
            marker_color=COLOURS[: len(scenarios)],
            showlegend=False,
            hovertemplate="%{x}: %{y:,.1f} " + measures[measure] + "<extra></extra>",
            row=n // columns + 1,
            col=n % columns + 1,
        )
    for n, measure in enumerate(names):
        where = {"row": n // columns + 1, "col": n % columns + 1}
        fig.update_yaxes(title_text=measures[measure], **where)
        fig.update_xaxes(title_text="scenario", **where)
    for n in range(len(names), rows * columns):  # cells left over: no empty axes drawn
        where = {"row": n // columns + 1, "col": n % columns + 1}
        fig.update_xaxes(visible=False, **where)
        fig.update_yaxes(visible=False, **where)
    fig.update_layout(
        title="The scenarios side by side (each panel names its unit)",
        height=300 * rows + 80,
        margin={"l": 60, "r": 20, "t": 90, "b": 40},
    )
    return fig


def progress_chart(events: Sequence[Mapping[str, Any]]) -> go.Figure:
    """A run's search over time: the objective of the best roster so far and the lower bound,
    against seconds since the solve started (``elapsed``, ``objective``, ``bound`` per event)."""
    points = [e for e in events if e.get("elapsed") is not None]
    fig = go.Figure()
    best = [(e["elapsed"], e["objective"]) for e in points if e.get("objective") is not None]
    bound = [(e["elapsed"], e["bound"]) for e in points if e.get("bound") is not None]
    fig.add_scatter(
        x=[p[0] for p in best], y=[p[1] for p in best], mode="lines+markers", name="objective"
    )
    fig.add_scatter(
        x=[p[0] for p in bound],
        y=[p[1] for p in bound],
        mode="lines",
        name="lower bound",
        line_dash="dash",
    )
    return _layout(
        fig,
        "Search progress (lower is better)",
        "seconds since the solve started",
        "objective units",
        height=320,
    )


def week_calendar(roster: Roster, zone: str, first: pd.Timestamp | Any) -> go.Figure:
    """One agent's week as a calendar: a column per day from ``first`` (a date), the shift as
    a bar from its start to its end clock time in ``zone``, breaks drawn on top. A shift past
    midnight continues at the top of the next day's column."""
    tz = ZoneInfo(zone)
    start = pd.Timestamp(first).date()
    days = [start + pd.Timedelta(days=k) for k in range(7)]
    labels = [d.strftime("%a %m-%d") for d in days]
    colours = {"shift": "#1f77b4", "meal": "#ff7f0e", "rest": "#2ca02c"}
    pieces: dict[str, list[tuple[str, float, float]]] = {"shift": [], "meal": [], "rest": []}

    def add(kind: str, begin: Any, end: Any) -> None:
        a, b = begin.astimezone(tz), end.astimezone(tz)
        while a < b:
            midnight = (pd.Timestamp(a).normalize() + pd.Timedelta(days=1)).to_pydatetime()
            part_end = min(b, midnight)
            if a.date() in days:
                hours_a = a.hour + a.minute / 60
                span = (part_end - a).total_seconds() / 3600
                pieces[kind].append((labels[days.index(a.date())], hours_a, span))
            a = part_end

    for shift in roster.shifts:
        add("shift", shift.start_utc, shift.end_utc)
    for item in roster.breaks:
        add(item.kind, item.start_utc, item.end_utc)
    fig = go.Figure()
    # Every day of the week on the axis, even one without a shift.
    fig.add_bar(x=labels, y=[0] * 7, showlegend=False, hoverinfo="skip", marker_opacity=0)
    for kind, rows in pieces.items():
        if rows:
            fig.add_bar(
                x=[r[0] for r in rows],
                base=[r[1] for r in rows],
                y=[r[2] for r in rows],
                name=kind,
                marker_color=colours[kind],
                width=0.8 if kind == "shift" else 0.5,
                hovertemplate="%{x}: %{base:.2f} h + %{y:.2f} h<extra>" + kind + "</extra>",
            )
    fig.update_layout(barmode="overlay")
    fig.update_xaxes(categoryorder="array", categoryarray=labels)
    fig.update_yaxes(range=[24, 0], dtick=2)
    return _layout(
        fig,
        f"My week from {start:%a %Y-%m-%d} ({zone})",
        "day",
        f"hour of the day ({zone})",
        height=460,
    )


def hours_chart(weeks: Mapping[Any, float], zone: str) -> go.Figure:
    """Paid hours per week (keys: each week's first date)."""
    fig = go.Figure(go.Bar(x=[str(k) for k in weeks], y=list(weeks.values())))
    return _layout(
        fig,
        f"Paid hours per week (weeks by local date, {zone})",
        "week starting",
        "paid hours",
        height=300,
    )


def warm_up() -> None:
    """Build and serialize one small figure of each trace kind the pages draw: plotly loads
    its validators on first use (about a second on a loaded machine), better when the server
    starts than on somebody's first page."""
    fig = go.Figure(go.Heatmap(z=[[0.0, 1.0]], x=["00:00", "00:30"], y=["day"]))
    fig.add_scatter(x=[0, 1], y=[1, 0], mode="lines+markers")
    fig.add_bar(x=["a"], y=[1.0], base=[0.0])
    fig.add_hline(y=0.5, line_dash="dash", annotation_text="line")
    fig.update_xaxes(type="date")
    _layout(fig, "warm-up", "x", "y").to_json()
