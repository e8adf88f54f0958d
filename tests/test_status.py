"""How fresh the watch is (watch/status.py): the line a page carries and the Sources page's table."""

import datetime as dt

from force_posture.store import database, watched
from force_posture.store.watched import Status
from force_posture.watch import sources, status

NOW = dt.datetime(2026, 12, 5, 9, 0, tzinfo=dt.UTC)


def test_the_line_says_when_the_sources_were_last_checked_and_how_many_fail():
    ok = Status("Releases", NOW, NOW, None, "", NOW + dt.timedelta(hours=1))
    bad = Status("Broken", NOW - dt.timedelta(hours=1), None, NOW - dt.timedelta(days=2), "HTTP 500.", NOW)
    assert status.line([ok, bad]) == "sources last checked: 5 Dec 2026 09:00 UTC; 1 failing"
    assert status.line([Status("New", None, None, None, "", None)]) == "watched sources not read yet"


def test_the_table_has_a_row_per_watched_source_in_the_lists_order():
    listed = sources.load()
    first = Status(listed[0].name, NOW, NOW, None, "", NOW + listed[0].every)
    frame = status.table(listed, [first])
    assert frame["source"].tolist() == [s.name for s in listed]
    row = frame.iloc[0]
    assert (row["last read"], row["read every"], row["next read"], row["official"]) == (
        "5 Dec 2026 09:00 UTC",
        "hourly",
        "5 Dec 2026 10:00 UTC",
        "yes",
    )
    assert frame.iloc[1]["next read"] == "at the next run" and frame.iloc[1]["last read"] == ""
    ig = frame[frame["source"].str.contains("Inspector General")].iloc[0]
    assert ig["read every"] == "weekly" and ig["kind"] == "a web page listing articles"


def test_the_current_line_is_read_from_the_log_and_reused_for_half_a_minute(tmp_path, monkeypatch):
    store = watched.Watched(database.Database(f"sqlite:///{tmp_path}/watch.sqlite3"))
    name = sources.load()[0].name
    assert status.current(NOW, store) == "watched sources not read yet"
    read = watched.Read(name, "https://example.org/feed", NOW, NOW, watched.FAILED, 500, error="HTTP 500.")
    store.keep(read, [], [])
    assert status.current(NOW + dt.timedelta(seconds=10), store) == "watched sources not read yet"
    assert status.current(NOW + status.FRESH_FOR, store) == "sources last checked: 5 Dec 2026 09:00 UTC; 1 failing"
    monkeypatch.setenv(sources.WATCH_FILE_SETTING, str(tmp_path / "missing.csv"))
    assert status.current(NOW + 3 * status.FRESH_FOR, store) == status.UNKNOWN


def test_sessions_asking_for_the_line_at_once_share_one_read_of_the_log(tmp_path, monkeypatch):
    """Every page and answer asks at once (one thread a session): one read of the log serves them all."""
    import threading

    store = watched.Watched(database.Database(f"sqlite:///{tmp_path}/watch.sqlite3"))
    reads, real = [], store.status
    monkeypatch.setattr(store, "status", lambda names: reads.append(1) or real(names))
    start, said = threading.Barrier(16), []

    def page():
        start.wait()
        said.append(status.current(NOW, store))

    threads = [threading.Thread(target=page) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert said == ["watched sources not read yet"] * 16 and len(reads) == 1
