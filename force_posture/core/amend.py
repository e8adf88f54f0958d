"""A change to the record, as data: a new row, a correction of a row, a retraction of a row.

Pure (no database, no Streamlit). Applying a change to the record's raw files, recognising it when the
record already holds it (once a maintainer has shipped it in data/), finding it in conflict when the row
it changes has changed since, and checking it with the very rules `force-posture check` applies to
data/ (`data.check_frames` on the record with the change applied), each problem named by its field.
"""

from __future__ import annotations

import datetime as dt
import difflib
import io
from dataclasses import dataclass, field, replace

import pandas as pd

from force_posture.core import data

NEW, CORRECTION, RETRACTION = "new", "correction", "retraction"
KINDS = (NEW, CORRECTION, RETRACTION)
COLUMNS = {
    data.LEVELS_FILE: data.LEVEL_COLUMNS,
    data.MILESTONES_FILE: data.MILESTONE_COLUMNS,
    data.DISAGREEMENTS_FILE: data.DISAGREEMENT_COLUMNS,
}
CORRECTABLE = (data.LEVELS_FILE, data.MILESTONES_FILE)  # the files the corrections and retractions logs name
# the columns a correction may change: not a row's date, country or published day (those make a new row)
CORRECTABLE_COLUMNS = {
    f: tuple(c for c in COLUMNS[f] if c not in ("date", "country", "published")) for f in CORRECTABLE
}
WHAT = {data.LEVELS_FILE: "troop-level figure", data.MILESTONES_FILE: "milestone", data.DISAGREEMENTS_FILE: "range"}
# the column where a new row keeps the proposal's quote when the proposer left it empty
NOTE_COLUMN = {data.LEVELS_FILE: "note", data.MILESTONES_FILE: "detail"}
MAX_TEXT = 4000  # any one field, the quote and the reason included


@dataclass(frozen=True)
class Change:
    """What a proposal asks. `row`: a new row's every column, or a correction's {column: new text}.
    `target`: the row a correction or retraction is about, every column as it read when proposed.
    `source`, `url`, `published`: who says so and when it was public (a new row carries its own)."""

    kind: str
    file: str
    quote: str
    reason: str
    row: dict = field(default_factory=dict)
    target: dict | None = None
    source: str = ""
    url: str = ""
    published: str = ""

    def __hash__(self) -> int:
        return hash((self.kind, self.file, tuple(sorted(self.row.items()))))

    @property
    def sourced(self) -> tuple[str, str, str]:
        """(source, url, published) of what supports it: the new row's own, or the proposal's."""
        if self.kind == NEW:
            return self.row.get("source", ""), self.row.get("url", ""), self.row.get("published", "")
        return self.source, self.url, self.published

    def describe(self, short: bool = False) -> str:
        """One line in words: what it changes (`short`: a correction names its columns, not their texts,
        for a heading above the difference shown word by word)."""
        what = WHAT.get(self.file, self.file)
        if self.kind == NEW:
            return f"New {what}: {_row_words(self.file, self.row)}"
        about = _row_words(self.file, self.target or {})
        if self.kind == CORRECTION and short:
            return f"Correction of the {what} {about}: {', '.join(self.row)}"
        if self.kind == CORRECTION:
            fixes = "; ".join(f"{c} '{(self.target or {}).get(c, '')}' to '{v}'" for c, v in self.row.items())
            return f"Correction of the {what} {about}: {fixes}"
        return f"Retraction of the {what} {about}"


def round_changes(before: Change, after: Change) -> list[str]:
    """What a resubmission changed, field by field, in words ("source 'Reuters' to 'AP'"): what a
    reviewer of the new round needs to see."""
    out = []
    fields = {"quote": (before.quote, after.quote), "reason": (before.reason, after.reason)}
    for name, old, new in zip(("source", "url", "published"), before.sourced, after.sourced, strict=True):
        fields[name] = (old, new)
    for column in dict.fromkeys([*before.row, *after.row]):
        if column not in ("source", "url", "published"):
            fields[column] = (str(before.row.get(column, "")), str(after.row.get(column, "")))
    if (before.target or {}) != (after.target or {}):
        fields["row"] = (_row_words(before.file, before.target or {}), _row_words(after.file, after.target or {}))
    for name, (old, new) in fields.items():
        if old != new:
            out.append(f"{name} '{_short(old)}' to '{_short(new)}'")
    return out


def word_diff(old: str, new: str) -> str:
    """What a correction changes in a text, word by word, as plain text: removed words in [-...-], added
    words in {+...+} (git's word-diff marks), the rest as it was."""
    a, b = old.split(), new.split()
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(" ".join(a[i1:i2]))
            continue
        if i2 > i1:
            out.append("[-" + " ".join(a[i1:i2]) + "-]")
        if j2 > j1:
            out.append("{+" + " ".join(b[j1:j2]) + "+}")
    return " ".join(out)


def _short(text: str, most: int = 80) -> str:
    return text if len(text) <= most else text[: most - 1] + "…"


def _row_words(file: str, row: dict) -> str:
    if file == data.LEVELS_FILE:
        troops = row.get("troops", "")
        level = data.format_level(int(troops), row.get("qualifier", "")) if troops.isdigit() else troops
        return f"{row.get('country', '')}, {row.get('date', '')}, {level} ({row.get('basis', '')})"
    if file == data.MILESTONES_FILE:
        return f"{row.get('country', '')}, {row.get('date', '')}, {row.get('kind', '')} '{row.get('label', '')}'"
    span = f"{row.get('start', '')} to {row.get('end', '')}"
    return f"{row.get('country', '')}, {span}, {row.get('low', '')} to {row.get('high', '')}"


def warnings(file: str, row: dict, today: dt.date) -> list[str]:
    """What looks wrong before anyone submits, each naming the day: a deadline dated before its source
    published it; an event or announcement, or a troop figure, dated after today. Pure."""
    day, published = data.parse_date(row.get("date", "")), data.parse_date(row.get("published", ""))
    if day is None:
        return []
    out = []
    kind = row.get("kind", "") if file == data.MILESTONES_FILE else ""
    if kind == "deadline" and published is not None and day < published:
        out.append(
            f"The deadline, {data.fmt_day(day)}, is before the day its source published it "
            f"({data.fmt_day(published)}): a deadline lies ahead of its announcement. Check both days."
        )
    after = f"dated {data.fmt_day(day)} is after today ({data.fmt_day(today)})"
    if day > today and file == data.LEVELS_FILE:
        out.append(f"A troop figure {after}: a count is of a day that has come. Check the date.")
    if day > today and kind in ("event", "announcement"):
        out.append(f"An {kind} {after}: it cannot have happened yet. Did you mean a deadline or a target?")
    return out


def _at(column: str, message: str) -> data.Problem:
    """A problem with one of the form's fields: "url: ..."."""
    return data.Problem(message, column=column)


def form_problems(change: Change) -> list[data.Problem]:
    """What is wrong with the proposal itself, before the record's rules: kind, file, the quote and
    the reason, and a correction's or retraction's own source."""
    problems: list[data.Problem] = []
    if change.kind not in KINDS:
        return [_at("kind", f"'{change.kind}' is not one of {', '.join(KINDS)}.")]
    files = COLUMNS if change.kind == NEW else CORRECTABLE
    if change.file not in files:
        what = "a new row goes in" if change.kind == NEW else f"a {change.kind} is made to"
        return [_at("file", f"{what} one of {', '.join(files)}, not '{change.file}'.")]
    texts = {"quote": change.quote, "reason": change.reason, "source": change.source, "url": change.url}
    texts |= {f"{c}": str(v) for c, v in change.row.items()}
    for name, text in texts.items():
        if len(text) > MAX_TEXT:
            problems.append(_at(name, f"is {len(text):,} characters; at most {MAX_TEXT:,}."))
        elif problem := data.text_problem(text, one_line=name in data.ONE_LINE):
            problems.append(_at(name, problem))
    if not change.quote.strip():
        problems.append(_at("quote", "is empty; copy the words of the source that support this change."))
    if not change.reason.strip():
        problems.append(_at("reason", "is empty; say why the record should change."))
    if change.kind == NEW:
        unknown = sorted(set(change.row) - set(COLUMNS[change.file]))
        if unknown:
            problems.append(_at(", ".join(unknown), f"not a column of {change.file}."))
        return problems
    if change.target is None:
        problems.append(_at("row", f"a {change.kind} names the row it is about."))
    if not change.source.strip():
        problems.append(_at("source", "is empty; name the source that says the row is wrong."))
    if problem := data.url_problem(change.url, "a proposal"):
        problems.append(_at("url", problem))
    if data.parse_date(change.published) is None:
        problems.append(
            _at("published", f"'{change.published}' is not a date; write the day the source said so as YYYY-MM-DD.")
        )
    if change.kind == CORRECTION:
        if not change.row:
            problems.append(_at("row", "a correction changes at least one column."))
        for column, new in change.row.items():
            if column not in COLUMNS[change.file]:
                problems.append(_at(column, f"not a column of {change.file}."))
            elif column not in CORRECTABLE_COLUMNS[change.file]:
                problems.append(
                    _at(
                        column,
                        "a correction cannot change a row's date, country or published day; retract the "
                        "row and propose a new one instead.",
                    )
                )
            elif change.target is not None and change.target.get(column) == new:
                problems.append(_at(column, f"'{new}' is what the row says already; a correction changes something."))
    return problems


def _find(raws: dict[str, pd.DataFrame], file: str, target: dict) -> list[int]:
    frame = raws[file]
    columns = [c for c in COLUMNS[file] if c not in data.GRADING]  # the row as it reads, however corroborated
    match = pd.Series(True, index=frame.index)
    for column in columns:
        match &= frame[column] == str(target.get(column, ""))
    return list(frame.index[match])


def is_retracted(raws: dict[str, pd.DataFrame], file: str, row: dict) -> bool:
    """True when the retractions log names this row (as it reads)."""
    return (file, data.fingerprint(row, COLUMNS[file])) in data.retraction_index(raws)


def conflict(raws: dict[str, pd.DataFrame], change: Change) -> str | None:
    """Why a correction or retraction no longer fits the record (None when it does): the row it is
    about has changed or been retracted since the proposal was written."""
    if change.kind == NEW or change.target is None:
        return None
    if not _find(raws, change.file, change.target):
        return (
            f"The row this {change.kind} is about ({_row_words(change.file, change.target)}) has changed since the "
            "proposal was written; bring the proposal up to date with the row as it reads now."
        )
    if is_retracted(raws, change.file, change.target):
        return f"The row this {change.kind} is about ({_row_words(change.file, change.target)}) is retracted."
    return None


def brought_up_to_date(raws: dict[str, pd.DataFrame], change: Change) -> Change | None:
    """A correction or retraction in conflict, aimed again at the row as it reads now: the live row of the
    same file, day and country most like the one it was written against (None if there is none)."""
    if change.kind == NEW or change.target is None:
        return None
    frame = raws[change.file]
    rows = [
        r
        for r in frame[
            (frame["date"] == change.target.get("date")) & (frame["country"] == change.target.get("country"))
        ].to_dict("records")
        if not is_retracted(raws, change.file, r)
    ]
    if not rows:
        return None
    best = max(rows, key=lambda r: sum(r[c] == change.target.get(c) for c in COLUMNS[change.file]))
    return replace(change, target=best, row={c: v for c, v in change.row.items() if best.get(c) != v})


def already_in(raws: dict[str, pd.DataFrame], change: Change) -> bool:
    """True when the record already holds the change (shipped in data/ since): never applied twice."""
    if change.kind == NEW:  # as approved now, or as shipped before a new row kept its quote in an empty note
        plain = {c: str(change.row.get(c, "")) for c in COLUMNS[change.file]}
        return bool(_find(raws, change.file, new_row(change)) or _find(raws, change.file, plain))
    if change.kind == RETRACTION:
        return change.target is not None and is_retracted(raws, change.file, change.target)
    corrected = dict(change.target or {}, **change.row)
    log = raws[data.CORRECTIONS_FILE]
    logged = all(
        (
            (log["file"] == change.file)
            & (log["date"] == corrected["date"])
            & (log["country"] == corrected["country"])
            & (log["column"] == column)
            & (log["new"] == new)
        ).any()
        for column, new in change.row.items()
    )
    return logged and bool(_find(raws, change.file, corrected))


def new_row(change: Change) -> dict[str, str]:
    """The row a new-row proposal adds, every column as text; where the proposer left the note (or a
    milestone's detail) empty, it keeps the proposal's quote, so the record says what the source said. A
    proposal written before rows were graded is single-source with one outlet (data.UNGRADED)."""
    row = {c: str(change.row.get(c, data.UNGRADED.get(c, ""))) for c in COLUMNS[change.file]}
    words = NOTE_COLUMN.get(change.file)
    if words and not row[words].strip() and change.quote.strip():
        row[words] = f'The source says: "{change.quote.strip()}"'
    return row


def apply(raws: dict[str, pd.DataFrame], change: Change) -> dict[str, pd.DataFrame]:
    """The record's raw files with the change made (new frames; `raws` is not changed)."""
    out = dict(raws)
    source, url, published = change.sourced
    if change.kind == NEW:
        out[change.file] = pd.concat([raws[change.file], pd.DataFrame([new_row(change)])], ignore_index=True)
        return out
    target = change.target or {}
    if change.kind == RETRACTION:
        entry = {
            "file": change.file,
            "date": target.get("date", ""),
            "country": target.get("country", ""),
            "row": data.fingerprint(target, COLUMNS[change.file]),
            "retracted": published,
            "reason": change.reason,
            "source": source,
            "url": url,
        }
        out[data.RETRACTIONS_FILE] = pd.concat([raws[data.RETRACTIONS_FILE], pd.DataFrame([entry])], ignore_index=True)
        return out
    frame = raws[change.file].copy()
    at = _find(raws, change.file, target)
    entries = []
    for column, new in change.row.items():
        if at:
            frame.loc[at[0], column] = str(new)
        entries.append(
            {
                "file": change.file,
                "date": target.get("date", ""),
                "country": target.get("country", ""),
                "column": column,
                "old": target.get(column, ""),
                "new": str(new),
                "corrected": published,
                "reason": change.reason,
                "source": source,
                "url": url,
            }
        )
    out[change.file] = frame
    out[data.CORRECTIONS_FILE] = pd.concat([raws[data.CORRECTIONS_FILE], pd.DataFrame(entries)], ignore_index=True)
    return out


def problems(raws: dict[str, pd.DataFrame], change: Change, today: dt.date) -> list[str]:
    """Every reason the change cannot go into the record, in plain words, each naming its field:
    the proposal's own rules, a conflict, then `force-posture check`'s rules on the record with the
    change made (only what the change brings: the record as it is passes them)."""
    found = form_problems(change)
    if change.kind not in KINDS or change.file not in (COLUMNS if change.kind == NEW else CORRECTABLE):
        return found
    if change.kind != NEW and (found or change.target is None):  # a correction is checked once it is well formed
        return found
    if (why := conflict(raws, change)) is not None:
        return [*found, why]
    if already_in(raws, change):
        return [*found, "The record already holds this change."]
    before, named = set(data.check_frames(raws, today)), {p.column for p in found}
    after = [_by_field(p, change) for p in data.check_frames(apply(raws, change), today) if p not in before]
    return found + [p for p in after if getattr(p, "column", None) not in named]


def _by_field(problem: str, change: Change) -> str:
    """'troop_levels.csv row 72, column 'url': ...' as the form says it: "url: ..."; a problem the
    change makes in a log names the log's column."""
    if not isinstance(problem, data.Problem) or problem.row is None:
        return problem
    if problem.file == change.file:
        return _at(problem.column, problem.message)
    if problem.column in ("corrected", "retracted"):  # the log's day is the proposal's published day
        return _at("published", problem.message)
    return _at(f"{problem.column} ({problem.file})", problem.message)


def from_csv(text: str, today: dt.date) -> tuple[list[Change], list[str]]:
    """A researcher's file of new rows, in a data file's own format (a troop-level, milestone or range
    file's columns) plus `quote` and `reason`: its changes, and its problems by row (row 2 is the first
    under the header, as in a spreadsheet). A file with any problem proposes nothing."""
    try:
        raw = pd.read_csv(io.StringIO(text.lstrip("\ufeff")), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as err:
        return [], [f"The file cannot be read as CSV ({str(err).strip()[:120]})."]
    raw.columns = [c.strip().lower() for c in raw.columns]
    header = set(raw.columns)
    file = next((f for f, cols in COLUMNS.items() if set(cols) <= header), None)
    if file is None:
        wanted = " | ".join(",".join(cols) for cols in COLUMNS.values())
        return [], [f"The header is not a data file's: give the columns of one of {wanted}, plus quote and reason."]
    missing = [c for c in ("quote", "reason") if c not in header]
    extra = sorted(header - set(COLUMNS[file]) - {"quote", "reason"})
    if missing or extra:
        says = [f"missing {', '.join(missing)}"] if missing else []
        says += [f"unknown {', '.join(extra)}"] if extra else []
        return [], [f"The header of a {file} proposal: {'; '.join(says)}. Every row needs its quote and reason."]
    changes = [
        Change(NEW, file, quote=r["quote"], reason=r["reason"], row={c: r[c].strip() for c in COLUMNS[file]})
        for r in raw.to_dict("records")
    ]
    return changes, []


def batch_problems(raws: dict[str, pd.DataFrame], changes: list[Change], today: dt.date) -> list[str]:
    """Each change of a file checked on the record with the rows above it made: "row N: field: ..."."""
    out: list[str] = []
    for i, change in enumerate(changes):
        found = problems(raws, change, today)
        out += [f"row {i + 2}: {p}" for p in found]
        if not found:
            raws = apply(raws, change)
    return out
