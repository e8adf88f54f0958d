"""WCAG 2.2 A/AA as axe-core (a checker nobody here wrote) finds it: every page, opened from a cold deep
link at a laptop's and a phone's width, and the states analysts reach (a scenario loaded, a refused
upload, the library panel after a save, the record as known on a past day, the briefing view)."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser import ARTIFACTS, new_page, settle, upload_csv

pytestmark = pytest.mark.browser

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# Defects that are Streamlit's own and cannot be worked around here: (rule id, CSS selector of the node)
# -> the upstream issue it waits for. Empty today; anything not listed fails the tests below.
ALLOWED: dict[tuple[str, str], str] = {}

PAGES = {
    "overview": "/",
    "syria": "/syria",
    "iraq": "/iraq",
    "scenarios": "/scenarios",
    "sources": "/sources",
    "review": "/review",
    "briefing view": "/?briefing=on",
    "overview as known on 1 Jun 2024": "/?known=2024-06-01",
    "sources as known on 1 Jun 2024": "/sources?known=2024-06-01",
    "syria since 2003, log scale": "/syria?window=since-2003&scale=log",
    "overview since the April 2025 announcement": "/?window=since-announcement",
    "iraq, a from/to range": "/iraq?from=2025-01&to=2026-12",
}
SIZES = {"laptop": (1280, 800), "phone": (390, 844)}
_AXE = Axe()


def violations(page) -> list[str]:
    """axe-core's WCAG 2.2 A/AA violations on the page as it stands, one line per node, minus ALLOWED."""
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    found = _AXE.run(page, options=options).response["violations"]
    return [
        f"{v['id']} ({v['impact']}): {_where(n['target'])}: {n['failureSummary']}"
        for v in found
        for n in v["nodes"]
        if (v["id"], _where(n["target"])) not in ALLOWED
    ]


def _where(target: list) -> str:
    """axe's node address: selectors, a list of them for a node inside a shadow root."""
    return " ".join(t if isinstance(t, str) else " >>> ".join(t) for t in target)


def _cold(browser, url: str, size: tuple[int, int], scheme: str = "light"):
    page = new_page(browser, viewport={"width": size[0], "height": size[1]}, color_scheme=scheme)
    page.goto(url)
    page.wait_for_selector("[data-testid='stMainBlockContainer'] [data-testid='stElementContainer']")
    settle(page)
    return page


def _at_each_size(page) -> dict[str, list[str]]:
    """The violations at each size: the page as opened (a laptop's), then resized to a phone's (the
    probe reports the new width and the server lays the page out again for it, as for a new visit)."""
    found = {}
    for size, (w, h) in SIZES.items():
        if page.viewport_size != {"width": w, "height": h}:
            page.set_viewport_size({"width": w, "height": h})
            settle(page)
        found[size] = violations(page)
    return found


CHART_NAMES = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].map(
  (c) => `${c.getAttribute("role")}: ${c.getAttribute("aria-label")}`)"""
CHARTS = {  # the start of each chart's accessible name, in page order
    "overview": ["figure: Chart of US troop levels in Syria and Iraq from 2014 to today: Syria latest"],
    "briefing view": ["figure: Chart of US troop levels in Syria and Iraq from 2014 to today: Syria latest"],
    "overview as known on 1 Jun 2024": ["figure: Chart of US troop levels in Syria and Iraq from 2014 to today"],
    "syria": ["figure: Chart of US troop levels in Syria from 2014 to today: Syria latest"],
    "iraq": ["figure: Chart of US troop levels in Iraq from 2014 to today: Iraq latest"],
    "scenarios": [
        "figure: Chart of US troop levels in Syria and Iraq from 2014 to today: Syria latest",
        "figure: Preview chart of the scenario 'My scenario' for Syria: 1,000 troops on",
    ],
    "syria since 2003, log scale": ["figure: Chart of US troop levels in Syria from 2003 to today: Syria latest"],
    "overview since the April 2025 announcement": [
        "figure: Chart of US troop levels in Syria and Iraq from Apr 2025 to today: Syria latest"
    ],
    "iraq, a from/to range": ["figure: Chart of US troop levels in Iraq from 2025 to today: Iraq latest"],
}


@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_from_a_cold_deep_link_has_no_wcag_violation(app, browser, name):
    """...and every chart on it is a figure named in words in the DOM (what a screen reader announces)."""
    page = _cold(browser, app + PAGES[name], SIZES["laptop"])
    try:
        expected = CHARTS.get(name, [])
        drawn = page.locator("[data-testid='stPlotlyChart']").filter(has=page.locator(".main-svg"))
        expect(drawn).to_have_count(len(expected))
        settle(page)
        names = page.evaluate(CHART_NAMES)
        assert len(names) == len(expected) and all(n.startswith(e) for n, e in zip(names, expected, strict=True))
        assert _at_each_size(page) == {size: [] for size in SIZES}
    finally:
        page.close()


SURFACES = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return {
    page: getComputedStyle(app).backgroundColor,
    text: getComputedStyle(app).color,
    charts: [...document.querySelectorAll('.js-plotly-plot .main-svg:first-of-type')].map(
      (svg) => getComputedStyle(svg).backgroundColor),
  };
}"""
DARK_PAGES = ("overview", "syria", "iraq", "scenarios", "sources", "review", "briefing view")


@pytest.mark.parametrize("name", DARK_PAGES)
def test_every_page_in_the_dark_theme_is_one_dark_surface_with_no_wcag_violation(app, browser, name):
    """A browser that prefers dark gets the dark theme (no setting forces light), and its charts and
    export buttons are drawn on the page's own dark background, not as white cards; axe's contrast rules
    hold at a laptop's and a phone's width. Screenshots in test-artifacts/, to be looked at."""
    page = _cold(browser, app + PAGES[name], SIZES["laptop"], scheme="dark")
    try:
        if CHARTS.get(name):
            expect(page.locator("[data-testid='stPlotlyChart'] .main-svg").first).to_be_attached()
        settle(page)
        seen = page.evaluate(SURFACES)
        assert seen["page"] == "rgb(23, 22, 20)" and seen["text"] == "rgb(237, 235, 232)"  # config.toml's dark
        assert seen["charts"] == [seen["page"]] * len(CHARTS.get(name, []))
        if name in ("overview", "syria", "iraq"):  # the export component (in a shadow root Playwright pierces)
            button = page.locator(".fp-exports button").first
            assert button.evaluate("(b) => getComputedStyle(b).backgroundColor") == seen["page"]
            assert button.evaluate("(b) => getComputedStyle(b).color") == seen["text"]
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"dark-{name.replace(' ', '-')}-laptop.png"))
        assert _at_each_size(page) == {size: [] for size in SIZES}
        page.screenshot(path=str(ARTIFACTS / f"dark-{name.replace(' ', '-')}-phone.png"))
    finally:
        page.close()


def test_a_change_of_the_systems_theme_redraws_the_charts_in_it_without_a_click(app, browser):
    """Streamlit runs nothing when the theme changes; the page's watch notices within seconds that the
    browser now says dark and draws the page again, so its chart never stays a white card."""
    page = _cold(browser, app + "/syria", SIZES["laptop"])
    try:
        expect(page.locator("[data-testid='stPlotlyChart'] .main-svg").first).to_be_attached()
        settle(page)
        assert page.evaluate(SURFACES)["charts"] == ["rgb(255, 255, 255)"]
        page.emulate_media(color_scheme="dark")
        page.wait_for_function(f"() => ({SURFACES})().charts[0] === 'rgb(23, 22, 20)'", polling=100)
        settle(page)
        assert page.evaluate(SURFACES)["page"] == "rgb(23, 22, 20)"
    finally:
        page.close()


def test_the_states_an_analyst_reaches_on_the_scenarios_page_have_no_wcag_violation(app, browser):
    page = _cold(browser, f"{app}/scenarios", SIZES["laptop"])
    try:
        upload_csv(page, "bad.csv", b"date,country,troops\n2026-01-01,Syria,-5\n")
        page.get_by_text("A file was not loaded; everything on screen is as it was.").wait_for()
        settle(page)
        assert violations(page) == [], "after a refused upload"

        plan = b"scenario,date,country,troops\nPlan A,2026-03-01,Syria,700\nPlan A,2026-09-01,Syria,300\n"
        upload_csv(page, "plan.csv", plan)
        page.locator(".js-plotly-plot .legendtext").filter(has_text="Plan A").first.wait_for()
        settle(page)
        assert violations(page) == [], "with a scenario loaded"

        page.get_by_label("Description", exact=True).fill("Checked by axe-core")
        page.get_by_role("button", name="Save to the library").click()
        page.get_by_text("' is #").first.wait_for()
        settle(page)
        assert _at_each_size(page) == {size: [] for size in SIZES}, "with the library listing a saved scenario"
    finally:
        page.close()


def test_the_checker_finds_what_it_is_there_to_find(app, browser):
    """The same call, on the same page with a caption made faint again, names the rule and the node."""
    page = _cold(browser, app + "/sources", SIZES["laptop"])
    try:
        page.add_style_tag(content="[data-testid='stCaptionContainer'] { opacity: 0.4 !important; }")
        found = violations(page)
        assert found and all(line.startswith("color-contrast (serious): ") for line in found)
        assert any("stCaptionContainer" in line for line in found)
    finally:
        page.close()
