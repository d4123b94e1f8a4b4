"""Post length as each platform counts it.

One function per counting method, selected by :class:`CountRules`:

========== ================================================================
method     platform rule
========== ================================================================
weighted   X: twitter-text "parseTweet" weighting (:func:`parse_tweet`)
graphemes  Bluesky: extended grapheme clusters, URLs as typed
utf16      TikTok, YouTube: UTF-16 code units
threads    Threads: code points, each emoji sequence counts its UTF-8 bytes
mastodon   Mastodon: grapheme clusters after its substitutions (below)
chars      LinkedIn, Instagram, Facebook, Pinterest: code points
========== ================================================================

With ``CountRules.url_length`` set, every URL counts exactly that many.

Mastodon (``StatusLengthValidator`` and the web composer): every link written
with ``http://`` or ``https://`` counts 23 (bare ``example.com`` is not linked
and counts as typed), a remote mention ``@user@server`` counts as ``@user``,
and the result is measured in grapheme clusters.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import pairwise
from typing import Literal

from toolkit.text.spans import (
    Span,
    drop_overlapping,
    emoji_bounds,
    emoji_spans,
    grapheme_count,
    mentions,
    urls,
)
from toolkit.text.urlscan import url_bounds

__all__ = [
    "DEFAULT_WEIGHTS",
    "CountRules",
    "CountingMethod",
    "TweetParse",
    "WeightConfig",
    "WeightRange",
    "count",
    "parse_tweet",
]

CountingMethod = Literal["weighted", "graphemes", "utf16", "threads", "mastodon", "chars"]

MASTODON_URL_LENGTH = 23


@dataclass(frozen=True, slots=True)
class WeightRange:
    """Code points ``start`` … ``end`` (both inclusive) weigh ``weight``."""

    start: int
    end: int
    weight: int


_V3_RANGES: tuple[WeightRange, ...] = (
    WeightRange(0, 4351, 100),
    WeightRange(8192, 8205, 100),
    WeightRange(8208, 8223, 100),
    WeightRange(8242, 8247, 100),
)


def _json_int(data: Mapping[str, object], key: str, default: int | None = None) -> int:
    """``data[key]`` as an integer; ``default`` when missing (required if None)."""
    value = data.get(key, default)
    if value is None:
        raise ValueError(f"twitter-text config: {key!r} is missing in {dict(data)!r}")
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"twitter-text config: {key!r} must be an integer, got {value!r}")
    return value


@dataclass(frozen=True, slots=True)
class WeightConfig:
    """Weighting parameters; the defaults are twitter-text's ``v3.json``."""

    max_weighted_length: int = 280
    scale: int = 100
    default_weight: int = 200
    emoji_parsing: bool = True
    transformed_url_length: int = 23
    ranges: tuple[WeightRange, ...] = _V3_RANGES

    def __post_init__(self) -> None:
        if self.scale <= 0:
            raise ValueError(f"scale must be positive, got {self.scale}")
        if self.max_weighted_length <= 0:
            raise ValueError(
                f"max_weighted_length must be positive, got {self.max_weighted_length}"
            )
        weights = [
            self.default_weight,
            self.transformed_url_length,
            *(r.weight for r in self.ranges),
        ]
        if min(weights) < 0:
            raise ValueError(f"weights and URL length must not be negative: {self!r}")

    @classmethod
    def from_twitter_json(cls, data: Mapping[str, object]) -> WeightConfig:
        """Read a twitter-text ``config/v1.json``, ``v2.json`` or ``v3.json`` object.

        A missing ``emojiParsingEnabled`` means ``False`` (v1 and v2 predate
        it); other missing keys keep the v3 defaults.
        """
        base = cls()
        raw_ranges = data.get("ranges", [])
        if not isinstance(raw_ranges, list):
            raise ValueError(f"twitter-text config: 'ranges' must be a list, got {raw_ranges!r}")
        ranges: list[WeightRange] = []
        for item in raw_ranges:
            if not isinstance(item, Mapping):
                raise ValueError(f"twitter-text config: bad range {item!r}")
            ranges.append(
                WeightRange(
                    _json_int(item, "start"), _json_int(item, "end"), _json_int(item, "weight")
                )
            )
        emoji_parsing = data.get("emojiParsingEnabled", False)
        if not isinstance(emoji_parsing, bool):
            raise ValueError(
                "twitter-text config: 'emojiParsingEnabled' must be a boolean,"
                f" got {emoji_parsing!r}"
            )
        return cls(
            max_weighted_length=_json_int(data, "maxWeightedTweetLength", base.max_weighted_length),
            scale=_json_int(data, "scale", base.scale),
            default_weight=_json_int(data, "defaultWeight", base.default_weight),
            emoji_parsing=emoji_parsing,
            transformed_url_length=_json_int(
                data, "transformedURLLength", base.transformed_url_length
            ),
            ranges=tuple(ranges),
        )


DEFAULT_WEIGHTS = WeightConfig()


@dataclass(frozen=True, slots=True)
class TweetParse:
    """The result of :func:`parse_tweet` (twitter-text's ``ParseResults``).

    The range fields are inclusive indices in UTF-16 code units of the
    original, not normalised, text.
    """

    weighted_length: int
    valid: bool
    permillage: int
    display_range_start: int
    display_range_end: int
    valid_range_start: int
    valid_range_end: int


class _WeightTable:
    """Per-code-point weights of one config, prepared for fast lookups."""

    __slots__ = ("ascii_weight", "default", "deltas", "ends", "starts", "weights")

    def __init__(self, ranges: tuple[WeightRange, ...], default: int) -> None:
        # Split the (possibly overlapping) ranges into disjoint intervals;
        # where ranges overlap, the first one listed wins, as in twitter-text.
        cuts = sorted(
            {0, 0x110000}
            | {r.start for r in ranges if r.start <= r.end}
            | {r.end + 1 for r in ranges if r.start <= r.end}
        )
        intervals: list[tuple[int, int, int]] = []
        for lo, nxt in pairwise(cuts):
            weight = next((r.weight for r in ranges if r.start <= lo <= r.end), default)
            if intervals and intervals[-1][2] == weight and intervals[-1][1] == lo - 1:
                intervals[-1] = (intervals[-1][0], nxt - 1, weight)
            else:
                intervals.append((lo, nxt - 1, weight))
        self.default = default
        self.starts = [lo for lo, _, _ in intervals]
        self.ends = [hi for _, hi, _ in intervals]
        self.weights = [w for _, _, w in intervals]
        ascii_weights = {self.weight(cp) for cp in range(128)}
        self.ascii_weight = ascii_weights.pop() if len(ascii_weights) == 1 else None
        # One character class per weight that differs from the default.
        by_weight: dict[int, list[str]] = {}
        for lo, hi, w in intervals:
            if w != default:
                by_weight.setdefault(w, []).append(f"\\U{lo:08x}-\\U{hi:08x}")
        self.deltas = tuple(
            (re.compile(f"[{''.join(parts)}]+"), w - default) for w, parts in by_weight.items()
        )

    def weight(self, code_point: int) -> int:
        i = bisect_right(self.starts, code_point) - 1
        return self.weights[i] if i >= 0 and code_point <= self.ends[i] else self.default

    def run_weight(self, run: str) -> int:
        """Total weight of ``run`` counted character by character."""
        if self.ascii_weight is not None and run.isascii():
            return self.ascii_weight * len(run)
        total = self.default * len(run)
        for pattern, delta in self.deltas:
            total += delta * sum(map(len, pattern.findall(run)))
        return total


@lru_cache(maxsize=32)
def _weight_table(ranges: tuple[WeightRange, ...], default: int) -> _WeightTable:
    return _WeightTable(ranges, default)


# The table of the config used last: (its ranges, its default weight, the table). Hashing
# the ranges for the cache above costs more than the rest of an ASCII post's weighing.
_last_table: tuple[tuple[WeightRange, ...], int, _WeightTable] | None = None


def _table_for(config: WeightConfig) -> _WeightTable:
    global _last_table
    last = _last_table
    if last is not None and last[0] is config.ranges and last[1] == config.default_weight:
        return last[2]
    table = _weight_table(config.ranges, config.default_weight)
    _last_table = (config.ranges, config.default_weight, table)
    return table


# twitter-text's invalid characters; directional marks (U+202A–U+202E,
# U+2066–U+2069 ...) are valid and merely weighed.
_INVALID_CHARS_RE = re.compile("[\ufffe\ufeff\uffff]")


def _utf16_len(text: str) -> int:
    if text.isascii():
        return len(text)
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _nfc(text: str) -> str:
    if text.isascii() or unicodedata.is_normalized("NFC", text):
        return text
    return unicodedata.normalize("NFC", text)


def _units(norm: str, config: WeightConfig) -> list[tuple[int, int, int]]:
    """``(start, end, weight)`` of each URL and emoji that weighs as one unit, in order.

    At the same start a URL wins over an emoji, and an emoji that starts inside
    a URL is part of it, as in twitter-text.
    """
    url_weight = config.transformed_url_length * config.scale
    links = url_bounds(norm)
    found = emoji_bounds(norm) if config.emoji_parsing else []
    if not found:
        return [(start, end, url_weight) for start, end in links]
    ranked = sorted(
        [(start, 0, end, url_weight) for start, end in links]
        + [(start, 1, end, config.default_weight) for start, end in found]
    )
    units: list[tuple[int, int, int]] = []
    pos = 0
    for start, _, end, weight in ranked:
        if start >= pos:
            units.append((start, end, weight))
            pos = end
    return units


def _weighted_total(norm: str, config: WeightConfig, table: _WeightTable) -> int:
    """Scaled weight of an NFC text: every character by ``table``, each unit as a whole."""
    total = table.run_weight(norm)
    for start, end, weight in _units(norm, config):
        total += weight - table.run_weight(norm[start:end])
    return total


def parse_tweet(text: str, config: WeightConfig = DEFAULT_WEIGHTS) -> TweetParse:
    """Weighted length and validity of an X post, as twitter-text's parseTweet.

    The text is NFC-normalised; every URL (twitter-text rules, with or without
    a scheme) weighs ``transformed_url_length``; with ``emoji_parsing`` every
    emoji sequence weighs ``default_weight`` once; every other code point
    weighs according to ``ranges`` (``default_weight`` outside them); the sum
    is divided by ``scale``. A post is valid when it has no invalid
    character (U+FFFE, U+FEFF, U+FFFF), is not empty or white space only, and
    its weighted length does not exceed ``max_weighted_length``.
    """
    table = _table_for(config)
    norm = _nfc(text)
    n = len(norm)
    limit = config.max_weighted_length * config.scale
    total = _weighted_total(norm, config, table)
    invalid = None if norm.isascii() else _INVALID_CHARS_RE.search(norm)
    if total <= limit and invalid is None:
        valid_end = n  # all of it is valid and within the limit
    else:
        valid_end = _valid_end(norm, config, table, invalid.start() if invalid else n)

    weighted_length = total // config.scale
    text_units = _utf16_len(text)
    normalization_offset = text_units - (text_units if norm is text else _utf16_len(norm))
    if valid_end:
        valid_range_end = _utf16_len(norm[:valid_end]) - 1 + normalization_offset
    else:  # twitter-text leaves the index at 0 when nothing fits
        valid_range_end = normalization_offset
    max_length = config.max_weighted_length
    return TweetParse(
        weighted_length=weighted_length,
        valid=(invalid is None and 0 < weighted_length <= max_length and not text.isspace()),
        permillage=weighted_length * 1000 // max_length,
        display_range_start=0,
        display_range_end=max(text_units - 1, 0),
        valid_range_start=0,
        valid_range_end=max(valid_range_end, 0),
    )


def _valid_end(norm: str, config: WeightConfig, table: _WeightTable, first_invalid: int) -> int:
    """End (code points) of the longest prefix that is valid and within the limit.

    A unit (URL or emoji) fits whole or not at all; plain text character by character.
    """
    limit = config.max_weighted_length * config.scale
    total = 0
    pos = 0
    for start, end, weight in [*_units(norm, config), (len(norm), len(norm), 0)]:
        if start > pos:
            run_weight = table.run_weight(norm[pos:start])
            if total + run_weight > limit or start > first_invalid:
                return _fitting_end(norm, pos, start, total, limit, first_invalid, table)
            total += run_weight
        if end > start:
            if total + weight > limit or end > first_invalid:
                return start
            total += weight
        pos = end
    return pos


def _fitting_end(
    norm: str, pos: int, stop: int, total: int, limit: int, first_invalid: int, table: _WeightTable
) -> int:
    """End of the longest prefix of ``norm[pos:stop]`` that stays valid and in the limit."""
    i = pos
    while i < stop and i < first_invalid:
        total += table.weight(ord(norm[i]))
        if total > limit:
            break
        i += 1
    return i


# ---------------------------------------------------------------------- methods


@dataclass(frozen=True, slots=True)
class CountRules:
    """How one platform counts: the method, a fixed URL length, X's weights."""

    method: CountingMethod = "chars"
    url_length: int | None = None
    weights: WeightConfig = DEFAULT_WEIGHTS

    def __post_init__(self) -> None:
        if self.url_length is not None and self.url_length < 0:
            raise ValueError(f"url_length must not be negative, got {self.url_length}")


def _count_weighted(text: str, rules: CountRules) -> int:
    config = rules.weights
    if rules.url_length is not None and rules.url_length != config.transformed_url_length:
        config = replace(config, transformed_url_length=rules.url_length)
    # parse_tweet's weighted length, without the validity it also works out
    return _weighted_total(_nfc(text), config, _table_for(config)) // config.scale


def _count_chars(text: str, rules: CountRules) -> int:
    n = len(text)
    if rules.url_length is not None:
        for url in urls(text):
            n += rules.url_length - (url.end - url.start)
    return n


def _count_utf16(text: str, rules: CountRules) -> int:
    n = _utf16_len(text)
    if rules.url_length is not None:
        for url in urls(text):
            n += rules.url_length - _utf16_len(url.text)
    return n


def _graphemes_with_fixed(text: str, fixed: list[Span], length: int) -> int:
    """Grapheme clusters of ``text`` where each of ``fixed`` counts ``length``."""
    n = 0
    pos = 0
    for span in fixed:
        n += grapheme_count(text[pos : span.start]) + length
        pos = span.end
    return n + grapheme_count(text[pos:])


def _count_graphemes(text: str, rules: CountRules) -> int:
    if rules.url_length is None:
        return grapheme_count(text)
    return _graphemes_with_fixed(text, urls(text), rules.url_length)


def _count_threads(text: str, rules: CountRules) -> int:
    n = len(text)
    found = emoji_spans(text)
    if rules.url_length is not None:
        links = urls(text)
        for url in links:
            n += rules.url_length - (url.end - url.start)
        if links and found:
            found = drop_overlapping(found, links)
    for emoji in found:
        n += len(emoji.text.encode("utf-8")) - len(emoji.text)
    return n


def _count_mastodon(text: str, rules: CountRules) -> int:
    url_length = MASTODON_URL_LENGTH if rules.url_length is None else rules.url_length
    links = urls(text, require_protocol=True)
    remote: list[Span] = []
    for mention in mentions(text):
        at = mention.text.find("@", 1)
        before = text[mention.start - 1] if mention.start else " "
        # Mastodon only knows "@" and needs a non-word character before it.
        if at < 0 or mention.text[0] != "@" or before.isalnum() or before in "_=/":
            continue
        remote.append(mention)
    if not links and not remote:
        return grapheme_count(text)
    if remote and links:
        remote = drop_overlapping(remote, links)
    n = 0
    pos = 0
    for span in sorted(links + remote, key=lambda s: s.start):
        n += grapheme_count(text[pos : span.start])
        if span.kind == "url":
            n += url_length
        else:  # "@user@server" counts as "@user"
            n += grapheme_count(span.text[: span.text.find("@", 1)])
        pos = span.end
    return n + grapheme_count(text[pos:])


_COUNTERS: dict[str, Callable[[str, CountRules], int]] = {
    "weighted": _count_weighted,
    "graphemes": _count_graphemes,
    "utf16": _count_utf16,
    "threads": _count_threads,
    "mastodon": _count_mastodon,
    "chars": _count_chars,
}


def post_length(text: str, rules: CountRules) -> int:
    """A post's length against its limit: what is posted, without surrounding whitespace.

    Every command measures a post with this one function (generate, lint, count, export,
    the preview), so a trailing newline from an editor or ``echo`` never changes a verdict.
    """
    return count(text.strip(), rules)


def count(text: str, rules: CountRules) -> int:
    """Length of ``text`` as the platform described by ``rules`` counts it."""
    try:
        counter = _COUNTERS[rules.method]
    except KeyError:
        raise ValueError(f"unknown counting method {rules.method!r}") from None
    return counter(text, rules)
