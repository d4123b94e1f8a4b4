"""Hashtags and UTM links, from YAML cases."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from toolkit.campaign.brief import Utm
from toolkit.campaign.links import with_utm
from toolkit.text.casing import lower, upper
from toolkit.text.hashtags import hashtag_list, to_hashtag

from .conftest import yaml_data

DATA = Path(__file__).parent / "data"
HASHTAGS = yaml_data((DATA / "hashtags.yaml").read_text(encoding="utf-8"))
UTM = yaml_data((DATA / "utm.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize(("phrase", "locale", "expected"), HASHTAGS)
def test_hashtag(phrase: str, locale: str, expected: str | None) -> None:
    assert to_hashtag(phrase, locale) == expected


def test_hashtags_are_deduplicated_case_insensitively_and_capped() -> None:
    tags = hashtag_list(["social media", "#SocialMedia", "SOCIALMEDIA", "ROI", "Data"], "en", 2)
    assert tags == ["#SocialMedia", "#ROI"]


@pytest.mark.parametrize("case", UTM, ids=[c["expect"] for c in UTM])
def test_utm(case: dict[str, Any]) -> None:
    utm = Utm(**case["utm"]) if case["utm"] is not None else None
    result = with_utm(case["url"], case["source"], utm, case.get("content"))
    assert result == case["expect"]
    # Still a link a browser and a scheduler accept: no spaces, one query, same host.
    parts = urlsplit(result)
    assert " " not in result
    assert parts.hostname == urlsplit(case["url"]).hostname
    assert dict(parse_qsl(parts.query))["utm_source"] == case["source"]


@pytest.mark.parametrize(
    ("text", "locale", "up", "low"),
    [
        ("istanbul", "tr-TR", "İSTANBUL", "istanbul"),
        ("IŞIK", "tr", "IŞIK", "ışık"),
        ("İzmir", "en", "İZMIR", "izmir"),
        ("straße", "de", "STRASSE", "straße"),
    ],
)
def test_locale_casing(text: str, locale: str, up: str, low: str) -> None:
    assert upper(text, locale) == up
    assert lower(text, locale) == low
