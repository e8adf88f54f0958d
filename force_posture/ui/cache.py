"""What every session shares: the record, its charts without scenarios and their words.

Built once per process and never changed after (cache_resource: one copy for all, not one unpickled
per session)."""

from __future__ import annotations

import datetime as dt
import threading

import streamlit as st

from force_posture import charts, data, history, summary

DRAWN = threading.Event()  # set once this process has sent any session a chart (the warm-up waits for it)


@st.cache_resource(show_spinner=False)
def dataset() -> data.Dataset:
    return data.load()


@st.cache_resource(show_spinner=False, max_entries=64)
def figure(spec: charts.ChartSpec):
    """A chart without scenarios (the record only), shared by every session that shows it."""
    return charts.build_chart(dataset(), spec)


@st.cache_resource(show_spinner=False, max_entries=16)
def record(known: str = "") -> data.Dataset:
    """The record as known on a day (YYYY-MM-DD), or as known today (""): shared, never changed."""
    return history.as_known(dataset(), dt.date.fromisoformat(known) if known else None)


@st.cache_resource(show_spinner=False, max_entries=64)
def reading(countries: tuple[str, ...], day: dt.date, known: str = "") -> summary.Reading:
    ds = record(known)
    return summary.reading(ds.levels, ds.milestones, countries, day)


@st.cache_resource(show_spinner=False, max_entries=64)
def chart_words(countries: tuple[str, ...], day: dt.date, start_year: int, known: str = "") -> tuple[str, str]:
    """The chart's accessible name and its full description in words (two strings, shared)."""
    ds = record(known)
    return (
        summary.alt_text(ds.levels, day, countries, start_year=start_year),
        summary.describe(ds.levels, ds.milestones, day, countries, start_year=start_year),
    )
