"""The scenario uploader: one or more CSVs into this session's workspace, a refused file said why."""

from __future__ import annotations

import streamlit as st

from force_posture.core import scenarios
from force_posture.ui import continuity, session

UPLOAD_LIMIT_MB = 20  # .streamlit/config.toml server.maxUploadSize


def scenario_uploader(key: str) -> None:
    """Upload one or more CSVs. A refused file leaves everything on screen as it was, says why (until
    the next upload or Dismiss) and leaves the uploader: an uploader holding it would look as if it
    had been loaded."""
    ws = session.workspace()
    files = st.file_uploader(
        f"Upload scenario CSVs (up to {UPLOAD_LIMIT_MB} MB each)",
        type=["csv", "txt", "tsv"],
        accept_multiple_files=True,  # a new session, or a refusal: an empty uploader
        key=f"{key}-{continuity.token()}-{ws.uploads_round}",
        help="Columns: date, country, troops; optional scenario, low, high, note. See the template.",
    )
    version, uploads_round = ws.version, ws.uploads_round
    # a file already read is not copied again on every rerun (it can be 20 MB)
    batch = [(f.file_id, f.name, b"" if f.file_id in ws.seen else f.getvalue()) for f in files or []]
    for notice in ws.take_uploads(batch):
        session.toast(notice)
    if ws.version != version:  # the tab keeps the unsaved scenarios' names (a lost session names them)
        continuity.remember()
    if ws.uploads_round != uploads_round:  # draw the page again with an empty uploader
        st.rerun()
    for message in ws.refused.values():
        st.error("A file was not loaded; everything on screen is as it was.", icon="⚠️")
        st.text(message)  # uploaded text is data: shown as plain text, never as Markdown or HTML
    if ws.refused and st.button("Dismiss", key=f"{key}-dismiss", help="Clear the message about the refused file"):
        ws.dismiss()
        st.rerun()


def add_scenarios(result: scenarios.Scenario) -> None:
    """Scenarios built or loaded in the app, into this session's workspace, each notice said; the tab
    remembers their names (continuity.py)."""
    for notice in session.workspace().add(result):
        session.toast(notice)
    continuity.remember()
