"""Golden copy: the demo brief in five languages, every angle, every platform,
before the event and after it.

A change to a template or to fitting shows up here as a readable diff of the
copy a user would post. After checking the diff, refresh the files with
``TOOLKIT_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py``.
"""

from __future__ import annotations

import json
import os
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path

import pytest

import toolkit
from toolkit.campaign.facts import event_view
from toolkit.campaign.loader import Campaign
from toolkit.text.counting import count

from .conftest import DEMO_BRIEFS, FIXED_NOW

GOLDEN = Path(__file__).parent / "golden"
LANGS = ["en", "fr", "es", "tr", "ja"]
MOMENTS = ["before", "after"]


def _now(campaign: Campaign, moment: str) -> datetime:
    if moment == "before":
        return FIXED_NOW
    event = event_view(campaign)
    assert event is not None and event.ends is not None
    return event.ends + timedelta(days=1)


@cache  # both tests read the same copy: generated once per language and moment
def _generate(lang: str, moment: str) -> tuple[toolkit.Variant, ...]:
    campaign = toolkit.load_brief(DEMO_BRIEFS / f"{lang}.yaml", now=FIXED_NOW)
    return tuple(toolkit.generate(campaign, now=_now(campaign, moment), variants=10, seed=0))


def _golden_path(lang: str, moment: str) -> Path:
    return GOLDEN / (f"{lang}.json" if moment == "before" else f"{lang}-{moment}.json")


@pytest.mark.parametrize("moment", MOMENTS)
@pytest.mark.parametrize("lang", LANGS)
def test_demo_copy_matches_golden(lang: str, moment: str) -> None:
    produced = [v.to_json() for v in _generate(lang, moment)]
    golden = _golden_path(lang, moment)
    rendered = json.dumps(produced, ensure_ascii=False, indent=2) + "\n"
    if os.environ.get("TOOLKIT_UPDATE_GOLDEN"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(rendered, encoding="utf-8")
    expected = json.loads(golden.read_text(encoding="utf-8"))
    assert [(v["platform"], v["angle"]) for v in produced] == [
        (v["platform"], v["angle"]) for v in expected
    ]
    for got, want in zip(produced, expected, strict=True):
        assert got == want, f"{lang} {moment} {got['platform']}/{got['angle']} changed"


@pytest.mark.parametrize("moment", MOMENTS)
@pytest.mark.parametrize("lang", LANGS)
def test_demo_copy_is_within_limits_in_every_language(lang: str, moment: str) -> None:
    campaign = toolkit.load_brief(DEMO_BRIEFS / f"{lang}.yaml", now=FIXED_NOW)
    variants = _generate(lang, moment)
    platforms = {v.platform for v in variants}
    assert platforms == set(campaign.platforms)
    for v in variants:
        rules = campaign.platforms[v.platform].rules()
        assert v.locale == campaign.brief.locale
        for part in v.parts:
            assert 0 < count(part, rules) <= v.limit
        if v.title is not None:
            assert v.title_limit is not None and 0 < len(v.title) <= v.title_limit
        # Noncharacter markers from the fitter never leak into copy.
        assert not any("\ufdd0" <= c <= "\ufdef" for c in v.text)
        assert "None" not in v.text, f"{v.platform}/{v.angle} printed a missing value"
    # Every platform offers at least four angles before the event and three after it
    # (key points, checklist, question, quote, replay: nothing that asks to register).
    per_platform = {p: sum(v.platform == p for v in variants) for p in platforms}
    assert min(per_platform.values()) >= (6 if moment == "before" else 5), per_platform
