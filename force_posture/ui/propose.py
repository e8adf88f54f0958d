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
}


def the_record():
    from force_posture import record

    return record.shared()


def who():
    """Who proposes or reviews (record.analyst: the trusted proxy header and the editors setting)."""
    import os

    from force_posture import record

    return record.analyst(dict(st.context.headers), os.environ)


def _day(label: str, key: str, today: dt.date, past: bool = True, help: str | None = None) -> str:
    """A day as YYYY-MM-DD; `past`: not after today (a publication day)."""
    latest = today if past else dt.date(2100, 12, 31)
    return st.date_input(label, value=today, max_value=latest, format="YYYY-MM-DD", key=key, help=help).isoformat()


def _row_fields(file: str, country: str | None, key: str, today: dt.date) -> dict:
    """A new row's every column, each field in words with its limit; the milestone's kind first, as
    it decides whether a troop level is asked."""
    row: dict = {}
    countries = data.MILESTONE_COUNTRIES if file == data.MILESTONES_FILE else data.COUNTRIES
    columns = amend.COLUMNS[file]
    if file == data.MILESTONES_FILE:
        columns = ("kind", *(c for c in columns if c != "kind"))
    for column in columns:
        k = f"{key}-field-{column}"  # (not "{key}-kind": a milestone has a kind column too)
        label, help = LABELS.get(column, column.capitalize()), HELP.get(column)
        if column == "published":
            row[column] = _day(label, k, today, help=help)
        elif column in ("date", "start", "end"):
            label = MILESTONE_DATE if file == data.MILESTONES_FILE else label
            row[column] = _day(label, k, today, past=False)  # a deadline lies ahead
        elif column == "country":
            row[column] = st.selectbox("Country", countries, index=countries.index(country) if country else 0, key=k)
        elif column in CHOICES:
            row[column] = st.selectbox(label, CHOICES[column], key=k, help=help)
        elif column == "value" and file == data.MILESTONES_FILE:
            row[column] = _target_value(row.get("kind", ""), k, label, help)
        elif column in LONG:
            row[column] = st.text_area(label, key=k, max_chars=amend.MAX_TEXT).strip()
        else:
            most = data.LABEL_MAX - 1 if column == "label" else amend.MAX_TEXT
            row[column] = st.text_input(label, key=k, max_chars=most, help=help).strip()
    return row


def _target_value(kind: str, key: str, label: str, help: str | None) -> str:
    """A target's troop level (asked for targets only: no other milestone carries one)."""
    if kind != "target":
        return ""
    st.caption("A target needs its troop level: the number the target sets (for 'fewer than 1,000', 1000).")
    return st.text_input(label, key=key, max_chars=7, help=help).strip()


def warnings(file: str, row: dict, today: dt.date) -> list[str]:
    """What looks wrong before anyone submits, each naming the day: a deadline dated before its source
    published it; an event or announcement, or a troop figure, dated after today. Pure."""
    day, published = data.parse_date(row.get("date", "")), data.parse_date(row.get("published", ""))
    if day is None:
        return []
    out = []
    kind = row.get("kind", "") if file == data.MILESTONES_FILE else ""
    if kind == "deadline" and published is not None and day < published:
        out.append(
            f"The deadline, {data.fmt_day(day)}, is before the day its source published it "
            f"({data.fmt_day(published)}): a deadline lies ahead of its announcement. Check both days."
        )
    after = f"dated {data.fmt_day(day)} is after today ({data.fmt_day(today)})"
    if day > today and file == data.LEVELS_FILE:
        out.append(f"A troop figure {after}: a count is of a day that has come. Check the date.")
    if day > today and kind in ("event", "announcement"):
        out.append(f"An {kind} {after}: it cannot have happened yet. Did you mean a deadline or a target?")
    return out


def _live_rows(file: str, country: str | None) -> list[dict]:
    raws, _ = the_record().current()
    rows = [r for r in raws[file].to_dict("records") if not country or r["country"] in (country, "Both")]
    return [r for r in rows if not amend.is_retracted(raws, file, r)][::-1]


def _pick_row(country: str | None, key: str) -> tuple[str, dict] | None:
    """The file and the row a correction or retraction is about, chosen outside any form so that
    everything below follows the choice at once; the row is shown whole."""
    file = st.radio("Which file", [data.LEVELS_FILE, data.MILESTONES_FILE], horizontal=True, key=f"{key}-file",
                    format_func=lambda f: amend.WHAT[f].capitalize() + "s")  # fmt: skip
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
    from force_posture import record

    try:
        others = record.open_on_row(the_record().proposals(), file, row)
    except record.RecordError:
        return
    if others:
        listed = "; ".join(f"#{p.thread} by {p.proposer} ({p.latest.change.kind})" for p in others)
        st.info(f"This row already has an open proposal: {listed}. Yours would wait beside it; the editor sees both.")


def _corrected(file: str, row: dict, key: str) -> dict:
    """The column to correct and what it should say, starting from what it says now."""
    column = st.selectbox("Column to correct", amend.COLUMNS[file][2:-1], key=f"{key}-column-{file}",
                          format_func=lambda c: LABELS.get(c, c))  # fmt: skip
    now = str(row.get(column, ""))
    where = f"{key}-new-{file}-{data.fingerprint(row, amend.COLUMNS[file])}-{column}"
    label = "It should say (it says now what is in the box: edit it)"
    if column in CHOICES:
        new = st.selectbox(label, CHOICES[column], index=CHOICES[column].index(now) if now in CHOICES[column] else 0,
                           key=where)  # fmt: skip
    elif column == "label":
        new = st.text_input(label, value=now, key=where, max_chars=data.LABEL_MAX - 1)
    else:
        lines = max(3, len(now) // 60 + 2)
        new = st.text_area(label, value=now, key=where, max_chars=amend.MAX_TEXT, height=min(400, 24 * lines + 20))
    return {column: new.strip()}


def form(ds: data.Dataset, country: str | None = None, key: str = "propose") -> None:
    """The propose form; a proposal goes to the editors (Review page) once it passes the record's rules."""
    _form(country, key)


@st.fragment
def _form(country: str | None, key: str) -> None:
    """Every choice that decides other fields (the kind of proposal, the file, the row, the column,
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
        row = _row_fields(file, country, g, today)
        for warning in warnings(file, row, today):
            st.warning(warning, icon="⚠️")
    else:
        picked = _pick_row(country, g)
        if picked is None:
            return
        file, target = picked
        if kind == amend.CORRECTION:
            row = _corrected(file, target, g)
        source = st.text_input("Source that says the row is wrong (who says so)", key=f"{g}-source",
                               max_chars=amend.MAX_TEXT).strip()  # fmt: skip
        url = st.text_input(LABELS["url"], key=f"{g}-url", max_chars=amend.MAX_TEXT, help=HELP["url"]).strip()
        published = _day("Published (the day the source said so)", f"{g}-published", today)
    quote = st.text_area("Quote from the source (required)", key=f"{g}-quote", max_chars=amend.MAX_TEXT)
    reason = st.text_area("Reason (required)", key=f"{g}-reason", max_chars=amend.MAX_TEXT)
    if st.button("Propose", type="primary", key=f"{g}-go"):
        change = amend.Change(kind, file, quote=quote.strip(), reason=reason.strip(), row=row, target=target,
                              source=source, url=url, published=published)  # fmt: skip
        if numbers := submit([change]):
            st.session_state[f"{key}-generation"] += 1
            st.session_state[f"{key}-done"] = _proposed(numbers)
            st.rerun()


def _proposed(numbers: list[int]) -> str:
    return f"Proposed {', '.join(f'#{n}' for n in numbers)}: an editor reviews it on the Review page."


def submit(changes: list[amend.Change]) -> list[int]:
    """Propose the changes (all or none); the numbers proposed, or [] and every problem in plain text."""
    from force_posture import database

    try:
        rec, me = the_record(), who()
        now = dt.datetime.now(dt.UTC)
        if len(changes) == 1:
            return [rec.propose(me, changes[0], now, clock.today()).thread]
        return rec.propose_many(me, changes, now, clock.today())
    except database.DatabaseError as err:
        saved.error("Nothing was proposed; what you wrote is still in the form. Fix each point and propose again:", err)
        return []


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
    if st.button(f"Propose these {len(changes)} rows", key="propose-bulk-go") and (numbers := submit(changes)):
        st.success(_proposed(numbers))
