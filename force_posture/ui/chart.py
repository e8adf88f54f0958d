"""The chart of a view: the figure, its export buttons and its description in words.

The figure is the one every session shares, or this session's own when it shows scenarios."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from force_posture.core import view
from force_posture.plot import charts
from force_posture.ui import cache, controls, exports, screen, session, share, table

# Plotly's own camera button is removed: its PNG has no fixed size or 2x scale; the buttons under
# each chart export exactly the view instead.
PLOTLY_CONFIG = {"displaylogo": False, "responsive": True, "modeBarButtonsToRemove": ["select2d", "lasso2d", "toImage"]}


def window_row(chosen: view.View, day: dt.date, title: str = "") -> view.View:
    """The window buttons over a chart (none in the briefing view, which is only the chart), beside
    the page's `title` where it has one (under it on a phone), so that they take no room of their
    own above the plot: the view as the reader leaves it. Pages draw the headline after it, as the
    headline's change from the peak follows the window."""
    if chosen.is_briefing:
        return chosen
    shown = view.span_name(chosen, *cache.span(chosen, day))
    if not title:
        return controls.window_buttons(chosen, shown)
    left, right = st.columns([5, 6], vertical_alignment="top")
    left.title(title)
    with right:
        return controls.window_buttons(chosen, shown, label="collapsed")


def chart(countries: tuple[str, ...], chosen: view.View, day: dt.date, height: int) -> None:
    """The chart of this view (with this session's scenarios), its export buttons and its words."""
    shown = session.workspace().shown()
    spec = screen.chart_spec(countries, chosen, day, height, shown)
    if shown is None:
        fig = cache.figure(spec)
    else:  # scenarios are per session: built for this view and kept in this session's memo
        ds = cache.dataset(chosen.shown)
        fig = session.memo(("chart", spec, ds.version), lambda: cache.shared(charts.chart_parts(ds, spec)))
    alt, text = cache.chart_words(countries, day, chosen)
    if chosen.is_briefing:  # exactly 16:9, nothing around it
        st.plotly_chart(fig, theme=None, width="content", config=PLOTLY_CONFIG, alt=alt)
        cache.DRAWN.set()
        return

    st.plotly_chart(fig, theme=None, width="stretch", config=PLOTLY_CONFIG, alt=alt)
    cache.DRAWN.set()
    exports.buttons(countries, chosen, day)
    with st.expander("Describe this chart in words"):
        st.text(text)
    # one keyboard step from the chart; the table is made and sent once it is opened, as the share panel
    name = exports.CHART_NAMES[countries]
    points = st.expander("The chart's points as a table, with their sources", key=f"points-{name}", on_change="rerun")
    with points:
        if points.open:
            table.chart_points(cache.points(countries, day, chosen), key=f"chart-points-{'-'.join(countries)}")
    share.addresses(name, chosen, day, with_scenarios=shown is not None)
