"""This browser session's own state, never shared: its scenarios, its memo of built charts, its notices."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import streamlit as st

from force_posture.core import tables
from force_posture.store.workspace import Workspace

MEMO_SIZE = 8


def workspace() -> Workspace:
    """This browser session's scenarios."""
    if "workspace" not in st.session_state:
        st.session_state["workspace"] = Workspace()
        st.session_state["memo"] = {}
    return st.session_state["workspace"]


T = TypeVar("T")


def memo(key: tuple, build: Callable[[], T]) -> T:
    """This session's small memo: a rerun (any click) must not rebuild a 300,000-row chart. Per
    session, never a shared cache, so one analyst's scenarios never reach another's."""
    ws = workspace()
    key = (ws.version, *key)
    store = st.session_state["memo"]
    if key not in store:
        if len(store) >= MEMO_SIZE:
            store.pop(next(iter(store)))
        store[key] = build()
    return store[key]


def toast(message: str) -> None:
    """A notice that may hold file or scenario names: Streamlit's toast reads Markdown, so every ASCII
    punctuation mark is escaped and the names show exactly as typed."""
    st.toast(tables.markdown_escape(message))
