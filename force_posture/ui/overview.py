"""The Overview page (dashboard.py): both countries on one time axis, the headline, an uploader."""

from __future__ import annotations

import streamlit as st

from force_posture.core import data
from force_posture.ui import chart, clock, headline, page, screen, session, upload


def overview_page() -> None:
    chosen = page.setup("Overview")
    day = clock.day(chosen)
    with st.sidebar:
        st.subheader("Scenarios")
        upload.scenario_uploader("upload-sidebar")
        n = len(session.workspace().loaded)
        st.caption(
            f"{n} loaded. Compare, hide or remove them on the Scenarios page."
            if n
            else "Compare, build and manage them on the Scenarios page."
        )
    chosen = chart.window_row(chosen, day, title="US troops in Syria and Iraq")
    headline.headline(data.COUNTRIES, day, chosen, compact=chosen.is_briefing)
    chart.chart(data.COUNTRIES, chosen, day, height=screen.OVERVIEW_HEIGHT)
    if not chosen.is_briefing:
        st.caption(
            "Colours: Syria vermillion, Iraq blue (colour-blind safe). Hover any point for its figure, "
            "qualifier, basis, date and source; the Sources page lists every one."
        )
