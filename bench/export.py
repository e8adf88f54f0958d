"""Export timings: the first export in a fresh process (kaleido's browser start included), warm
exports after it (median per format), and a batch of all three charts in all four formats.
Prints figures; asserts nothing.

    .venv/bin/python bench/export.py [--runs 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from force_posture import data, export  # noqa: E402

TODAY = dt.date(2026, 11, 24)
COLD = """
import datetime as dt, sys, time
t = time.perf_counter()
from force_posture import data, export
ds = data.load()
export.export(ds, export.Briefing(today=dt.date(2026, 11, 24)), sys.argv[1])
print(time.perf_counter() - t)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    for fmt in export.FORMATS:
        out = subprocess.run([sys.executable, "-c", COLD, fmt], cwd=ROOT, capture_output=True, text=True, check=True)
        print(f"first {fmt:4s} in a fresh process (imports, data, browser start): {float(out.stdout):.2f} s")
    ds = data.load()
    brief = export.Briefing(today=TODAY)
    export.export(ds, brief, "png")  # start the warm browser
    for fmt in export.FORMATS:
        times = []
        for _ in range(args.runs):
            t = time.perf_counter()
            export.export(ds, brief, fmt)
            times.append(time.perf_counter() - t)
        print(f"warm {fmt:4s}: median {statistics.median(times):.2f} s ({', '.join(f'{x:.2f}' for x in times)})")
    fig = export.figure(ds, brief)
    times = []
    for _ in range(args.runs):
        t = time.perf_counter()
        export.image(fig, "png", *export.DEFAULT_SIZE)
        times.append(time.perf_counter() - t)
    print(f"warm png, figure already built (kaleido only): median {statistics.median(times):.2f} s")
    t = time.perf_counter()
    for chart in export.CHARTS:
        export.export_many(ds, export.Briefing(chart=chart, today=TODAY))
    print(f"batch: 3 charts x 4 formats in {time.perf_counter() - t:.2f} s (goal < 4 s)")


if __name__ == "__main__":
    main()
