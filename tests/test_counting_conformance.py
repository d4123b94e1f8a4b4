"""twitter-text's own conformance cases, run against toolkit.text.counting and toolkit.text.spans.

The YAML and JSON files are read from the shared conformance directory when the
tests are collected (never copied into this file): ``TOOLKIT_CONFORMANCE_DIR``
if set, else ``<workspace>/shared/conformance/twitter-text``. Every case is one
test, named after the group and its description.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from toolkit.text.counting import CountRules, TweetParse, WeightConfig, count, parse_tweet
from toolkit.text.spans import Span, cashtags, hashtags, mentions, urls


def _conformance_dir() -> Path:
    configured = os.environ.get("TOOLKIT_CONFORMANCE_DIR")
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parents[2] / "shared" / "conformance" / "twitter-text"


CONFORMANCE_DIR = _conformance_dir()
if not (CONFORMANCE_DIR / "validate.yml").is_file():
    pytest.skip(
        f"twitter-text conformance data not found in {CONFORMANCE_DIR} "
        "(set TOOLKIT_CONFORMANCE_DIR to the directory holding validate.yml)",
        allow_module_level=True,
    )

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
Case = dict[str, Any]


@cache
def _groups(filename: str) -> dict[str, list[Case]]:
    with (CONFORMANCE_DIR / filename).open(encoding="utf-8") as fh:
        tests: dict[str, list[Case]] = yaml.load(fh, Loader=_Loader)["tests"]
    return tests


@cache
def _config(filename: str) -> WeightConfig:
    data = json.loads((CONFORMANCE_DIR / filename).read_text(encoding="utf-8"))
    return WeightConfig.from_twitter_json(data)


def _cases(filename: str, groups: list[str], xfail: dict[str, str] | None = None) -> list[Any]:
    """One ``pytest.param(group, case)`` per case, id ``group: description``."""
    xfail = xfail or {}
    params = []
    for group in groups:
        for case in _groups(filename)[group]:
            description = case["description"]
            marks = []
            if description in xfail:
                marks.append(pytest.mark.xfail(reason=xfail[description], strict=True))
            params.append(pytest.param(group, case, id=f"{group}: {description}", marks=marks))
    return params


# ------------------------------------------------------------ weighted length

# Config used by the upstream test runners for each group (see the README).
WEIGHTED_GROUPS = {
    "WeightedTweetsCounterTest": "v2.json",
    "WeightedTweetsWithDiscountedEmojiCounterTest": "v3.json",
    "UnicodeDirectionalMarkerCounterTest": "v3.json",
}
FIELDS = {
    "weightedLength": "weighted_length",
    "valid": "valid",
    "permillage": "permillage",
    "displayRangeStart": "display_range_start",
    "displayRangeEnd": "display_range_end",
    "validRangeStart": "valid_range_start",
    "validRangeEnd": "valid_range_end",
}


def test_weighted_groups_are_all_there() -> None:
    sizes = {group: len(_groups("validate.yml")[group]) for group in WEIGHTED_GROUPS}
    assert sizes == {
        "WeightedTweetsCounterTest": 20,
        "WeightedTweetsWithDiscountedEmojiCounterTest": 22,
        "UnicodeDirectionalMarkerCounterTest": 2,
    }


@pytest.mark.parametrize(("group", "case"), _cases("validate.yml", list(WEIGHTED_GROUPS)))
def test_parse_tweet(group: str, case: Case) -> None:
    config = _config(WEIGHTED_GROUPS[group])
    result = parse_tweet(case["text"], config)
    expected = case["expected"]
    assert set(expected) == set(FIELDS), "all seven parseTweet fields are checked"
    assert {key: getattr(result, attr) for key, attr in FIELDS.items()} == expected
    assert count(case["text"], CountRules("weighted", weights=config)) == expected["weightedLength"]


@pytest.mark.parametrize(
    ("group", "case"), _cases("validate.yml", ["UnicodeDirectionalMarkerCounterTest"])
)
def test_default_config_is_v3(group: str, case: Case) -> None:
    assert WeightConfig() == _config("v3.json")
    default: TweetParse = parse_tweet(case["text"])
    assert default == parse_tweet(case["text"], _config("v3.json"))


@pytest.mark.parametrize(("group", "case"), _cases("validate.yml", ["tweets"]))
def test_tweet_validity_v1(group: str, case: Case) -> None:
    assert parse_tweet(case["text"], _config("v1.json")).valid is case["expected"]


def test_config_files() -> None:
    v1, v2, v3 = _config("v1.json"), _config("v2.json"), _config("v3.json")
    assert (v1.max_weighted_length, v1.scale, v1.default_weight, v1.ranges) == (140, 1, 1, ())
    assert (v1.transformed_url_length, v1.emoji_parsing) == (23, False)
    assert v2.emoji_parsing is False and v3.emoji_parsing is True
    assert v2.ranges == v3.ranges and len(v3.ranges) == 4


# -------------------------------------------------------------- URL extraction

URL_GROUPS = ["urls", "urls_with_indices", "urls_with_directional_markers", "tco_urls_with_params"]


def _as_extracted(spans: list[Span], expected: list[Any], key: str) -> list[Any]:
    """Spans in the shape of ``expected``: bare names, or dicts with code-point indices.

    twitter-text names a mention, hashtag or cashtag without its sigil.
    """
    names = [s.text if key == "url" else s.text[1:] for s in spans]
    if expected and isinstance(expected[0], dict):
        return [
            {key: name, "indices": [s.start, s.end]} for name, s in zip(names, spans, strict=True)
        ]
    return names


@pytest.mark.parametrize(("group", "case"), _cases("extract.yml", URL_GROUPS))
def test_extract_urls(group: str, case: Case) -> None:
    spans = urls(case["text"])
    assert all(case["text"][s.start : s.end] == s.text for s in spans)
    assert _as_extracted(spans, case["expected"], "url") == case["expected"]


@pytest.mark.parametrize(("group", "case"), _cases("tlds.yml", ["country", "generic"]))
def test_extract_urls_every_tld(group: str, case: Case) -> None:
    assert [s.text for s in urls(case["text"])] == case["expected"]


# ------------------------------------------- mentions, hashtags and cashtags

ENTITY_GROUPS: dict[str, tuple[Callable[[str], list[Span]], str]] = {
    "mentions": (mentions, "screen_name"),
    "mentions_with_indices": (mentions, "screen_name"),
    "hashtags": (hashtags, "hashtag"),
    "hashtags_from_astral": (hashtags, "hashtag"),
    "hashtags_with_indices": (hashtags, "hashtag"),
    "cashtags": (cashtags, "cashtag"),
    "cashtags_with_indices": (cashtags, "cashtag"),
}
ENTITY_XFAIL = {
    "Extract lone metion but not @user@user (too close to an email)": (
        "deliberate: textspans.mentions extracts the fediverse handle @test@example.com as one "
        "mention (Mastodon counts it as @test); twitter-text rejects it as e-mail-like"
    ),
}


@pytest.mark.parametrize(
    ("group", "case"), _cases("extract.yml", list(ENTITY_GROUPS), xfail=ENTITY_XFAIL)
)
def test_extract_entities(group: str, case: Case) -> None:
    extract, key = ENTITY_GROUPS[group]
    spans = extract(case["text"])
    assert _as_extracted(spans, case["expected"], key) == case["expected"]


@pytest.mark.parametrize(("group", "case"), _cases("validate.yml", ["hashtags"]))
def test_validate_hashtag(group: str, case: Case) -> None:
    text = case["text"]
    whole = [(s.start, s.end) for s in hashtags(text)] == [(0, len(text))]
    assert whole is case["expected"]
