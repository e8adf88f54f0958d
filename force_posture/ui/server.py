"""The app server's life: the warm-up as it starts, and closing the export browser as it stops.

The same whichever way it is started (`streamlit run serve.py`, `make run` or `streamlit run
dashboard.py`): both hand Streamlit this lifespan with web/app.py's routes and middleware (the export
route, the open data API and feed, the chart addresses, the embeds and the page shell)."""

from __future__ import annotations

import datetime as dt
import importlib
import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import streamlit as st

_log = logging.getLogger("force_posture.server")
_serving = threading.Event()  # set while this process serves the routes below


class _OutsideAnyRun(logging.Filter):
    """Streamlit warns 'missing ScriptRunContext' when a cached function runs outside a script run, as
    the warm-up's do on purpose: those lines say nothing to an operator, so they are left out of the log."""

    def filter(self, record: logging.LogRecord) -> bool:
        return threading.current_thread().name != WARM_UP


WARM_UP = "warm-up"  # the warm-up thread's name
_QUIET = _OutsideAnyRun()  # one filter, added once however often the server starts in a process


def serving() -> bool:
    """True when this process serves the export route, the API and the feed (the lifespan ran)."""
    return _serving.is_set()


def warm_up(day: dt.date | None = None, rest_after: float = 30.0) -> None:
    """Import the pages' modules, load the data and build the charts and words a first visit shows,
    exactly as its page asks for them, so that the first visitor does not wait for them: the overview
    at once, the country pages once a first chart has been sent (or after `rest_after` seconds with
    none), so that building them does not compete for the CPU with the first visitor's page."""
    # Streamlit's first element in a process looks once for a REPL by walking the call stack with its
    # sources (inspect.stack(), 0.1-0.3 s with this app's modules loaded): an element made here, outside
    # any script run, sends nothing and pays that once, so the first visitor's page does not.
    st.empty()
    from force_posture.core import data, view
    from force_posture.ui import cache, screen
    from force_posture.watch import status

    for page in ("overview", "country", "exports"):  # what a first script run would import, imported here
        importlib.import_module(f"force_posture.ui.{page}")

    day = day or dt.date.today()
    pages = [(data.COUNTRIES, screen.OVERVIEW_HEIGHT)] + [((c,), screen.COUNTRY_HEIGHT) for c in data.COUNTRIES]
    for i, (countries, height) in enumerate(pages):
        if i == 1:
            cache.DRAWN.wait(rest_after)
        watched = status.current(dt.datetime.now(dt.UTC))  # as the page's footer will say it (read at most twice)
        cache.figure(screen.spec_for(screen.DEFAULT_SCREEN, countries, view.View(), day, height, watched=watched))
        cache.reading(countries, day)
        cache.chart_words(countries, day)
        cache.points(countries, day)


@asynccontextmanager
async def lifespan(app: object) -> AsyncIterator[None]:
    _serving.set()
    from force_posture.web import tcp

    if not tcp.no_delay():
        _log.warning("TCP_NODELAY could not be set on the server's socket: kept-alive answers may wait 40 ms.")
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").addFilter(_QUIET)
    threading.Thread(target=warm_up, name=WARM_UP, daemon=True).start()
    try:
        yield
    finally:
        _serving.clear()
        from force_posture.exports import renderer

        renderer.shutdown()
