"""The embeds' routes (force_posture/publish/embed.py) and who may frame the app: public embeds, private pages.

Served beside the pages by the same process (web/app.py lists the routes and the middleware)."""

from __future__ import annotations

import asyncio
import datetime as dt

from starlette.requests import Request
from starlette.responses import Response

from force_posture import settings
from force_posture.web.addresses import public_base, unchanged
from force_posture.web.errors import Refusal, answers, plain


@answers("The chart could not be made; try again, and tell the team if it keeps failing.")
async def embed_page(request: Request) -> Response:
    """GET /embed/<chart>: the interactive embed of a chart view (see force_posture/publish/embed.py)."""
    from force_posture.core import view
    from force_posture.publish import embed, public
    from force_posture.store import live

    base = public_base(request)
    try:
        found, theme, fixed = embed.ask(
            request.path_params["chart"], request.query_params.multi_items(), dt.date.today()
        )
    except public.NotFound:
        raise Refusal(404, f"No such chart: use /embed/ and one of {', '.join(view.CHARTS)}.") from None
    ds = await asyncio.to_thread(live.dataset)
    etag = found.etag(ds.version, f"{base}|embed|{theme}|{fixed}")
    headers = {
        "ETag": etag,
        "Cache-Control": public.REVALIDATE,
        "Content-Security-Policy": embed.CSP,
        "X-Record-Version": ds.version,
    }
    if unchanged(request, etag):
        return Response(status_code=304, headers=headers)
    body = await asyncio.to_thread(embed.page, ds, found, theme, fixed, base)
    return Response(body, 200, headers=headers, media_type="text/html; charset=utf-8")


async def embed_script(request: Request) -> Response:
    """GET /embed/plotly-<version>.min.js and /embed/embed.js: the scripts the embed page runs."""
    from starlette.responses import FileResponse

    from force_posture.publish import embed

    if request.url.path == embed.PLOTLY_ADDRESS:  # its version is in its address: the same bytes forever
        return FileResponse(
            embed.PLOTLY_JS,
            media_type="text/javascript; charset=utf-8",
            headers={"Cache-Control": "public, max-age=31536000, immutable"},
        )
    if request.url.path == embed.SCRIPT_ADDRESS:
        return Response(
            embed.SCRIPT,
            200,
            media_type="text/javascript; charset=utf-8",
            headers={"Cache-Control": "public, no-cache"},
        )
    return plain(404, f"No such script: the embed page uses {embed.PLOTLY_ADDRESS} and {embed.SCRIPT_ADDRESS}.")


# Who may frame what: the public addresses (embeds, images, data, previews) by anyone; the app's own
# pages (uploads, the library, the review queue) only by itself and the origins an operator names in
# FORCE_POSTURE_FRAME_ANCESTORS (say an intranet portal), so no other site can overlay them (clickjacking).
FRAMING_SETTING = "FORCE_POSTURE_FRAME_ANCESTORS"
PUBLIC_PATHS = ("/embed/", "/chart/", "/view/", "/api/", "/feed.atom")


def frame_ancestors() -> str:
    allowed = " ".join(o for o in settings.value(FRAMING_SETTING).split() if o.startswith(("https://", "http://")))
    return f"frame-ancestors 'self' {allowed}".strip()


class Framing:
    """ASGI middleware: the app's own pages say who may frame them (Content-Security-Policy's
    frame-ancestors, and X-Frame-Options for older browsers); the public addresses are left alone."""

    def __init__(self, app):
        self.app = app
        self.policy = frame_ancestors().encode()

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["path"].startswith(PUBLIC_PATHS):
            return await self.app(scope, receive, send)

        async def sending(message: dict) -> None:
            if message["type"] == "http.response.start":
                headers = [h for h in message.get("headers", []) if h[0].lower() != b"x-frame-options"]
                headers += [(b"content-security-policy", self.policy)]
                if self.policy == b"frame-ancestors 'self'":
                    headers.append((b"x-frame-options", b"SAMEORIGIN"))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, sending)
