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


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Compiled voice guides go to a temporary cache, never the user's ~/.cache."""
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("xdg-cache"))


def copy_demo_brief(folder: Path, lang: str, *, extra: str = "", name: str | None = None) -> Path:
    """A demo brief copied out of the demo brand, so tests can change it.

    Speaker photos are left out: their paths are relative to the demo brand, and a
    brief may not point outside its own workspace.
    """
    import re

    text = (DEMO_BRIEFS / f"{lang}.yaml").read_text(encoding="utf-8")
    text = re.sub(r", photo: [^}]+", "", text)
    path = folder / (name or f"{lang}-brief.yaml")
    path.write_text(text + extra, encoding="utf-8")
    return path
