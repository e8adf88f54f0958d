"""The watched sources list (watch/sources.py): the shipped one, an operator's own, and every mistake
in one in plain words."""

import datetime as dt

import pytest

from force_posture.watch import sources

HEADER = "name,kind,url,countries,every_minutes,official,documented_at\n"


def test_the_shipped_list_names_the_official_feeds_and_a_press_search():
    shipped = sources.load()
    assert {s.kind for s in shipped} == {"rss", "page", "gdelt"}
    assert all(s.url.startswith("https://") and s.every >= sources.SHORTEST for s in shipped)
    gdelt = next(s for s in shipped if s.kind == "gdelt")
    assert (gdelt.official, gdelt.basis, gdelt.countries) == (False, "reported", ("Syria", "Iraq"))
    assert next(s for s in shipped if s.name == "Pentagon releases").basis == "acknowledged"
    assert next(s for s in shipped if "Inspector General" in s.name).every == dt.timedelta(days=7)


def test_an_operators_file_is_the_list_when_the_setting_names_it(tmp_path, monkeypatch):
    own = tmp_path / "mine.csv"
    own.write_text(HEADER + "Local feed,rss,http://127.0.0.1:9/feed.xml,Iraq,15,no,\n", encoding="utf-8")
    monkeypatch.setenv("FORCE_POSTURE_WATCH_FILE", str(own))
    (only,) = sources.load()
    assert (only.name, only.countries, only.every) == ("Local feed", ("Iraq",), dt.timedelta(minutes=15))
    now = dt.datetime(2026, 12, 5, 12, 0, tzinfo=dt.UTC)
    assert only.due(None, now) and only.due(now - dt.timedelta(minutes=15), now)
    assert not only.due(now - dt.timedelta(minutes=14), now)


def test_every_mistake_in_the_list_is_named_by_row_and_column():
    bad = (
        HEADER
        + ",blog,ftp://example.org/x,Jordan,5,maybe,\n"
        + "Twice,rss,https://example.org/a,Syria,60,yes,\n"
        + "Twice,rss,https://example.org/b,Syria,60,yes,\n"
    )
    with pytest.raises(sources.SourcesError) as err:
        sources.parse(bad, "mine.csv")
    assert str(err.value).splitlines() == [
        "mine.csv row 2, column 'name': is empty; give the source a short name.",
        "mine.csv row 2, column 'kind': 'blog' is not one of rss, atom, page, gdelt.",
        "mine.csv row 2, column 'url': 'ftp://example.org/x' is not an http:// or https:// address.",
        "mine.csv row 2, column 'countries': 'Jordan': write Syria, Iraq or Syria;Iraq.",
        "mine.csv row 2, column 'every_minutes': '5': write whole minutes, 15 or more.",
        "mine.csv row 2, column 'official': 'maybe': write yes (a government publishes it) or no.",
        "mine.csv: the name 'Twice' is used twice; each source needs its own.",
    ]
    with pytest.raises(sources.SourcesError, match="the header must be name,kind,url,countries,every_minutes"):
        sources.parse("name,url\nx,https://example.org\n")
