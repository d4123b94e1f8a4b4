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
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.text.counting import CountRules, TweetParse, WeightConfig, count, parse_tweet
from toolkit.text.spans import Span, cashtags, hashtags, mentions, urls
from toolkit.text.urlscan import tld_names, url_bounds


def _conformance_dir() -> Path:
    configured = os.environ.get("TOOLKIT_CONFORMANCE_DIR")
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parents[2] / "shared" / "conformance" / "twitter-text"


CONFORMANCE_DIR = _conformance_dir()
if not (CONFORMANCE_DIR / "validate.yml").is_file():
    _why = (
        f"twitter-text conformance data not found in {CONFORMANCE_DIR} "
        "(set TOOLKIT_CONFORMANCE_DIR to the directory holding validate.yml)"
    )
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        # In CI the data is always laid beside the checkout: missing data is a broken
        # setup, and a silent skip would hide every counting regression.
        pytest.fail(_why, pytrace=False)
    pytest.skip(_why, allow_module_level=True)

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


@pytest.mark.parametrize("group", ["country", "generic"])
def test_extract_urls_every_tld(group: str) -> None:
    # ~1,600 one-line cases: one test per group, naming every TLD that fails (as items,
    # pytest's own bookkeeping cost ~2.5 ms each, far more than the check).
    cases = _groups("tlds.yml")[group]
    assert cases
    wrong = {
        case["description"]: found
        for case in cases
        if (found := [s.text for s in urls(case["text"])]) != case["expected"]
    }
    assert not wrong, wrong


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


# ------------------------------------------- our URL scan against the reference peer


def test_tld_list_is_twitter_texts() -> None:
    """toolkit/text/tlds.txt holds tlds.yml's names, generic first, in the same order."""
    expected = [
        case["description"].split(" is ")[0]
        for group in ("generic", "country")
        for case in _groups("tlds.yml")[group]
    ]
    assert tld_names() == expected


def test_longest_tld_is_the_first_listed() -> None:
    """The scan takes the longest TLD that fits; twitter-text's regex the first listed.

    They agree as long as no name is listed before a longer one it begins, when the
    longer one goes on with a character the end-of-TLD check lets through.
    """
    names = tld_names()
    order = {name: i for i, name in enumerate(names)}
    for short in names:
        for long in names:
            if long != short and long.startswith(short) and not long[len(short)].isascii():
                assert order[long] < order[short], (short, long)


# Pieces that hit twitter-text's URL rules from every side: schemes in any case, t.co,
# ports, paths with parentheses, queries, IDN and punycode TLDs, letters that IGNORECASE
# treats as ASCII (ſ, K, ı, İ), accented and CJK labels, directional and invalid marks.
_PIECES = [
    "http://", "https://", "HTTPS://", "httpſ://", "t.co/", "t.co", ".", ".", ".", "..",
    "-", "_", "/", "/", "?", "=", "&", "#", "@", "＠", "$", ":", "8080", "(", ")", "((",
    "www", "example", "com", "COM", "co", "uk", "jp", "みんな", "日本", "é", "ſ", "K", "ı",
    "İ", "xn--p1ai", "xn--", " ", "\u200e", "\u202a", "\ufffe", "'", '"', "`", ",", "!",
    "~", "|", "[", "]", "\u2013", "a", "1", "😀", "👍🏻", "。", "москва", "рф", "ᲂрг",
    "ελ", "ϵλ", "嘉里", "嘉里大酒店", "भारतम्", "vermögensberatung", "+", "%20", ";",
    "\\", "\n", "\u3000", "Ö", "a" * 64, "b" * 63, "عمان", "\u0301", "foo-bar", "_x",
    "x-", "\U0001f1ef\U0001f1f5", "．", "com日本", "org", "io", "中國", "ж",
]  # fmt: skip


def _reference() -> Callable[[str, bool], list[dict[str, Any]]]:
    module = pytest.importorskip(
        "twitter_text.extract_urls", reason="twitter-text-parser (the test extra) is missing"
    )
    extract: Callable[[str, bool], list[dict[str, Any]]] = module.extract_urls_with_indices
    return extract


def _agree(extract: Callable[[str, bool], list[dict[str, Any]]], text: str) -> None:
    for bare in (True, False):
        theirs = [tuple(entity["indices"]) for entity in extract(text, bare)]
        assert url_bounds(text, bare) == theirs, (text, bare)


def test_url_scan_matches_twitter_text_parser_on_a_generated_corpus() -> None:
    """5,000 seeded texts of 1–14 pieces, with a random character now and then."""
    import random

    extract = _reference()
    rnd = random.Random(16)
    for _ in range(5000):
        parts = []
        for _ in range(rnd.randint(1, 14)):
            if rnd.random() < 0.05:
                parts.append(chr(rnd.choice([0x20, 0xA0, 0x3000, 0x10000]) + rnd.randrange(0x5F)))
            else:
                parts.append(rnd.choice(_PIECES))
        _agree(extract, "".join(parts))


# 150 examples (300 before): the generated corpus above already checks 5,000 texts built from
# the same pieces; this adds any-Unicode filler between them.
@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(_PIECES),
            st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=3),
        ),
        max_size=12,
    )
)
def test_url_scan_matches_twitter_text_parser(parts: list[str]) -> None:
    _agree(_reference(), "".join(parts))


@pytest.mark.parametrize(
    "text",
    [
        "https://example.com/path.(a)b.(c)(d)x?q=1&r=(2)",
        "see example.com/(a)(b).(c) and t.co/abc and http://t.co/" + "a" * 41,
        "éxample.com 日本example.com a_b.com foo.com_bar a.comé.bar",
        "http://xn--p1ai.xn--p1ai/ x.Kim y.ſe twitter.vermögensberatung",
    ],
)
def test_url_scan_matches_twitter_text_parser_on_edge_cases(text: str) -> None:
    _agree(_reference(), text)
