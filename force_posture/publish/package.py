"""The record as a Frictionless Data Package (v2), made from the API's one description of its tables.

Two packages, one function: the served one (/api/datapackage.json: its resources are the API's CSV
addresses) and the shipped one (data/datapackage.json: the files beside it). Each table has a Table
Schema with types, required fields, `constraints.enum` for the closed vocabularies (country, basis,
qualifier, kind) and a primary key; the package names its sources, licence and record version.
`frictionless validate` checks both in the suite (tests/test_package.py).
"""

from __future__ import annotations

import json
from pathlib import Path

from force_posture.core import data, schema
from force_posture.publish import api

PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
TABLE_PROFILE = "https://datapackage.org/profiles/2.0/tableschema.json"
RESOURCE_PROFILE = "https://datapackage.org/profiles/2.0/dataresource.json"
FILES = {name: table.file for name, table in schema.FILE_TABLES.items()}
# Each table's rows are told apart by these (the shipped record holds them unique; validation checks it).
PRIMARY_KEYS = {name: list(table.key) for name, table in schema.TABLES.items() if table.key}
TITLES = {name: table.title for name, table in schema.TABLES.items()}
# The record is CC-BY-4.0 (data/LICENSE: each row's source keeps its own rights, its quotes are short
# excerpts); the code that compiles and checks it is MIT (LICENSE at the repository's root).
LICENSES = [
    {
        "name": "CC-BY-4.0",
        "path": "https://creativecommons.org/licenses/by/4.0/",
        "title": "Creative Commons Attribution 4.0: the compiled record (each row's source keeps its own rights)",
    },
    {
        "name": "MIT",
        "path": "https://opensource.org/license/mit",
        "title": "MIT: the code that compiles, checks and serves the record (not the data)",
    },
]
SHIPPED = data.DATA_DIR / "datapackage.json"


def field(name: str, about: dict) -> dict:
    """A Table Schema field from the API's description of a column."""
    kinds = {"date": "date", "integer": "integer", "boolean": "boolean", "datetime": "datetime"}
    kind = kinds.get(about["type"], "string")
    out: dict = {"name": name, "type": kind}
    words = about.get("meaning", "")
    values = about.get("values")
    if isinstance(values, dict):  # a vocabulary with the meaning of each word (basis)
        words = "; ".join(f"{k}: {v}" for k, v in values.items())
    if words:
        out["description"] = words + (f" ({about['unit']})" if "unit" in about else "")
    constraints: dict = {}
    if about.get("required"):
        constraints["required"] = True
    if values:
        constraints["enum"] = list(values)
    if kind == "integer":
        constraints["minimum"] = 0
    if constraints:
        out["constraints"] = constraints
    return out


def schema(table: str) -> dict:
    columns = api.SCHEMA["tables"][table]
    return {
        "$schema": TABLE_PROFILE,
        "fields": [field(name, columns[name]) for name in api.TABLES.get(table, columns)],
        "primaryKey": PRIMARY_KEYS[table],
        "missingValues": [""],
    }


def package(version: str, paths: dict[str, str]) -> dict:
    """The Data Package of the record at `version`, its tables at `paths` (table name -> path or URL)."""
    return {
        "$schema": PROFILE,
        "name": "us-force-posture-syria-iraq",
        "title": "US troops in Syria and Iraq: the sourced record",
        "description": api.SCHEMA["about"],
        "version": version,
        "licenses": LICENSES,
        "sources": [
            {"title": "US DoD statements and press reports, each row citing its own (columns source and url)"},
        ],
        "keywords": ["Syria", "Iraq", "US military", "troop levels", "force posture"],
        "resources": [
            {
                "$schema": RESOURCE_PROFILE,
                "name": table.replace("_", "-"),
                "title": TITLES[table],
                "type": "table",
                "path": paths[table],
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8-sig",
                "schema": schema(table),
            }
            for table in paths
        ],
    }


def served(version: str, base: str) -> bytes:
    """/api/datapackage.json: the tables at the API's own CSV addresses, on this server, and the editors'
    decisions (the shipped package has no decisions: they are made in the app)."""
    paths = {table: f"{base.rstrip('/')}/api/{table}.csv" for table in (*FILES, "decisions")}
    return json.dumps(package(version, paths), indent=1).encode()


def shipped(version: str) -> str:
    """data/datapackage.json: the shipped files, by their names beside it (written by `make data-package`)."""
    return json.dumps(package(version, dict(FILES)), indent=1) + "\n"


def write_shipped(folder: Path = data.DATA_DIR) -> Path:
    path = folder / "datapackage.json"
    path.write_text(shipped(data.load(folder).version), encoding="utf-8")
    return path
