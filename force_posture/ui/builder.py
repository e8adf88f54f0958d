"""Build a scenario in the app: dated levels per country, checked as an upload is, added to the session."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from force_posture.core import data, scenarios, summary, view
from force_posture.plot import charts
from force_posture.ui import cache, chart, screen, session, upload


def builder(day: dt.date, chosen: view.View) -> None:
    st.subheader("Build a scenario")
    c1, c2, c3 = st.columns(3)
    name = c1.text_input("Name", value="My scenario", max_chars=60)
    country = c2.selectbox("Country", list(data.COUNTRIES))
    shape = c3.selectbox("Shape", list(scenarios.SHAPES), format_func=lambda s: scenarios.SHAPE_NAMES[s])
    record = cache.known_dataset(chosen.known, chosen.shown)
    lat = summary.latest(record.levels, country, day)
    c1, c2, c3, c4 = st.columns(4)
    start = c1.date_input("Start date", value=lat.date.date() if lat else day, key="build-start", format="YYYY-MM-DD")
    start_level = c2.number_input("Start level", 0, scenarios.MAX_TROOPS, value=lat.high if lat else 1000, step=100)
    end = c3.date_input(
        "End date", value=scenarios.default_end(record.milestones, country, day), key="build-end", format="YYYY-MM-DD"
    )
    end_level = c4.number_input("End level", 0, scenarios.MAX_TROOPS, value=0, step=100)
    step_date = None
    if shape == "step":
        step_date = st.date_input(
            "Step date", value=start + (end - start) / 2 if end > start else start, format="YYYY-MM-DD"
        )
    try:
        built = scenarios.build(
            name.strip() or "My scenario", country, start, int(start_level), end, int(end_level), shape, step_date
        )
    except scenarios.ScenarioError as err:
        st.error("This scenario cannot be built yet.", icon="⚠️")
        st.text(str(err))
        return
    spec = charts.ChartSpec(
        today=day,
        countries=(country,),
        view=chosen,
        scenarios=built,
        width=screen.layout_width(),
        height=560,
        title=f"Preview: US troops in {country}",
        theme=screen.theme(),
    )
    key = (
        "preview",
        spec.theme,
        cache.dataset(chosen.shown).version,
        day,
        chosen,
        name,
        country,
        start,
        int(start_level),
        end,
        int(end_level),
        shape,
        step_date,
    )
    preview = session.memo(key, lambda: cache.shared(charts.chart_parts(cache.dataset(chosen.shown), spec)))
    st.plotly_chart(
        preview,
        theme=None,
        width="stretch",
        config=chart.PLOTLY_CONFIG,
        key="builder-preview",
        alt=scenarios.preview_name(built),
    )
    c1, c2 = st.columns(2)
    if c1.button("Add to my scenarios", type="primary"):
        upload.add_scenarios(scenarios.Scenario("built in the app", built, ()))
        st.rerun()
    c2.download_button(
        "Download this scenario (CSV)", scenarios.to_csv(built), file_name="scenario.csv", mime="text/csv"
    )
