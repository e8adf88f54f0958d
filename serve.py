"""Serve the dashboard: `streamlit run serve.py` (what `make run` does).

The app (dashboard.py and pages/) with what Streamlit's app server adds:
- as the server starts, a thread loads the data and builds the default charts, so that work overlaps
  the browser's loading of the page instead of delaying the first visitor;
- /export/<token>/<format>: the chart exports, each made for the session whose page holds the token
  (force_posture/downloads.py) and sent in the same response, or a plain message why not;
- the open data API and feed (force_posture/api.py) at /api/... and /feed.atom, from the same process;
- as it stops, the export browser (started on the first export) is closed.
"""

import asyncio
import datetime as dt
import logging
import threading
from contextlib import asynccontextmanager

import streamlit as st
from starlette.responses import Response
from starlette.routing import Route

_log = logging.getLogger("force_posture.api")


def _warm_up() -> None:
    from force_posture import ui

    ui.warm_up()


async def open_data(request) -> Response:
    """GET /api/<table>.csv|json, /api/schema.json, /feed.atom: see force_posture/api.py."""
    from force_posture import api, ui

    params, base = dict(request.query_params), str(request.base_url).rstrip("/")
    try:  # the record the pages read too (ui.dataset): loaded once per process, shared, never changed
        reply = await asyncio.to_thread(
            lambda: api.answer(request.url.path, params, dt.date.today(), ui.dataset(), base)
        )
    except Exception:  # never a traceback to the client; the server's log has it
        _log.exception("the open data API failed on %s", request.url.path)
        return Response("The data could not be served just now; try again.\n", 500, media_type="text/plain")
    headers = {"Cache-Control": "no-cache", "Access-Control-Allow-Origin": "*"}
    return Response(reply.body, reply.status, headers=headers, media_type=reply.content_type)


async def export_file(request) -> Response:
    """GET /export/<token>/<format>: one session's view as PNG, SVG, PDF or a slide."""
    from force_posture import downloads, export, renderer

    token, fmt = request.path_params["token"], request.path_params["fmt"]
    request_ = downloads.REGISTRY.get(token)
    item = request_.resolve() if request_ is not None else None
    if item is None or fmt not in export.FORMATS:
        message = "This export link is not known to this server (it expires with its page's session): reload the page."
        return Response(message + "\n", 404, media_type="text/plain")
    ds, brief = item
    try:
        content = await asyncio.to_thread(export.export, ds, brief, fmt)
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
    threading.Thread(target=_warm_up, name="warm-up", daemon=True).start()
    yield
    from force_posture import renderer

    renderer.shutdown()


routes = [
    Route("/export/{token}/{fmt}", export_file, methods=["GET"]),
    Route("/api/{rest:path}", open_data, methods=["GET"]),
    Route("/feed.atom", open_data, methods=["GET"]),
]
app = st.App("dashboard.py", lifespan=lifespan, routes=routes)
