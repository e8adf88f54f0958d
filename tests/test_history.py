"""The record as known on a day, and what changed between two days."""

import datetime as dt

import pandas as pd

from force_posture.core import history, summary

D = dt.date


def test_known_on_holds_only_rows_published_by_that_day(ds):
    before = history.known_on(ds, D(2024, 6, 1))
    assert (before.levels["published"] <= pd.Timestamp("2024-06-01")).all()
    syria = summary.latest(before.levels, "Syria", D(2024, 6, 1))
    assert (syria.text, syria.bases) == ("about 900", ("reported",))
    assert pd.Timestamp("2024-12-19") not in set(before.levels["date"])
    after = history.known_on(ds, D(2024, 12, 19))
    assert summary.latest(after.levels, "Syria", D(2024, 12, 19)).text == "about 2,000"


def test_a_figure_disclosed_later_is_known_only_from_its_disclosure(ds):
    dmdc = ds.levels[(ds.levels["date"] == pd.Timestamp("2017-09-30")) & (ds.levels["country"] == "Syria")]
    assert dmdc["published"].tolist() == [pd.Timestamp("2017-12-06")]
    assert 1720 not in history.known_on(ds, D(2017, 12, 5)).levels["troops"].tolist()
    assert 1720 in history.known_on(ds, D(2017, 12, 6)).levels["troops"].tolist()


def test_deadlines_are_known_from_the_day_they_were_announced(ds):
    labels = lambda day: set(history.known_on(ds, day).milestones["label"])  # noqa: E731
    assert "Coalition Syria mission deadline" not in labels(D(2024, 9, 26))
    assert {"Coalition Syria mission deadline", "Coalition Iraq mission deadline"} <= labels(D(2024, 9, 27))


def test_a_corrected_row_reads_as_it_did_before_its_correction(ds):
    then = history.known_on(ds, D(2026, 3, 1))
    qasrak = then.milestones[then.milestones["date"] == pd.Timestamp("2026-02-23")]
    assert "US pullout from Qasrak base begins" in set(qasrak["label"])
    assert "Rmelan/Kharab al-Jir still held" in " ".join(qasrak["detail"])
    assert len(then.corrections) == 0
    now = history.known_on(ds, D(2026, 11, 27))
    # three corrections were public by then (one of them the 28 Jun 2026 caveat on the 1 May milestone)
    assert "Main US convoy leaves Qasrak" in set(now.milestones["label"]) and len(now.corrections) == 3
    assert "facts.md" in " ".join(now.milestones["detail"])  # as it read before the corrections of 2 Dec 2026
    latest = history.known_on(ds, D(2026, 12, 2))
    assert ds.milestones.equals(latest.milestones) and len(latest.corrections) == 9  # the full record is unchanged


def test_changes_list_what_was_published_after_a_day_newest_first(ds):
    frame = history.changes(ds, D(2026, 2, 20), D(2026, 11, 27))
    assert list(frame.columns) == list(history.CHANGE_COLUMNS)
    assert list(frame["published"]) == sorted(frame["published"], reverse=True)
    assert frame["change"].iloc[0] == "correction" and frame["published"].iloc[0] == D(2026, 11, 27)
    assert (frame["published"] > D(2026, 2, 20)).all() and (frame["published"] <= D(2026, 11, 27)).all()
    assert {"new figure", "new event", "correction"} <= set(frame["change"])
    assert frame["url"].str.startswith("http").all()
    assert history.changes(ds, D(2026, 11, 27), D(2026, 11, 27)).empty


def test_changes_text_reads_as_plain_lines(ds):
    frame = history.changes(ds, D(2026, 3, 1), D(2026, 11, 27))
    text = history.changes_text(frame, D(2026, 3, 1), D(2026, 11, 27))
    assert text.startswith(f"What changed since 1 Mar 2026 (to 27 Nov 2026): {len(frame)} change(s):\n- 27 Nov 2026: ")
    empty = history.changes_text(frame.iloc[0:0], D(2026, 3, 1), D(2026, 3, 2))
    assert empty.endswith("0 change(s). Nothing new was published.")
