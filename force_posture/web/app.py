"""The app server's routes beside the pages: the open data API and feed, one session's exports, the chart
addresses (web/addresses.py), the embeds (web/frames.py) and the page shell. Starlette only; no Streamlit
session. dashboard.py and serve.py hand them to Streamlit's server with ui/server.py's lifespan."""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import importlib.util
from dataclasses import replace
from pathlib import Path

from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from force_posture.core import window
from force_posture.web import addresses, frames
from force_posture.web.errors import Refusal, answers


def _documents():
    """The contract and the data package, which api.answer serves from the modules above it."""
    from force_posture.publish import openapi, package

    return {
        "/api/openapi.json": lambda ds, base: openapi.served(base),
        "/api/datapackage.json": lambda ds, base: package.served(ds.version, base),
    }


@answers("The data could not be served just now; try again.")
async def open_data(request: Request) -> Response:
    """GET /api/<table>.csv|json, /api/schema.json, /feed.atom: see force_posture/publish/api.py."""
    from force_posture.publish import api
    from force_posture.store import live
    from force_posture.watch import status

    params, base = request.query_params.multi_items(), str(request.base_url).rstrip("/")
    # the record the pages read too (live.dataset): the current version, shared, never changed
    ds = await asyncio.to_thread(live.dataset)
    checked = await asyncio.to_thread(status.current, dt.datetime.now(dt.UTC))
    reply = await asyncio.to_thread(
        lambda: api.answer(request.url.path, params, dt.date.today(), ds, base, _documents(), checked)
    )
    headers = {
        "Cache-Control": "no-cache",
        "Access-Control-Allow-Origin": "*",
        "X-Record-Version": ds.version,
        "X-Sources-Checked": checked,
        **dict(reply.headers),
    }
    return Response(reply.body, reply.status, headers=headers, media_type=reply.content_type)


async def leads_json(request: Request) -> Response:
    """GET /api/leads.json: see force_posture/web/leads.py (imported on the first request, for a quick start)."""
    from force_posture.web import leads

    return await leads.leads_json(request)


def _export_failed(request: Request) -> str:
    from force_posture.exports import export

    what = export.LABELS.get(request.path_params.get("fmt", ""), "file")
    return f"The {what} export failed on the server; click again, and tell the team if it keeps failing."


@answers(_export_failed)
async def export_file(request: Request) -> Response:
    """GET /export/<token>/<format>: one session's view as PNG, SVG, PDF or a slide."""
    from force_posture.exports import downloads, export, renderer
    from force_posture.watch import status

    token, fmt = request.path_params["token"], request.path_params["fmt"]
    request_ = downloads.REGISTRY.get(token)
    item = request_.resolve() if request_ is not None else None
    if item is None or fmt not in export.FORMATS:
        raise Refusal(
            404, "This export link is not known to this server (it expires with its page's session): reload the page."
        )
    ds, brief = item
    # the file says how fresh the source watch is when it is made, not when its page was drawn
    brief = replace(brief, watched=await asyncio.to_thread(status.current, dt.datetime.now(dt.UTC)))
    try:
        content = await asyncio.to_thread(export.export, ds, brief, fmt, export.public_base(str(request.base_url)))
    except renderer.ExportError as err:
        raise Refusal(503, f"The {export.LABELS[fmt]} export failed. {err}") from None
    headers = {"Content-Disposition": f'attachment; filename="{brief.file_stem()}.{fmt}"', "Cache-Control": "no-store"}
    return Response(content, 200, headers=headers, media_type=export.MIME[fmt])


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
    streamlit_dir = Path(importlib.util.find_spec("streamlit").origin).parent
    html = (streamlit_dir / "static" / "index.html").read_text(encoding="utf-8")
    return html.replace("<head>", "<head>" + WINDOW_SCRIPT.format(cookie=window.WINDOW_COOKIE), 1).encode()


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
    Route("/embed/plotly-{version}.min.js", frames.embed_script, methods=["GET"]),
    Route("/embed/embed.js", frames.embed_script, methods=["GET"]),
    Route("/embed/{chart}", frames.embed_page, methods=["GET"]),
    Route("/api/leads.json", leads_json, methods=["GET"]),
    Route("/api/{rest:path}", open_data, methods=["GET"]),
    Route("/feed.atom", open_data, methods=["GET"]),
]
MIDDLEWARE = [Middleware(frames.Framing), Middleware(PageShell)]  # the first is the outer: it frames the shell too
