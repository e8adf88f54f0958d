"""One proposal as its reviewer meets it, and the editor's decision on it.

What it changes beside what the record says now (the chart before and after, the headline figures that
move), its source and quote, its rounds. Every text of a proposal is shown as plain text; its link is an
http(s) link only.

The round an editor opens is the round they decide on: it is pinned in their session the first time it
is shown, so no rerun (an automatic one, when someone resubmits on any replica) swaps what the form is
about. A decision on a round that is no longer the newest is refused by the record, and the page then
shows the new round, with the editor's reason kept and the decision to be chosen again."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from force_posture.core import amend, effects
from force_posture.store import live, record
from force_posture.ui import before_after, clock, saved

CHOICES = {record.APPROVED: "Approve", record.REJECTED: "Reject", record.CHANGES: "Send back for changes"}


def rounds_text(p: record.Proposal) -> str:
    """Every round, who wrote it and when, what it changed from the round before, and its decision."""
    lines = []
    for before, r in zip((None, *p.rounds[:-1]), p.rounds, strict=True):
        lines.append(f"Round {r.round}, {r.created_at:%Y-%m-%d %H:%M} UTC, by {r.proposer}: {r.change.describe()}")
        if before is not None:
            moved = amend.round_changes(before.change, r.change)
            lines.append("  Changed from round {}: {}".format(before.round, "; ".join(moved) or "nothing"))
        if r.decision:
            said = f": {r.reason}" if r.reason else ""
            mark = " (self-reviewed)" if r.self_reviewed else ""
            when = f"{r.decided_at:%Y-%m-%d %H:%M} UTC"
            lines.append(f"  {record.in_words(r.decision).capitalize()} by {r.reviewer}{mark}, {when}{said}")
    return "\n".join(lines)


def _pin_key(thread: int) -> str:
    return f"review-seen-{thread}"


def seen_round(p: record.Proposal) -> record.Round:
    """The round this editor opened: the newest when they first saw the proposal, kept until they ask
    for a newer one (or the record refuses a decision on it)."""
    rounds = {r.id: r for r in p.rounds}
    if st.session_state.get(_pin_key(p.thread)) not in rounds:
        st.session_state[_pin_key(p.thread)] = p.latest.id
    return rounds[st.session_state[_pin_key(p.thread)]]


def look_again(thread: int, newest: int) -> None:
    """Open the newest round: the decision is chosen again (the reason is kept)."""
    st.session_state[_pin_key(thread)] = newest
    st.session_state[f"decision-{thread}"] = None  # set, not removed: the browser's radio is cleared too
    st.session_state.pop(f"review-refused-{thread}", None)


def detail(p: record.Proposal, raws: dict[str, pd.DataFrame], me: record.Analyst, rec: record.Record) -> None:
    """The round the editor opened: what it says, what it changes, and the decision form."""
    today = clock.today()
    clear_refused_choice(p.thread)
    if refused := st.session_state.get(f"review-refused-{p.thread}"):  # until the editor decides again
        st.error("The decision was not recorded; the proposal is as it was.", icon="⚠️")
        st.text(refused)
    shown = seen_round(p)
    change = shown.change
    state = record.in_words(shown.decision or record.OPEN)
    st.text(f"#{p.thread} · round {shown.round} · {state} · {change.describe(short=True)}")
    if shown.id != p.latest.id:
        newest = p.latest
        st.warning(
            f"{newest.proposer} wrote round {newest.round} at {newest.created_at:%H:%M} UTC, after you opened this "
            f"proposal. Below is round {shown.round}, as you saw it: a decision on it will be refused.",
            icon="⚠️",
        )
        st.button(
            f"Review round {newest.round}", key=f"look-{p.thread}", on_click=look_again, args=(p.thread, newest.id)
        )
    elif shown.decision:
        st.caption(f"Decided by {shown.reviewer} at {shown.decided_at:%Y-%m-%d %H:%M} UTC.")
    what_it_changes(p, change, rec)
    source, url, published = change.sourced
    st.text(f"Source: {source} (published {published})\nQuote: {change.quote}\nReason: {change.reason}")
    if url.startswith(("http://", "https://")):
        st.link_button("Open the source", url)
    with st.expander(f"History ({len(p.rounds)} round(s))"):
        st.text(rounds_text(p))
    if shown.decision:
        return
    why = amend.conflict(raws, change)
    if why:
        st.warning("In conflict: it cannot be approved until the proposer brings it up to date.", icon="⚠️")
        st.text(why)
    else:
        before_after.charts(p.thread, raws, change, today)
    decide(p, shown, rec, me)


def what_it_changes(p: record.Proposal, change: amend.Change, rec: record.Record) -> None:
    """What the round changes (a correction word by word, a retracted row whole) and, beside it, every
    other open proposal on the same row, so the editor reads them side by side before deciding."""
    try:
        on_row = [] if change.target is None else record.open_on_row(rec.proposals(), change.file, change.target)
    except record.RecordError:
        on_row = []
    others = [o for o in on_row if o.thread != p.thread]
    if change.kind != amend.NEW and not others:
        st.text(effects.change_text(change))
    if not others:
        return
    st.info(f"{len(others) + 1} proposals are open on this row: each is shown below, side by side on a wide screen.")
    items = [(p.thread, p.proposer, change)] + [(o.thread, o.proposer, o.latest.change) for o in others]
    for col, (thread, who, what) in zip(st.columns(len(items)), items, strict=True):
        col.text(f"#{thread} by {who}{' (this one)' if thread == p.thread else ''}\n{effects.change_text(what)}")


def decide(p: record.Proposal, shown: record.Round, rec: record.Record, me: record.Analyst) -> None:
    """The decision form, on the round shown. Nothing is preselected: the button waits for a choice."""
    if not me.editor:
        st.caption(f"Only editors review proposals; {me.name} is not one on this server.")
        return
    if me.name == p.proposer and not me.local:
        st.caption("You wrote this proposal: in a team, a second analyst reviews it.")
        return
    decision = st.radio(
        "Decision", list(CHOICES), index=None, horizontal=True, key=f"decision-{p.thread}", format_func=CHOICES.get
    )
    reason = st.text_area(
        "Reason (needed to reject or send back; the proposer reads it)",
        key=f"reason-{p.thread}",
        max_chars=amend.MAX_TEXT,
    )
    if me.local and me.name == p.proposer:
        st.caption("No second analyst on this server: an approval is marked self-reviewed in the record.")
    if decision is None:
        st.caption(f"Choose a decision on round {shown.round} to record it.")
    if not st.button("Record the decision", type="primary", disabled=decision is None, key=f"decide-{p.thread}"):
        return
    st.session_state.pop(f"review-refused-{p.thread}", None)
    try:
        done = rec.decide(me, p.thread, shown.id, decision, reason, dt.datetime.now(dt.UTC), clock.today())
    except record.RecordError as err:
        newer = _newest_round(rec, p.thread)
        if newer is not None and newer != shown.id:
            st.session_state[f"review-refused-{p.thread}"] = str(err)
            st.session_state[_pin_key(p.thread)] = newer
            st.session_state[f"review-clear-{p.thread}"] = True
            live.shared().refresh()  # the page drawn next is on the newest round: no push redraws it
            st.rerun()
        saved.error("The decision was not recorded; the proposal is as it was.", err)
        return
    version = f": the record is now version {done.latest.version}" if done.latest.version else ""
    said(f"Proposal #{p.thread} is {record.in_words(done.state)}{version}.")


def said(message: str) -> None:
    """Show `message` at the top of the page drawn next, drawn on the record as this replica reads it now (so
    the push the change causes finds the page current and does not draw it again, taking the message away)."""
    st.session_state["review-done"] = message
    live.shared().refresh()
    st.rerun()


def clear_refused_choice(thread: int) -> None:
    """After a refusal on an older round: the decision is chosen again on the new one (before its radio)."""
    if st.session_state.pop(f"review-clear-{thread}", False):
        st.session_state[f"decision-{thread}"] = None


def _newest_round(rec: record.Record, thread: int) -> int | None:
    try:
        return rec.proposal(thread).latest.id
    except record.RecordError:
        return None
