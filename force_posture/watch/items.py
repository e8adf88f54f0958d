"""The items a watched source lists (a feed's entries, GDELT's articles, a page's links), as plain text,
and which of them are worth reading for a troop figure: those that name Syria or Iraq and troops or forces.

Nothing here is executed or rendered: markup is stripped to text, a feed's bytes go to feedparser, a
page's to the standard library's HTML parser.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import feedparser

RELEVANT_PLACE = re.compile(r"\b(?:syria|iraq|baghdad|erbil|hasakah|al-tanf|ain al-asad)\b", re.I)
RELEVANT_FORCE = re.compile(r"\b(?:troops?|forces|personnel|soldiers|service\s*members|military|advis[eo]rs)\b", re.I)


class ItemsError(ValueError):
    """The source's answer holds no items that can be read; the message says why."""


@dataclass(frozen=True)
class Item:
    title: str
    link: str
    published: dt.date | None
    summary: str

    @property
    def relevant(self) -> bool:
        text = f"{self.title} {self.summary}"
        return bool(RELEVANT_PLACE.search(text) and RELEVANT_FORCE.search(text))


class _Text(HTMLParser):
    """Text and links of an HTML document; scripts and styles are dropped, never run."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[tuple[str, list[str]]] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "noscript", "template"):
            self._skip += 1
        elif tag == "a":
            self.links.append((dict(attrs).get("href") or "", []))
        elif tag in ("p", "br", "div", "li", "h1", "h2", "h3", "tr"):
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "noscript", "template"):
            self._skip = max(0, self._skip - 1)
        elif tag == "a" and self.links:
            self.links[-1] = (self.links[-1][0], self.links[-1][1] + ["\0"])

    def handle_data(self, text: str) -> None:
        if self._skip:
            return
        self.parts.append(text)
        if self.links and (not self.links[-1][1] or self.links[-1][1][-1] != "\0"):
            self.links[-1][1].append(text)


def text_of(html: str) -> str:
    """The words of an HTML fragment or page, as plain text (paragraphs kept as line breaks)."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line)


def decoded(body: bytes, content_type: str = "") -> str:
    """A page's text from its bytes, in the charset it declares (its header, then its <meta>), else UTF-8,
    else Windows-1252, which decodes any byte."""
    header = re.search(r"charset=[\"']?([\w-]+)", content_type, re.I)
    meta = re.search(rb"<meta[^>]+charset=[\"']?([\w-]+)", body[:4096], re.I)
    names = [m for m in (header and header.group(1), meta and meta.group(1).decode("ascii", "replace")) if m]
    for name in [*names, "utf-8", "windows-1252"]:
        try:
            return body.decode(name)
        except (LookupError, UnicodeDecodeError):
            continue
    return body.decode("windows-1252", "replace")


def from_feed(body: bytes) -> list[Item]:
    """An RSS or Atom feed's entries; a feed too broken to give any raises ItemsError."""
    feed = feedparser.parse(body, sanitize_html=True)
    if not feed.entries:
        if feed.bozo:
            raise ItemsError(f"the feed is not well-formed ({str(feed.bozo_exception)[:120]}) and lists nothing.")
        if not feed.version:
            raise ItemsError("the answer is not an RSS or Atom feed (a web page, or an error page?).")
        return []
    return [
        Item(
            title=text_of(e.get("title", "")),
            link=e.get("link", ""),
            published=_day(e.get("published_parsed") or e.get("updated_parsed")),
            summary=text_of(e.get("summary", "")),
        )
        for e in feed.entries
    ]


def from_gdelt(body: bytes) -> list[Item]:
    """GDELT DOC 2.0's ArtList answer (JSON); its errors come back as text or HTML, said in words."""
    try:
        answer = json.loads(body.decode("utf-8", "replace"), strict=False)
    except json.JSONDecodeError:
        said = " ".join(text_of(body.decode("utf-8", "replace")).split())[:120]
        raise ItemsError(f"GDELT did not answer with JSON: {said or 'an empty answer'}.") from None
    return [
        Item(
            title=a.get("title", ""),
            link=a.get("url", ""),
            published=_gdelt_day(a.get("seendate", "")),
            summary=a.get("domain", ""),
        )
        for a in answer.get("articles", []) or []
        if isinstance(a, dict)
    ]


def from_page(body: bytes, url: str, content_type: str = "") -> list[Item]:
    """A listing page's links on the same site, each with its text."""
    parser = _Text()
    parser.feed(decoded(body, content_type))
    parser.close()
    site = urlsplit(url).netloc
    out, seen = [], set()
    for href, words in parser.links:
        link = urljoin(url, href)
        title = " ".join("".join(w for w in words if w != "\0").split())
        if urlsplit(link).netloc != site or urlsplit(link).scheme not in ("http", "https") or not title:
            continue
        if link not in seen:
            seen.add(link)
            out.append(Item(title=title, link=link, published=None, summary=""))
    return out


def _day(parsed: object) -> dt.date | None:
    try:
        return dt.date(*parsed[:3]) if parsed else None  # type: ignore[index]
    except (TypeError, ValueError):
        return None


def _gdelt_day(seen: str) -> dt.date | None:
    try:
        return dt.datetime.strptime(seen[:8], "%Y%m%d").date()
    except ValueError:
        return None
