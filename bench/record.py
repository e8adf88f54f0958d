"""The living record: what keeping a replica current costs, how soon an approval reaches another replica,
and how long the Review page takes to open with 1,000 open proposals. Prints figures only.

    .venv/bin/python bench/record.py [--approvals 20] [--database URL]

Without --database it uses a SQLite file of its own; give a PostgreSQL URL to measure a team's server.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from force_posture.core import amend, data
from force_posture.store import database, live, record

NOW, TODAY = dt.datetime.now(dt.UTC), dt.date.today()
ALICE, BOB = record.Analyst("alice", editor=False), record.Analyst("bob", editor=True)


def figure(i: int) -> amend.Change:
    day = (dt.date(2026, 1, 1) + dt.timedelta(days=i % 300)).isoformat()
    row = {
        "date": day,
        "country": "Iraq",
        "troops": str(200 + i),
        "low": "",
        "high": "",
        "qualifier": "about",
        "basis": "reported",
        "source": f"Bench source {i}",
        "url": f"https://example.org/{i}",
        "note": "A bench row.",
        "published": day,
    }
    return amend.Change(amend.NEW, data.LEVELS_FILE, quote="q", reason="bench", row=row)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--approvals", type=int, default=20)
    parser.add_argument("--database", help="a database URL (default: a SQLite file of its own)")
    args = parser.parse_args()
    url = args.database or f"sqlite:///{tempfile.mkdtemp(prefix='fp-bench-record-')}/record.sqlite3"
    editor_side = record.Record(database.Database(url))
    other = record.Record(database.Database(url))  # the other replica: its own engine, as another process has
    replica = live.Live(url=url, interval=1.0)
    replica.record = lambda: other
    replica.dataset()  # started, its thread polling once a second

    n = 20_000
    t0 = time.perf_counter()
    for _ in range(n):
        _ = replica.dataset().version  # what a page's watch fragment does on each of its runs
    print(f"reading the current record (a watch fragment's work): {(time.perf_counter() - t0) / n * 1e6:.2f} µs")
    t0 = time.perf_counter()
    for _ in range(50):
        other.pulse()
    print(
        f"a poll (newest approval, how many wait, newest round and decision; once a second, in the background): "
        f"{(time.perf_counter() - t0) / 50 * 1000:.2f} ms"
    )

    delays = []
    for i in range(args.approvals):
        p = editor_side.propose(ALICE, figure(i), NOW, TODAY)
        done = editor_side.decide(BOB, p.thread, p.latest.id, record.APPROVED, "", NOW, TODAY)
        t0 = time.perf_counter()
        while replica.dataset().version != done.latest.version:
            threading.Event().wait(0.01)
        delays.append(time.perf_counter() - t0)
    q = statistics.quantiles(delays, n=20)
    print(
        f"approval to the other replica's record ({args.approvals} approvals, poll every 1 s): "
        f"p50 {statistics.median(delays):.2f} s, p95 {q[18]:.2f} s (an open page adds up to 2 s: its watch)"
    )
    replica.stop()

    for i in range(args.approvals, 1000 + args.approvals):
        editor_side._write(ALICE, figure(i), NOW, thread=None)  # noqa: SLF001 (1,000 open proposals, fast)
    from streamlit.testing.v1 import AppTest

    os.environ[database.DATABASE_ENV] = url
    live._shared = live.Live(url=url, interval=3600)  # noqa: SLF001
    times = []
    for _ in range(3):
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=300)
        at.switch_page("pages/review.py")
        t0 = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - t0)
        assert not at.exception, at.exception
    print(
        f"Review page with {len(editor_side.proposals())} open proposals: "
        f"{', '.join(f'{t:.2f}' for t in times)} s (first, then warm)"
    )


if __name__ == "__main__":
    main()
