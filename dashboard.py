"""Streamlit entry point: the overview of both countries, and the navigation to every page."""

import streamlit as st

from force_posture import ui

# The briefing view (a toggle kept in the URL) opens with the sidebar folded away, so that a
# plain screenshot of the window is slide-ready.
briefing = st.query_params.get("briefing") == "on"
st.set_page_config(
    page_title=ui.APP_TITLE, page_icon="📈", layout="wide", initial_sidebar_state="collapsed" if briefing else "auto"
)

pages = [
    st.Page(ui.overview_page, title="Overview", url_path="overview", default=True),
    st.Page("app_pages/syria.py", title="Syria", url_path="syria"),
    st.Page("app_pages/iraq.py", title="Iraq", url_path="iraq"),
    st.Page("app_pages/scenarios.py", title="Scenarios", url_path="scenarios"),
    st.Page("app_pages/sources.py", title="Sources", url_path="sources"),
]
st.navigation(pages).run()
