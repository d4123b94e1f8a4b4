from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

REPO = Path(__file__).resolve().parents[1]
DEMO_BRIEFS = REPO / "brand" / "demo" / "briefs"
# A fixed clock: golden files and countdowns must not depend on today's date.
FIXED_NOW = datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Europe/Paris"))

os.environ.setdefault("NO_COLOR", "1")


@pytest.fixture
def fixed_now() -> datetime:
    return FIXED_NOW
