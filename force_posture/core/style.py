"""How the charts look: palette, basis symbols, dashes, fonts and the pixel layout. Nothing here
knows about the data; charts.py and labels.py read it."""

from __future__ import annotations

from typing import TypeVar

# Okabe-Ito, safe for the common colour-vision deficiencies; one colour per country everywhere.
COUNTRY_COLORS = {"Syria": "#D55E00", "Iraq": "#0072B2"}
INK = "#222222"
MUTED = "#666666"
DEADLINE_COLOR = "#7A1F5C"
BAND_FILL = "rgba(213,94,0,0.13)"
GRID = "#EEEEEE"
BACKGROUND = "white"  # the plot and the paper; also the fill of a hollow marker
AXIS_LINE, ZERO_LINE = "#999999", "#BBBBBB"
SILENCE_FILL = "rgba(110,110,110,0.10)"  # where the record says nothing for a while
LEGEND_BG = "rgba(255,255,255,0.9)"
TEMPLATE = "plotly_white"

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
MARKER_KEY = (
    "Markers: ● acknowledged at the time · ○ press estimate · ◆ disclosed later · □ authorized cap (dashed line) "
    "· ✱ in a marker: a single source (one outlet)"
)
SINGLE_SYMBOL = "asterisk-open"  # drawn over a single-source point's marker, in its own colour: no new colour
SINGLE_LEGEND = "Single source (✱)"
# never plain "dash": that is the authorized caps' line, in the same country colour
SCENARIO_DASHES = ("dot", "dashdot", "longdash", "longdashdot", "2px,3px,8px,3px")
LEGEND_NAME_MAX = 24

FONT_FAMILY = "Liberation Sans, Arial, Helvetica, sans-serif"
LABEL_FONT = 12

# Pixel layout. Exports default to 1600 x 900; labels are laid out for the width given, and on
# screen for the narrowest width the chart is shown at (labels clear there stay clear wider).
MARGIN_L, MARGIN_R, MARGIN_B = 76, 206, 100
TITLE_H = 84
BAND_PAD, ROW_H = 8, 19
MIN_LAYOUT_WIDTH = 960
LABEL_BAND_SHARE = 0.2  # the label rows above the plot take at most this share of the height
LEGEND_ROW_H = 21  # pixels per legend entry at 11-12 px type
# Below this layout width (a phone, a narrow window) the legend moves under the plot and the margins,
# title and footer shrink, so that the plot keeps most of the width.
NARROW_BELOW = 720
# Below this width (a laptop's main column) the title is smaller; on screen the page also keeps the
# labels above the plot to a few rows there (ChartSpec.label_rows), so the plot starts in the first
# view. Labels that give way are named in the footer.
COMPACT_BELOW = 1100
NARROW_MARGIN_L, NARROW_MARGIN_R = 56, 16
NARROW_PANEL_H = 200  # a narrow chart grows taller rather than squeeze a panel below this height
# An embed keeps the height of the frame it is given (ChartSpec.compact): below this height per panel it
# drops its legend, since hovering says what each line and mark is; a chart whose panels would be shorter
# than FIT_PANEL_H at its full size takes the compact layout.
COMPACT_PANEL_H, FIT_PANEL_H = 90, 110
COMPACT_LABELS_FROM = 320  # a compact chart this high or higher keeps one row of labels above its plot
FOOTER_FONT, FOOTER_ROW_H = 11, 16

THEMES = ("light", "dark")
# The dark theme: every colour the light chart is drawn in, and what it is on a dark page. The same
# hues (one colour per country in both), lighter where a colour would fall under WCAG's ratios on a dark
# plot (tests/test_contrast.py checks every mark in both themes). The background and the text are the
# page's own (.streamlit/config.toml sets them to these, tests/test_style.py holds the two together), so
# that the chart sits in the page rather than on a card of another colour.
DARK = {
    BACKGROUND: "#171614",
    INK: "#EDEBE8",
    MUTED: "#A9A5A0",
    GRID: "#2D2B27",
    AXIS_LINE: "#6B6660",
    ZERO_LINE: "#55514B",
    DEADLINE_COLOR: "#E38FC3",
    COUNTRY_COLORS["Iraq"]: "#56B4E9",
    BAND_FILL: "rgba(213,94,0,0.28)",
    SILENCE_FILL: "rgba(160,160,160,0.12)",
    LEGEND_BG: "rgba(23,22,20,0.9)",
    TEMPLATE: "plotly_dark",
}


def colour(light: str, theme: str = "light") -> str:
    """What the light theme's `light` colour is in `theme`."""
    if theme not in THEMES:
        raise ValueError(f"unknown theme {theme!r}; choose one of {', '.join(THEMES)}")
    return DARK.get(light, light) if theme == "dark" else light


T = TypeVar("T")


def in_theme(value: T, theme: str = "light") -> T:
    """A figure's traces or layout (plain dicts and lists, as the chart builder makes them) in `theme`'s
    colours: the one place the dark palette is applied, so no mark can keep a light colour by being
    forgotten in some function that draws it."""
    colour(BACKGROUND, theme)  # refuses an unknown theme
    return value if theme == "light" else _dark(value)


def _dark(value):
    if isinstance(value, str):
        return DARK.get(value, value)
    if isinstance(value, dict):
        return {k: _dark(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_dark(v) for v in value)
    return value
