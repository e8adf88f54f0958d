import datetime as dt
import itertools
import json

import pandas as pd
import plotly.graph_objects as go
import pytest

from force_posture.core import style
from force_posture.core.view import WINDOW_NAMES, View
from force_posture.plot import charts, labels
from force_posture.plot.labels import boxes_overlap
from tests.conftest import TODAY

SIZES = [(1920, 1080), (1600, 900), (960, 540), (600, 800), (390, 844), (360, 640), (320, 844)]  # 320: a phone's column


def _texts(fig):
    return [a.text for a in fig.layout.annotations]


def _build(ds, window="counter-is", scale="linear", show_caps=True, show_bands=True, **kw):
    on = {True: "on", False: "off"}
    window, _, rest = window.partition("&")  # "counter-is&from=2025-01&to=2026-12": a window and a range
    span = dict(part.split("=") for part in rest.split("&") if part)
    chosen = View(
        window=window,
        scale=scale,
        caps=on[show_caps],
        bands=on[show_bands],
        from_=span.get("from", ""),
        to=span.get("to", ""),
    )
    return charts.build_chart(ds, charts.ChartSpec(today=kw.pop("today", TODAY), view=chosen, **kw))


def test_overview_traces_are_named_svg_scatter_in_two_panels(ds):
    fig = _build(ds)
    names = [t.name for t in fig.data if t.showlegend is not False]
    for expected in [
        "Syria: stated level",
        "Iraq: stated level",
        "Syria: authorized cap",
        "Iraq: authorized cap",
        "Announced target",
        "Milestone (hover)",
        "Acknowledged",
        "Press estimate",
        "Disclosed later",
        "Authorized cap",
        "Syria: sources differ",
    ]:
        assert expected in names
    assert {t.type for t in fig.data} == {"scatter"}  # never scattergl: WebGL is software-rendered here
    assert fig.layout.yaxis.title.text == "Syria" and fig.layout.yaxis2.title.text == "Iraq"
    assert fig.layout.xaxis.range == fig.layout.xaxis2.range  # both panels show the same window


def test_default_window_runs_from_2014_to_a_little_past_today_and_the_last_deadline(ds):
    fig = _build(ds)
    assert [pd.Timestamp(x) for x in fig.layout.xaxis.range] == [pd.Timestamp("2014-01-01"), pd.Timestamp("2027-03-01")]
    early = _build(ds, today=dt.date(2025, 1, 1))  # before the last deadline: the deadline sets the end
    assert pd.Timestamp(early.layout.xaxis.range[1]) == pd.Timestamp("2026-12-01")
    wide = _build(ds, window="since-2003")
    assert pd.Timestamp(wide.layout.xaxis.range[0]) == pd.Timestamp("2003-01-01")


def test_the_recent_windows_and_a_range_fill_the_chart_with_the_drawdown(ds):
    recent = _build(ds, window="since-announcement")
    assert [str(pd.Timestamp(x).date()) for x in recent.layout.xaxis.range] == ["2025-04-01", "2027-03-01"]
    assert "(since the April 2025 announcement)" in recent.layout.title.subtitle.text
    texts = " | ".join(_texts(recent))
    assert "Pentagon: &lt;1,000 in coming months" in texts and "Coalition Syria mission deadline (Sep 2026)" in texts
    assert "Peak about 2,000 disclosed" not in texts  # December 2024 is outside the window
    (iraq,) = [t for t in recent.data if t.name == "Iraq: stated level"]  # the level standing when it opens
    assert pd.Timestamp(iraq.x[0]) == pd.Timestamp("2025-01-01") and iraq.y[0] == 2500  # enters from the left
    year = _build(ds, window="last-12-months")
    assert pd.Timestamp(year.layout.xaxis.range[0]) == pd.Timestamp("2025-11-01")  # TODAY is 24 Nov 2026
    assert "(the last 12 months)" in year.layout.title.subtitle.text
    ranged = _build(ds, window="counter-is&from=2025-01&to=2026-12")
    assert [str(pd.Timestamp(x).date()) for x in ranged.layout.xaxis.range] == ["2025-01-01", "2027-01-01"]
    assert "(Jan 2025 to Dec 2026)" in ranged.layout.title.subtitle.text and "2025–2026" in ranged.layout.title.text


def test_peak_target_deadlines_milestones_and_today_are_labelled_in_words(ds):
    for w, h in SIZES[:2]:  # wide enough for every label
        texts = " | ".join(_texts(_build(ds, width=w, height=h)))
        for expected in [
            "Peak about 2,000 acknowledged, Dec 2017",
            "Peak about 2,000 disclosed, Dec 2024",
            "Coalition Iraq mission deadline (Sep 2025)",
            "Coalition Syria mission deadline (Sep 2026)",
            "Today, 24 Nov 2026",
            "US-led airstrikes in Syria begin",
            "Iraq declares victory over IS",
            "IS loses Baghuz, last territory",
            "Assad regime falls",
            "Pentagon: &lt;1,000 in coming months",
        ]:
            assert expected in texts, (w, expected)


def test_target_line_is_drawn_and_named_on_the_chart_or_in_the_legend(ds):
    for w, h in SIZES:
        fig = _build(ds, width=w, height=h)
        (line,) = [t for t in fig.data if t.meta == "headline-target"]
        assert list(line.y) == [1000, 1000] and line.line.dash == "dash"
        labelled = any("Target: fewer than 1,000" in t for t in _texts(fig))
        assert labelled != (line.showlegend is not False), (w, labelled, line.showlegend)


def test_every_figure_carries_title_source_line_and_as_of(ds):
    fig = _build(ds, countries=("Iraq",))
    assert fig.layout.title.text == "US troops in Iraq, 2014–2027"
    texts = _texts(fig)
    assert any(t.startswith("Source: US DoD statements and press reports") for t in texts)
    assert any(t.startswith("As of 24 Nov 2026 · latest sourced figure: Iraq 18 Jan 2026") for t in texts)
    assert "Peak 8,892 disclosed, Sep 2017" in " ".join(texts)


def test_the_peaks_outrank_the_milestones_at_a_laptops_width(ds):
    """At the columns laptops give the Syria page (960 and 1,120 px), both ~2,000 peaks are labelled on the
    chart: the milestone lines that would cross the December 2017 label give way and are named under it."""
    for width in (960, 1120):
        fig = _build(ds, countries=("Syria",), width=width, height=640)
        texts = " | ".join(_texts(fig))
        assert "<b>Peak about 2,000 acknowledged, Dec 2017</b>" in texts, width
        assert "<b>Peak about 2,000 disclosed, Dec 2024</b>" in texts, width
        footer = next(t for t in _texts(fig) if t.startswith("Not labelled at this size"))
        assert "Peak about" not in footer and "IS loses Baghuz, last territory" in footer, (width, footer)
        assert labels.crossed_labels(fig, width, 640) == []
    wide = _texts(_build(ds, countries=("Syria",), width=1440, height=640))  # where there is room, both
    assert "IS loses Baghuz, last territory" in wide and "<b>Peak about 2,000 acknowledged, Dec 2017</b>" in wide


@pytest.mark.parametrize(
    "countries, window, scale, size",
    list(
        itertools.product(
            [("Syria", "Iraq"), ("Syria",), ("Iraq",)],
            [*WINDOW_NAMES, "counter-is&from=2025-01&to=2026-12"],
            ["linear", "log"],
            SIZES,
        )
    ),
)
def test_no_label_overlaps_another_or_the_data(ds, countries, window, scale, size):
    w, h = size
    fig = _build(ds, countries=countries, window=window, scale=scale, width=w, height=h)
    h = fig.layout.height  # a narrow chart may grow taller rather than squeeze its plot
    assert h == size[1] or w < 720
    boxes = labels.annotation_boxes(fig, w, h)
    assert labels.overlapping_pairs(boxes) == []
    assert labels.crossed_labels(fig, w, h) == []  # no milestone, deadline or leader line through a label
    data = labels.data_boxes(fig, w, h, pad=0)
    for text, box in boxes:
        assert 0 <= box[0] and box[2] <= w and 0 <= box[1] and box[3] <= h, f"{text!r} leaves the figure"
        hits = [d for d in data if boxes_overlap(box, d)]
        assert not hits, f"{text!r} overlaps data at {hits[:2]}"


@pytest.mark.parametrize(
    "kw",
    [
        dict(width=1600, height=900),
        dict(width=390, height=844, countries=("Syria",), window="since-2003", scale="log"),
        dict(width=960, height=540, countries=("Iraq",), show_caps=False, show_bands=False),
        dict(width=800, height=560, theme="dark", static=True, title="A title", link="https://example.org/v"),
        dict(width=380, height=550, compact=True, scenarios="two plans"),
    ],
)
def test_every_chart_is_what_plotlys_validation_would_make_of_it(ds, kw):
    """build_chart makes its figure unvalidated (a sixth of a build); Plotly's validation of the same
    figure must neither refuse a property nor change a value, the template's expansion included."""
    if kw.pop("scenarios", None):
        kw["scenarios"] = pd.DataFrame(
            {
                "scenario": ["Plan A", "Plan A", "Plan B"],
                "date": pd.to_datetime(["2026-01-01", "2027-03-01", "2026-06-01"]),
                "country": ["Syria", "Syria", "Iraq"],
                "troops": [900, 200, 500],
            }
        )
    fig = _build(ds, **kw)
    assert fig.layout.template.layout.paper_bgcolor  # the named template, expanded
    assert json.loads(go.Figure(fig.to_dict()).to_json()) == json.loads(fig.to_json())


def test_hover_names_figure_qualifier_basis_date_and_source(ds):
    fig = _build(ds, countries=("Syria",))
    (disclosed,) = [t for t in fig.data if t.name == "Syria: disclosed"]
    hover = next(c for c in disclosed.customdata if "19 Dec 2024" in c)
    assert hover.startswith("<b>about 2,000</b> US troops in Syria<br>19 Dec 2024<br>Basis: disclosed")
    assert "Reuters (Idrees Ali, Phil Stewart) via Hindustan Times" in hover


def test_log_scale_and_toggles(ds):
    fig = _build(ds, window="since-2003", scale="log", show_caps=False, show_bands=False)
    assert fig.layout.yaxis.type == "log" and fig.layout.yaxis2.type == "log"
    assert fig.layout.yaxis2.range[1] > 5  # log10: the 2003 Iraq figures (192,000) fit
    names = [t.name for t in fig.data]
    assert "Syria: authorized cap" not in names and "Syria: sources differ" not in names


def test_linear_default_keeps_the_recent_syria_story_readable(ds):
    """The Iraq 2003-2011 scale must not flatten the recent story: Syria has its own panel."""
    fig = _build(ds, window="since-2003")
    assert fig.layout.yaxis.range[1] <= 3000
    assert fig.layout.yaxis2.range[1] >= 192000


def test_unknown_window_or_scale_is_refused(ds):
    with pytest.raises(ValueError, match="unknown window 'all'"):
        _build(ds, window="all")  # (the View refuses nothing itself: parse() is the URL's gate)
    with pytest.raises(ValueError, match="unknown scale 'sqrt'"):
        _build(ds, scale="sqrt")


def test_a_one_point_scenario_is_drawn_as_a_marker(ds):
    one = pd.DataFrame(
        {"scenario": ["Hold"], "date": [pd.Timestamp("2026-03-01")], "country": ["Syria"], "troops": [700]}
    )
    fig = _build(ds, scenarios=one)
    (trace,) = [t for t in fig.data if t.name == "Scenario: Hold (Syria)"]
    assert trace.mode == "markers" and list(trace.y) == [700]
    assert labels.overlapping_pairs(labels.annotation_boxes(fig, 1600, 900)) == []


def test_display_thinning_keeps_extremes_and_says_so():
    days = pd.date_range("2026-01-01", periods=50_000, freq="h")
    troops = [1000] * 50_000
    troops[12_345] = 3000  # a spike that must survive thinning
    big = pd.DataFrame({"scenario": "Big", "date": days, "country": "Syria", "troops": troops})
    shown, notes = charts.for_display(big, limit=2000)
    assert len(shown) <= 2002 and shown["troops"].max() == 3000
    assert notes == ["Big (Syria): drawn with 1,002 of its 50,000 points"]
    small, none = charts.for_display(big.head(10))
    assert len(small) == 10 and none == []


@pytest.mark.parametrize("countries", [("Syria", "Iraq"), ("Syria",), ("Iraq",)])
@pytest.mark.parametrize("size", SIZES)
def test_what_gives_way_is_named_and_deadlines_and_today_never_give_way(ds, countries, size):
    fig = _build(ds, countries=countries, width=size[0], height=size[1])
    drawn = " | ".join(_texts(fig))
    keyed = " ".join(a.text for a in fig.layout.annotations if a.name == "footer-unlabelled")
    marks = [a.text for a in fig.layout.annotations if not (a.name or "").startswith("footer")]
    for words in [
        ("Coalition Syria mission deadline (Sep 2026)", "Syria deadline, Sep 2026"),
        ("Today, 24 Nov 2026", "Today"),
    ]:
        assert set(words) & set(marks), (size, words)  # drawn as labels (in full or short), never only keyed
    chosen = ds.milestones[ds.milestones["chart_rank"].notna() & ds.milestones["country"].isin([*countries, "Both"])]
    for r in chosen.to_dict("records"):
        if r["date"] >= pd.Timestamp("2014-01-01"):
            label = r["label"].replace("<", "&lt;")
            assert label in drawn or label in keyed, (size, r["label"])  # labelled, or named in the key
    for country in countries:
        peaks = [t for t in _texts(fig) if t.startswith("<b>Peak")] + [p for p in keyed.split("; ") if "Peak" in p]
        assert peaks, (size, country)


def test_a_narrow_chart_puts_the_legend_under_the_plot_and_wraps_its_words(ds):
    fig = _build(ds, width=390, height=844)
    assert fig.layout.legend.orientation == "h" and fig.layout.legend.yref == "container"
    assert fig.layout.margin.r < 40 and fig.layout.title.font.size < 20
    assert fig.layout.legend.y * 844 < fig.layout.margin.b  # the legend sits in the bottom margin, under the plot
    source = [a.text for a in fig.layout.annotations if a.name == "footer-source"]
    assert len(source) >= 2 and all(labels.text_width(t, 11) <= 390 - 24 for t in source)
    wide = _build(ds, width=1600, height=900)
    assert wide.layout.legend.orientation is None and wide.layout.legend.x == 1  # beside the plot when there is room


@pytest.mark.parametrize("size", [(380, 550), (300, 200), (960, 250)])
def test_a_compact_chart_keeps_its_frames_height_and_says_hover_gives_the_rest(ds, size):
    """An embed in a small frame (ChartSpec.compact): the full chart would grow or squeeze its panels;
    the compact one is exactly as high as asked, keeps at most one row of labels (none below 320 px), no
    legend that would crowd the plot, and its footer says each mark names itself and its source on hover."""
    full = _build(ds, window="since-announcement", width=size[0], height=size[1])
    assert charts.crowded(full.to_dict()["layout"], size[1])
    fig = _build(ds, window="since-announcement", width=size[0], height=size[1], compact=True)
    assert (fig.layout.width, fig.layout.height) == size
    assert size[1] - fig.layout.margin.t - fig.layout.margin.b >= 0.45 * size[1]  # the plot keeps most of it
    footer = [a.text for a in fig.layout.annotations if (a.name or "").startswith("footer-")]
    said = " ".join(footer)
    assert "hover a point, line, shading or ▲ for what it is and its source" in said, said
    assert "Not labelled" not in said and "Reopen this view" not in said  # the embed's own line links back
    assert all(labels.text_width(t, 11) <= size[0] - 24 for t in footer)
    rows = {a.yshift for a in fig.layout.annotations if a.xref == "x" and a.y == 1 and a.yanchor == "bottom"}
    assert len(rows) == (1 if size[1] >= style.COMPACT_LABELS_FROM else 0), rows  # one row of labels at most
    assert len({a.yshift for a in full.layout.annotations if a.xref == "x" and a.y == 1}) > 1  # the full chart: more
    assert fig.layout.legend.visible is False  # at these sizes a legend would crowd the plot
    assert ("footer-key" in [a.name for a in fig.layout.annotations]) == (size == (380, 550))  # the key, if room
    big = _build(ds, window="since-announcement", width=1240, height=550)
    assert not charts.crowded(big.to_dict()["layout"], 550)  # a wide frame keeps the full chart


def test_the_silence_after_the_latest_figure_is_a_named_zone_up_to_today(ds):
    fig = _build(ds)
    zones = {t.name.replace("<br>", " "): t for t in fig.data if t.meta == "silence"}
    assert set(zones) == {"Syria: no sourced figure since 23 Feb 2026", "Iraq: no sourced figure since 18 Jan 2026"}
    syria = zones["Syria: no sourced figure since 23 Feb 2026"]
    assert syria.text.startswith("Syria: no sourced figure since 23 Feb 2026<br>Nothing after it is extrapolated")
    assert [pd.Timestamp(x) for x in syria.x[:2]] == [pd.Timestamp("2026-02-23"), pd.Timestamp("2026-11-24")]
    assert syria.fill == "toself" and syria.showlegend is not False
    early = _build(ds, today=dt.date(2026, 2, 23))  # on the day of the latest figure there is no silence yet
    assert [t for t in early.data if t.meta == "silence" and t.name.startswith("Syria")] == []


@pytest.mark.parametrize("size", [(960, 540), (1280, 720), (1600, 900)])
def test_the_legend_never_runs_past_the_plot_and_what_leaves_it_is_said_in_the_footer(ds, size):
    """Plotly cuts a legend taller than the plot. At a small export the marker key and then the grey
    zones move to the footer, said there in words; at the default size they stay in the legend."""
    fig = _build(ds, width=size[0], height=size[1])
    rows = sum(1 + t.name.count("<br>") for t in fig.data if t.showlegend is not False and t.name)
    plot_px = size[1] - fig.layout.margin.t - fig.layout.margin.b
    assert rows * style.LEGEND_ROW_H <= plot_px, (rows, plot_px)
    footer = {a.name: a.text for a in fig.layout.annotations if (a.name or "").startswith("footer-")}
    silent_in_legend = any(t.meta == "silence" and t.showlegend is not False for t in fig.data)
    assert silent_in_legend != ("footer-silence" in footer)  # one place or the other, never neither
    if size == (960, 540):
        assert footer["footer-silence"] == (
            "Grey: Syria: no sourced figure since 23 Feb 2026; Iraq: no sourced "
            "figure since 18 Jan 2026; nothing after it is extrapolated."
        )
    if size == (1600, 900):
        assert silent_in_legend and "footer-key" not in footer


def test_single_source_points_carry_a_star_in_their_own_colour_and_the_legend_says_so(ds):
    fig = _build(ds, window="since-announcement")
    marks = {t.name: t for t in fig.data if t.meta == "single-source"}
    iraq = marks["Iraq: single source"]
    assert iraq.marker.symbol == style.SINGLE_SYMBOL and iraq.marker.color == style.COUNTRY_COLORS["Iraq"]
    assert pd.Timestamp("2026-01-18") in [pd.Timestamp(x) for x in iraq.x]
    hover = iraq.customdata[[pd.Timestamp(x) for x in iraq.x].index(pd.Timestamp("2026-01-18"))]
    assert "fewer than 1,100" in hover and "Corroboration: single source (one outlet)" in hover
    syria = [pd.Timestamp(x) for x in marks.get("Syria: single source", fig.data[0]).x or []]
    assert pd.Timestamp("2026-02-23") not in syria  # the Feb 2026 band is confirmed by four outlets
    legend = [t for t in fig.data if t.name == style.SINGLE_LEGEND]
    assert len(legend) == 1 and legend[0].marker.symbol == style.SINGLE_SYMBOL
    assert "✱ in a marker: a single source (one outlet)" in style.MARKER_KEY
    points = [t for t in fig.data if (t.name or "").endswith(": reported")]
    assert any("Corroboration: confirmed by 4 outlets" in h for t in points for h in t.customdata)


def test_the_footer_says_how_fresh_the_source_watch_is_under_the_as_of_line(ds):
    line = "sources last checked: 5 Dec 2026 09:00 UTC; 1 failing"
    spec = charts.ChartSpec(today=dt.date(2026, 12, 5), watched=line)
    fig = charts.build_chart(ds, spec)
    footer = [(a.name, a.text) for a in fig.layout.annotations if (a.name or "").startswith("footer")]
    at = [role for role, _ in footer].index("footer-watch")
    assert footer[at][1] == "Sources last checked: 5 Dec 2026 09:00 UTC; 1 failing"
    assert footer[at - 1][0] == "footer-asof"
    plain = charts.build_chart(ds, charts.ChartSpec(today=dt.date(2026, 12, 5)))
    assert "footer-watch" not in [a.name for a in plain.layout.annotations]
    last = max(-a.yshift for a in fig.layout.annotations if (a.name or "").startswith("footer"))
    assert last + charts.FOOTER_ROW_H <= fig.layout.margin.b  # the footer, one line longer, still fits
