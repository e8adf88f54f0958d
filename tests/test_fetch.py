"""Reading a watched source politely (watch/fetch.py), against a real HTTP server on 127.0.0.1 that
serves the faults a publisher can throw: a 304, a 500, a slow answer, a redirect loop, a body too large,
robots.txt rules. Nothing here reaches the internet."""

import http.server
import threading
import time

import pytest

from force_posture.watch import fetch
from tests.browser import free_port

FEED = b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>'


class Fixtures(http.server.BaseHTTPRequestHandler):
    seen: list[tuple[str, dict]] = []
    release = threading.Event()

    def do_GET(self):  # noqa: N802
        Fixtures.seen.append((self.path, dict(self.headers)))
        route = {
            "/feed.xml": self._feed,
            "/broken": lambda: self._plain(500, b"oops"),
            "/slow": self._slow,
            "/loop": lambda: self._redirect("/loop"),
            "/hop": lambda: self._redirect("/feed.xml"),
            "/huge": self._huge,
            "/robots.txt": lambda: self._plain(200, b"User-agent: *\nDisallow: /private\n"),
            "/private/page": lambda: self._plain(200, b"<p>secret</p>"),
            "/open/page": lambda: self._plain(200, b"<p>open</p>"),
        }.get(self.path, lambda: self._plain(404, b"no"))
        route()

    def _plain(self, status, body, kind="text/html"):
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _feed(self):
        if self.headers.get("If-None-Match") == '"v1"':
            self.send_response(304)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("ETag", '"v1"')
        self.send_header("Last-Modified", "Fri, 04 Dec 2026 10:00:00 GMT")
        self.send_header("Content-Length", str(len(FEED)))
        self.end_headers()
        self.wfile.write(FEED)

    def _slow(self):
        Fixtures.release.wait(30)  # holds the answer until the test has seen the reader give up
        self._plain(200, b"late")

    def _redirect(self, to):
        self.send_response(302)
        self.send_header("Location", to)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _huge(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(50 * 1024 * 1024))
        self.end_headers()
        chunk = b"x" * 65536
        try:
            for _ in range(800):
                self.wfile.write(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), Fixtures)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    Fixtures.release.set()
    server.shutdown()


def _reader(**kw):
    return fetch.Reader(timeout=kw.pop("timeout", 5.0), sleep=lambda s: None, **kw)


def test_a_feed_is_read_then_asked_again_with_its_validators_and_a_304_costs_nothing(site, monkeypatch):
    monkeypatch.setenv("FORCE_POSTURE_WATCH_CONTACT", "watch@example.org")
    reader = _reader()
    first = reader.get(f"{site}/feed.xml")
    assert (first.ok, first.status, first.body, first.etag) == (True, 200, FEED, '"v1"')
    assert first.modified == "Fri, 04 Dec 2026 10:00:00 GMT" and first.content_type == "application/rss+xml"
    again = reader.get(f"{site}/feed.xml", etag=first.etag, modified=first.modified)
    assert (again.ok, again.status, again.not_modified, again.body, again.etag) == (True, 304, True, b"", '"v1"')
    asked = [h for path, h in Fixtures.seen if path == "/feed.xml"][-1]
    assert asked["If-None-Match"] == '"v1"' and asked["If-Modified-Since"] == first.modified
    assert (
        asked["User-Agent"].startswith("force-posture-watch/1") and "contact: watch@example.org" in asked["User-Agent"]
    )
    reader.close()


@pytest.mark.parametrize(
    ("path", "said"),
    [
        ("/broken", "the source answered HTTP 500 Internal Server Error."),
        ("/loop", "more than 5 redirects; the address leads in a circle or too far."),
        ("/huge", "the answer is larger than 5 MB; it was not read past that."),
        ("/nothing-here", "the source answered HTTP 404 Not Found."),
    ],
)
def test_a_failing_source_is_said_in_words_and_never_raises(site, path, said):
    got = _reader().get(f"{site}{path}")
    assert (got.ok, got.error, got.body) == (False, said, b"")


def test_a_slow_source_is_given_up_at_the_deadline(site):
    started = time.monotonic()
    got = _reader(timeout=0.5).get(f"{site}/slow")
    assert got.error == "no whole answer within 0.5 seconds; it was given up."
    assert time.monotonic() - started < 5  # the reader's deadline, not the server's 30 s hold


def test_redirects_are_followed_and_only_web_addresses_are_fetched(site):
    got = _reader().get(f"{site}/hop")
    assert (got.ok, got.url, got.body) == (True, f"{site}/feed.xml", FEED)
    for address in ("file:///etc/passwd", "ftp://example.org/x", "javascript:alert(1)", "http://"):
        refused = _reader().get(address)
        assert refused.error.endswith("is not an http:// or https:// address; nothing was fetched."), address


def test_robots_txt_is_honoured_for_pages(site):
    reader = _reader()
    assert reader.get(f"{site}/open/page", robots=True).body == b"<p>open</p>"
    blocked = reader.get(f"{site}/private/page", robots=True)
    assert blocked.error == "127.0.0.1's robots.txt does not allow this address to robots."
    assert not any(path == "/private/page" for path, _ in Fixtures.seen)  # never asked for
    assert [p for p, _ in Fixtures.seen].count("/robots.txt") == 1  # read once per host


def test_requests_to_one_host_are_spaced_as_its_publisher_asks():
    waits, now = [], [100.0]
    reader = fetch.Reader(
        clock=lambda: now[0], sleep=lambda s: (waits.append(round(s, 3)), now.__setitem__(0, now[0] + s))
    )
    reader._wait_turn("api.gdeltproject.org")
    now[0] += 2.0
    reader._wait_turn("api.gdeltproject.org")
    reader._wait_turn("www.war.gov")
    assert waits == [4.0]  # GDELT: 6 s apart; another host waits for nothing
