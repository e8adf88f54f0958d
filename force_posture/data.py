"""Load and validate the shipped, sourced CSVs into typed pandas frames.

Validation collects every problem in plain words (file, spreadsheet row, column, value, fix)
instead of stopping at the first one, so whoever adds tomorrow's figure sees all that is wrong.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
LEVELS_FILE = "troop_levels.csv"
MILESTONES_FILE = "milestones.csv"
CORRECTIONS_FILE = "corrections.csv"

COUNTRIES = ("Syria", "Iraq")
QUALIFIERS = ("exact", "about", "fewer_than", "more_than", "up_to")
BASES = ("acknowledged", "disclosed", "authorized", "reported")
KINDS = ("event", "announcement", "target", "deadline")
MILESTONE_COUNTRIES = (*COUNTRIES, "Both")
LABEL_MAX = 40  # labels are drawn on charts: fewer than 40 characters

LEVEL_COLUMNS = (
    "date",
    "country",
    "troops",
    "low",
    "high",
    "qualifier",
    "basis",
    "source",
    "url",
    "note",
)
MILESTONE_COLUMNS = ("date", "country", "kind", "label", "detail", "value", "source", "url")
# The corrections log: each published row that was corrected, with what it said before.
CORRECTION_COLUMNS = ("file", "date", "country", "column", "old", "new", "corrected", "reason", "source", "url")

QUALIFIER_WORDS = {
    "exact": "",
    "about": "about",
    "fewer_than": "fewer than",
    "more_than": "more than",
    "up_to": "up to",
}
BASIS_MEANING = {
    "acknowledged": "officially stated at the time",
    "disclosed": "revealed later about an earlier time",
    "authorized": "a force management level or cap, not a count",
    "reported": "an estimate by the press or an unnamed official",
}


class DataError(ValueError):
    """The shipped data is invalid; `problems` lists each issue in plain words."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class Dataset:
    levels: pd.DataFrame
    milestones: pd.DataFrame
    corrections: pd.DataFrame


def _read_raw(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def _parse_date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _parse_int(text: str) -> int | None:
    return int(text) if text.isdigit() else None


def _row_problems(raw: pd.DataFrame, name: str, columns: tuple[str, ...], checks) -> list[str]:
    missing = [c for c in columns if c not in raw.columns]
    if missing:
        return [f"{name}: missing column(s) {', '.join(missing)}; the header must be {','.join(columns)}."]
    problems: list[str] = []
    for i, row in enumerate(raw.to_dict("records")):
        where = f"{name} row {i + 2}"  # row 1 is the header, as in a spreadsheet
        for column, message in checks(row):
            problems.append(f"{where}, column '{column}': {message}")
    return problems


def _common_checks(row: dict, countries: tuple[str, ...]):
    if _parse_date(row["date"]) is None:
        yield "date", f"'{row['date']}' is not a date; write it as YYYY-MM-DD."
    if row["country"] not in countries:
        yield "country", f"'{row['country']}' is not one of {', '.join(countries)}."
    if not row["source"].strip():
        yield "source", "is empty; every row needs the name of its source."
    if not row["url"].strip().startswith(("http://", "https://")):
        yield "url", f"'{row['url']}' is not a web address; every row needs a source URL starting with http."


def _level_checks(row: dict):
    yield from _common_checks(row, COUNTRIES)
    troops = _parse_int(row["troops"])
    if troops is None:
        yield "troops", f"'{row['troops']}' is not a whole number of troops (write 2000, not 2,000 or ~2000)."
    bounds = {}
    for column in ("low", "high"):
        if row[column] != "":
            bounds[column] = _parse_int(row[column])
            if bounds[column] is None:
                yield column, f"'{row[column]}' is not a whole number; leave it empty if there is no bound."
    if troops is not None:
        if bounds.get("low") is not None and bounds["low"] > troops:
            yield "low", f"{bounds['low']} is above troops ({troops}); low must be <= troops."
        if bounds.get("high") is not None and bounds["high"] < troops:
            yield "high", f"{bounds['high']} is below troops ({troops}); high must be >= troops."
    if row["qualifier"] not in QUALIFIERS:
        yield "qualifier", f"'{row['qualifier']}' is not one of {', '.join(QUALIFIERS)}."
    if row["basis"] not in BASES:
        yield "basis", f"'{row['basis']}' is not one of {', '.join(BASES)}."


def _milestone_checks(row: dict):
    yield from _common_checks(row, MILESTONE_COUNTRIES)
    if row["kind"] not in KINDS:
        yield "kind", f"'{row['kind']}' is not one of {', '.join(KINDS)}."
    label = row["label"]
    if not label.strip():
        yield "label", "is empty; give a short label for the chart."
    elif len(label) >= LABEL_MAX:
        yield "label", f"'{label}' is {len(label)} characters; chart labels must be shorter than {LABEL_MAX}."
    if row["kind"] == "target":
        if _parse_int(row["value"]) is None:
            yield "value", f"'{row['value']}' is not a whole number; a target needs its troop level."
    elif row["value"] != "":
        yield "value", f"'{row['value']}' is set on a {row['kind']}; only targets carry a value."


def validate_levels(raw: pd.DataFrame, name: str = LEVELS_FILE) -> list[str]:
    return _row_problems(raw, name, LEVEL_COLUMNS, _level_checks)


def validate_milestones(raw: pd.DataFrame, name: str = MILESTONES_FILE) -> list[str]:
    return _row_problems(raw, name, MILESTONE_COLUMNS, _milestone_checks)


def _typed_levels(raw: pd.DataFrame) -> pd.DataFrame:
    df = raw.loc[:, list(LEVEL_COLUMNS)].copy()
    df["date"] = pd.to_datetime(df["date"], format="%Y-%m-%d")
    for column in ("troops", "low", "high"):
        df[column] = pd.to_numeric(df[column].replace("", None)).astype("Int64")
    df["country"] = pd.Categorical(df["country"], categories=COUNTRIES)
    df["qualifier"] = pd.Categorical(df["qualifier"], categories=QUALIFIERS)
    df["basis"] = pd.Categorical(df["basis"], categories=BASES)
    return df.sort_values(["date", "country"], kind="stable").reset_index(drop=True)


def _typed_milestones(raw: pd.DataFrame) -> pd.DataFrame:
    df = raw.loc[:, list(MILESTONE_COLUMNS)].copy()
    df["date"] = pd.to_datetime(df["date"], format="%Y-%m-%d")
    df["value"] = pd.to_numeric(df["value"].replace("", None)).astype("Int64")
    df["country"] = pd.Categorical(df["country"], categories=MILESTONE_COUNTRIES)
    df["kind"] = pd.Categorical(df["kind"], categories=KINDS)
    return df.sort_values(["date", "country"], kind="stable").reset_index(drop=True)


def _correction_checks(row: dict, files: dict[str, pd.DataFrame], today: dt.date):
    columns = {LEVELS_FILE: LEVEL_COLUMNS, MILESTONES_FILE: MILESTONE_COLUMNS}
    if row["file"] not in columns:
        yield "file", f"'{row['file']}' is not one of {LEVELS_FILE}, {MILESTONES_FILE}."
        return
    countries = COUNTRIES if row["file"] == LEVELS_FILE else MILESTONE_COUNTRIES
    yield from _common_checks(row, countries)
    if row["column"] not in columns[row["file"]][2:]:
        yield "column", f"'{row['column']}' is not a column of {row['file']} that can be corrected."
        return
    if row["old"] == row["new"]:
        yield "new", "is the same as old; a correction changes something."
    corrected = _parse_date(row["corrected"])
    if corrected is None:
        yield "corrected", f"'{row['corrected']}' is not a date; write when the correction was made as YYYY-MM-DD."
    elif corrected > today:
        yield "corrected", f"{corrected} is in the future (today is {today}); a correction is logged once made."
    if not row["reason"].strip():
        yield "reason", "is empty; say why the row was corrected."
    target = files.get(row["file"])
    if target is not None and row["column"] in target.columns:
        hits = target[(target["date"] == row["date"]) & (target["country"] == row["country"])]
        if (hits[row["column"]] == row["new"]).sum() != 1:
            yield (
                "new",
                (
                    f"no single row of {row['file']} on {row['date']} ({row['country']}) has {row['column']} "
                    f"'{row['new'][:60]}'; the correction must point at the corrected row (fix the log or the row)."
                ),
            )


def validate_corrections(
    raw: pd.DataFrame, files: dict[str, pd.DataFrame], today: dt.date, name: str = CORRECTIONS_FILE
) -> list[str]:
    return _row_problems(raw, name, CORRECTION_COLUMNS, lambda row: _correction_checks(row, files, today))


def check_dir(directory: Path | str = DATA_DIR, today: dt.date | None = None) -> list[str]:
    """Every problem in the data folder's files, in plain words (empty when all is well).
    `today` bounds dates that cannot lie in the future (default: the system date, at this edge)."""
    directory = Path(directory)
    today = today or dt.date.today()
    problems: list[str] = []
    raws: dict[str, pd.DataFrame] = {}
    for file_name, validate in ((LEVELS_FILE, validate_levels), (MILESTONES_FILE, validate_milestones)):
        raw = _read_checked(directory / file_name, problems)
        if raw is not None:
            raws[file_name] = raw
            problems.extend(validate(raw, file_name))
    raw = _read_checked(directory / CORRECTIONS_FILE, problems)
    if raw is not None:
        problems.extend(validate_corrections(raw, raws, today))
    return problems


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
    """Load both files, validated and typed; raises DataError listing every problem."""
    problems = check_dir(directory)
    if problems:
        raise DataError(problems)
    directory = Path(directory)
    corrections = _read_raw(directory / CORRECTIONS_FILE)
    for column in ("date", "corrected"):
        corrections[column] = pd.to_datetime(corrections[column], format="%Y-%m-%d")
    return Dataset(
        levels=_typed_levels(_read_raw(directory / LEVELS_FILE)),
        milestones=_typed_milestones(_read_raw(directory / MILESTONES_FILE)),
        corrections=corrections,
    )


# The headline target: Parnell's "less than a 1,000" in Syria (18 Apr 2025), drawn as a line on the
# charts and used for "first date under the target".
HEADLINE_TARGET = ("Syria", dt.date(2025, 4, 18))


def fmt_day(d: dt.date | pd.Timestamp) -> str:
    """'24 Nov 2026'."""
    return f"{d.day} {d:%b %Y}"


def format_level(troops: int, qualifier: str) -> str:
    """'about 2,000', 'fewer than 1,000', '8,892'."""
    words = QUALIFIER_WORDS.get(qualifier, "")
    return f"{words} {troops:,}".strip()
