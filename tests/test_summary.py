import datetime as dt

import pandas as pd

from force_posture.core import summary
from tests.conftest import TODAY


def test_latest_gives_the_newest_figures_as_a_range_with_basis_and_age(ds):
    lat = summary.latest(ds.levels, "Syria", TODAY)
    assert (lat.text, lat.low, lat.high, lat.bases) == ("about 900 to about 1,000", 900, 1000, ("reported",))
    assert lat.date == pd.Timestamp("2026-02-23") and lat.age_days == 274
    assert lat.stale_note == (
        "No newer sourced figure exists: the latest is 274 days old (23 Feb 2026). Nothing after it is extrapolated."
    )
    fresh = summary.latest(ds.levels, "Syria", dt.date(2026, 3, 1))
    assert not fresh.stale and fresh.stale_note == ""


def test_latest_ignores_caps(ds):
    assert summary.latest(ds.levels, "Iraq", TODAY).text == "fewer than 1,100"


def test_peak_tells_acknowledged_then_disclosed(ds):
    pk = summary.peak(ds.levels, "Syria")
    assert (pk.troops, pk.text, pk.story) == (2000, "about 2,000", "acknowledged Dec 2017; disclosed Dec 2024")
    iraq = summary.peak(ds.levels, "Iraq")
    assert (iraq.troops, iraq.story) == (8892, "disclosed Sep 2017")


def test_change_from_peak(ds):
    lat, pk = summary.latest(ds.levels, "Syria", TODAY), summary.peak(ds.levels, "Syria")
    assert summary.change_from_peak(lat, pk) == "-1,000 to -1,100 (-50% to -55%) from the peak"
    recent = summary.peak(ds.levels, "Syria", pd.Timestamp("2025-12-01"))  # about 1,000, Feb 2026
    assert summary.change_from_peak(lat, recent) == "0 to -100 (0% to -10%) from the peak"
    assert summary.peak_change("Syria", lat, pk) == (
        "Syria -1,000 to -1,100 (-50% to -55%), from about 2,000 (acknowledged Dec 2017; disclosed Dec 2024)"
    )


def test_a_change_from_or_to_a_bound_is_given_as_the_two_figures_not_a_difference(ds):
    """Iraq's latest is 'fewer than 1,100' and its peak in the last year 'fewer than 2,000': arithmetic on
    two upper bounds ('-900 (-45%)') would state an exact change no source gave."""
    lat = summary.latest(ds.levels, "Iraq", TODAY)
    year = summary.peak(ds.levels, "Iraq", pd.Timestamp("2025-04-01"))
    assert (lat.text, lat.bounded, year.text, year.bounded) == ("fewer than 1,100", True, "fewer than 2,000", True)
    assert summary.peak_change("Iraq", lat, year) == (
        "Iraq to fewer than 1,100, from fewer than 2,000 (reported Jan 2026)"
    )
    assert not summary.peak(ds.levels, "Iraq").bounded  # 8,892, disclosed: a level, yet the latest is a bound
    assert summary.peak_change("Iraq", lat, summary.peak(ds.levels, "Iraq")) == (
        "Iraq to fewer than 1,100, from 8,892 (disclosed Sep 2017)"
    )


def test_deadline_status_counts_days_from_today(ds):
    before = {d.label: d.status for d in summary.deadlines(ds.milestones, dt.date(2025, 9, 1))}
    assert before == {
        "Coalition Iraq mission deadline": "in 29 days (30 Sep 2025)",
        "Coalition Syria mission deadline": "in 365 days (1 Sep 2026)",
    }
    after = {d.label: d.status for d in summary.deadlines(ds.milestones, TODAY)}
    assert after["Coalition Iraq mission deadline"] == "passed on 30 Sep 2025 (420 days ago)"
    syria_only = summary.deadlines(ds.milestones, TODAY, ("Syria",))
    assert [d.label for d in syria_only] == ["Coalition Syria mission deadline"]


def test_disclosure_story_sets_disclosed_against_stated(ds):
    story = summary.disclosure_story(ds.levels, "Syria")
    assert len(story) == 2
    assert story[1].startswith("19 Dec 2024: about 2,000 disclosed later (Reuters")
    assert story[1].endswith("against about 900 reported since Jul 2021.")


def test_description_reads_latest_peak_target_and_next_deadline(ds):
    text = summary.describe(ds.levels, ds.milestones, dt.date(2026, 3, 1))
    assert text.startswith("Line chart of US troop levels in Syria and Iraq from 2014 to today.")
    assert (
        "Syria: latest sourced figure about 900 to about 1,000 (reported, 23 Feb 2026, confirmed by 4 outlets)" in text
    )
    assert "peak since 2014 about 2,000 (acknowledged Dec 2017; disclosed Dec 2024)" in text
    assert "Target: fewer than 1,000 in Syria, announced 18 Apr 2025." in text
    assert text.endswith("Next deadline: Coalition Syria mission deadline, in 184 days (1 Sep 2026).")
    assert summary.describe(ds.levels, ds.milestones, TODAY).endswith("No deadline ahead.")


def test_a_reading_gathers_the_headline_in_frozen_parts(ds):
    r = summary.reading(ds.levels, ds.milestones, ("Syria", "Iraq"), TODAY)
    assert [lat.text for lat in r.latest] == ["about 900 to about 1,000", "fewer than 1,100"]
    assert [pk.text for pk in r.peaks] == ["about 2,000", "8,892"]
    assert [d.label for d in r.deadlines] == ["Coalition Iraq mission deadline", "Coalition Syria mission deadline"]
    assert (r.target.country, r.target.value, r.target.date) == ("Syria", 1000, pd.Timestamp("2025-04-18"))
    assert hash(r)  # frozen all the way down: safe to share between sessions


def test_the_latest_figure_says_how_sure_it_is_and_a_single_source_names_the_firmer_figure_before_it(ds):
    iraq, syria = summary.latest(ds.levels, "Iraq", TODAY), summary.latest(ds.levels, "Syria", TODAY)
    assert (iraq.sure, iraq.firmer) == ("single source", "about 2,500 (confirmed by 2 outlets, 1 Jan 2025)")
    assert iraq.firmer_brief == "confirmed before: about 2,500"
    assert (
        summary.headline_sureness(iraq) == "single source · before it, about 2,500 (confirmed by 2 outlets, 1 Jan 2025)"
    )
    assert (syria.sure, syria.firmer) == ("confirmed by 4 outlets", "")  # the Feb 2026 band: four outlets
    assert summary.headline_sureness(syria) == "confirmed by 4 outlets"
    back = summary.latest(ds.levels[ds.levels["date"] <= pd.Timestamp("2017-12-31")], "Syria", TODAY)
    assert back.sure == "official"  # the Pentagon's 6 Dec 2017 figure
    said = summary.describe(ds.levels, ds.milestones, TODAY)
    assert "Iraq: latest sourced figure fewer than 1,100 (reported, 18 Jan 2026, single source · before it" in said
    words = summary.latest_words(ds.levels, TODAY)
    assert "Iraq fewer than 1,100 (press estimate, 18 Jan 2026, single source)" in words


def test_a_point_says_its_corroboration_in_words():
    assert summary.corroboration_words({"corroboration": "single", "outlets": 1}) == (
        "Corroboration: single source (one outlet)"
    )
    assert summary.corroboration_words({"corroboration": "confirmed", "outlets": 4}) == (
        "Corroboration: confirmed by 4 outlets (independent)"
    )
    assert summary.corroboration_words({"corroboration": "official", "outlets": 2}) == (
        "Corroboration: official (a government states it; 2 outlets cited)"
    )


def test_targets_and_the_as_of_line_are_kept_per_frame_and_never_cross_frames(ds):
    """headline_target and as_of_line keep their answers per record frame (core/memo): another frame, as a
    new record version brings, gets its own answer, and asking again gets the same."""
    head = summary.headline_target(ds.milestones)
    moved = ds.milestones.copy()
    moved.loc[moved["headline_target"], "value"] = 500
    assert summary.headline_target(moved).value == 500 and summary.headline_target(ds.milestones) == head
    line = summary.as_of_line(ds.levels, ("Syria",), TODAY)
    newer = pd.concat([ds.levels, ds.levels[ds.levels["country"] == "Syria"].tail(1).assign(date=pd.Timestamp(TODAY))])
    assert "latest sourced figure: Syria 23 Feb 2026 ·" in line
    assert f"latest sourced figure: Syria {TODAY.day} " in summary.as_of_line(newer, ("Syria",), TODAY)
    assert summary.as_of_line(ds.levels, ("Syria",), TODAY) == line
