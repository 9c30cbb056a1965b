"""The three roles in a real browser, in order: the manager generates a roster on the sample
data with a short time limit, reviews it and publishes it; an agent sees only their own shifts,
downloads their .ics (parsed here), fetches their subscription URL and is refused another's; a
team lead creates a +20% volume scenario and compares it with the baseline. Every step saves a
screenshot under artifacts/screenshots/ (ignored by git); ``make screenshots`` also copies the
three main pages to docs/screenshots/ for the README."""

from __future__ import annotations

import os
import re
import shutil
import urllib.error
import urllib.request

import pytest
from icalendar import Calendar
from playwright.sync_api import Page, expect

from planner.store import service
from planner.store.db import Store
from tests.e2e.conftest import README_SHOTS, SCREENSHOTS, Stack

pytestmark = pytest.mark.browser

SOLVE_WAIT = 240_000
"""Milliseconds a short solve may take on a loaded machine (forecast + staffing + search)."""
PAGE_WAIT = 60_000


def shot(page: Page, name: str, readme: str | None = None) -> None:
    """Save a screenshot; with ``UPDATE_README_SCREENSHOTS=1`` (``make screenshots``) the main
    pages also replace the README's pictures."""
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    assert "Traceback" not in page.content()  # no traceback ever reaches the browser
    if readme and os.environ.get("UPDATE_README_SCREENSHOTS") == "1":
        README_SHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, README_SHOTS / f"{readme}.png")


def sign_in(page: Page, stack: Stack, sub: str) -> None:
    page.goto(stack.url)
    page.get_by_role("button", name="Sign in").click(timeout=PAGE_WAIT)
    page.wait_for_url("**/oauth2/authorize**", timeout=PAGE_WAIT)
    page.fill("input[name=sub]", sub)
    page.get_by_role("button", name="Authorize").click()
    expect(page.get_by_text("Signed in as")).to_be_visible(timeout=PAGE_WAIT)


def fill_number(page: Page, label: str, value: str) -> None:
    box = page.get_by_label(label)
    box.fill(value)
    box.press("Tab")


def test_manager_generates_reviews_and_publishes(page: Page, stack: Stack) -> None:
    sign_in(page, stack, "manager")
    expect(page.get_by_role("heading", name="Generate a roster")).to_be_visible(timeout=PAGE_WAIT)
    fill_number(page, "Time limit (seconds)", "10")
    shot(page, "01-manager-generate-form")
    page.get_by_role("button", name="Generate roster").click()
    expect(page.get_by_text("Phase:")).to_be_visible(timeout=PAGE_WAIT)
    shot(page, "02-manager-progress")
    expect(page.get_by_text("The independent check accepted the roster")).to_be_visible(
        timeout=SOLVE_WAIT
    )
    shot(page, "03-manager-finished")
    page.get_by_role("link", name="Review this roster").click()
    expect(page.get_by_role("heading", name="Review a roster")).to_be_visible(timeout=PAGE_WAIT)
    expect(page.get_by_text("Independent check").first).to_be_visible(timeout=PAGE_WAIT)
    expect(page.locator(".js-plotly-plot").first).to_be_visible(timeout=PAGE_WAIT)
    expect(page.get_by_text("passed")).to_be_visible()
    page.wait_for_timeout(1000)
    shot(page, "04-manager-review", readme="manager")
    page.get_by_role("link", name="Publish").click()
    expect(page.get_by_text("Shifts added")).to_be_visible(timeout=PAGE_WAIT)
    shot(page, "05-manager-publish-diff")
    page.get_by_role("button", name=re.compile(r"^Publish run \d+")).click()
    expect(page.get_by_text("Published as version 1")).to_be_visible(timeout=PAGE_WAIT)
    shot(page, "06-manager-published")


def _own_shift_count(stack: Stack, agent_id: str) -> int:
    store = Store(stack.database_url)
    try:
        manager = service.sign_in(store, "manager@example.com")
        return len(service.roster_in_force(store, manager, agent_id=agent_id).shifts)
    finally:
        store.dispose()


def _events(body: bytes) -> list[object]:
    return list(Calendar.from_ical(body).walk("VEVENT"))


def test_agent_sees_only_their_own_shifts(page: Page, stack: Stack) -> None:
    sign_in(page, stack, "agent1")
    expect(page.get_by_role("heading", name=re.compile("My schedule"))).to_be_visible(
        timeout=PAGE_WAIT
    )
    expect(page.get_by_text("Upcoming shifts")).to_be_visible(timeout=PAGE_WAIT)
    expect(page.locator(".js-plotly-plot").first).to_be_visible(timeout=PAGE_WAIT)
    page.wait_for_timeout(1000)  # let plotly finish drawing before the picture
    shot(page, "07-agent-schedule", readme="agent")
    expected = _own_shift_count(stack, "A001")
    assert expected > 0
    # The .ics download: the agent's own shifts, every one of them.
    with page.expect_download(timeout=PAGE_WAIT) as info:
        page.get_by_role("button", name="Download my shifts (.ics)").click()
    path = info.value.path()
    events = _events(path.read_bytes())
    assert len([e for e in events if str(e.get("STATUS", "CONFIRMED")) != "CANCELLED"]) == expected
    # The subscription URL answers the same calendar; another token is refused.
    url = page.get_by_label("My calendar subscription URL").input_value()
    assert re.fullmatch(re.escape(stack.url) + r"/feed/[A-Za-z0-9_-]+\.ics", url), url
    with urllib.request.urlopen(url, timeout=30) as answer:
        assert answer.headers["Content-Type"].startswith("text/calendar")
        assert len(_events(answer.read())) == len(events)
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(url.replace("/feed/", "/feed/x"), timeout=30)
    assert refused.value.code == 404
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    shot(page, "08-agent-calendar")
    # No page of the team's roster is routed for an agent: the URL lands on their own page.
    page.goto(f"{stack.url}/review")
    expect(page.get_by_role("heading", name=re.compile("My schedule"))).to_be_visible(
        timeout=PAGE_WAIT
    )
    expect(page.get_by_role("heading", name="Review a roster")).to_have_count(0)
    shot(page, "09-agent-refused-review")


def test_lead_compares_a_volume_scenario(page: Page, stack: Stack) -> None:
    sign_in(page, stack, "lead")
    expect(page.get_by_role("heading", name="Scenarios")).to_be_visible(timeout=PAGE_WAIT)
    page.get_by_label("Name").fill("Volume +20%")
    fill_number(page, "Volume change (%)", "20")
    fill_number(page, "Time limit (s)", "10")
    page.get_by_role("button", name="Create and run").click()
    expect(page.get_by_text("Running")).to_be_visible(timeout=PAGE_WAIT)
    shot(page, "10-lead-scenario-running")
    expect(page.get_by_text("Fairness: the team's mean")).to_be_visible(timeout=SOLVE_WAIT)
    expect(page.locator(".js-plotly-plot").first).to_be_visible(timeout=PAGE_WAIT)
    page.get_by_role("heading", name="Compare").scroll_into_view_if_needed()
    page.wait_for_timeout(1000)
    shot(page, "11-lead-comparison", readme="lead")
