"""The team's saved scenario library: save, version, list, open, delete, restore and purge scenarios
in a database, with the visibility rule enforced on every read.

Pure (no Streamlit): callers pass who the analyst is and "now". The database is SQLite in the user's
data folder by default (created on first use) or, for a team, the PostgreSQL server named by
`FORCE_POSTURE_DATABASE_URL`; the schema is made and upgraded by the Alembic migrations in
`force_posture/migrations`, on both. Every write is one transaction; nothing is updated in place except
the deletion mark: saving under a name that exists adds a version. Names and descriptions are data,
only ever sent as bound parameters.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import platformdirs
from alembic import command
from alembic.config import Config
from sqlalchemy import Column as C
from sqlalchemy import (
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
    exc,
    func,
    insert,
    or_,
    select,
    text,
    update,
)

from force_posture import scenarios

DATABASE_ENV, USER_HEADER_ENV = "FORCE_POSTURE_DATABASE_URL", "FORCE_POSTURE_USER_HEADER"
LOCAL_USER = "local analyst"  # everyone, when no proxy says who is who (one analyst on a laptop)
VISIBILITIES = {"private": "only its author", "team": "the team"}
MAX_NAME, MAX_DESCRIPTION, MAX_AUTHOR = 120, 2000, 200
MAX_SAVED_BYTES = 20 * 1024 * 1024  # the upload limit: what is saved obeys the upload rules
RESTORE_DAYS = 30
MAX_LISTED = 200
MIGRATIONS = Path(__file__).with_name("migrations")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_MIGRATION_LOCK_KEY = 7_318_204_551  # any fixed number: one replica migrates at a time on PostgreSQL

metadata = MetaData()
saved = Table(
    "saved_scenarios", metadata,
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
)  # fmt: skip


class LibraryError(Exception):
    """A refused or failed library action; `str(err)` is the whole plain-language message."""


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


# ---- who, and where -------------------------------------------------------------------------------


def default_url(env: Mapping[str, str] = os.environ) -> str:
    """`FORCE_POSTURE_DATABASE_URL`, or a SQLite file in this user's data folder."""
    if env.get(DATABASE_ENV):
        return env[DATABASE_ENV]
    folder = Path(platformdirs.user_data_dir("force-posture", appauthor=False))
    return f"sqlite:///{folder / 'library.sqlite3'}"


def user_from_headers(headers: Mapping[str, str], header: str | None) -> str:
    """Who the analyst is. With no trusted header configured, everyone is the one local user and no
    header the browser sends is believed; with one, the proxy must have set it."""
    if not header:
        return LOCAL_USER
    value = next((v for k, v in headers.items() if k.lower() == header.lower()), "")
    value = _CONTROL.sub("", value or "").strip()
    if not value:
        raise LibraryError(
            f"This server takes who you are from the team's proxy (the {header} header), and this request "
            "came without it, so the library is closed to it. Open the app through the team's address."
        )
    return value[:MAX_AUTHOR]


# ---- checks on what is saved ----------------------------------------------------------------------


def clean_name(name: str) -> str:
    name = " ".join(_CONTROL.sub(" ", name or "").split())
    if not name:
        raise LibraryError("Give the scenario a name to save it under.")
    if len(name) > MAX_NAME:
        raise LibraryError(f"The name is {len(name)} characters long; keep it to {MAX_NAME} or fewer.")
    return name


def clean_description(description: str) -> str:
    description = _CONTROL.sub(" ", description or "").strip()
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


def _utc(value: dt.datetime | None) -> dt.datetime | None:
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=dt.UTC)  # SQLite keeps no zone; everything is written in UTC


def _row(row) -> Saved:
    return Saved(
        id=row.id, name=row.name, version=row.version, author=row.author, visibility=row.visibility,
        description=row.description, countries=row.countries, points=row.points,
        created_at=_utc(row.created_at), deleted_at=_utc(row.deleted_at),
    )  # fmt: skip


_MARKABLE = {"delete": "is not already deleted", "restore": f"was deleted in the last {RESTORE_DAYS} days"}
_SUMMARY = [c for c in saved.c if c.name not in ("csv", "name_key")]
UNREACHABLE = (
    "The scenario library's database could not be reached ({what}). {kept} Try again in a moment; if it "
    "keeps failing, tell whoever runs the team's server."
)


def _visible(user: str):
    return or_(saved.c.author == user, saved.c.visibility == "team")


def listing(items: list[Saved], deleted: bool = False) -> pd.DataFrame:
    """Saved versions as a table for the screen (names and descriptions stay plain data); the deletion
    time only in the list of deleted ones."""
    frame = pd.DataFrame(
        [
            {
                "#": s.id, "name": s.name, "version": s.version, "author": s.author,
                "who can see it": VISIBILITIES[s.visibility], "countries": s.countries, "points": s.points,
                "saved (UTC)": s.created_at.strftime("%Y-%m-%d %H:%M"),
                "deleted (UTC)": s.deleted_at.strftime("%Y-%m-%d %H:%M") if s.deleted_at else "",
                "description": s.description,
            }
            for s in items
        ],
        columns=["#", "name", "version", "author", "who can see it", "countries", "points", "saved (UTC)",
                 "deleted (UTC)", "description"],
    )  # fmt: skip
    return frame if deleted else frame.drop(columns="deleted (UTC)")


# ---- the library ----------------------------------------------------------------------------------


class Library:
    """One database's library. Safe to share between threads (sessions): the engine pools its
    connections, the migration runs once under a lock, and nothing else is kept."""

    def __init__(self, url: str | None = None):
        self.url = url or default_url()
        if self.url.startswith("sqlite:///"):
            Path(self.url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        try:
            self.engine = _engine(self.url)
        except (exc.ArgumentError, exc.NoSuchModuleError, ImportError) as err:
            raise LibraryError(
                f"The library's database setting ({DATABASE_ENV}) is not a database address this app can use: "
                f"{_short(err)}. Use sqlite:///PATH or postgresql+psycopg://USER:PASSWORD@HOST/DATABASE."
            ) from err
        self._migrated = False
        self._lock = threading.Lock()

    @property
    def where(self) -> str:
        """Where the library lives, in words, without any password."""
        if self.engine.dialect.name == "sqlite":
            return f"a SQLite file on this server ({self.engine.url.database})"
        return f"the team's {self.engine.dialect.name} database on {self.engine.url.host}"

    def migrate(self, kept: str = "Nothing was changed.") -> None:
        """Create or upgrade the schema with the Alembic migrations (once per process)."""
        with self._lock:
            if self._migrated:
                return
            try:
                with self.engine.begin() as conn:
                    if conn.dialect.name == "postgresql":
                        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK_KEY})
                    cfg = Config()
                    cfg.set_main_option("script_location", str(MIGRATIONS))
                    cfg.attributes["connection"] = conn
                    command.upgrade(cfg, "head")
            except exc.OperationalError as err:
                raise LibraryError(UNREACHABLE.format(what=_short(err), kept=kept)) from err
            self._migrated = True

    def save(
        self, user: str, name: str, frame: pd.DataFrame, now: dt.datetime, description: str = "",
        visibility: str = "private",
    ) -> Saved:  # fmt: skip
        """Save the points under `name` as a new version (1 if the name is new), in one transaction.
        Two analysts saving one name at the same moment get two versions."""
        name, description = clean_name(name), clean_description(description)
        if visibility not in VISIBILITIES:
            raise LibraryError(f"Visibility '{visibility[:20]}' is not one of: {', '.join(VISIBILITIES)}.")
        body, checked = _checked_csv(frame, name)
        row = {
            "name": name, "name_key": name.casefold(), "author": user[:MAX_AUTHOR], "visibility": visibility,
            "description": description, "countries": ", ".join(sorted(checked["country"].unique())),
            "points": len(checked), "csv": body, "created_at": now.astimezone(dt.UTC),
        }  # fmt: skip
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
                raise LibraryError(UNREACHABLE.format(what=_short(err), kept=kept)) from err
        raise LibraryError(f"{kept} Too many analysts saved '{name}' at once; save again.")

    def list(
        self, user: str, search: str = "", author: str = "", country: str = "", deleted: bool = False,
        now: dt.datetime | None = None,
    ) -> list[Saved]:  # fmt: skip
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
                or_(func.lower(saved.c.name).contains(word.lower(), autoescape=True),
                    func.lower(saved.c.description).contains(word.lower(), autoescape=True))
            )  # fmt: skip
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
            raise LibraryError(
                f"No saved scenario {', '.join(f'#{i}' for i in missing)} that you can open: it does not exist, "
                "was deleted, or is private to its author."
            )
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
                    raise LibraryError(f"Cannot {action} saved scenario #{saved_id}: only its author can, and only "
                                       f"a version that {_MARKABLE[action]}.")  # fmt: skip
                conn.execute(update(saved).where(saved.c.id == saved_id).values(deleted_at=value))
        except exc.DBAPIError as err:
            raise LibraryError(UNREACHABLE.format(what=_short(err), kept="Nothing was changed.")) from err
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
            raise LibraryError(UNREACHABLE.format(what=_short(err), kept="Nothing was changed.")) from err


def _short(err: Exception) -> str:
    """The driver's first line, for the message (never a traceback)."""
    orig = getattr(err, "orig", None) or err
    return (str(orig).strip().splitlines() or [type(orig).__name__])[0][:160]


def _engine(url: str):
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _connect(dbapi_connection, _record):  # SQLAlchemy's recipe: let SQLAlchemy say BEGIN
            dbapi_connection.isolation_level = None
            dbapi_connection.execute("PRAGMA journal_mode=WAL")

        @event.listens_for(engine, "begin")
        def _begin(conn):  # take the write lock at the start: concurrent saves queue, never deadlock
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)


_shared: dict[str, Library] = {}
_shared_lock = threading.Lock()


def shared(url: str | None = None) -> Library:
    """One Library per database URL per process, shared by every session."""
    url = url or default_url()
    with _shared_lock:
        if url not in _shared:
            _shared[url] = Library(url)
        return _shared[url]
