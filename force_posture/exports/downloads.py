"""Export links: each browser session's chart views, registered under unguessable tokens, so that its
export buttons fetch exactly its own view from the server's /export/<token>/<format> route.

Why not Streamlit's download button: its file is stored unreferenced and deleted after any two other
sessions finish a script run, so under a crowd a click could fetch a file already gone (a "canceled"
download, 1 in 25 sessions in bench/load.py). Here the file is made when the browser asks for it and
sent in the same response, and a failure is answered in words the page shows under the buttons.

The registry is shared by every session of the process: every access holds its lock, entries expire
after TTL_SECONDS unused, and it never holds more than MAX_ENTRIES. A token is a capability: only the
page of the session that registered it knows it.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from force_posture.core.data import Dataset
    from force_posture.exports.export import Briefing

TTL_SECONDS = 4 * 3600
MAX_ENTRIES = 5000


class Registry:
    def __init__(self, ttl: float = TTL_SECONDS, limit: int = MAX_ENTRIES, clock: Callable[[], float] = time.monotonic):
        self._items: OrderedDict[str, tuple[float, Any]] = OrderedDict()
        self._lock = threading.Lock()
        self._ttl, self._limit, self._clock = ttl, limit, clock

    def put(self, value: Any, token: str | None = None) -> str:
        """Register (or refresh) a value; returns its token (a new one unless `token` is still known)."""
        now = self._clock()
        with self._lock:
            self._expire(now)
            if token not in self._items:
                token = secrets.token_urlsafe(24)
            self._items[token] = (now, value)
            self._items.move_to_end(token)
            while len(self._items) > self._limit:
                self._items.popitem(last=False)
            return token

    def get(self, token: str) -> Any | None:
        now = self._clock()
        with self._lock:
            self._expire(now)
            item = self._items.get(token)
            return None if item is None else item[1]

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)

    def _expire(self, now: float) -> None:
        while self._items:
            token, (when, _) = next(iter(self._items.items()))
            if now - when <= self._ttl:
                return
            del self._items[token]


@dataclass(frozen=True)
class ExportRequest:
    """One session's chart view. The scenarios are read from the session's workspace when the file is
    asked for (what is on screen then), through a weak reference: a registered link never keeps a
    closed session's scenarios in memory, and dies with the session."""

    dataset: Any
    briefing: Any  # export.Briefing, without scenarios
    workspace: Callable[[], Any]  # weakref.ref to the session's Workspace

    def resolve(self) -> tuple[Dataset, Briefing] | None:
        """(dataset, briefing with the shown scenarios), or None once the session is gone."""
        ws = self.workspace()
        if ws is None:
            return None
        return self.dataset, replace(self.briefing, scenarios=ws.shown(), unsaved=tuple(ws.unsaved_shown()))


REGISTRY = Registry()  # the process's one registry: the pages put, the /export route gets
