"""A crowd on one server: N browser sessions (N = 1, 10, 25) open the overview at once, each uploads
its own scenario and exports one SVG; the same crowd then opens a bare one-chart Streamlit page.

Reports per N: sessions with no error, crossed exports (a file naming another session's scenario or
not its own), p50/p95 seconds to the first chart, to the scenario on the chart and to the download,
and the CPU seconds per session of the server process (from /proc/<pid>/stat) and of its export
browser; then the server CPU per session when the same crowd opens the overview or the bare page
again in browsers that have been there before. Prints figures; asserts nothing. On this 2-core
machine the N browser sessions run on the same two cores as the server, so the waits mostly measure
the crowd's own browsers.

    .venv/bin/python bench/load.py [--sessions 1,10,25] [--team]

--team: the same crowds through HAProxy (deploy/haproxy.cfg) to two replicas sharing a throwaway
PostgreSQL library; each session opens the Scenarios page, uploads its own scenario, saves it to the
library and finds it in the list. Reports errors, lost saves (sessions whose save is not in the
database), p50/p95 per step, and the two replicas' CPU seconds per session.
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import os
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from playwright.async_api import async_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.browser import CHROMIUM, CHROMIUM_ARGS, free_port, haproxy, streamlit_command, wait_healthy

TIMEOUT_MS = 300_000
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User plus system CPU seconds of one process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    out, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def tree_cpu(pid: int) -> float:
    total = 0.0
    for child in descendants(pid):
        try:
            total += cpu_seconds(child)
        except OSError:
            pass
    return total


class Server:
    def __init__(self, script: str, env: dict | None = None):
        self.port = free_port()
        self.proc = subprocess.Popen(
            streamlit_command(script, self.port),
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        self.base = f"http://127.0.0.1:{self.port}"
        if not wait_healthy(self.base, self.proc, 90):
            raise RuntimeError(f"{script} did not start")

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=15)


async def upload(page, file_name: str, name: str, country: str, march: int, september: int) -> None:
    """Upload a two-point scenario through the page and wait until its line is on the chart."""
    csv = (
        f"scenario,date,country,troops\n{name},2026-03-01,{country},{march}\n{name},2026-09-01,{country},{september}\n"
    )
    await page.locator("[data-testid='stFileUploaderDropzoneInput']").first.set_input_files(
        [{"name": file_name, "mimeType": "text/csv", "buffer": csv.encode()}]
    )
    await page.locator(".js-plotly-plot .legendtext").filter(has_text=name).first.wait_for(timeout=TIMEOUT_MS)


async def app_session(browser, base: str, i: int) -> dict:
    name = f"Load plan {i:02d} {'Z' * (i % 5 + 1)}"
    out: dict = {"name": name}
    context = await browser.new_context(viewport={"width": 1600, "height": 1000}, accept_downloads=True)
    try:
        page = await context.new_page()
        t0 = time.perf_counter()
        await page.goto(base, timeout=TIMEOUT_MS)
        await page.wait_for_selector(".js-plotly-plot g.annotation", timeout=TIMEOUT_MS)
        out["chart"] = time.perf_counter() - t0
        t1 = time.perf_counter()
        await upload(page, f"plan{i}.csv", name, "Syria", 800 - i, 400 + i)
        out["scenario"] = time.perf_counter() - t1
        t2 = time.perf_counter()
        async with page.expect_download(timeout=TIMEOUT_MS) as info:
            await page.get_by_role("button", name="SVG", exact=True).click()
        download = await info.value
        svg = Path(await download.path()).read_text()
        out["download"] = time.perf_counter() - t2
        out["own"] = name in svg
        out["svg"] = svg
    except Exception as err:  # noqa: BLE001 (counted as a session with an error)
        out["error"] = f"{type(err).__name__}: {str(err).splitlines()[0][:120]}"
    finally:
        await context.close()
    return out


async def open_page(context, base: str) -> dict:
    """Open the page in a new tab of this browser context until its chart is drawn."""
    page = await context.new_page()
    try:
        t0 = time.perf_counter()
        await page.goto(base, timeout=TIMEOUT_MS)
        await page.wait_for_selector(".js-plotly-plot .main-svg", timeout=TIMEOUT_MS)
        await asyncio.sleep(1)  # the width report, and the run it may cause, belong to this session
        return {"chart": time.perf_counter() - t0 - 1}
    except Exception as err:  # noqa: BLE001
        return {"error": f"{type(err).__name__}: {err}"[:160]}
    finally:
        await page.close()


async def bare_session(browser, base: str) -> dict:
    """A first visit: the page opened in a new browser context (nothing cached, no cookies)."""
    context = await browser.new_context(viewport={"width": 1600, "height": 1000})
    try:
        return await open_page(context, base)
    finally:
        await context.close()


async def returning_crowd(browser, server: Server, n: int) -> float:
    """Server CPU seconds for n analysts who have opened the page before (their browsers keep
    Streamlit's static files, cached for a year, and the screen-size cookie) opening it again at once."""
    contexts = [await browser.new_context(viewport={"width": 1600, "height": 1000}) for _ in range(n)]
    try:
        for context in contexts:  # the earlier visit, one at a time
            await open_page(context, server.base)
        await asyncio.sleep(3)
        cpu0 = cpu_seconds(server.proc.pid)
        results = await asyncio.gather(*(open_page(context, server.base) for context in contexts))
        await asyncio.sleep(1)
        errors = [r["error"] for r in results if "error" in r]
        if errors:
            print(f"        returning: {len(errors)} errors, e.g. {errors[0]}")
        return cpu_seconds(server.proc.pid) - cpu0
    finally:
        for context in contexts:
            await context.close()


async def static_files(browser, server: Server, loads: int = 10) -> tuple[int, int, float]:
    """The static files a first visit loads (Streamlit's JavaScript chunks, fonts, the page), and the
    server CPU seconds it takes to serve them alone, per visit: the floor under a first visit's CPU."""
    context = await browser.new_context(viewport={"width": 1600, "height": 1000})
    page = await context.new_page()
    urls: list[str] = []
    page.on(
        "request",
        lambda r: (
            urls.append(r.url)
            if r.url.split(server.base, 1)[-1].startswith(("/static/", "/favicon")) or r.url.rstrip("/") == server.base
            else None
        ),
    )
    await page.goto(server.base, timeout=TIMEOUT_MS)
    await page.wait_for_selector(".js-plotly-plot .main-svg", timeout=TIMEOUT_MS)
    await asyncio.sleep(2)
    await context.close()

    def fetch(url: str) -> int:
        with urllib.request.urlopen(urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})) as response:
            return len(response.read())

    cpu0 = cpu_seconds(server.proc.pid)
    with concurrent.futures.ThreadPoolExecutor(6) as pool:  # a browser's six connections
        for _ in range(loads):
            size = sum(pool.map(fetch, urls))
    return len(urls), size, (cpu_seconds(server.proc.pid) - cpu0) / loads


def pct(values: list[float]) -> str:
    if not values:
        return "n/a"
    values = sorted(values)
    p95 = values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]
    return f"p50 {statistics.median(values):.2f} s, p95 {p95:.2f} s"


async def crowd(browser, server: Server, n: int, bare: bool) -> tuple[list[dict], float, float]:
    cpu0, tree0 = cpu_seconds(server.proc.pid), tree_cpu(server.proc.pid)
    if bare:
        results = await asyncio.gather(*(bare_session(browser, server.base) for _ in range(n)))
    else:
        results = await asyncio.gather(*(app_session(browser, server.base, i) for i in range(n)))
    await asyncio.sleep(1)  # let the server finish closing the sessions' websockets
    return list(results), cpu_seconds(server.proc.pid) - cpu0, tree_cpu(server.proc.pid) - tree0


async def main_async(sizes: list[int]) -> None:
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for label, script in (("app overview", "serve.py"), ("bare page", "bench/bare_app.py")):
            server = Server(script)
            count, size, cpu = await static_files(browser, server)
            server.stop()
            print(
                f"Static files of a first visit, {label}: {count} files, {size / 1e6:.1f} MB; "
                f"the server's CPU to serve them alone {cpu:.3f} s per visit"
            )
        for n in sizes:
            app = Server("serve.py")
            await crowd(browser, app, 1, bare=False)  # warm: data, charts, export browser
            await asyncio.sleep(3)  # let the start-up warm-up finish before counting CPU
            results, cpu, export_cpu = await crowd(browser, app, n, bare=False)
            app.stop()
            names = [r["name"] for r in results]
            ok = [r for r in results if "error" not in r]
            crossed = sum(1 for r in ok if not r["own"] or any(o in r["svg"] for o in names if o != r["name"]))
            print(f"N={n:2d} app:  {len(ok)}/{n} sessions without error, {crossed} crossed exports")
            for step in ("chart", "scenario", "download"):
                print(f"        to {step:8s}: {pct([r[step] for r in ok])}")
            print(f"        server CPU per session {cpu / n:.3f} s; export browser {export_cpu / n:.3f} s per session")
            for r in results:
                if "error" in r:
                    print(f"        error: {r['error']}")
            bare = Server("bench/bare_app.py")
            await crowd(browser, bare, 1, bare=True)
            results, bare_cpu, _ = await crowd(browser, bare, n, bare=True)
            bare.stop()
            ok = [r for r in results if "error" not in r]
            print(f"N={n:2d} bare: {len(ok)}/{n} sessions without error; to chart: {pct([r['chart'] for r in ok])}")
            print(
                f"        server CPU per session {bare_cpu / n:.3f} s; app/bare {cpu / max(bare_cpu, 1e-9):.2f} "
                "(the app's sessions also upload, compare and export; the bare page only draws)"
            )
            view = Server("serve.py")
            await crowd(browser, view, 1, bare=True)
            await asyncio.sleep(3)
            _, view_cpu, _ = await crowd(browser, view, n, bare=True)
            view.stop()
            print(
                f"        app overview opened only (same steps as the bare page): server CPU per session "
                f"{view_cpu / n:.3f} s, {view_cpu / max(bare_cpu, 1e-9):.2f}x the bare page (goal <= 1.3)"
            )
            per_session = {}
            for label, script in (("app overview", "serve.py"), ("bare page", "bench/bare_app.py")):
                again = Server(script)
                await crowd(browser, again, 1, bare=True)
                per_session[label] = await returning_crowd(browser, again, n) / n
                again.stop()
            print(
                f"        returning analysts (cached static files): app overview {per_session['app overview']:.3f} s, "
                f"bare page {per_session['bare page']:.3f} s per session, "
                f"{per_session['app overview'] / max(per_session['bare page'], 1e-9):.2f}x"
            )
        await browser.close()


async def team_session(browser, front: str, i: int) -> dict:
    name = f"Team plan {i:02d}"
    out: dict = {"name": name, "step": "open"}
    context = await browser.new_context(viewport={"width": 1400, "height": 2400})
    try:
        page = await context.new_page()
        t0 = time.perf_counter()
        await page.goto(f"{front}/scenarios", timeout=TIMEOUT_MS)
        await page.get_by_text("Team library").first.wait_for(timeout=TIMEOUT_MS)
        out["open"] = time.perf_counter() - t0
        out["step"] = "upload"
        t1 = time.perf_counter()
        await upload(page, f"team{i}.csv", name, "Iraq", 1500 - i, 300 + i)
        out["upload"] = time.perf_counter() - t1
        out["step"] = "save"
        t2 = time.perf_counter()
        await page.get_by_text("The team", exact=True).click()
        await page.get_by_role("button", name="Save to the library").click()
        await page.get_by_text(f"'{name} (v1)' is #").wait_for(timeout=TIMEOUT_MS)
        out["save"] = time.perf_counter() - t2
        out["step"] = "list"
        t3 = time.perf_counter()
        search = page.get_by_label("Search names and descriptions")
        await search.fill(name)
        await search.press("Enter")
        cell = page.locator("[role='gridcell']").filter(has_text=name)
        await cell.first.wait_for(state="attached", timeout=TIMEOUT_MS)
        out["list"] = time.perf_counter() - t3
    except Exception as err:  # noqa: BLE001 (counted as a session with an error)
        out["error"] = f"at {out['step']}: {type(err).__name__}: {str(err).splitlines()[0][:120]}"
    finally:
        await context.close()
    return out


async def team_async(sizes: list[int]) -> None:
    import psycopg

    from tests.postgres import Cluster

    cluster = Cluster()
    try:
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for n in sizes:
                cluster.reset()
                env = dict(os.environ, FORCE_POSTURE_DATABASE_URL=cluster.url)
                replicas = [Server("serve.py", env), Server("serve.py", env)]
                with haproxy([r.base for r in replicas]) as front:
                    await team_session(browser, front, 99)  # warm both the library schema and one replica
                    await asyncio.sleep(3)
                    cpu0 = sum(cpu_seconds(r.proc.pid) for r in replicas)
                    results = await asyncio.gather(*(team_session(browser, front, i) for i in range(n)))
                    await asyncio.sleep(1)
                    cpu = sum(cpu_seconds(r.proc.pid) for r in replicas) - cpu0
                for r in replicas:
                    r.stop()
                with psycopg.connect(cluster.admin_dsn()) as conn:
                    stored = {row[0] for row in conn.execute("SELECT name FROM saved_scenarios")}
                ok = [r for r in results if "error" not in r]
                lost = sum(1 for r in ok if r["name"] not in stored)
                print(
                    f"N={n:2d} team: {len(ok)}/{n} sessions without error, {lost} lost saves "
                    f"({len(stored) - 1} of {n} saves in PostgreSQL), 2 replicas behind HAProxy"
                )
                for step in ("open", "upload", "save", "list"):
                    print(f"        to {step:6s}: {pct([r[step] for r in ok])}")
                print(f"        replicas' CPU per session {cpu / n:.3f} s")
                for r in results:
                    if "error" in r:
                        print(f"        error: {r['error']}")
            await browser.close()
    finally:
        cluster.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", default="1,10,25", help="crowd sizes (default 1,10,25)")
    parser.add_argument("--team", action="store_true", help="two replicas behind HAProxy on one PostgreSQL")
    args = parser.parse_args()
    sizes = [int(x) for x in args.sessions.split(",")]
    asyncio.run(team_async(sizes) if args.team else main_async(sizes))


if __name__ == "__main__":
    main()
