"""Proposing an update to the record: the form, and a researcher's CSV of new rows.

The form proposes a new figure, milestone or range, a correction or a retraction. Every proposal is
checked at once by the record's rules (record.py, amend.py) and every problem is shown as plain text."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable

import streamlit as st

from force_posture.core import amend, data
from force_posture.store import database, record
from force_posture.ui import clock, fields, saved

KINDS = {
    "New troop-level figure": (amend.NEW, data.LEVELS_FILE),
    "New milestone": (amend.NEW, data.MILESTONES_FILE),
    "New range where sources disagree": (amend.NEW, data.DISAGREEMENTS_FILE),
    "Correction of a figure or milestone": (amend.CORRECTION, None),
    "Retraction of a figure or milestone": (amend.RETRACTION, None),
}


def the_record() -> record.Record:

    return record.shared()


def who() -> record.Analyst:
    """Who proposes or reviews (record.analyst: the trusted proxy header and the editors setting)."""
    return record.analyst(dict(st.context.headers), os.environ)


def _live_rows(file: str, country: str | None) -> list[dict]:
    raws, _ = the_record().current()
    rows = [r for r in raws[file].to_dict("records") if not country or r["country"] in (country, "Both")]
    return [r for r in rows if not amend.is_retracted(raws, file, r)][::-1]


def _pick_row(country: str | None, key: str) -> tuple[str, dict] | None:
    """The file and the row a correction or retraction is about, chosen outside any form so that
    everything below follows the choice at once; the row is shown whole."""
    file = st.radio(
        "Which file",
        [data.LEVELS_FILE, data.MILESTONES_FILE],
        horizontal=True,
        key=f"{key}-file",
        format_func=lambda f: amend.WHAT[f].capitalize() + "s",
    )
    rows = {data.fingerprint(r, amend.COLUMNS[file]): r for r in _live_rows(file, country)}
    if not rows:
        st.info("No rows to choose from.")
        return None
    words = {fp: amend.Change(amend.NEW, file, "", "", row=r).describe().split(": ", 1)[1] for fp, r in rows.items()}
    picked = st.selectbox("The row", list(rows), key=f"{key}-row-{file}", format_func=words.get)
    row = rows[picked]
    st.text("The row as it reads now:\n" + "\n".join(f"  {c}: {row.get(c, '')}" for c in amend.COLUMNS[file]))
    _others_on(file, row)
    return file, row


def _others_on(file: str, row: dict) -> None:
    """Tell the proposer at once when the row already has an open proposal (the editor sees both)."""
    try:
        others = record.open_on_row(the_record().proposals(), file, row)
    except record.RecordError:
        return
    if others:
        listed = "; ".join(f"#{p.thread} by {p.proposer} ({p.latest.change.kind})" for p in others)
        st.info(f"This row already has an open proposal: {listed}. Yours would wait beside it; the editor sees both.")


def _corrected(file: str, row: dict, key: str) -> dict:
    """The column to correct and what it should say, starting from what it says now."""
    column = st.selectbox(
        "Column to correct",
        amend.CORRECTABLE_COLUMNS[file],
        key=f"{key}-column-{file}",
        format_func=lambda c: fields.LABELS.get(c, c),
    )
    now = str(row.get(column, ""))
    where = f"{key}-new-{file}-{data.fingerprint(row, amend.COLUMNS[file])}-{column}"
    label = "It should say (it says now what is in the box: edit it)"
    if column in fields.CHOICES:
        choices = fields.CHOICES[column]
        new = st.selectbox(label, choices, index=choices.index(now) if now in choices else 0, key=where)
    elif column == "label":
        new = st.text_input(label, value=now, key=where, max_chars=data.LABEL_MAX - 1)
    else:
        lines = max(3, len(now) // 60 + 2)
        new = st.text_area(label, value=now, key=where, max_chars=amend.MAX_TEXT, height=min(400, 24 * lines + 20))
    return {column: new.strip()}


@st.fragment
def form(
    country: str | None = None, key: str = "propose", given: dict | None = None, after: Callable | None = None
) -> None:
    """The propose form; a proposal goes to the editors (Review page) once it passes the record's rules.
    `given`: a new figure's fields and its quote to start from (a lead); `after`: told the numbers proposed.
    Every choice that decides other fields (the kind of proposal, the file, the row, the column,
    a milestone's kind) updates the form at once, and only the form runs again (a fragment); what was
    typed elsewhere stays. A proposal that goes through clears the form (a new generation of keys)."""
    today = clock.today()
    if done := st.session_state.pop(f"{key}-done", None):
        st.success(done)
    label = st.selectbox("What do you propose?", list(KINDS), key=f"{key}-kind")
    kind, file = KINDS[label]
    g = f"{key}-{st.session_state.setdefault(f'{key}-generation', 0)}"
    target, row, source, url, published = None, {}, "", "", ""
    if kind == amend.NEW:
        row = fields.row_fields(file, country, g, today, given)
        for warning in amend.warnings(file, row, today):
            st.warning(warning, icon="⚠️")
    else:
        picked = _pick_row(country, g)
        if picked is None:
            return
        file, target = picked
        if kind == amend.CORRECTION:
            row = _corrected(file, target, g)
        source = st.text_input(
            "Source that says the row is wrong (who says so)", key=f"{g}-source", max_chars=amend.MAX_TEXT
        ).strip()
        url = st.text_input(
            fields.LABELS["url"], key=f"{g}-url", max_chars=amend.MAX_TEXT, help=fields.HELP["url"]
        ).strip()
        published = fields.day("Published (the day the source said so)", f"{g}-published", today)
    given, most = given or {}, amend.MAX_TEXT
    quote = st.text_area("Quote from the source (required)", given.get("quote", ""), key=f"{g}-quote", max_chars=most)
    reason = st.text_area("Reason (required)", given.get("reason", ""), key=f"{g}-reason", max_chars=most)
    if st.button("Propose", type="primary", key=f"{g}-go"):
        change = amend.Change(
            kind,
            file,
            quote=quote.strip(),
            reason=reason.strip(),
            row=row,
            target=target,
            source=source,
            url=url,
            published=published,
        )
        numbers, st.session_state[f"{key}-refused"] = submit([change])
        if numbers:
            if after is not None:
                after(numbers)
            st.session_state[f"{key}-generation"] += 1
            st.session_state[f"{key}-done"] = proposed_words(numbers)
            st.rerun()
    if refused := st.session_state.get(f"{key}-refused"):  # until the next Propose: a rerun does not take it away
        saved.error(REFUSED, refused)


def proposed_words(numbers: list[int]) -> str:
    return f"Proposed {', '.join(f'#{n}' for n in numbers)}: an editor reviews it on the Review page."


REFUSED = "Nothing was proposed; what you wrote is still in the form. Fix each point and propose again:"


def submit(changes: list[amend.Change]) -> tuple[list[int], str]:
    """Propose the changes (all or none): the numbers proposed, or none and every problem in plain words."""
    try:
        rec, me = the_record(), who()
        now = dt.datetime.now(dt.UTC)
        if len(changes) == 1:
            return [rec.propose(me, changes[0], now, clock.today()).thread], ""
        return rec.propose_many(me, changes, now, clock.today()), ""
    except database.DatabaseError as err:
        return [], str(err)


def bulk() -> None:
    """A researcher's CSV of new rows: the data files' own columns plus quote and reason."""
    st.caption(
        "Twenty rows at once: a CSV with the columns of troop_levels.csv, milestones.csv or disagreements.csv, "
        "plus quote and reason. Every row is proposed, or none (each problem is named by row)."
    )
    upload = st.file_uploader("Propose the rows of a CSV file", type=["csv"], key="propose-bulk")
    if upload is None:
        return
    changes, problems = amend.from_csv(upload.getvalue().decode("utf-8", "replace"), clock.today())
    if problems:
        st.error("This file cannot be proposed:", icon="⚠️")
        st.text("\n".join(problems))
        return
    st.text(f"{len(changes)} row(s) in {upload.name}:\n" + "\n".join(c.describe() for c in changes[:50]))
    if st.button(f"Propose these {len(changes)} rows", key="propose-bulk-go"):
        numbers, refused = submit(changes)
        if numbers:
            st.success(proposed_words(numbers))
        else:
            saved.error(REFUSED, refused)
