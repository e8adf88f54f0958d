"""The troop-level chart: the dataset and a `ChartSpec` in, a `go.Figure` out. No Streamlit here.

One figure serves the screen and every export, so it carries its own title, source line and "as of"
date (summary.py words them), and it is laid out in pixels for a given width: labels that are clear
at the smallest supported width stay clear at every larger one (labels.py places them).

The figure is assembled as plain dicts and made into a Plotly figure once, at the end: Plotly copies
and validates on every add_trace, add_shape and update_layout, which made a chart take 0.4 s. It is made
unvalidated (a sixth of a build); tests/test_charts.py validates charts of every kind and size instead.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import math
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from force_posture.core import history, memo, summary
from force_posture.core.data import BASIS_MEANING, COUNTRIES, Dataset, fmt_day, format_level
from force_posture.core.style import (
    AXIS_LINE,
    BACKGROUND,
    BAND_FILL,
    BASIS_LEGEND,
    BASIS_SYMBOLS,
    COMPACT_BELOW,
    COMPACT_LABELS_FROM,
    COMPACT_PANEL_H,
    COUNTRY_COLORS,
    DEADLINE_COLOR,
    FIT_PANEL_H,
    FONT_FAMILY,
    FOOTER_FONT,
    FOOTER_ROW_H,
    GRID,
    HOLLOW,
    INK,
    LABEL_BAND_SHARE,
    LABEL_FONT,
    LEGEND_BG,
    LEGEND_NAME_MAX,
    LEGEND_ROW_H,
    MARGIN_B,
    MARGIN_L,
    MARGIN_R,
    MARKER_KEY,
    MUTED,
    NARROW_BELOW,
    NARROW_MARGIN_L,
    NARROW_MARGIN_R,
    NARROW_PANEL_H,
    ROW_H,
    SCENARIO_DASHES,
    SILENCE_FILL,
    SINGLE_LEGEND,
    SINGLE_SYMBOL,
    TEMPLATE,
    TITLE_H,
    ZERO_LINE,
    in_theme,
)
from force_posture.core.view import SCALES, View, span, span_name
from force_posture.plot import labels

DISPLAY_POINTS = 1000  # points per scenario trace sent to the browser (about one per pixel); comparisons use all


@dataclass(frozen=True)
class ChartSpec:
    """What to draw. The one currency between the pages, the exports and the chart builder."""

    today: dt.date
    countries: tuple[str, ...] = COUNTRIES
    view: View = View()
    scenarios: pd.DataFrame | None = field(default=None, compare=False)  # scenario, date, country, troops
    width: int = 1600  # the width labels are laid out for (on screen: the narrowest it is shown at)
    height: int = 900
    title: str | None = None
    link: str | None = None  # the address that reopens this view, printed in the footer
    link_misses: str = ""  # what that link leaves out (unsaved scenarios), in words, printed after it
    chrome: bool = True  # title, subtitle and footer; a slide's picture leaves them to the slide
    static: bool = False  # a picture (PNG, SVG, PDF, slide): nothing can be hovered, so the words never ask to
    label_rows: int | None = None  # at most this many rows of labels above the plot (default: by height)
    theme: str = "light"  # or "dark" (style.THEMES): the page follows the analyst's; exports are light unless asked
    compact: bool = False  # an embed's small frame: its height never grows; one row of labels, hover says the rest
    watched: str = ""  # how fresh the source watch is ("sources last checked: ...; N failing"), under the as-of line


@dataclass(frozen=True)
class ChartWords:
    title: str
    subtitle: str
    as_of: str
    source: str


@dataclass(frozen=True)
class Panel:
    country: str
    row: int
    xref: str
    yref: str


@dataclass(frozen=True)
class Scope:
    """What one chart shows, worked out once: its span, its rows of the record, its scenarios."""

    start: dt.date
    end: dt.date
    levels: pd.DataFrame  # the chart's countries, inside the span
    milestones: pd.DataFrame  # inside the span
    scenarios: pd.DataFrame | None  # thinned for display, the chart's countries only
    thinned: tuple[str, ...]
    panels: tuple[Panel, ...]
    y_ranges: dict[str, tuple[float, ...]] = field(default_factory=dict, compare=False, repr=False)  # _y_range's
    # each row's hover words, by the record's own row labels (the rows above keep them): points, milestones
    hovers: tuple[pd.Series, pd.Series] = field(default=(), compare=False, repr=False)

    @functools.cached_property
    def scenario_names(self) -> list[str]:  # worked out once: the legend asks for it once per scenario
        return [] if self.scenarios is None else [str(n) for n in pd.unique(self.scenarios["scenario"])]

    # Each panel's rows and y range are asked for by several builders and by every pass of the label
    # placement: filtered and worked out once per chart (a Scope belongs to one spec).
    @functools.cached_property
    def levels_of(self) -> dict[str, pd.DataFrame]:
        return {p.country: self.levels[self.levels["country"] == p.country] for p in self.panels}

    @functools.cached_property
    def milestones_of(self) -> dict[str, pd.DataFrame]:
        return {p.country: self.milestones[self.milestones["country"].isin([p.country, "Both"])] for p in self.panels}

    @functools.cached_property
    def milestone_rows(self) -> list[dict]:
        """The chart's milestones (its countries' and both's) as records, read by each top-label pass."""
        countries = [*(p.country for p in self.panels), "Both"]
        return self.milestones[self.milestones["country"].isin(countries)].to_dict("records")


def build_chart(ds: Dataset, spec: ChartSpec) -> go.Figure:
    """The chart, one panel per country on a shared time axis (of the record as known on the view's day)."""
    return go.Figure(**chart_parts(ds, spec), _validate=False)


def chart_parts(ds: Dataset, spec: ChartSpec) -> dict:
    """build_chart's figure as its two parts, `data` (a list of traces) and `layout`, in Plotly's plain form
    (dicts, lists, dates; the layout's template a Plotly Template), not yet made into a Figure (which copies
    every part of it): for a page that only sends the chart to the browser (ui/cache.shared)."""
    ds = history.as_known(ds, spec.view.known_on)
    scope = scope_for(ds, spec)
    traces: list[dict] = []
    for p in scope.panels:
        traces += _bands(ds, spec, scope, p)
        traces += _record_line(scope, p)
        traces += _caps(spec, scope, p) + _basis_markers(spec, scope, p)
        traces += _targets(ds, spec, scope, p)
        traces += _scenario_lines(scope, p)
        traces += _milestone_rug(spec, scope, p)
        traces += _silence(ds, spec, scope, p)
    traces += _legend_only_entries(spec, scope)
    frame, layout, marks, placed, _ = _labels_peaks_first(ds, spec, scope, traces)
    if any(j.how == "line" for j in placed):  # the target is labelled on its line: the legend need not say it
        for t in traces:
            if t.get("meta") == "headline-target":
                t["showlegend"] = False
    layout["annotations"] = marks.annotations + _footer_marks(frame) + marks.more_annotations
    layout["shapes"] = marks.shapes + marks.more_shapes
    layout = {k: _template(v) if k == "template" else v for k, v in in_theme(layout, spec.theme).items()}
    return {"data": in_theme(traces, spec.theme), "layout": layout}


def _template(name: str) -> go.layout.Template:
    """A named template (the theme's) as Plotly's validation would expand it: the browser knows no names.
    Plotly's registry loads each once and hands out that one; the figure copies it."""
    return pio.templates[name]


@dataclass(frozen=True)
class Marks:
    """The labels of a chart: the lines above the plot (`top`, drawn as `annotations` and `shapes`) and
    the labels inside it (`more_annotations`, `more_shapes`: peaks and the target's words)."""

    top: list
    annotations: list[dict]
    shapes: list[dict]
    more_annotations: list[dict]
    more_shapes: list[dict]


class Labelled(NamedTuple):
    """A chart's labels, laid out: its frame and layout, the marks, the labels placed inside the plot
    (in the order of marks.more_annotations) and the peaks that found no room there."""

    frame: Frame
    layout: dict
    marks: Marks
    placed: list
    missing: list


def _labels(ds: Dataset, spec: ChartSpec, scope: Scope, traces: list[dict], jobs: list, yielded: set) -> Labelled:
    """The labelled lines above the plot (but the milestones in `yielded`), then the labels inside it
    (`jobs`) clear of those lines; what finds no room is named in the footer."""
    top, boxes, dropped = _top_labels(spec, scope, yielded)
    rows = 1 + max((b.row for b in boxes), default=-1)
    annotations, shapes = _top_label_marks(top, boxes)
    keyed = []
    for _ in range(3):  # a peak label with no clear spot is named in the footer, which takes room: place again
        frame = _frame(ds, spec, scope, traces, rows, sorted([*dropped, *keyed], key=lambda t: t.date))
        layout = _layout(spec, scope, frame)
        plain = {"data": traces, "layout": layout | {"shapes": shapes}}  # the lines labels must not cross
        more_annotations, more_shapes, placed = labels.place_point_labels(plain, jobs, spec.width, frame.height)
        missing = [labels.TopLabel(j.x, j.text, "peak", 99) for j in jobs if j.how == "point" and j not in placed]
        if set(missing) <= set(keyed):
            break
        keyed = missing
    return Labelled(frame, layout, Marks(top, annotations, shapes, more_annotations, more_shapes), placed, missing)


def _labels_peaks_first(ds: Dataset, spec: ChartSpec, scope: Scope, traces: list[dict]) -> Labelled:
    """_labels, where the record's peaks outrank the milestones: if a peak's label found no room, the
    milestone lines within a label's width of it give way if that gives it room; then those its label,
    as placed, does not cross come back, if every peak placed keeps its room."""
    jobs = _point_label_jobs(ds, scope)
    best = _labels(ds, spec, scope, traces, jobs, set())
    near = _milestones_near(spec, traces, best)
    trial = _labels(ds, spec, scope, traces, jobs, near) if near else best
    if not set(trial.missing) < set(best.missing):  # the lines were not what kept the peaks out
        return best
    crossing = _milestones_crossing(spec, traces, trial, near)
    final = _labels(ds, spec, scope, traces, jobs, crossing) if crossing != near else trial
    return final if set(final.missing) <= set(trial.missing) else trial


def _milestones_near(spec: ChartSpec, traces: list[dict], done: Labelled) -> set:
    """The milestone lines above the plot within a label's width of a peak that found no room."""
    m = labels.mapper_for({"data": traces, "layout": done.layout}, spec.width, done.frame.height)
    spans = [(m.x(p.date) - w, m.x(p.date) + w) for p in done.missing for w in [labels.point_label_width(p.text)]]
    return _lines_within(m, done.marks.top, spans)


def _milestones_crossing(spec: ChartSpec, traces: list[dict], done: Labelled, milestones: set) -> set:
    """Those of `milestones` whose line would cross a peak's label as `done` placed it."""
    m = labels.mapper_for({"data": traces, "layout": done.layout}, spec.width, done.frame.height)
    spans = [
        (m.x_paper(a["x"]), m.x_paper(a["x"]) + labels.point_label_width(job.text))
        for job, a in zip(done.placed, done.marks.more_annotations, strict=True)
        if job.how == "point"
    ]
    return _lines_within(m, milestones, spans)


def _lines_within(m: labels.Mapper, milestones, spans: list[tuple[float, float]]) -> set:
    """The milestones (not deadlines or today) whose line falls within any of these spans of pixels."""
    return {t for t in milestones if t.kind == "event" and any(x0 - 2 <= m.x(t.date) <= x1 + 2 for x0, x1 in spans)}


def scope_for(ds: Dataset, spec: ChartSpec) -> Scope:
    if spec.view.scale not in SCALES:
        raise ValueError(f"unknown scale {spec.view.scale!r}; choose one of {', '.join(SCALES)}")
    start, end = span(spec.view, spec.today, ds.milestones)  # the window, or the link's from/to range
    scen, thinned = None, []
    if spec.scenarios is not None and len(spec.scenarios):
        scen = spec.scenarios[spec.scenarios["country"].isin(spec.countries)]
        if len(scen) and scen["date"].max() > pd.Timestamp(end):  # stretch the span over the scenarios
            last = (scen["date"].max() + pd.Timedelta(days=45)).date()
            end = (last.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
        scen, thinned = for_display(scen)
    panels = tuple(
        Panel(c, i + 1, "x" if i == 0 else f"x{i + 1}", "y" if i == 0 else f"y{i + 1}")
        for i, c in enumerate(spec.countries)
    )
    levels = _levels_in(ds.levels, spec.countries, start, end)
    scen = scen if scen is None or len(scen) else None
    hovers = (_hovers(ds.levels, point_hover), _hovers(ds.milestones, milestone_hover))
    return Scope(
        start, end, levels, _milestones_in(ds.milestones, start, end), scen, tuple(thinned), panels, hovers=hovers
    )


# A record's frames are shared by every chart of its version and never change: the rows a span draws are
# taken once per frame and span and shared by the charts that draw them (each view's, with scenarios or
# without), and so are the answers asked of those rows (a panel's peak).
@memo.per_object(kept=32)
def _levels_in(levels: pd.DataFrame, countries: tuple[str, ...], start: dt.date, end: dt.date) -> pd.DataFrame:
    """The countries' rows within the span, and before them the figures standing when it opens (where the
    line enters), by date."""
    shown = levels[levels["country"].isin(countries)]
    before = shown[shown["date"] < pd.Timestamp(start)]
    before = before[before["date"] == before.groupby("country")["date"].transform("max")]
    return pd.concat([before, _within(shown, start, end)]).sort_values("date", kind="stable")


@memo.per_object(kept=32)
def _milestones_in(milestones: pd.DataFrame, start: dt.date, end: dt.date) -> pd.DataFrame:
    return _within(milestones, start, end)


_peak = memo.per_object(kept=32)(summary.peak)  # of a span's rows: _levels_in's, shared


@memo.per_object(kept=8)
def _hovers(frame: pd.DataFrame, hover) -> pd.Series:
    """Each row's hover words, by its row label: a record's frames are shared by every chart of its version
    and never change, so each row is worded once per frame, not once per build (a tenth of a build)."""
    return pd.Series([hover(r) for r in frame.to_dict("records")], index=frame.index, dtype=object)


def _words_of(hovers: pd.Series, rows: pd.DataFrame, hover) -> list[str]:
    """The hover words of `rows` (some of the frame `hovers` was made from), each worded by `hover`."""
    if hovers.index.is_unique:
        return hovers.loc[rows.index].tolist()
    return [hover(r) for r in rows.to_dict("records")]  # a frame whose row labels repeat: worded here


def words(ds: Dataset, spec: ChartSpec, scope: Scope | None = None) -> ChartWords:
    """Title, subtitle, as-of line and source line: the chart draws them, the slide prints them."""
    scope = scope or scope_for(ds, spec)
    keys = ["dashed: authorized caps"] if spec.view.show_caps else []
    if spec.view.show_bands and (ds.disagreements["country"].isin(spec.countries)).any():
        keys.append("shaded: where sources disagree")
    if scope.thinned:
        keys.append(f"scenario lines drawn from at most {DISPLAY_POINTS:,} points each (comparisons use all)")
    log = ", log scale" if spec.view.scale == "log" else ""
    subtitle = f"US military personnel, by basis ({span_name(spec.view, scope.start, scope.end)}{log})"
    return ChartWords(
        title=spec.title or summary.chart_title(spec.countries, scope.start, scope.end),
        subtitle=subtitle + ("; " + "; ".join(keys) if keys else ""),
        as_of=summary.as_of_line(ds.levels, spec.countries, spec.today, known=bool(spec.view.known)),  # not the window
        source=summary.SOURCE_LINE + (f" · record version {ds.version}" if ds.version else ""),
    )


def for_display(frame: pd.DataFrame, limit: int = DISPLAY_POINTS) -> tuple[pd.DataFrame, list[str]]:
    """At most `limit` points per scenario and country for the chart (min and max of each bucket
    kept, so peaks and drops survive); notes say which series were thinned."""
    parts, notes = [], []
    for (name, country), s in frame.groupby(["scenario", "country"], sort=False):
        if len(s) <= limit:
            parts.append(s)
            continue
        s = s.sort_values("date").reset_index(drop=True)
        buckets = np.arange(len(s)) * (limit // 2) // len(s)
        keep = set(s.groupby(buckets)["troops"].idxmin()) | set(s.groupby(buckets)["troops"].idxmax())
        keep |= {0, len(s) - 1}
        parts.append(s.loc[sorted(keep)])
        notes.append(f"{name} ({country}): drawn with {len(keep):,} of its {len(s):,} points")
    out = pd.concat(parts, ignore_index=True) if parts else frame
    return out, notes


# ---- hover text ---------------------------------------------------------------------------------


def _wrap(text: str, width: int = 70) -> str:
    words_, lines, line = text.split(), [], ""
    for w in words_:
        if line and len(line) + 1 + len(w) > width:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
    lines.append(line)
    return "<br>".join(html.escape(x) for x in lines)


def point_hover(row: dict) -> str:
    """Hover text for one sourced point: figure, qualifier, basis, date, source (escaped)."""
    level = format_level(int(row["troops"]), str(row["qualifier"]))
    basis = str(row["basis"])
    parts = [
        f"<b>{html.escape(level)}</b> US troops in {html.escape(str(row['country']))}",
        fmt_day(row["date"]),
        f"Basis: {basis} ({BASIS_MEANING[basis]})",
        summary.corroboration_words(row),
    ]
    if pd.notna(row.get("low")) or pd.notna(row.get("high")):
        lo = "" if pd.isna(row.get("low")) else f"{int(row['low']):,}"
        hi = "" if pd.isna(row.get("high")) else f"{int(row['high']):,}"
        parts.append(f"Range given: {lo or '?'} to {hi or '?'}")
    parts.append("Source: " + _wrap(str(row["source"])))
    return "<br>".join(parts)


def milestone_hover(row: dict) -> str:
    value = "" if pd.isna(row.get("value")) else f" (level: {int(row['value']):,})"
    return "<br>".join(
        [
            f"<b>{html.escape(str(row['label']))}</b>{value}",
            f"{fmt_day(row['date'])} · {html.escape(str(row['kind']))} · {html.escape(str(row['country']))}",
            _wrap(str(row["detail"])),
            summary.corroboration_words(row),
            "Source: " + _wrap(str(row["source"])),
        ]
    )


# ---- one builder per kind of trace --------------------------------------------------------------


def _on(p: Panel, **trace) -> dict:
    return {"type": "scatter", "xaxis": p.xref, "yaxis": p.yref, **trace}


def _country(scope: Scope, p: Panel) -> pd.DataFrame:
    return scope.levels_of[p.country]


def _bands(ds: Dataset, spec: ChartSpec, scope: Scope, p: Panel) -> list[dict]:
    """Shaded ranges where sources disagree (data/disagreements.csv), with their sources on hover."""
    if not spec.view.show_bands:
        return []
    bands = ds.disagreements[ds.disagreements["country"] == p.country]
    first = ds.disagreements.index[0] if len(ds.disagreements) else None
    out = []
    for i, b in bands[bands["start"] < pd.Timestamp(scope.end)].iterrows():
        out.append(
            _on(
                p,
                x=[b.start, b.end, b.end, b.start, b.start],
                y=[b.low, b.low, b.high, b.high, b.low],
                fill="toself",
                mode="lines",
                line=dict(width=0),
                fillcolor=BAND_FILL,
                name=b.label,
                hoveron="fills",
                hoverinfo="text",
                text=f"{html.escape(b.label)} ({b.low:,} to {b.high:,})<br>Source: {_wrap(b.source)}",
                legendgroup=f"band-{p.country}",
                showlegend=bool(i == first),
            )
        )
    return out


def _record_line(scope: Scope, p: Panel) -> list[dict]:
    """One step line of the figures stated at the time (acknowledged and press estimates)."""
    record = _country(scope, p)
    record = record[record["basis"].isin(["acknowledged", "reported"])]
    line = dict(color=COUNTRY_COLORS[p.country], width=2.4, shape="hv")
    return [
        _on(
            p,
            x=record["date"].tolist(),
            y=record["troops"].astype(float).tolist(),
            mode="lines",
            line=line,
            name=f"{p.country}: stated level",
            legendgroup=p.country,
            hoverinfo="skip",
        )
    ]


def _caps(spec: ChartSpec, scope: Scope, p: Panel) -> list[dict]:
    caps = _country(scope, p)
    caps = caps[caps["basis"] == "authorized"]
    if not spec.view.show_caps or not len(caps):
        return []
    line = dict(color=COUNTRY_COLORS[p.country], width=1.6, dash="dash", shape="hv")
    return [
        _on(
            p,
            x=caps["date"].tolist(),
            y=caps["troops"].astype(float).tolist(),
            mode="lines",
            line=line,
            name=f"{p.country}: authorized cap",
            legendgroup=f"{p.country}-cap",
            hoverinfo="skip",
        )
    ]


def _error_arrays(df: pd.DataFrame) -> dict | None:
    """Each point's range as error bars (none where it has no range): NumPy on the three columns, not pandas'
    nullable arithmetic (a tenth of a build, made eight times a chart)."""
    troops, high, low = (df[c].to_numpy(dtype=float, na_value=np.nan) for c in ("troops", "high", "low"))
    plus = (np.where(np.isnan(high), troops, high) - troops).tolist()
    minus = (troops - np.where(np.isnan(low), troops, low)).tolist()
    if not any(plus) and not any(minus):
        return None
    return dict(type="data", symmetric=False, array=plus, arrayminus=minus, thickness=1.2, width=4)


def _basis_markers(spec: ChartSpec, scope: Scope, p: Panel) -> list[dict]:
    """A marker per sourced point, its shape and fill saying its basis; ranges as error bars."""
    df, color, out = _country(scope, p), COUNTRY_COLORS[p.country], []
    for basis, symbol in BASIS_SYMBOLS.items():
        pts = df[df["basis"] == basis]
        if not len(pts) or (basis == "authorized" and not spec.view.show_caps):
            continue
        marker = dict(
            symbol=symbol,
            size=12 if basis == "disclosed" else 9,
            color=BACKGROUND if basis in HOLLOW else color,
            line=dict(color=color, width=1.8),
        )
        trace = _point_marks(scope, p, pts, f"{p.country}: {basis}", marker)
        errors = _error_arrays(pts)
        if errors:
            trace["error_y"] = errors
        out.append(trace)
    return out + _single_source_marks(scope, df, p, color)


def _single_source_marks(scope: Scope, df: pd.DataFrame, p: Panel, color: str) -> list[dict]:
    """A ✱ inside each single-source point's marker (one outlet only), in the point's own colour; hovering
    it shows the point's own words."""
    pts = df[(df["corroboration"] == "single") & (df["basis"] != "authorized")]
    if not len(pts):
        return []
    mark = dict(symbol=SINGLE_SYMBOL, size=7, color=color, line=dict(color=color, width=1.2))
    return [_point_marks(scope, p, pts, f"{p.country}: single source", mark) | {"meta": "single-source"}]


def _point_marks(scope: Scope, p: Panel, pts: pd.DataFrame, name: str, marker: dict) -> dict:
    """A marker per sourced point in `pts`, each hovered with the point's own words."""
    return _on(
        p,
        x=pts["date"].tolist(),
        y=pts["troops"].astype(float).tolist(),
        mode="markers",
        name=name,
        showlegend=False,
        legendgroup=p.country,
        marker=marker,
        customdata=_words_of(scope.hovers[0], pts, point_hover),
        hovertemplate="%{customdata}<extra></extra>",
    )


def _targets(ds: Dataset, spec: ChartSpec, scope: Scope, p: Panel) -> list[dict]:
    """Announced targets as markers, and the headline target as a dashed line to the chart's end."""
    pm = _panel_milestones(scope, p)
    targets = pm[pm["kind"] == "target"]
    if spec.view.scale == "log":
        targets = targets[targets["value"] > 0]
    out = []
    if len(targets):
        marker = dict(symbol="x-thin-open", size=11, color=INK, line=dict(color=INK, width=2))
        out.append(
            _on(
                p,
                x=targets["date"].tolist(),
                y=targets["value"].astype(float).tolist(),
                mode="markers",
                name="Announced target",
                showlegend=p.row == 1,
                legendgroup="targets",
                marker=marker,
                customdata=_words_of(scope.hovers[1], targets, milestone_hover),
                hovertemplate="%{customdata}<extra></extra>",
            )
        )
    head = summary.headline_target(ds.milestones)
    if head is not None and head.country == p.country:
        out.append(
            _on(
                p,
                x=[head.date, pd.Timestamp(scope.end)],
                y=[head.value, head.value],
                mode="lines",
                line=dict(color=INK, width=1.6, dash="dash"),
                name=f"Target: under {head.value:,}",
                legendgroup="headline-target",
                hoverinfo="skip",
                meta="headline-target",
            )
        )
    return out


def _scenario_dash(names: list[str], name: str) -> str:
    return SCENARIO_DASHES[names.index(name) % len(SCENARIO_DASHES)]


def _scenario_lines(scope: Scope, p: Panel) -> list[dict]:
    """The analyst's scenarios in the country's colour, one dash style per scenario."""
    if scope.scenarios is None:
        return []
    names, color, out = scope.scenario_names, COUNTRY_COLORS[p.country], []
    mine = scope.scenarios[
        (scope.scenarios["country"] == p.country) & (scope.scenarios["date"] >= pd.Timestamp(scope.start))
    ]
    for name, s in mine.groupby("scenario", sort=False):
        s, shown = s.sort_values("date"), html.escape(str(name))
        out.append(
            _on(
                p,
                x=s["date"].tolist(),
                y=s["troops"].astype(float).tolist(),
                mode="lines" if len(s) > 1 else "markers",  # one point: a line would draw nothing
                marker=dict(color=color, size=9, symbol="circle-open-dot", line=dict(width=2)),
                line=dict(color=color, width=2.2, dash=_scenario_dash(names, name)),
                name=f"Scenario: {shown} ({p.country})",
                legendgroup=f"scen-{name}",
                showlegend=False,
                hovertemplate=f"<b>%{{y:,}}</b> US troops in {p.country}<br>%{{x|%-d %b %Y}}<br>Scenario: {shown}"
                "<extra></extra>",
            )
        )
    return out


def _milestone_rug(spec: ChartSpec, scope: Scope, p: Panel) -> list[dict]:
    """Every milestone as a small marker on the panel's floor, its words and source on hover."""
    pm = _panel_milestones(scope, p)
    if not len(pm):
        return []
    floor = _y_range(spec, scope, p)[0]
    floor = 10**floor if spec.view.scale == "log" else floor
    marker = dict(symbol="triangle-up", size=8, color=MUTED)
    # a picture cannot be hovered, and only some milestones are labelled: the entry says where all are listed
    name = "Milestone (every one is<br>on the Sources page)" if spec.static else "Milestone (hover)"
    return [
        _on(
            p,
            x=pm["date"].tolist(),
            y=[floor] * len(pm),
            mode="markers",
            name=name,
            showlegend=p.row == 1,
            legendgroup="milestones",
            cliponaxis=False,
            marker=marker,
            customdata=_words_of(scope.hovers[1], pm, milestone_hover),
            hovertemplate="%{customdata}<extra></extra>",
        )
    ]


def _silence(ds: Dataset, spec: ChartSpec, scope: Scope, p: Panel) -> list[dict]:
    """A light zone from the country's latest sourced figure to today, named in the legend, so that a
    reader never takes the flat end of a step line for a fact."""
    latest = summary.latest_day(ds.levels, p.country)
    end = min(pd.Timestamp(spec.today), pd.Timestamp(scope.end))
    if latest is None or not pd.Timestamp(scope.start) <= latest < end:
        return []
    lo, hi = _y_range(spec, scope, p)
    lo, hi = (10**lo, 10**hi) if spec.view.scale == "log" else (lo, hi)
    name = f"{p.country}: no sourced figure since {fmt_day(latest)}"
    legend = f"{html.escape(p.country)}: no sourced figure<br>since {fmt_day(latest)}"  # fits the legend
    return [
        _on(
            p,
            x=[latest, end, end, latest, latest],
            y=[lo, lo, hi, hi, lo],
            fill="toself",
            mode="lines",
            line=dict(width=0),
            fillcolor=SILENCE_FILL,
            name=legend,
            hoveron="fills",
            hoverinfo="text",
            text=html.escape(name) + "<br>Nothing after it is extrapolated.",
            meta="silence",
        )
    ]


def _legend_only_entries(spec: ChartSpec, scope: Scope) -> list[dict]:
    """Legend keys drawn nowhere: one dash per scenario, and one marker per basis."""
    out = []
    for name in scope.scenario_names:
        line = dict(color=MUTED, width=2.2, dash=_scenario_dash(scope.scenario_names, name))
        out.append(
            dict(
                type="scatter",
                x=[None],
                y=[None],
                mode="lines",
                name=html.escape(_short(name)),
                legendgroup=f"scen-{name}",
                meta="legend-only",
                line=line,
            )
        )
    for basis, symbol in BASIS_SYMBOLS.items():
        if basis != "authorized" or spec.view.show_caps:
            marker = dict(
                symbol=symbol,
                size=10,
                color=BACKGROUND if basis in HOLLOW else MUTED,
                line=dict(color=MUTED, width=1.6),
            )
            out.append(
                dict(
                    type="scatter",
                    x=[None],
                    y=[None],
                    mode="markers",
                    name=BASIS_LEGEND[basis],
                    legendgroup=f"basis-{basis}",
                    meta="legend-only",
                    marker=marker,
                    hoverinfo="skip",
                )
            )
    if (scope.levels["corroboration"] == "single").any():
        mark = dict(symbol=SINGLE_SYMBOL, size=9, color=MUTED, line=dict(color=MUTED, width=1.4))
        single = dict(type="scatter", x=[None], y=[None], mode="markers", name=SINGLE_LEGEND, marker=mark)
        out.append(single | dict(legendgroup="basis-single", meta="legend-only", hoverinfo="skip"))
    return out


def _short(name: str, limit: int = LEGEND_NAME_MAX) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"


# ---- layout -------------------------------------------------------------------------------------


def _within(df: pd.DataFrame, start: dt.date, end: dt.date) -> pd.DataFrame:
    return df[(df["date"] >= pd.Timestamp(start)) & (df["date"] <= pd.Timestamp(end))]


def _panel_milestones(scope: Scope, p: Panel) -> pd.DataFrame:
    return scope.milestones_of[p.country]


def _nice_ceiling(v: float) -> float:
    if v <= 0:
        return 10
    mag = 10 ** math.floor(math.log10(v))
    return next((step * mag for step in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10) if step * mag >= v), 10 * mag)


def _y_range(spec: ChartSpec, scope: Scope, p: Panel) -> list[float]:
    """Room for every figure, bound, target and scenario level in the panel (caps when shown)."""
    if p.country not in scope.y_ranges:
        scope.y_ranges[p.country] = tuple(_room(spec, scope, p))
    return list(scope.y_ranges[p.country])


def _room(spec: ChartSpec, scope: Scope, p: Panel) -> list[float]:
    df = _country(scope, p)
    if spec.view.show_caps:
        values = df["troops"].astype(float).tolist() + df["high"].dropna().astype(float).tolist()
    else:
        values = df.loc[df["basis"] != "authorized", "troops"].astype(float).tolist()
    pm = _panel_milestones(scope, p)
    values += pm.loc[pm["kind"] == "target", "value"].dropna().astype(float).tolist()
    if scope.scenarios is not None:
        s = scope.scenarios[scope.scenarios["country"] == p.country]
        values += _within(s, scope.start, scope.end)["troops"].astype(float).tolist()
    top = max(values, default=100)
    if spec.view.scale == "log":
        low = min((v for v in values if v > 0), default=10)
        return [math.log10(max(low / 2, 1)), math.log10(top * 2.2)]
    return [0, _nice_ceiling(top * 1.32)]


@lru_cache(maxsize=4)
def _grid(n: int) -> tuple[tuple[str, tuple], ...]:
    """Each panel's y domain: n rows on one shared time axis, 9% of the height between rows."""
    gap = 0.09 if n > 1 else 0.0
    h = (1 - gap * (n - 1)) / n
    tops = [1 - i * (h + gap) for i in range(n)]
    domains = [(round(max(t - h, 0), 6), round(t, 6)) for t in tops]
    return tuple((f"yaxis{'' if i == 0 else i + 1}", d) for i, d in enumerate(domains))


@dataclass(frozen=True)
class Frame:
    """Everything around the plot, sized for the chart's width: margins, title, legend, footer lines."""

    margin: dict
    title: dict
    legend: dict
    footer: tuple[tuple[str, str], ...]  # (role, text as HTML), top to bottom
    footer_top: int  # pixels below the plot where the first footer line starts
    height: int  # the figure's height: a narrow chart grows taller rather than squeeze its plot


def _frame(ds: Dataset, spec: ChartSpec, scope: Scope, traces: list[dict], label_rows: int, dropped) -> Frame:
    for t in traces:  # decided afresh below: is there room in the legend for the marker key, the grey zones?
        if (t.get("meta") == "legend-only" and t.get("mode") == "markers") or t.get("meta") == "silence":
            t.pop("showlegend", None)
    narrow = spec.width < NARROW_BELOW
    left, right = _side_margins(spec)
    if spec.compact:
        return _compact_frame(spec, scope, traces, (left, right), label_rows)
    w = words(ds, spec, scope)
    sub = labels.wrap_to_width(w.subtitle, spec.width - left - 8, 11) if narrow else [w.subtitle]
    compact = spec.width < COMPACT_BELOW
    title_h = (46 + 15 * len(sub) if narrow else TITLE_H - 20 * compact) if spec.chrome else 14
    title = _title(spec, w.title, sub, narrow, compact)
    lines = _footer(spec, w, dropped)
    top = title_h + labels.top_label_rows_height(label_rows) + 6
    if narrow:
        return _narrow_frame(spec, scope, traces, lines, (left, right, top), title)
    return _wide_frame(spec, traces, lines, (left, right, top), title)


def _title(spec: ChartSpec, text: str, sub: list[str], narrow: bool, compact: bool) -> dict:
    return dict(
        text=html.escape(text) if spec.chrome else "",
        x=0,
        xref="paper",
        xanchor="left",
        y=1,
        yref="container",
        yanchor="top",
        pad=dict(t=14),
        font=dict(size=17 if narrow else 22 - 3 * compact),
        subtitle=dict(
            text="<br>".join(map(html.escape, sub)) if spec.chrome else "",
            font=dict(size=11 if narrow else 13, color=MUTED),
        ),
    )


def _footer(spec: ChartSpec, w, dropped) -> list[tuple[str, str]]:
    """The footer's lines as (role, escaped text): source, as-of, the link back, what gave way."""
    text_w = spec.width - 24
    lines = []
    if spec.chrome:
        for role, text in (
            ("footer-source", w.source),
            ("footer-asof", w.as_of),
            ("footer-watch", spec.watched[:1].upper() + spec.watched[1:]),
        ):
            lines += [(role, html.escape(x)) for x in labels.wrap_to_width(text, text_w, 11)]  # never cut off
        if spec.link:  # a live link in SVG and PDF; in a PNG, the address is there to read
            link = f'<a href="{html.escape(spec.link, quote=True)}">{html.escape(spec.link)}</a>'
            lines.append(("footer-link", f"Reopen this view: {link}"))
            if spec.link_misses:
                misses = labels.wrap_to_width(spec.link_misses, text_w, FOOTER_FONT)
                lines += [("footer-link-misses", html.escape(x)) for x in misses]
    if dropped:  # labels that gave way at this size stay findable: named here, and hovered on the time axis
        how = "milestones are the ▲ on the time axis"
        how = how if spec.static else f"hover the chart; {how}"
        key = f"Not labelled at this size ({how}): " + "; ".join(
            t.text if t.kind == "peak" else f"{fmt_day(t.date)} {t.text}" for t in dropped
        )
        lines += [("footer-unlabelled", html.escape(x)) for x in labels.wrap_to_width(key, text_w, FOOTER_FONT)]
    return lines


def _narrow_frame(spec: ChartSpec, scope: Scope, traces: list[dict], lines: list, margins: tuple, title) -> Frame:
    """A phone's chart: the legend under the plot, the page as tall as the panels need."""
    left, right, top = margins
    text_w = spec.width - 24
    shown = _legend_names(traces)
    legend_h = _legend_height(shown, spec.width)
    if legend_h > 0.22 * spec.height:  # a legend that would crowd out the plot: the marker key moves down
        _hide_marker_key(traces)
        lines[:0] = [("footer-key", html.escape(x)) for x in labels.wrap_to_width(MARKER_KEY, text_w, FOOTER_FONT)]
        shown = _legend_names(traces)
        legend_h = _legend_height(shown, spec.width)
    bottom = 30 + legend_h + FOOTER_ROW_H * len(lines) + 10
    height = max(spec.height, top + bottom + NARROW_PANEL_H * len(scope.panels))
    legend = _legend_under(len(lines), height)
    return Frame(dict(l=left, r=right, t=top, b=bottom), title, legend, tuple(lines), 30 + legend_h, height)


def _compact_frame(spec: ChartSpec, scope: Scope, traces: list[dict], sides: tuple, label_rows: int) -> Frame:
    """An embed in a small frame: the frame's height and no more. The title in one line where it fits, the
    labels that fit one row, the legend under the plot only where it is short and leaves each panel
    COMPACT_PANEL_H (else the marker key, where it fits), and the line that says where the rest is: every
    point, line, shaded zone and milestone names itself and its source on hover."""
    left, right = sides
    text = spec.title or summary.chart_title(spec.countries, scope.start, scope.end)
    size = 14 if labels.text_width(text, 14) <= spec.width - left - 8 else 12
    title_lines = labels.wrap_to_width(text, spec.width - left - 8, size) if spec.chrome else []
    top = 16 + (size + 4) * len(title_lines) + (labels.top_label_rows_height(label_rows) if label_rows else 0)
    wrap = lambda words, role: [(role, html.escape(x)) for x in labels.wrap_to_width(words, spec.width - 24, 11)]  # noqa: E731
    lines = wrap(summary.SOURCE_HOVER, "footer-source")
    room = lambda extra: spec.height - top - 40 - FOOTER_ROW_H * len(lines) - extra  # noqa: E731
    _hide_marker_key(traces)
    legend_h = _legend_height(_legend_names(traces), spec.width)
    panels = COMPACT_PANEL_H * len(scope.panels)
    shown = legend_h <= 0.22 * spec.height and room(legend_h) >= panels
    if not shown:
        legend_h = 0
        key = wrap(MARKER_KEY, "footer-key")
        lines = key + lines if room(FOOTER_ROW_H * len(key)) >= panels else lines
    title = _title(spec, "", [], True, True) | dict(text="<br>".join(map(html.escape, title_lines)))
    title |= dict(font=dict(size=size), pad=dict(t=10))
    legend = _legend_under(len(lines), spec.height) | dict(visible=shown)
    margin = dict(l=left, r=right, t=top, b=40 + FOOTER_ROW_H * len(lines) + legend_h)
    return Frame(margin, title, legend, tuple(lines), 30 + legend_h, spec.height)


def _panel_height(height: int, margin: dict, panels: int) -> float:
    """Pixels one of `panels` rows of a figure `height` high with these margins plots in (see _grid)."""
    return (height - margin["t"] - margin["b"]) * (1 - 0.09 * (panels - 1)) / max(panels, 1)


def crowded(layout: dict, height: int) -> bool:
    """Whether a figure laid out to be `height` pixels high outgrew them, or left its panels shorter than
    FIT_PANEL_H: an embed then takes the compact layout (ChartSpec.compact)."""
    panels = sum(1 for k in layout if k.startswith("yaxis"))
    return layout["height"] > height or _panel_height(layout["height"], layout["margin"], panels) < FIT_PANEL_H


def _wide_frame(spec: ChartSpec, traces: list[dict], lines: list, margins: tuple, title) -> Frame:
    """A wider screen's chart: the legend beside the plot, what it cannot hold said in the footer."""
    left, right, top = margins
    base_b = MARGIN_B if spec.chrome else 64
    shown = _legend_names(traces)

    def room() -> int:  # legend rows beside the plot, with the footer as it stands
        return (spec.height - top - max(base_b, 42 + FOOTER_ROW_H * (len(lines) + 1))) // LEGEND_ROW_H

    if len(shown) > room():
        # Plotly cuts a legend taller than the plot: the marker key moves to a footer line instead
        _hide_marker_key(traces)
        lines.insert(0, ("footer-key", html.escape(MARKER_KEY)))
        shown = _legend_names(traces)
    silent = [t for t in traces if t.get("meta") == "silence"]
    if len(shown) > room() and silent:  # still taller (a small export): the grey zones are said below, too
        for t in silent:
            t["showlegend"] = False
        days = "; ".join(t["text"].split("<br>")[0] for t in silent)  # already escaped
        said = labels.wrap_to_width(
            f"Grey: {html.unescape(days)}; nothing after it is extrapolated.", spec.width - 24, 11
        )
        lines[1:1] = [("footer-silence", html.escape(x)) for x in said]
    bottom = max(base_b, 42 + FOOTER_ROW_H * len(lines)) if lines else base_b
    legend = dict(
        x=1,
        xanchor="left",
        y=1,
        yanchor="top",
        font=dict(size=12 if spec.height >= 700 else 11),
        bgcolor=LEGEND_BG,
        tracegroupgap=2,
    )
    return Frame(dict(l=left, r=right, t=top, b=bottom), title, legend, tuple(lines), 30, spec.height)


def _side_margins(spec: ChartSpec) -> tuple[int, int]:
    """Left and right margins: narrow charts keep the width for the plot (their legend goes below)."""
    below = spec.width < NARROW_BELOW or spec.compact
    return (NARROW_MARGIN_L, NARROW_MARGIN_R) if below else (MARGIN_L, MARGIN_R)


def _legend_names(traces: list[dict]) -> list[str]:
    """The legend's entries, a two-line entry counted twice (it takes two rows)."""
    shown = [t["name"] for t in traces if t.get("showlegend") is not False and t.get("name")]
    return shown + [name for name in shown if "<br>" in name]


def _hide_marker_key(traces: list[dict]) -> None:
    for t in traces:
        if t.get("meta") == "legend-only" and t.get("mode") == "markers":
            t["showlegend"] = False


def _legend_under(footer_lines: int, height: int) -> dict:
    """A horizontal legend in the bottom margin, just above the footer's lines (a narrow or compact chart)."""
    return dict(
        orientation="h",
        x=0,
        xref="container",
        xanchor="left",
        yref="container",
        yanchor="bottom",
        y=(FOOTER_ROW_H * footer_lines + 12) / height,
        font=dict(size=11),
        tracegroupgap=2,
    )


def _legend_height(names: list[str], width: int) -> int:
    """Pixels a horizontal legend of these entries takes under the plot of a chart `width` wide."""
    return _legend_rows(names, width - 16) * LEGEND_ROW_H + 12


def _legend_rows(names: list[str], width: float) -> int:
    """How many rows a horizontal legend of these entries takes in `width` pixels."""
    rows, used = 1, 0.0
    for name in names:
        w = labels.text_width(html.unescape(name), 11) + 52  # symbol, gap and padding
        if used and used + w > width:
            rows, used = rows + 1, 0.0
        used += w
    return rows


def _layout(spec: ChartSpec, scope: Scope, frame: Frame) -> dict:
    span = [pd.Timestamp(scope.start), pd.Timestamp(scope.end)]
    xaxis = dict(
        range=span,
        autorange=False,
        showgrid=True,
        gridcolor=GRID,
        linecolor=AXIS_LINE,
        ticks="outside",
        dtick="M12" if spec.width >= NARROW_BELOW else "M24",
        tickformat="%Y",
    )
    yaxis = dict(
        type=spec.view.scale, showgrid=True, gridcolor=GRID, tickformat=",", zeroline=True, zerolinecolor=ZERO_LINE
    )
    if spec.view.scale == "log":
        yaxis["tickvals"] = [v * 10**e for e in range(1, 7) for v in (1, 2, 5)]
    short = spec.compact and _panel_height(frame.height, frame.margin, len(scope.panels)) < 60
    layout = dict(
        width=spec.width,
        height=frame.height,
        autosize=False,
        template=TEMPLATE,
        paper_bgcolor=BACKGROUND,
        plot_bgcolor=BACKGROUND,
        font=dict(family=FONT_FAMILY, size=13, color=INK),
        margin=dict(frame.margin, autoexpand=False),
        title=frame.title,
        legend=frame.legend,
        hovermode="closest",
        hoverlabel=dict(bgcolor=BACKGROUND, font=dict(size=12)),
        modebar=dict(bgcolor="rgba(0,0,0,0)", color=MUTED, activecolor=INK),
    )
    n = len(scope.panels)
    for p, (key, domain) in zip(scope.panels, _grid(n), strict=True):
        x = dict(xaxis, anchor=p.yref, domain=[0.0, 1.0])
        if p.row < n:  # the shared time axis: ticks under the bottom panel only
            x |= dict(matches=f"x{n}", showticklabels=False)
        layout[f"xaxis{'' if p.row == 1 else p.row}"] = x
        r = _y_range(spec, scope, p)
        layout[key] = dict(yaxis, anchor=p.xref, domain=list(domain), range=r, title=dict(text=p.country))
        if short and spec.view.scale != "log":  # a thumbnail's panel: two ticks that cannot touch
            layout[key]["tickvals"] = [0, _nice_ceiling(r[1] / 2)]
    return layout


def _top_labels(spec: ChartSpec, scope: Scope, yielded: set = frozenset()):
    """The labelled vertical lines above the plot: deadlines and today always, then the chosen
    milestones (data/editorial.csv) in their rank order while there is room, but those that
    gave way to a peak's label (`yielded`: named in the footer with the others left out)."""
    found = []
    for r in scope.milestone_rows:  # spec.countries are the scope's panels
        if r["kind"] == "deadline":
            named = [c for c in COUNTRIES if c in r["label"]] or [r["country"]]  # "Coalition Syria mission deadline"
            shorter = (f"{named[0]} deadline, {r['date']:%b %Y}", f"{named[0]} deadline")  # for a narrow chart
            found.append(labels.TopLabel(r["date"], f"{r['label']} ({r['date']:%b %Y})", "deadline", 0, shorter))
        elif pd.notna(r["chart_rank"]):
            found.append(labels.TopLabel(r["date"], r["label"], "event", int(r["chart_rank"])))
    if scope.start <= spec.today <= scope.end:
        found.append(labels.TopLabel(pd.Timestamp(spec.today), f"Today, {fmt_day(spec.today)}", "today", 0, ("Today",)))
    rows = spec.label_rows or max(3, int(spec.height * LABEL_BAND_SHARE // ROW_H))
    left, right = _side_margins(spec)
    plot_w = spec.width - left - right
    top, boxes, dropped = labels.layout_top_labels(
        [t for t in found if t not in yielded],
        scope.start,
        scope.end,
        plot_w,
        room=right - 12,
        max_rows=rows,
        left_room=left - 12,
    )
    dropped = [*dropped, *(t for t in found if t in yielded)]
    if not spec.compact:
        return top, boxes, dropped
    rows = 1 if spec.height >= COMPACT_LABELS_FROM else 0  # the rest are hovered on the time axis
    kept = [(t, b) for t, b in zip(top, boxes, strict=True) if b.row < rows]
    gone = [t for t, b in zip(top, boxes, strict=True) if b.row >= rows]
    return [t for t, _ in kept], [b for _, b in kept], [*dropped, *gone]


def _top_label_marks(top: list[labels.TopLabel], boxes) -> tuple[list[dict], list[dict]]:
    """A full-height line per label, a leader up to its row, and the label itself."""
    annotations, shapes = [], []
    for t, b in zip(top, boxes, strict=True):
        shift = labels.top_label_rows_height(b.row)
        color = {"deadline": DEADLINE_COLOR, "today": INK}.get(t.kind, MUTED)
        dash = {"deadline": "dash", "today": "solid"}.get(t.kind, "dot")
        line = dict(type="line", xref="x", yref="paper", x0=t.date, x1=t.date)
        style = dict(color=color, width=1.4 if t.kind != "event" else 1, dash=dash)
        shapes.append(line | dict(y0=0, y1=1, layer="below", line=style))
        shapes.append(
            line | dict(ysizemode="pixel", yanchor=1, y0=0, y1=shift + ROW_H * 0.7, line=dict(color=color, width=1))
        )
        annotations.append(
            dict(
                x=t.date,
                xref="x",
                y=1,
                yref="paper",
                yanchor="bottom",
                yshift=shift,
                xanchor=b.align,
                xshift=4 if b.align == "left" else -4,
                showarrow=False,
                text=html.escape(t.text),
                font=dict(size=LABEL_FONT, color=color),
                borderpad=1,
            )
        )
    return annotations, shapes


def _footer_marks(frame: Frame) -> list[dict]:
    """The footer lines under the plot (and under the legend, when it sits there)."""
    return [
        dict(
            x=0,
            xref="paper",
            y=0,
            yref="paper",
            yanchor="top",
            yshift=-frame.footer_top - FOOTER_ROW_H * k,
            xanchor="left",
            xshift=-frame.margin["l"] + 12,
            showarrow=False,
            text=text,
            font=dict(size=FOOTER_FONT if role != "footer-link" else 10, color=MUTED),
            borderpad=1,
            name=role,
        )
        for k, (role, text) in enumerate(frame.footer)
    ]


def _point_label_jobs(ds: Dataset, scope: Scope) -> list[labels.PointLabel]:
    """In-plot labels: each panel's peak in the span (as each official basis first gave it, else as
    the press did), and the headline target on its line."""
    jobs, head = [], summary.headline_target(ds.milestones)
    for p in scope.panels:
        pk = _peak(scope.levels, p.country, pd.Timestamp(scope.start))
        for basis, day in pk.firsts if pk else ():
            jobs.append(labels.PointLabel(day, pk.troops, p.yref, f"Peak {pk.text} {basis}, {day:%b %Y}", "point"))
        if head is not None and head.country == p.country:
            text = f"Target: fewer than {head.value:,}"
            jobs.append(labels.PointLabel(head.date, head.value, p.yref, text, "line"))
    return jobs
