"""Briefing exports: every format is a valid file that stands alone, at both sizes, from the app's
code path and from the command line."""

import io
import json
import re
import subprocess
import sys
import threading
import xml.etree.ElementTree as ET

import pandas as pd
import pytest
from PIL import Image
from plotly.utils import PlotlyJSONEncoder

from force_posture.core import data, scenarios
from force_posture.exports import export
from force_posture.ops import cli
from tests.conftest import ROOT, TODAY

SCENARIO = scenarios.parse((ROOT / "data" / "scenarios" / "slower_drawdown.csv").read_bytes(), "slower.csv").frame
CASES = [(chart, with_scenario) for chart in ("overview", "syria") for with_scenario in (False, True)]
SVG_NS = "{http://www.w3.org/2000/svg}"


WATCHED = "sources last checked: 24 Nov 2026 09:00 UTC; 0 failing"


def _brief(chart="overview", with_scenario=False, size=export.DEFAULT_SIZE, **kw):
    kw.setdefault("scenarios", SCENARIO if with_scenario else None)
    return export.Briefing(chart=chart, today=TODAY, width=size[0], height=size[1], **kw)


@pytest.fixture(scope="module")
def exported(ds):
    # the app's exports say how fresh the source watch was (the scenario cases); the CLI's leave it out
    watched = {True: WATCHED, False: ""}
    return {
        (c, s, fmt): export.export(ds, _brief(c, s, watched=watched[s]), fmt)
        for c, s in CASES
        for fmt in export.FORMATS
    }


def _svg_texts(svg: bytes) -> str:
    root = ET.fromstring(svg)
    return " ".join("".join(t.itertext()) for t in root.iter(f"{SVG_NS}text"))


@pytest.mark.parametrize("chart, with_scenario", CASES)
def test_png_is_a_2x_image(exported, chart, with_scenario):
    png = exported[(chart, with_scenario, "png")]
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert Image.open(io.BytesIO(png)).size == (3200, 1800)


@pytest.mark.parametrize("chart, with_scenario", CASES)
def test_pdf_is_a_pdf(exported, chart, with_scenario):
    pdf = exported[(chart, with_scenario, "pdf")]
    assert pdf.startswith(b"%PDF-") and b"%%EOF" in pdf[-1024:]


@pytest.mark.parametrize("chart, with_scenario", CASES)
def test_svg_stands_alone_with_title_source_as_of_and_link(exported, chart, with_scenario):
    text = _svg_texts(exported[(chart, with_scenario, "svg")])
    title = "US troops in Syria and Iraq, 2014–" if chart == "overview" else "US troops in Syria, 2014–"
    end = 2027
    if with_scenario:  # the window stretches to cover the scenario (plus a margin of about 45 days)
        shown = SCENARIO[SCENARIO["country"].isin(export.CHARTS[chart])]
        end = (shown["date"].max() + pd.Timedelta(days=76)).year
    assert f"{title}{end}" in text
    assert "Source: US DoD statements and press reports" in text
    assert "As of 24 Nov 2026" in text
    assert f"Reopen this view: http://localhost:8501{'' if chart == 'overview' else '/syria'}" in text
    assert "Peak about 2,000 acknowledged, Dec 2017" in text
    assert "Coalition Syria mission deadline (Sep 2026)" in text
    assert ("Slower" in text) == with_scenario
    assert ("Sources last checked: 24 Nov 2026 09:00 UTC; 0 failing" in text) == with_scenario
    # a picture cannot be hovered: its legend and footer never ask the reader to
    assert "on the Sources page)" in text and "hover" not in text.lower()


@pytest.mark.parametrize("chart, with_scenario", CASES)
def test_pptx_is_a_16_9_slide_with_title_picture_footer_and_sourced_notes(exported, chart, with_scenario):
    from pptx import Presentation

    deck = Presentation(io.BytesIO(exported[(chart, with_scenario, "pptx")]))
    assert (deck.slide_width, deck.slide_height) == (12192000, 6858000)
    (slide,) = deck.slides
    texts = [s.text_frame.text for s in slide.shapes if s.has_text_frame]
    assert texts[0].startswith("US troops in Syria")
    assert any(t.startswith("Source: US DoD statements") for t in texts)
    assert any(t.startswith("As of 24 Nov 2026") for t in texts)
    assert ("Scenarios shown: Slower" in texts) == with_scenario
    (picture,) = [s for s in slide.shapes if s.shape_type == 13]
    assert picture.width > deck.slide_width * 0.6 and picture.height > deck.slide_height * 0.6
    notes = slide.notes_slide.notes_text_frame.text
    assert "As of 24 Nov 2026." in notes and "Every source behind the plotted points:" in notes
    assert ("\nSources last checked: 24 Nov 2026 09:00 UTC; 0 failing.\n" in notes) == with_scenario
    assert "Reuters (Idrees Ali, Phil Stewart) via Hindustan Times" in notes  # the Dec 2024 disclosure
    if chart != "syria":  # the Iraq headline's figure: one outlet's report, said as such
        assert "- Al-Araby Al-Jadeed (syndicated by Yemen Vibe) — https://yemenvibe.com/" in notes
        assert re.search(r"Al-Araby Al-Jadeed \(syndicated by Yemen Vibe\) — \S+ \(single source\)", notes)


def test_the_view_on_screen_is_what_is_exported(ds):
    from force_posture.core.view import View

    brief = _brief("iraq", view=View(window="since-2003", scale="log", caps="off"))
    assert export.view_link(brief) == "http://localhost:8501/iraq?window=since-2003&scale=log&caps=off"
    fig = export.figure(ds, brief)
    assert fig.layout.yaxis.type == "log" and pd.Timestamp(fig.layout.xaxis.range[0]).year == 2003
    assert "Iraq: authorized cap" not in [t.name for t in fig.data]


def test_the_cli_takes_the_links_window_and_range_words(tmp_path):
    out = tmp_path / "recent.svg"
    args = ["export", "--out", str(out), "--as-of", "2026-11-24", "--start", "2025-01", "--end", "2026-12"]
    assert cli.main(args) == 0
    svg = out.read_text()
    assert "US troops in Syria and Iraq, 2025–2026" in svg and "(Jan 2025 to Dec 2026" in svg
    assert "localhost:8501?from=2025-01&amp;to=2026-12" in svg  # the footer's link reopens the range
    assert cli.main(["export", "--out", str(out), "--as-of", "2026-11-24", "--window", "since-announcement"]) == 0
    assert "(since the April 2025 announcement" in out.read_text()


def test_base_url_comes_from_the_setting(monkeypatch):
    monkeypatch.setenv("FORCE_POSTURE_BASE_URL", "https://posture.example.org/")
    assert export.view_link(_brief("syria")) == "https://posture.example.org/syria"


def test_the_title_has_text_pixels(exported):
    """Without fonts kaleido writes images with no text and no error: look where the title is."""
    img = Image.open(io.BytesIO(exported[("overview", False, "png")])).convert("L")
    title_area = img.crop((2 * 76, 2 * 12, 2 * 600, 2 * 44))
    dark = sum(title_area.histogram()[:120])
    assert dark > 2000, f"only {dark} dark pixels where the title should be: are fonts installed?"


@pytest.mark.browser
@pytest.mark.parametrize("size", [export.DEFAULT_SIZE, export.SMALL_SIZE])
@pytest.mark.parametrize("chart", ["overview", "syria", "iraq"])
def test_no_label_overlaps_in_the_exported_svg(ds, browser, chart, size):
    """The exported SVG laid out by Chromium itself: no two annotation boxes intersect."""
    from tests.browser import new_page
    from tests.test_browser import OVERLAPS_JS

    svg = export.export(ds, _brief(chart, with_scenario=True, size=size), "svg").decode()
    page = new_page(browser, viewport={"width": size[0], "height": size[1]})
    page.set_content(f"<div class='js-plotly-plot'>{svg}</div>")
    result = page.evaluate(OVERLAPS_JS)
    page.close()
    assert result["count"] >= 8
    assert result["overlaps"] == [] and result["crossed"] == []


def test_cli_exports_each_format(tmp_path):
    for fmt in export.FORMATS:
        out = tmp_path / f"chart.{fmt}"
        code = cli.main(
            [
                "export",
                "--chart",
                "iraq",
                "--out",
                str(out),
                "--as-of",
                "2026-11-24",
                "--width",
                "960",
                "--height",
                "540",
                "--start",
                "2014",
                "--end",
                "2026",
            ]
        )
        assert code == 0 and out.stat().st_size > 10_000


@pytest.mark.parametrize(
    "args, message",
    [
        (
            ["--chart", "kuwait", "--out", "x.png"],
            "error: unknown chart 'kuwait'; choose one of overview, syria, iraq (--chart).",
        ),
        (["--out", "x.gif"], "error: unknown format 'gif'; choose one of png, svg, pdf, pptx (--format)."),
        (
            ["--out", "/no/such/dir/x.png"],
            "error: cannot write /no/such/dir/x.png: the folder /no/such/dir does not exist.",
        ),
        (
            ["--out", "x.png", "--as-of", "24/11/2026"],
            "error: --as-of '24/11/2026' is not a date; write it as YYYY-MM-DD.",
        ),
        (
            ["--out", "x.png", "--start", "2020", "--end", "2010"],
            "error: --start 2020 and --end 2010: the range must start before it ends.",
        ),
        (
            ["--out", "x.png", "--start", "2025-13"],
            "error: --start='2025-13': give a year, a month or a day (2025, 2025-01 or 2025-01-15), from 2003 to 2100.",
        ),
        (
            ["--out", "x.png", "--scenario", str(ROOT / "tests" / "scenario_files" / "bad_negative.csv")],
            "error: bad_negative.csv: row 2, column 'troops': '-50' is negative; troop numbers are 0 or more "
            "(0 is a full withdrawal).",
        ),
        (
            ["--out", "x.png", "--scenario", str(ROOT / "tests" / "scenario_files" / "bad_many_rows.csv")],
            "error: bad_many_rows.csv has 8 problems; the first 5: - row 2, column 'troops': 'x1' is not a whole "
            "number of troops (e.g. 900 or 1,000). - row 3, column 'troops': 'x2' is not a whole number of troops "
            "(e.g. 900 or 1,000). - row 4, column 'troops': 'x3' is not a whole number of troops (e.g. 900 or "
            "1,000). - row 5, column 'troops': 'x4' is not a whole number of troops (e.g. 900 or 1,000). - row 6, "
            "column 'troops': 'x5' is not a whole number of troops (e.g. 900 or 1,000). - … and 3 more. Fix them "
            "and run it again.",
        ),
    ],
)
def test_cli_errors_are_one_plain_line(tmp_path, capsys, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    assert cli.main(["export", *args]) == 1
    err = capsys.readouterr().err
    assert err == message + "\n"


def test_cli_export_help_documents_every_option():
    out = subprocess.run(
        [sys.executable, "-m", "force_posture.ops.cli", "export", "--help"], capture_output=True, text=True
    ).stdout
    for option in ["--chart", "--format", "--out", "--scenario", "--as-of", "--width", "--height", "--start", "--end"]:
        assert option in out
    assert "FORCE_POSTURE_BASE_URL" in out


def _strip_pdf_dates(pdf: bytes) -> bytes:
    return re.sub(rb"/(CreationDate|ModDate) ?\([^)]*\)", b"", pdf)


def _pptx_parts(content: bytes) -> tuple[str, bytes]:
    """A slide's words (shapes and notes) and its picture's bytes."""
    from pptx import Presentation

    (slide,) = Presentation(io.BytesIO(content)).slides
    words = [s.text_frame.text for s in slide.shapes if s.has_text_frame]
    words.append(slide.notes_slide.notes_text_frame.text)
    (picture,) = [s for s in slide.shapes if s.shape_type == 13]
    return "\n".join(words), picture.image.blob


def test_concurrent_exports_never_cross(ds):
    """Six analysts export six different views at the same moment, twice, in every format: four with
    their own scenario, two without (whose figures come from the shared cache). Each file is exactly
    the one its own view makes alone: PNG and PDF byte for byte (PDF without its creation date), the
    slide's picture byte for byte, and the SVG and slide words name its own scenario and no other.
    (kaleido's shared sync server failed this: 16 of 18 crossed.)"""
    from force_posture.core.view import View

    views = []
    for i in range(4):
        name = f"Analyst {i} plan {'Q' * (i + 1)}"
        frame = SCENARIO.assign(scenario=name, troops=SCENARIO["troops"] - 40 * i)
        chart = ("overview", "syria")[i % 2]
        views.append((name, _brief(chart, size=export.SMALL_SIZE, scenarios=frame)))
    views.append(("(iraq, log)", _brief("iraq", size=export.SMALL_SIZE, view=View(scale="log"))))
    views.append(("(overview, 2003)", _brief(size=export.SMALL_SIZE, view=View(window="since-2003"))))
    names = [name for name, _ in views]
    alone = {name: export.export_many(ds, brief) for name, brief in views}  # one after another
    assert len({alone[n]["png"] for n in names}) == len(views)  # the views really differ
    got: dict[str, list[dict[str, bytes]]] = {n: [] for n in names}
    barrier = threading.Barrier(len(views))

    def analyst(name, brief):
        barrier.wait()
        for _ in range(2):
            for fmt in export.FORMATS:
                got[name].append({fmt: export.export(ds, brief, fmt)})

    threads = [threading.Thread(target=analyst, args=view) for view in views]
    [t.start() for t in threads]
    [t.join() for t in threads]
    for name in names:
        others = [n for n in names[:4] if n != name]
        own = [name] if name in names[:4] else []
        assert len(got[name]) == 2 * len(export.FORMATS)
        for result in got[name]:
            ((fmt, content),) = result.items()
            if fmt == "png":
                assert content == alone[name]["png"], name
            elif fmt == "pdf":
                assert _strip_pdf_dates(content) == _strip_pdf_dates(alone[name]["pdf"]), name
            elif fmt == "svg":
                text = _svg_texts(content)
                assert [n for n in names[:4] if n in text] == own, name
            else:
                words, picture = _pptx_parts(content)
                assert [n for n in names[:4] if f"Scenarios shown: {n}" in words] == own, name
                assert not [n for n in others if n in words], name
                assert picture == _pptx_parts(alone[name]["pptx"])[1], name


def test_figures_without_scenarios_are_kept_and_figures_with_scenarios_are_not(ds):
    plain = _brief("syria")
    assert export.figure_dict(ds, plain) is export.figure_dict(ds, plain)
    assert export.figure_dict(ds, plain) is not export.figure_dict(ds, _brief("iraq"))
    assert export.figure_dict(ds, plain, base="https://x.example") is not export.figure_dict(ds, plain)
    mine = _brief("syria", with_scenario=True)
    assert export.figure_dict(ds, mine) is not export.figure_dict(ds, mine)
    other_ds = data.load()
    assert export.figure_dict(other_ds, plain) is not export.figure_dict(ds, plain)
    as_json = lambda fig: json.dumps(fig, cls=PlotlyJSONEncoder, sort_keys=True)  # noqa: E731
    assert as_json(export.figure_dict(other_ds, plain)) == as_json(export.figure_dict(ds, plain))
