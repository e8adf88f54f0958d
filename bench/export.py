"""Export timings: the first export in a fresh process (kaleido's browser start included), warm
exports after it (median per format), a batch of all three charts in all four formats, and ten
concurrent exports of ten different views for each size of the export browser's tab pool.
Prints figures; asserts nothing.

    .venv/bin/python bench/export.py [--runs 5] [--tabs 1,2,3,4]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from force_posture.core import data, scenarios
from force_posture.core.view import View
from force_posture.exports import export, renderer

TODAY = dt.date(2026, 11, 24)
COLD = """
import datetime as dt, sys, time
t = time.perf_counter()
from force_posture.core import data
from force_posture.exports import export
ds = data.load()
export.export(ds, export.Briefing(today=dt.date(2026, 11, 24)), sys.argv[1])
print(time.perf_counter() - t)
"""


def _median_time(work, runs: int) -> tuple[float, list[float]]:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        work()
        times.append(time.perf_counter() - t)
    return statistics.median(times), times


def _views() -> list[tuple[str, export.Briefing]]:
    """Ten different views: seven analysts' own scenarios on three charts, three plain views."""
    base = scenarios.parse((ROOT / "data/scenarios/slower_drawdown.csv").read_bytes(), "slower.csv").frame
    out = []
    for i in range(7):
        name = f"Analyst {i} plan"
        frame = base.assign(scenario=name, troops=base["troops"] - 50 * i)
        out.append((name, export.Briefing(chart=list(export.CHARTS)[i % 3], today=TODAY, scenarios=frame)))
    out.append(("plain iraq log", export.Briefing(chart="iraq", today=TODAY, view=View(scale="log"))))
    out.append(("plain 2003", export.Briefing(today=TODAY, view=View(window="since-2003"))))
    out.append(("plain syria", export.Briefing(chart="syria", today=TODAY)))
    return out


def concurrent(ds, tabs: int) -> None:
    """Ten threads export ten different views (PNG) at once on a fresh service with `tabs` tabs."""
    renderer._service = renderer.ExportService(tabs=tabs)  # noqa: SLF001 (the bench swaps the pool size)
    views = _views()
    alone = {name: export.export(ds, b, "png") for name, b in views}  # references, and a warm browser
    latencies, got = [], {}
    barrier = threading.Barrier(len(views))

    def analyst(name, brief):
        barrier.wait()
        t = time.perf_counter()
        got[name] = export.export(ds, brief, "png")
        latencies.append(time.perf_counter() - t)

    threads = [threading.Thread(target=analyst, args=v) for v in views]
    t = time.perf_counter()
    [th.start() for th in threads]
    [th.join() for th in threads]
    total = time.perf_counter() - t
    correct = sum(got[name] == alone[name] for name, _ in views)
    q = statistics.quantiles(latencies, n=20)
    print(
        f"10 concurrent PNG exports, {tabs} tab{'s' * (tabs > 1)}: {correct}/10 correct, total {total:.2f} s, "
        f"p50 {statistics.median(latencies):.2f} s, p95 {q[18]:.2f} s (goal: all correct, p95 < 2 s)"
    )
    renderer._service.stop()  # noqa: SLF001
    renderer._service = None  # noqa: SLF001


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--tabs", default="1,2,3,4", help="tab-pool sizes to compare (default 1,2,3,4)")
    args = parser.parse_args()
    for fmt in export.FORMATS:
        out = subprocess.run([sys.executable, "-c", COLD, fmt], cwd=ROOT, capture_output=True, text=True, check=True)
        print(f"first {fmt:4s} in a fresh process (imports, data, browser start): {float(out.stdout):.2f} s")
    ds = data.load()
    brief = export.Briefing(today=TODAY)
    export.export(ds, brief, "png")  # start the warm browser
    for fmt in export.FORMATS:
        median, times = _median_time(lambda fmt=fmt: export.export(ds, brief, fmt), args.runs)
        print(f"warm {fmt:4s}, same view again: median {median:.2f} s ({', '.join(f'{x:.2f}' for x in times)})")
    fresh = iter(range(10_000))  # a view never exported before: its figure is built (about 0.1 s)
    median, times = _median_time(
        lambda: export.export(ds, export.Briefing(today=TODAY, width=1600 + next(fresh)), "png"), args.runs
    )
    print(f"warm png, a new view (figure built): median {median:.2f} s ({', '.join(f'{x:.2f}' for x in times)})")
    fig = export.figure_dict(ds, brief)
    median, _ = _median_time(lambda: export.image(fig, "png", *export.DEFAULT_SIZE), args.runs)
    print(f"warm png, kaleido only (figure already built): median {median:.2f} s")
    median, _ = _median_time(lambda: export.figure(ds, export.Briefing(today=TODAY)), args.runs)
    print(f"figure build alone (1600x900 overview): median {median:.2f} s")
    t = time.perf_counter()
    for chart in export.CHARTS:
        export.export_many(ds, export.Briefing(chart=chart, today=TODAY))
    print(f"batch: 3 charts x 4 formats in {time.perf_counter() - t:.2f} s (goal < 4 s)")
    renderer.shutdown()
    for tabs in (int(x) for x in args.tabs.split(",")):
        concurrent(ds, tabs)


if __name__ == "__main__":
    main()
