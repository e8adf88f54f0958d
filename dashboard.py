"""The overview: both countries on one time axis, the headline figures, and a scenario uploader.

Every page of the app (this one and those in pages/) starts with the same setup call: page config,
the sidebar navigation and the view read from the URL, so a shared link opens any page directly.
"""

import streamlit as st

from force_posture import data, ui

chosen = ui.setup("Overview")
day = ui.day(chosen)
with st.sidebar:
    st.subheader("Scenarios")
    ui.scenario_uploader("upload-sidebar")
    n = len(ui.workspace().loaded)
    st.caption(
        f"{n} loaded. Compare, hide or remove them on the Scenarios page."
        if n
        else "Compare, build and manage them on the Scenarios page."
    )
if not chosen.is_briefing:
    st.title("US troops in Syria and Iraq")
ui.headline(data.COUNTRIES, day, compact=chosen.is_briefing, known=chosen.known)
ui.chart(data.COUNTRIES, chosen, day, height=ui.OVERVIEW_HEIGHT)
if not chosen.is_briefing:
    st.caption(
        "Colours: Syria vermillion, Iraq blue (colour-blind safe). Hover any point for its figure, "
        "qualifier, basis, date and source; the Sources page lists every one."
    )
