"""Pure Plotly figure builders: frames and "today" in, `go.Figure` out. No Streamlit here.

One figure serves the screen and every export, so it carries its own title, source line and
"as of" date, and it is laid out in pixels for a given width: labels that are clear at the
smallest supported width (960 px) stay clear at every larger one (see labels.py).
"""

from __future__ import annotations

import datetime as dt
import html
import math
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from force_posture.data import BASIS_MEANING, COUNTRIES, HEADLINE_TARGET, fmt_day, format_level
from force_posture.labels import FONT_FAMILY, boxes_overlap, first_free, place_in_rows, text_width
from force_posture.scenarios import DISPLAY_POINTS, for_display

# Okabe-Ito, safe for the common colour-vision deficiencies; one colour per country everywhere.
COUNTRY_COLORS = {"Syria": "#D55E00", "Iraq": "#0072B2"}
INK = "#222222"
MUTED = "#666666"
DEADLINE_COLOR = "#7A1F5C"
BASIS_SYMBOLS = {
    "acknowledged": "circle",
    "reported": "circle",
    "disclosed": "diamond",
    "authorized": "square",
}
# Hollow (white-filled) markers: estimates and caps, as against figures stated or disclosed.
HOLLOW = ("reported", "authorized")
BASIS_LEGEND = {
    "acknowledged": "Acknowledged",
    "reported": "Press estimate",
    "disclosed": "Disclosed later",
    "authorized": "Authorized cap",
}

WINDOWS = {"counter-is": dt.date(2014, 1, 1), "since-2003": dt.date(2003, 1, 1)}
WINDOW_NAMES = {"counter-is": "counter-IS campaign, 2014 on", "since-2003": "since the 2003 invasion"}
SCALES = ("linear", "log")


# NOTE: which milestones get a label on the chart is an editorial choice, not a fact, so it lives
# here rather than in data/. Every other milestone is still drawn (a marker on the time axis,
# with its source on hover), and every deadline is always labelled.
# Listed most important first: when a small chart has room for fewer rows of labels, the
# last ones give way (deadlines and "today" always stay).
HIGHLIGHTS = (
    (dt.date(2014, 9, 22), "US-led airstrikes in Syria begin"),
    (dt.date(2024, 12, 8), "Assad regime falls"),
    (dt.date(2025, 4, 18), "Pentagon: <1,000 in coming months"),
    (dt.date(2017, 12, 9), "Iraq declares victory over IS"),
    (dt.date(2019, 3, 23), "IS loses Baghuz, last territory"),
    (dt.date(2003, 3, 20), "US-led invasion of Iraq begins"),
    (dt.date(2011, 12, 18), "Last US troops leave Iraq"),
    (dt.date(2026, 2, 21), "Qasrak evacuation begins (SOHR)"),
    (dt.date(2007, 1, 10), "Bush announces Iraq troop surge"),
    (dt.date(2019, 10, 13), "Esper: ~1,000 leaving north Syria"),
    (dt.date(2014, 8, 8), "US airstrikes in Iraq begin"),
    (dt.date(2021, 12, 9), "Combat mission in Iraq ends"),
    (dt.date(2026, 3, 11), "US reinforces Qasrak; exit reversed"),
)
LABEL_BAND_SHARE = 0.2  # the label rows above the plot take at most this share of the height


@dataclass(frozen=True)
class Band:
    """A shaded range where sources disagree (facts.md section 3b), with its own sources."""

    country: str
    start: dt.date
    end: dt.date
    low: int
    high: int
    name: str
    source: str


BANDS = (
    Band(
        "Syria",
        dt.date(2020, 1, 1),
        dt.date(2024, 12, 19),
        900,
        2000,
        "Syria: sources differ",
        "CNN, 23 Dec 2024: actual numbers surged above the ~900 baseline since at least 2020; "
        "Pentagon (Ryder), 19 Dec 2024: ~2,000 in place for at least months (Reuters via Hindustan Times)",
    ),
    Band(
        "Syria",
        dt.date(2025, 12, 1),
        dt.date(2026, 2, 23),
        900,
        1000,
        "Syria: sources differ",
        "AP, Dec 2025 and Al Jazeera, 23 Feb 2026: ~900; WSJ via Reuters, 18 Feb 2026 and AFP, 23 Feb 2026: ~1,000",
    ),
)

# Pixel layout. Exports default to 1600 x 900; labels are laid out for the width given.
MARGIN_L, MARGIN_R, MARGIN_B = 76, 206, 100
TITLE_H = 84
BAND_PAD, ROW_H = 8, 19
LABEL_FONT = 12
MIN_LAYOUT_WIDTH = 960


def _ts(d: dt.date | pd.Timestamp) -> pd.Timestamp:
    return pd.Timestamp(d)


def window_range(window: str, today: dt.date, milestones: pd.DataFrame) -> tuple[dt.date, dt.date]:
    """From the window's start to a little past the later of today and the last deadline."""
    deadlines = milestones.loc[milestones["kind"] == "deadline", "date"]
    last = max([today, *(d.date() for d in deadlines)])
    end = last + dt.timedelta(days=75)
    end = (end.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    return WINDOWS[window], end


def _wrap(text: str, width: int = 70) -> str:
    words, lines, line = text.split(), [], ""
    for w in words:
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
            "Source: " + _wrap(str(row["source"])),
        ]
    )


def _nice_ceiling(v: float) -> float:
    if v <= 0:
        return 10
    mag = 10 ** math.floor(math.log10(v))
    for step in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if step * mag >= v:
            return step * mag
    return 10 * mag


def _y_range(values: list[float], scale: str) -> list[float]:
    top = max(values, default=100)
    if scale == "log":
        low = min((v for v in values if v > 0), default=10)
        return [math.log10(max(low / 2, 1)), math.log10(top * 2.2)]
    return [0, _nice_ceiling(top * 1.32)]


@dataclass(frozen=True)
class Panel:
    country: str
    row: int
    yref: str
    axis: str


@dataclass(frozen=True)
class Mapper:
    """Maps data and paper coordinates of a laid-out figure to pixels (origin top left)."""

    width: float
    height: float
    margin: dict
    x_range: tuple[pd.Timestamp, pd.Timestamp]
    axes: dict  # yref -> (domain, range, is_log)

    @property
    def plot_w(self) -> float:
        return self.width - self.margin["l"] - self.margin["r"]

    @property
    def plot_h(self) -> float:
        return self.height - self.margin["t"] - self.margin["b"]

    def x(self, value) -> float:
        x0, x1 = self.x_range
        frac = (_ts(value) - x0) / (x1 - x0)
        return self.margin["l"] + frac * self.plot_w

    def x_paper(self, frac: float) -> float:
        return self.margin["l"] + frac * self.plot_w

    def y_paper(self, frac: float) -> float:
        return self.margin["t"] + (1 - frac) * self.plot_h

    def y(self, value: float, yref: str, already_log: bool = False) -> float:
        domain, rng, is_log = self.axes[yref]
        v = value
        if is_log and not already_log:
            v = math.log10(max(value, 1e-9))
        frac = (v - rng[0]) / (rng[1] - rng[0])
        return self.y_paper(domain[0] + frac * (domain[1] - domain[0]))


def mapper_for(fig: go.Figure, width: float, height: float) -> Mapper:
    lay = fig.layout
    margin = {k: getattr(lay.margin, k) for k in ("l", "r", "t", "b")}
    xr = lay.xaxis.range
    axes = {}
    for key in lay:
        if key.startswith("yaxis"):
            ax = lay[key]
            ref = "y" + key[5:]
            axes[ref] = (tuple(ax.domain), tuple(ax.range), ax.type == "log")
    return Mapper(width, height, margin, (_ts(xr[0]), _ts(xr[1])), axes)


def _strip_tags(text: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", text))


def annotation_boxes(fig: go.Figure, width: float, height: float) -> list[tuple[str, tuple]]:
    """(text, (x0, y0, x1, y1)) in pixels for every annotation, as Plotly would draw it."""
    m = mapper_for(fig, width, height)
    out = []
    for a in fig.layout.annotations:
        size = a.font.size or LABEL_FONT
        lines = (a.text or "").split("<br>")
        bold = (a.text or "").startswith("<b>")
        w = max(text_width(_strip_tags(line), size, bold) for line in lines) + 2 * (a.borderpad or 1) + 2
        h = len(lines) * size * 1.25 + 2 * (a.borderpad or 1)
        x = m.x_paper(a.x) if a.xref == "paper" else m.x(a.x)
        if a.yref == "paper":
            y = m.y_paper(a.y)
        else:
            y = m.y(a.y, a.yref, already_log=True)
        x += a.xshift or 0
        y -= a.yshift or 0
        x0 = {"left": x, "right": x - w}.get(a.xanchor, x - w / 2)
        y0 = {"top": y, "bottom": y - h}.get(a.yanchor, y - h / 2)
        out.append((_strip_tags(a.text or ""), (x0, y0, x0 + w, y0 + h)))
    return out


def _xs_px(m: Mapper, xs) -> np.ndarray:
    x0, x1 = m.x_range
    t = pd.to_datetime(pd.Series(list(xs)), errors="coerce").to_numpy(dtype="datetime64[ns]").astype("int64")
    frac = (t - x0.value) / (x1.value - x0.value)
    return m.margin["l"] + frac * m.plot_w


def _ys_px(m: Mapper, ys, yref: str) -> np.ndarray:
    domain, rng, is_log = m.axes[yref]
    v = np.asarray(pd.to_numeric(pd.Series(list(ys)), errors="coerce"), dtype="float64")
    if is_log:
        with np.errstate(divide="ignore", invalid="ignore"):
            v = np.log10(np.maximum(v, 1e-9))
    frac = (v - rng[0]) / (rng[1] - rng[0])
    return m.margin["t"] + (1 - (domain[0] + frac * (domain[1] - domain[0]))) * m.plot_h


def data_boxes(fig: go.Figure, width: float, height: float, pad: float = 3) -> np.ndarray:
    """Pixel boxes (x0, y0, x1, y1), one row each, of everything that shows data: markers, line
    segments and shaded bands, clipped to their panel as Plotly clips them (a log axis sends a
    zero far below its panel). Vectorised: a scenario can bring thousands of points."""
    m = mapper_for(fig, width, height)
    out = [np.empty((0, 4))]
    for tr in fig.data:
        if tr.x is None or tr.y is None or getattr(tr, "meta", None) == "legend-only":
            continue
        yref = tr.yaxis or "y"
        xs, ys = _xs_px(m, tr.x), _ys_px(m, tr.y, yref)
        ok = ~(np.isnan(xs) | np.isnan(ys))
        xs, ys = xs[ok], ys[ok]
        if not len(xs):
            continue
        found = []
        mode = tr.mode or ""
        if tr.fill == "toself":
            found.append(np.array([[xs.min(), ys.min(), xs.max(), ys.max()]]))
        else:
            if "markers" in mode:
                r = (tr.marker.size or 6) / 2 + pad
                found.append(np.column_stack([xs - r, ys - r, xs + r, ys + r]))
            if "lines" in mode and len(xs) > 1:
                xa, xb, ya, yb = xs[:-1], xs[1:], ys[:-1], ys[1:]
                if tr.line.shape == "hv":  # across at the old level, then up or down at the new date
                    found.append(
                        np.column_stack([np.minimum(xa, xb) - pad, ya - pad, np.maximum(xa, xb) + pad, ya + pad])
                    )
                    found.append(
                        np.column_stack([xb - pad, np.minimum(ya, yb) - pad, xb + pad, np.maximum(ya, yb) + pad])
                    )
                else:
                    found.append(
                        np.column_stack(
                            [
                                np.minimum(xa, xb) - pad,
                                np.minimum(ya, yb) - pad,
                                np.maximum(xa, xb) + pad,
                                np.maximum(ya, yb) + pad,
                            ]
                        )
                    )
        if not found:  # a one-point line draws nothing
            continue
        boxes = np.vstack(found)
        if tr.cliponaxis is not False:
            domain = m.axes[yref][0]
            top, bottom = m.y_paper(domain[1]), m.y_paper(domain[0])
            boxes[:, 1] = np.maximum(boxes[:, 1], top)
            boxes[:, 3] = np.minimum(boxes[:, 3], bottom)
            boxes = boxes[boxes[:, 1] <= boxes[:, 3]]
        out.append(boxes)
    return np.vstack(out)


def _error_arrays(df: pd.DataFrame) -> dict | None:
    plus = (df["high"].fillna(df["troops"]) - df["troops"]).astype(float).tolist()
    minus = (df["troops"] - df["low"].fillna(df["troops"])).astype(float).tolist()
    if not any(plus) and not any(minus):
        return None
    return dict(type="data", symmetric=False, array=plus, arrayminus=minus, thickness=1.2, width=4)


def _legend_only(name: str, symbol: str, group: str, hollow: bool) -> go.Scatter:
    return go.Scatter(
        x=[None],
        y=[None],
        mode="markers",
        name=name,
        legendgroup=group,
        meta="legend-only",
        marker=dict(symbol=symbol, size=10, color="white" if hollow else MUTED, line=dict(color=MUTED, width=1.6)),
        hoverinfo="skip",
    )


def _in_window(df: pd.DataFrame, start: dt.date, end: dt.date) -> pd.DataFrame:
    return df[(df["date"] >= _ts(start)) & (df["date"] <= _ts(end))]


def _panel_milestones(milestones: pd.DataFrame, country: str) -> pd.DataFrame:
    return milestones[milestones["country"].isin([country, "Both"])]


# never plain "dash": that is the authorized caps' line, in the same country colour
SCENARIO_DASHES = ("dot", "dashdot", "longdash", "longdashdot", "2px,3px,8px,3px")
LEGEND_NAME_MAX = 24


def _scenario_dash(names: list[str], name: str) -> str:
    return SCENARIO_DASHES[names.index(name) % len(SCENARIO_DASHES)]


def _short(name: str, limit: int = LEGEND_NAME_MAX) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"


def build_chart(
    levels: pd.DataFrame,
    milestones: pd.DataFrame,
    *,
    today: dt.date,
    countries: tuple[str, ...] = COUNTRIES,
    window: str = "counter-is",
    scale: str = "linear",
    show_caps: bool = True,
    show_bands: bool = True,
    scenarios: pd.DataFrame | None = None,
    width: int = 1600,
    height: int = 900,
    title: str | None = None,
    years: tuple[int, int] | None = None,
    link: str | None = None,
    chrome: bool = True,
) -> go.Figure:
    """The troop-level chart: one panel per country on a shared time axis.

    `width` is the width the labels are laid out for; on screen pass the narrowest width the
    chart will be shown at (labels clear at one width stay clear when it grows).
    `scenarios` (optional) has columns scenario, date, country, troops.
    """
    if window not in WINDOWS:
        raise ValueError(f"unknown window {window!r}; choose one of {', '.join(WINDOWS)}")
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}; choose one of {', '.join(SCALES)}")
    start, end = window_range(window, today, milestones)
    if years is not None:  # an explicit span, whole calendar years (the command line's --start/--end)
        if not (2001 <= years[0] <= years[1] <= 2100):
            raise ValueError(f"years must run forward between 2001 and 2100, not {years[0]} to {years[1]}")
        start, end = dt.date(years[0], 1, 1), dt.date(years[1] + 1, 1, 1)
    levels = _in_window(levels[levels["country"].isin(countries)], start, end)
    miles = _in_window(milestones, start, end)
    thinned: list[str] = []
    if scenarios is not None and len(scenarios):
        scenarios = scenarios[scenarios["country"].isin(countries)]
        if len(scenarios) and scenarios["date"].max() > _ts(end):  # stretch the window over the scenarios
            last = (scenarios["date"].max() + pd.Timedelta(days=45)).date()
            end = (last.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
        scenarios, thinned = for_display(scenarios)
    scenario_names = [] if scenarios is None else list(dict.fromkeys(scenarios["scenario"].astype(str)))
    n = len(countries)
    fig = make_subplots(rows=n, cols=1, shared_xaxes=True, vertical_spacing=0.09 if n > 1 else 0.0)
    panels = [
        Panel(c, i + 1, "y" if i == 0 else f"y{i + 1}", "yaxis" if i == 0 else f"yaxis{i + 1}")
        for i, c in enumerate(countries)
    ]

    headline = milestones[
        (milestones["country"] == HEADLINE_TARGET[0])
        & (milestones["date"] == _ts(HEADLINE_TARGET[1]))
        & (milestones["kind"] == "target")
    ]
    for p in panels:
        color = COUNTRY_COLORS[p.country]
        df = levels[levels["country"] == p.country]
        values = df["troops"].astype(float).tolist() + df["high"].dropna().astype(float).tolist()
        if not show_caps:
            values = df.loc[df["basis"] != "authorized", "troops"].astype(float).tolist()
        pm = _panel_milestones(miles, p.country)
        targets = pm[pm["kind"] == "target"]
        values += targets["value"].dropna().astype(float).tolist()
        scen = None
        if scenarios is not None and len(scenarios):
            scen = scenarios[
                (scenarios["country"] == p.country)
                & (scenarios["date"] >= _ts(start))
                & (scenarios["date"] <= _ts(end))
            ]
            values += scen["troops"].astype(float).tolist()
        yr = _y_range(values, scale)
        fig.update_layout({p.axis: dict(range=yr, type=scale, title=dict(text=p.country))})

        if show_bands:
            for b in (b for b in BANDS if b.country == p.country and _ts(b.start) < _ts(end)):
                fig.add_trace(
                    go.Scatter(
                        x=[_ts(b.start), _ts(b.end), _ts(b.end), _ts(b.start), _ts(b.start)],
                        y=[b.low, b.low, b.high, b.high, b.low],
                        fill="toself",
                        mode="lines",
                        line=dict(width=0),
                        fillcolor="rgba(213,94,0,0.13)",
                        name=b.name,
                        hoveron="fills",
                        hoverinfo="text",
                        text=f"{html.escape(b.name)} ({b.low:,} to {b.high:,})<br>Source: {_wrap(b.source)}",
                        legendgroup=f"band-{p.country}",
                        showlegend=b == BANDS[0],
                    ),
                    row=p.row,
                    col=1,
                )

        record = df[df["basis"].isin(["acknowledged", "reported"])]
        fig.add_trace(
            go.Scatter(
                x=record["date"],
                y=record["troops"],
                mode="lines",
                line=dict(color=color, width=2.4, shape="hv"),
                name=f"{p.country}: stated level",
                legendgroup=p.country,
                hoverinfo="skip",
            ),
            row=p.row,
            col=1,
        )
        if show_caps:
            caps = df[df["basis"] == "authorized"]
            if len(caps):
                fig.add_trace(
                    go.Scatter(
                        x=caps["date"],
                        y=caps["troops"],
                        mode="lines",
                        line=dict(color=color, width=1.6, dash="dash", shape="hv"),
                        name=f"{p.country}: authorized cap",
                        legendgroup=f"{p.country}-cap",
                        hoverinfo="skip",
                    ),
                    row=p.row,
                    col=1,
                )
        for basis, symbol in BASIS_SYMBOLS.items():
            pts = df[df["basis"] == basis]
            if not len(pts) or (basis == "authorized" and not show_caps):
                continue
            filled = basis not in HOLLOW
            fig.add_trace(
                go.Scatter(
                    x=pts["date"],
                    y=pts["troops"],
                    mode="markers",
                    name=f"{p.country}: {basis}",
                    showlegend=False,
                    legendgroup=p.country,
                    marker=dict(
                        symbol=symbol,
                        size=12 if basis == "disclosed" else 9,
                        color=color if filled else "white",
                        line=dict(color=color, width=1.8),
                    ),
                    error_y=_error_arrays(pts),
                    customdata=[point_hover(r) for r in pts.to_dict("records")],
                    hovertemplate="%{customdata}<extra></extra>",
                ),
                row=p.row,
                col=1,
            )
        plot_targets = targets if scale == "linear" else targets[targets["value"] > 0]
        if len(plot_targets):
            fig.add_trace(
                go.Scatter(
                    x=plot_targets["date"],
                    y=plot_targets["value"],
                    mode="markers",
                    name="Announced target",
                    showlegend=p.row == 1,
                    legendgroup="targets",
                    marker=dict(symbol="x-thin-open", size=11, color=INK, line=dict(color=INK, width=2)),
                    customdata=[milestone_hover(r) for r in plot_targets.to_dict("records")],
                    hovertemplate="%{customdata}<extra></extra>",
                ),
                row=p.row,
                col=1,
            )
        head = headline if p.country == HEADLINE_TARGET[0] else headline.iloc[0:0]
        for r in head.to_dict("records"):
            fig.add_trace(
                go.Scatter(
                    x=[r["date"], _ts(end)],
                    y=[r["value"], r["value"]],
                    mode="lines",
                    line=dict(color=INK, width=1.6, dash="dash"),
                    name=f"Target: under {int(r['value']):,}",
                    legendgroup="headline-target",
                    hoverinfo="skip",
                    meta="headline-target",
                ),
                row=p.row,
                col=1,
            )
        if scen is not None and len(scen):
            for name, s in scen.groupby("scenario", sort=False):
                s = s.sort_values("date")
                fig.add_trace(
                    go.Scatter(
                        x=s["date"],
                        y=s["troops"],
                        mode="lines" if len(s) > 1 else "markers",  # one point: a line would draw nothing
                        marker=dict(color=color, size=9, symbol="circle-open-dot", line=dict(width=2)),
                        line=dict(color=color, width=2.2, dash=_scenario_dash(scenario_names, name)),
                        name=f"Scenario: {html.escape(str(name))} ({p.country})",
                        legendgroup=f"scen-{name}",
                        showlegend=False,
                        hovertemplate=f"<b>%{{y:,}}</b> US troops in {p.country}<br>%{{x|%-d %b %Y}}"
                        f"<br>Scenario: {html.escape(str(name))}<extra></extra>",
                    ),
                    row=p.row,
                    col=1,
                )
        rug_y = 10 ** yr[0] if scale == "log" else yr[0]
        if len(pm):
            fig.add_trace(
                go.Scatter(
                    x=pm["date"],
                    y=[rug_y] * len(pm),
                    mode="markers",
                    name="Milestone (hover)",
                    showlegend=p.row == 1,
                    legendgroup="milestones",
                    cliponaxis=False,
                    marker=dict(symbol="triangle-up", size=8, color=MUTED),
                    customdata=[milestone_hover(r) for r in pm.to_dict("records")],
                    hovertemplate="%{customdata}<extra></extra>",
                ),
                row=p.row,
                col=1,
            )

    for name in scenario_names:  # one legend entry per scenario: its dash; the colour is the country's
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="lines",
                name=html.escape(_short(name)),
                legendgroup=f"scen-{name}",
                meta="legend-only",
                line=dict(color=MUTED, width=2.2, dash=_scenario_dash(scenario_names, name)),
            )
        )
    for basis, symbol in BASIS_SYMBOLS.items():
        if basis != "authorized" or show_caps:
            fig.add_trace(_legend_only(BASIS_LEGEND[basis], symbol, f"basis-{basis}", basis in HOLLOW))

    top_labels, boxes = _layout_top_labels(
        _top_labels(miles, countries, today, start, end),
        start,
        end,
        width - MARGIN_L - MARGIN_R,
        room=MARGIN_R - 12,
        max_rows=max(3, int(height * LABEL_BAND_SHARE // ROW_H)),
    )
    rows = 1 + max((b.row for b in boxes), default=-1)
    # Without chrome (a slide's picture, whose slide carries title and footer) the chart keeps only
    # what explains the plot itself. Laid out that way from the start: moving margins afterwards
    # would stretch every pixel gap between a label and the point it names.
    title_h, margin_b = (TITLE_H, MARGIN_B) if chrome else (14, 64)
    margin_t = title_h + BAND_PAD + rows * ROW_H + 6
    coverage = latest_dates(levels_all=levels, countries=countries)
    as_of = (
        f"As of {fmt_day(today)} · latest sourced figure: "
        + ", ".join(f"{c} {fmt_day(d)}" for c, d in coverage.items())
        + " · nothing after that is extrapolated"
    )
    window_words = WINDOW_NAMES[window]
    if title is None:
        title = f"US troops in {' and '.join(countries)}, {start.year}–{end.year}"
    keys = ["dashed: authorized caps"] if show_caps else []
    if show_bands and any(b.country in countries for b in BANDS):
        keys.append("shaded: where sources disagree")
    subtitle = f"US military personnel, by basis ({window_words}{', log scale' if scale == 'log' else ''})"
    if thinned:
        keys.append(f"scenario lines drawn from at most {DISPLAY_POINTS:,} points each (comparisons use all)")
    subtitle += "; " + "; ".join(keys) if keys else ""
    fig.update_layout(
        width=width,
        height=height,
        autosize=False,
        template="plotly_white",
        paper_bgcolor="white",
        plot_bgcolor="white",
        font=dict(family=FONT_FAMILY, size=13, color=INK),
        margin=dict(l=MARGIN_L, r=MARGIN_R, t=margin_t, b=margin_b, autoexpand=False),
        title=dict(
            text=html.escape(title) if chrome else "",
            x=0,
            xref="paper",
            xanchor="left",
            y=1,
            yref="container",
            yanchor="top",
            pad=dict(t=14),
            font=dict(size=22),
            subtitle=dict(text=html.escape(subtitle) if chrome else "", font=dict(size=13, color=MUTED)),
        ),
        legend=dict(
            x=1,
            xanchor="left",
            y=1,
            yanchor="top",
            font=dict(size=12 if height >= 700 else 11),
            bgcolor="rgba(255,255,255,0.9)",
            tracegroupgap=2,
        ),
        hovermode="closest",
        hoverlabel=dict(bgcolor="white", font=dict(size=12)),
        xaxis=dict(range=[_ts(start), _ts(end)]),
    )
    # Shapes and annotations are collected as plain dicts and set once: Plotly's add_shape and
    # add_annotation copy the whole list on every call, which made a chart take 0.4 s to build.
    shapes: list[dict] = []
    annotations: list[dict] = []
    for i, (d, text, kind, _) in enumerate(top_labels):
        b = boxes[i]
        shift = BAND_PAD + b.row * ROW_H
        color = {"deadline": DEADLINE_COLOR, "today": INK}.get(kind, MUTED)
        dash = {"deadline": "dash", "today": "solid"}.get(kind, "dot")
        line = dict(type="line", xref="x", yref="paper", x0=_ts(d), x1=_ts(d))
        shapes.append(
            line
            | dict(y0=0, y1=1, layer="below", line=dict(color=color, width=1.4 if kind != "event" else 1, dash=dash))
        )
        leader = dict(ysizemode="pixel", yanchor=1, y0=0, y1=shift + ROW_H * 0.7, line=dict(color=color, width=1))
        shapes.append(line | leader)
        annotations.append(
            dict(
                x=_ts(d),
                xref="x",
                y=1,
                yref="paper",
                yanchor="bottom",
                yshift=shift,
                xanchor=b.align,
                xshift=4 if b.align == "left" else -4,
                showarrow=False,
                text=html.escape(text),
                font=dict(size=LABEL_FONT, color=color),
                borderpad=1,
            )
        )
    # Every x axis gets the window explicitly: a shared axis left to autorange would drift from
    # the range the labels were laid out for.
    fig.update_xaxes(
        range=[_ts(start), _ts(end)],
        autorange=False,
        showgrid=True,
        gridcolor="#EEEEEE",
        linecolor="#999999",
        ticks="outside",
        dtick="M12",
        tickformat="%Y",
    )
    if scale == "log":
        fig.update_yaxes(tickvals=[v * 10**e for e in range(1, 7) for v in (1, 2, 5)])
    fig.update_yaxes(showgrid=True, gridcolor="#EEEEEE", tickformat=",", zeroline=True, zerolinecolor="#BBBBBB")
    footer = (
        "Source: US DoD statements and press reports, every point cited on the Sources page · "
        "compiled by the force-posture dashboard · US military personnel only"
    )
    footer_lines = [("footer-source", footer), ("footer-asof", as_of)] if chrome else []
    if link and chrome:
        footer_lines.append(("footer-link", f"Reopen this view: {link}"))
    if _legend_entries(fig) > (height - margin_t - margin_b) // LEGEND_ROW_H:
        # Plotly cuts a legend taller than the plot: the marker key moves to a footer line instead.
        fig.update_traces(showlegend=False, selector=dict(meta="legend-only", mode="markers"))
        footer_lines.insert(
            0,
            (
                "footer-key",
                "Markers: ● acknowledged at the time · ○ press estimate · ◆ disclosed later · "
                "□ authorized cap (dashed line)",
            ),
        )
    for k, (role, text) in enumerate(footer_lines):
        shown = html.escape(text)
        if role == "footer-link":  # a live link in SVG and PDF; in a PNG, the address is there to read
            shown = f'Reopen this view: <a href="{html.escape(link, quote=True)}">{html.escape(link)}</a>'

        annotations.append(
            dict(
                x=0,
                xref="paper",
                y=0,
                yref="paper",
                yanchor="top",
                yshift=-30 - 16 * k,
                xanchor="left",
                xshift=-MARGIN_L + 12,
                showarrow=False,
                text=shown,
                font=dict(size=11 if role != "footer-link" else 10, color=MUTED),
                borderpad=1,
                name=role,
            )
        )
    more_annotations, more_shapes, target_labelled = _point_labels(fig, panels, levels, headline, width, height)
    if target_labelled:  # labelled on the line itself: the legend need not repeat it
        fig.update_traces(showlegend=False, selector=dict(meta="headline-target"))
    fig.update_layout(annotations=annotations + more_annotations, shapes=shapes + more_shapes)
    return fig


LEGEND_ROW_H = 21  # pixels per legend entry at 11-12 px type


def _legend_entries(fig: go.Figure) -> int:
    return sum(1 for t in fig.data if t.showlegend is not False and t.name)


def latest_dates(levels_all: pd.DataFrame, countries: tuple[str, ...]) -> dict[str, pd.Timestamp]:
    out = {}
    for c in countries:
        d = levels_all.loc[levels_all["country"] == c, "date"]
        if len(d):
            out[c] = d.max()
    return out


def _top_labels(miles: pd.DataFrame, countries, today: dt.date, start: dt.date, end: dt.date):
    """(date, text, kind, priority) for the labelled vertical lines: highlights, deadlines, today.
    Priority 0 never gives way; higher numbers give way first when rows run out."""
    relevant = miles[miles["country"].isin([*countries, "Both"])]
    out = []
    for r in relevant.to_dict("records"):
        d = r["date"].date()
        if r["kind"] == "deadline":
            out.append((d, f"{r['label']} ({d:%b %Y})", "deadline", 0))
        elif (d, r["label"]) in HIGHLIGHTS:
            out.append((d, r["label"], "event", 1 + HIGHLIGHTS.index((d, r["label"]))))
    if start <= today <= end:
        out.append((today, f"Today, {fmt_day(today)}", "today", 0))
    return out


def _layout_top_labels(labels, start: dt.date, end: dt.date, plot_w: float, room: float, max_rows: int):
    """Place the labels in rows; while they need more than `max_rows`, drop the least important.
    Labels may run `room` pixels into the right margin: above the plot, the legend is not there."""
    span = (_ts(end) - _ts(start)).total_seconds()
    labels = sorted(labels, key=lambda t: t[3])
    while True:
        anchors = [(_ts(d) - _ts(start)).total_seconds() / span * plot_w for d, *_ in labels]
        widths = [text_width(t, LABEL_FONT) + 8 for _, t, *_ in labels]
        boxes = place_in_rows(anchors, widths, plot_w + room)
        rows = 1 + max((b.row for b in boxes), default=-1)
        if rows <= max_rows or not labels or labels[-1][3] == 0:
            return labels, boxes
        labels = labels[:-1]


def _point_labels(fig, panels, levels, headline, width, height) -> tuple[list[dict], list[dict], bool]:
    """Label each panel's peak and the headline target inside the plot, clear of the data.

    Candidate spots are tried nearest first; a label that has to sit away from what it names
    gets a short leader line. Positions are in paper coordinates, so when the chart is drawn
    wider than it was laid out for, labels keep their place relative to the data.
    """
    m = mapper_for(fig, width, height)
    obstacles = data_boxes(fig, width, height)
    placed: list[tuple] = []
    annotations: list[dict] = []
    shapes: list[dict] = []
    target_labelled = False
    for p in panels:
        domain, _, _ = m.axes[p.yref]
        bounds = (m.x_paper(0) + 2, m.y_paper(domain[1]) + 2, m.x_paper(1) - 2, m.y_paper(domain[0]) - 2)
        for x, yv, text, how in _point_label_jobs(p, levels, headline):
            w, h = text_width(text, LABEL_FONT, bold=True) + 6, LABEL_FONT * 1.25 + 2
            px, py = m.x(x), m.y(yv, p.yref)
            cands = []  # (box, leader x or None)
            if how == "point":
                for dy in (10, 30, 50, 70):
                    for sign in (-1, 1):
                        for x0 in (px - w / 2, px - 10, px - w + 10):
                            y0 = py - dy - h if sign < 0 else py + dy
                            cands.append(((x0, y0, x0 + w, y0 + h), px if dy > 10 else None))
            else:
                x_line = m.x(x)
                for dy in (5, 28, 52, 76, 100):
                    for sign in (-1, 1):
                        xr = m.x_paper(1) - 4
                        while xr - w >= x_line:
                            y0 = py - dy - h if sign < 0 else py + dy
                            cands.append(((xr - w, y0, xr, y0 + h), xr - 8 if dy > 5 else None))
                            xr -= m.plot_w * 0.03
            k = first_free([c[0] for c in cands], np.vstack([obstacles, np.array(placed).reshape(-1, 4)]), bounds)
            if k is None:
                continue  # no clear spot: better no label than one over the data (hover still has it)
            box, leader = cands[k]
            placed.append(box)
            target_labelled = target_labelled or how == "line"
            fx = (box[0] - m.margin["l"]) / m.plot_w
            fy = 1 - (box[1] - m.margin["t"]) / m.plot_h
            annotations.append(
                dict(
                    x=fx,
                    xref="paper",
                    y=fy,
                    yref="paper",
                    xanchor="left",
                    yanchor="top",
                    showarrow=False,
                    text=f"<b>{html.escape(text)}</b>",
                    font=dict(size=LABEL_FONT, color=INK),
                    borderpad=1,
                )
            )
            if leader is not None:
                edge = box[3] if box[3] < py else box[1]
                shapes.append(
                    dict(
                        type="line",
                        xref="paper",
                        yref="paper",
                        x0=(leader - m.margin["l"]) / m.plot_w,
                        x1=(leader - m.margin["l"]) / m.plot_w,
                        y0=1 - (edge - m.margin["t"]) / m.plot_h,
                        y1=1 - (py - m.margin["t"]) / m.plot_h,
                        line=dict(color=INK, width=1),
                    )
                )
    return annotations, shapes, target_labelled


def _point_label_jobs(p: Panel, levels: pd.DataFrame, headline: pd.DataFrame):
    """(x, y, text, how) for the in-plot labels of one panel: its peak and the headline target."""
    df = levels[(levels["country"] == p.country) & (levels["basis"] != "authorized")]
    jobs = []
    if len(df):
        peak = int(df["troops"].max())
        at_peak = df[df["troops"] == peak]
        chosen = [at_peak[at_peak["basis"] == b].head(1) for b in ("acknowledged", "disclosed")]
        chosen = [c for c in chosen if len(c)] or [at_peak.head(1)]
        for c in chosen:
            r = c.iloc[0]
            text = f"Peak {format_level(peak, str(r['qualifier']))} {r['basis']}, {r['date']:%b %Y}"
            jobs.append((r["date"], peak, text, "point"))
    if p.country == HEADLINE_TARGET[0]:
        for r in headline.to_dict("records"):
            jobs.append((r["date"], int(r["value"]), f"Target: fewer than {int(r['value']):,}", "line"))
    return jobs


def overlapping_pairs(boxes: list[tuple[str, tuple]]) -> list[tuple[str, str]]:
    """Every pair of labels whose boxes intersect (empty when the layout is clear)."""
    out = []
    for i, (ta, a) in enumerate(boxes):
        for tb, b in boxes[i + 1 :]:
            if boxes_overlap(a, b):
                out.append((ta, tb))
    return out
