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


# Sentences as the wires and the Pentagon write them (a wider set than the quotes above): each gives
# at least this candidate.
PHRASINGS = [
    ("There are about 900 U.S. troops in Syria.", ("Syria", 900, "about")),
    ("The United States has roughly 2,500 troops in Iraq.", ("Iraq", 2500, "about")),
    ("Some 2,000 American soldiers are stationed in Syria.", ("Syria", 2000, "about")),
    ("U.S. forces in Syria number about 900.", ("Syria", 900, "about")),
    ("The U.S. military has about 2,500 personnel in Iraq.", ("Iraq", 2500, "about")),
    ("Nearly 1,000 American troops remain in Syria.", ("Syria", 1000, "about")),
    ("Washington keeps around 900 troops in northeastern Syria.", ("Syria", 900, "about")),
    (
        "The Pentagon said it would reduce the number of troops in Syria to fewer than 1,000.",
        ("Syria", 1000, "fewer_than"),
    ),
    ("About 2,000 U.S. troops are deployed to Syria, the Pentagon said Thursday.", ("Syria", 2000, "about")),
    ("The roughly 2,500 U.S. troops stationed in Iraq will move to Erbil.", ("Iraq", 2500, "about")),
    ("Approximately 2,500 U.S. troops remain in Iraq and 900 in Syria.", ("Syria", 900, "about")),
    ("Approximately 2,500 U.S. troops remain in Iraq and 900 in Syria.", ("Iraq", 2500, "about")),
    ("The US currently has 2,000 troops in Syria, Pentagon spokesman Pat Ryder said.", ("Syria", 2000, "exact")),
    (
        "Pentagon press secretary Maj. Gen. Pat Ryder said there are approximately 2,000 U.S. troops in Syria.",
        ("Syria", 2000, "about"),
    ),
    ("The U.S. has about 900 troops in Syria, most of them in the northeast.", ("Syria", 900, "about")),
    ("U.S. troop levels in Syria will drop to fewer than 1,000 in the coming months.", ("Syria", 1000, "fewer_than")),
    ("The American military presence in Iraq stands at about 2,500 troops.", ("Iraq", 2500, "about")),
    ("There are currently about 2,500 American service members in Iraq.", ("Iraq", 2500, "about")),
    ("The United States maintains a force of about 900 troops in Syria.", ("Syria", 900, "about")),
    ("Some 900 U.S. troops are deployed in Syria.", ("Syria", 900, "about")),
    ("The U.S. has kept roughly 900 troops in Syria to fight the Islamic State.", ("Syria", 900, "about")),
    ("Two thousand U.S. troops are in Syria, the Pentagon acknowledged.", ("Syria", 2000, "exact")),
    ("Officials said fewer than 1,000 U.S. troops would remain in Syria.", ("Syria", 1000, "fewer_than")),
    (
        "The U.S. military said it would consolidate its forces in Syria, bringing the total down to under 1,000.",
        ("Syria", 1000, "fewer_than"),
    ),
    (
        "The Pentagon will cut U.S. troops in Syria to fewer than 1,000, a defense official said.",
        ("Syria", 1000, "fewer_than"),
    ),
    ("Roughly 2,500 U.S. troops are in Iraq on a mission to advise and assist local forces.", ("Iraq", 2500, "about")),
    ("The U.S. has around 2,500 troops in Iraq and about 900 in neighboring Syria.", ("Syria", 900, "about")),
    ("The U.S. has around 2,500 troops in Iraq and about 900 in neighboring Syria.", ("Iraq", 2500, "about")),
    ("In Syria, the U.S. has about 900 troops.", ("Syria", 900, "about")),
    ("The U.S. military has roughly 1,400 troops in Syria, according to officials.", ("Syria", 1400, "about")),
    ("There were more than 5,000 American troops in Iraq at the time.", ("Iraq", 5000, "more_than")),
    (
        "About 2,000 U.S. service members are now in Syria, double the 900 previously acknowledged.",
        ("Syria", 2000, "about"),
    ),
    ("The US plans to keep about 1,000 troops in Syria.", ("Syria", 1000, "about")),
    ("The U.S. withdrew from bases in Syria, leaving about 1,400 troops in the country.", ("Syria", 1400, "about")),
    ("U.S. Central Command said approximately 2,000 American troops were in Syria.", ("Syria", 2000, "about")),
    ("America has about two thousand troops in Syria.", ("Syria", 2000, "about")),
    ("The number of U.S. troops in Iraq is expected to fall to about 2,000 by September.", ("Iraq", 2000, "about")),
    ("Some 2,500 U.S. military personnel are in Iraq under an agreement with Baghdad.", ("Iraq", 2500, "about")),
    ("The U.S. maintains about 900 troops in Syria. They work with the SDF.", ("Syria", 900, "about")),
    ("The U.S. deployment in Syria is about 900 troops.", ("Syria", 900, "about")),
    ("U.S. forces in Iraq: about 2,500.", ("Iraq", 2500, "about")),
    ("Syria. The U.S. has about 900 troops there.", ("Syria", 900, "about")),
    ("The Pentagon has reduced its footprint in Syria to about 1,500 troops.", ("Syria", 1500, "about")),
    ("The U.S. now has fewer than 1,000 troops in Syria, officials said.", ("Syria", 1000, "fewer_than")),
    ("Between 900 and 1,000 U.S. troops are in Syria.", ("Syria", 900, "about")),
    ("The US has 900-1,000 troops in Syria.", ("Syria", 900, "about")),
    (
        "The Lead IG reported approximately 2,500 U.S. military personnel in Iraq and 900 in Syria.",
        ("Syria", 900, "about"),
    ),
    (
        "The Lead IG reported approximately 2,500 U.S. military personnel in Iraq and 900 in Syria.",
        ("Iraq", 2500, "about"),
    ),
    (
        "The U.S. military footprint in Syria, about 2,000 troops, is larger than previously disclosed.",
        ("Syria", 2000, "about"),
    ),
    ("U.S. troops in Syria, numbering about 900, partner with the SDF.", ("Syria", 900, "about")),
    ("A contingent of about 900 U.S. troops in Syria guards oil fields.", ("Syria", 900, "about")),
    ("The 2,000 U.S. troops in Syria will be consolidated.", ("Syria", 2000, "exact")),
    ("The remaining 900 U.S. troops in Syria are at risk.", ("Syria", 900, "exact")),
    ("Militants attacked bases in Syria, where about 900 U.S. troops are based.", ("Syria", 900, "about")),
    ("Iraq, which hosts about 2,500 U.S. troops, has asked them to leave.", ("Iraq", 2500, "about")),
    ("U.S. to cut troops in Syria to under 1,000.", ("Syria", 1000, "fewer_than")),
    ("US troop presence in Syria down to 1,400, officials say.", ("Syria", 1400, "exact")),
    ("2,000 U.S. troops in Syria, Pentagon now says.", ("Syria", 2000, "exact")),
    ("U.S. has 2,000 troops in Syria, double what it said.", ("Syria", 2000, "exact")),
    ("Troop count in Syria at 2,000, Pentagon says.", ("Syria", 2000, "exact")),
    (
        "The United States has approximately 2,000 troops in Syria, not 900 as previously stated.",
        ("Syria", 2000, "about"),
    ),
    ("The U.S. military will reduce its presence in Syria to fewer than 1,000 troops.", ("Syria", 1000, "fewer_than")),
    ("Around 2,500 US soldiers are still in Iraq.", ("Iraq", 2500, "about")),
    ("There are just under 1,000 US troops in Syria.", ("Syria", 1000, "fewer_than")),
    ("Hegseth said the U.S. would keep fewer than 1,000 troops in Syria.", ("Syria", 1000, "fewer_than")),
    ("About 2,500 American troops are based in Iraq, mostly at Ain al-Asad and Erbil.", ("Iraq", 2500, "about")),
    (
        "The U.S. keeps some 2,500 troops in Iraq as part of the coalition against the Islamic State.",
        ("Iraq", 2500, "about"),
    ),
    ("Roughly 900 U.S. troops are in Syria alongside Kurdish-led forces.", ("Syria", 900, "about")),
    ("The US has more than 2,000 troops in Syria.", ("Syria", 2000, "more_than")),
    ("At its peak, the U.S. had about 170,000 troops in Iraq.", ("Iraq", 170000, "about")),
    ("In 2007, the United States had about 170,000 troops in Iraq.", ("Iraq", 170000, "about")),
    ("There were approximately 2,000 U.S. troops in Syria as of Dec. 19, Ryder said.", ("Syria", 2000, "about")),
    ("Syria: about 900 U.S. troops.", ("Syria", 900, "about")),
    (
        "The U.S. said it had about 2,000 service members in Syria — more than twice the 900 it had acknowledged.",
        ("Syria", 2000, "about"),
    ),
    ("The drawdown will leave fewer than 1,000 U.S. troops in Syria.", ("Syria", 1000, "fewer_than")),
    ("U.S. forces in Syria will be reduced to fewer than 1,000 over the coming months.", ("Syria", 1000, "fewer_than")),
    ("Iraq is home to roughly 2,500 U.S. troops.", ("Iraq", 2500, "about")),
    ("The number of American troops in Syria has fallen to about 1,000.", ("Syria", 1000, "about")),
]

# ...and none of these gives any.
NOT_FOUND_EITHER = [
    "Two U.S. service members were wounded in an attack in Syria.",
    "The U.S. spent $2,000 million on operations in Iraq.",
    "In 2019, Trump ordered troops out of Syria.",
    "Turkey has about 5,000 troops in northern Syria.",
    "Iraqi forces number about 300,000.",
    "The SDF has about 100,000 fighters in Syria.",
    "The U.S. has about 3,000 troops in Jordan.",
    "The U.S. flew 12 drones over Syria.",
    "The U.S. operates 8 bases in Syria.",
    "The Pentagon will send 200 more troops to Syria.",
    "About 500 troops will be withdrawn from Syria.",
    "Russia has about 4,000 troops in Syria.",
    "There are 40,000 U.S. troops in the Middle East.",
    "The coalition has about 80 members fighting ISIS in Iraq and Syria.",
    "Kurdish fighters, about 60,000 of them, hold northeast Syria.",
    "Around 1,000 ISIS detainees are held in camps in Syria guarded by U.S.-backed forces.",
    "The attack on al-Asad air base in Iraq injured 110 U.S. troops.",
    "The U.S. has about 2,500 troops in Kuwait, near Iraq.",
    "About 40 rockets hit the base in Iraq where U.S. troops are stationed.",
    "Roughly 900 Iraqi soldiers were deployed to Baghdad.",
    "The U.S. struck 75 targets in Syria.",
    "Some 10,000 civilians have fled the fighting in Syria, U.S. officials said.",
    "U.S. forces struck 15 ISIS targets in Syria.",
    "The Pentagon said 34 U.S. troops suffered traumatic brain injuries in Iraq.",
    "Three U.S. soldiers were killed in a drone attack in Jordan near the Syrian border.",
    "The U.S. carried out 35 airstrikes in Iraq and Syria.",
    "The U.S. will send 1,500 troops to the Middle East.",
    "The U.S. Army's 101st Airborne Division deployed to Iraq.",
    "The 82nd Airborne's 3,000 paratroopers deployed to Kuwait.",
    "Iraq's parliament voted 170 to 0 to expel U.S. troops.",
    "The U.S. has about 40,000 troops across the Middle East, including in Iraq and Syria.",
    "About 9,000 ISIS fighters are held in SDF prisons in Syria.",
    "More than 600 U.S. service members have died in Iraq since 2003.",
    "The U.S. operates about 10 bases in Syria.",
    "Turkish troops, some 3,000 of them, crossed into Syria.",
    "The U.S. gave $500 million in aid to Syria.",
    "Some 1,200 U.S. troops left Syria in 2019.",
    "The 2014 campaign against ISIS in Iraq began in August.",
    "Syrian government troops numbering 5,000 moved toward Deir ez-Zor.",
    "The U.S. withdrew 1,000 troops from Syria.",
    "The U.S. has 13,000 troops in Kuwait.",
    "About 60 U.S. troops were injured in rocket attacks in Iraq and Syria.",
]


@pytest.mark.parametrize(("text", "expected"), FOUND)
def test_it_finds_the_figure_the_country_and_how_the_source_put_it(text, expected):
    found = [(c.country, c.troops, c.low, c.high, c.qualifier) for c in extract.extract(text)]
    assert found == expected, extract.extract(text)
    assert all(c.sentence in text and c.why for c in extract.extract(text))


@pytest.mark.parametrize(("text", "expected"), PHRASINGS)
def test_it_finds_the_figure_however_a_wire_or_the_pentagon_phrases_it(text, expected):
    assert expected in [(c.country, c.troops, c.qualifier) for c in extract.extract(text)], extract.extract(text)


@pytest.mark.parametrize("text", NOT_FOUND + NOT_FOUND_EITHER)
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
    The floors are today's results, kept from falling; the goal (95% recall) is not reached on these: many
    quotes are fragments ("nearly 162,000", "May 2003 -- ...: 146,000") that name no troops or no country,
    and a row's qualifier is often the analyst's ("about" for a month-only figure the source gave exact)."""
    quotes = _record_quotes()
    figure = whole = 0
    for row, text in quotes:
        found = {(c.country, c.troops, c.qualifier) for c in extract.extract(text)}
        figure += any((country, troops) == (row["country"], int(row["troops"])) for country, troops, _ in found)
        whole += (row["country"], int(row["troops"]), row["qualifier"]) in found
    false = sum(len(extract.extract(text)) for text in NOT_FOUND + NOT_FOUND_EITHER)
    print(
        f"record quotes: {len(quotes)}; country and figure: {figure}; with the qualifier: {whole}; "
        f"false candidates: {false} in {len(NOT_FOUND + NOT_FOUND_EITHER)} sentences"
    )
    assert len(quotes) == 62 and figure >= 41 and whole >= 34
    assert false * 20 <= len(NOT_FOUND + NOT_FOUND_EITHER)


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
