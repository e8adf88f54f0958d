"""The record's tables, described once: each column's name, type, meaning, vocabulary and whether it may
be empty, and each table's key and title.

The data check (data.py) takes its column lists and vocabularies from here; the API's /api/schema.json,
its OpenAPI document and the Frictionless data package are made from it (publish/). The rules that need
more than a column's type (a range's ends, a row published before its day) stay in data.py.
"""

from __future__ import annotations

from dataclasses import dataclass

LEVELS_FILE = "troop_levels.csv"
MILESTONES_FILE = "milestones.csv"
DISAGREEMENTS_FILE = "disagreements.csv"

COUNTRIES = ("Syria", "Iraq")
MILESTONE_COUNTRIES = (*COUNTRIES, "Both")
QUALIFIERS = ("exact", "about", "fewer_than", "more_than", "up_to")
# A lead of the source watch (store/watched.py, /api/leads.json): what was decided on it, and how many the
# API gives at once (fewest, most, by default).
LEAD_STATES = ("all", "open", "proposed", "dismissed")
LEADS_AT_ONCE = (1, 500, 100)
BASIS_MEANING = {
    "acknowledged": "officially stated at the time",
    "disclosed": "revealed later about an earlier time",
    "authorized": "a force management level or cap, not a count",
    "reported": "an estimate by the press or an unnamed official",
}
BASES = tuple(BASIS_MEANING)
CORROBORATION_MEANING = {
    "official": "a government states it",
    "confirmed": "two or more independent outlets carry it (syndicated copies of one report count once)",
    "single": "one outlet only, as far as the record's compilers found",
}
CORROBORATIONS = tuple(CORROBORATION_MEANING)
KINDS = ("event", "announcement", "target", "deadline")
PROPOSAL_KINDS = ("new", "correction", "retraction")
DECISIONS = ("approved", "rejected", "changes requested")

ABOUT = (
    "Sourced US troop levels in Syria and Iraq. Every number carries its source and basis; where "
    "the record stops, nothing is extrapolated. Parameters: known=YYYY-MM-DD (the record as known on "
    "that day, up to today), country=Syria|Iraq (any case); changes: since=YYYY-MM-DD, until=YYYY-MM-DD. "
    "Any other parameter, or one given twice, is refused with a 400 that names it."
)
TROOPS_UNIT = "US military personnel"


@dataclass(frozen=True)
class Column:
    """One column: `kind` is string, integer, date, datetime or boolean; `values` its vocabulary (a dict
    gives each word's meaning); `required`: never empty."""

    name: str
    kind: str
    meaning: str = ""
    required: bool = False
    values: tuple[str, ...] | dict[str, str] = ()
    unit: str = ""

    def described(self) -> dict:
        """The column as /api/schema.json describes it."""
        out: dict = {"type": self.kind}
        if self.kind == "date":
            out["format"] = "YYYY-MM-DD"
        if self.unit:
            out["unit"] = self.unit
        if self.values:
            out["values"] = dict(self.values) if isinstance(self.values, dict) else list(self.values)
        if self.meaning:
            out["meaning"] = self.meaning
        if self.required:
            out["required"] = True
        return out


@dataclass(frozen=True)
class Table:
    """One table: its columns in order, the columns that tell its rows apart, its title, and its file in
    data/ ("" for a table the API makes: the changes, the decisions)."""

    name: str
    title: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    file: str = ""

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def described(self) -> dict:
        return {c.name: c.described() for c in self.columns}

    def off_vocabulary(self, column: str, value: str) -> str | None:
        """Why `value` cannot be in `column` (a column with a vocabulary), in words; None when it can."""
        words = next(c.values for c in self.columns if c.name == column)
        return None if value in words else f"'{value}' is not one of {', '.join(words)}."


def _day(name: str, meaning: str, required: bool = True) -> Column:
    return Column(name, "date", meaning, required)


def _troops(name: str, meaning: str, required: bool = False) -> Column:
    return Column(name, "integer", meaning, required, unit=TROOPS_UNIT)


SOURCE = Column("source", "string", "who said it: outlet and, where known, the official quoted", True)
CORROBORATION = Column("corroboration", "string", "how it is corroborated", True, CORROBORATION_MEANING)
OUTLETS = Column("outlets", "integer", "independent outlets that carry it (syndicated copies count once)", True)
URL = Column("url", "string", "where to read the source", True)
PUBLISHED = _day(
    "published",
    "the day the source made this row public (the record 'as known on' a day holds only rows published by then)",
)

LEVELS = Table("troop_levels", "US troop levels", (
    _day("date", "the day the figure describes"),
    Column("country", "string", required=True, values=COUNTRIES),
    _troops("troops", "the figure as stated", required=True),
    _troops("low", "lower end of a stated range (empty: none)"),
    _troops("high", "upper end of a stated range (empty: none)"),
    Column("qualifier", "string", "how the figure was put", True, QUALIFIERS),
    Column("basis", "string", required=True, values=BASIS_MEANING),
    SOURCE, URL,
    Column("note", "string", "quote, caveats and confidence"),
    PUBLISHED, CORROBORATION, OUTLETS,
), key=("date", "country", "source"), file=LEVELS_FILE)  # fmt: skip

MILESTONES = Table("milestones", "Milestones, targets and deadlines", (
    _day("date", "the day it happened, or the deadline"),
    Column("country", "string", required=True, values=MILESTONE_COUNTRIES),
    Column("kind", "string", required=True, values=KINDS),
    Column("label", "string", "the chart's label", True),
    Column("detail", "string", "what was said, with caveats"),
    _troops("value", "a target's troop level (targets only)"),
    SOURCE, URL, PUBLISHED, CORROBORATION, OUTLETS,
), key=("date", "country", "label"), file=MILESTONES_FILE)  # fmt: skip

DISAGREEMENTS = Table("disagreements", "Where sources disagree", (
    Column("country", "string", required=True, values=COUNTRIES),
    _day("start", "first day the sources disagree about"),
    _day("end", "last day the sources disagree about"),
    _troops("low", "the lowest sourced figure", required=True),
    _troops("high", "the highest sourced figure", required=True),
    Column("label", "string", "the chart's legend label", True),
    SOURCE, URL, PUBLISHED,
), key=("country", "start"), file=DISAGREEMENTS_FILE)  # fmt: skip

DECISIONS_TABLE = Table("decisions", "Who decided what on the proposals, and when", (
    Column("thread", "integer", "the proposal's number", True),
    Column("round", "integer", "the round decided (a resubmission is a new round)", True),
    Column("kind", "string", required=True, values=PROPOSAL_KINDS),
    Column("country", "string", required=True, values=MILESTONE_COUNTRIES),
    _day("date", "the date of the row the proposal is about"),
    Column("decision", "string", required=True, values=DECISIONS),
    Column("proposer", "string", "who proposed it", True),
    Column("reviewer", "string", "who decided", True),
    Column("decided_at", "datetime", "when, in UTC", True),
    Column("self_reviewed", "boolean", "decided by its own proposer (one-analyst server)", True),
    Column("record_version", "string", "the record version an approval made (else empty)"),
    Column("reason", "string", "the editor's reason (needed to reject or send back)"),
), key=("thread", "round"))  # fmt: skip

CHANGES = Table("changes", "What changed in the record, and when", (
    _day("published", "the day the change was made public", required=False),
    Column("change", "string", "new figure, new <milestone kind>, or correction"),
    Column("country", "string", values=MILESTONE_COUNTRIES),
    _day("date", "the date of the row that changed", required=False),
    Column("what", "string", "the figure, the label, or the correction with its reason"),
    SOURCE, URL,
    Column("approved_at", "string", "when an editor approved it in the app (UTC, YYYY-MM-DDTHH:MM:SSZ); "
           "empty if shipped"),
))  # fmt: skip

FILE_TABLES = {t.name: t for t in (LEVELS, MILESTONES, DISAGREEMENTS)}
TABLES = {**FILE_TABLES, "decisions": DECISIONS_TABLE, "changes": CHANGES}
BY_FILE = {table.file: table for table in FILE_TABLES.values()}


def described() -> dict:
    """/api/schema.json: what the record is, and every table's columns."""
    return {"about": ABOUT, "tables": {name: table.described() for name, table in TABLES.items()}}
