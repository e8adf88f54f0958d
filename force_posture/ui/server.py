"""The app server's own parts: warm-up, the export route, the open data API and feed, and shutdown.

The same whichever way it is started (`streamlit run serve.py`, `make run` or `streamlit run
dashboard.py`): the warm-up as it starts, and closing the export browser as it stops. The chart
addresses for other tools (images, data, link previews) are ui/addresses.py's."""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import importlib
import logging
import threading
from contextlib import asynccontextmanager
from pathlib import Path

from starlette.middleware import Middleware
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from force_posture.ui import addresses, embeds

_log = logging.getLogger("force_posture.publish.api")
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
    import streamlit as st

    # Streamlit's first element in a process looks once for a REPL by walking the call stack with its
    # sources (inspect.stack(), 0.1-0.3 s with this app's modules loaded): an element made here, outside
    # any script run, sends nothing and pays that once, so the first visitor's page does not.
    st.empty()
    from force_posture.core import data, view
    from force_posture.ui import cache, screen

    for page in ("overview", "country", "exports"):  # what a first script run would import, imported here
        importlib.import_module(f"force_posture.ui.{page}")

    day = day or dt.date.today()
    pages = [(data.COUNTRIES, screen.OVERVIEW_HEIGHT)] + [((c,), screen.COUNTRY_HEIGHT) for c in data.COUNTRIES]
    for i, (countries, height) in enumerate(pages):
        if i == 1:
            cache.DRAWN.wait(rest_after)
        cache.figure(screen.spec_for(screen.DEFAULT_SCREEN, countries, view.View(), day, height))
        cache.reading(countries, day)
        cache.chart_words(countries, day)


def _documents():
    """The contract and the data package, which api.answer serves from the modules above it."""
    from force_posture.publish import openapi, package

    return {"/api/openapi.json": lambda ds, base: openapi.served(base),
            "/api/datapackage.json": lambda ds, base: package.served(ds.version, base)}  # fmt: skip


async def open_data(request) -> Response:
    """GET /api/<table>.csv|json, /api/schema.json, /feed.atom: see force_posture/publish/api.py."""
    from force_posture.publish import api
    from force_posture.ui import cache

    params, base = request.query_params.multi_items(), str(request.base_url).rstrip("/")
    try:  # the record the pages read too (cache.dataset): the current version, shared, never changed
        ds = await asyncio.to_thread(cache.dataset)
        reply = await asyncio.to_thread(
            lambda: api.answer(request.url.path, params, dt.date.today(), ds, base, _documents())
        )
    except Exception:  # never a traceback to the client; the server's log has it
        _log.exception("the open data API failed on %s", request.url.path)
        return Response("The data could not be served just now; try again.\n", 500, media_type="text/plain")
    headers = {"Cache-Control": "no-cache", "Access-Control-Allow-Origin": "*", "X-Record-Version": ds.version,
               **dict(reply.headers)}  # fmt: skip
    return Response(reply.body, reply.status, headers=headers, media_type=reply.content_type)


async def export_file(request) -> Response:
    """GET /export/<token>/<format>: one session's view as PNG, SVG, PDF or a slide."""
    from force_posture.exports import downloads, export, renderer

    token, fmt = request.path_params["token"], request.path_params["fmt"]
    request_ = downloads.REGISTRY.get(token)
    item = request_.resolve() if request_ is not None else None
    if item is None or fmt not in export.FORMATS:
        message = "This export link is not known to this server (it expires with its page's session): reload the page."
        return Response(message + "\n", 404, media_type="text/plain")
    ds, brief = item
    try:
        content = await asyncio.to_thread(export.export, ds, brief, fmt, export.public_base(str(request.base_url)))
    except renderer.ExportError as err:
        return Response(f"The {export.LABELS[fmt]} export failed. {err}\n", 503, media_type="text/plain")
    except Exception:  # never a traceback to the analyst; the server's log has it
        _log.exception("the %s export failed", fmt)
        message = (
            f"The {export.LABELS[fmt]} export failed on the server; click again, and tell the team if it keeps failing."
        )
        return Response(message + "\n", 500, media_type="text/plain")
    headers = {"Content-Disposition": f'attachment; filename="{brief.file_stem()}.{fmt}"', "Cache-Control": "no-store"}
    return Response(content, 200, headers=headers, media_type=export.MIME[fmt])


@asynccontextmanager
async def lifespan(app):
    _serving.set()
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").addFilter(_QUIET)
    threading.Thread(target=warm_up, name=WARM_UP, daemon=True).start()
    try:
        yield
    finally:
        _serving.clear()
        from force_posture.exports import renderer

        renderer.shutdown()


# The page's size, told to the server before the app's code opens its session: a cookie that Streamlit
# hands the first script run with the rest (st.context.cookies), from which ui/screen.py lays the first
# run out for the column the page will measure. Without it the first run is laid out for a guess and a
# second run follows the probe's first report (about a third of a first visit's CPU on a replica).
WINDOW_SCRIPT = "<script>document.cookie='{cookie}='+innerWidth+'x'+innerHeight+'; path=/; SameSite=Strict'</script>"
APP_DIR = Path(__file__).resolve().parents[2]  # dashboard.py and pages/


@functools.cache
def page_paths() -> frozenset[str]:
    """The addresses of the app's pages: / (the overview) and one per file in pages/ (/syria, ...)."""
    return frozenset({"/"} | {f"/{p.stem}" for p in (APP_DIR / "pages").glob("*.py")})


@functools.cache
def page_shell() -> bytes:
    """Streamlit's own index.html with the window script first in its head (read once: a file of the
    installed Streamlit, the same for every request)."""
    import streamlit as st

    from force_posture.core import view

    html = (Path(st.__file__).parent / "static" / "index.html").read_text(encoding="utf-8")
    return html.replace("<head>", "<head>" + WINDOW_SCRIPT.format(cookie=view.WINDOW_COOKIE), 1).encode()


class PageShell:
    """ASGI middleware: a page's address (GET /, /syria, ...) answers with page_shell(); every other
    request goes on to Streamlit, which would have answered it with the same file without the script."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and scope["method"] == "GET" and scope["path"] in page_paths():
            reply = HTMLResponse(page_shell(), headers={"Cache-Control": "no-cache"})
            return await reply(scope, receive, send)
        return await self.app(scope, receive, send)


ROUTES = [
    Route("/export/{token}/{fmt}", export_file, methods=["GET"]),
    Route("/chart/{rest:path}", addresses.chart_view, methods=["GET"]),
    Route("/view/{chart}", addresses.preview, methods=["GET"]),
    Route("/embed/plotly-{version}.min.js", embeds.embed_script, methods=["GET"]),
    Route("/embed/embed.js", embeds.embed_script, methods=["GET"]),
    Route("/embed/{chart}", embeds.embed_page, methods=["GET"]),
    Route("/api/{rest:path}", open_data, methods=["GET"]),
    Route("/feed.atom", open_data, methods=["GET"]),
]
MIDDLEWARE = [Middleware(embeds.Framing), Middleware(PageShell)]  # the first is the outer: it frames the shell too
