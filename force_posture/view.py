"""The view as URL query parameters: parsed against an allow-list, never evaluated.

A shared link reopens the same view. Unknown keys and values are ignored and reported back,
so a mistyped link still opens (on the defaults) and says what it did not understand.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields, replace

from force_posture.charts import SCALES, WINDOWS

ON_OFF = ("on", "off")
ALLOWED: dict[str, tuple[str, ...]] = {
    "window": tuple(WINDOWS),
    "scale": SCALES,
    "caps": ON_OFF,
    "bands": ON_OFF,
    "briefing": ON_OFF,
}


@dataclass(frozen=True)
class View:
    window: str = "counter-is"
    scale: str = "linear"
    caps: str = "on"
    bands: str = "on"
    briefing: str = "off"

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
        elif value not in ALLOWED[key]:
            notes.append(f"Ignored {key}='{str(value)[:40]}': use one of {', '.join(ALLOWED[key])}.")
        else:
            values[key] = value
    return View(**values), notes


def query_string(view: View) -> str:
    from urllib.parse import urlencode

    q = view.to_query()
    return ("?" + urlencode(q)) if q else ""
