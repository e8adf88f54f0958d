"""Open, idle tabs: what each costs its server, and how soon an approval reaches them.

Serves this app (serve.py, on a fresh SQLite record) and a bare one-chart Streamlit page (bench/bare_app.py),
opens --tabs tabs of each at 1280x800, waits for their charts, and measures each server's CPU over
--seconds with the tabs open and idle, less its rate with no tab open (measured just before). Then an
editor approves a new Syria figure straight in the record's database (as another replica would) and the
bench times how long until every open tab of this app shows it. Prints figures only (issue 34's goals:
at most 0.3 ms/s per idle tab; an approval on every open page within 3 s).

    .venv/bin/python bench/idle_tabs.py [--tabs 6] [--seconds 30]
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.load import cpu_seconds, tree_cpu
from force_posture.core import amend, data
from force_posture.store import database, record
from tests.browser import launch, served_app

PLOTTED = ".js-plotly-plot .scatterlayer .trace"
HEADLINE = "[data-testid='stMetricValue']"
NEW_FIGURE = "fewer than 850"
# In each tab: the moment (epoch ms) its headline first shows the new figure.
WATCH_JS = """() => { window.fpSeen = 0; new MutationObserver(() => { if (!window.fpSeen && [...document
  .querySelectorAll("[data-testid='stMetricValue']")].some((e) => e.textContent.includes("fewer than 850")))
  window.fpSeen = performance.timeOrigin + performance.now(); })
  .observe(document.body, {subtree: true, childList: true, characterData: true}); }"""


def server_pid(base: str) -> int:
    """The streamlit process listening on the base URL's port (served_app starts it; this finds it)."""
    port = int(base.rsplit(":", 1)[1])
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        with contextlib.suppress(OSError):
            words = cmdline.read_bytes().split(b"\0")
            if b"streamlit" in b" ".join(words) and str(port).encode() in words and b"--server.port" in words:
                return int(cmdline.parent.name)
    raise RuntimeError(f"no streamlit process serves {base}")


def cpu_rate(pid: int, seconds: float) -> float:
    """The process tree's CPU milliseconds per second over `seconds`."""
    before, started = cpu_seconds(pid) + tree_cpu(pid), time.perf_counter()
    time.sleep(seconds)
    return (cpu_seconds(pid) + tree_cpu(pid) - before) * 1000 / (time.perf_counter() - started)


def quiet(pid: int, below: float = 15.0, longest: float = 180.0) -> None:
    """Wait (at most `longest` seconds) until the server's start-up work is over: 2 s spending under `below` ms/s."""
    ends = time.perf_counter() + longest
    while cpu_rate(pid, 2) >= below and time.perf_counter() < ends:
        pass


def address_moved(base: str, old: str, longest: float = 60.0) -> None:
    """Until the Syria chart's image address answers with a record version other than `old` (at most `longest` s)."""
    ends = time.perf_counter() + longest
    while time.perf_counter() < ends:
        with urllib.request.urlopen(base + "/chart/syria.svg", timeout=30) as reply:  # noqa: S310 (127.0.0.1)
            if reply.headers["X-Record-Version"] != old:
                return
        time.sleep(0.1)


def approve(url: str) -> None:
    """A new Syria figure, proposed by alice and approved by bob, written to the record's database."""
    row = {
        "date": "2026-11-30",
        "country": "Syria",
        "troops": "850",
        "low": "",
        "high": "",
        "qualifier": "fewer_than",
        "basis": "acknowledged",
        "source": "Pentagon press briefing",
        "url": "https://www.defense.gov/News/",
        "note": "The spokesman said fewer than 850 remain.",
        "published": "2026-11-30",
    }
    change = amend.Change(amend.NEW, data.LEVELS_FILE, quote="fewer than 850 remain", reason="bench", row=row)
    rec = record.Record(database.Database(url))
    now, today = dt.datetime.now(dt.UTC), dt.date.today()
    p = rec.propose(record.Analyst("alice", False), change, now, today)
    rec.decide(record.Analyst("bob", True), p.thread, p.latest.id, record.APPROVED, "", now, today)
    rec.db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tabs", type=int, default=6)
    parser.add_argument("--seconds", type=float, default=30)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="fp-idle-")
    url = f"sqlite:///{folder}/record.sqlite3"
    env = {**os.environ, "FORCE_POSTURE_DATABASE_URL": url}
    with contextlib.ExitStack() as stack, sync_playwright() as p:
        browser = launch(p)
        rates = {}
        for name, script in (("ours", "serve.py"), ("bare", "bench/bare_app.py")):
            base = stack.enter_context(served_app(script, env=env))
            pid = server_pid(base)
            quiet(pid)
            alone = cpu_rate(pid, args.seconds / 3)
            context = browser.new_context(viewport={"width": 1280, "height": 800})
            tabs = [context.new_page() for _ in range(args.tabs)]
            for tab in tabs:
                tab.goto(base + "/")
                tab.wait_for_selector(PLOTTED, state="attached", timeout=120_000)
            time.sleep(5)  # the first runs' stragglers (size reports, cookies) are over
            rates[name] = (cpu_rate(pid, args.seconds) - alone) / args.tabs
            print(
                f"{name}: {args.tabs} idle tabs, server CPU {rates[name]:.2f} ms/s per tab (no tab: {alone:.2f} ms/s)"
            )
            if name == "ours":
                with urllib.request.urlopen(base + "/chart/syria.svg", timeout=30) as reply:  # noqa: S310
                    old = reply.headers["X-Record-Version"]
                for tab in tabs:
                    tab.evaluate(WATCH_JS)
                wall = time.time()
                approve(url)
                address_moved(base, old)
                image = time.time() - wall
                took = []
                for tab in tabs:
                    tab.wait_for_function("() => window.fpSeen > 0", timeout=60_000)
                    took.append(tab.evaluate("window.fpSeen") / 1000)
                first, last = min(took) - wall, max(took) - wall
                print(f"ours: an approval in the database to the image address {image:.1f} s")
                print(f"ours: an approval to the first open tab {first:.1f} s, to every tab {last:.1f} s")
            context.close()
        browser.close()
    print("goals: an idle tab at most 0.3 ms/s; an approval on every open page and image address within 3 s")


if __name__ == "__main__":
    main()
