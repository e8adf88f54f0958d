"""The Scenarios page: upload, build or load drawdown paths, see them over the record, compare them."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from force_posture.core import data, scenarios
from force_posture.ui import builder, cache, chart, clock, page, screen, session, team_library, upload
from force_posture.ui.table import table

EXAMPLES_DIR = data.DATA_DIR / "scenarios"


def scenarios_page() -> None:
    """The page, as pages/scenarios.py runs it."""
    chosen = page.setup("Scenarios")
    day = clock.day(chosen)
    st.title("Scenarios")
    st.caption(
        "Set your own drawdown paths against the record. A CSV needs the columns date, country (Syria or "
        "Iraq) and troops, one row per date; optional: scenario (several in one file), low, high, note. Dates "
        f"as YYYY-MM-DD or YYYY-MM. Files up to {upload.UPLOAD_LIMIT_MB} MB. Your scenarios stay in this browser "
        "session, where nobody else sees them, until you save one to the team library below."
    )
    c1, c2 = st.columns([3, 2])
    with c1:
        upload.scenario_uploader("upload-main")
    with c2:
        examples_and_template()
    manager()
    chosen = chart.window_row(chosen, day)
    chart.chart(data.COUNTRIES, chosen, day, height=screen.OVERVIEW_HEIGHT)
    comparison(day, chosen.known, chosen.shown)
    team_library.library_panel()
    builder.builder(day, chosen)


def manager() -> None:
    """The loaded scenarios: show or hide each on the charts, or remove one."""
    ws = session.workspace()
    if not ws.loaded:
        st.info("No scenario loaded yet: upload a CSV, load an example, or build one below.")
        return
    table(ws.summary(), key="loaded-scenarios")
    names = ws.names()
    # The key follows the set of loaded names, so that a newly added scenario starts out shown.
    shown = st.multiselect(
        "Shown on the charts",
        names,
        default=[n for n in names if n not in ws.hidden],
        key=f"shown-scenarios-{abs(hash(tuple(names)))}",
    )
    ws.set_shown(shown)
    c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
    victim = c1.selectbox("Remove a scenario", names, index=None, placeholder="Choose one to remove")
    if c2.button("Remove", disabled=victim is None) and victim is not None:
        ws.remove(victim)
        st.rerun()


def examples_and_template() -> None:
    st.caption("Start from an example (hypothetical paths from the latest sourced figures) or the template.")
    for path in sorted(EXAMPLES_DIR.glob("*.csv")):
        row = st.container(horizontal=True)  # each button as wide as its words (fixed columns cut them off)
        if row.button(f"Load example: {path.stem.replace('_', ' ').capitalize()}", key=f"example-{path.stem}"):
            upload.add_scenarios(scenarios.parse(path.read_bytes(), path.name))
        row.download_button("CSV", path.read_bytes(), file_name=path.name, mime="text/csv", key=f"dl-{path.stem}")
    st.download_button(
        "Download the template (CSV)", scenarios.template_csv(), file_name="scenario_template.csv", mime="text/csv"
    )


def comparison(day: dt.date, known: str, as_shown: str) -> None:
    shown = session.workspace().shown()
    if shown is None:
        return
    ds = cache.known_dataset(known, as_shown)
    st.subheader("Comparison")
    threshold = int(
        st.number_input(
            "A deadline counts as met at or below this many troops",
            min_value=0,
            max_value=scenarios.MAX_TROOPS,
            value=0,
            step=100,
        )
    )
    compared = session.memo(
        ("compare", day, threshold, ds.version),
        lambda: scenarios.compare(shown, ds.levels, ds.milestones, day, threshold=threshold),
    )
    table(compared, key="comparison")
    st.caption("How it is read: " + scenarios.RULES)
    st.download_button(
        "Download the comparison (CSV)",
        scenarios.comparison_csv(compared),
        file_name="scenario_comparison.csv",
        mime="text/csv",
    )
