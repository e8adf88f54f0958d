"""Keyboard only (WCAG 2.1.1, 2.4.7, 2.4.11): with no mouse at all, an analyst reaches and operates
the view controls, the window buttons, every export button, the upload, and the library's save and
open, and every focus stop is visibly marked and not hidden under the page's header."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser import new_page, settle
from tests.test_browser import SIGNATURES

pytestmark = pytest.mark.browser

# The focused element, looked for inside the components' shadow roots too (the export buttons live
# in one): its name (an icon's ligature word left out), its box, and whether anything drawn over it
# (the page's header) hides it wholly: it is hidden when none of its centre and four inner corners
# shows the element itself.
FOCUSED_JS = """() => {
  let e = document.activeElement;
  while (e && e.shadowRoot && e.shadowRoot.activeElement) e = e.shadowRoot.activeElement;
  if (!e || e === document.body) return null;
  const r = e.getBoundingClientRect();
  const text = (e.getAttribute('aria-label') || e.innerText || e.value || '').split('\\n').filter(t => t.trim());
  const host = e.getRootNode().host || e;
  const shows = ([x, y]) => { const top = document.elementFromPoint(x, y);
    return top && (top === host || host.contains(top) || top.contains(host)); };
  const points = [[r.left + r.width / 2, r.top + r.height / 2], [r.left + 2, r.top + 2], [r.right - 2, r.top + 2],
                  [r.left + 2, r.bottom - 2], [r.right - 2, r.bottom - 2]];
  const over = document.elementFromPoint(points[0][0], points[0][1]);
  const what = over ? `${over.tagName.toLowerCase()} ${over.getAttribute('data-testid') || over.className}` : 'nothing';
  return {name: (text.length ? text[text.length - 1] : '').trim().slice(0, 60),
          role: e.getAttribute('role') || e.tagName.toLowerCase(), box: [r.left, r.top, r.width, r.height],
          hidden: r.width > 0 && !points.some(shows), over: what};
}"""
BLUR_JS = """() => { let e = document.activeElement;
  while (e && e.shadowRoot && e.shadowRoot.activeElement) e = e.shadowRoot.activeElement;
  window.fpFocused = e; e.blur(); }"""
REFOCUS_JS = "() => window.fpFocused.focus({preventScroll: true})"


def _open(browser, url: str, **options):
    """A settled page in front of the browser's other pages: a page behind them has no focus to show
    and opens no file dialog (the suite's other tests leave pages open in the same browser)."""
    page = new_page(browser, viewport={"width": 1280, "height": 800}, **options)
    # Listening for file dialogs from the start makes Playwright take them over before any key is
    # pressed (switched on only by the wait for one, it can lose the race with the key press itself).
    page.on("filechooser", lambda chooser: None)
    page.goto(url)
    page.wait_for_selector(".js-plotly-plot g.annotation")
    page.bring_to_front()
    settle(page)
    return page


def _focused(page) -> dict | None:
    return page.evaluate(FOCUSED_JS)


def _tab_to(page, name: str, limit: int = 200, exact: bool = True) -> dict:
    """Press Tab until the focused element's name is `name` (or, not `exact`, starts with it), at
    most `limit` times."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        stop = _focused(page)
        if stop and (stop["name"] == name if exact else stop["name"].startswith(name)):
            return stop
    raise AssertionError(f"{name!r} is not reached with Tab")


def _marked(page, stop: dict) -> bool:
    """The focus is visible: the element's neighbourhood looks different focused and unfocused."""
    x, y, w, h = stop["box"]
    clip = {"x": max(0, x - 6), "y": max(0, y - 6), "width": w + 12, "height": h + 12}
    focused = page.screenshot(clip=clip, animations="disabled")
    page.evaluate(BLUR_JS)
    unfocused = page.screenshot(clip=clip, animations="disabled")
    page.evaluate(REFOCUS_JS)
    return focused != unfocused


def test_every_focus_stop_on_the_overview_is_visible_and_never_under_the_header(app, browser):
    page = _open(browser, app)
    stops, names = [], []
    for _ in range(120):  # once round the page: back at the first stop
        page.keyboard.press("Tab")
        stop = _focused(page)
        if stop is None:
            continue
        if names and stop["name"] == names[0]:
            break
        stops.append(stop)
        names.append(stop["name"])
    for wanted in [
        "Skip to main content",
        "Overview",
        "Sources",
        "Show authorized caps",
        "Briefing view",
        "year, Record as known on",
        "Upload",
        "Last 12 months",
        "PNG",
        "SVG",
        "PDF",
        "PowerPoint",
        "Describe this chart in words",
    ]:
        assert any(wanted in n for n in names), (wanted, names)
    hidden = [(s["name"], s["box"], s["over"]) for s in stops if s["hidden"] and s["role"] != "main"]
    assert hidden == []  # 2.4.11: nothing (the header) covers a focused element wholly
    unmarked = []
    page.keyboard.press("Shift+Tab")  # walk back over every stop, checking each is marked
    for _ in range(len(stops)):
        stop = _focused(page)
        if stop and stop["role"] != "main" and stop["box"][2] > 0 and not _marked(page, stop):
            unmarked.append(stop["name"])
        page.keyboard.press("Shift+Tab")
    assert unmarked == []  # 2.4.7: every stop shows it has the focus
    page.close()


def test_a_closed_sidebar_takes_no_focus_stop_and_opened_again_its_links_do(app, browser):
    """Streamlit slides a closed sidebar off the page and left its links and controls in the Tab order:
    some twenty stops a keyboard could not see."""
    page = _open(browser, app)
    page.get_by_test_id("stSidebar").hover()
    page.get_by_test_id("stSidebarCollapseButton").get_by_role("button").click()
    page.wait_for_function("() => document.querySelector('[data-testid=stMainBlockContainer]').clientWidth === 1280")
    settle(page)
    stops = []
    for _ in range(60):
        page.keyboard.press("Tab")
        stop = _focused(page)
        if stop is not None:
            stops.append(stop)
    names = [s["name"] for s in stops]
    assert "PNG" in names and "Overview" not in names and "Upload" not in names, names
    assert [(s["name"], s["box"]) for s in stops if s["hidden"] and s["role"] != "main"] == []
    page.get_by_test_id("stExpandSidebarButton").click()
    page.wait_for_function("() => document.querySelector('[data-testid=stMainBlockContainer]').clientWidth < 1280")
    stop = _tab_to(page, "Syria")
    assert not stop["hidden"] and stop["box"][0] >= 0
    page.close()


def test_with_the_keyboard_alone_an_analyst_changes_the_view_and_window_and_exports_it(app, browser):
    page = _open(browser, app, accept_downloads=True)
    _tab_to(page, "Show authorized caps")
    page.keyboard.press("Space")
    page.wait_for_url(re.compile(r"caps=off"))
    _tab_to(page, "Last 12 months")  # the window buttons are one stop: the arrow keys choose
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Space")
    page.wait_for_url(re.compile(r"window=since-announcement"))
    expect(page.get_by_role("radio", name="Since Apr 2025")).to_be_checked()
    settle(page)
    _tab_to(page, "PNG")
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    assert open(download.value.path(), "rb").read().startswith(SIGNATURES["PNG"])
    # a day typed in the "known on" field applies on Enter, as on leaving the field, and the focus stays there
    _tab_to(page, "year, Record as known on")
    page.keyboard.type("20240601")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"known=2024-06-01"))
    page.get_by_text("Record as known on 1 Jun 2024: only figures").wait_for()
    assert "Record as known on" in _focused(page)["name"]
    page.close()


def test_with_the_keyboard_alone_an_analyst_uploads_saves_to_the_library_and_opens_from_it(app, browser):
    page = _open(browser, f"{app}/scenarios")
    _tab_to(page, "Upload")
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Enter")
    plan = b"scenario,date,country,troops\nKeyboard plan,2026-03-01,Syria,700\nKeyboard plan,2026-09-01,Syria,300\n"
    chooser.value.set_files([{"name": "plan.csv", "mimeType": "text/csv", "buffer": plan}])
    page.locator(".js-plotly-plot .legendtext").filter(has_text="Keyboard plan").first.wait_for()
    settle(page)
    _tab_to(page, "Name in the library")
    page.keyboard.type("Keyboard plan, typed")
    _tab_to(page, "Save to the library")
    page.keyboard.press("Enter")
    page.get_by_text("'Keyboard plan, typed (v1)' is #").wait_for()
    settle(page)
    _tab_to(page, "Open on the charts", exact=False)  # the library's picker: type to find, Enter to choose
    page.keyboard.type("Keyboard plan, typed (v1)")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    settle(page)
    _tab_to(page, "Open")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"saved=\d+"))
    page.close()
