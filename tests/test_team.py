"""A team's server, for real: two app replicas sharing the test PostgreSQL server behind HAProxy with the
checked-in deploy/haproxy.cfg, and analysts told apart by the trusted proxy header."""

import os
import re

import pytest

from tests.browser import ARTIFACTS, haproxy, new_context, served_app, settle

pytestmark = pytest.mark.browser
HEADER = "X-Forwarded-User"


def _scenarios_page(context, url: str):
    page = context.new_page()
    page.goto(f"{url}/scenarios")
    page.get_by_text("Team library").first.wait_for()
    settle(page)
    return page


def _legend(page, name: str):
    """A scenario's legend entry (a long name wraps onto two lines: match its start)."""
    return page.locator(".js-plotly-plot .legendtext").filter(has_text=name[:12]).first


def _upload_and_save(page, name: str, visibility: str = "The team") -> str:
    csv = f'scenario,date,country,troops\n"{name}",2026-03-01,Syria,700\n"{name}",2026-09-01,Syria,300\n'
    page.locator("[data-testid='stFileUploaderDropzoneInput']").first.set_input_files(
        [{"name": "plan.csv", "mimeType": "text/csv", "buffer": csv.encode()}]
    )
    _legend(page, name).wait_for()
    page.get_by_label("Description", exact=True).fill("Saved in the team test")
    page.get_by_text(visibility, exact=True).click()
    page.get_by_role("button", name="Save to the library").click()
    saved = page.get_by_text(re.compile(rf"'{re.escape(name)} \(v\d+\)' is #\d+ in the library"))
    saved.wait_for()
    return re.search(r"is #(\d+)", saved.inner_text()).group(1)


def test_two_replicas_behind_the_balancer_share_one_library(pg_cluster, browser):
    pg_cluster.reset()
    env = dict(os.environ, FORCE_POSTURE_DATABASE_URL=pg_cluster.url)
    with served_app(env=env) as one, served_app(env=env) as two, haproxy([one, two]) as front:
        # two analysts through the balancer: sticky sessions keep each on one replica, whose upload works
        first = new_context(browser, viewport={"width": 1400, "height": 2400})
        page = _scenarios_page(first, front)
        saved_id = _upload_and_save(page, "Kurdistan held")
        replica = {c["name"]: c["value"] for c in first.cookies()}["FP_REPLICA"]
        assert replica in ("app1", "app2")
        # a colleague pinned to the other replica lists it at once, and opens it over the record
        other = "app2" if replica == "app1" else "app1"
        second = new_context(browser, viewport={"width": 1400, "height": 2400})
        second.add_cookies([{"name": "FP_REPLICA", "value": other, "url": front}])
        page2 = _scenarios_page(second, front)
        assert {c["name"]: c["value"] for c in second.cookies()}["FP_REPLICA"] == other
        listed = page2.locator("[role='gridcell']").filter(has_text="Kurdistan held")
        listed.first.wait_for(state="attached")  # the library's table (a canvas grid)
        page2.goto(f"{front}/?saved={saved_id}")
        _legend(page2, "Kurdistan held").wait_for()
        assert "Kurdistan held (v1)" in page2.locator(".js-plotly-plot .legendtext").all_text_contents()
        # and the first analyst's session is still whole on its own replica: a second upload works
        _upload_and_save(page, "Second plan")
        page.screenshot(path=str(ARTIFACTS / "team-library-1400.png"), full_page=False)
        first.close()
        second.close()
    with served_app(env=env) as restarted:  # every replica stopped and a new one started: nothing lost
        context = new_context(browser, viewport={"width": 1400, "height": 2400})
        page = _scenarios_page(context, restarted)
        for name in ("Kurdistan held", "Second plan"):
            page.locator("[role='gridcell']").filter(has_text=name).first.wait_for(state="attached")
        context.close()


def test_private_scenarios_stay_private_between_users_set_by_the_proxy_header(pg_cluster, browser):
    pg_cluster.reset()
    env = dict(os.environ, FORCE_POSTURE_DATABASE_URL=pg_cluster.url, FORCE_POSTURE_USER_HEADER=HEADER)
    with served_app(env=env) as app:  # the test plays the proxy: it sets the header on each analyst's requests
        alice = new_context(browser, viewport={"width": 1400, "height": 2400}, extra_http_headers={HEADER: "alice"})
        page = _scenarios_page(alice, app)
        page.get_by_text("You are: alice.").wait_for()
        private_id = _upload_and_save(page, "Alice only", visibility="Only its author")
        _upload_and_save(page, "For everyone", visibility="The team")
        bob = new_context(browser, viewport={"width": 1400, "height": 2400}, extra_http_headers={HEADER: "bob"})
        page_b = _scenarios_page(bob, app)
        page_b.get_by_text("You are: bob.").wait_for()
        page_b.locator("[role='gridcell']").filter(has_text="For everyone").first.wait_for(state="attached")
        assert page_b.locator("[role='gridcell']").filter(has_text="Alice only").count() == 0
        page_b.goto(f"{app}/?saved={private_id}")  # a link to it opens nothing, and says so
        page_b.get_by_text(f"No saved scenario #{private_id} that you can open").wait_for()
        assert _legend(page_b, "Alice only").count() == 0
        nobody = new_context(browser, viewport={"width": 1400, "height": 1400})  # no header: library closed
        page_n = _scenarios_page(nobody, app)
        page_n.get_by_text("The library is closed to this request.").wait_for()
        for context in (alice, bob, nobody):
            context.close()
