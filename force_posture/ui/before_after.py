"""What a proposal changes, drawn: the record's chart now and if approved, and the figures it moves.

Side by side on a wide screen, one above the other on a phone, with the change marked on both."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from force_posture.core import amend, data, effects, summary
from force_posture.plot import charts as plot
from force_posture.ui import chart, screen


def charts(thread: int, raws: dict[str, pd.DataFrame], change: amend.Change, today: dt.date) -> None:
    """The headline figures the change moves, and the chart now and if approved."""
    before = data.from_frames(raws)
    after = data.from_frames(amend.apply(raws, change))
    moved = effects.differences(before, after, change, today)
    st.caption("The headline figures it changes:" if len(moved) else "It changes no headline figure.")
    if len(moved):
        st.text(
            "\n".join(
                f"{r['country']}, {r['figure']}: {r['now']}  →  if approved: {r['if approved']}"
                for r in moved.to_dict("records")
            )
        )
    countries = effects.affected(change)
    wide = screen.layout_width() >= 900
    cols = st.columns(2) if wide else (st.container(), st.container())
    width = screen.layout_width() // 2 - 16 if wide else screen.layout_width()
    around, theme = effects.window(change), screen.theme()
    for col, ds, title in ((cols[0], before, "Now"), (cols[1], after, "If approved")):
        spec = plot.ChartSpec(
            today=today,
            countries=countries,
            view=around,
            width=width,
            height=460,
            title=title,
            label_rows=1,
            theme=theme,
        )
        fig = plot.build_chart(ds, spec)
        traces, shapes, notes = effects.marks(change, plot.scope_for(ds, spec), title != "Now", theme)
        fig.add_traces(traces)
        for shape in shapes:
            fig.add_shape(shape)
        for note in notes:
            fig.add_annotation(note)
        alt = f"{title}: {summary.alt_text(ds.levels, today, countries)}"
        col.plotly_chart(
            fig, theme=None, width="stretch", config=chart.PLOTLY_CONFIG, key=f"review-{thread}-{title}", alt=alt
        )
