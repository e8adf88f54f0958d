"""Shared helpers for browser tests: serve the real app and drive Debian's Chromium."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def free_port() -> int:
    with contextlib.closing(socket.socket()) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def streamlit_command(script: str, port: int) -> list[str]:
    """`streamlit run SCRIPT` on 127.0.0.1:PORT, headless: how the tests and benchmarks serve the app."""
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(ROOT / script),
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
    ]


def wait_healthy(base: str, proc: subprocess.Popen, timeout: float) -> bool:
    """True once `base`/_stcore/health answers 200 (through a balancer too); False if the process
    ends or `timeout` seconds pass first."""
    deadline = time.monotonic() + timeout
    while proc.poll() is None and time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + "/_stcore/health", timeout=2) as r:  # noqa: S310 (loopback)
                if r.status == 200:
                    return True
        except OSError:
            pass
        time.sleep(0.2)
    return False


@contextlib.contextmanager
def served_app(script: str = "serve.py", env: dict | None = None, timeout: float = 90):
    """`streamlit run` on 127.0.0.1 and a free port; yields the base URL; always stops the server."""
    port = free_port()
    cmd = streamlit_command(script, port)
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        if not wait_healthy(base, proc, timeout):
            out = proc.stdout.read().decode(errors="replace") if proc.stdout else ""
            raise RuntimeError(f"streamlit did not start on {base}:\n{out[-2000:]}")
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def launch(playwright):
    if not Path(CHROMIUM).exists():
        raise RuntimeError("Debian's chromium is missing: run `make test` (it installs it) or apt-get install chromium")
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


@contextlib.contextmanager
def haproxy(replicas: list[str]):
    """HAProxy with the checked-in config, its two replica addresses and its port swapped for the test's."""
    config = (ROOT / "deploy" / "haproxy.cfg").read_text()
    port = free_port()
    config = config.replace("bind 127.0.0.1:8500", f"bind 127.0.0.1:{port}")
    for default, base in zip(("127.0.0.1:8511", "127.0.0.1:8512"), replicas, strict=True):
        assert default in config
        config = config.replace(default, base.removeprefix("http://"))
    path = ARTIFACTS / "haproxy-test.cfg"
    ARTIFACTS.mkdir(exist_ok=True)
    path.write_text(config)
    proc = subprocess.Popen(["haproxy", "-f", str(path), "-db"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        if not wait_healthy(base, proc, 20):
            raise RuntimeError(f"haproxy did not start: {proc.stderr.read().decode()[-1000:]}")
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)
