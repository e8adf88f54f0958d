"""Finding the sentences that state a US troop level (watch/extract.py): what it must find, what it must
leave out, and how it does on the record's own quotes."""

import json
import re

import pandas as pd
import pytest

from force_posture.ops import cli
from force_posture.watch import extract
from tests.conftest import ROOT

FOUND = [
    ("The Pentagon said about 2,000 U.S. troops are in Syria.", [("Syria", 2000, None, None, "about")]),
    ("The Pentagon will cut the force in Syria to fewer than 1,000.", [("Syria", 1000, None, None, "fewer_than")]),
    (
        "Officials said roughly 900 to 1,000 American troops remain in Syria.",
        [("Syria", 900, 900, 1000, "about")],
    ),
    ("There are 2,500 American service members in Iraq.", [("Iraq", 2500, None, None, "exact")]),
    ("Up to 350 US advisers will stay at Ain al-Asad.", [("Iraq", 350, None, None, "up_to")]),
    (
        "Officials told the paper that the number of U.S. forces in Iraq fell from about 2,500 to fewer than 1,100.",
        [("Iraq", 1100, None, None, "fewer_than")],
    ),
    ("The United States keeps two thousand soldiers in Syria, officials say.", [("Syria", 2000, None, None, "exact")]),
    (
        "The US presence in Syria is shrinking. About 1,500 American troops remain there.",
        [("Syria", 1500, None, None, "about")],
    ),
    (
        "Approximately 2,500 American troops in Iraq and 900 in Syria, the Pentagon said.",
        [("Iraq", 2500, None, None, "about"), ("Syria", 900, None, None, "about")],
    ),
    (
        "The general said the US would reduce its troop presence in Iraq from about 5,200 to 3,000 troops.",
        [("Iraq", 5200, None, None, "about")],
    ),
    (
        "Gen. Smith told reporters at the U.S. embassy that fewer than a thousand American soldiers are in Syria.",
        [("Syria", 1000, None, None, "fewer_than")],
    ),
]

NOT_FOUND = [
    "Some 5,000 Iraqi troops took part in the operation near Mosul.",
    "The Syrian army deployed 3,000 soldiers to Deir ez-Zor.",
    "About 10,000 Kurdish fighters and 2,000 SDF troops hold the northeast of Syria.",
    "Turkey has some 5,000 troops in northern Syria.",
    "Russia keeps about 4,000 troops in Syria at Hmeimim.",
    "Coalition partners kept roughly 1,000 troops at Erbil.",
    "2 US service members were wounded in the attack in Syria.",
    "Three American soldiers were killed in Jordan near the Syrian border.",
    "At least 34 U.S. troops suffered brain injuries in Iraq, the Pentagon said.",
    "The US spent $2,000 million on operations in Iraq.",
    "Congress approved $500 million for Syrian opposition forces.",
    "US troops have been in Syria since 2015 and in Iraq since 2014.",
    "In 2019, US forces left northern Syria.",
    "The US flew 200 aircraft sorties over Iraq last week.",
    "Iran fired 12 drones at US bases in Iraq.",
    "The US military has 8 bases in Syria.",
    "About 3,000 US troops are stationed in Jordan, and 13,500 in Kuwait.",
    "Bahrain hosts about 9,000 US military personnel.",
    "The US will send 200 more troops to Syria.",
    "The Pentagon said 446 US troops arrived in Iraq on Thursday.",
    "The US plans to withdraw 2,200 troops from Iraq.",
    "About 700 US troops are in Iraq and Syria combined.",
    "The operation began on March 20, 2003, with air strikes on Baghdad.",
    "The U.S. embassy in Baghdad was hit by 5 rockets.",
    "Some 900 families returned to Raqqa, Syria, the UN said.",
    "More than 5,700 IS detainees were moved to Iraq, US officials said.",
    "US aircraft struck 30 targets in Syria.",
    "The bill passed the Senate 77-20 and the House 312-112; it covers US forces in Syria.",
    "Iraqi officials said 250 coalition advisers left Baghdad.",
    "The attack on US forces in Syria involved 15 drones and 3 rockets.",
]


@pytest.mark.parametrize(("text", "expected"), FOUND)
def test_it_finds_the_figure_the_country_and_how_the_source_put_it(text, expected):
    found = [(c.country, c.troops, c.low, c.high, c.qualifier) for c in extract.extract(text)]
    assert found == expected, extract.extract(text)
    assert all(c.sentence in text and c.why for c in extract.extract(text))


@pytest.mark.parametrize("text", NOT_FOUND)
def test_it_leaves_out_other_forces_casualties_money_years_equipment_moves_and_other_countries(text):
    assert extract.extract(text) == []


def test_sentences_end_at_a_full_stop_but_not_after_an_abbreviation():
    text = 'Gen. Smith said U.S. troops stay. "About 900 remain," he said.\n\nA new paragraph'
    assert extract.sentences(text) == [
        "Gen. Smith said U.S. troops stay.",
        '"About 900 remain," he said.',
        "A new paragraph",
    ]


@pytest.mark.parametrize(
    ("words", "value"),
    [
        ("2,500", 2500),
        ("1.5 thousand", 1500),
        ("two thousand", 2000),
        ("a thousand", 1000),
        ("nine hundred", 900),
        ("two thousand five hundred", 2500),
        ("forty-five", 45),
        ("a", None),
        ("many", None),
    ],
)
def test_numbers_are_read_as_sources_write_them(words, value):
    assert extract.number_value(words) == value


def _record_quotes() -> list[tuple[dict, str]]:
    """Every row of data/troop_levels.csv whose note quotes its source, as the watcher would meet it: the
    article's title (the source's quoted title, or its address's words) and then the note."""
    levels = pd.read_csv(ROOT / "data" / "troop_levels.csv", dtype=str, keep_default_na=False)
    out = []
    for row in levels.to_dict("records"):
        if '"' not in row["note"]:
            continue
        titles = re.findall(r'"([^"]+)"', row["source"])
        slug = [p for p in row["url"].rstrip("/").split("/") if re.search(r"[a-z]-[a-z]", p)]
        title = titles[0] if titles else slug[-1].replace("-", " ").rsplit(".", 1)[0] if slug else ""
        out.append((row, f"{title}. {row['note']}" if title else row["note"]))
    return out


def test_on_the_records_own_quotes_it_finds_most_figures_and_few_false_ones():
    """Recall on the record's quotes and precision on the sentences above (figures printed for the note).
    The floors are today's results, kept from falling; the goal (95% recall) is not reached: many quotes
    are fragments ("the remaining 40,000", "nearly 162,000") that name no troops or no country."""
    quotes = _record_quotes()
    figure = whole = 0
    for row, text in quotes:
        found = {(c.country, c.troops, c.qualifier) for c in extract.extract(text)}
        figure += any((country, troops) == (row["country"], int(row["troops"])) for country, troops, _ in found)
        whole += (row["country"], int(row["troops"]), row["qualifier"]) in found
    false = sum(len(extract.extract(text)) for text in NOT_FOUND)
    print(
        f"record quotes: {len(quotes)}; country and figure: {figure}; with the qualifier: {whole}; "
        f"false candidates: {false} in {len(NOT_FOUND)} sentences"
    )
    assert len(quotes) == 62 and figure >= 38 and whole >= 31
    assert false * 20 <= len(NOT_FOUND)


def test_watch_extract_prints_one_json_object_per_candidate(tmp_path, capsys):
    article = tmp_path / "article.txt"
    article.write_text(
        "US troops in Syria.\nOfficials said roughly 900 to 1,000 American troops remain in Syria. "
        "Five Iraqi soldiers were hurt.",
        encoding="utf-8",
    )
    assert cli.main(["watch", "extract", str(article)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [json.loads(line) for line in lines] == [
        {
            "country": "Syria",
            "troops": 900,
            "low": 900,
            "high": 1000,
            "qualifier": "about",
            "sentence": "Officials said roughly 900 to 1,000 American troops remain in Syria.",
            "why": "roughly 900 to 1,000 American troops",
        }
    ]
    assert cli.main(["watch", "extract", str(tmp_path / "missing.txt")]) == 1
    assert "missing.txt" in capsys.readouterr().err
