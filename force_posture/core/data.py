"""Load and validate the shipped, sourced CSVs into typed pandas frames.

Validation collects every problem in plain words (file, spreadsheet row, column, value, fix)
instead of stopping at the first one, so whoever adds tomorrow's figure sees all that is wrong.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pandas as pd

from force_posture.core import schema

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
# The files, vocabularies and columns of the tables, as schema.py describes them once.
LEVELS_FILE, MILESTONES_FILE, DISAGREEMENTS_FILE = schema.LEVELS_FILE, schema.MILESTONES_FILE, schema.DISAGREEMENTS_FILE
COUNTRIES, MILESTONE_COUNTRIES, QUALIFIERS = schema.COUNTRIES, schema.MILESTONE_COUNTRIES, schema.QUALIFIERS
BASES, BASIS_MEANING, KINDS = schema.BASES, schema.BASIS_MEANING, schema.KINDS
CORROBORATIONS, CORROBORATION_MEANING = schema.CORROBORATIONS, schema.CORROBORATION_MEANING
CORRECTIONS_FILE = "corrections.csv"
EDITORIAL_FILE = "editorial.csv"
RETRACTIONS_FILE = "retractions.csv"
DATA_FILES = (LEVELS_FILE, MILESTONES_FILE, CORRECTIONS_FILE, DISAGREEMENTS_FILE, EDITORIAL_FILE, RETRACTIONS_FILE)

LABEL_MAX = 40  # labels are drawn on charts: fewer than 40 characters
# The largest troop level taken as plausible, in the record and in an uploaded scenario alike: far above
# the 2003 Iraq peak (~192,000), so a larger number is a typo.
MAX_TROOPS = 500_000

# The columns facts.md gives, then `published`: the day the source made the row public (for most
# rows its own date; for a figure disclosed later, the day of the disclosure; for a deadline, the day
# it was announced). The record "as known on" a day holds only rows published by then.
LEVEL_COLUMNS = schema.LEVELS.names
GRADING = ("corroboration", "outlets")  # how many outlets carry a row: told apart from what the row says
UNGRADED = {"corroboration": "single", "outlets": "1"}  # a row proposed before rows were graded: not settled
MILESTONE_COLUMNS = schema.MILESTONES.names
LEVEL_FACT_COLUMNS = tuple(c for c in LEVEL_COLUMNS if c not in ("published", *GRADING))
MILESTONE_FACT_COLUMNS = tuple(c for c in MILESTONE_COLUMNS if c not in ("published", *GRADING))
RECORD_START = dt.date(2003, 1, 1)  # the record's first year: no row, "known on" or "since" day before it
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # no text of the record holds a control character
# Characters a reader cannot see that change what a text shows: direction overrides, zero-width marks, a soft hyphen.
INVISIBLE = re.compile("[\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
# Text a spreadsheet would run as a formula when the record's files are opened in one.
# ("+" is not among them: "+250 US troops to Syria" is a label; the downloads neutralise it.)
_FORMULA = ("=", "@")
ONE_LINE = ("source", "label")  # texts shown on one line: a chart label, a source line
# Notes cite sources, never the team's working files (a file name like facts.md means nothing to a reader).
_WORKING_FILE = re.compile(r"[\w.-]+\.md\b", re.IGNORECASE)
# A row can be public before its own date only if it was planned or announced ahead, and says so.
_AHEAD = re.compile(r"\b(planned|announced|ahead)\b", re.IGNORECASE)
# The corrections log: each published row that was corrected, with what it said before.
CORRECTION_COLUMNS = ("file", "date", "country", "column", "old", "new", "corrected", "reason", "source", "url")
# The retractions log: a row found wrong or superseded is never deleted. It stays in its file, named here
# by its date, country and fingerprint (`fingerprint`: a short hash of what it says), with the day it was
# retracted and why: off the charts from then on, still in the record as known on earlier days.
RETRACTION_COLUMNS = ("file", "date", "country", "row", "retracted", "reason", "source", "url")
APPROVAL_COLUMNS = ("file", "row", "reason", "proposer", "reviewer", "self_reviewed", "decided_at")
# Every decision an editor made on a proposal in the app, oldest first (record.py): who decided what, when.
DECISION_COLUMNS = (
    "thread",
    "round",
    "kind",
    "country",
    "date",
    "decision",
    "proposer",
    "reviewer",
    "decided_at",
    "self_reviewed",
    "record_version",
    "reason",
)
RETRACTED_EXTRA = ("retracted", "retraction_reason", "retraction_source", "retraction_url")  # on a retracted row
# Where sources disagree: a shaded range on the charts, sourced like every other figure.
DISAGREEMENT_COLUMNS = schema.DISAGREEMENTS.names
# Editorial choices, not facts: which milestones are labelled on the charts (rank 1 first; the last
# give way when a chart has no room) and which targets the headline and the comparison use. A row
# names its milestone by date, country and kind, never by label text, so rewording a label cannot
# drop it; `note` is for the reader only.
EDITORIAL_COLUMNS = ("role", "rank", "date", "country", "kind", "note")
ROLES = ("chart-label", "headline-target", "comparison-target")

QUALIFIER_WORDS = {
    "exact": "",
    "about": "about",
    "fewer_than": "fewer than",
    "more_than": "more than",
    "up_to": "up to",
}


class Problem(str):
    """One problem in plain words, as text ("troop_levels.csv row 4, column 'url': ...") and as a value that
    says where: `file`, `row` (numbered as a spreadsheet does: row 2 is the first under the header),
    `column` and the `message` alone. A form's problem has a column and no file: "url: ..."."""

    file: str
    row: int | None
    column: str
    message: str

    def __new__(cls, message: str, file: str = "", row: int | None = None, column: str = "") -> Problem:
        if row is not None:
            where = f"{file} row {row}, column '{column}': "
        else:
            where = f"{file or column}: " if file or column else ""
        self = super().__new__(cls, where + message)
        self.file, self.row, self.column, self.message = file, row, column, message
        return self


class DataError(ValueError):
    """The shipped data is invalid; `problems` lists each issue in plain words."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


def _no_rows(columns) -> pd.DataFrame:
    return pd.DataFrame(columns=list(columns))


@dataclass(frozen=True)
class Dataset:
    levels: pd.DataFrame  # the live rows: retracted ones are in `retracted_levels`
    milestones: pd.DataFrame  # with the editorial columns chart_rank, headline_target, comparison_target
    corrections: pd.DataFrame
    disagreements: pd.DataFrame
    # retracted rows, typed as above plus `retracted` (the day) and `retraction_reason`
    retracted_levels: pd.DataFrame = field(default_factory=lambda: _no_rows((*LEVEL_COLUMNS, *RETRACTED_EXTRA)))
    retracted_milestones: pd.DataFrame = field(default_factory=lambda: _no_rows((*MILESTONE_COLUMNS, *RETRACTED_EXTRA)))
    version: str = ""  # a short hash of every file's text: which record this is (`record_version`)
    # the new rows approved in the app: file, row (fingerprint), reason, proposer, reviewer (record.py)
    approvals: pd.DataFrame = field(default_factory=lambda: _no_rows(APPROVAL_COLUMNS))
    # every decision made in the app (record.py), oldest first: empty for the shipped files alone
    decisions: pd.DataFrame = field(default_factory=lambda: _no_rows(DECISION_COLUMNS))


def fingerprint(row: dict, columns: tuple[str, ...]) -> str:
    """A short hash of what a row says (its columns' text): how the retractions log names a row. How the
    row is corroborated (GRADING) is left out: a row reads the same before and after a second outlet is
    found, and rows named before those columns existed keep their names."""
    said = (str(row[c]) for c in columns if c not in GRADING)
    return hashlib.sha256("\x1f".join(said).encode()).hexdigest()[:10]


def correction_key(file: str, date: str, country: str, column: str, new: str) -> str:
    """How the approvals name a correction (a row of the corrections log): a short hash of what it says."""
    return "c-" + fingerprint({"f": file, "d": date, "c": country, "k": column, "n": new}, ("f", "d", "c", "k", "n"))


def typed_text(value: object) -> str:
    """A typed cell as the data file writes it (how a row of the typed record is fingerprinted)."""
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, pd.Timestamp):
        return f"{value:%Y-%m-%d}"
    return str(value)


def approval_finder(approvals: pd.DataFrame) -> Callable[[str, dict], dict | None]:
    """A function: the approval (a dict of APPROVAL_COLUMNS) of a typed row of the troop-levels or
    milestones file added in the app, or of the corrections log's row of a correction approved in the
    app (file CORRECTIONS_FILE); None for one shipped in the files."""
    index = {(a["file"], a["row"]): a for a in approvals.to_dict("records")}
    columns = {LEVELS_FILE: LEVEL_COLUMNS, MILESTONES_FILE: MILESTONE_COLUMNS}

    def find(file: str, row: dict) -> dict | None:
        if not index:
            return None
        if file == CORRECTIONS_FILE:
            key = correction_key(row["file"], typed_text(row["date"]), row["country"], row["column"], row["new"])
            return index.get((row["file"], key))
        return index.get((file, fingerprint({c: typed_text(row[c]) for c in columns[file]}, columns[file])))

    return find


def approval_words(a: dict | None) -> str:
    """Who approved a row or correction in the app and when, in a table's words ("" for none)."""
    if a is None:
        return ""
    mark = " (self-reviewed)" if a["self_reviewed"] else ""
    return f"{a['reviewer']}{mark}, {a['decided_at']:%Y-%m-%d %H:%M} UTC; proposed by {a['proposer']}"


def record_version(raws: dict[str, pd.DataFrame]) -> str:
    """The record's version: a short hash of every file's text, the same wherever it is computed."""
    digest = hashlib.sha256()
    for name in DATA_FILES:
        digest.update(name.encode() + b"\0" + raws[name].to_csv(index=False, lineterminator="\n").encode() + b"\0")
    return digest.hexdigest()[:12]


def _read_raw(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def parse_date(text: str) -> dt.date | None:
    """The day a YYYY-MM-DD text names, or None."""
    return _parse_date(text)


def _parse_date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _parse_int(text: str) -> int | None:
    """A whole number written as the files write it: ASCII digits, no sign, no leading zero."""
    if not (text.isascii() and text.isdigit()) or (len(text) > 1 and text.startswith("0")):
        return None
    return int(text)


def _row_problems(raw: pd.DataFrame, name: str, columns: tuple[str, ...], checks) -> list[Problem]:
    missing = [c for c in columns if c not in raw.columns]
    if missing:
        return [Problem(f"missing column(s) {', '.join(missing)}; the header must be {','.join(columns)}.", name)]
    # row 1 is the header, as in a spreadsheet
    return [
        Problem(message, name, i + 2, column)
        for i, row in enumerate(raw.to_dict("records"))
        for column, message in checks(row)
    ]


def _private_host(host: str) -> bool:
    """True for a host only this machine or its network can reach: localhost, a loopback, private or
    link-local address."""
    if host == "localhost" or host.endswith((".localhost", ".local", ".internal")):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_private or address.is_loopback or address.is_link_local or address.is_unspecified


def url_problem(url: str, what: str = "every row") -> str | None:
    """Why `url` is not one http(s) web address (None when it is): a second source goes in its own
    row or, as text, in the note, so that the Sources page's link works."""
    parts = urlsplit(url.strip()) if url.strip() else None
    if parts is None or parts.scheme not in ("http", "https") or not parts.netloc:
        return f"'{url[:120]}' is not a web address; {what} needs a source URL starting with http:// or https://."
    if parts.username is not None or parts.password is not None:
        return f"'{url[:120]}' names a user before '@'; give the source's own address, as its site shows it."
    if _private_host(parts.hostname or ""):
        return f"'{url[:120]}' points to a local or private address, which no reader can open; give the public one."
    if re.search(r"\s", url.strip()):  # (an archive's address may hold another address: that is one URL)
        return (
            f"'{url[:120]}' is more than one web address; give one URL here and name any other source, "
            "with its address, in the note."
        )
    return None


def text_problem(text: str, one_line: bool = False) -> str | None:
    """Why a text may not go in the record as written (None when it may): a control or invisible
    character, a line break where the text is shown on one line, or a start a spreadsheet runs."""
    if m := CONTROL.search(text):
        return (
            f"holds a control character (U+{ord(m.group(0)):04X}) after '{text[: m.start()][-20:]}'; write plain text."
        )
    if m := INVISIBLE.search(text):
        name = unicodedata.name(m.group(0), "format character").lower()
        return (
            f"holds an invisible character (U+{ord(m.group(0)):04X}, {name}) after '{text[: m.start()][-20:]}'; "
            "delete it: it can hide or reorder what the text shows."
        )
    if one_line and re.search(r"[\n\r]", text):
        return "runs over more than one line; write it on one line."
    if text.startswith(_FORMULA):
        return f"starts with '{text[0]}', which a spreadsheet runs as a formula; start with a word or a number."
    return None


def working_file_problem(text: str) -> str | None:
    """Why `text` may not go in a row: it cites one of the team's working files instead of a source."""
    if m := _WORKING_FILE.search(text):
        return (
            f"cites '{m.group(0)}', a working file no reader has; cite the source itself (its name, and its "
            "address in the url field or the note)."
        )
    return None


def _text_checks(row: dict, columns: tuple[str, ...]):
    for column in columns:
        text = row.get(column, "")
        if problem := text_problem(text, column in ONE_LINE) or working_file_problem(text):
            yield column, problem


def _common_checks(row: dict, table: schema.Table):
    if (day := _parse_date(row["date"])) is None:
        yield "date", f"'{row['date']}' is not a date; write it as YYYY-MM-DD."
    elif day < RECORD_START:
        yield "date", f"{day} is before {RECORD_START.year}, where the record starts; check the year."
    if problem := table.off_vocabulary("country", row["country"]):
        yield "country", problem
    if not row["source"].strip():
        yield "source", "is empty; every row needs the name of its source."
    if problem := url_problem(row["url"]):
        yield "url", problem


def _corroboration_checks(row: dict, table: schema.Table):
    """How many independent outlets carry the row: official, confirmed (two or more) or single (one)."""
    how, count = row["corroboration"], _parse_int(row["outlets"])
    if not how.strip():
        yield (
            "corroboration",
            (
                "is empty; say official if a government states it, confirmed if two or more independent outlets carry "
                "it, single if one does."
            ),
        )
    elif problem := table.off_vocabulary("corroboration", how):
        yield "corroboration", f"{problem} (official: a government states it; confirmed: two or more outlets)"
    if count is None or count < 1:
        yield (
            "outlets",
            f"'{row['outlets']}' is not a count of outlets; write how many independent outlets carry it (1 or more).",
        )
    elif how == "single" and count != 1:
        yield "outlets", f"{count} outlets for a single-source row; write 1, or call it confirmed."
    elif how == "confirmed" and count < 2:
        yield (
            "outlets",
            "1 outlet for a confirmed row; confirmed takes two or more independent outlets, else say single.",
        )


def _too_many(value: int) -> str:
    return (
        f"{value:,} is over {MAX_TROOPS:,}, the largest level taken as plausible (the US peak in Iraq was about "
        "170,000 in 2007); check for a typo."
    )


def _level_checks(row: dict):
    yield from _common_checks(row, schema.LEVELS)
    yield from _corroboration_checks(row, schema.LEVELS)
    troops = _parse_int(row["troops"])
    if troops is None:
        yield "troops", f"'{row['troops']}' is not a whole number of troops (write 2000, not 2,000 or ~2000)."
    bounds = {}
    for column in ("low", "high"):
        if row[column] != "":
            bounds[column] = _parse_int(row[column])
            if bounds[column] is None:
                yield column, f"'{row[column]}' is not a whole number; leave it empty if there is no bound."
    for column, value in (("troops", troops), *bounds.items()):
        if value is not None and value > MAX_TROOPS:
            yield column, _too_many(value)
    if troops is not None:
        if bounds.get("low") is not None and bounds["low"] > troops:
            yield "low", f"{bounds['low']} is above troops ({troops}); low must be <= troops."
        if bounds.get("high") is not None and bounds["high"] < troops:
            yield "high", f"{bounds['high']} is below troops ({troops}); high must be >= troops."
    for column in ("qualifier", "basis"):
        if problem := schema.LEVELS.off_vocabulary(column, row[column]):
            yield column, problem
    yield from _text_checks(row, ("note", "source"))


def _milestone_checks(row: dict):
    yield from _common_checks(row, schema.MILESTONES)
    yield from _corroboration_checks(row, schema.MILESTONES)
    if problem := schema.MILESTONES.off_vocabulary("kind", row["kind"]):
        yield "kind", problem
    label = row["label"]
    if not label.strip():
        yield "label", "is empty; give a short label for the chart."
    elif len(label) >= LABEL_MAX:
        yield "label", f"'{label}' is {len(label)} characters; chart labels must be shorter than {LABEL_MAX}."
    if row["kind"] == "target":
        if (value := _parse_int(row["value"])) is None:
            yield "value", f"'{row['value']}' is not a whole number; a target needs its troop level."
        elif value > MAX_TROOPS:
            yield "value", _too_many(value)
    elif row["value"] != "":
        yield "value", f"'{row['value']}' is set on a {row['kind']}; only targets carry a value."
    yield from _text_checks(row, ("label", "detail", "source"))


def _published_checks(row: dict, today: dt.date, explanation: str):
    published, day = _parse_date(row["published"]), _parse_date(row["date"])
    if published is None:
        yield "published", f"'{row['published']}' is not a date; write the day the source made it public as YYYY-MM-DD."
    elif published > today:
        yield "published", f"{published} is in the future (today is {today}); a row goes in once it is public."
    elif day is not None and published < day and not (row.get("kind") == "deadline" or _AHEAD.search(explanation)):
        yield (
            "published",
            f"{published} is before the row's date ({day}); a row is public before its date only if it was "
            "planned or announced ahead: say so in its note (or detail), or fix the date.",
        )


def validate_levels(raw: pd.DataFrame, name: str = LEVELS_FILE, today: dt.date | None = None) -> list[str]:
    today = today or dt.date.today()
    return _row_problems(
        raw, name, LEVEL_COLUMNS, lambda row: [*_level_checks(row), *_published_checks(row, today, row["note"])]
    )


def validate_milestones(raw: pd.DataFrame, name: str = MILESTONES_FILE, today: dt.date | None = None) -> list[str]:
    today = today or dt.date.today()
    return _row_problems(
        raw,
        name,
        MILESTONE_COLUMNS,
        lambda row: [*_milestone_checks(row), *_published_checks(row, today, row["detail"])],
    )


def _labels(values) -> pd.Index:
    """A categorical column's categories as Python strings: pandas reads their default (Arrow-backed)
    strings back one column at a time, the slower part of filtering the record's small frames."""
    return pd.Index(list(values), dtype=object)


def _typed_levels(raw: pd.DataFrame, extra: tuple[str, ...] = ()) -> pd.DataFrame:
    df = raw.loc[:, [*LEVEL_COLUMNS, *extra]].copy()
    for column in ("date", "published"):
        df[column] = pd.to_datetime(df[column], format="%Y-%m-%d")
    for column in ("troops", "low", "high"):
        df[column] = pd.to_numeric(df[column].replace("", None)).astype("Int64")
    df["country"] = pd.Categorical(df["country"], categories=_labels(COUNTRIES))
    df["qualifier"] = pd.Categorical(df["qualifier"], categories=_labels(QUALIFIERS))
    df["basis"] = pd.Categorical(df["basis"], categories=_labels(BASES))
    return _typed_corroboration(df).sort_values(["date", "country"], kind="stable").reset_index(drop=True)


def _typed_corroboration(df: pd.DataFrame) -> pd.DataFrame:
    df["corroboration"] = pd.Categorical(df["corroboration"], categories=_labels(schema.CORROBORATIONS))
    df["outlets"] = pd.to_numeric(df["outlets"]).astype("Int64")
    return df


def _typed_milestones(raw: pd.DataFrame, extra: tuple[str, ...] = ()) -> pd.DataFrame:
    df = raw.loc[:, [*MILESTONE_COLUMNS, *extra]].copy()
    for column in ("date", "published"):
        df[column] = pd.to_datetime(df[column], format="%Y-%m-%d")
    df["value"] = pd.to_numeric(df["value"].replace("", None)).astype("Int64")
    df["country"] = pd.Categorical(df["country"], categories=_labels(MILESTONE_COUNTRIES))
    df["kind"] = pd.Categorical(df["kind"], categories=_labels(KINDS))
    return _typed_corroboration(df).sort_values(["date", "country"], kind="stable").reset_index(drop=True)


def _log_checks(row: dict, column: str, entry: str, why: str, today: dt.date):
    """The day and the reason of a log's entry (a correction, a retraction)."""
    day = _parse_date(row[column])
    if day is None:
        yield column, f"'{row[column]}' is not a date; write when the {entry} was made as YYYY-MM-DD."
    elif day > today:
        yield column, f"{day} is in the future (today is {today}); a {entry} is logged once made."
    if not row["reason"].strip():
        yield "reason", f"is empty; say why {why}."
    yield from _text_checks(row, ("reason",))


def _correction_checks(row: dict, files: dict[str, pd.DataFrame], today: dt.date, later: set[str] = frozenset()):
    columns = {LEVELS_FILE: LEVEL_COLUMNS, MILESTONES_FILE: MILESTONE_COLUMNS}
    if row["file"] not in columns:
        yield "file", f"'{row['file']}' is not one of {LEVELS_FILE}, {MILESTONES_FILE}."
        return
    yield from _common_checks(row, schema.BY_FILE[row["file"]])
    if row["column"] not in set(columns[row["file"]]) - {"date", "country", "published"}:
        yield "column", f"'{row['column']}' is not a column of {row['file']} that can be corrected."
        return
    if row["old"] == row["new"]:
        yield "new", "is the same as old; a correction changes something."
    yield from _log_checks(row, "corrected", "correction", "the row was corrected", today)
    target = files.get(row["file"])
    if target is not None and row["column"] in target.columns:
        hits = target[(target["date"] == row["date"]) & (target["country"] == row["country"])]
        if row["new"] not in later and (hits[row["column"]] == row["new"]).sum() != 1:  # (or corrected again later)
            yield (
                "new",
                (
                    f"no single row of {row['file']} on {row['date']} ({row['country']}) has {row['column']} "
                    f"'{row['new'][:60]}'; the correction must point at the corrected row (fix the log or the row)."
                ),
            )


def _retraction_checks(row: dict, files: dict[str, pd.DataFrame], today: dt.date):
    columns = {LEVELS_FILE: LEVEL_COLUMNS, MILESTONES_FILE: MILESTONE_COLUMNS}
    if row["file"] not in columns:
        yield "file", f"'{row['file']}' is not one of {LEVELS_FILE}, {MILESTONES_FILE}."
        return
    yield from _common_checks(row, schema.BY_FILE[row["file"]])
    yield from _log_checks(row, "retracted", "retraction", "the row is wrong or superseded", today)
    target = files.get(row["file"])
    if target is not None and set(columns[row["file"]]) <= set(target.columns):
        same_day = target[(target["date"] == row["date"]) & (target["country"] == row["country"])]
        hits = [r for r in same_day.to_dict("records") if fingerprint(r, columns[row["file"]]) == row["row"]]
        if len(hits) != 1:
            yield (
                "row",
                f"no row of {row['file']} on {row['date']} ({row['country']}) has the fingerprint '{row['row']}'; "
                "the retraction must name the row as it reads now (fix the log or the row).",
            )


def retraction_index(raws: dict[str, pd.DataFrame]) -> dict[tuple[str, str], dict]:
    """The retractions log by (file, fingerprint of the retracted row): the retraction of each."""
    return {(r["file"], r["row"]): r for r in raws[RETRACTIONS_FILE].to_dict("records")}


def validate_corrections(
    raw: pd.DataFrame, files: dict[str, pd.DataFrame], today: dt.date, name: str = CORRECTIONS_FILE
) -> list[str]:
    """Each log row must point at the row it corrected: its `new` is what that row says now, or what a
    later correction of the same row and column changed (a row corrected twice)."""
    if set(CORRECTION_COLUMNS) - set(raw.columns):
        return _row_problems(raw, name, CORRECTION_COLUMNS, lambda row: ())
    rows = raw.to_dict("records")
    key = lambda r: (r["file"], r["date"], r["country"], r["column"])  # noqa: E731
    later = [{r["old"] for r in rows[i + 1 :] if key(r) == key(row)} for i, row in enumerate(rows)]
    seen = iter(later)
    return _row_problems(raw, name, CORRECTION_COLUMNS, lambda row: _correction_checks(row, files, today, next(seen)))


def _disagreement_checks(row: dict, today: dt.date):
    if problem := schema.DISAGREEMENTS.off_vocabulary("country", row["country"]):
        yield "country", problem
    start, end = _parse_date(row["start"]), _parse_date(row["end"])
    for column, value in (("start", start), ("end", end)):
        if value is None:
            yield column, f"'{row[column]}' is not a date; write it as YYYY-MM-DD."
    if start and end and start >= end:
        yield "end", f"{end} is not after start ({start}); a range runs forward."
    low, high = _parse_int(row["low"]), _parse_int(row["high"])
    for column, value in (("low", low), ("high", high)):
        if value is None:
            yield column, f"'{row[column]}' is not a whole number of troops."
    if low is not None and high is not None and low >= high:
        yield "high", f"{high} is not above low ({low}); a disagreement spans a range."
    if not row["label"].strip() or len(row["label"]) >= LABEL_MAX:
        yield "label", f"'{row['label']}' must be a short legend label (1 to {LABEL_MAX - 1} characters)."
    if not row["source"].strip():
        yield "source", "is empty; every range needs the sources that disagree."
    if problem := url_problem(row["url"], "every range"):
        yield "url", problem
    yield from _text_checks(row, ("label",))
    published = _parse_date(row["published"])
    if published is None or (start and published < start) or published > today:
        yield (
            "published",
            f"'{row['published']}' must be the day the last of its sources was public (YYYY-MM-DD), "
            f"from the range's start to today ({today}).",
        )


def _editorial_checks(row: dict, milestones: pd.DataFrame | None, seen: set):
    if row["role"] not in ROLES:
        yield "role", f"'{row['role']}' is not one of {', '.join(ROLES)}."
    rank = _parse_int(row["rank"])
    if rank is None or rank < 1:
        yield "rank", f"'{row['rank']}' is not a whole number from 1 (1 comes first)."
    elif (row["role"], rank) in seen:
        yield "rank", f"{rank} is used twice for {row['role']}; give each row its own rank."
    seen.add((row["role"], rank))
    if milestones is None:
        return
    key = (row["date"], row["country"], row["kind"])
    hits = milestones[
        (milestones["date"] == key[0]) & (milestones["country"] == key[1]) & (milestones["kind"] == key[2])
    ]
    if len(hits) != 1:
        yield (
            "date",
            (
                f"{len(hits)} milestones match {key[0]}, {key[1]}, {key[2]}; an editorial row must name exactly one "
                f"milestone of {MILESTONES_FILE} by its date, country and kind."
            ),
        )
    elif row["role"] != "chart-label" and row["kind"] != "target":
        yield "kind", f"a {row['role']} must be a target milestone, not a {row['kind']}."


def validate_editorial(raw: pd.DataFrame, milestones: pd.DataFrame | None, name: str = EDITORIAL_FILE) -> list[str]:
    seen: set = set()
    problems = _row_problems(raw, name, EDITORIAL_COLUMNS, lambda row: _editorial_checks(row, milestones, seen))
    if not problems and (raw["role"] == "headline-target").sum() != 1:
        problems.append(f"{name}: there must be exactly one headline-target row (the target line on the charts).")
    return problems


def read_dir(directory: Path | str = DATA_DIR) -> tuple[dict[str, pd.DataFrame], list[str]]:
    """Every data file of the folder as raw text frames, and the problems reading them (a file missing
    or not CSV): what `check_frames` and `from_frames` take."""
    directory, problems = Path(directory), []
    raws = {name: raw for name in DATA_FILES if (raw := _read_checked(directory / name, problems)) is not None}
    return raws, problems


def check_frames(raws: dict[str, pd.DataFrame], today: dt.date) -> list[str]:
    """Every problem in the record's files, given as raw text frames by file name (empty when all is
    well): the one set of rules for the shipped folder and for a change proposed in the app."""
    problems: list[str] = []
    for file_name, validate in ((LEVELS_FILE, validate_levels), (MILESTONES_FILE, validate_milestones)):
        if file_name in raws:
            problems.extend(validate(raws[file_name], file_name, today))
    if CORRECTIONS_FILE in raws:
        problems.extend(validate_corrections(raws[CORRECTIONS_FILE], raws, today))
    if DISAGREEMENTS_FILE in raws:
        problems.extend(
            _row_problems(
                raws[DISAGREEMENTS_FILE],
                DISAGREEMENTS_FILE,
                DISAGREEMENT_COLUMNS,
                lambda row: _disagreement_checks(row, today),
            )
        )
    if EDITORIAL_FILE in raws:
        problems.extend(validate_editorial(raws[EDITORIAL_FILE], raws.get(MILESTONES_FILE)))
    if RETRACTIONS_FILE in raws:
        problems.extend(
            _row_problems(
                raws[RETRACTIONS_FILE],
                RETRACTIONS_FILE,
                RETRACTION_COLUMNS,
                lambda row: _retraction_checks(row, raws, today),
            )
        )
    return problems


def check_dir(directory: Path | str = DATA_DIR, today: dt.date | None = None) -> list[str]:
    """Every problem in the data folder's files, in plain words (empty when all is well).
    `today` bounds dates that cannot lie in the future (default: the system date, at this edge)."""
    raws, problems = read_dir(directory)
    return problems + check_frames(raws, today or dt.date.today())


def _read_checked(path: Path, problems: list[str]) -> pd.DataFrame | None:
    if not path.is_file():
        problems.append(f"{path}: file not found.")
        return None
    try:
        return _read_raw(path)
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        problems.append(f"{path}: cannot be read as CSV ({exc}).")
        return None


def load(directory: Path | str = DATA_DIR) -> Dataset:
    """Load every file, validated and typed; raises DataError listing every problem."""
    raws, problems = read_dir(directory)
    problems += check_frames(raws, dt.date.today())
    if problems:
        raise DataError(problems)
    return from_frames(raws)


def from_frames(raws: dict[str, pd.DataFrame]) -> Dataset:
    """The typed record from raw text frames that `check_frames` passed."""
    corrections = raws[CORRECTIONS_FILE].copy()
    for column in ("date", "corrected"):
        corrections[column] = pd.to_datetime(corrections[column], format="%Y-%m-%d")
    retractions = retraction_index(raws)
    live, gone = {}, {}
    for name, columns in ((LEVELS_FILE, LEVEL_COLUMNS), (MILESTONES_FILE, MILESTONE_COLUMNS)):
        raw = raws[name]
        fixes = [retractions.get((name, fingerprint(r, columns))) for r in raw.to_dict("records")]
        out = pd.Series([f is not None for f in fixes], index=raw.index, dtype=bool)
        live[name] = raw[~out]
        gone[name] = raw[out].assign(
            retracted=pd.to_datetime([f["retracted"] for f in fixes if f], format="%Y-%m-%d"),
            retraction_reason=[f["reason"] for f in fixes if f],
            retraction_source=[f["source"] for f in fixes if f],
            retraction_url=[f["url"] for f in fixes if f],
        )
    editorial = raws[EDITORIAL_FILE]
    return Dataset(
        levels=_typed_levels(live[LEVELS_FILE]),
        milestones=_with_editorial(_typed_milestones(live[MILESTONES_FILE]), editorial),
        corrections=corrections,
        disagreements=_typed_disagreements(raws[DISAGREEMENTS_FILE]),
        retracted_levels=_typed_levels(gone[LEVELS_FILE], RETRACTED_EXTRA),
        retracted_milestones=_with_editorial(_typed_milestones(gone[MILESTONES_FILE], RETRACTED_EXTRA), editorial),
        version=record_version(raws),
    )


def _typed_disagreements(raw: pd.DataFrame) -> pd.DataFrame:
    df = raw.loc[:, list(DISAGREEMENT_COLUMNS)].copy()
    for column in ("start", "end", "published"):
        df[column] = pd.to_datetime(df[column], format="%Y-%m-%d")
    for column in ("low", "high"):
        df[column] = df[column].astype(int)
    return df


def _with_editorial(milestones: pd.DataFrame, editorial: pd.DataFrame) -> pd.DataFrame:
    """The milestones with the editorial choices joined on (date, country, kind): `chart_rank` (the
    label's priority on the charts, empty when not labelled), `headline_target`, `comparison_target`."""
    out = milestones.assign(chart_rank=pd.array([pd.NA] * len(milestones), dtype="Int64"))
    out["headline_target"] = False
    out["comparison_target"] = False
    key = out["date"].dt.strftime("%Y-%m-%d") + "|" + out["country"].astype(str) + "|" + out["kind"].astype(str)
    for r in editorial.to_dict("records"):
        at = key == f"{r['date']}|{r['country']}|{r['kind']}"
        if r["role"] == "chart-label":
            out.loc[at, "chart_rank"] = int(r["rank"])
        else:
            out.loc[at, r["role"].replace("-", "_")] = True
    return out


def fmt_day(d: dt.date | pd.Timestamp) -> str:
    """'24 Nov 2026'."""
    return f"{d.day} {d:%b %Y}"


def format_level(troops: int, qualifier: str) -> str:
    """'about 2,000', 'fewer than 1,000', '8,892'."""
    words = QUALIFIER_WORDS.get(qualifier, "")
    return f"{words} {troops:,}".strip()
