"""The live record: a process sees an approval made anywhere, and sessions reading it meanwhile always
get one whole record."""

import datetime as dt
import threading

from force_posture.core import amend, data
from force_posture.store import database, live, record
from tests import rows

NOW, TODAY = dt.datetime(2026, 12, 2, 9, tzinfo=dt.UTC), dt.date(2026, 12, 2)


def _figure(day: str) -> amend.Change:
    return amend.Change(
        amend.NEW, data.LEVELS_FILE, quote="about 250 advisers", reason="New figure", row=rows.erbil(day)
    )


def test_a_second_process_sees_an_approval_and_readers_never_see_half_a_record(tmp_path):
    url = f"sqlite:///{tmp_path}/record.sqlite3"
    editor_side = record.Record(database.Database(url))  # another replica, where the editor approves
    watcher = live.Live(url=url, interval=3600)  # this replica (refreshed by hand here, by its thread in the app)
    watcher.record = lambda: record.Record(database.Database(url))  # its own engine, as another process has
    first = watcher.dataset()
    assert first.version == data.load().version and watcher.refresh() is False
    seen, stop = set(), threading.Event()

    def read():  # sessions reading all the while: each sees a whole version, never a mixture
        while not stop.wait(0.001):  # (not a busy loop: the approvals need the interpreter too)
            ds = watcher.dataset()
            seen.add((ds.version, len(ds.levels)))

    readers = [threading.Thread(target=read) for _ in range(4)]
    [t.start() for t in readers]
    whole = {(first.version, len(first.levels))}  # every version there was, with its number of figures
    for i, day in enumerate(("2026-11-20", "2026-11-21"), start=1):
        p = editor_side.propose(record.Analyst("alice", False), _figure(day), NOW, TODAY)
        editor_side.decide(record.Analyst("bob", True), p.thread, p.latest.id, record.APPROVED, "", NOW, TODAY)
        whole.add((editor_side.current()[1], len(first.levels) + i))
        assert watcher.refresh() is True
    stop.set()
    [t.join() for t in readers]
    now = watcher.dataset()
    assert now.version == editor_side.current()[1] and len(now.levels) == len(first.levels) + 2
    assert (first.version, len(first.levels)) in seen and seen <= whole, (seen, whole)


def test_an_unreachable_database_keeps_the_record_last_read_and_says_why(tmp_path):
    watcher = live.Live(url=f"sqlite:///{tmp_path}/no/such/folder/record.sqlite3", interval=3600)
    ds = watcher.dataset()
    assert ds.version == data.load().version  # the shipped record, on screen
    assert "names a file in" in watcher.state.problem and "a folder that does not exist" in watcher.state.problem
