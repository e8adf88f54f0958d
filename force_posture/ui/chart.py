"""The chart of a view: the figure, its export buttons and its description in words.

The figure is the one every session shares, or this session's own when it shows scenarios."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from force_posture import charts, view
from force_posture.ui import cache, exports, screen, session

OVERVIEW_HEIGHT, COUNTRY_HEIGHT = 820, 640
# Plotly's own camera button is removed: its PNG has no fixed size or 2x scale; the buttons under
# each chart export exactly the view instead.
PLOTLY_CONFIG = {"displaylogo": False, "responsive": True, "modeBarButtonsToRemove": ["select2d", "lasso2d", "toImage"]}


def chart(countries: tuple[str, ...], chosen: view.View, day: dt.date, height: int) -> None:
    """The chart of this view (with this session's scenarios), its export buttons and its words."""
    shown = session.workspace().shown()
    spec = screen.chart_spec(countries, chosen, day, height, shown)
    if shown is None:
        fig = cache.figure(spec)
    else:  # scenarios are per session: built for this view and kept in this session's memo
        fig = session.memo(("chart", spec, cache.dataset().version), lambda: charts.build_chart(cache.dataset(), spec))
    alt, text = cache.chart_words(countries, day, view.WINDOWS[chosen.window].year, chosen.known)
    if chosen.is_briefing:  # exactly 16:9, nothing around it
        st.plotly_chart(fig, theme=None, width="content", config=PLOTLY_CONFIG, alt=alt)
        cache.DRAWN.set()
        return

    st.plotly_chart(fig, theme=None, width="stretch", config=PLOTLY_CONFIG, alt=alt)
    cache.DRAWN.set()
    exports.buttons(countries, chosen, day)
    with st.expander("Describe this chart in words"):
        st.text(text)
