"""The drawing's own contrast against the plot background (WCAG 1.4.11 and 1.4.3): every line, marker
and deadline at least 3:1, every label and axis text at least 4.5:1, in every view the app draws."""

import re

import pandas as pd
import pytest

from force_posture.core import style
from force_posture.core.view import View
from force_posture.plot import charts
from tests.conftest import TODAY

NAMED = {"white": (255, 255, 255), "black": (0, 0, 0)}


def rgba(colour: str) -> tuple[float, float, float, float]:
    """A Plotly colour string (#rgb, #rrggbb, rgb(), rgba(), white/black) as (r, g, b, alpha)."""
    colour = colour.strip().lower()
    if colour in NAMED:
        return (*NAMED[colour], 1.0)
    if m := re.fullmatch(r"#([0-9a-f]{3}|[0-9a-f]{6})", colour):
        h = m.group(1) if len(m.group(1)) == 6 else "".join(c * 2 for c in m.group(1))
        return (int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16), 1.0)
    if m := re.fullmatch(r"rgba?\(([^)]*)\)", colour):
        parts = [float(p) for p in m.group(1).split(",")]
        return (parts[0], parts[1], parts[2], parts[3] if len(parts) == 4 else 1.0)
    raise ValueError(f"not a colour this test reads: {colour!r}")


def contrast(colour: str, background: str) -> float:
    """WCAG contrast ratio of `colour` (composited over the background if translucent) on `background`."""
    br, bg, bb, _ = rgba(background)
    r, g, b, a = rgba(colour)
    over = (r * a + br * (1 - a), g * a + bg * (1 - a), b * a + bb * (1 - a))

    def luminance(rgb) -> float:
        lin = [(c / 255 / 12.92) if c / 255 <= 0.04045 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((luminance(over), luminance((br, bg, bb))), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_the_contrast_formula_gives_wcags_reference_values():
    assert round(contrast("#000000", "white"), 1) == 21.0
    assert round(contrast("#767676", "#ffffff"), 2) == 4.54  # the lightest grey that passes 4.5:1 on white
    assert round(contrast("rgba(0,0,0,0.6)", "white"), 6) == round(contrast("#666666", "white"), 6)  # composited


def _marks(fig) -> list[tuple[str, str, float]]:
    """(what, colour, required ratio) for every mark a reader must tell from the background."""
    layout = fig.layout
    ink = layout.font.color
    marks = [("chart text", ink, 4.5), ("legend text", (layout.legend.font and layout.legend.font.color) or ink, 4.5)]
    for t in fig.data:
        if t.fill:  # a filled area (disagreement band, silence zone): its meaning is in its legend entry and
            continue  # hover; the lines and markers drawn over it are what this test checks
        mode = t.mode or ""
        if "lines" in mode and (t.line.width is None or t.line.width > 0):
            marks.append((f"line of {t.name}", t.line.color, 3.0))
        if "markers" in mode:
            fill = t.marker.color if isinstance(t.marker.color, str) else None
            edge = t.marker.line.color if t.marker.line and isinstance(t.marker.line.color, str) else None
            # a hollow marker is seen by its outline; a filled one by its fill
            seen = edge if fill is None or rgba(fill)[:3] == rgba(layout.plot_bgcolor)[:3] else fill
            marks.append((f"markers of {t.name}", seen, 3.0))
    for s in layout.shapes:
        if s.type == "line" and s.line.color:
            marks.append((f"line shape at {s.x0}", s.line.color, 3.0))
    for a in layout.annotations:
        marks.append((f"label {a.text!r}", (a.font and a.font.color) or ink, 4.5))
    return marks


SCENARIO = pd.DataFrame(
    {
        "scenario": ["Plan", "Plan"],
        "date": [pd.Timestamp("2026-03-01"), pd.Timestamp("2026-12-01")],
        "country": ["Syria", "Syria"],
        "troops": [700, 0],
    }
)
VIEWS = {
    "overview": dict(),
    "syria": dict(countries=("Syria",)),
    "iraq, since 2003, log": dict(countries=("Iraq",), view=View(window="since-2003", scale="log")),
    "overview with a scenario": dict(scenarios=SCENARIO),
    "overview at a phone's width": dict(width=360, label_rows=3),
}


@pytest.mark.parametrize("theme", style.THEMES)
@pytest.mark.parametrize("name", list(VIEWS))
def test_every_line_marker_and_label_stands_out_from_the_plot_background(ds, name, theme):
    fig = charts.build_chart(ds, charts.ChartSpec(today=TODAY, theme=theme, **VIEWS[name]))
    background = fig.layout.plot_bgcolor
    assert background == style.colour("white", theme) and fig.layout.paper_bgcolor == background
    marks = _marks(fig)
    assert len(marks) > 20  # every kind of mark was found: lines, markers, deadline shapes, labels
    weak = [
        f"{what}: {colour} is {contrast(colour, background):.2f}:1 on {background}"
        for what, colour, need in marks
        if contrast(colour, background) < need
    ]
    assert weak == []


@pytest.mark.parametrize("theme", style.THEMES)
def test_the_palette_itself_meets_the_ratios_in_each_theme(theme):
    background = style.colour(style.BACKGROUND, theme)
    for colour in style.COUNTRY_COLORS.values():
        assert contrast(style.colour(colour, theme), background) >= 3.0  # lines and markers
    for colour in (style.INK, style.MUTED, style.DEADLINE_COLOR):
        assert contrast(style.colour(colour, theme), background) >= 4.5  # they also colour labels


def test_the_dark_chart_keeps_no_colour_of_the_light_one_that_has_a_dark_counterpart(ds):
    """Every mark is recoloured in one place (style.in_theme): a colour the dark palette translates never
    survives into a dark figure, in any trace, shape, annotation or the layout."""
    spec = charts.ChartSpec(today=TODAY, scenarios=SCENARIO, theme="dark")
    seen = re.findall(r'"(#[0-9A-Fa-f]{6}|white|rgba?\([^)]*\))"', charts.build_chart(ds, spec).to_json())
    assert seen and not set(seen) & set(style.DARK)
    assert style.DARK[style.BACKGROUND] in seen and style.DARK[style.INK] in seen


def test_an_unknown_theme_is_refused_in_words(ds):
    with pytest.raises(ValueError, match="unknown theme 'sepia'; choose one of light, dark"):
        charts.build_chart(ds, charts.ChartSpec(today=TODAY, theme="sepia"))
