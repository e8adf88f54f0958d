"""The server tells open pages of a new record: only the sessions that drew an older one run again, each
as its browser last asked for it, a session in the middle of a run once that run is over."""

import collections
import dataclasses
import threading
import time
from types import SimpleNamespace

import pytest
import streamlit as st
from streamlit.proto.ClientState_pb2 import ClientState

from force_posture.core import data
from force_posture.store import live
from force_posture.ui import push


class Loop:
    """The server's event loop, by hand: call_soon runs at once, call_later is kept for the test to run."""

    def __init__(self):
        self.later = []

    def call_soon_threadsafe(self, callback, *args):
        callback(*args)

    def call_later(self, delay, callback, *args):
        self.later.append((delay, callback, args))


class Session:
    def __init__(self, sid: str, loop: Loop, running: bool = False):
        self.id, self._event_loop = sid, loop
        self._scriptrunner = object() if running else None
        self._client_state = ClientState(query_string=f"window=all&s={sid}", page_script_hash=f"page-{sid}")
        self.reruns: list[ClientState] = []

    def request_rerun(self, state: ClientState) -> None:
        self.reruns.append(state)


class Manager:
    def __init__(self, *sessions: Session):
        self.sessions = {s.id: s for s in sessions}

    def list_active_sessions(self):
        return [SimpleNamespace(session=s) for s in self.sessions.values()]

    def is_active_session(self, sid: str) -> bool:
        return sid in self.sessions

    def get_active_session_info(self, sid: str):
        return SimpleNamespace(session=self.sessions[sid]) if sid in self.sessions else None


@pytest.fixture
def record(monkeypatch):
    """A process's live record at version v1, that the test moves on by hand."""
    watch = live.Live("sqlite://", interval=3600)
    watch._state = live.State(1, dataclasses.replace(data.load(), version="v1"), activity=(1, 1))
    monkeypatch.setattr(live, "_shared", watch)
    monkeypatch.setattr(push, "_drawn", {})
    monkeypatch.setattr(push, "_pruned", time.monotonic())  # closed sessions are let go at the record's change
    monkeypatch.setattr(push, "_queue", collections.deque())
    monkeypatch.setattr(push, "_running", set())
    monkeypatch.setattr(push, "_pumping", False)

    def move(version: str, activity: tuple[int, int] = (1, 1)) -> live.State:
        watch._state = live.State(2, dataclasses.replace(watch._state.dataset, version=version), activity=activity)
        return watch._state

    return move


def test_only_the_pages_that_drew_an_older_record_run_again_as_their_browser_asked(record, monkeypatch):
    loop = Loop()
    old, current, review, closed = (Session(n, loop) for n in ("old", "current", "review", "closed"))
    monkeypatch.setattr(push, "_manager", lambda: Manager(old, current, review))
    push._note("old", "v1", None)
    push._note("current", "v2", None)
    push._note("review", "v2", (1, 1))
    push._note("closed", "v1", None)
    push._changed(record("v2", activity=(2, 1)))
    assert [s.page_script_hash for s in old.reruns] == ["page-old"]
    assert old.reruns[0].query_string == "window=all&s=old" and not old.reruns[0].fragment_id
    assert current.reruns == []
    assert [s.page_script_hash for s in review.reruns] == ["page-review"], "a new decision reruns a Review page"
    assert "closed" not in push._drawn, "a closed tab is forgotten"


def test_a_session_in_the_middle_of_a_run_is_told_once_the_run_is_over_unless_it_drew_the_new_record(
    record, monkeypatch
):
    loop = Loop()
    busy, catches_up = Session("busy", loop, running=True), Session("catches-up", loop, running=True)
    monkeypatch.setattr(push, "_manager", lambda: Manager(busy, catches_up))
    push._note("busy", "v1", None)
    push._note("catches-up", "v1", None)
    push._changed(record("v2"))
    assert busy.reruns == [] and catches_up.reruns == [] and len(loop.later) == 1, "the pump looks again"
    push._note("catches-up", "v2", None)  # its run reached page.setup after the change: it drew v2
    busy._scriptrunner = catches_up._scriptrunner = None
    _pump_until_idle(loop)
    assert [s.page_script_hash for s in busy.reruns] == ["page-busy"] and catches_up.reruns == []


def test_a_run_that_drew_an_older_record_is_not_cut_short_and_runs_again_once_it_is_over(record, monkeypatch):
    """The record moved on as a page's header ran (after it read the version it draws): the run goes on,
    so the click it carries is acted on (Streamlit drops the click of a run cut short by st.rerun(): an
    editor's "Record the decision" lost without a word), and the page runs again, once, when it is over."""
    loop = Loop()
    mid = Session("mid", loop, running=True)
    monkeypatch.setattr(push, "_manager", lambda: Manager(mid))
    monkeypatch.setattr(push, "get_script_run_ctx", lambda: SimpleNamespace(session_id="mid"))
    monkeypatch.setattr(st, "rerun", lambda **_: pytest.fail("the run was cut short"))
    record("v2")
    push.drawn("v1", None)  # this run drew v1
    assert mid.reruns == [] and len(loop.later) == 1, "not while its run goes on: the pump looks again"
    mid._scriptrunner = None  # the run is over
    _pump_until_idle(loop)
    assert [s.page_script_hash for s in mid.reruns] == ["page-mid"]
    push.drawn("v2", None)  # the run after it drew v2: nothing more to do
    assert loop.later == [] and len(mid.reruns) == 1


def _pump_until_idle(loop: Loop, most: int = 1000) -> int:
    """Run the pump's later looks, as the event loop would, until it stops asking; returns how many."""
    looks = 0
    while loop.later and looks < most:
        _, callback, args = loop.later.pop(0)
        callback(*args)
        looks += 1
    return looks


class Running(Session):
    """A session whose run is under way from the moment it is asked to run until the test ends it."""

    def request_rerun(self, state: ClientState) -> None:
        super().request_rerun(state)
        self._scriptrunner = object()


def test_after_a_change_the_pages_run_again_a_few_at_a_time_in_the_order_they_were_queued(record, monkeypatch):
    loop = Loop()
    sessions = [Running(f"s{n}", loop) for n in range(5)]
    monkeypatch.setattr(push, "_manager", lambda: Manager(*sessions))
    for s in sessions:
        push._note(s.id, "v1", None)
    push._changed(record("v2"))
    started = [s.id for s in sessions if s.reruns]
    assert started == ["s0", "s1"] and push.RERUNS_AT_ONCE == 2
    _pump_until_idle(loop, most=5)
    assert [s.id for s in sessions if s.reruns] == ["s0", "s1"], "none more while two run"
    sessions[0]._scriptrunner = None  # its run is over
    _pump_until_idle(loop, most=1)
    assert [s.id for s in sessions if s.reruns] == ["s0", "s1", "s2"]
    for s in sessions:
        s._scriptrunner = None
        push._note(s.id, "v2", None)
    _pump_until_idle(loop, most=3)
    assert [len(s.reruns) for s in sessions] == [1, 1, 1, 0, 0], "a page that drew v2 meanwhile is not run again"
    assert not push._pumping and loop.later == [], "the pump stops when the queue is empty"


def test_many_script_threads_and_the_watch_at_once_lose_no_note_and_rerun_each_stale_page_once(record, monkeypatch):
    loop = Loop()
    sessions = [Session(f"s{n}", loop) for n in range(40)]
    monkeypatch.setattr(push, "_manager", lambda: Manager(*sessions))
    start = threading.Barrier(9)

    def analyst(batch: list[Session]) -> None:
        start.wait()
        for s in batch:
            push._note(s.id, "v1", None)

    def watch() -> None:
        start.wait()
        for _ in range(20):
            push._changed(live.shared().state)

    threads = [threading.Thread(target=analyst, args=(sessions[n::8],)) for n in range(8)]
    threads.append(threading.Thread(target=watch))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(push._drawn) == sorted(s.id for s in sessions)
    assert all(s.reruns == [] for s in sessions), "nothing is stale while the record is v1"
    push._changed(record("v2"))
    assert [len(s.reruns) for s in sessions] == [1] * 40


def test_the_installed_streamlit_is_one_the_push_is_tested_on():
    """pyproject.toml pins Streamlit to the versions in push.SUPPORTED; a new one is tried before the pin moves
    (the served tests then show whether pages still get the record without a timer)."""
    assert st.__version__.startswith(push.SUPPORTED)


def test_where_streamlit_offers_no_session_list_the_pages_keep_their_timer_and_the_log_says_so(monkeypatch, caplog):
    monkeypatch.setattr(push, "_installed", None)
    monkeypatch.delenv("FORCE_POSTURE_RECORD_WATCH", raising=False)
    monkeypatch.setattr(push.Runtime, "exists", classmethod(lambda cls: False))
    with caplog.at_level("WARNING", logger="force_posture.ui.push"):
        assert push.available() is False
        assert push.available() is False
    assert [r.getMessage() for r in caplog.records] == [
        f"Streamlit {st.__version__} does not offer the session list this app's live updates use (tested on "
        "1.67.x): open pages look for a new record every 2 s instead (FORCE_POSTURE_RECORD_WATCH)"
    ]


def test_a_closed_tabs_note_is_let_go_within_a_minute_with_no_record_change(record, monkeypatch):
    loop = Loop()
    manager = Manager(Session("a", loop), Session("b", loop))
    monkeypatch.setattr(push, "_manager", lambda: manager)
    monkeypatch.setattr(push, "_pruned", float("-inf"))
    push._note("a", "v1", None)
    push._note("b", "v1", None)
    del manager.sessions["b"]  # the tab is closed
    push._note("a", "v1", None)
    assert sorted(push._drawn) == ["a", "b"], "looked at most once a minute"
    monkeypatch.setattr(push, "_pruned", time.monotonic() - push.PRUNE_EVERY)
    push._note("a", "v1", None)
    assert sorted(push._drawn) == ["a"]


def test_the_push_and_the_fallback_timer_share_one_test_of_a_stale_page(record):
    state = record("v2", activity=(2, 1))
    assert push.stale("v1", None, state) and push.stale("v2", (1, 1), state)
    assert not push.stale("v2", None, state) and not push.stale("v2", (2, 1), state)
