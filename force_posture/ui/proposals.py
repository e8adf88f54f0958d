"""The Review page: proposals waiting for an editor, and your own with their decisions.

Each waiting proposal is shown beside what the record says now (ui/review.py); one sent back for changes
can be edited and resubmitted."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from force_posture.core import amend, data
from force_posture.store import database, record
from force_posture.ui import cache, clock, leads, page, propose, review, saved
from force_posture.ui.table import table

SHOWN = 200  # the newest open proposals listed (the filters reach the others)


def review_page() -> None:
    """The page, as pages/review.py runs it."""
    page.setup("Review", controls_shown="none", follow_proposals=True)
    st.title("Review proposed changes")
    st.caption(
        "Analysts propose new figures, milestones, ranges, corrections and retractions (Sources page, country pages); "
        "an editor other than the proposer approves, rejects or sends each back. An approved change is in the "
        "record, on every page and replica, within seconds."
    )
    if done := st.session_state.pop("review-done", None):
        st.success(done)
    try:
        rec, me = propose.the_record(), propose.who()
    except database.DatabaseError as err:
        saved.error("The review is closed to this request.", err)
        st.stop()
    st.text(
        f"You are: {me.name}" + (" (an editor)." if me.editor else " (not an editor: you can propose, not review).")
    )
    if me.editor:
        leads.failing_sources(dt.datetime.now(dt.UTC))
    c1, c2, c3 = st.columns(3)
    country = c1.selectbox("Country", ["", *data.COUNTRIES, "Both"], format_func=lambda c: c or "every country")
    kind = c2.selectbox("Kind", ["", *amend.KINDS], format_func=lambda k: k or "every kind")
    proposer = c3.text_input("Proposer (exact name)", max_chars=200).strip()
    try:
        waiting = rec.proposals(country=country, kind=kind, proposer=proposer)
        mine = rec.proposals(state="", proposer=me.name)
        raws, _ = rec.current()
    except record.RecordError as err:
        saved.error("The proposals could not be read.", err)
        st.stop()
    waiting_for_review(rec, me, waiting, raws)
    your_proposals(rec, me, mine, raws)
    leads.leads_section(cache.dataset().levels, me.name, me.editor)


def waiting_for_review(
    rec: record.Record, me: record.Analyst, waiting: list[record.Proposal], raws: dict[str, pd.DataFrame]
) -> None:
    """The open proposals the filters find, and the one picked, as its reviewer meets it."""
    st.subheader(f"Waiting for review ({len(waiting)})")
    if not waiting:
        st.info("Nothing waits for review.")
    else:
        table(listing(waiting[:SHOWN]), key="review-open")
    numbers = [p.thread for p in waiting[:SHOWN]]
    opened = st.session_state.get("review-pick")
    if isinstance(opened, int) and opened not in numbers:
        numbers.append(opened)  # decided or sent back meanwhile: it stays open here, saying what became of it
    if numbers:
        picked = st.selectbox("Review proposal", numbers, format_func=lambda n: f"#{n}", key="review-pick")
        try:
            shown = next((p for p in waiting if p.thread == picked), None) or rec.proposal(picked)
        except record.RecordError as err:
            saved.error(f"Proposal #{picked} could not be read.", err)
        else:
            review.detail(shown, raws, me, rec)


def your_proposals(
    rec: record.Record, me: record.Analyst, mine: list[record.Proposal], raws: dict[str, pd.DataFrame]
) -> None:
    """This analyst's proposals: those in conflict brought up to date in a click, those sent back resubmitted."""
    st.subheader(f"Your proposals ({len(mine)})")
    if not mine:
        st.caption("You have proposed nothing yet.")
        return
    table(listing(mine), key="review-mine")
    stale = [p for p in mine if p.state == record.OPEN and amend.conflict(raws, p.latest.change)]
    for p in stale:
        st.warning(f"#{p.thread} is in conflict: the row it is about has changed since you wrote it.", icon="⚠️")
        fresh = amend.brought_up_to_date(raws, p.latest.change)
        if fresh is not None and st.button(
            f"Bring #{p.thread} up to date with the row as it reads now", key=f"refresh-{p.thread}"
        ):
            try:
                again = rec.resubmit(me, p.thread, fresh, dt.datetime.now(dt.UTC), clock.today())
            except record.RecordError as err:
                saved.error(f"#{p.thread} was not brought up to date.", err)
            else:
                review.said(f"#{p.thread} is up to date (round {again.latest.round}).")
    back = [p for p in mine if p.state == record.CHANGES]
    for p in back:
        with st.expander(f"#{p.thread}: sent back for changes by {p.latest.reviewer}"):
            st.text(f"{p.latest.reviewer} said: {p.latest.reason}")
            with st.form(f"resubmit-{p.thread}"):
                old = p.latest.change
                row = {c: st.text_input(c, value=str(v), key=f"re-{p.thread}-{c}").strip() for c, v in old.row.items()}
                extra = {}
                if old.kind != amend.NEW:
                    extra = {
                        f: st.text_input(f, value=getattr(old, f), key=f"re-{p.thread}-{f}").strip()
                        for f in ("source", "url", "published")
                    }
                quote = st.text_area("Quote", value=old.quote, key=f"re-{p.thread}-quote")
                reason = st.text_area("Reason", value=old.reason, key=f"re-{p.thread}-reason")
                if st.form_submit_button("Resubmit"):
                    change = amend.Change(
                        old.kind,
                        old.file,
                        quote=quote.strip(),
                        reason=reason.strip(),
                        row=row,
                        target=old.target,
                        **extra,
                    )
                    try:
                        again = rec.resubmit(me, p.thread, change, dt.datetime.now(dt.UTC), clock.today())
                    except record.RecordError as err:
                        saved.error("It was not resubmitted; what you wrote is still in the form.", err)
                    else:
                        review.said(f"#{p.thread} is resubmitted (round {again.latest.round}).")


def listing(items: list[record.Proposal]) -> pd.DataFrame:
    rows = [
        {
            "#": p.thread,
            "state": record.in_words(p.state),
            "kind": p.latest.change.kind,
            "what": p.latest.change.describe(short=True),
            "proposer": p.proposer,
            "round": p.latest.round,
            "proposed (UTC)": f"{p.latest.created_at:%Y-%m-%d %H:%M}",
        }
        for p in items
    ]
    return pd.DataFrame(rows, columns=["#", "state", "kind", "what", "proposer", "round", "proposed (UTC)"])
