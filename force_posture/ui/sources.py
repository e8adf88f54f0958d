"""The Sources page: every data point, milestone, disagreement and correction with its source.

Filters by country and basis, CSV downloads, what changed since a day, and the method."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from force_posture.core import data, history, tables, view
from force_posture.ui import cache, clock, headline, page, propose, watch
from force_posture.ui.table import points, table

METHOD_FILE = data.DATA_DIR.parent / "docs" / "method.md"


def _filters() -> tuple[list[str], list[str], list[str]]:
    """The countries, bases and corroborations chosen: toggles that show every choice, wrapping on a phone
    (chips cut their words off: "rep…")."""
    c1, c2 = st.columns([1, 2])
    countries = c1.pills("Country", list(data.COUNTRIES), selection_mode="multi", default=list(data.COUNTRIES))
    bases = c2.pills("Basis", list(data.BASES), selection_mode="multi", default=list(data.BASES))
    sure = st.pills(
        "Corroboration",
        list(data.CORROBORATIONS),
        selection_mode="multi",
        default=list(data.CORROBORATIONS),
        help="official: a government states it; confirmed: two or more independent outlets; single: one outlet.",
    )
    return countries, bases, sure


def sources_page() -> None:
    """The page, as pages/sources.py runs it."""
    chosen = page.setup("Sources", controls_shown="known")
    day = clock.day(chosen)
    ds = cache.known_dataset(chosen.known, chosen.shown)
    st.title("Sources")
    headline.shown_note(chosen)
    if chosen.known:
        st.info(
            f"Record as known on {data.fmt_day(day)}: only what had been published by that day. Clear the date "
            "in the sidebar to see the record as known now.",
            icon=":material/history:",
        )
    st.caption(
        f"{len(ds.levels)} data points and {len(ds.milestones)} milestones, each with its source. "
        "Click a column header to sort; the link opens the source."
    )
    countries, bases, sure = _filters()
    graded = ds.levels["corroboration"].isin(sure)
    levels = ds.levels[ds.levels["country"].isin(countries) & ds.levels["basis"].isin(bases) & graded]
    st.subheader(f"Troop levels ({len(levels)} of {len(ds.levels)})")
    points(levels, key="sources-points", approvals=ds.approvals)
    st.download_button(
        "Download data (CSV)",
        tables.to_safe_csv(tables.points_table(levels, ds.approvals)),
        file_name="us_troop_levels_syria_iraq.csv",
        mime="text/csv",
    )
    miles = ds.milestones[
        ds.milestones["country"].isin([*countries, "Both"]) & ds.milestones["corroboration"].isin(sure)
    ]
    st.subheader(f"Milestones ({len(miles)} of {len(ds.milestones)})")
    milestones = tables.milestones_table(miles, ds.approvals)
    table(milestones, key="sources-milestones")
    st.download_button(
        "Download milestones (CSV)",
        tables.to_safe_csv(milestones),
        file_name="milestones_syria_iraq.csv",
        mime="text/csv",
    )
    bands = tables.disagreements_table(ds.disagreements[ds.disagreements["country"].isin(countries)])
    st.subheader(f"Where sources disagree ({len(bands)})")
    st.caption("Each range is shaded on the charts; its sources say why.")
    table(bands, key="sources-disagreements")
    st.download_button(
        "Download the ranges (CSV)",
        tables.to_safe_csv(bands),
        file_name="disagreements_syria_iraq.csv",
        mime="text/csv",
    )
    fixes = tables.corrections_table(ds.corrections, ds.approvals)
    st.subheader(f"Corrections ({len(fixes)})")
    st.caption(
        "A corrected row keeps its history: what it said before, when and why it changed, and the source; 'corrected' "
        "is the day the source said so. One approved in the app names who approved it and when."
    )
    table(fixes, key="sources-corrections")
    gone = tables.retracted_table(ds)
    st.subheader(f"Retracted ({len(gone)})")
    st.caption(
        "A retracted row is never deleted: it is off the charts from the day it was retracted, with the reason, "
        "and still in the record as known on earlier days."
    )
    table(gone, key="sources-retracted")
    watch.sources_section()
    st.subheader("Propose an update")
    st.caption(f"This is record version {ds.version}: the shipped files and the changes editors approved in the app.")
    with st.expander("Propose a new figure, milestone or range, a correction or a retraction"):
        propose.form(key="sources-propose")
    with st.expander("Propose many rows from a CSV file"):
        propose.bulk()
    what_changed(ds, dt.date.fromisoformat(chosen.since) if chosen.since else None, day)
    st.subheader("Method")
    st.markdown(METHOD_FILE.read_text(encoding="utf-8"))  # our own text (docs/method.md), never uploaded


def what_changed(ds: data.Dataset, since: dt.date | None, day: dt.date) -> None:
    """New figures, milestones and corrections published after a day (default: 30 days ago)."""
    st.subheader("What changed since")
    default = since or day - dt.timedelta(days=30)
    picked = st.columns([1, 2])[0].date_input(
        "Published after",
        value=min(default, day),
        min_value=view.RECORD_START,
        max_value=day,
        format="YYYY-MM-DD",
        key="changes-since",
    )
    frame = history.changes(ds, picked, day)
    st.caption(
        f"{len(frame)} change(s) published after {data.fmt_day(picked)} up to {data.fmt_day(day)}, newest first: "
        "new figures, new milestones (a deadline counts from the day it was announced) and corrections. "
        "Also at /api/changes.csv?since=YYYY-MM-DD and in the feed, /feed.atom."
    )
    if frame.empty:
        st.info("Nothing new was published in that time.")
        return
    table(frame, key="sources-changes")
    st.download_button(
        "Download the changes (CSV)",
        tables.to_safe_csv(frame),
        file_name=f"changes_since_{picked:%Y-%m-%d}.csv",
        mime="text/csv",
    )
