"""One analyst's scenarios: adding renames clashes, showing and hiding, removing, the version."""

import pandas as pd

from force_posture.core import scenarios
from force_posture.store.workspace import Workspace
from tests.conftest import ROOT

SLOWER = scenarios.parse((ROOT / "data" / "scenarios" / "slower_drawdown.csv").read_bytes(), "slower.csv")


def test_adding_the_same_scenario_twice_renames_the_second_and_says_so():
    ws = Workspace()
    assert ws.add(SLOWER) == list(SLOWER.notices)
    assert ws.add(SLOWER) == ["slower.csv: a scenario named 'Slower' is already loaded; this one is 'Slower (2)'."]
    assert ws.names() == ["Slower", "Slower (2)"]
    assert set(ws.loaded["Slower (2)"].frame["scenario"]) == {"Slower (2)"}
    assert ws.version == 2


def test_hidden_scenarios_leave_the_shown_frame_and_the_version_moves_only_on_change():
    ws = Workspace()
    ws.add(SLOWER)
    ws.add(SLOWER)
    before = ws.version
    ws.set_shown(["Slower (2)"])
    assert set(ws.shown()["scenario"]) == {"Slower (2)"} and ws.version == before + 1
    ws.set_shown(["Slower (2)"])
    assert ws.version == before + 1
    ws.set_shown([])
    assert ws.shown() is None


def test_removing_drops_the_scenario_and_a_new_one_starts_shown():
    ws = Workspace()
    ws.add(SLOWER)
    ws.set_shown([])
    ws.remove("Slower")
    assert ws.loaded == {} and ws.hidden == set()
    ws.add(SLOWER)
    assert list(ws.summary()["shown"]) == [True]
    row = ws.summary().iloc[0]
    assert (row["scenario"], row["file"], row["countries"]) == ("Slower", "slower.csv", "Iraq, Syria")
    assert row["points"] == len(SLOWER.frame) and row["from"] == SLOWER.frame["date"].min().date()


def test_two_workspaces_never_share_anything():
    a, b = Workspace(), Workspace()
    a.add(SLOWER)
    assert b.loaded == {} and b.shown() is None and isinstance(a.shown(), pd.DataFrame)


def test_uploads_are_read_once_refused_ones_say_why_until_the_next_upload_and_empty_the_uploader():
    ws = Workspace()
    good = (ROOT / "data" / "scenarios" / "slower_drawdown.csv").read_bytes()
    bad = b"date,country,troops\n2026-01-01,Kuwait,5\n"
    ws.take_uploads([("id-1", "slower.csv", good), ("id-2", "bad.csv", bad)])
    assert ws.names() == ["Slower"]
    assert ws.refused == {
        "id-2": "bad.csv: row 2, column 'country': 'Kuwait' is not a country this tool tracks; use Syria or Iraq."
    }
    assert ws.uploads_round == 1  # the page shows an empty uploader: no refused file sits in it
    version = ws.version
    ws.take_uploads([])  # the new, empty uploader: nothing read, the message stays
    assert ws.version == version and ws.names() == ["Slower"] and list(ws.refused) == ["id-2"]
    ws.take_uploads([("id-3", "slower again.csv", good)])  # the next upload: the old message is done with
    assert ws.refused == {} and ws.names() == ["Slower", "Slower (2)"] and ws.uploads_round == 1
    ws.take_uploads([("id-4", "bad.csv", bad)])
    ws.dismiss()
    assert ws.refused == {} and ws.uploads_round == 2


def test_a_scenario_opened_from_the_library_keeps_its_version_and_is_not_loaded_twice():
    import datetime as dt

    from force_posture.core.scenarios import Scenario, parse
    from force_posture.store.library import Saved

    when = dt.datetime(2026, 11, 27, tzinfo=dt.UTC)
    item = Saved(7, "Plan", 2, "alice", "team", "", "Syria", 2, when)
    frame = parse(b"date,country,troops\n2026-03-01,Syria,800\n", "x.csv").frame.assign(scenario=item.label)
    ws = Workspace()
    assert ws.add_saved([(item, Scenario("library #7", frame, ()))]) == []
    assert ws.names() == ["Plan (v2)"] and ws.shown_saved_ids() == [7]
    assert ws.add_saved([(item, Scenario("library #7", frame, ()))]) == ["'Plan (v2)' (#7) is already loaded."]
    assert ws.summary().iloc[0]["library"] == "#7 by alice"
    ws.set_shown([])
    assert ws.shown_saved_ids() == []
    ws.remove("Plan (v2)")
    assert ws.saved == {}
