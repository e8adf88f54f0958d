"""The open data API and feed: pure answers, and over HTTP against the served app."""

import csv
import datetime as dt
import io
import json
import urllib.error
import urllib.request

import feedparser
import pandas as pd
import pytest

from force_posture.core import data
from force_posture.publish import api
from tests.browser import TIMEOUT_S, served_app

TODAY = dt.date(2026, 11, 27)


def _csv_rows(body: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def test_tables_carry_every_provenance_column_and_every_row(ds):
    for name, frame, count in (("troop_levels", ds.levels, 70), ("milestones", ds.milestones, 74)):
        reply = api.answer(f"/api/{name}.csv", {}, TODAY, ds)
        rows = _csv_rows(reply.body)
        assert reply.status == 200 and len(rows) == len(frame) == count
        assert list(rows[0]) == list(api.TABLES[name]) and "published" in rows[0] and "source" in rows[0]
    doc = json.loads(api.answer("/api/disagreements.json", {}, TODAY, ds).body)
    assert doc["rows"] == 2 and doc["data"][0]["low"] == 900 and doc["data"][0]["published"] == "2024-12-23"
    levels = _csv_rows(api.answer("/api/troop_levels.csv", {}, TODAY, ds).body)
    bounds = [r[c] for r in levels for c in ("low", "high") if r[c]]  # whole numbers, though some cells are empty
    assert bounds and all(b.isdigit() for b in bounds) and "125000" in bounds


def test_known_and_country_filter_like_the_app(ds):
    doc = json.loads(api.answer("/api/troop_levels.json", {"known": "2024-06-01", "country": "Syria"}, TODAY, ds).body)
    dates = [r["date"] for r in doc["data"]]
    assert doc["known_on"] == "2024-06-01" and "2024-12-19" not in dates and dates[-1] == "2023-11-14"
    assert {r["country"] for r in doc["data"]} == {"Syria"}
    later = json.loads(api.answer("/api/troop_levels.json", {"known": "2024-12-19"}, TODAY, ds).body)
    assert any(r["date"] == "2024-12-19" and r["basis"] == "disclosed" for r in later["data"])
    miles = _csv_rows(api.answer("/api/milestones.csv", {"country": "Iraq"}, TODAY, ds).body)
    assert {r["country"] for r in miles} == {"Iraq", "Both"}


@pytest.mark.parametrize(
    ("path", "params", "status", "message"),
    [
        ("/api/troop_levels.csv", {"known": "2024-13-01"}, 400, "known='2024-13-01' is not a usable day"),
        ("/api/milestones.json", {"country": "Kuwait"}, 400, "country='Kuwait' is not one this API covers"),
        ("/api/changes.csv", {}, 400, "changes needs since=YYYY-MM-DD"),
        ("/api/secrets.csv", {}, 404, "No such address: /api/secrets.csv"),
        ("/api/troop_levels.xml", {}, 404, "See /api/schema.json"),
    ],
)
def test_bad_requests_get_a_plain_message(ds, path, params, status, message):
    reply = api.answer(path, params, TODAY, ds)
    assert (reply.status, reply.content_type) == (status, "text/plain; charset=utf-8")
    assert message in reply.body.decode()


def test_what_the_contract_allows_is_answered_a_day_to_come_as_today_and_said(ds):
    """Every request the schema allows gets a 2xx (schemathesis' positive_data_acceptance): a known or
    until day to come is served as today, which the answer names; since on or after until lists nothing."""
    reply = api.answer("/api/troop_levels.json", {"known": "2027-01-01"}, TODAY, ds)
    assert (reply.status, dict(reply.headers)) == (200, {"X-Known-On": "2026-11-27"})
    assert json.loads(reply.body)["known_on"] == "2026-11-27"
    assert reply.body == api.answer("/api/troop_levels.json", {"known": "2026-11-27"}, TODAY, ds).body
    later = api.answer("/api/changes.csv", {"since": "2026-02-01", "until": "2099-12-31"}, TODAY, ds)
    assert later.body == api.answer("/api/changes.csv", {"since": "2026-02-01"}, TODAY, ds).body
    backwards = api.answer("/api/changes.json", {"since": "2026-05-01", "until": "2026-04-01"}, TODAY, ds)
    assert (backwards.status, json.loads(backwards.body)["rows"]) == (200, 0)
    assert api.answer("/feed.atom", {"known": "2100-01-01"}, TODAY, ds).headers == (("X-Known-On", "2026-11-27"),)


def test_a_country_is_matched_in_any_case_as_uploads_are(ds):
    asked = {
        c: json.loads(api.answer("/api/troop_levels.json", {"country": c}, TODAY, ds).body)
        for c in ("Syria", "syria", "SYRIA", " Syria ")
    }
    rows = {c: [r["country"] for r in doc["data"]] for c, doc in asked.items()}
    assert set(rows["Syria"]) == {"Syria"} and len(rows["Syria"]) == (ds.levels["country"] == "Syria").sum()
    assert rows["syria"] == rows["SYRIA"] == rows[" Syria "] == rows["Syria"]


@pytest.mark.parametrize(
    ("path", "query", "message"),
    [
        ("/api/troop_levels.json", [("country", "Syria"), ("country", "Iraq")], "country is given twice"),
        ("/api/troop_levels.csv", [("known", "2025-01-01"), ("known", "2026-01-01")], "known is given twice"),
        (
            "/api/troop_levels.csv",
            [("contry", "Syria")],
            "'contry' is not a parameter of this address: it takes known, country (see /api/schema.json).",
        ),
        ("/api/changes.json", [("since", "2026-01-01"), ("util", "2026-02-01")], "takes known, country, since, until"),
        ("/api/schema.json", [("known", "2025-01-01")], "'known' is not a parameter of this address: it takes none"),
        ("/feed.atom", [("country", "Syria")], "'country' is not a parameter of this address: it takes known"),
        ("/api/troop_levels.csv", [("known", "")], "known='' is not a usable day"),
        ("/api/troop_levels.csv", [("known", "20250101")], "known='20250101' is not a usable day"),
        ("/api/milestones.csv", [("country", "")], "country='' is not one this API covers"),
    ],
)
def test_a_parameter_given_twice_or_unknown_or_empty_is_refused_by_name(ds, path, query, message):
    reply = api.answer(path, query, TODAY, ds)
    assert (reply.status, reply.content_type) == (400, "text/plain; charset=utf-8")
    assert message in reply.body.decode()


def test_the_api_and_the_command_line_accept_the_same_known_days(ds, tmp_path, capsys):
    """Both refuse a day before the record in the same words. (A day to come differs on purpose: the API
    answers as of today and says so; an export is a file read as of its day, so the command line refuses.)"""
    from force_posture.ops import cli

    today = dt.date.today()
    for day, usable in ((today, True), (dt.date(2002, 12, 31), False)):
        reply = api.answer("/api/troop_levels.csv", {"known": day.isoformat()}, today, ds)
        code = cli.main(["export", "--known-on", day.isoformat(), "--out", str(tmp_path / "x.svg")])
        said = capsys.readouterr().err
        assert (reply.status == 200, code == 0) == (usable, usable), day
        if not usable:  # the same sentence, naming the parameter each one was given
            assert said == "error: " + reply.body.decode().replace("known=", "--known-on=")


def test_the_schema_describes_every_column(ds):
    schema = json.loads(api.answer("/api/schema.json", {}, TODAY, ds).body)
    for name, columns in api.TABLES.items():
        assert list(schema["tables"][name]) == list(columns)
    assert schema["tables"]["troop_levels"]["troops"]["unit"] == "US military personnel"


def test_the_feed_is_valid_atom_with_one_entry_per_change(ds):
    feed = feedparser.parse(api.atom(ds, TODAY, "http://team"))
    assert not feed.bozo and feed.version == "atom10"
    made = (ds.corrections["corrected"] <= pd.Timestamp(TODAY)).sum()  # the corrections made by then
    assert len(feed.entries) == len(ds.levels) + len(ds.milestones) + made
    assert feed.entries[0].title.startswith("Correction, Syria, 23 Feb 2026")
    assert all(e.link.startswith("http") and e.id and e.updated for e in feed.entries)
    assert len({e.id for e in feed.entries}) == len(feed.entries)
    assert feedparser.parse(api.atom(ds, TODAY)).entries[5].id == feed.entries[5].id  # stable ids


@pytest.fixture(scope="module", params=["serve.py", "dashboard.py"])
def app(request, app):
    """The app started as `make run` does (serve.py: the test process's served app, conftest's `app`) and
    the plain Streamlit way (dashboard.py, started here)."""
    if request.param == "serve.py":
        yield app
        return
    with served_app(request.param) as base:
        yield base


def _get(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_S) as r:  # noqa: S310 (loopback)
            return r.status, r.headers["Content-Type"], r.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers["Content-Type"], err.read()


@pytest.mark.served
def test_the_served_app_answers_the_api_and_the_feed(app, ds):
    status, kind, body = _get(f"{app}/api/troop_levels.csv")
    assert (status, kind) == (200, "text/csv; charset=utf-8") and len(_csv_rows(body)) == len(ds.levels)
    assert not any(v[:1] in "=+@" for row in _csv_rows(body) for v in row.values() if v)  # formula-safe
    status, kind, body = _get(f"{app}/api/milestones.json?country=Syria&known=2025-06-01")
    doc = json.loads(body)
    assert (status, kind, doc["known_on"]) == (200, "application/json", "2025-06-01")
    assert doc["rows"] == len(doc["data"]) and {r["country"] for r in doc["data"]} <= {"Syria", "Both"}
    status, kind, body = _get(f"{app}/feed.atom")
    assert status == 200 and kind.startswith("application/atom+xml")
    assert len(feedparser.parse(body).entries) == len(ds.levels) + len(ds.milestones) + len(ds.corrections)
    status, _, body = _get(f"{app}/api/troop_levels.json?country=syria")  # any case, as uploads
    assert status == 200 and {r["country"] for r in json.loads(body)["data"]} == {"Syria"}
    for query, said in (("country=Syria&country=Iraq", "country is given twice"), ("contry=Syria", "'contry'")):
        status, kind, body = _get(f"{app}/api/troop_levels.json?{query}")  # never half-read or ignored
        assert (status, kind) == (400, "text/plain; charset=utf-8") and said in body.decode(), query
    for url, codes in (
        (f"{app}/api/troop_levels.csv?known=yesterday", {400}),
        (f"{app}/api/nothing.json", {404}),
        # the server refuses traversal
        (f"{app}/api/../../etc/passwd", {400, 404}),
        # an unknown export link: a plain 404, never a page saved as a chart
        (f"{app}/export/abc/svg", {404}),
    ):
        status, kind, body = _get(url)
        assert status in codes and b"Traceback" not in body, url
        assert "passwd" in url or kind.startswith("text/plain")


def test_the_decisions_table_says_who_decided_what_and_when_in_csv_and_json(ds):
    from dataclasses import replace

    decided = pd.DataFrame(
        [
            (
                7,
                2,
                "correction",
                "Both",
                "2026-05-01",
                "approved",
                "alice",
                "bob",
                "2026-12-04T10:00:00Z",
                False,
                "abc123def456",
                "",
            ),
            (
                8,
                1,
                "new",
                "Syria",
                "2026-11-30",
                "rejected",
                "carol",
                "bob",
                "2026-12-04T11:00:00Z",
                False,
                "",
                '=HYPERLINK("x") not a source',
            ),
        ],
        columns=list(data.DECISION_COLUMNS),
    )
    with_decisions = replace(ds, decisions=decided)
    reply = api.answer("/api/decisions.csv", {}, TODAY, with_decisions)
    rows = _csv_rows(reply.body)
    assert reply.status == 200 and list(rows[0]) == list(data.DECISION_COLUMNS)
    assert rows[1]["reason"].startswith("'=HYPERLINK")  # a spreadsheet formula is neutralised
    doc = json.loads(api.answer("/api/decisions.json", {"country": "iraq"}, TODAY, with_decisions).body)
    assert [(d["thread"], d["decision"], d["self_reviewed"]) for d in doc["data"]] == [(7, "approved", False)]
    doc = json.loads(api.answer("/api/decisions.json", {"country": "syria"}, TODAY, with_decisions).body)
    assert [d["thread"] for d in doc["data"]] == [7, 8]  # a change to both countries comes with either
    assert api.answer("/api/decisions.json", {"known": "2026-01-01"}, TODAY, with_decisions).status == 400
    assert json.loads(api.answer("/api/decisions.json", {}, TODAY, ds).body)["rows"] == 0  # the shipped files alone
