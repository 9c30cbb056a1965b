"""The dashboard's entry point (``streamlit run server.py`` serves it; ``make run`` starts it).

Sign-in through ``st.login`` (OpenID Connect, ``[auth]`` of ``.streamlit/secrets.toml``); the
verified email maps to a planner user (:func:`planner.store.service.sign_in`), whose role picks
the pages. An unknown or disabled email gets a plain message and no page.
"""

from __future__ import annotations

import streamlit as st

from pages.common import ACTOR, draw_held_charts, guarded, store
from planner.store import service

st.set_page_config(
    page_title="Coverage planner", page_icon=":material/calendar_month:", layout="wide"
)

PAGES = {
    "agent": [("pages/my_schedule.py", "My schedule", ":material/event:")],
    "lead": [
        ("pages/scenarios.py", "Scenarios", ":material/compare_arrows:"),
        ("pages/generate.py", "Generate", ":material/play_circle:"),
        ("pages/review.py", "Review", ":material/insights:"),
        ("pages/forecast.py", "Forecast", ":material/show_chart:"),
        ("pages/data.py", "Data", ":material/table_view:"),
    ],
    "manager": [
        ("pages/generate.py", "Generate", ":material/play_circle:"),
        ("pages/review.py", "Review", ":material/insights:"),
        ("pages/publish.py", "Publish", ":material/publish:"),
        ("pages/forecast.py", "Forecast", ":material/show_chart:"),
        ("pages/data.py", "Data", ":material/table_view:"),
        ("pages/scenarios.py", "Scenarios", ":material/compare_arrows:"),
    ],
}
"""Each role's pages, its main page first. A page a role lacks is not even routed; the
service layer refuses the data anyway."""


def sign_in_page() -> None:
    st.title("Coverage planner")
    st.write("Sign in with your work account to see your schedule or plan the team's.")
    st.button("Sign in", type="primary", on_click=st.login)


def signed_in() -> service.Actor | None:
    """The planner user behind the signed-in email (``None``: no access, message shown)."""
    email = st.user.get("email")
    verified = st.user.get("email_verified")
    if not isinstance(email, str):
        email = None
    try:
        return service.sign_in(
            store(), email, verified=None if verified is None else bool(verified)
        )
    except service.AccessDenied as error:
        st.title("Coverage planner")
        st.error(str(error))
        st.button("Sign out", on_click=st.logout)
    return None


def main() -> None:
    if not st.user.is_logged_in:
        sign_in_page()
        return
    actor = signed_in()
    if actor is None:
        return
    st.session_state[ACTOR] = actor
    with st.sidebar:
        st.caption(f"Signed in as **{actor.email}**  \n{actor.role}, team {actor.team}")
        st.button("Sign out", on_click=st.logout, key="sign_out")
    pages = [
        st.Page(path, title=title, icon=icon, default=n == 0)
        for n, (path, title, icon) in enumerate(PAGES[actor.role])
    ]
    st.navigation(pages).run()
    draw_held_charts()


if __name__ == "__main__":  # Streamlit runs this file as __main__; importing it only reads PAGES
    with guarded():
        main()
