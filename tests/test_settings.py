"""settings.py: the one list of the app's settings, read when used, each documented in docs/operating.md."""

import re

import pytest

from force_posture import settings
from tests.conftest import ROOT

OPERATING = (ROOT / "docs" / "operating.md").read_text(encoding="utf-8")


def test_a_setting_is_read_when_used_as_its_kind_and_a_bad_one_is_refused_by_name():
    assert settings.value("FORCE_POSTURE_RECORD_POLL", {}) == 1.0
    assert settings.value("FORCE_POSTURE_RECORD_POLL", {"FORCE_POSTURE_RECORD_POLL": " 0.2 "}) == 0.2
    assert settings.value("FORCE_POSTURE_EXPORT_TABS", {"FORCE_POSTURE_EXPORT_TABS": ""}) == 2  # empty: the default
    assert settings.value("FORCE_POSTURE_IMAGE_RENDERS", {}) is None  # no default: the caller's rule
    assert settings.value("FORCE_POSTURE_EDITOR_GROUP", {}) == "editors"
    with pytest.raises(settings.SettingError, match=r"^FORCE_POSTURE_EXPORT_TABS='two' is not a number; unset it"):
        settings.value("FORCE_POSTURE_EXPORT_TABS", {"FORCE_POSTURE_EXPORT_TABS": "two"})
    with pytest.raises(settings.SettingError, match=r"^FORCE_POSTURE_DRAIN_SECONDS='-1' must be more than 0\.$"):
        settings.value("FORCE_POSTURE_DRAIN_SECONDS", {"FORCE_POSTURE_DRAIN_SECONDS": "-1"})


def test_every_setting_the_code_names_is_in_the_list_and_every_one_is_documented():
    named = set()
    for folder in ("force_posture", "pages", "scripts", "deploy"):
        for path in (ROOT / folder).rglob("*"):
            if path.is_file() and path.suffix in ("", ".py", ".cfg", ".service", ".example", ".sh"):
                named |= set(
                    re.findall(r"\bFORCE_POSTURE_[A-Z_]+\b", path.read_text(encoding="utf-8", errors="ignore"))
                )
    named |= set(re.findall(r"\bFORCE_POSTURE_[A-Z_]+\b", (ROOT / "dashboard.py").read_text(encoding="utf-8")))
    assert sorted(named - set(settings.BY_NAME)) == []
    table = OPERATING.split("## Every setting", 1)[1]
    rows = [line for line in table.splitlines() if line.startswith("| `FORCE_POSTURE_")]
    assert rows == settings.table_rows()  # the docs' table is the list, in its order, word for word
    assert len(settings.SETTINGS) == len(settings.BY_NAME)  # each once
