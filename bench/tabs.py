"""A few hundred analysts on two replicas: N sessions held open at once through HAProxy, as a team's morning
brings them.

Two replicas of this app (serve.py) on a throwaway PostgreSQL, behind HAProxy with the checked-in config.
Most sessions are held by a client that speaks Streamlit's own websocket protocol (the `streamlit.proto`
messages a browser sends and receives: a script run asked for, its deltas, its end; a file uploaded the way
the browser's uploader does it); a few real Chromium tabs beside them time what an analyst sees. Per N:

- the sessions open the overview (at most --connecting at a time), a tenth upload a scenario, a third then
  switch page (Syria) or window (since 2003);
- with every session open and idle: the replicas' CPU per session and memory per session;
- the Chromium tabs' time to chart (navigation to plotted data), p50 and p95, against the same with no crowd;
- an editor approves a new Syria figure midway (written to the record's database, as another replica would):
  the time until every session shows it;
- errors (a session that did not connect, whose run did not finish, or whose upload failed).

After the largest N, the sessions close; Streamlit lets a session that is gone go after its
server.disconnectedSessionTTL (120 s by default), and the bench, once that has passed, opens as many
sessions again to see whether their memory was freed and reused (CPython keeps freed memory for reuse, so
the replicas' size does not fall by itself). Every loop is bounded in
count and time, and all traffic stays on 127.0.0.1. Prints figures; asserts nothing.

    .venv/bin/python bench/tabs.py [--sessions 50,100,200,400] [--browsers 5] [--connecting 20]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import statistics
import sys
import time
from pathlib import Path

import httpx
import websockets
from playwright.async_api import async_playwright
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.idle_tabs import approve
from bench.load import Server, cpu_seconds, descendants
from tests.browser import CHROMIUM, CHROMIUM_ARGS, haproxy

PLOTTED = ".js-plotly-plot .scatterlayer .trace"
NEW_FIGURE = b"fewer than 850"  # what the approval puts in the Syria headline (bench/idle_tabs.approve)
RUN_TIMEOUT = 120.0  # seconds a script run may take before the session counts as an error
SEEN_TIMEOUT = 60.0  # seconds every session may take to show the approval
TTL_WATCH = 135.0  # seconds after closing: Streamlit's disconnectedSessionTTL (120 s) and a little more
WINDOW_COOKIE = "fp_window=1280x800"


class Tab:
    """One analyst's tab, held by Streamlit's websocket protocol: no browser, the same messages."""

    def __init__(self, front: str):
        self.front = front
        self.http = httpx.AsyncClient(base_url=front, timeout=RUN_TIMEOUT)
        self.ws = None
        self.session_id = ""
        self.uploader_id = ""
        self.finished = asyncio.Event()
        self.chart_at: float | None = None
        self.seen_at: float | None = None
        self.reader: asyncio.Task | None = None

    async def open(self) -> float:
        """Connect (the balancer's sticky cookie and Streamlit's XSRF cookie first, as a page load gets
        them) and run the overview; returns seconds to its chart."""
        started = time.perf_counter()
        await self.http.get("/_stcore/health")
        cookies = "; ".join([WINDOW_COOKIE, *(f"{k}={v}" for k, v in self.http.cookies.items())])
        xsrf = self.http.cookies.get("_streamlit_xsrf", "")
        self.ws = await websockets.connect(
            self.front.replace("http://", "ws://") + "/_stcore/stream",
            subprotocols=["streamlit", xsrf] if xsrf else ["streamlit"],
            additional_headers={"Cookie": cookies},
            max_size=None,
            open_timeout=RUN_TIMEOUT,
        )
        self.reader = asyncio.create_task(self._read())
        await self.run(ClientState())
        return (self.chart_at or time.perf_counter()) - started

    async def run(self, state: ClientState) -> None:
        """Ask for a script run as the browser does and wait until it has finished."""
        self.finished.clear()
        msg = BackMsg()
        msg.rerun_script.CopyFrom(state)
        await self.ws.send(msg.SerializeToString())
        await asyncio.wait_for(self.finished.wait(), RUN_TIMEOUT)

    async def _read(self) -> None:
        async for raw in self.ws:
            if NEW_FIGURE in raw and self.seen_at is None:
                self.seen_at = time.time()
            msg = ForwardMsg()
            msg.ParseFromString(raw)
            kind = msg.WhichOneof("type")
            if kind == "new_session":
                self.session_id = msg.new_session.initialize.session_id
            elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                element = msg.delta.new_element
                if element.WhichOneof("type") == "plotly_chart" and self.chart_at is None:
                    self.chart_at = time.perf_counter()
                elif element.WhichOneof("type") == "file_uploader":
                    self.uploader_id = element.file_uploader.id
            elif kind == "file_urls_response":
                self.file_urls = msg.file_urls_response
                self.finished.set()
            elif kind == "script_finished":
                self.finished.set()

    async def upload(self, name: str) -> None:
        """Upload a scenario CSV through the sidebar's uploader, as the browser's uploader does: ask the
        session for an upload address, PUT the file there, then run the page with the uploader's state."""
        csv = f"scenario,date,country,troops\n{name},2026-03-01,Syria,800\n{name},2026-09-01,Syria,400\n".encode()
        ask = BackMsg()
        ask.file_urls_request.request_id = name
        ask.file_urls_request.file_names.append(f"{name}.csv")
        ask.file_urls_request.session_id = self.session_id
        self.finished.clear()
        await self.ws.send(ask.SerializeToString())
        await asyncio.wait_for(self.finished.wait(), RUN_TIMEOUT)
        (urls,) = self.file_urls.file_urls
        reply = await self.http.put(
            urls.upload_url,
            files={"file": (f"{name}.csv", csv, "text/csv")},
            headers={"X-Xsrftoken": self.http.cookies.get("_streamlit_xsrf", "")},
        )
        reply.raise_for_status()
        widget = WidgetState(id=self.uploader_id)
        info = widget.file_uploader_state_value.uploaded_file_info.add()
        info.name, info.size, info.file_id = f"{name}.csv", len(csv), urls.file_id
        info.file_urls.CopyFrom(urls)
        state = ClientState()
        state.widget_states.widgets.append(widget)
        await self.run(state)

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        if self.reader is not None:
            self.reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self.reader
        await self.http.aclose()


def rss_mb(pid: int) -> float:
    """The resident memory of a process and its children, in MB."""
    total = 0
    for one in [pid, *descendants(pid)]:
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{one}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
    return total / 1024


def cpu(replicas: list[Server]) -> float:
    return sum(cpu_seconds(p) for r in replicas for p in [r.proc.pid, *descendants(r.proc.pid)])


async def cpu_rate(replicas: list[Server], seconds: float) -> float:
    """The replicas' CPU milliseconds per second over `seconds`."""
    before, started = cpu(replicas), time.perf_counter()
    await asyncio.sleep(seconds)
    return (cpu(replicas) - before) * 1000 / (time.perf_counter() - started)


async def chromium_times(browser, front: str, count: int) -> list[float]:
    """Seconds from navigation to plotted data for `count` new tabs, one after another."""
    out = []
    for _ in range(count):
        context = await browser.new_context(viewport={"width": 1280, "height": 800})
        page = await context.new_page()
        started = time.perf_counter()
        await page.goto(front + "/")
        await page.wait_for_selector(PLOTTED, state="attached", timeout=RUN_TIMEOUT * 1000)
        out.append(time.perf_counter() - started)
        await context.close()
    return out


def p95(values: list[float]) -> float:
    return sorted(values)[max(0, round(0.95 * len(values)) - 1)]


async def crowd(front: str, n: int, connecting: int) -> tuple[list[Tab], list[float], list[str]]:
    """N sessions opened (at most `connecting` at a time), a tenth uploading a scenario, a third switching."""
    gate = asyncio.Semaphore(connecting)
    tabs = [Tab(front) for _ in range(n)]
    errors: list[str] = []

    async def one(i: int, tab: Tab) -> float | None:
        async with gate:
            try:
                took = await tab.open()
                if i % 10 == 0:
                    await tab.upload(f"Morning plan {i}")
                return took
            except Exception as err:  # noqa: BLE001 (a bench counts every failure, whatever it is)
                errors.append(f"session {i}: {type(err).__name__}: {str(err)[:120]}")
                return None

    times = [t for t in await asyncio.gather(*(one(i, t) for i, t in enumerate(tabs))) if t is not None]

    async def switch(i: int, tab: Tab) -> None:
        async with gate:
            try:
                await tab.run(
                    ClientState(page_name="syria") if i % 2 else ClientState(query_string="window=since-2003")
                )
            except Exception as err:  # noqa: BLE001
                errors.append(f"session {i} switching: {type(err).__name__}: {str(err)[:120]}")

    await asyncio.gather(*(switch(i, t) for i, t in enumerate(tabs) if i % 3 == 1 and t.ws is not None))
    return tabs, times, errors


async def one_round(browser, cluster, n: int, args, last: bool) -> None:
    cluster.reset()
    env = dict(os.environ, FORCE_POSTURE_DATABASE_URL=cluster.url)
    replicas = [Server("serve.py", env), Server("serve.py", env)]
    try:
        with haproxy([r.base for r in replicas]) as front:
            for r in replicas:  # each replica's first run (and the record's schema) before anything is timed
                warm = Tab(r.base)
                await warm.open()
                await warm.close()
            alone = await chromium_times(browser, front, args.browsers)
            await asyncio.sleep(3)
            idle_before, mem_before = await cpu_rate(replicas, 5), sum(rss_mb(r.proc.pid) for r in replicas)
            started = time.perf_counter()
            tabs, times, errors = await crowd(front, n, args.connecting)
            opened = time.perf_counter() - started
            await asyncio.sleep(5)
            idle = await cpu_rate(replicas, 10)
            mem = sum(rss_mb(r.proc.pid) for r in replicas)
            held = [t for t in tabs if t.ws is not None and t.reader is not None and not t.reader.done()]
            busy = await chromium_times(browser, front, args.browsers)
            wall, spent = time.time(), cpu(replicas)
            await asyncio.to_thread(approve, cluster.url)
            ends = time.perf_counter() + SEEN_TIMEOUT
            while time.perf_counter() < ends and any(t.seen_at is None for t in held):
                await asyncio.sleep(0.1)
            spent = cpu(replicas) - spent
            seen = [t.seen_at - wall for t in held if t.seen_at is not None]
            late = len(held) - len(seen)
            print(
                f"N={n}: {len(held)} sessions held open ({len(times)} opened in {opened:.0f} s, time to chart "
                f"p50 {statistics.median(times):.2f} s p95 {p95(times):.2f} s), {len(errors)} errors"
            )
            print(
                f"  idle: replicas' CPU {max(0.0, idle - idle_before) / max(1, len(held)):.2f} ms/s per session; "
                f"memory {(mem - mem_before) / max(1, len(held)):.2f} MB per session ({mem:.0f} MB in all)"
            )
            print(
                f"  Chromium tabs ({args.browsers}): time to chart p50 {statistics.median(busy):.2f} s p95 "
                f"{p95(busy):.2f} s with the crowd; p50 {statistics.median(alone):.2f} s p95 {p95(alone):.2f} s "
                f"without (p95 ratio {p95(busy) / p95(alone):.2f})"
            )
            if seen:
                missed = f"; {late} never showed it within {SEEN_TIMEOUT:.0f} s" if late else ""
                print(
                    f"  an approval to every session: {max(seen):.1f} s (first {min(seen):.1f} s, median "
                    f"{statistics.median(seen):.1f} s){missed}; the replicas' CPU per page run again "
                    f"{spent * 1000 / max(1, len(seen)):.0f} ms"
                )
            else:
                print(f"  an approval: no session showed it within {SEEN_TIMEOUT:.0f} s")
            for line in errors[:5]:
                print(f"  error: {line}")
            await asyncio.gather(*(t.close() for t in tabs))
            if last and args.ttl_watch > 0:
                await memory_after_close(front, replicas, n, mem_before, mem, args.ttl_watch)
    finally:
        for r in replicas:
            r.stop()


async def memory_after_close(
    front: str, replicas: list[Server], n: int, before: float, held: float, ttl: float
) -> None:
    """After the sessions close: Streamlit lets a disconnected session go after its TTL; CPython keeps the
    freed memory for reuse rather than giving it back, so the bench waits out the TTL, opens as many
    sessions again, and reads how much more the replicas hold: little more means the first crowd's memory
    was freed and reused."""
    await asyncio.sleep(ttl)
    after_ttl = sum(rss_mb(r.proc.pid) for r in replicas)
    tabs, _, errors = await crowd(front, n, 20)
    await asyncio.sleep(5)
    again = sum(rss_mb(r.proc.pid) for r in replicas)
    await asyncio.gather(*(t.close() for t in tabs))
    print(
        f"  closed sessions: {after_ttl:.0f} MB held {ttl:.0f} s after closing (was {held:.0f} MB with them, "
        f"{before:.0f} MB before them); {n} new sessions then took it to {again:.0f} MB "
        f"({(again - after_ttl) / n:.2f} MB per session, against {(held - before) / n:.2f} MB the first time)"
        f"{f', {len(errors)} errors' if errors else ''}"
    )


async def main_async(sizes: list[int], args) -> None:
    from tests.postgres import Cluster

    cluster = Cluster()
    try:
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for k, n in enumerate(sizes):
                await one_round(browser, cluster, n, args, last=k == len(sizes) - 1)
            await browser.close()
    finally:
        cluster.close()
    print(
        "goals: 200 sessions on two replicas with the Chromium tabs' p95 time to chart at most 1.5x its value "
        "without them, every session showing an approval within 3 s, no error"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", default="50,100,200,400")
    parser.add_argument("--browsers", type=int, default=5)
    parser.add_argument("--connecting", type=int, default=20)
    parser.add_argument("--ttl-watch", type=float, default=TTL_WATCH, help="seconds to wait after closing")
    args = parser.parse_args()
    asyncio.run(main_async([int(n) for n in args.sessions.split(",")], args))


if __name__ == "__main__":
    main()
