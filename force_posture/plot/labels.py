"""Place chart labels so that none overlaps another: a small, testable layout routine.

Labels for dated lines (milestones, deadlines, today) sit in staggered rows above the plot.
Each label starts at its date (or ends there, near the right edge) and a leader line joins it
to the plot. Rows are assigned right to left, and a label always goes above every label whose
leader it would otherwise sit on, so leaders never cut through text. All sizes are in pixels.

Positions scale with the plot's width while text does not, so a layout that is clear at the
smallest supported width stays clear at every larger one.
"""

from __future__ import annotations

import datetime as dt
import html
import math
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from force_posture.core.style import BAND_PAD, FONT_FAMILY, INK, LABEL_FONT, ROW_H

if TYPE_CHECKING:
    import plotly.graph_objects as go

    FigureLike = dict | go.Figure

Rect = tuple[float, float, float, float]  # a box on the page: x0, y0, x1, y1 in pixels

__all__ = ["FONT_FAMILY", "text_width"]  # FONT_FAMILY is re-exported: the width measure assumes it
_FONT_FILES = {
    False: Path("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf"),
    True: Path("/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf"),
}


# One FreeType face per size is shared by every session's thread; FreeType faces are not safe for
# concurrent use, so measuring holds this lock (a measurement takes microseconds).
_font_lock = threading.Lock()


@lru_cache(maxsize=8)
def _font(size: int, bold: bool):
    path = _FONT_FILES[bold]
    if not path.is_file():
        return None
    from PIL import ImageFont

    return ImageFont.truetype(str(path), size)


@lru_cache(maxsize=8192)
def text_width(text: str, size: int = 12, bold: bool = False) -> float:
    """Width in pixels of `text` as Chromium draws it in Liberation Sans (Arial's metric twin).

    Measured with the font file when it is installed; otherwise a deliberately generous
    estimate (0.62 em per character), so that layouts err on the side of more room. Remembered: a
    chart measures the same few hundred words on every build.
    """
    font = _font(size, bold)
    if font is None:
        return 0.62 * size * len(text)
    with _font_lock:
        return float(font.getlength(text))


@dataclass(frozen=True)
class Box:
    """A label's horizontal extent and row; `anchor` is where its leader line stands."""

    x0: float
    x1: float
    row: int
    anchor: float

    @property
    def align(self) -> str:
        return "left" if self.anchor <= self.x0 + 0.5 else "right"


def _interval(anchor: float, width: float, plot_width: float) -> tuple[float, float]:
    if anchor + width <= plot_width:
        return anchor, anchor + width
    return anchor - width, anchor


def place_in_rows(
    anchors: list[float],
    widths: list[float],
    plot_width: float,
    gap: float = 10,
    left_room: float = 0,
    turned: frozenset[int] = frozenset(),
) -> list[Box]:
    """Assign each label a row (0 = nearest the plot) so that no two labels in a row overlap
    (with `gap` pixels between them) and no leader crosses a label's text: a label whose text
    stands over another's leader sits above it, whichever side either is on.

    `plot_width` is how far right a label may reach; one that would pass it ends at its anchor
    instead. Two labels each over the other's leader cannot be stacked: one turns to its other side
    where it fits (reaching up to `left_room` pixels left of the plot) and clears those before it
    (labels come most important first). Where leaders still cross, the caller drops or shortens one.
    The labels in `turned` start on their other side, where it fits.
    """
    n = len(anchors)
    spans = [_interval(a, w, plot_width) for a, w in zip(anchors, widths, strict=True)]

    def turn(i: int) -> bool:  # to the other side of its line, where that fits
        a, w = anchors[i], widths[i]
        other = (a - w, a) if spans[i][0] == a else (a, a + w)
        fits = -left_room <= other[0] and other[1] <= plot_width
        spans[i] = other if fits else spans[i]
        return fits

    for i in turned:
        turn(i)

    def covers(i: int, j: int, pad: float = gap) -> bool:  # i's text (with `pad` around it) over j's leader
        return i != j and spans[i][0] - pad <= anchors[j] <= spans[i][1] + pad

    for i in range(n):  # text over each other's leaders: turn one to its other side, where that clears it
        if any(covers(i, j, 0) and covers(j, i, 0) for j in range(n)):
            was = spans[i]
            if turn(i) and any(covers(i, j, 0) and covers(j, i, 0) for j in range(i)):
                spans[i] = was
    order = sorted(range(n), key=lambda k: (-anchors[k], k))  # right to left: the right end's labels stay low
    pos = {k: p for p, k in enumerate(order)}

    def above(i: int, j: int) -> bool:  # i must sit above j
        if not covers(i, j):
            return False
        if not covers(j, i):
            return True
        # Each over the other's leader: the one whose text (not only its gap) is over the other's
        # leader sits above; where both or neither are, the later placed (the left one).
        text_ij, text_ji = covers(i, j, 0), covers(j, i, 0)
        return text_ij and not text_ji or text_ij == text_ji and pos[i] > pos[j]

    under = [[j for j in range(n) if above(i, j)] for i in range(n)]  # the labels each must sit above
    rows = [0] * n
    for _ in range(2 * n + 2):  # rows only rise, so this settles unless leaders cross in a ring
        changed = False
        for k, i in enumerate(order):
            row = max([rows[i], *(rows[j] + 1 for j in under[i])])
            while any(
                rows[j] == row and spans[j][0] < spans[i][1] + gap and spans[i][0] < spans[j][1] + gap
                for j in order[:k]
            ):
                row += 1
            changed |= row != rows[i]
            rows[i] = row
        if not changed:
            break
    return [Box(spans[i][0], spans[i][1], rows[i], anchors[i]) for i in range(n)]


def boxes_overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    """True when two (x0, y0, x1, y1) rectangles share any area."""
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def first_free(candidates: Sequence[Rect], obstacles: np.ndarray | Sequence[Rect], bounds: Rect) -> int | None:
    """Index of the first candidate box (x0, y0, x1, y1) that stays inside `bounds` and touches
    no obstacle; obstacles is any N x 4 array-like (checked all at once: there can be thousands)."""
    obs = np.asarray(obstacles, dtype="float64").reshape(-1, 4)
    for k, (x0, y0, x1, y1) in enumerate(candidates):
        if not (bounds[0] <= x0 and x1 <= bounds[2] and bounds[1] <= y0 and y1 <= bounds[3]):
            continue
        hit = (obs[:, 0] < x1) & (x0 < obs[:, 2]) & (obs[:, 1] < y1) & (y0 < obs[:, 3])
        if not hit.any():
            return k
    return None


# ---- geometry of a laid-out figure --------------------------------------------------------------
# These read a figure as plain JSON ({"data": [...], "layout": {...}}, or a go.Figure, turned into
# that): the chart builder lays labels out before it makes the Plotly figure, and tests check the
# finished one with the same code.


def _plain(fig) -> dict:
    return fig if isinstance(fig, dict) else fig.to_plotly_json()


def _ts(d) -> pd.Timestamp:
    return pd.Timestamp(d)


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

    def x(self, value: dt.date | pd.Timestamp) -> float:
        x0, x1 = self.x_range
        return self.margin["l"] + (_ts(value) - x0) / (x1 - x0) * self.plot_w

    def x_paper(self, frac: float) -> float:
        return self.margin["l"] + frac * self.plot_w

    def y_paper(self, frac: float) -> float:
        return self.margin["t"] + (1 - frac) * self.plot_h

    def y(self, value: float, yref: str, already_log: bool = False) -> float:
        domain, rng, is_log = self.axes[yref]
        v = math.log10(max(value, 1e-9)) if is_log and not already_log else value
        frac = (v - rng[0]) / (rng[1] - rng[0])
        return self.y_paper(domain[0] + frac * (domain[1] - domain[0]))

    def paper(self, px: float, py: float) -> tuple[float, float]:
        """Pixels back to paper fractions (0 to 1 across and up the plot area)."""
        return (px - self.margin["l"]) / self.plot_w, 1 - (py - self.margin["t"]) / self.plot_h


def mapper_for(fig: FigureLike, width: float, height: float) -> Mapper:
    lay = _plain(fig)["layout"]
    margin = {k: lay["margin"][k] for k in ("l", "r", "t", "b")}
    xr = lay["xaxis"]["range"]
    axes = {
        "y" + key[5:]: (tuple(ax.get("domain", (0, 1))), tuple(ax["range"]), ax.get("type") == "log")
        for key, ax in lay.items()
        if key.startswith("yaxis")
    }
    return Mapper(width, height, margin, (_ts(xr[0]), _ts(xr[1])), axes)


def _strip_tags(text: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", text))


def annotation_boxes(fig: FigureLike, width: float, height: float) -> list[tuple[str, tuple]]:
    """(text, (x0, y0, x1, y1)) in pixels for every annotation, as Plotly would draw it."""
    m = mapper_for(fig, width, height)
    out = []
    for a in _plain(fig)["layout"].get("annotations", ()):
        size, text, pad = a.get("font", {}).get("size") or LABEL_FONT, a.get("text") or "", a.get("borderpad") or 1
        lines = text.split("<br>")
        w = max(text_width(_strip_tags(line), size, text.startswith("<b>")) for line in lines) + 2 * pad + 2
        h = len(lines) * size * 1.25 + 2 * pad
        x = m.x_paper(a["x"]) if a.get("xref") == "paper" else m.x(a["x"])
        y = m.y_paper(a["y"]) if a.get("yref") == "paper" else m.y(a["y"], a["yref"], already_log=True)
        x, y = x + (a.get("xshift") or 0), y - (a.get("yshift") or 0)
        x0 = {"left": x, "right": x - w}.get(a.get("xanchor"), x - w / 2)
        y0 = {"top": y, "bottom": y - h}.get(a.get("yanchor"), y - h / 2)
        out.append((_strip_tags(text), (x0, y0, x0 + w, y0 + h)))
    return out


def line_boxes(fig: FigureLike, width: float, height: float, pad: float = 0) -> list[tuple[str, tuple]]:
    """(what, (x0, y0, x1, y1)) in pixels for every line shape (the milestone, deadline and today
    lines, their leaders, the point labels' leaders), widened by `pad` on each side."""
    m = mapper_for(fig, width, height)
    out = []
    for s in _plain(fig)["layout"].get("shapes", ()):
        if s.get("type") != "line":
            continue
        xs = [m.x_paper(s[k]) if s.get("xref") == "paper" else m.x(s[k]) for k in ("x0", "x1")]
        if s.get("ysizemode") == "pixel":  # offsets in pixels up from an anchor
            anchor = m.y_paper(s.get("yanchor", 0))
            ys = [anchor - s[k] for k in ("y0", "y1")]
        elif s.get("yref", "paper") == "paper":
            ys = [m.y_paper(s[k]) for k in ("y0", "y1")]
        else:
            ys = [m.y(s[k], s["yref"]) for k in ("y0", "y1")]
        what = f"line at {str(s['x0'])[:10]}" if s.get("xref") != "paper" else "a leader line"
        out.append((what, (min(xs) - pad, min(ys) - pad, max(xs) + pad, max(ys) + pad)))
    return out


def crossed_labels(fig: FigureLike, width: float, height: float) -> list[tuple[str, str]]:
    """Every (label, line) where a line shape runs through a label's text, more than a pixel inside
    its box (a label's own line stands beside it, outside its box)."""
    lines = line_boxes(fig, width, height)
    return [
        (text, what)
        for text, (x0, y0, x1, y1) in annotation_boxes(fig, width, height)
        for what, (lx0, ly0, lx1, ly1) in lines
        if x0 + 1 < lx1 and lx0 < x1 - 1 and y0 + 1 < ly1 and ly0 < y1 - 1
    ]


def overlapping_pairs(boxes: list[tuple[str, tuple]]) -> list[tuple[str, str]]:
    """Every pair of labels whose boxes intersect (empty when the layout is clear)."""
    return [(ta, tb) for i, (ta, a) in enumerate(boxes) for tb, b in boxes[i + 1 :] if boxes_overlap(a, b)]


def _xs_px(m: Mapper, xs) -> np.ndarray:
    x0, x1 = m.x_range
    t = _as_datetimes(xs).astype("int64")
    return m.margin["l"] + (t - x0.value) / (x1.value - x0.value) * m.plot_w


def _as_datetimes(xs) -> np.ndarray:
    """Dates (timestamps, ISO strings, None) as datetime64[ns], NaT where one is not a date. NumPy reads
    the usual case directly; pandas, six times slower on a chart's few hundred values, reads the rest."""
    try:
        return np.asarray(xs, dtype="datetime64[ns]")
    except (TypeError, ValueError):
        return pd.to_datetime(pd.Series(list(xs)), errors="coerce").to_numpy(dtype="datetime64[ns]")


def _ys_px(m: Mapper, ys, yref: str) -> np.ndarray:
    domain, rng, is_log = m.axes[yref]
    try:
        v = np.asarray(ys, dtype="float64")
    except (TypeError, ValueError):
        v = np.asarray(pd.to_numeric(pd.Series(list(ys)), errors="coerce"), dtype="float64")
    if is_log:
        with np.errstate(divide="ignore", invalid="ignore"):
            v = np.log10(np.maximum(v, 1e-9))
    frac = (v - rng[0]) / (rng[1] - rng[0])
    return m.margin["t"] + (1 - (domain[0] + frac * (domain[1] - domain[0]))) * m.plot_h


def _segment_boxes(tr: dict, xs: np.ndarray, ys: np.ndarray, pad: float) -> list[np.ndarray]:
    mode, found = tr.get("mode") or "", []
    if tr.get("fill") == "toself":
        return [np.array([[xs.min(), ys.min(), xs.max(), ys.max()]])]
    if "markers" in mode:
        r = (tr.get("marker", {}).get("size") or 6) / 2 + pad
        found.append(np.column_stack([xs - r, ys - r, xs + r, ys + r]))
    if "lines" in mode and len(xs) > 1:
        xa, xb, ya, yb = xs[:-1], xs[1:], ys[:-1], ys[1:]
        lo_x, hi_x = np.minimum(xa, xb) - pad, np.maximum(xa, xb) + pad
        if tr.get("line", {}).get("shape") == "hv":  # across at the old level, then up or down at the new date
            found.append(np.column_stack([lo_x, ya - pad, hi_x, ya + pad]))
            found.append(np.column_stack([xb - pad, np.minimum(ya, yb) - pad, xb + pad, np.maximum(ya, yb) + pad]))
        else:
            found.append(np.column_stack([lo_x, np.minimum(ya, yb) - pad, hi_x, np.maximum(ya, yb) + pad]))
    return found


def data_boxes(fig: FigureLike, width: float, height: float, pad: float = 3) -> np.ndarray:
    """Pixel boxes (x0, y0, x1, y1), one row each, of everything that shows data: markers, line
    segments and shaded bands (not the zone that marks the silence after the latest figure), clipped
    to their panel as Plotly clips them (a log axis sends a zero far below its panel). Vectorised: a
    scenario can bring thousands of points."""
    m = mapper_for(fig, width, height)
    out = [np.empty((0, 4))]
    for tr in _plain(fig)["data"]:
        if tr.get("x") is None or tr.get("y") is None or tr.get("meta") in ("legend-only", "silence"):
            continue
        yref = tr.get("yaxis") or "y"
        xs, ys = _xs_px(m, tr["x"]), _ys_px(m, tr["y"], yref)
        ok = ~(np.isnan(xs) | np.isnan(ys))
        found = _segment_boxes(tr, xs[ok], ys[ok], pad) if ok.any() else []
        if not found:  # a one-point line draws nothing
            continue
        boxes = np.vstack(found)
        if tr.get("cliponaxis") is not False:
            domain = m.axes[yref][0]
            boxes[:, 1] = np.maximum(boxes[:, 1], m.y_paper(domain[1]))
            boxes[:, 3] = np.minimum(boxes[:, 3], m.y_paper(domain[0]))
            boxes = boxes[boxes[:, 1] <= boxes[:, 3]]
        out.append(boxes)
    return np.vstack(out)


@dataclass(frozen=True)
class TopLabel:
    """A labelled vertical line above the plot: a deadline, a milestone or today."""

    date: pd.Timestamp
    text: str
    kind: str  # deadline | event | today
    priority: int  # 0 never gives way; higher numbers give way first
    shorter: tuple[str, ...] = ()  # shorter words, in turn, where its own do not fit (a narrow chart)


def crossed_leaders(boxes: list[Box]) -> list[tuple[int, int]]:
    """(i, j) for every label i whose text the leader of a label j in a higher row runs through
    (more than a pixel inside it)."""
    return [
        (i, j)
        for i, a in enumerate(boxes)
        for j, b in enumerate(boxes)
        if b.row > a.row and a.x0 + 1 < b.anchor < a.x1 - 1
    ]


def _rows(boxes: list[Box]) -> int:
    return 1 + max((b.row for b in boxes), default=-1)


@lru_cache(maxsize=1024)
def _placed(
    anchors: tuple[float, ...], widths: tuple[float, ...], plot_width: float, left_room: float, turned=frozenset()
) -> tuple[Box, ...]:
    """place_in_rows, kept: a chart's top labels are placed again and again with the same words at the same
    places (each of a build's label passes, and every chart of a view and width, scenarios or not)."""
    return tuple(place_in_rows(list(anchors), list(widths), plot_width, left_room=left_room, turned=turned))


def layout_top_labels(
    labels: list[TopLabel],
    start: dt.date,
    end: dt.date,
    plot_w: float,
    room: float,
    max_rows: int,
    left_room: float = 0,
) -> tuple[list[TopLabel], list[Box], list[TopLabel]]:
    """Place the labels in rows; while they need more than `max_rows`, drop the least important.
    Labels may run `room` pixels into the right margin: above the plot, the legend is not there (and
    `left_room` into the left one, to clear another's leader). A
    label too wide for either side of its line, or one of two whose leaders would each run through
    the other's text, takes its shorter words, or gives way if it has none (never at priority 0).
    Returns the labels kept (most important first), their boxes, and the labels that gave way."""
    span = (_ts(end) - _ts(start)).total_seconds()
    labels = sorted(labels, key=lambda t: t.priority)
    dropped: list[TopLabel] = []

    def can_shorten(t: TopLabel) -> bool:
        return bool(t.shorter)

    while True:
        anchors = [(_ts(t.date) - _ts(start)).total_seconds() / span * plot_w for t in labels]
        widths = [text_width(t.text, LABEL_FONT) + 8 for t in labels]
        cramped = {i for i, (a, w) in enumerate(zip(anchors, widths, strict=True)) if a + w > plot_w + room and a < w}
        if not cramped:
            boxes = _placed(tuple(anchors), tuple(widths), plot_w + room, left_room)
            for pair in crossed_leaders(boxes):  # one of the two gives way: the least important, else the wider
                best = max(pair, key=lambda k: (labels[k].priority, can_shorten(labels[k]), widths[k]))
                if labels[best].priority or can_shorten(labels[best]):
                    cramped = {best}
                    break
        shorten = {i for i in cramped if can_shorten(labels[i])}
        give_way = {i for i in cramped - shorten if labels[i].priority}
        if shorten or give_way:
            dropped += [labels[i] for i in sorted(give_way)]
            labels = [
                replace(t, text=t.shorter[0], shorter=t.shorter[1:]) if i in shorten else t
                for i, t in enumerate(labels)
                if i not in give_way
            ]
            continue
        boxes = _placed(tuple(anchors), tuple(widths), plot_w + room, left_room)
        rows, turned = _rows(boxes), frozenset()
        for i in range(len(labels) if rows > max_rows else 0):  # a label on its other side may save a row
            trial = _placed(tuple(anchors), tuple(widths), plot_w + room, left_room, turned ^ {i})
            if _rows(trial) < rows and not crossed_leaders(trial):
                boxes, rows, turned = trial, _rows(trial), turned ^ {i}
        if rows <= max_rows or not labels or labels[-1].priority == 0:
            return labels, list(boxes), sorted(dropped, key=lambda t: t.date)
        dropped.append(labels[-1])
        labels = labels[:-1]


def wrap_to_width(text: str, width: float, size: int) -> list[str]:
    """Split plain text into lines no wider than `width` pixels at `size` px (words are kept whole)."""
    lines, line = [], ""
    for word in text.split(" "):
        trial = f"{line} {word}".strip()
        if line and text_width(trial, size) > width:
            lines.append(line)
            line = word
        else:
            line = trial
    return [*lines, line] if line else lines


@dataclass(frozen=True)
class PointLabel:
    """A label inside the plot: at a point (a peak) or along a line to the right of x (a target)."""

    x: pd.Timestamp
    y: float
    yref: str
    text: str
    how: str  # point | line


def _candidates(m: Mapper, job: PointLabel, w: float, h: float) -> list[tuple[tuple, float | None]]:
    """Spots to try, nearest first: (box, x of a leader line or None)."""
    px, py, out = m.x(job.x), m.y(job.y, job.yref), []
    if job.how == "point":
        for dy in (10, 30, 50, 70):
            for sign in (-1, 1):
                for x0 in (px - w / 2, px - 10, px - w + 10, px + 6, px - w - 6):  # the last two: beside a line at px
                    y0 = py - dy - h if sign < 0 else py + dy
                    out.append(((x0, y0, x0 + w, y0 + h), px if dy > 10 else None))
        return out
    for dy in (5, 28, 52, 76, 100):
        for sign in (-1, 1):
            xr = m.x_paper(1) - 4
            while xr - w >= px:
                y0 = py - dy - h if sign < 0 else py + dy
                out.append(((xr - w, y0, xr, y0 + h), xr - 8 if dy > 5 else None))
                xr -= m.plot_w * 0.03
    return out


def point_label_width(text: str) -> float:
    """Pixels a label inside the plot takes across (bold, with its padding)."""
    return text_width(text, LABEL_FONT, bold=True) + 6


def place_point_labels(fig: FigureLike, jobs: list[PointLabel], width: float, height: float) -> None:
    """Put each in-plot label in the nearest spot clear of the data and of the labels before it; a
    label that has to sit away from what it names gets a short leader line. Positions are in paper
    coordinates, so a chart drawn wider than it was laid out for keeps labels beside their data.
    A label with no clear spot is left out (hover still has it). Returns (annotations, shapes, placed)."""
    m = mapper_for(fig, width, height)
    lines = np.array([box for _, box in line_boxes(fig, width, height, pad=1)]).reshape(-1, 4)
    obstacles, placed, annotations, shapes, done = np.vstack([data_boxes(fig, width, height), lines]), [], [], [], []
    for job in jobs:
        domain = m.axes[job.yref][0]
        bounds = (m.x_paper(0) + 2, m.y_paper(domain[1]) + 2, m.x_paper(1) - 2, m.y_paper(domain[0]) - 2)
        w, h = point_label_width(job.text), LABEL_FONT * 1.25 + 2
        cands = _candidates(m, job, w, h)
        k = first_free([c[0] for c in cands], np.vstack([obstacles, np.array(placed).reshape(-1, 4)]), bounds)
        if k is None:
            continue
        box, leader = cands[k]
        placed.append(box)
        done.append(job)
        fx, fy = m.paper(box[0], box[1])
        annotations.append(
            dict(
                x=fx,
                xref="paper",
                y=fy,
                yref="paper",
                xanchor="left",
                yanchor="top",
                showarrow=False,
                text=f"<b>{html.escape(job.text)}</b>",
                font=dict(size=LABEL_FONT, color=INK),
                borderpad=1,
            )
        )
        if leader is not None:
            py = m.y(job.y, job.yref)
            lx, top = m.paper(leader, box[3] if box[3] < py else box[1])
            shapes.append(
                dict(
                    type="line",
                    xref="paper",
                    yref="paper",
                    x0=lx,
                    x1=lx,
                    y0=top,
                    y1=m.paper(leader, py)[1],
                    line=dict(color=INK, width=1),
                )
            )
    return annotations, shapes, done


def top_label_rows_height(rows: int) -> int:
    """Pixels the label rows take above the plot."""
    return BAND_PAD + rows * ROW_H
