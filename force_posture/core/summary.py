"""The one place that reads the record: the latest figure, the peak, the targets, the deadlines, and
the words every chart and slide carries (title, as-of line, source line), plus plain-text
descriptions of the charts.

Pure functions: frames and "today" in, small frozen dataclasses or strings out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from force_posture.core import memo
from force_posture.core.data import COUNTRIES, fmt_day, format_level
from force_posture.core.style import BASIS_LEGEND
from force_posture.core.view import COUNTER_IS_START

STALE_AFTER_DAYS = 60
BOUNDS = ("fewer_than", "more_than", "up_to")  # qualifiers that bound a level rather than state it
PEAK_ERA_START = pd.Timestamp(COUNTER_IS_START)  # "the peak" is the counter-IS campaign's unless asked
SOURCE_LINE = (
    "Source: US DoD statements and press reports, every point cited on the Sources page · "
    "compiled by the force-posture dashboard · US military personnel only"
)
SOURCE_HOVER = "Source: US DoD and press reports · hover a point, line, shading or ▲ for what it is and its source"


@dataclass(frozen=True)
class Latest:
    country: str
    date: pd.Timestamp
    text: str  # "about 900 to about 1,000"
    low: int
    high: int
    bases: tuple[str, ...]
    sources: tuple[str, ...]
    age_days: int
    bounded: bool = False  # a source gives it as a bound (fewer than, more than, up to), not a level
    sure: str = ""  # how it is corroborated, in words: "official", "confirmed by 4 outlets", "single source"
    firmer: str = ""  # when it is single-source: the latest official or confirmed figure before it, in words
    firmer_brief: str = ""  # the same in a few words, for the headline ("confirmed before: about 2,500")

    @property
    def stale(self) -> bool:
        return self.age_days > STALE_AFTER_DAYS

    @property
    def stale_note(self) -> str:
        if not self.stale:
            return ""
        return (
            f"No newer sourced figure exists: the latest is {self.age_days} days old "
            f"({fmt_day(self.date)}). Nothing after it is extrapolated."
        )


@dataclass(frozen=True)
class Peak:
    country: str
    troops: int
    text: str  # "about 2,000"
    firsts: tuple[tuple[str, pd.Timestamp], ...]  # (basis, first date at the peak)
    bounded: bool = False  # given as a bound (fewer than, more than, up to), not a level

    @property
    def story(self) -> str:
        return "; ".join(f"{basis} {d:%b %Y}" for basis, d in self.firsts)


@dataclass(frozen=True)
class DeadlineStatus:
    label: str
    date: pd.Timestamp
    country: str
    days: int  # negative: passed

    @property
    def status(self) -> str:
        if self.days < 0:
            n = -self.days
            return f"passed on {fmt_day(self.date)} ({n} day{'s' if n != 1 else ''} ago)"
        if self.days == 0:
            return "today"
        return f"in {self.days} day{'s' if self.days != 1 else ''} ({fmt_day(self.date)})"


def latest_day(levels: pd.DataFrame, country: str) -> pd.Timestamp | None:
    """The day of a country's most recent sourced figure, caps excluded (`latest`'s date), or None."""
    dates = levels.loc[(levels["country"] == country) & (levels["basis"] != "authorized"), "date"]
    return dates.max() if len(dates) else None


def latest(levels: pd.DataFrame, country: str, today: dt.date) -> Latest | None:
    """The most recent sourced figure(s), excluding caps: several on one day give a range."""
    df = levels[(levels["country"] == country) & (levels["basis"] != "authorized")]
    if not len(df):
        return None
    day = df["date"].max()
    rows = df[df["date"] == day].sort_values("troops", kind="stable")
    # the range's ends: the lowest and the highest figure, each as its first source words it
    ends = (rows.iloc[0], rows[rows["troops"] == rows["troops"].max()].iloc[0])
    texts = list(dict.fromkeys(format_level(int(r["troops"]), str(r["qualifier"])) for r in ends))
    sure = sureness(rows)
    firmer = _firmer(df[df["date"] < day]) if sure == SINGLE else ("", "")
    return Latest(
        country=country,
        date=day,
        text=" to ".join(texts),
        low=int(rows["troops"].min()),
        high=int(rows["troops"].max()),
        bases=tuple(dict.fromkeys(str(b) for b in rows["basis"])),
        sources=tuple(dict.fromkeys(rows["source"])),
        age_days=(pd.Timestamp(today) - day).days,
        bounded=any(str(r["qualifier"]) in BOUNDS for r in ends),  # as the figure's words give it
        sure=sure,
        firmer=firmer[0],
        firmer_brief=firmer[1],
    )


SINGLE = "single source"


def sureness(rows: pd.DataFrame) -> str:
    """How a figure given by these rows (one day's) is corroborated, in words: 'official' where a government
    states it, else 'confirmed by N outlets' (the most any row counts), else 'single source'."""
    how = set(rows["corroboration"].astype(str))
    if "official" in how:
        return "official"
    if "confirmed" in how:
        return f"confirmed by {int(rows['outlets'].max())} outlets"
    return SINGLE


def _firmer(earlier: pd.DataFrame) -> tuple[str, str]:
    """The latest official or confirmed figure among `earlier` rows, in words ("" if there is none),
    and briefly: ("about 2,500 (confirmed by 3 outlets, 1 May 2025)", "confirmed before: about 2,500")."""
    firm = earlier[earlier["corroboration"].astype(str) != "single"]
    if not len(firm):
        return "", ""
    day = firm["date"].max()
    rows = firm[firm["date"] == day].sort_values("troops", kind="stable")
    texts = " to ".join(dict.fromkeys(format_level(int(r.troops), str(r.qualifier)) for r in rows.itertuples()))
    sure = sureness(rows)
    return f"{texts} ({sure}, {fmt_day(day)})", f"{sure.split(' by ')[0]} before: {texts}"


def corroboration_words(row: dict) -> str:
    """One point's or milestone's corroboration for its hover and its table row."""
    how, n = str(row.get("corroboration", "")), row.get("outlets")
    count = "" if n is None or pd.isna(n) else f"{int(n)} outlet{'s' if int(n) != 1 else ''}"
    if how == "official":
        return f"Corroboration: official (a government states it{'; ' + count + ' cited' if count else ''})"
    if how == "confirmed":
        return f"Corroboration: confirmed by {count} (independent)"
    return "Corroboration: single source (one outlet)"


def headline_sureness(lat: Latest) -> str:
    """What the headline says under a latest figure: how sure it is, and where it is single-source, the
    latest firmer figure before it ("single source · latest confirmed: about 2,500 (...)")."""
    if lat.sure != SINGLE or not lat.firmer:
        return lat.sure
    return f"{SINGLE} · before it, {lat.firmer}"


def peak(
    levels: pd.DataFrame, country: str, since: pd.Timestamp = PEAK_ERA_START, until: pd.Timestamp | None = None
) -> Peak | None:
    """The highest figure from `since` to before `until` (caps excluded) and the first date each
    basis gave it."""
    df = levels[(levels["country"] == country) & (levels["basis"] != "authorized") & (levels["date"] >= since)]
    if until is not None:
        df = df[df["date"] < until]
    if not len(df):
        return None
    top = int(df["troops"].max())
    at = df[df["troops"] == top].sort_values("date")
    firsts = tuple((str(b), g["date"].min()) for b, g in at.groupby("basis", observed=True, sort=False))
    firsts = tuple(sorted(firsts, key=lambda t: t[1]))
    official = tuple(f for f in firsts if f[0] in ("acknowledged", "disclosed"))
    firsts = official or firsts  # the official story when there is one, else what the press said
    said = str(at.iloc[0]["qualifier"])
    return Peak(country, top, format_level(top, said), firsts, bounded=said in BOUNDS)


def peak_change(country: str, lat: Latest, pk: Peak) -> str:
    """The headline's change from the peak in words: 'Syria -1,000 to -1,100 (-50% to -55%), from about
    2,000 (acknowledged Dec 2017)'; where either end is a bound, the two figures as the sources word them
    ('Iraq to fewer than 1,100, from 8,892 (...)') and no difference: arithmetic on a bound would state
    an exact change nobody gave."""
    if lat.bounded or pk.bounded:
        return f"{country} to {lat.text}, from {pk.text} ({pk.story})"
    return f"{country} {change_from_peak(lat, pk).removesuffix(' from the peak')}, from {pk.text} ({pk.story})"


def change_from_peak(lat: Latest, pk: Peak) -> str:
    """'-1,000 to -1,100 (-50% to -55%) from the peak'."""
    lo, hi = lat.high - pk.troops, lat.low - pk.troops
    pct = [round(100 * d / pk.troops) for d in (lo, hi)]

    def signed(n: int, unit: str = "") -> str:  # "-1,000", "+50", "0" (no sign on nothing)
        return f"{n:+,}{unit}" if n else f"0{unit}"

    if lo == hi:
        return f"{signed(lo)} ({signed(pct[0], '%')}) from the peak"
    return f"{signed(lo)} to {signed(hi)} ({signed(pct[0], '%')} to {signed(pct[1], '%')}) from the peak"


def _first(start: dt.date) -> str:
    return f"{start.year}" if (start.month, start.day) == (1, 1) else f"{start:%b %Y}"


def shown_period(start: dt.date, end: dt.date, today: dt.date) -> str:
    """What a chart shows, in words: 'from 2014 to today', 'from Dec 2025 to today', 'from Jan 2010 to
    Dec 2012' (`end` is the first day not shown)."""
    last = end - dt.timedelta(days=1)
    return f"from {_first(start)} to " + ("today" if last >= today else f"{last:%b %Y}")


def peak_period(start: dt.date, end: dt.date, today: dt.date) -> str:
    """The span 'the peak' is taken over, in words: 'since 2014', 'since Dec 2025', 'from Jan 2010 to Dec 2012'."""
    words = shown_period(start, end, today)
    return f"since {_first(start)}" if words.endswith(" to today") else words


def deadlines(milestones: pd.DataFrame, today: dt.date, countries: tuple[str, ...] = COUNTRIES) -> list[DeadlineStatus]:
    df = milestones[(milestones["kind"] == "deadline") & milestones["country"].isin([*countries, "Both"])]
    return [
        DeadlineStatus(str(r.label), r.date, str(r.country), (r.date - pd.Timestamp(today)).days)
        for r in df.itertuples()
    ]


@dataclass(frozen=True)
class Target:
    """An announced target level (a milestone of kind target), as the editorial data chose it."""

    country: str
    value: int
    date: pd.Timestamp
    label: str
    source: str


@memo.per_object(kept=16)
def _targets(milestones: pd.DataFrame, role: str) -> tuple[Target, ...]:
    """The targets of a role, kept per milestones frame (a record's is shared and never changed): a chart
    asks three times, its words and headline again."""
    rows = milestones[milestones[role]]
    return tuple(Target(str(r.country), int(r.value), r.date, str(r.label), str(r.source)) for r in rows.itertuples())


def headline_target(milestones: pd.DataFrame) -> Target | None:
    """The target drawn as a line on the charts and shown in the headline (data/editorial.csv)."""
    found = _targets(milestones, "headline_target")
    return found[0] if found else None


def comparison_targets(milestones: pd.DataFrame) -> dict[str, Target]:
    """Per country, the target a scenario's "first date under the target" is measured against."""
    return {t.country: t for t in _targets(milestones, "comparison_target")}


def latest_dates(levels: pd.DataFrame, countries: tuple[str, ...]) -> dict[str, pd.Timestamp]:
    """The date of each country's latest sourced figure in the whole record (caps included)."""
    out = {}
    for c in countries:
        d = levels.loc[levels["country"] == c, "date"]
        if len(d):
            out[c] = d.max()
    return out


def as_of_line(levels: pd.DataFrame, countries: tuple[str, ...], today: dt.date, known: bool = False) -> str:
    """'As of 24 Nov 2026 · latest sourced figure: Syria 23 Feb 2026 · nothing after that is
    extrapolated' ('Record as known on 1 Jun 2025 · ...' for the record as it stood that day).
    `levels` is the whole record (as known then), never a window of it."""
    stamp = f"Record as known on {fmt_day(today)}" if known else f"As of {fmt_day(today)}"
    return f"{stamp} · latest sourced figure: {_coverage(levels, countries)} · nothing after that is extrapolated"


@memo.per_object(kept=16)
def _coverage(levels: pd.DataFrame, countries: tuple[str, ...]) -> str:
    """'Syria 23 Feb 2026, Iraq 1 Oct 2025', kept per record frame (shared, never changed): each of a chart's
    label passes words its footer again."""
    return ", ".join(f"{c} {fmt_day(d)}" for c, d in latest_dates(levels, countries).items())


def chart_title(countries: tuple[str, ...], start: dt.date, end: dt.date) -> str:
    """'US troops in Syria, 2014–2027' (`end` is the first day not shown)."""
    last = (end - dt.timedelta(days=1)).year
    years = f"{start.year}–{last}" if last > start.year else f"{start.year}"
    return f"US troops in {' and '.join(countries)}, {years}"


def disclosure_story(levels: pd.DataFrame, country: str) -> list[str]:
    """One sentence per disclosed figure: what was stated at the time, against what came out later."""
    df = levels[levels["country"] == country].sort_values("date")
    out = []
    for r in df[df["basis"] == "disclosed"].itertuples():
        before = df[(df["date"] <= r.date) & df["basis"].isin(["acknowledged", "reported"])]
        if not len(before):
            continue
        prior = before.iloc[-1]
        since = before[before["troops"] == prior["troops"]]["date"].min()
        out.append(
            f"{fmt_day(r.date)}: {format_level(int(r.troops), str(r.qualifier))} disclosed later "
            f"({r.source}), against {format_level(int(prior['troops']), str(prior['qualifier']))} "
            f"{prior['basis']} since {since:%b %Y}."
        )
    return out


def describe(
    levels: pd.DataFrame,
    milestones: pd.DataFrame,
    today: dt.date,
    countries: tuple[str, ...] = COUNTRIES,
    start: dt.date = COUNTER_IS_START,
    end: dt.date | None = None,
) -> str:
    """A plain-text description of the chart for screen readers and the 'describe' expander: what it
    shows from `start` to before `end` (default: past today), the peak taken over the same span."""
    end = end or today + dt.timedelta(days=1)
    parts = [f"Line chart of US troop levels in {' and '.join(countries)} {shown_period(start, end, today)}."]
    for c in countries:
        lat, pk = latest(levels, c, today), peak(levels, c, pd.Timestamp(start), pd.Timestamp(end))
        if lat is None:
            parts.append(f"{c}: no sourced figure.")
            continue
        said = f"{', '.join(lat.bases)}, {fmt_day(lat.date)}, {headline_sureness(lat)}"
        s = f"{c}: latest sourced figure {lat.text} ({said})"
        if pk is not None:
            s += f"; peak {peak_period(start, end, today)} {pk.text} ({pk.story})"
        parts.append(s + ".")
        if lat.stale:
            parts.append(lat.stale_note)
    tgt = headline_target(milestones)
    if tgt and tgt.country in countries:
        parts.append(f"Target: fewer than {tgt.value:,} in {tgt.country}, announced {fmt_day(tgt.date)}.")
    dls = deadlines(milestones, today, countries)
    if dls:
        parts.append("Deadlines: " + "; ".join(f"{d.label}, {d.status}" for d in dls) + ".")
        ahead = [d for d in dls if d.days >= 0]
        parts.append(f"Next deadline: {ahead[0].label}, {ahead[0].status}." if ahead else "No deadline ahead.")
    return " ".join(parts)


def alt_text(
    levels: pd.DataFrame,
    today: dt.date,
    countries: tuple[str, ...] = COUNTRIES,
    start: dt.date = COUNTER_IS_START,
    end: dt.date | None = None,
) -> str:
    """A short accessible name for the chart (the full description is in the expander below it)."""
    period = shown_period(start, end or today + dt.timedelta(days=1), today)
    parts = []
    for c in countries:
        lat = latest(levels, c, today)
        if lat is not None:
            parts.append(f"{c} latest {lat.text} ({fmt_day(lat.date)})")
    return (
        f"Chart of US troop levels in {' and '.join(countries)} {period}: {'; '.join(parts)}. "
        "A full description follows the chart."
    )


def latest_words(levels: pd.DataFrame, today: dt.date, countries: tuple[str, ...] = COUNTRIES) -> str:
    """Each country's latest sourced figure with its basis and date, for a link preview or a citation:
    'Latest sourced figures: Syria about 900 to about 1,000 (press estimate, 23 Feb 2026); Iraq ...
    Nothing after them is extrapolated.'"""
    parts = []
    for c in countries:
        lat = latest(levels, c, today)
        if lat is not None:
            bases = " and ".join(BASIS_LEGEND[b].lower() for b in lat.bases)
            parts.append(f"{c} {lat.text} ({bases}, {fmt_day(lat.date)}, {lat.sure})")
    if not parts:
        return "No sourced figure for this view."
    figures = "figures" if len(parts) > 1 else "figure"
    return f"Latest sourced {figures}: {'; '.join(parts)}. Nothing after that is extrapolated."


@dataclass(frozen=True)
class Reading:
    """What the headline says for some countries on a day (frozen, made of frozen parts): the app
    computes it once per day and shares it with every session."""

    latest: tuple[Latest | None, ...]
    peaks: tuple[Peak | None, ...]
    deadlines: tuple[DeadlineStatus, ...]
    target: Target | None
    peak_period: str  # the span the peaks are taken over, in words ("since 2014")


def reading(
    levels: pd.DataFrame,
    milestones: pd.DataFrame,
    countries: tuple[str, ...],
    today: dt.date,
    start: dt.date = COUNTER_IS_START,
    end: dt.date | None = None,
) -> Reading:
    """The headline's figures; the peaks are the highest from `start` to before `end` (the chart's span)."""
    end = end or today + dt.timedelta(days=1)
    return Reading(
        latest=tuple(latest(levels, c, today) for c in countries),
        peaks=tuple(peak(levels, c, pd.Timestamp(start), pd.Timestamp(end)) for c in countries),
        peak_period=peak_period(start, end, today),
        deadlines=tuple(deadlines(milestones, today, countries)),
        target=headline_target(milestones),
    )
