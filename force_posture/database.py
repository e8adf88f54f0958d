"""The team's database, the parts every feature that keeps something in it shares: its address, one
engine per address per process, the schema made and upgraded by the Alembic migrations, and who the
analyst is. Pure (no Streamlit). The saved scenario library (library.py) stands on it.

The database is SQLite in the user's data folder by default (created on first use) or, for a team, the
PostgreSQL server named by `FORCE_POSTURE_DATABASE_URL`. Alembic is imported only when a process first
migrates, and SQLAlchemy only when this module is: neither is on the path of a page that keeps nothing.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Mapping
from pathlib import Path

import platformdirs
from sqlalchemy import create_engine, event, exc, text

DATABASE_ENV, USER_HEADER_ENV = "FORCE_POSTURE_DATABASE_URL", "FORCE_POSTURE_USER_HEADER"
LOCAL_USER = "local analyst"  # everyone, when no proxy says who is who (one analyst on a laptop)
MAX_AUTHOR = 200
MIGRATIONS = Path(__file__).with_name("migrations")
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_MIGRATION_LOCK_KEY = 7_318_204_551  # any fixed number: one replica migrates at a time on PostgreSQL
UNREACHABLE = (
    "The scenario library's database could not be reached ({what}). {kept} Try again in a moment; if it "
    "keeps failing, tell whoever runs the team's server."
)


class DatabaseError(Exception):
    """A refused or failed action on the team's database; `str(err)` is the whole plain-language message."""


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
    value = CONTROL.sub("", value or "").strip()
    if not value:
        raise DatabaseError(
            f"This server takes who you are from the team's proxy (the {header} header), and this request "
            "came without it, so the library is closed to it. Open the app through the team's address."
        )
    return value[:MAX_AUTHOR]


def short_error(err: Exception) -> str:
    """The driver's first line, for a message (never a traceback)."""
    orig = getattr(err, "orig", None) or err
    return (str(orig).strip().splitlines() or [type(orig).__name__])[0][:160]


class Database:
    """One database: its engine (which pools its connections) and its schema, migrated once per
    process under a lock. Safe to share between threads (sessions): nothing else is kept."""

    def __init__(self, url: str | None = None):
        self.url = url or default_url()
        if self.url.startswith("sqlite:///"):
            Path(self.url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        try:
            self.engine = _engine(self.url)
        except (exc.ArgumentError, exc.NoSuchModuleError, ImportError) as err:
            raise DatabaseError(
                f"The library's database setting ({DATABASE_ENV}) is not a database address this app can use: "
                f"{short_error(err)}. Use sqlite:///PATH or postgresql+psycopg://USER:PASSWORD@HOST/DATABASE."
            ) from err
        self._migrated = False
        self._lock = threading.Lock()

    @property
    def where(self) -> str:
        """Where the database lives, in words, without any password."""
        if self.engine.dialect.name == "sqlite":
            return f"a SQLite file on this server ({self.engine.url.database})"
        return f"the team's {self.engine.dialect.name} database on {self.engine.url.host}"

    def migrate(self, kept: str = "Nothing was changed.") -> None:
        """Create or upgrade the schema with the Alembic migrations (once per process)."""
        with self._lock:
            if self._migrated:
                return
            from alembic import command
            from alembic.config import Config

            try:
                with self.engine.begin() as conn:
                    if conn.dialect.name == "postgresql":
                        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK_KEY})
                    cfg = Config()
                    cfg.set_main_option("script_location", str(MIGRATIONS))
                    cfg.attributes["connection"] = conn
                    command.upgrade(cfg, "head")
            except exc.OperationalError as err:
                raise DatabaseError(UNREACHABLE.format(what=short_error(err), kept=kept)) from err
            self._migrated = True


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
