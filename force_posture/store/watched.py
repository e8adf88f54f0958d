"""What the watch keeps: every read of a watched source (when, how it went, the error in words), every
item seen (so an item is read once), the leads found (one per figure, country and few days, with every
outlet that gave it) and what analysts decided on each. Pure (no Streamlit); callers pass "now".

Append-only: a read, an item, a lead's source and a decision are each a new row. A lead's sources grow as
outlets repeat the figure; a dismissed lead stays dismissed, so a later read never brings it back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from urllib.parse import urlsplit

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    exc,
    func,
    insert,
    select,
    text,
)
from sqlalchemy import Column as C

from force_posture.core import schema
from force_posture.store import database
from force_posture.store.database import Database, DatabaseError, short_error

READ, NOT_MODIFIED, FAILED = "read", "not modified", "failed"
PROPOSED, DISMISSED = schema.LEAD_STATES[2:]
SAME_LEAD_DAYS = 3  # the same figure for the same country within this many days is one lead
FAILING_FOR = dt.timedelta(days=1)  # a source failing this long is named to editors
LEAD_STATES = schema.LEAD_STATES
LEADS_READ = 200  # the newest leads a page or the API reads at once
_LOCK_KEY = 7_318_204_553  # the watch's advisory lock on PostgreSQL (the record's is ...552)

reads = Table(
    "watch_reads", database.metadata,
    C("id", Integer, primary_key=True, autoincrement=True), C("source", String(200), nullable=False),
    C("url", Text, nullable=False), C("started_at", DateTime(timezone=True), nullable=False),
    C("finished_at", DateTime(timezone=True), nullable=False), C("outcome", String(20), nullable=False),
    C("http_status", Integer), C("items", Integer, nullable=False), C("new_items", Integer, nullable=False),
    C("leads", Integer, nullable=False), C("error", Text, nullable=False), C("etag", Text, nullable=False),
    C("modified", Text, nullable=False),
    CheckConstraint("outcome IN ('read', 'not modified', 'failed')", name="known_outcome"),
    Index("watch_reads_source", "source", "id"),
)  # fmt: skip
items = Table(
    "watch_items", database.metadata,
    C("id", Integer, primary_key=True, autoincrement=True), C("source", String(200), nullable=False),
    C("link", Text, nullable=False), C("title", Text, nullable=False), C("published", Date),
    C("read", Integer, ForeignKey("watch_reads.id"), nullable=False),
    UniqueConstraint("source", "link", name="one_item_per_link"),
)  # fmt: skip
leads = Table(
    "watch_leads", database.metadata,
    C("id", Integer, primary_key=True, autoincrement=True), C("country", String(10), nullable=False),
    C("troops", Integer, nullable=False), C("low", Integer), C("high", Integer),
    C("qualifier", String(20), nullable=False), C("day", Date, nullable=False),
    C("created_at", DateTime(timezone=True), nullable=False),
)  # fmt: skip
lead_sources = Table(
    "watch_lead_sources", database.metadata,
    C("id", Integer, primary_key=True, autoincrement=True),
    C("lead", Integer, ForeignKey("watch_leads.id"), nullable=False), C("source", String(200), nullable=False),
    C("outlet", String(200), nullable=False), C("link", Text, nullable=False), C("title", Text, nullable=False),
    C("published", Date, nullable=False), C("sentence", Text, nullable=False), C("why", Text, nullable=False),
    C("official", Boolean, nullable=False), C("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("lead", "link", name="one_source_per_link"),
)  # fmt: skip
lead_decisions = Table(
    "watch_lead_decisions", database.metadata,
    C("id", Integer, primary_key=True, autoincrement=True),
    C("lead", Integer, ForeignKey("watch_leads.id"), nullable=False, unique=True),
    C("decision", String(20), nullable=False), C("reason", Text, nullable=False),
    C("analyst", String(200), nullable=False), C("thread", Integer),
    C("created_at", DateTime(timezone=True), nullable=False),
    CheckConstraint("decision IN ('proposed', 'dismissed')", name="known_lead_decision"),
)  # fmt: skip


@dataclass(frozen=True)
class Read:
    """One read of a source, as the watch run made it."""

    source: str
    url: str
    started_at: dt.datetime
    finished_at: dt.datetime
    outcome: str
    http_status: int | None = None
    items: int = 0
    new_items: int = 0
    leads: int = 0
    error: str = ""
    etag: str = ""
    modified: str = ""


@dataclass(frozen=True)
class Found:
    """A figure found in an item: the lead it belongs to is decided when it is kept."""

    country: str
    troops: int
    low: int | None
    high: int | None
    qualifier: str
    published: dt.date
    link: str
    title: str
    sentence: str
    why: str
    official: bool

    @property
    def outlet(self) -> str:
        host = urlsplit(self.link).hostname or ""
        return host.removeprefix("www.")


@dataclass(frozen=True)
class Lead:
    """A figure for a country on a day, with every outlet that gave it and what was decided."""

    id: int
    country: str
    troops: int
    low: int | None
    high: int | None
    qualifier: str
    day: dt.date
    sources: tuple[dict, ...] = ()
    decision: dict | None = None

    @property
    def outlets(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(s["outlet"] for s in self.sources))

    @property
    def open(self) -> bool:
        return self.decision is None

    def as_dict(self) -> dict:
        """The lead as JSON-ready values (the API's /api/leads.json): days and moments in ISO 8601."""

        def plain(value):
            return value.isoformat() if isinstance(value, dt.date) else value

        def row(found: dict, keys: tuple[str, ...]) -> dict:
            return {k: plain(found[k]) for k in keys}

        source_keys = ("outlet", "source", "link", "title", "published", "sentence", "why", "official")
        decision_keys = ("decision", "reason", "analyst", "thread", "created_at")
        return {
            "id": self.id,
            "country": self.country,
            "troops": self.troops,
            "low": self.low,
            "high": self.high,
            "qualifier": self.qualifier,
            "day": self.day.isoformat(),
            "state": self.decision["decision"] if self.decision else "open",
            "outlets": list(self.outlets),
            "sources": [row(s, source_keys) for s in self.sources],
            "decision": row(self.decision, decision_keys) if self.decision else None,
        }


@dataclass(frozen=True)
class Status:
    """A source's state for the Sources page: last read, last new item, failing since (and why), next due."""

    source: str
    last_read: dt.datetime | None
    last_new_item: dt.datetime | None
    failing_since: dt.datetime | None
    error: str
    next_due: dt.datetime | None
    etag: str = ""
    modified: str = ""
    reads: int = field(default=0, compare=False)

    def failing_for_a_day(self, now: dt.datetime) -> bool:
        return self.failing_since is not None and now - self.failing_since >= FAILING_FOR


class Watched:
    """The watch's log and leads in one database. Safe to share between threads: it keeps nothing
    but its database."""

    def __init__(self, db: Database | None = None):
        self.db = db or database.shared()

    def _engine(self):
        self.db.migrate("Nothing was read.")
        return self.db.engine

    def status(self, names: Iterable[tuple[str, dt.timedelta]]) -> list[Status]:
        """Each source's state; `names`: (source name, how often it is read), in the list's order. It reads
        only the rows that decide it (the log grows by a row a read): each source's newest read, newest
        read that worked, newest read with a new item, and the first failure since the last success."""
        last, ok = self._newest(), self._newest(reads.c.outcome != FAILED)
        fresh = self._newest(reads.c.new_items > 0)
        counts = self._select(select(reads.c.source, func.count().label("n")).group_by(reads.c.source))
        counts = {r["source"]: r["n"] for r in counts}
        out = []
        for name, every in names:
            row, good = last.get(name), ok.get(name)
            failing = None
            if row is not None and row["outcome"] == FAILED:
                after = reads.c.id > (good["id"] if good else 0)
                first = select(func.min(reads.c.finished_at).label("at")).where(reads.c.source == name, after)
                failing = self._select(first)[0]["at"]
            out.append(
                Status(
                    source=name,
                    last_read=row["finished_at"] if row else None,
                    last_new_item=fresh[name]["finished_at"] if name in fresh else None,
                    failing_since=failing,
                    error=row["error"] if failing else "",
                    next_due=row["finished_at"] + every if row else None,
                    etag=good["etag"] if good else "",
                    modified=good["modified"] if good else "",
                    reads=counts.get(name, 0),
                )
            )
        return out

    def _newest(self, *where) -> dict[str, dict]:
        """Each source's newest read among those `where` allows."""
        newest = select(func.max(reads.c.id)).where(*where).group_by(reads.c.source)
        return {r["source"]: r for r in self._select(select(reads).where(reads.c.id.in_(newest)))}

    def unseen(self, source: str, links: Iterable[str]) -> list[str]:
        """The links of `source` never seen before, in the order given."""
        links = list(dict.fromkeys(links))
        seen = {r["link"] for r in self._select(select(items.c.link).where(items.c.source == source))}
        return [link for link in links if link not in seen]

    def keep(self, read: Read, new_items: list[tuple[str, str, dt.date | None]], found: list[Found]) -> int:
        """Keep one read, the items it saw for the first time ((link, title, published)) and the figures
        found in them, in one transaction. Returns how many leads are new. Two runs at once (the timer and
        an editor's Check now) keep theirs one after the other: the watch's lock on PostgreSQL, the write
        lock on SQLite; so an item is kept once and a figure makes one lead."""
        try:
            with self._engine().begin() as conn:
                if conn.dialect.name == "postgresql":
                    conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
                seen = {r.link for r in conn.execute(select(items.c.link).where(items.c.source == read.source))}
                fresh = [(link, title, day) for link, title, day in dict.fromkeys(new_items) if link not in seen]
                made = sum(self._attach(conn, f, read) for f in found)
                values = {**asdict(read), "new_items": len(fresh), "leads": made}
                read_id = conn.execute(insert(reads).values(**values)).inserted_primary_key[0]
                if fresh:
                    rows = [dict(source=read.source, link=lk, title=t, published=d, read=read_id) for lk, t, d in fresh]
                    conn.execute(insert(items), rows)
                return made
        except exc.SQLAlchemyError as err:
            raise DatabaseError(f"The watch's log could not be written ({short_error(err)}).") from err

    def _attach(self, conn, f: Found, read: Read) -> int:
        """Add `f` to the lead for its figure, country and days (1 when that lead is new, else 0)."""
        near = conn.execute(
            select(leads.c.id).where(
                leads.c.country == f.country,
                leads.c.troops == f.troops,
                leads.c.qualifier == f.qualifier,
                leads.c.day >= f.published - dt.timedelta(days=SAME_LEAD_DAYS),
                leads.c.day <= f.published + dt.timedelta(days=SAME_LEAD_DAYS),
            )
        ).first()
        made = 0
        if near is None:
            values = dict(country=f.country, troops=f.troops, low=f.low, high=f.high, qualifier=f.qualifier)
            lead = conn.execute(insert(leads).values(**values, day=f.published, created_at=read.finished_at))
            lead_id, made = lead.inserted_primary_key[0], 1
        else:
            lead_id = near[0]
        there = conn.execute(
            select(func.count()).where(lead_sources.c.lead == lead_id, lead_sources.c.link == f.link)
        ).scalar_one()
        if not there:
            conn.execute(
                insert(lead_sources).values(
                    lead=lead_id,
                    source=read.source,
                    outlet=f.outlet,
                    link=f.link,
                    title=f.title,
                    published=f.published,
                    sentence=f.sentence,
                    why=f.why,
                    official=f.official,
                    created_at=read.finished_at,
                )
            )
        return made

    def leads(self, state: str = "all", country: str | None = None, limit: int = LEADS_READ) -> list[Lead]:
        """The newest `limit` leads (by day), with their sources and decision: `state` "open" (not decided),
        "proposed", "dismissed" or "all"; `country` Syria or Iraq (None: both). Reads only those leads' rows."""
        if state not in LEAD_STATES:
            raise DatabaseError(f"'{state}' is not a state of a lead: use one of {', '.join(LEAD_STATES)}.")
        query = select(leads).order_by(leads.c.day.desc(), leads.c.id.desc()).limit(max(1, limit))
        if state == "open":
            query = query.where(leads.c.id.notin_(select(lead_decisions.c.lead)))
        elif state != "all":
            query = query.where(leads.c.id.in_(select(lead_decisions.c.lead).where(lead_decisions.c.decision == state)))
        if country:
            query = query.where(leads.c.country == country)
        found = self._select(query)
        ids = [r["id"] for r in found]
        sources = self._select(select(lead_sources).where(lead_sources.c.lead.in_(ids)).order_by(lead_sources.c.id))
        decided = {r["lead"]: r for r in self._select(select(lead_decisions).where(lead_decisions.c.lead.in_(ids)))}
        return [
            Lead(
                id=r["id"],
                country=r["country"],
                troops=r["troops"],
                low=r["low"],
                high=r["high"],
                qualifier=r["qualifier"],
                day=r["day"],
                sources=tuple(s for s in sources if s["lead"] == r["id"]),
                decision=decided.get(r["id"]),
            )
            for r in found
        ]

    def decide(
        self, lead: int, decision: str, analyst: str, now: dt.datetime, reason: str = "", thread: int | None = None
    ) -> None:
        """Record that `analyst` proposed (with the proposal's number) or dismissed (with a reason) a lead."""
        if decision not in (PROPOSED, DISMISSED):
            raise DatabaseError(f"'{decision}' is not a decision on a lead; propose it or dismiss it.")
        if decision == DISMISSED and not reason.strip():
            raise DatabaseError(
                "Say why the lead is dismissed (not about US troops, a duplicate, an unreliable outlet)."
            )
        values = dict(
            lead=lead, decision=decision, reason=reason.strip(), analyst=analyst, thread=thread, created_at=now
        )
        try:
            with self._engine().begin() as conn:
                if conn.execute(select(func.count()).where(lead_decisions.c.lead == lead)).scalar_one():
                    raise DatabaseError(f"Lead {lead} has been decided already; the first decision stands.")
                conn.execute(insert(lead_decisions).values(**values))
        except exc.SQLAlchemyError as err:
            raise DatabaseError(f"The decision on lead {lead} could not be kept ({short_error(err)}).") from err

    def _select(self, query) -> list[dict]:
        try:
            with self._engine().connect() as conn:
                rows = [dict(r._mapping) for r in conn.execute(query)]
                return [{k: database.utc(v) if isinstance(v, dt.datetime) else v for k, v in r.items()} for r in rows]
        except exc.SQLAlchemyError as err:
            raise DatabaseError(f"The watch's log could not be read ({short_error(err)}).") from err
