"""Open pages are told of a new record version by the server: no timer in any tab.

Each run says what its page drew (`drawn`): the record's version and, on a page that follows proposals,
the newest round and decision it showed. When the replica's one watch of the database (store/live.py)
sees a change, it reruns, from the server, only the open sessions that drew something older, with the
widgets, page and address each had, a few at a time (`_pump`). A tab in the background gets the new page
at once; one whose connection dropped (a laptop asleep) runs again when it reconnects, as Streamlit does.

This reaches into Streamlit's runtime: its session list and a session's last client state, which are
not its public API. `SUPPORTED` names the versions it is tested on (pyproject.toml pins them), and where
they are missing the pages fall back to a timer (page._watch), with a log line, never a silent stop.
"""

from __future__ import annotations

import collections
import logging
import threading
import time

import streamlit as st
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.runtime import Runtime
from streamlit.runtime.scriptrunner import get_script_run_ctx

from force_posture import settings
from force_posture.store import live

SUPPORTED = ("1.67.",)
_log = logging.getLogger("force_posture.ui.push")
_lock = threading.Lock()
# session id -> (the record version its page drew, the activity it follows or None)
_drawn: dict[str, tuple[str, tuple[int, int] | None]] = {}
_installed: bool | None = None
_pruned = 0.0  # monotonic: when the notes of closed sessions were last let go
PRUNE_EVERY = 60.0  # seconds: a closed tab's note is let go within this (or at the next record change)
# After a change, the open pages that drew an older record run again a few at a time (ui/push._pump).
RERUNS_AT_ONCE = 2
PUMP_STEP = 0.02  # seconds between the pump's looks at the queue while it is not empty
RUN_WAIT = 120.0  # seconds a page in the middle of its own run is waited for before it is left as it is
_queue: collections.deque[tuple[object, int]] = collections.deque()  # (session, looks waited while busy)
_running: set = set()  # sessions the pump started whose run is not over
_pumping = False
_loop = None  # the server's event loop, on which the pump runs


def available() -> bool:
    """Whether the runtime offers what the push needs; once per process, with a log line if not."""
    global _installed
    with _lock:
        if _installed is None:
            _installed = _probe()
            if _installed:
                live.shared().listen(_changed)
            else:
                _log.warning(
                    "Streamlit %s does not offer the session list this app's live updates use (tested on %s): "
                    "open pages look for a new record every %g s instead (FORCE_POSTURE_RECORD_WATCH)",
                    st.__version__,
                    ", ".join(v + "x" for v in SUPPORTED),
                    settings.value("FORCE_POSTURE_RECORD_WATCH"),
                )
        return _installed


def _probe() -> bool:
    if not Runtime.exists():
        return False
    manager = getattr(Runtime.instance(), "_session_mgr", None)
    ctx = get_script_run_ctx(suppress_warning=True)
    session = _session_of(manager, ctx.session_id) if manager is not None and ctx is not None else None
    needs = ("_client_state", "_event_loop", "_scriptrunner", "request_rerun", "id")
    return session is not None and hasattr(manager, "is_active_session") and all(hasattr(session, n) for n in needs)


def _session_of(manager: object, session_id: str) -> object | None:
    try:
        info = manager.get_active_session_info(session_id)
    except AttributeError:
        return None
    return getattr(info, "session", None)


def drawn(version: str, activity: tuple[int, int] | None) -> None:
    """Note what this run's page shows; if the record moved on while it ran, run it again once this run
    is over. Not st.rerun(): it would cut this run short before the page's buttons, and Streamlit drops a
    click whose run is cut short (an editor's "Record the decision" lost without a word)."""
    session_id = get_script_run_ctx().session_id
    _note(session_id, version, activity)
    # read after the note: a change the watch announced before the note is seen here, one after it
    # finds the note
    if stale(version, activity, live.shared().state) and (session := _session_of(_manager(), session_id)):
        _enqueue([session])


def _note(session_id: str, version: str, activity: tuple[int, int] | None) -> None:
    global _pruned
    now = time.monotonic()
    with _lock:
        _drawn[session_id] = (version, activity)
        if now - _pruned < PRUNE_EVERY:
            return
        _pruned = now
    _prune({info.session.id for info in _manager().list_active_sessions()})


def _prune(open_sessions: set[str]) -> None:
    """Let go of the notes of sessions that are no longer open (a tab closed, a laptop gone for good)."""
    with _lock:
        for gone in _drawn.keys() - open_sessions:
            del _drawn[gone]


def stale(version: str, activity: tuple[int, int] | None, state: live.State) -> bool:
    """Whether a page that drew record `version` (and, following proposals, `activity`) is older than
    `state`: the one test the push and the pages' fallback timer share."""
    return version != state.dataset.version or (activity is not None and activity != state.activity)


def _changed(state: live.State) -> None:
    """On the record's watching thread: queue each open session whose page is older than `state` to run
    again, and start the queue's pump on the server's event loop if it is not going."""
    sessions = {info.session.id: info.session for info in _manager().list_active_sessions()}
    _prune(set(sessions))
    with _lock:
        older = [sessions[sid] for sid, (version, activity) in _drawn.items() if stale(version, activity, state)]
    _enqueue(older)


def _enqueue(older: list) -> None:
    """Queue each session not queued yet to run again, and start the pump if it is not going."""
    global _pumping, _loop
    with _lock:
        queued = {session.id for session, _ in _queue}
        _queue.extend((session, 0) for session in older if session.id not in queued)
        start = bool(_queue) and not _pumping
        if start:
            _pumping, _loop = True, _queue[0][0]._event_loop  # noqa: SLF001 (the runtime's one loop)
    if start:
        _loop.call_soon_threadsafe(_pump)


def _manager() -> object:
    return Runtime.instance()._session_mgr  # noqa: SLF001


def _pump() -> None:
    """On the server's event loop: run the queued pages again, at most RERUNS_AT_ONCE at a time. Streamlit
    would run them all at once, each on its own thread under one interpreter lock, so that the first page
    showed the new record only when nearly all did; a few at a time, the first shows it at once and the
    whole queue is through sooner. Looks again every PUMP_STEP seconds while any is queued or running."""
    global _pumping
    with _lock:
        for done in [s for s in _running if s._scriptrunner is None]:  # noqa: SLF001
            _running.discard(done)
        busy: list[tuple[object, int]] = []
        while _queue and len(_running) < RERUNS_AT_ONCE:
            session, waited = _queue.popleft()
            outcome = _rerun(session, waited)
            if outcome == "busy":
                busy.append((session, waited + 1))
            elif outcome == "started" and session._scriptrunner is not None:  # noqa: SLF001
                _running.add(session)
        _queue.extend(busy)
        _pumping = bool(_queue) or bool(_running)
        going = _pumping
    if going:
        _loop.call_later(PUMP_STEP, _pump)


def _rerun(session: object, waited: int) -> str:
    """Run a session's page again as its browser last asked for it, if it is still open and older than the
    record, once it is idle (a run under way may already draw the new record, or ends first: it is not cut
    short): "started", "busy" (asked again at the pump's next look) or "done" (nothing to do)."""
    seen = _drawn.get(session.id)
    if seen is None or not stale(*seen, live.shared().state) or not _manager().is_active_session(session.id):
        return "done"
    if session._scriptrunner is not None:  # noqa: SLF001
        if waited * PUMP_STEP < RUN_WAIT:
            return "busy"
        _log.warning("session %s has run for %.0f s: not told of the new record", session.id, RUN_WAIT)
        return "done"
    last = ClientState()
    last.CopyFrom(session._client_state)  # noqa: SLF001
    session.request_rerun(last)
    return "started"
