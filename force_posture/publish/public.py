"""Every chart view at an address of its own, for wikis, chats, e-mails and data tools (routes in web/).

    /chart/<chart>.png|svg|csv|metadata.json               the view as the record stands (revalidated)
    /chart/<version>/<YYYY-MM-DD>/<chart>.<same formats>   the view as record version V drew it on that day
                                                           (never changes: cacheable for a year)
    /view/<chart>                                          a link preview page (Open Graph tags, no script)

<chart> is overview, syria or iraq. They take the app's own view parameters, checked against the same
allow-list (window, scale, caps, bands, known, from, to, saved), plus width and height within limits and
theme (light or dark). A bad, empty, repeated or unknown parameter is a 400 that names it. Images are
exactly what the export of that view makes (export.export). The public record by default; library
scenarios (`saved=`) only on the images of a request whose identity may see them, and only team
scenarios, never a private one (web/addresses.py asks the library); such answers are `private` to shared
caches. The page's share snippets never carry `saved=` (of_view).

Pure: parsing, the ETag, the data formats and the preview page. Drawing, waiting and caching are
ImageRenders' (an embed storm renders each image once, and never more than `limit` at a time).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import html
import json
import re
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from urllib.parse import urlencode

import pandas as pd

from force_posture.core import data, history, style, summary, view
from force_posture.exports import export
from force_posture.plot import charts
from force_posture.publish import api
from force_posture.publish.api import BadRequest

VIEW_KEYS = ("window", "scale", "caps", "bands", "known", "from", "to", "saved")
PARAMETERS = (*VIEW_KEYS, "width", "height", "theme")
WIDTHS, HEIGHTS = (300, 2400), (180, 1600)  # pixels, inclusive (PNGs are drawn at 2x)
DOCS = "the README's 'Charts and data in other tools'"
IMAGES = ("png", "svg")  # the only formats that draw library scenarios (saved=)
ONLY_IMAGES = (
    "saved= is drawn on the images (.png, .svg) only: a library scenario's points are in the app's "
    "library, where its CSV can be downloaded."
)
PREVIEW_SIZE = (1200, 630)  # what link previews show (Open Graph's recommended size)
MEDIA = {
    "png": export.MIME["png"],
    "svg": export.MIME["svg"],
    "csv": "text/csv; charset=utf-8",
    "metadata.json": "application/json",
}
IMMUTABLE = "public, max-age=31536000, immutable"  # a versioned address: the same bytes forever
PRIVATE = "private, no-cache"  # with library scenarios: for the one who may see them, never a shared cache
REVALIDATE = "public, no-cache"  # the latest address: kept, but asked again (a 304 if unchanged)

_PATH = re.compile(
    r"/chart/(?:(?P<version>[0-9a-f]{6,40})/(?P<day>[0-9]{4}-[0-9]{2}-[0-9]{2})/)?"
    r"(?P<chart>[a-z]+)\.(?P<fmt>png|svg|csv|metadata\.json)"
)


class NotFound(LookupError):
    """No such address; `str(err)` says what there is."""


@dataclass(frozen=True)
class Ask:
    """One request for a chart view: which chart, in which format, drawn how, from which record."""

    chart: str
    fmt: str
    view: view.View
    width: int = export.DEFAULT_SIZE[0]
    height: int = export.DEFAULT_SIZE[1]
    theme: str = "light"
    version: str = ""  # the record version a versioned address names ("": the current one)
    day: dt.date = dt.date(2026, 1, 1)  # the drawing's "today" (a versioned address names it)

    @property
    def pinned(self) -> bool:
        return bool(self.version)

    def briefing(self, scenarios: pd.DataFrame | None = None) -> export.Briefing:
        return export.Briefing(
            chart=self.chart,
            today=self.day,
            view=self.view,
            width=self.width,
            height=self.height,
            theme=self.theme,
            scenarios=scenarios,
        )

    def query(self) -> str:
        """The parameters that differ from the defaults, in one order: the same view, the same string."""
        q = self.view.with_(briefing="off").to_query()
        q.pop("since", None)
        if (self.width, self.height) != export.DEFAULT_SIZE:
            q |= {"width": str(self.width), "height": str(self.height)}
        if self.theme != "light":
            q["theme"] = self.theme
        return urlencode(sorted(q.items()))

    def etag(self, version: str, base: str = "") -> str:
        """The view and the record it is drawn from (and the server address, for a body that prints
        addresses): equal tags, equal bytes."""
        key = f"{version}|{self.day}|{self.chart}.{self.fmt}|{self.query()}|{base}"
        return '"' + hashlib.sha256(key.encode()).hexdigest()[:24] + '"'

    def address(self, base: str, version: str, fmt: str | None = None, **size: int) -> str:
        """The versioned address of this view (or another format, or size, of it): never changes."""
        ask = replace(self, fmt=fmt or self.fmt, **size)
        q = ask.query()
        return f"{base.rstrip('/')}/chart/{version}/{self.day}/{self.chart}.{ask.fmt}" + (f"?{q}" if q else "")

    def latest(self, base: str, fmt: str | None = None) -> str:
        """The address of this view as the record stands, whatever its version."""
        q = replace(self, fmt=fmt or self.fmt).query()
        return f"{base.rstrip('/')}/chart/{self.chart}.{fmt or self.fmt}" + (f"?{q}" if q else "")


def ask(path: str, query: Iterable[tuple[str, str]], today: dt.date) -> Ask:
    """The request at `path` with these (name, value) pairs; BadRequest (a 400) or NotFound (a 404)
    in words that name what is wrong."""
    match = _PATH.fullmatch(path)
    if match is None or match["chart"] not in view.CHARTS:
        raise NotFound(
            f"No such address: {path[:80]}. Charts are at /chart/<chart>.png, .svg, .csv or .metadata.json, "
            f"with <chart> one of {', '.join(view.CHARTS)}."
        )
    params = api.parameters(list(query), PARAMETERS, DOCS)
    day = today
    if match["day"]:
        day = _pinned_day(match["day"], today, "the address's day")
    if "saved" in params and match["fmt"] not in IMAGES:
        raise BadRequest(ONLY_IMAGES)
    chosen, notes = view.parse({k: v for k, v in params.items() if k in VIEW_KEYS})
    refused = [n for n in notes if n.startswith("Ignored ")]  # (a range given backwards is read the other way)
    if refused:  # the app's own words for a value it cannot use ("Ignored window='x': use one of ...")
        raise BadRequest(refused[0].removeprefix("Ignored ").rstrip(".") + ".")
    if chosen.known:  # a day to come is the record as known on the drawing's day: the metadata says which
        try:
            chosen = chosen.with_(known=view.served_day("known", chosen.known, day).isoformat())
        except ValueError as err:
            raise BadRequest(str(err)) from None
    theme = params.get("theme", "light")
    if theme not in style.THEMES:
        raise BadRequest(f"theme='{theme[:40]}': use one of {', '.join(style.THEMES)}.")
    width = _pixels(params, "width", export.DEFAULT_SIZE[0], WIDTHS)
    height = _pixels(params, "height", export.DEFAULT_SIZE[1], HEIGHTS)
    return Ask(match["chart"], match["fmt"], chosen, width, height, theme, match["version"] or "", day)


def _pinned_day(value: str, today: dt.date, name: str) -> dt.date:
    try:
        return view.known_day(name, value, today)
    except ValueError as err:
        raise BadRequest(str(err)) from None


def _pixels(params: dict[str, str], key: str, default: int, limits: tuple[int, int]) -> int:
    if key not in params:
        return default
    value = params[key]
    if not (value.isascii() and value.isdigit() and limits[0] <= int(value) <= limits[1]):
        raise BadRequest(f"{key}='{value[:40]}': give a whole number of pixels from {limits[0]} to {limits[1]}.")
    return int(value)


def record_for(ask_: Ask, current: data.Dataset, at_version: Callable[[str], data.Dataset]) -> data.Dataset:
    """The record a request draws: the current one, or the version its address names (NotFound if none)."""
    if not ask_.version or ask_.version == current.version:
        return current
    try:
        return at_version(ask_.version)
    except LookupError as err:
        raise NotFound(str(err)) from None


def csv_body(ds: data.Dataset, ask_: Ask) -> bytes:
    """The points the view draws (the figure standing when its span opens, then every one inside it),
    with every provenance column; spreadsheet formulas neutralised."""
    _, scope = _scope(ds, ask_)
    return api.table_csv(_columns(scope.levels, "troop_levels"))


def _scope(ds: data.Dataset, ask_: Ask) -> tuple[data.Dataset, charts.Scope]:
    """The record as the view knows it, and what its chart shows of it (worked out once per answer)."""
    known = history.as_known(ds, ask_.view.known_on)
    return known, charts.scope_for(known, ask_.briefing().spec())


def _columns(frame, table: str):
    return frame.loc[:, list(api.TABLES[table])].reset_index(drop=True)


def _sources(scope: charts.Scope) -> list[dict]:
    """Every source behind the view's points and milestones, once each, newest first."""
    rows = []
    for table, frame in (("troop_levels", scope.levels), ("milestones", scope.milestones)):
        frame = frame.sort_values("date", ascending=False)
        rows += [{"table": table, "source": s, "url": u} for s, u in zip(frame["source"], frame["url"], strict=True)]
    return list({(r["table"], r["source"], r["url"]): r for r in rows}.values())


def metadata(ds: data.Dataset, ask_: Ask, base: str) -> dict:
    """What a data tool or a citation needs about the view: its words, record, days, sources, addresses."""
    b = ask_.briefing()
    known, scope = _scope(ds, ask_)
    words = charts.words(known, b.spec(base), scope)
    drawn = _columns(scope.levels, "troop_levels")
    published = drawn["published"].dropna()
    return {
        "title": words.title,
        "subtitle": words.subtitle,
        "description": summary.latest_words(known.levels, ask_.day, b.countries),
        "as_of": ask_.day.isoformat(),
        "known_on": (ask_.view.known_on or ask_.day).isoformat(),
        "record_version": ds.version,
        "last_source_date": max(drawn["date"]).strftime("%Y-%m-%d") if len(drawn) else None,
        "last_published": published.max().strftime("%Y-%m-%d") if len(published) else None,
        "points": len(drawn),
        "citation": f"{words.title}. {words.source}. {words.as_of}. {view.link(base, ask_.chart, ask_.view)}",
        "source_line": words.source,
        "sources": _sources(scope),
        "view": view.link(base, ask_.chart, ask_.view),
        "images": {fmt: ask_.address(base, ds.version, fmt) for fmt in IMAGES},
        "data": ask_.address(base, ds.version, "csv"),
        "latest": {fmt: ask_.latest(base, fmt) for fmt in MEDIA},
    }


def metadata_body(ds: data.Dataset, ask_: Ask, base: str) -> bytes:
    return json.dumps(metadata(ds, ask_, base), indent=1).encode()


def esc(value: object) -> str:
    """Text as it may go into HTML, in an element or an attribute."""
    return html.escape(str(value), quote=True)


def page_head(title: str) -> str:
    """The start of every small page these addresses serve, up to its title."""
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>{esc(title)}</title>'
    )


def preview_page(ds: data.Dataset, ask_: Ask, base: str) -> str:
    """A small HTML page for link previews (Open Graph and Twitter tags, the image with its description
    as alt text, a link to the view in the app), with no script and no Streamlit session. Every value is
    escaped: it is our own words, but they quote sources."""
    meta = metadata(ds, replace(ask_, fmt="png"), base)
    w, h = PREVIEW_SIZE
    image = ask_.address(base, ds.version, "png", width=w, height=h)
    e = esc
    tags = {
        "og:type": "website",
        "og:title": meta["title"],
        "og:description": meta["description"],
        "og:image": image,
        "og:image:width": str(w),
        "og:image:height": str(h),
        "og:image:alt": meta["description"],
        "og:url": meta["view"],
        "twitter:card": "summary_large_image",
        "twitter:title": meta["title"],
        "twitter:description": meta["description"],
        "twitter:image": image,
    }
    attr = lambda key: "name" if key.startswith("twitter:") else "property"  # noqa: E731
    head = "\n".join(f'<meta {attr(k)}="{e(k)}" content="{e(v)}">' for k, v in tags.items())
    return f"""{page_head(meta["title"])}
<meta name="description" content="{e(meta["description"])}">
{head}
<link rel="canonical" href="{e(meta["view"])}">
<style>body {{ font-family: "Liberation Sans", Arial, sans-serif; max-width: 60rem; margin: 1rem auto; padding: 0 1rem;
  color: #222; }} img {{ width: 100%; height: auto; }} p {{ line-height: 1.4; }} a {{ color: #0060a0; }}</style>
</head>
<body>
<h1>{e(meta["title"])}</h1>
<p><a href="{e(meta["view"])}"><img src="{e(image)}" width="{w}" height="{h}" alt="{e(meta["description"])}"></a></p>
<p>{e(meta["description"])}</p>
<p><a href="{e(meta["view"])}">Open this view in the dashboard</a> ·
  <a href="{e(meta["data"])}">its points (CSV)</a></p>
<p><small>{e(meta["source_line"])}. As of {e(data.fmt_day(ask_.day))}.</small></p>
</body>
</html>
"""


def of_view(chart: str, chosen: view.View, day: dt.date, version: str = "") -> Ask:
    """A page's view at the chart addresses: its public part only (never its scenarios or library ids);
    `version`: the record version a page shown as on an earlier day draws (its pinned addresses name it)."""
    return Ask(chart, "png", chosen.with_(saved="", briefing="off", since="", shown=""), day=day, version=version)


def preview_address(ask_: Ask, base: str) -> str:
    """The link preview page of a view: the link to give a chat or an e-mail."""
    q = replace(ask_, width=export.DEFAULT_SIZE[0], height=export.DEFAULT_SIZE[1]).query()
    return f"{base.rstrip('/')}/view/{ask_.chart}" + (f"?{q}" if q else "")


def preview_ask(chart: str, query: Iterable[tuple[str, str]], today: dt.date) -> Ask:
    """The view a preview page at /view/<chart> (or an embed) shows: the images' parameters but saved=,
    as a preview is fetched by a chat's server, which has nobody's identity."""
    pairs = list(query)
    if any(key == "saved" for key, _ in pairs):
        raise BadRequest(ONLY_IMAGES)
    return ask(f"/chart/{chart}.png", pairs, today)


class Busy(RuntimeError):
    """More different images are being drawn than this replica draws at once: try again shortly."""


class ImageRenders:
    """Images by ETag: each drawn once however many ask for it at once (they wait for the same drawing),
    at most `limit` different ones drawn at a time (past that, Busy: an embed storm cannot take the export
    browser from the analysts' own exports), and the last few kept (an image once drawn is sent at once).
    Used from the server's event loop only (one thread): its dicts need no lock. A failed drawing is not
    kept: the next request draws again."""

    def __init__(self, limit: int = 1, keep_bytes: int = 48 * 1024 * 1024):
        self.limit = limit
        self.keep_bytes = keep_bytes
        self._drawing: dict[str, asyncio.Future] = {}
        self._kept: OrderedDict[str, bytes] = OrderedDict()
        self.drawn = 0  # how many drawings this process has started (bench/embed.py reads it)

    async def get(self, key: str, draw: Callable[[], bytes]) -> tuple[bytes, str]:
        """The image and how it came: "kept", "joined" (another request's drawing) or "drawn"."""
        if key in self._kept:
            self._kept.move_to_end(key)
            return self._kept[key], "kept"
        how = "joined"
        future = self._drawing.get(key)
        if future is None:
            if len(self._drawing) >= self.limit:
                drawing = len(self._drawing)
                raise Busy(f"This server is drawing {drawing} other chart images; try again in a few seconds.")
            future = self._drawing[key] = asyncio.ensure_future(asyncio.to_thread(draw))
            future.add_done_callback(lambda done: self._done(key, done))
            self.drawn += 1
            how = "drawn"
        return await asyncio.shield(future), how

    def _done(self, key: str, future: asyncio.Future) -> None:
        self._drawing.pop(key, None)
        if future.cancelled() or future.exception() is not None:
            return
        self._kept[key] = future.result()
        while sum(map(len, self._kept.values())) > self.keep_bytes and len(self._kept) > 1:
            self._kept.popitem(last=False)
