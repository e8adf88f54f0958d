"""Under each chart, its addresses for other tools: a link that previews, embeds, images that link back, data.

What they draw is the public record of the view (window, scale, toggles, known-on day): never the
analyst's scenarios, which stay in the app (force_posture/publish/public.py)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

import streamlit as st

from force_posture.core import data, view
from force_posture.exports import export
from force_posture.publish import public
from force_posture.ui import cache


def base() -> str:
    """The address others reach this server at: the configured one, or the one this browser used."""
    used = urlsplit(st.context.url or "")
    return export.configured_base() or (f"{used.scheme}://{used.netloc}" if used.netloc else export.base_url())


def addresses(chart: str, chosen: view.View, day: dt.date, with_scenarios: bool) -> None:
    """The share panel, closed: its six address boxes are made and sent only once an analyst opens it
    (each box loads the browser's code highlighter, most of a second of a new tab's drawing)."""
    panel = st.expander("Share this view in a chat, a wiki or a data tool", key=f"share-{chart}", on_change="rerun")
    with panel:
        if panel.open:
            _snippets(chart, chosen, day, with_scenarios)


def _snippets(chart: str, chosen: view.View, day: dt.date, with_scenarios: bool) -> None:
    version = cache.dataset(chosen.shown).version if chosen.shown else ""
    found = cache.snippets(public.of_view(chart, chosen, day, version), base(), chosen.shown)
    if with_scenarios:
        st.caption("These show the record only: your scenarios stay in the app (save one to share it).")
    st.caption("A link for a chat or an e-mail: it shows the chart as a preview card and opens this view.")
    st.code(found.preview, language=None, wrap_lines=True)
    st.caption(
        "An interactive chart (hover for sources) for a wiki or a portal that takes an iframe, always "
        "showing the latest record ..."
    )
    st.code(found.live_frame, language="html", wrap_lines=True)
    pinned = f"the record as shown on {data.fmt_day(chosen.shown_on)}" if chosen.shown else "today's record"
    st.caption(f"... or pinned to {pinned}, so it never changes under a report:")
    st.code(found.pinned_frame, language="html", wrap_lines=True)
    st.caption(
        f"An image that links back, for a wiki, a portal or an e-mail: pinned to {pinned}, so it "
        "never changes under a report ..."
    )
    st.code(found.pinned_image, language="html", wrap_lines=True)
    st.caption("... or always showing the latest record:")
    st.code(found.latest_image, language="html", wrap_lines=True)
    st.caption("The points this view draws, with their sources (CSV), and its description (JSON):")
    st.code(found.data, language=None, wrap_lines=True)
