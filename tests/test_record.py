"""The living record on SQLite and on the test PostgreSQL server: proposals, reviews, four eyes, conflicts,
versions, retractions, the append-only rule and `record export`."""

import datetime as dt
import threading

import pandas as pd
import pytest
from sqlalchemy import event, exc

from force_posture.core import amend, data, history
from force_posture.store import database, record
from tests import rows

NOW = dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 12, 2)
ALICE = record.Analyst("alice", editor=False)
BOB = record.Analyst("bob", editor=True)
CAROL = record.Analyst("carol", editor=True)
FIGURE = rows.BRIEFING


@pytest.fixture
def rec(db_url):
    """An empty record on each database (conftest's db_url)."""
    one = record.Record(database.Database(db_url))
    yield one
    one.db.engine.dispose()


def _new(**row) -> amend.Change:
    return amend.Change(
        amend.NEW,
        data.LEVELS_FILE,
        quote="fewer than 900 US troops remain",
        reason="A new figure",
        row={**FIGURE, **row},
    )


def _shipped_row(file: str, label: str) -> dict:
    raws, _ = data.read_dir()
    (row,) = [r for r in raws[file].to_dict("records") if r.get("label") == label]
    return row


def _correction(of: str, **columns) -> amend.Change:
    return amend.Change(
        amend.CORRECTION,
        data.MILESTONES_FILE,
        quote="the main convoy left on Feb 23",
        reason="The label overstates",
        row=columns,
        target=_shipped_row(data.MILESTONES_FILE, of),
        source="Reuters",
        url="https://www.reuters.com/world/x",
        published="2026-12-01",
    )


def test_a_new_figure_proposed_and_approved_by_a_second_analyst_is_in_the_record(rec):
    shipped = rec.dataset()
    proposal = rec.propose(ALICE, _new(), NOW, TODAY)
    assert (proposal.state, proposal.proposer, proposal.latest.round) == ("open", "alice", 1)
    assert rec.dataset().version == shipped.version  # pending: not in the record
    decided = rec.decide(BOB, proposal.thread, proposal.latest.id, record.APPROVED, "", NOW, TODAY)
    assert decided.state == "approved" and decided.latest.reviewer == "bob" and not decided.latest.self_reviewed
    ds = rec.dataset()
    assert ds.version == decided.latest.version != shipped.version and rec.last_approval() > 0
    latest = ds.levels[ds.levels["country"] == "Syria"].iloc[-1]
    assert (latest["date"], latest["troops"], latest["qualifier"]) == (pd.Timestamp("2026-11-30"), 900, "fewer_than")
    # "what changed since" and the feed say who proposed and approved it, and why
    new = history.changes(ds, dt.date(2026, 11, 29), TODAY)
    assert new[new["change"] == "new figure"]["what"].tolist() == [
        "fewer than 900 (acknowledged). Proposed by alice, approved by bob: A new figure"
    ]
    # the record as known on a day goes by the source's publication day
    assert len(history.known_on(ds, dt.date(2026, 11, 29)).levels) == len(shipped.levels)
    # each version can be drawn again: the shipped one and the approved one
    assert data.from_frames(rec.at_version(shipped.version)).levels.equals(shipped.levels)
    assert data.from_frames(rec.at_version(ds.version)).levels.equals(ds.levels)
    with pytest.raises(record.RecordError, match="No record version 'nope' is known here"):
        rec.at_version("nope")


def test_every_problem_of_a_proposal_is_named_by_its_field(rec):
    bad = amend.Change(
        amend.NEW,
        data.LEVELS_FILE,
        quote=" ",
        reason="",
        row={
            **FIGURE,
            "troops": "~900",
            "url": "https://a.example/x (also https://b.example/y)",
            "note": "see facts.md",
        },
    )
    with pytest.raises(record.RecordError) as err:
        rec.propose(ALICE, bad, NOW, TODAY)
    assert err.value.problems == [
        "quote: is empty; copy the words of the source that support this change.",
        "reason: is empty; say why the record should change.",
        "url: 'https://a.example/x (also https://b.example/y)' is more than one web address; give one URL here and "
        "name any other source, with its address, in the note.",
        "troops: '~900' is not a whole number of troops (write 2000, not 2,000 or ~2000).",
        "note: cites 'facts.md', a working file no reader has; cite the source itself (its name, and its address "
        "in the url field or the note).",
    ]
    with pytest.raises(record.RecordError, match=r"published: 2027-01-01 is in the future \(today is 2026-12-02\)"):
        rec.propose(ALICE, _new(published="2027-01-01"), NOW, TODAY)
    assert rec.proposals(state="") == []  # nothing refused was written


def test_four_eyes_in_a_team_and_self_review_on_a_laptop(rec):
    mine = rec.propose(BOB, _new(), NOW, TODAY)
    with pytest.raises(record.RecordError, match="You cannot review your own proposal: in a team, a second analyst"):
        rec.decide(BOB, mine.thread, mine.latest.id, record.APPROVED, "", NOW, TODAY)
    with pytest.raises(record.RecordError, match="alice is not an editor on this server"):
        rec.decide(ALICE, mine.thread, mine.latest.id, record.APPROVED, "", NOW, TODAY)
    local = record.Analyst(database.LOCAL_USER, editor=True, local=True)
    own = rec.propose(local, _new(date="2026-11-29", published="2026-11-29"), NOW, TODAY)
    done = rec.decide(local, own.thread, own.latest.id, record.APPROVED, "", NOW, TODAY)
    assert done.state == "approved" and done.latest.self_reviewed


def test_who_is_an_editor_comes_from_the_setting_or_the_proxy_group():
    env = {database.USER_HEADER_ENV: "X-User", record.EDITORS_ENV: "Bob, carol", record.GROUPS_HEADER_ENV: "X-Groups"}
    assert record.analyst({"X-User": "bob"}, env) == record.Analyst("bob", editor=True)
    assert record.analyst({"X-User": "dave", "X-Groups": "analysts, editors"}, env).editor
    assert not record.analyst({"X-User": "alice", "X-Groups": "analysts"}, env).editor
    assert record.analyst({}, {}) == record.Analyst(database.LOCAL_USER, editor=True, local=True)
    with pytest.raises(database.DatabaseError, match="No identity was set by the team's proxy"):
        record.analyst({}, env)


def test_reject_and_request_changes_need_a_reason_and_a_resubmission_is_a_new_round(rec):
    first = rec.propose(ALICE, _new(troops="950"), NOW, TODAY)
    for decision in (record.REJECTED, record.CHANGES):
        with pytest.raises(record.RecordError, match=f"a decision of '{decision}' needs a reason"):
            rec.decide(BOB, first.thread, first.latest.id, decision, "  ", NOW, TODAY)
    sent_back = rec.decide(BOB, first.thread, first.latest.id, record.CHANGES, "The briefing said 900", NOW, TODAY)
    assert sent_back.state == "changes requested"
    with pytest.raises(record.RecordError, match="Only alice, who wrote proposal"):
        rec.resubmit(CAROL, first.thread, _new(), NOW, TODAY)
    again = rec.resubmit(ALICE, first.thread, _new(), NOW, TODAY)
    assert [r.round for r in again.rounds] == [1, 2] and again.state == "open"
    assert again.rounds[0].reason == "The briefing said 900" and again.rounds[0].change.row["troops"] == "950"
    with pytest.raises(record.RecordError, match="has changed since you opened it"):
        rec.decide(BOB, first.thread, first.latest.id, record.APPROVED, "", NOW, TODAY)  # the old round
    rec.decide(BOB, again.thread, again.latest.id, record.APPROVED, "", NOW, TODAY)
    with pytest.raises(record.RecordError, match="is already approved \\(by bob\\)"):
        rec.decide(CAROL, again.thread, again.latest.id, record.REJECTED, "late", NOW, TODAY)
    rejected = rec.propose(ALICE, _new(date="2026-11-28", published="2026-11-28"), NOW, TODAY)
    rec.decide(BOB, rejected.thread, rejected.latest.id, record.REJECTED, "Not a Pentagon figure", NOW, TODAY)
    assert [p.state for p in rec.proposals(state="")] == ["rejected", "approved"]
    assert rec.proposals() == []  # none open
    # every decision is on the record: who decided what on which round, when, and the version it made
    version = rec.proposal(again.thread).latest.version
    assert rec.decisions().to_dict("records") == [
        {
            "thread": 1,
            "round": 1,
            "kind": "new",
            "country": "Syria",
            "date": "2026-11-30",
            "decision": "changes requested",
            "proposer": "alice",
            "reviewer": "bob",
            "decided_at": "2026-12-02T09:00:00Z",
            "self_reviewed": False,
            "record_version": "",
            "reason": "The briefing said 900",
        },
        {
            "thread": 1,
            "round": 2,
            "kind": "new",
            "country": "Syria",
            "date": "2026-11-30",
            "decision": "approved",
            "proposer": "alice",
            "reviewer": "bob",
            "decided_at": "2026-12-02T09:00:00Z",
            "self_reviewed": False,
            "record_version": version,
            "reason": "",
        },
        {
            "thread": 2,
            "round": 1,
            "kind": "new",
            "country": "Syria",
            "date": "2026-11-28",
            "decision": "rejected",
            "proposer": "alice",
            "reviewer": "bob",
            "decided_at": "2026-12-02T09:00:00Z",
            "self_reviewed": False,
            "record_version": "",
            "reason": "Not a Pentagon figure",
        },
    ]
    assert rec.log_text().splitlines() == [
        "2026-12-02T09:00:00Z #1 round 1 (new, Syria, 2026-11-30) sent back for changes by bob, proposed by alice: "
        "The briefing said 900",
        f"2026-12-02T09:00:00Z #1 round 2 (new, Syria, 2026-11-30) approved by bob, proposed by alice; record version "
        f"{version}",
        "2026-12-02T09:00:00Z #2 round 1 (new, Syria, 2026-11-28) rejected by bob, proposed by alice: Not a Pentagon "
        "figure",
    ]
    assert rec.dataset().decisions.equals(rec.decisions())


def test_a_correction_bound_to_a_row_that_changed_since_is_in_conflict(rec):
    label = "Main US convoy leaves Qasrak"
    one = rec.propose(ALICE, _correction(label, label="US convoy leaves Qasrak"), NOW, TODAY)
    two = rec.propose(CAROL, _correction(label, label="Main convoy leaves Qasrak"), NOW, TODAY)
    rec.decide(BOB, one.thread, one.latest.id, record.APPROVED, "", NOW, TODAY)
    ds = rec.dataset()
    assert "US convoy leaves Qasrak" in set(ds.milestones["label"]) and label not in set(ds.milestones["label"])
    fix = ds.corrections.iloc[-1]
    assert (fix["column"], fix["old"], fix["new"], fix["reason"]) == (
        "label",
        label,
        "US convoy leaves Qasrak",
        "The label overstates",
    )
    assert label in set(history.known_on(ds, dt.date(2026, 11, 30)).milestones["label"])  # before the correction
    with pytest.raises(record.RecordError, match=r"has changed since the proposal was written; bring the proposal up"):
        rec.decide(BOB, two.thread, two.latest.id, record.APPROVED, "", NOW, TODAY)
    assert rec.proposal(two.thread).state == "open"


def test_two_editors_approving_conflicting_corrections_at_once_exactly_one_wins(rec):
    label = "Main US convoy leaves Qasrak"
    one = rec.propose(ALICE, _correction(label, label="US convoy leaves Qasrak"), NOW, TODAY)
    two = rec.propose(ALICE, _correction(label, label="Main convoy leaves Qasrak"), NOW, TODAY)
    barrier, outcomes = threading.Barrier(2), []

    def approve(who, proposal):
        barrier.wait()
        try:
            rec.decide(who, proposal.thread, proposal.latest.id, record.APPROVED, "", NOW, TODAY)
            outcomes.append("won")
        except record.RecordError as err:
            outcomes.append(str(err))

    threads = [threading.Thread(target=approve, args=a) for a in ((BOB, one), (CAROL, two))]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert sorted(outcomes)[-1] == "won" and outcomes.count("won") == 1, outcomes
    assert "has changed since the proposal was written" in next(o for o in outcomes if o != "won")
    assert len(rec.approved()) == 1


def test_a_retraction_keeps_the_row_off_the_charts_and_in_the_record_as_known_before(rec):
    label = "Main US convoy leaves Qasrak"
    change = amend.Change(
        amend.RETRACTION,
        data.MILESTONES_FILE,
        quote="no convoy left that day",
        reason="Superseded by the Feb 21 row",
        target=_shipped_row(data.MILESTONES_FILE, label),
        source="Reuters",
        url="https://www.reuters.com/world/y",
        published="2026-12-01",
    )
    p = rec.propose(ALICE, change, NOW, TODAY)
    rec.decide(BOB, p.thread, p.latest.id, record.APPROVED, "", NOW, TODAY)
    ds = rec.dataset()
    assert label not in set(ds.milestones["label"])
    gone = ds.retracted_milestones
    assert list(gone["label"]) == [label] and gone["retraction_reason"].iloc[0] == "Superseded by the Feb 21 row"
    assert label in set(history.known_on(ds, dt.date(2026, 11, 30)).milestones["label"])
    changed = history.changes(ds, dt.date(2026, 11, 30), TODAY)
    (change_row,) = changed[changed["change"] == "retraction"].to_dict("records")
    assert (
        change_row["published"] == dt.date(2026, 12, 1)
        and "is retracted. Superseded by the Feb 21 row" in change_row["what"]
    )
    with pytest.raises(record.RecordError, match="is retracted"):  # and nothing more can be done to it
        rec.propose(ALICE, _correction(label, label="Convoy"), NOW, TODAY)


def test_nothing_is_ever_updated_or_deleted(rec):
    statements = []
    event.listen(rec.db.engine, "before_cursor_execute", lambda *a: statements.append(a[2].strip().upper()))
    label = "Main US convoy leaves Qasrak"
    p = rec.propose(ALICE, _new(), NOW, TODAY)
    rec.decide(BOB, p.thread, p.latest.id, record.CHANGES, "Quote the briefing", NOW, TODAY)
    p = rec.resubmit(ALICE, p.thread, _new(), NOW, TODAY)
    rec.decide(BOB, p.thread, p.latest.id, record.APPROVED, "", NOW, TODAY)
    q = rec.propose(ALICE, _correction(label, label="Convoy leaves Qasrak"), NOW, TODAY)
    rec.decide(BOB, q.thread, q.latest.id, record.REJECTED, "No", NOW, TODAY)
    rec.proposals(state="")
    ours = [s for s in statements if "RECORD_" in s]  # (Alembic's own table records the schema's revision)
    writes = [s.split()[0] for s in ours if s.split()[0] in ("INSERT", "UPDATE", "DELETE")]
    assert len(writes) >= 7 and set(writes) == {"INSERT"}
    source = (record.__file__ and open(record.__file__).read()).lower()
    assert "update(" not in source and "delete(" not in source and "update record" not in source


def test_a_database_failure_mid_approval_leaves_the_proposal_as_it_was(rec, monkeypatch):
    p = rec.propose(ALICE, _new(), NOW, TODAY)

    def broken(raws):  # the connection drops after the decision row is written, before the version is kept
        raise exc.OperationalError("INSERT INTO record_versions", {}, Exception("server closed the connection"))

    monkeypatch.setattr(record, "_pack", broken)
    with pytest.raises(record.RecordError) as err:
        rec.decide(BOB, p.thread, p.latest.id, record.APPROVED, "", NOW, TODAY)
    assert str(err.value) == (
        "The record's database could not be reached (server closed the connection). Nothing was changed: the "
        "proposal is as it was. Try again in a moment; if it keeps failing, tell whoever runs the team's server."
    )
    assert rec.proposal(p.thread).state == "open" and rec.approved() == [] and rec.last_approval() == 0
    monkeypatch.undo()
    assert rec.decide(BOB, p.thread, p.latest.id, record.APPROVED, "", NOW, TODAY).state == "approved"


def test_a_researchers_file_proposes_every_row_or_none(rec):
    header = ",".join(data.LEVEL_COLUMNS) + ",quote,reason\n"
    good = ",".join(FIGURE[c] for c in data.LEVEL_COLUMNS) + ",fewer than 900,New briefing\n"
    bad = good.replace("2026-11-30,Syria,900", "2026-11-29,Syrie,900")
    changes, problems = amend.from_csv(header + good + bad, TODAY)
    assert problems == [] and len(changes) == 2
    with pytest.raises(record.RecordError) as err:
        rec.propose_many(ALICE, changes, NOW, TODAY)
    assert err.value.problems == ["row 3: country: 'Syrie' is not one of Syria, Iraq."]
    assert rec.proposals() == []
    changes, _ = amend.from_csv(header + good + good.replace("2026-11-30,Syria", "2026-11-29,Syria"), TODAY)
    assert len(rec.propose_many(ALICE, changes, NOW, TODAY)) == 2
    assert amend.from_csv("date,country,troops\n", TODAY)[1][0].startswith("The header is not a data file's")


def test_record_export_round_trip_is_the_same_record_and_never_doubles_a_change(rec, tmp_path):
    label = "Main US convoy leaves Qasrak"
    for change in (_new(), _correction(label, label="US convoy leaves Qasrak")):
        p = rec.propose(ALICE, change, NOW, TODAY)
        rec.decide(BOB, p.thread, p.latest.id, record.APPROVED, "", NOW, TODAY)
    raws, version = rec.current()
    record.write_files(raws, tmp_path / "out")
    assert data.check_dir(tmp_path / "out", today=TODAY) == []
    shipped, _ = data.read_dir(tmp_path / "out")
    assert data.record_version(shipped) == version
    again = record.Record(rec.db, shipped=shipped)  # a maintainer shipped it: the approvals are recognised
    assert again.current()[1] == version
    assert len(again.dataset().corrections) == len(rec.dataset().corrections)


def test_an_approval_waits_a_bounded_time_for_one_in_flight_then_says_so(pg_cluster, monkeypatch):
    """Another approval holds the record's lock (PostgreSQL): the wait ends after the setting's seconds
    with plain words, and nothing is written."""
    from sqlalchemy import text

    pg_cluster.reset()
    one = record.Record(database.Database(pg_cluster.url))
    p = one.propose(ALICE, _new(), NOW, TODAY)
    monkeypatch.setenv(record.LOCK_WAIT_ENV, "0.3")
    with one.db.engine.begin() as holder:
        holder.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": record._LOCK_KEY})
        with pytest.raises(record.RecordError) as err:
            one.decide(BOB, p.thread, p.latest.id, record.APPROVED, "", NOW, TODAY)
    assert str(err.value) == (
        "Another decision was being recorded and did not finish within 0.3 s. Nothing was changed: the proposal is "
        "as it was. Try again in a moment."
    )
    assert one.proposal(p.thread).state == record.OPEN
    one.decide(BOB, p.thread, p.latest.id, record.APPROVED, "", NOW, TODAY)  # once the lock is free
    assert one.proposal(p.thread).state == record.APPROVED
    one.db.engine.dispose()


def test_the_feed_is_updated_when_an_approval_is_made_and_says_a_self_review(tmp_path):
    """A figure published on 30 Nov, approved on 2 Dec at 09:00 by the laptop's one analyst: the feed's
    <updated> is the approval's time (it stayed at the source's day), and its entry says self-reviewed."""
    import feedparser

    from force_posture.publish import api

    one = record.Record(database.Database(f"sqlite:///{tmp_path}/record.sqlite3"))
    me = record.Analyst(database.LOCAL_USER, editor=True, local=True)
    p = one.propose(me, _new(), NOW, TODAY)
    one.decide(me, p.thread, p.latest.id, record.APPROVED, "", NOW, TODAY)
    feed = feedparser.parse(api.atom(one.dataset(), TODAY))
    assert feed.feed.updated == "2026-12-02T09:00:00Z"
    (entry,) = [e for e in feed.entries if "fewer than 900" in e.title]
    assert (entry.updated, feed.entries[0].id) == ("2026-12-02T09:00:00Z", entry.id)  # new when approved: on top
    assert (
        f"Proposed by {database.LOCAL_USER}, approved by {database.LOCAL_USER} (self-reviewed: no second analyst on "
        "that server): A new figure" in entry.summary
    )
    assert one.decisions()["self_reviewed"].tolist() == [True]
    one.db.engine.dispose()


def test_the_corrections_table_names_who_approved_a_correction_and_when(rec):
    from force_posture.core import tables

    fix = rec.propose(ALICE, _correction("Main US convoy leaves Qasrak", label="US convoy leaves Qasrak"), NOW, TODAY)
    later = NOW + dt.timedelta(hours=3, minutes=5)
    rec.decide(BOB, fix.thread, fix.latest.id, record.APPROVED, "", later, TODAY)
    ds = rec.dataset()
    table = tables.corrections_table(ds.corrections, ds.approvals)
    row = table[table["new"] == "US convoy leaves Qasrak"].iloc[0]
    assert (row["corrected"], row["approved in the app"]) == (
        dt.date(2026, 12, 1),  # the source's day
        "bob, 2026-12-02 12:05 UTC; proposed by alice",  # the approval's
    )
    assert set(table[table["new"] != "US convoy leaves Qasrak"]["approved in the app"]) == {""}  # shipped ones


def test_the_points_and_milestones_tables_name_who_approved_a_new_row_and_the_row_keeps_the_quote(rec):
    from force_posture.core import tables

    quiet = amend.Change(
        amend.NEW,
        data.MILESTONES_FILE,
        quote="  US forces completed the handover of the base  ",
        reason="A new event",
        row={
            "date": "2026-11-28",
            "country": "Iraq",
            "kind": "event",
            "label": "Handover of the base",
            "detail": "",
            "value": "",
            "source": "Reuters",
            "url": "https://www.reuters.com/world/y",
            "published": "2026-11-29",
        },
    )
    for change, at in ((_new(), NOW), (quiet, NOW + dt.timedelta(minutes=7))):
        p = rec.propose(ALICE, change, at, TODAY)
        rec.decide(CAROL, p.thread, p.latest.id, record.APPROVED, "", at, TODAY)
    ds = rec.dataset()
    points = tables.points_table(ds.levels, ds.approvals)
    new = points[points["date"] == dt.date(2026, 11, 30)].iloc[0]
    assert (new["note"], new[tables.APPROVED]) == (FIGURE["note"], "carol, 2026-12-02 09:00 UTC; proposed by alice")
    assert set(points[points["date"] != dt.date(2026, 11, 30)][tables.APPROVED]) == {""}  # the shipped ones
    miles = tables.milestones_table(ds.milestones, ds.approvals)
    handover = miles[miles["label"] == "Handover of the base"].iloc[0]
    # the proposer left the detail empty: the row says what the source said, as the proposal quoted it
    assert handover["detail"] == 'The source says: "US forces completed the handover of the base"'
    assert handover[tables.APPROVED] == "carol, 2026-12-02 09:07 UTC; proposed by alice"
    assert tables.APPROVED not in tables.points_table(data.load().levels).columns  # no approvals, no column
