"""Cold start: seconds from `streamlit run` to the first chart drawn in headless Chromium.

Measures this app's overview, started as `make run` does (serve.py) and the plain Streamlit way
(dashboard.py), and a bare one-chart page (bench/bare_app.py) in the same run, alternating them, and
prints the medians and their ratios (issue 34: at most 1.3). Prints figures only: nothing here asserts a time.

    .venv/bin/python bench/cold_start.py [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.browser import free_port, launch, streamlit_command


def cold_start(browser, script: str) -> float:
    port = free_port()
    cmd = streamlit_command(script, port)
    page = browser.new_page(viewport={"width": 1600, "height": 900})
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            try:
                page.goto(f"http://127.0.0.1:{port}/", timeout=2000)
                break
            except Exception:  # noqa: BLE001 - the server is not listening yet
                if proc.poll() is not None:
                    raise RuntimeError(f"streamlit exited while starting {script}") from None
                time.sleep(0.05)
        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=120_000)
        return time.perf_counter() - t0
    finally:
        page.close()
        proc.terminate()
        proc.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    times: dict[str, list[float]] = {"bench/bare_app.py": [], "serve.py": [], "dashboard.py": []}
    with sync_playwright() as p:
        browser = launch(p)
        cold_start(browser, "bench/bare_app.py")  # warm the OS file cache once, not counted
        for _ in range(args.runs):
            for script in times:
                times[script].append(cold_start(browser, script))
        browser.close()
    bare = statistics.median(times["bench/bare_app.py"])
    for script, ts in times.items():
        print(f"{script:20s} median {statistics.median(ts):.2f} s  runs: {', '.join(f'{t:.2f}' for t in ts)}")
    for script in ("serve.py", "dashboard.py"):
        print(f"ratio {script}/bare: {statistics.median(times[script]) / bare:.2f}  (goal <= 1.3)")


if __name__ == "__main__":
    main()
