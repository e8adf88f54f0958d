"""How the routes beside the pages answer what they cannot serve: a status and plain words, in one place.

A route raises Refusal with its status and words, or lets a request's own error rise (a parameter the
API cannot use: 400; no such chart or address: 404; too many images being drawn: 503). `answers` turns
each into its response; anything else is logged and answered 500 in the route's own words, never with a
traceback."""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response

_log = logging.getLogger("force_posture.web")
Route = Callable[[Request], Awaitable[Response]]


class Refusal(Exception):
    """What a route answers instead of its content: a status, the words, and any headers."""

    def __init__(self, status: int, message: str, **headers: str):
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers


def plain(status: int, message: str, **headers: str) -> Response:
    """An answer in words: one line of plain text (UTF-8) and its status."""
    return Response(message.rstrip("\n") + "\n", status, headers=headers, media_type="text/plain; charset=utf-8")


def _refusal(err: Exception) -> Refusal | None:
    """The answer a known error gets (None for one nobody expected)."""
    from force_posture.publish import api, public

    if isinstance(err, Refusal):
        return err
    if isinstance(err, api.BadRequest):
        return Refusal(400, str(err))
    if isinstance(err, public.NotFound):
        return Refusal(404, str(err))
    if isinstance(err, public.Busy):
        return Refusal(503, str(err), **{"Retry-After": "5", "Cache-Control": "no-store"})
    return None


def answers(failed: str | Callable[[Request], str]) -> Callable[[Route], Route]:
    """A route whose errors are answered here: `failed` is what a 500 says, or a function of the request
    that says it (the log has the traceback)."""

    def wrap(route: Route) -> Route:
        @functools.wraps(route)
        async def answered(request: Request) -> Response:
            try:
                return await route(request)
            except Exception as err:
                refusal = _refusal(err)
                if refusal is None:
                    _log.exception("%s failed on %s", route.__name__, request.url.path)
                    words = failed(request) if callable(failed) else failed
                    return plain(500, words, **{"Cache-Control": "no-store"})
                return plain(refusal.status, refusal.message, **refusal.headers)

        return answered

    return wrap
