"""The fields of a new row as the propose form asks them: each column in words, with its help and limit.

What the form asks, it says before anyone submits: a label's 39 characters, a link's form, a target's troop
level (asked as soon as a milestone's kind is "target")."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from force_posture.core import amend, data

CHOICES = {"qualifier": data.QUALIFIERS, "basis": data.BASES, "kind": data.KINDS, "corroboration": data.CORROBORATIONS}
LONG = {"note", "detail"}
# Every field in words, with the limit it has: what the form asks, it says before anyone submits.
LABELS = {
    "date": "Date the figure is for",
    "troops": "Troops (a whole number: 900, not ~900)",
    "low": "Low end of a stated range (empty if none)",
    "high": "High end of a stated range (empty if none)",
    "qualifier": "How the source puts the figure",
    "basis": "Basis",
    "source": "Source (who says so)",
    "url": "Link to the source (https://...)",
    "note": "Note (what the source says, in a sentence)",
    "kind": "Kind of milestone",
    "label": f"Label on the chart (at most {data.LABEL_MAX - 1} characters)",
    "detail": "Detail (what happened, and who says so)",
    "value": "Troop level of the target (a whole number)",
    "start": "From",
    "end": "To",
    "published": "Published (the day the source made it public)",
    "corroboration": "How it is corroborated",
    "outlets": "Independent outlets that carry it",
}
MILESTONE_DATE = "Date of the event, announcement, target or deadline"
HELP = {
    "qualifier": "exact, about, fewer_than, more_than or up_to: 'fewer than 1,000' is fewer_than with troops 1000.",
    "basis": "acknowledged: stated officially at the time; disclosed: revealed later about an earlier time; "
    "authorized: a cap, not a count; reported: the press or an unnamed official.",
    "url": "One web address, starting with http:// or https://; name any other source in the note.",
    "published": "For most rows the day of the source; for a figure disclosed later, the day of the disclosure; "
    "for a deadline, the day it was announced.",
    "value": f"Targets only: the level the target sets, at most {data.MAX_TROOPS:,}.",
    "troops": f"At most {data.MAX_TROOPS:,}: the US peak in Iraq was about 170,000 (2007).",
    "corroboration": "official: a government states it; confirmed: two or more independent outlets carry it; "
    "single: one outlet. Syndicated copies of one report (a wire story reprinted) count once.",
    "outlets": "How many independent outlets carry it, syndicated copies counted once: 1 for a single source.",
}


def day(label: str, key: str, today: dt.date, past: bool = True, help: str | None = None, value: str = "") -> str:
    """A day as YYYY-MM-DD; `past`: not after today (a publication day); `value`: the day to start from."""
    latest = today if past else dt.date(2100, 12, 31)
    start = min(data.parse_date(value) or today, latest)
    return st.date_input(label, value=start, max_value=latest, format="YYYY-MM-DD", key=key, help=help).isoformat()


def row_fields(file: str, country: str | None, key: str, today: dt.date, given: dict | None = None) -> dict:
    """A new row's every column, each field in words with its limit; the milestone's kind first, as
    it decides whether a troop level is asked. `given`: what the fields start from (a lead's figure),
    for the analyst to check and change."""
    row: dict = {}
    given = given or {}
    countries = data.MILESTONE_COUNTRIES if file == data.MILESTONES_FILE else data.COUNTRIES
    columns = amend.COLUMNS[file]
    if file == data.MILESTONES_FILE:
        columns = ("kind", *(c for c in columns if c != "kind"))
    for column in columns:
        k = f"{key}-field-{column}"  # (not "{key}-kind": a milestone has a kind column too)
        label, help, start = LABELS.get(column, column.capitalize()), HELP.get(column), str(given.get(column, ""))
        if column == "published":
            row[column] = day(label, k, today, help=help, value=start)
        elif column in ("date", "start", "end"):
            label = MILESTONE_DATE if file == data.MILESTONES_FILE else label
            row[column] = day(label, k, today, past=False, value=start)  # a deadline lies ahead
        elif column == "country":
            chosen = start or country
            row[column] = st.selectbox("Country", countries, index=countries.index(chosen) if chosen else 0, key=k)
        elif column == "corroboration":  # asked, never assumed: no choice until the proposer makes one
            index = CHOICES[column].index(start) if start in CHOICES[column] else None
            how = st.selectbox(
                label, CHOICES[column], index=index, placeholder="official, confirmed or single", key=k, help=help
            )
            row[column] = how or ""
        elif column in CHOICES:
            index = CHOICES[column].index(start) if start in CHOICES[column] else 0
            row[column] = st.selectbox(label, CHOICES[column], index=index, key=k, help=help)
        elif column == "value" and file == data.MILESTONES_FILE:
            row[column] = _target_value(row.get("kind", ""), k, label, help)
        elif column == "outlets":
            count = int(start) if start.isdigit() else 1
            row[column] = str(st.number_input(label, min_value=1, max_value=99, value=count, step=1, key=k, help=help))
        elif column in LONG:
            row[column] = st.text_area(label, value=start, key=k, max_chars=amend.MAX_TEXT).strip()
        else:
            most = data.LABEL_MAX - 1 if column == "label" else amend.MAX_TEXT
            row[column] = st.text_input(label, value=start, key=k, max_chars=most, help=help).strip()
    return row


def _target_value(kind: str, key: str, label: str, help: str | None) -> str:
    """A target's troop level (asked for targets only: no other milestone carries one)."""
    if kind != "target":
        return ""
    st.caption("A target needs its troop level: the number the target sets (for 'fewer than 1,000', 1000).")
    return st.text_input(label, key=key, max_chars=7, help=help).strip()
