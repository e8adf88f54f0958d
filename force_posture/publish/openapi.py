"""The API's contract as OpenAPI 3.1 (/api/openapi.json), made from the descriptions the API already has.

The tables' columns come from api.SCHEMA, each address's parameters from api.PARAMETERS and
public.PARAMETERS, the vocabularies from data.py and view.py: nothing here is written twice. The suite
runs schemathesis against the served app with it (tests/test_openapi.py).
"""

from __future__ import annotations

import json

from force_posture.core import schema, style, view
from force_posture.publish import api, embed, package, public

API_VERSION = "1"  # of the addresses and their answers; the record's own version is in every answer
YEAR = "(200[3-9]|20[1-9][0-9]|2100)"  # the record's years (view.RECORD_START to view.LAST_DAY)
MONTH = "(0[1-9]|1[0-2])"
# a day that is in the calendar: 31 days in seven months, 30 in four, February 28 and 29 in a leap year
LEAP = "20(0[48]|[2468][048]|[13579][26])"  # 2004 to 2096 (2100 is not one)
CALENDAR = (
    f"({YEAR}-((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)"
    f"|02-(0[1-9]|1[0-9]|2[0-8]))|{LEAP}-02-29)"
)
DAY = {"type": "string", "format": "date", "pattern": f"^{CALENDAR}$"}
PERIOD = {"type": "string", "pattern": f"^({YEAR}|{YEAR}-{MONTH}|{CALENDAR})$"}
PLAIN = {"text/plain; charset=utf-8": {"schema": {"type": "string"}}}
# The query parameters, by name: what each takes (an address takes those api.PARAMETERS or
# public.PARAMETERS give it; any other is a 400).
QUERY = {
    "known": (
        DAY,
        "the record as known on that day, from 2003-01-01; a day to come is the record as known today "
        "(the answer says the day used: known_on, X-Known-On)",
    ),
    "country": (
        {"type": "string", "pattern": "^([Ss][Yy][Rr][Ii][Aa]|[Ii][Rr][Aa][Qq])$"},
        "Syria or Iraq, in any case (milestones of both countries come with either)",
    ),
    "since": (DAY, "what was published after that day (changes: required; on or after `until`: nothing)"),
    "until": (DAY, "up to and including this day (default: today; a day to come is today)"),
    "window": ({"type": "string", "enum": list(view.WINDOW_NAMES)}, "the chart's time window"),
    "scale": ({"type": "string", "enum": list(view.SCALES)}, "the vertical scale"),
    "caps": ({"type": "string", "enum": list(view.ON_OFF)}, "authorized caps drawn"),
    "bands": ({"type": "string", "enum": list(view.ON_OFF)}, "where sources disagree, shaded"),
    "from": (PERIOD, "the chart starts with this year, month or day (2025, 2025-01, 2025-01-15), from 2003"),
    "to": (
        PERIOD,
        "the chart ends with this year, month or day (before `from`: the two are read the other way "
        "round; after today: the chart runs to it, as scenarios do)",
    ),
    "width": ({"type": "integer", "minimum": public.WIDTHS[0], "maximum": public.WIDTHS[1]}, "pixels (PNG at 2x)"),
    "height": ({"type": "integer", "minimum": public.HEIGHTS[0], "maximum": public.HEIGHTS[1]}, "pixels"),
    "theme": ({"type": "string", "enum": list(style.THEMES)}, "light (the default) or dark"),
    "saved": (
        {"type": "string", "pattern": "^[1-9][0-9]{0,8}(,[1-9][0-9]{0,8}){0,9}$"},
        "team scenarios from the library (images only), for a request whose identity may see them",
    ),
}


LEADS_PARAMETERS = [
    {
        "name": "state",
        "in": "query",
        "required": False,
        "schema": {"type": "string", "enum": list(schema.LEAD_STATES)},
        "description": "open (not decided yet), proposed, dismissed, or all (the default)",
    },
    {
        "name": "country",
        "in": "query",
        "required": False,
        "schema": QUERY["country"][0],
        "description": "Syria or Iraq, in any case",
    },
    {
        "name": "limit",
        "in": "query",
        "required": False,
        "schema": {
            "type": "integer",
            "minimum": schema.LEADS_AT_ONCE[0],
            "maximum": schema.LEADS_AT_ONCE[1],
            "default": schema.LEADS_AT_ONCE[2],
        },
        "description": "the newest this many leads",
    },
]
NUMBER_OR_NULL = {"anyOf": [{"type": "integer", "minimum": 0}, {"type": "null"}]}
TEXT = {"type": "string"}
LEAD_SOURCE = {
    "type": "object",
    "properties": {
        "outlet": TEXT,
        "source": {"type": "string", "description": "the watched source it came through"},
        "link": TEXT,
        "title": TEXT,
        "published": DAY,
        "sentence": {"type": "string", "description": "the whole sentence, as the source wrote it (plain text)"},
        "why": {"type": "string", "description": "the words that made it a troop level"},
        "official": {"type": "boolean"},
    },
    "required": ["outlet", "source", "link", "title", "published", "sentence", "why", "official"],
}
LEAD_DECISION = {
    "type": "object",
    "properties": {
        "decision": {"type": "string", "enum": list(schema.LEAD_STATES[2:])},
        "reason": TEXT,
        "analyst": TEXT,
        "thread": {**NUMBER_OR_NULL, "description": "the proposal it became"},
        "created_at": {"type": "string", "format": "date-time"},
    },
    "required": ["decision", "reason", "analyst", "thread", "created_at"],
}
LEAD = {
    "type": "object",
    "properties": {
        "id": {"type": "integer", "minimum": 1},
        "country": {"type": "string", "enum": list(schema.COUNTRIES)},
        "troops": {"type": "integer", "minimum": 0},
        "low": NUMBER_OR_NULL,
        "high": NUMBER_OR_NULL,
        "qualifier": {"type": "string", "enum": list(schema.QUALIFIERS)},
        "day": DAY,
        "state": {"type": "string", "enum": list(schema.LEAD_STATES[1:])},
        "outlets": {"type": "array", "items": TEXT},
        "sources": {"type": "array", "items": LEAD_SOURCE},
        "decision": {"anyOf": [LEAD_DECISION, {"type": "null"}]},
        "in_record": {"type": "boolean", "description": "the record holds this figure within three days"},
    },
    "required": ["id", "country", "troops", "qualifier", "day", "state", "outlets", "sources", "in_record"],
}
LEADS = {
    "type": "object",
    "properties": {
        "table": {"const": "leads"},
        "state": {"type": "string", "enum": list(schema.LEAD_STATES)},
        "country": {"anyOf": [{"type": "string", "enum": list(schema.COUNTRIES)}, {"type": "null"}]},
        "limit": {"type": "integer"},
        "rows": {"type": "integer", "minimum": 0},
        "new": {"type": "integer", "minimum": 0, "description": "open leads the record does not hold yet"},
        "sources_checked": {"type": "string"},
        "record_version": {"type": "string"},
        "data": {"type": "array", "items": LEAD},
    },
    "required": ["table", "state", "rows", "new", "sources_checked", "record_version", "data"],
}
SOURCES_CHECKED = {
    "X-Sources-Checked": {
        "description": "how fresh the source watch is: 'sources last checked: <time>; N failing'",
        "schema": {"type": "string"},
    }
}


def _column(about: dict, required: bool) -> dict:
    kinds = {
        "date": DAY,
        "integer": {"type": "integer", "minimum": 0},
        "boolean": {"type": "boolean"},
        "datetime": {"type": "string", "format": "date-time"},
    }
    kind = kinds.get(about["type"], {"type": "string"})
    out = {**kind, "description": about.get("meaning", "")}
    if about.get("values"):
        out["enum"] = list(about["values"])
    if not required:  # an empty cell is null in JSON
        out = {"anyOf": [out, {"type": "null"}], "description": out.pop("description")}
    return out


def row(table: str) -> dict:
    columns = api.SCHEMA["tables"][table]
    # changes are made by the API (history.changes), not a file: each of its columns is always there
    required = [n for n, c in columns.items() if c.get("required") or table in api.DERIVED]
    return {
        "type": "object",
        "properties": {n: _column(c, n in required) for n, c in columns.items()},
        "required": required,
        "additionalProperties": False,
    }


def _table_json(table: str) -> dict:
    return {
        "type": "object",
        "properties": {
            "table": {"const": table},
            "known_on": DAY,
            "rows": {"type": "integer", "minimum": 0},
            "record_version": {"type": "string"},
            "schema": {"type": "string"},
            "sources_checked": {"type": "string", "description": "how fresh the source watch is"},
            "data": {"type": "array", "items": {"$ref": f"#/components/schemas/{table}"}},
        },
        "required": ["table", "known_on", "rows", "record_version", "schema", "data"],
    }


def _parameters(names, required=()) -> list[dict]:
    return [
        {"name": n, "in": "query", "required": n in required, "schema": QUERY[n][0], "description": QUERY[n][1]}
        for n in names
    ]


def _refused(*codes: int) -> dict:
    words = {
        400: "a parameter it cannot use, named in a plain sentence",
        404: "no such chart or record version",
        503: "busy or unable to draw just now, in words (with Retry-After when busy)",
        403: "no identity from the team's proxy (saved= on an image; the leads)",
    }
    return {str(c): {"description": words[c], "content": PLAIN} for c in codes}


def _json(required: list[str]) -> dict:
    return {"application/json": {"schema": {"type": "object", "required": required}}}


KNOWN_ON = {
    "X-Known-On": {
        "description": "the day the record is as known on (a day to come is served as today)",
        "schema": DAY,
    },
    **SOURCES_CHECKED,
}


def _get(summary: str, params: list[dict], content: dict, *refusals: int, headers=None, **more) -> dict:
    ok = {"description": summary, "content": content, **({"headers": headers} if headers else {})}
    responses = {"200": ok, **_refused(400, *refusals)}
    return {"get": {"summary": summary, "parameters": params, "responses": responses, **more}}


CSV = {"text/csv; charset=utf-8": {"schema": {"type": "string"}}}


def _data_paths() -> dict:
    """The tables, the leads, the descriptions and the feed."""
    csv = CSV
    paths: dict = {}
    for table in (*api.TABLES, *api.DERIVED):
        takes = api.PARAMETERS[table if table in api.DERIVED else "table"]
        params = _parameters(takes, required=("since",) if table == "changes" else ())
        json_body = {"application/json": {"schema": _table_json(table)}}
        paths[f"/api/{table}.json"] = _get(
            f"{table} as JSON, with its provenance columns", params, json_body, headers=KNOWN_ON
        )
        paths[f"/api/{table}.csv"] = _get(
            f"{table} as CSV (UTF-8 with BOM, formulas neutralised)", params, csv, headers=KNOWN_ON
        )
    paths["/api/leads.json"] = _get(
        "the source watch's leads, newest first (a team's server: only with the proxy's identity; never cached)",
        LEADS_PARAMETERS,
        {"application/json": {"schema": LEADS}},
        403,
        503,
        headers=SOURCES_CHECKED,
    )
    paths["/api/schema.json"] = _get("every column: meaning, type, unit", [], _json(["about", "tables"]))
    paths["/api/datapackage.json"] = _get(
        "the tables as a Frictionless Data Package (v2)",
        [],
        _json(["$schema", "name", "resources", "version", "licenses"]),
    )
    paths["/api/openapi.json"] = _get("this document", [], _json(["openapi", "paths"]))
    atom = {"application/atom+xml; charset=utf-8": {"schema": {"type": "string"}}}
    paths["/feed.atom"] = _get(
        "new figures, milestones and corrections (Atom)",
        _parameters(api.PARAMETERS["/feed.atom"]),
        atom,
        headers=KNOWN_ON,
    )
    return paths


def document(base: str = "") -> dict:
    csv = CSV
    paths = _data_paths()
    chart = {"name": "chart", "in": "path", "required": True, "schema": {"type": "string", "enum": list(view.CHARTS)}}
    view_params = [chart, *_parameters(p for p in public.PARAMETERS if p != "saved")]
    formats = {
        "png": (
            "the view as a PNG image, as its PNG export",
            {"image/png": {"schema": {"type": "string", "format": "binary"}}},
        ),
        "svg": ("the view as an SVG image, as its SVG export", {"image/svg+xml": {"schema": {"type": "string"}}}),
        "csv": ("the points the view draws, with every provenance column", csv),
        "metadata.json": (
            "the view's title, citation, record version, days, sources and addresses",
            _json(["title", "citation", "record_version", "known_on", "sources", "images"]),
        ),
    }
    for fmt, (summary, content) in formats.items():
        params = [*view_params, *_parameters(["saved"])] if fmt in public.IMAGES else view_params
        refusals = (403, 404, 503) if fmt in public.IMAGES else (404, 503)
        paths[f"/chart/{{chart}}.{fmt}"] = _get(f"{summary}; revalidated (ETag, 304)", params, content, *refusals)
    embed_params = [
        *view_params[:-1],
        {
            **view_params[-1],
            "schema": {"type": "string", "enum": list(embed.THEMES)},
            "description": "light, dark, or auto (the default: as the reader's system)",
        },
    ]
    paths["/embed/{chart}"] = _get(
        "the view as an interactive chart for an iframe (no Streamlit session)",
        embed_params,
        {"text/html; charset=utf-8": {"schema": {"type": "string"}}},
        404,
    )
    paths["/view/{chart}"] = _get(
        "the view's link preview page (Open Graph tags, no script)",
        view_params,
        {"text/html; charset=utf-8": {"schema": {"type": "string"}}},
        404,
    )
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "US force posture in Syria and Iraq: the open record",
            "version": API_VERSION,
            "description": api.SCHEMA["about"],
            "license": {"name": package.LICENSES[0]["title"], "identifier": package.LICENSES[0]["name"]},
        },
        **({"servers": [{"url": base.rstrip("/")}]} if base else {}),
        "paths": paths,
        "components": {"schemas": {table: row(table) for table in (*api.TABLES, *api.DERIVED)}},
    }


def served(base: str) -> bytes:
    return json.dumps(document(base), indent=1).encode()
