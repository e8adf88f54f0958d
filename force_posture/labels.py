"""Place chart labels so that none overlaps another: a small, testable layout routine.

Labels for dated lines (milestones, deadlines, today) sit in staggered rows above the plot.
Each label starts at its date (or ends there, near the right edge) and a leader line joins it
to the plot. Rows are assigned right to left, and a label always goes above every label whose
leader it would otherwise sit on, so leaders never cut through text. All sizes are in pixels.

Positions scale with the plot's width while text does not, so a layout that is clear at the
smallest supported width stays clear at every larger one.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

FONT_FAMILY = "Liberation Sans, Arial, Helvetica, sans-serif"
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


def text_width(text: str, size: int = 12, bold: bool = False) -> float:
    """Width in pixels of `text` as Chromium draws it in Liberation Sans (Arial's metric twin).

    Measured with the font file when it is installed; otherwise a deliberately generous
    estimate (0.62 em per character), so that layouts err on the side of more room.
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


def place_in_rows(anchors: list[float], widths: list[float], plot_width: float, gap: float = 10) -> list[Box]:
    """Assign each label a row (0 = nearest the plot) so that no two labels in a row overlap
    (with `gap` pixels between them) and no label covers the leader of a label in a lower row.

    `plot_width` is how far right a label may reach; one that would pass it ends at its anchor
    instead. (Two such labels crowded at the right edge could force a leader beside, never
    through, a label's text; the charts give the band room in the right margin so they don't.)
    """
    spans = [_interval(a, w, plot_width) for a, w in zip(anchors, widths, strict=True)]
    rows: dict[int, int] = {}
    for i in sorted(range(len(anchors)), key=lambda k: (-anchors[k], k)):
        x0, x1 = spans[i]
        # Sit above every placed label whose leader stands under this one's text.
        row = max((rows[j] + 1 for j in rows if x0 - gap <= anchors[j] <= x1 + gap), default=0)
        while any(rows[j] == row and spans[j][0] < x1 + gap and x0 < spans[j][1] + gap for j in rows):
            row += 1
        rows[i] = row
    return [Box(spans[i][0], spans[i][1], rows[i], anchors[i]) for i in range(len(anchors))]


def boxes_overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    """True when two (x0, y0, x1, y1) rectangles share any area."""
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def first_free(candidates, obstacles, bounds: tuple[float, float, float, float]) -> int | None:
    """Index of the first candidate box (x0, y0, x1, y1) that stays inside `bounds` and touches
    no obstacle; obstacles is any N x 4 array-like (checked all at once: there can be thousands)."""
    import numpy as np

    obs = np.asarray(obstacles, dtype="float64").reshape(-1, 4)
    for k, (x0, y0, x1, y1) in enumerate(candidates):
        if not (bounds[0] <= x0 and x1 <= bounds[2] and bounds[1] <= y0 and y1 <= bounds[3]):
            continue
        hit = (obs[:, 0] < x1) & (x0 < obs[:, 2]) & (obs[:, 1] < y1) & (y0 < obs[:, 3])
        if not hit.any():
            return k
    return None
