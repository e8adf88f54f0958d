"""Every chart view at an address of its own: parsing and refusals, ETags, the data formats, the preview
page's tags (read with an HTML parser), and the drawing that a storm of requests shares."""

import asyncio
import concurrent.futures
import csv
import datetime as dt
import io
import json
import re
import threading
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest
from starlette.requests import Request

from force_posture.core.view import View
from force_posture.exports import export, renderer
from force_posture.publish import api, embed, public
from force_posture.web import app as web_app
from tests import rows
from tests.browser import ARTIFACTS
from tests.conftest import TODAY


def on_a_loop(coroutine):
    """Run a coroutine on an event loop of its own, in a thread of its own (a test process may already
    run a loop in its main thread: Playwright's sync API does)."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def ask(path="/chart/overview.png", **params):
    return public.ask(path, list(params.items()), TODAY)


def test_an_address_takes_the_apps_own_view_parameters_and_the_image_size_and_theme():
    a = ask(
        "/chart/syria.svg",
        window="since-announcement",
        scale="log",
        caps="off",
        known="2025-06-01",
        width="960",
        height="540",
        theme="dark",
    )
    assert (a.chart, a.fmt, a.width, a.height, a.theme) == ("syria", "svg", 960, 540, "dark")
    assert (a.day, a.pinned) == (TODAY, False)
    assert a.view == View(window="since-announcement", scale="log", caps="off", known="2025-06-01")
    pinned = public.ask("/chart/9e0578ebfbe3/2026-06-01/iraq.metadata.json", [("from", "2025-01")], TODAY)
    assert (pinned.version, pinned.day, pinned.fmt, pinned.view.from_, pinned.pinned) == (
        "9e0578ebfbe3",
        dt.date(2026, 6, 1),
        "metadata.json",
        "2025-01",
        True,
    )


@pytest.mark.parametrize(
    "query, message",
    [
        ([("contry", "Syria")], "'contry' is not a parameter of this address: it takes window, scale, caps, bands,"),
        ([("scale", "log"), ("scale", "linear")], "scale is given twice: give it once (one scale per request)."),
        ([("window", "")], "window='': use one of last-12-months, since-announcement, counter-is, since-2003."),
        ([("window", "2014")], "window='2014': use one of last-12-months,"),
        ([("caps", "yes")], "caps='yes': use one of on, off."),
        ([("known", "1 June")], "known='1 June': give a day as YYYY-MM-DD, from 2003-01-01."),
        ([("from", "20x5")], "from='20x5': give a year, a month or a day (2025, 2025-01 or 2025-01-15)"),
        ([("width", "99")], "width='99': give a whole number of pixels from 300 to 2400."),
        ([("height", "")], "height='': give a whole number of pixels from 180 to 1600."),
        ([("width", "１２００")], "width='１２００': give a whole number of pixels"),  # full-width digits
        ([("theme", "auto")], "theme='auto': use one of light, dark."),
        ([("saved", "12,x")], "saved='12,x': use up to 10 saved scenario numbers, separated by commas"),
        ([("briefing", "on")], "'briefing' is not a parameter of this address"),
    ],
)
def test_a_bad_empty_repeated_or_unknown_parameter_is_refused_by_name(query, message):
    with pytest.raises(api.BadRequest) as err:
        public.ask("/chart/overview.png", query, TODAY)
    assert str(err.value).startswith(message)


@pytest.mark.parametrize(
    "path",
    [
        "/chart/kurdistan.png",
        "/chart/overview.gif",
        "/chart/overview",
        "/chart/",
        "/chart/abc/2026-01-01/overview.png",
        "/chart/overview.png/extra",
    ],
)
def test_an_address_that_is_not_a_chart_is_not_found_with_what_there_is(path):
    with pytest.raises(public.NotFound, match=r"Charts are at /chart/<chart>.png, .svg, .csv or .metadata.json"):
        public.ask(path, [], TODAY)


def test_a_versioned_address_names_a_day_that_has_come():
    with pytest.raises(api.BadRequest, match=r"the address's day='2026-11-25' is not a usable day"):
        public.ask("/chart/9e0578ebfbe3/2026-11-25/overview.png", [], TODAY)
    # known after the address's day, or after today: the record as known on that day (the metadata says so)
    assert public.ask("/chart/9e0578ebfbe3/2026-06-01/overview.png", [("known", "2026-06-02")], TODAY).view.known == (
        "2026-06-01"
    )
    assert public.ask("/chart/overview.csv", [("known", "2030-01-01")], TODAY).view.known == TODAY.isoformat()
    backwards = public.ask("/chart/overview.csv", [("from", "2026"), ("to", "2025")], TODAY).view
    assert (backwards.from_, backwards.to) == ("2025", "2026")  # given the wrong way round: read the other way


def test_the_etag_is_the_view_and_the_record_never_the_order_of_the_parameters():
    a = ask(window="since-2003", scale="log")
    b = public.ask("/chart/overview.png", [("scale", "log"), ("window", "since-2003")], TODAY)
    assert a.etag("v1") == b.etag("v1") and a.etag("v1").startswith('"') and len(a.etag("v1")) == 26
    others = {
        a.etag("v2"),
        ask(window="since-2003").etag("v1"),
        ask(window="since-2003", scale="log", theme="dark").etag("v1"),
        ask("/chart/overview.svg", window="since-2003", scale="log").etag("v1"),
        public.ask("/chart/abc123/2026-11-01/overview.png", [("window", "since-2003"), ("scale", "log")], TODAY).etag(
            "v1"
        ),
    }
    assert a.etag("v1") not in others and len(others) == 5
    assert ask(window="counter-is").etag("v1") == ask().etag("v1")  # the default written out is the default


def test_the_csv_is_the_points_the_view_draws_with_every_provenance_column(ds):
    body = public.csv_body(ds, ask("/chart/syria.csv", window="since-announcement")).decode("utf-8-sig")
    assert (
        body.splitlines()[0]
        == "date,country,troops,low,high,qualifier,basis,source,url,note,published,corroboration,outlets"
    )
    rows = list(csv.DictReader(io.StringIO(body)))
    assert {r["country"] for r in rows} == {"Syria"} and len(rows) == 11
    days = sorted(r["date"] for r in rows)
    assert days[0] == "2024-12-19"  # the figure standing when the window opens (Apr 2025): the line enters there
    assert all(d >= "2025-04-01" for d in days[1:]) and days[-1] == "2026-02-23"
    assert all(r["url"].startswith("https://") and r["source"] and r["basis"] and r["published"] for r in rows)


def test_the_metadata_says_what_a_citation_needs_and_gives_the_versioned_addresses(ds):
    a = ask("/chart/iraq.metadata.json", window="last-12-months", theme="dark")
    meta = public.metadata(ds, a, "https://posture.example.org")
    assert meta["title"] == "US troops in Iraq, 2025–2027" and meta["record_version"] == ds.version
    assert meta["as_of"] == meta["known_on"] == "2026-11-24" and meta["last_source_date"] == "2026-01-18"
    assert meta["description"].startswith(
        "Latest sourced figure: Iraq fewer than 1,100 (press estimate, 18 Jan 2026, single source)."
    )
    assert meta["sources"] and all(s["url"].startswith("http") and s["source"] for s in meta["sources"])
    assert meta["images"]["png"] == (
        f"https://posture.example.org/chart/{ds.version}/2026-11-24/iraq.png?theme=dark&window=last-12-months"
    )
    assert meta["latest"]["csv"] == "https://posture.example.org/chart/iraq.csv?theme=dark&window=last-12-months"
    assert meta["view"] == "https://posture.example.org/iraq?window=last-12-months"
    assert meta["citation"].startswith("US troops in Iraq, 2025–2027. Source: US DoD statements")
    assert "saved" not in str(meta)


class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.meta, self.images, self.links, self.scripts, self.title = {}, [], [], 0, ""
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "meta" and ("property" in a or "name" in a):
            self.meta[a.get("property") or a.get("name")] = a["content"]
        elif tag == "img":
            self.images.append(a)
        elif tag == "a":
            self.links.append(a["href"])
        elif tag == "script":
            self.scripts += 1
        self._in_title = tag == "title"

    def handle_data(self, data):
        if self._in_title:
            self.title += data

    def handle_endtag(self, tag):
        self._in_title = False


def test_the_preview_page_has_the_tags_link_previews_read_and_no_script(ds):
    a = public.preview_ask("overview", [("window", "since-announcement")], TODAY)
    tags = Tags()
    tags.feed(public.preview_page(ds, a, "https://posture.example.org"))
    m = tags.meta
    assert tags.title == m["og:title"] == m["twitter:title"] == "US troops in Syria and Iraq, 2025–2027"
    assert m["og:description"] == m["twitter:description"] == tags.images[0]["alt"] == m["og:image:alt"]
    assert m["og:description"].startswith(
        "Latest sourced figures: Syria about 900 to about 1,000 (press estimate, 23 Feb 2026, confirmed by 4 outlets); "
        "Iraq fewer than 1,100"
    )
    image = urlsplit(m["og:image"])
    assert (image.scheme, image.netloc, image.path) == (
        "https",
        "posture.example.org",
        f"/chart/{ds.version}/2026-11-24/overview.png",
    )
    assert parse_qs(image.query) == {"width": ["1200"], "height": ["630"], "window": ["since-announcement"]}
    assert (m["og:image:width"], m["og:image:height"], m["twitter:card"]) == ("1200", "630", "summary_large_image")
    assert m["og:image"] == m["twitter:image"] == tags.images[0]["src"]
    assert "https://posture.example.org?window=since-announcement" in tags.links and tags.scripts == 0


# ---- drawing: once per image however many ask, never more than `limit` at a time ----------------------


def test_fifty_requests_for_one_image_at_once_draw_it_once():
    renders, release, calls = public.ImageRenders(limit=2), threading.Event(), []

    def draw():
        calls.append(1)
        release.wait(30)
        return b"PNG"

    async def storm():
        waiting = [asyncio.ensure_future(renders.get('"a"', draw)) for _ in range(50)]
        await asyncio.sleep(0)  # every request has asked before the drawing ends
        release.set()
        return await asyncio.gather(*waiting), await renders.get('"a"', draw)

    got, again = on_a_loop(storm())
    assert len(calls) == 1 == renders.drawn and {body for body, _ in got} == {b"PNG"}
    assert sorted(how for _, how in got) == ["drawn"] + ["joined"] * 49 and again == (b"PNG", "kept")


def test_past_the_limit_a_different_image_is_busy_and_a_failed_drawing_is_not_kept():
    renders, release = public.ImageRenders(limit=1), threading.Event()

    async def run():
        first = asyncio.ensure_future(renders.get('"a"', lambda: release.wait(30) and b"A"))
        await asyncio.sleep(0)
        with pytest.raises(public.Busy, match="This server is drawing 1 other chart images; try again in a few"):
            await renders.get('"b"', lambda: b"B")
        release.set()
        assert await first == (b"A", "drawn")
        assert await renders.get('"b"', lambda: b"B") == (b"B", "drawn")  # free again
        for _ in range(2):
            with pytest.raises(renderer.ExportError):
                await renders.get('"c"', _fails)
        return renders.drawn

    assert on_a_loop(run()) == 4  # a, b and c twice: the failure was not kept


def _fails():
    raise renderer.ExportError("the export browser stopped")


def test_kept_images_stay_within_their_bytes():
    renders = public.ImageRenders(limit=1, keep_bytes=10)

    async def run():
        for key in ("a", "b", "c"):
            await renders.get(key, lambda: b"12345")
        return [await renders.get(key, lambda: b"new") for key in ("a", "c")]

    assert on_a_loop(run()) == [(b"new", "drawn"), (b"12345", "kept")]


def _request(path: str, query: str = "", headers: dict | None = None) -> Request:
    raw = [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    scope = {
        "type": "http",
        "method": "GET",
        "path": path,
        "query_string": query.encode(),
        "headers": raw,
        "scheme": "http",
        "server": ("127.0.0.1", 8501),
        "root_path": "",
    }
    return Request(scope)


def test_a_failed_drawing_is_a_503_in_words_never_a_200(ds, monkeypatch):
    from force_posture.store import live
    from force_posture.web import addresses

    monkeypatch.setattr(live, "dataset", lambda: ds)
    monkeypatch.setattr(addresses, "_images", public.ImageRenders(limit=1))

    def stopped(*args, **kwargs):
        raise renderer.ExportError("The export browser did not answer in 60 s.")

    monkeypatch.setattr(export, "export", stopped)
    reply = on_a_loop(addresses.chart_view(_request("/chart/syria.png")))
    assert reply.status_code == 503 and reply.headers["cache-control"] == "no-store"
    assert reply.body == b"The chart image could not be drawn just now. The export browser did not answer in 60 s.\n"
    monkeypatch.setattr(export, "export", lambda *a, **k: 1 / 0)
    reply = on_a_loop(addresses.chart_view(_request("/chart/syria.svg")))
    assert reply.status_code == 500 and b"Traceback" not in reply.body and b"ZeroDivision" not in reply.body
    assert reply.body.startswith(b"The chart could not be made; try again")
    reply = on_a_loop(addresses.chart_view(_request("/chart/syria.csv", "window=nope")))
    assert reply.status_code == 400 and reply.body.startswith(b"window='nope': use one of")


# ---- the served app: every route, as a wiki, a chat or a data tool meets it ---------------------------


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The app as `make run` serves it, with a record database of its own (a test here approves a change)."""
    from tests.browser import served_app

    url = f"sqlite:///{tmp_path_factory.mktemp('public')}/record.sqlite3"
    env = {
        "FORCE_POSTURE_DATABASE_URL": url,
        "FORCE_POSTURE_RECORD_POLL": "0.2",
        "FORCE_POSTURE_USER_HEADER": "X-Forwarded-User",
    }  # as a team's replica: identity from its proxy
    with served_app(env=env) as base:
        yield base, url


def _get(url: str, **headers: str) -> tuple[int, dict, bytes]:
    import urllib.error
    import urllib.request

    from tests.browser import TIMEOUT_S

    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=TIMEOUT_S) as r:  # noqa: S310
            return r.status, {k.lower(): v for k, v in r.headers.items()}, r.read()
    except urllib.error.HTTPError as err:
        return err.code, {k.lower(): v for k, v in err.headers.items()}, err.read()


@pytest.mark.browser
def test_every_chart_address_answers_with_its_type_an_etag_and_a_304(served, ds):
    base, _ = served
    for path, kind, start in (
        ("/chart/syria.png", "image/png", b"\x89PNG\r\n"),
        ("/chart/overview.svg?window=last-12-months&theme=dark", "image/svg+xml", b"<svg"),
        ("/chart/iraq.csv?known=2025-06-01", "text/csv; charset=utf-8", "\ufeffdate,country,troops".encode()),
        ("/chart/iraq.metadata.json", "application/json", b"{"),
    ):
        status, h, body = _get(base + path)
        assert (status, h["content-type"], body[: len(start)]) == (200, kind, start), path
        assert h["cache-control"] == "public, no-cache" and h["x-record-version"] == ds.version, path
        assert h["etag"].startswith('"') and h["access-control-allow-origin"] == "*"
        again, h2, empty = _get(base + path, **{"If-None-Match": h["etag"]})
        assert (again, empty, h2["etag"]) == (304, b"", h["etag"]), path
        assert _get(base + path, **{"If-None-Match": '"something-else"'})[0] == 200
    status, h, body = _get(base + "/chart/iraq.metadata.json")
    pinned = json.loads(body)["images"]["png"]
    assert pinned.startswith(f"{base}/chart/{ds.version}/") and pinned.endswith("/iraq.png")
    status, h, png = _get(pinned)
    assert (status, h["cache-control"], png[:4]) == (200, "public, max-age=31536000, immutable", b"\x89PNG")
    assert h["etag"] == _get(base + "/chart/iraq.png")[1]["etag"]  # the same view of the same record


@pytest.mark.browser
def test_an_image_address_returns_what_the_export_of_that_view_makes(served, ds):
    import re

    base, _ = served
    status, _, served_svg = _get(base + "/chart/syria.svg?window=since-announcement&width=960&height=540")
    b = export.Briefing(
        chart="syria", today=dt.date.today(), view=View(window="since-announcement"), width=960, height=540
    )
    made = export.export(ds, b, "svg", base).decode()
    texts = lambda svg: re.findall(r"<text[^>]*>(.*?)</text>", svg)  # noqa: E731 (ids differ per drawing; words not)
    assert status == 200 and texts(served_svg.decode()) == texts(made) and len(texts(made)) > 30
    # the footer's link back names the address the image was asked at (the served port), never a default
    assert f"{base}/syria?window=since-announcement" in served_svg.decode() and "localhost:8501" not in made
    assert base.split(":")[-1] != "8501"
    assert 'width="960" height="540"' in served_svg.decode()


@pytest.mark.browser
@pytest.mark.parametrize(
    "path, status, said",
    [
        ("/chart/syria.png?contry=Syria", 400, "'contry' is not a parameter of this address"),
        ("/chart/syria.png?window=last-12-months&window=since-2003", 400, "window is given twice"),
        ("/chart/syria.png?window=", 400, "window='': use one of"),
        ("/chart/syria.png?width=99999", 400, "width='99999': give a whole number of pixels from 300 to 2400."),
        ("/chart/syria.png?saved=1", 403, "No identity was set by the team's proxy"),
        ("/chart/kurdistan.png", 404, "No such address: /chart/kurdistan.png."),
        ("/chart/abcdef12/2026-01-01/syria.png", 404, "No record version 'abcdef12' is known here"),
        ("/view/kurdistan", 404, "No such chart: use /view/ and one of overview, syria, iraq."),
        ("/view/syria?scale=cubic", 400, "scale='cubic': use one of linear, log."),
    ],
)
def test_bad_addresses_are_refused_in_plain_words_with_no_traceback(served, path, status, said):
    got, h, body = _get(served[0] + path)
    assert (got, h["content-type"]) == (status, "text/plain; charset=utf-8") and said in body.decode()
    assert b"Traceback" not in body and "etag" not in h


@pytest.mark.browser
def test_fifty_simultaneous_requests_for_one_uncached_image_render_it_once(served):
    url = served[0] + "/chart/overview.png?window=since-2003&scale=log&width=1280&height=720"
    with concurrent.futures.ThreadPoolExecutor(50) as pool:
        replies = list(pool.map(lambda _: _get(url), range(50)))
    assert {r[0] for r in replies} == {200} and len({r[2] for r in replies}) == 1
    hows = sorted(r[1]["x-image"] for r in replies)
    assert hows.count("drawn") == 1 and set(hows) <= {"drawn", "joined", "kept"}


@pytest.mark.browser
def test_the_preview_page_is_tagged_for_link_previews_and_its_image_is_served(served):
    base, _ = served
    status, h, page = _get(base + "/view/syria?window=since-announcement")
    assert (status, h["content-type"]) == (200, "text/html; charset=utf-8") and "script-src" not in h.get(
        "content-security-policy", "script-src"
    )
    tags = Tags()
    tags.feed(page.decode())
    assert tags.meta["og:title"].startswith("US troops in Syria, 2025") and tags.scripts == 0
    assert tags.meta["og:description"].startswith("Latest sourced figure: Syria about 900 to about 1,000")
    status, h, png = _get(tags.meta["og:image"])
    assert (status, h["content-type"], png[:4]) == (200, "image/png", b"\x89PNG")
    assert f"{base}/syria?window=since-announcement" in tags.links


@pytest.mark.browser
def test_the_latest_address_follows_an_approval_and_the_versioned_one_keeps_its_record(served, ds):
    """An editor's approval makes a new record version: the latest address's ETag changes within the
    replica's poll, the old versioned address still draws the record it named."""
    import time

    from force_posture.core import amend, data
    from force_posture.store import database, record
    from tests.browser import TIMEOUT_S

    base, url = served
    _, before, body = _get(base + "/chart/iraq.metadata.json")
    old = json.loads(body)
    rec = record.Record(database.Database(url))
    row = rows.erbil("2026-11-20")
    change = amend.Change(amend.NEW, data.LEVELS_FILE, quote="about 250 advisers", reason="New figure", row=row)
    now, today = dt.datetime.now(dt.UTC), dt.date.today()
    p = rec.propose(record.Analyst("alice", False), change, now, today)
    rec.decide(record.Analyst("bob", True), p.thread, p.latest.id, record.APPROVED, "", now, today)
    version = rec.current()[1]
    deadline = time.monotonic() + TIMEOUT_S
    while (h := _get(base + "/chart/iraq.metadata.json")[1])["x-record-version"] != version:
        assert time.monotonic() < deadline, "the replica never showed the approved version"
        time.sleep(0.2)  # the replica's poll interval (FORCE_POSTURE_RECORD_POLL): a state, polled
    assert h["etag"] != before["etag"]
    status, h, body = _get(base + "/chart/iraq.csv")
    assert status == 200 and "2026-11-20,Iraq,250" in body.decode()
    status, h, body = _get(old["data"])  # the versioned CSV of the record before the approval
    assert (status, h["x-record-version"], h["cache-control"]) == (200, old["record_version"], public.IMMUTABLE)
    assert "2026-11-20,Iraq,250" not in body.decode() and old["record_version"] == ds.version


# ---- embeds and framing ---------------------------------------------------------------------------------


@pytest.mark.served
def test_the_embed_page_is_a_page_of_its_own_with_local_scripts_and_may_be_framed_by_anyone(served):
    base, _ = served
    status, h, page = _get(base + "/embed/iraq?window=last-12-months")
    assert (status, h["content-type"]) == (200, "text/html; charset=utf-8")
    assert "frame-ancestors *" in h["content-security-policy"] and "x-frame-options" not in h
    assert "script-src 'self'" in h["content-security-policy"] and h["etag"].startswith('"')
    text = page.decode()
    scripts = re.findall(r'<script src="([^"]+)"', text)
    assert scripts == [embed.PLOTLY_ADDRESS, embed.SCRIPT_ADDRESS]  # served here: no CDN, nothing from elsewhere
    assert 'id="fp-figure-light"' in text and 'id="fp-figure-dark"' in text  # theme=auto: both, the reader's shown
    assert "Open this view in the dashboard" in text and f'href="{base}/iraq?window=last-12-months"' in text
    assert "localhost:8501" not in text  # the chart's own footer links back to the served address too
    status, h, js = _get(base + embed.PLOTLY_ADDRESS)
    assert (status, h["cache-control"], js[:17]) == (200, "public, max-age=31536000, immutable", b"/**\n* plotly.js v")
    assert _get(base + "/embed/plotly-0.0.1.min.js")[0] == 404
    assert _get(base + "/embed/iraq?theme=sepia")[2].startswith(b"theme='sepia': use one of light, dark, auto.")


@pytest.mark.served
def test_the_apps_own_pages_refuse_framing_by_other_sites_and_the_public_addresses_do_not(served):
    base, _ = served
    for path in ("/", "/scenarios", "/review"):
        status, h, page = _get(base + path)
        assert h["content-security-policy"] == "frame-ancestors 'self'" and h["x-frame-options"] == "SAMEORIGIN", path
        # Streamlit's own page, with the script that tells the first run the window's size before it runs
        assert (status, h["content-type"], h["cache-control"]) == (200, "text/html; charset=utf-8", "no-cache")
        assert "<!doctype html>" in page.decode().lower() and '<div id="root"></div>' in page.decode()
        assert page.decode().count(web_app.WINDOW_SCRIPT.format(cookie="fp_window")) == 1, path
    for path in ("/chart/syria.csv", "/api/troop_levels.json", "/view/syria", "/feed.atom"):
        h = _get(base + path)[1]
        assert "x-frame-options" not in h and "frame-ancestors 'self'" not in h.get("content-security-policy", "")


@pytest.mark.browser
def test_the_embed_draws_inside_another_sites_iframe_in_the_readers_theme_with_no_console_error(served, browser):
    """A wiki page on another origin (served by this test) frames the embed and the app: the embed draws
    with hover and its sources' words, in light and in dark as the reader's system prefers; the app's page
    is refused by the browser."""
    import http.server

    from tests.browser import free_port, new_page

    base, _ = served
    embed = f"{base}/embed/overview?window=since-announcement"
    wiki = (
        f'<!doctype html><title>Team wiki</title><h1>Team wiki</h1><iframe id="embed" title="chart" '
        f'src="{embed}" width="100%" height="600"></iframe>'
        f'<iframe id="phone" title="chart on a phone" src="{embed}" width="390" height="600"></iframe>'
        f'<iframe id="tiny" title="chart in a small box" src="{embed}" width="300" height="250"></iframe>'
        f'<iframe id="mini" title="chart in too small a box" src="{embed}" width="200" height="150"></iframe>'
        f'<iframe id="app" title="app" src="{base}/" width="400" height="300"></iframe>'
    ).encode()

    class Wiki(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(wiki)

        def log_message(self, *args):
            pass

    port = free_port()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Wiki)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        for scheme, paper in (("light", "white"), ("dark", "#171614")):
            page = new_page(browser, viewport={"width": 1000, "height": 900}, color_scheme=scheme)
            errors = []
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.goto(f"http://localhost:{port}/")  # another origin than the app's 127.0.0.1
            page.frame_locator("#embed").locator(".main-svg").first.wait_for()
            frame = next(f for f in page.frames if "/embed/" in f.url)
            frame.wait_for_function("() => document.getElementById('fp-chart')._fullLayout !== undefined")
            assert frame.evaluate("document.getElementById('fp-chart')._fullLayout.paper_bgcolor") == paper
            labels = frame.locator(".annotation-text").all_text_contents()
            assert any("Today, " in t for t in labels) and any("Source: US DoD" in t for t in labels)
            # a frame from 300x250 up holds its chart whole, the line under it included; a smaller one says so
            for name in ("embed", "phone", "tiny", "mini"):
                inner = page.frame_locator(f"#{name}")
                inner.locator("#fp-chart .main-svg").first.wait_for()
                box = page.locator(f"#{name}").bounding_box()
                fits = inner.locator("#fp-chart").evaluate(
                    "(el, h) => el.getBoundingClientRect().bottom + "
                    "document.querySelector('p.fp-back:not(#fp-small)').offsetHeight <= h",
                    box["height"],
                )
                assert inner.locator("#fp-small").is_visible() == (not fits), (scheme, name)
                assert fits == (name != "mini"), (scheme, name)
            compact = page.frame_locator("#tiny").locator(".annotation-text").all_text_contents()
            assert "Source: US DoD and press reports · hover a point, line," in compact, compact  # the rest on hover
            said = page.frame_locator("#mini").locator("#fp-small").inner_text()
            assert said.startswith("This frame (200x150) is too small for the whole chart (300x"), said
            page.screenshot(path=str(ARTIFACTS / f"embed-in-a-wiki-{scheme}.png"), full_page=True)
            blocked = [e for e in errors if "frame-ancestors" in e]
            assert blocked and all(base in e or "127.0.0.1" in e for e in blocked)  # the app, refused
            assert [e for e in errors if e not in blocked] == []  # the embed itself: no error at all
            page.close()
    finally:
        server.shutdown()


@pytest.mark.team
def test_the_balancer_serves_static_parts_from_its_cache_even_with_the_replica_gone():
    """deploy/haproxy.cfg keeps Streamlit's content-hashed files, the embed's plotly.js and the versioned
    chart addresses: once fetched through it, they are served with the replica stopped, so it never sees
    those requests again. The latest addresses, the pages and the API always go to a replica."""
    from tests.browser import haproxy, served_app

    replica = served_app()
    base = replica.__enter__()
    with haproxy([base, base]) as front:
        try:
            page = _get(front + "/")[2].decode()
            static = front + "/" + re.findall(r'src="\./(static/js/[^"]+)"', page)[0].removeprefix("./")
            pinned = json.loads(_get(front + "/chart/syria.metadata.json")[2])["images"]["svg"]
            assert pinned.startswith(front + "/chart/")  # the balancer's address, as the client used it
            kept = {url: _get(url) for url in (static, pinned, front + embed.PLOTLY_ADDRESS)}
            for url, (status, h, body) in kept.items():
                assert status == 200 and "age" not in h, url  # the first time: from the replica
                again = _get(url)
                assert (again[0], again[2]) == (200, body) and "age" in again[1], url  # then from the cache
        finally:
            replica.__exit__(None, None, None)  # the only replica stops
        for url, (_, _, body) in kept.items():
            status, h, again = _get(url)
            assert (status, again) == (200, body) and "age" in h, url
        for path in ("/chart/syria.svg", "/api/schema.json", "/"):  # never cached by the balancer
            assert _get(front + path)[0] == 503, path


@pytest.mark.browser
def test_an_image_draws_a_team_scenario_only_for_who_may_see_it_and_never_a_private_one(served):
    from force_posture.core import scenarios
    from force_posture.store import library

    base, url = served
    points = scenarios.parse(b"date,country,troops\n2026-03-01,Syria,700\n2026-11-01,Syria,100\n", "plan.csv").frame
    lib = library.Library(url)
    now = dt.datetime.now(dt.UTC)
    team = lib.save("alice", "Team plan", points, now, visibility="team")
    private = lib.save("alice", "Alice only", points, now, visibility="private")
    status, h, svg = _get(f"{base}/chart/syria.svg?saved={team.id}", **{"X-Forwarded-User": "bob"})
    assert status == 200 and "Team plan (v1)" in svg.decode()
    assert h["cache-control"] == "private, no-cache" and "access-control-allow-origin" not in h
    for who in ("alice", "bob"):  # a private scenario: refused even to its author (an address is passed on)
        status, h, body = _get(f"{base}/chart/syria.png?saved={private.id}", **{"X-Forwarded-User": who})
        assert status == 404 and body.decode() == library.refused([private.id]) + "\n" and "etag" not in h
    status, _, body = _get(f"{base}/chart/syria.png?saved={private.id + 100}", **{"X-Forwarded-User": "bob"})
    assert (status, body.decode()) == (404, library.refused([private.id + 100]) + "\n")  # the same words
    status, _, body = _get(f"{base}/chart/syria.svg?saved={team.id}")  # no identity from the proxy
    assert status == 403 and body.startswith(b"No identity was set by the team's proxy")
    status, _, body = _get(f"{base}/chart/syria.csv?saved={team.id}", **{"X-Forwarded-User": "bob"})
    assert status == 400 and body.startswith(b"saved= is drawn on the images (.png, .svg) only")
    _, _, plain = _get(f"{base}/chart/syria.svg", **{"X-Forwarded-User": "bob"})
    assert "Team plan" not in plain.decode() and "Alice only" not in plain.decode()
