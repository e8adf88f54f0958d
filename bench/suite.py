"""Where the test suite's time goes: the whole suite (or the pytest arguments given) run as `make test`
runs it, with the CPU each test's processes used (the pytest worker and everything it started: the test
Chromium, the served apps, PostgreSQL, HAProxy) and the machine's CPU by kind of process. Prints figures
only.

    .venv/bin/python bench/suite.py                 # the whole suite, as `make test` runs it
    .venv/bin/python bench/suite.py -m "not browser and not team"   # `make check`'s tier

On a machine whose cores are all busy (this suite on two cores is), the suite gets faster only by
asking less CPU of it: the per-test figures say where that CPU is spent, not where time is waited.
"""

from __future__ import annotations

import collections
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from suite_plugin import HZ, stat

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_EVERY = 1.0  # seconds between two looks at every process


def kind(command: str) -> str:
    """A process's kind, from its command line."""
    if "chromium" in command or "chrome" in command:
        for part in ("renderer", "gpu-process", "zygote", "utility"):
            if f"--type={part}" in command:
                return f"chromium {part}"
        return "chromium browser"
    for word, name in (
        ("streamlit", "streamlit (served app)"),
        ("force_posture", "force-posture command"),
        ("force-posture", "force-posture command"),
        ("postgres", "postgresql"),
        ("haproxy", "haproxy"),
        ("xdist", "pytest"),
        ("pytest", "pytest"),
        ("sys.stdin.readline", "pytest"),
        ("playwright", "playwright driver"),
        ("node", "playwright driver"),
    ):
        if word in command:
            return name
    return "other"


def _stat(pid: str) -> tuple[str, float] | None:
    """A process's start time (its identity with the pid) and the CPU seconds it has used."""
    fields = stat(pid)
    return None if fields is None else (fields[19], (int(fields[11]) + int(fields[12])) / HZ)


def _command(pid: str) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


class Sampler:
    """Every process's CPU seconds, looked at every SAMPLE_EVERY s; those that ended between two looks
    count what they had used at the last (a process that lives less than a second may be missed)."""

    def __init__(self) -> None:
        self.seen: dict[tuple[str, str], list] = {}  # (pid, start) -> [kind, CPU at first look, CPU now]
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _look(self) -> None:
        for pid in filter(str.isdigit, os.listdir("/proc")):
            got = _stat(pid)
            if got is None:
                continue
            key = (pid, got[0])
            if key not in self.seen:
                self.seen[key] = [kind(_command(pid)), got[1], got[1]]
            else:
                self.seen[key][2] = got[1]
                if self.seen[key][0] == "other":  # a command line read while it was being set
                    self.seen[key][0] = kind(_command(pid))

    def _run(self) -> None:
        while not self.done.is_set():
            self._look()
            self.done.wait(SAMPLE_EVERY)

    def by_kind(self) -> collections.Counter:
        used: collections.Counter = collections.Counter()
        for name, first, last in self.seen.values():
            used[name] += last - first
        return used


def _busy() -> tuple[float, float]:
    """The machine's busy and total CPU seconds since boot (all cores)."""
    with open("/proc/stat") as f:
        ticks = [int(v) for v in f.readline().split()[1:]]
    return (sum(ticks) - ticks[3] - ticks[4]) / HZ, sum(ticks) / HZ


def main(args: list[str]) -> None:
    out = Path(tempfile.mkdtemp(prefix="fp-suite-"))
    env = dict(os.environ, FP_SUITE_CPU_DIR=str(out), PYTHONPATH=f"{ROOT}/bench:{os.environ.get('PYTHONPATH', '')}")
    command = [sys.executable, "-m", "pytest", "-n", "2", "--dist", "loadgroup", "-q", "-p", "suite_plugin", *args]
    sampler = Sampler()
    sampler.thread.start()
    busy0, total0 = _busy()
    started = time.monotonic()
    run = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    wall = time.monotonic() - started
    busy1, total1 = _busy()
    sampler.done.set()
    sampler.thread.join()
    print(run.stdout.strip().splitlines()[-1] if run.stdout.strip() else run.stderr[-2000:])
    print(f"wall {wall:.0f} s; the machine's cores busy {100 * (busy1 - busy0) / (total1 - total0):.0f}% of it")
    used = sampler.by_kind()
    print(f"\nCPU by kind of process ({sum(used.values()):.0f} s in all):")
    for name, seconds in used.most_common():
        if seconds >= 1:
            print(f"  {seconds:7.1f} s  {name}")
    tests = [line.split("\t") for f in out.glob("*.tsv") for line in f.read_text().splitlines()]
    per_file: dict[str, list[float]] = collections.defaultdict(lambda: [0.0, 0.0, 0])
    for cpu, seconds, nodeid in tests:
        row = per_file[nodeid.split("::")[0]]
        row[0], row[1], row[2] = row[0] + float(cpu), row[1] + float(seconds), row[2] + 1
    print("\nper test file: CPU of the worker and what it started, time, tests")
    for name, (cpu, seconds, count) in sorted(per_file.items(), key=lambda kv: -kv[1][0])[:20]:
        print(f"  {cpu:7.1f} s CPU {seconds:7.1f} s {count:5d}  {name}")
    print("\nthe 15 tests that used the most CPU")
    for cpu, seconds, nodeid in sorted(tests, key=lambda t: -float(t[0]))[:15]:
        print(f"  {float(cpu):6.1f} s CPU {float(seconds):6.1f} s  {nodeid[:110]}")


if __name__ == "__main__":
    main(sys.argv[1:])
