"""The interactive embed of a chart view: what it takes, what it carries, and its snippets."""

import datetime as dt
import json
import re

import pytest

from force_posture.publish import api, embed, public
from tests.conftest import TODAY


def test_an_embed_takes_the_image_parameters_with_theme_auto_by_default_and_its_frames_width():
    found, theme, fixed = embed.ask("syria", [("window", "last-12-months")], TODAY)
    assert (found.chart, found.width, found.height, theme, fixed) == ("syria", 960, 560, "auto", False)
    found, theme, fixed = embed.ask("syria", [("width", "640"), ("height", "400"), ("theme", "dark")], TODAY)
    assert (found.width, found.height, found.theme, theme, fixed) == (640, 400, "dark", "dark", True)
    found, _, fixed = embed.ask("syria", [("width", "640"), ("height", "400"), ("fit", "frame")], TODAY)
    assert (found.width, fixed) == (640, False)  # the page asked for its frame's width: it stays responsive
    with pytest.raises(api.BadRequest, match=r"theme='sepia': use one of light, dark, auto."):
        embed.ask("syria", [("theme", "sepia")], TODAY)
    with pytest.raises(public.NotFound):
        embed.ask("kurdistan", [], TODAY)


def test_the_page_carries_its_figures_as_data_that_no_text_can_break_out_of(ds):
    found, theme, fixed = embed.ask("iraq", [], TODAY)
    page = embed.page(ds, found, theme, fixed, "https://posture.example.org")
    blocks = dict(re.findall(r'<script type="application/json" id="([^"]+)">(.*?)</script>', page, re.S))
    assert set(blocks) == {"fp-page", "fp-figure-light", "fp-figure-dark"}
    light, dark = json.loads(blocks["fp-figure-light"]), json.loads(blocks["fp-figure-dark"])
    assert (light["layout"]["paper_bgcolor"], dark["layout"]["paper_bgcolor"]) == ("white", "#171614")
    assert json.loads(blocks["fp-page"])["theme"] == "auto"
    assert "</" not in "".join(blocks.values())  # '<' is written as an escape: no text can close the block
    breaking = embed._json({"a": "</script><script>alert(1)</script>"})
    assert "<" not in breaking and json.loads(breaking) == {"a": "</script><script>alert(1)</script>"}
    assert re.findall(r'<script src="([^"]+)"', page) == [embed.PLOTLY_ADDRESS, embed.SCRIPT_ADDRESS]
    assert 'href="https://posture.example.org/iraq"' in page and 'role="figure" aria-label="Latest sourced' in page


def test_a_page_laid_out_for_its_frame_takes_the_compact_chart_only_where_the_full_one_does_not_fit(ds):
    def heights(query):
        found, theme, fixed = embed.ask("overview", query, TODAY)
        page = embed.page(ds, found, theme, fixed, "https://posture.example.org")
        figure = json.loads(re.search(r'id="fp-figure-light">(.*?)</script>', page, re.S).group(1))
        return figure["layout"]["height"], figure["layout"]["legend"].get("visible", True)

    assert heights([("width", "380"), ("height", "550"), ("fit", "frame")]) == (550, False)  # a phone's frame
    assert heights([("width", "1240"), ("height", "550"), ("fit", "frame")]) == (550, True)  # the full chart fits
    assert heights([("width", "380"), ("height", "550")])[0] > 550  # a size asked for, not a frame: the full chart


def test_the_snippets_are_a_live_frame_and_one_pinned_to_the_record_as_known_today():
    live, pinned = embed.iframes(
        public.of_view("syria", public.view.View(scale="log"), dt.date(2026, 12, 3)),
        "https://posture.example.org",
        "US troops in Syria",
    )
    assert live == (
        '<iframe src="https://posture.example.org/embed/syria?scale=log" title="US troops in Syria" '
        'width="100%" height="600" style="border: 0;" loading="lazy"></iframe>'
    )
    assert 'src="https://posture.example.org/embed/syria?known=2026-12-03&amp;scale=log"' in pinned
