"""Shared helpers for browser tests: serve the real app and drive Debian's Chromium.

Every wait in the browser tests follows state (an element, the server's health, the script run
finished and the chart laid out for the page's width), never the clock, and every timeout derives
from one setting: FORCE_POSTURE_TEST_TIMEOUT, the seconds one step may take (default 60). A slower
machine sets it higher; nothing else changes.
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT_S = float(os.environ.get("FORCE_POSTURE_TEST_TIMEOUT", "60"))  # the one setting every wait derives from
TIMEOUT_MS = int(TIMEOUT_S * 1000)
expect.set_options(timeout=TIMEOUT_MS)  # Playwright's assertions wait for their state as long as every other wait
START_TIMEOUT_S = 2 * TIMEOUT_S  # a server's start: imports, the first migration, on a loaded machine
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
def served_app(script: str = "serve.py", env: dict | None = None, timeout: float = START_TIMEOUT_S):
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
            proc.wait(timeout=TIMEOUT_S)
        except subprocess.TimeoutExpired:
            proc.kill()


def launch(playwright):
    if not Path(CHROMIUM).exists():
        raise RuntimeError("Debian's chromium is missing: run `make test` (it installs it) or apt-get install chromium")
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, timeout=TIMEOUT_MS)


def new_context(browser, **options):
    """A browser context (one analyst's browser) whose every wait takes the suite's one timeout."""
    context = browser.new_context(**options)
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    return context


# id(browser) -> the context its plain pages share; id(context) -> the blank page that opens its pages.
# Before each page, the app's cookies of the window and the screen it laid out for (core/view.py) are
# cleared: Streamlit's own cookies stay
_SHARED: dict[int, object] = {}
_OPENERS: dict[int, object] = {}
APP_COOKIES = re.compile(r"^fp_")
DEFAULT_VIEWPORT = {"width": 1280, "height": 720}  # Playwright's own default


# A context's pages share its local storage, where Streamlit keeps what a visitor did (a sidebar
# closed stays closed on the next page of that address): each new page clears it at its first load, so
# no test meets what an earlier one left (sessionStorage is the page's own, so a reload keeps it).
FIRST_VISIT_JS = """
try {
  if (!sessionStorage.getItem('fp-test-page')) { localStorage.clear(); sessionStorage.setItem('fp-test-page', '1'); }
} catch (e) {}
"""


def kept_context(browser, **options):
    """A context for many pages, one after another (see `popup`): new_context's, with FIRST_VISIT_JS."""
    context = new_context(browser, **options)
    context.add_init_script(FIRST_VISIT_JS)
    return context


def popup(context, viewport: dict | None = None, color_scheme: str = "light", first_visit: bool = True):
    """A first visit's page in a kept context: the app's cookies cleared (kept if not `first_visit`: a
    returning visitor's new tab), opened as a new window of the context's one blank page. The windows of
    one page share its renderer, which keeps the app's scripts compiled between pages as an analyst's
    browser keeps them between visits: a page of a new context costs Chromium about 3 s more of CPU than
    one opened this way."""
    opener = _OPENERS.get(id(context))
    if opener is None or opener.is_closed():
        opener = _OPENERS[id(context)] = context.new_page()
    if first_visit:
        context.clear_cookies(name=APP_COOKIES)
    with opener.expect_popup() as opened:
        opener.evaluate("window.open('about:blank')")
    page = opened.value
    page.emulate_media(color_scheme=color_scheme)
    page.set_viewport_size(viewport or DEFAULT_VIEWPORT)
    page.set_default_timeout(TIMEOUT_MS)
    page.set_default_navigation_timeout(TIMEOUT_MS)
    return page


def new_page(browser, viewport: dict | None = None, color_scheme: str = "light", **options):
    """A page with the suite's one timeout, opened as a first visit: no cookie or stored state of the app's.
    A page that asks for nothing but a size and a theme is a `popup` of the browser's one shared context.
    Any other option gets a context of its own, closed with the page (downloads are accepted either way:
    Playwright's default)."""
    options = {k: v for k, v in options.items() if (k, v) != ("accept_downloads", True)}
    if options:
        page = browser.new_page(color_scheme=color_scheme, **({"viewport": viewport} if viewport else {}), **options)
        page.set_default_timeout(TIMEOUT_MS)
        page.set_default_navigation_timeout(TIMEOUT_MS)
        return page
    shared = _SHARED.get(id(browser))
    if shared not in browser.contexts:  # none yet, or one of a closed browser
        shared = _SHARED[id(browser)] = kept_context(browser)
    return popup(shared, viewport, color_scheme)


# The page is settled when the app is connected, its script run has finished, the screen probe has
# reported a size the server has laid the page out for (the probe marks both on <html>; the size is
# measured here again as the probe measures it, so a resize not yet reported is not settled), no element
# is still a placeholder while its code loads, and every chart is drawn at the width Plotly laid it out
# for, in the page's theme (light or dark). UNSETTLED_JS says what is not yet so ("" once settled).
UNSETTLED_JS = """
() => {
  const dark = (colour) => {  // any CSS colour: is it a dark one?
    const probe = document.createElement('span');
    probe.style.color = colour;
    document.body.appendChild(probe);
    const [r, g, b] = getComputedStyle(probe).color.match(/[\\d.]+/g).map(Number);
    probe.remove();
    return r + g + b < 3 * 128;
  };
  const app = document.querySelector('[data-testid="stApp"]');
  const marks = document.documentElement.dataset;
  if (!app) return 'no app yet';
  if (app.dataset.testConnectionState !== 'CONNECTED') return `connection ${app.dataset.testConnectionState}`;
  if (app.dataset.testScriptState !== 'notRunning') return `script ${app.dataset.testScriptState}`;
  if (!marks.fpScreen || marks.fpScreen !== marks.fpLaidOut)
    return `probe measured ${marks.fpScreen}, page laid out for ${marks.fpLaidOut}`;
  if (document.querySelector('[data-testid="stSkeleton"]')) return 'an element is still loading its code';
  const main = document.querySelector('[data-testid="stMainBlockContainer"]');  // and it is this size now
  const css = getComputedStyle(main);
  const inner = main.clientWidth - parseFloat(css.paddingLeft) - parseFloat(css.paddingRight);
  const now = `${Math.floor(inner / 40) * 40}x${Math.floor(window.innerHeight / 20) * 20}`;
  if (marks.fpScreen !== now) return `probe reported ${marks.fpScreen}, the page measures ${now} now`;
  const pageDark = dark(getComputedStyle(app).backgroundColor);
  const charts = [...document.querySelectorAll('.js-plotly-plot')];
  const undrawn = charts.filter((gd) => !gd._fullLayout
    || Math.abs(gd._fullLayout.width - gd.getBoundingClientRect().width) > 1);
  if (undrawn.length) return `${undrawn.length} chart(s) not drawn at their width`;
  if (charts.some((gd) => dark(gd._fullLayout.paper_bgcolor) !== pageDark)) return "a chart not in the page's theme";
  return '';
}
"""
SETTLED_JS = f"() => !({UNSETTLED_JS.strip()})()"


def upload_csv(page, name: str, content: bytes, last: bool = False) -> None:
    """Give the page's first (or last) file uploader one CSV file, as a drop onto it would."""
    uploaders = page.locator("[data-testid='stFileUploaderDropzoneInput']")
    (uploaders.last if last else uploaders.first).set_input_files(
        [{"name": name, "mimeType": "text/csv", "buffer": content}]
    )


def settle(page) -> None:
    """Wait until the page is settled (see SETTLED_JS): what a reader sees is final. If it never is,
    the failure says what was still not so. The page is brought to the front first, as the page a reader
    looks at is: Chromium draws a window behind another only now and then, and a resize observer (the
    screen probe's) or a screenshot waits for a drawing, about 2 s a screenshot there."""
    page.bring_to_front()
    try:
        page.wait_for_function(SETTLED_JS, polling=100)
    except PlaywrightTimeoutError:
        raise AssertionError(f"{page.url} never settled: {page.evaluate(UNSETTLED_JS)}") from None


FAILED_DIR = ARTIFACTS / "failed"
PAGE_WORDS = 3000  # characters of each open page's visible words in a failure's report


def page_report(browser, test: str) -> str:
    """Each open page of `browser` (every context): its address and visible words, its screenshot saved
    in test-artifacts/failed/; what cannot be read from a page (closed, hung) is said instead."""
    FAILED_DIR.mkdir(parents=True, exist_ok=True)
    pages = [page for context in browser.contexts for page in context.pages if page.url != "about:blank"]
    said = []
    for i, page in enumerate(pages, 1):
        shot = FAILED_DIR / f"{re.sub(r'[^A-Za-z0-9_.-]+', '-', test)[:120]}-{i}.png"
        try:
            page.screenshot(path=str(shot), timeout=TIMEOUT_MS / 6)
            words = page.inner_text("body", timeout=TIMEOUT_MS / 6)
        except Exception as err:  # noqa: BLE001 (a report of the failure must not fail in its turn)
            said.append(f"page {i}: {page.url}: could not be read ({type(err).__name__})")
            continue
        words = re.sub(r"\n\s*\n+", "\n", words).strip()
        said.append(f"page {i}: {page.url} (screenshot {shot.relative_to(ROOT)}):\n{words[:PAGE_WORDS]}")
    return "\n\n".join(said) or "no page open"


@contextlib.contextmanager
def haproxy(replicas: list[str]):
    """HAProxy with the checked-in config, its two replica addresses and its port swapped for the test's."""
    config = (ROOT / "deploy" / "haproxy.cfg").read_text()
    port = free_port()
    config = config.replace("bind 127.0.0.1:8500", f"bind 127.0.0.1:{port}")
    for default, base in zip(("127.0.0.1:8511", "127.0.0.1:8512"), replicas, strict=True):
        assert default in config
        config = config.replace(default, base.removeprefix("http://"))
    path = ARTIFACTS / f"haproxy-test-{port}.cfg"  # one per balancer: tests may run side by side
    ARTIFACTS.mkdir(exist_ok=True)
    path.write_text(config)
    proc = subprocess.Popen(["haproxy", "-f", str(path), "-db"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        if not wait_healthy(base, proc, TIMEOUT_S):
            raise RuntimeError(f"haproxy did not start: {proc.stderr.read().decode()[-1000:]}")
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=TIMEOUT_S)
