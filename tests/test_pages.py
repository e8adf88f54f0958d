"""Every page runs under Streamlit's AppTest without an exception and shows what it must."""

import datetime as dt
import json

import pytest
from streamlit.testing.v1 import AppTest

from force_posture.core import data, scenarios
from force_posture.store import database, library
from tests.browser import TIMEOUT_S
from tests.conftest import ROOT

NOW = dt.datetime(2026, 11, 27, 9, 30, tzinfo=dt.UTC)


def _run(path: str, **params) -> AppTest:
    """Run a page as the served app does: dashboard.py is the main script, pages/ beside it."""
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=TIMEOUT_S)
    if path != "dashboard.py":
        at.switch_page(path)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _chart(at: AppTest) -> dict:
    """The page's main chart (the Scenarios page also has the builder's preview below it)."""
    charts = [c for c in at.get("plotly_chart") if getattr(c, "key", None) != "builder-preview"]
    assert len(charts) == 1
    return json.loads(charts[0].proto.spec)


def _annotations(spec: dict) -> str:
    return " | ".join(a.get("text", "") for a in spec["layout"]["annotations"])


def test_overview_shows_headline_figures_and_the_labelled_chart():
    at = _run("dashboard.py")
    assert at.title[0].value == "US troops in Syria and Iraq"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Syria: latest sourced figure · confirmed by 4 outlets"] == "about 900 to about 1,000"
    assert metrics["Iraq: latest sourced figure · single source"] == "fewer than 1,100"
    firmer = {m.label.split(" · ")[0]: m.proto.delta for m in at.metric}  # a single-source figure names a firmer one
    assert (firmer["Syria: latest sourced figure"], firmer["Iraq: latest sourced figure"]) == (
        "",
        "confirmed before: about 2,500",
    )
    assert "about 2,500 (confirmed by 2 outlets, 1 Jan 2025)" in next(m.help for m in at.metric if "Iraq" in m.label)
    assert metrics["Target (Syria)"] == "fewer than 1,000"
    assert "Coalition Iraq mission deadline" in metrics and "Coalition Syria mission deadline" in metrics
    captions = " ".join(c.value for c in at.caption)
    assert (
        "Change from the peak since 2014: Syria -1,000 to -1,100 (-50% to -55%), from about 2,000 "
        "(acknowledged Dec 2017; disclosed Dec 2024); Iraq to fewer than 1,100, from 8,892 (disclosed Sep 2017)."
        in captions
    )
    assert "No newer sourced figure exists" in captions
    spec = _chart(at)
    assert spec["layout"]["title"]["text"].startswith("US troops in Syria and Iraq, 2014")
    text = _annotations(spec)
    for label in [
        "Peak about 2,000 acknowledged, Dec 2017",
        "Peak about 2,000 disclosed, Dec 2024",
        "Coalition Iraq mission deadline (Sep 2025)",
        "Today, ",
        "Source: US DoD statements",
    ]:
        assert label in text
    alt = [c for c in at.get("plotly_chart")][0].proto.alt
    assert alt == (
        "Chart of US troop levels in Syria and Iraq from 2014 to today: Syria latest about 900 to about 1,000 "
        "(23 Feb 2026); Iraq latest fewer than 1,100 (18 Jan 2026). A full description follows the chart."
    )
    assert at.expander[0].label == "Describe this chart in words"
    assert at.text[0].value.startswith("Line chart of US troop levels in Syria and Iraq from 2014 to today.")


def test_overview_view_comes_from_the_url_and_bad_values_get_a_note():
    at = _run("dashboard.py", window="since-2003", scale="log", caps="off")
    spec = _chart(at)
    assert spec["layout"]["xaxis"]["range"][0].startswith("2003-01-01")
    assert spec["layout"]["yaxis"]["type"] == "log"
    assert "Syria: authorized cap" not in [t.get("name") for t in spec["data"]]
    assert at.segmented_control[0].value == "since-2003" and at.radio[0].value == "log"
    bad = _run("dashboard.py", window="everything")
    assert bad.sidebar.warning[0].value == (
        "Ignored window='everything': use one of last-12-months, since-announcement, counter-is, since-2003."
    )
    assert _chart(bad)["layout"]["xaxis"]["range"][0].startswith("2014-01-01")


def test_changing_a_control_updates_the_url():
    at = _run("dashboard.py")
    at.segmented_control[0].set_value("since-2003").run()
    assert at.query_params["window"] == "since-2003"


def test_one_click_on_a_window_button_fills_the_chart_with_the_drawdown_and_the_words_follow():
    at = _run("dashboard.py")
    buttons = at.segmented_control[0]
    assert buttons.label == "Time window" and buttons.options == [
        "Last 12 months",
        "Since Apr 2025",
        "2014 on",
        "Since 2003",
    ]
    buttons.set_value("since-announcement").run()
    assert at.query_params["window"] == "since-announcement"
    assert _chart(at)["layout"]["xaxis"]["range"][0].startswith("2025-04-01")
    captions = " ".join(c.value for c in at.caption)  # the peak is the window's: 2,000 reported 18 Apr 2025
    assert (
        "Change from the peak since Apr 2025: Syria -1,000 to -1,100 (-50% to -55%), from about 2,000 (reported "
        "Apr 2025); Iraq to fewer than 1,100, from fewer than 2,000 (reported Jan 2026)." in captions
    )
    assert [e.label for e in at.expander][:2] == [
        "Describe this chart in words",
        "The chart's points as a table, with their sources",
    ]
    _open_panel(at, "points-overview")
    points = at.dataframe[0].value  # the points the chart draws: this window's, with their sources
    assert len(points) == 12 and min(points["date"]) == dt.date(2025, 4, 18)
    assert points["source"].str.len().min() > 3 and points["url"].str.startswith("http").all()
    wide = _run("dashboard.py", window="since-2003")
    captions = " ".join(c.value for c in wide.caption)
    assert "Change from the peak since 2003: Syria" in captions
    assert "Iraq to fewer than 1,100, from about 192,000 (reported Mar 2003)." in captions


def test_a_from_to_range_in_the_link_is_drawn_named_and_left_with_a_window_button():
    at = _run("dashboard.py", **{"from": "2025-01", "to": "2026-12"})
    spec = _chart(at)
    assert [x[:10] for x in spec["layout"]["xaxis"]["range"]] == ["2025-01-01", "2027-01-01"]
    assert spec["layout"]["title"]["text"] == "US troops in Syria and Iraq, 2025–2026"
    assert at.segmented_control[0].value is None
    assert "Showing Jan 2025 to Dec 2026, the range the link gave (from/to)." in " ".join(c.value for c in at.caption)
    alt = at.get("plotly_chart")[0].proto.alt
    assert alt.startswith("Chart of US troop levels in Syria and Iraq from 2025 to today")
    at.segmented_control[0].set_value("last-12-months").run()
    assert dict(at.query_params) == {"window": "last-12-months"}
    at.segmented_control[0].set_value(None).run()  # a click on the chosen window: it stays chosen
    assert dict(at.query_params) == {"window": "last-12-months"} and at.segmented_control[0].value == "last-12-months"


@pytest.mark.parametrize("country, latest", [("Syria", "about 900 to about 1,000"), ("Iraq", "fewer than 1,100")])
def test_country_page_tells_its_story_and_lists_its_points(country, latest):
    at = _run(f"pages/{country.lower()}.py")
    _open_panel(at, f"points-{country.lower()}")
    assert at.title[0].value == f"US troops in {country}"
    assert at.metric[0].value == latest
    spec = _chart(at)
    assert [a["title"]["text"] for k, a in spec["layout"].items() if k.startswith("yaxis")] == [country]
    assert at.subheader[0].value == "Stated at the time, disclosed later"
    assert any("disclosed later" in t.value for t in at.text)
    drawn, table = at.dataframe[0].value, at.dataframe[1].value  # the chart's points (2014 on), then all of them
    assert set(table["country"]) == set(drawn["country"]) == {country} and len(table) >= len(drawn) > 10
    assert min(drawn["date"]) >= dt.date(2014, 1, 1)


def test_briefing_view_shows_only_headline_and_chart():
    at = _run("pages/syria.py", briefing="on")
    assert len(at.dataframe) == 0 and len(at.main.subheader) == 0
    assert len(at.get("plotly_chart")) == 1


def test_sources_page_lists_everything_filters_and_offers_the_csv():
    at = _run("pages/sources.py")
    assert at.title[0].value == "Sources"
    points, miles = at.dataframe[0].value, at.dataframe[1].value
    assert len(points) == 70 and len(miles) == 74
    assert points["url"].str.startswith("http").all()
    assert at.subheader[0].value == "Troop levels (70 of 70)"
    assert at.button_group[1].label == "Basis" and at.button_group[1].options == list(data.BASES)  # all in view
    at.button_group[0].set_value(["Syria"]).run()
    at.button_group[1].set_value(["disclosed"]).run()
    assert at.subheader[0].value == "Troop levels (2 of 70)"
    assert set(at.dataframe[0].value["figure"]) == {"1,720", "about 2,000"}
    assert "Acknowledged" in at.markdown[-1].value and "Disclosed" in at.markdown[-1].value
    assert [b.label for b in at.get("download_button")] == [
        "Download data (CSV)",
        "Download milestones (CSV)",
        "Download the ranges (CSV)",
        "Download the changes (CSV)",
    ]
    ranges = at.dataframe[2].value
    assert list(ranges["range"]) == ["900 to 2,000", "900 to 1,000"] and ranges["url"].str.startswith("https").all()
    fixes = at.dataframe[3].value
    assert list(fixes["old"])[0] == "US pullout from Qasrak base begins"
    assert "Choose a row (its box at the left) to read it whole here." in [c.value for c in at.caption]
    at.button_group[0].set_value(["Iraq"]).run()
    at.button_group[1].set_value(list(data.BASES)).run()
    assert at.button_group[2].label == "Corroboration" and at.button_group[2].options == [
        "official",
        "confirmed",
        "single",
    ]
    at.button_group[2].set_value(["single"]).run()  # what rests on one outlet only
    single = at.dataframe[0].value
    assert set(single["corroboration"]) == {"single source"} and "fewer than 1,100" in set(single["figure"])
    assert at.subheader[0].value == f"Troop levels ({len(single)} of 70)"
    assert set(at.dataframe[1].value["corroboration"]) == {"single source"}  # the milestones follow the filter


GOOD = (ROOT / "data" / "scenarios" / "slower_drawdown.csv").read_bytes()
BAD = b"date,country,troops\n2026-01-01,Kuwait,5\n"


def _scenario_traces(at: AppTest) -> list[str]:
    return [t["name"] for t in _chart(at)["data"] if t.get("name", "").startswith("Scenario:")]


def test_scenarios_page_uploads_compares_and_refuses_bad_files_without_losing_anything():
    at = _run("pages/scenarios.py")
    assert at.title[0].value == "Scenarios"
    assert at.date_input(key="build-end").value > dt.date.today()  # the builder's default ends ahead, not past
    assert "Files up to 20 MB" in at.caption[0].value
    at.file_uploader[0].set_value(("slower.csv", GOOD, "text/csv")).run()
    assert not at.exception
    _open_panel(at, "points-overview")
    assert _scenario_traces(at) == ["Scenario: Slower (Syria)", "Scenario: Slower (Iraq)"]
    table = at.dataframe[2].value.set_index("country")  # after the loaded list and the chart's points
    assert table.loc["Syria", "Coalition Syria mission deadline (1 Sep 2026)"] == "missed"
    assert str(table.loc["Syria", "first date under target"]) == "2026-02-24"
    assert "How it is read: Levels between a scenario's points are interpolated" in " ".join(
        c.value for c in at.caption
    )
    # a bad file next to the good one: refused in plain words, and nothing already shown is lost
    at.file_uploader[0].set_value(("bad.csv", BAD, "text/csv")).run()
    assert not at.exception
    assert at.error[0].value == "A file was not loaded; everything on screen is as it was."
    assert "bad.csv: row 2, column 'country': 'Kuwait' is not a country this tool tracks; use Syria or Iraq." in [
        t.value for t in at.text
    ]
    assert _scenario_traces(at) == ["Scenario: Slower (Syria)", "Scenario: Slower (Iraq)"]
    assert _annotations(_chart(at)).count("Peak about 2,000") == 2  # the baseline is still drawn
    assert not at.file_uploader[0].value  # the refused file left the uploader: it does not look loaded
    at.button(key="upload-main-dismiss").click().run()
    assert not at.error and _scenario_traces(at) == ["Scenario: Slower (Syria)", "Scenario: Slower (Iraq)"]


def test_scenarios_can_be_hidden_removed_and_loaded_from_examples():
    at = _run("pages/scenarios.py")
    at.button(key="example-full_withdrawal").click().run()
    at.button(key="example-on_schedule_drawdown").click().run()
    assert sorted(at.dataframe[0].value["scenario"]) == ["Full withdrawal", "On schedule"]
    at.multiselect[0].set_value(["On schedule"]).run()
    assert _scenario_traces(at) == ["Scenario: On schedule (Syria)", "Scenario: On schedule (Iraq)"]
    remove = [s for s in at.selectbox if s.label == "Remove a scenario"][0]
    remove.set_value("On schedule").run()
    [b for b in at.button if b.label == "Remove"][0].click().run()
    assert list(at.dataframe[0].value["scenario"]) == ["Full withdrawal"]
    assert _scenario_traces(at) == []  # the remaining one is hidden


def test_a_built_scenario_previews_at_once_and_can_be_added():
    at = _run("pages/scenarios.py")
    charts = at.get("plotly_chart")
    preview = json.loads(charts[-1].proto.spec)
    assert preview["layout"]["title"]["text"] == "Preview: US troops in Syria"
    assert [t["name"] for t in preview["data"] if t.get("name", "").startswith("Scenario:")] == [
        "Scenario: My scenario (Syria)"
    ]
    [b for b in at.button if b.label == "Add to my scenarios"][0].click().run()
    assert list(at.dataframe[0].value["scenario"]) == ["My scenario"]
    labels = [b.label for b in at.get("download_button")]
    assert "Download the template (CSV)" in labels and "Download this scenario (CSV)" in labels


def test_overview_sidebar_takes_uploads_too():
    at = _run("dashboard.py")
    at.sidebar.file_uploader[0].set_value(("slower.csv", GOOD, "text/csv")).run()
    assert _scenario_traces(at) == ["Scenario: Slower (Syria)", "Scenario: Slower (Iraq)"]
    assert at.sidebar.caption[-1].value.startswith("1 loaded.")


def _library_rows(at: AppTest, deleted: bool = False) -> list[str]:
    """The '#' column of the library's list (or of its recently deleted list)."""
    for frame in (d.value for d in at.dataframe):
        if "#" in frame.columns and ("deleted (UTC)" in frame.columns) == deleted:
            return list(frame["#"])
    return []


def _save(at: AppTest, name: str, visibility: str = "team") -> None:
    [t for t in at.text_input if t.label == "Name in the library"][0].set_value(name)
    [t for t in at.text_area if t.label == "Description"][0].set_value("Kurdistan held to 2027")
    [r for r in at.radio if r.label == "Who can see it"][0].set_value(visibility)
    [b for b in at.button if b.label == "Save to the library"][0].click().run()
    assert not at.exception


def test_library_panel_saves_versions_opens_deletes_and_restores(monkeypatch, tmp_path):
    monkeypatch.setenv("FORCE_POSTURE_DATABASE_URL", f"sqlite:///{tmp_path}/library.sqlite3")
    at = _run("pages/scenarios.py")
    _open_panel(at, "points-overview")
    assert any(t.value.startswith("You are: local analyst. The library is a SQLite file") for t in at.text)
    assert any(c.value == "Load or build a scenario to save it to the library." for c in at.caption)
    at.button(key="example-full_withdrawal").click().run()
    _save(at, "Slower drawdown")
    assert at.success[0].value == "Saved."
    # the next save starts from empty fields: one scenario's name and description never carry over
    assert [t.value for t in at.text_input if t.label == "Name in the library"] == [""]
    assert [t.value for t in at.text_area if t.label == "Description"] == [""]
    assert "'Slower drawdown (v1)' is #1 in the library, visible to the team." in [t.value for t in at.text]
    _save(at, "slower drawdown")  # the same name again: a new version, the first one kept
    assert _library_rows(at) == ["2", "1"]
    rows = [d.value for d in at.dataframe if "#" in d.value.columns][0]
    assert list(rows["version"]) == ["2", "1"] and list(rows["description"]) == ["Kurdistan held to 2027"] * 2
    # open version 1 onto the charts and into the comparison, under its versioned name
    [m for m in at.multiselect if m.label.startswith("Open on the charts")][0].set_value([1]).run()
    [b for b in at.button if b.label == "Open"][0].click().run()
    assert "Scenario: Slower drawdown (v1) (Syria)" in _scenario_traces(at)
    assert at.query_params["saved"] == "1,2"  # the address carries the saved scenarios shown (the loaded one is #2)
    assert "Slower drawdown (v1)" in list(at.dataframe[2].value.index) + list(at.dataframe[2].value["scenario"])
    # delete version 2, then restore it
    [s for s in at.selectbox if s.label.startswith("Delete one of yours")][0].set_value(2).run()
    [b for b in at.button if b.label == "Delete"][0].click().run()
    assert _library_rows(at) == ["1"] and _library_rows(at, deleted=True) == ["2"]
    [s for s in at.selectbox if s.label == "Restore"][0].set_value(2).run()
    [b for b in at.button if b.label == "Restore"][0].click().run()
    assert _library_rows(at) == ["2", "1"]


def test_a_link_opens_a_saved_scenario_and_refuses_one_it_may_not(monkeypatch, tmp_path):
    monkeypatch.setenv("FORCE_POSTURE_DATABASE_URL", f"sqlite:///{tmp_path}/library.sqlite3")
    lib = library.shared()
    frame = scenarios.parse(b"date,country,troops\n2026-03-01,Iraq,2000\n2026-09-01,Iraq,500\n", "p.csv").frame
    team = lib.save(database.LOCAL_USER, "Hold Erbil", frame, NOW, visibility="team")
    other = lib.save("someone else", "Their secret", frame, NOW, visibility="private")
    at = _run("dashboard.py", saved=f"{team.id},{other.id}")
    assert _scenario_traces(at) == ["Scenario: Hold Erbil (v1) (Iraq)"]
    assert at.sidebar.error[0].value == "A saved scenario was not opened; everything on screen is as it was."
    assert f"No saved scenario #{other.id} that you can open" in " ".join(t.value for t in at.sidebar.text)
    assert "Their secret" not in json.dumps(_chart(at))
    assert at.query_params["saved"] == str(team.id)  # what is shown, nothing else


def test_library_faults_are_plain_messages_and_the_scenario_stays_loaded(monkeypatch):
    monkeypatch.setenv("FORCE_POSTURE_DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:9/none")
    at = _run("pages/scenarios.py")
    assert "The library cannot be read just now; your loaded scenarios are untouched." in [e.value for e in at.error]
    at.button(key="example-full_withdrawal").click().run()
    _save(at, "Plan")
    assert "Not saved. The scenario is still loaded in this session; nothing was lost." in [e.value for e in at.error]
    assert any("'Plan' was not saved" in t.value and "could not be reached" in t.value for t in at.text)
    assert list(at.dataframe[0].value["scenario"]) == ["Full withdrawal"]


def test_library_refuses_bad_input_in_plain_words_and_keeps_the_scenario(monkeypatch, tmp_path):
    monkeypatch.setenv("FORCE_POSTURE_DATABASE_URL", f"sqlite:///{tmp_path}/library.sqlite3")
    at = _run("pages/scenarios.py")
    at.button(key="example-full_withdrawal").click().run()
    [t for t in at.text_input if t.label == "Name in the library"][0].set_value("\x01\x02\x7f")  # pasted junk
    [b for b in at.button if b.label == "Save to the library"][0].click().run()
    assert "Not saved. The scenario is still loaded in this session; nothing was lost." in [e.value for e in at.error]
    assert "Give the scenario a name to save it under." in [t.value for t in at.text]
    assert _library_rows(at) == [] and list(at.dataframe[0].value["scenario"]) == ["Full withdrawal"]


def test_a_bad_database_setting_closes_the_library_not_the_page(monkeypatch):
    monkeypatch.setenv("FORCE_POSTURE_DATABASE_URL", "not a url")
    at = _run("pages/scenarios.py")
    assert "The library is closed to this request." in [e.value for e in at.error]
    assert _chart(at)["layout"]["title"]["text"].startswith("US troops in Syria and Iraq")


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label.split(" · ")[0]: m.value for m in at.metric}  # the label's end says how corroborated


def test_the_record_as_known_on_a_day_before_the_disclosure_shows_about_900():
    at = _run("pages/syria.py", known="2024-06-01")
    assert _metrics(at)["Syria: latest sourced figure"] == "about 900"
    assert at.info[0].value.startswith("Record as known on 1 Jun 2024: only figures, milestones and corrections")
    spec = _chart(at)
    text = _annotations(spec)
    assert "Record as known on 1 Jun 2024 · latest sourced figure: Syria 14 Nov 2023" in text
    assert "disclosed, Dec 2024" not in text and "Today, 1 Jun 2024" in text
    assert not any("2024-12-19" in str(x) for t in spec["data"] for x in (t.get("x") or []))
    assert at.query_params["known"] == "2024-06-01"  # the link keeps the day


def test_the_disclosed_2000_appears_from_the_day_it_was_disclosed():
    at = _run("pages/syria.py", known="2024-12-19")
    assert _metrics(at)["Syria: latest sourced figure"] == "about 2,000"
    assert "Peak about 2,000 disclosed, Dec 2024" in _annotations(_chart(at))


def test_a_known_on_day_in_the_future_is_ignored_with_a_note():
    at = _run("dashboard.py", known="2999-01-01")
    assert any("Ignored known='2999-01-01': that day has not come yet" in w.value for w in at.sidebar.warning)
    assert "known" not in at.query_params


def test_sources_page_says_what_changed_since_a_day_and_as_known_on_a_day():
    at = _run("pages/sources.py", since="2026-02-15")
    changes = [d.value for d in at.dataframe if "change" in d.value.columns][0]
    assert changes["change"].iloc[0] == "correction" and "new figure" in set(changes["change"])
    assert (changes["published"] > __import__("datetime").date(2026, 2, 15)).all()
    assert list(changes["published"]) == sorted(changes["published"], reverse=True)
    at = _run("pages/sources.py", known="2026-03-01")
    assert at.subheader[0].value == "Troop levels (70 of 70)"  # the last figure is from 23 Feb 2026
    assert at.subheader[1].value.startswith("Milestones (") and "of 70)" not in at.subheader[1].value
    fixes = [d.value for d in at.dataframe if "old" in d.value.columns][0]
    assert len(fixes) == 0  # the Qasrak correction came later
    miles = at.dataframe[1].value
    assert "US pullout from Qasrak base begins" in set(miles["label"])  # as it read then


def _export_data(at: AppTest) -> dict:
    [buttons] = [c for c in at.get("bidi_component") if c.proto.component_name == "force_posture.exports"]
    return json.loads(buttons.proto.json)


def test_a_server_without_its_export_routes_says_so_under_the_buttons_at_once(monkeypatch):
    """AppTest, like any way of starting that skips the app server, serves no /export route: the
    buttons are told at once, in words, instead of fetching a page and saving it as a chart."""
    from force_posture.ui import server

    shown = _export_data(_run("pages/syria.py"))
    assert shown["unavailable"] == (
        "This server was started without its export routes, so these buttons cannot make files. "
        'Start it with "make run" (or "streamlit run dashboard.py").'
    )
    monkeypatch.setattr(server, "serving", lambda: True)  # as under serve.py's or dashboard.py's app server
    served = _export_data(_run("pages/syria.py"))
    assert served["unavailable"] == "" and served["urls"]["svg"].startswith("export/")
    assert set(served["types"]) == {"png", "svg", "pdf", "pptx"} and served["types"]["svg"] == "image/svg+xml"


def test_the_warm_up_builds_exactly_the_charts_a_first_visit_draws(monkeypatch):
    """The server's warm-up (as it starts) leaves nothing for a first visitor's page to build."""
    from force_posture.plot import charts
    from force_posture.ui import cache, server

    cache.figure_of.clear()
    server.warm_up(rest_after=0)  # all three at once: it need not wait for a first chart to have been sent
    built = []
    real = charts.chart_parts  # what a page's chart is made of (ui/cache.figure_of, ui/chart.chart)
    monkeypatch.setattr(charts, "chart_parts", lambda ds, spec: built.append(spec) or real(ds, spec))
    for path in ("dashboard.py", "pages/syria.py", "pages/iraq.py"):
        _run(path)
    assert built == []


def test_a_save_is_in_the_address_and_the_export_link_at_once_and_unsaved_ones_are_named(monkeypatch, tmp_path):
    from force_posture.exports import downloads, export

    monkeypatch.setenv("FORCE_POSTURE_DATABASE_URL", f"sqlite:///{tmp_path}/library.sqlite3")
    at = _run("pages/scenarios.py")
    at.button(key="example-slower_drawdown").click().run()
    at.button(key="example-full_withdrawal").click().run()
    [s for s in at.selectbox if s.label == "Scenario to save"][0].set_value("Full withdrawal")
    _save(at, "Plan")
    saved_id = _library_rows(at)[0]
    assert at.query_params["saved"] == str(saved_id)  # the very run after the click, not one later
    assert f"'Plan (v1)' is #{saved_id} in the library, visible to the team." in [t.value for t in at.text]
    missing = "This link reopens the view without the unsaved scenario 'Slower'"
    assert any(c.value.replace("\\", "").startswith(missing) for c in at.caption)
    token = at.session_state["export-tokens"]["overview"]
    ds, brief = downloads.REGISTRY.get(token).resolve()
    assert brief.view.saved == str(saved_id) and brief.unsaved == ("Slower",)
    svg = export.export(ds, brief, "svg").decode()
    assert f"saved={saved_id}" in svg and "without the unsaved scenario 'Slower'; save it" in svg


def test_the_sources_page_has_the_known_on_control_a_link_opened_it_with():
    at = _run("pages/sources.py", known="2024-06-01")
    assert at.info[0].value.endswith("Clear the date in the sidebar to see the record as known now.")
    known = at.sidebar.date_input(key="known-on")
    assert known.value == __import__("datetime").date(2024, 6, 1)
    assert at.main.subheader[0].value == "Troop levels (51 of 51)"
    known.set_value(None).run()
    assert "known" not in at.query_params and len(at.info) == 0
    assert at.main.subheader[0].value == "Troop levels (70 of 70)"
    at.sidebar.date_input(key="known-on").set_value(__import__("datetime").date(2026, 3, 1)).run()
    assert at.query_params["known"] == "2026-03-01"


def _open_panel(at: AppTest, key: str) -> None:
    """Open a panel whose contents are made only when it opens (`share-<chart>`, `points-<chart>`) as a click
    on it does: its state is the page's to keep, and the page runs again."""
    at.session_state[key] = True
    at.run()
    assert not at.exception, [e.value for e in at.exception]


def test_under_each_chart_its_view_is_offered_for_chats_wikis_and_data_tools():
    """The share links are the view's own (window, scale), pinned to today's record or always the latest,
    and never carry scenarios: with one loaded the page says they show the record only."""
    at = _run("pages/iraq.py", window="since-2003", scale="log")
    assert at.get("code") == []  # the panel is closed, and nothing in it is made or sent until it opens
    _open_panel(at, "share-iraq")
    preview, live, pinned, image, latest, addresses = [c.value for c in at.get("code")]
    version, today = data.load().version, dt.date.today().isoformat()
    assert preview == "http://localhost:8501/view/iraq?scale=log&window=since-2003"  # AppTest has no page URL
    assert live.startswith('<iframe src="http://localhost:8501/embed/iraq?scale=log&amp;window=since-2003" ')
    assert f'src="http://localhost:8501/embed/iraq?known={today}&amp;scale=log&amp;window=since-2003"' in pinned
    assert f'src="http://localhost:8501/chart/{version}/{today}/iraq.png?scale=log&amp;window=since-2003"' in image
    assert image.startswith('<a href="http://localhost:8501/iraq?window=since-2003&amp;scale=log"><img ')
    assert 'alt="Latest sourced figure: Iraq fewer than 1,100 (press estimate, 18 Jan 2026, single source).' in image
    assert 'src="http://localhost:8501/chart/iraq.png?scale=log&amp;window=since-2003"' in latest
    assert addresses.splitlines() == [
        "http://localhost:8501/chart/iraq.csv?scale=log&window=since-2003",
        "http://localhost:8501/chart/iraq.metadata.json?scale=log&window=since-2003",
    ]
    at = _run("pages/scenarios.py")
    at.file_uploader[0].set_value(("slower.csv", GOOD, "text/csv")).run()
    _open_panel(at, "share-overview")
    assert "These show the record only: your scenarios stay in the app (save one to share it)." in [
        c.value for c in at.caption
    ]
    assert not any("saved" in c.value or "Slower" in c.value for c in at.get("code"))
