"""Unit and property tests for toolkit.text.spans and toolkit.text.counting."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path
from types import FrameType

import pytest
import regex  # type: ignore[import-untyped, unused-ignore]
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.text.counting import (
    CountingMethod,
    CountRules,
    WeightConfig,
    WeightRange,
    count,
    parse_tweet,
)
from toolkit.text.spans import (
    cashtags,
    emoji_spans,
    grapheme_boundaries,
    grapheme_count,
    hashtags,
    mentions,
    protected_spans,
    safe_cut_points,
    urls,
)

from .conftest import utf8_text

FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # 👨‍👩‍👧
FLAG_FR = "\U0001f1eb\U0001f1f7"  # 🇫🇷
WAVE_MEDIUM = "\U0001f44b\U0001f3fd"  # 👋🏽
KEYCAP_1 = "1\ufe0f\u20e3"  # 1️⃣
HEART = "\u2764\ufe0f"  # ❤️
SCOTLAND = "\U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f"
E_ACUTE_DECOMPOSED = "e\u0301"
METHODS: list[CountingMethod] = ["weighted", "graphemes", "utf16", "threads", "mastodon", "chars"]


def n(text: str, method: CountingMethod, url_length: int | None = None) -> int:
    return count(text, CountRules(method=method, url_length=url_length))


# ------------------------------------------------------------------- textspans


class TestUrls:
    def test_indices_are_code_points(self) -> None:
        text = "😀😀 日本 https://example.com/a?b=1 fin"
        (span,) = urls(text)
        assert (span.start, span.end, span.kind) == (6, 31, "url")
        assert text[span.start : span.end] == span.text == "https://example.com/a?b=1"

    def test_without_protocol_and_require_protocol(self) -> None:
        text = "see example.com and https://example.org/x"
        assert [s.text for s in urls(text)] == ["example.com", "https://example.org/x"]
        assert [s.text for s in urls(text, require_protocol=True)] == ["https://example.org/x"]

    def test_not_urls(self) -> None:
        assert urls("no links here. v1.2 and 3.14, gone.") == []
        assert urls("") == []

    def test_dotted_runs_in_cjk_text(self) -> None:
        text = "東京タワーはexample.jpで見てね。詳細はhttps://例え.jp/パス"
        assert [s.text for s in urls(text)] == ["example.jp", "https://例え.jp/"]


class TestMentions:
    def test_plain_and_fediverse(self) -> None:
        text = "Hi @alice, @bob@mastodon.social and ＠carol!"
        assert [s.text for s in mentions(text)] == ["@alice", "@bob@mastodon.social", "＠carol"]

    def test_emails_are_not_mentions(self) -> None:
        assert mentions("write to anna@example.com or a@b.com") == []

    def test_retweet_prefix_and_japanese(self) -> None:
        assert [s.text for s in mentions("RT@user の@名前 の@user")] == ["@user", "@user"]

    def test_followed_by_accent_or_url(self) -> None:
        assert mentions("@aliceìnheiro @http://x.com") == []


class TestHashtags:
    def test_scripts(self) -> None:
        text = "#東京 #İstanbul #ılık #café #Ελλάδα #한국어 #mañana_2025"
        assert [s.text for s in hashtags(text)] == text.split()

    def test_rejections(self) -> None:
        assert hashtags("#123 a#b &#39; #_ #1_2") == []

    def test_not_inside_url(self) -> None:
        assert hashtags("https://example.com/#frag example.com/#frag") == []
        assert [s.text for s in hashtags("example.com #frag")] == ["#frag"]

    def test_keycap_is_not_a_hashtag(self) -> None:
        assert hashtags("#\ufe0f\u20e3abc") == []


def test_cashtags() -> None:
    assert [s.text for s in cashtags("Buy $TSLA, $btc.x now; not $123 or a$B")] == [
        "$TSLA",
        "$btc.x",
    ]


class TestEmojiSpans:
    @pytest.mark.parametrize(
        "emoji", [FAMILY, FLAG_FR, WAVE_MEDIUM, KEYCAP_1, "1\u20e3", HEART, SCOTLAND, "😀", "©"]
    )
    def test_whole_sequence_is_one_span(self, emoji: str) -> None:
        text = f"a {emoji} b"
        (span,) = emoji_spans(text)
        assert (span.start, span.end, span.text, span.kind) == (2, 2 + len(emoji), emoji, "emoji")

    def test_adjacent_sequences(self) -> None:
        text = FAMILY + FLAG_FR + FLAG_FR + WAVE_MEDIUM
        assert [s.text for s in emoji_spans(text)] == [FAMILY, FLAG_FR, FLAG_FR, WAVE_MEDIUM]

    def test_not_emoji(self) -> None:
        assert emoji_spans("plain ascii 123 #*") == []
        assert emoji_spans("\u263a\ufe0e text style, café, 東京") == []


class TestProtectedSpans:
    def test_url_wins_over_hashtag_and_mention_inside(self) -> None:
        text = "go example.com/#frag or https://mastodon.social/@alice now"
        spans = protected_spans(text)
        assert [(s.kind, s.text) for s in spans] == [
            ("url", "example.com/#frag"),
            ("url", "https://mastodon.social/@alice"),
        ]

    def test_sorted_mixed_kinds(self) -> None:
        text = "$ACME up! #news by @ann@example.social at https://ex.com"
        kinds = [s.kind for s in protected_spans(text)]
        assert kinds == ["cashtag", "hashtag", "mention", "url"]


class TestGraphemes:
    @pytest.mark.parametrize(
        ("text", "bounds"),
        [
            ("", [0]),
            ("abc", [0, 1, 2, 3]),
            ("a\r\nb", [0, 1, 3, 4]),
            (E_ACUTE_DECOMPOSED + "a", [0, 2, 3]),
            (FAMILY + "x", [0, 5, 6]),
            (FLAG_FR + FLAG_FR, [0, 2, 4]),
            (KEYCAP_1 + WAVE_MEDIUM, [0, 3, 5]),
            ("İı", [0, 1, 2]),
            ("\u1100\u1161\u11a8", [0, 3]),  # conjoining Hangul jamo: one syllable
            ("ที่", [0, 3]),  # Thai consonant + two marks
        ],
    )
    def test_boundaries(self, text: str, bounds: list[int]) -> None:
        assert grapheme_boundaries(text) == bounds
        assert grapheme_count(text) == len(bounds) - 1

    def test_safe_cut_points_avoid_links_and_tags(self) -> None:
        text = "Go https://ex.com/a #tag!"
        cuts = safe_cut_points(text)
        assert cuts == [0, 1, 2, 3, 19, 20, 24, 25]


# -------------------------------------------------------------------- counting


class TestChars:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("café", 4),
            ("cafe\u0301", 5),
            ("İstanbul ılık", 13),
            ("東京タワー", 5),
            (FAMILY, 5),
            (FLAG_FR, 2),
            (WAVE_MEDIUM, 2),
            (KEYCAP_1, 3),
            ("", 0),
        ],
    )
    def test_code_points(self, text: str, expected: int) -> None:
        assert n(text, "chars") == expected

    def test_urls_as_typed_or_fixed(self) -> None:
        text = "see https://example.com/a/long/path/that/goes/on"
        assert n(text, "chars") == len(text)
        assert n(text, "chars", url_length=23) == 4 + 23
        assert n("a example.com b", "chars", url_length=5) == 4 + 5


class TestUtf16:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("café", 4),
            (E_ACUTE_DECOMPOSED, 2),
            ("東京", 2),
            ("𠀋", 2),
            ("😀", 2),
            (FAMILY, 8),
            (FLAG_FR, 4),
            (WAVE_MEDIUM, 4),
            (KEYCAP_1, 3),
            ("\ud800", 1),  # a lone surrogate is one unit, not an error
        ],
    )
    def test_code_units(self, text: str, expected: int) -> None:
        assert n(text, "utf16") == expected

    def test_url_length(self) -> None:
        assert n("😀 https://example.com/😀", "utf16", url_length=10) == 2 + 1 + 10 + 2


class TestGraphemesMethod:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("café", 4),
            ("cafe\u0301", 4),
            ("İstanbul", 8),
            ("東京タワー", 5),
            (FAMILY, 1),
            (FLAG_FR, 1),
            (WAVE_MEDIUM, 1),
            (KEYCAP_1, 1),
            (SCOTLAND, 1),
            ("a\r\nb", 3),
            ("Bonjour 👋🏽 🇫🇷!", 12),
        ],
    )
    def test_clusters(self, text: str, expected: int) -> None:
        assert n(text, "graphemes") == expected

    def test_urls_count_as_typed(self) -> None:
        text = "read https://example.com/été"
        assert n(text, "graphemes") == len(text)
        assert n(text, "graphemes", url_length=23) == 5 + 23


class TestThreads:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("café", 4),
            ("東京", 2),
            ("😀", 4),
            ("Hi 😀", 7),
            (FAMILY, 18),
            (FLAG_FR, 8),
            (WAVE_MEDIUM, 8),
            (KEYCAP_1, 7),
            (HEART, 6),
        ],
    )
    def test_emoji_as_utf8_bytes(self, text: str, expected: int) -> None:
        assert n(text, "threads") == expected

    def test_url_length(self) -> None:
        assert n("😀 https://example.com/x", "threads", url_length=23) == 4 + 1 + 23


class TestMastodon:
    def test_remote_mention_counts_local_part(self) -> None:
        assert n("Hello @alice@mastodon.social!", "mastodon") == len("Hello @alice!")
        assert n("Hello @alice!", "mastodon") == 13

    def test_links_count_23(self) -> None:
        text = "see https://example.com/a/very/long/path/indeed"
        assert n(text, "mastodon") == 4 + 23
        assert n("http://a.co", "mastodon") == 23
        assert n(text, "mastodon", url_length=30) == 4 + 30

    def test_bare_domains_and_emails_count_as_typed(self) -> None:
        assert n("visit example.com", "mastodon") == 17
        assert n("mail me@example.com", "mastodon") == 19

    def test_graphemes(self) -> None:
        assert n(f"{FAMILY} {FLAG_FR} cafe\u0301", "mastodon") == 8

    def test_mention_inside_link_is_part_of_the_link(self) -> None:
        assert n("https://mastodon.social/@alice@example.com x", "mastodon") == 25


class TestWeighted:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("Hi http://test.co", 26),
            ("café", 4),
            ("cafe\u0301", 4),  # NFC first
            ("İı", 2),
            ("東京", 4),
            (FAMILY, 2),
            (FLAG_FR, 2),
            (WAVE_MEDIUM, 2),
            (KEYCAP_1, 2),
            # U+2010–U+201F weigh 1, the ellipsis U+2026 is outside the ranges
            ("“quoted” — dash…", 17),
            ("", 0),
        ],
    )
    def test_v3(self, text: str, expected: int) -> None:
        assert n(text, "weighted") == expected

    def test_url_length_overrides_config(self) -> None:
        assert n("Hi http://test.co", "weighted", url_length=10) == 13

    def test_without_emoji_parsing(self) -> None:
        v2 = WeightConfig(emoji_parsing=False)
        assert count(FAMILY, CountRules("weighted", weights=v2)) == 8

    def test_custom_ranges_first_range_wins(self) -> None:
        config = WeightConfig(
            scale=1, default_weight=5, ranges=(WeightRange(0, 127, 1), WeightRange(0, 255, 3))
        )
        assert parse_tweet("aé東", config).weighted_length == 1 + 3 + 5


class TestParseTweet:
    def test_valid(self) -> None:
        result = parse_tweet("Bonjour 🇫🇷")
        assert (result.valid, result.weighted_length, result.permillage) == (True, 10, 35)
        assert (result.display_range_end, result.valid_range_end) == (11, 11)

    @pytest.mark.parametrize("text", ["", " ", "\n\t \u3000"])
    def test_empty_or_blank_is_invalid(self, text: str) -> None:
        assert parse_tweet(text).valid is False

    def test_invalid_characters(self) -> None:
        for bad in "\ufffe\ufeff\uffff":
            result = parse_tweet(f"ok{bad}ok")
            assert result.valid is False
            assert result.valid_range_end == 1

    def test_directional_marks_are_valid(self) -> None:
        assert parse_tweet("\u202bשלום\u202c \u2066abc\u2069").valid is True

    def test_too_long(self) -> None:
        result = parse_tweet("東" * 141)
        assert (result.valid, result.weighted_length, result.valid_range_end) == (False, 282, 139)

    def test_from_twitter_json(self) -> None:
        config = WeightConfig.from_twitter_json(
            {
                "version": 3,
                "maxWeightedTweetLength": 500,
                "scale": 10,
                "defaultWeight": 20,
                "emojiParsingEnabled": True,
                "transformedURLLength": 30,
                "ranges": [{"start": 0, "end": 127, "weight": 10}],
            }
        )
        assert config == WeightConfig(500, 10, 20, True, 30, (WeightRange(0, 127, 10),))

    @pytest.mark.parametrize(
        "data",
        [{"scale": "100"}, {"ranges": {}}, {"ranges": [{"start": 0}]}, {"scale": 0}],
    )
    def test_from_twitter_json_rejects(self, data: dict[str, object]) -> None:
        with pytest.raises(ValueError):
            WeightConfig.from_twitter_json(data)


def test_negative_lengths_are_rejected() -> None:
    with pytest.raises(ValueError):
        CountRules(url_length=-1)
    with pytest.raises(ValueError):
        WeightConfig(default_weight=-5)


def test_unknown_method() -> None:
    with pytest.raises(ValueError, match="unknown counting method"):
        count("x", CountRules(method="bogus"))  # type: ignore[arg-type]


# ------------------------------------------------------------------ properties

_PIECES = [
    "a",
    "Z",
    " ",
    "\n",
    "\r\n",
    ".",
    "é",
    E_ACUTE_DECOMPOSED,
    "\u0301",
    "İ",
    "ı",
    "東京",
    "ー",
    FAMILY,
    FLAG_FR,
    "\U0001f1eb",
    WAVE_MEDIUM,
    KEYCAP_1,
    HEART,
    "\u200d",
    "\ufe0f",
    "#",
    "#tag",
    "#東京",
    "@",
    "@ann",
    "@ann@ex.social",
    "$ACME",
    "https://ex.com/p#f",
    "example.com",
    "t.co/x",
    "/",
    "\ufeff",
    "\u202a",
]
texts = st.one_of(
    utf8_text(max_size=60),
    st.lists(st.sampled_from(_PIECES), max_size=25).map("".join),
)
_X = regex.compile(r"\X")
_fast = settings(max_examples=150, deadline=None)


@_fast
@given(texts, st.sampled_from(METHODS), st.one_of(st.none(), st.integers(0, 40)))
def test_counts_are_never_negative(
    text: str, method: CountingMethod, url_length: int | None
) -> None:
    assert n(text, method, url_length) >= 0


@_fast
@given(texts, texts)
def test_additive_and_subadditive(a: str, b: str) -> None:
    assert n(a + b, "chars") == n(a, "chars") + n(b, "chars")
    assert n(a + b, "utf16") == n(a, "utf16") + n(b, "utf16")
    assert n(a + b, "graphemes") <= n(a, "graphemes") + n(b, "graphemes")


@_fast
@given(texts)
def test_method_ordering(text: str) -> None:
    graphemes, chars, utf16 = (n(text, m) for m in ("graphemes", "chars", "utf16"))
    assert graphemes <= chars <= utf16
    assert n(text, "threads") >= chars


@_fast
@given(texts)
def test_graphemes_match_regex_x(text: str) -> None:
    expected = [0] + [m.end() for m in _X.finditer(text)]
    assert grapheme_boundaries(text) == expected
    assert grapheme_count(text) == len(expected) - 1


@_fast
@given(texts)
def test_protected_spans_are_disjoint_and_inside(text: str) -> None:
    spans = protected_spans(text)
    for span in spans:
        assert 0 <= span.start < span.end <= len(text)
        assert text[span.start : span.end] == span.text
    for left, right in pairwise(spans):
        assert left.end <= right.start


@_fast
@given(texts)
def test_safe_cut_points(text: str) -> None:
    bounds = set(grapheme_boundaries(text))
    spans = protected_spans(text)
    cuts = safe_cut_points(text)
    assert cuts == sorted(set(cuts))
    assert cuts[0] == 0 and cuts[-1] == len(text)
    for cut in cuts:
        assert cut in bounds
        assert not any(s.start < cut < s.end for s in spans)


@_fast
@given(texts)
def test_emoji_spans_are_disjoint(text: str) -> None:
    end = 0
    for span in emoji_spans(text):
        assert end <= span.start < span.end <= len(text)
        end = span.end


@_fast
@given(texts)
def test_parse_tweet_ranges(text: str) -> None:
    result = parse_tweet(text)
    units = len(text.encode("utf-16-le", "surrogatepass")) // 2
    assert result.display_range_end == max(units - 1, 0)
    assert 0 <= result.valid_range_end <= result.display_range_end
    assert result.permillage == result.weighted_length * 1000 // 280
    if result.valid:
        assert result.valid_range_end == result.display_range_end


@_fast
@given(texts)
def test_emoji_scan_from_the_zone_finds_what_the_whole_text_has(text: str) -> None:
    """Starting the emoji pattern at the first zone character changes nothing."""
    from toolkit.text.spans import _EMOJI, _regex, emoji_bounds

    assert emoji_bounds(text) == [m.span() for m in _regex(_EMOJI).finditer(text)]


def test_emoji_zone_holds_every_emoji_character() -> None:
    import re

    from toolkit.text.spans import _EMOJI_ZONE

    zone = re.compile(f"[{_EMOJI_ZONE}]")
    every = "".join(chr(c) for c in range(0x80, 0x110000) if not 0xD800 <= c < 0xE000)
    emoji_chars = regex.compile(r"[\p{Emoji}\p{RI}\p{EBase}\p{EMod}]").findall(every)
    assert emoji_chars
    assert [c for c in emoji_chars if not zone.match(c)] == []


# ------------------------------------------------------- the URL scan's cost


def _python_lines(text: str) -> int:
    """Python lines executed by ``url_bounds(text)``: a step count, unlike a clock."""
    from toolkit.text.urlscan import url_bounds

    url_bounds("warm.up/ a.日本")  # compile patterns, load TLDs outside the count
    lines = 0

    def tracer(frame: FrameType, event: str, arg: object) -> Callable[..., object]:
        nonlocal lines
        lines += event == "line"
        return tracer

    sys.settrace(tracer)
    try:
        url_bounds(text)
    finally:
        sys.settrace(None)
    return lines


# Texts on which a backtracking URL regex (twitter-text's included) does quadratic work.
_ADVERSARIAL: list[Callable[[int], str]] = [
    lambda k: "a." * k + "b",  # many labels, no top-level domain
    lambda k: "a.a_" * k + ".com",  # underscores: a domain name may not hold one
    lambda k: "日" * k + ".日" * k,  # every character may start a URL
    lambda k: "-a." * k + "-",
    lambda k: ("a.b." * 3 + "日本.") * k + "com",  # bare hosts with a non-ASCII label
    lambda k: "é" * k + ".com/" + "(a)" * k + ".",
    lambda k: "http://a.co" + "/(a)" * k + "?" + "!" * k,
]


@pytest.mark.parametrize("make", _ADVERSARIAL)
def test_url_scan_steps_grow_linearly(make: Callable[[int], str]) -> None:
    small, large = _python_lines(make(100)), _python_lines(make(800))
    assert large <= 10 * small + 200  # 8 times the text; quadratic work would be 64 times


@pytest.mark.parametrize("make", _ADVERSARIAL)
def test_url_scan_of_long_adversarial_text_is_cheap(make: Callable[[int], str]) -> None:
    """The regex parts (path, query) cannot be traced: bound them by CPU time, widely.

    At 20,000 repeats a quadratic scan takes minutes; a linear one milliseconds.
    """
    from toolkit.text.urlscan import url_bounds

    text = make(20_000)
    started = time.process_time()
    url_bounds(text)
    assert time.process_time() - started < 5


def test_the_kept_grapheme_ranges_are_rebuilt_when_missing_or_damaged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The joining-character ranges kept in the user cache: the same pattern from a cold
    cache, a damaged file and a deleted one (each rebuilt silently)."""
    import regex

    from toolkit.text import spans

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    spans._joining_run_re.cache_clear()
    made = spans._joining_run_re().pattern
    kept = Path(spans._ranges_file(regex.__version__))
    assert kept.is_file()
    for damage in ("\\u00zz-garbage", ""):
        kept.write_text(damage, encoding="ascii")
        spans._joining_run_re.cache_clear()
        assert spans._joining_run_re().pattern == made
    kept.unlink()
    spans._joining_run_re.cache_clear()
    assert spans._joining_run_re().pattern == made
    spans._joining_run_re.cache_clear()
