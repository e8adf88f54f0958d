"""Changes to the record as data: described, checked by the record's rules, applied, recognised."""

import datetime as dt

from force_posture.core import amend, data

TODAY = dt.date(2026, 12, 2)
RAWS, _ = data.read_dir()
QASRAK = next(r for r in RAWS[data.MILESTONES_FILE].to_dict("records") if r["label"] == "Main US convoy leaves Qasrak")


def _fix(**over) -> amend.Change:
    base = dict(
        kind=amend.CORRECTION,
        file=data.MILESTONES_FILE,
        quote="q",
        reason="r",
        row={"label": "Convoy"},
        target=QASRAK,
        source="Reuters",
        url="https://www.reuters.com/x",
        published="2026-12-01",
    )
    return amend.Change(**{**base, **over})


def test_a_change_is_said_in_words():
    row = dict.fromkeys(data.LEVEL_COLUMNS, "") | {
        "date": "2026-11-30",
        "country": "Syria",
        "troops": "900",
        "qualifier": "fewer_than",
        "basis": "acknowledged",
    }
    assert amend.Change(amend.NEW, data.LEVELS_FILE, "q", "r", row=row).describe() == (
        "New troop-level figure: Syria, 2026-11-30, fewer than 900 (acknowledged)"
    )
    assert _fix().describe() == (
        "Correction of the milestone Syria, 2026-02-23, event 'Main US convoy leaves Qasrak': label "
        "'Main US convoy leaves Qasrak' to 'Convoy'"
    )


def test_a_correction_names_what_it_cannot_change_and_its_own_source():
    assert amend.problems(RAWS, _fix(row={"date": "2026-02-24"}), TODAY) == [
        "date: a correction cannot change a row's date, country or published day; retract the row and propose a "
        "new one instead."
    ]
    assert amend.problems(RAWS, _fix(row={"label": "Main US convoy leaves Qasrak"}), TODAY) == [
        "label: 'Main US convoy leaves Qasrak' is what the row says already; a correction changes something."
    ]
    assert amend.problems(RAWS, _fix(url="javascript:alert(1)", source=" ", published="soon"), TODAY) == [
        "source: is empty; name the source that says the row is wrong.",
        "url: 'javascript:alert(1)' is not a web address; a proposal needs a source URL starting with http:// or "
        "https://.",
        "published: 'soon' is not a date; write the day the source said so as YYYY-MM-DD.",
    ]
    assert amend.problems(RAWS, _fix(row={"label": "x" * 45}), TODAY) == [
        f"label: '{'x' * 45}' is 45 characters; chart labels must be shorter than 40."
    ]
    assert amend.problems(RAWS, _fix(file=data.DISAGREEMENTS_FILE), TODAY) == [
        "file: a correction is made to one of troop_levels.csv, milestones.csv, not 'disagreements.csv'."
    ]


def test_applied_it_is_recognised_and_never_applied_twice():
    after = amend.apply(RAWS, _fix())
    assert amend.already_in(after, _fix()) and not amend.already_in(RAWS, _fix())
    assert amend.problems(after, _fix(), TODAY)[0].startswith("The row this correction is about")  # the row changed
    assert data.check_frames(after, TODAY) == [] and RAWS[data.MILESTONES_FILE].equals(
        data.read_dir()[0][data.MILESTONES_FILE]
    )


def test_a_correction_in_conflict_is_brought_up_to_date_with_the_row_as_it_reads_now():
    first = _fix(row={"label": "US convoy leaves Qasrak"})
    mine = _fix(row={"detail": "The main convoy left Qasrak on Feb 23."})
    after = amend.apply(RAWS, first)
    assert amend.conflict(after, mine) is not None
    fresh = amend.brought_up_to_date(after, mine)
    assert fresh.target["label"] == "US convoy leaves Qasrak" and fresh.row == mine.row
    assert amend.problems(after, fresh, TODAY) == []


def test_a_new_row_shipped_before_it_kept_its_quote_is_still_recognised_as_in_the_record():
    """A new row approved and shipped in data/ while an empty note stayed empty: approved again on a server
    that keeps the quote there, it is the same row, never added twice."""
    raws, _ = data.read_dir()
    row = {c: str(v) for c, v in raws[data.LEVELS_FILE].iloc[-1].to_dict().items()}
    shipped = dict(
        raws,
        **{data.LEVELS_FILE: raws[data.LEVELS_FILE].assign(note=lambda f: f["note"].where(f.index != f.index[-1], ""))},
    )
    change = amend.Change(amend.NEW, data.LEVELS_FILE, quote="what the source said", reason="r", row=dict(row, note=""))
    assert amend.new_row(change)["note"] == 'The source says: "what the source said"'
    assert amend.already_in(shipped, change)
