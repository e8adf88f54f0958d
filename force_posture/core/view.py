"""The view an analyst chose, its URL vocabulary, and the one link builder: the bottom of the house.

A shared link reopens the same view. Query parameters are parsed against an allow-list, never
evaluated; unknown keys and values are ignored and reported back, so a mistyped link still opens (on
the defaults) and says what it did not understand.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, fields, replace
from urllib.parse import urlencode

import pandas as pd

from force_posture.core.data import COUNTRIES, RECORD_START

LAST_DAY = dt.date(2100, 12, 31)  # the latest day a from/to range may name
# The time windows, shortest first, by the name the URL and the command line use. A window with a
# fixed start has it here; "last-12-months" starts on the first of the month a year before today.
WINDOW_NAMES = {
    "last-12-months": "the last 12 months",
    "since-announcement": "since the April 2025 announcement",
    "counter-is": "counter-IS campaign, 2014 on",
    "since-2003": "since the 2003 invasion",
}
WINDOW_BUTTONS = {
    "last-12-months": "Last 12 months",
    "since-announcement": "Since Apr 2025",
    "counter-is": "2014 on",
    "since-2003": "Since 2003",
}
WINDOWS = {
    # the month of Parnell's "less than a 1,000" (18 Apr 2025, data/milestones.csv): the drawdown's start
    "since-announcement": dt.date(2025, 4, 1),
    "counter-is": dt.date(2014, 1, 1),
    "since-2003": dt.date(2003, 1, 1),
}
COUNTER_IS_START = WINDOWS["counter-is"]  # the default window
SCALES = ("linear", "log")
# The charts by the name the URL and the command line use, and the countries each shows.
CHARTS: dict[str, tuple[str, ...]] = {"overview": COUNTRIES, "syria": ("Syria",), "iraq": ("Iraq",)}
ON_OFF = ("on", "off")
ALLOWED: dict[str, tuple[str, ...]] = {
    "window": tuple(WINDOW_NAMES),
    "scale": SCALES,
    "caps": ON_OFF,
    "bands": ON_OFF,
    "briefing": ON_OFF,
}
MAX_SAVED = 10  # saved scenarios one link may open
_SAVED = re.compile(r"^[1-9][0-9]{0,8}(,[1-9][0-9]{0,8}){0,9}$")  # at most MAX_SAVED ids


@dataclass(frozen=True)
class View:
    window: str = "counter-is"
    scale: str = "linear"
    caps: str = "on"
    bands: str = "on"
    briefing: str = "off"
    saved: str = ""  # ids of saved library scenarios shown, comma-separated ("12,15")
    known: str = ""  # YYYY-MM-DD: show the record as it was known on that day (empty: as known today)
    since: str = ""  # YYYY-MM-DD: the Sources page's "what changed since" day (empty: 30 days before today)
    # YYYY-MM-DD: the record as this dashboard showed it at the end of that day (the record version then in
    # force, approvals made later left out), whatever day each source was published (empty: as now)
    shown: str = ""
    from_: str = ""  # YYYY, YYYY-MM or YYYY-MM-DD: the chart starts here instead of at the window's start
    to: str = ""  # YYYY, YYYY-MM or YYYY-MM-DD: the chart ends with this period instead of the window's end

    @property
    def known_on(self) -> dt.date | None:
        return dt.date.fromisoformat(self.known) if self.known else None

    @property
    def shown_on(self) -> dt.date | None:
        return dt.date.fromisoformat(self.shown) if self.shown else None

    @property
    def saved_ids(self) -> list[int]:
        return [int(i) for i in self.saved.split(",")] if self.saved else []

    @property
    def show_caps(self) -> bool:
        return self.caps == "on"

    @property
    def show_bands(self) -> bool:
        return self.bands == "on"

    @property
    def is_briefing(self) -> bool:
        return self.briefing == "on"

    @property
    def is_range(self) -> bool:
        """A from/to range in the link, which the chart shows instead of its window."""
        return bool(self.from_ or self.to)

    def to_query(self) -> dict[str, str]:
        """Only what differs from the defaults, so plain links stay plain."""
        default = View()
        return {_URL_KEY.get(k, k): v for k, v in asdict(self).items() if v != getattr(default, k)}

    def with_(self, **changes: str) -> View:
        return replace(self, **changes)


def parse(params: Mapping[str, str | list[str]]) -> tuple[View, list[str]]:
    """A View from query parameters, plus plain-language notes on what was ignored."""
    values: dict[str, str] = {}
    notes: list[str] = []
    known = {_URL_KEY.get(f.name, f.name) for f in fields(View)}
    for key, raw in params.items():
        value = raw[-1] if isinstance(raw, list) else raw
        if key not in known:
            notes.append(f"Ignored the link parameter '{key[:40]}': it is not one this page uses.")
        elif key == "saved":
            if _SAVED.match(value):
                values[key] = value
            else:
                notes.append(
                    f"Ignored saved='{str(value)[:40]}': use up to {MAX_SAVED} saved scenario numbers, "
                    "separated by commas (saved=12,15)."
                )
        elif key in ("known", "since", "shown"):
            if _is_day(value):
                values[key] = value
            else:
                notes.append(f"Ignored {key}='{str(value)[:40]}': give a day as YYYY-MM-DD, from {RECORD_START}.")
        elif key in ("from", "to"):
            try:
                period(key, value, end=key == "to")
                values[_FIELD.get(key, key)] = value
            except ValueError as err:
                notes.append(f"Ignored {err}")
        elif value not in ALLOWED[key]:
            notes.append(f"Ignored {key}='{str(value)[:40]}': use one of {', '.join(ALLOWED[key])}.")
        else:
            values[key] = value
    if values.get("from_") and values.get("to") and period("from", values["from_"]) >= period("to", values["to"], True):
        values["from_"], values["to"] = values["to"], values["from_"]  # given the wrong way round: read the other way
        notes.append(
            f"Read from='{values['to']}' and to='{values['from_']}' the other way round: a range starts before it ends."
        )
    return View(**values), notes


_URL_KEY = {"from_": "from"}  # a View field whose URL name is a Python keyword
_FIELD = {v: k for k, v in _URL_KEY.items()}
_PERIOD = re.compile(r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?")


def period(name: str, value: str, end: bool = False) -> dt.date:
    """The first day of a period written YYYY, YYYY-MM or YYYY-MM-DD (a year, a month, a day), or with
    `end` the day after it: `from=2025-01&to=2026-12` is 1 Jan 2025 up to 1 Jan 2027. The one rule the
    link's from/to and the command line's --start/--end share; ValueError names `name` in words."""
    try:
        if not _PERIOD.fullmatch(value):
            raise ValueError
        parts = [int(p) for p in value.split("-")]
        first = dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
        if not RECORD_START <= first <= LAST_DAY:
            raise ValueError
    except ValueError:
        raise ValueError(
            f"{name}='{value[:40]}': give a year, a month or a day (2025, 2025-01 or 2025-01-15), "
            f"from {RECORD_START.year} to {LAST_DAY.year}."
        ) from None
    if not end:
        return first
    if len(parts) == 3:
        return first + dt.timedelta(days=1)
    if len(parts) == 2:
        return (first + dt.timedelta(days=32)).replace(day=1)
    return first.replace(year=first.year + 1)


def known_day(name: str, value: str, today: dt.date) -> dt.date:
    """The day a record is asked "as known on" (or a since/until day), written YYYY-MM-DD, from the
    record's start to today: a day to come is not known yet. The one rule the API's `known=` and the
    command line's `--known-on` share; ValueError says in words what is wrong, naming `name`."""
    try:
        day = dt.date.fromisoformat(value) if len(value) == 10 and value[4] == "-" else None
    except ValueError:
        day = None
    if day is None or not RECORD_START <= day <= today:
        raise ValueError(
            f"{name}='{value[:40]}' is not a usable day: give YYYY-MM-DD from {RECORD_START} to today ({today})."
        )
    return day


def served_day(name: str, value: str, today: dt.date) -> dt.date:
    """`known_day`, save that a day to come is served as today (the record cannot be known later than
    now): the API's and the chart addresses' rule, which say the day they used."""
    try:
        return known_day(name, value, today)
    except ValueError:
        if _is_day(value) and dt.date.fromisoformat(value) > today:
            return today
        raise


def _is_day(value: str) -> bool:
    try:
        return len(value) == 10 and dt.date.fromisoformat(value) >= RECORD_START
    except ValueError:
        return False


def saved_value(ids: Iterable[int]) -> str:
    """The `saved` parameter for these library ids (sorted, at most MAX_SAVED)."""
    return ",".join(str(i) for i in sorted(set(ids))[:MAX_SAVED])


def query_string(view: View) -> str:
    q = view.to_query()
    return ("?" + urlencode(q)) if q else ""


def link(base: str, chart: str, view: View) -> str:
    """The address that reopens a chart's view in the app: its page plus the allow-listed parameters
    (never the briefing toggle: a link opens the full page)."""
    path = "" if chart == "overview" else f"/{chart}"
    return f"{base.rstrip('/')}{path}{query_string(view.with_(briefing='off'))}"


def window_start(window: str, today: dt.date) -> dt.date:
    """Where a window starts: its fixed day, or for the last 12 months the first of the month a year
    before today's month."""
    if window not in WINDOW_NAMES:
        raise ValueError(f"unknown window {window!r}; choose one of {', '.join(WINDOW_NAMES)}")
    if window == "last-12-months":
        return today.replace(year=today.year - 1, day=1)
    return WINDOWS[window]


def window_range(window: str, today: dt.date, milestones: pd.DataFrame) -> tuple[dt.date, dt.date]:
    """From the window's start to a little past the later of today and the last deadline."""
    start = window_start(window, today)
    deadlines = milestones.loc[milestones["kind"] == "deadline", "date"]
    last = max([today, *(d.date() for d in deadlines)])
    end = last + dt.timedelta(days=75)
    end = (end.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    return start, end


def span(chosen: View, today: dt.date, milestones: pd.DataFrame) -> tuple[dt.date, dt.date]:
    """The days a view's chart shows (its end is the first day not shown): the window's, or the link's
    from/to range where it gives one (a missing end taken from the window, widened where the two would
    not make a range)."""
    start, end = window_range(chosen.window, today, milestones)
    if chosen.from_:
        start = period("from", chosen.from_)
        if start >= end:  # a start past the window's end: that period alone
            end = period("from", chosen.from_, end=True)
    if chosen.to:
        end = period("to", chosen.to, end=True)
        if end <= start:  # an end before the window's start: the record from its start
            start = RECORD_START
    return start, end


def span_name(chosen: View, start: dt.date, end: dt.date) -> str:
    """The words for what the chart shows: the window's name, or the range ('Jan 2025 to Dec 2026')."""
    if not chosen.is_range:
        return WINDOW_NAMES[chosen.window]
    last = end - dt.timedelta(days=1)
    one_month = (start.year, start.month) == (last.year, last.month)
    return f"{start:%b %Y}" if one_month else f"{start:%b %Y} to {last:%b %Y}"
