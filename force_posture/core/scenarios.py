"""Alternative drawdown scenarios: parse uploaded CSVs, build them in the app, compare them.

Liberal in what is accepted (header case and spaces, BOM, `;` or tab delimiters, `1,000`,
`YYYY-MM` dates, country case, CRLF, quoted newlines, extra columns, unsorted rows, zero troops),
exact in what is refused: every refusal is a `ScenarioError` whose message names the file, the
row as a spreadsheet numbers it (the header is row 1), the column, the value and the fix.
Pure functions: bytes, frames and "today" in; frames, notices and messages out.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePath

import numpy as np
import pandas as pd

from force_posture.core.data import COUNTRIES, MAX_TROOPS, fmt_day
from force_posture.core.summary import comparison_targets, latest
from force_posture.core.tables import to_safe_csv

AGAIN = "Fix them and upload again."  # the app's words; the command line says "run it again"
REQUIRED = ("date", "country", "troops")
OPTIONAL = ("scenario", "low", "high", "note")
COLUMNS = ("scenario", "date", "country", "troops", "low", "high", "note")
EARLIEST, LATEST = pd.Timestamp("2001-01-01"), pd.Timestamp("2100-12-31")
MAX_LISTED = 5  # problems listed in one message; the rest are counted

SIGNATURES = (
    (b"\x89PNG", "a PNG image"),
    (b"PK\x03\x04", "a ZIP archive (an Excel .xlsx file is one)"),
    (b"\x1f\x8b", "a gzip-compressed file"),
    (b"%PDF", "a PDF document"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\xd0\xcf\x11\xe0", "an old Excel .xls file"),
)
_THOUSANDS = re.compile(r"^\d{1,3}(?:[,  ]\d{3})+$")
_WHOLE = re.compile(r"^-?\d+(?:\.0+)?$")
_MONTH = re.compile(r"^\d{4}-\d{2}$")


class ScenarioError(ValueError):
    """A refused file; `str(err)` is the whole plain-language message."""


@dataclass(frozen=True)
class Scenario:
    """One uploaded or built file: its rows (possibly several named scenarios) and notices."""

    file_name: str
    frame: pd.DataFrame  # COLUMNS, sorted by scenario, country, date
    notices: tuple[str, ...] = field(default=())

    @property
    def names(self) -> list[str]:
        return list(dict.fromkeys(self.frame["scenario"]))


def _decode(data: bytes, name: str, notices: list[str]) -> str:
    if not data.strip():
        raise ScenarioError(f"{name}: the file is empty. Upload a CSV with a header row (date, country, troops).")
    for signature, what in SIGNATURES:
        if data.startswith(signature):
            raise ScenarioError(
                f"{name}: this is {what}, not a CSV file. In your spreadsheet, use File > Save as > "
                "CSV (comma-separated), and upload that."
            )
    if b"\x00" in data[:4096]:
        raise ScenarioError(
            f"{name}: this is a binary file, not a CSV text file (it contains NUL bytes). Save it as CSV "
            "(comma-separated, UTF-8) and upload that."
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        notices.append(f"{name}: the file is not UTF-8; it was read as Windows-1252 (Excel's usual encoding).")
        return data.decode("cp1252", errors="replace")


def _delimiter(text: str, name: str) -> str:
    header = next((line for line in text[:65536].splitlines() if line.strip()), "")  # not 300,000 lines
    counts = {d: header.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    if counts[best] == 0:
        shown = header.strip()[:60]
        raise ScenarioError(
            f"{name}: this does not look like a table: its first line ('{shown}') has no commas, semicolons or "
            "tabs between column names. The first line must be a header such as: date,country,troops"
        )
    return best


def _header_key(column: str) -> str:
    return re.sub(r"\s+", "_", str(column).strip().lower())


def _too_many_fields(text: str, name: str, delimiter: str) -> ScenarioError:
    """The first row with more values than the header has columns, numbered as a spreadsheet would."""
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    want = len(next(reader))
    for number, record in enumerate(reader, start=2):
        if len(record) > want:
            hint = ' A number like 1,000 must be in quotes ("1,000") when commas separate the columns.'
            return ScenarioError(
                f"{name}: row {number} has {len(record)} values but the header has {want} columns. Check that row "
                f"for an extra separator.{hint if delimiter == ',' else ''}"
            )
    return ScenarioError(f"{name}: some rows have more values than the header has columns.")


def _read_table(text: str, name: str, delimiter: str) -> pd.DataFrame:
    try:
        with warnings.catch_warnings():
            # with index_col=False, pandas only warns (and drops data) when a row has an extra value
            warnings.simplefilter("error", pd.errors.ParserWarning)
            return pd.read_csv(
                io.StringIO(text),
                sep=delimiter,
                dtype=str,
                keep_default_na=False,
                skip_blank_lines=False,
                engine="c",
                quotechar='"',
                index_col=False,
                on_bad_lines="error",
            )
    except pd.errors.ParserWarning:
        raise _too_many_fields(text, name, delimiter) from None
    except pd.errors.ParserError as exc:
        msg = str(exc)
        if "Expected" in msg and "fields" in msg:
            raise _too_many_fields(text, name, delimiter) from None
        m = re.search(r"EOF inside string starting at row (\d+)", msg)
        if m:
            raise ScenarioError(
                f'{name}: broken quoting: a quote (") opened at row {int(m.group(1)) + 1} is never closed. Close '
                "the quote, or remove it."
            ) from None
        raise ScenarioError(f"{name}: the file cannot be read as a CSV table ({msg.strip()}).") from None


def _numbers(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(values, bad mask) for stripped text: whole numbers, 1,000 / 1 000 separators and a trailing
    .0 accepted. Plain digits (nearly every cell) take the fast path."""
    empty = s == ""
    if empty.all():
        return pd.Series(np.nan, index=s.index), pd.Series(False, index=s.index)
    plain = pd.to_numeric(s.where(~empty), errors="coerce")
    if (plain.notna() | empty).all() and (plain.dropna() == plain.dropna().round()).all():
        return plain, pd.Series(False, index=s.index)
    grouped = s.str.match(_THOUSANDS)
    s = s.where(~grouped, s.str.replace(r"[,  ]", "", regex=True))
    ok = s.str.match(_WHOLE)
    values = pd.to_numeric(s.where(ok), errors="coerce")
    return values, ~ok & (s != "")


def parse(data: bytes, file_name: str) -> Scenario:
    """Parse one uploaded scenario file; raises ScenarioError with the message to show."""
    name = PurePath(file_name).name or "the file"
    notices: list[str] = []
    text = _decode(data, name, notices)
    delimiter = _delimiter(text, name)
    if delimiter != ",":
        notices.append(f"{name}: columns are separated by {'semicolons' if delimiter == ';' else 'tabs'}.")
    fast = _clean_file(text, PurePath(name).stem or "scenario") if delimiter == "," and not notices else None
    if fast is not None:  # the common clean file, read typed at once; anything else takes the careful path
        return Scenario(name, _one_row_per_date(fast, name, notices), tuple(notices))
    raw, rows = _data_rows(_known_columns(_read_table(text, name, delimiter), name, notices), name, notices)
    problems = _Problems(raw, rows)
    dates, country, values = _check_values(raw, problems, name, notices)
    scenario = raw["scenario"]
    default_name = PurePath(name).stem or "scenario"
    if (scenario == "").any():
        if (scenario != "").any():
            notices.append(f"{name}: rows with a blank scenario are named '{default_name}' after the file.")
        scenario = scenario.where(scenario != "", default_name)
    problems.raise_if_any(name)
    frame = pd.DataFrame(
        {
            "scenario": scenario.astype(str).values,
            "date": dates.values,
            "country": country.astype(str).values,
            "troops": values["troops"].astype("int64").values,
            "low": values["low"].astype("Int64").values,
            "high": values["high"].astype("Int64").values,
            "note": raw["note"].astype(str).values,
            "_row": rows.values,
        }
    )
    return Scenario(name, _one_row_per_date(frame, name, notices), tuple(notices))


_CLEAN_HEADERS = ("date,country,troops", "scenario,date,country,troops")
# the dates' resolution, as the careful path's to_datetime makes them on this pandas version
_DATE_DTYPE = pd.to_datetime(pd.Series(["2026-01-01"]), format="%Y-%m-%d").dtype


def _clean_file(text: str, default_name: str) -> pd.DataFrame | None:
    """A file in exactly the template's shape (header `[scenario,]date,country,troops`, YYYY-MM-DD dates,
    Syria or Iraq as written, plain whole numbers in range, no blank rows, no stray spaces, a name on
    every row), read by Arrow's typed CSV reader: the frame the careful path would make, several times
    faster for a 300,000-row file. None for anything else, which the careful path then reads, notices
    and exact messages included."""
    import pyarrow as pa
    import pyarrow.compute as pc
    from pyarrow import csv as pa_csv

    end = text.find("\n", 0, 200)
    if end < 0 or text[:end].rstrip("\r") not in _CLEAN_HEADERS or "\n\n" in text or "\r\n\r\n" in text or '"' in text:
        return None  # (searched in place: an 8 MB file is not copied)
    types = {"date": pa.date32(), "country": pa.string(), "troops": pa.int64(), "scenario": pa.string()}
    try:
        table = pa_csv.read_csv(
            pa.py_buffer(text.encode("utf-8")),
            convert_options=pa_csv.ConvertOptions(
                column_types=types, strings_can_be_null=False, quoted_strings_can_be_null=False
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    if table.num_rows == 0:
        return None
    troops, dates, country = table["troops"], table["date"], table["country"]
    names = table["scenario"] if "scenario" in table.column_names else None
    checks = [
        troops.null_count == 0,
        dates.null_count == 0,
        pc.all(pc.is_in(country, value_set=pa.array(COUNTRIES))).as_py(),
        pc.min(troops).as_py() >= 0,
        pc.max(troops).as_py() <= MAX_TROOPS,
        pc.min(dates).as_py() >= EARLIEST.date(),
        pc.max(dates).as_py() <= LATEST.date(),
    ]
    if names is not None:
        checks += [
            pc.all(pc.equal(names, pc.utf8_trim_whitespace(names))).as_py(),
            pc.min(pc.utf8_length(names)).as_py() > 0,
        ]
    if not all(checks):
        return None
    n = table.num_rows
    return pd.DataFrame(
        {
            "scenario": names.to_numpy(zero_copy_only=False) if names is not None else np.full(n, default_name, object),
            "date": pd.to_datetime(pd.Series(dates.to_numpy(zero_copy_only=False))).astype(_DATE_DTYPE).values,
            "country": country.to_numpy(zero_copy_only=False),
            "troops": troops.to_numpy().astype("int64"),
            "low": pd.arrays.IntegerArray(np.zeros(n, dtype="int64"), np.ones(n, dtype=bool)),  # all empty
            "high": pd.arrays.IntegerArray(np.zeros(n, dtype="int64"), np.ones(n, dtype=bool)),
            "note": np.full(n, "", dtype=object),
            "_row": np.arange(n) + 2,
        }
    )


def _known_columns(raw: pd.DataFrame, name: str, notices: list[str]) -> pd.DataFrame:
    """Header names made canonical; duplicates and missing required columns refused; extras noted."""
    keys = [_header_key(c) for c in raw.columns]
    dupes = sorted({k for k in keys if keys.count(k) > 1})
    if dupes:
        raise ScenarioError(f"{name}: the column {', '.join(repr(d) for d in dupes)} appears twice; keep one.")
    raw.columns = keys
    missing = [c for c in REQUIRED if c not in keys]
    if missing:
        found = ", ".join(f"'{k[:30]}'" for k in keys[:8])
        raise ScenarioError(
            f"{name}: missing required column{'s' if len(missing) > 1 else ''} {', '.join(missing)}. The header "
            f"has {found}; it needs date, country and troops (and may have scenario, low, high, note)."
        )
    extra = [k for k in keys if k not in REQUIRED + OPTIONAL]
    if extra:
        notices.append(f"{name}: ignored column{'s' if len(extra) > 1 else ''} {', '.join(e[:30] for e in extra)}.")
    raw = raw[[k for k in keys if k in REQUIRED + OPTIONAL]]
    for column in OPTIONAL:
        if column not in raw.columns:
            raw[column] = ""
    return raw


def _data_rows(raw: pd.DataFrame, name: str, notices: list[str]) -> tuple[pd.DataFrame, pd.Series]:
    """Cells stripped once (every check reads stripped text), empty rows skipped with a notice, and
    each row's number as a spreadsheet shows it."""
    rows = pd.Series(np.arange(len(raw)) + 2, index=raw.index)
    raw = raw.apply(lambda col: col.str.strip())
    blank = (raw == "").all(axis=1)
    if blank.all():
        raise ScenarioError(
            f"{name}: the file has a header but no data rows. Add one row per date: date,country,troops"
        )
    if blank.any():
        notices.append(f"{name}: skipped {int(blank.sum())} empty row{'s' if blank.sum() > 1 else ''}.")
        raw, rows = raw[~blank], rows[~blank]
    return raw, rows


class _Problems:
    """The problems found: the first few of each kind to list, and how many there are in all."""

    def __init__(self, raw: pd.DataFrame, rows: pd.Series):
        self.raw, self.rows = raw, rows
        self.listed: list[tuple[int, str]] = []
        self.counts: dict[str, int] = {}

    def flag(self, mask: pd.Series, column: str, message: Callable[[str], str]) -> None:
        for idx in mask[mask].index[:MAX_LISTED]:
            value = str(self.raw.at[idx, column])[:40]
            self.listed.append((int(self.rows[idx]), f"row {self.rows[idx]}, column '{column}': {message(value)}"))
        self.counts[column] = self.counts.get(column, 0) + int(mask.sum())

    def raise_if_any(self, name: str) -> None:
        if not self.listed:
            return
        self.listed.sort()
        total = sum(self.counts.values())
        if total == 1:
            raise ScenarioError(f"{name}: {self.listed[0][1]}")
        shown = "\n".join(f"- {p}" for _, p in self.listed[:MAX_LISTED])
        more = total - min(total, MAX_LISTED)
        tail = f"\n- … and {more} more." if more > 0 else ""
        first = f"; the first {MAX_LISTED}" if more > 0 else ""
        raise ScenarioError(f"{name} has {total} problems{first}:\n{shown}{tail}\n{AGAIN}")


def _check_values(raw: pd.DataFrame, problems: _Problems, name: str, notices: list[str]):
    """Dates (YYYY-MM-DD, or YYYY-MM for the 1st), countries (any case) and whole numbers, all at once."""
    flag = problems.flag
    for column in REQUIRED:
        flag(raw[column] == "", column, lambda v, c=column: f"is blank; every row needs a {c}.")
    d = raw["date"]
    dates = pd.to_datetime(d, format="%Y-%m-%d", errors="coerce")  # the common case, all at once
    month = dates.isna() & d.str.match(_MONTH)
    if month.any():
        dates = dates.where(~month, pd.to_datetime(d.where(month) + "-01", format="%Y-%m-%d", errors="coerce"))
    bad = dates.isna() & (d != "")
    flag(bad, "date", lambda v: f"'{v}' is not a date; write it as YYYY-MM-DD (or YYYY-MM for a month).")
    out_of_range = ~bad & (dates.notna()) & ((dates < EARLIEST) | (dates > LATEST))
    flag(out_of_range, "date", lambda v: f"'{v}' is outside 2001 to 2100; check the year.")
    if month.any():
        notices.append(
            f"{name}: {int(month.sum())} month-only date{'s' if month.sum() > 1 else ''} (YYYY-MM) set to the 1st."
        )
    country = raw["country"].str.lower().map({c.lower(): c for c in COUNTRIES})
    flag(
        country.isna() & (raw["country"] != ""),
        "country",
        lambda v: f"'{v}' is not a country this tool tracks; use Syria or Iraq.",
    )
    values = {}
    for column in ("troops", "low", "high"):
        v, bad_num = _numbers(raw[column])
        flag(bad_num, column, lambda s: f"'{s}' is not a whole number of troops (e.g. 900 or 1,000).")
        flag(v < 0, column, lambda s: f"'{s}' is negative; troop numbers are 0 or more (0 is a full withdrawal).")
        flag(
            v > MAX_TROOPS, column, lambda s: f"'{s}' is over {MAX_TROOPS:,}, which is not plausible; check for a typo."
        )
        values[column] = v
    troops, low, high = values["troops"], values["low"], values["high"]
    flag(
        low.notna() & troops.notna() & (low > troops), "low", lambda s: f"'{s}' is above troops; low must be <= troops."
    )
    flag(
        high.notna() & troops.notna() & (high < troops),
        "high",
        lambda s: f"'{s}' is below troops; high must be >= troops.",
    )
    return dates, country, values


def _one_row_per_date(frame: pd.DataFrame, name: str, notices: list[str]) -> pd.DataFrame:
    """Two levels on one date of one scenario are refused; rows out of order are sorted, with a notice."""
    dup = frame.duplicated(["scenario", "country", "date"], keep=False)
    if dup.any():
        first = frame[dup].sort_values("_row").iloc[0]
        rows_dup = frame[
            dup
            & (frame["scenario"] == first["scenario"])
            & (frame["country"] == first["country"])
            & (frame["date"] == first["date"])
        ]["_row"].tolist()
        raise ScenarioError(
            f"{name}: rows {', '.join(map(str, rows_dup[:5]))} give two levels for {first['country']} on "
            f"{first['date']:%Y-%m-%d} in scenario '{str(first['scenario'])[:40]}'. Keep one row per date."
        )
    in_order = frame.groupby(["scenario", "country"], sort=False)["date"].apply(lambda d: d.is_monotonic_increasing)
    if not in_order.all():
        notices.append(f"{name}: rows were not in date order; they were sorted.")
    return frame.sort_values(["scenario", "country", "date"], kind="stable").drop(columns="_row").reset_index(drop=True)


def to_csv(frame: pd.DataFrame) -> bytes:
    """A scenario frame as CSV in the upload format (formula-safe), which parses back unchanged."""
    out = frame[list(COLUMNS)].copy()
    for column in ("low", "high"):
        out[column] = out[column].astype("Int64").astype(str).replace("<NA>", "")
    return to_safe_csv(out)


def template_csv() -> bytes:
    return (
        b"scenario,date,country,troops,low,high,note\n"
        b"My drawdown,2026-03-01,Syria,1000,,,start: latest sourced figure\n"
        b"My drawdown,2026-06-30,Syria,0,,,full withdrawal\n"
        b"My drawdown,2026-01-14,Iraq,2000,,,\n"
        b"My drawdown,2026-09-30,Iraq,500,400,600,\n"
    )


SHAPES = ("linear", "step", "monthly")
SHAPE_NAMES = {"linear": "Linear", "step": "Step at a date", "monthly": "Stepped monthly"}


def preview_name(built: pd.DataFrame) -> str:
    """The accessible name of a built scenario's preview chart: whose path, from what to what."""
    first, last = built.iloc[0], built.iloc[-1]
    return (
        f"Preview chart of the scenario '{first.scenario}' for {first.country}: {int(first.troops):,} troops on "
        f"{fmt_day(first.date)} to {int(last.troops):,} on {fmt_day(last.date)}, drawn over the sourced record."
    )


def build(
    name: str,
    country: str,
    start: dt.date,
    start_level: int,
    end: dt.date,
    end_level: int,
    shape: str = "linear",
    step_date: dt.date | None = None,
) -> pd.DataFrame:
    """A scenario frame from a few choices; raises ScenarioError on an impossible choice."""
    if country not in COUNTRIES:
        raise ScenarioError(f"Choose Syria or Iraq, not '{country}'.")
    if end <= start:
        raise ScenarioError("The end date must be after the start date.")
    if min(start_level, end_level) < 0 or max(start_level, end_level) > MAX_TROOPS:
        raise ScenarioError(f"Levels must be between 0 and {MAX_TROOPS:,}.")
    if shape not in SHAPES:
        raise ScenarioError(f"Unknown shape '{shape}'; choose linear, step or monthly.")
    day = dt.timedelta(days=1)
    if shape == "linear":
        points = [(start, start_level), (end, end_level)]
    elif shape == "step":
        step_date = step_date or start + (end - start) / 2
        if not start < step_date <= end:
            raise ScenarioError("The step date must be after the start date and no later than the end date.")
        points = [(start, start_level), (step_date - day, start_level), (step_date, end_level), (end, end_level)]
        points = list(dict(points).items())
    else:  # a level for each month, held until the next month's change
        months = pd.date_range(pd.Timestamp(start), pd.Timestamp(end), freq="MS").date.tolist()
        months = [start] + [m for m in months if m > start]
        n = len(months)
        # evenly spaced steps from the start level (first month) to the end level (last month)
        levels = [round(start_level + (end_level - start_level) * k / max(n - 1, 1)) for k in range(n)]
        points = []
        for k, (m, level) in enumerate(zip(months, levels, strict=True)):
            points.append((m, level))
            nxt = months[k + 1] - day if k + 1 < n else end
            if nxt > m:
                points.append((nxt, level))
        points = list(dict(points).items())
    return pd.DataFrame(
        {
            "scenario": name,
            "date": pd.to_datetime([p[0] for p in points]),
            "country": country,
            "troops": np.array([p[1] for p in points], dtype="int64"),
            "low": pd.array([pd.NA] * len(points), dtype="Int64"),
            "high": pd.array([pd.NA] * len(points), dtype="Int64"),
            "note": "",
        }
    )


# ---- comparison ---------------------------------------------------------------------------

RULES = (
    "Levels between a scenario's points are interpolated in a straight line, day by day; after its last "
    "point a scenario holds its last level; before its first point it says nothing ('not covered'). "
    "The first date under the target is the first day on which that line is below the target. A deadline "
    "is met when the level on the deadline date is at or below the threshold (0 by default: the joint "
    "statement ends the mission, read here as no US troops left for it); missed when above it."
)


def level_on(series: pd.DataFrame, day: pd.Timestamp) -> float | None:
    """The scenario's level on `day`: straight-line between points, held after the last, None before the first."""
    x = series["date"].to_numpy(dtype="datetime64[D]").astype("int64")
    y = series["troops"].to_numpy(dtype="float64")
    t = np.datetime64(pd.Timestamp(day).date(), "D").astype("int64")
    if not len(x) or t < x[0]:
        return None
    return float(np.interp(t, x, y))


def first_under(series: pd.DataFrame, target: float) -> pd.Timestamp | None:
    """The first day on which the straight line between the points is below `target`."""
    x = series["date"].to_numpy(dtype="datetime64[D]").astype("int64")
    y = series["troops"].to_numpy(dtype="float64")
    if not len(x):
        return None
    below = np.flatnonzero(y < target)
    if not len(below):
        return None
    k = int(below[0])
    if k == 0:
        return pd.Timestamp(np.datetime64(int(x[0]), "D"))
    x0, x1, y0, y1 = x[k - 1], x[k], y[k - 1], y[k]
    # the line is at `target` at x0 + (y0 - target) / (y0 - y1) * (x1 - x0); the first day below it follows
    cross = x0 + (y0 - target) / (y0 - y1) * (x1 - x0)
    day = int(np.floor(cross)) + 1
    day = min(max(day, int(x0) + 1), int(x1))
    return pd.Timestamp(np.datetime64(day, "D"))


def compare(
    scenarios: pd.DataFrame,
    levels: pd.DataFrame,
    milestones: pd.DataFrame,
    today: dt.date,
    threshold: int = 0,
) -> pd.DataFrame:
    """One row per scenario and country: each deadline met or missed, the first date under the
    target and the difference from the latest sourced figure first (what decides, in view without
    scrolling), then the levels today and on each deadline that those come from."""
    tg = comparison_targets(milestones)
    deadlines = milestones[milestones["kind"] == "deadline"]
    rows, verdicts = [], {}
    for (name, country), s in scenarios.groupby(["scenario", "country"], sort=False):
        s = s.sort_values("date")
        row: dict[str, object] = {"scenario": name, "country": country}
        now = level_on(s, pd.Timestamp(today))
        row["level today"] = None if now is None else round(now)
        for d in deadlines[deadlines["country"].isin([country, "Both"])].itertuples():
            v = level_on(s, d.date)
            key = f"{d.label} ({fmt_day(d.date)})"
            row[f"level on {key}"] = None if v is None else round(v)
            row[key] = "not covered" if v is None else ("met" if v <= threshold else "missed")
            verdicts[key] = None
        if country in tg:
            value = tg[country].value
            first = first_under(s, value)
            row["target"] = f"fewer than {value:,}"
            row["first date under target"] = first.date() if first is not None else None
        lat = latest(levels, country, today)
        if lat is not None and now is not None:
            lo, hi = round(now) - lat.high, round(now) - lat.low
            row["vs latest sourced"] = f"{lo:+,}" if lo == hi else f"{lo:+,} to {hi:+,}"
            row["latest sourced"] = f"{lat.text} ({fmt_day(lat.date)})"
        rows.append(row)
    table = pd.DataFrame(rows)
    first = ["scenario", "country", *verdicts, "first date under target", "vs latest sourced"]
    table = table[[c for c in first if c in table.columns] + [c for c in table.columns if c not in first]]
    # a deadline of the other country does not apply: say so rather than leave a blank
    text = [c for c in table.columns if table[c].dtype == object or pd.api.types.is_string_dtype(table[c])]
    table[text] = table[text].fillna("—")
    return table


def default_end(milestones: pd.DataFrame, country: str, day: dt.date) -> dt.date:
    """The builder's first end date: the country's next withdrawal deadline after `day`, or else a year
    after it (a scenario that ends before the day it is built on shows nothing to come)."""
    ahead = milestones[
        (milestones["kind"] == "deadline")
        & milestones["country"].isin([country, "Both"])
        & (milestones["date"] > pd.Timestamp(day))
    ]
    if len(ahead):
        return ahead["date"].min().date()
    return day.replace(year=day.year + 1) if (day.month, day.day) != (2, 29) else day + dt.timedelta(days=365)


def comparison_csv(table: pd.DataFrame) -> bytes:
    """The comparison as a spreadsheet reads it: the app's own figures as numbers (levels, and the
    difference from the latest sourced figure as its low and high end), never as text behind an
    apostrophe; only text that came from outside (scenario names) is neutralised (tables.to_safe_csv)."""
    out = table.copy()
    for column in out.columns:
        if column.startswith("level "):
            out[column] = pd.to_numeric(out[column], errors="coerce").round().astype("Int64")
    if "vs latest sourced" in out.columns:
        ends = out["vs latest sourced"].astype(str).str.replace(",", "").str.extract(r"^([+-]\d+)(?: to ([+-]\d+))?$")
        low = pd.to_numeric(ends[0], errors="coerce").astype("Int64")
        high = pd.to_numeric(ends[1].fillna(ends[0]), errors="coerce").astype("Int64")
        at = out.columns.get_loc("vs latest sourced")
        out = out.drop(columns="vs latest sourced")
        out.insert(at, "vs latest sourced, high", high)
        out.insert(at, "vs latest sourced, low", low)
    return to_safe_csv(out)
