"""A lead as an analyst reads it and acts on it: its figure in words, its sentence with the figure
marked, whether the record already holds it, and the propose form's fields it fills."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from force_posture.core.data import fmt_day, format_level
from force_posture.store.watched import SAME_LEAD_DAYS, Lead


def heading(lead: Lead, known: bool) -> str:
    """'Syria: about 900 · 3 Dec 2026 · 2 outlets' (and '· already in the record')."""
    n = len(lead.outlets)
    said = f"{lead.country}: {format_level(lead.troops, lead.qualifier)} · {fmt_day(lead.day)} · "
    said += f"{n} outlet{'s' if n != 1 else ''}"
    return said + (" · already in the record" if known else "")


def marked(sentence: str, why: str) -> str:
    """The sentence as plain text with the words that matched between ⟦ and ⟧."""
    at = sentence.find(why) if why else -1
    return sentence if at < 0 else f"{sentence[:at]}⟦{why}⟧{sentence[at + len(why) :]}"


def in_record(lead: Lead, levels: pd.DataFrame) -> bool:
    """Whether the record holds this figure for the country within the lead's few days."""
    near = levels[
        (levels["country"] == lead.country)
        & (levels["troops"] == lead.troops)
        & ((levels["date"] - pd.Timestamp(lead.day)).abs() <= pd.Timedelta(days=SAME_LEAD_DAYS))
    ]
    return bool(len(near))


def corroboration(lead: Lead) -> tuple[str, int]:
    """How the lead's outlets corroborate it: official when a government source gave it, confirmed when
    two or more outlets did, else single; and how many outlets."""
    n = len(lead.outlets)
    if any(s["official"] for s in lead.sources):
        return "official", n
    return ("confirmed" if n >= 2 else "single"), n


def form_fields(lead: Lead) -> dict:
    """What the propose form starts from for this lead: the figure, its first source, the sentence as the
    quote; the analyst checks each and sends it."""
    first = lead.sources[0]
    how, n = corroboration(lead)
    published = first["published"]
    return {
        "date": lead.day.isoformat(),
        "country": lead.country,
        "troops": str(lead.troops),
        "low": "" if lead.low is None else str(lead.low),
        "high": "" if lead.high is None else str(lead.high),
        "qualifier": lead.qualifier,
        "basis": "acknowledged" if first["official"] else "reported",
        "source": f"{first['outlet']}: {first['title']}"[:200],
        "url": first["link"],
        "note": "",
        "published": published.isoformat() if isinstance(published, dt.date) else str(published),
        "corroboration": how,
        "outlets": str(n),
        "quote": first["sentence"],
        "reason": f"Lead {lead.id} from the watched sources ({', '.join(lead.outlets)})",
    }


def listing(found: list[Lead], levels: pd.DataFrame) -> list[dict]:
    """The leads as the API gives them: each as JSON-ready values, with whether the record holds it."""
    return [{**lead.as_dict(), "in_record": in_record(lead, levels)} for lead in found]
