"""Serve the dashboard: `streamlit run serve.py` (what `make run` does).

The same app as `streamlit run dashboard.py`, with two additions through Streamlit's documented
lifespan hook: as the server starts, a thread loads the data and builds the default charts, so that
work overlaps the browser's loading of the page instead of delaying the first visitor; as it stops,
the export browser (started on the first export) is closed.
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
    from force_posture import renderer

    renderer.shutdown()


app = st.App("dashboard.py", lifespan=lifespan)
