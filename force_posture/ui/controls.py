"""The sidebar's view controls, read from and written back to the URL so that a link reopens the view.

Window, scale, caps, bands, the briefing view and the day the record is taken as known on."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from force_posture.core import view
from force_posture.ui import clock


def view_controls(chosen: view.View, notes: list[str]) -> view.View:
    """Sidebar controls, read from and written back to the URL so that a link reopens the view."""
    with st.sidebar:
        _notes(notes)
        st.subheader("View")
        scale = st.radio(
            "Vertical scale",
            list(view.SCALES),
            index=list(view.SCALES).index(chosen.scale),
            horizontal=True,
            help="A log scale shows the 2003-2011 Iraq numbers and today's hundreds in one panel.",
        )
        caps = st.toggle("Show authorized caps", value=chosen.show_caps)
        bands = st.toggle("Shade where sources disagree", value=chosen.show_bands)
        briefing = st.toggle(
            "Briefing view",
            value=chosen.is_briefing,
            help="Only the headline figures and the chart, at 16:9: a plain screenshot is slide-ready.",
        )
        known = known_control(chosen)
        st.caption(
            "The address bar keeps this view: copy the link to share it. For a chat or an e-mail, the "
            "link under the chart (Share this view) shows the chart as a preview card."
        )
    on = {True: "on", False: "off"}
    new = chosen.with_(scale=scale, caps=on[caps], bands=on[bands], briefing=on[briefing], known=known)
    return _to_url(new)


WINDOW_KEY = "window-buttons"


def window_buttons(chosen: view.View, shown: str, label: str = "visible") -> view.View:
    """The time windows as one row of buttons over the chart: one click (or key press) shows the
    2025-2026 drawdown filling the chart, the single-pointer alternative to dragging a zoom box. A
    from/to range from the link is shown in words until a window is chosen. `shown`: the span in words.

    The buttons show the link's window on every run but the one a click started (one key, so that
    no click is lost to a widget made anew); a click on the chosen window leaves it chosen."""
    if not st.session_state.pop("window-clicked", False) or st.session_state.get(WINDOW_KEY) is None:
        st.session_state[WINDOW_KEY] = None if chosen.is_range else chosen.window
    picked = st.segmented_control(
        "Time window",
        list(view.WINDOW_NAMES),
        format_func=view.WINDOW_BUTTONS.get,
        key=WINDOW_KEY,
        on_change=_clicked,
        label_visibility=label,
        help="Since 2003 adds the 2003-2011 Iraq war; a link can also give a range (from=2025-01&to=2026-12).",
    )
    if picked is None:
        st.caption(f"Showing {shown}, the range the link gave (from/to). Choose a window to leave it.")
        return chosen
    return _to_url(chosen.with_(window=picked, from_="", to=""))


def clicked_window(chosen: view.View) -> view.View:
    """The view with the window a click on the window buttons has just chosen (before the buttons
    are drawn again), so that what is drawn before them (the navigation's links) carries it too."""
    picked = st.session_state.get(WINDOW_KEY)
    if st.session_state.get("window-clicked") and picked in view.WINDOW_NAMES:
        return chosen.with_(window=picked, from_="", to="")
    return chosen


def _clicked() -> None:
    st.session_state["window-clicked"] = True


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
        "Record as known on",
        value=chosen.known_on,
        min_value=view.RECORD_START,
        max_value=today,
        format="YYYY-MM-DD",
        key="known-on",
        help="Show the chart, headline, words and sources as the public record stood on that day: only "
        "what had been published by then, with later corrections undone. Empty: as known today.",
    )
    return picked.isoformat() if isinstance(picked, dt.date) and picked < today else ""
