"""Leads on the Review page.

What the watched sources found: each figure with its sentences (plain text, the figure marked) and its
outlets; "Propose this figure" opens the propose form filled from it, "Dismiss" asks why. Both are kept
with who and when. A source failing for a day is named at the top for editors."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import threading

import pandas as pd
import streamlit as st

from force_posture.store import database, watched
from force_posture.ui import propose, saved
from force_posture.watch import leads, sources, status

SHOWN = 30  # the newest open leads listed


def failing_sources(now: dt.datetime) -> None:
    """For editors: the watched sources failing for a day or more, each with its error."""
    try:
        listed = sources.load()
        states = watched.Watched().status((s.name, s.every) for s in listed)
    except (sources.SourcesError, database.DatabaseError):
        return
    failing = [s for s in states if s.failing_for_a_day(now)]
    if failing:  # the errors hold a publisher's own words: shown as plain text, never as Markdown
        st.warning("Watched sources failing for a day or more (no new figure can come from them):", icon="⚠️")
        st.text("\n".join(f"{s.source}, since {status.when(s.failing_since)}: {s.error}" for s in failing))


def leads_section(levels: pd.DataFrame, analyst: str, editor: bool = False) -> None:
    """'Leads (N new)': the open leads, newest first, each to propose or dismiss."""
    try:
        store = watched.Watched()
        found = store.leads("open")
    except database.DatabaseError as err:
        saved.error("The leads could not be read.", err)
        return
    known = {lead.id: leads.in_record(lead, levels) for lead in found}
    st.subheader(f"Leads ({sum(not k for k in known.values())} new)")
    if done := st.session_state.get("leads-done"):  # kept: the page reruns at once for the new proposal
        st.success(done)
    st.caption(
        "Sentences from the watched sources that state a US troop level in Syria or Iraq (Sources page, 'Watched "
        "sources'). Check each against its source: propose it (the form starts filled) or dismiss it with a reason."
    )
    if editor:
        check_now()
    for lead in found[:SHOWN]:
        with st.expander(leads.heading(lead, known[lead.id])):
            _lead(store, lead, analyst)


def _lead(store: watched.Watched, lead: watched.Lead, analyst: str) -> None:
    for s in lead.sources:
        st.text(leads.marked(s["sentence"], s["why"]))
    outlets = pd.DataFrame(
        {
            "outlet": [s["outlet"] for s in lead.sources],
            "title": [s["title"] for s in lead.sources],
            "published": [s["published"] for s in lead.sources],
            "url": [s["link"] for s in lead.sources],
        }
    )
    st.dataframe(
        outlets,
        hide_index=True,
        key=f"lead-{lead.id}-outlets",
        column_config={"url": st.column_config.LinkColumn("link", display_text="open source", width=110)},
    )
    key = f"lead-{lead.id}"
    if st.toggle("Propose this figure", key=f"{key}-propose"):
        propose.form(lead.country, key=key, given=leads.form_fields(lead), after=_proposed(store, lead, analyst))
        return
    why = st.text_input("Why dismiss it", key=f"{key}-why", placeholder="not about US troops, a duplicate, ...")
    if st.button("Dismiss", key=f"{key}-dismiss"):
        st.session_state.pop("leads-done", None)
        try:
            store.decide(lead.id, watched.DISMISSED, analyst, dt.datetime.now(dt.UTC), reason=why)
        except database.DatabaseError as err:
            saved.error("The lead was not dismissed.", err)
            return
        st.rerun()


def _proposed(store: watched.Watched, lead: watched.Lead, analyst: str):
    def after(numbers: list[int]) -> None:
        store.decide(lead.id, watched.PROPOSED, analyst, dt.datetime.now(dt.UTC), thread=numbers[0])
        # the lead leaves the list with its form: the section says what was proposed
        st.session_state["leads-done"] = propose.proposed_words(numbers)

    return after


_checking: dict[str, subprocess.Popen] = {}  # the one "Check now" run of this replica, shared by its sessions
_checking_lock = threading.Lock()


def check_now() -> None:
    """For editors: read every watched source now, in a process of its own (never in the page's request
    path); a second click while it runs says so."""
    if not st.button("Check the watched sources now", key="watch-check-now"):
        return
    with _checking_lock:
        running = _checking.get("run")
        if running is not None and running.poll() is None:
            st.info("The watched sources are being read already; new leads appear here when it is done.")
            return
        command = [sys.executable, "-c", "from force_posture.ops.cli import main; raise SystemExit(main())"]
        _checking["run"] = subprocess.Popen(
            [*command, "watch", "run", "--now"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
    st.info("Reading every watched source now, in the background; new leads appear here when it is done.")
