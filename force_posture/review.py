"""What a proposal changes, as a reviewer reads it: the record before and after, and the headline
figures that differ (latest figure, peak, first figure under the target, each deadline). Pure."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from force_posture import amend, data, summary


def affected(change: amend.Change) -> tuple[str, ...]:
    """The countries whose charts and figures the change can move."""
    country = (change.target or change.row).get("country", "")
    return data.COUNTRIES if country == "Both" else (country,) if country in data.COUNTRIES else data.COUNTRIES


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
