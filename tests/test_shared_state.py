"""What outlives one script run is shared by every session's thread: it must stay as it was, however
many threads use it at once. (The export service has its own tests in test_renderer.py.)"""

import datetime as dt
import json
import threading

import pandas as pd
import plotly.io as pio

from force_posture.core import data, scenarios, summary
from force_posture.exports import export
from force_posture.plot import charts, labels
from force_posture.publish import api
from force_posture.ui import cache
from tests.conftest import ROOT, TODAY

SCENARIO = scenarios.parse((ROOT / "data" / "scenarios" / "slower_drawdown.csv").read_bytes(), "slower.csv").frame


def _in_threads(work, n: int = 8) -> list:
    results: list = [None] * n
    errors: list = []
    barrier = threading.Barrier(n)

    def run(i):
        barrier.wait()
        try:
            results[i] = work(i)
        except Exception as err:  # noqa: BLE001 (collected and reported below)
            errors.append(err)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert errors == []
    return results


def test_the_shared_dataset_is_never_changed_by_many_sessions_at_once():
    shared = data.load()  # what ui.cache.dataset() keeps for every session
    fresh = data.load()

    def session(i):
        mine = SCENARIO.assign(scenario=f"plan {i}")
        fig = charts.build_chart(shared, charts.ChartSpec(today=TODAY, scenarios=mine, width=960, height=640))
        table = scenarios.compare(mine, shared.levels, shared.milestones, TODAY, threshold=100 * i)
        summary.describe(shared.levels, shared.milestones, TODAY, data.COUNTRIES, start=dt.date(2014, 1, 1))
        summary.latest(shared.levels, "Syria", TODAY)
        export.figure_dict(shared, export.Briefing(chart=("overview", "syria", "iraq")[i % 3], today=TODAY))
        return fig, table

    results = _in_threads(session)
    pd.testing.assert_frame_equal(shared.levels, fresh.levels)
    pd.testing.assert_frame_equal(shared.milestones, fresh.milestones)
    for i, (fig, table) in enumerate(results):  # and each session got its own answer
        assert {t.name for t in fig.data if t.name and t.name.startswith("Scenario:")} == {
            f"Scenario: plan {i} (Syria)",
            f"Scenario: plan {i} (Iraq)",
        }
        assert set(table["scenario"]) == {f"plan {i}"}


def test_a_cached_figure_is_the_chart_however_many_sessions_draw_it_at_once():
    """ui.cache.figure() hands one figure to every session, which Streamlit writes as JSON on each run: made
    once from the builder's parts, it is the chart charts.build_chart makes, the same for every thread."""
    ds = data.load()
    spec = charts.ChartSpec(today=TODAY, width=960, height=820)
    built = json.loads(charts.build_chart(ds, spec).to_json())
    fig = cache.shared(charts.chart_parts(ds, spec))  # as ui.cache keeps it

    def session(i):  # what st.plotly_chart writes of it on each run, and a figure's own JSON
        return pio.to_json(fig.to_dict(), validate=False), pio.to_json(fig, validate=False), fig.to_dict()

    outputs = _in_threads(session)
    assert len({o[0] for o in outputs} | {o[1] for o in outputs}) == 1
    assert json.loads(outputs[0][0]) == built
    assert len({id(o[2]) for o in outputs}) == 1  # its plain form was made once, for all


def test_text_widths_are_the_same_from_many_threads():
    words = ["Coalition Syria mission deadline (Sep 2026)", "Peak about 2,000 disclosed, Dec 2024", "Today, 24 Nov"]
    alone = [labels.text_width(w, size, bold) for w in words for size in (11, 12, 13) for bold in (False, True)]
    together = _in_threads(
        lambda i: [
            [labels.text_width(w, size, bold) for w in words for size in (11, 12, 13) for bold in (False, True)]
            for _ in range(200)
        ]
    )
    for runs in together:
        assert all(run == alone for run in runs)


def test_charts_built_by_many_sessions_at_once_are_the_chart_built_alone():
    """The label placements, the hover words and a span's rows and peaks a process keeps (labels._placed,
    charts._hovers, _levels_in, _milestones_in, _peak) are shared by every session's chart builds: four
    threads building a chart at once, with and without a scenario, get what one thread got with nothing kept."""
    specs = [charts.ChartSpec(today=TODAY, width=800, height=560, scenarios=s) for s in (None, SCENARIO)]
    ds = data.load()
    kept = (charts._hovers, charts._levels_in, charts._milestones_in, charts._peak)

    def forget() -> None:
        labels._placed.cache_clear()
        for memo in kept:
            memo.clear()

    forget()
    alone = [charts.build_chart(ds, spec).to_json() for spec in specs]
    forget()
    together = _in_threads(
        lambda i: [charts.build_chart(ds, spec).to_json() for spec in specs[i % 2 :] + specs[: i % 2]]
    )
    for i, built in enumerate(together):
        assert built == alone[i % 2 :] + alone[: i % 2]
    assert labels._placed.cache_info().hits > 0 and all(len(memo) for memo in kept)


def test_the_api_reads_the_shared_dataset_from_many_requests_at_once_and_leaves_it_as_it_was():
    """The server (web/app.py) answers /api and /feed.atom on worker threads from live.dataset(), the
    pages' own copy; a known= day undoes later corrections, on a copy, never on the shared record."""
    shared, fresh = data.load(), data.load()
    asks = [
        ("/api/milestones.json", {"known": "2026-03-01"}),
        ("/api/troop_levels.csv", {"country": "Syria"}),
        ("/api/changes.json", {"since": "2026-01-01"}),
        ("/feed.atom", {"known": "2024-12-20"}),
    ]
    alone = [api.answer(path, params, TODAY, fresh).body for path, params in asks]
    together = _in_threads(lambda i: [api.answer(path, params, TODAY, shared).body for path, params in asks] * 3)
    for bodies in together:
        assert bodies == alone * 3
    assert b"US pullout from Qasrak base begins" in alone[0]  # the label before its correction, as known then
    pd.testing.assert_frame_equal(shared.levels, fresh.levels)
    pd.testing.assert_frame_equal(shared.milestones, fresh.milestones)
    pd.testing.assert_frame_equal(shared.corrections, fresh.corrections)


def test_the_shared_points_table_is_the_same_after_many_sessions_show_it():
    """ui.cache.points() hands one table under a chart to every session: st.dataframe turns it into Arrow
    (as below) and a chosen row is printed from it; none of that may change it."""
    from streamlit import dataframe_util

    from force_posture.core import tables

    ds = data.load()
    shown, numbers, dates = tables.for_screen(tables.points_table(ds.levels[ds.levels["country"] == "Syria"]))
    before = shown.copy()

    def session(i):
        sent = dataframe_util.convert_pandas_df_to_arrow_bytes(shown)
        return sent, tables.row_in_words(shown, i % len(shown), tables.POINTS_FIRST)

    results = _in_threads(session)
    pd.testing.assert_frame_equal(shown, before)
    assert len({sent for sent, _ in results}) == 1
    assert all(
        words == tables.row_in_words(before, i % len(before), tables.POINTS_FIRST)
        for i, (_, words) in enumerate(results)
    )
