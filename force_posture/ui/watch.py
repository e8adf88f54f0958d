"""The watched sources on the pages.

Each source's state on the Sources page (last read, last new item, failing since and why, next read),
under the line that says how fresh the watch is."""

from __future__ import annotations

import streamlit as st

from force_posture.store import database, watched
from force_posture.ui import saved
from force_posture.ui.table import table
from force_posture.watch import sources, status


def sources_section() -> None:
    """The Sources page's "Watched sources": a table of every source the watch reads, and its state."""
    st.subheader("Watched sources")
    try:
        listed = sources.load()
        states = watched.Watched().status((s.name, s.every) for s in listed)
    except (sources.SourcesError, database.DatabaseError) as err:
        saved.error("The watched sources cannot be shown.", err)
        return
    said = status.line(states)
    st.caption(
        f"{said[0].upper()}{said[1:]}. The feeds and pages read for new troop figures "
        "(`force-posture watch run`, hourly on a team's server); a sentence that states a US troop level in Syria "
        "or Iraq becomes a lead for an analyst to check and propose, never a row by itself."
    )
    table(status.table(listed, states), key="sources-watched")
