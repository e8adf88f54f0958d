"""One watch run: read every watched source that is due (or the one asked for), keep each read, and turn
every new item that names Syria or Iraq and troops into leads: the item's linked article is read (politely,
robots.txt honoured), its text taken out by trafilatura, and each sentence that states a US troop level
becomes a figure on a lead. Nothing enters the record: a lead waits for an analyst to propose it.

Run by `force-posture watch run` (a systemd timer, serve-team's supervisor) and by an editor's "Check now";
never inside a web replica's request path.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import trafilatura

from force_posture.store.watched import FAILED, NOT_MODIFIED, READ, Found, Read, Watched
from force_posture.watch import extract, items
from force_posture.watch.fetch import Fetched, Reader
from force_posture.watch.sources import Source


@dataclass(frozen=True)
class Outcome:
    """What one source's read came to, for the command line and the Review page's "Check now"."""

    source: str
    outcome: str
    error: str = ""
    items: int = 0
    new_items: int = 0
    leads: int = 0

    def words(self) -> str:
        if self.outcome == FAILED:
            return f"{self.source}: failed: {self.error}"
        if self.outcome == NOT_MODIFIED:
            return f"{self.source}: not modified since the last read"
        lead = "1 new lead" if self.leads == 1 else f"{self.leads} new leads"
        return f"{self.source}: read, {self.items} items ({self.new_items} new), {lead}"


def run(
    watched: Watched,
    reader: Reader,
    chosen: list[Source],
    now: Callable[[], dt.datetime],
    force: bool = False,
) -> list[Outcome]:
    """Read each of `chosen` that is due (`force`: each one, now); the outcomes in the list's order."""
    states = {s.source: s for s in watched.status((src.name, src.every) for src in chosen)}
    out = []
    for src in chosen:
        state = states[src.name]
        if force or src.due(state.last_read, now()):
            out.append(read_one(watched, reader, src, state.etag, state.modified, now))
    return out


def read_one(
    watched: Watched, reader: Reader, src: Source, etag: str, modified: str, now: Callable[[], dt.datetime]
) -> Outcome:
    """Read one source and keep what it gave: the read, its new items, the figures in them."""
    started = now()
    got = reader.get(src.url, etag, modified, robots=src.kind == "page")
    base = dict(source=src.name, url=src.url, started_at=started, http_status=got.status or None)
    if not got.ok or got.not_modified:
        outcome = NOT_MODIFIED if got.ok else FAILED
        keep = dict(etag=got.etag or etag, modified=got.modified or modified) if got.ok else {}
        watched.keep(Read(**base, finished_at=now(), outcome=outcome, error=got.error, **keep), [], [])
        return Outcome(src.name, outcome, got.error)
    try:
        listed = _listed(src, got)
    except items.ItemsError as err:
        watched.keep(Read(**base, finished_at=now(), outcome=FAILED, error=str(err)), [], [])
        return Outcome(src.name, FAILED, str(err))
    new = set(watched.unseen(src.name, [i.link for i in listed]))
    fresh = [i for i in listed if i.link in new]
    found = [f for i in fresh if i.relevant for f in _figures(reader, src, i, started.date())]
    read = Read(**base, finished_at=now(), outcome=READ, items=len(listed), etag=got.etag, modified=got.modified)
    made = watched.keep(read, [(i.link, i.title, i.published) for i in fresh], found)
    return Outcome(src.name, READ, "", len(listed), len(fresh), made)


def _listed(src: Source, got: Fetched) -> list[items.Item]:
    if src.kind == "gdelt":
        return items.from_gdelt(got.body)
    if src.kind == "page":
        return items.from_page(got.body, got.url, got.content_type)
    return items.from_feed(got.body)


def article_text(html: str) -> str:
    """An article's own words (trafilatura: no menus, no scripts), else all its text."""
    return trafilatura.extract(html, include_comments=False, include_tables=False) or items.text_of(html)


def _figures(reader: Reader, src: Source, item: items.Item, today: dt.date) -> list[Found]:
    """The US troop levels an item states: in its title and summary, and in its linked article."""
    text = f"{item.title}.\n{item.summary}"
    if item.link:
        page = reader.get(item.link, robots=True)
        if page.ok and page.body:
            text += "\n" + article_text(items.decoded(page.body, page.content_type))
    day = item.published or today
    return [
        Found(
            country=c.country,
            troops=c.troops,
            low=c.low,
            high=c.high,
            qualifier=c.qualifier,
            published=day,
            link=item.link or src.url,
            title=item.title,
            sentence=c.sentence,
            why=c.why,
            official=src.official,
        )
        for c in extract.extract(text)
    ]
