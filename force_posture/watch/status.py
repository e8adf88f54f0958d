"""How fresh the watch is, in words and as a table: each watched source's last read, last new item,
failing since (with the error) and next read, and the one line a page or a screenshot carries ("sources
last checked: 5 Dec 2026 09:00 UTC; 1 failing")."""

from __future__ import annotations

import datetime as dt
import threading

import pandas as pd

from force_posture.store.database import DatabaseError
from force_posture.store.watched import Status, Watched
from force_posture.watch import sources
from force_posture.watch.sources import KINDS, Source

FRESH_FOR = dt.timedelta(seconds=30)  # how long a process reuses the line it read (pages, answers, footers)
UNKNOWN = "sources last checked: unknown (the watch's log cannot be read)"
_lines: dict[str, tuple[dt.datetime, str]] = {}  # by database address: when read, the line
_lines_lock = threading.Lock()


def when(moment: dt.datetime | None) -> str:
    """A moment as the pages say it: '5 Dec 2026 09:00 UTC' ('' for none)."""
    if moment is None:
        return ""
    moment = moment.astimezone(dt.UTC)
    return f"{moment.day} {moment:%b %Y %H:%M} UTC"


def line(states: list[Status]) -> str:
    """'sources last checked: <the latest read>; N failing' (or that none has been read yet)."""
    reads = [s.last_read for s in states if s.last_read is not None]
    failing = sum(s.failing_since is not None for s in states)
    if not reads:
        return "watched sources not read yet"
    return f"sources last checked: {when(max(reads))}; {failing} failing"


def current(now: dt.datetime, store: Watched | None = None) -> str:
    """The line for this moment, for every page, chart footer and API answer: read from the watch's log at
    most every FRESH_FOR per process and database (all sessions share it; a read is a few small queries)."""
    try:
        store = store or Watched()
    except DatabaseError:
        return UNKNOWN
    key = store.db.url
    with _lines_lock:
        kept = _lines.get(key)
        if kept and dt.timedelta(0) <= now - kept[0] < FRESH_FOR:
            return kept[1]
        try:
            listed = sources.load()
            said = line(store.status((s.name, s.every) for s in listed))
        except (sources.SourcesError, DatabaseError):
            said = UNKNOWN
        _lines[key] = (now, said)
        return said


def table(listed: list[Source], states: list[Status]) -> pd.DataFrame:
    """One row per watched source, in the list's order: its state first, what it is after."""
    by_name = {s.source: s for s in states}
    rows = []
    for src in listed:
        state = by_name.get(src.name)
        failing = state.failing_since if state else None
        rows.append(
            {
                "source": src.name,
                "last read": when(state.last_read) if state else "",
                "failing since": when(failing),
                "error": state.error if state else "",
                "last new item": when(state.last_new_item) if state else "",
                "next read": when(state.next_due) if state and state.next_due else "at the next run",
                "read every": _every(src.every),
                "kind": KINDS[src.kind].split(" (")[0],
                "official": "yes" if src.official else "no (press)",
                "url": src.url,
            }
        )
    return pd.DataFrame(rows, columns=[*(rows[0] if rows else {"source": ""})])


def _every(every: dt.timedelta) -> str:
    minutes = int(every.total_seconds() // 60)
    if minutes % (60 * 24 * 7) == 0:
        weeks = minutes // (60 * 24 * 7)
        return "weekly" if weeks == 1 else f"every {weeks} weeks"
    if minutes % 60 == 0:
        hours = minutes // 60
        return "hourly" if hours == 1 else f"every {hours} hours"
    return f"every {minutes} minutes"
