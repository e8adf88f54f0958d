"""Proposing an update to the record: the form, and a researcher's CSV of new rows.

The form proposes a new figure, milestone or range, a correction or a retraction. Every proposal is
checked at once by the record's rules (record.py, amend.py) and every problem is shown as plain text."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from force_posture import amend, data
from force_posture.ui import clock, saved

KINDS = {
    "New troop-level figure": (amend.NEW, data.LEVELS_FILE),
    "New milestone": (amend.NEW, data.MILESTONES_FILE),
    "New range where sources disagree": (amend.NEW, data.DISAGREEMENTS_FILE),
    "Correction of a figure or milestone": (amend.CORRECTION, None),
    "Retraction of a figure or milestone": (amend.RETRACTION, None),
}
CHOICES = {"qualifier": data.QUALIFIERS, "basis": data.BASES, "kind": data.KINDS}
LONG = {"note", "detail"}


def the_record():
    from force_posture import record

    return record.shared()


def who():
    """Who proposes or reviews (record.analyst: the trusted proxy header and the editors setting)."""
    import os

    from force_posture import record

    return record.analyst(dict(st.context.headers), os.environ)


def _day(label: str, key: str, today: dt.date, past: bool = True) -> str:
    """A day as YYYY-MM-DD; `past`: not after today (a publication day)."""
    latest = today if past else dt.date(2100, 12, 31)
    return st.date_input(label, value=today, max_value=latest, format="YYYY-MM-DD", key=key).isoformat()


def _row_fields(file: str, country: str | None, key: str, today: dt.date) -> dict:
    row: dict = {}
    countries = data.MILESTONE_COUNTRIES if file == data.MILESTONES_FILE else data.COUNTRIES
    for column in amend.COLUMNS[file]:
        k = f"{key}-field-{column}"  # (not "{key}-kind": a milestone has a kind column too)
        if column == "published":
            row[column] = _day("Published (the day the source made it public)", k, today)
        elif column in ("date", "start", "end"):
            row[column] = _day(column.capitalize(), k, today, past=False)  # a deadline lies ahead
        elif column == "country":
            row[column] = st.selectbox("Country", countries, index=countries.index(country) if country else 0, key=k)
        elif column in CHOICES:
            row[column] = st.selectbox(column.capitalize(), CHOICES[column], key=k)
        elif column in LONG:
            row[column] = st.text_area(column.capitalize(), key=k, max_chars=amend.MAX_TEXT).strip()
        else:
            row[column] = st.text_input(column.capitalize(), key=k, max_chars=amend.MAX_TEXT).strip()
    return row


def _pick_row(ds: data.Dataset, country: str | None, key: str) -> tuple[str, dict] | None:
    file = st.radio("Which file", [data.LEVELS_FILE, data.MILESTONES_FILE], horizontal=True, key=f"{key}-file",
                    format_func=lambda f: amend.WHAT[f].capitalize() + "s")  # fmt: skip
    raws, _ = the_record().current()
    rows = [
        r
        for r in raws[file].to_dict("records")
        if (not country or r["country"] in (country, "Both")) and not amend.is_retracted(raws, file, r)
    ][::-1]  # fmt: skip (the live rows, newest first)
    if not rows:
        st.info("No rows to choose from.")
        return None
    words = [amend.Change(amend.NEW, file, "", "", row=r).describe().split(": ", 1)[1] for r in rows]
    picked = st.selectbox("The row", range(len(rows)), key=f"{key}-row", format_func=lambda i: words[i])
    return file, rows[picked]


def form(ds: data.Dataset, country: str | None = None, key: str = "propose") -> None:
    """The propose form; a proposal goes to the editors (Review page) once it passes the record's rules."""
    today = clock.today()
    label = st.selectbox("What do you propose?", list(KINDS), key=f"{key}-kind")
    kind, file = KINDS[label]
    with st.form(f"{key}-form", clear_on_submit=False, enter_to_submit=False):
        target, row, source, url, published = None, {}, "", "", ""
        if kind == amend.NEW:
            row = _row_fields(file, country, key, today)
        else:
            picked = _pick_row(ds, country, key)
            if picked is None:
                st.form_submit_button("Propose", disabled=True)
                return
            file, target = picked
            if kind == amend.CORRECTION:
                column = st.selectbox("Column to correct", amend.COLUMNS[file][2:-1], key=f"{key}-column")
                st.text(f"It says now: {target.get(column, '')}")
                row = {column: st.text_input("It should say", key=f"{key}-new", max_chars=amend.MAX_TEXT).strip()}
            source = st.text_input("Source (who says so)", key=f"{key}-source").strip()
            url = st.text_input("Source URL (http or https)", key=f"{key}-url").strip()
            published = _day("Published (the day the source said so)", f"{key}-published", today)
        quote = st.text_area("Quote from the source (required)", key=f"{key}-quote", max_chars=amend.MAX_TEXT)
        reason = st.text_area("Reason (required)", key=f"{key}-reason", max_chars=amend.MAX_TEXT)
        if st.form_submit_button("Propose", type="primary"):
            change = amend.Change(kind, file, quote=quote.strip(), reason=reason.strip(), row=row, target=target,
                                  source=source, url=url, published=published)  # fmt: skip
            submit([change])


def submit(changes: list[amend.Change]) -> None:
    """Propose the changes (all or none) and say what happened, in plain text."""
    from force_posture import database

    try:
        rec, me = the_record(), who()
        now = dt.datetime.now(dt.UTC)
        if len(changes) == 1:
            numbers = [rec.propose(me, changes[0], now, clock.today()).thread]
        else:
            numbers = rec.propose_many(me, changes, now, clock.today())
    except database.DatabaseError as err:
        saved.error("Nothing was proposed; what you wrote is still in the form. Fix each point and propose again:", err)
        return
    st.success(f"Proposed {', '.join(f'#{n}' for n in numbers)}: an editor reviews it on the Review page.")


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
        submit(changes)
