"""The real app, served by `streamlit run`, driven in headless Debian Chromium by Playwright."""

import datetime as dt
import json
import re

import pytest
from playwright.sync_api import expect

from tests.browser import ARTIFACTS, new_context, new_page, popup, served_app, settle, upload_csv

pytestmark = pytest.mark.browser

SYRIA_DEADLINE = r"(Coalition Syria mission deadline \(Sep 2026\)|Syria deadline, Sep 2026)"  # in full, or short
CHART_PAGES = {  # each page's labels, as regular expressions
    "overview": (
        "",
        [
            r"Peak about 2,000 acknowledged, Dec 2017",
            r"Coalition Iraq mission deadline \(Sep 2025\)",
            SYRIA_DEADLINE,
            r"Today, ",
        ],
    ),
    "syria": (
        "syria",
        [
            r"Peak about 2,000 acknowledged, Dec 2017",
            r"Peak about 2,000 disclosed, Dec 2024",
            SYRIA_DEADLINE,
            r"Today, ",
        ],
    ),
    "iraq": ("iraq", [r"Peak 8,892 disclosed, Sep 2017", r"Coalition Iraq mission deadline \(Sep 2025\)", r"Today, "]),
}

OVERLAPS_JS = """
() => {
  const boxes = [...document.querySelectorAll('.js-plotly-plot g.annotation')]
      .map(g => ({t: g.textContent, r: g.getBoundingClientRect()}))
      .filter(b => b.r.width > 0 && b.r.height > 0);
  const out = [];
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const a = boxes[i].r, b = boxes[j].r;
    if (a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5)
      out.push([boxes[i].t, boxes[j].t]);
  }
  // A line shape (a milestone, deadline or today line, a leader) through a label's text, more than a
  // pixel inside its box: a label's own line stands beside it.
  const lines = [...document.querySelectorAll('.js-plotly-plot .shapelayer path')]
      .map(p => p.getBoundingClientRect()).filter(r => r.width < 3 && r.height > 0);
  const crossed = [];
  for (const b of boxes) for (const l of lines) {
    const x = l.left + l.width / 2;
    if (b.r.left + 1 < x && x < b.r.right - 1 && b.r.top + 1 < l.bottom && l.top < b.r.bottom - 1)
      crossed.push([b.t, Math.round(x)]);
  }
  return {count: boxes.length, overlaps: out, crossed: crossed};
}
"""


_VIEWED: dict[str, object] = {}


def _view(browser, url, width=1600, height=900):
    """A settled page for tests that only read it (and take screenshots): opened once per test process
    for each address, then resized to each size a test asks for (the screen probe reports the new size
    and the server lays the page out for it, as for a reader who resizes the window), scrolled to the
    top. Never closed by a test, never clicked."""
    page = _VIEWED.get(url)
    if page is None or page.is_closed():
        page = _VIEWED[url] = _open(browser, url, width, height)
    elif page.viewport_size != {"width": width, "height": height}:
        page.set_viewport_size({"width": width, "height": height})
        settle(page)
    page.evaluate("() => window.scrollTo(0, 0)")
    return page


def _open(browser, url, width=1600, height=900, **options):
    """A chart page, settled: laid out for its width, drawn, the script run finished."""
    page = new_page(browser, viewport={"width": width, "height": height}, **options)
    page.goto(url)
    page.wait_for_selector(".js-plotly-plot g.annotation")
    settle(page)
    return page


@pytest.mark.parametrize("name", list(CHART_PAGES))
@pytest.mark.parametrize("size", [(1600, 900), (1920, 1080)])
def test_chart_page_renders_labels_without_overlap(app, browser, name, size):
    path, labels = CHART_PAGES[name]
    page = _view(browser, f"{app}/{path}", *size)
    assert page.locator("[data-testid='stException']").count() == 0
    svg_text = " ".join(page.locator(".js-plotly-plot svg text").all_text_contents())
    for label in labels:
        assert re.search(label, svg_text), label
    # at these sizes each peak is a label on the chart, not only named in the footer's "Not labelled"
    on_chart = page.locator(".js-plotly-plot .annotation-text").all_text_contents()
    assert [p for p in labels if p.startswith("Peak") and p not in on_chart] == [], on_chart
    assert "Source: US DoD statements" in svg_text and "As of " in svg_text
    result = page.evaluate(OVERLAPS_JS)
    assert result["count"] >= 6
    assert result["overlaps"] == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}-{size[0]}x{size[1]}.png"))


def test_overview_screenshot_for_the_readme(app, browser):
    page = _open(browser, app, 1600, 1700)
    page.locator(".js-plotly-plot").first.scroll_into_view_if_needed()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "overview.png"))
    assert page.locator("[data-testid='stMetricValue']").first.inner_text() == "about 900 to about 1,000"
    page.close()


def test_a_shared_link_reopens_the_same_view(app, browser):
    page = _open(browser, f"{app}/iraq?window=since-2003&scale=log")
    ticks = page.locator(".js-plotly-plot .xtick text").all_text_contents()
    assert "2003" in ticks
    ytick = page.locator(".js-plotly-plot .ytick text").all_text_contents()
    assert "100,000" in ytick  # log ticks
    expect(page.get_by_role("radio", name="Since 2003")).to_be_checked()
    # the points table and the share panel's boxes are made when their panel opens
    tables = page.locator("[data-testid='stDataFrame']")
    assert page.locator("[data-testid='stCode']").count() == 0 and tables.count() == 1  # the page's list of points
    page.get_by_text("The chart's points as a table, with their sources").click()
    expect(tables).to_have_count(2)
    page.get_by_text("Share this view in a chat, a wiki or a data tool").click()
    preview = page.locator("[data-testid='stCode']").first
    expect(preview).to_contain_text(f"{app}/view/iraq?scale=log&window=since-2003")
    settle(page)
    expect(page.locator("[data-testid='stCode']")).to_have_count(6)
    expect(page.get_by_role("radio", name="Since 2003")).to_be_checked()  # the view is as it was
    page.close()


def _choose_since_2003(page) -> None:
    page.get_by_role("radio", name="Since 2003").click()
    page.wait_for_url(re.compile(r"window=since-2003"))


def _open_sources(browser, app, width=1600, height=900):
    page = new_page(browser, viewport={"width": width, "height": height})
    page.goto(f"{app}/sources")
    page.wait_for_selector("[data-testid='stDataFrame']")
    settle(page)
    return page


def test_changing_the_window_writes_it_to_the_address_bar(app, browser):
    page = _open(browser, app)
    _choose_since_2003(page)
    page.close()


def test_sources_page_lists_points_and_links(app, browser):
    page = _open_sources(browser, app)
    assert page.locator("[data-testid='stException']").count() == 0
    expect(page.get_by_text("Troop levels (70 of 70)")).to_be_visible()
    expect(page.get_by_role("button", name="Download data (CSV)")).to_be_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "sources-1600x900.png"))
    page.close()


def test_no_developer_chrome_in_the_served_app(app, browser):
    page = _view(browser, f"{app}/")
    assert page.get_by_text("Deploy").count() == 0


def test_upload_a_good_and_a_bad_scenario_through_the_real_page(app, browser):
    page = _open(browser, f"{app}/scenarios", 1600, 1800)
    good = (
        b"scenario,date,country,troops\n"
        b"<b>Fast</b> **exit**,2026-03-01,Syria,1000\n<b>Fast</b> **exit**,2026-05-01,Syria,0\n"
    )
    upload_csv(page, "fast.csv", good)
    legend = page.locator(".js-plotly-plot .legendtext").filter(has_text="Fast").first
    legend.wait_for()
    assert legend.text_content() == "<b>Fast</b> **exit**"  # uploaded markup is shown as text
    assert page.locator(".js-plotly-plot b, [data-testid='stMarkdown'] strong").filter(has_text="exit").count() == 0
    upload_csv(page, "bad.csv", b"date,country,troops\n2026-01-01,Syria,-5\n")
    error = page.get_by_text("A file was not loaded; everything on screen is as it was.")
    error.wait_for()
    expect(
        page.get_by_text(
            "bad.csv: row 2, column 'troops': '-5' is negative; troop numbers are 0 or more (0 is a full withdrawal)."
        )
    ).to_be_visible()
    expect(page.locator("[data-testid='stFileUploaderFile']").filter(has_text="bad.csv")).to_have_count(0)
    assert page.locator("[data-testid='stException']").count() == 0
    settle(page)
    assert page.locator(".js-plotly-plot .legendtext").filter(has_text="Fast").count() >= 1  # still there
    svg_text = " ".join(page.locator(".js-plotly-plot svg text").all_text_contents())
    assert "Peak about 2,000 acknowledged, Dec 2017" in svg_text  # and so is the baseline
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "scenarios-comparison.png"))
    page.close()


def test_a_deep_link_to_a_fresh_server_opens_the_same_page_as_the_navigation(browser):
    """A shared link is often the first request a server sees: it must get the full page, exactly as
    the navigation opens it (title, sidebar entries and their labels, the view from the URL)."""
    nav = "[data-testid='stSidebar'] [data-testid='stPageLink-NavLink']"
    with served_app() as base:
        page = _open(browser, f"{base}/iraq?window=since-2003")
        deep = (page.title(), page.locator(nav).all_inner_texts(), page.locator("h1").first.inner_text())
        assert deep == (
            "Iraq · US force posture: Syria and Iraq",
            ["Overview", "Syria", "Iraq", "Scenarios", "Sources", "Review"],
            "US troops in Iraq",
        )
        assert page.get_by_role("radio", name="Since 2003").is_checked()
        assert "2003" in page.locator(".js-plotly-plot .xtick text").all_text_contents()
        page.goto(base)  # and through the navigation, from the overview
        page.wait_for_selector(".js-plotly-plot g.annotation")
        _choose_since_2003(page)
        page.locator(nav).filter(has_text="Iraq").click()
        page.wait_for_url(re.compile(r"/iraq\?window=since-2003"))
        page.get_by_role("heading", name="US troops in Iraq").wait_for()
        page.wait_for_selector(".js-plotly-plot g.annotation")
        settle(page)
        assert (page.title(), page.locator(nav).all_inner_texts(), page.locator("h1").first.inner_text()) == deep
        expect(page.get_by_role("radio", name="Since 2003")).to_be_checked()
        for old in ("syria", "scenarios", "sources"):  # the old share links still open their pages
            page.goto(f"{base}/{old}")
            page.wait_for_selector("h1")
            assert page.locator("h1").first.inner_text() in ("US troops in Syria", "Scenarios", "Sources"), old
        page.close()


def test_a_download_button_delivers_the_exported_file(app, browser):
    page = _open(browser, f"{app}/syria", accept_downloads=True)
    for label, signature in (("PNG", b"\x89PNG\r\n\x1a\n"), ("PowerPoint", b"PK\x03\x04")):
        with page.expect_download() as download:
            page.get_by_role("button", name=label, exact=True).click()
        content = open(download.value.path(), "rb").read()
        assert download.value.suggested_filename.startswith("us-troops-syria-")
        assert content.startswith(signature) and len(content) > 50_000
    assert page.get_by_role("button", name="Download plot as a PNG").count() == 0  # one export path only
    page.goto(f"{app}/export/not-a-token/png")  # a made-up link: a plain 404, never a file
    assert "This export link is not known to this server" in page.inner_text("body")
    page.close()


@pytest.mark.parametrize("size", [(1920, 1080), (1280, 720)])
def test_briefing_view_is_the_headline_strip_and_a_16_9_chart_filling_the_window(app, browser, size):
    w, h = size
    page = _open(browser, f"{app}/?briefing=on", w, h)  # settled: laid out for the size the page reported
    box = page.locator(".js-plotly-plot").first.bounding_box()
    assert abs(box["width"] / box["height"] - 16 / 9) < 0.01, box
    assert box["y"] + box["height"] <= h and box["x"] + box["width"] <= w  # the whole chart is in the window
    assert box["width"] >= 0.8 * w or box["height"] >= 0.78 * h, box  # and it fills it
    assert page.locator("[data-testid='stMetricValue']").count() == 4
    assert page.get_by_role("button", name="PNG", exact=True).count() == 0  # no app chrome in the slide
    assert page.locator("[data-testid='stExpander']").count() == 0
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"briefing-{w}x{h}.png"))
    page.close()


def test_the_chart_has_an_accessible_name(app, browser):
    page = _view(browser, f"{app}/syria")
    named = page.locator("[aria-label^='Chart of US troop levels in Syria from 2014 to today: Syria latest']")
    assert named.count() >= 1


def test_one_analysts_scenarios_are_invisible_to_another_session(app, browser):
    first = _open(browser, f"{app}/scenarios", 1600, 1400)
    upload_csv(first, "mine.csv", b"scenario,date,country,troops\nMy secret plan,2026-03-01,Syria,700\n")
    first.locator(".js-plotly-plot .legendtext").filter(has_text="My secret plan").first.wait_for()
    # another tab: a session of its own, sharing the first one's cookies and storage, so that nothing the
    # browser keeps can carry a scenario from one session to the other unseen
    second = new_page(browser, viewport={"width": 1600, "height": 1400})
    second.goto(f"{app}/scenarios")
    second.wait_for_selector(".js-plotly-plot g.annotation")
    settle(second)
    expect(second.get_by_text("No scenario loaded yet")).to_be_visible()
    assert second.get_by_text("My secret plan").count() == 0
    second.close()
    first.close()


def test_three_analysts_exporting_at_once_each_get_their_own_file(app, browser):
    """Three sessions, each with its own uploaded scenario, click "SVG" at the same moment."""
    names = ["Alpha drawdown plan", "Bravo slower exit", "Charlie holds Qasrak"]
    pages = []  # three tabs of one browser: sessions of their own, sharing cookies and storage
    for i, name in enumerate(names):
        page = new_page(browser, viewport={"width": 1600, "height": 1000})
        page.goto(app)
        page.wait_for_selector(".js-plotly-plot g.annotation")
        csv = f"scenario,date,country,troops\n{name},2026-03-01,Syria,{900 - 100 * i}\n"
        upload_csv(page, f"s{i}.csv", csv.encode())
        page.locator(".js-plotly-plot .legendtext").filter(has_text=name).first.wait_for()
        settle(page)
        pages.append(page)
    buttons = [page.get_by_role("button", name="SVG", exact=True) for page in pages]
    with (
        pages[0].expect_download() as d0,
        pages[1].expect_download() as d1,
        pages[2].expect_download() as d2,
    ):
        for button in buttons:
            button.click()
    for name, download in zip(names, (d0, d1, d2), strict=True):
        svg = open(download.value.path(), "rb").read().decode()
        assert svg.startswith("<svg") and name in svg
        assert [other for other in names if other != name and other in svg] == []
    for page in pages:
        page.close()


def test_a_failed_export_says_so_under_the_buttons(browser):
    """An export browser that cannot draw in time: a plain message, never a file or a traceback."""
    import os

    env = dict(os.environ, FORCE_POSTURE_EXPORT_TIMEOUT="0.001")
    with served_app(env=env) as base:
        page = _open(browser, f"{base}/syria", 1600, 1000, accept_downloads=True)
        downloads = []
        page.on("download", lambda d: downloads.append(d))
        page.get_by_role("button", name="PNG", exact=True).click()
        reason = page.locator(".fp-export-status.fp-error")  # at once, under the buttons, in words
        reason.wait_for()
        words = reason.inner_text().strip()
        # which words depends on where the 0.001 s ran out (test_renderer.py checks each exactly)
        assert re.fullmatch(
            r"The PNG export failed\. The (PNG took longer than 0\.001 s to draw and was stopped|export browser "
            r"failed \(\w+\) while drawing the PNG); no file was made\. (The export browser|It) has been "
            r"restarted: please click the button again\.",
            words,
        ), words
        assert page.locator("[data-testid='stException']").count() == 0
        assert downloads == []
        page.get_by_role("button", name="SVG", exact=True).click()  # the page is whole: another try is answered
        page.locator(".fp-export-status").filter(has_text="The SVG export failed.").wait_for()
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "export-failed-1600x1000.png"))
        page.close()


WIDTHS = [(390, 844), (768, 1024), (1024, 768), (1280, 800), (1600, 900), (1920, 1080)]
PLOT_TOP_JS = "() => document.querySelector('.js-plotly-plot .nsewdrag').getBoundingClientRect().top"
CUT_OFF_JS = """
() => [...document.querySelectorAll('[data-testid="stMetricValue"], [data-testid="stMetricLabel"]')]
  .filter(e => e.scrollWidth > e.clientWidth + 1 || [...e.querySelectorAll('*')].some(
      c => c.scrollWidth > c.clientWidth + 1 && getComputedStyle(c).overflow === 'hidden'))
  .map(e => e.textContent)
"""


LEGEND_CUT_JS = """
() => { const plot = document.querySelector('.js-plotly-plot .main-svg').getBoundingClientRect();
  return [...document.querySelectorAll('.js-plotly-plot .legendtext')]
    .filter(t => t.getBoundingClientRect().right > plot.right + 0.5 || t.getBoundingClientRect().left < plot.left)
    .map(t => t.textContent); }
"""


X_RANGE_JS = "() => document.querySelector('.js-plotly-plot')._fullLayout.xaxis.range.map(d => d.slice(0, 10))"


def _a_year_before_this_month() -> str:
    today = dt.date.today()
    return today.replace(year=today.year - 1, day=1).isoformat()


def _settled(browser, url, w, h):
    page = _open(browser, url, w, h)  # laid out again for the width the page reported
    page.evaluate("() => window.scrollTo(0, 0)")
    return page


@pytest.mark.parametrize("name", list(CHART_PAGES))
@pytest.mark.parametrize("size", WIDTHS)
def test_at_every_width_no_label_overlaps_and_deadlines_and_today_are_labelled(app, browser, name, size):
    path, _ = CHART_PAGES[name]
    page = _view(browser, f"{app}/{path}", *size)
    result = page.evaluate(OVERLAPS_JS)
    assert result["overlaps"] == [], result["overlaps"]
    assert result["crossed"] == [], result["crossed"]  # no line through a label
    svg_text = " ".join(page.locator(".js-plotly-plot svg text").all_text_contents())
    assert re.search(SYRIA_DEADLINE, svg_text) and "Today" in svg_text
    if "Not labelled at this size" in svg_text:  # what gave way is named under the chart
        assert page.locator(".js-plotly-plot .annotation-text").filter(has_text="Not labelled").count() >= 1
    assert page.evaluate(CUT_OFF_JS) == []  # no headline figure or label is cut off
    assert page.evaluate(LEGEND_CUT_JS) == []  # nor any legend entry
    page.screenshot(path=str(ARTIFACTS / f"width-{name}-{size[0]}x{size[1]}.png"))


@pytest.mark.parametrize("name", list(CHART_PAGES))
@pytest.mark.parametrize("size", [(1280, 800), (390, 844)])
def test_each_window_button_redraws_the_chart_with_labels_clear_of_each_other_and_of_lines(app, browser, name, size):
    path, _ = CHART_PAGES[name]
    page = _open(browser, f"{app}/{path}?from=2025-01&to=2026-12", *size)  # a range from the link first
    assert page.evaluate(X_RANGE_JS) == ["2025-01-01", "2027-01-01"]
    expect(page.get_by_text("Showing Jan 2025 to Dec 2026, the range the link gave")).to_be_visible()
    for radio in page.locator("[data-testid=stButtonGroup]").get_by_role("radio").all():  # whole, wrapping on a phone
        box = radio.bounding_box()
        assert 0 <= box["x"] and box["x"] + box["width"] <= size[0], (radio.inner_text(), box)
    for button, window, start in [
        ("Last 12 months", "last-12-months", None),
        ("Since Apr 2025", "since-announcement", "2025-04-01"),
        ("Since 2003", "since-2003", "2003-01-01"),
        ("2014 on", None, "2014-01-01"),
    ]:
        page.get_by_role("radio", name=button).click()
        page.wait_for_url(re.compile(f"window={window}") if window else re.compile(r"^[^?]*$"))
        expect(page.get_by_role("radio", name=button)).to_be_checked()
        settle(page)
        shown = page.evaluate(X_RANGE_JS)
        assert shown[0] == (start or _a_year_before_this_month()), (button, shown)
        result = page.evaluate(OVERLAPS_JS)
        assert result["overlaps"] == [] and result["crossed"] == [], (button, result)
        page.screenshot(path=str(ARTIFACTS / f"window-{name}-{window or 'counter-is'}-{size[0]}.png"))
    page.close()


@pytest.mark.parametrize("name", list(CHART_PAGES))
@pytest.mark.parametrize("size", [(1366, 768), (1280, 800)])
def test_on_a_laptop_the_first_view_has_the_headline_and_the_plot(app, browser, name, size):
    path, _ = CHART_PAGES[name]
    page = _view(browser, f"{app}/{path}", *size)
    first = page.locator("[data-testid='stMetricValue']").first.bounding_box()
    assert first["y"] + first["height"] < size[1] / 2
    assert page.evaluate(PLOT_TOP_JS) < size[1] / 2  # the plot area starts in the upper half of the window
    page.screenshot(path=str(ARTIFACTS / f"first-view-{name}-{size[0]}x{size[1]}.png"))


def _chart_widths(page) -> list[int]:
    """The layout width of every overview chart the server sends this page, in order (read from the
    websocket: each script run that reaches the chart sends it again)."""
    widths: list[int] = []

    def on_frame(payload) -> None:
        text = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else payload
        if "Coalition Syria mission deadline" in text and '{"data":' in text:
            figure, _ = json.JSONDecoder().raw_decode(text, text.index('{"data":'))
            widths.append(figure["layout"]["width"])

    page.on("websocket", lambda ws: ws.on("framereceived", on_frame))
    return widths


def _visit(context, app):
    """A new session in this browser (a new tab, its cookies kept) opens the overview and settles: (the
    page, the widths sent to it)."""
    page = popup(context, {"width": 1600, "height": 900}, first_visit=False)
    widths = _chart_widths(page)
    page.goto(app)
    page.wait_for_selector(".js-plotly-plot g.annotation")
    settle(page)  # the probe reported the width; if the server had guessed wrong, the chart was sent again
    return page, widths


def test_a_returning_browser_gets_a_chart_laid_out_for_its_width_in_one_script_run(app, browser):
    context = new_context(browser, viewport={"width": 1600, "height": 900})
    try:
        first, first_widths = _visit(context, app)
        settled = first.evaluate("document.documentElement.dataset.fpScreen")
        assert first_widths == [int(settled.split("x")[0])] and settled.startswith("1120x")
        cookies = {c["name"]: c["value"] for c in context.cookies()}
        assert (cookies["fp_screen"], cookies["fp_screen_window"]) == (settled, "1600x900")
        first.close()
        _, again_widths = _visit(context, app)  # a new session in the same browser: the cookie carries the size
        assert again_widths == first_widths  # drawn once, at the right width
        # the same browser in a smaller window: its last report was made in another window, so the first
        # run is laid out for what Streamlit's layout gives this one (the page measures 800 at 1280x800)
        smaller = popup(context, {"width": 1280, "height": 800}, first_visit=False)
        widths = _chart_widths(smaller)
        smaller.goto(app)
        smaller.wait_for_selector(".js-plotly-plot g.annotation")
        settle(smaller)
        assert smaller.evaluate("document.documentElement.dataset.fpScreen") == "800x800" and widths == [800]
    finally:
        context.close()


def test_closing_the_sidebar_lays_the_chart_out_again_for_the_wider_column(app, browser):
    """The column widens without the window changing: the probe sees it and the chart is sent again for it."""
    page = new_page(browser, viewport={"width": 1280, "height": 800})
    widths = _chart_widths(page)
    page.goto(app)
    page.wait_for_selector(".js-plotly-plot g.annotation")
    settle(page)
    page.get_by_test_id("stSidebar").hover()
    page.get_by_test_id("stSidebarCollapseButton").get_by_role("button").click()
    # closed, and the column as wide as the window
    expect(page.get_by_test_id("stExpandSidebarButton")).to_be_visible()
    page.wait_for_function("() => document.querySelector('[data-testid=stMainBlockContainer]').clientWidth === 1280")
    settle(page)  # the column the page measures now is the one the chart was laid out for
    assert page.evaluate("document.documentElement.dataset.fpLaidOut") == "1120x800"
    assert widths == [800, 1120]
    page.close()


FIRST_VISITS = [
    (390, 844, ""),
    (768, 1024, ""),
    (769, 1024, ""),
    (863, 700, ""),
    (864, 700, ""),
    (1024, 768, ""),
    (1280, 800, ""),
    (1366, 768, ""),
    (1920, 1080, ""),
    (1280, 800, "?briefing=on"),
    (1920, 1080, "?briefing=on"),
]


@pytest.mark.parametrize("size", FIRST_VISITS, ids=lambda s: f"{s[0]}x{s[1]}{s[2]}")
def test_a_first_visit_is_laid_out_for_its_window_in_its_first_script_run(app, browser, size):
    """No cookie from an earlier visit: the page tells the server its window's size before the first run
    (web/app.py), whose layout is then what the page measures (ui/screen.column_for, Streamlit's layout at
    this width, its sidebar and padding on either side of their thresholds): the chart is sent once."""
    width, height, query = size
    page = new_page(browser, viewport={"width": width, "height": height})  # the app's cookies cleared
    try:
        widths = _chart_widths(page)
        page.goto(app + "/" + query)
        page.wait_for_selector(".js-plotly-plot g.annotation")
        settle(page)
        measured = page.evaluate("document.documentElement.dataset.fpScreen")
        assert len(widths) == 1, (measured, widths)  # one script run drew the chart: no second, corrected one
        if not query:  # the overview's chart is as wide as the column (the briefing's is 16:9 within it)
            assert widths[0] == int(measured.split("x")[0]), (measured, widths)
    finally:
        page.close()


def test_on_a_phone_the_legend_is_under_the_plot_and_the_controls_are_reachable(app, browser):
    page = _settled(browser, app, 390, 844)
    plot = page.locator(".js-plotly-plot .nsewdrag").last.bounding_box()
    legend = page.locator(".js-plotly-plot .legend").first.bounding_box()
    assert legend["y"] >= plot["y"] + plot["height"]  # below the plot: it never covers the data
    _choose_since_2003(page)  # the window buttons are on the page itself, under the title
    expand = page.locator("[data-testid='stExpandSidebarButton']")
    if expand.is_visible():  # the sidebar is folded away on a phone: one tap opens it
        expand.click()
    page.get_by_text("Show authorized caps").click()
    page.wait_for_url(re.compile(r"window=since-2003.*caps=off|caps=off.*window=since-2003"))
    page.close()


def test_on_a_phone_the_sources_tables_scroll_instead_of_squeezing(app, browser):
    page = _open_sources(browser, app, 390, 844)
    widths = page.evaluate(
        "() => [...document.querySelectorAll('[data-testid=\"stDataFrame\"] .dvn-scroller')]"
        ".map(e => [e.scrollWidth, e.clientWidth])"
    )
    assert widths and all(scroll > client for scroll, client in widths), widths
    hidden = page.evaluate(  # a filter's choices that only a sideways scroll would show
        "() => [...document.querySelectorAll('[data-testid=stButtonGroup] [aria-orientation=horizontal]')]"
        ".filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.getAttribute('aria-label'))"
    )
    assert hidden == []
    page.screenshot(path=str(ARTIFACTS / "sources-390x844.png"))
    page.close()


SIGNATURES = {"PNG": b"\x89PNG\r\n\x1a\n", "SVG": b"<svg", "PDF": b"%PDF-", "PowerPoint": b"PK\x03\x04"}


def test_started_the_plain_streamlit_way_every_export_button_delivers_its_file(browser):
    """`streamlit run dashboard.py`, as a new user who knows Streamlit starts it: every button on every
    chart page answers with the file it names (never Streamlit's own page saved under a chart's name)."""
    with served_app("dashboard.py") as base:
        # a deep link first: the first request this fresh server sees is a country page
        for path, stem in (("syria", "us-troops-syria-"), ("iraq", "us-troops-iraq-"), ("", "us-troops-overview-")):
            page = _open(browser, f"{base}/{path}", accept_downloads=True)
            for label, signature in SIGNATURES.items():
                with page.expect_download() as download:
                    page.get_by_role("button", name=label, exact=True).click()
                content = open(download.value.path(), "rb").read()
                assert download.value.suggested_filename.startswith(stem), (path, label)
                assert content.startswith(signature), (path, label, content[:40])
                assert b"<!DOCTYPE html>" not in content[:200] and b"<html" not in content[:200]
            assert page.locator(".fp-export-status.fp-error").count() == 0
            page.close()


def test_a_page_sent_in_place_of_the_file_is_refused_in_words(app, browser):
    """Whatever answers the export route with a web page (a server started without it, a proxy's error
    page), the button saves nothing and says why under the buttons."""
    page = _open(browser, f"{app}/syria", accept_downloads=True)
    page.route("**/export/**", lambda route: route.fulfill(status=200, content_type="text/html", body="<html></html>"))
    downloads = []
    page.on("download", lambda d: downloads.append(d))
    page.get_by_role("button", name="SVG", exact=True).click()
    reason = page.locator(".fp-export-status.fp-error")
    reason.wait_for()
    assert reason.inner_text().strip() == (
        "The server sent text/html instead of the file, so nothing was saved. If this keeps happening, the server "
        'was started without its export routes: start it with "make run" (or "streamlit run dashboard.py").'
    )
    assert downloads == []
    reason.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "export-refused-1600x900.png"))
    page.close()


OVERFLOWING_JS = "(b) => [b, ...b.querySelectorAll('*')].some((e) => e.scrollWidth > e.clientWidth + 1)"  # cut off


@pytest.mark.parametrize("size", [(1280, 800), (390, 844)])
def test_the_example_buttons_show_their_whole_labels(app, browser, size):
    page = _open(browser, f"{app}/scenarios", *size)
    try:
        buttons = page.locator("button").filter(has_text="Load example: ")
        expect(buttons).to_have_count(3)
        labels = {buttons.nth(i).inner_text(): buttons.nth(i).evaluate(OVERFLOWING_JS) for i in range(3)}
        assert labels == {
            f"Load example: {name}": False for name in ("Full withdrawal", "On schedule drawdown", "Slower drawdown")
        }
    finally:
        page.close()
