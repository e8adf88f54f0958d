"""The team's database, the parts every feature that keeps something in it shares: its address, one
engine per address per process, the schema made and upgraded by the Alembic migrations, and who the
analyst is. Pure (no Streamlit). The saved scenario library (library.py) stands on it.

The database is SQLite in the user's data folder by default (created on first use) or, for a team, the
PostgreSQL server named by `FORCE_POSTURE_DATABASE_URL`. Alembic is imported only when a process first
migrates, and SQLAlchemy only when this module is (the live record, live.py, first reads the database on the
server's warm-up thread, beside the browser's loading of the first page).
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from collections.abc import Mapping
from pathlib import Path

import platformdirs
from sqlalchemy import MetaData, create_engine, event, exc, text
from sqlalchemy.engine import make_url

from force_posture.core.data import CONTROL

DATABASE_ENV, USER_HEADER_ENV = "FORCE_POSTURE_DATABASE_URL", "FORCE_POSTURE_USER_HEADER"
LOCAL_USER = "local analyst"  # everyone, when no proxy says who is who (one analyst on a laptop)
MAX_AUTHOR = 200
# Every table of the database, declared once: library.py and record.py add theirs. The migrations make
# them; tests/test_database.py checks with Alembic that the two say the same.
metadata = MetaData()
MIGRATIONS = Path(__file__).with_name("migrations")
HEAD = "0003"  # the newest migration's revision (tests/test_database.py checks it is Alembic's head)
_MIGRATION_LOCK_KEY = 7_318_204_551  # any fixed number: one replica migrates at a time on PostgreSQL
UNREACHABLE = (
    "The scenario library's database could not be reached ({what}). {kept} Try again in a moment; if it "
    "keeps failing, tell whoever runs the team's server."
)


class DatabaseError(Exception):
    """A refused or failed action on the team's database; `str(err)` is the whole plain-language message."""


def default_url(env: Mapping[str, str] = os.environ) -> str:
    """`FORCE_POSTURE_DATABASE_URL`, or a SQLite file in this user's data folder."""
    return env.get(DATABASE_ENV) or default_file()


def default_file() -> str:
    """The one-analyst library: a SQLite file in this user's data folder (its folder made on first use)."""
    return f"sqlite:///{Path(platformdirs.user_data_dir('force-posture', appauthor=False)) / 'library.sqlite3'}"


def address(url: str | None = None, env: Mapping[str, str] = os.environ) -> tuple[str, str]:
    """The database address to use and where it came from, in words for a message: `url` (the command
    line's --database), else the environment's FORCE_POSTURE_DATABASE_URL, else the default file."""
    if url:
        return url, "--database"
    if env.get(DATABASE_ENV):
        return env[DATABASE_ENV], DATABASE_ENV
    return default_file(), "the default location"


# postgres:// is what Heroku, many hosts and psql's own docs write; postgresql:// is SQLAlchemy's spelling
# for its psycopg2 driver, which this app does not ship: both mean PostgreSQL through psycopg 3.
_ALIASES = {"postgres": "postgresql+psycopg", "postgresql": "postgresql+psycopg"}
_USE = "Give sqlite:///PATH/library.sqlite3 or postgresql://USER:PASSWORD@HOST/DATABASE."


def checked(url: str, source: str) -> str:
    """`url`, with the common PostgreSQL spellings made psycopg's, or a DatabaseError in one plain line
    that names the setting it came from: not an address, not SQLite or PostgreSQL, or a SQLite file in a
    folder that does not exist (only the default location's folder is made, on first use)."""
    shown = url if len(url) <= 80 else url[:77] + "..."
    try:
        parsed = make_url(url)
    except exc.ArgumentError:
        message = f"The database address '{shown}' (from {source}) is not a database address. {_USE}"
        raise DatabaseError(message) from None
    parsed = parsed.set(drivername=_ALIASES.get(parsed.drivername, parsed.drivername))
    shown = parsed.render_as_string(hide_password=True)
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise DatabaseError(
            f"The database address '{shown}' (from {source}) names a {parsed.get_backend_name()} database; the "
            f"library runs on SQLite or PostgreSQL. {_USE}"
        )
    if parsed.get_backend_name() == "sqlite":
        if not parsed.database or parsed.database == ":memory:":
            raise DatabaseError(f"The database address '{shown}' (from {source}) names no file. {_USE}")
        folder = Path(parsed.database).expanduser().parent
        if not folder.is_dir():
            if source != "the default location":
                raise DatabaseError(
                    f"The database address '{shown}' (from {source}) names a file in {folder}, a folder that does "
                    "not exist, so nothing was done. Correct the path, or create the folder first."
                )
            folder.mkdir(parents=True, exist_ok=True)
    return parsed.render_as_string(hide_password=False)


def user_from_headers(headers: Mapping[str, str], header: str | None) -> str:
    """Who the analyst is. With no trusted header configured, everyone is the one local user and no
    header the browser sends is believed; with one, the proxy must have set it."""
    if not header:
        return LOCAL_USER
    value = next((v for k, v in headers.items() if k.lower() == header.lower()), "")
    value = CONTROL.sub("", value or "").strip()
    if not value:
        raise DatabaseError(
            f"No identity was set by the team's proxy: this server takes who you are from the {header} header, "
            "and this request came without it, so the library is closed to it. Tell whoever runs this server."
        )
    return value[:MAX_AUTHOR]


def short_error(err: Exception) -> str:
    """The driver's first line, for a message (never a traceback)."""
    orig = getattr(err, "orig", None) or err
    return (str(orig).strip().splitlines() or [type(orig).__name__])[0][:160]


class Database:
    """One database: its engine (which pools its connections) and its schema, migrated once per
    process under a lock. Safe to share between threads (sessions): nothing else is kept."""

    def __init__(self, url: str | None = None, source: str | None = None):
        raw, found = address(url)
        self.source = source or found
        self.url = checked(raw, self.source)
        try:
            self.engine = _engine(self.url)
        except (exc.ArgumentError, exc.NoSuchModuleError, ImportError) as err:
            raise DatabaseError(
                f"The database address from {self.source} cannot be used: {short_error(err)}. {_USE}"
            ) from err
        self._migrated = False
        self._lock = threading.Lock()

    @property
    def where(self) -> str:
        """Where the database lives, in words, without any password."""
        if self.engine.dialect.name == "sqlite":
            return f"a SQLite file on this server ({self.engine.url.database})"
        return f"the team's {self.engine.dialect.name} database on {self.engine.url.host}"

    def migrate(self, kept: str = "Nothing was changed.") -> str:
        """Create or upgrade the schema with the Alembic migrations (once per process). Returns what was
        done, in words: "created", "upgraded from revision R" or "already current" ("" on later calls)."""
        with self._lock:
            if self._migrated:
                return ""
            if self._current(kept) == HEAD:  # nothing to do: Alembic (0.1 s to import) is not needed
                self._migrated = True
                return "already current"
            from alembic import command
            from alembic.config import Config
            from alembic.runtime.migration import MigrationContext
            from alembic.script import ScriptDirectory

            try:
                with self.engine.begin() as conn:
                    if conn.dialect.name == "postgresql":
                        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK_KEY})
                    cfg = Config()
                    cfg.set_main_option("script_location", str(MIGRATIONS))
                    cfg.attributes["connection"] = conn
                    before = MigrationContext.configure(conn).get_current_revision()
                    head = ScriptDirectory.from_config(cfg).get_current_head()
                    command.upgrade(cfg, "head")
            except exc.OperationalError as err:
                raise DatabaseError(UNREACHABLE.format(what=short_error(err), kept=kept)) from err
            except exc.DBAPIError as err:  # refused by the server (no such database, no permission)
                raise DatabaseError(f"The database from {self.source} refused the schema: {short_error(err)}.") from err
            self._migrated = True
            if before is None:
                return "created"
            return "already current" if before == head else f"upgraded from revision {before}"

    def _current(self, kept: str) -> str | None:
        """The schema revision the database is at (None: no schema yet; then migrate() runs Alembic,
        which creates it or says in words why it cannot)."""
        try:
            conn = self.engine.connect()
        except exc.OperationalError as err:
            raise DatabaseError(UNREACHABLE.format(what=short_error(err), kept=kept)) from err
        with conn:
            try:
                return conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar_one_or_none()
            except exc.DBAPIError:  # no such table: a new database
                return None


def utc(value: dt.datetime | None) -> dt.datetime | None:
    """A time read back from the database, in UTC: SQLite keeps no zone, and everything is written in UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=dt.UTC)


_shared: dict[str, Database] = {}
_shared_lock = threading.Lock()


def shared(url: str | None = None) -> Database:
    """The process's one Database for an address (default: `address()`), shared by the scenario library
    and the record, so that they have one engine and migrate once."""
    raw, source = address(url)
    with _shared_lock:
        if raw not in _shared:
            _shared[raw] = Database(raw, source)
        return _shared[raw]


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
