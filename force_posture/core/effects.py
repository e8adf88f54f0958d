"""What a proposal would change, as a reviewer reads it: the record before and after, and the headline
figures that differ (latest figure, peak, first figure under the target, each deadline). Pure."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from force_posture.core import amend, data, style, summary, view


def affected(change: amend.Change) -> tuple[str, ...]:
    """The countries whose charts and figures the change can move."""
    country = (change.target or change.row).get("country", "")
    return data.COUNTRIES if country == "Both" else (country,) if country in data.COUNTRIES else data.COUNTRIES


def where(change: amend.Change) -> tuple[str, dt.date] | None:
    """The country and the day of the row the change is about (None for a row with no day)."""
    about = change.row if change.kind == amend.NEW else change.target or {}
    day = data.parse_date(about.get("date") or about.get("start") or "")
    return (about.get("country", ""), day) if day else None


def window(change: amend.Change) -> view.View:
    """The charts' view around the change: from a year before its day to half a year after, so that the
    change is in the middle of what the reviewer sees, not one more mark among years of record."""
    found = where(change)
    if found is None:
        return view.View()
    day = found[1]
    start, end = day - dt.timedelta(days=365), day + dt.timedelta(days=183)
    return view.View(from_=f"{max(start, view.RECORD_START):%Y-%m}", to=f"{end:%Y-%m}")


WORDS = {
    amend.NEW: ("proposed here", "new"),
    amend.CORRECTION: ("to be corrected", "corrected"),
    amend.RETRACTION: ("to be retracted", "retracted"),
}


def marks(
    change: amend.Change, scope: Any, after: bool, theme: str = "light"
) -> tuple[list[dict], list[dict], list[dict]]:
    """What the reviewer's chart marks, on the panels of the change's countries: a dotted line at its day
    labelled with what happens there ("to be corrected" now, "corrected" if approved), and a ring on a
    troop figure it adds, changes or retracts (the new reading if approved, the old one now; a retracted
    one, once approved, struck through where it stood). `scope`: the chart's (charts.scope_for): its panels
    and its span, whose right half takes the label to the line's left, inside the plot. Returns (traces,
    shapes, annotations) for plotly. Pure."""
    found = where(change)
    if found is None:
        return [], [], []
    country, day = found
    ink = style.colour(style.INK, theme)
    label = WORDS[change.kind][1 if after else 0]
    row = change.row if change.kind == amend.NEW else dict(change.target or {}, **(change.row if after else {}))
    ring = change.file == data.LEVELS_FILE and str(row.get("troops", "")).isdigit()
    ring = ring and not (not after and change.kind == amend.NEW)
    # a retracted figure, once approved, is struck through where it stood: off the chart, still seen going
    struck = after and change.kind == amend.RETRACTION
    traces, shapes, notes = [], [], []
    right = day > scope.start + (scope.end - scope.start) / 2
    for p in scope.panels:
        if country not in (p.country, "Both"):
            continue
        domain = f"{p.yref} domain"
        shapes.append(
            {
                "type": "line",
                "xref": p.xref,
                "yref": domain,
                "x0": day,
                "x1": day,
                "y0": 0,
                "y1": 1,
                "line": {"dash": "dot", "width": 2, "color": ink},
            }
        )
        notes.append(
            {
                "xref": p.xref,
                "yref": domain,
                "x": day,
                "y": 1,
                "text": f"The change: {label}",
                "showarrow": False,
                "xanchor": "right" if right else "left",
                "yanchor": "top",
                "xshift": -4 if right else 4,
                "font": {"size": style.LABEL_FONT, "color": ink},
                "bgcolor": style.colour(style.LEGEND_BG, theme),
            }
        )
        if ring and p.country == country:
            traces.append(
                {
                    "type": "scatter",
                    "x": [day],
                    "y": [int(row["troops"])],
                    "xaxis": p.xref,
                    "yaxis": p.yref,
                    "mode": "markers",
                    "name": f"The change: {label}",
                    "showlegend": False,
                    "marker": {
                        "symbol": "circle-x-open" if struck else "circle-open",
                        "size": 22,
                        "color": ink,
                        "line": {"width": 3, "color": ink},
                    },
                    "hovertemplate": f"The change: {label}<extra></extra>",
                }
            )
    return traces, shapes, notes


def change_text(change: amend.Change) -> str:
    """What a proposal changes, as plain text for its reviewer: a correction word by word ([-removed-]
    {+added+}), a retraction's row whole, a new row in words."""
    if change.kind == amend.CORRECTION:
        lines = [
            f"{c}: {amend.word_diff(str((change.target or {}).get(c, '')), str(new))}" for c, new in change.row.items()
        ]
        return "What the correction changes: [-removed-] {+added+}\n" + "\n".join(lines)
    if change.kind == amend.RETRACTION:
        row = change.target or {}
        return "The row it retracts:\n" + "\n".join(f"  {c}: {row[c]}" for c in amend.COLUMNS[change.file] if c in row)
    return change.describe()


def headline(ds: data.Dataset, country: str, today: dt.date) -> dict[str, str]:
    """The headline figures of one country, in words, by name."""
    out: dict[str, str] = {}
    lat = summary.latest(ds.levels, country, today)
    out["Latest figure"] = f"{lat.text} on {data.fmt_day(lat.date)} ({', '.join(lat.bases)})" if lat else "none"
    pk = summary.peak(ds.levels, country)
    out["Peak"] = f"{pk.text} ({pk.story})" if pk else "none"
    target = summary.headline_target(ds.milestones)
    if target is not None and target.country in (country, "Both"):
        rows = ds.levels[(ds.levels["country"] == country) & (ds.levels["date"] >= pd.Timestamp(target.date))]
        under = rows[rows["high"].fillna(rows["troops"]) < target.value]
        first = f"{data.fmt_day(under['date'].min())}" if len(under) else "not yet in the record"
        out[f"First figure under {target.value:,}"] = first
    for d in summary.deadlines(ds.milestones, today, (country,)):
        out[f"{d.label}"] = d.status
    return out


def differences(before: data.Dataset, after: data.Dataset, change: amend.Change, today: dt.date) -> pd.DataFrame:
    """The headline figures the change moves: country, figure, now, if approved (empty: none move)."""
    rows = []
    for country in affected(change):
        now, then = headline(before, country, today), headline(after, country, today)
        for name in dict.fromkeys([*now, *then]):
            if now.get(name) != then.get(name):
                rows.append((country, name, now.get(name, "none"), then.get(name, "none")))
    return pd.DataFrame(rows, columns=["country", "figure", "now", "if approved"])
