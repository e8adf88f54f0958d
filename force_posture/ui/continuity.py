"""A tab that lost its session: the unsaved scenarios it had are named, so nothing is lost silently.

A session's unsaved scenarios live in its server's memory. When that server stops (a replica dies or
is restarted, or one analyst's app is restarted), the page reconnects to a new session without them.
The browser tab remembers (sessionStorage: this tab only, never sent anywhere) which session it had
and the names of that session's unsaved scenarios; a new session finding other names there says so.
"""

from __future__ import annotations

import secrets
import urllib.parse
from pathlib import Path

import streamlit as st

from force_posture.core import tables
from force_posture.ui import session

_JS = Path(__file__).with_name("continuity.mjs").read_text(encoding="utf-8")
_component = st.components.v2.component("force_posture.continuity", js=_JS)
MAX_NAMES = 20


def token() -> str:
    """This session's own random name (a reconnected tab's new session has another)."""
    return st.session_state.setdefault("fp-session-token", secrets.token_hex(8))


def _data(report: bool) -> dict:
    ws = session.workspace()
    return {"session": token(), "version": ws.version, "unsaved": ws.unsaved()[:MAX_NAMES], "report": report}


def check() -> None:
    """Every page's first call: hear what an earlier session of this tab lost, and say it."""
    with st.sidebar:
        result = _component(
            key="fp-continuity",
            data=_data(True),
            default={"lost": None, "reconnected": None},
            on_lost_change=lambda: None,
            on_reconnected_change=lambda: None,
            height=0,
        )
    lost = getattr(result, "lost", None)
    if isinstance(lost, list) and lost:
        st.session_state["fp-lost"] = [str(name)[:120] for name in lost[:MAX_NAMES]]
    _reopen(getattr(result, "reconnected", None))
    loaded = session.workspace().loaded  # a name loaded again is not lost any more
    names = st.session_state["fp-lost"] = [n for n in st.session_state.get("fp-lost", []) if n not in loaded]
    if names:
        quoted = ", ".join(f"'{n}'" for n in names)
        what = "scenario" if len(names) == 1 else "scenarios"
        message = (
            f"This tab started a new session (the server it was on stopped or restarted, or the page was "
            f"reloaded), so the unsaved {what} {quoted} did not come with it. Scenarios saved to the team "
            "library are safe; upload the file again to get an unsaved one back."
        )
        st.warning(tables.markdown_escape(message), icon=":material/warning:")  # names are data: escaped


def _reopen(reconnected) -> None:
    """A reconnected tab's new session starts without the address's view: run again with it (the
    pages read it through the same allow-list as any link)."""
    if not isinstance(reconnected, dict) or reconnected.get("n") == st.session_state.get("fp-reconnected"):
        return
    st.session_state["fp-reconnected"] = reconnected.get("n")
    wanted = dict(urllib.parse.parse_qsl(str(reconnected.get("search") or "").lstrip("?")))
    if wanted and wanted != st.query_params.to_dict():
        st.query_params.from_dict(wanted)
        st.rerun()


def remember() -> None:
    """After this session's scenarios change: the tab keeps the names of the unsaved ones."""
    ws = session.workspace()
    with st.sidebar:
        _component(key=f"fp-continuity-{ws.version}", data=_data(False), height=0)
