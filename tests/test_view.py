from force_posture.view import View, link, parse, query_string, screen_from_cookie


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
        "Ignored window='<script>': use one of counter-is, since-2003.",
        "Ignored the link parameter 'evil': it is not one this page uses.",
    ]


def test_one_link_builder_for_every_page_and_never_the_briefing_toggle():
    view = View(window="since-2003", scale="log", briefing="on")
    assert link("https://posture.example.org/", "iraq", view) == (
        "https://posture.example.org/iraq?window=since-2003&scale=log"
    )
    assert link("http://localhost:8501", "overview", View()) == "http://localhost:8501"


def test_saved_scenario_ids_are_allow_listed_and_carried_by_the_link():
    from force_posture import view

    chosen, notes = view.parse({"saved": "12,15"})
    assert chosen.saved_ids == [12, 15] and notes == []
    assert view.link("http://team", "syria", chosen) == "http://team/syria?saved=12%2C15"
    for bad in ("12;DROP", "0", "1,2,3,4,5,6,7,8,9,10,11", "-1", "12,", "1e3"):
        chosen, notes = view.parse({"saved": bad})
        assert chosen.saved_ids == [] and notes[0].startswith(f"Ignored saved='{bad}'")
    assert view.saved_value([15, 12, 12]) == "12,15"


def test_the_screen_cookie_is_read_only_in_its_exact_form():
    assert screen_from_cookie("1240x980") == (1240, 980)
    assert screen_from_cookie("320x640") == (320, 640)
    for bad in [None, "", "1240", "1240x", "x980", "0x0", "012x980", "99999x980", "1240x980;", " 1240x980",
                "1240x980\n", "-1240x980", "1e3x980", "<b>x</b>", 1240, b"1240x980"]:  # fmt: skip
        assert screen_from_cookie(bad) is None, bad
