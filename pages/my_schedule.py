"""An agent's own schedule: upcoming shifts in their own time zone, the week as a calendar,
hours per week, the kinds of shift they get against the team's rate, what changed since they
last looked, the .ics download and the calendar subscription URL."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from pages.common import Card, actor, cards, chart, guarded, local_time, store
from planner.domain import Shift
from planner.store import service
from planner.store.insight import weekly_hours
from planner.views import charts

KINDS = ("evening", "closer", "weekend", "holiday")
"""The kinds of shift the team shares out fairly, as the agent's page names them."""
NAMES = {
    "evening": "evening shifts",
    "closer": "closers",
    "weekend": "weekend shifts",
    "holiday": "holiday shifts",
}


def shift_table(view: service.ScheduleView) -> pd.DataFrame:
    """The shifts as the agent reads them (their own zone), breaks listed per shift."""
    rows = []
    for s in view.roster.shifts:
        breaks = [
            f"{b.kind} {local_time(b.start_utc, view.zone, '%H:%M')}-"
            f"{b.end_utc.astimezone(ZoneInfo(view.zone)):%H:%M}"
            for b in view.roster.breaks
            if b.agent_id == s.agent_id and s.start_utc <= b.start_utc < s.end_utc
        ]
        flags = view.flags.get(s.start_utc.isoformat(), {})
        kinds = [k for k in KINDS if flags.get(k)]
        rows.append(
            {
                "date": s.date.strftime("%a %Y-%m-%d"),
                "start": local_time(s.start_utc, view.zone, "%H:%M"),
                "end": local_time(s.end_utc, view.zone, "%H:%M"),
                "paid hours": round(s.paid_hours, 2),
                "evening/closer/weekend/holiday": ", ".join(kinds),
                "breaks": "; ".join(breaks),
                "version": view.versions.get((s.date.isoformat(), s.start_utc.isoformat())),
            }
        )
    return pd.DataFrame(rows)


def subscription(view: service.ScheduleView) -> None:
    st.subheader("Calendar")
    who = actor()
    shared = store()
    st.download_button(
        "Download my shifts (.ics)",
        lambda: service.export_calendar(shared, who),  # made when clicked
        file_name=f"shifts-{view.agent_id}.ics",
        mime="text/calendar",
    )
    token = service.feed_token(store(), who)
    where = urlparse(st.context.url or "http://localhost:8501")
    base = f"{where.scheme}://{where.netloc}"
    st.text_input("My calendar subscription URL", f"{base}/feed/{token}.ics", disabled=False)
    st.caption(
        "Google Calendar: Other calendars (+) > From URL > paste this address > Add calendar. "
        "It refreshes by itself (Google reads it every few hours). Keep the address private: "
        "anyone holding it can read your shifts."
    )
    if st.button("Make a new subscription URL (the old one stops working)"):
        service.feed_token(store(), who, renew=True)
        st.rerun()


def main() -> None:
    who = actor()
    now = datetime.now(ZoneInfo("UTC"))
    view = service.my_schedule(store(), who, first=now.date() - timedelta(days=1))
    st.title(f"My schedule: {view.name}")
    st.caption(f"All times in your time zone, {view.zone}.")
    upcoming = [s for s in view.roster.shifts if s.end_utc >= now]
    headline(view, upcoming)
    if not view.roster.shifts:
        st.info("No upcoming published shifts for you yet. Your manager publishes the roster here.")
    else:
        first = upcoming[0].date if upcoming else view.roster.shifts[0].date
        week_first = first - timedelta(days=(first - view.week_start).days % 7)
        week = st.date_input("Week starting", week_first, key="week")
        if isinstance(week, date):
            chart(lambda: charts.week_calendar(view.roster, view.zone, week), key="week_chart")
        st.subheader("Upcoming shifts")
        st.dataframe(shift_table(view), hide_index=True, width="stretch")
        chart(
            lambda: charts.hours_chart(
                weekly_hours(view.roster.shifts, view.week_start), view.zone
            ),
            key="hours_chart",
        )
    fairness(view)
    changes(view)
    subscription(view)


def headline(view: service.ScheduleView, upcoming: list[Shift]) -> None:
    """What an agent opens the page for, first (cards paint before the calendar)."""
    soon = upcoming[0] if upcoming else None
    when = f"{soon.start_utc.astimezone(ZoneInfo(view.zone)):%a %d %b %H:%M}" if soon else "-"
    cards(
        [
            Card("Next shift", when),
            Card("Upcoming shifts", str(len(upcoming))),
            Card("Upcoming paid hours", f"{sum(s.paid_hours for s in upcoming):.1f}"),
        ]
    )


def fairness(view: service.ScheduleView) -> None:
    st.subheader("Evenings, closers, weekends, holidays")
    st.caption(
        "Shifts of each kind on the published rosters so far, against the team's average per "
        f"agent, by your local dates and times ({view.zone}). Evening: ending late in the "
        "evening; closer: ending past midnight; weekend: starting on a Saturday or Sunday; "
        "holiday: starting on one of the company's holidays."
    )
    cols = st.columns(len(KINDS))
    for col, kind in zip(cols, KINDS, strict=True):
        mine, team = view.counts.get(kind, 0), view.team_rate.get(kind, 0.0)
        col.metric(
            NAMES[kind], mine, f"{mine - team:+.1f} vs team average {team:.1f}", delta_color="off"
        )


def changes(view: service.ScheduleView) -> None:
    st.subheader("Changes since you last looked")
    if view.latest_version is None:
        st.write("Nothing is published yet.")
        return
    if not view.changes:
        st.write(f"No changes to your shifts (version {view.latest_version} is current).")
    else:
        st.dataframe(pd.DataFrame(view.changes), hide_index=True, width="stretch")
    if view.seen_version != view.latest_version and st.button("Mark as seen"):
        service.mark_seen(store(), actor(), view.latest_version)
        st.rerun()


with guarded():
    main()
