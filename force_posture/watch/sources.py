"""The watched sources: which feeds and pages publish US troop figures, how often each is read, and
whether it is official. They are data (data/watched_sources.csv, or the file FORCE_POSTURE_WATCH_FILE
names): an operator adds or removes one there; no analyst can make the server fetch an address.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from force_posture import settings
from force_posture.core import data, schema

WATCH_FILE_SETTING = "FORCE_POSTURE_WATCH_FILE"
DEFAULT_FILE = data.DATA_DIR / "watched_sources.csv"
COLUMNS = ("name", "kind", "url", "countries", "every_minutes", "official", "documented_at")
KINDS = {
    "rss": "an RSS feed",
    "atom": "an Atom feed",
    "page": "a web page listing articles (robots.txt honoured)",
    "gdelt": "GDELT's document search (JSON, one request every 6 seconds at most)",
}
YES_NO = {"yes": True, "no": False}
SHORTEST = dt.timedelta(minutes=15)  # no source is read more often: publishers' limits, and nothing moves faster


class SourcesError(ValueError):
    """The list cannot be used; the message names the file, the row, the column and the fix."""


@dataclass(frozen=True)
class Source:
    """One watched source. `official`: its figures are a government's (their basis defaults to
    acknowledged, a press source's to reported)."""

    name: str
    kind: str
    url: str
    countries: tuple[str, ...]
    every: dt.timedelta
    official: bool
    documented_at: str

    def due(self, last_read: dt.datetime | None, now: dt.datetime) -> bool:
        """Whether the source is to be read now, given when it was last read (None: never)."""
        return last_read is None or now - last_read >= self.every

    @property
    def basis(self) -> str:
        return "acknowledged" if self.official else "reported"


def path() -> Path:
    """The list in use: the file FORCE_POSTURE_WATCH_FILE names, else the shipped one."""
    chosen = settings.value(WATCH_FILE_SETTING)
    return Path(chosen) if chosen else DEFAULT_FILE


def load(file: Path | None = None) -> list[Source]:
    """The watched sources, checked; raises SourcesError naming every problem."""
    file = file or path()
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as err:
        raise SourcesError(f"The watched sources file {file} cannot be read: {err.strerror}.") from None
    return parse(text, file.name)


def parse(text: str, name: str = "watched_sources.csv") -> list[Source]:
    rows = list(csv.DictReader(io.StringIO(text)))
    header = tuple(csv.reader(io.StringIO(text.splitlines()[0] if text.strip() else "")))
    if not header or tuple(header[0]) != COLUMNS:
        raise SourcesError(f"{name}: the header must be {','.join(COLUMNS)}.")
    problems, out = [], []
    for number, row in enumerate(rows, start=2):
        found = [f"{name} row {number}, column '{column}': {why}" for column, why in _problems(row)]
        problems += found
        if not found:
            out.append(_source(row))
    names = [s.name for s in out]
    problems += [
        f"{name}: the name '{n}' is used twice; each source needs its own."
        for n in sorted(set(names))
        if names.count(n) > 1
    ]
    if problems:
        raise SourcesError("\n".join(problems))
    return out


def _problems(row: dict) -> list[tuple[str, str]]:
    out = []
    if not (row.get("name") or "").strip():
        out.append(("name", "is empty; give the source a short name."))
    if row.get("kind") not in KINDS:
        out.append(("kind", f"'{row.get('kind')}' is not one of {', '.join(KINDS)}."))
    address = row.get("url") or ""
    parts = urlsplit(address)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        out.append(("url", f"'{address[:80]}' is not an http:// or https:// address."))
    countries = [c.strip() for c in (row.get("countries") or "").split(";") if c.strip()]
    if not countries or any(c not in schema.COUNTRIES for c in countries):
        out.append(("countries", f"'{row.get('countries')}': write Syria, Iraq or Syria;Iraq."))
    minutes = (row.get("every_minutes") or "").strip()
    if not minutes.isdigit() or dt.timedelta(minutes=int(minutes)) < SHORTEST:
        out.append(("every_minutes", f"'{minutes}': write whole minutes, {SHORTEST.seconds // 60} or more."))
    if row.get("official") not in YES_NO:
        out.append(("official", f"'{row.get('official')}': write yes (a government publishes it) or no."))
    return out


def _source(row: dict) -> Source:
    return Source(
        name=row["name"].strip(),
        kind=row["kind"],
        url=row["url"],
        countries=tuple(c.strip() for c in row["countries"].split(";") if c.strip()),
        every=dt.timedelta(minutes=int(row["every_minutes"])),
        official=YES_NO[row["official"]],
        documented_at=row.get("documented_at") or "",
    )
