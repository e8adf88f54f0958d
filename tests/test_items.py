"""A watched source's items as plain text (watch/items.py): feeds, GDELT's answer and listing pages,
malformed and hostile ones included, and which items are worth reading for a figure."""

import datetime as dt
import json

import pytest

from force_posture.watch import items

RSS = b"""<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Releases</title>
<item><title>Statement on US forces in Syria</title><link>https://www.war.gov/News/Releases/1/</link>
<pubDate>Thu, 03 Dec 2026 15:00:00 GMT</pubDate>
<description>&lt;p&gt;About 900 U.S. troops remain in Syria.&lt;/p&gt;
&lt;script&gt;alert(1)&lt;/script&gt;</description></item>
<item><title>Contracts for Dec. 3, 2026</title><link>https://www.war.gov/News/Contracts/2/</link>
<description>Navy awards a contract.</description></item>
</channel></rss>"""


def test_a_feeds_entries_are_plain_text_with_their_day_and_only_some_are_relevant():
    statement, contracts = items.from_feed(RSS)
    assert statement.title == "Statement on US forces in Syria" and statement.published == dt.date(2026, 12, 3)
    assert statement.summary == "About 900 U.S. troops remain in Syria." and "alert" not in statement.summary
    assert (statement.relevant, contracts.relevant) == (True, False)


def test_a_malformed_feed_that_lists_nothing_is_said_in_words():
    with pytest.raises(items.ItemsError, match="the feed is not well-formed"):
        items.from_feed(b"not a feed <<< &&& ")
    with pytest.raises(items.ItemsError, match="the answer is not an RSS or Atom feed"):
        items.from_feed(b"<html><body>Error 503</body></html>")
    (partial,) = items.from_feed(b"<rss><channel><item><title>US troops in Iraq</title>")  # what can be read is
    assert partial.title == "US troops in Iraq"
    assert items.from_feed(b'<?xml version="1.0"?><rss version="2.0"><channel></channel></rss>') == []


def test_gdelts_answer_and_its_errors():
    answer = {
        "articles": [
            {
                "url": "https://example.org/a",
                "title": "US troops leave Iraq base",
                "seendate": "20261204T101500Z",
                "domain": "example.org",
            }
        ]
    }
    (one,) = items.from_gdelt(json.dumps(answer).encode())
    assert (one.link, one.published, one.relevant) == ("https://example.org/a", dt.date(2026, 12, 4), True)
    with pytest.raises(items.ItemsError, match="GDELT did not answer with JSON: Please limit requests"):
        items.from_gdelt(b"<html><body>Please limit requests to one every 5 seconds</body></html>")


def test_a_listing_page_in_windows_1252_gives_its_own_sites_links_as_text():
    page = (
        '<html><head><meta charset="windows-1252"><script>document.write("x")</script></head><body>'
        '<a href="/MEDIA/1/">CENTCOM statement on U.S. forces in Iraq \u2013 caf\u00e9</a>'
        '<a href="https://elsewhere.example/x">Elsewhere: troops in Syria</a>'
        '<a href="javascript:alert(1)">US troops in Syria</a></body></html>'
    ).encode("windows-1252")
    (link,) = items.from_page(page, "https://www.centcom.mil/MEDIA/PRESS-RELEASES/")
    assert link.link == "https://www.centcom.mil/MEDIA/1/"
    assert link.title == "CENTCOM statement on U.S. forces in Iraq \u2013 caf\u00e9" and link.relevant


def test_an_articles_text_keeps_its_words_and_drops_its_scripts_and_markup():
    html = "<h1>US forces</h1><p>About <b>2,500</b> troops remain.</p><script>steal()</script><style>p{}</style>"
    assert items.text_of(html) == "US forces\nAbout 2,500 troops remain."
