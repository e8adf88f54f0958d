"""The open data API and feed the app serves beside its pages (routes in serve.py).

    /api/troop_levels.csv|json   /api/milestones.csv|json   /api/disagreements.csv|json
    /api/changes.csv|json        /api/decisions.csv|json    /api/schema.json           /feed.atom
    /api/datapackage.json        (the tables as a Frictionless Data Package: force_posture/publish/package.py)
    /api/openapi.json            (the contract of every address, OpenAPI 3.1: force_posture/publish/openapi.py)

Tables carry every provenance column (basis, qualifier, source, url, note, published) and take
`?known=YYYY-MM-DD` (the record as known on that day) and `?country=Syria|Iraq` (any case); changes
take `?since=` and `?until=`. An unknown parameter, or one given twice, is a 400 naming it. CSV
neutralises spreadsheet formulas. Pure: `answer(path, params, today)` returns the status, the content
type and the body; a bad parameter is a 400 with a plain message, an unknown path a 404, and nothing
ever shows a traceback.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from force_posture.core import data, history, schema, tables, view
from force_posture.core.view import RECORD_START

TABLES = {name: table.names for name, table in schema.FILE_TABLES.items()}
DERIVED = ("changes", "decisions")  # tables the API makes (history.changes; the record's decisions), not files
ATOM = "http://www.w3.org/2005/Atom"
FEED_ID = "tag:force-posture.dashboard,2026:feed"
SCHEMA = schema.described()


@dataclass(frozen=True)
class Reply:
    status: int
    content_type: str
    body: bytes
    headers: tuple[tuple[str, str], ...] = ()  # beyond the content type: X-Known-On, the day the record is of


class BadRequest(ValueError):
    """A parameter the API cannot use; `str(err)` says which and how to fix it."""


def _text(status: int, message: str) -> Reply:
    return Reply(status, "text/plain; charset=utf-8", (message + "\n").encode("utf-8"))


# The parameters each address takes; any other, or one given twice, is refused by name.
PARAMETERS = {
    "table": ("known", "country"),
    "changes": ("known", "country", "since", "until"),
    "decisions": ("country",),
    "/feed.atom": ("known",),
    "/api/schema.json": (),
    "/api/datapackage.json": (),
    "/api/openapi.json": (),
}


def parameters(
    pairs: Iterable[tuple[str, str]] | Mapping[str, str], allowed: tuple[str, ...], docs: str = "/api/schema.json"
) -> dict[str, str]:
    """The query's parameters, each given at most once and each one this address takes (`docs`: where
    the refusal points for what it takes)."""
    found: dict[str, str] = {}
    for key, value in pairs.items() if isinstance(pairs, Mapping) else pairs:
        if key not in allowed:
            takes = f"it takes {', '.join(allowed)}" if allowed else "it takes none"
            raise BadRequest(f"'{key[:40]}' is not a parameter of this address: {takes} (see {docs}).")
        if key in found:
            raise BadRequest(f"{key} is given twice: give it once (one {key} per request).")
        found[key] = value
    return found


def _day(params: Mapping[str, str], key: str, today: dt.date) -> dt.date | None:
    if key not in params:
        return None
    try:  # a day to come is today: the record cannot be known later than now (the answer says the day used)
        return view.served_day(key, params[key], today)
    except ValueError as err:
        raise BadRequest(str(err)) from None


_COUNTRIES = {c.casefold(): c for c in data.COUNTRIES}


def country_named(params: Mapping[str, str]) -> str | None:
    """The country asked for, in any case (syria, SYRIA, Syria), as the record writes it."""
    if "country" not in params:
        return None
    value = params["country"]
    if value.strip().casefold() not in _COUNTRIES:
        raise BadRequest(f"country='{value[:40]}' is not one this API covers: use {' or '.join(data.COUNTRIES)}.")
    return _COUNTRIES[value.strip().casefold()]


def _frame(ds: data.Dataset, name: str, params: Mapping[str, str], today: dt.date) -> pd.DataFrame:
    if name == "decisions":
        frame = ds.decisions
    elif name == "changes":
        since = _day(params, "since", today)
        if since is None:
            raise BadRequest("changes needs since=YYYY-MM-DD: what was published after that day.")
        until = _day(params, "until", today) or today
        frame = history.changes(ds, since, until)  # since on or after until: nothing was published between
    else:
        frame = {"troop_levels": ds.levels, "milestones": ds.milestones, "disagreements": ds.disagreements}[name]
        frame = frame.loc[:, list(TABLES[name])]
    country = country_named(params)
    if country:
        frame = frame[frame["country"].astype(str).isin([country, "Both"])]
    return frame.reset_index(drop=True)


def _plain(value):
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp | dt.date):
        return value.strftime("%Y-%m-%d")
    return value.item() if hasattr(value, "item") else value


def records(frame: pd.DataFrame) -> list[dict]:
    """The rows as JSON-ready dicts: dates as YYYY-MM-DD, empty cells as null (the API and the CLI)."""
    return [{k: _plain(v) for k, v in row.items()} for row in frame.astype(object).to_dict("records")]


def table_csv(frame: pd.DataFrame) -> bytes:
    """A table as CSV: dates as YYYY-MM-DD, empty cells empty, spreadsheet formulas neutralised."""
    # built from plain values with no dtype inference: a whole-number column with empty cells stays
    # whole numbers (a column-wise map made it float: 125000.0, which frictionless refused as an integer)
    out = pd.DataFrame(records(frame), columns=list(frame.columns), dtype=object).fillna("")
    return tables.to_safe_csv(out)


# The documents made from this module's descriptions by the modules above it (the contract, openapi.py; the
# data package, package.py), by address: given to `answer` by the server, so that this module imports neither.
Documents = Mapping[str, Callable[[data.Dataset, str], bytes]]


def answer(
    path: str,
    query: Iterable[tuple[str, str]] | Mapping[str, str],
    today: dt.date,
    ds: data.Dataset,
    base: str = "",
    documents: Documents | None = None,
    checked: str = "",
) -> Reply:
    """The reply to one GET request of the API or the feed; `query` is its parameters as (name, value)
    pairs in the order given (or a mapping), so that a parameter given twice is refused, not half-read.
    `documents`: /api/openapi.json and /api/datapackage.json, made by the caller's (a 404 without).
    `checked`: how fresh the source watch is ("sources last checked: ...; N failing"), in a table's JSON."""
    name, _, fmt = path.removeprefix("/api/").rpartition(".")
    table = path.startswith("/api/") and name in (*TABLES, *DERIVED) and fmt in ("csv", "json")
    if path not in PARAMETERS and not table:
        return _text(404, f"No such address: {path[:80]}. See /api/schema.json for the tables and their columns.")
    try:
        takes = PARAMETERS[path] if path in PARAMETERS else PARAMETERS[name if name in DERIVED else "table"]
        params = parameters(query, takes)
        if path == "/api/schema.json":
            return Reply(200, "application/json", json.dumps(SCHEMA, indent=2).encode())
        if path in ("/api/datapackage.json", "/api/openapi.json"):
            if path not in (documents or {}):
                return _text(404, f"No such address: {path}. See /api/schema.json for the tables and their columns.")
            return Reply(200, "application/json", documents[path](ds, base))
        known = _day(params, "known", today)
        record = history.as_known(ds, known)
        said = (("X-Known-On", (known or today).isoformat()),)
        if path == "/feed.atom":
            return Reply(200, "application/atom+xml; charset=utf-8", atom(record, known or today, base), said)
        frame = _frame(ds if name == "decisions" else record, name, params, today)
        if fmt == "csv":
            return Reply(200, "text/csv; charset=utf-8", table_csv(frame), said)
        meta = {
            "table": name,
            "known_on": (known or today).isoformat(),
            "rows": len(frame),
            "record_version": ds.version,
            "schema": "/api/schema.json",
            **({"sources_checked": checked} if checked else {}),
        }
        return Reply(200, "application/json", json.dumps({**meta, "data": records(frame)}, indent=1).encode(), said)
    except BadRequest as err:
        return _text(400, str(err))


def atom(ds: data.Dataset, day: dt.date, base: str = "") -> bytes:
    """A valid Atom feed: one entry per figure, milestone and correction, newest first: a change approved in
    the app by its approval's time (readers put it on top), one shipped in the files by its publication day."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    frame = history.changes(ds, RECORD_START - dt.timedelta(days=1), day)
    newest = f"{frame['published'].max() if len(frame) else day:%Y-%m-%d}T00:00:00Z"
    approved = [t for t in ds.approvals["decided_at"].dropna() if t.date() <= day]
    if approved:  # the last change to the record is its last approval, whatever day its source was published
        newest = max(newest, f"{max(approved):%Y-%m-%dT%H:%M:%SZ}")

    def sub(parent, tag, text=None, **attrs):
        el = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        if text is not None:
            el.text = text
        return el

    sub(feed, "title", "US troops in Syria and Iraq: new figures, milestones and corrections")
    sub(feed, "id", FEED_ID)
    if ds.version:
        sub(feed, "subtitle", f"Record version {ds.version}")
    sub(feed, "updated", newest)
    sub(feed, "link", rel="self", href=f"{base.rstrip('/')}/feed.atom")
    sub(sub(feed, "author"), "name", "force-posture dashboard")
    shipped = [f"{p:%Y-%m-%d}T00:00:00Z" for p in frame["published"]]
    frame["updated"] = [a or s for a, s in zip(frame["approved_at"], shipped, strict=True)]
    for r in frame.sort_values("updated", ascending=False, kind="stable").to_dict("records"):
        entry = sub(feed, "entry")
        title = f"{r['change'].capitalize()}, {r['country']}, {data.fmt_day(r['date'])}: {r['what']}"
        sub(entry, "title", title[:300])
        key = "|".join(str(r[c]) for c in history.CHANGE_WHAT)
        sub(entry, "id", f"{FEED_ID}:{hashlib.sha256(key.encode()).hexdigest()[:24]}")  # the same on every read
        # a change approved in the app is new when it was approved, whatever day its source published it
        sub(entry, "updated", r["updated"])
        sub(entry, "link", href=r["url"], rel="alternate")
        sub(entry, "summary", f"{r['what'].rstrip('.')}. Source: {r['source']}.")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)
