"""A write to the record tells every replica at once where the record is on PostgreSQL (LISTEN/NOTIFY).

`announce` sends a notification inside a write's transaction: PostgreSQL delivers it when the write
commits, never for a write rolled back. `Waiter.wait` is the replica's watch's pause between two looks at
the database (store/live.py): it ends early when a notification comes. On SQLite, or while the listening
connection is down, it is a plain pause: the look once a second goes on, so nothing is missed, only later.
"""

from __future__ import annotations

import logging
import threading
import time

from sqlalchemy import Connection, text
from sqlalchemy.engine import make_url

CHANNEL = "force_posture_record"
RECONNECT_AFTER = 10.0  # seconds before a lost listening connection is tried again
STOP_LOOK = 1.0  # seconds: a long pause looks this often whether the watch was asked to stop
_log = logging.getLogger("force_posture.store.record")


def announce(conn: Connection) -> None:
    """Inside a write's transaction (`conn`, SQLAlchemy's): the replicas listening hear of it at commit."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_notify(:channel, '')"), {"channel": CHANNEL})


class Waiter:
    """One replica's ear on the record's channel. Used by the one watching thread only."""

    def __init__(self, url: str | None, stop: threading.Event):
        self._stop = stop
        self._url = _conninfo(url)
        self._conn = None
        self._tried = -RECONNECT_AFTER  # monotonic: when a listening connection was last tried
        self._failing = False

    def wait(self, timeout: float) -> None:
        """Return after `timeout` seconds, at a notification on the channel, or when asked to stop."""
        conn = self._connection()
        if conn is None:
            self._stop.wait(timeout)
            return
        deadline = time.monotonic() + timeout
        try:
            while not self._stop.is_set() and (left := deadline - time.monotonic()) > 0:
                for _ in conn.notifies(timeout=min(left, STOP_LOOK), stop_after=1):
                    return
        except Exception as err:  # noqa: BLE001 - the watch goes on with its plain pause; the log says why
            self._lost(err)

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def _connection(self):
        if self._url is None or self._conn is not None or time.monotonic() - self._tried < RECONNECT_AFTER:
            return self._conn
        self._tried = time.monotonic()
        try:
            import psycopg

            self._conn = psycopg.connect(self._url, autocommit=True, connect_timeout=10)
            self._conn.execute(f"LISTEN {CHANNEL}")
        except Exception as err:  # noqa: BLE001 - as above
            self._lost(err)
            return None
        if self._failing:
            _log.warning("the record's notifications are heard again: approvals show at once")
        self._failing = False
        return self._conn

    def _lost(self, err: Exception) -> None:
        self.close()
        if not self._failing:
            _log.warning(
                "the record's notifications cannot be heard (%s): the replica looks for approvals on its timer",
                str(err).splitlines()[0] if str(err) else type(err).__name__,
            )
        self._failing = True


def _conninfo(url: str | None) -> str | None:
    """libpq's address for a PostgreSQL `url` (SQLAlchemy's spelling, with or without its driver); None
    for SQLite, which has no notifications."""
    if not url:
        return None
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        return None
    return parsed.set(drivername="postgresql").render_as_string(hide_password=False)
