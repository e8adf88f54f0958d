"""Tables as analysts read them on screen: numbers right-aligned, dates as days, links as links."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from force_posture import tables


def table(frame: pd.DataFrame, key: str) -> None:
    """A table as analysts read it: numbers right-aligned with thousands separators, empty cells
    blank, dates as YYYY-MM-DD, links as links; wider than a phone, it scrolls instead of squeezing."""
    shown, numbers, dates = tables.for_screen(frame)
    config = {c: st.column_config.TextColumn(c, alignment="right") for c in numbers}
    config |= {c: st.column_config.DateColumn(c, format="YYYY-MM-DD") for c in dates}
    if "url" in shown.columns:
        config["url"] = st.column_config.LinkColumn("link", display_text="open source")
    st.dataframe(shown, hide_index=True, width="stretch", key=key, column_config=config)


def points(levels: pd.DataFrame, key: str) -> None:
    """The troop-level points as the Sources and country pages list them."""
    table(tables.points_table(levels), key)
