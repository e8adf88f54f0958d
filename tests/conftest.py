import datetime as dt
from pathlib import Path

import pytest

from force_posture import data

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 24)  # fixed "today": every pure function takes it as an argument


@pytest.fixture(scope="session")
def ds() -> data.Dataset:
    return data.load()
