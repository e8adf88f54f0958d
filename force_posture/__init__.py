"""Force-posture dashboard: sourced US troop levels in Syria and Iraq."""

__version__ = "0.1.0"
