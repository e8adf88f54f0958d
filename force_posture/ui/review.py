"""One proposal as its reviewer meets it, and the editor's decision on it.

What it changes beside what the record says now (the chart before and after, the headline figures that
move), its source and quote, its rounds. Every text of a proposal is shown as plain text; its link is an
http(s) link only."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from force_posture import amend, charts, data, live, record, review, summary
from force_posture.ui import chart, clock, saved, screen


def rounds_text(p: record.Proposal) -> str:
    lines = []
    for r in p.rounds:
        lines.append(f"Round {r.round}, {r.created_at:%Y-%m-%d %H:%M} UTC, by {r.proposer}: {r.change.describe()}")
        if r.decision:
            said = f": {r.reason}" if r.reason else ""
            mark = " (self-reviewed)" if r.self_reviewed else ""
            lines.append(f"  {r.decision} by {r.reviewer}{mark}, {r.decided_at:%Y-%m-%d %H:%M} UTC{said}")
    return "\n".join(lines)


def detail(p: record.Proposal, rec: record.Record, me: record.Analyst) -> None:
    today = clock.today()
    change = p.latest.change
    st.text(f"#{p.thread} · {p.state} · {change.describe()}")
    source, url, published = change.sourced
    st.text(f"Source: {source} (published {published})\nQuote: {change.quote}\nReason: {change.reason}")
    if url.startswith(("http://", "https://")):
        st.link_button("Open the source", url)
    with st.expander(f"History ({len(p.rounds)} round(s))"):
        st.text(rounds_text(p))
    raws, _ = rec.current()
    why = amend.conflict(raws, change) if p.state == record.OPEN else None
    if why:
        st.warning("In conflict: it cannot be approved until the proposer brings it up to date.", icon="⚠️")
        st.text(why)
    elif p.state == record.OPEN:
        before = data.from_frames(raws)
        after = data.from_frames(amend.apply(raws, change))
        moved = review.differences(before, after, change, today)
        st.caption("The headline figures it changes:" if len(moved) else "It changes no headline figure.")
        if len(moved):
            st.text("\n".join(f"{r['country']}, {r['figure']}: {r['now']}  →  if approved: {r['if approved']}"
                           for r in moved.to_dict("records")))  # fmt: skip
        countries = review.affected(change)
        wide = screen.layout_width() >= 900  # side by side on a laptop; one above the other on a phone
        cols = st.columns(2) if wide else (st.container(), st.container())
        width = screen.layout_width() // 2 - 16 if wide else screen.layout_width()
        for col, ds, title in ((cols[0], before, "Now"), (cols[1], after, "If approved")):
            spec = charts.ChartSpec(today=today, countries=countries, width=width, height=460, title=title,
                                    label_rows=1, theme=screen.theme())  # fmt: skip
            alt = f"{title}: {summary.alt_text(ds.levels, today, countries)}"
            col.plotly_chart(charts.build_chart(ds, spec), theme=None, width="stretch", config=chart.PLOTLY_CONFIG,
                             key=f"review-{p.thread}-{title}", alt=alt)  # fmt: skip
    if p.state == record.OPEN:
        decide(p, rec, me, conflicted=bool(why))


def decide(p: record.Proposal, rec: record.Record, me: record.Analyst, conflicted: bool) -> None:
    if not me.editor:
        st.caption(f"Only editors review proposals; {me.name} is not one on this server.")
        return
    if me.name == p.proposer and not me.local:
        st.caption("You wrote this proposal: in a team, a second analyst reviews it.")
        return
    with st.form(f"decide-{p.thread}"):
        choices = [record.REJECTED, record.CHANGES] if conflicted else list(record.DECISIONS)
        decision = st.radio("Decision", choices, horizontal=True, key=f"decision-{p.thread}")
        reason = st.text_area("Reason (needed to reject or request changes)", key=f"reason-{p.thread}",
                              max_chars=amend.MAX_TEXT)  # fmt: skip
        if me.local and me.name == p.proposer:
            st.caption("No second analyst on this server: an approval is marked self-reviewed in the record.")
        if st.form_submit_button("Record the decision", type="primary"):
            try:
                done = rec.decide(me, p.thread, p.latest.id, decision, reason, dt.datetime.now(dt.UTC), clock.today())
            except record.RecordError as err:
                saved.error("The decision was not recorded; the proposal is as it was.", err)
                return
            version = f": the record is now version {done.latest.version}" if done.latest.version else ""
            st.session_state["review-done"] = f"Proposal #{p.thread} is {done.state}{version}."
            # this replica reads the new record now, so the page drawn next is drawn on it (and its watch
            # does not run it again a second later, which would take the message away)
            live.shared().refresh()
            st.rerun()
