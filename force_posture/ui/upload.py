"""The scenario uploader: one or more CSVs into this session's workspace, a refused file said why."""

from __future__ import annotations

import streamlit as st

from force_posture.ui import continuity, session

UPLOAD_LIMIT_MB = 20  # .streamlit/config.toml server.maxUploadSize


def scenario_uploader(key: str) -> None:
    """Upload one or more CSVs. A refused file leaves everything on screen as it was and says why."""
    files = st.file_uploader(
        f"Upload scenario CSVs (up to {UPLOAD_LIMIT_MB} MB each)", type=["csv", "txt", "tsv"],
        accept_multiple_files=True, key=f"{key}-{continuity.token()}",  # a new session: an empty uploader
        help="Columns: date, country, troops; optional scenario, low, high, note. See the template.",
    )  # fmt: skip
    ws = session.workspace()
    version = ws.version
    # a file already read is not copied again on every rerun (it can be 20 MB)
    batch = [(f.file_id, f.name, b"" if f.file_id in ws.seen else f.getvalue()) for f in files or []]
    for notice in ws.take_uploads(batch):
        session.toast(notice)
    if ws.version != version:  # the tab keeps the unsaved scenarios' names (a lost session names them)
        continuity.remember()
    for message in ws.refused.values():
        st.error("A file was not loaded; everything on screen is as it was.", icon="⚠️")
        st.text(message)  # uploaded text is data: shown as plain text, never as Markdown or HTML
