"""A watch run end to end (watch/run.py, store/watched.py, `force-posture watch run`), against a real
HTTP server on 127.0.0.1 serving fixture feeds and articles: new items become leads, a second read adds
none, a 304 costs nothing, failures are kept in words, two outlets with one figure make one lead, and a
dismissed lead stays dismissed. Nothing here reaches the internet."""

import datetime as dt
import json
import os

import pytest

from force_posture.ops import cli
from force_posture.store import database, watched
from force_posture.watch import fetch, run, sources
from tests.watchsite import Site, serving, watch_list

NOW = dt.datetime(2026, 12, 5, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def site():
    with serving() as address:
        yield address


@pytest.fixture()
def unspaced(monkeypatch):
    """The command line's reader, without the second between two requests to one host: the fixture
    publisher is this machine (test_fetch checks the spacing against its own clock)."""
    monkeypatch.setattr(fetch, "DEFAULT_SPACING", 0.0)


def _list(tmp_path, site):
    path = tmp_path / "watched.csv"
    path.write_text(watch_list(site), encoding="utf-8")
    return sources.load(path)


def _run(store, chosen, at=NOW, force=False):
    reader = fetch.Reader(timeout=5.0, sleep=lambda s: None)
    try:
        return run.run(store, reader, chosen, lambda: at, force=force)
    finally:
        reader.close()


def test_new_items_become_leads_once_and_failures_are_kept_in_words(tmp_path, site):
    store = watched.Watched(database.Database(f"sqlite:///{tmp_path}/watch.sqlite3"))
    chosen = _list(tmp_path, site)
    said = [o.words() for o in _run(store, chosen)]
    assert said == [
        "Releases: read, 3 items (3 new), 2 new leads",
        "Broken: failed: the source answered HTTP 500 Internal Server Error.",
        "Malformed: failed: the feed is not well-formed (<unknown>:2:0: syntax error) and lists nothing.",
        "Press: read, 2 items (2 new), 1 new lead",
    ]
    found = {(lead.country, lead.troops, lead.qualifier): lead for lead in store.leads()}
    assert set(found) == {("Syria", 900, "about"), ("Iraq", 1100, "fewer_than"), ("Iraq", 2500, "about")}
    syria = found[("Syria", 900, "about")]
    (source,) = syria.sources
    assert source["sentence"] == "About 900 U.S. troops remain in Syria, a Pentagon spokesman said on Thursday."
    assert (source["published"], source["official"], syria.open) == (dt.date(2026, 12, 3), True, True)
    assert found[("Iraq", 1100, "fewer_than")].sources[0]["title"] == "Iraq drawdown update"
    assert found[("Iraq", 2500, "about")].outlets == ("127.0.0.1", "localhost")  # one story, two outlets
    assert "/articles/contracts.html" not in Site.hits  # not about troops in Syria or Iraq: not read
    states = {s.source: s for s in store.status((s.name, s.every) for s in chosen)}
    assert states["Broken"].failing_since == NOW and states["Broken"].error.startswith("the source answered HTTP 500")
    assert states["Releases"].last_new_item == NOW and states["Releases"].next_due == NOW + dt.timedelta(hours=1)
    assert not states["Broken"].failing_for_a_day(NOW) and states["Broken"].failing_for_a_day(
        NOW + dt.timedelta(days=1)
    )

    later = NOW + dt.timedelta(minutes=30)
    assert _run(store, chosen, later) == []  # nothing is due yet
    again = [o.words() for o in _run(store, chosen, later, force=True)]
    assert (
        again[0] == "Releases: not modified since the last read"
        and again[3] == "Press: read, 2 items (0 new), 0 new leads"
    )
    assert len(store.leads()) == 3  # the same items on the next run: no second lead


def test_a_dismissed_lead_stays_dismissed_and_a_decision_is_kept_once(tmp_path, site):
    store = watched.Watched(database.Database(f"sqlite:///{tmp_path}/watch.sqlite3"))
    _run(store, _list(tmp_path, site))
    lead = next(x for x in store.leads() if x.country == "Syria")
    with pytest.raises(database.DatabaseError, match="Say why the lead is dismissed"):
        store.decide(lead.id, watched.DISMISSED, "alice", NOW)
    store.decide(lead.id, watched.DISMISSED, "alice", NOW, reason="duplicate of the Feb figure")
    with pytest.raises(database.DatabaseError, match=f"Lead {lead.id} has been decided already"):
        store.decide(lead.id, watched.PROPOSED, "bob", NOW, thread=7)
    kept = next(x for x in store.leads() if x.id == lead.id)
    assert (kept.open, kept.decision["analyst"], kept.decision["reason"]) == (
        False,
        "alice",
        "duplicate of the Feb figure",
    )


def test_watch_run_on_the_command_line_reads_what_is_due_or_the_source_named(
    tmp_path, site, monkeypatch, capsys, unspaced
):
    _list(tmp_path, site)
    monkeypatch.setenv("FORCE_POSTURE_WATCH_FILE", str(tmp_path / "watched.csv"))
    url = f"sqlite:///{tmp_path}/cli.sqlite3"
    assert cli.main(["watch", "run", "--source", "Releases", "--database", url]) == 0
    assert capsys.readouterr().out == "Releases: read, 3 items (3 new), 2 new leads\n"
    assert cli.main(["watch", "run", "--source", "Nobody", "--database", url]) == 1
    assert "error: no watched source is named 'Nobody'; the list has: Releases, Broken, Malformed, Press." in (
        capsys.readouterr().err
    )


@pytest.mark.browser
def test_a_lead_found_by_the_watch_is_proposed_approved_and_drawn(tmp_path, site, browser, monkeypatch, unspaced):
    """The watch reads the fixture feed; alice sees the lead on the Review page, proposes it from the
    filled form; bob, an editor, approves it; the Syria page's headline shows the figure."""
    import re

    from playwright.sync_api import expect

    from tests.browser import ARTIFACTS, new_page, served_app, settle

    _list(tmp_path, site)
    url = f"sqlite:///{tmp_path}/team.sqlite3"
    monkeypatch.setenv("FORCE_POSTURE_WATCH_FILE", str(tmp_path / "watched.csv"))
    assert cli.main(["watch", "run", "--source", "Releases", "--database", url]) == 0
    env = {
        **os.environ,
        "FORCE_POSTURE_DATABASE_URL": url,
        "FORCE_POSTURE_USER_HEADER": "X-Test-User",
        "FORCE_POSTURE_EDITORS": "bob",
    }
    with served_app(env=env) as base:
        _leads_answer_only_a_named_analyst(base)
        page = new_page(browser, viewport={"width": 1280, "height": 1600})
        page.set_extra_http_headers({"X-Test-User": "alice"})  # every request of the tab, its websocket too
        page.goto(f"{base}/review")
        page.get_by_role("heading", name="Leads (2 new)").wait_for()
        lead = page.locator("[data-testid='stExpander']").filter(has_text="Syria: about 900 · 3 Dec 2026 · 1 outlet")
        lead.get_by_text("Syria: about 900 · 3 Dec 2026 · 1 outlet").click()
        lead.get_by_text("⟦About 900 U.S. troops⟧ remain in Syria, a Pentagon spokesman said").wait_for()
        lead.get_by_text("Propose this figure").click()
        # the toggle's run may not have begun when the click returns: wait for the form it draws, filled
        expect(lead.get_by_role("textbox", name="Troops (a whole number")).to_have_value("900")
        settle(page)
        page.screenshot(path=str(ARTIFACTS / "lead-to-propose-1280.png"), full_page=True)
        link = lead.get_by_role("textbox", name="Link to the source")
        assert link.input_value() == f"{site}/articles/syria.html"
        link.fill("https://www.war.gov/News/Releases/1/")  # the fixture's own address is refused as a source's
        link.press("Tab")
        settle(page)
        lead.get_by_role("button", name="Propose", exact=True).click()
        done = page.get_by_text(re.compile(r"Proposed #\d+: an editor reviews it on the Review page"))
        done.wait_for()
        number = re.search(r"#(\d+)", done.inner_text()).group(1)
        review = new_page(browser, viewport={"width": 1280, "height": 1600})
        review.set_extra_http_headers({"X-Test-User": "bob"})
        review.goto(f"{base}/review")
        review.get_by_text(
            f"#{number} · round 1 · open · New troop-level figure: Syria, 2026-12-03, about 900"
        ).wait_for()
        review.get_by_text("Approve", exact=True).click()
        settle(review)
        review.get_by_role("button", name="Record the decision").click()
        review.get_by_text(re.compile(rf"Proposal #{number} is approved")).wait_for()
        page.goto(f"{base}/syria")
        settle(page)
        latest = page.locator("[data-testid='stMetric']").first
        assert latest.locator("[data-testid='stMetricValue']").inner_text() == "about 900"
        assert latest.locator("[data-testid='stMetricLabel']").inner_text().endswith("· official")  # an official feed
        footer = page.locator(".js-plotly-plot .annotation-text").filter(has_text="Sources last checked")
        assert re.fullmatch(r"Sources last checked: \d+ \w{3} \d{4} \d\d:\d\d UTC; 0 failing", footer.text_content())
        (proposed,) = _get_json(f"{base}/api/leads.json?state=proposed", {"X-Test-User": "carol"})[1]["data"]
        assert (proposed["troops"], proposed["in_record"], proposed["decision"]["analyst"]) == (900, True, "alice")
        assert proposed["decision"]["thread"] == int(number)
        page.close()
        review.close()


def _get_json(address: str, headers: dict) -> tuple[int, dict | str, dict]:
    import urllib.error
    import urllib.request

    from tests.browser import TIMEOUT_S

    request = urllib.request.Request(address, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as reply:  # noqa: S310
            return reply.status, json.loads(reply.read()), {k.lower(): v for k, v in reply.headers.items()}
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode(), {k.lower(): v for k, v in err.headers.items()}


def _leads_answer_only_a_named_analyst(base: str) -> None:
    """/api/leads.json on a team's server: refused without the proxy's identity, the leads with it; the
    open data says how fresh the watch is too."""
    status, said, headers = _get_json(f"{base}/api/leads.json", {})
    assert status == 403 and said.startswith("No identity was set by the team's proxy")
    assert headers["cache-control"] == "no-store"
    status, said, headers = _get_json(f"{base}/api/leads.json?country=SYRIA&state=open", {"X-Test-User": "carol"})
    assert status == 200 and headers["cache-control"] == "no-store" and "access-control-allow-origin" not in headers
    assert (said["rows"], said["new"], said["country"]) == (1, 1, "Syria")
    assert said["sources_checked"].startswith("sources last checked: ") and said["sources_checked"].endswith(
        "0 failing"
    )
    (lead,) = said["data"]
    assert (lead["troops"], lead["qualifier"], lead["day"], lead["state"], lead["in_record"]) == (
        900,
        "about",
        "2026-12-03",
        "open",
        False,
    )
    assert lead["sources"][0]["sentence"].startswith("About 900 U.S. troops remain in Syria")
    status, said, _ = _get_json(f"{base}/api/leads.json?limit=0", {"X-Test-User": "carol"})
    assert (status, said) == (400, "limit='0': give a whole number from 1 to 500.\n")
    status, said, headers = _get_json(f"{base}/api/troop_levels.json?country=syria", {})
    assert status == 200 and said["sources_checked"] == headers["x-sources-checked"]
    assert headers["x-sources-checked"].endswith("; 0 failing")
