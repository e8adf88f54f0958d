"""The API's contract: OpenAPI 3.1 made from the API's own descriptions, and schemathesis (a checker
nobody here wrote) run against the served app with it, a bounded number of cases per address."""

import datetime as dt
import json
import subprocess
import sys
import urllib.request

import pytest

from force_posture.core import data
from force_posture.publish import api, openapi, public
from tests.browser import ARTIFACTS, TIMEOUT_S


def test_the_contract_is_made_from_the_apis_own_descriptions():
    doc = openapi.document("http://localhost:8501")
    assert doc["openapi"] == "3.1.0" and doc["servers"] == [{"url": "http://localhost:8501"}]
    levels = doc["components"]["schemas"]["troop_levels"]
    assert list(levels["properties"]) == list(api.TABLES["troop_levels"])
    assert levels["properties"]["basis"]["enum"] == list(data.BASES)
    assert levels["properties"]["low"]["anyOf"][1] == {"type": "null"}  # an empty cell is null
    assert set(levels["required"]) == {
        *("date", "country", "troops", "qualifier", "basis", "source", "url", "published"),
        *("corroboration", "outlets"),
    }
    assert levels["properties"]["corroboration"]["enum"] == ["official", "confirmed", "single"]
    changes = doc["paths"]["/api/changes.json"]["get"]["parameters"]
    assert [(p["name"], p["required"]) for p in changes] == [
        ("known", False),
        ("country", False),
        ("since", True),
        ("until", False),
    ]
    png = doc["paths"]["/chart/{chart}.png"]["get"]
    assert sorted(p["name"] for p in png["parameters"]) == sorted(["chart", *public.PARAMETERS])  # saved: images only
    assert set(png["responses"]) == {"200", "400", "403", "404", "503"}
    assert "saved" not in [p["name"] for p in doc["paths"]["/chart/{chart}.csv"]["get"]["parameters"]]
    assert all("400" in op["get"]["responses"] for op in doc["paths"].values())


def test_every_json_answer_matches_its_declared_schema(ds):
    """The declared row schemas hold for the record as it is (jsonschema, as schemathesis checks it)."""
    import jsonschema

    doc = openapi.document()
    for table in (*api.TABLES, "changes"):
        query = {"since": "2003-01-01"} if table == "changes" else {}
        body = json.loads(api.answer(f"/api/{table}.json", query, dt.date.today(), ds).body)
        schema = doc["paths"][f"/api/{table}.json"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        resolver = {"components": doc["components"], **schema}
        jsonschema.validate(body, resolver)
        assert body["rows"] > 0


@pytest.mark.served
def test_the_served_contract_is_the_document(app):
    with urllib.request.urlopen(f"{app}/api/openapi.json", timeout=TIMEOUT_S) as reply:  # noqa: S310
        assert json.loads(reply.read()) == openapi.document(app)


@pytest.mark.served
def test_schemathesis_finds_nothing_wrong_with_the_served_api(app):
    """Positive and negative cases for every documented address (images excepted: each case would draw
    one), with every check schemathesis has, none left out: no 5xx, every status, header and content type
    declared, every body matching its schema, malformed, empty and out-of-range values refused with a 400,
    and every request the schema allows answered 2xx (positive_data_acceptance): a `known` or `until` day
    to come is served as today and says so, a `since` on or after `until` lists nothing, a range given the
    wrong way round is read the other way."""
    ARTIFACTS.mkdir(exist_ok=True)
    report = ARTIFACTS / "schemathesis.txt"  # its full report, to read
    command = [
        sys.executable,
        "-m",
        "schemathesis.cli",
        "run",
        f"{app}/api/openapi.json",
        "--no-color",
        "--checks",
        "all",
        "--max-examples",
        "15",
        "--exclude-path-regex",
        r"\.(png|svg)$",
        "--seed",
        "1",
        "--request-timeout",
        str(TIMEOUT_S),
    ]
    run = subprocess.run(command, capture_output=True, text=True, timeout=20 * TIMEOUT_S)
    report.write_text(run.stdout + run.stderr)
    assert run.returncode == 0, (run.stdout + run.stderr)[-6000:]


def test_a_leads_answer_matches_its_declared_schema(ds):
    """/api/leads.json as web/leads.py builds it, from a lead with a source and a decision."""
    import jsonschema

    from force_posture.store import watched
    from force_posture.watch import leads

    source = {
        "outlet": "war.gov",
        "source": "Releases",
        "link": "https://www.war.gov/News/Releases/1/",
        "title": "Statement",
        "published": dt.date(2026, 12, 3),
        "sentence": "About 900 U.S. troops remain in Syria.",
        "why": "About 900 U.S. troops",
        "official": True,
        "lead": 7,
        "id": 1,
    }
    decided = {"decision": "proposed", "reason": "", "analyst": "alice", "thread": 3, "created_at": dt.datetime.now()}
    lead = watched.Lead(7, "Syria", 900, None, None, "about", dt.date(2026, 12, 3), (source,), decided)
    body = {
        "table": "leads",
        "state": "all",
        "country": None,
        "limit": 100,
        "rows": 1,
        "new": 0,
        "sources_checked": "watched sources not read yet",
        "record_version": ds.version,
        "data": leads.listing([lead], ds.levels),
    }
    doc = openapi.document()
    operation = doc["paths"]["/api/leads.json"]["get"]
    jsonschema.validate(body, operation["responses"]["200"]["content"]["application/json"]["schema"])
    assert body["data"][0]["state"] == "proposed" and "lead" not in body["data"][0]["sources"][0]
    assert [p["name"] for p in operation["parameters"]] == ["state", "country", "limit"]
    assert set(operation["responses"]) == {"200", "400", "403", "503"}
