"""Reading a watched source like a good citizen: one httpx client, an identifying User-Agent with the
operator's contact, http(s) only, at most 5 redirects, a deadline for the whole read and a size cap,
conditional requests (a 304 costs nothing), robots.txt honoured for pages (protego), and requests to one
host spaced as its publisher asks (GDELT: 6 seconds). Every failure comes back in words, never raised.

A Reader is used by one thread at a time (the watch run); it holds its client, the robots.txt it has read
and when it last asked each host.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx
from protego import Protego

from force_posture import settings

AGENT = "force-posture-watch/1 (+https://github.com/force-posture; US troop levels in Syria and Iraq)"
MAX_BYTES = 5 * 1024 * 1024  # a feed or an article is far smaller; a larger body is not read past this
MAX_REDIRECTS = 5
SPACING = {"api.gdeltproject.org": 6.0}  # seconds between two requests to a host (GDELT asks 5; we keep 6)
DEFAULT_SPACING = 1.0


@dataclass(frozen=True)
class Fetched:
    """What one read gave: the body (b"" when nothing new or on a failure), the validators to send next
    time, and `error` in words ("" when it worked). `not_modified`: the source said nothing changed."""

    url: str
    status: int = 0
    body: bytes = b""
    content_type: str = ""
    etag: str = ""
    modified: str = ""
    not_modified: bool = False
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error


def user_agent() -> str:
    contact = settings.value("FORCE_POSTURE_WATCH_CONTACT")
    return f"{AGENT[:-1]}; contact: {contact})" if contact else AGENT


@dataclass
class Reader:
    """Fetches for one watch run. `clock` and `sleep` are time.monotonic and time.sleep unless a test
    gives its own."""

    timeout: float = field(default_factory=lambda: float(settings.value("FORCE_POSTURE_WATCH_TIMEOUT")))
    max_bytes: int = MAX_BYTES
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    _client: httpx.Client | None = None
    _robots: dict[str, Protego | None] = field(default_factory=dict)
    _last: dict[str, float] = field(default_factory=dict)

    def client(self) -> httpx.Client:
        if self._client is None:
            self._client = httpx.Client(
                follow_redirects=True,
                max_redirects=MAX_REDIRECTS,
                timeout=httpx.Timeout(self.timeout, connect=min(self.timeout, 10.0)),
                headers={"User-Agent": user_agent(), "Accept-Encoding": "gzip, deflate"},
            )
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def get(self, url: str, etag: str = "", modified: str = "", robots: bool = False) -> Fetched:
        """One polite GET of `url`; `robots`: ask the host's robots.txt first (pages, not feeds)."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return Fetched(url, error=f"'{url[:80]}' is not an http:// or https:// address; nothing was fetched.")
        if robots and not self.allowed(url):
            return Fetched(url, error=f"{parts.hostname}'s robots.txt does not allow this address to robots.")
        self._wait_turn(parts.hostname)
        headers = {k: v for k, v in (("If-None-Match", etag), ("If-Modified-Since", modified)) if v}
        return self._read(url, headers)

    def allowed(self, url: str) -> bool:
        """What the host's robots.txt says of `url` for this reader (no robots.txt, or none readable: allowed)."""
        parts = urlsplit(url)
        host = f"{parts.scheme}://{parts.netloc}"
        if host not in self._robots:
            self._wait_turn(parts.hostname or "")
            got = self._read(f"{host}/robots.txt", {})
            text = got.body.decode("utf-8", "replace") if got.ok and got.status == 200 else ""
            self._robots[host] = Protego.parse(text) if text else None
        rules = self._robots[host]
        return rules is None or rules.can_fetch(url, user_agent())

    def _wait_turn(self, host: str) -> None:
        """Space requests to one host as its publisher asks."""
        gap = SPACING.get(host, DEFAULT_SPACING)
        last = self._last.get(host)
        if last is not None and self.clock() - last < gap:
            self.sleep(gap - (self.clock() - last))
        self._last[host] = self.clock()

    def _read(self, url: str, headers: dict[str, str]) -> Fetched:
        started = self.clock()
        try:
            with self.client().stream("GET", url, headers=headers) as answer:
                if answer.status_code == 304:
                    return Fetched(str(answer.url), 304, not_modified=True, **_validators(answer, headers))
                if answer.status_code >= 400:
                    why = f"HTTP {answer.status_code} {answer.reason_phrase}".strip()
                    return Fetched(str(answer.url), answer.status_code, error=f"the source answered {why}.")
                body = bytearray()
                for chunk in answer.iter_bytes():
                    body += chunk
                    if len(body) > self.max_bytes:
                        return Fetched(str(answer.url), answer.status_code, error=_too_big(self.max_bytes))
                    if self.clock() - started > self.timeout:
                        return Fetched(str(answer.url), answer.status_code, error=_too_slow(self.timeout))
                kind = answer.headers.get("content-type", "")
                return Fetched(str(answer.url), answer.status_code, bytes(body), kind, **_validators(answer, {}))
        except httpx.TooManyRedirects:
            return Fetched(url, error=f"more than {MAX_REDIRECTS} redirects; the address leads in a circle or too far.")
        except httpx.TimeoutException:
            return Fetched(url, error=_too_slow(self.timeout))
        except httpx.HTTPError as err:
            return Fetched(url, error=f"could not be read: {type(err).__name__}: {str(err)[:160] or 'no detail'}.")


def _validators(answer: httpx.Response, sent: dict[str, str]) -> dict[str, str]:
    """The ETag and Last-Modified to send next time (on a 304, those sent, unless the source gave new ones)."""
    return {
        "etag": answer.headers.get("etag", sent.get("If-None-Match", "")),
        "modified": answer.headers.get("last-modified", sent.get("If-Modified-Since", "")),
    }


def _too_big(limit: int) -> str:
    return f"the answer is larger than {limit // (1024 * 1024)} MB; it was not read past that."


def _too_slow(limit: float) -> str:
    return f"no whole answer within {limit:g} seconds; it was given up."
