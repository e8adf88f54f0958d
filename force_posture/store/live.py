"""The record this process shows, kept current: the shipped files plus the changes approved in the app.

A thread asks the database once a second (FORCE_POSTURE_RECORD_POLL) for the newest approval, and at once
when a write announces itself (on PostgreSQL: store/notify.py), and when there is one, builds the record
again and swaps it in whole, so every replica shows an approval within seconds, with no restart; then it
tells whoever listens (`listen`), who reruns the open pages. Reading the record costs a script run one
attribute read. If the database cannot be reached, the record last read (at first, the shipped files) is
shown, and `problem` says why.
No Streamlit here: ui/cache.py shares it with every session.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace

from force_posture import settings
from force_posture.core import data
from force_posture.store import notify, record

POLL_ENV = "FORCE_POSTURE_RECORD_POLL"
_log = logging.getLogger("force_posture.store.record")


@dataclass(frozen=True)
class State:
    approval: int  # the newest approval it holds (0: none)
    dataset: data.Dataset
    problem: str = ""  # why the database could not be read, when it could not
    waiting: int = 0  # proposals waiting for review
    activity: tuple[int, int] = (0, 0)  # newest round and decision: what a Review page follows


class Live:
    """One process's current record. Safe to share: `state` is replaced whole, never changed."""

    def __init__(self, url: str | None = None, interval: float | None = None):
        self.url = url
        self.interval = float(interval if interval is not None else settings.value(POLL_ENV))
        self._state: State | None = None
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self._listeners: list[Callable[[State], None]] = []

    def listen(self, listener: Callable[[State], None]) -> None:
        """Call `listener(state)` on the watching thread each time the state changes (a new approval, a
        proposal written or decided); a listener that fails is logged, never stops the watch."""
        with self._lock:
            self._listeners = [*self._listeners, listener]

    @property
    def state(self) -> State:
        state = self._state
        if state is None:
            with self._lock:
                if self._state is None:
                    self._state = self._read(State(0, data.load()))
                state = self._state
            self.start()
        return state

    def dataset(self) -> data.Dataset:
        return self.state.dataset

    def record(self) -> record.Record:
        return record.shared(self.url)

    def at_version(self, version: str) -> data.Dataset:
        """The record as a version held it: the current one, or an earlier one (kept: it never changes).
        UnknownVersion (a LookupError) when the record holds no such version."""
        current = self.dataset()
        return current if version == current.version else _earlier(self.url, version)

    def _read(self, last: State) -> State:
        """The record from the database if an approval is newer than `last`'s (else `last`)."""
        try:
            rec = self.record()
            pulse = rec.pulse()
            newest, waiting, activity = pulse.approval, pulse.waiting, pulse.activity
            if newest == last.approval and not last.problem and (waiting, activity) == (last.waiting, last.activity):
                return last
            if newest == last.approval:  # no new approval: the record is the same, its decisions may not be
                same = last.dataset if activity == last.activity else replace(last.dataset, decisions=rec.decisions())
                return State(last.approval, same, waiting=waiting, activity=activity)
            return State(newest, rec.dataset(), waiting=waiting, activity=activity)
        except Exception as err:  # noqa: BLE001 - the record stays on screen; the log and the page say why
            if not last.problem:
                _log.warning("the record's database could not be read: %s", err)
            return State(last.approval, last.dataset, str(err).splitlines()[0], last.waiting, last.activity)

    def refresh(self) -> bool:
        """Read the newest approval now; True if the record changed."""
        before = self.state
        after = self._read(before)
        if after is not before:
            with self._lock:
                self._state = after
            for listener in self._listeners:
                try:
                    listener(after)
                except Exception:  # noqa: BLE001 - the record keeps being watched; the log says what failed
                    _log.exception("a listener to the record failed")
        return after.dataset is not before.dataset

    def start(self) -> None:
        """Keep the record current in a daemon thread (once per process)."""
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._stop.clear()
                self._thread = threading.Thread(target=self._run, name="record-poll", daemon=True)
                self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    def _run(self) -> None:
        waiter = notify.Waiter(self._address(), self._stop)
        try:
            while not self._stop.is_set():
                waiter.wait(self.interval)
                if not self._stop.is_set():
                    self.refresh()
        finally:
            waiter.close()

    def _address(self) -> str | None:
        try:
            return self.record().db.url
        except Exception:  # noqa: BLE001 - an address refused: the looks say why (`problem`), the pause is plain
            return None


_shared: Live | None = None
_shared_lock = threading.Lock()


@functools.lru_cache(maxsize=8)
def _earlier(url: str | None, version: str) -> data.Dataset:

    return data.from_frames(record.shared(url).at_version(version))


def shared() -> Live:
    """The process's one live record (on FORCE_POSTURE_DATABASE_URL or the default database)."""
    global _shared
    if _shared is not None:  # every cache read of every script run asks: no lock once it is made
        return _shared
    with _shared_lock:
        if _shared is None:
            _shared = Live()
        return _shared


def dataset(shown: str = "") -> data.Dataset:
    """The record as known today: the shipped files plus the changes approved in the app, kept current by
    the process's one Live. `shown` (YYYY-MM-DD): the record as this dashboard showed it at the end of that
    day instead. Shared by every page, address and answer of the process; never changed."""
    if not shown:
        return shared().dataset()
    return shared().at_version(version_shown(shared().url, shown))


@functools.lru_cache(maxsize=64)
def version_shown(url: str | None, shown: str) -> str:
    """The record version (of the record at `url`) in force at the end of a day gone by (pages ignore a
    shown day that has not come to its end): asked of the database once, as decisions are only ever added,
    with the time they are made."""
    end = dt.datetime.combine(dt.date.fromisoformat(shown), dt.time.max, tzinfo=dt.UTC)
    return shared().record().version_on(end)
