"""The screen: a probe that reports its size (and sets the house CSS), its cookie, the chart laid out for it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import streamlit as st

from force_posture.core import view
from force_posture.core.style import COMPACT_BELOW
from force_posture.core.window import SCREEN_COOKIE, SCREEN_WINDOW_COOKIE, WINDOW_COOKIE, screen_from_cookie
from force_posture.plot import charts
from force_posture.watch import status

# the charts' heights on the overview and the country pages (the warm-up builds them at these heights)
OVERVIEW_HEIGHT, COUNTRY_HEIGHT = 820, 640

# The browser reports the width of the page's main column (and the window's height) through a tiny
# component, so that each chart is laid out for the width it is shown at: labels that give way at that
# width are named under the chart. Values come in steps (40 px wide, 20 px high) to keep reruns and
# cache entries few. The first run comes before any report: it is laid out for the column this browser
# measured last time in a window of the same size (a cookie), or else for the column Streamlit's layout
# gives the window the page started in (a cookie the page sets before the app's code runs: web/app.py),
# or else for a laptop. A page laid out right at once is drawn once, not twice.
_SCREEN_JS = Path(__file__).with_name("screen.mjs").read_text(encoding="utf-8")
_screen_probe = st.components.v2.component("force_posture.screen", js=_SCREEN_JS)
# What a 1280x800 laptop reports (its main column beside the open sidebar), the commonest first screen:
# its first run is laid out right at once, from the figure the warm-up built.
DEFAULT_SCREEN = (800, 800)


def _plotly_module() -> str:
    """Streamlit's Plotly chart module, as its index.html names its modules ("" if this Streamlit has none)."""
    found = sorted((Path(st.__file__).parent / "static" / "static" / "js").glob("PlotlyChart.*.js"))
    return f"./static/js/{found[0].name}" if found else ""


PLOTLY_MODULE = _plotly_module()
SMALLEST_LAYOUT, LARGEST_LAYOUT = 320, 1600
HEADLINE_STRIP = 150  # pixels the briefing view's headline row and padding take above the chart
BRIEFING_LARGEST = 2560


def measure(css: str = "", briefing: bool = False) -> None:
    """Mount the probe (once per run, from page.setup()), which also puts `css` into the page's head,
    and keep what it last reported. The report that caused this run is taken before the probe is
    mounted, so that the probe is told the size this run lays the page out for (it marks the page
    settled when that is what it measures). Before the first report, the run is laid out for the best
    guess the cookies allow for this view (first_guess; `briefing`: the view folds the sidebar away)."""
    _keep(st.session_state.get("fp-screen"))
    if "fp-screen-known" not in st.session_state:
        cookies = st.context.cookies
        st.session_state["fp-screen-guess"] = first_guess(
            *(screen_from_cookie(cookies.get(name)) for name in (WINDOW_COOKIE, SCREEN_COOKIE, SCREEN_WINDOW_COOKIE)),
            briefing=briefing,
        )
    known = size()
    with st.sidebar:
        result = _screen_probe(
            key="fp-screen",
            data={
                "known": f"{known[0]}x{known[1]}",
                "cookie": SCREEN_COOKIE,
                "windowCookie": SCREEN_WINDOW_COOKIE,
                "preload": PLOTLY_MODULE,
                "css": css,
                "theme": theme(),
            },
            default={"size": None, "theme": None},
            on_size_change=lambda: None,
            on_theme_change=lambda: None,
            height=0,
        )
    _keep(result)


def _keep(state) -> None:
    reported = getattr(state, "size", None) if not isinstance(state, dict) else state.get("size")
    if isinstance(reported, dict) and {"width", "height"} <= reported.keys():
        st.session_state["fp-screen-known"] = (int(reported["width"]), int(reported["height"]))


def size() -> tuple[int, int]:
    """(main column width, window height) as the browser last reported them, in steps: in this
    session, or else before its first report the guess this run's measure() made, or else a laptop's."""
    state = st.session_state
    return state.get("fp-screen-known") or state.get("fp-screen-guess") or DEFAULT_SCREEN


# Streamlit's wide layout, as measured in Chromium (tests/test_browser.py checks it at many widths): the
# sidebar (300 px) is open on a first visit from a window 769 px wide (unless the view folds it away),
# and the main column's padding is 1 rem a side, 5 rem from a window 864 px wide.
SIDEBAR_WIDTH, SIDEBAR_FROM = 300, 769
NARROW_PADDING, WIDE_PADDING, WIDE_PADDING_FROM = 16, 80, 864


def first_guess(
    window: tuple[int, int] | None,
    reported: tuple[int, int] | None,
    reported_in: tuple[int, int] | None,
    briefing: bool = False,
) -> tuple[int, int]:
    """The screen a session's first run is laid out for (pure): what this browser reported last time if
    it was in a window of the size this page starts in (that report knows a sidebar the analyst widened,
    a scrollbar that takes room); or else what Streamlit's layout gives that window; or else what it
    reported last time; or else a laptop's."""
    if window is None:
        return reported or DEFAULT_SCREEN
    if reported is not None and reported_in == window:
        return reported
    return column_for(window, briefing)


def column_for(window: tuple[int, int], briefing: bool = False) -> tuple[int, int]:
    """The main column's width and the window's height, in the probe's steps, that Streamlit's layout
    gives a window of this size on a first visit (pure)."""
    width, height = window
    sidebar = SIDEBAR_WIDTH if width >= SIDEBAR_FROM and not briefing else 0
    padding = WIDE_PADDING if width >= WIDE_PADDING_FROM else NARROW_PADDING
    return max(0, width - sidebar - 2 * padding) // 40 * 40, height // 20 * 20


def layout_width() -> int:
    """The width to lay a chart out for on this screen (labels clear at it stay clear wider)."""
    return _clamped(size()[0])


def _clamped(width: int) -> int:
    return max(SMALLEST_LAYOUT, min(width, LARGEST_LAYOUT))


def chart_spec(
    countries: tuple[str, ...], chosen: view.View, day: dt.date, height: int, shown: pd.DataFrame | None = None
) -> charts.ChartSpec:
    """The chart for this screen: laid out for the width it is shown at, or, in the briefing view,
    the largest 16:9 chart the window holds under the headline row; in the page's theme."""
    watched = status.current(dt.datetime.now(dt.UTC))
    return spec_for(size(), countries, chosen, day, height, shown, theme(), watched)


def theme() -> str:
    """The theme the analyst's page shows ("light" or "dark": Streamlit's setting, which follows the
    system's preference until one is chosen in its menu). The browser says which with every run; a
    run that has not been told (Streamlit issue 11920) draws light, and the screen probe asks for the
    page again as soon as the browser shows another theme."""
    return "dark" if st.context.theme.type == "dark" else "light"


def spec_for(
    screen: tuple[int, int],
    countries: tuple[str, ...],
    chosen: view.View,
    day: dt.date,
    height: int,
    shown: pd.DataFrame | None = None,
    theme: str = "light",
    watched: str = "",
) -> charts.ChartSpec:
    """The chart for a screen of this size (main column width, window height); pure. `watched`: how
    fresh the source watch is, for the footer."""
    column_w, window_h = screen
    width = _clamped(column_w)
    if chosen.is_briefing:  # the slide is the window: as large as it holds, at 16:9
        width = max(SMALLEST_LAYOUT, min(column_w, BRIEFING_LARGEST, int((window_h - HEADLINE_STRIP) * 16 / 9)))
        height = max(180, width * 9 // 16)
    rows = 3 if width < COMPACT_BELOW and not chosen.is_briefing else None  # the plot in the first view
    return charts.ChartSpec(
        today=day,
        countries=countries,
        view=chosen,
        scenarios=shown,
        width=width,
        height=height,
        label_rows=rows,
        theme=theme,
        watched=watched,
    )
