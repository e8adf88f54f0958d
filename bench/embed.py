"""Chart addresses for other tools, and a team's balancer serving the static parts. Prints figures;
asserts nothing.

1. A kept image (/chart/<chart>.png asked again): the server's own time per answer (its Server-Timing
   header) p50/p95, and the round trip on this machine.
2. An image not yet drawn (a new size each time): p50 of the server's time.
3. 100 identical requests for one new image at once: how many drawings were made, p95 of the waits.
4. Replica CPU per first visit (a new browser, nothing cached, 1600x1000) through HAProxy
   (deploy/haproxy.cfg, two replicas), with the balancer's cache of static parts and without it, beside a
   bare one-chart Streamlit page through the same balancer with its cache: as read from /proc, and less
   the replicas' idle rate (what they spend with no visitor, measured just before) over the same time.

    .venv/bin/python bench/embed.py [--visits 8]
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import contextlib
import re
import statistics
import sys
import time
import urllib.request
from pathlib import Path

from playwright.async_api import async_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.load import TIMEOUT_MS, Server, cpu_seconds
from tests.browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, free_port, wait_healthy


def get(url: str) -> tuple[float, dict, bytes]:
    t0 = time.perf_counter()
    with urllib.request.urlopen(url, timeout=300) as reply:  # noqa: S310 (loopback)
        body = reply.read()
        return time.perf_counter() - t0, {k.lower(): v for k, v in reply.headers.items()}, body


def server_ms(headers: dict) -> float:
    return float(re.search(r"dur=([0-9.]+)", headers["server-timing"]).group(1))


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def images(base: str) -> None:
    get(f"{base}/chart/syria.png")  # the export browser's start is not an image's cost
    kept = [get(f"{base}/chart/syria.png") for _ in range(200)]
    served = [server_ms(h) for _, h, _ in kept]
    trips = [t * 1000 for t, _, _ in kept]
    print(
        f"kept image: server p50 {pct(served, 0.5):.2f} ms, p95 {pct(served, 0.95):.2f} ms; "
        f"round trip p50 {pct(trips, 0.5):.1f} ms, p95 {pct(trips, 0.95):.1f} ms (200 requests)"
    )
    new = [server_ms(get(f"{base}/chart/overview.png?width={640 + 40 * i}&height=480")[1]) for i in range(8)]
    print(f"new image: server p50 {statistics.median(new) / 1000:.2f} s (8 sizes, each drawn once)")
    url = f"{base}/chart/iraq.png?window=since-2003&scale=log&width=1200&height=700"
    with concurrent.futures.ThreadPoolExecutor(100) as pool:
        replies = list(pool.map(lambda _: get(url), range(100)))
    drawn = sum(h["x-image"] == "drawn" for _, h, _ in replies)
    waits = [t for t, _, _ in replies]
    print(
        f"100 identical at once: {drawn} drawing(s) made, wait p50 {pct(waits, 0.5):.2f} s, "
        f"p95 {pct(waits, 0.95):.2f} s"
    )


@contextlib.contextmanager
def balancer(replicas: list[str], cache: bool):
    """deploy/haproxy.cfg in front of the replicas, as is or with its cache lines taken out."""
    import subprocess

    config = (ROOT / "deploy" / "haproxy.cfg").read_text()
    port = free_port()
    config = config.replace("bind 127.0.0.1:8500", f"bind 127.0.0.1:{port}")
    for default, base in zip(("127.0.0.1:8511", "127.0.0.1:8512"), replicas, strict=True):
        config = config.replace(default, base.removeprefix("http://"))
    if not cache:
        config = "\n".join(line for line in config.splitlines() if "cache-use" not in line) + "\n"
    path = ARTIFACTS / f"haproxy-bench-{port}.cfg"
    ARTIFACTS.mkdir(exist_ok=True)
    path.write_text(config)
    proc = subprocess.Popen(["haproxy", "-f", str(path), "-db"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        if not wait_healthy(base, proc, 60):
            raise RuntimeError(f"haproxy did not start: {proc.stderr.read().decode()[-500:]}")
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=15)


VIEWPORT = {"width": 1600, "height": 1000}


async def first_visits(front: str, servers: list[Server], visits: int) -> tuple[float, float]:
    """Replica CPU seconds per first visit (each a new browser context, one after the other): as read,
    and less what the replicas spend with no visitor at all over the same time (their idle rate,
    measured just before: Streamlit's own file pollers, the record's poll)."""

    def replicas_cpu() -> float:
        return sum(cpu_seconds(s.proc.pid) for s in servers)

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            # the balancer's cache and the replicas' own first runs, at the size the visits have: a chart
            # laid out for a new width is built once per replica, for its first visitor only
            warm = await browser.new_context(viewport=VIEWPORT)
            page = await warm.new_page()
            for _ in range(2 * len(servers)):
                await page.goto(front, timeout=TIMEOUT_MS)
                await page.wait_for_selector(".js-plotly-plot .main-svg", timeout=TIMEOUT_MS)
                await warm.clear_cookies()  # the balancer's cookie too: the next one goes to the other replica
            await warm.close()
            await asyncio.sleep(2)
            t0, cpu0 = time.perf_counter(), replicas_cpu()
            await asyncio.sleep(5)
            idle = (replicas_cpu() - cpu0) / (time.perf_counter() - t0)
            t0, cpu0 = time.perf_counter(), replicas_cpu()
            for _ in range(visits):
                context = await browser.new_context(viewport=VIEWPORT)
                page = await context.new_page()
                await page.goto(front, timeout=TIMEOUT_MS)
                await page.wait_for_selector(".js-plotly-plot .main-svg", timeout=TIMEOUT_MS)
                await asyncio.sleep(1)  # a size report and the run it would cause belong to this visit
                await context.close()
            await asyncio.sleep(1)
            spent = replicas_cpu() - cpu0
            return spent / visits, (spent - idle * (time.perf_counter() - t0)) / visits
        finally:
            await browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--visits", type=int, default=8)
    args = parser.parse_args()
    one = Server("serve.py")
    try:
        images(one.base)
    finally:
        one.stop()
    figures = {}
    for label, script, cache in (
        ("dashboard, with the cache", "serve.py", True),
        ("dashboard, no cache", "serve.py", False),
        ("bare one-chart page, with the cache", "bench/bare_app.py", True),
    ):
        servers = [Server(script), Server(script)]
        try:
            with balancer([s.base for s in servers], cache) as front:
                figures[label] = asyncio.run(first_visits(front, servers, args.visits))
        finally:
            for s in servers:
                s.stop()
        read, net = figures[label]
        print(f"replica CPU per first visit through HAProxy, {label}: {read:.3f} s as read, {net:.3f} s less idle")
    bare = figures["bare one-chart page, with the cache"]
    for label in ("dashboard, with the cache", "dashboard, no cache"):
        (read, net), (bare_read, bare_net) = figures[label], bare
        print(
            f"  {label}: {read / bare_read:.2f}x the bare page as read, {net / bare_net:.2f}x less idle "
            "(goal: at most 1.3x with the cache)"
        )


if __name__ == "__main__":
    main()
