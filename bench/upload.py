"""Scenario uploads at 1k, 100k and 300k rows: parse + validate + compare, the chart, and the
browser's time from upload to chart (median of 5), with the 300k-minus-1k figure. Prints figures;
asserts nothing.

    .venv/bin/python bench/upload.py [--no-browser]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from force_posture.core import data, scenarios
from force_posture.plot import charts

TODAY = dt.date(2026, 11, 24)


def make_csv(rows: int) -> bytes:
    """Daily levels for several scenarios and both countries, `rows` rows in all."""
    per_series = min(rows // 2, 25_000)  # 25,000 days from 2026 stay before 2100
    n_scen = max(1, rows // (2 * per_series))
    parts = []
    for k in range(n_scen):
        days = pd.date_range("2026-01-01", periods=per_series, freq="D")
        for country, start in (("Syria", 1000), ("Iraq", 2000)):
            level = np.maximum(0, start - np.arange(per_series) * (k + 1) // 10)
            parts.append(
                pd.DataFrame(
                    {
                        "scenario": f"Scenario {k + 1}",
                        "date": days.strftime("%Y-%m-%d"),
                        "country": country,
                        "troops": level,
                    }
                )
            )
    return pd.concat(parts).head(rows).to_csv(index=False).encode()


def python_path(content: bytes, ds: data.Dataset) -> dict[str, float]:
    out = {}
    t = time.perf_counter()
    parsed = scenarios.parse(content, "bench.csv")
    out["parse+validate s"] = time.perf_counter() - t
    t = time.perf_counter()
    scenarios.compare(parsed.frame, ds.levels, ds.milestones, TODAY)
    out["compare s"] = time.perf_counter() - t
    t = time.perf_counter()
    fig = charts.build_chart(ds, charts.ChartSpec(today=TODAY, scenarios=parsed.frame, width=960, height=820))
    out["chart s"] = time.perf_counter() - t
    t = time.perf_counter()
    out["figure JSON KB"] = len(fig.to_json()) / 1024
    out["to JSON s"] = time.perf_counter() - t
    # memory in a second pass: tracing allocations slows everything it watches
    tracemalloc.start()
    parsed = scenarios.parse(content, "bench.csv")
    scenarios.compare(parsed.frame, ds.levels, ds.milestones, TODAY)
    charts.build_chart(ds, charts.ChartSpec(today=TODAY, scenarios=parsed.frame, width=960, height=820))
    out["peak extra MB"] = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return out


def browser_paths(contents: dict[int, bytes], repeats: int = 5) -> dict[int, float]:
    """Median seconds from choosing the file to the scenario drawn, per file size, on one served app
    (a fresh page each time; sizes interleaved, so a slow moment of the machine hits all alike). The
    file is handed over by path, as a person's browser reads it from disk: passed as a buffer,
    Playwright itself would spend seconds piping 8 MB into the browser, which no user waits for."""
    import statistics
    import tempfile

    from playwright.sync_api import sync_playwright

    from tests.browser import launch, served_app

    paths = {}
    for rows, content in contents.items():
        paths[rows] = Path(tempfile.mkdtemp()) / "bench.csv"
        paths[rows].write_bytes(content)
    times: dict[int, list[float]] = {rows: [] for rows in contents}
    with served_app() as base, sync_playwright() as p:
        browser = launch(p)
        for _ in range(repeats):
            for rows, path in paths.items():
                page = browser.new_page(viewport={"width": 1600, "height": 1000})
                page.goto(f"{base}/scenarios")
                page.wait_for_selector(".js-plotly-plot g.annotation", timeout=60_000)
                page.wait_for_timeout(1000)  # the page has reported its width and settled
                t = time.perf_counter()
                page.locator("[data-testid='stFileUploaderDropzoneInput']").first.set_input_files(str(path))
                drawn = page.locator(".js-plotly-plot .legendtext").filter(has_text="Scenario 1").first
                drawn.wait_for(timeout=120_000)
                times[rows].append(time.perf_counter() - t)
                page.close()
        browser.close()
    return {rows: statistics.median(ts) for rows, ts in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    ds = data.load()
    scenarios.parse(make_csv(100), "warm.csv")  # imports and caches, not counted
    contents = {rows: make_csv(rows) for rows in (1_000, 100_000, 300_000)}
    for rows, content in contents.items():
        figures = python_path(content, ds)
        print(
            f"{rows:>7,} rows ({len(content) / 2**20:.1f} MB): "
            + ", ".join(f"{k} {v:.2f}" if "KB" not in k else f"{k} {v:.0f}" for k, v in figures.items()),
            flush=True,
        )
    if not args.no_browser:
        medians = browser_paths(contents)
        for rows, seconds in medians.items():
            print(f"{rows:>7,} rows: browser upload-to-chart, median of 5: {seconds:.2f} s")
        print(f"300k minus 1k: {medians[300_000] - medians[1_000]:.2f} s (goal <= 1.0)")


if __name__ == "__main__":
    main()
