"""What every session shares: the record, its charts without scenarios and their words.

Built once per record version per process and never changed after (cache_resource: one copy for all,
not one unpickled per session); a new version (an approval) gets new entries."""

from __future__ import annotations

import datetime as dt
import functools
import json
import threading

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import streamlit as st

from force_posture.core import data, history, summary, tables, view
from force_posture.plot import charts
from force_posture.publish import embed, public
from force_posture.store import live

DRAWN = threading.Event()  # set once this process has sent any session a chart (the warm-up waits for it)


def dataset(shown: str = "") -> data.Dataset:
    """The record as known today (or as shown at the end of the day `shown`): see store/live.py.
    Everything below is keyed by its version, so an approval is drawn at once."""
    return live.dataset(shown)


def figure(spec: charts.ChartSpec) -> go.Figure:
    """A chart without scenarios (the record only), shared by every session that shows it."""
    return figure_of(spec, dataset(spec.view.shown).version)


@st.cache_resource(show_spinner=False, max_entries=64)
def figure_of(spec: charts.ChartSpec, version: str) -> go.Figure:
    return shared(charts.chart_parts(dataset(spec.view.shown), spec))


class Shared(go.Figure):
    """A chart as st.plotly_chart sends it, made once and never changed, drawn on many runs.

    st.plotly_chart reads nothing of a figure but its plain form (to_dict(): a deep copy of 100 KB on
    every run), which it writes as JSON. This figure is that plain form and nothing more: made once from
    the builder's parts (charts.chart_parts), as JSON's own types (which Plotly writes three times faster,
    to the same chart), and handed out to be read only. As a Plotly Figure it holds no traces and no
    layout: making those copies every part of the chart twice over (a third of a scenario chart's build,
    made on every change of a session's scenarios). Exports, and anything else that reads a chart's
    traces or layout, build theirs with charts.build_chart."""

    def __init__(self, parts: dict) -> None:
        super().__init__()
        self._plain = json.loads(pio.to_json(parts, validate=False))

    def to_dict(self) -> dict:
        return self._plain


def shared(parts: dict) -> Shared:
    """The chart of `parts` (charts.chart_parts) as a Shared figure, to hand to st.plotly_chart."""
    return Shared(parts)


def known_dataset(known: str = "", shown: str = "") -> data.Dataset:
    """The record as known on a day (YYYY-MM-DD), or as known today (""), of the version shown on
    `shown` (or the current one): shared, never changed (history.as_known keeps it for every session)."""
    return history.as_known(dataset(shown), dt.date.fromisoformat(known) if known else None)


def span(chosen: view.View, day: dt.date) -> tuple[dt.date, dt.date]:
    """The days this view's chart shows (its window or its from/to range), on the record it draws."""
    return _span_of(chosen, day, dataset(chosen.shown).version)


@functools.lru_cache(maxsize=256)  # a page asks three or four times a run; two dates, never changed
def _span_of(chosen: view.View, day: dt.date, version: str) -> tuple[dt.date, dt.date]:
    return view.span(chosen, day, known_dataset(chosen.known, chosen.shown).milestones)


PLAIN = view.View()  # the default view: the one the warm-up prepares


def reading(countries: tuple[str, ...], day: dt.date, chosen: view.View = PLAIN) -> summary.Reading:
    """The headline's figures for this view: the record as known on its day, the peak over its span."""
    return reading_of(countries, day, chosen.known, chosen.shown, span(chosen, day), dataset(chosen.shown).version)


@st.cache_resource(show_spinner=False, max_entries=64)
def reading_of(
    countries: tuple[str, ...], day: dt.date, known: str, shown: str, drawn: tuple, version: str
) -> summary.Reading:
    ds = known_dataset(known, shown)
    return summary.reading(ds.levels, ds.milestones, countries, day, *drawn)


def chart_words(countries: tuple[str, ...], day: dt.date, chosen: view.View = PLAIN) -> tuple[str, str]:
    """The chart's accessible name and its full description in words (two strings, shared)."""
    drawn = span(chosen, day)
    return chart_words_of(countries, day, drawn, chosen.known, chosen.shown, dataset(chosen.shown).version)


@st.cache_resource(show_spinner=False, max_entries=64)
def chart_words_of(
    countries: tuple[str, ...], day: dt.date, drawn: tuple, known: str, shown: str, version: str
) -> tuple[str, str]:
    ds = known_dataset(known, shown)
    return (
        summary.alt_text(ds.levels, day, countries, *drawn),
        summary.describe(ds.levels, ds.milestones, day, countries, *drawn),
    )


def points(countries: tuple[str, ...], day: dt.date, chosen: view.View = PLAIN) -> tables.ScreenTable:
    """The chart's points as the table under it shows them (tables.for_screen of tables.points_table), the
    same for every session on a view: shared and read only (st.dataframe copies what it sends)."""
    return points_of(countries, chosen.known, chosen.shown, span(chosen, day), dataset(chosen.shown).version)


@st.cache_resource(show_spinner=False, max_entries=64)
def points_of(countries: tuple[str, ...], known: str, shown: str, drawn: tuple, version: str) -> tables.ScreenTable:
    levels = known_dataset(known, shown).levels
    start, end = (pd.Timestamp(d) for d in drawn)
    return tables.for_screen(
        tables.points_table(levels[levels["country"].isin(countries) & levels["date"].between(start, end)])
    )


def country_points(country: str, chosen: view.View = PLAIN) -> tables.ScreenTable:
    """Every point of a country's record as its page lists them (with who approved each row added in the
    app), the same for every session on that record: shared and read only."""
    return country_points_of(country, chosen.known, chosen.shown, dataset(chosen.shown).version)


@st.cache_resource(show_spinner=False, max_entries=16)
def country_points_of(country: str, known: str, shown: str, version: str) -> tables.ScreenTable:
    ds = known_dataset(known, shown)
    return tables.for_screen(tables.points_table(ds.levels[ds.levels["country"] == country], ds.approvals))


def disclosure_story(country: str, chosen: view.View = PLAIN) -> tuple[str, ...]:
    """A country's figures disclosed later against what was stated at the time, in sentences (shared)."""
    return disclosure_story_of(country, chosen.known, chosen.shown, dataset(chosen.shown).version)


@st.cache_resource(show_spinner=False, max_entries=16)
def disclosure_story_of(country: str, known: str, shown: str, version: str) -> tuple[str, ...]:
    return tuple(summary.disclosure_story(known_dataset(known, shown).levels, country))


def snippets(ask: public.Ask, base: str, shown: str = "") -> embed.Snippets:
    """A view's addresses for other tools (ui/share.py), on the current record (or the one shown on a day)."""
    return snippets_of(ask, base, shown, dataset(shown).version)


@st.cache_resource(show_spinner=False, max_entries=64)
def snippets_of(ask: public.Ask, base: str, shown: str, version: str) -> embed.Snippets:
    return embed.snippets(dataset(shown), ask, base)
