"""A team's server, for real: two app replicas sharing the test PostgreSQL server behind HAProxy with the
checked-in deploy/haproxy.cfg, and analysts told apart by the trusted proxy header."""

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from force_posture.core import data
from tests import watchsite
from tests.browser import (
    ARTIFACTS,
    ROOT,
    START_TIMEOUT_S,
    TIMEOUT_S,
    free_port,
    kept_context,
    new_page,
    popup,
    settle,
    upload_csv,
    wait_healthy,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.team,
    pytest.mark.xdist_group("team"),
]  # one worker: they share one server
HEADER = "X-Forwarded-User"


def _scenarios_page(page, url: str):
    page.goto(f"{url}/scenarios")
    page.get_by_text("Team library").first.wait_for()
    settle(page)
    return page


def _legend(page, name: str):
    """A scenario's legend entry (a long name wraps onto two lines: match its start)."""
    return page.locator(".js-plotly-plot .legendtext").filter(has_text=name[:12]).first


def _upload_and_save(page, name: str, visibility: str = "The team") -> str:
    csv = f'scenario,date,country,troops\n"{name}",2026-03-01,Syria,700\n"{name}",2026-09-01,Syria,300\n'
    upload_csv(page, "plan.csv", csv.encode())
    _legend(page, name).wait_for()
    page.get_by_label("Description", exact=True).fill("Saved in the team test")
    page.get_by_text(visibility, exact=True).click()
    page.get_by_role("button", name="Save to the library").click()
    saved = page.get_by_text(re.compile(rf"'{re.escape(name)} \(v\d+\)' is #\d+ in the library"))
    saved.wait_for()
    return re.search(r"is #(\d+)", saved.inner_text()).group(1)


# ---- the team's server as an operator runs it: serve-team's supervisor, a replica killed, a rolling restart


class Team:
    """`force-posture team serve` (what scripts/serve-team runs) on free ports, its output kept line by line."""

    def __init__(self, env: dict):
        self.ports = {"8500": free_port(), "8511": free_port(), "8512": free_port(), "8513": free_port()}
        config = (ROOT / "deploy" / "haproxy.cfg").read_text()
        for default, port in self.ports.items():
            config = config.replace(f"127.0.0.1:{default}", f"127.0.0.1:{port}")
        self.run = tempfile.mkdtemp(prefix="fp-team-", dir="/tmp")  # short: HAProxy's socket path has a limit
        (Path(self.run) / "haproxy.cfg").write_text(config)
        self.env = dict(
            env,
            FORCE_POSTURE_HAPROXY_CONFIG=f"{self.run}/haproxy.cfg",
            FORCE_POSTURE_RUN_DIR=self.run,
            STREAMLIT_SERVER_COOKIE_SECRET="one-secret-for-every-replica-of-the-test",
        )
        self.front = f"http://127.0.0.1:{self.ports['8500']}"
        self.lines: list[str] = []
        self.changed = threading.Condition()
        command = [sys.executable, "-m", "force_posture.ops.cli", "team", "serve"]
        self.proc = subprocess.Popen(
            command, cwd=ROOT, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            with self.changed:
                self.lines.append(line.rstrip())
                self.changed.notify_all()

    def said(self) -> list[str]:
        return [line.removeprefix("serve-team: ") for line in self.lines if line.startswith("serve-team: ")]

    def wait_for(self, pattern: str, after: int = 0, timeout: float = START_TIMEOUT_S) -> re.Match:
        """The first line of serve-team's own output (from line `after` on) that matches `pattern`."""
        deadline = time.monotonic() + timeout
        with self.changed:
            while True:
                for line in self.said()[after:]:
                    if m := re.search(pattern, line):
                        return m
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"serve-team never said /{pattern}/:\n" + "\n".join(self.lines[-40:]))
                self.changed.wait(1)

    def latest(self, pattern: str) -> re.Match:
        """The last line serve-team has said so far that matches `pattern`."""
        with self.changed:
            return [m for line in self.said() if (m := re.search(pattern, line))][-1]

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        shutil.rmtree(self.run, ignore_errors=True)


@pytest.fixture(scope="module")
def team(pg_cluster):
    """One supervised team's server for this file's tests (each names its own scenarios): two replicas
    on the test PostgreSQL behind the checked-in HAProxy config, started once, as an operator starts it."""
    pg_cluster.reset()
    site = watchsite.serving()
    address = site.__enter__()
    listed = Path(tempfile.mkdtemp(prefix="fp-watch-")) / "watched.csv"
    listed.write_text(watchsite.watch_list(address), encoding="utf-8")
    env = dict(
        os.environ,
        FORCE_POSTURE_WATCH_FILE=str(listed),
        FORCE_POSTURE_DATABASE_URL=pg_cluster.url,
        FORCE_POSTURE_USER_HEADER=HEADER,
        FORCE_POSTURE_SSO_HEADER="X-Sso-User",
        FORCE_POSTURE_EDITORS="bob",
        FORCE_POSTURE_DRAIN_SECONDS=str(TIMEOUT_S / 12),
    )
    running = Team(env)
    try:
        running.wait_for(r"serving the team on ")
        yield running
    finally:
        running.stop()
        site.__exit__(None, None, None)
        shutil.rmtree(listed.parent, ignore_errors=True)


def test_the_supervisor_runs_the_source_watch_and_its_leads_reach_signed_in_analysts(team):
    """serve-team runs the watch once the replicas serve (the fixture publisher on 127.0.0.1), says its
    lines, and the leads it keeps in the team's PostgreSQL are at /api/leads.json through the balancer,
    for an analyst the single sign-on named only."""
    import json
    import urllib.error

    team.wait_for(r"^source watch: Releases: read, 3 items \(3 new\), 2 new leads$")
    team.wait_for(r"^source watch: Broken: failed")
    request = urllib.request.Request(f"{team.front}/api/leads.json", headers={"X-Sso-User": "alice"})
    with urllib.request.urlopen(request, timeout=TIMEOUT_S) as reply:  # noqa: S310
        said = json.loads(reply.read())
    found = sorted((lead["country"], lead["troops"], len(lead["outlets"])) for lead in said["data"])
    assert found == [("Iraq", 1100, 1), ("Iraq", 2500, 2), ("Syria", 900, 1)]
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{team.front}/api/leads.json", timeout=TIMEOUT_S)  # noqa: S310
    assert refused.value.code == 403


ANALYST_VIEWPORT = {"width": 1400, "height": 2000}
_BROWSERS: dict[str, object] = {}  # each analyst's own browser (a context), kept for this file's tests


@pytest.fixture(scope="module", autouse=True)
def _analysts_browsers():
    yield
    for context in _BROWSERS.values():
        context.close()
    _BROWSERS.clear()


def _analyst(browser, team: Team, who: str, replica: str, review: bool = False):
    """An analyst signed in by the single sign-on (it sets X-Sso-User), pinned to one replica, on the
    Scenarios page (or the Review page): a new tab of that analyst's own browser, which keeps its scripts
    compiled from one test to the next as an analyst's browser does (each test closes its tabs)."""
    context = _BROWSERS.get(who)
    if context is None:
        context = _BROWSERS[who] = kept_context(browser, extra_http_headers={"X-Sso-User": who})
    context.add_cookies([{"name": "FP_REPLICA", "value": replica, "url": team.front}])
    page = popup(context, ANALYST_VIEWPORT)
    if review:
        page.goto(f"{team.front}/review")
        settle(page)
    else:
        _scenarios_page(page, team.front)
    # the identity came through the checked-in config (the Review page says whether one is an editor)
    page.get_by_text(re.compile(rf"^You are: {who}[. ]")).wait_for()
    return context, page


def _upload(page, name: str) -> None:
    csv = f'scenario,date,country,troops\n"{name}",2026-03-01,Syria,600\n"{name}",2026-10-01,Syria,200\n'
    upload_csv(page, f"{name}.csv", csv.encode())
    _legend(page, name).wait_for()


def test_two_replicas_behind_the_balancer_share_one_library(team, browser):
    # two analysts through the balancer, each pinned to a replica: one saves, the other lists it at once
    alice, page = _analyst(browser, team, "alice", "app1")
    saved_id = _upload_and_save(page, "Kurdistan held")
    bob, page2 = _analyst(browser, team, "bob", "app2")
    assert {c["name"]: c["value"] for c in bob.cookies()}["FP_REPLICA"] == "app2"
    listed = page2.locator("[role='gridcell']").filter(has_text="Kurdistan held")
    listed.first.wait_for(state="attached")  # the library's table (a canvas grid)
    page2.goto(f"{team.front}/?saved={saved_id}")  # and opens it over the record
    _legend(page2, "Kurdistan held").wait_for()
    assert "Kurdistan held (v1)" in page2.locator(".js-plotly-plot .legendtext").all_text_contents()
    # and the first analyst's session is still whole on its own replica: a second upload works
    _upload_and_save(page, "Second plan")
    page.screenshot(path=str(ARTIFACTS / "team-library-1400.png"), full_page=False)
    for tab in (page, page2):
        tab.close()


def test_private_scenarios_stay_private_between_users_set_by_the_proxy_header(team, browser):
    alice, page = _analyst(browser, team, "alice", "app1")
    private_id = _upload_and_save(page, "Alice only", visibility="Only its author")
    _upload_and_save(page, "For everyone", visibility="The team")
    bob, page_b = _analyst(browser, team, "bob", "app1")
    page_b.locator("[role='gridcell']").filter(has_text="For everyone").first.wait_for(state="attached")
    assert page_b.locator("[role='gridcell']").filter(has_text="Alice only").count() == 0
    page_b.goto(f"{team.front}/?saved={private_id}")  # a link to it opens nothing, and says so
    page_b.get_by_text(f"No saved scenario #{private_id} that you can open").wait_for()
    assert _legend(page_b, "Alice only").count() == 0
    # no sign-on: the library is closed, even to a browser that sends the header the balancer sets itself
    page_n = new_page(browser, viewport={"width": 1400, "height": 1400})
    page_n.set_extra_http_headers({HEADER: "alice"})  # every request of the tab, its websocket too
    _scenarios_page(page_n, team.front).get_by_text("The library is closed to this request.").wait_for()
    for tab in (page, page_b, page_n):
        tab.close()


def test_alice_proposes_on_one_replica_bob_approves_on_the_other_and_every_page_shows_it(team, browser):
    """The living record across replicas: a figure proposed by alice (a CSV of one row on the Sources page of
    app1), approved by bob, an editor, on app2's Review page; alice's open overview on app1 redraws with it,
    with no click, and the API, the feed and "what changed since" on the team's address have it."""
    alice, page_a = _analyst(browser, team, "alice", "app1")
    page_a.goto(f"{team.front}/sources")
    page_a.get_by_text("Propose many rows from a CSV file").click()
    row = (
        "2026-11-30,Syria,850,,,fewer_than,acknowledged,Pentagon press briefing,https://www.defense.gov/News/x,"
        "The spokesman said fewer than 850 remain.,2026-11-30,official,1,fewer than 850 US troops remain,"
        "A new figure\n"
    )
    csv = ",".join([*data.LEVEL_COLUMNS, "quote", "reason"]) + "\n" + row
    upload_csv(page_a, "new.csv", csv.encode(), last=True)
    page_a.get_by_role("button", name="Propose these 1 rows").click()
    done = page_a.get_by_text(re.compile(r"Proposed #\d+: an editor reviews it on the Review page"))
    done.wait_for()
    number = re.search(r"#(\d+)", done.inner_text()).group(1)
    page_a.goto(f"{team.front}/syria")  # alice reads the Syria page while the proposal waits
    settle(page_a)
    assert page_a.locator("[data-testid='stMetricValue']").first.inner_text() != "fewer than 850"
    # bob, an editor, on the other replica: the navigation says one waits; he approves it
    bob, page_b = _analyst(browser, team, "bob", "app2", review=True)
    page_b.get_by_role("link", name=re.compile(r"Review \(\d+ to review\)")).wait_for()
    page_b.get_by_text(
        f"#{number} · round 1 · open · New troop-level figure: Syria, 2026-11-30, fewer than 850"
    ).wait_for()
    assert page_b.get_by_text("Quote: fewer than 850 US troops remain").count() == 1
    page_b.get_by_text("Approve", exact=True).click()
    settle(page_b)
    page_b.get_by_role("button", name="Record the decision").click()
    approved = page_b.get_by_text(re.compile(rf"Proposal #{number} is approved: the record is now version (\w+)\."))
    approved.wait_for()
    version = re.search(r"version (\w+)\.", approved.inner_text()).group(1)
    started = time.monotonic()
    page_a.locator("[data-testid='stMetricValue']").filter(has_text="fewer than 850").first.wait_for()
    print(f"alice's open page on app1 showed the approval {time.monotonic() - started:.1f} s after it was made")
    page_a.screenshot(path=str(ARTIFACTS / "team-record-approved-1400.png"))
    with urllib.request.urlopen(team.front + "/api/troop_levels.json?country=Syria") as reply:  # noqa: S310
        assert reply.headers["X-Record-Version"] == version
        body = reply.read().decode()
    assert '"record_version": "' + version + '"' in body and '"troops": 850' in body
    with urllib.request.urlopen(team.front + "/feed.atom") as reply:  # noqa: S310
        feed = reply.read().decode()
    assert f"Record version {version}" in feed
    assert "fewer than 850 (acknowledged). Proposed by alice, approved by bob: A new figure" in feed
    with urllib.request.urlopen(team.front + "/api/changes.csv?since=2026-11-29") as reply:  # noqa: S310
        assert "fewer than 850 (acknowledged)" in reply.read().decode()
    for tab in (page_a, page_b):
        tab.close()


def test_a_killed_replica_is_no_outage_and_comes_back_on_its_own(team, browser):
    alice, page_a = _analyst(browser, team, "alice", "app1")
    bob, page_b = _analyst(browser, team, "bob", "app2")
    kept = _upload_and_save(page_a, "Alice kept")
    page_a.wait_for_url(re.compile(rf"saved={kept}"))
    _upload(page_a, "Alice unsaved")
    _upload(page_b, "Bob first")
    pid = int(team.latest(r"replica app1 on :\d+ started \(pid (\d+)\)").group(1))
    mark = len(team.said())
    os.kill(pid, signal.SIGKILL)
    team.wait_for(r"replica app1 on :\d+ was killed by SIGKILL; the others keep serving", after=mark)
    # Alice's tab reconnects by itself to a new session on the survivor: her saved scenario is there, and
    # the page says which unsaved one did not come with it
    notice = page_a.locator("[data-testid='stAlert']").filter(has_text="This tab started a new session")
    notice.wait_for()
    assert "the unsaved scenario 'Alice unsaved' did not come with it" in notice.inner_text()
    _legend(page_a, "Alice kept (v1)").wait_for()
    settle(page_a)  # the run is over: what it did not draw again (the old session's chart) is gone
    assert _legend(page_a, "Alice unsaved").count() == 0
    notice.scroll_into_view_if_needed()
    page_a.screenshot(path=str(ARTIFACTS / "team-replica-killed-1400.png"))
    # Bob, on the survivor, keeps working in the same session, without a reload
    _upload(page_b, "Bob second")
    assert _legend(page_b, "Bob first").count() == 1
    assert page_b.get_by_text("This tab started a new session").count() == 0
    # the dead replica comes back on its own, and Alice's session goes on working wherever it now is
    team.wait_for(r"replica app1 on :\d+ is back", after=mark)
    _upload(page_a, "Alice again")
    assert _legend(page_a, "Alice kept (v1)").count() == 1
    for tab in (page_a, page_b):
        tab.close()


def test_serve_team_refuses_to_start_when_the_balancer_sets_no_identity_header():
    env = dict(
        os.environ,
        FORCE_POSTURE_DATABASE_URL="postgresql://fp@127.0.0.1:9/none",
        FORCE_POSTURE_USER_HEADER=HEADER,
        FORCE_POSTURE_TEAM_ENV="no-such-settings-file",
    )
    env.pop("FORCE_POSTURE_SSO_HEADER", None)
    started = subprocess.run(
        ["scripts/serve-team"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=TIMEOUT_S
    )
    assert started.returncode == 1
    assert started.stderr.strip().splitlines()[-1] == (
        "error: FORCE_POSTURE_USER_HEADER=X-Forwarded-User is set, but the balancer sets no X-Forwarded-User "
        "header, so every analyst would find the library closed. Set FORCE_POSTURE_SSO_HEADER to the header "
        "your single sign-on puts on each request (in the team's settings file), or unset "
        "FORCE_POSTURE_USER_HEADER to serve everyone as one local analyst."
    )


def test_a_decision_lands_on_the_round_the_editor_saw_across_two_replicas(team, browser, pg_cluster):
    """Issue 32's race: bob (editor, app2) opens alice's correction #N at round 1, chooses "Reject" and
    writes a reason; alice (app1) brings #N up to date (round 2); bob clicks "Record the decision" on his
    page as it was. The record refuses it with its sentence, bob's page shows round 2 with his reason kept
    and no decision chosen, and nothing is decided. His open page also shows a new proposal on its own,
    keeping a reason he is still typing."""
    import datetime as dt

    from force_posture.core import amend, data
    from force_posture.store import database, record

    rec = record.Record(database.Database(pg_cluster.url))
    raws, _ = rec.current()
    row = next(r for r in raws[data.MILESTONES_FILE].to_dict("records") if r["label"] == "Main US convoy leaves Qasrak")
    alice_api, bob_api = record.Analyst("alice", editor=False), record.Analyst("bob", editor=True)
    now, today = dt.datetime.now(dt.UTC), dt.date.today()

    def fix(**columns):
        return amend.Change(
            amend.CORRECTION,
            data.MILESTONES_FILE,
            quote="q",
            reason="r",
            row=columns,
            target=row,
            source="Reuters",
            url="https://www.reuters.com/x",
            published=today.isoformat(),
        )

    first = rec.propose(alice_api, fix(label="US convoy leaves Qasrak"), now, today)
    raced = rec.propose(alice_api, fix(detail="The main convoy left on 23 Feb."), now, today)
    rec.decide(bob_api, first.thread, first.latest.id, record.APPROVED, "", now, today)
    bob, page_b = _analyst(browser, team, "bob", "app2", review=True)
    assert page_b.get_by_text("Served by replica app2").count() == 1  # an operator can tell who is where
    page_b.get_by_label("Review proposal").click()
    page_b.get_by_role("option", name=f"#{raced.thread}", exact=True).click()
    page_b.get_by_text(f"#{raced.thread} · round 1 · open · Correction of the milestone").wait_for()
    record_it = page_b.get_by_role("button", name="Record the decision")
    assert record_it.is_disabled()  # nothing is preselected
    page_b.get_by_text("Reject", exact=True).click()
    reason = page_b.get_by_label(re.compile(r"^Reason \(needed to reject"))
    reason.fill("The detail is not in the quote.")
    reason.press("Tab")
    settle(page_b)
    alice, page_a = _analyst(browser, team, "alice", "app1", review=True)
    page_a.get_by_role("button", name=f"Bring #{raced.thread} up to date with the row as it reads now").click()
    page_a.get_by_text(f"#{raced.thread} is up to date (round 2).").wait_for()
    record_it.click()
    page_b.get_by_text(
        f"Proposal #{raced.thread} has changed since you opened it (round 2 is the newest); review it again."
    ).wait_for()
    page_b.get_by_text(f"#{raced.thread} · round 2 · open · Correction of the milestone").wait_for()
    settle(page_b)
    assert page_b.get_by_text(re.compile(rf"Proposal #{raced.thread} is ")).count() == 0
    assert page_b.get_by_role("radio", checked=True).count() == 0
    assert reason.input_value() == "The detail is not in the quote."
    assert [r.decision for r in rec.proposal(raced.thread).rounds] == [None, None]
    # a new proposal reaches bob's open page on its own, and a reason he is typing stays
    waiting = int(re.search(r"\((\d+)\)", page_b.get_by_text(re.compile(r"^Waiting for review")).inner_text())[1])
    reason.fill("The detail is not in the quote; half-written")
    figure = {
        "date": "2026-11-20",
        "country": "Iraq",
        "troops": "1000",
        "low": "",
        "high": "",
        "basis": "reported",
        "qualifier": "fewer_than",
        "source": "Reuters",
        "url": "https://www.reuters.com/y",
        "note": "A report.",
        "published": "2026-11-21",
    }
    rec.propose(alice_api, amend.Change(amend.NEW, data.LEVELS_FILE, "fewer than 1,000", "r", row=figure), now, today)
    page_b.get_by_text(f"Waiting for review ({waiting + 1})").wait_for()
    settle(page_b)
    assert reason.input_value() == "The detail is not in the quote; half-written"
    assert page_b.get_by_text("has changed since you opened it").count() == 1  # until bob decides again
    page_b.screenshot(path=str(ARTIFACTS / "team-review-round-refused-1400.png"), full_page=True)
    for tab in (page_a, page_b):
        tab.close()
    rec.db.engine.dispose()


def _streams(page) -> list[str]:
    """The page's websocket connections to a replica from now on (one more each time its session moves)."""
    opened: list[str] = []
    page.on("websocket", lambda ws: opened.append(ws.url) if "_stcore/stream" in ws.url else None)
    return opened


STEPS = [
    "rolling restart: app3",
    "rolling restart: draining app1",
    "rolling restart: app1",
    "rolling restart: app1",
    "rolling restart: draining app2",
    "rolling restart: app2",
    "rolling restart: done, every replica restarted",
]  # the new code in the spare slot, app1's analysts handed to it, app1's slot the new code, app2's analysts


def test_a_rolling_restart_moves_each_analyst_once_and_the_team_address_never_fails(team, browser):
    """Last in this file: it leaves app3 and app1 serving, app2 the spare. The new code starts in the spare
    slot first; each old replica then hands its analysts to the new code and stops (restarting in place moved
    app1's analysts twice: to app2, then back when app2 restarted)."""
    serving = next(i for i, line in enumerate(team.lines) if "serving the team on" in line)
    assert not any("is DOWN" in line for line in team.lines[:serving])  # HAProxy came up after the replicas
    alice, page_a = _analyst(browser, team, "alice", "app1")
    bob, page_b = _analyst(browser, team, "bob", "app2")
    _upload_and_save(page_a, "Before the restart")
    moves = {"alice": _streams(page_a), "bob": _streams(page_b)}
    failures, checks, done = [], [0], threading.Event()

    def watch():  # the team's address, asked all through the restart
        while not done.is_set():
            checks[0] += 1
            if not wait_healthy(team.front, team.proc, 5):
                failures.append(time.monotonic())

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    mark = len(team.said())
    # the operator's command follows the restart to its end, each step on its own line
    restart = subprocess.Popen(
        ["scripts/serve-team", "restart"],
        cwd=ROOT,
        env=team.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    team.wait_for(r"rolling restart: draining app1", after=mark)
    # while app1 hands over, a new analyst is sent to the new code only (app2 keeps its own, takes nobody new)
    with urllib.request.urlopen(team.front + "/") as reply:  # noqa: S310 (the test's own balancer)
        assert "FP_REPLICA=app3" in reply.headers.get("Set-Cookie", "")
    team.wait_for(r"rolling restart: done, every replica restarted", after=mark, timeout=8 * TIMEOUT_S)
    out, err = restart.communicate(timeout=TIMEOUT_S)
    assert restart.returncode == 0, err
    followed = [line.removeprefix("force-posture team: ") for line in out.splitlines()]
    assert followed[0].startswith("asked serve-team (pid ") and followed[0].endswith("each step as it happens:")
    assert [line.split(" (")[0] for line in followed[1:] if line.startswith("rolling restart:")] == STEPS
    assert followed[-1] == "rolling restart: done, every replica restarted (now app3, app1; app2 is the spare)"
    done.set()
    watcher.join()
    said = team.said()[mark:]
    assert [s.split(" (")[0] for s in said if s.startswith("rolling restart:")] == STEPS
    assert not any("was killed" in line or "exited" in line for line in said)  # stopped on purpose: no crash
    assert failures == [] and checks[0] > 1
    # each analyst's tab is connected again, once, and works
    for page in (page_a, page_b):
        page.get_by_text(re.compile(r"^You are: (alice|bob)\.")).wait_for()
        settle(page)
    assert {who: len(opened) for who, opened in moves.items()} == {"alice": 1, "bob": 1}
    # moved once, to the new code: app3, or app1's slot if her tab came back after the new code started there
    for context in (alice, bob):
        assert {c["name"]: c["value"] for c in context.cookies()}["FP_REPLICA"] in ("app3", "app1")
    _upload(page_a, "After the restart")
    # every replica was stopped and started again: the library lost nothing
    later, page_l = _analyst(browser, team, "carol", "app1")
    page_l.locator("[role='gridcell']").filter(has_text="Before the restart").first.wait_for(state="attached")
    for tab in (page_a, page_b, page_l):
        tab.close()
    # HAProxy itself dies: started again from its config (app1 and app2 ready, app3 in maintenance), it is set
    # as the replicas now are, so nobody is sent to app2, which has no process
    mark = len(team.said())
    found = subprocess.run(["pgrep", "-f", f"haproxy -f {team.run}/haproxy.cfg"], capture_output=True, text=True)
    os.kill(int(found.stdout.split()[0]), signal.SIGKILL)
    team.wait_for(r"HAProxy serves app3, app1 again; app2 is the spare", after=mark)
    for _ in range(4):  # new visitors, round robin: never app2
        assert wait_healthy(team.front, team.proc, TIMEOUT_S)
        with urllib.request.urlopen(team.front + "/") as reply:  # noqa: S310 (the test's own balancer)
            assert re.search(r"FP_REPLICA=app[13]\b", reply.headers.get("Set-Cookie", ""))
