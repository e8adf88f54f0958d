"""The team's saved scenario library: save, version, list, open, delete, restore and purge scenarios
in a database, with the visibility rule enforced on every read.

Pure (no Streamlit): callers pass who the analyst is and "now". It stands on the team's database
(database.py: the address, the engine, the Alembic migrations, who the analyst is). Every write is one
transaction; nothing is updated in place except the deletion mark: saving under a name that exists adds
a version. Names and descriptions are data, only ever sent as bound parameters.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import (
    CheckConstraint,
    DateTime,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    exc,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy import Column as C

from force_posture.core import scenarios
from force_posture.store import database
from force_posture.store.database import (
    CONTROL,
    MAX_AUTHOR,
    UNREACHABLE,
    Database,
    DatabaseError,
    default_url,
    short_error,
)

VISIBILITIES = {"private": "only its author", "team": "the team"}
MAX_NAME, MAX_DESCRIPTION = 120, 2000
MAX_SAVED_BYTES = 20 * 1024 * 1024  # the upload limit: what is saved obeys the upload rules
RESTORE_DAYS = 30
MAX_LISTED = 200

saved = Table(
    "saved_scenarios", database.metadata,
    C("id", Integer, primary_key=True, autoincrement=True),
    C("name", String(MAX_NAME), nullable=False),
    C("name_key", String(MAX_NAME), nullable=False),
    C("version", Integer, nullable=False),
    C("author", String(MAX_AUTHOR), nullable=False),
    C("visibility", String(10), nullable=False),
    C("description", Text, nullable=False),
    C("countries", String(40), nullable=False),
    C("points", Integer, nullable=False),
    C("csv", Text, nullable=False),
    C("created_at", DateTime(timezone=True), nullable=False),
    C("deleted_at", DateTime(timezone=True), nullable=True),
    UniqueConstraint("name_key", "version", name="one_row_per_version"),
    CheckConstraint("visibility IN ('private', 'team')", name="known_visibility"),
    CheckConstraint("version >= 1", name="versions_count_from_one"),
    Index("saved_scenarios_newest", "created_at"),
    Index("saved_scenarios_author", "author"),
)  # fmt: skip


LibraryError = DatabaseError  # a refused or failed library action: `str(err)` is the whole plain-language message


@dataclass(frozen=True)
class Saved:
    """One saved version of a scenario (without its points)."""

    id: int
    name: str
    version: int
    author: str
    visibility: str
    description: str
    countries: str
    points: int
    created_at: dt.datetime
    deleted_at: dt.datetime | None = None

    @property
    def label(self) -> str:
        """The name it is shown under on the charts and in the comparison: which version it is."""
        return f"{self.name} (v{self.version})"


# ---- checks on what is saved ----------------------------------------------------------------------


def clean_name(name: str) -> str:
    name = " ".join(CONTROL.sub(" ", name or "").split())
    if not name:
        raise LibraryError("Give the scenario a name to save it under.")
    if len(name) > MAX_NAME:
        raise LibraryError(f"The name is {len(name)} characters long; keep it to {MAX_NAME} or fewer.")
    return name


def clean_description(description: str) -> str:
    description = CONTROL.sub(" ", description or "").strip()
    if len(description) > MAX_DESCRIPTION:
        raise LibraryError(
            f"The description is {len(description):,} characters long; keep it to {MAX_DESCRIPTION:,} or fewer."
        )
    return description


def _checked_csv(frame: pd.DataFrame, name: str) -> tuple[str, pd.DataFrame]:
    """The points as the upload format, refused by the same rules as an uploaded file."""
    if frame is None or frame.empty:
        raise LibraryError("There are no points to save: load or build a scenario first.")
    data = scenarios.to_csv(frame.assign(scenario=name))
    if len(data) > MAX_SAVED_BYTES:
        raise LibraryError(
            f"This scenario is {len(data) / 1e6:.1f} MB as CSV; the library takes up to "
            f"{MAX_SAVED_BYTES // (1024 * 1024)} MB, like an upload. Thin out its points and save again."
        )
    try:
        parsed = scenarios.parse(data, name)
    except scenarios.ScenarioError as err:
        raise LibraryError(f"This scenario cannot be saved: {err}") from err
    return data.decode("utf-8-sig"), parsed.frame


_utc = database.utc


def _row(row) -> Saved:
    return Saved(
        id=row.id,
        name=row.name,
        version=row.version,
        author=row.author,
        visibility=row.visibility,
        description=row.description,
        countries=row.countries,
        points=row.points,
        created_at=_utc(row.created_at),
        deleted_at=_utc(row.deleted_at),
    )


_MARKABLE = {"delete": "is not already deleted", "restore": f"was deleted in the last {RESTORE_DAYS} days"}
_SUMMARY = [c for c in saved.c if c.name not in ("csv", "name_key")]


def _visible(user: str):
    return or_(saved.c.author == user, saved.c.visibility == "team")


class Refused(LibraryError):
    """Saved scenarios this user may not open (as against a library that cannot be read)."""


def refused(ids: list[int]) -> str:
    """The one message for saved scenarios a user may not open, whatever the reason: it never says which."""
    return (
        f"No saved scenario {', '.join(f'#{i}' for i in ids)} that you can open: it does not exist, was "
        "deleted, or is private to its author."
    )


def listing(items: list[Saved], deleted: bool = False) -> pd.DataFrame:
    """Saved versions as a table for the screen (names and descriptions stay plain data); the deletion
    time only in the list of deleted ones."""
    frame = pd.DataFrame(
        [
            {
                "#": s.id,
                "name": s.name,
                "version": s.version,
                "author": s.author,
                "who can see it": VISIBILITIES[s.visibility],
                "countries": s.countries,
                "points": s.points,
                "saved (UTC)": s.created_at.strftime("%Y-%m-%d %H:%M"),
                "deleted (UTC)": s.deleted_at.strftime("%Y-%m-%d %H:%M") if s.deleted_at else "",
                "description": s.description,
            }
            for s in items
        ],
        columns=[
            "#",
            "name",
            "version",
            "author",
            "who can see it",
            "countries",
            "points",
            "saved (UTC)",
            "deleted (UTC)",
            "description",
        ],
    )
    return frame if deleted else frame.drop(columns="deleted (UTC)")


# ---- the library ----------------------------------------------------------------------------------


class Library:
    """One database's library. Safe to share between threads (sessions): the database's engine pools
    its connections, its migration runs once under a lock, and nothing else is kept."""

    def __init__(self, url: str | None = None, db: Database | None = None):
        self.db = db or Database(url)
        self.url, self.engine, self.source = self.db.url, self.db.engine, self.db.source

    @property
    def where(self) -> str:
        """Where the library lives, in words, without any password."""
        return self.db.where

    def migrate(self, kept: str = "Nothing was changed.") -> str:
        """Create or upgrade the schema with the Alembic migrations (once per process): what was done."""
        return self.db.migrate(kept)

    def save(
        self,
        user: str,
        name: str,
        frame: pd.DataFrame,
        now: dt.datetime,
        description: str = "",
        visibility: str = "private",
    ) -> Saved:
        """Save the points under `name` as a new version (1 if the name is new), in one transaction.
        Two analysts saving one name at the same moment get two versions."""
        name, description = clean_name(name), clean_description(description)
        if visibility not in VISIBILITIES:
            raise LibraryError(f"Visibility '{visibility[:20]}' is not one of: {', '.join(VISIBILITIES)}.")
        body, checked = _checked_csv(frame, name)
        row = {
            "name": name,
            "name_key": name.casefold(),
            "author": user[:MAX_AUTHOR],
            "visibility": visibility,
            "description": description,
            "countries": ", ".join(sorted(checked["country"].unique())),
            "points": len(checked),
            "csv": body,
            "created_at": now.astimezone(dt.UTC),
        }
        kept = f"'{name}' was not saved; it is still loaded in this session, so nothing was lost."
        self.migrate(kept)
        for _ in range(20):  # a version taken by a concurrent save: take the next one
            try:
                with self.engine.begin() as conn:
                    last = conn.execute(select(func.max(saved.c.version)).where(saved.c.name_key == row["name_key"]))
                    row["version"] = (last.scalar() or 0) + 1
                    new_id = conn.execute(insert(saved).values(**row).returning(saved.c.id)).scalar_one()
                return Saved(id=new_id, **{k: v for k, v in row.items() if k not in ("csv", "name_key")})
            except exc.IntegrityError:
                continue
            except exc.DBAPIError as err:
                raise LibraryError(UNREACHABLE.format(what=short_error(err), kept=kept)) from err
        raise LibraryError(f"{kept} Too many analysts saved '{name}' at once; save again.")

    def list(
        self,
        user: str,
        search: str = "",
        author: str = "",
        country: str = "",
        deleted: bool = False,
        now: dt.datetime | None = None,
    ) -> list[Saved]:
        """What `user` may see, newest first: every version of their own and the team's scenarios,
        filtered by words in the name or description, author and country. `deleted=True` lists
        instead their own deleted versions still restorable at `now`."""
        query = select(*_SUMMARY).where(_visible(user))
        if deleted:
            since = (now or dt.datetime.now(dt.UTC)) - dt.timedelta(days=RESTORE_DAYS)
            query = query.where(saved.c.author == user, saved.c.deleted_at.is_not(None), saved.c.deleted_at >= since)
        else:
            query = query.where(saved.c.deleted_at.is_(None))
        for word in (search or "").split()[:8]:
            query = query.where(
                or_(
                    func.lower(saved.c.name).contains(word.lower(), autoescape=True),
                    func.lower(saved.c.description).contains(word.lower(), autoescape=True),
                )
            )
        if author.strip():
            query = query.where(func.lower(saved.c.author).contains(author.strip().lower(), autoescape=True))
        if country.strip():
            query = query.where(saved.c.countries.contains(country.strip(), autoescape=True))
        query = query.order_by(saved.c.created_at.desc(), saved.c.id.desc()).limit(MAX_LISTED)
        return [_row(r) for r in self._read(query)]

    def open(self, user: str, ids: list[int]) -> list[tuple[Saved, scenarios.Scenario]]:
        """The saved versions `ids` that `user` may open, each parsed again by the upload rules and
        named with its version. An id that does not exist, is deleted or is another analyst's private
        scenario is refused with one and the same message: the library never says which."""
        ids = list(dict.fromkeys(int(i) for i in ids))
        query = select(saved).where(saved.c.id.in_(ids), _visible(user), saved.c.deleted_at.is_(None))
        found = {r.id: r for r in self._read(query)}
        missing = [i for i in ids if i not in found]
        if missing:
            raise Refused(refused(missing))
        out = []
        for i in ids:
            item = _row(found[i])
            parsed = scenarios.parse(found[i].csv.encode("utf-8"), f"library #{item.id}")
            frame = parsed.frame.assign(scenario=item.label)
            out.append((item, scenarios.Scenario(f"library #{item.id}", frame, ())))
        return out

    def delete(self, user: str, saved_id: int, now: dt.datetime) -> Saved:
        """Mark one of `user`'s own versions deleted; restorable for RESTORE_DAYS days."""
        return self._mark(user, saved_id, now.astimezone(dt.UTC), "delete")

    def restore(self, user: str, saved_id: int, now: dt.datetime) -> Saved:
        """Undo a deletion that is not yet RESTORE_DAYS days old."""
        return self._mark(user, saved_id, None, "restore", now=now)

    def _mark(self, user: str, saved_id: int, value, action: str, now: dt.datetime | None = None) -> Saved:
        query = select(*_SUMMARY).where(saved.c.id == saved_id, saved.c.author == user)
        if action == "delete":
            query = query.where(saved.c.deleted_at.is_(None))
        else:
            since = now.astimezone(dt.UTC) - dt.timedelta(days=RESTORE_DAYS)
            query = query.where(saved.c.deleted_at.is_not(None), saved.c.deleted_at >= since)
        self.migrate()
        try:
            with self.engine.begin() as conn:
                row = conn.execute(query).first()
                if row is None:
                    raise LibraryError(
                        f"Cannot {action} saved scenario #{saved_id}: only its author can, and only "
                        f"a version that {_MARKABLE[action]}."
                    )
                conn.execute(update(saved).where(saved.c.id == saved_id).values(deleted_at=value))
        except exc.DBAPIError as err:
            raise LibraryError(UNREACHABLE.format(what=short_error(err), kept="Nothing was changed.")) from err
        return _row(row)

    def purge(self, now: dt.datetime, days: int = RESTORE_DAYS) -> int:
        """Remove for good every version deleted more than `days` days before `now`. Returns how many."""
        self.migrate()
        cutoff = now.astimezone(dt.UTC) - dt.timedelta(days=days)
        with self.engine.begin() as conn:
            gone = conn.execute(saved.delete().where(saved.c.deleted_at.is_not(None), saved.c.deleted_at < cutoff))
        return gone.rowcount

    def _read(self, query):
        self.migrate()
        try:
            with self.engine.connect() as conn:
                return conn.execute(query).all()
        except exc.DBAPIError as err:
            raise LibraryError(UNREACHABLE.format(what=short_error(err), kept="Nothing was changed.")) from err


_shared: dict[str, Library] = {}
_shared_lock = threading.Lock()


def shared(url: str | None = None) -> Library:
    """One Library per database URL per process (on the process's one Database), shared by every session."""
    db = database.shared(url or default_url())
    with _shared_lock:
        if db.url not in _shared:
            _shared[db.url] = Library(db=db)
        return _shared[db.url]
