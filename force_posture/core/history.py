"""The record through time: as it was known on a day, and what changed between two days.

Every troop-level row and milestone carries `published`, the day its source made it public; the
corrections log keeps what a corrected row said before and when it changed. From those alone:
`known_on` gives the record exactly as it stood on a day (so an old briefing can be made again with
the same points, labels and words), and `changes` lists what was made public after a day (new
figures, new milestones, corrections), newest first. Pure: the dataset and the days come in.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pandas as pd

from force_posture.core import memo
from force_posture.core.data import (
    CORRECTIONS_FILE,
    LEVELS_FILE,
    MILESTONES_FILE,
    RETRACTED_EXTRA,
    Dataset,
    approval_finder,
    fmt_day,
    format_level,
)

# what a change is (an Atom entry's id is made of these), then when an editor approved it in the app
CHANGE_WHAT = ("published", "change", "country", "date", "what", "source", "url")
CHANGE_COLUMNS = (*CHANGE_WHAT, "approved_at")
_NUMERIC = {"troops", "low", "high", "value"}


def known_on(ds: Dataset, day: dt.date) -> Dataset:
    """The record at the end of `day`: only rows published on or before it; each row corrected
    after it reads as it did then; only corrections made by then are listed."""
    stamp = pd.Timestamp(day)
    levels = _with_retracted(ds.levels, ds.retracted_levels, stamp)
    milestones = _with_retracted(ds.milestones, ds.retracted_milestones, stamp)
    levels = levels[levels["published"] <= stamp].copy()
    milestones = milestones[milestones["published"] <= stamp].copy()
    frames = {LEVELS_FILE: levels, MILESTONES_FILE: milestones}
    later = ds.corrections[ds.corrections["corrected"] > stamp].sort_values("corrected", ascending=False)
    for fix in later.to_dict("records"):  # newest first: undo them in the order they were made, backwards
        frame = frames[fix["file"]]
        column = fix["column"]
        new, old = (_typed(fix["new"], column), _typed(fix["old"], column))
        at = (frame["date"] == fix["date"]) & (frame["country"] == fix["country"]) & (frame[column] == new)
        frame.loc[at, column] = old
    return replace(
        ds,
        levels=levels.reset_index(drop=True),
        milestones=milestones.reset_index(drop=True),
        corrections=ds.corrections[ds.corrections["corrected"] <= stamp].reset_index(drop=True),
        disagreements=ds.disagreements[ds.disagreements["published"] <= stamp].reset_index(drop=True),
        retracted_levels=ds.retracted_levels[ds.retracted_levels["retracted"] <= stamp].reset_index(drop=True),
        retracted_milestones=ds.retracted_milestones[ds.retracted_milestones["retracted"] <= stamp].reset_index(
            drop=True
        ),
    )


def _with_retracted(live: pd.DataFrame, retracted: pd.DataFrame, stamp: pd.Timestamp) -> pd.DataFrame:
    """The live rows and the rows retracted only after `stamp` (still in the record on that day)."""
    back = retracted[retracted["retracted"] > stamp].drop(columns=list(RETRACTED_EXTRA))
    if back.empty:
        return live
    both = pd.concat([live, back.astype(live.dtypes.to_dict())], ignore_index=True)
    return both.sort_values(["date", "country"], kind="stable").reset_index(drop=True)


def _typed(value: str, column: str):
    if column in _NUMERIC:
        return pd.NA if value == "" else int(value)
    return value


def as_known(ds: Dataset, known: dt.date | None) -> Dataset:
    """`known_on` when a day is given, else the whole record. Kept for the last few records and days asked
    (every chart, image, embed and answer of a past day asks it, often twice a request): shared, never changed."""
    return ds if known is None else _known_on(ds, known)


_known_on = memo.per_object(kept=16)(known_on)


def changes(ds: Dataset, since: dt.date, until: dt.date) -> pd.DataFrame:
    """What was made public after `since`, up to and including `until`: new figures, new milestones
    corrections and retractions, each with its source, newest first."""
    after, upto = pd.Timestamp(since), pd.Timestamp(until)
    rows = []
    levels = ds.levels[(ds.levels["published"] > after) & (ds.levels["published"] <= upto)]
    find = approval_finder(ds.approvals)
    for r in levels.to_dict("records"):
        figure, a = format_level(int(r["troops"]), r["qualifier"]), find(LEVELS_FILE, r)
        what = f"{figure} ({r['basis']}){_why(a)}"
        rows.append((r["published"], "new figure", r["country"], r["date"], what, r["source"], r["url"], _when(a)))
    miles = ds.milestones[(ds.milestones["published"] > after) & (ds.milestones["published"] <= upto)]
    for r in miles.to_dict("records"):
        a = find(MILESTONES_FILE, r)
        what = f"{r['label']}{_why(a)}"
        rows.append(
            (r["published"], f"new {r['kind']}", r["country"], r["date"], what, r["source"], r["url"], _when(a))
        )
    fixes = ds.corrections[(ds.corrections["corrected"] > after) & (ds.corrections["corrected"] <= upto)]
    for r in fixes.to_dict("records"):
        what = f"{r['file']}, {r['column']}: '{r['old']}' is now '{r['new']}'. {r['reason']}"
        rows.append(
            (
                r["corrected"],
                "correction",
                r["country"],
                r["date"],
                what,
                r["source"],
                r["url"],
                _when(find(CORRECTIONS_FILE, r)),
            )
        )
    for frame, file in ((ds.retracted_levels, LEVELS_FILE), (ds.retracted_milestones, MILESTONES_FILE)):
        for r in frame[(frame["retracted"] > after) & (frame["retracted"] <= upto)].to_dict("records"):
            said = format_level(int(r["troops"]), r["qualifier"]) if file == LEVELS_FILE else r["label"]
            what = f"{file}: '{said}' is retracted. {r['retraction_reason']}"
            rows.append(
                (
                    r["retracted"],
                    "retraction",
                    r["country"],
                    r["date"],
                    what,
                    r["retraction_source"],
                    r["retraction_url"],
                    "",
                )
            )
    frame = pd.DataFrame(rows, columns=list(CHANGE_COLUMNS))
    for column in ("published", "date"):
        frame[column] = pd.to_datetime(frame[column]).dt.date
    frame["country"] = frame["country"].astype(str)
    return frame.sort_values(["published", "date"], ascending=False, kind="stable").reset_index(drop=True)


def _when(a: dict | None) -> str:
    """When an approval was made ("YYYY-MM-DDTHH:MM:SSZ", UTC), "" for none (shipped in the files)."""
    return "" if a is None else f"{a['decided_at']:%Y-%m-%dT%H:%M:%SZ}"


def _why(a: dict | None) -> str:
    """For a row approved in the app, ". Proposed by X, approved by Y: <reason>", else ""."""
    if not a:
        return ""
    mark = " (self-reviewed: no second analyst on that server)" if a["self_reviewed"] else ""
    return f". Proposed by {a['proposer']}, approved by {a['reviewer']}{mark}: {a['reason']}"


def changes_text(frame: pd.DataFrame, since: dt.date, until: dt.date) -> str:
    """The changes as plain lines, for the command line and a slide's notes."""
    head = f"What changed since {fmt_day(since)} (to {fmt_day(until)}): {len(frame)} change(s)"
    if frame.empty:
        return head + ". Nothing new was published."
    lines = [
        f"- {fmt_day(r['published'])}: {r['change']}, {r['country']}, dated {fmt_day(r['date'])}: "
        f"{r['what'].rstrip('.')}. Source: {r['source']} ({r['url']})"
        for r in frame.to_dict("records")
    ]
    return "\n".join([head + ":", *lines])
