"""Helpers shared by the card tests (no tests here): a throw-away workspace with the demo brand.

The demo brand.yaml and briefs do not name the logo or speaker photos yet, so
the workspace copy adds them (``logo: assets/logo.png``, ``photo:`` per
speaker), exactly the lines a brand owner would write.
"""

from __future__ import annotations

import re
import shutil
from datetime import datetime
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from toolkit.campaign.loader import load_campaign
from toolkit.cards.context import CardSource, campaign_source
from toolkit.cards.fonts import emoji_face, fontconfig_available, sorted_faces

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "brand" / "demo"
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Europe/Paris"))
LANGS = ("en", "fr", "es", "tr", "ja")
PHOTOS = ("../assets/speakers/ada-lovelace.png", "../assets/speakers/mateo-ruiz.png")


@cache
def _families(lang: str) -> tuple[str, ...]:
    return tuple(c.face.family for c in sorted_faces(lang, True))


def need_fonts() -> None:
    """Skip (naming the Debian packages) where the fonts the tests read are not installed."""
    if not fontconfig_available():
        pytest.skip("fontconfig (fc-match) is not installed: apt-get install fontconfig")
    if not any("CJK" in f for f in _families("ja")):
        pytest.skip("no CJK font: apt-get install fonts-noto-cjk")
    if not any(f.startswith("Noto Sans") for f in _families("en")):
        pytest.skip("no Noto Sans: apt-get install fonts-noto-core")


def need_emoji() -> None:
    need_fonts()
    if emoji_face() is None:
        pytest.skip("no colour emoji font: apt-get install fonts-noto-color-emoji")


def workspace(root: Path, *, brand_yaml: str | None = None, photos: bool = True) -> Path:
    """A workspace in ``root`` with a copy of the demo brand (logo and photos filled in)."""
    brand = root / "brand" / "demo"
    shutil.copytree(DEMO, brand)
    text = (DEMO / "brand.yaml").read_text(encoding="utf-8")
    text = text.replace("logo: null", "logo: assets/logo.png")
    (brand / "brand.yaml").write_text(brand_yaml or text, encoding="utf-8")
    if photos:
        for brief in (brand / "briefs").glob("*.yaml"):
            lines = brief.read_text(encoding="utf-8").splitlines(keepends=True)
            found = 0
            for i, line in enumerate(lines):
                speaker = re.match(r"(\s*- \{name: .*)\}(\s*)$", line)
                if speaker and "photo:" not in line and found < len(PHOTOS):
                    lines[i] = f"{speaker.group(1)}, photo: {PHOTOS[found]}}}{speaker.group(2)}"
                    found += 1
            brief.write_text("".join(lines), encoding="utf-8")
    return brand / "briefs"


def demo_sources(
    folder: Path, now: datetime, langs: tuple[str, ...] = ("en", "ja")
) -> dict[str, CardSource]:
    """The demo campaign's card sources per language, from a workspace made in ``folder``."""
    briefs = workspace(folder)
    return {
        lang: campaign_source(load_campaign(briefs / f"{lang}.yaml", now=now), now=now)
        for lang in langs
    }


def titled(source: CardSource, title: str) -> CardSource:
    """``source`` with another title: a new card over the same base."""
    context = {**source.context, "title": title}
    return CardSource(
        source.brand, source.locale, source.roots, context, source.present, source.origin
    )
