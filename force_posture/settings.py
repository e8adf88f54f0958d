"""Every setting the app reads from its environment, in one list: name, default, kind and what it does.

The bottom of the package: it imports nothing of ours. A setting is read when it is used (`value`), never
when a module is imported, so a test or an operator can change it without a restart of Python; a bad value
is refused in one sentence naming the setting. docs/operating.md's "Every setting" table is this list (a docs test
walks it), and no module reads a FORCE_POSTURE_ variable that is not here (a test checks that too).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Setting:
    name: str
    default: str  # as it would be written in the environment ("" for none)
    kind: type  # str, int or float
    help: str
    who: str  # "analyst" (one laptop), "team" (serving a team), "test" (the suite)


SETTINGS = (
    Setting("FORCE_POSTURE_DATABASE_URL", "", str, "the library and the record: sqlite:///PATH or postgresql://…; "
            "default: a SQLite file in this user's data folder", "analyst"),
    Setting("FORCE_POSTURE_BASE_URL", "", str, "the address links back to a view are built on (default: the "
            "address a request came in on)", "team"),
    Setting("FORCE_POSTURE_USER_HEADER", "", str, "the header the replicas take an analyst's name from", "team"),
    Setting("FORCE_POSTURE_SSO_HEADER", "", str, "the header the single sign-on sets, which HAProxy passes on",
            "team"),
    Setting("FORCE_POSTURE_GROUPS_HEADER", "", str, "the header the replicas take an analyst's groups from", "team"),
    Setting("FORCE_POSTURE_SSO_GROUPS_HEADER", "", str, "the groups header the single sign-on sets", "team"),
    Setting("FORCE_POSTURE_EDITORS", "", str, "editors of the record by name, comma-separated", "team"),
    Setting("FORCE_POSTURE_EDITOR_GROUP", "editors", str, "the group whose members are editors", "team"),
    Setting("FORCE_POSTURE_RECORD_POLL", "1", float, "seconds between a replica's looks for a new approval "
            "(on PostgreSQL each proposal and decision is also heard as it is made)", "team"),
    Setting("FORCE_POSTURE_RECORD_WATCH", "2", float, "only where the replica cannot tell open pages itself (a "
            "log line says so): seconds between an open page's looks at its record (read when the server starts)",
            "team"),
    Setting("FORCE_POSTURE_RECORD_LOCK_WAIT", "10", float, "seconds an approval waits for one in flight", "team"),
    Setting("FORCE_POSTURE_EXPORT_TABS", "2", int, "the export browser's tabs (exports drawn at once)", "team"),
    Setting("FORCE_POSTURE_EXPORT_TIMEOUT", "30", float, "seconds one export may take", "team"),
    Setting("FORCE_POSTURE_EXPORT_RELOAD", "10", int, "exports a tab draws before it is loaded afresh", "team"),
    Setting("FORCE_POSTURE_IMAGE_RENDERS", "", int, "different chart images a replica draws at once (default: "
            "one fewer than the export tabs)", "team"),
    Setting("FORCE_POSTURE_FRAME_ANCESTORS", "", str, "origins that may frame the app's own pages", "team"),
    Setting("FORCE_POSTURE_REPLICA", "", str, "this replica's name, shown in the sidebar (set per replica by "
            "serve-team and the units)", "team"),
    Setting("FORCE_POSTURE_HAPROXY_CONFIG", "", str, "the balancer's config (default: deploy/haproxy.cfg)", "team"),
    Setting("FORCE_POSTURE_HAPROXY_SOCKET", "", str, "HAProxy's runtime socket, for the rolling restart", "team"),
    Setting("FORCE_POSTURE_DRAIN_SECONDS", "20", float, "seconds a replica handing over keeps its analysts",
            "team"),
    Setting("FORCE_POSTURE_RUN_DIR", "", str, "serve-team's folder for its pid, socket and restart log "
            "(default: .run)", "team"),
    Setting("FORCE_POSTURE_TEAM_ENV", "team.env", str, "the settings file scripts/serve-team reads", "team"),
    Setting("FORCE_POSTURE_WATCH_FILE", "", str, "the watched sources list (default: data/watched_sources.csv)",
            "team"),
    Setting("FORCE_POSTURE_WATCH_CONTACT", "", str, "who publishers can reach about the watcher's requests (an "
            "e-mail or web address), sent in its User-Agent", "team"),
    Setting("FORCE_POSTURE_WATCH_TIMEOUT", "20", float, "seconds one read of a watched source may take, whole",
            "team"),
    Setting("FORCE_POSTURE_WATCH_EVERY", "60", float, "minutes between serve-team's runs of the source watch "
            "(each source keeps its own pace: a run reads those due; under systemd the timer runs it)", "team"),
    Setting("FORCE_POSTURE_TEST_TIMEOUT", "60", float, "seconds one step of a browser test may take", "test"),
)  # fmt: skip
BY_NAME = {s.name: s for s in SETTINGS}
KINDS = {str: "text", int: "whole number", float: "number"}


def table_rows() -> list[str]:
    """The list as docs/operating.md's "Every setting" table shows it, one Markdown row per setting."""
    return [f"| `{s.name}` | {s.default or '(none)'} | {KINDS[s.kind]} | {s.help} | {s.who} |" for s in SETTINGS]


class SettingError(ValueError):
    """A setting whose value cannot be used, in one sentence that names it."""


def value(name: str, env: Mapping[str, str] | None = None) -> str | int | float | None:
    """The setting `name` as its kind (its default when unset or empty), read now from `env` (default:
    this process's environment). A number that is not one, or not above 0, is refused by name."""
    setting = BY_NAME[name]
    raw = ((os.environ if env is None else env).get(name) or "").strip() or setting.default
    if setting.kind is str or raw == "":
        return raw if setting.kind is str else None
    try:
        number = setting.kind(raw)
    except ValueError:
        raise SettingError(f"{name}={raw!r} is not a number; unset it or give a positive number.") from None
    if number <= 0:
        raise SettingError(f"{name}={raw!r} must be more than 0.")
    return number
