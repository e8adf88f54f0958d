"""The record as a Frictionless Data Package: the shipped one and the served one, checked by
`frictionless` (a checker nobody here wrote), which also catches a broken copy of the data."""

import json
import shutil
import urllib.request

import pytest
from frictionless import validate

from force_posture.core import data
from force_posture.publish import package
from tests.browser import TIMEOUT_S


def _problems(report) -> list:
    return report.flatten(["type", "fieldName", "rowNumber", "note"])


def test_the_shipped_package_describes_the_shipped_files_and_frictionless_finds_nothing():
    assert package.SHIPPED.read_text(encoding="utf-8") == package.shipped(data.load().version), (
        "data/datapackage.json is not the record's: run `make data-package` after changing data/"
    )
    report = validate(str(package.SHIPPED))
    assert report.valid, _problems(report)
    raws, _ = data.read_dir(data.DATA_DIR)
    assert [t.stats["rows"] for t in report.tasks] == [len(raws[f]) for f in package.FILES.values()]


def test_every_table_has_types_required_fields_closed_vocabularies_and_a_primary_key():
    doc = json.loads(package.shipped("v"))
    assert doc["$schema"] == "https://datapackage.org/profiles/2.0/datapackage.json" and doc["version"] == "v"
    assert [lic["name"] for lic in doc["licenses"]] == ["CC-BY-4.0", "MIT"] and doc["sources"]
    tables = {r["name"]: r["schema"] for r in doc["resources"]}
    assert list(tables) == ["troop-levels", "milestones", "disagreements"]
    fields = {name: {f["name"]: f for f in s["fields"]} for name, s in tables.items()}
    levels = fields["troop-levels"]
    assert levels["basis"]["constraints"]["enum"] == list(data.BASES)
    assert levels["qualifier"]["constraints"]["enum"] == list(data.QUALIFIERS)
    assert levels["country"]["constraints"]["enum"] == list(data.COUNTRIES)
    assert fields["milestones"]["kind"]["constraints"]["enum"] == list(data.KINDS)
    assert fields["milestones"]["country"]["constraints"]["enum"] == list(data.MILESTONE_COUNTRIES)
    assert (levels["date"]["type"], levels["troops"]["type"], levels["source"]["type"]) == ("date", "integer", "string")
    required = {n for n, f in levels.items() if f.get("constraints", {}).get("required")}
    assert required == {
        *("date", "country", "troops", "qualifier", "basis", "source", "url", "published"),
        *("corroboration", "outlets"),
    }
    assert levels["corroboration"]["constraints"]["enum"] == ["official", "confirmed", "single"]
    assert "single: one outlet only" in levels["corroboration"]["description"]
    assert [f["name"] for f in tables["troop-levels"]["fields"]] == list(data.LEVEL_COLUMNS)
    assert tables["troop-levels"]["primaryKey"] == ["date", "country", "source"]
    assert "acknowledged: " in levels["basis"]["description"]


def test_frictionless_catches_a_copy_with_a_word_outside_the_vocabulary_and_a_repeated_row(tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(data.DATA_DIR, folder)
    rows = (folder / data.LEVELS_FILE).read_text(encoding="utf-8").splitlines()
    rows[1] = rows[1].replace(",reported,", ",rumour,", 1)
    rows.append(rows[2])
    (folder / data.LEVELS_FILE).write_text("\n".join(rows) + "\n", encoding="utf-8")
    report = validate(str(folder / "datapackage.json"))
    kinds = {p[0] for p in _problems(report)}
    assert not report.valid and {"constraint-error", "primary-key"} <= kinds, _problems(report)


@pytest.mark.served
def test_the_served_package_points_at_the_apis_own_tables_and_validates(app, ds):
    with urllib.request.urlopen(f"{app}/api/datapackage.json", timeout=TIMEOUT_S) as reply:  # noqa: S310
        doc = json.loads(reply.read())
    assert doc["version"] == ds.version
    assert [r["path"] for r in doc["resources"]] == [f"{app}/api/{t}.csv" for t in (*package.FILES, "decisions")]
    report = validate(doc)
    assert report.valid, _problems(report)


def test_the_code_is_mit_and_the_record_cc_by_each_source_keeping_its_rights():
    import tomllib

    from tests.conftest import ROOT

    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License\n")
    assert tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["license"] == "MIT"
    words = " ".join((ROOT / "data" / "LICENSE").read_text(encoding="utf-8").split())
    assert "(CC-BY-4.0): https://creativecommons.org/licenses/by/4.0/" in words
    assert "Each row's source keeps its own rights" in words and "short excerpts" in words
