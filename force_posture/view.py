"""The view an analyst chose, its URL vocabulary, and the one link builder: the bottom of the house.

A shared link reopens the same view. Query parameters are parsed against an allow-list, never
evaluated; unknown keys and values are ignored and reported back, so a mistyped link still opens (on
the defaults) and says what it did not understand.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields, replace
from urllib.parse import urlencode

import pandas as pd

from force_posture.data import COUNTRIES

RECORD_START = dt.date(2003, 1, 1)  # the record's first year: no "known on" or "since" day before it
WINDOWS = {"counter-is": dt.date(2014, 1, 1), "since-2003": dt.date(2003, 1, 1)}
WINDOW_NAMES = {"counter-is": "counter-IS campaign, 2014 on", "since-2003": "since the 2003 invasion"}
COUNTER_IS_START = WINDOWS["counter-is"]  # the default window, and where "the peak" is looked for
SCALES = ("linear", "log")
# The charts by the name the URL and the command line use, and the countries each shows.
CHARTS: dict[str, tuple[str, ...]] = {"overview": COUNTRIES, "syria": ("Syria",), "iraq": ("Iraq",)}
ON_OFF = ("on", "off")
ALLOWED: dict[str, tuple[str, ...]] = {
    "window": tuple(WINDOWS),
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

    @property
    def known_on(self) -> dt.date | None:
        return dt.date.fromisoformat(self.known) if self.known else None

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

    def to_query(self) -> dict[str, str]:
        """Only what differs from the defaults, so plain links stay plain."""
        default = View()
        return {k: v for k, v in asdict(self).items() if v != getattr(default, k)}

    def with_(self, **changes: str) -> View:
        return replace(self, **changes)


def parse(params: Mapping[str, str | list[str]]) -> tuple[View, list[str]]:
    """A View from query parameters, plus plain-language notes on what was ignored."""
    values: dict[str, str] = {}
    notes: list[str] = []
    known = {f.name for f in fields(View)}
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
        elif key in ("known", "since"):
            if _is_day(value):
                values[key] = value
            else:
                notes.append(f"Ignored {key}='{str(value)[:40]}': give a day as YYYY-MM-DD, from {RECORD_START}.")
        elif value not in ALLOWED[key]:
            notes.append(f"Ignored {key}='{str(value)[:40]}': use one of {', '.join(ALLOWED[key])}.")
        else:
            values[key] = value
    return View(**values), notes


def known_day(name: str, value: str, today: dt.date) -> dt.date:
    """The day a record is asked "as known on" (or a since/until day), written YYYY-MM-DD, from the
    record's start to today: a day to come is not known yet. The one rule the API's `known=` and the
    command line's `--known-on` share; ValueError says in words what is wrong, naming `name`."""
    try:
        day = dt.date.fromisoformat(value) if len(value) == 10 and value[4] == "-" else None
    except ValueError:
        day = None
    if day is None or not RECORD_START <= day <= today:
        raise ValueError(f"{name}='{value[:40]}' is not a usable day: give YYYY-MM-DD from {RECORD_START} to today "
                         f"({today}).")  # fmt: skip
    return day


def _is_day(value: str) -> bool:
    try:
        return len(value) == 10 and dt.date.fromisoformat(value) >= RECORD_START
    except ValueError:
        return False


SCREEN_COOKIE = "fp_screen"  # the browser's last reported main-column width and window height, "1240x980"
_SCREEN = re.compile(r"([1-9][0-9]{2,3})x([1-9][0-9]{2,3})")  # 100 to 9999 pixels each


def screen_from_cookie(value: object) -> tuple[int, int] | None:
    """(width, height) from the screen cookie the page's width probe sets, or None if absent or not a
    string of that exact form. Only a layout hint: a wrong value is corrected by the probe's next report."""
    match = _SCREEN.fullmatch(value) if isinstance(value, str) else None
    return (int(match[1]), int(match[2])) if match else None


def saved_value(ids) -> str:
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


def window_range(window: str, today: dt.date, milestones: pd.DataFrame) -> tuple[dt.date, dt.date]:
    """From the window's start to a little past the later of today and the last deadline."""
    if window not in WINDOWS:
        raise ValueError(f"unknown window {window!r}; choose one of {', '.join(WINDOWS)}")
    deadlines = milestones.loc[milestones["kind"] == "deadline", "date"]
    last = max([today, *(d.date() for d in deadlines)])
    end = last + dt.timedelta(days=75)
    end = (end.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    return WINDOWS[window], end
