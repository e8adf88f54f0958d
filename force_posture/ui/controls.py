"""The sidebar's view controls, read from and written back to the URL so that a link reopens the view.

Window, scale, caps, bands, the briefing view and the day the record is taken as known on."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from force_posture import view
from force_posture.ui import clock


def view_controls(chosen: view.View, notes: list[str]) -> view.View:
    """Sidebar controls, read from and written back to the URL so that a link reopens the view."""
    with st.sidebar:
        _notes(notes)
        st.subheader("View")
        windows = list(view.WINDOWS)
        window = st.radio(
            "Time window", windows, index=windows.index(chosen.window), format_func=lambda w: view.WINDOW_NAMES[w],
            help="The default keeps the counter-IS story readable; the wider window adds the 2003-2011 Iraq war.",
        )  # fmt: skip
        scale = st.radio(
            "Vertical scale", list(view.SCALES), index=list(view.SCALES).index(chosen.scale), horizontal=True,
            help="A log scale shows the 2003-2011 Iraq numbers and today's hundreds in one panel.",
        )  # fmt: skip
        caps = st.toggle("Show authorized caps", value=chosen.show_caps)
        bands = st.toggle("Shade where sources disagree", value=chosen.show_bands)
        briefing = st.toggle(
            "Briefing view", value=chosen.is_briefing,
            help="Only the headline figures and the chart, at 16:9: a plain screenshot is slide-ready.",
        )  # fmt: skip
        known = known_control(chosen)
        st.caption("The address bar keeps this view: copy the link to share it.")
    on = {True: "on", False: "off"}
    new = view.View(window=window, scale=scale, caps=on[caps], bands=on[bands], briefing=on[briefing],
                    saved=chosen.saved, known=known)  # fmt: skip
    return _to_url(new)


def known_only(chosen: view.View, notes: list[str]) -> view.View:
    """A page without a chart (Sources): of the view controls, only the day the record is known on."""
    with st.sidebar:
        _notes(notes)
        st.subheader("View")
        known = known_control(chosen)
    return _to_url(chosen.with_(known=known))


def _notes(notes: list[str]) -> None:
    for note in notes:
        st.warning(note, icon=None)


def _to_url(new: view.View) -> view.View:
    if new.to_query() != st.query_params.to_dict():
        st.query_params.from_dict(new.to_query())
    return new


def known_control(chosen: view.View) -> str:
    """The sidebar's "record as known on" day (empty: as known today)."""
    today = clock.today()
    picked = st.date_input(
        "Record as known on", value=chosen.known_on, min_value=view.RECORD_START, max_value=today,
        format="YYYY-MM-DD", key="known-on",
        help="Show the chart, headline, words and sources as the public record stood on that day: only "
        "what had been published by then, with later corrections undone. Empty: as known today.",
    )  # fmt: skip
    return picked.isoformat() if isinstance(picked, dt.date) and picked < today else ""
