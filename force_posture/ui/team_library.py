"""The team library on the Scenarios page: save a loaded scenario, find, open, delete and restore.

Every name, description and author is shown as plain text: they are data."""

from __future__ import annotations

import streamlit as st

from force_posture.core import data
from force_posture.store import library
from force_posture.ui import clock, saved, session
from force_posture.ui.table import table

NAME_HINT = "Blank: the scenario's own name. An existing name gets a new version."


def library_panel() -> None:
    """The team's saved scenarios: save one of this session's, find, open, delete and restore."""
    st.subheader("Team library")
    try:
        user = saved.user()
        lib = saved.the_library()
    except library.LibraryError as err:
        saved.error("The library is closed to this request.", err)
        return
    st.text(f"You are: {user}. The library is {lib.where}.")  # plain text: a user name is data
    save_form(lib, user)
    try:
        browse(lib, user)
        recently_deleted(lib, user)
    except library.LibraryError as err:
        saved.error("The library cannot be read just now; your loaded scenarios are untouched.", err)


def save_form(lib: library.Library, user: str) -> None:
    ws = session.workspace()
    if "just-saved" in st.session_state:
        st.success("Saved.", icon=":material/check_circle:")
        st.text(st.session_state.pop("just-saved"))  # plain text: the name is data
    if not ws.loaded:
        st.caption("Load or build a scenario to save it to the library.")
        return
    g = st.session_state.setdefault("library-save-generation", 0)  # a save that goes through: new, empty fields
    with st.form("library-save"):
        which = st.selectbox("Scenario to save", ws.names(), index=len(ws.names()) - 1)  # the newest first
        name = st.text_input(
            "Name in the library", max_chars=library.MAX_NAME, placeholder=NAME_HINT, key=f"save-name-{g}"
        )
        description = st.text_area("Description", max_chars=library.MAX_DESCRIPTION, height=80, key=f"save-about-{g}")
        visibility = st.radio(
            "Who can see it",
            list(library.VISIBILITIES),
            horizontal=True,
            format_func=lambda v: library.VISIBILITIES[v].capitalize(),
        )
        if not st.form_submit_button("Save to the library", type="primary"):
            return
    base = ws.saved[which].name if which in ws.saved else which
    try:
        item = lib.save(user, name.strip() or base, ws.loaded[which].frame, clock.now(), description, visibility)
    except library.LibraryError as err:
        saved.error("Not saved. The scenario is still loaded in this session; nothing was lost.", err)
        return
    ws.saved[which] = item
    st.session_state["library-save-generation"] = g + 1  # the next save starts from empty fields
    # run the page again at once: the address bar, the page links and the export's link carry it from now
    st.session_state["just-saved"] = (
        f"'{item.label}' is #{item.id} in the library, visible to {library.VISIBILITIES[item.visibility]}."
    )
    st.rerun()


def browse(lib: library.Library, user: str) -> None:
    c1, c2, c3 = st.columns(3)
    search = c1.text_input("Search names and descriptions", max_chars=100)
    author = c2.text_input("Author", max_chars=library.MAX_AUTHOR)
    country = c3.selectbox("Country", ["", *data.COUNTRIES], format_func=lambda c: c or "Any")
    items = lib.list(user, search, author, country)
    if not items:
        st.caption("Nothing in the library matches." if search or author or country else "The library is empty.")
        return
    table(library.listing(items), key="library-list")
    labels = {s.id: f"#{s.id} {s.label} by {s.author}" for s in items}
    c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
    pick = c1.multiselect("Open on the charts and in the comparison", list(labels), format_func=labels.get)
    if c2.button("Open", disabled=not pick) and saved.open_saved(pick):
        st.rerun()
    own = [s.id for s in items if s.author == user]
    c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
    victim = c1.selectbox(
        f"Delete one of yours (restorable for {library.RESTORE_DAYS} days)",
        own,
        index=None,
        format_func=labels.get,
        placeholder="Choose a version to delete",
    )
    if c2.button("Delete", disabled=victim is None) and victim is not None:
        _change(lambda: lib.delete(user, victim, clock.now()), "Not deleted.")


def _change(action, failure: str) -> None:
    """Run one library change: on success show the library anew, on failure say why in plain words."""
    try:
        action()
    except library.LibraryError as err:
        saved.error(failure, err)
    else:
        st.rerun()


def recently_deleted(lib: library.Library, user: str) -> None:
    gone = lib.list(user, deleted=True, now=clock.now())
    with st.expander(f"Recently deleted ({len(gone)}): yours, restorable for {library.RESTORE_DAYS} days"):
        if not gone:
            st.caption("Nothing to restore.")
            return
        table(library.listing(gone, deleted=True), key="library-deleted")
        labels = {s.id: f"#{s.id} {s.label}" for s in gone}
        c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
        back = c1.selectbox("Restore", list(labels), index=None, format_func=labels.get, placeholder="Choose one")
        if c2.button("Restore", disabled=back is None) and back is not None:
            _change(lambda: lib.restore(user, back, clock.now()), "Not restored.")
