"""Finding the sentences that state a US troop level in Syria or Iraq, in any text (a feed item, an
article, a pasted paragraph): the watcher's reader and `force-posture watch extract` use this one function.

Pure and rule-based: a sentence gives a candidate when a number (digits or words: "2,500", "two
thousand", "a thousand") is a count of US troops (a troop word after it, "900 in Syria" beside one, or a
force level said to be at it) in Syria or Iraq (named nearest it in the sentence, else in the sentence
or headline before). It says how the source put the figure in the record's own qualifiers. It leaves out
other forces (Iraqi, Kurdish, coalition partners ...), casualties, money, years, equipment, increments
("200 more troops") and figures about other countries. Every candidate carries its whole sentence and
the words that matched, so an analyst sees why.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass

from force_posture.core import schema

ABBREVIATIONS = {
    *("u.s", "u.k", "u.n", "gen", "lt", "col", "maj", "sgt", "capt", "adm", "sen", "rep", "gov", "dr", "mr"),
    *("mrs", "ms", "st", "no", "vs", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct"),
    *("nov", "dec", "a.m", "p.m", "approx", "est", "inc", "corp", "sec", "dept"),
}
UNITS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
WORD = r"(?:a|an|" + "|".join(UNITS) + r"|hundred|thousand)"
NUMBER = (
    r"(?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?(?:\s+(?:thousand|hundred))?"
    rf"|(?:{WORD})(?:[\s-]+(?:and\s+)?(?:{WORD}))*(?=\s|$|[,.;:)]))"
)
QUALIFIERS = (
    ("fewer_than", r"fewer than|less than|under|below|no more than|not more than|<"),
    ("more_than", r"more than|over|upwards of|at least|in excess of|>"),
    ("up_to", r"up to|as many as|as high as|a maximum of|a cap of|capped at"),
    ("about", r"about|around|roughly|approximately|approx\.|some|nearly|almost|an estimated|estimated|close to|~"),
)
QUALIFIER = "|".join(f"(?P<{name}>{words})" for name, words in QUALIFIERS)
QUAL_ANY = "|".join(words for _, words in QUALIFIERS)
RANGE = r"(?:\s*(?:-|–|—|to|and)\s*)"
TROOP_WORDS = (
    r"troops?|soldiers|service\s*members|service\s*personnel|servicemen|personnel|forces|advis[eo]rs|marines"
    r"|commandos|boots on the ground|military"
)
BETWEEN_OK = (
    r"(?:(?:u\.s\.|us|american|united states|active|and|reserve|duty|military|ground|combat|special"
    r"|operations|army|armed|remaining|currently|deployed|stationed|uniformed)\s+)*"
)
INCREMENT = re.compile(r"^\s*(?:more|additional|extra|new|fresh|further|reinforcement)", re.I)
MOVED_BEFORE = re.compile(
    r"\b(?:withdrawn|withdraw|withdrew|pull(?:ed|ing)? out|sen[dt]|sending|add(?:ed|ing)?|deploy(?:ing)?|dispatch\w*"
    r"|cut(?:ting)?|reduc\w+ by|relocat\w+|mov(?:e|ed|ing))\s+(?:\w+\s+)?$",
    re.I,
)
MOVED_AFTER = re.compile(
    rf"^\s+{BETWEEN_OK}(?:{TROOP_WORDS})\s+(?:\w+\s+){{0,2}}?"
    r"(?:arriv\w*|head\w*|leav\w*|left|withdr\w*|pull\w* out|are being|were being|being)\b",
    re.I,
)
FOREIGN = re.compile(
    r"\b(?:iraqi|syrian|kurdish|turkish|russian|iranian|israeli|british|french|italian|german|jordanian"
    r"|kuwaiti|coalition|allied|partner|nato|peshmerga|sdf|regime|rebel|militia|(?-i:IS)|isis|islamic state"
    r"|opposition)\b",
    re.I,
)
HARM = re.compile(
    r"\b(?:killed|wounded|injur\w*|dead|died|deaths|casualt\w*|kia|hurt|missing|captured|suffer\w*|concussion\w*"
    r"|hospitali\w*)\b",
    re.I,
)
MONEY = re.compile(r"(?:\$|€|£)\s*$|^\s*(?:dollars|million|billion|usd|euros)\b", re.I)
US = re.compile(r"\b(?:U\.S\.?|US|USA|American|Americans|America's|United States|Pentagon|Washington)\b")
LEVEL = re.compile(
    r"\b(?:force|troop|forces|troops|personnel)\s+(?:levels?|presence|total|numbers?|footprint|strength|count)"
    r"|\b(?:number|total)\s+of\s+(?:u\.s\.\s+|us\s+|american\s+)?(?:troops|forces|soldiers|personnel)"
    r"|\btotal\s+(?:u\.s\.\s+|us\s+|american\s+)?(?:force|forces|troops)\b"
    r"|\b(?:the|its|our)\s+(?:force|total)\b|\b(?:authorized|troop|force|manning)\s+(?:level|cap|ceiling)"
    r"|\bforce management level",
    re.I,
)
NATIONS = re.compile(
    r"\b(?:turkey|turkish|russia|russian|iran|iranian|israel|israeli|britain|british|uk|france|french|italy"
    r"|italian|germany|german|jordan|jordanian|kuwait|kuwaiti|iraqi|syrian|kurdish|coalition|nato|allied)\b",
    re.I,
)
INTENT = re.compile(
    r"\b(?:to|will|would|plans? to|plan to|intends? to|aims? to|going to)\s+(?:\w+\s+){0,2}"
    r"(?:reduce|cut|lower|bring|draw|decrease|trim|shrink)\b|^\W*(?:reduce|cut|bring|draw)\b",
    re.I,
)
STATED = re.compile(
    rf"\b(?:{TROOP_WORDS})\b(?:\s+(?:in|inside)\s+(?:\w+\s+)?\w+)?,?\s+(?:number(?:s|ed|ing)?|total(?:s|l?ed|ling)?"
    rf"|stand(?:s)?\s+at|stood\s+at)\s+(?:(?:{QUAL_ANY})\s+)?$"
    rf"|\b(?:cut|cuts|cutting|reduc\w+|lower\w*|bring\w*|brought|draw\w*\s+down|trim\w*|shrink\w*|slash\w*)\s+"
    rf"(?:\S+\s+){{0,6}}?(?:{TROOP_WORDS})\b(?:\s+\S+){{0,4}}?\s+to\s+(?:(?:{QUAL_ANY})\s+)?$"
    rf"|\b(?:{TROOP_WORDS})\b(?:\s+\S+){{0,5}}?\s+(?:reduced|cut|lowered|(?:brought|drawn)\s+down|trimmed|fall(?:en|s)?"
    rf"|fell|dropp?(?:ed|s)?|declined?|shr[au]nk)\s+to\s+(?:(?:{QUAL_ANY})\s+)?$",
    re.I,
)
PLACES = {
    "Iraq": r"iraq|baghdad|erbil|irbil|ain al-asad|al-asad|harir|kurdistan region|iraqi kurdistan",
    "Syria": r"syria|hasakah|hassakeh|qasrak|al-tanf|tanf|shaddadi|rmelan|deir ez-zor|raqqa|kobani|manbij",
    "": r"middle east|persian gulf|gulf region|jordan|kuwait|bahrain|qatar|uae|emirates|saudi|afghanistan|turkey"
    r"|israel|germany|japan|korea|europe|poland|somalia|niger|yemen|lebanon|iran",
}
PLACE = re.compile("|".join(rf"(?P<p{i}>\b(?:{words})\b)" for i, words in enumerate(PLACES.values())), re.I)
COUNTRY_OF = dict(enumerate(PLACES))


@dataclass(frozen=True)
class Candidate:
    """A sentence that states a US troop level: the figure as the record keeps one, and why it matched."""

    country: str
    troops: int
    low: int | None
    high: int | None
    qualifier: str
    sentence: str
    why: str

    def as_dict(self) -> dict:
        return asdict(self)


def sentences(text: str) -> list[str]:
    """The text's sentences, whole: a full stop after an abbreviation ("U.S.", "Gen.") or inside a
    number does not end one; a line break does."""
    out = []
    for block in re.split(r"\n\s*\n|\r?\n(?=\s*[-•*#])|(?<=[^.!?:;,\s])\s*\r?\n", text):
        start = 0
        for m in re.finditer(r"[.!?]+[\"”’)\]]*\s+(?=[\"“(\[]?[A-Z0-9])", block):
            word = re.findall(r"([A-Za-z.]+)$", block[start : m.start()])
            if word and word[0].lower().rstrip(".") in ABBREVIATIONS:
                continue
            out.append(block[start : m.end()].strip())
            start = m.end()
        out.append(block[start:].strip())
    return [" ".join(s.split()) for s in out if s.strip()]


def number_value(words: str) -> int | None:
    """A number as a source writes it ("2,500", "1.5 thousand", "two thousand five hundred", "a
    thousand") as an integer; None if it is not one."""
    text = words.lower().replace(",", "").strip()
    if re.fullmatch(r"\d+(?:\.\d+)?(?:\s+(?:thousand|hundred))?", text):
        number, *scale = text.split()
        factor = {"thousand": 1000, "hundred": 100}.get(scale[0], 1) if scale else 1
        return round(float(number) * factor)
    total, current = 0, 0
    for word in re.split(r"[\s-]+", text):
        if word in ("a", "an"):
            current = max(current, 1)
        elif word in UNITS:
            current += UNITS[word]
        elif word == "hundred":
            current = max(current, 1) * 100
        elif word == "thousand":
            total, current = total + max(current, 1) * 1000, 0
        elif word != "and":
            return None
    value = total + current
    return value if value > 1 or words.strip().lower() not in ("a", "an") else None


def _places(sentence: str) -> list[tuple[int, str]]:
    """(position, country) of every place named: Syria, Iraq, or "" for another country."""
    return [(m.start(), COUNTRY_OF[int(m.lastgroup[1:])]) for m in PLACE.finditer(sentence)]


def _country(sentence: str, at: int, before: str) -> str:
    """The country a figure at `at` is about: the place named nearest after it (within 60 characters),
    else the nearest before it, else the last one the text before named; "" for another country."""
    places = _places(sentence)
    after = [(p - at, c) for p, c in places if 0 <= p - at <= 60]
    if after:
        return min(after)[1]
    earlier = [(at - p, c) for p, c in places if p < at]
    if earlier:
        return min(earlier)[1]
    if places:
        return places[0][1]
    named = [c for _, c in _places(before)]
    return named[-1] if named else ""


def _qualifier(prefix: str) -> tuple[str, str]:
    """The record's qualifier for the words just before a figure, and those words ("exact", "")."""
    m = re.search(rf"(?:{QUALIFIER})\s*(?:the\s+|a\s+)?$", prefix, re.I)
    if not m:
        return "exact", ""
    return next(name for name, _ in QUALIFIERS if m.group(name)), m.group(0).strip()


FIGURE = re.compile(
    rf"(?<![\w$€£.,-])(?P<first>{NUMBER})(?:{RANGE}(?:(?:{QUAL_ANY})\s+)?(?P<second>{NUMBER}))?(?![\w%])(?:-ish)?",
    re.I,
)


@dataclass(frozen=True)
class Figure:
    """A number, or a range, in a sentence: its words and where it stands."""

    first: str
    second: str | None
    start: int
    end: int


def _figures(sentence: str) -> Iterator[Figure]:
    """Each figure; "from 2,500 to fewer than 1,100" is a change, two figures, not a range."""
    for m in FIGURE.finditer(sentence):
        first, second = m.group("first"), m.group("second")
        if second and re.search(r"\bfrom\s+(?:[a-z~<>]+\s+){0,3}$", sentence[: m.start()], re.I):
            yield Figure(first, None, m.start("first"), m.end("first"))
            yield Figure(second, None, m.start("second"), m.end("second"))
        else:
            yield Figure(first, second, m.start(), m.end())


def _is_troops(sentence: str, m: Figure, before_text: str = "") -> str:
    """The words that make the figure a count of troops ("" if nothing does): a troop word after it, a
    place right after it in a sentence about troops, a force level said to be at it, or a bare figure
    said to be about so many ("approximately 2,000.") where this sentence or the one before is about US
    troops."""
    after = sentence[m.end :]
    noun = re.match(rf"[\"”’]?\s+{BETWEEN_OK}(?:{TROOP_WORDS})\b", after, re.I)
    if noun:
        return (sentence[m.start : m.end] + noun.group(0)).strip()
    pair = re.match(rf"\s+to\s+(?:(?:{QUAL_ANY})\s+)?{NUMBER}\s+{BETWEEN_OK}(?:{TROOP_WORDS})\b", after, re.I)
    if pair and re.search(r"\bfrom\s+(?:[a-z~<>]+\s+){0,3}$", sentence[: m.start], re.I):
        return (sentence[m.start : m.end] + pair.group(0)).strip()
    troopish = re.search(rf"\b(?:{TROOP_WORDS})\b", sentence, re.I)
    place = re.match(
        r"\s+(?:(?:others?|remain\w*|stay\w*|are|were|still|currently|stationed|deployed|based)\s+){0,2}"
        r"(?:in|inside|across)\s+(?:(?:neighbou?ring|north\w*|east\w*|south\w*|west\w*)\s+)?(syria|iraq)\b",
        after,
        re.I,
    )
    if troopish and place:
        return (sentence[m.start : m.end] + place.group(0)).strip()
    before = sentence[: m.start]
    level = LEVEL.search(before)
    ends = re.match(
        r"[\"”’]?\s*(?:[,.;:)]|$|in\b|troops?\b|currently\b|during\b|now\b|this\b|by\b|as of\b)", after, re.I
    )
    if (
        level
        and ends
        and re.search(r"(?:\bto|\bat|\bis|\bof|\bstands at|\bwas|:)\s*(?:[a-z~<>]+\s+){0,3}$", before, re.I)
    ):
        return sentence[level.start() : m.end].strip()
    stated = STATED.search(before)
    if stated:
        return sentence[stated.start() : m.end].strip()
    change = re.search(
        rf"\bfrom\s+(?:(?:{QUAL_ANY})\s+)?{NUMBER}\s+{BETWEEN_OK}(?:{TROOP_WORDS})\b[^.]{{0,40}}?\bto\s+(?:(?:{QUAL_ANY})\s+)?$",
        before,
        re.I,
    )
    if change:
        return sentence[change.start() : m.end].strip()
    bare = re.match(r"[\"”’]?\s*(?:[,.;:)—]|$)", after)
    said = re.search(rf"(?:(?:{QUAL_ANY})|\bremaining|\bstands? at|\bstood at)\s*$", before, re.I)
    context = f"{before_text} {sentence}"
    if bare and said and re.search(rf"\b(?:{TROOP_WORDS})\b", context, re.I) and US.search(context):
        return sentence[said.start() : m.end].strip()
    timeline = re.search(rf"\b(?:troops?|forces|level)\b[^:]{{0,60}}:\s*(?:(?:{QUAL_ANY})\s+)?$", before, re.I)
    if timeline and US.search(sentence):
        return sentence[timeline.start() : m.end].strip()
    return ""


def _excluded(sentence: str, m: Figure, value: int) -> bool:
    """Figures that are not a US troop level: money, years, other forces, casualties, increments."""
    before, after = sentence[: m.start], sentence[m.end :]
    if MONEY.search(before) or MONEY.search(after):
        return True
    if re.fullmatch(r"(?:19|20)\d\d", m.first) and not re.match(rf"\s+{BETWEEN_OK}(?:{TROOP_WORDS})\b", after, re.I):
        return True
    if (
        INCREMENT.match(after)
        or re.search(r"\b(?:another|additional)\s*$", before, re.I)
        and not re.match(r"\s+in\b", after)
    ):
        return True
    if (
        MOVED_BEFORE.search(before) and not re.search(r"\ball\s+(?:of\s+)?(?:\w+\s+){0,3}$", before, re.I)
    ) or MOVED_AFTER.match(after):
        return True  # troops moving ("withdraw 2,200 troops", "446 troops arrive"): a change, not a level
    if re.match(r"\s+(?:\w+\s+){0,3}?in\s+(?:both\s+)?(?:iraq\s+and\s+syria|syria\s+and\s+iraq)\b", after, re.I):
        return True  # one figure for both countries
    near = after[:60]
    if HARM.search(near) or HARM.search(before[-40:]):
        return True
    words = re.match(rf"\s+((?:[\w.'-]+\s+){{0,3}})(?:{TROOP_WORDS})\b", after, re.I)
    if FOREIGN.search(before[-30:] + " " + (words.group(1) if words else "")):
        return not US.search(before[-30:] + " " + (words.group(1) if words else ""))
    return value < 1


def _not_now(sentence: str, m: Figure) -> bool:
    """A figure that is one end of a change and not the level the sentence gives: "fell from about 2,500
    to fewer than 1,100" gives the second; "to reduce ... from about 5,200 to 3,000" the first (the second
    is a plan)."""
    before, after = sentence[: m.start], sentence[m.end :]
    intended = bool(INTENT.search(before))
    if re.search(r"\bfrom\s+(?:[a-z~<>]+\s+){0,3}$", before, re.I) and re.match(
        rf"\s*(?:\S+\s+){{0,6}}?to\s+(?:(?:{QUAL_ANY})\s+)?{NUMBER}", after, re.I
    ):
        return not intended
    ahead = re.search(
        rf"\bfrom\s+(?:(?:{QUAL_ANY})\s+)?{NUMBER}\s+(?:\S+\s+){{0,6}}?to\s+(?:(?:{QUAL_ANY})\s+)?$", before, re.I
    )
    return bool(ahead) and bool(INTENT.search(before[: ahead.start()]))


def extract(text: str) -> list[Candidate]:
    """Every sentence of `text` that states a US troop level in Syria or Iraq, one candidate per
    figure (a range is one), in the order they appear."""
    found: list[Candidate] = []
    said = sentences(text)
    for i, sentence in enumerate(said):
        before = " ".join(said[max(0, i - 2) : i])
        for m in _figures(sentence):
            low = number_value(m.first)
            high = number_value(m.second) if m.second else None
            if low is None or (high is not None and high < low):
                continue
            why = _is_troops(sentence, m, before)
            if not why or _excluded(sentence, m, low):
                continue
            if _not_now(sentence, m):
                continue
            if NATIONS.search(sentence) and not (US.search(sentence) or US.search(before)):
                continue
            country = _country(sentence, m.start, before)
            if country not in schema.COUNTRIES:
                continue
            qualifier, words = _qualifier(sentence[: m.start])
            if high is not None:
                qualifier = "about" if qualifier == "exact" else qualifier
            shared = [c for c in found if c.sentence == sentence]
            if qualifier == "exact" and shared and re.match(r"\S+\s+in\b", why):
                qualifier = shared[-1].qualifier  # "about 900 in Syria and another 2,500 in Iraq": about both
            candidate = Candidate(
                country, low, low if high else None, high, qualifier, sentence, f"{words} {why}".strip()
            )
            if candidate not in found:
                found.append(candidate)
    return found
