"""The chart addresses for other tools: the routes of force_posture/publish/public.py (images, data, previews).

Served beside the pages by the same process (web/app.py lists the routes); no Streamlit session."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import time
from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import Response

from force_posture import settings
from force_posture.web.errors import Refusal, answers

if TYPE_CHECKING:
    from force_posture.publish import public

# Chart images for other tools: at most this many different ones drawn at once per replica (the export
# browser has DEFAULT_TABS tabs: one is always left for the analysts' own exports); identical requests
# wait for the same drawing. Made on first use, on the server's event loop, which alone touches it.
IMAGE_RENDERS_SETTING = "FORCE_POSTURE_IMAGE_RENDERS"
_images = None


def images() -> public.ImageRenders:
    global _images
    if _images is None:
        from force_posture.exports import renderer
        from force_posture.publish import public

        limit = settings.value(IMAGE_RENDERS_SETTING) or max(1, renderer.DEFAULT_TABS - 1)
        _images = public.ImageRenders(limit)
    return _images


def unchanged(request: Request, etag: str) -> bool:
    """The client holds this very answer (If-None-Match names its ETag): a 304 will do."""
    return etag in {t.strip().removeprefix("W/") for t in request.headers.get("if-none-match", "").split(",")}


def public_base(request: Request) -> str:
    """The address other tools are given for this server: the configured one, or the one they used."""
    from force_posture.exports import export

    return export.public_base(str(request.base_url))


@answers("The chart could not be made; try again, and tell the team if it keeps failing.")
async def chart_view(request: Request) -> Response:
    """GET /chart/...: a chart view as PNG, SVG, CSV or metadata (see force_posture/publish/public.py)."""
    from force_posture.exports import export, renderer
    from force_posture.publish import public
    from force_posture.store import database, live

    started, base = time.perf_counter(), public_base(request)
    ask = public.ask(request.url.path, request.query_params.multi_items(), dt.date.today())
    current = await asyncio.to_thread(live.dataset)
    try:
        ds = await asyncio.to_thread(public.record_for, ask, current, live.shared().at_version)
    except database.DatabaseError as err:  # an earlier version, with the database out of reach
        message = f"That record version cannot be read just now; try again. {err}"
        raise Refusal(503, message, **{"Retry-After": "10"}) from None
    scenarios = await _team_scenarios(request, ask.view.saved_ids) if ask.view.saved_ids else None
    etag = ask.etag(ds.version, "" if ask.fmt == "csv" else base)  # an image's footer links back to this address
    cache = public.PRIVATE if scenarios is not None else public.IMMUTABLE if ask.pinned else public.REVALIDATE
    headers = {"ETag": etag, "Cache-Control": cache, "X-Record-Version": ds.version}
    if scenarios is None:  # public data: any site may read it
        headers["Access-Control-Allow-Origin"] = "*"
    if unchanged(request, etag):
        return Response(status_code=304, headers=headers)
    if ask.fmt == "csv":
        body, how = await asyncio.to_thread(public.csv_body, ds, ask), "made"
    elif ask.fmt == "metadata.json":
        body, how = await asyncio.to_thread(public.metadata_body, ds, ask, base), "made"
    else:
        brief = ask.briefing(scenarios)
        try:
            body, how = await images().get(etag, lambda: export.export(ds, brief, ask.fmt, base))
        except renderer.ExportError as err:
            message = f"The chart image could not be drawn just now. {err}"
            raise Refusal(503, message, **{"Cache-Control": "no-store"}) from None
    took = f"app;dur={(time.perf_counter() - started) * 1000:.1f}"  # the server's own time (bench/embed.py)
    headers |= {"X-Image": how, "Server-Timing": took}
    return Response(body, 200, headers=headers, media_type=public.MEDIA[ask.fmt])


async def _team_scenarios(request, ids: list[int]):
    """The team scenarios `ids` as the request's analyst may open them (the library's own rule), as one
    frame; a private one is refused with the library's words for one that does not exist, even for its
    author: an address can be passed on. Refused in words when the identity or the library fails."""
    import pandas as pd

    from force_posture.store import database, library

    refusal = {"Cache-Control": "no-store"}
    try:
        who = database.user_from_headers(dict(request.headers), os.environ.get(database.USER_HEADER_ENV))
    except database.DatabaseError as err:
        raise Refusal(403, str(err), **refusal) from None
    try:
        opened = await asyncio.to_thread(library.shared().open, who, ids)
    except library.Refused as err:  # not there, deleted, or private: one answer, which never says which
        raise Refusal(404, str(err), **refusal) from None
    except database.DatabaseError as err:
        raise Refusal(503, f"The library cannot be read just now; try again. {err}", **refusal) from None
    private = [item.id for item, _ in opened if item.visibility != "team"]
    if private:
        raise Refusal(404, library.refused(private), **refusal)
    return pd.concat([scenario.frame for _, scenario in opened], ignore_index=True)


@answers("The preview could not be made; try again.")
async def preview(request: Request) -> Response:
    """GET /view/<chart>: the link preview page of a chart view (see force_posture/publish/public.py)."""
    from force_posture.core import view
    from force_posture.publish import public
    from force_posture.store import live

    base = public_base(request)
    try:
        ask = public.preview_ask(request.path_params["chart"], request.query_params.multi_items(), dt.date.today())
    except public.NotFound:
        raise Refusal(404, f"No such chart: use /view/ and one of {', '.join(view.CHARTS)}.") from None
    ds = await asyncio.to_thread(live.dataset)
    page = await asyncio.to_thread(public.preview_page, ds, ask, base)
    headers = {
        "Cache-Control": "public, no-cache",
        "X-Record-Version": ds.version,
        "Content-Security-Policy": "default-src 'none'; img-src * data:; style-src 'unsafe-inline'",
    }
    return Response(page, 200, headers=headers, media_type="text/html; charset=utf-8")
