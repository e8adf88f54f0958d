"""The export buttons under each chart, which fetch each file from the server's own export route.

A small component fetches /export/<token>/<format> (web/app.py), checks that what came back is the
file asked for, and says in words why not."""

from __future__ import annotations

import datetime as dt
import weakref
from pathlib import Path

import streamlit as st

from force_posture.core import tables, view
from force_posture.exports import downloads, export
from force_posture.ui import cache, server, session

CHART_NAMES = {countries: name for name, countries in view.CHARTS.items()}
NOT_SERVED = (
    "This server was started without its export routes, so these buttons cannot make files. "
    'Start it with "make run" (or "streamlit run dashboard.py").'
)
WRONG_TYPE = (
    "The server sent {type} instead of the file, so nothing was saved. If this keeps happening, the server was "
    'started without its export routes: start it with "make run" (or "streamlit run dashboard.py").'
)

# Its HTML, CSS and JS are fixed, trusted text; the data it gets is this session's tokens and file
# names, set as attributes and text by the script, never as HTML. A response is saved only if it is
# the file asked for (status 200 and the format's content type): a page sent in its place is refused.
_EXPORT_HTML = """
<div class="fp-exports" role="group" aria-label="Export this view">
  <button type="button" data-fmt="png">PNG</button><button type="button" data-fmt="svg">SVG</button>
  <button type="button" data-fmt="pdf">PDF</button><button type="button" data-fmt="pptx">PowerPoint</button>
  <span class="fp-export-note"></span>
</div>
<div class="fp-export-status" role="status" aria-live="polite"></div>
"""
_EXPORT_CSS = """
/* Streamlit's theme values (--st-*): the buttons look like the page's own in light and in dark. */
.fp-exports { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; font-family: var(--st-font,
  "Source Sans", sans-serif); color: var(--st-text-color, #31333f); }
.fp-exports button { font: inherit; font-size: 0.95rem; padding: 0.3rem 0.8rem; min-height: 2.4rem;
  border: 1px solid var(--st-border-color, rgba(49, 51, 63, 0.2)); border-radius: 0.5rem;
  background: var(--st-background-color, #fff); color: var(--st-text-color, #31333f); cursor: pointer; }
.fp-exports button:hover { border-color: var(--st-primary-color, #0072B2); color: var(--st-primary-color, #0072B2); }
.fp-exports button:focus-visible { outline: 2px solid var(--st-primary-color, #0072B2); outline-offset: 2px; }
.fp-exports button:disabled { opacity: 0.6; cursor: not-allowed; }
.fp-exports button.fp-busy:disabled { cursor: progress; }
.fp-export-note { font-size: 0.85rem; opacity: 0.8; flex: 1 1 16rem; }
.fp-export-status { font-family: var(--st-font, "Source Sans", sans-serif); font-size: 0.9rem; margin-top: 0.4rem;
  color: var(--st-text-color, #31333f); }
.fp-export-status.fp-error { color: #7d353b; background: #ffecec; padding: 0.5rem 0.75rem; border-radius: 0.5rem; }
"""
_EXPORT_JS = Path(__file__).with_name("exports.mjs").read_text(encoding="utf-8")
_export_component = st.components.v2.component(
    "force_posture.exports", html=_EXPORT_HTML, css=_EXPORT_CSS, js=_EXPORT_JS
)


def buttons(countries: tuple[str, ...], chosen: view.View, day: dt.date) -> None:
    """Download this exact view (window, toggles, scenarios) as PNG, SVG, PDF or a slide. The view is
    registered under this session's token for the chart; the file is made when its button is clicked
    and sent in the same response, however many analysts click at once."""
    name = CHART_NAMES[countries]
    brief = export.Briefing(chart=name, today=day, view=chosen)  # scenarios: read from the workspace when asked
    tokens = st.session_state.setdefault("export-tokens", {})
    request = downloads.ExportRequest(cache.dataset(chosen.shown), brief, weakref.ref(session.workspace()))
    tokens[name] = token = downloads.REGISTRY.put(request, tokens.get(name))
    w, h = export.DEFAULT_SIZE
    _export_component(
        key=f"exports-{name}",
        data={
            "urls": {fmt: f"export/{token}/{fmt}" for fmt in export.FORMATS},
            "names": {fmt: f"{brief.file_stem()}.{fmt}" for fmt in export.FORMATS},
            "types": dict(export.MIME),
            "note": f"This view at {w}×{h} (PNG at 2×), with title, source line, as-of date and a link back.",
            "unavailable": "" if server.serving() else NOT_SERVED,
            "wrongType": WRONG_TYPE,
        },
    )
    missing = export.without_unsaved(session.workspace().unsaved_shown())
    if missing:  # scenario names are data: escaped, shown exactly as typed
        st.caption(tables.markdown_escape(missing))
