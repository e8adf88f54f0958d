"""Serve the dashboard: `streamlit run serve.py` (what `make run` does).

The same app as `streamlit run dashboard.py`, with one addition: as the server starts, a thread
loads the data and builds the default charts (Streamlit's documented lifespan hook), so that
work overlaps the browser's loading of the page instead of delaying the first visitor.
"""

import threading
from contextlib import asynccontextmanager

import streamlit as st


def _warm_up() -> None:
    from force_posture import ui

    ui.warm_up()


@asynccontextmanager
async def lifespan(app):
    threading.Thread(target=_warm_up, name="warm-up", daemon=True).start()
    yield


app = st.App("dashboard.py", lifespan=lifespan)
