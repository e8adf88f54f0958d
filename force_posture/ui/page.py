"""Every page's first call: page config, navigation, the URL's view, and what each page needs first.

The sidebar navigation, the screen probe, the house CSS and the saved scenarios a link names."""

from __future__ import annotations

import os

import streamlit as st

from force_posture import settings
from force_posture.core import view
from force_posture.store import database, live, record
from force_posture.ui import cache, clock, continuity, controls, push, saved, screen, session

# Only where Streamlit cannot push (ui/push.py): how often an open page asks whether the record has a
# new version (an approval on any replica).
WATCH_SECONDS = settings.value("FORCE_POSTURE_RECORD_WATCH")  # a fragment's timer is set as the module loads

APP_TITLE = "US force posture: Syria and Iraq"
# The sidebar navigation, drawn by setup() on every page (Streamlit's own list is switched off in
# .streamlit/config.toml: it would show file names).
PAGES = (
    ("dashboard.py", "Overview"),
    ("pages/syria.py", "Syria"),
    ("pages/iraq.py", "Iraq"),
    ("pages/scenarios.py", "Scenarios"),
    ("pages/sources.py", "Sources"),
    ("pages/review.py", "Review"),
)

# The house CSS: put into the page's <head> once by the screen probe (a <style> element that no rerun
# can drop, taking no room; an element drawn by each run went missing from a page now and then).
HOUSE_CSS = """
/* A compact first view: less padding above the page, a smaller title, one row of smaller figures that
   wrap rather than cut off. Static, trusted CSS: no data reaches it. */
[data-testid="stMainBlockContainer"] { padding-top: 3.4rem; }
[data-testid="stMainBlockContainer"] h1 { font-size: 1.6rem; padding: 0 0 0.2rem 0; }
[data-testid="stMetricValue"] { font-size: 1.3rem; line-height: 1.25; }
[data-testid="stMetricValue"] *, [data-testid="stMetricLabel"] * {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important; }
[data-testid="stMetricLabel"] p { font-size: 0.75rem; line-height: 1.2; }
/* Under a single-source figure, the firmer one before it: small, and wrapped rather than cut off. */
[data-testid="stMetricDelta"] { font-size: 0.75rem; line-height: 1.2; padding-top: 0.1rem; padding-bottom: 0.1rem; }
[data-testid="stMetricDelta"] * { white-space: normal !important; overflow: visible !important;
  text-overflow: clip !important; }
/* Captions: Streamlit draws them at 60% opacity, 3.9:1 on white (axe-core: WCAG 1.4.3 asks 4.5:1);
   at 80% they are 6:1 in the light theme and stay secondary in both themes. */
[data-testid="stCaptionContainer"] { opacity: 0.8 !important; }
/* The row of the page title and the window buttons: no more room under it than under a bare title. */
[data-testid="stHorizontalBlock"]:has(h1) { margin-bottom: -0.75rem; }
/* Rows of buttons (the window buttons, the Sources filters) wrap onto a second row in a narrow column
   (a phone) rather than run off it or hide their last choice behind a scroll. */
[data-testid="stButtonGroup"] [aria-orientation="horizontal"] { flex-wrap: wrap; }
/* A focused link is marked, the current page's in the navigation too (its highlight alone does not
   change when it takes the focus: WCAG 2.4.7). */
a:focus-visible { outline: 2px solid currentColor !important; outline-offset: 2px; }
/* A closed sidebar is slid off the page but its links and controls stayed in the Tab order: a keyboard
   went through some twenty stops it could not see (WCAG 2.4.7, 2.4.11). Hidden once it has slid out
   (after the 0.3 s slide), shown at once when it opens. */
[data-testid="stSidebar"] { transition: transform 0.3s, min-width 0.3s, max-width 0.3s, visibility 0s 0s; }
[data-testid="stSidebar"][data-collapsed="true"] { visibility: hidden;
  transition: transform 0.3s, min-width 0.3s, max-width 0.3s, visibility 0s 0.3s; }
[data-testid="stSidebar"][data-collapsed="true"] * { visibility: hidden !important; transition: visibility 0s 0.3s; }
/* The date field's day, month and year are each a target: at least 24 px (WCAG 2.5.8). */
[data-testid="stDateInput"] [role="spinbutton"] { display: inline-block; min-width: 24px; min-height: 24px;
  text-align: center; }
"""


def setup(title: str, controls_shown: str = "view", follow_proposals: bool = False) -> view.View:
    """Page config, the sidebar navigation with proper labels, the view controls ("view": all of them;
    "known": only the day the record is taken as known on; "none") and the URL state. `follow_proposals`:
    the page also runs again when anyone proposes, resubmits or decides (the Review page).
    Idempotent, and the first call of every page, so a deep link to any page on a fresh server gets
    the same page as the navigation does."""
    chosen, notes = view.parse(st.query_params.to_dict())
    today = clock.today()
    if chosen.known_on and chosen.known_on >= today:  # the record as known today is the default view
        if chosen.known_on > today:
            notes.append(f"Ignored known='{chosen.known}': that day has not come yet; showing the record as known now.")
        chosen = chosen.with_(known="")
    if chosen.shown_on and chosen.shown_on >= today:  # what it shows today is what it shows now
        if chosen.shown_on > today:
            notes.append(f"Ignored shown='{chosen.shown}': that day has not come yet; showing the record as it is now.")
        chosen = chosen.with_(shown="")
    st.set_page_config(
        page_title=f"{title} · {APP_TITLE}",
        page_icon="📈",
        layout="wide",
        initial_sidebar_state="collapsed" if chosen.is_briefing else "auto",
    )
    nav = st.sidebar.container()  # filled last, so its links carry the view as the controls leave it
    screen.measure(HOUSE_CSS, briefing=chosen.is_briefing)
    continuity.check()
    saved.open_linked(chosen.saved_ids)
    chosen = chosen.with_(saved=view.saved_value(session.workspace().shown_saved_ids()))
    if controls_shown == "view":
        chosen = controls.view_controls(controls.clicked_window(chosen), notes)
    elif controls_shown == "known":
        chosen = controls.known_only(chosen, notes)
    with nav:
        for path, label in PAGES:
            if path == "pages/review.py":
                label = _review_label()
            st.page_link(path, label=label, query_params=chosen.to_query())
        st.divider()
        if replica := settings.value("FORCE_POSTURE_REPLICA"):  # set per replica by serve-team and the units
            st.caption(f"Served by replica {replica[:40]}")
    activity = _activity() if follow_proposals else None
    if push.available():
        push.drawn(cache.dataset().version, activity)
    else:
        _watch(cache.dataset().version, screen.theme(), activity)
    return chosen


def _activity() -> tuple[int, int]:

    return live.shared().state.activity


def _review_label() -> str:
    """'Review', and for an editor how many proposals wait ('Review (3 to review)')."""
    waiting = live.shared().state.waiting
    try:
        editor = waiting and record.analyst(dict(st.context.headers), os.environ).editor
    except database.DatabaseError:  # no identity: the Review page says why
        editor = False
    return f"Review ({waiting} to review)" if editor else "Review"


@st.fragment(run_every=WATCH_SECONDS)
def _watch(drawn: str, theme: str, activity: tuple[int, int] | None) -> None:
    """Where the server cannot push (ui/push.py): run the page again as soon as the record has a version
    newer than the one it drew (an approval here or on another replica), or, on a page that follows
    proposals, one was written or decided since it drew (`activity`), or the analyst's theme is not the
    one it drew in: an open page shows it without a click."""
    if push.stale(drawn, activity, live.shared().state) or screen.theme() != theme:
        st.rerun(scope="app")
