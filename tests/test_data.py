import csv
import datetime as dt
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from force_posture.core import data
from tests.conftest import ROOT

FACTS = ROOT.parent / "shared" / "facts.md"


def _rows(name):
    with open(ROOT / "data" / name, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


@pytest.mark.parametrize("name", ["troop_levels.csv", "milestones.csv"])
def test_every_row_has_a_source_and_url(name):
    rows = _rows(name)
    assert rows, name
    for i, r in enumerate(rows, start=2):
        assert r["source"].strip(), f"{name} row {i} has no source"
        assert r["url"].startswith(("http://", "https://")), f"{name} row {i} has no source URL"


def test_headers_match_the_design_contract():
    assert list(_rows("troop_levels.csv")[0]) == list(data.LEVEL_COLUMNS)
    assert list(_rows("milestones.csv")[0]) == list(data.MILESTONE_COLUMNS)


def test_values_are_in_their_allowed_sets_and_labels_are_short():
    for r in _rows("troop_levels.csv"):
        assert r["country"] in data.COUNTRIES
        assert r["qualifier"] in data.QUALIFIERS
        assert r["basis"] in data.BASES
    for r in _rows("milestones.csv"):
        assert r["country"] in data.MILESTONE_COUNTRIES
        assert r["kind"] in data.KINDS
        assert 0 < len(r["label"]) < 40, r["label"]
        assert (r["value"] != "") == (r["kind"] == "target"), r["label"]


def test_shipped_data_loads_typed(ds):
    lv = ds.levels
    assert len(lv) == 70 and len(ds.milestones) == 74
    assert str(lv["date"].dtype).startswith("datetime64")
    assert str(lv["troops"].dtype) == "Int64"
    assert set(lv["country"].cat.categories) == {"Syria", "Iraq"}
    bounded = lv.dropna(subset=["low"])
    assert (bounded["low"] <= bounded["troops"]).all()
    bounded = lv.dropna(subset=["high"])
    assert (bounded["high"] >= bounded["troops"]).all()
    # the story's anchor figures are there, with their basis
    syria = lv[lv["country"] == "Syria"].set_index("date")
    assert syria.loc[pd.Timestamp("2017-12-06"), "troops"] == 2000
    assert syria.loc[pd.Timestamp("2017-12-06"), "basis"] == "acknowledged"
    assert syria.loc[pd.Timestamp("2024-12-19"), "basis"] == "disclosed"


# facts.md's tables name their columns in words of their own; these are the data files' names for them.
_FACT_NAMES = {"label (< 40)": "label", "detail and quote": "detail", "status": "confidence"}


def _facts_rows() -> set[tuple[str, ...]]:
    """Every dated table row of facts.md, as the data files carry it, each table read by its own header.
    Sections 5 and 6 add a `confidence` (or `status`) column: it goes at the end of the note (troop levels)
    or the detail (milestones), and the Markdown line breaks (<br>) in a cell become spaces. A month-only
    date (section 6: "2025-12 (month only)") is the month's first day, its detail starting "Month only: ".
    Rows marked "Do not plot" stay out."""
    out, header = set(), []
    for line in FACTS.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("| date |"):
            header = [_FACT_NAMES.get(c, c) for c in cells]
            continue
        month = re.match(r"^\| (\d{4}-\d{2}) \(month only\) \|", line)
        if not (month or re.match(r"^\| \d{4}-\d{2}-\d{2} \|", line)):
            continue
        row = dict(zip(header, cells, strict=True))
        sure = f" Confidence: {row['confidence']}." if "confidence" in row else ""
        if "troops" in row:
            out.add(tuple(f"{row[c]}{sure}" if c == "note" else row[c] for c in data.LEVEL_FACT_COLUMNS))
            continue
        if "Do not plot" in row["detail"]:
            continue
        row["detail"] = row["detail"].replace("<br>", " ") + sure
        if month:
            row["date"], row["detail"] = f"{month[1]}-01", f"Month only: {row['detail']}"
        out.add(tuple(row.get(c, "") for c in data.MILESTONE_FACT_COLUMNS))
    return out


@pytest.mark.skipif(not FACTS.is_file(), reason="shared/facts.md is not beside the repo")
def test_every_data_row_is_a_row_of_facts_md():
    """A figure that is not in facts.md never goes in (and every sourced row there does), except as
    the corrections log says: each corrected row, put back as it was, is its facts.md row."""
    columns = {"troop_levels.csv": data.LEVEL_FACT_COLUMNS, "milestones.csv": data.MILESTONE_FACT_COLUMNS}
    ours = {name: [dict(r) for r in _rows(name)] for name in columns}
    for fix in _rows("corrections.csv"):
        (row,) = [
            r
            for r in ours[fix["file"]]
            if (r["date"], r["country"], r[fix["column"]]) == (fix["date"], fix["country"], fix["new"])
        ]
        row[fix["column"]] = fix["old"]
    as_facts = {tuple(r[c] for c in cols) for name, cols in columns.items() for r in ours[name]}
    assert as_facts == _facts_rows()


def test_section_5_rows_are_in_with_their_confidence_and_do_not_plot_rows_are_out(ds):
    iraq = ds.levels[(ds.levels["country"] == "Iraq") & (ds.levels["date"] == pd.Timestamp("2026-01-18"))]
    assert iraq["troops"].tolist() == [1100] and iraq["note"].iloc[0].endswith("Confidence: single-source.")
    labels = set(ds.milestones["label"])
    assert {
        "Qasrak evacuation begins (SOHR)",
        "US reinforces Qasrak; exit reversed",
        "WH: Iran hostilities have ended",
    } <= labels
    assert "Victoria base evacuation reported" not in labels  # "Do not plot until corroborated"
    assert "US pullout from Qasrak base begins" not in labels  # corrected: the pullout began on Feb 21
    assert "Main US convoy leaves Qasrak" in labels


def _bad_copy(tmp_path: Path, name: str, line_no: int, old: str, new: str) -> Path:
    for f in data.DATA_FILES:
        shutil.copy(ROOT / "data" / f, tmp_path / f)
    p = tmp_path / name
    lines = p.read_text(encoding="utf-8").split("\n")
    assert old in lines[line_no - 1]
    lines[line_no - 1] = lines[line_no - 1].replace(old, new, 1)
    p.write_text("\n".join(lines), encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    "name, line, old, new, expected",
    [
        ("troop_levels.csv", 2, "2003-03-20", "2003-13-20",
         "troop_levels.csv row 2, column 'date': '2003-13-20' is not a date; write it as YYYY-MM-DD."),
        ("troop_levels.csv", 2, ",192000,", ',"192,000",',
         "troop_levels.csv row 2, column 'troops': '192,000' is not a whole number of troops (write 2000, not 2,000 "
         "or ~2000)."),
        ("troop_levels.csv", 3, ",125000,125000,", ",125000,130000,",
         "troop_levels.csv row 3, column 'low': 130000 is above troops (125000); low must be <= troops."),
        ("troop_levels.csv", 4, ",reported,", ",rumoured,",
         "troop_levels.csv row 4, column 'basis': 'rumoured' is not one of acknowledged, disclosed, authorized, "
         "reported."),
        ("troop_levels.csv", 2, "https://archives", "archives",
         "troop_levels.csv row 2, column 'url': 'archives.lincolndailynews.com"),
        ("milestones.csv", 2, "US-led invasion of Iraq begins", "US-led invasion of Iraq begins in March 2003",
         "milestones.csv row 2, column 'label': 'US-led invasion of Iraq begins in March 2003' is 44 characters; "
         "chart labels must be shorter than 40."),
        ("milestones.csv", 2, ",Iraq,event,", ",Kuwait,event,",
         "milestones.csv row 2, column 'country': 'Kuwait' is not one of Syria, Iraq, Both."),
    ],
)  # fmt: skip
def test_validation_names_file_row_column_value_and_fix(tmp_path, name, line, old, new, expected):
    folder = _bad_copy(tmp_path, name, line, old, new)
    problems = data.check_dir(folder)
    assert any(p.startswith(expected) for p in problems), problems
    with pytest.raises(data.DataError) as err:
        data.load(folder)
    assert expected[:40] in str(err.value)


def test_missing_column_and_missing_file_are_reported(tmp_path):
    (tmp_path / "troop_levels.csv").write_text("date,country,troops\n2020-01-01,Iraq,5\n")
    problems = data.check_dir(tmp_path)  # the files that cannot be read first, then what is wrong in the others
    assert problems[:-1] == [f"{tmp_path / name}: file not found." for name in data.DATA_FILES[1:]]
    assert problems[-1].startswith("troop_levels.csv: missing column(s) low, high, qualifier, basis, source, url, note")


@pytest.mark.parametrize(
    "old, new, expected",
    [
        (",https://archives.lincolndailynews.com/2008/Apr/08/News/other040808_s.shtml,",
         ',"https://archives.lincolndailynews.com/2008/Apr/08/News/other040808_s.shtml (also https://www.cfr.org/x)",',
         "troop_levels.csv row 2, column 'url': 'https://archives.lincolndailynews.com/2008/Apr/08/News/"
         "other040808_s.shtml (also https://www.cfr.org/x)' is more than one web address; give one URL here and "
         "name any other source, with its address, in the note."),
        (",https://archives.lincolndailynews.com/", ",ftp://archives.lincolndailynews.com/",
         "troop_levels.csv row 2, column 'url': 'ftp://archives.lincolndailynews.com/2008/Apr/08/News/"
         "other040808_s.shtml' is not a web address; every row needs a source URL starting with http:// or https://."),
        ("see the CFR row.", "see facts.md 1.2.",
         "troop_levels.csv row 2, column 'note': cites 'facts.md', a working file no reader has; cite the source "
         "itself (its name, and its address in the url field or the note)."),
    ],
)  # fmt: skip
def test_a_url_is_one_web_address_and_a_note_cites_sources_not_working_files(tmp_path, old, new, expected):
    folder = _bad_copy(tmp_path, "troop_levels.csv", 2, old, new)
    assert data.check_dir(folder, today=dt.date(2026, 12, 2)) == [expected]


def test_an_archived_address_holding_another_address_is_one_url(tmp_path):
    archived = "https://web.archive.org/web/2008/https://archives.lincolndailynews.com/2008/Apr/08/News/x.shtml"
    folder = _bad_copy(tmp_path, "troop_levels.csv", 2, "https://archives.lincolndailynews.com/", archived + "?")
    assert data.check_dir(folder, today=dt.date(2026, 12, 2)) == []


def test_format_level_words():
    assert data.format_level(2000, "about") == "about 2,000"
    assert data.format_level(1000, "fewer_than") == "fewer than 1,000"
    assert data.format_level(8892, "exact") == "8,892"
    assert data.format_level(300, "up_to") == "up to 300"


@pytest.mark.parametrize(
    "old, new, expected",
    [
        (",label,", ",heading,",
         "corrections.csv row 2, column 'column': 'heading' is not a column of milestones.csv that can be corrected."),
        (",Main US convoy leaves Qasrak,", ",Main US convoy leaves Qasrak now,",
         "corrections.csv row 2, column 'new': no single row of milestones.csv on 2026-02-23 (Syria) has label "
         "'Main US convoy leaves Qasrak now'; the correction must point at the corrected row"),
        (",2026-11-27,", ",2026-12-25,",
         "corrections.csv row 2, column 'corrected': 2026-12-25 is in the future (today is 2026-12-02); a correction "
         "is logged once made."),
        ("milestones.csv,", "levels.csv,", "corrections.csv row 2, column 'file': 'levels.csv' is not one of"),
    ],
)  # fmt: skip
def test_the_corrections_log_is_checked_against_the_rows_it_corrects(tmp_path, old, new, expected):
    import datetime as dt

    folder = _bad_copy(tmp_path, "corrections.csv", 2, old, new)
    problems = data.check_dir(folder, today=dt.date(2026, 12, 2))
    assert any(p.startswith(expected) for p in problems), problems


def test_the_shipped_corrections_log_loads(ds):
    fix = ds.corrections.iloc[0]
    assert (fix["file"], fix["column"], fix["old"], fix["new"]) == (
        "milestones.csv",
        "label",
        "US pullout from Qasrak base begins",
        "Main US convoy leaves Qasrak",
    )
    assert fix["corrected"] == pd.Timestamp("2026-11-27") and fix["url"].startswith("https://www.shafaq.com/")


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (",2023-11-14,single,1\n", ",14/11/2023,single,1\n", "column 'published': '14/11/2023' is not a date"),
        (
            ",2023-11-14,single,1\n",
            ",2027-01-01,single,1\n",
            "column 'published': 2027-01-01 is in the future (today is 2026-12-02)",
        ),
        (
            ",2023-11-14,single,1\n",
            ",2023-11-01,single,1\n",
            "column 'published': 2023-11-01 is before the row's date (2023-11-14)",
        ),
    ],
)
def test_published_is_checked(tmp_path, old, new, expected):
    folder = tmp_path
    for f in data.DATA_FILES:
        shutil.copy(ROOT / "data" / f, folder / f)
    path = folder / "troop_levels.csv"
    text = path.read_text()
    line = [x for x in text.splitlines(keepends=True) if x.startswith("2023-11-14,Syria")][0]
    path.write_text(text.replace(line, line.replace(old, new)))
    problems = data.check_dir(folder, today=dt.date(2026, 12, 2))
    assert len(problems) == 1 and expected in problems[0] and problems[0].startswith("troop_levels.csv row ")


def test_a_deadline_or_a_planned_level_may_be_published_before_its_date(ds):
    early = ds.levels[ds.levels["published"] < ds.levels["date"]]
    assert early["note"].str.contains("planned", case=False).all() and len(early) == 1
    deadlines = ds.milestones[ds.milestones["kind"] == "deadline"]
    assert set(deadlines["published"]) == {pd.Timestamp("2024-09-27")}


@pytest.mark.parametrize(
    ("corroboration", "outlets", "expected"),
    [
        ("", "1", "column 'corroboration': is empty; say official if a government states it, confirmed if two"),
        ("likely", "1", "column 'corroboration': 'likely' is not one of official, confirmed, single."),
        ("single", "2", "column 'outlets': 2 outlets for a single-source row; write 1, or call it confirmed."),
        ("confirmed", "1", "column 'outlets': 1 outlet for a confirmed row; confirmed takes two or more"),
        ("official", "0", "column 'outlets': '0' is not a count of outlets; write how many independent outlets"),
        ("official", "", "column 'outlets': '' is not a count of outlets"),
    ],
)
def test_how_a_row_is_corroborated_is_checked(tmp_path, corroboration, outlets, expected):
    for f in data.DATA_FILES:
        shutil.copy(ROOT / "data" / f, tmp_path / f)
    path = tmp_path / "troop_levels.csv"
    text = path.read_text()
    line = [x for x in text.splitlines(keepends=True) if x.startswith("2023-11-14,Syria")][0]
    path.write_text(
        text.replace(line, line.replace(",2023-11-14,single,1\n", f",2023-11-14,{corroboration},{outlets}\n"))
    )
    problems = data.check_dir(tmp_path, today=dt.date(2026, 12, 2))
    assert len(problems) == 1 and expected in problems[0] and problems[0].startswith("troop_levels.csv row "), problems


def test_every_row_is_graded_as_its_basis_its_note_and_facts_md_say(ds):
    """A government's figure is official; a note's "Confidence: single-source" is single and "confirmed"
    is not; confirmed rows count two outlets or more. The Iraq headline's figure is one outlet's."""
    levels, milestones = ds.levels, ds.milestones
    assert set(levels[levels["basis"] != "reported"]["corroboration"]) == {"official"}
    for frame, words in ((levels, "note"), (milestones, "detail")):
        said = frame[words].str.extract(r"Confidence: (single-source|confirmed)(?! that)", expand=False)
        assert set(frame[said == "single-source"]["corroboration"]) <= {"single"}
        assert "single" not in set(frame[said == "confirmed"]["corroboration"])
        assert (frame[frame["corroboration"] == "confirmed"]["outlets"] >= 2).all()
        assert (frame[frame["corroboration"] == "single"]["outlets"] == 1).all()
    erbil = levels[(levels["country"] == "Iraq") & (levels["date"] == pd.Timestamp("2026-01-18"))]
    assert erbil["corroboration"].tolist() == ["single"]
    band = levels[(levels["country"] == "Syria") & (levels["date"] == pd.Timestamp("2026-02-23"))]
    assert set(band["corroboration"]) == {"confirmed"} and set(band["outlets"]) == {4}
