"""What a proposal changes as a reviewer reads it (effects.py), and the propose form and the Review
page as an analyst uses them (AppTest, on a record database of the test's own)."""

import datetime as dt
from dataclasses import replace

import pytest
from streamlit.testing.v1 import AppTest

from force_posture.core import amend, data, effects
from force_posture.store import database, live, record
from tests import rows
from tests.browser import TIMEOUT_S
from tests.conftest import ROOT

TODAY = dt.date(2026, 12, 2)
FIGURE = rows.BRIEFING


def test_a_new_latest_figure_is_the_headline_difference_a_reviewer_sees():
    raws, _ = data.read_dir()
    change = amend.Change(amend.NEW, data.LEVELS_FILE, "q", "r", row=FIGURE)
    moved = effects.differences(data.from_frames(raws), data.from_frames(amend.apply(raws, change)), change, TODAY)
    assert moved.to_dict("records") == [
        {
            "country": "Syria",
            "figure": "Latest figure",
            "now": "about 900 to about 1,000 on 23 Feb 2026 (reported)",
            "if approved": "fewer than 900 on 30 Nov 2026 (acknowledged)",
        }
    ]
    assert effects.affected(change) == ("Syria",)


@pytest.fixture
def own_record(tmp_path, monkeypatch):
    """A record database of this test's own, read by a live record of its own (refreshed by hand)."""
    url = f"sqlite:///{tmp_path}/record.sqlite3"
    monkeypatch.setenv(database.DATABASE_ENV, url)
    monkeypatch.setattr(live, "_shared", live.Live(url=url, interval=3600))
    return record.shared(url)


def _page(path: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=TIMEOUT_S)
    at.switch_page(path)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _fill_figure(at: AppTest, quote: str) -> None:
    fields = (("Troops (a", "900"), ("Source (who", FIGURE["source"]), ("Link to the source", FIGURE["url"]))
    for label, value in fields:
        next(t for t in at.text_input if t.label.startswith(label)).input(value)
    next(t for t in at.text_area if t.label.startswith("Note")).input(FIGURE["note"])
    next(d for d in at.date_input if d.label == "Date the figure is for").set_value(dt.date(2026, 11, 30))
    next(d for d in at.date_input if d.label.startswith("Published")).set_value(dt.date(2026, 11, 30))
    next(s for s in at.selectbox if s.label == "How the source puts the figure").select("fewer_than")
    next(s for s in at.selectbox if s.label == "Basis").select("acknowledged")
    next(s for s in at.selectbox if s.label == "How it is corroborated").select("official")
    next(t for t in at.text_area if t.label.startswith("Quote")).input(quote)
    next(t for t in at.text_area if t.label.startswith("Reason")).input("A new Pentagon figure")


def test_propose_a_figure_on_the_sources_page_then_review_and_approve_it(own_record):
    at = _page("pages/sources.py")
    assert any("This is record version" in c.value for c in at.caption)
    _fill_figure(at, quote="")
    next(b for b in at.button if b.label == "Propose").click().run()
    assert "Nothing was proposed" in at.error[0].value
    assert "quote: is empty; copy the words of the source that support this change." in [t.value for t in at.text]
    assert own_record.proposals() == []
    next(t for t in at.text_area if t.label.startswith("Quote")).input("fewer than 900 US troops")
    next(b for b in at.button if b.label == "Propose").click().run()
    assert not at.exception and at.success[0].value.startswith("Proposed #1: an editor reviews it")
    # the form is cleared for the next proposal: no quote or reason carries over
    assert next(t for t in at.text_area if t.label.startswith("Quote")).value == ""
    assert next(t for t in at.text_area if t.label.startswith("Reason")).value == ""
    assert next(t for t in at.text_input if t.label.startswith("Troops (a")).value == ""
    # the one analyst of a laptop reviews it: self-reviewed, in the record at once
    at = _page("pages/review.py")
    assert "Waiting for review (1)" in [s.value for s in at.subheader]
    texts = " ".join(t.value for t in at.text)
    assert "#1 · round 1 · open · New troop-level figure: Syria, 2026-11-30, fewer than 900 (acknowledged)" in texts
    assert "Quote: fewer than 900 US troops" in texts
    assert any("approval is marked self-reviewed" in c.value for c in at.caption)
    record_it = next(b for b in at.button if b.label == "Record the decision")
    assert record_it.disabled and at.radio[0].value is None  # nothing is preselected
    at.radio[0].set_value(record.APPROVED).run()
    next(b for b in at.button if b.label == "Record the decision").click().run()
    assert not at.exception
    version = own_record.current()[1]
    assert at.success[0].value == f"Proposal #1 is approved: the record is now version {version}."
    assert own_record.proposal(1).latest.self_reviewed
    live.shared().refresh()  # what the replica's thread does within a second
    syria = _page("pages/syria.py")
    assert syria.metric[0].value == "fewer than 900"


def test_a_bulk_file_with_a_bad_row_proposes_nothing_and_says_which_row(own_record):
    header = ",".join(data.LEVEL_COLUMNS) + ",quote,reason\n"
    good = ",".join(FIGURE[c] for c in data.LEVEL_COLUMNS) + ",fewer than 900,New briefing\n"
    changes, problems = amend.from_csv(header + good + good.replace(",900,", ",lots,"), TODAY)
    assert problems == []
    with pytest.raises(record.RecordError) as err:
        own_record.propose_many(record.Analyst("alice", False), changes, dt.datetime.now(dt.UTC), TODAY)
    assert err.value.problems == [
        "row 3: troops: 'lots' is not a whole number of troops (write 2000, not 2,000 or ~2000)."
    ]
    at = _page("pages/review.py")
    assert (
        "Waiting for review (0)" in [s.value for s in at.subheader] and at.info[0].value == "Nothing waits for review."
    )


def test_a_proposal_in_conflict_is_brought_up_to_date_from_the_review_page(own_record):
    raws, _ = data.read_dir()
    row = next(r for r in raws[data.MILESTONES_FILE].to_dict("records") if r["label"] == "Main US convoy leaves Qasrak")
    me, now = record.Analyst(database.LOCAL_USER, editor=True, local=True), dt.datetime.now(dt.UTC)

    def fix(**columns):
        return amend.Change(
            amend.CORRECTION,
            data.MILESTONES_FILE,
            quote="q",
            reason="r",
            row=columns,
            target=row,
            source="Reuters",
            url="https://www.reuters.com/x",
            published="2026-12-01",
        )

    first = own_record.propose(me, fix(label="US convoy leaves Qasrak"), now, TODAY)
    mine = own_record.propose(me, fix(detail="The main convoy left on Feb 23."), now, TODAY)
    own_record.decide(me, first.thread, first.latest.id, record.APPROVED, "", now, TODAY)
    live.shared().refresh()
    at = _page("pages/review.py")
    assert f"#{mine.thread} is in conflict: the row it is about has changed since you wrote it." in [
        w.value for w in at.warning
    ]
    next(b for b in at.button if b.label.startswith(f"Bring #{mine.thread} up to date")).click().run()
    assert not at.exception and at.success[0].value == f"#{mine.thread} is up to date (round 2)."
    assert own_record.proposal(mine.thread).latest.change.target["label"] == "US convoy leaves Qasrak"


def test_every_kind_of_proposal_has_its_form_and_a_correction_needs_its_own_source(own_record):
    at = _page("pages/sources.py")
    kinds = next(s for s in at.selectbox if s.label == "What do you propose?")
    for kind in kinds.options:  # a milestone's own "kind" column once clashed with this selector's key
        next(s for s in at.selectbox if s.label == "What do you propose?").select(kind).run()
        assert not at.exception, (kind, [e.value for e in at.exception])
    next(s for s in at.selectbox if s.label == "What do you propose?").select(
        "Correction of a figure or milestone"
    ).run()
    assert [s.label for s in at.selectbox][1:3] == ["The row", "Column to correct"]
    should = next(t for t in at.text_area if t.label.startswith("It should say"))
    assert should.value == "900"  # the newest troop figure's troops, as the row says now
    should.input("800")
    next(t for t in at.text_area if t.label.startswith("Quote")).input("fewer than 800")
    next(t for t in at.text_area if t.label.startswith("Reason")).input("A newer briefing")
    next(b for b in at.button if b.label == "Propose").click().run()
    assert at.error[0].value.startswith("Nothing was proposed")
    assert at.text[-1].value == (
        "source: is empty; name the source that says the row is wrong.\n"
        "url: '' is not a web address; a proposal needs a source URL starting with http:// or https://."
    )
    assert own_record.proposals() == []


def test_a_decision_lands_only_on_the_round_the_editor_opened(own_record):
    """Round 2 written while the editor reads round 1: the page keeps round 1 and says so, the decision on
    it is refused with the record's sentence, and the page then shows round 2 with the reason kept and
    no decision chosen; the editor's chosen decision is never changed by a rerun."""
    me, now = record.Analyst(database.LOCAL_USER, editor=True, local=True), dt.datetime.now(dt.UTC)
    first = own_record.propose(
        me, amend.Change(amend.NEW, data.LEVELS_FILE, "fewer than 900", "r", row=FIGURE), now, TODAY
    )
    at = _page("pages/review.py")
    assert at.text[1].value.startswith(f"#{first.thread} · round 1 · open · New troop-level figure")
    at.radio[0].set_value(record.REJECTED).run()
    next(t for t in at.text_area if t.label.startswith("Reason")).input("The briefing said 850, not 900.").run()
    fixed = amend.Change(amend.NEW, data.LEVELS_FILE, "fewer than 850", "r", row=dict(FIGURE, troops="850"))
    own_record.resubmit(me, first.thread, fixed, now, TODAY)
    at.run()  # what the page's watch does when a round is written on any replica
    assert at.radio[0].value == record.REJECTED
    assert at.text[1].value.startswith(f"#{first.thread} · round 1 · open")
    assert at.warning[0].value.startswith(f"{database.LOCAL_USER} wrote round 2 at ")
    assert at.warning[0].value.endswith("Below is round 1, as you saw it: a decision on it will be refused.")
    assert [b.label for b in at.button if b.label.startswith("Review round")] == ["Review round 2"]
    next(b for b in at.button if b.label == "Record the decision").click().run()
    assert at.error[0].value == "The decision was not recorded; the proposal is as it was."
    assert at.text[1].value == (
        f"Proposal #{first.thread} has changed since you opened it (round 2 is the newest); review it again."
    )
    assert at.text[2].value.startswith(
        f"#{first.thread} · round 2 · open · New troop-level figure: Syria, 2026-11-30, fewer than 850"
    )
    assert at.radio[0].value is None and not at.success
    assert next(t for t in at.text_area if t.label.startswith("Reason")).value == "The briefing said 850, not 900."
    history = next(t.value for t in at.text if t.value.startswith("Round 1,"))
    assert "Changed from round 1: quote 'fewer than 900' to 'fewer than 850'; troops '900' to '850'" in history
    assert [r.decision for r in own_record.proposal(first.thread).rounds] == [None, None]
    # a third round while round 2 is open: the editor asks for it without deciding
    at.radio[0].set_value(record.CHANGES).run()
    own_record.resubmit(me, first.thread, replace(fixed, reason="r3"), now, TODAY)
    at.run()
    assert at.radio[0].value == record.CHANGES
    next(b for b in at.button if b.label == "Review round 3").click().run()
    assert at.text[1].value.startswith(f"#{first.thread} · round 3 · open")
    assert at.radio[0].value is None and not at.warning
    assert own_record.proposal(first.thread).state == record.OPEN


def test_a_decision_on_a_round_replaced_after_the_click_is_refused_and_the_new_round_shown(own_record, monkeypatch):
    """The race itself: the new round lands between the page's last run and the editor's click."""
    me, now = record.Analyst(database.LOCAL_USER, editor=True, local=True), dt.datetime.now(dt.UTC)
    first = own_record.propose(
        me, amend.Change(amend.NEW, data.LEVELS_FILE, "fewer than 900", "r", row=FIGURE), now, TODAY
    )
    at = _page("pages/review.py")
    at.radio[0].set_value(record.REJECTED).run()
    next(t for t in at.text_area if t.label.startswith("Reason")).input("Not what the briefing said.").run()
    fixed = amend.Change(amend.NEW, data.LEVELS_FILE, "fewer than 850", "r", row=dict(FIGURE, troops="850"))
    decide = record.Record.decide

    def resubmitted_first(self, *args, **kwargs):  # alice's click on her replica lands a moment before bob's
        own_record.resubmit(me, first.thread, fixed, now, TODAY)
        return decide(self, *args, **kwargs)

    monkeypatch.setattr(record.Record, "decide", resubmitted_first)
    next(b for b in at.button if b.label == "Record the decision").click().run()
    assert not at.exception
    assert at.error[0].value == "The decision was not recorded; the proposal is as it was."
    assert at.text[1].value == (
        f"Proposal #{first.thread} has changed since you opened it (round 2 is the newest); review it again."
    )
    assert at.text[2].value.startswith(f"#{first.thread} · round 2 · open · New troop-level figure")
    assert at.radio[0].value is None and not at.success
    assert next(t for t in at.text_area if t.label.startswith("Reason")).value == "Not what the briefing said."
    assert own_record.proposal(first.thread).state == record.OPEN
    assert [r.decision for r in own_record.proposal(first.thread).rounds] == [None, None]


def test_a_correction_follows_the_file_row_and_column_chosen_and_keeps_what_was_typed(own_record):
    """Choosing milestones moves the row list, the column and 'It should say' at once (they sat inside a
    form and stayed on troop figures); the quote typed before stays."""
    at = _page("pages/sources.py")
    next(s for s in at.selectbox if s.label == "What do you propose?").select(
        "Correction of a figure or milestone"
    ).run()
    next(t for t in at.text_area if t.label.startswith("Quote")).input("The convoy left on 23 Feb.").run()
    next(r for r in at.radio if r.label == "Which file").set_value(data.MILESTONES_FILE).run()
    raws, _ = data.read_dir()
    newest = raws[data.MILESTONES_FILE].to_dict("records")[-1]
    row = next(s for s in at.selectbox if s.label == "The row")
    assert row.format_func(row.value) == f"{newest['country']}, {newest['date']}, {newest['kind']} '{newest['label']}'"
    column = next(s for s in at.selectbox if s.label == "Column to correct")
    assert column.options[:2] == ["Kind of milestone", "Label on the chart (at most 39 characters)"]
    assert next(s for s in at.selectbox if s.label.startswith("It should say")).value == newest["kind"]
    column.select("Detail (what happened, and who says so)").run()
    should = next(t for t in at.text_area if t.label.startswith("It should say"))
    assert should.value == newest["detail"]
    whole = next(t.value for t in at.text if t.value.startswith("The row as it reads now:"))
    assert f"  label: {newest['label']}" in whole.splitlines()
    assert next(t for t in at.text_area if t.label.startswith("Quote")).value == "The convoy left on 23 Feb."
    # a retraction picks its row the same way and shows it whole
    next(s for s in at.selectbox if s.label == "What do you propose?").select(
        "Retraction of a figure or milestone"
    ).run()
    assert not at.exception
    assert any(t.value.startswith("The row as it reads now:") for t in at.text)
    assert [s.label for s in at.selectbox][1:2] == ["The row"]


def test_the_form_warns_before_submit_and_the_record_refuses_an_implausible_figure(own_record):
    at = _page("pages/sources.py")
    next(s for s in at.selectbox if s.label == "What do you propose?").select("New milestone").run()
    assert not [t for t in at.text_input if t.label.startswith("Troop level of the target")]
    next(s for s in at.selectbox if s.label == "Kind of milestone").select("target").run()
    assert "A target needs its troop level" in " ".join(c.value for c in at.caption)
    assert [t.label for t in at.text_input if t.label.startswith("Troop level")] == [
        "Troop level of the target (a whole number)"
    ]
    next(s for s in at.selectbox if s.label == "Kind of milestone").select("deadline").run()
    next(d for d in at.date_input if d.label.startswith("Date of the event")).set_value(dt.date(2026, 1, 15)).run()
    next(d for d in at.date_input if d.label.startswith("Published")).set_value(dt.date(2026, 3, 2)).run()
    assert [w.value for w in at.warning] == [
        "The deadline, 15 Jan 2026, is before the day its source published it (2 Mar 2026): a deadline lies ahead "
        "of its announcement. Check both days."
    ]
    label = next(t for t in at.text_input if t.label.startswith("Label on the chart"))
    assert label.max_chars == data.LABEL_MAX - 1
    # a troop figure beyond any level in history is refused, naming the largest plausible figure
    huge = amend.Change(amend.NEW, data.LEVELS_FILE, "q", "r", row=dict(FIGURE, troops="99999999"))
    with pytest.raises(record.RecordError) as err:
        own_record.propose(record.Analyst("alice", False), huge, dt.datetime.now(dt.UTC), TODAY)
    assert err.value.problems == [
        "troops: 99,999,999 is over 500,000, the largest level taken as plausible (the US peak in Iraq was about "
        "170,000 in 2007); check for a typo."
    ]


def test_the_reviewers_charts_open_around_the_change_and_mark_it():
    from force_posture.core import view
    from force_posture.plot import charts

    change = amend.Change(amend.NEW, data.LEVELS_FILE, "q", "r", row=FIGURE)
    assert effects.window(change) == view.View(from_="2025-11", to="2027-06")
    raws, _ = data.read_dir()
    ds = data.from_frames(amend.apply(raws, change))
    spec = charts.ChartSpec(today=TODAY, countries=("Syria",), view=effects.window(change), width=600, height=460)
    scope = charts.scope_for(ds, spec)
    traces, shapes, notes = effects.marks(change, scope, after=True)
    assert [(t["x"], t["y"], t["marker"]["symbol"]) for t in traces] == [
        ([dt.date(2026, 11, 30)], [900], "circle-open")
    ]
    assert [(s["x0"], s["line"]["dash"]) for s in shapes] == [(dt.date(2026, 11, 30), "dot")]
    # its day is in the span's right half: the label goes to the line's left, inside the plot
    assert [(n["text"], n["xanchor"]) for n in notes] == [("The change: new", "right")]
    traces, _, notes = effects.marks(change, scope, after=False)  # not there yet: a line, no ring
    assert traces == [] and [n["text"] for n in notes] == ["The change: proposed here"]
    assert (scope.start, scope.end) == (dt.date(2025, 11, 1), dt.date(2027, 7, 1))  # the change in the middle
    gone = amend.Change(
        amend.RETRACTION,
        data.LEVELS_FILE,
        "q",
        "r",
        target=raws[data.LEVELS_FILE].iloc[-1].to_dict(),
        source="s",
        url="https://x.org",
        published="2026-12-01",
    )
    row = gone.target
    # gone once approved: struck through where it stood (a circle with a cross), and named
    assert [(t["x"], t["y"], t["marker"]["symbol"]) for t in effects.marks(gone, scope, after=True)[0]] == [
        ([dt.date.fromisoformat(row["date"])], [int(row["troops"])], "circle-x-open")
    ]
    assert effects.marks(gone, scope, after=False)[0][0]["marker"]["symbol"] == "circle-open"  # ringed while there
    assert effects.marks(gone, scope, after=True)[2][0]["text"] == "The change: retracted"


def test_two_open_proposals_on_one_row_are_read_side_by_side_by_the_editor(own_record):
    """alice corrects the newest Syria figure, carol retracts it: whichever the editor opens, both are on
    the page, each with what it changes, in columns of their own."""
    raws, _ = data.read_dir()
    row = raws[data.LEVELS_FILE].iloc[-1].to_dict()
    sourced = dict(source="Reuters", url="https://www.reuters.com/world/z", published="2026-12-01")
    now, alice, carol = dt.datetime.now(dt.UTC), record.Analyst("alice", False), record.Analyst("carol", False)
    fix = own_record.propose(
        alice,
        amend.Change(amend.CORRECTION, data.LEVELS_FILE, "q", "r", row={"troops": "950"}, target=row, **sourced),
        now,
        TODAY,
    )
    gone = own_record.propose(
        carol, amend.Change(amend.RETRACTION, data.LEVELS_FILE, "q", "r", target=row, **sourced), now, TODAY
    )
    at = _page("pages/review.py")
    assert at.info[0].value == "2 proposals are open on this row: each is shown below, side by side on a wide screen."
    texts = [t.value for t in at.text]
    assert at.text[1].value.startswith(f"#{gone.thread} · round 1 · open · Retraction")  # the newest, opened first
    assert (
        f"#{fix.thread} by alice\nWhat the correction changes: [-removed-] {{+added+}}\n"
        f"troops: [-{row['troops']}-] {{+950+}}" in texts
    )
    assert any(
        t.startswith(f"#{gone.thread} by carol (this one)\nThe row it retracts:\n  date: {row['date']}") for t in texts
    )
    assert len(at.columns) >= 2


def test_a_page_shown_as_on_an_earlier_day_leaves_out_what_was_approved_after_it(own_record):
    """?shown=YYYY-MM-DD: the record version the dashboard showed at the end of that day, whatever the
    approved figure's own publication day (?known= follows that day, and would include it)."""
    today = dt.date.today()
    approved_at = dt.datetime.combine(today - dt.timedelta(days=1), dt.time(9), tzinfo=dt.UTC)
    figure = dict(FIGURE, date=f"{today - dt.timedelta(days=3)}", published=f"{today - dt.timedelta(days=3)}")
    p = own_record.propose(
        record.Analyst("alice", False),
        amend.Change(amend.NEW, data.LEVELS_FILE, "fewer than 900", "r", row=figure),
        approved_at,
        today,
    )
    own_record.decide(record.Analyst("bob", True), p.thread, p.latest.id, record.APPROVED, "", approved_at, today)
    live.shared().refresh()

    def latest(**query) -> tuple[str, list[str]]:
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=TIMEOUT_S)
        at.switch_page("pages/syria.py")
        at.query_params.update(query)
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        metric = next(m for m in at.metric if m.label.startswith("Syria: latest sourced figure"))
        return metric.value, [i.value for i in at.info]

    assert latest()[0] == "fewer than 900"
    before, infos = latest(shown=f"{today - dt.timedelta(days=2)}")
    assert before != "fewer than 900"
    version = own_record.version_on(dt.datetime.combine(today - dt.timedelta(days=2), dt.time.max, tzinfo=dt.UTC))
    assert version == own_record.shipped_version
    assert any(
        i.startswith(
            f"Record as this dashboard showed it on {data.fmt_day(today - dt.timedelta(days=2))} "
            f"(record version {version})"
        )
        for i in infos
    )
    assert latest(shown=f"{today - dt.timedelta(days=1)}")[0] == "fewer than 900"  # approved that morning
    sources = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=TIMEOUT_S)
    sources.switch_page("pages/sources.py")
    sources.query_params["shown"] = f"{today - dt.timedelta(days=2)}"
    sources.run()
    assert sources.info[0].value.startswith("Record as this dashboard showed it on ")  # the Sources page says so
    assert f"{len(data.load().levels)} data points" in " ".join(c.value for c in sources.caption)
    assert latest(known=f"{today - dt.timedelta(days=2)}")[0] == "fewer than 900"  # its source's day came before


def test_the_sources_page_shows_each_watched_source_its_last_read_and_since_when_it_fails(own_record):
    from force_posture.store import watched

    store = watched.Watched(own_record.db)
    at_ = dt.datetime(2026, 12, 5, 9, 0, tzinfo=dt.UTC)
    read = watched.Read("Pentagon releases", "https://www.war.gov/x", at_, at_, watched.READ, 200, items=20)
    store.keep(read, [("https://www.war.gov/News/1/", "one", None)], [])
    failed = watched.Read(
        "CENTCOM statements",
        "https://www.centcom.mil/x",
        at_,
        at_,
        watched.FAILED,
        403,
        error="the source answered HTTP 403 Forbidden.",
    )
    store.keep(failed, [], [])
    at = _page("pages/sources.py")
    assert "Watched sources" in [s.value for s in at.subheader]
    assert any(c.value.startswith("Sources last checked: 5 Dec 2026 09:00 UTC; 1 failing.") for c in at.caption)
    shown = next(d.value for d in at.dataframe if "failing since" in d.value.columns).set_index("source")
    assert shown.loc["Pentagon releases", "last new item"] == "5 Dec 2026 09:00 UTC"
    assert shown.loc["CENTCOM statements", "failing since"] == "5 Dec 2026 09:00 UTC"
    assert shown.loc["CENTCOM statements", "error"] == "the source answered HTTP 403 Forbidden."
    assert shown.loc["GDELT press search", "next read"] == "at the next run"


def _lead(store, link="https://news.example/story", official=False):
    from force_posture.store import watched

    at_ = dt.datetime(2026, 12, 5, 9, 0, tzinfo=dt.UTC)
    found = watched.Found(
        "Syria",
        800,
        None,
        None,
        "about",
        dt.date(2026, 12, 4),
        link,
        "US troops in Syria",
        "Officials said about 800 US troops remain in Syria.",
        "about 800 US troops",
        official,
    )
    store.keep(watched.Read("Press", "https://news.example/feed", at_, at_, watched.READ, 200), [], [found])


def test_a_lead_becomes_a_proposal_from_the_form_it_fills_and_is_kept_as_proposed(own_record):
    from force_posture.store import watched

    store = watched.Watched(own_record.db)
    _lead(store)
    at = _page("pages/review.py")
    assert "Leads (1 new)" in [s.value for s in at.subheader]
    assert at.expander[-1].label == "Syria: about 800 · 4 Dec 2026 · 1 outlet"
    assert "Officials said ⟦about 800 US troops⟧ remain in Syria." in [t.value for t in at.text]
    next(t for t in at.toggle if t.label == "Propose this figure").set_value(True).run()
    assert next(t for t in at.text_input if t.label.startswith("Troops (a")).value == "800"
    assert next(s for s in at.selectbox if s.label == "How it is corroborated").value == "single"
    assert next(s for s in at.selectbox if s.label == "Basis").value == "reported"
    assert next(t for t in at.text_area if t.label.startswith("Quote")).value.startswith("Officials said about 800")
    next(b for b in at.button if b.label == "Propose").click().run()
    assert not at.exception, [e.value for e in at.exception]
    (proposal,) = own_record.proposals(state="")
    assert f"Proposed #{proposal.thread}: an editor reviews it on the Review page." in [s.value for s in at.success]
    row = proposal.latest.change.row
    assert (row["troops"], row["qualifier"], row["corroboration"], row["date"]) == (
        "800",
        "about",
        "single",
        "2026-12-04",
    )
    assert row["url"] == "https://news.example/story" and row["source"] == "news.example: US troops in Syria"
    (lead,) = store.leads()
    assert (lead.decision["decision"], lead.decision["thread"]) == ("proposed", proposal.thread)
    assert "Leads (0 new)" in [s.value for s in at.run().subheader]


def test_a_lead_is_dismissed_only_with_a_reason(own_record):
    from force_posture.store import watched

    store = watched.Watched(own_record.db)
    _lead(store)
    at = _page("pages/review.py")
    next(b for b in at.button if b.label == "Dismiss").click().run()
    assert any("Say why the lead is dismissed" in t.value for t in at.text)
    next(t for t in at.text_input if t.label == "Why dismiss it").input("not about US troops").run()
    next(b for b in at.button if b.label == "Dismiss").click().run()
    (lead,) = store.leads()
    assert (lead.decision["decision"], lead.decision["reason"]) == ("dismissed", "not about US troops")
    assert "Leads (0 new)" in [s.value for s in at.subheader]
    assert all("Syria: about 800" not in e.label for e in at.expander)


def test_an_editors_check_now_reads_every_watched_source_in_a_process_of_its_own(own_record, tmp_path, monkeypatch):
    """The button starts `force-posture watch run --now` beside the page; its read lands in the database
    (here: a list of one source on a closed port of this machine, so it fails, in words)."""
    from force_posture.store import watched
    from force_posture.ui import leads
    from tests.browser import free_port

    own = tmp_path / "watched.csv"
    own.write_text(
        "name,kind,url,countries,every_minutes,official,documented_at\n"
        f"Closed,rss,http://127.0.0.1:{free_port()}/feed.xml,Syria,60,no,\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("FORCE_POSTURE_WATCH_FILE", str(own))
    at = _page("pages/review.py")
    next(b for b in at.button if b.label == "Check the watched sources now").click().run()
    assert any(i.value.startswith("Reading every watched source now, in the background") for i in at.info)
    leads._checking["run"].wait(60)
    store = watched.Watched(own_record.db)
    (state,) = store.status([("Closed", dt.timedelta(hours=1))])
    assert state.failing_since is not None and state.error.startswith("could not be read: ConnectError")


def test_editors_see_a_source_failing_for_a_day_with_its_error_as_plain_text(own_record):
    from force_posture.store import watched

    store = watched.Watched(own_record.db)
    then = dt.datetime.now(dt.UTC) - dt.timedelta(days=2)
    error = "the source answered HTTP 503 [Busy](https://evil.example)."  # a publisher's words: never Markdown
    store.keep(
        watched.Read("Pentagon releases", "https://www.war.gov/x", then, then, watched.FAILED, error=error), [], []
    )
    at = _page("pages/review.py")
    assert any(w.value.startswith("Watched sources failing for a day or more") for w in at.warning)
    assert any(t.value.startswith("Pentagon releases, since ") and t.value.endswith(error) for t in at.text)
