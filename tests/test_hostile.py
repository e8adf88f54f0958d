"""Hostile proposals: what a careless or malicious proposer could send through the form, the bulk file or
the API, each answered as it deserves (a plain-words refusal naming the field, or kept as inert text)."""

import datetime as dt

import pytest

from force_posture.core import amend, data
from force_posture.store import database, record
from tests import rows

TODAY = dt.date(2026, 12, 4)
NOW = dt.datetime(2026, 12, 4, 9, tzinfo=dt.UTC)
FIGURE = dict(rows.BRIEFING, note="")
EVENT = {
    "date": "2026-11-28",
    "country": "Iraq",
    "kind": "event",
    "label": "Handover",
    "detail": "",
    "value": "",
    "source": "Reuters",
    "url": "https://www.reuters.com/world/x",
    "published": "2026-11-29",
}


def figure(**row) -> amend.Change:
    return amend.Change(amend.NEW, data.LEVELS_FILE, quote="q", reason="r", row={**FIGURE, **row})


def event(**row) -> amend.Change:
    return amend.Change(amend.NEW, data.MILESTONES_FILE, quote="q", reason="r", row={**EVENT, **row})


def correction(**columns) -> amend.Change:
    raws, _ = data.read_dir()
    target = raws[data.LEVELS_FILE].iloc[-1].to_dict()
    return amend.Change(
        amend.CORRECTION,
        data.LEVELS_FILE,
        quote="q",
        reason="r",
        row=columns,
        target=target,
        source="Reuters",
        url="https://www.reuters.com/world/y",
        published="2026-12-01",
    )


HOSTILE = [
    (
        "troops in Arabic-Indic digits",
        figure(troops="٩٠٠"),
        "troops: '٩٠٠' is not a whole number of troops (write 2000, not 2,000 or ~2000).",
    ),
    (
        "troops in full-width digits",
        figure(troops="９００"),
        "troops: '９００' is not a whole number of troops (write 2000, not 2,000 or ~2000).",
    ),
    (
        "troops with a leading zero",
        figure(troops="0900"),
        "troops: '0900' is not a whole number of troops (write 2000, not 2,000 or ~2000).",
    ),
    ("troops signed", figure(troops="+900"), "troops: '+900' is not a whole number of troops"),
    (
        "troops far beyond history",
        figure(troops="99999999"),
        "troops: 99,999,999 is over 500,000, the largest level taken as plausible",
    ),
    (
        "a date before the record",
        figure(date="0001-01-01", published="0001-01-02"),
        "date: 0001-01-01 is before 2003, where the record starts; check the year.",
    ),
    ("an impossible day", figure(date="2026-02-30"), "date: '2026-02-30' is not a date; write it as YYYY-MM-DD."),
    (
        "published tomorrow",
        figure(published="2026-12-05"),
        "published: 2026-12-05 is in the future (today is 2026-12-04); a row goes in once it is public.",
    ),
    (
        "a loopback address",
        figure(url="http://127.0.0.1:8501/api/table/troop_levels.json"),
        "url: 'http://127.0.0.1:8501/api/table/troop_levels.json' points to a local or private address, which no "
        "reader can open; give the public one.",
    ),
    ("a private network address", figure(url="https://10.0.0.8/brief"), "points to a local or private address"),
    ("localhost by name", figure(url="http://localhost/x"), "points to a local or private address"),
    (
        "a user name hiding the host",
        figure(url="https://www.defense.gov@evil.example/x"),
        "url: 'https://www.defense.gov@evil.example/x' names a user before '@'; give the source's own address, as its "
        "site shows it.",
    ),
    ("a script address", figure(url="javascript:alert(1)"), "url: 'javascript:alert(1)' is not a web address"),
    ("a data address", figure(url="data:text/html,<b>x</b>"), "is not a web address"),
    (
        "a spreadsheet formula as source",
        figure(source='=HYPERLINK("http://evil.example","Reuters")'),
        "source: starts with '=', which a spreadsheet runs as a formula; start with a word or a number.",
    ),
    ("a formula behind @", event(label="@SUM(1+1)"), "label: starts with '@', which a spreadsheet runs as a formula"),
    (
        "a right-to-left override",
        figure(note="Pentagon said 009\u202e"),
        "note: holds an invisible character (U+202E, right-to-left override) after 'Pentagon said 009'; delete it: "
        "it can hide or reorder what the text shows.",
    ),
    (
        "a zero-width space in a source",
        figure(source="Reu\u200bters"),
        "source: holds an invisible character (U+200B, zero width space) after 'Reu'",
    ),
    ("a NUL byte", figure(note="a\x00b"), "note: holds a control character (U+0000) after 'a'; write plain text."),
    (
        "a label on two lines",
        event(label="Handover\nof the base"),
        "label: runs over more than one line; write it on one line.",
    ),
    ("a 40-character label", event(label="x" * 40), "chart labels must be shorter than 40"),
    ("a target without its level", event(kind="target"), "value: '' is not a whole number; a target needs its troop"),
    (
        "a quote of blanks",
        amend.Change(amend.NEW, data.LEVELS_FILE, quote=" \n ", reason="r", row=FIGURE),
        "quote: is empty; copy the words of the source that support this change.",
    ),
    (
        "a reason past the limit",
        amend.Change(amend.NEW, data.LEVELS_FILE, quote="q", reason="x" * 5000, row=FIGURE),
        "reason: is 5,000 characters; at most 4,000.",
    ),
    ("a column the file has not", figure(admin="1"), "admin: not a column of troop_levels.csv."),
    (
        "a path for a file",
        amend.Change(amend.NEW, "../../etc/passwd", quote="q", reason="r", row=FIGURE),
        "file: a new row goes in one of troop_levels.csv, milestones.csv, disagreements.csv, not '../../etc/passwd'.",
    ),
    (
        "a kind that deletes",
        amend.Change("delete", data.LEVELS_FILE, quote="q", reason="r", row=FIGURE),
        "kind: 'delete' is not one of new, correction, retraction.",
    ),
    ("a correction of a column the file has not", correction(admin="1"), "admin: not a column of troop_levels.csv."),
    (
        "a correction that moves the date",
        correction(date="2026-01-01"),
        "date: a correction cannot change a row's date, country or published day",
    ),
    (
        "a correction to a bidi-reversed figure",
        correction(note="\u2067900\u2069"),
        "note: holds an invisible character (U+2067, right-to-left isolate) after ''",
    ),
]


@pytest.mark.parametrize(("change", "says"), [(c, s) for _, c, s in HOSTILE], ids=[n for n, _, _ in HOSTILE])
def test_a_hostile_proposal_is_refused_in_plain_words_naming_its_field(change, says):
    raws, _ = data.read_dir()
    found = amend.problems(raws, change, TODAY)
    assert any(says in p for p in found), found


def test_text_that_looks_like_markup_or_sql_is_kept_as_written_and_only_as_data(tmp_path):
    """What is only odd, not harmful, goes in as text: the record shows it verbatim and never runs it."""
    rec = record.Record(database.Database(f"sqlite:///{tmp_path}/record.sqlite3"))
    odd = figure(
        source="<script>alert(1)</script> Reuters", note="**bold** [x](javascript:alert(1))'); DROP TABLE x;--"
    )
    raws, _ = data.read_dir()
    assert amend.problems(raws, odd, TODAY) == []
    p = rec.propose(record.Analyst("alice", False), odd, NOW, TODAY)
    rec.decide(
        record.Analyst("bob", True), p.thread, p.latest.id, record.APPROVED, "'; DELETE FROM decisions;--", NOW, TODAY
    )
    latest = rec.dataset().levels.iloc[-1]
    assert (latest["source"], latest["note"]) == (odd.row["source"], odd.row["note"])
    assert rec.decisions()["reason"].tolist() == ["'; DELETE FROM decisions;--"]
