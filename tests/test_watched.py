"""What the watch keeps (store/watched.py), on SQLite and PostgreSQL: reads, items seen once, leads that
gather the outlets of one figure, decisions kept once, and each source's state."""

import datetime as dt
import threading

import pytest

from force_posture.store import database, watched

NOW = dt.datetime(2026, 12, 5, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def store(db_url):
    """An empty watch log on each database (conftest's db_url)."""
    one = watched.Watched(database.Database(db_url))
    yield one
    one.db.engine.dispose()


def _read(outcome=watched.READ, at=NOW, source="Releases", error=""):
    return watched.Read(source, "https://example.org/feed", at, at, outcome, 200, error=error, etag='"e"')


def _found(link, troops=900, day=dt.date(2026, 12, 3), country="Syria"):
    return watched.Found(country, troops, None, None, "about", day, link, "t", f"About {troops} US troops.", "w", False)


def test_items_are_kept_once_and_one_figure_from_several_outlets_is_one_lead(store):
    new = [("https://a.example/1", "one", dt.date(2026, 12, 3))]
    assert store.keep(_read(), new, [_found("https://a.example/1")]) == 1
    assert store.unseen("Releases", ["https://a.example/1", "https://b.example/2"]) == ["https://b.example/2"]
    # two days later another outlet gives the same figure: the same lead; a week later: a new one
    assert store.keep(_read(), [], [_found("https://www.b.example/2", day=dt.date(2026, 12, 5))]) == 0
    assert store.keep(_read(), [], [_found("https://c.example/3", day=dt.date(2026, 12, 12))]) == 1
    assert store.keep(_read(), [], [_found("https://a.example/1")]) == 0  # the same link twice: one source
    first, second = sorted(store.leads(), key=lambda lead: lead.day)
    assert (first.outlets, second.outlets) == (("a.example", "b.example"), ("c.example",))
    assert all(lead.open for lead in (first, second))


def test_a_sources_state_says_when_it_last_worked_and_since_when_it_fails(store):
    store.keep(_read(at=NOW), [("https://a.example/1", "one", None)], [])
    store.keep(_read(watched.FAILED, NOW + dt.timedelta(hours=1), error="the source answered HTTP 500."), [], [])
    store.keep(_read(watched.FAILED, NOW + dt.timedelta(hours=2), error="no whole answer within 20 seconds."), [], [])
    (state,) = store.status([("Releases", dt.timedelta(hours=1))])
    assert (state.last_read, state.last_new_item) == (NOW + dt.timedelta(hours=2), NOW)
    assert (state.failing_since, state.error) == (NOW + dt.timedelta(hours=1), "no whole answer within 20 seconds.")
    assert state.etag == '"e"' and state.next_due == NOW + dt.timedelta(hours=3)
    store.keep(_read(at=NOW + dt.timedelta(hours=3)), [], [])
    (state,) = store.status([("Releases", dt.timedelta(hours=1))])
    assert (state.failing_since, state.error) == (None, "")
    (never,) = store.status([("Unread", dt.timedelta(hours=1))])
    assert (never.last_read, never.next_due, never.reads) == (None, None, 0)


def test_two_analysts_deciding_one_lead_at_once_leave_exactly_one_decision(store):
    store.keep(_read(), [], [_found("https://a.example/1")])
    (lead,) = store.leads()
    errors, start = [], threading.Barrier(2)

    def decide(who):
        start.wait()
        try:
            store.decide(lead.id, watched.DISMISSED, who, NOW, reason="not about US troops")
        except database.DatabaseError as err:
            errors.append(str(err))

    threads = [threading.Thread(target=decide, args=(who,)) for who in ("alice", "bob")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    (kept,) = store.leads()
    assert kept.decision["analyst"] in ("alice", "bob") and len(errors) == 1
    assert errors[0].startswith(f"Lead {lead.id} has been decided already") or "could not be kept" in errors[0]


def test_two_runs_keeping_the_same_item_at_once_keep_it_once_and_make_one_lead(store):
    """The timer's run and an editor's Check now read the same new item at the same moment."""
    start, made = threading.Barrier(4), []
    item = [("https://a.example/1", "one", dt.date(2026, 12, 3))]

    def run():
        start.wait()
        made.append(store.keep(_read(), item, [_found("https://a.example/1")]))

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(made) == [0, 0, 0, 1]
    (lead,) = store.leads()
    assert len(lead.sources) == 1 and store.unseen("Releases", ["https://a.example/1"]) == []
    (state,) = store.status([("Releases", dt.timedelta(hours=1))])
    assert state.reads == 4


def test_leads_are_read_newest_first_a_bounded_number_by_state_and_country(store):
    days = [dt.date(2026, 11, 1) + dt.timedelta(days=7 * k) for k in range(5)]
    for k, day in enumerate(days):
        store.keep(_read(), [], [_found(f"https://a.example/{k}", troops=900 + k, day=day)])
    store.keep(_read(), [], [_found("https://a.example/iraq", troops=2500, day=days[0], country="Iraq")])
    newest = store.leads(limit=2)
    assert [lead.day for lead in newest] == [days[4], days[3]]
    store.decide(newest[0].id, watched.DISMISSED, "alice", NOW, reason="a duplicate")
    store.decide(newest[1].id, watched.PROPOSED, "bob", NOW, thread=12)
    assert [lead.troops for lead in store.leads("open")] == [902, 901, 2500, 900]
    assert [lead.troops for lead in store.leads("open", country="Iraq")] == [2500]
    assert [lead.troops for lead in store.leads(watched.DISMISSED)] == [904]
    (proposed,) = store.leads(watched.PROPOSED)
    said = proposed.as_dict()
    assert (said["state"], said["day"], said["outlets"]) == ("proposed", "2026-11-22", ["a.example"])
    assert said["decision"] == {
        "decision": "proposed",
        "reason": "",
        "analyst": "bob",
        "thread": 12,
        "created_at": "2026-12-05T09:00:00+00:00",
    }
    assert said["sources"][0]["sentence"] == "About 903 US troops." and said["sources"][0]["published"] == "2026-11-22"
    with pytest.raises(database.DatabaseError, match="'late' is not a state of a lead: use one of all, open"):
        store.leads("late")
