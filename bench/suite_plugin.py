"""A pytest plugin for bench/suite.py: each test's time and the CPU its worker and the worker's processes
used meanwhile, one line per test in FP_SUITE_CPU_DIR (a file per worker)."""

from __future__ import annotations

import os
import time

import pytest

HZ = os.sysconf("SC_CLK_TCK")


def stat(pid: str) -> list[str] | None:
    """The fields of /proc/PID/stat after the command's name (state, parent, ...), or None if it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rpartition(")")[2].split()
    except OSError:
        return None


def tree_cpu(root: int) -> float:
    """CPU seconds used by `root` and every process under it (with the children they have waited for)."""
    children: dict[int, list[int]] = {}
    used: dict[int, float] = {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        if (fields := stat(pid)) is None:
            continue
        children.setdefault(int(fields[1]), []).append(int(pid))
        used[int(pid)] = sum(int(v) for v in fields[11:15]) / HZ
    total, todo = 0.0, [root]
    while todo:
        pid = todo.pop()
        total += used.get(pid, 0.0)
        todo.extend(children.get(pid, []))
    return total


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None):
    folder = os.environ.get("FP_SUITE_CPU_DIR")
    cpu, started = tree_cpu(os.getpid()), time.monotonic()
    yield
    if folder:
        with open(os.path.join(folder, f"{os.getpid()}.tsv"), "a") as f:
            f.write(f"{tree_cpu(os.getpid()) - cpu:.2f}\t{time.monotonic() - started:.2f}\t{item.nodeid}\n")
