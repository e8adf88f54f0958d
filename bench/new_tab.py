"""A new tab on a warm server: seconds from navigation to the first chart's plotted data, in a fresh
browser context each time (nothing cached), for this app's overview (serve.py) and a bare one-chart
Streamlit page (bench/bare_app.py), alternating; also each server's answer time on one kept-alive
connection. Prints medians and their ratio (issue 34's goal: <= 1.15). Prints figures only.

    .venv/bin/python bench/new_tab.py [--runs 7]
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import statistics
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.browser import launch, served_app

PLOTTED = ".js-plotly-plot .scatterlayer .trace"


def new_tab(browser, base: str) -> float:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    try:
        started = time.perf_counter()
        page.goto(base + "/")
        page.wait_for_selector(PLOTTED, state="attached", timeout=120_000)
        return time.perf_counter() - started
    finally:
        context.close()


def kept_alive(base: str, path: str = "/_stcore/health", times: int = 30) -> float:
    """Median milliseconds per answer, all asked on one kept-alive connection."""
    host, port = base.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    took = []
    for _ in range(times):
        started = time.perf_counter()
        conn.request("GET", path)
        conn.getresponse().read()
        took.append((time.perf_counter() - started) * 1000)
    conn.close()
    return statistics.median(took)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with contextlib.ExitStack() as stack, sync_playwright() as p:
        bases = {
            name: stack.enter_context(served_app(script))
            for name, script in (("ours", "serve.py"), ("bare", "bench/bare_app.py"))
        }
        browser = launch(p)
        for base in bases.values():
            new_tab(browser, base)  # warm: the server's caches, the OS's file cache
        times: dict[str, list[float]] = {name: [] for name in bases}
        for _ in range(args.runs):
            for name, base in bases.items():
                times[name].append(new_tab(browser, base))
        browser.close()
        for name, ts in times.items():
            print(
                f"{name}: new tab to first chart, median {statistics.median(ts):.2f} s "
                f"(runs: {', '.join(f'{t:.2f}' for t in ts)})"
            )
            print(f"{name}: one answer on a kept-alive connection, median {kept_alive(bases[name]):.1f} ms")
        ratio = statistics.median(times["ours"]) / statistics.median(times["bare"])
        print(f"ratio ours/bare: {ratio:.2f}  (goal <= 1.15)")


if __name__ == "__main__":
    main()
