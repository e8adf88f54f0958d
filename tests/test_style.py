"""The chart's look: one colour per country, a marker for every basis, scenario dashes never the caps'."""

from force_posture.core import data, style


def test_every_country_has_its_own_colour_and_every_basis_a_symbol_and_legend_name():
    assert set(style.COUNTRY_COLORS) == set(data.COUNTRIES)
    assert len(set(style.COUNTRY_COLORS.values())) == len(data.COUNTRIES)
    assert set(style.BASIS_SYMBOLS) == set(data.BASES) == set(style.BASIS_LEGEND)
    assert set(style.HOLLOW) <= set(data.BASES)


def test_scenario_dashes_are_never_the_plain_dash_of_the_caps():
    assert "dash" not in style.SCENARIO_DASHES and len(set(style.SCENARIO_DASHES)) == len(style.SCENARIO_DASHES)


def test_the_marker_key_names_every_basis_as_the_legend_does():
    for words in ("acknowledged", "press estimate", "disclosed later", "authorized cap"):
        assert words in style.MARKER_KEY


def test_the_dark_page_and_its_charts_are_one_surface():
    """The dark theme's page background and text (.streamlit/config.toml) are the charts' (style.DARK):
    a chart drawn dark sits in the page, not on a card of another colour; light pages are white."""
    import tomllib

    theme = tomllib.loads((data.DATA_DIR.parent / ".streamlit" / "config.toml").read_text())["theme"]
    assert "base" not in theme  # neither theme is forced: the page follows the analyst's choice
    assert theme["dark"]["backgroundColor"] == style.colour(style.BACKGROUND, "dark") == style.DARK["white"]
    assert theme["dark"]["textColor"] == style.colour(style.INK, "dark")
    assert theme["light"].get("backgroundColor", "#FFFFFF").upper() in ("#FFFFFF", "WHITE")
    assert style.colour(style.BACKGROUND, "light") == "white"
