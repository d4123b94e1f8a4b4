"""Golden copy: the demo brief in five languages, every angle, every platform.

A change to a template or to fitting shows up here as a readable diff of the
copy a user would post. After checking the diff, refresh the files with
``TOOLKIT_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import toolkit
from toolkit.text.counting import count

from .conftest import DEMO_BRIEFS, FIXED_NOW

GOLDEN = Path(__file__).parent / "golden"
LANGS = ["en", "fr", "es", "tr", "ja"]


def _generate(lang: str) -> list[dict[str, object]]:
    campaign = toolkit.load_brief(DEMO_BRIEFS / f"{lang}.yaml")
    variants = toolkit.generate(campaign, now=FIXED_NOW, variants=10, seed=0)
    return [v.to_json() for v in variants]


@pytest.mark.parametrize("lang", LANGS)
def test_demo_copy_matches_golden(lang: str) -> None:
    produced = _generate(lang)
    golden = GOLDEN / f"{lang}.json"
    rendered = json.dumps(produced, ensure_ascii=False, indent=2) + "\n"
    if os.environ.get("TOOLKIT_UPDATE_GOLDEN"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(rendered, encoding="utf-8")
    expected = json.loads(golden.read_text(encoding="utf-8"))
    assert [(v["platform"], v["angle"]) for v in produced] == [
        (v["platform"], v["angle"]) for v in expected
    ]
    for got, want in zip(produced, expected, strict=True):
        assert got == want, f"{lang} {got['platform']}/{got['angle']} changed"


@pytest.mark.parametrize("lang", LANGS)
def test_demo_copy_is_within_limits_in_every_language(lang: str) -> None:
    campaign = toolkit.load_brief(DEMO_BRIEFS / f"{lang}.yaml")
    variants = toolkit.generate(campaign, now=FIXED_NOW, variants=10, seed=0)
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
    # Every platform offers at least four angles for a full brief.
    per_platform = {p: sum(v.platform == p for v in variants) for p in platforms}
    assert min(per_platform.values()) >= 4, per_platform
