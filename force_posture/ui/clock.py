"""The clock, read once per script run: today, now, and the day a view takes as "today"."""

from __future__ import annotations

import datetime as dt

from force_posture.core import view


def today() -> dt.date:
    return dt.date.today()


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def day(chosen: view.View) -> dt.date:
    """'Today' for this view: the clock, or the day the record is taken as known on, or shown on."""
    return chosen.known_on or chosen.shown_on or today()
