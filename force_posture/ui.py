"""The small amount of shared Streamlit code: data cache, view controls, headline, chart, tables.

The only module of the package that imports Streamlit. Everything it shows comes from the pure
modules; it reads the clock once per run (`today()`) and passes it down.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from force_posture import charts, data, export, renderer, scenarios, summary, tables, viewstate
from force_posture.charts import WINDOW_NAMES
from force_posture.data import HEADLINE_TARGET, fmt_day

APP_TITLE = "US force posture: Syria and Iraq"
SCREEN_LAYOUT_WIDTH = charts.MIN_LAYOUT_WIDTH  # labels laid out for the narrowest view stay clear wider
OVERVIEW_HEIGHT, COUNTRY_HEIGHT = 820, 640
# Plotly's own camera button is removed: its PNG has no fixed size or 2x scale; the buttons under
# each chart export exactly the view instead.
PLOTLY_CONFIG = {
    "displaylogo": False,
    "responsive": True,
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "toImage"],
}


def today() -> dt.date:
    return dt.date.today()


# cache_resource, not cache_data: the frames and figures are never changed after they are built,
# so every session can share one copy instead of unpickling its own on every rerun.
@st.cache_resource(show_spinner=False)
def dataset() -> data.Dataset:
    return data.load()


@st.cache_resource(show_spinner=False, max_entries=64)
def figure(
    countries: tuple[str, ...], view: viewstate.View, day: dt.date, height: int, width: int = SCREEN_LAYOUT_WIDTH
):
    ds = dataset()
    return charts.build_chart(
        ds.levels,
        ds.milestones,
        today=day,
        countries=countries,
        window=view.window,
        scale=view.scale,
        show_caps=view.show_caps,
        show_bands=view.show_bands,
        width=width,
        height=height,
    )


@dataclass(frozen=True)
class Reading:
    """What the headline says for some countries on a day: computed once per day and shared by every
    session (frozen, made of frozen parts and strings)."""

    latest: tuple[summary.Latest | None, ...]
    peaks: tuple[summary.Peak | None, ...]
    deadlines: tuple[summary.DeadlineStatus, ...]
    target: tuple | None


@st.cache_resource(show_spinner=False, max_entries=64)
def reading(countries: tuple[str, ...], day: dt.date) -> Reading:
    ds = dataset()
    return Reading(
        latest=tuple(summary.latest(ds.levels, c, day) for c in countries),
        peaks=tuple(summary.peak(ds.levels, c) for c in countries),
        deadlines=tuple(summary.deadlines(ds.milestones, day, countries)),
        target=summary.headline_target(ds.milestones),
    )


@st.cache_resource(show_spinner=False, max_entries=64)
def chart_words(countries: tuple[str, ...], day: dt.date, start_year: int) -> tuple[str, str]:
    """The chart's accessible name and its full description in words (two strings, shared)."""
    ds = dataset()
    return (
        summary.alt_text(ds.levels, day, countries, start_year=start_year),
        summary.describe(ds.levels, ds.milestones, day, countries, start_year=start_year),
    )


def warm_up(day: dt.date | None = None) -> None:
    """Load the data and build the default charts, so that the first visitor does not wait."""
    day = day or today()
    dataset()
    figure(data.COUNTRIES, viewstate.View(), day, OVERVIEW_HEIGHT)
    for country in data.COUNTRIES:
        figure((country,), viewstate.View(), day, COUNTRY_HEIGHT)


def view_controls() -> viewstate.View:
    """Sidebar controls, read from and written back to the URL so that a link reopens the view."""
    view, notes = viewstate.parse(st.query_params.to_dict())
    for note in notes:
        st.sidebar.warning(note, icon=None)
    with st.sidebar:
        st.subheader("View")
        windows = list(charts.WINDOWS)
        window = st.radio(
            "Time window",
            windows,
            index=windows.index(view.window),
            format_func=lambda w: WINDOW_NAMES[w],
            help="The default keeps the counter-IS story readable; the wider window adds the 2003-2011 Iraq war.",
        )
        scale = st.radio(
            "Vertical scale",
            list(charts.SCALES),
            index=list(charts.SCALES).index(view.scale),
            horizontal=True,
            help="A log scale shows the 2003-2011 Iraq numbers and today's hundreds in one panel.",
        )
        caps = st.toggle("Show authorized caps", value=view.show_caps)
        bands = st.toggle("Shade where sources disagree", value=view.show_bands)
        briefing = st.toggle(
            "Briefing view",
            value=view.is_briefing,
            help="Only the headline figures and the chart, at 16:9: a plain screenshot is slide-ready.",
        )
        st.caption("The address bar keeps this view: copy the link to share it.")
    new = viewstate.View(
        window=window,
        scale=scale,
        caps="on" if caps else "off",
        bands="on" if bands else "off",
        briefing="on" if briefing else "off",
    )
    if new.to_query() != st.query_params.to_dict():
        st.query_params.from_dict(new.to_query())
    return new


def headline(countries: tuple[str, ...], day: dt.date, compact: bool = False) -> None:
    """The figures asked first: latest level with date and basis, change from the peak, deadlines.
    Compact (the briefing view): one row, no sources or notes; the chart's footer carries them."""
    r = reading(countries, day)
    if compact:
        items = []
        for country, lat in zip(countries, r.latest, strict=True):
            if lat is not None:
                items.append((f"{country}: latest sourced", lat.text, f"{', '.join(lat.bases)} · {fmt_day(lat.date)}"))
        for d in r.deadlines:
            items.append((d.label, "passed" if d.days < 0 else f"in {d.days} days", d.status))
        for col, (label, value, note) in zip(st.columns(len(items)), items, strict=True):
            col.metric(label, value)
            col.caption(note)
        return
    cols = st.columns(len(countries))
    for col, country, lat, pk in zip(cols, countries, r.latest, r.peaks, strict=True):
        with col:
            if lat is None:
                st.metric(f"{country}: latest sourced figure", "none")
                continue
            st.metric(
                f"{country}: latest sourced figure",
                lat.text,
                help="Source: " + "; ".join(lat.sources),
            )
            st.caption(f"{', '.join(lat.bases)} · {fmt_day(lat.date)} · source: {'; '.join(lat.sources)}")
            if pk is not None:
                st.caption(f"{summary.change_from_peak(lat, pk)} of {pk.text} ({pk.story})")
            if lat.stale:
                st.caption(f"⚠ {lat.stale_note}")
    dls, tgt = r.deadlines, r.target
    items = len(dls) + (1 if tgt and HEADLINE_TARGET[0] in countries else 0)
    if not items:
        return
    cols = st.columns(items)
    for col, d in zip(cols, dls, strict=False):
        with col:
            st.metric(d.label, "passed" if d.days < 0 else f"in {d.days} days")
            st.caption(d.status)
    if tgt and HEADLINE_TARGET[0] in countries:
        with cols[-1]:
            st.metric(f"Target ({HEADLINE_TARGET[0]})", f"fewer than {tgt[0]:,}")
            st.caption(f"announced {fmt_day(tgt[1])} · source: {tgt[2]}")


BRIEFING_SIZE = (1280, 720)  # 16:9: a screenshot of the briefing view is a slide
CHART_NAMES = {data.COUNTRIES: "overview", ("Syria",): "syria", ("Iraq",): "iraq"}


def chart(countries: tuple[str, ...], view: viewstate.View, day: dt.date, height: int) -> None:
    shown = shown_scenarios()
    width = SCREEN_LAYOUT_WIDTH
    if view.is_briefing:
        width, height = BRIEFING_SIZE
    if shown is None:
        fig = figure(countries, view, day, height, width)
    else:  # scenarios are per session: built for this view and kept in this session's memo
        ds = dataset()
        fig = _memo(
            ("chart", countries, view, day, height, width),
            lambda: charts.build_chart(
                ds.levels, ds.milestones, today=day, countries=countries, window=view.window, scale=view.scale,
                show_caps=view.show_caps, show_bands=view.show_bands, scenarios=shown, width=width, height=height,
            ),
        )  # fmt: skip
    alt, text = chart_words(countries, day, charts.WINDOWS[view.window].year)
    if view.is_briefing:  # exactly 16:9, nothing around it
        st.plotly_chart(fig, theme=None, width="content", config=PLOTLY_CONFIG, alt=alt)
        return
    st.plotly_chart(fig, theme=None, width="stretch", config=PLOTLY_CONFIG, alt=alt)
    export_buttons(countries, view, day, shown)
    with st.expander("Describe this chart in words"):
        st.text(text)


def export_buttons(countries: tuple[str, ...], view: viewstate.View, day: dt.date, shown) -> None:
    """Download this exact view (window, toggles, scenarios) as PNG, SVG, PDF or a slide. Each file is
    made only when its button is clicked, on a worker thread, from values captured here; the export
    service answers each request with its own file, however many analysts click at once."""
    name = CHART_NAMES[countries]
    brief = export.Briefing(chart=name, today=day, view=view, scenarios=shown)
    ds = dataset()
    failures = _export_failures()
    cols = st.columns([1, 1, 1, 1.4, 4], vertical_alignment="center")
    labels = {"png": "PNG", "svg": "SVG", "pdf": "PDF", "pptx": "PowerPoint"}

    def make(fmt: str) -> bytes:  # runs on a download worker thread: no Streamlit calls in here
        try:
            content = export.export(ds, brief, fmt)
        except renderer.ExportError as err:
            failures[name] = f"The {labels[fmt]} export failed. {err}"
            raise  # Streamlit says "Failed to generate file for download" under the button at once
        failures.pop(name, None)
        return content

    for col, fmt in zip(cols, export.FORMATS, strict=False):
        col.download_button(
            labels[fmt], data=lambda fmt=fmt: make(fmt), file_name=f"{brief.file_stem()}.{fmt}",
            mime=export.MIME[fmt], key=f"export-{name}-{fmt}", on_click="ignore", icon=":material/download:",
        )  # fmt: skip
    w, h = export.DEFAULT_SIZE
    cols[-1].caption(f"This view at {w}×{h} (PNG at 2×), with title, source line, as-of date and a link back.")
    if name in failures:  # the reason, in words, from the last failed export of this chart
        st.warning(failures[name], icon="⚠️")


def _export_failures() -> dict[str, str]:
    """This session's last failed export per chart, written by download threads and read by the next
    run. Only single-key assignments and pops touch it, each atomic in CPython: no lock needed."""
    return st.session_state.setdefault("export-failures", {})


def points_dataframe(levels: pd.DataFrame, key: str) -> None:
    st.dataframe(
        tables.points_table(levels),
        hide_index=True,
        width="stretch",
        key=key,
        column_config={
            "date": st.column_config.DateColumn("date", format="YYYY-MM-DD"),
            "troops": st.column_config.NumberColumn("troops", format="%d"),
            "url": st.column_config.LinkColumn("link", display_text="open source"),
        },
    )


def country_page(country: str) -> None:
    day = today()
    view = view_controls()
    if not view.is_briefing:
        st.title(f"US troops in {country}")
    headline((country,), day, compact=view.is_briefing)
    chart((country,), view, day, height=COUNTRY_HEIGHT)
    if view.is_briefing:
        return
    ds = dataset()
    st.subheader("Stated at the time, disclosed later")
    st.caption(
        "Filled circles: acknowledged at the time. Hollow circles: press estimates. Diamonds: figures "
        "disclosed later about an earlier time. Hollow squares on a dashed line: authorized caps, not counts."
    )
    for sentence in summary.disclosure_story(ds.levels, country):
        st.text(sentence)
    st.subheader(f"Data points: {country}")
    points_dataframe(ds.levels[ds.levels["country"] == country], key=f"points-{country}")


def overview_page() -> None:
    day = today()
    view = view_controls()
    sidebar_scenarios()
    if not view.is_briefing:
        st.title("US troops in Syria and Iraq")
    headline(data.COUNTRIES, day, compact=view.is_briefing)
    chart(data.COUNTRIES, view, day, height=OVERVIEW_HEIGHT)
    if not view.is_briefing:
        st.caption(
            "Colours: Syria vermillion, Iraq blue (colour-blind safe). Hover any point for its figure, "
            "qualifier, basis, date and source; the Sources page lists every one."
        )


METHODOLOGY = """
**What each basis means**

- **Acknowledged**: officially stated at the time (a Pentagon, White House or commander's figure).
- **Disclosed**: revealed later about an earlier time. In December 2024 the Pentagon said about 2,000
  troops were in Syria, where about 900 had been briefed for years; DMDC reports in 2017 showed more
  than the figures then acknowledged.
- **Authorized**: a force management level (a cap), not a count. Caps often understated the presence.
- **Reported**: an estimate by the press or an unnamed official.

**How conflicting figures are shown**

- One step line per country joins the figures stated at the time (acknowledged and reported): the level
  holds until the next statement. Authorized caps are a separate dashed step line. Disclosed figures are
  diamonds, not joined to the line, because they correct the record rather than continue it.
- Where sources disagree, a shaded band spans the range: Syria 2020 to December 2024 (actual above the
  ~900 acknowledged, CNN: since at least 2020) and Syria December 2025 to February 2026 (press counts of
  ~900 and ~1,000).
- Qualifiers ("about", "fewer than", "up to") are kept with every figure; stated ranges are error bars.
- Figures are US military personnel only; contractors and other coalition troops are left out.
- Nothing is extrapolated: after the latest sourced figure the line stops, and the app says how old it is.
- Deadlines are labelled from the 27 September 2024 joint statement's text (Iraq mission: no later than
  the end of September 2025; Syria mission from Iraq: until September 2026). Press copies that say "by the
  end of 2025" or "Kurdistan until 2026" are not the primary text.
"""


def sources_page() -> None:
    ds = dataset()
    st.title("Sources")
    st.caption(
        f"{len(ds.levels)} data points and {len(ds.milestones)} milestones, each with its source. "
        "Click a column header to sort; the link opens the source."
    )
    c1, c2 = st.columns(2)
    countries = c1.multiselect("Country", list(data.COUNTRIES), default=list(data.COUNTRIES))
    bases = c2.multiselect("Basis", list(data.BASES), default=list(data.BASES))
    levels = ds.levels[ds.levels["country"].isin(countries) & ds.levels["basis"].isin(bases)]
    st.subheader(f"Troop levels ({len(levels)} of {len(ds.levels)})")
    points_dataframe(levels, key="sources-points")
    st.download_button(
        "Download data (CSV)",
        tables.to_safe_csv(tables.points_table(levels)),
        file_name="us_troop_levels_syria_iraq.csv",
        mime="text/csv",
    )
    miles = ds.milestones[ds.milestones["country"].isin([*countries, "Both"])]
    st.subheader(f"Milestones ({len(miles)} of {len(ds.milestones)})")
    st.dataframe(
        tables.milestones_table(miles),
        hide_index=True,
        width="stretch",
        key="sources-milestones",
        column_config={
            "date": st.column_config.DateColumn("date", format="YYYY-MM-DD"),
            "url": st.column_config.LinkColumn("link", display_text="open source"),
        },
    )
    st.download_button(
        "Download milestones (CSV)",
        tables.to_safe_csv(tables.milestones_table(miles)),
        file_name="milestones_syria_iraq.csv",
        mime="text/csv",
    )
    st.subheader("Method")
    st.markdown(METHODOLOGY)


# ---- scenarios: per browser session, never shared -------------------------------------------

UPLOAD_LIMIT_MB = 20  # .streamlit/config.toml server.maxUploadSize
EXAMPLES_DIR = data.DATA_DIR / "scenarios"


def _state() -> dict:
    """This session's scenarios: {name: Scenario}, which are hidden, and the refused uploads."""
    if "scenarios" not in st.session_state:
        st.session_state["scenarios"] = {
            "loaded": {}, "hidden": set(), "seen": set(), "refused": {}, "version": 0, "memo": {},
        }  # fmt: skip
    return st.session_state["scenarios"]


MEMO_SIZE = 8


def _memo(key: tuple, build):
    """This session's small memo: a rerun (any click) must not rebuild a 300,000-row chart.
    Per session, never a shared cache, so one analyst's scenarios never reach another's."""
    state = _state()
    key = (state["version"], tuple(sorted(state["hidden"])), *key)
    memo = state["memo"]
    if key not in memo:
        if len(memo) >= MEMO_SIZE:
            memo.pop(next(iter(memo)))
        memo[key] = build()
    return memo[key]


def _add(result: scenarios.Scenario) -> list[str]:
    """Add a parsed file's scenarios, renaming any whose name is already loaded; returns notices."""
    state = _state()
    notices = list(result.notices)
    frame = result.frame.copy()
    for name in list(dict.fromkeys(frame["scenario"])):
        unique, k = name, 2
        while unique in state["loaded"]:
            unique, k = f"{name} ({k})", k + 1
        if unique != name:
            notices.append(f"{result.file_name}: a scenario named '{name}' is already loaded; this one is '{unique}'.")
        part = frame[frame["scenario"] == name].assign(scenario=unique)
        state["loaded"][unique] = scenarios.Scenario(result.file_name, part.reset_index(drop=True), ())
        state["hidden"].discard(unique)
    state["version"] += 1
    return notices


def shown_scenarios():
    state = _state()
    frames = [sc.frame for name, sc in state["loaded"].items() if name not in state["hidden"]]
    return pd.concat(frames, ignore_index=True) if frames else None


def scenario_uploader(key: str) -> None:
    """Upload one or more CSVs. A refused file leaves everything on screen as it was and says why."""
    state = _state()
    files = st.file_uploader(
        f"Upload scenario CSVs (up to {UPLOAD_LIMIT_MB} MB each)", type=["csv", "txt", "tsv"],
        accept_multiple_files=True, key=key,
        help="Columns: date, country, troops; optional scenario, low, high, note. See the template.",
    )  # fmt: skip
    current = set()
    for f in files or []:
        current.add(f.file_id)
        if f.file_id in state["seen"]:
            continue
        state["seen"].add(f.file_id)
        try:
            result = scenarios.parse(f.getvalue(), f.name)
        except scenarios.ScenarioError as err:
            state["refused"][f.file_id] = str(err)
            continue
        for notice in _add(result):
            st.toast(notice)  # plain text
    for file_id in list(state["refused"]):
        if file_id not in current:  # the analyst removed the refused file: its message goes too
            del state["refused"][file_id]
    for message in state["refused"].values():
        st.error("A file was not loaded; everything on screen is as it was.", icon="⚠️")
        st.text(message)  # uploaded text is data: shown as plain text, never as Markdown or HTML


def scenario_manager() -> None:
    """The loaded scenarios: show or hide each on the charts, or remove one."""
    state = _state()
    if not state["loaded"]:
        st.info("No scenario loaded yet: upload a CSV, load an example, or build one below.")
        return
    rows = [
        {
            "scenario": name, "file": sc.file_name, "countries": ", ".join(sorted(set(sc.frame["country"]))),
            "points": len(sc.frame), "from": sc.frame["date"].min().date(), "to": sc.frame["date"].max().date(),
            "shown": name not in state["hidden"],
        }
        for name, sc in state["loaded"].items()
    ]  # fmt: skip
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", key="loaded-scenarios")
    names = list(state["loaded"])
    # The key follows the set of loaded names, so that a newly added scenario starts out shown.
    shown = st.multiselect(
        "Shown on the charts", names, default=[n for n in names if n not in state["hidden"]],
        key=f"shown-scenarios-{abs(hash(tuple(names)))}",
    )  # fmt: skip
    state["hidden"] = set(names) - set(shown)
    c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
    victim = c1.selectbox("Remove a scenario", names, index=None, placeholder="Choose one to remove")
    if c2.button("Remove", disabled=victim is None) and victim is not None:
        del state["loaded"][victim]
        state["hidden"].discard(victim)
        state["version"] += 1
        st.rerun()


def examples_and_template() -> None:
    st.caption("Start from an example (hypothetical paths from the latest sourced figures) or the template.")
    for path in sorted(EXAMPLES_DIR.glob("*.csv")):
        label = path.stem.replace("_", " ").capitalize()
        c1, c2 = st.columns([2, 1])
        if c1.button(f"Load example: {label}", key=f"example-{path.stem}"):
            for notice in _add(scenarios.parse(path.read_bytes(), path.name)):
                st.toast(notice)
        c2.download_button("CSV", path.read_bytes(), file_name=path.name, mime="text/csv", key=f"dl-{path.stem}")
    st.download_button(
        "Download the template (CSV)", scenarios.template_csv(), file_name="scenario_template.csv", mime="text/csv"
    )


def comparison(day: dt.date) -> None:
    shown = shown_scenarios()
    if shown is None:
        return
    ds = dataset()
    st.subheader("Comparison")
    threshold = st.number_input(
        "A deadline counts as met at or below this many troops", min_value=0, max_value=scenarios.MAX_TROOPS,
        value=0, step=100,
    )  # fmt: skip
    table = _memo(
        ("compare", day, int(threshold)),
        lambda: scenarios.compare(shown, ds.levels, ds.milestones, day, threshold=int(threshold)),
    )
    st.dataframe(table, hide_index=True, width="stretch", key="comparison")
    st.caption("How it is read: " + scenarios.RULES)
    st.download_button(
        "Download the comparison (CSV)", tables.to_safe_csv(table), file_name="scenario_comparison.csv",
        mime="text/csv",
    )  # fmt: skip


def scenario_builder(day: dt.date) -> None:
    st.subheader("Build a scenario")
    c1, c2, c3 = st.columns(3)
    name = c1.text_input("Name", value="My scenario", max_chars=60)
    country = c2.selectbox("Country", list(data.COUNTRIES))
    shape = c3.selectbox("Shape", list(scenarios.SHAPES), format_func=lambda s: scenarios.SHAPE_NAMES[s])
    ds = dataset()
    lat = summary.latest(ds.levels, country, day)
    c1, c2, c3, c4 = st.columns(4)
    start = c1.date_input("Start date", value=lat.date.date() if lat else day, key="build-start")
    start_level = c2.number_input("Start level", 0, scenarios.MAX_TROOPS, value=lat.high if lat else 1000, step=100)
    end = c3.date_input("End date", value=dt.date(2026, 9, 30), key="build-end")
    end_level = c4.number_input("End level", 0, scenarios.MAX_TROOPS, value=0, step=100)
    step_date = None
    if shape == "step":
        step_date = st.date_input("Step date", value=start + (end - start) / 2 if end > start else start)
    try:
        built = scenarios.build(name.strip() or "My scenario", country, start, int(start_level), end, int(end_level),
                                shape, step_date)  # fmt: skip
    except scenarios.ScenarioError as err:
        st.error("This scenario cannot be built yet.", icon="⚠️")
        st.text(str(err))
        return
    preview = _memo(
        ("preview", day, name, country, start, int(start_level), end, int(end_level), shape, step_date),
        lambda: charts.build_chart(
            ds.levels, ds.milestones, today=day, countries=(country,), scenarios=built, width=SCREEN_LAYOUT_WIDTH,
            height=560, title=f"Preview: US troops in {country}",
        ),
    )  # fmt: skip
    st.plotly_chart(preview, theme=None, width="stretch", config=PLOTLY_CONFIG, key="builder-preview")
    c1, c2 = st.columns(2)
    if c1.button("Add to my scenarios", type="primary"):
        for notice in _add(scenarios.Scenario("built in the app", built, ())):
            st.toast(notice)
        st.rerun()
    c2.download_button(
        "Download this scenario (CSV)", scenarios.to_csv(built), file_name="scenario.csv", mime="text/csv"
    )


def scenarios_page() -> None:
    day = today()
    view = view_controls()
    st.title("Scenarios")
    st.caption(
        "Set your own drawdown paths against the record. A CSV needs the columns date, country (Syria or "
        "Iraq) and troops, one row per date; optional: scenario (several in one file), low, high, note. Dates "
        f"as YYYY-MM-DD or YYYY-MM. Files up to {UPLOAD_LIMIT_MB} MB. Your scenarios stay in this browser "
        "session: nobody else sees them."
    )
    c1, c2 = st.columns([3, 2])
    with c1:
        scenario_uploader("upload-main")
    with c2:
        examples_and_template()
    scenario_manager()
    chart(data.COUNTRIES, view, day, height=OVERVIEW_HEIGHT)
    comparison(day)
    scenario_builder(day)


def sidebar_scenarios() -> None:
    with st.sidebar:
        st.subheader("Scenarios")
        scenario_uploader("upload-sidebar")
        n = len(_state()["loaded"])
        st.caption(f"{n} loaded. Compare, hide or remove them on the Scenarios page." if n else
                   "Compare, build and manage them on the Scenarios page.")  # fmt: skip
