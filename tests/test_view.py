import datetime as dt

from force_posture.core.view import View, link, parse, query_string


def test_defaults_make_a_plain_link():
    assert parse({}) == (View(), [])
    assert query_string(View()) == ""


def test_allowed_values_round_trip_through_the_url():
    view = View(window="since-2003", scale="log", caps="off", bands="off", briefing="on")
    assert query_string(view) == "?window=since-2003&scale=log&caps=off&bands=off&briefing=on"
    assert parse(view.to_query()) == (view, [])


def test_unknown_keys_and_values_are_ignored_with_a_plain_note():
    view, notes = parse({"window": "<script>", "scale": ["linear", "log"], "evil": "x"})
    assert view == View(scale="log")
    assert notes == [
        "Ignored window='<script>': use one of last-12-months, since-announcement, counter-is, since-2003.",
        "Ignored the link parameter 'evil': it is not one this page uses.",
    ]


def test_one_link_builder_for_every_page_and_never_the_briefing_toggle():
    view = View(window="since-2003", scale="log", briefing="on")
    assert link("https://posture.example.org/", "iraq", view) == (
        "https://posture.example.org/iraq?window=since-2003&scale=log"
    )
    assert link("http://localhost:8501", "overview", View()) == "http://localhost:8501"


def test_saved_scenario_ids_are_allow_listed_and_carried_by_the_link():
    from force_posture.core import view

    chosen, notes = view.parse({"saved": "12,15"})
    assert chosen.saved_ids == [12, 15] and notes == []
    assert view.link("http://team", "syria", chosen) == "http://team/syria?saved=12%2C15"
    for bad in ("12;DROP", "0", "1,2,3,4,5,6,7,8,9,10,11", "-1", "12,", "1e3"):
        chosen, notes = view.parse({"saved": bad})
        assert chosen.saved_ids == [] and notes[0].startswith(f"Ignored saved='{bad}'")
    assert view.saved_value([15, 12, 12]) == "12,15"


def test_a_first_run_is_laid_out_for_the_column_streamlit_gives_the_window_it_starts_in():
    from force_posture.ui.screen import DEFAULT_SCREEN, column_for, first_guess

    assert column_for((1280, 800)) == (800, 800)  # 1280 - 300 sidebar - 2 x 80 padding, in 40 px steps
    assert column_for((1600, 900)) == (1120, 900) and column_for((1366, 768)) == (880, 760)
    assert column_for((864, 700)) == (400, 700) and column_for((863, 700)) == (520, 700)  # padding 5 rem from 864
    assert column_for((769, 1024)) == (400, 1020) and column_for((768, 1024)) == (720, 1020)  # the sidebar from 769
    assert column_for((390, 844)) == (320, 840) and column_for((1920, 1080), briefing=True) == (1760, 1080)
    assert column_for((120, 300)) == (80, 300) and column_for((20, 300)) == (0, 300)
    # a report made in a window of this size knows more (a widened sidebar): it wins; from another window not
    assert first_guess((1600, 900), (1000, 880), (1600, 900)) == (1000, 880)
    assert first_guess((1280, 800), (1000, 880), (1600, 900)) == (800, 800)
    assert first_guess((1280, 800), (1000, 880), None) == (800, 800)
    # no window from this page (the app served without web/app.py): the last report, or a laptop's
    assert first_guess(None, (1000, 880), (1600, 900)) == (1000, 880)
    assert first_guess(None, None, None) == DEFAULT_SCREEN


def test_the_recent_windows_start_at_the_announcement_and_a_year_before_today(ds):
    from force_posture.core import view

    today = dt.date(2026, 12, 3)
    assert view.span(View(window="since-announcement"), today, ds.milestones) == (
        dt.date(2025, 4, 1),
        dt.date(2027, 3, 1),
    )
    assert view.span(View(window="last-12-months"), today, ds.milestones)[0] == dt.date(2025, 12, 1)
    assert view.span(View(window="last-12-months"), dt.date(2028, 2, 29), ds.milestones)[0] == dt.date(2027, 2, 1)


def test_a_from_to_range_in_the_link_is_a_year_a_month_or_a_day_and_runs_forward(ds):
    from force_posture.core import view

    chosen, notes = parse({"from": "2025-01", "to": "2026-12"})
    assert (chosen.from_, chosen.to, notes) == ("2025-01", "2026-12", [])
    assert query_string(chosen) == "?from=2025-01&to=2026-12"
    today = dt.date(2026, 12, 3)
    assert view.span(chosen, today, ds.milestones) == (dt.date(2025, 1, 1), dt.date(2027, 1, 1))
    assert view.span_name(chosen, dt.date(2025, 1, 1), dt.date(2027, 1, 1)) == "Jan 2025 to Dec 2026"
    assert view.span(View(from_="2025"), today, ds.milestones) == (dt.date(2025, 1, 1), dt.date(2027, 3, 1))
    assert view.span(View(to="2010-06-15"), today, ds.milestones) == (dt.date(2003, 1, 1), dt.date(2010, 6, 16))
    assert view.span(View(from_="2030"), today, ds.milestones) == (dt.date(2030, 1, 1), dt.date(2031, 1, 1))
    for bad in ("2025-13", "25-01", "2025-02-30", "1999", "2025-1", "<b>"):
        chosen, notes = parse({"from": bad})
        assert chosen == View() and notes == [
            f"Ignored from='{bad}': give a year, a month or a day (2025, 2025-01 or 2025-01-15), from 2003 to 2100."
        ]
    chosen, notes = parse({"from": "2026-12", "to": "2025-01"})  # the wrong way round: read the other way
    assert (chosen.from_, chosen.to) == ("2025-01", "2026-12") and notes == [
        "Read from='2026-12' and to='2025-01' the other way round: a range starts before it ends."
    ]
