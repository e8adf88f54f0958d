"""The interactive embed of a chart view (/embed/<chart>), for wikis and portals that take an iframe.

The page draws the view's own figure (the export's, with its source line, as-of date, record version
and link) with the plotly.js that the app already ships (the plotly package's own copy, served by this
server at a versioned address: no CDN), hover with sources included. It has no Streamlit session and no
inline script: the figure is JSON data in the page, drawn by /embed/embed.js. `theme=auto` carries the
light and the dark figure and shows the one the reader's system prefers. It lays itself out for the
width of its frame: with no `width` given, it asks the server for the figure at its frame's width (in
40 px steps), so its labels are placed for the size it is shown at, as the app's are. Anyone may frame it
(public data); the app's own pages may not be framed by other sites (web/frames.Framing).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

import plotly

from force_posture.core import data
from force_posture.exports import export
from force_posture.plot import charts
from force_posture.publish import public

PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
PLOTLY_ADDRESS = f"/embed/plotly-{plotly.__version__}.min.js"  # a new plotly, a new address: cacheable forever
SCRIPT_ADDRESS = "/embed/embed.js"
THEMES = ("light", "dark", "auto")
DEFAULT_SIZE = (960, 560)  # the snippets' iframes are 600 px high: the chart and its link line
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self' data:; frame-ancestors *"
)

SCRIPT = Path(__file__).with_name("embed.js").read_text(encoding="utf-8")


def ask(chart: str, query: Iterable[tuple[str, str]], today: dt.date) -> tuple[public.Ask, str, bool]:
    """The view an embed shows: the image parameters, `theme` also auto (the default), and `fit`, which the
    page itself adds when it asks for its frame's width."""
    pairs = [(k, v) for k, v in query if k != "fit"]
    theme = dict(pairs).get("theme", "auto")
    plain = [(k, v) for k, v in pairs if k != "theme"]
    if theme not in THEMES:
        raise public.BadRequest(f"theme='{theme[:40]}': use one of {', '.join(THEMES)}.")
    given = {k for k, _ in pairs}
    found = public.preview_ask(chart, plain, today)
    if "width" not in given and "height" not in given:
        found = replace(found, width=DEFAULT_SIZE[0], height=DEFAULT_SIZE[1])
    fixed = "width" in given and not any(k == "fit" for k, _ in query)
    return replace(found, theme="light" if theme == "auto" else theme), theme, fixed


def _json(value) -> str:
    """JSON safe inside a <script type="application/json"> element (no '</script>' can close it)."""
    return json.dumps(value, separators=(",", ":"), default=str).replace("<", "\\u003c").replace("&", "\\u0026")


def _figure(ds: data.Dataset, b: export.Briefing, base: str, fit: bool) -> dict:
    """The view's figure at the frame's size: when it is laid out for the frame (`fit`) and the full chart
    would outgrow it or squeeze its panels, the compact one, which keeps the frame's height."""
    made = export.figure_dict(ds, b, base, static=False)
    if fit and charts.crowded(made["layout"], b.height):
        return export.figure_dict(ds, replace(b, compact=True), base, static=False)
    return made


def page(ds: data.Dataset, found: public.Ask, theme: str, fixed: bool, base: str) -> str:
    meta = public.metadata(ds, found, base)
    themes = ("light", "dark") if theme == "auto" else (theme,)
    figures = {t: _figure(ds, replace(found, theme=t).briefing(), base, fit=not fixed) for t in themes}
    settings = {
        "theme": theme,
        "width": found.width,
        "height": found.height,
        "fixedWidth": fixed,
        "limits": list(public.WIDTHS),
        "heights": list(public.HEIGHTS),
        "config": {"displaylogo": False, "responsive": False, "modeBarButtonsToRemove": ["select2d", "lasso2d"]},
    }
    e = public.esc
    blocks = "\n".join(
        f'<script type="application/json" id="fp-figure-{t}">{_json(f)}</script>' for t, f in figures.items()
    )
    return f"""{public.page_head(meta["title"])}
<style>html, body {{ margin: 0; padding: 0; }} body {{ font-family: "Liberation Sans", Arial, sans-serif; }}
  .fp-back {{ font-size: 12px; margin: 0; padding: 4px 8px 6px; }} .fp-back a {{ color: inherit; }}
  body[data-theme="dark"] {{ color: #EDEBE8; }} body[data-theme="light"] {{ color: #222222; }}</style>
</head>
<body>
<p id="fp-small" class="fp-back" hidden><span></span><a href="{e(meta["view"])}" target="_blank"
  rel="noopener">open the chart in the dashboard</a>.</p>
<div id="fp-chart" role="figure" aria-label="{e(meta["description"])}"></div>
<p class="fp-back"><a href="{e(meta["view"])}" target="_blank" rel="noopener">Open this view in the dashboard</a>,
  with every source (record version {e(ds.version)}, as of {e(data.fmt_day(found.day))})</p>
<script type="application/json" id="fp-page">{_json(settings)}</script>
{blocks}
<script src="{e(PLOTLY_ADDRESS)}"></script>
<script src="{e(SCRIPT_ADDRESS)}"></script>
</body>
</html>
"""


def iframes(found: public.Ask, base: str, title: str) -> tuple[str, str]:
    """The live iframe snippet and the pinned one (the record as known today: it never changes under a
    report), each as wide as the page it sits in."""
    e = public.esc

    def frame(ask_: public.Ask) -> str:
        q = replace(ask_, width=export.DEFAULT_SIZE[0], height=export.DEFAULT_SIZE[1]).query()
        src = f"{base.rstrip('/')}/embed/{ask_.chart}" + (f"?{q}" if q else "")
        return (
            f'<iframe src="{e(src)}" title="{e(title)}" width="100%" height="600" style="border: 0;" '
            'loading="lazy"></iframe>'
        )

    pinned = replace(found, view=found.view.with_(known=found.view.known or found.day.isoformat()))
    return frame(found), frame(pinned)


@dataclass(frozen=True)
class Snippets:
    """What a page offers under a chart to put its view elsewhere (strings: shared, never changed)."""

    preview: str  # the link for a chat or an e-mail
    live_frame: str  # HTML: the interactive embed, always the latest record
    pinned_frame: str  # HTML: the interactive embed of the record as known today
    pinned_image: str  # HTML: this record version on this day, never changing under a report
    latest_image: str  # HTML: always the latest record
    data: str  # the CSV and metadata addresses, one per line


def snippets(ds: data.Dataset, ask_: public.Ask, base: str) -> Snippets:
    """The view's addresses for other tools. The images are HTML for a wiki, a portal or an e-mail that
    blocks iframes: the view's image, linking back to the view."""
    meta = public.metadata(ds, ask_, base)
    live, pinned = iframes(ask_, base, meta["title"])
    e = public.esc
    image = lambda src, alt: f'<a href="{e(meta["view"])}"><img src="{e(src)}" alt="{e(alt)}" width="800"></a>'  # noqa: E731
    latest_alt = f"{meta['title']}: the latest sourced figures, from the force-posture dashboard"
    return Snippets(
        preview=public.preview_address(ask_, base),
        live_frame=live,
        pinned_frame=pinned,
        pinned_image=image(meta["images"]["png"], meta["description"]),
        latest_image=image(meta["latest"]["png"], latest_alt),
        data=f"{meta['latest']['csv']}\n{meta['latest']['metadata.json']}",
    )
