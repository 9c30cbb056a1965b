"""First paint of the dashboard's pages in a real browser, against a trivial Streamlit page.

    .venv/bin/python -m bench.dashboard_paint [--runs 5] [--database sqlite:///x.db] [--quick]

The stack the browser tests use: a database seeded from ``data/`` (80 agents) with a forecast,
a short solve published as version 1 and a lead's +20% volume scenario beside it (solved here,
in this process, before any timing; ``--database`` reuses a database this bench prepared
before), the local OpenID provider, and ``streamlit run server.py`` on a free loopback port.
Debian's Chromium, driven by Playwright, signs in per role and round (a new browser context,
1280x800; timed from "Authorize" on the provider's page to the role's main page), opens each
page of that role by its URL (a full page load, like a reload: a new Streamlit session and
the page's scripts evaluated again), then again from the sidebar (how one moves between
pages: no page load), and times:

- ``content``: to the page's main content being visible: its headline cards (each page
  shows its headline figures first, before its tables and charts; :data:`PAGES` names them);
- ``complete``: to the script having finished and every chart on the page drawn.

A trivial page (a title and a line of text, its own ``streamlit run`` on another port) is
timed in every round, interleaved with the pages: the baseline of what this loaded machine
and Streamlit take for anything at all. Each figure is the median over ``--runs`` rounds;
``cold`` is the first round's (a server that has just started). The target is a content
paint under :data:`TARGET_SECONDS`.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from pages.common import CHART_HELD_TEXT

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 800}
RESULTS = ROOT / "bench" / "results" / "dashboard_paint.json"
TARGET_SECONDS = 3.0
WAIT_MS = 120_000
SEED_SECONDS = 15.0
"""Time limit of the seed solve and of the scenario's (80 agents, one week)."""

TRIVIAL_APP = 'import streamlit as st\n\nst.title("Baseline")\nst.write("A trivial page.")\n'


@dataclass(frozen=True)
class PageCase:
    role: str
    path: str
    """URL path ('' is the role's main page)."""
    name: str
    link: str | None
    """The page's link in the sidebar (``None``: a role with one page has no navigation)."""
    title: str
    """The start of the page's heading (the new page has started drawing)."""
    content: str
    """A CSS selector of the page's main content, its headline cards (a current element, not
    one left over from the page before)."""


FRESH = "[data-testid=stElementContainer]:not([data-stale=true])"
"""An element of the page's current run (Streamlit marks the previous page's as stale)."""

PAGES = (
    PageCase(
        "manager",
        "",
        "manager: Generate (main)",
        "Generate",
        "Generate a roster",
        f"{FRESH} .headline-card[data-label='Status']",
    ),
    PageCase(
        "manager",
        "review",
        "manager: Review",
        "Review",
        "Review a roster",
        f"{FRESH} .headline-card[data-label='Independent check']",
    ),
    PageCase(
        "manager",
        "publish",
        "manager: Publish",
        "Publish",
        "Publish",
        f"{FRESH} .headline-card[data-label='Shifts added']",
    ),
    PageCase(
        "manager",
        "forecast",
        "manager: Forecast",
        "Forecast",
        "Forecast",
        f"{FRESH} .headline-card[data-label$=': forecast WAPE']",
    ),
    PageCase(
        "manager",
        "data",
        "manager: Data",
        "Data",
        "Data",
        f"{FRESH} .headline-card[data-label='Data set in force']",
    ),
    PageCase(
        "manager",
        "scenarios",
        "manager: Scenarios",
        "Scenarios",
        "Scenarios",
        f"{FRESH} .headline-card[data-label$=': under-staffed']",
    ),
    PageCase(
        "lead",
        "",
        "lead: Scenarios (main)",
        "Scenarios",
        "Scenarios",
        f"{FRESH} .headline-card[data-label$=': under-staffed']",
    ),
    PageCase(
        "agent1",
        "",
        "agent: My schedule (main)",
        None,
        "My schedule",
        f"{FRESH} .headline-card[data-label='Next shift']",
    ),
)
SUBJECTS = {"manager": "manager", "lead": "lead", "agent1": "agent1"}
BY_SIDEBAR = [c for c in PAGES if c.link is not None and sum(d.role == c.role for d in PAGES) > 1]
"""The pages also timed from the sidebar: those of a role with more than one page here (a
link to the page on screen would time a rerun of it, not a move)."""


# --------------------------------------------------------------------------- the data


def prepare(database_url: str, data: Path, seconds: float, echo: Callable[[str], None]) -> None:
    """Seed the sample data with the demo users, solve and publish a first week, and solve a
    lead's +20% volume scenario beside it (everything in this process)."""
    from planner.cli import main  # noqa: PLC0415 - only when preparing
    from planner.store import seed, service  # noqa: PLC0415
    from planner.store.db import Store  # noqa: PLC0415
    from planner.store.execute import execute_run  # noqa: PLC0415
    from planner.store.insight import next_week_start  # noqa: PLC0415

    assert main(["db", "--database", database_url, "init"]) == 0
    assert main(["db", "--database", database_url, "seed", str(data), "--demo-users"]) == 0
    store = Store(database_url)
    try:
        start = next_week_start(date.today())
        runs = seed.queue_seed(store, "demo", start, 1, seconds)
        if runs is None:
            raise SystemExit("the team already has runs: give a fresh --database")
        echo(f"forecast and a {seconds:.0f} s solve of the sample data...")
        for run_id in (runs.forecast_id, runs.solve_id):
            status = execute_run(store, run_id)
            if status != "done":
                raise SystemExit(f"run {run_id} ended {status}")
        echo(seed.publish_when_done(store, runs.solve_id))
        lead = service.sign_in(store, "lead@example.com")
        scenario = service.create_scenario(
            store, lead, "Volume +20%", {"staffing.volume_multiplier": 1.2, "time_limit": seconds}
        )
        run = service.submit_run(store, lead, start, 1, scenario_id=scenario.id)
        echo("the lead's +20% volume scenario...")
        if execute_run(store, run.id) != "done":
            raise SystemExit(f"scenario run {run.id} did not finish")
    finally:
        store.dispose()


# --------------------------------------------------------------------------- the servers


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _healthy(url: str, process: subprocess.Popen[bytes], seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"streamlit exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                if answer.read().decode().strip() == "ok":
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    raise SystemExit(f"{url} did not answer in time")


@contextmanager
def streamlit(
    script: Path, port: int, env: dict[str, str], log: Path, secrets: Path | None = None
) -> Iterator[str]:
    """``streamlit run SCRIPT`` on 127.0.0.1:PORT until the block ends."""
    command = [sys.executable, "-m", "streamlit", "run", str(script), "--server.headless", "true"]
    command += ["--server.address", "127.0.0.1", "--server.port", str(port)]
    command += ["--browser.gatherUsageStats", "false"]
    if secrets is not None:
        command += ["--secrets.files", str(secrets)]
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, cwd=script.parent, env=env, stdout=out, stderr=subprocess.STDOUT
        )
        try:
            url = f"http://localhost:{port}"
            _healthy(url, process)
            yield url
        finally:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(10)


# --------------------------------------------------------------------------- the timing


SETTLED = "[data-testid=stApp][data-test-script-state=notRunning]"
CHARTS_DRAWN = (
    """() => [...document.querySelectorAll('[data-testid=stPlotlyChart]')]
    .every(c => c.querySelector('.js-plotly-plot .main-svg'))
    && ![...document.querySelectorAll('[data-testid=stCaptionContainer]')]
    .some(c => c.textContent.includes("""
    + json.dumps(CHART_HELD_TEXT)
    + "))"
)
"""Every chart drawn, none still held back by a session's first run (pages/common.py chart)."""


PAINT_WATCH = """(selectors) => {
  window.__painted = {};
  const check = () => {
    for (const s of selectors) {
      if (!(s in window.__painted) && document.querySelector(s)) {
        window.__painted[s] = null;
        requestAnimationFrame(() => {
          window.__painted[s] = performance.timeOrigin + performance.now();
        });
      }
    }
  };
  new MutationObserver(check).observe(document, {
    subtree: true, childList: true, attributes: true, attributeFilter: ["data-stale"],
  });
}"""
"""Each new document notes, per selector, when a frame is first drawn with it in the page:
the animation frame after it appears (a frame waits for whatever script holds the page's
thread). Playwright's own polling of a selector backs off to every 0.5 s and would add up
to that."""


def watch_paint(context: Any) -> None:
    """Every page of ``context`` notes when each page's content is first drawn."""
    selectors = ["h1", *{c.content for c in PAGES}]
    context.add_init_script(f"({PAINT_WATCH})({json.dumps(selectors)})")


def _painted(page: Any, began: float, content: str) -> float:
    """Seconds from ``began`` (epoch) to the frame that first drew ``content``."""
    page.wait_for_function(
        "s => window.__painted && window.__painted[s]", arg=content, timeout=WAIT_MS
    )
    return float(page.evaluate("s => window.__painted[s]", content)) / 1000 - began


def _settled(page: Any, began: float, content: str, title: str) -> tuple[float, float]:
    # The heading first: until the new page's run starts, the page before's elements are
    # not yet marked stale and could pass for the new page's content.
    page.locator("h1").filter(has_text=title).first.wait_for(state="visible", timeout=WAIT_MS)
    page.locator(content).first.wait_for(state="visible", timeout=WAIT_MS)
    shown = _painted(page, began, content)
    page.locator(SETTLED).wait_for(state="attached", timeout=WAIT_MS)
    page.wait_for_function(CHARTS_DRAWN, timeout=WAIT_MS)
    done = time.time() - began
    if "Traceback" in page.content():
        raise SystemExit(f"{page.url}: a traceback reached the browser")
    return shown, done


def paint(page: Any, url: str, content: str, title: str) -> tuple[float, float]:
    """Seconds from loading ``url`` (a full page load, like a reload) to ``content`` drawn,
    and to everything drawn."""
    began = time.time()
    page.goto(url, wait_until="commit")
    return _settled(page, began, content, title)


def click(page: Any, case: PageCase) -> tuple[float, float]:
    """Seconds from clicking the page's sidebar link (how one moves between pages: no page
    load) to its content drawn, and to everything drawn."""
    page.evaluate("s => { delete window.__painted[s]; }", case.content)
    began = time.time()
    page.locator("[data-testid=stSidebarNav]").get_by_role("link", name=case.link).click()
    return _settled(page, began, case.content, case.title)


def sign_in(page: Any, url: str, subject: str, content: str) -> tuple[float, float]:
    """Sign in on the provider's page; seconds from "Authorize" to the role's main page's
    content drawn, and to everything drawn."""
    page.goto(url)
    page.get_by_role("button", name="Sign in").click(timeout=WAIT_MS)
    page.wait_for_url("**/oauth2/authorize**", timeout=WAIT_MS)
    page.fill("input[name=sub]", subject)
    began = time.time()
    page.get_by_role("button", name="Authorize").click()
    page.locator(content).first.wait_for(state="visible", timeout=WAIT_MS)
    shown = _painted(page, began, content)
    page.locator(SETTLED).wait_for(state="attached", timeout=WAIT_MS)
    page.wait_for_function(CHARTS_DRAWN, timeout=WAIT_MS)
    return shown, time.time() - began


Samples = dict[str, list[tuple[float, float]]]
BASELINE = "baseline: trivial page"


def _round(browser: Any, app_url: str, trivial_url: str, samples: Samples) -> None:
    """One round: each role signs in afresh (a new browser context), opens its pages by URL,
    then by the sidebar; the trivial page before each page load."""
    plain = browser.new_context(viewport=VIEWPORT)
    watch_paint(plain)
    try:
        blank = plain.new_page()
        for role, subject in SUBJECTS.items():
            cases = [c for c in PAGES if c.role == role]
            context = browser.new_context(viewport=VIEWPORT)
            watch_paint(context)
            try:
                page = context.new_page()
                samples[BASELINE].append(paint(blank, trivial_url, "h1", "Baseline"))
                main = cases[0]
                samples[f"{role_name(main)}: sign-in to main page"].append(
                    sign_in(page, app_url, subject, main.content)
                )
                for case in cases:
                    samples[BASELINE].append(paint(blank, trivial_url, "h1", "Baseline"))
                    samples[case.name].append(
                        paint(page, f"{app_url}/{case.path}", case.content, case.title)
                    )
                for case in cases:
                    if case in BY_SIDEBAR:
                        samples[f"{case.name}, from the sidebar"].append(click(page, case))
            finally:
                context.close()
    finally:
        plain.close()


def role_name(case: PageCase) -> str:
    return case.name.split(":")[0]


def measure(app_url: str, trivial_url: str, runs: int, echo: Callable[[str], None]) -> Samples:
    """Every page of :data:`PAGES`, each role's sign-in, and the trivial page, ``runs``
    rounds, interleaved."""
    from playwright.sync_api import sync_playwright  # noqa: PLC0415 - bench only

    samples: Samples = {BASELINE: []}
    for role in SUBJECTS:
        main = next(c for c in PAGES if c.role == role)
        samples[f"{role_name(main)}: sign-in to main page"] = []
    samples.update({case.name: [] for case in PAGES})
    samples.update({f"{c.name}, from the sidebar": [] for c in BY_SIDEBAR})
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for n in range(runs):
                _round(browser, app_url, trivial_url, samples)
                echo(f"round {n + 1}/{runs} done")
        finally:
            browser.close()
    return samples


def summary(samples: Samples) -> list[dict[str, Any]]:
    """Per page: median, min and max of content and complete; the first (cold) round."""
    rows = []
    for name, values in samples.items():
        content = [c for c, _ in values]
        complete = [d for _, d in values]
        rows.append(
            {
                "page": name,
                "content_median": round(statistics.median(content), 2),
                "content_min": round(min(content), 2),
                "content_max": round(max(content), 2),
                "complete_median": round(statistics.median(complete), 2),
                "cold_content": round(content[0], 2),
                "cold_complete": round(complete[0], 2),
                "runs": len(values),
                "samples": [[round(c, 2), round(d, 2)] for c, d in values],
            }
        )
    return rows


def table(rows: Sequence[dict[str, Any]]) -> str:
    head = (
        f"{'page':<44} {'content':>8} {'(min-max)':>12} {'complete':>9} {'cold':>6} {'cold all':>9}"
    )
    lines = [head, "-" * len(head)]
    for r in rows:
        spread = f"{r['content_min']:.2f}-{r['content_max']:.2f}"
        lines.append(
            f"{r['page']:<44} {r['content_median']:>7.2f}s {spread:>12} "
            f"{r['complete_median']:>8.2f}s {r['cold_content']:>5.2f}s {r['cold_complete']:>8.2f}s"
        )
    return "\n".join(lines)


# --------------------------------------------------------------------------- the command


def run(args: argparse.Namespace, echo: Callable[[str], None] = print) -> list[dict[str, Any]]:
    from planner.store.signin import local_auth_toml, start_local_provider  # noqa: PLC0415

    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="paint-")))
        database_url = args.database or f"sqlite:///{folder / 'planner.db'}"
        if args.database is None or args.prepare:
            prepare(database_url, args.data, args.seed_seconds, echo)
        port, trivial_port = free_port(), free_port()
        app_url = f"http://localhost:{port}"
        provider = start_local_provider(free_port())
        stack.callback(provider.stop)
        secrets = folder / "secrets.toml"
        secrets.write_text(local_auth_toml(provider.port, app_url), encoding="utf-8")
        env = dict(os.environ, PLANNER_DATABASE_URL=database_url, PYTHONPATH=str(ROOT))
        trivial = folder / "trivial.py"
        trivial.write_text(TRIVIAL_APP, encoding="utf-8")
        trivial_url = stack.enter_context(
            streamlit(trivial, trivial_port, env, folder / "trivial.log")
        )
        app = stack.enter_context(
            streamlit(ROOT / "server.py", port, env, args.log or folder / "dashboard.log", secrets)
        )
        echo(f"dashboard on {app}, trivial page on {trivial_url}; {args.runs} rounds")
        rows = summary(measure(app, trivial_url, args.runs, echo))
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="rounds (default 5)")
    parser.add_argument("--quick", action="store_true", help="2 rounds, 10 s seed solves")
    parser.add_argument("--data", type=Path, default=ROOT / "data", help="seed data (data/)")
    parser.add_argument("--database", help="a database this bench prepared (reused as is)")
    parser.add_argument("--prepare", action="store_true", help="prepare --database first")
    parser.add_argument("--seed-seconds", type=float, default=SEED_SECONDS)
    parser.add_argument("--log", type=Path, help="keep the dashboard's log here")
    parser.add_argument("--json", type=Path, default=RESULTS, help=f"summary ({RESULTS})")
    args = parser.parse_args(argv)
    # SIGTERM stops it like Ctrl-C: the servers it started stop with it.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    if args.quick:
        args.runs, args.seed_seconds = 2, 10.0
    if not Path(CHROMIUM).is_file():
        print(f"{CHROMIUM} is missing: `make browser` installs Debian's chromium")
        return 1
    rows = run(args)
    print("\nSeconds from navigation (median of the rounds; cold = the first round; a loaded")
    print(f"machine: compare with the baseline). Target: content under {TARGET_SECONDS:.0f} s.\n")
    print(table(rows))
    if args.json is not None:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    slow = [r["page"] for r in rows if r["content_median"] > TARGET_SECONDS]
    print("\nall pages under target" if not slow else f"\nover target: {', '.join(slow)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
