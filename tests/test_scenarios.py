"""The scenario parser against a corpus of awkward files, each with the exact verdict expected,
plus the builder, the comparison and display thinning."""

import csv
import datetime as dt
import io
from pathlib import Path

import pandas as pd
import pytest

from force_posture.core import scenarios as sc
from tests.conftest import TODAY

FILES = Path(__file__).parent / "scenario_files"

# (file, rows accepted or None when refused, notices when accepted or the whole message when refused)
CORPUS = [
    ('bad_absurd.csv', None, "bad_absurd.csv: row 2, column 'troops': '9000000' is over 500,000, which is not plausible; check for a typo."),
    ('bad_binary_nul.csv', None, 'bad_binary_nul.csv: this is a binary file, not a CSV text file (it contains NUL bytes). Save it as CSV (comma-separated, UTF-8) and upload that.'),
    ('bad_blank_required.csv', None, "bad_blank_required.csv: row 2, column 'country': is blank; every row needs a country."),
    ('bad_broken_quote.csv', None, 'bad_broken_quote.csv: broken quoting: a quote (") opened at row 2 is never closed. Close the quote, or remove it.'),
    ('bad_date_format.csv', None, "bad_date_format.csv: row 2, column 'date': '03/01/2026' is not a date; write it as YYYY-MM-DD (or YYYY-MM for a month)."),
    ('bad_date_too_early.csv', None, "bad_date_too_early.csv: row 2, column 'date': '1999-01-01' is outside 2001 to 2100; check the year."),
    ('bad_date_too_late.csv', None, "bad_date_too_late.csv: row 2, column 'date': '2101-01-01' is outside 2001 to 2100; check the year."),
    ('bad_duplicate_column.csv', None, "bad_duplicate_column.csv: the column 'troops' appears twice; keep one."),
    ('bad_duplicate_date.csv', None, "bad_duplicate_date.csv: rows 2, 3 give two levels for Syria on 2026-03-01 in scenario 'bad_duplicate_date'. Keep one row per date."),
    ('bad_empty.csv', None, 'bad_empty.csv: the file is empty. Upload a CSV with a header row (date, country, troops).'),
    ('bad_gzip_renamed.csv', None, 'bad_gzip_renamed.csv: this is a gzip-compressed file, not a CSV file. In your spreadsheet, use File > Save as > CSV (comma-separated), and upload that.'),
    ('bad_header_only.csv', None, 'bad_header_only.csv: the file has a header but no data rows. Add one row per date: date,country,troops'),
    ('bad_impossible_date.csv', None, "bad_impossible_date.csv: row 2, column 'date': '2026-02-30' is not a date; write it as YYYY-MM-DD (or YYYY-MM for a month)."),
    ('bad_low_above_troops.csv', None, "bad_low_above_troops.csv: row 2, column 'low': '1200' is above troops; low must be <= troops."),
    ('bad_many_rows.csv', None, "bad_many_rows.csv has 8 problems; the first 5:\n- row 2, column 'troops': 'x1' is not a whole number of troops (e.g. 900 or 1,000).\n- row 3, column 'troops': 'x2' is not a whole number of troops (e.g. 900 or 1,000).\n- row 4, column 'troops': 'x3' is not a whole number of troops (e.g. 900 or 1,000).\n- row 5, column 'troops': 'x4' is not a whole number of troops (e.g. 900 or 1,000).\n- row 6, column 'troops': 'x5' is not a whole number of troops (e.g. 900 or 1,000).\n- … and 3 more.\nFix them and upload again."),
    ('bad_missing_column.csv', None, "bad_missing_column.csv: missing required column troops. The header has 'date', 'country'; it needs date, country and troops (and may have scenario, low, high, note)."),
    ('bad_negative.csv', None, "bad_negative.csv: row 2, column 'troops': '-50' is negative; troop numbers are 0 or more (0 is a full withdrawal)."),
    ('bad_non_numeric.csv', None, "bad_non_numeric.csv: row 2, column 'troops': 'about 900' is not a whole number of troops (e.g. 900 or 1,000)."),
    ('bad_png_renamed.csv', None, 'bad_png_renamed.csv: this is a PNG image, not a CSV file. In your spreadsheet, use File > Save as > CSV (comma-separated), and upload that.'),
    ('bad_prose.csv', None, "bad_prose.csv: this does not look like a table: its first line ('This is my scenario. Troops in Syria go down to zero by summ') has no commas, semicolons or tabs between column names. The first line must be a header such as: date,country,troops"),
    ('bad_unknown_country.csv', None, "bad_unknown_country.csv: row 2, column 'country': 'Kuwait' is not a country this tool tracks; use Syria or Iraq."),
    ('bad_unquoted_thousands.csv', None, 'bad_unquoted_thousands.csv: row 2 has 4 values but the header has 3 columns. Check that row for an extra separator. A number like 1,000 must be in quotes ("1,000") when commas separate the columns.'),
    ('bad_whitespace_only.csv', None, 'bad_whitespace_only.csv: the file is empty. Upload a CSV with a header row (date, country, troops).'),
    ('bad_xlsx_renamed.csv', None, 'bad_xlsx_renamed.csv: this is a ZIP archive (an Excel .xlsx file is one), not a CSV file. In your spreadsheet, use File > Save as > CSV (comma-separated), and upload that.'),
    ('ok_basic.csv', 2, []),
    ('ok_blank_line.csv', 2, ['ok_blank_line.csv: skipped 1 empty row.']),
    ('ok_bom_crlf.csv', 2, []),
    ('ok_country_case.csv', 2, []),
    ('ok_cp1252.csv', 1, ["ok_cp1252.csv: the file is not UTF-8; it was read as Windows-1252 (Excel's usual encoding)."]),
    ('ok_extra_columns.csv', 1, ['ok_extra_columns.csv: ignored columns source, comment.']),
    ('ok_header_case_spaces.csv', 1, []),
    ('ok_low_high.csv', 1, []),
    ('ok_markup_is_data.csv', 1, []),
    ('ok_month_dates.csv', 2, ['ok_month_dates.csv: 2 month-only dates (YYYY-MM) set to the 1st.']),
    ('ok_multi_scenario.csv', 4, []),
    ('ok_quoted_newline.csv', 2, []),
    ('ok_quoted_thousands.csv', 1, []),
    ('ok_semicolon_thousands.csv', 2, ['ok_semicolon_thousands.csv: columns are separated by semicolons.']),
    ('ok_tab_delimited.csv', 1, ['ok_tab_delimited.csv: columns are separated by tabs.']),
    ('ok_trailing_decimal.csv', 1, []),
    ('ok_unsorted.csv', 2, ['ok_unsorted.csv: rows were not in date order; they were sorted.']),
    ('ok_zero_troops.csv', 1, []),
]  # fmt: skip


def test_the_corpus_covers_every_file_and_has_at_least_30():
    assert sorted(name for name, *_ in CORPUS) == sorted(p.name for p in FILES.iterdir())
    assert len(CORPUS) >= 30


@pytest.mark.parametrize("name, rows, expected", CORPUS, ids=[c[0] for c in CORPUS])
def test_corpus_file_gets_its_exact_verdict(name, rows, expected):
    data = (FILES / name).read_bytes()
    if rows is None:
        with pytest.raises(sc.ScenarioError) as err:
            sc.parse(data, name)
        assert str(err.value) == expected
    else:
        result = sc.parse(data, name)
        assert len(result.frame) == rows
        assert list(result.notices) == expected
        assert list(result.frame.columns) == list(sc.COLUMNS)
        groups = result.frame.groupby(["scenario", "country"], sort=False)["date"]
        assert groups.apply(lambda d: d.is_monotonic_increasing).all()


def test_accepted_values_are_normalised():
    s = sc.parse((FILES / "ok_semicolon_thousands.csv").read_bytes(), "ok_semicolon_thousands.csv")
    assert s.frame[["country", "troops"]].values.tolist() == [["Iraq", 2500], ["Syria", 1000]]
    s = sc.parse((FILES / "ok_country_case.csv").read_bytes(), "x.csv")
    assert sorted(s.frame["country"]) == ["Iraq", "Syria"]
    s = sc.parse((FILES / "ok_month_dates.csv").read_bytes(), "x.csv")
    assert [d.isoformat() for d in s.frame["date"].dt.date] == ["2026-03-01", "2026-04-01"]
    s = sc.parse((FILES / "ok_quoted_newline.csv").read_bytes(), "x.csv")
    assert s.frame["note"].tolist() == ["two\nlines", "plain"]
    s = sc.parse((FILES / "ok_multi_scenario.csv").read_bytes(), "x.csv")
    assert s.names == ["Fast", "Slow"]
    s = sc.parse((FILES / "ok_basic.csv").read_bytes(), "dir/My plan.csv")
    assert s.names == ["My plan"] and s.file_name == "My plan.csv"


def test_markup_in_an_upload_stays_text():
    s = sc.parse((FILES / "ok_markup_is_data.csv").read_bytes(), "m.csv")
    assert s.names == ["<b>Bold</b> **plan**"]
    text = sc.to_csv(s.frame).decode("utf-8-sig")
    assert "'=HYPERLINK" in text  # neutralised for spreadsheets


@pytest.mark.parametrize("shape", sc.SHAPES)
def test_a_built_scenario_downloads_as_csv_that_uploads_back_unchanged(shape):
    built = sc.build("Plan A", "Syria", dt.date(2026, 3, 15), 1000, dt.date(2026, 9, 1), 0, shape)
    back = sc.parse(sc.to_csv(built), "plan.csv")
    assert back.notices == ()
    pd.testing.assert_frame_equal(back.frame, built, check_dtype=False)


def test_builder_shapes():
    lin = sc.build("L", "Iraq", dt.date(2026, 1, 1), 2000, dt.date(2026, 12, 31), 500, "linear")
    assert lin["troops"].tolist() == [2000, 500]
    step = sc.build("S", "Iraq", dt.date(2026, 1, 1), 2000, dt.date(2026, 12, 31), 500, "step", dt.date(2026, 7, 1))
    assert list(zip(step["date"].dt.strftime("%m-%d"), step["troops"], strict=True)) == [
        ("01-01", 2000), ("06-30", 2000), ("07-01", 500), ("12-31", 500)]  # fmt: skip
    monthly = sc.build("M", "Syria", dt.date(2026, 3, 1), 1000, dt.date(2026, 6, 30), 0, "monthly")
    assert monthly["troops"].tolist() == [1000, 1000, 667, 667, 333, 333, 0, 0]
    with pytest.raises(sc.ScenarioError, match="The end date must be after the start date."):
        sc.build("x", "Syria", dt.date(2026, 3, 1), 1, dt.date(2026, 3, 1), 0)
    with pytest.raises(sc.ScenarioError, match="The step date must be after the start date"):
        sc.build("x", "Syria", dt.date(2026, 3, 1), 1, dt.date(2026, 5, 1), 0, "step", dt.date(2026, 2, 1))


def test_level_on_interpolates_holds_after_and_is_silent_before():
    s = sc.build("L", "Syria", dt.date(2026, 1, 1), 1000, dt.date(2026, 1, 11), 0)
    assert sc.level_on(s, pd.Timestamp("2026-01-06")) == 500
    assert sc.level_on(s, pd.Timestamp("2027-01-01")) == 0
    assert sc.level_on(s, pd.Timestamp("2025-12-31")) is None


def test_first_under_the_target_is_the_first_day_below_the_line():
    s = sc.build("L", "Syria", dt.date(2026, 1, 1), 2000, dt.date(2026, 1, 21), 0)  # 100 a day
    assert sc.first_under(s, 1000) == pd.Timestamp("2026-01-12")  # 1,000 on the 11th, below from the 12th
    assert sc.first_under(s, 5000) == pd.Timestamp("2026-01-01")
    assert sc.first_under(s, 0) is None


def test_comparison_table(ds):
    s = pd.concat([
        sc.build("Fast", "Syria", dt.date(2026, 3, 1), 1000, dt.date(2026, 6, 30), 0),
        sc.build("Slow", "Iraq", dt.date(2026, 1, 14), 2000, dt.date(2027, 12, 31), 500),
    ])  # fmt: skip
    table = sc.compare(s, ds.levels, ds.milestones, TODAY).set_index("scenario")
    fast, slow = table.loc["Fast"], table.loc["Slow"]
    assert fast["level today"] == 0
    assert fast["Coalition Syria mission deadline (1 Sep 2026)"] == "met"
    assert fast["first date under target"] == dt.date(2026, 3, 2)
    assert fast["target"] == "fewer than 1,000"
    assert fast["vs latest sourced"] == "-1,000 to -900"
    assert slow["Coalition Iraq mission deadline (30 Sep 2025)"] == "not covered"
    assert slow["Coalition Syria mission deadline (1 Sep 2026)"] == "missed"
    assert slow["target"] == "fewer than 2,000" and slow["first date under target"] == dt.date(2026, 1, 15)
    lenient = sc.compare(s, ds.levels, ds.milestones, TODAY, threshold=2000).set_index("scenario")
    assert lenient.loc["Slow", "Coalition Syria mission deadline (1 Sep 2026)"] == "met"
    assert list(table.reset_index().columns[:6]) == [  # what decides comes first, in view without scrolling
        "scenario", "country", "Coalition Syria mission deadline (1 Sep 2026)",
        "Coalition Iraq mission deadline (30 Sep 2025)", "first date under target", "vs latest sourced",
    ]  # fmt: skip


def test_the_comparison_csv_has_the_apps_figures_as_numbers_and_outside_text_neutralised(ds):
    s = pd.concat([
        sc.build("Fast", "Syria", dt.date(2026, 3, 1), 1000, dt.date(2026, 6, 30), 0),
        sc.build('=HYPERLINK("x")', "Iraq", dt.date(2026, 1, 14), 2000, dt.date(2027, 12, 31), 500),
    ])  # fmt: skip
    table = sc.compare(s, ds.levels, ds.milestones, TODAY)
    text = sc.comparison_csv(table).decode("utf-8-sig")
    rows = {r["scenario"]: r for r in csv.DictReader(io.StringIO(text))}
    fast, named = rows["Fast"], rows['\'=HYPERLINK("x")']  # a name from outside: still neutralised
    assert (fast["vs latest sourced, low"], fast["vs latest sourced, high"]) == ("-1000", "-900")
    assert fast["level today"] == "0" and named["level today"] == str(table["level today"].iloc[1])  # as on screen
    assert named["vs latest sourced, low"] == named["vs latest sourced, high"]
    assert not any(v.startswith("'") for r in rows.values() for k, v in r.items() if k != "scenario")


CLEAN_FILES = [
    ("plain.csv", "date,country,troops\n2026-03-01,Syria,900\n2026-06-01,Syria,0\n2026-03-01,Iraq,2000\n"),
    (
        "named.csv",
        "scenario,date,country,troops\r\nB,2026-06-01,Iraq,10\r\nA,2026-05-01,Syria,5\r\nA,2026-04-01,Syria,7\r\n",
    ),
    ("spaced.csv", "scenario,date,country,troops\n Padded ,2026-06-01,Iraq,10\n"),  # the careful path strips it
    ("lower.csv", "date,country,troops\n2026-03-01,syria,900\n"),
    ("month.csv", "date,country,troops\n2026-03,Syria,900\n"),
    ("blank.csv", "date,country,troops\n2026-03-01,Syria,900\n\n2026-04-01,Syria,800\n"),
    (
        "big.csv",
        "scenario,date,country,troops\n"
        + "".join(
            f"S{k},{(pd.Timestamp('2026-01-01') + pd.Timedelta(days=d)):%Y-%m-%d},{c},{(d * 7 + k) % 3000}\n"
            for k in range(3)
            for c in ("Syria", "Iraq")
            for d in range(400)
        ),
    ),
]


@pytest.mark.parametrize(("name", "text"), CLEAN_FILES, ids=[n for n, _ in CLEAN_FILES])
def test_the_fast_reader_makes_exactly_what_the_careful_path_makes(monkeypatch, name, text):
    fast = sc.parse(text.encode(), name)
    monkeypatch.setattr(sc, "_clean_file", lambda *a: None)
    careful = sc.parse(text.encode(), name)
    pd.testing.assert_frame_equal(fast.frame, careful.frame)
    assert fast.notices == careful.notices


def test_the_fast_reader_takes_the_template_shape_only():
    for name in ("plain.csv", "named.csv", "big.csv"):  # the equivalence test above did take the fast path
        assert sc._clean_file(dict(CLEAN_FILES)[name], "x") is not None, name
    for text in ("date,country,troops\n2026-03-01,Syria,-1\n", "date,country,troops\n2026-03-01,Kuwait,1\n",
                 'date,country,troops\n2026-03-01,Syria,"1,000"\n', "date,country,troops\n2026-03-01,Syria,9.5\n",
                 "date,country,troops,low\n2026-03-01,Syria,9,1\n", "date,country,troops\n1999-03-01,Syria,9\n",
                 "scenario,date,country,troops\n,2026-03-01,Syria,9\n", "date,country,troops\n"):  # fmt: skip
        assert sc._clean_file(text, "x") is None, text


def test_the_builders_default_end_is_the_next_deadline_or_a_year_ahead(ds):
    assert sc.default_end(ds.milestones, "Syria", dt.date(2026, 5, 1)) == dt.date(2026, 9, 1)  # a "Both" deadline
    assert sc.default_end(ds.milestones, "Iraq", dt.date(2025, 9, 1)) == dt.date(2025, 9, 30)
    assert sc.default_end(ds.milestones, "Syria", TODAY) == dt.date(2027, 11, 24)  # every deadline has passed
    assert sc.default_end(ds.milestones, "Iraq", dt.date(2028, 2, 29)) == dt.date(2029, 2, 28)


def test_a_built_scenarios_preview_is_named_by_its_path():
    built = sc.build("Plan <b>A</b>", "Iraq", dt.date(2026, 1, 1), 2000, dt.date(2026, 12, 31), 500, "step")
    assert sc.preview_name(built) == (
        "Preview chart of the scenario 'Plan <b>A</b>' for Iraq: 2,000 troops on 1 Jan 2026 to 500 on 31 Dec 2026, "
        "drawn over the sourced record."
    )
