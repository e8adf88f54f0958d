"""Serve the dashboard: `streamlit run serve.py` (what `make run` does); `streamlit run dashboard.py`
serves the very same app.

The app (dashboard.py and pages/) with what Streamlit's app server adds (force_posture/ui/server.py, web/):
- as the server starts, a thread loads the data and builds the default charts, so that work overlaps
  the browser's loading of the page instead of delaying the first visitor;
- /export/<token>/<format>: the chart exports, each made for the session whose page holds the token
  (force_posture/exports/downloads.py) and sent in the same response, or a plain message why not;
- the open data API and feed (force_posture/publish/api.py) at /api/... and /feed.atom, from the same process;
- every chart view at an address of its own (force_posture/publish/public.py): /chart/<chart>.png|svg|csv|
  metadata.json, the link preview page /view/<chart> and the interactive embed /embed/<chart>;
- the app's own pages may be framed only by the app itself (and the origins FORCE_POSTURE_FRAME_ANCESTORS
  names): no other site can overlay its uploads or library;
- as it stops, the export browser (started on the first export) is closed.
"""

import streamlit as st

from force_posture.ui import server
from force_posture.web.app import MIDDLEWARE, ROUTES

# Streamlit finds the app by reading this file for an st.App(...) call: it is written out here, as in dashboard.py
app = st.App("dashboard.py", lifespan=server.lifespan, routes=ROUTES, middleware=MIDDLEWARE)
