"""One analyst's scenarios: what is loaded, what is shown, and a version that changes with either.

Pure (no Streamlit): the app keeps one `Workspace` per browser session in its session state, so one
analyst's scenarios never reach another's screen. It is the seam the saved scenario library plugs
into: a scenario opened from the library is added here like an uploaded one.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from force_posture.core.scenarios import Scenario, ScenarioError, parse

if TYPE_CHECKING:  # only a type here: a workspace does not import the library's database drivers
    from force_posture.store.library import Saved


@dataclass
class Workspace:
    loaded: dict[str, Scenario] = field(default_factory=dict)  # by scenario name, in the order added
    hidden: set[str] = field(default_factory=set)
    version: int = 0  # changes whenever what is loaded or shown changes (keys the session's memo)
    seen: set[str] = field(default_factory=set)  # uploaded files already read, by the uploader's file id
    refused: dict[str, str] = field(default_factory=dict)  # file id -> why it was refused (until the next upload)
    uploads_round: int = 0  # one more for each upload with a refusal: the page then shows an empty uploader
    saved: dict[str, Saved] = field(default_factory=dict)  # loaded name -> the library version it is
    link_tried: set[int] = field(default_factory=set)  # library ids a link asked for, opened or refused
    # The page's script changes the workspace; an export request (another thread) reads what is shown.
    lock: threading.RLock = field(default_factory=threading.RLock, repr=False, compare=False)

    def take_uploads(self, files: list[tuple[str, str, bytes]]) -> list[str]:
        """The uploader's files as (file id, name, bytes): each new one is parsed and added, or refused
        with its message (nothing loaded changes). The messages stay until the next upload (or
        dismiss()); an upload with a refusal starts a new uploads round, so that the page can show an
        empty uploader rather than a refused file sitting in it as if it were loaded. Returns the
        notices to show."""
        notices: list[str] = []
        new = [f for f in files if f[0] not in self.seen]
        if new:
            self.refused = {}
        for file_id, name, content in new:
            self.seen.add(file_id)
            try:
                notices += self.add(parse(content, name))
            except ScenarioError as err:
                self.refused[file_id] = str(err)
        if self.refused and new:
            self.uploads_round += 1
        return notices

    def dismiss(self) -> None:
        """The analyst has read why files were refused."""
        self.refused = {}

    def add(self, result: Scenario) -> list[str]:
        """Add a parsed file's scenarios; a name already loaded gets ' (2)', ' (3)' ... Returns notices."""
        with self.lock:
            return self._add(result)

    def _add(self, result: Scenario) -> list[str]:
        notices = list(result.notices)
        frame = result.frame
        names = list(frame["scenario"].unique())  # in order of appearance; no Python loop over every row
        for name in names:
            unique, k = name, 2
            while unique in self.loaded:
                unique, k = f"{name} ({k})", k + 1
            if unique != name:
                notices.append(
                    f"{result.file_name}: a scenario named '{name}' is already loaded; this one is '{unique}'."
                )
            part = frame if len(names) == 1 else frame[frame["scenario"] == name].reset_index(drop=True)
            if unique != name:
                part = part.assign(scenario=unique)
            self.loaded[unique] = Scenario(result.file_name, part, ())
            self.hidden.discard(unique)
        self.version += 1
        return notices

    def add_saved(self, opened: list[tuple[Saved, Scenario]]) -> list[str]:
        """Scenarios opened from the library, each under its versioned label; one already loaded is
        not loaded twice."""
        notices: list[str] = []
        with self.lock:
            have = {item.id for item in self.saved.values()}
            for item, scenario in opened:
                if item.id in have:
                    notices.append(f"'{item.label}' (#{item.id}) is already loaded.")
                    continue
                before = set(self.loaded)
                notices += self._add(scenario)
                for name in set(self.loaded) - before:
                    self.saved[name] = item
        return notices

    def shown_saved_ids(self) -> list[int]:
        """Library ids of the shown scenarios: what a link to this view carries."""
        return sorted(item.id for name, item in self.saved.items() if name not in self.hidden)

    def unsaved_shown(self) -> list[str]:
        """Shown scenarios that are not in the library: a link to this view cannot carry them."""
        with self.lock:
            return [name for name in self.loaded if name not in self.hidden and name not in self.saved]

    def unsaved(self) -> list[str]:
        """Loaded scenarios that are not in the library: they live only in this session."""
        with self.lock:
            return [name for name in self.loaded if name not in self.saved]

    def names(self) -> list[str]:
        return list(self.loaded)

    def set_shown(self, shown: list[str]) -> None:
        """Show exactly these loaded scenarios; hide the rest."""
        with self.lock:
            hidden = set(self.loaded) - set(shown)
            if hidden != self.hidden:
                self.hidden = hidden
                self.version += 1

    def remove(self, name: str) -> None:
        with self.lock:
            if name in self.loaded:
                del self.loaded[name]
                self.saved.pop(name, None)
                self.hidden.discard(name)
                self.version += 1

    def shown(self) -> pd.DataFrame | None:
        """The shown scenarios as one frame (scenario, date, country, troops, ...), or None."""
        with self.lock:  # also read by export requests, on their own threads
            frames = [sc.frame for name, sc in self.loaded.items() if name not in self.hidden]
        return pd.concat(frames, ignore_index=True) if frames else None

    def summary(self) -> pd.DataFrame:
        """One row per loaded scenario: its file, countries, points, span and whether it is shown."""
        rows = [
            {
                "scenario": name,
                "file": sc.file_name,
                "library": f"#{self.saved[name].id} by {self.saved[name].author}" if name in self.saved else "",
                "countries": ", ".join(sorted(sc.frame["country"].unique())),  # not a Python loop: 300k rows
                "points": len(sc.frame),
                "from": sc.frame["date"].min().date(),
                "to": sc.frame["date"].max().date(),
                "shown": name not in self.hidden,
            }
            for name, sc in self.loaded.items()
        ]
        return pd.DataFrame(rows)
