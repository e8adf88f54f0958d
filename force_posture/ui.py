"""The Streamlit code that two or more pages share: caches, the page setup, the headline, the chart
with its export buttons and description, the points table, and the scenario uploader.

With dashboard.py, pages/ and serve.py, the only code that imports Streamlit. Everything it shows
comes from the pure modules; it reads the clock once per run (`today()`) and passes it down.
"""

from __future__ import annotations

import datetime as dt
import os
import weakref

import pandas as pd
import streamlit as st

from force_posture import charts, data, downloads, export, history, library, scenarios, summary, tables, view
from force_posture.data import fmt_day
from force_posture.style import COMPACT_BELOW, MIN_LAYOUT_WIDTH
from force_posture.workspace import Workspace

APP_TITLE = "US force posture: Syria and Iraq"
# The sidebar navigation, drawn by setup() on every page (Streamlit's own list is switched off in
# .streamlit/config.toml: it would show file names).
PAGES = (
    ("dashboard.py", "Overview"),
    ("pages/syria.py", "Syria"),
    ("pages/iraq.py", "Iraq"),
    ("pages/scenarios.py", "Scenarios"),
    ("pages/sources.py", "Sources"),
)
OVERVIEW_HEIGHT, COUNTRY_HEIGHT = 820, 640
CHART_NAMES = {countries: name for name, countries in view.CHARTS.items()}
UPLOAD_LIMIT_MB = 20  # .streamlit/config.toml server.maxUploadSize
# Plotly's own camera button is removed: its PNG has no fixed size or 2x scale; the buttons under
# each chart export exactly the view instead.
PLOTLY_CONFIG = {"displaylogo": False, "responsive": True, "modeBarButtonsToRemove": ["select2d", "lasso2d", "toImage"]}


def today() -> dt.date:
    return dt.date.today()


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


# ---- what every session shares: built once, never changed after ---------------------------------
# cache_resource, not cache_data: every session can share one copy instead of unpickling its own.


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


def day(chosen: view.View) -> dt.date:
    """'Today' for this view: the clock, or the day the record is taken as known on."""
    return chosen.known_on or today()


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


# The browser reports the width of the page's main column (and the window's height) through a tiny
# component, so that each chart is laid out for the width it is shown at: labels that give way at that
# width are named under the chart. Values come in steps (40 px wide, 20 px high) to keep reruns and
# cache entries few. Until the first report, charts are laid out for the size this browser reported
# last time (a cookie, so a returning analyst's page is drawn once, not twice), or else for a laptop.
_SCREEN_JS = """
export default function (component) {
  const { setStateValue, data } = component;
  const report = () => {
    const main = document.querySelector('[data-testid="stMainBlockContainer"]');
    if (!main) return;
    const css = getComputedStyle(main);
    const inner = main.clientWidth - parseFloat(css.paddingLeft) - parseFloat(css.paddingRight);
    const size = {width: Math.floor(inner / 40) * 40, height: Math.floor(window.innerHeight / 20) * 20};
    const value = `${size.width}x${size.height}`;
    // remembered for this browser's next session, whose first run can then be laid out at once
    document.cookie = `${data.cookie}=${value}; path=/; max-age=31536000; SameSite=Strict`;
    if (value !== data.known) setStateValue("size", size);
  };
  report();
  let timer;
  const onResize = () => { clearTimeout(timer); timer = setTimeout(report, 250); };
  window.addEventListener("resize", onResize);
  return () => { window.removeEventListener("resize", onResize); clearTimeout(timer); };
}
"""
_screen_probe = st.components.v2.component("force_posture.screen", js=_SCREEN_JS)
DEFAULT_SCREEN = (MIN_LAYOUT_WIDTH - 120, 800)
SMALLEST_LAYOUT, LARGEST_LAYOUT = 320, 1600
HEADLINE_STRIP = 150  # pixels the briefing view's headline row and padding take above the chart
BRIEFING_LARGEST = 2560


def measure_screen() -> None:
    """Mount the probe (once per run, from setup()) and keep what it last reported."""
    known = screen()
    with st.sidebar:
        result = _screen_probe(
            key="fp-screen", data={"known": f"{known[0]}x{known[1]}", "cookie": view.SCREEN_COOKIE},
            default={"size": None}, on_size_change=lambda: None, height=0,
        )  # fmt: skip
    size = getattr(result, "size", None)
    if isinstance(size, dict) and {"width", "height"} <= size.keys():
        st.session_state["fp-screen-known"] = (int(size["width"]), int(size["height"]))


def screen() -> tuple[int, int]:
    """(main column width, window height) as the browser last reported them, in steps: in this
    session, or else in this browser's last session (its cookie), or else a laptop's."""
    if "fp-screen-known" in st.session_state:
        return st.session_state["fp-screen-known"]
    return view.screen_from_cookie(st.context.cookies.get(view.SCREEN_COOKIE)) or DEFAULT_SCREEN


def layout_width() -> int:
    """The width to lay a chart out for on this screen (labels clear at it stay clear wider)."""
    return max(SMALLEST_LAYOUT, min(screen()[0], LARGEST_LAYOUT))


def screen_spec(countries: tuple[str, ...], chosen: view.View, day: dt.date, height: int, shown=None):
    """The chart for this screen: laid out for the width it is shown at, or, in the briefing view,
    the largest 16:9 chart the window holds under the headline row."""
    width = layout_width()
    if chosen.is_briefing:  # the slide is the window: as large as it holds, at 16:9
        column_w, window_h = screen()
        width = max(SMALLEST_LAYOUT, min(column_w, BRIEFING_LARGEST, int((window_h - HEADLINE_STRIP) * 16 / 9)))
        height = max(180, width * 9 // 16)
    rows = 3 if width < COMPACT_BELOW and not chosen.is_briefing else None  # the plot in the first view
    return charts.ChartSpec(today=day, countries=countries, view=chosen, scenarios=shown, width=width, height=height,
                            label_rows=rows)  # fmt: skip


def warm_up(day: dt.date | None = None) -> None:
    """Load the data and build the default charts, so that the first visitor does not wait."""
    day, width = day or today(), DEFAULT_SCREEN[0]
    figure(charts.ChartSpec(today=day, width=width, height=OVERVIEW_HEIGHT))
    for country in data.COUNTRIES:
        figure(charts.ChartSpec(today=day, countries=(country,), width=width, height=COUNTRY_HEIGHT))


# ---- every page starts here ----------------------------------------------------------------------


def setup(title: str, controls: bool = True) -> view.View:
    """Page config, the sidebar navigation with proper labels, the view controls and the URL state.
    Idempotent, and the first call of every page, so a deep link to any page on a fresh server gets
    the same page as the navigation does."""
    chosen, notes = view.parse(st.query_params.to_dict())
    if chosen.known_on and chosen.known_on >= today():  # the record as known today is the default view
        if chosen.known_on > today():
            notes.append(f"Ignored known='{chosen.known}': that day has not come yet; showing the record as known now.")
        chosen = chosen.with_(known="")
    st.set_page_config(
        page_title=f"{title} · {APP_TITLE}", page_icon="📈", layout="wide",
        initial_sidebar_state="collapsed" if chosen.is_briefing else "auto",
    )  # fmt: skip
    nav = st.sidebar.container()  # filled last, so its links carry the view as the controls leave it
    measure_screen()
    st.sidebar.html(HEADLINE_CSS)  # in the sidebar: an element in the main column would add a gap
    open_linked(chosen.saved_ids)
    chosen = chosen.with_(saved=view.saved_value(workspace().shown_saved_ids()))
    if controls:
        chosen = view_controls(chosen, notes)
    with nav:
        for path, label in PAGES:
            st.page_link(path, label=label, query_params=chosen.to_query())
        st.divider()
    return chosen


def view_controls(chosen: view.View, notes: list[str]) -> view.View:
    """Sidebar controls, read from and written back to the URL so that a link reopens the view."""
    with st.sidebar:
        for note in notes:
            st.warning(note, icon=None)
        st.subheader("View")
        windows = list(view.WINDOWS)
        window = st.radio(
            "Time window", windows, index=windows.index(chosen.window), format_func=lambda w: view.WINDOW_NAMES[w],
            help="The default keeps the counter-IS story readable; the wider window adds the 2003-2011 Iraq war.",
        )  # fmt: skip
        scale = st.radio(
            "Vertical scale", list(view.SCALES), index=list(view.SCALES).index(chosen.scale), horizontal=True,
            help="A log scale shows the 2003-2011 Iraq numbers and today's hundreds in one panel.",
        )  # fmt: skip
        caps = st.toggle("Show authorized caps", value=chosen.show_caps)
        bands = st.toggle("Shade where sources disagree", value=chosen.show_bands)
        briefing = st.toggle(
            "Briefing view", value=chosen.is_briefing,
            help="Only the headline figures and the chart, at 16:9: a plain screenshot is slide-ready.",
        )  # fmt: skip
        known = known_control(chosen)
        st.caption("The address bar keeps this view: copy the link to share it.")
    on = {True: "on", False: "off"}
    new = view.View(window=window, scale=scale, caps=on[caps], bands=on[bands], briefing=on[briefing],
                    saved=chosen.saved, known=known)  # fmt: skip
    if new.to_query() != st.query_params.to_dict():
        st.query_params.from_dict(new.to_query())
    return new


def known_control(chosen: view.View) -> str:
    """The sidebar's "record as known on" day (empty: as known today)."""
    picked = st.date_input(
        "Record as known on", value=chosen.known_on, min_value=view.RECORD_START, max_value=today(),
        format="YYYY-MM-DD", key="known-on",
        help="Show the chart, headline, words and sources as the public record stood on that day: only "
        "what had been published by then, with later corrections undone. Empty: as known today.",
    )  # fmt: skip
    return picked.isoformat() if isinstance(picked, dt.date) and picked < today() else ""


# ---- the headline, the chart and the tables ------------------------------------------------------


def headline(countries: tuple[str, ...], day: dt.date, compact: bool = False, known: str = "") -> None:
    """The figures asked first, in one row: latest level per country, each deadline, the target. Each
    figure's source, basis and date are in its help; one caption line under the row gives the change
    from the peak and the figures' age (the briefing view leaves it out: the chart's footer has it)."""
    if known:
        st.info(f"Record as known on {fmt_day(day)}: only figures, milestones and corrections published by "
                "that day, and 'today' is that day. Clear the date in the sidebar to see the record as known now.",
                icon=":material/history:")  # fmt: skip
    r = reading(countries, day, known)
    items = []
    for country, lat in zip(countries, r.latest, strict=True):
        if lat is None:
            items.append((f"{country}: latest sourced figure", "none", "No sourced figure."))
        else:
            why = f"{', '.join(lat.bases)}, {fmt_day(lat.date)}. Source: {'; '.join(lat.sources)}"
            items.append((f"{country}: latest sourced figure", lat.text, why))
    items += [(d.label, "passed" if d.days < 0 else f"in {d.days} days", d.status) for d in r.deadlines]
    tgt = r.target if r.target is not None and r.target.country in countries else None
    if tgt is not None and not compact:  # the briefing strip keeps to levels and deadlines
        items.append((f"Target ({tgt.country})", f"fewer than {tgt.value:,}",
                      f"announced {fmt_day(tgt.date)} · source: {tgt.source}"))  # fmt: skip
    weights = [1.5 if label.endswith("latest sourced figure") else 1 for label, _, _ in items]  # the widest values
    for col, (label, value, why) in zip(st.columns(weights), items, strict=True):
        col.metric(label, value, help=why)
    if compact:
        return
    parts, ages = [], []
    for country, lat, pk in zip(countries, r.latest, r.peaks, strict=True):
        if lat is not None and pk is not None:
            parts.append(f"{country}: {summary.change_from_peak(lat, pk)} of {pk.text} ({pk.story}).")
        if lat is not None and lat.stale:
            ages.append(f"{country} {lat.age_days} days")
    if ages:
        parts.append(f"No newer sourced figure exists (ages: {', '.join(ages)}); nothing is extrapolated.")
    st.caption(" ".join(parts))


HEADLINE_CSS = """
<style>
/* A compact first view: less padding above the page, a smaller title, one row of smaller figures that
   wrap rather than cut off. Static, trusted CSS: no data reaches it. */
[data-testid="stMainBlockContainer"] { padding-top: 3.4rem; }
[data-testid="stMainBlockContainer"] h1 { font-size: 1.6rem; padding: 0 0 0.2rem 0; }
[data-testid="stMetricValue"] { font-size: 1.3rem; line-height: 1.25; }
[data-testid="stMetricValue"] *, [data-testid="stMetricLabel"] * {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important; }
[data-testid="stMetricLabel"] p { font-size: 0.75rem; line-height: 1.2; }
</style>
"""


def chart(countries: tuple[str, ...], chosen: view.View, day: dt.date, height: int) -> None:
    """The chart of this view (with this session's scenarios), its export buttons and its words."""
    shown = workspace().shown()
    spec = screen_spec(countries, chosen, day, height, shown)
    if shown is None:
        fig = figure(spec)
    else:  # scenarios are per session: built for this view and kept in this session's memo
        fig = memo(("chart", spec), lambda: charts.build_chart(dataset(), spec))
    alt, text = chart_words(countries, day, view.WINDOWS[chosen.window].year, chosen.known)
    if chosen.is_briefing:  # exactly 16:9, nothing around it
        st.plotly_chart(fig, theme=None, width="content", config=PLOTLY_CONFIG, alt=alt)
        return

    st.plotly_chart(fig, theme=None, width="stretch", config=PLOTLY_CONFIG, alt=alt)
    export_buttons(countries, chosen, day)
    with st.expander("Describe this chart in words"):
        st.text(text)


# The export buttons: a small component, so that each file is fetched from the server's own
# /export/<token>/<format> route (serve.py) and a failure is shown in words under the buttons at once.
# Its HTML, CSS and JS are fixed, trusted text; the data it gets is this session's tokens and file
# names, set as attributes and text by the script, never as HTML.
_EXPORT_HTML = """
<div class="fp-exports" role="group" aria-label="Export this view">
  <button type="button" data-fmt="png">PNG</button><button type="button" data-fmt="svg">SVG</button>
  <button type="button" data-fmt="pdf">PDF</button><button type="button" data-fmt="pptx">PowerPoint</button>
  <span class="fp-export-note"></span>
</div>
<div class="fp-export-status" role="status" aria-live="polite"></div>
"""
_EXPORT_CSS = """
.fp-exports { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; font-family: "Source Sans",
  sans-serif; }
.fp-exports button { font: inherit; font-size: 0.95rem; padding: 0.3rem 0.8rem; min-height: 2.4rem;
  border: 1px solid rgba(49, 51, 63, 0.2); border-radius: 0.5rem; background: #fff; color: #31333f;
  cursor: pointer; }
.fp-exports button:hover { border-color: #0072B2; color: #0072B2; }
.fp-exports button:disabled { opacity: 0.6; cursor: progress; }
.fp-export-note { font-size: 0.85rem; color: rgba(49, 51, 63, 0.6); flex: 1 1 16rem; }
.fp-export-status { font-family: "Source Sans", sans-serif; font-size: 0.9rem; margin-top: 0.4rem; }
.fp-export-status.fp-error { color: #7d353b; background: #ffecec; padding: 0.5rem 0.75rem; border-radius: 0.5rem; }
"""
_EXPORT_JS = """
export default function (component) {
  const { parentElement, data } = component;
  const status = parentElement.querySelector(".fp-export-status");
  parentElement.querySelector(".fp-export-note").textContent = data.note;
  parentElement.querySelectorAll(".fp-exports button").forEach((button) => {
    const fmt = button.dataset.fmt;
    button.onclick = async () => {
      button.disabled = true;
      status.className = "fp-export-status";
      status.textContent = `Making the ${button.textContent}...`;
      try {
        const response = await fetch(data.urls[fmt], { credentials: "same-origin", cache: "no-store" });
        if (!response.ok) throw new Error(await response.text());
        const link = document.createElement("a");
        link.href = URL.createObjectURL(await response.blob());
        link.download = data.names[fmt];
        document.body.appendChild(link);
        link.click();
        setTimeout(() => { URL.revokeObjectURL(link.href); link.remove(); }, 60000);
        status.textContent = "";
      } catch (error) {
        status.className = "fp-export-status fp-error";
        status.textContent = (error && error.message && error.message.trim()) ||
          "The export did not reach the server; check the connection and click again.";
      } finally {
        button.disabled = false;
      }
    };
  });
}
"""
_export_component = st.components.v2.component(
    "force_posture.exports", html=_EXPORT_HTML, css=_EXPORT_CSS, js=_EXPORT_JS
)


def export_buttons(countries: tuple[str, ...], chosen: view.View, day: dt.date) -> None:
    """Download this exact view (window, toggles, scenarios) as PNG, SVG, PDF or a slide. The view is
    registered under this session's token for the chart; the file is made when its button is clicked
    and sent in the same response, however many analysts click at once."""
    name = CHART_NAMES[countries]
    brief = export.Briefing(chart=name, today=day, view=chosen)  # scenarios: read from the workspace when asked
    tokens = st.session_state.setdefault("export-tokens", {})
    request = downloads.ExportRequest(dataset(), brief, weakref.ref(workspace()))
    tokens[name] = token = downloads.REGISTRY.put(request, tokens.get(name))
    w, h = export.DEFAULT_SIZE
    _export_component(key=f"exports-{name}", data={
        "urls": {fmt: f"export/{token}/{fmt}" for fmt in export.FORMATS},
        "names": {fmt: f"{brief.file_stem()}.{fmt}" for fmt in export.FORMATS},
        "note": f"This view at {w}×{h} (PNG at 2×), with title, source line, as-of date and a link back.",
    })  # fmt: skip


def table(frame: pd.DataFrame, key: str) -> None:
    """A table as analysts read it: numbers right-aligned with thousands separators, empty cells
    blank, dates as YYYY-MM-DD, links as links; wider than a phone, it scrolls instead of squeezing."""
    shown, numbers, dates = tables.for_screen(frame)
    config = {c: st.column_config.TextColumn(c, alignment="right") for c in numbers}
    config |= {c: st.column_config.DateColumn(c, format="YYYY-MM-DD") for c in dates}
    if "url" in shown.columns:
        config["url"] = st.column_config.LinkColumn("link", display_text="open source")
    st.dataframe(shown, hide_index=True, width="stretch", key=key, column_config=config)


def points_dataframe(levels: pd.DataFrame, key: str) -> None:
    table(tables.points_table(levels), key)


def country_page(country: str) -> None:
    """The Syria and Iraq pages: headline, chart, the acknowledged-vs-disclosed story, the points."""
    chosen = setup(country)
    on = day(chosen)
    if not chosen.is_briefing:
        st.title(f"US troops in {country}")
    headline((country,), on, compact=chosen.is_briefing, known=chosen.known)
    chart((country,), chosen, on, height=COUNTRY_HEIGHT)
    if chosen.is_briefing:
        return
    ds = record(chosen.known)
    st.subheader("Stated at the time, disclosed later")
    st.caption(
        "Filled circles: acknowledged at the time. Hollow circles: press estimates. Diamonds: figures "
        "disclosed later about an earlier time. Hollow squares on a dashed line: authorized caps, not counts."
    )
    for sentence in summary.disclosure_story(ds.levels, country):
        st.text(sentence)
    st.subheader(f"Data points: {country}")
    points_dataframe(ds.levels[ds.levels["country"] == country], key=f"points-{country}")


# ---- this session's scenarios: never shared --------------------------------------------------------


def workspace() -> Workspace:
    """This browser session's scenarios."""
    if "workspace" not in st.session_state:
        st.session_state["workspace"] = Workspace()
        st.session_state["memo"] = {}
    return st.session_state["workspace"]


MEMO_SIZE = 8


def memo(key: tuple, build):
    """This session's small memo: a rerun (any click) must not rebuild a 300,000-row chart. Per
    session, never a shared cache, so one analyst's scenarios never reach another's."""
    ws = workspace()
    key = (ws.version, *key)
    store = st.session_state["memo"]
    if key not in store:
        if len(store) >= MEMO_SIZE:
            store.pop(next(iter(store)))
        store[key] = build()
    return store[key]


def toast(message: str) -> None:
    """A notice that may hold file or scenario names: Streamlit's toast reads Markdown, so every ASCII
    punctuation mark is escaped and the names show exactly as typed."""
    st.toast(tables.markdown_escape(message))


def add_scenarios(result: scenarios.Scenario) -> None:
    for notice in workspace().add(result):
        toast(notice)


def scenario_uploader(key: str) -> None:
    """Upload one or more CSVs. A refused file leaves everything on screen as it was and says why."""
    files = st.file_uploader(
        f"Upload scenario CSVs (up to {UPLOAD_LIMIT_MB} MB each)", type=["csv", "txt", "tsv"],
        accept_multiple_files=True, key=key,
        help="Columns: date, country, troops; optional scenario, low, high, note. See the template.",
    )  # fmt: skip
    ws = workspace()
    # a file already read is not copied again on every rerun (it can be 20 MB)
    batch = [(f.file_id, f.name, b"" if f.file_id in ws.seen else f.getvalue()) for f in files or []]
    for notice in ws.take_uploads(batch):
        toast(notice)
    for message in ws.refused.values():
        st.error("A file was not loaded; everything on screen is as it was.", icon="⚠️")
        st.text(message)  # uploaded text is data: shown as plain text, never as Markdown or HTML


# ---- the team's saved scenario library -------------------------------------------------------------


def the_library() -> library.Library:
    """The process's one library (FORCE_POSTURE_DATABASE_URL, or SQLite in the user data folder)."""
    return library.shared()


def library_user() -> str:
    """Who this analyst is: the trusted proxy header when FORCE_POSTURE_USER_HEADER names one, else
    the one local user (a header the browser sends is never believed then). Raises LibraryError."""
    return library.user_from_headers(dict(st.context.headers), os.environ.get(library.USER_HEADER_ENV))


def library_error(what: str, err: library.LibraryError) -> None:
    """A failed library action: a fixed headline, then the message as plain text (it can hold names)."""
    st.error(what, icon="⚠️")
    st.text(str(err))


def open_saved(ids: list[int]) -> bool:
    """Open saved scenarios onto the charts; False (and a message) if the library refused."""
    try:
        opened = the_library().open(library_user(), ids)
    except library.LibraryError as err:
        library_error("A saved scenario was not opened; everything on screen is as it was.", err)
        return False
    for notice in workspace().add_saved(opened):
        toast(notice)
    return True


def open_linked(ids: list[int]) -> None:
    """The saved scenarios a link names, opened once per session (each checked against who may see it)."""
    ws = workspace()
    new = [i for i in ids if i not in ws.link_tried]
    if new:
        ws.link_tried.update(new)
        with st.sidebar:
            for saved_id in new:  # one refused id does not keep the others from opening
                open_saved([saved_id])


METHOD_FILE = data.DATA_DIR.parent / "docs" / "method.md"


def method_text() -> str:
    """The method, as written in docs/method.md (shown on the Sources page)."""
    return METHOD_FILE.read_text(encoding="utf-8")
