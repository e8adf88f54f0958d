"""The record's notifications: on PostgreSQL a proposal or a decision wakes every replica's watch at once;
where none can be heard, the watch keeps its one-second look and says so once."""

import datetime as dt
import threading

from force_posture.core import amend, data
from force_posture.store import database, live, notify, record
from tests import rows

NOW, TODAY = dt.datetime(2026, 12, 2, 9, tzinfo=dt.UTC), dt.date(2026, 12, 2)


def _figure(day: str) -> amend.Change:
    return amend.Change(
        amend.NEW, data.LEVELS_FILE, quote="about 250 advisers", reason="New figure", row=rows.erbil(day)
    )


def test_on_postgresql_a_proposal_and_an_approval_wake_every_replicas_watch_at_once(pg_cluster, caplog):
    """Each write announces itself: a replica whose timer would look only in an hour hears the proposal
    (the Review page's count) and then the approval, and reads the record again for each."""
    from tests.browser import TIMEOUT_S

    pg_cluster.reset()
    editor_side = record.Record(database.Database(pg_cluster.url))
    watcher = live.Live(url=pg_cluster.url, interval=3600)  # its timer never looks within this test
    heard: list[live.State] = []
    changed = threading.Condition()

    def on_change(state: live.State) -> None:
        with changed:
            heard.append(state)
            changed.notify_all()

    watcher.listen(on_change)
    before = watcher.dataset().version  # reads the record once and starts the watching thread
    try:
        _wait_listening(pg_cluster)  # a write before the watch listens would be heard only by its timer
        p = editor_side.propose(record.Analyst("alice", False), _figure("2026-11-20"), NOW, TODAY)
        with changed:
            assert changed.wait_for(lambda: any(s.waiting == 1 for s in heard), TIMEOUT_S), heard
        editor_side.decide(record.Analyst("bob", True), p.thread, p.latest.id, record.APPROVED, "", NOW, TODAY)
        with changed:
            assert changed.wait_for(lambda: heard[-1].dataset.version != before, TIMEOUT_S), heard
        assert heard[-1].dataset.version == editor_side.current()[1] and heard[-1].waiting == 0
        assert "notifications cannot be heard" not in caplog.text
    finally:
        watcher.stop()
        editor_side.db.engine.dispose()


def _wait_listening(cluster) -> None:
    """Until a connection of the test server listens on the record's channel (pg_stat_activity shows its
    last statement)."""
    import psycopg

    from tests.browser import TIMEOUT_S

    with psycopg.connect(notify._conninfo(cluster.url), autocommit=True) as conn:
        for _ in range(int(TIMEOUT_S * 10)):
            found = conn.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE query = %s", (f"LISTEN {notify.CHANNEL}",)
            ).fetchone()[0]
            if found:
                return
            conn.execute("SELECT pg_sleep(0.1)")
    raise AssertionError("no connection listens on the record's channel")


def test_where_notifications_cannot_be_heard_the_watch_keeps_its_timer_and_says_so_once(caplog):
    """SQLite has none; a PostgreSQL server that cannot be reached is said once in the log, and the
    pause between two looks stays the timer's, so approvals still show, a second later at most."""
    assert notify._conninfo("sqlite:///library.sqlite3") is None and notify._conninfo(None) is None
    assert (
        notify._conninfo("postgresql+psycopg://fp:secret@db.example/team") == "postgresql://fp:secret@db.example/team"
    )
    stop = threading.Event()
    waiter = notify.Waiter("postgresql+psycopg://fp@127.0.0.1:9/none", stop)
    waiter.wait(0.01)
    waiter.wait(0.01)  # within RECONNECT_AFTER: not tried again, not said again
    said = [r.getMessage() for r in caplog.records if "notifications" in r.getMessage()]
    assert len(said) == 1 and said[0].startswith("the record's notifications cannot be heard (")
    assert said[0].endswith("): the replica looks for approvals on its timer")
    assert waiter._conn is None
