"""A publisher on 127.0.0.1 for the watch's tests: a feed, its articles (one in windows-1252, one with a
script), a broken and a malformed feed, a GDELT answer with one story from two outlets. Nothing here
reaches the internet."""

import contextlib
import http.server
import json
import threading

from tests.browser import free_port

FEED = """<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Releases</title>
<item><title>Statement on US forces in Syria</title><link>{base}/articles/syria.html</link>
<pubDate>Thu, 03 Dec 2026 15:00:00 GMT</pubDate><description>A statement.</description></item>
<item><title>Iraq drawdown update</title><link>{base}/articles/iraq.html</link>
<pubDate>Fri, 04 Dec 2026 09:00:00 GMT</pubDate><description>US forces in Iraq.</description></item>
<item><title>Contracts for Dec. 3, 2026</title><link>{base}/articles/contracts.html</link>
<description>Navy awards a contract.</description></item>
</channel></rss>"""
SYRIA = (
    "<html><head><title>Statement</title><script>var n = 'About 5,000 U.S. troops remain in Syria';</script>"
    "</head><body><nav>Home | News</nav><article><h1>Statement on US forces in Syria</h1>"
    "<p>About 900 U.S. troops remain in Syria, a Pentagon spokesman said on Thursday.</p>"
    "<p>Two US service members were wounded in an attack near Hasakah.</p></article></body></html>"
)
IRAQ = (
    '<html><head><meta charset="windows-1252"></head><body><article><h1>Iraq drawdown \u2013 update</h1>'
    "<p>Officials said fewer than 1,100 U.S. troops remain in Iraq, mostly in Erbil.</p></article></body></html>"
).encode("windows-1252")


class Site(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802
        Site.hits.append(self.path)
        base = f"http://{self.headers['Host']}"
        if self.path == "/feed.xml":
            if self.headers.get("If-None-Match") == '"f1"':
                return self._send(304, b"")
            return self._send(200, FEED.format(base=base).encode(), "application/rss+xml", etag='"f1"')
        pages = {
            "/articles/syria.html": (SYRIA.encode(), "text/html; charset=utf-8"),
            "/articles/iraq.html": (IRAQ, "text/html"),
            "/articles/contracts.html": (b"<p>contract</p>", "text/html"),
            "/malformed.xml": (b"not a feed <<< &&&", "application/rss+xml"),
            "/gdelt.json": (json.dumps(_gdelt()).encode(), "application/json"),
            "/story": (
                b"<article><p>Roughly 2,500 American troops are in Iraq, officials said.</p></article>",
                "text/html",
            ),
        }
        if self.path in pages:
            return self._send(200, *pages[self.path])
        return self._send(500 if self.path == "/broken.xml" else 404, b"no")

    def _send(self, status, body, kind="text/html", etag=""):
        self.send_response(status)
        if status != 304:
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
        if etag:
            self.send_header("ETag", etag)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def _gdelt():
    port = Site.port
    day = "20261204T101500Z"
    return {
        "articles": [  # one story from two outlets (two hosts): one lead with two sources
            {"url": f"http://127.0.0.1:{port}/story", "title": "US troops in Iraq", "seendate": day, "domain": "a"},
            {
                "url": f"http://localhost:{port}/story",
                "title": "US forces stay in Iraq",
                "seendate": day,
                "domain": "b",
            },
        ]
    }


@contextlib.contextmanager
def serving():
    """The fixture site on a free port; yields its address."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), Site)
    server.daemon_threads = True
    Site.port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{Site.port}"
    finally:
        server.shutdown()


def watch_list(site: str) -> str:
    """A watched-sources list (CSV) of the fixture site's four sources."""
    return (
        "name,kind,url,countries,every_minutes,official,documented_at\n"
        f"Releases,rss,{site}/feed.xml,Syria;Iraq,60,yes,\n"
        f"Broken,rss,{site}/broken.xml,Syria,60,yes,\n"
        f"Malformed,rss,{site}/malformed.xml,Iraq,60,no,\n"
        f"Press,gdelt,{site}/gdelt.json,Syria;Iraq,60,no,\n"
    )
