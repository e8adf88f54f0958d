"""GET /api/leads.json: the watch's leads for a team's own tools, under the app's identity rules (closed
to a request without the proxy's identity when the server takes one), never cached, never cross-origin.

Parameters: state (all, open, proposed, dismissed; default all), country (Syria or Iraq, any case), limit
(1 to 500, default 100). Newest first. Each lead has its figure, day, outlets, sources (the sentence as
the source wrote it: plain text), decision and whether the record already holds it.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json

from starlette.requests import Request
from starlette.responses import Response

from force_posture import settings
from force_posture.core import schema
from force_posture.publish import api
from force_posture.store import database, live, watched
from force_posture.watch import leads, status
from force_posture.web.errors import Refusal, answers

PARAMETERS = ("state", "country", "limit")
LIMITS, DEFAULT_LIMIT = schema.LEADS_AT_ONCE[:2], schema.LEADS_AT_ONCE[2]
PRIVATE = {"Cache-Control": "no-store"}


def _limit(params: dict[str, str]) -> int:
    value = params.get("limit", str(DEFAULT_LIMIT))
    if not value.isdigit() or not LIMITS[0] <= int(value) <= LIMITS[1]:
        raise api.BadRequest(f"limit='{value[:40]}': give a whole number from {LIMITS[0]} to {LIMITS[1]}.")
    return int(value)


def _state(params: dict[str, str]) -> str:
    value = params.get("state", "all")
    if value not in watched.LEAD_STATES:
        raise api.BadRequest(f"state='{value[:40]}' is not one of {', '.join(watched.LEAD_STATES)}.")
    return value


@answers("The leads could not be served just now; try again.")
async def leads_json(request: Request) -> Response:
    """The leads as JSON: see the module's words."""
    try:
        database.user_from_headers(dict(request.headers), settings.value(database.USER_HEADER_ENV))
    except database.DatabaseError as err:
        raise Refusal(403, str(err), **PRIVATE) from None
    params = api.parameters(request.query_params.multi_items(), PARAMETERS, docs="/api/openapi.json")
    state, limit, country = _state(params), _limit(params), api.country_named(params)
    try:
        found = await asyncio.to_thread(watched.Watched().leads, state, country, limit)
        checked = await asyncio.to_thread(status.current, dt.datetime.now(dt.UTC))
    except database.DatabaseError as err:
        raise Refusal(503, f"The leads cannot be read just now; try again. {err}", **PRIVATE) from None
    ds = await asyncio.to_thread(live.dataset)
    listed = leads.listing(found, ds.levels)
    body = {
        "table": "leads",
        "state": state,
        "country": country,
        "limit": limit,
        "rows": len(listed),
        "new": sum(lead["state"] == "open" and not lead["in_record"] for lead in listed),
        "sources_checked": checked,
        "record_version": ds.version,
        "data": listed,
    }
    headers = {**PRIVATE, "X-Sources-Checked": checked, "X-Record-Version": ds.version}
    return Response(json.dumps(body, indent=1).encode(), 200, headers=headers, media_type="application/json")
