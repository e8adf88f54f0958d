"""Tables as analysts read them on screen: numbers right-aligned, dates as days, links as links."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from force_posture.core import tables


def table(frame: pd.DataFrame, key: str, order: list[str] | None = None) -> None:
    """A table as analysts read it: numbers right-aligned with thousands separators, empty cells
    blank, dates as YYYY-MM-DD, links as links, long text in wide columns; wider than a phone, it
    scrolls instead of squeezing. `order`: the columns shown first. A table with long text (a source,
    a note) lets a row be chosen (a click or the keyboard) and prints that row whole under it, as
    plain text: a cell cuts its text off, the row under the table never does."""
    screen_table(tables.for_screen(frame), key, order)


def screen_table(screen: tables.ScreenTable, key: str, order: list[str] | None = None) -> None:
    """`table` for a table already as the screen shows it (tables.for_screen), perhaps shared by sessions."""
    shown, numbers, dates = screen
    # a header longer than a narrow column ("level on 1 Sep 2026", "approved in the app") is read whole
    wide = {c: "medium" for c in shown.columns if len(str(c)) > 12}
    config = {c: st.column_config.TextColumn(c, alignment="right", width=wide.get(c)) for c in numbers}
    config |= {c: st.column_config.DateColumn(c, format="YYYY-MM-DD", width=wide.get(c)) for c in dates}
    long = [c for c in tables.LONG_TEXT if c in shown.columns]
    config |= {c: st.column_config.TextColumn(c, width="large") for c in long}
    config |= {c: st.column_config.Column(c, width="medium") for c in wide if c not in config}
    if "basis" in shown.columns:  # wide enough for "acknowledged"
        config["basis"] = st.column_config.TextColumn("basis", width=110)
    if "url" in shown.columns:
        config["url"] = st.column_config.LinkColumn("link", display_text="open source", width=110)  # never "open sourc"
    order = [c for c in order or [] if c in shown.columns]
    order = (order + [c for c in shown.columns if c not in order]) if order else None
    if not long or not len(shown):
        st.dataframe(shown, hide_index=True, width="stretch", key=key, column_config=config, column_order=order)
        return
    event = st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        key=key,
        column_config=config,
        column_order=order,
        on_select="rerun",
        selection_mode="single-row",
    )
    rows = event.selection.rows if event is not None else []
    if rows and rows[0] < len(shown):
        st.text(tables.row_in_words(shown, rows[0], order))
    else:
        st.caption("Choose a row (its box at the left) to read it whole here.")


def chart_points(screen: tables.ScreenTable, key: str) -> None:
    """Troop-level points as the country pages and the charts' tables list them (cache.points,
    cache.country_points): the figure, its basis, its source and the link first; the numbers behind it after."""
    screen_table(screen, key, order=tables.POINTS_FIRST)


def points(levels: pd.DataFrame, key: str, approvals: pd.DataFrame | None = None) -> None:
    """The troop-level points as the Sources page lists them, filtered: as `chart_points` orders them."""
    table(tables.points_table(levels, approvals), key, order=tables.POINTS_FIRST)
