"""The Syria and Iraq pages: headline, chart, the acknowledged-vs-disclosed story, the points."""

from __future__ import annotations

import streamlit as st

from force_posture.ui import cache, chart, clock, headline, page, propose, screen, table


def country_page(country: str) -> None:
    """The Syria and Iraq pages: headline, chart, the acknowledged-vs-disclosed story, the points."""
    chosen = page.setup(country)
    on = clock.day(chosen)
    chosen = chart.window_row(chosen, on, title=f"US troops in {country}")
    headline.headline((country,), on, chosen, compact=chosen.is_briefing)
    chart.chart((country,), chosen, on, height=screen.COUNTRY_HEIGHT)
    if chosen.is_briefing:
        return
    st.subheader("Stated at the time, disclosed later")
    st.caption(
        "Filled circles: acknowledged at the time. Hollow circles: press estimates. Diamonds: figures "
        "disclosed later about an earlier time. Hollow squares on a dashed line: authorized caps, not counts."
    )
    for sentence in cache.disclosure_story(country, chosen):
        st.text(sentence)
    st.subheader(f"Data points: {country}")
    table.chart_points(cache.country_points(country, chosen), key=f"points-{country}")
    with st.expander(f"Propose an update for {country} (a new figure, a correction, a retraction)"):
        propose.form(country=country, key=f"propose-{country}")
