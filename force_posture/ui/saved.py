"""The saved scenario library as a page meets it: the library, who the analyst is, opening scenarios."""

from __future__ import annotations

import os

import streamlit as st

from force_posture.store import database, library
from force_posture.ui import session


def the_library() -> library.Library:
    """The process's one library (FORCE_POSTURE_DATABASE_URL, or SQLite in the user data folder)."""
    return library.shared()


def user() -> str:
    """Who this analyst is: the trusted proxy header when FORCE_POSTURE_USER_HEADER names one, else
    the one local user (a header the browser sends is never believed then). Raises LibraryError."""
    return database.user_from_headers(dict(st.context.headers), os.environ.get(database.USER_HEADER_ENV))


def error(what: str, err: Exception) -> None:
    """A failed library action: a fixed headline, then the message as plain text (it can hold names)."""
    st.error(what, icon="⚠️")
    st.text(str(err))


def open_saved(ids: list[int]) -> bool:
    """Open saved scenarios onto the charts; False (and a message) if the library refused."""
    try:
        opened = the_library().open(user(), ids)
    except library.LibraryError as err:
        error("A saved scenario was not opened; everything on screen is as it was.", err)
        return False
    for notice in session.workspace().add_saved(opened):
        session.toast(notice)
    return True


def open_linked(ids: list[int]) -> None:
    """The saved scenarios a link names, opened once per session (each checked against who may see it)."""
    ws = session.workspace()
    new = [i for i in ids if i not in ws.link_tried]
    if new:
        with st.sidebar:
            for saved_id in new:  # one refused id does not keep the others from opening
                open_saved([saved_id])
                # marked once tried: a run stopped mid-open (a newer rerun, a reconnect) tries it again
                ws.link_tried.add(saved_id)
