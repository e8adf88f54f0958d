import pandas as pd

from force_posture.core import tables


def test_formula_cells_are_neutralised_and_others_kept():
    assert [tables.neutralise(v) for v in ["=1+1", "+1", "-2", "@SUM(A1)", "\tx", "\rx", "ok", 5]] == [
        "'=1+1",
        "'+1",
        "'-2",
        "'@SUM(A1)",
        "'\tx",
        "'\rx",
        "ok",
        5,
    ]


def test_safe_csv_writes_dates_as_iso_and_keeps_numbers():
    df = pd.DataFrame({"date": pd.to_datetime(["2025-01-02"]), "troops": [-5], "note": ['=HYPERLINK("x")']})
    text = tables.to_safe_csv(df).decode("utf-8-sig")
    assert text == 'date,troops,note\n2025-01-02,-5,"\'=HYPERLINK(""x"")"\n'


def test_points_table_reads_figures_in_words(ds):
    t = tables.points_table(ds.levels)
    assert list(t.columns[:4]) == ["date", "country", "figure", "troops"]
    assert t.iloc[0]["date"].isoformat() == "2026-02-23"
    assert set(t["figure"]) >= {"about 2,000", "fewer than 2,000", "8,892"}


def test_tables_on_screen_have_separators_blank_gaps_and_dates_as_dates(ds):
    shown, numbers, dates = tables.for_screen(tables.points_table(ds.levels))
    assert {"troops", "low", "high"} <= set(numbers) and dates == ["date"]
    row = shown[shown["figure"] == "about 1,000"].iloc[0]
    assert (row["troops"], row["low"], row["high"]) == ("1,000", "", "")
    assert "None" not in set(shown["low"]) and "192,000" in set(shown["troops"])
    raw = tables.points_table(ds.levels)
    assert raw["troops"].dtype == "Int64"  # the CSV download keeps plain numbers


def test_markdown_escape_leaves_names_exactly_as_typed():
    from force_posture.core.tables import markdown_escape

    assert markdown_escape("**bold** [x](http://a) :red[hi] <b> 1,000") == (
        r"\*\*bold\*\* \[x\]\(http\:\/\/a\) \:red\[hi\] \<b\> 1\,000"
    )
    assert markdown_escape("Plan B (v2)") == r"Plan B \(v2\)"


def test_a_row_in_words_reads_every_filled_cell_whole_in_the_screens_order(ds):
    points = tables.points_table(ds.levels)
    shown, _, _ = tables.for_screen(points)
    words = tables.row_in_words(shown, 0, tables.POINTS_FIRST).split("\n")
    assert words[:7] == [
        "date: 2026-02-23",
        "country: Syria",
        "figure: about 900",
        "basis: reported",
        "corroboration: confirmed (4 outlets)",
        "url: https://www.okaz.com.sa/politics/na/2237173",
        "source: Okaz",
    ]
    assert words[7].startswith('note: "a broader plan aimed at withdrawing all American forces')
    assert words[7].endswith("Confidence: confirmed as a band (see above).")  # whole, not cut off
    assert "high: 1,000" in words and not any(w.startswith("troops: ") and w.endswith(": ") for w in words)


def test_the_tables_say_how_each_row_is_corroborated(ds):
    points = tables.points_table(ds.levels)
    assert points.columns.tolist()[:10] == [
        *("date", "country", "figure", "troops", "low", "high", "qualifier", "basis", "corroboration", "source")
    ]
    erbil = points[(points["country"] == "Iraq") & (points["date"].astype(str) == "2026-01-18")]
    assert erbil["corroboration"].tolist() == ["single source"]
    assert set(points["corroboration"]) == {
        "official",
        "single source",
        "confirmed (2 outlets)",
        "confirmed (4 outlets)",
    }
    miles = tables.milestones_table(ds.milestones)
    embassy = miles[miles["label"] == "Rockets fired at US embassy Baghdad"]
    assert embassy["corroboration"].tolist() == ["confirmed (3 outlets)"]
