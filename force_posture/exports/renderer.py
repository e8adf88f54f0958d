"""The export browser: one service per process that turns Plotly figures into PNG, SVG and PDF bytes.

Why a service of our own: kaleido's kept-alive sync server (`kaleido.start_sync_server`) hands every
result back through one shared queue, so two threads exporting at once can receive each other's
images (kaleido issues #441 and #444). Streamlit runs each deferred download on a worker thread, so
two analysts clicking "PNG" at the same moment got each other's charts.

Here one thread owns an asyncio loop and a `kaleido.Kaleido(n=K)` browser with K tabs. Every request
is its own coroutine on that loop, submitted with `asyncio.run_coroutine_threadsafe` and answered
through its own future: a caller can only ever receive the bytes of the figure it sent. The K tabs
draw K figures at once; more requests wait for a free tab in kaleido's own queue.

If the browser dies or a drawing times out, the caller gets an `ExportError` in plain words, the
broken browser is discarded, and the next request starts a fresh one. A browser found dead before a
request (killed between two exports) is replaced before that request, which then simply works.
"""

from __future__ import annotations

import asyncio
import atexit
import concurrent.futures
import contextlib
import logging
import threading
import time
from dataclasses import dataclass, field

from force_posture import settings

TABS_SETTING = "FORCE_POSTURE_EXPORT_TABS"
TIMEOUT_SETTING = "FORCE_POSTURE_EXPORT_TIMEOUT"
# Two tabs on a 2-core machine: measured in bench/export.py (10 concurrent exports), two tabs beat
# one by using both cores, and three or four only queue the same work behind the same two cores.
DEFAULT_TABS = 2
DEFAULT_TIMEOUT = 30.0  # seconds for one image; a normal one takes 0.1 to 0.5 s
START_TIMEOUT = 60.0
# How each format's bytes begin. A figure larger than the browser's biggest canvas comes back from
# kaleido as a few bytes of nothing (24000 px square gave 3 bytes), never as an error.
SIGNATURES = {"png": (b"\x89PNG\r\n\x1a\n",), "pdf": (b"%PDF-",), "svg": (b"<svg", b"<?xml")}

_log = logging.getLogger(__name__)


class ExportError(RuntimeError):
    """An export that could not be made, said in words an analyst can act on."""


def _setting(name: str):
    """A setting of the export browser (settings.py), a bad value an ExportError in the same words."""
    try:
        return settings.value(name)
    except settings.SettingError as err:
        raise ExportError(str(err)) from None


def _kaleido_class():
    import kaleido

    class _Kaleido(kaleido.Kaleido):
        """kaleido reloads a tab after every image, before handing the image back: about 0.1 s of each
        export's wait and of the machine's CPU, mostly re-reading plotly.js. Here a tab is reloaded after
        every `reload_every` images instead, and after the caller has its bytes; the tab rejoins the
        pool only once reloaded. (Plotly draws each image in a fresh element that it then purges, so
        nothing of one figure is left for the next; the reload is kaleido's guard against slow leaks.)
        A failed reload marks the browser broken, so the service replaces it."""

        broken = False

        @property
        def reload_every(self) -> int:
            return settings.value("FORCE_POSTURE_EXPORT_RELOAD")

        async def _return_kaleido_tab(self, tab) -> None:
            uses = self._uses = getattr(self, "_uses", {})
            uses[id(tab)] = uses.get(id(tab), 0) + 1
            if uses[id(tab)] % self.reload_every:
                await self.tabs_ready.put(tab)
                return
            task = asyncio.get_running_loop().create_task(super()._return_kaleido_tab(tab))
            self._reloads = getattr(self, "_reloads", set())
            self._reloads.add(task)
            task.add_done_callback(self._reload_done)

        def _reload_done(self, task: asyncio.Task) -> None:
            self._reloads.discard(task)
            if task.cancelled() or task.exception() is not None:
                self.broken = True

    return _Kaleido


@dataclass
class _Browser:
    """One started browser: its loop, the thread running the loop, and kaleido."""

    loop: asyncio.AbstractEventLoop
    thread: threading.Thread
    kaleido: object = None
    requests: int = field(default=0)

    def alive(self) -> bool:
        proc = getattr(self.kaleido, "subprocess", None)
        return (
            self.thread.is_alive()
            and proc is not None
            and proc.poll() is None
            and not getattr(self.kaleido, "broken", False)
        )


class ExportService:
    """Thread-safe: any number of threads may call `submit`/`render` at once. The lock guards only
    starting and replacing the browser; drawing happens outside it, K figures at a time."""

    def __init__(self, tabs: int | None = None, timeout: float | None = None):
        self.tabs = tabs or _setting(TABS_SETTING)
        self.timeout = timeout or _setting(TIMEOUT_SETTING)
        self._lock = threading.Lock()
        self._current: _Browser | None = None
        self._stopping: list[threading.Thread] = []  # browsers being closed in the background
        self.starts = 0  # how many browsers this service has started (1 + restarts)
        self._exit_hook = False

    # -- life cycle ------------------------------------------------------------------------------

    def _start(self) -> _Browser:
        loop = asyncio.new_event_loop()
        thread = threading.Thread(target=loop.run_forever, name="export-browser", daemon=True)
        thread.start()
        browser = _Browser(loop, thread)
        tabs, timeout = self.tabs, self.timeout

        async def open_browser():
            k = _kaleido_class()(n=tabs, timeout=timeout, mathjax=False)
            browser.kaleido = k  # kept before open(), so that a failed start is still cleaned up
            await k.open()

        try:
            asyncio.run_coroutine_threadsafe(open_browser(), loop).result(START_TIMEOUT)
        except Exception as err:  # noqa: BLE001 (any failure to start is reported the same way)
            self._stop(browser)
            raise ExportError(
                "The export browser could not start, so no file was made. Check that Debian's chromium "
                f"and fonts are installed (`make run` installs them). Detail: {type(err).__name__}: {err}"
            ) from err
        self.starts += 1
        if not self._exit_hook:
            # Registered after the browser started, so it runs before the exit hooks that delete the
            # browser's temporary profile (atexit runs last-registered first): deleting the profile of a
            # browser still running printed "Directory not empty" tracebacks at exit.
            atexit.register(self.stop)
            self._exit_hook = True
        return browser

    @staticmethod
    def _stop(browser: _Browser) -> None:
        k = browser.kaleido
        proc = getattr(k, "subprocess", None)
        if k is not None and browser.thread.is_alive():
            # a browser that is already dead has nothing to say goodbye to: do not wait long for it
            wait = 15 if proc is not None and proc.poll() is None else 2
            with contextlib.suppress(Exception):
                asyncio.run_coroutine_threadsafe(k.close(), browser.loop).result(wait)
        if proc is not None and proc.poll() is None:
            proc.kill()
        if proc is not None:
            with contextlib.suppress(Exception):
                proc.wait(5)
        browser.loop.call_soon_threadsafe(browser.loop.stop)
        browser.thread.join(5)

    def _browser(self) -> _Browser:
        with self._lock:
            current = self._current
            if current is not None and current.alive():
                current.requests += 1
                return current
            if current is not None:  # found dead (killed, crashed): replace it before this request
                _log.warning("export browser found dead; starting a new one")
                self._current = None
                self._stop_later(current)
            self._current = self._start()
            self._current.requests += 1
            return self._current

    def _discard(self, browser: _Browser) -> None:
        """Drop a browser that failed a request; the next request starts a new one."""
        with self._lock:
            if self._current is browser:
                self._current = None
            else:
                return  # another thread already replaced it
            self._stop_later(browser)

    def _stop_later(self, browser: _Browser) -> None:
        """Close a discarded browser without making the caller wait (called with the lock held)."""
        self._stopping = [t for t in self._stopping if t.is_alive()]
        thread = threading.Thread(target=self._stop, args=(browser,), name="export-browser-stop", daemon=True)
        thread.start()
        self._stopping.append(thread)

    def stop(self) -> None:
        """Close the browser (at exit, or when the server shuts down). Safe to call more than once."""
        with self._lock:
            current, self._current = self._current, None
            stopping, self._stopping = self._stopping, []
        if current is not None:
            self._stop(current)
        for thread in stopping:
            thread.join(20)

    def pid(self) -> int | None:
        """The running browser's process id (for tests that kill it), or None when none runs."""
        with self._lock:
            proc = getattr(self._current and self._current.kaleido, "subprocess", None)
            return proc.pid if proc is not None and proc.poll() is None else None

    # -- requests --------------------------------------------------------------------------------

    def submit(self, fig: dict, fmt: str, width: int, height: int, scale: float = 1) -> Request:
        """Start drawing `fig` (a plain figure dict) and return at once; `Request.result()` waits."""
        if fmt not in ("png", "svg", "pdf"):
            raise ValueError(f"unknown image format '{fmt}'; choose png, svg or pdf")
        browser = self._browser()
        opts = {"format": fmt, "width": width, "height": height, "scale": scale}
        # timed from before the drawing is handed over: the browser's loop may start it (and kaleido's own
        # timer) before this thread runs again, so a clock read after it would count short
        started = time.monotonic()
        future = asyncio.run_coroutine_threadsafe(browser.kaleido.calc_fig(fig, opts=opts), browser.loop)
        return Request(self, browser, future, fmt, started)

    def render(self, fig: dict, fmt: str, width: int, height: int, scale: float = 1) -> bytes:
        return self.submit(fig, fmt, width, height, scale).result()


@dataclass
class Request:
    """One image on its way: its own future, so its bytes can only ever come back to its caller."""

    service: ExportService
    browser: _Browser
    future: concurrent.futures.Future
    fmt: str
    started: float  # time.monotonic() when the drawing was handed to the browser

    def result(self) -> bytes:
        name = self.fmt.upper()
        too_long = (
            f"The {name} took longer than {self.service.timeout:g} s to draw and was stopped; no file was "
            "made. The export browser has been restarted: please click the button again."
        )
        try:
            # kaleido's own per-image timeout fires first; this one only guards a loop that hangs
            data = self.future.result(self.service.timeout + 10)
        except (TimeoutError, concurrent.futures.TimeoutError):
            self.future.cancel()
            self.service._discard(self.browser)
            raise ExportError(too_long) from None
        except Exception as err:  # noqa: BLE001 (a dead browser raises choreographer's own errors)
            died = not self.browser.alive()
            self.service._discard(self.browser)
            if not died and time.monotonic() - self.started >= self.service.timeout:
                # the time limit ran out, however kaleido reports it (on a busy machine it may close the
                # tab's channel instead of raising its timeout): the analyst is told it took too long
                raise ExportError(too_long) from err
            what = "stopped while drawing" if died else f"failed ({type(err).__name__}) while drawing"
            raise ExportError(
                f"The export browser {what} the {name}; no file was made. It has been restarted: please "
                "click the button again."
            ) from err
        if not isinstance(data, bytes) or not data.lstrip().startswith(SIGNATURES[self.fmt]):
            raise ExportError(
                f"The {name} came back damaged ({len(data or b'')} bytes), so no file was made. The image is "
                "probably larger than the browser can draw: choose a smaller width, height or scale."
            )
        return data


_service: ExportService | None = None
_service_lock = threading.Lock()


def service() -> ExportService:
    """The process's one export service, made on first use and closed at exit."""
    global _service
    with _service_lock:
        if _service is None:
            _service = ExportService()
        return _service


def shutdown() -> None:
    """Stop the export browser (the app server's lifespan calls this as it shuts down)."""
    with _service_lock:
        current = _service
    if current is not None:
        current.stop()
