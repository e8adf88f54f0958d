"""Briefing exports: PNG (2x), SVG, PDF and a 16:9 PowerPoint slide, all from one figure.

The app and the command line both call `export()`. Static images come from Plotly's own
exporter, kaleido, driving Debian's Chromium through one export service per process
(`renderer.py`): safe when many sessions export at once, kept warm, so a batch of exports pays the
browser start once. Without fonts installed, kaleido writes images
with no text and no error: `make test` installs fonts-liberation and fonts-dejavu-core.
"""

from __future__ import annotations

import datetime as dt
import io
import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

import pandas as pd
import plotly.graph_objects as go

from force_posture import settings
from force_posture.core import data, history, style
from force_posture.core.view import CHARTS, View, link
from force_posture.exports import renderer
from force_posture.plot import charts

FORMATS = ("png", "svg", "pdf", "pptx")
LABELS = {"png": "PNG", "svg": "SVG", "pdf": "PDF", "pptx": "PowerPoint"}
MIME = {
    "png": "image/png",
    "svg": "image/svg+xml",
    "pdf": "application/pdf",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
DEFAULT_SIZE = (1600, 900)
SMALL_SIZE = (960, 540)
# The slide's picture is laid out for the slide body (12.5 x 5.4 in): at 1200 px across, the chart's
# 12 px labels print at about 9 pt. (A 1600 x 900 chart shrunk into the body would print at 6 pt.)
SLIDE_PICTURE = (1200, 520)
PNG_SCALE = 2  # sharp on a projected slide
BASE_URL_SETTING = "FORCE_POSTURE_BASE_URL"
DEFAULT_BASE_URL = "http://localhost:8501"


@dataclass(frozen=True)
class Briefing:
    """What to export: which chart, the view on screen, "today", the scenarios shown, the size."""

    chart: str = "overview"
    today: dt.date = dt.date(2026, 1, 1)
    view: View = View()
    scenarios: pd.DataFrame | None = field(default=None, compare=False)
    width: int = DEFAULT_SIZE[0]
    height: int = DEFAULT_SIZE[1]
    since: dt.date | None = None  # the previous briefing's as-of day: the slide's notes say what changed since
    unsaved: tuple[str, ...] = ()  # shown scenarios not in the library: the view's link cannot carry them
    theme: str = "light"  # briefings are light (pasted onto white slides and pages) unless asked
    compact: bool = False  # an embed in a small frame (charts.ChartSpec.compact)
    watched: str = ""  # how fresh the source watch was (charts.ChartSpec.watched): the app's exports say it

    @property
    def countries(self) -> tuple[str, ...]:
        return CHARTS[self.chart]

    @property
    def scenario_names(self) -> list[str]:
        if self.scenarios is None or not len(self.scenarios):
            return []
        shown = self.scenarios[self.scenarios["country"].isin(self.countries)]
        return list(dict.fromkeys(shown["scenario"].astype(str)))

    def file_stem(self) -> str:
        return f"us-troops-{self.chart}-{self.today:%Y-%m-%d}"

    def spec(self, base: str | None = None, chrome: bool = True, static: bool = True) -> charts.ChartSpec:
        """The chart to draw for this export (`static`: a picture; an embed's chart is hovered)."""
        if self.chart not in CHARTS:
            raise ValueError(f"unknown chart '{self.chart}'; choose one of {', '.join(CHARTS)}")
        return charts.ChartSpec(
            today=self.today,
            countries=self.countries,
            view=self.view,
            scenarios=self.scenarios,
            width=self.width,
            height=self.height,
            link=view_link(self, base),
            chrome=chrome,
            static=static,
            link_misses=without_unsaved(self.unsaved),
            theme=self.theme,
            compact=self.compact,
            watched=self.watched,
        )


def base_url() -> str:
    return configured_base() or DEFAULT_BASE_URL


def configured_base() -> str:
    """The team's address as its operator set it (FORCE_POSTURE_BASE_URL), or "" if none is set."""
    return settings.value(BASE_URL_SETTING).rstrip("/")


def public_base(used: str) -> str:
    """The address links back to this server are built on: the configured one, or `used`, the one the
    request came in on (so a link says the port the app is served on, not a default)."""
    return configured_base() or used.rstrip("/")


def without_unsaved(names: Sequence[str]) -> str:
    """What a link to a view leaves out, in words ("" when it carries the whole view)."""
    if not names:
        return ""
    quoted = ", ".join(f"'{n}'" for n in names)
    what, it = ("scenario", "it") if len(names) == 1 else ("scenarios", "them")
    return f"This link reopens the view without the unsaved {what} {quoted}; save {it} to the library to share {it}."


def view_link(b: Briefing, base: str | None = None) -> str:
    """The address that reopens this view in the app (page plus its allow-listed query parameters)."""
    return link(base or base_url(), b.chart, b.view)


def figure(
    ds: data.Dataset, b: Briefing, base: str | None = None, chrome: bool = True, static: bool = True
) -> go.Figure:
    return charts.build_chart(ds, b.spec(base, chrome, static))


# Figures of views without scenarios hold only the public record: they are kept here, shared by every
# session, so exporting the same view again (another format, another analyst) skips the figure build
# (about 0.1 s of each export). A view with scenarios is built for its caller alone and never kept.
# Entries are plain dicts that nothing changes after they are stored; the lock guards the dict itself.
FIGURE_CACHE_SIZE = 32
_figures: OrderedDict[tuple, tuple[data.Dataset, dict]] = OrderedDict()
_figures_lock = threading.Lock()


def figure_dict(
    ds: data.Dataset, b: Briefing, base: str | None = None, chrome: bool = True, static: bool = True
) -> dict:
    """The figure as the export browser takes it (a plain dict, never changed after it is made);
    `static=False`: for an embed, which is hovered."""
    if b.scenarios is not None:
        return figure(ds, b, base, chrome, static).to_dict()
    key = (id(ds), b.chart, b.today, b.view, b.width, b.height, base or base_url(), chrome, b.theme, static, b.compact)
    with _figures_lock:
        hit = _figures.get(key)
        if hit is not None and hit[0] is ds:  # `is`: an id can be reused once a dataset is gone
            _figures.move_to_end(key)
            return hit[1]
    made = figure(ds, b, base, chrome, static).to_dict()
    with _figures_lock:
        _figures[key] = (ds, made)
        while len(_figures) > FIGURE_CACHE_SIZE:
            _figures.popitem(last=False)
    return made


def submit_image(fig: dict, fmt: str, width: int, height: int) -> renderer.Request:
    """Start drawing PNG (at 2x), SVG or PDF bytes of a figure dict, at the size it was laid out for."""
    if fmt not in ("png", "svg", "pdf"):
        raise ValueError(f"unknown image format '{fmt}'; choose png, svg or pdf")
    return renderer.service().submit(fig, fmt, width, height, PNG_SCALE if fmt == "png" else 1)


def image(fig: go.Figure | dict, fmt: str, width: int, height: int) -> bytes:
    """PNG (at 2x), SVG or PDF bytes of a figure; raises `renderer.ExportError` in plain words."""
    return submit_image(fig if isinstance(fig, dict) else fig.to_dict(), fmt, width, height).result()


def sources_behind(ds: data.Dataset, b: Briefing, scope: charts.Scope | None = None) -> list[str]:
    """'Source — URL' for every data point, milestone and disagreement inside the chart's span; a source
    whose rows there are all single-source says so ('(single source)')."""
    scope = scope or charts.scope_for(ds, b.spec())
    x0, x1 = pd.Timestamp(scope.start), pd.Timestamp(scope.end)
    where = [*b.countries, "Both"]
    bands = ds.disagreements
    parts = (
        ("Troop levels", ds.levels[ds.levels["country"].isin(where)]),
        ("Milestones", ds.milestones[ds.milestones["country"].isin(where)]),
        ("Where sources disagree", bands[bands["country"].isin(where)].rename(columns={"start": "date"})),
    )
    lines = []
    for kind, frame in parts:
        frame = frame[(frame["date"] >= x0) & (frame["date"] <= x1)]
        pairs = list(dict.fromkeys(zip(frame["source"], frame["url"], strict=True)))
        lines.append(f"{kind} ({len(frame)} rows, {len(pairs)} sources):")
        how = frame["corroboration"].astype(str) if "corroboration" in frame else pd.Series("", index=frame.index)
        single = {(s, u) for s, u, h in zip(frame["source"], frame["url"], how, strict=True) if h == "single"}
        firm = {(s, u) for s, u, h in zip(frame["source"], frame["url"], how, strict=True) if h != "single"}
        lines += [f"- {s} — {u}" + (" (single source)" if (s, u) in single - firm else "") for s, u in pairs]
    return lines


def pptx(ds: data.Dataset, b: Briefing, base: str | None = None) -> bytes:
    """A 16:9 slide: title, the chart as a picture filling the body, source line and as-of date in
    the footer, the scenario names when there are any; speaker notes list every source."""
    from pptx import Presentation
    from pptx.dml.color import RGBColor
    from pptx.util import Emu, Pt

    deck = Presentation()
    deck.slide_width, deck.slide_height = Emu(12192000), Emu(6858000)  # 16:9 (the default is 4:3)
    slide = deck.slides.add_slide(deck.slide_layouts[6])  # blank
    emu = 12192000 / 13.333  # per inch
    inch = lambda x: Emu(int(x * emu))  # noqa: E731

    def rgb(light: str) -> RGBColor:  # a chart colour (#rrggbb or "white") in the briefing's theme
        value = style.colour(light, b.theme)
        return RGBColor(0xFF, 0xFF, 0xFF) if value == "white" else RGBColor.from_string(value.lstrip("#"))

    if b.theme != "light":  # the slide is the chart's surface: its background is the chart's
        slide.background.fill.solid()
        slide.background.fill.fore_color.rgb = rgb(style.BACKGROUND)

    def text(x, y, w, h, value: str, size: int, bold=False, color=style.INK):
        box = slide.shapes.add_textbox(inch(x), inch(y), inch(w), inch(h))
        frame = box.text_frame
        frame.word_wrap = True
        run = frame.paragraphs[0].add_run()
        run.text = value
        run.font.size, run.font.bold, run.font.name = Pt(size), bold, "Liberation Sans"
        run.font.color.rgb = rgb(color)
        return box

    ds = history.as_known(ds, b.view.known_on)  # the slide's words and notes from the record as known then
    spec = b.spec(base)
    scope = charts.scope_for(ds, spec)  # worked out once for the words and the notes (it thins scenarios)
    words = charts.words(ds, spec, scope)  # the same words the chart draws, not read back from it
    title, subtitle = words.title, words.subtitle
    text(0.4, 0.2, 12.5, 0.6, title, 26, bold=True)
    text(0.4, 0.78, 12.5, 0.4, subtitle, 13, color=style.MUTED)
    names = b.scenario_names
    body_top = 1.2
    if names:
        text(0.4, 1.12, 12.5, 0.35, "Scenarios shown: " + ", ".join(names), 13)
        body_top = 1.5
    footer_top = 6.95
    pw, ph = SLIDE_PICTURE
    body_w = min(12.5, (footer_top - body_top - 0.05) * pw / ph)
    body_h = body_w * ph / pw
    picture = image(figure_dict(ds, replace(b, width=pw, height=ph), base, chrome=False), "png", pw, ph)
    slide.shapes.add_picture(
        io.BytesIO(picture), inch((13.333 - body_w) / 2), inch(body_top), inch(body_w), inch(body_h)
    )
    text(0.4, footer_top, 12.5, 0.28, words.source, 10, color=style.MUTED)
    text(0.4, footer_top + 0.25, 12.5, 0.28, words.as_of, 10, color=style.MUTED)
    changed = history.changes(ds, b.since, b.today) if b.since and b.since < b.today else None
    notes = [
        f"{title}. {words.as_of.split(' · ')[0]}.",
        f"Reopen this view: {view_link(b)}",
        *([b.watched[0].upper() + b.watched[1:] + "."] if b.watched else []),
        *([without_unsaved(b.unsaved)] if b.unsaved else []),
        *(["Scenarios shown (uploaded by the analyst, not sourced): " + ", ".join(names)] if names else []),
        *([history.changes_text(changed, b.since, b.today)] if changed is not None else []),
        "Every source behind the plotted points:",
        *sources_behind(ds, b, scope),
    ]
    slide.notes_slide.notes_text_frame.text = "\n".join(notes)
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


def export(ds: data.Dataset, b: Briefing, fmt: str, base: str | None = None) -> bytes:
    """The one entry point the app and the command line share."""
    return export_many(ds, b, (fmt,), base)[fmt]


def export_many(
    ds: data.Dataset, b: Briefing, formats: Iterable[str] = FORMATS, base: str | None = None
) -> dict[str, bytes]:
    """Several formats of one view, building its figure once."""
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise ValueError(f"unknown format '{unknown[0]}'; choose one of {', '.join(FORMATS)}")
    images = [fmt for fmt in formats if fmt != "pptx"]
    fig = figure_dict(ds, b, base) if images else {}  # the chart builder takes the record as known on the view's day
    # every image is submitted before any is awaited, so the export browser's tabs draw them side by side
    pending = {fmt: submit_image(fig, fmt, b.width, b.height) for fmt in images}
    out = {fmt: pptx(ds, b, base) for fmt in formats if fmt == "pptx"}
    out |= {fmt: request.result() for fmt, request in pending.items()}
    return {fmt: out[fmt] for fmt in formats}
