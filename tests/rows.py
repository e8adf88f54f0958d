"""Rows the record's tests propose, written once: a new Syria figure from a Pentagon briefing, and a new Iraq
figure from Reuters on a day each test chooses."""

BRIEFING = {
    "date": "2026-11-30",
    "country": "Syria",
    "troops": "900",
    "low": "",
    "high": "",
    "qualifier": "fewer_than",
    "basis": "acknowledged",
    "source": "Pentagon press briefing",
    "url": "https://www.defense.gov/News/briefing",
    "note": "The spokesman said fewer than 900 remain.",
    "published": "2026-11-30",
    "corroboration": "official",
    "outlets": "1",
}


def erbil(day: str) -> dict[str, str]:
    """About 250 advisers in Erbil, reported by Reuters and published on `day`."""
    return {
        "date": day,
        "country": "Iraq",
        "troops": "250",
        "low": "",
        "high": "",
        "qualifier": "about",
        "basis": "reported",
        "source": "Reuters",
        "url": "https://www.reuters.com/world/iraq",
        "note": "About 250 advisers remain in Erbil.",
        "published": day,
        "corroboration": "single",
        "outlets": "1",
    }
