"""The headline: latest level per country, each deadline, the target, and the change from the peak.

One row of figures, then one caption line with the change from the peak and the figures' age."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from force_posture.core import summary, view
from force_posture.core.data import fmt_day
from force_posture.ui import cache


def shown_note(chosen: view.View) -> None:
    """On a page shown as on an earlier day (?shown=): which day and record version, and how to leave it."""
    if chosen.shown:
        st.info(
            f"Record as this dashboard showed it on {fmt_day(chosen.shown_on)} (record version "
            f"{cache.dataset(chosen.shown).version}): changes approved after that day are left out, and "
            "'today' is that day. Remove shown= from the address to see the record as it is now.",
            icon=":material/history:",
        )


def headline(countries: tuple[str, ...], day: dt.date, chosen: view.View, compact: bool = False) -> None:
    """The figures asked first, in one row: latest level per country, each deadline, the target. Each
    figure's source, basis and date are in its help; one caption line under the row gives the change
    from the peak and the figures' age (the briefing view leaves it out: the chart's footer has it)."""
    if chosen.known:
        st.info(
            f"Record as known on {fmt_day(day)}: only figures, milestones and corrections published by "
            "that day, and 'today' is that day. Clear the date in the sidebar to see the record as known now.",
            icon=":material/history:",
        )
    shown_note(chosen)
    r = cache.reading(countries, day, chosen)
    items = []
    for country, lat in zip(countries, r.latest, strict=True):
        if lat is None:
            items.append((f"{country}: latest sourced figure", "none", "No sourced figure.", None))
        else:
            sure = summary.headline_sureness(lat)
            why = f"{', '.join(lat.bases)}, {fmt_day(lat.date)}, {sure}. Source: {'; '.join(lat.sources)}"
            items.append((f"{country}: latest sourced figure · {lat.sure}", lat.text, why, lat.firmer_brief or None))
    items += [
        (d.label, f"passed on {fmt_day(d.date)}" if d.days < 0 else f"in {d.days} days", d.status, None)
        for d in r.deadlines
    ]
    tgt = r.target if r.target is not None and r.target.country in countries else None
    if tgt is not None and not compact:  # the briefing strip keeps to levels and deadlines
        items.append(
            (
                f"Target ({tgt.country})",
                f"fewer than {tgt.value:,}",
                f"announced {fmt_day(tgt.date)} · source: {tgt.source}",
                None,
            )
        )
    weights = [1.5 if "latest sourced figure" in label else 1 for label, *_ in items]  # the widest values
    for col, (label, value, why, firmer) in zip(st.columns(weights), items, strict=True):
        col.metric(label, value, delta=firmer, delta_color="off", delta_arrow="off", help=why)
    if compact:
        return
    changes, ages = [], []
    for country, lat, pk in zip(countries, r.latest, r.peaks, strict=True):
        if lat is not None and pk is not None:
            changes.append(summary.peak_change(country, lat, pk))
        if lat is not None and lat.stale:
            ages.append(f"{country} {lat.age_days} days")
    parts = [f"Change from the peak {r.peak_period}: {'; '.join(changes)}."] if changes else []
    if ages:
        parts.append(f"No newer sourced figure exists (ages: {', '.join(ages)}); nothing is extrapolated.")
    st.caption(" ".join(parts))
