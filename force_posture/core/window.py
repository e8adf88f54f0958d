"""The browser window's size as the app learns it: the cookies that carry it and their one format.

Read by the page shell on the event loop (web/app.py) before anything else of the app is loaded, so this
module imports nothing heavy: the first page of a fresh server is sent at once, not after pandas.
"""

from __future__ import annotations

import re

SCREEN_COOKIE = "fp_screen"  # the browser's last reported main-column width and window height, "1240x980"
SCREEN_WINDOW_COOKIE = "fp_screen_window"  # the window's size when that report was made, "1600x1000"
WINDOW_COOKIE = "fp_window"  # the window's size as this page starts (set before the app's code runs), "1600x1000"
_SCREEN = re.compile(r"([1-9][0-9]{2,3})x([1-9][0-9]{2,3})")  # 100 to 9999 pixels each


def screen_from_cookie(value: object) -> tuple[int, int] | None:
    """(width, height) from one of the screen cookies above, or None if absent or not a string of that
    exact form. Only a layout hint: a wrong value is corrected by the probe's next report."""
    match = _SCREEN.fullmatch(value) if isinstance(value, str) else None
    return (int(match[1]), int(match[2])) if match else None
