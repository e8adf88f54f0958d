"""Frames shaped for reading (display tables) and for downloading (CSV that spreadsheets can't run)."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

import pandas as pd

from force_posture.core.data import (
    CORRECTIONS_FILE,
    LEVELS_FILE,
    MILESTONES_FILE,
    approval_finder,
    approval_words,
    format_level,
)

if TYPE_CHECKING:
    from force_posture.core.data import Dataset

# A cell starting with one of these is read as a formula by spreadsheet programs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """Prefix a text cell that a spreadsheet would run as a formula with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def to_safe_csv(df: pd.DataFrame) -> bytes:
    """UTF-8 CSV (with BOM, so Excel reads accents) whose text cells cannot act as formulas."""
    safe = df.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(neutralise)
    for column in safe.select_dtypes(include="datetime").columns:
        safe[column] = safe[column].dt.strftime("%Y-%m-%d")
    return safe.to_csv(index=False, lineterminator="\n").encode("utf-8-sig")


LONG_TEXT = ("source", "note", "detail", "reason", "label", "before", "after")  # wide on screen, read whole below
POINTS_FIRST = [
    "date",
    "country",
    "figure",
    "basis",
    "corroboration",
    "url",
    "source",
    "note",
]  # the screen's order: the link in view


def row_in_words(shown: pd.DataFrame, i: int, first: list[str] | None = None) -> str:
    """One row of a table as the screen shows it, one 'column: value' line each (the `first`
    columns first, empty cells left out), for reading whole what its cells cut off."""
    row, first = shown.iloc[i], [c for c in first or [] if c in shown.columns]
    columns = first + [c for c in shown.columns if c not in first]
    return "\n".join(f"{c}: {row[c]}" for c in columns if not pd.isna(row[c]) and str(row[c]) != "")


APPROVED = "approved in the app"


def _with_approvals(out: pd.DataFrame, df: pd.DataFrame, file: str, approvals: pd.DataFrame | None) -> pd.DataFrame:
    """The table with who approved each row added in the app, and when (when the record has any)."""
    if approvals is None or approvals.empty:
        return out
    find = approval_finder(approvals)
    out[APPROVED] = [approval_words(find(file, r)) for r in df.to_dict("records")]
    return out


def points_table(levels: pd.DataFrame, approvals: pd.DataFrame | None = None) -> pd.DataFrame:
    """Data points as an analyst reads them: newest first, the figure in words; with the record's
    approvals, who approved each row added in the app and when."""
    df = levels.sort_values("date", ascending=False)
    out = pd.DataFrame(
        {
            "date": df["date"].dt.date,
            "country": df["country"].astype(str),
            "figure": [format_level(int(t), str(q)) for t, q in zip(df["troops"], df["qualifier"], strict=True)],
            "troops": df["troops"],
            "low": df["low"],
            "high": df["high"],
            "qualifier": df["qualifier"].astype(str),
            "basis": df["basis"].astype(str),
            "corroboration": _sure(df),
            "source": df["source"],
            "url": df["url"],
            "note": df["note"],
        }
    )
    return _with_approvals(out, df, LEVELS_FILE, approvals)


def milestones_table(milestones: pd.DataFrame, approvals: pd.DataFrame | None = None) -> pd.DataFrame:
    df = milestones.sort_values("date", ascending=False)
    out = pd.DataFrame(
        {
            "date": df["date"].dt.date,
            "country": df["country"].astype(str),
            "kind": df["kind"].astype(str),
            "label": df["label"],
            "value": df["value"],
            "detail": df["detail"],
            "corroboration": _sure(df),
            "source": df["source"],
            "url": df["url"],
        }
    )
    return _with_approvals(out, df, MILESTONES_FILE, approvals)


def _sure(df: pd.DataFrame) -> list[str]:
    """Each row's corroboration as the tables say it: official, confirmed (N outlets), single source."""
    words = {"official": "official", "single": "single source"}
    return [
        words.get(str(how), f"confirmed ({int(n)} outlets)")
        for how, n in zip(df["corroboration"], df["outlets"], strict=True)
    ]


def disagreements_table(bands: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "country": bands["country"],
            "start": bands["start"].dt.date,
            "end": bands["end"].dt.date,
            "range": [f"{lo:,} to {hi:,}" for lo, hi in zip(bands["low"], bands["high"], strict=True)],
            "label": bands["label"],
            "source": bands["source"],
            "url": bands["url"],
        }
    )


def retracted_table(ds: Dataset) -> pd.DataFrame:
    """The retracted figures and milestones, with when, why and who says so."""
    rows = []
    for frame, what in ((ds.retracted_levels, "figure"), (ds.retracted_milestones, "milestone")):
        for r in frame.to_dict("records"):
            said = format_level(int(r["troops"]), r["qualifier"]) if what == "figure" else r["label"]
            rows.append(
                {
                    "retracted": r["retracted"].date(),
                    "kind": what,
                    "date": r["date"].date(),
                    "country": r["country"],
                    "it said": said,
                    "reason": r["retraction_reason"],
                    "source": r["retraction_source"],
                    "url": r["retraction_url"],
                }
            )
    return pd.DataFrame(rows, columns=["retracted", "kind", "date", "country", "it said", "reason", "source", "url"])


def corrections_table(fixes: pd.DataFrame, approvals: pd.DataFrame | None = None) -> pd.DataFrame:
    """The corrections log as read on screen; with the record's approvals, who approved each correction
    made in the app and when (the `corrected` day is its source's, not the approval's)."""
    out = pd.DataFrame(
        {
            "corrected": fixes["corrected"].dt.date,
            "file": fixes["file"],
            "date": fixes["date"].dt.date,
            "country": fixes["country"],
            "column": fixes["column"],
            "old": fixes["old"],
            "new": fixes["new"],
            "reason": fixes["reason"],
            "source": fixes["source"],
            "url": fixes["url"],
        }
    )
    if approvals is not None and not approvals.empty:
        find = approval_finder(approvals)
        out[APPROVED] = [approval_words(find(CORRECTIONS_FILE, f)) for f in fixes.to_dict("records")]
    return out


ScreenTable = tuple[pd.DataFrame, list[str], list[str]]  # a table as shown, its number and its date columns


def for_screen(frame: pd.DataFrame) -> ScreenTable:
    """A copy of a table as the screen shows it: whole numbers with thousands separators, an empty
    cell where there is no value (never "None"), and dates as dates. Returns the copy, the columns to
    right-align (numbers) and the date columns. (CSV downloads keep the plain values.)"""
    out, numbers, dates = frame.copy(), [], []
    for column in out.columns:
        values = out[column]
        if pd.api.types.is_bool_dtype(values):
            continue
        if pd.api.types.is_numeric_dtype(values) or (
            values.dtype == object and values.map(lambda v: v is None or isinstance(v, int | float)).all()
        ):
            out[column] = ["" if pd.isna(v) else f"{int(v):,}" for v in values]
            numbers.append(column)
        elif len(values) and values.map(lambda v: isinstance(v, dt.date) or v is None).all():
            dates.append(column)
    return out, numbers, dates


_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def markdown_escape(text: str) -> str:
    """Text that Markdown shows exactly as written: every ASCII punctuation mark backslash-escaped
    (CommonMark allows that for all of them), so names cannot become bold, links, icons or colours."""
    return _PUNCTUATION.sub(r"\\\1", text)
