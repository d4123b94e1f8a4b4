"""Script-aware token spans over a text.

Every offset in this module is a code-point index into a Python ``str``
(``text[span.start:span.end] == span.text``), never a UTF-16 or UTF-8 offset.

* :func:`urls` follows twitter-text's URL rules (:mod:`toolkit.text.urlscan`).
* :func:`mentions`, :func:`hashtags` and :func:`cashtags` follow twitter-text's
  documented entity rules, with one extension: a fediverse handle
  ``@user@server.tld`` is a single mention.
* :func:`emoji_spans` finds whole emoji sequences (ZWJ sequences, skin-tone
  modifiers, flags, keycaps, tag sequences, presentation selectors) from the
  Unicode emoji properties known to the ``regex`` module.
* :func:`grapheme_boundaries` and :func:`safe_cut_points` tell a text fitter
  where it may cut without splitting a user-perceived character or a link,
  mention, hashtag or cashtag.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from operator import attrgetter
from typing import TYPE_CHECKING, Literal

from toolkit.text.urlscan import url_bounds

if TYPE_CHECKING:
    import regex  # type: ignore[import-untyped, unused-ignore]

# Every pattern is compiled on first use (and the regex module imported then), so that
# importing this module costs next to nothing.

__all__ = [
    "Span",
    "SpanKind",
    "cashtags",
    "drop_overlapping",
    "emoji_spans",
    "grapheme_boundaries",
    "grapheme_count",
    "hashtags",
    "mentions",
    "protected_spans",
    "safe_cut_points",
    "urls",
]

SpanKind = Literal["url", "mention", "hashtag", "cashtag", "emoji"]


@dataclass(frozen=True, slots=True)
class Span:
    """A token of ``kind`` at ``text[start:end]`` (code points, end exclusive)."""

    start: int
    end: int
    kind: SpanKind
    text: str


class _NewSpan:
    """Makes a :class:`Span` 4× faster than its frozen ``__init__``, which pays one
    ``object.__setattr__`` per field (a post holds several spans, a batch thousands).

    The same slots, filled as a plain object; then the object becomes a Span (the
    layouts match, so Python allows it). ``tests/test_voice_make.py`` holds the two equal.
    """

    __slots__ = Span.__slots__  # the same names in the same order: a matching layout

    def __init__(self, start: int, end: int, kind: SpanKind, text: str) -> None:
        self.start = start
        self.end = end
        self.kind = kind
        self.text = text
        self.__class__ = Span  # type: ignore[assignment]


if TYPE_CHECKING:

    def new_span(start: int, end: int, kind: SpanKind, text: str) -> Span:
        """``Span(start, end, kind, text)``, made faster (see :class:`_NewSpan`)."""

else:
    new_span = _NewSpan  # called directly: no Python call in between


# --------------------------------------------------------------------------- URLs


def urls(text: str, *, require_protocol: bool = False) -> list[Span]:
    """URLs by twitter-text's rules, including ``example.com`` without a scheme.

    With ``require_protocol=True`` only URLs written with ``http://`` or
    ``https://`` are returned (the rule Mastodon uses for its length
    concession).
    """
    if "." not in text or (require_protocol and "://" not in text):
        return []
    return [
        new_span(start, end, "url", text[start:end])
        for start, end in url_bounds(text, bare=not require_protocol)
    ]


# ----------------------------------------------------------------------- mentions

# Characters that twitter-text treats as accented Latin letters: a mention
# directly followed by one of them is not a mention (``@aliceìnheiro``).
_LATIN_ACCENTS = (
    "\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff\u0100-\u024f\u0253\u0254\u0256\u0257"
    "\u0259\u025b\u0263\u0268\u026f\u0272\u0289\u028b\u02bb\u0300-\u036f\u1e00-\u1eff"
)
_HOST_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"


@cache
def _regex(pattern: str) -> regex.Pattern[str]:
    """``pattern`` compiled by the ``regex`` module on first use: importing it and
    compiling these patterns would otherwise cost every process, counting or not."""
    import regex  # type: ignore[import-untyped, unused-ignore]

    return regex.compile(pattern)


_MENTION = (
    # What may precede the @: start, a character that cannot be part of a
    # username or an e-mail local part, or a retweet marker ("RT@user").
    r"(?:^|(?<=[^A-Za-z0-9_!#$%&*@＠])|(?<=(?:^|[^A-Za-z0-9_+~.-])[Rr][Tt]:?))"
    r"[@＠]"
    r"(?>[A-Za-z0-9_]+(?:[.-][A-Za-z0-9_]+)*)"
    # Optional fediverse server: @user@server.tld
    rf"(?>@(?>{_HOST_LABEL}(?:\.{_HOST_LABEL})+))?"
    # Not an e-mail address or a longer word, not "@http://".
    rf"(?![@＠{_LATIN_ACCENTS}]|://)"
)


def mentions(text: str) -> list[Span]:
    """``@user`` and fediverse ``@user@server.tld`` mentions (``＠`` also accepted).

    An ``@`` preceded by an ASCII letter, digit or one of ``_!#$%&*@`` starts no
    mention, so e-mail addresses (``me@example.com``) are not mentions.
    """
    if "@" not in text and "＠" not in text:
        return []
    return _from_marks(text, _regex(_MENTION), _AT_MARKS, "mention")


# ----------------------------------------------------------------------- hashtags

# Non-letter characters that may appear inside a hashtag (joiners, Hebrew
# punctuation, Japanese marks and tildes, Tibetan tsheg, middle dot ...).
_HASHTAG_SPECIALS = (
    "\u200c\u200d\ua67e\u05be\u05f3\u05f4\uff5e\u301c\u309b\u309c\u30a0\u30fb\u3003"
    "\u0f0b\u0f0c\u00b7"
)
_HASHTAG_CHAR = rf"[\p{{L}}\p{{M}}\p{{Nd}}_{_HASHTAG_SPECIALS}]"
_HASHTAG = (
    rf"(?:(?<=[\uFE0E\uFE0F])|(?<![&{_HASHTAG_CHAR[1:-1]}]))"
    r"[#＃](?![\uFE0F\u20E3])"
    # At least one letter or mark, so "#16" and "#_" are not hashtags.
    rf"(?={_HASHTAG_CHAR}*[\p{{L}}\p{{M}}])"
    rf"{_HASHTAG_CHAR}++"
    r"(?![#＃]|://)"
)


def hashtags(text: str) -> list[Span]:
    """Hashtags in any script (``#東京``, ``#İstanbul``, ``#café``), not inside URLs.

    A hashtag needs at least one letter, must not follow a letter, digit,
    ``_`` or ``&``, and must not be directly followed by ``#`` or ``://``.
    """
    found = _hashtag_candidates(text)
    if found:
        found = drop_overlapping(found, urls(text))
    return found


def _hashtag_candidates(text: str) -> list[Span]:
    if "#" not in text and "＃" not in text:
        return []
    return _from_marks(text, _regex(_HASHTAG), _HASH_MARKS, "hashtag", _PLAIN_HASHTAG)


# The usual hashtag, told by the standard library (a call of the regex module costs
# several times more): "#" after a space, a line break or the start, then ASCII letters,
# digits and "_" (a letter among them) up to a space, a line break or the end. There
# _HASHTAG matches exactly that: nothing before the "#" it refuses, its run of hashtag
# characters stops at the space, and a letter is in it (tests/test_text_spans_plain.py).
_PLAIN_HASHTAG = re.compile(r"#[0-9_]*[A-Za-z][A-Za-z0-9_]*(?=[ \t\n]|\Z)")
_PLAIN_BEFORE = " \t\n"


_AT_MARKS = re.compile("[@＠]")
_HASH_MARKS = re.compile("[#＃]")
_MARK_PAIRS = {_AT_MARKS: ("@", "＠"), _HASH_MARKS: ("#", "＃")}


def _from_marks(
    text: str,
    pattern: regex.Pattern[str],
    marks: re.Pattern[str],
    kind: SpanKind,
    plain: re.Pattern[str] | None = None,
) -> list[Span]:
    """What ``pattern.finditer(text)`` finds, when every match starts with one of ``marks``
    (what precedes the mark is only looked at, behind): the pattern is tried at the marks
    only. Its leading look-behinds keep the engine from skipping ahead to a mark itself,
    so that ``finditer`` tries it at every character of the text, several times slower.
    """
    found: list[Span] = []
    match = pattern.match
    ascii_mark, wide_mark = _MARK_PAIRS[marks]
    if wide_mark in text:
        ats = [mark.start() for mark in marks.finditer(text)]
    else:  # the usual case: the ASCII mark alone, found by str.find (no scan of a class)
        ats = []
        at = text.find(ascii_mark)
        while at >= 0:
            ats.append(at)
            at = text.find(ascii_mark, at + 1)
    end = 0  # matches do not overlap: the next one starts at or after the last end
    for at in ats:
        if at < end:
            continue
        if plain is not None and (not at or text[at - 1] in _PLAIN_BEFORE):
            quick = plain.match(text, at)
            if quick is not None:  # what ``pattern`` matches there, found by ``re``
                end = quick.end()
                found.append(new_span(at, end, kind, quick.group()))
                continue
        m = match(text, at)
        if m is not None:
            end = m.end()
            found.append(new_span(at, end, kind, m.group()))
    return found


# ----------------------------------------------------------------------- cashtags


_CASHTAG = (
    r"(?:^|(?<=\s))\$[A-Za-z]{1,6}(?:[._][A-Za-z]{1,2})?"
    r"(?=$|\s|[!'#%&()*+,\\\-./:;<=>?@\[\]^_{|}~$])"
)


def cashtags(text: str) -> list[Span]:
    """Cashtags such as ``$TEST`` or ``$symbol.ab`` (twitter-text rules)."""
    if "$" not in text:
        return []
    return [
        new_span(m.start(), m.end(), "cashtag", m.group()) for m in _regex(_CASHTAG).finditer(text)
    ]


# -------------------------------------------------------------------------- emoji

_EMOJI_ELEMENT = (
    r"(?:"
    r"[0-9#*]\uFE0F?\u20E3"  # keycap, with or without VS16
    r"|\p{RI}\p{RI}"  # flag
    r"|\p{EBase}\uFE0F?\p{EMod}\uFE0F?"  # skin tone
    # any other emoji character (not a lone digit/#/*/regional indicator),
    # with an optional VS16 or tag sequence, unless asked to render as text
    r"|(?![0-9#*\p{RI}])\p{Emoji}(?:\uFE0F|[\U000E0020-\U000E007E]+\U000E007F)?(?!\uFE0E)"
    r")"
)
_EMOJI = rf"{_EMOJI_ELEMENT}(?:\u200D{_EMOJI_ELEMENT})*"
# Every character an emoji sequence can hold, and U+FE0E: a superset of the regex
# module's emoji properties (tests check it), written for the standard library, whose
# scan for a character class is fast.
_EMOJI_ZONE = (
    "\u00a9\u00ae\u200d\u203c\u2049\u20e3\u2122\u2139\u2194-\u21aa\u231a-\u23ff\u24c2"
    "\u25aa-\u27bf\u2934\u2935\u2b05-\u2b55\u3030\u303d\u3297\u3299\ufe0e\ufe0f"
    "\U0001f000-\U0010ffff"
)


@cache
def _emoji_zone_re() -> re.Pattern[str]:
    return re.compile(f"[{_EMOJI_ZONE}]")


def emoji_spans(text: str) -> list[Span]:
    """Whole emoji sequences: ``👨‍👩‍👧``, ``👋🏽``, ``🇫🇷``, ``1️⃣``, ``🏴󠁧󠁢󠁳󠁣󠁴󠁿``, ``❤️``.

    Text-default emoji characters such as ``©`` or ``☺`` count as emoji too
    (as in the emoji package and twitter-text), except when followed by the
    text presentation selector U+FE0E.
    """
    return [new_span(start, end, "emoji", text[start:end]) for start, end in emoji_bounds(text)]


def emoji_bounds(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each of :func:`emoji_spans`.

    No emoji sequence starts before the first zone character but the digit, ``#`` or
    ``*`` of a keycap right before it, so the emoji pattern (whose scan of each
    character costs far more) starts there.
    """
    if text.isascii():  # every emoji sequence has a non-ASCII code point
        return []
    # Every sequence starts at a zone character or at a keycap's character just
    # before one, so the pattern is tried there only, in order (what ``finditer``
    # finds, without the regex module testing every character in between).
    match = _regex(_EMOJI).match
    in_zone = _emoji_zone_re().match
    found: list[tuple[int, int]] = []
    pos = 0  # where the next sequence may start: the end of the last one
    for zone in _emoji_zone_re().finditer(text):
        at = zone.start()
        if at < pos:
            continue
        if at > pos and text[at - 1] in "0123456789#*":
            m = match(text, at - 1)
            if m is not None:
                found.append(m.span())
                pos = m.end()
                continue
        nxt = at + 1
        if (nxt == len(text) or in_zone(text, nxt) is None) and _PLAIN_EMOJI[text[at]]:
            # One emoji character and nothing that could join it (every selector,
            # modifier, joiner, keycap mark and tag is a zone character): the pattern's
            # match is that character, told without a call of the regex module.
            found.append((at, nxt))
            pos = nxt
            continue
        m = match(text, at)
        if m is not None:
            found.append(m.span())
            pos = m.end()
    return found


class _PlainEmoji(dict[str, bool]):
    """Whether a character alone is a whole emoji sequence when nothing joins it (an
    emoji, not a keycap's base or a regional indicator), remembered per character."""

    def __missing__(self, char: str) -> bool:
        if len(self) >= 4096:
            self.clear()  # bounded, whatever the texts hold
        plain = self[char] = _regex(_PLAIN_EMOJI_CHAR).fullmatch(char) is not None
        return plain


_PLAIN_EMOJI_CHAR = r"(?![0-9#*\p{RI}])\p{Emoji}"
_PLAIN_EMOJI = _PlainEmoji()


# -------------------------------------------------------- merging and boundaries


def drop_overlapping(candidates: Iterable[Span], keep: list[Span]) -> list[Span]:
    """The ``candidates`` that overlap none of ``keep``.

    ``keep`` must be sorted by start and free of overlaps (as :func:`urls`
    returns them); ``candidates`` may come in any order, which is kept.
    """
    if not keep:
        return list(candidates)
    starts = [s.start for s in keep]
    result: list[Span] = []
    for span in candidates:
        i = bisect_right(starts, span.start)
        if i and keep[i - 1].end > span.start:
            continue
        if i < len(keep) and keep[i].start < span.end:
            continue
        result.append(span)
    return result


def protected_spans(text: str) -> list[Span]:
    """URLs, mentions, hashtags and cashtags: sorted, non-overlapping.

    URLs win over anything inside them (``example.com/#frag``,
    ``https://mastodon.social/@user``); among the rest the earlier span wins.
    """
    merged = urls(text)  # a new list: the others join it
    others = mentions(text) + _hashtag_candidates(text) + cashtags(text)
    if not others:
        return merged
    others.sort(key=_START)
    if merged:
        others = drop_overlapping(others, merged)
    links = len(merged)
    last_end = -1
    for span in others:
        if span.start >= last_end:
            merged.append(span)
            last_end = span.end
    if links:  # the others came sorted; with links before them, sort the whole
        merged.sort(key=_START)
    return merged


_START = attrgetter("start")


# Grapheme_Cluster_Break values of characters that can share a cluster with a
# neighbour. Between two characters with any other value (Other, Control, CR,
# LF) UAX #29 always puts a boundary, except inside CR LF.
_GRAPHEME = r"\X"  # one extended grapheme cluster (UAX #29)
_JOINING_CLASS = (
    r"[\p{GCB=Extend}\p{GCB=ZWJ}\p{GCB=SpacingMark}\p{GCB=Prepend}\p{GCB=RI}"
    r"\p{GCB=L}\p{GCB=V}\p{GCB=T}\p{GCB=LV}\p{GCB=LVT}]+"
)


@cache
def _joining_run_re() -> re.Pattern[str]:
    """A fast standard-library superset of ``_JOINING_CLASS``.

    The BMP part is copied once from the ``regex`` module's own property data
    (so it follows the Unicode version that ``\\X`` uses); every astral
    character is included, which only widens the regions handed to ``\\X``
    and keeps the character class small enough for the standard library's
    fast path.
    """
    import regex  # type: ignore[import-untyped, unused-ignore]

    ranges = _cached_ranges(regex.__version__)
    if ranges is None:
        block = "".join(map(chr, range(0x10000)))
        joining = _regex(_JOINING_CLASS)
        ranges = "".join(
            f"\\u{m.start():04x}-\\u{m.end() - 1:04x}" for m in joining.finditer(block)
        )
        _keep_ranges(regex.__version__, ranges)
    return re.compile(f"[{ranges}\\U00010000-\\U0010ffff]+")


# Scanning the BMP for those properties costs a cold process about 20 ms: the ranges
# are kept in the user cache, per version of ``regex`` (which decides the Unicode data).
_RANGES_SHAPE = re.compile(r"(?:\\u[0-9a-f]{4}-\\u[0-9a-f]{4})+")


def _ranges_file(version: str) -> str:
    import sys

    from toolkit.files.user_cache import cache_root

    name = f"joining-{version}-py{sys.version_info[0]}.{sys.version_info[1]}.txt"
    return str(cache_root() / "text" / name)


def _cached_ranges(version: str) -> str | None:
    try:
        with open(_ranges_file(version), encoding="ascii") as fh:
            ranges = fh.read()
    except (OSError, ValueError):
        return None
    return ranges if _RANGES_SHAPE.fullmatch(ranges) else None  # damaged: made again


def _keep_ranges(version: str, ranges: str) -> None:
    import contextlib
    from pathlib import Path

    from toolkit.errors import ToolkitError
    from toolkit.files.atomic import atomic_write

    # An unwritable cache costs the saving, never the run.
    with contextlib.suppress(ToolkitError):
        atomic_write(Path(_ranges_file(version)), ranges.encode("ascii"))


def _joining_regions(text: str) -> Iterator[tuple[int, int]]:
    """Disjoint, sorted ``(lo, hi)`` slices outside which every offset is a boundary.

    Each run of joining characters is widened by one character on each side
    (never splitting a CR LF); overlapping regions are merged. Clustering a
    region on its own gives the same boundaries as clustering the whole text.
    """
    n = len(text)
    lo = hi = -1
    for run in _joining_run_re().finditer(text):
        start = max(run.start() - 1, 0)
        if start and text[start] == "\n" and text[start - 1] == "\r":
            start -= 1
        end = min(run.end() + 1, n)
        if end < n and text[end - 1] == "\r" and text[end] == "\n":
            end += 1
        if start < hi:
            hi = end
            continue
        if hi > lo:
            yield lo, hi
        lo, hi = start, end
    if hi > lo:
        yield lo, hi


def grapheme_boundaries(text: str) -> list[int]:
    """Offsets ``0 … len(text)`` between extended grapheme clusters (UAX #29)."""
    n = len(text)
    if text.isascii():
        bounds = list(range(n + 1))
    else:
        bounds = []
        pos = 0  # the first offset not yet decided
        for lo, hi in _joining_regions(text):
            bounds.extend(range(pos, lo + 1))
            bounds.extend(lo + m.end() for m in _regex(_GRAPHEME).finditer(text[lo:hi]))
            pos = hi + 1
        bounds.extend(range(pos, n + 1))
    if "\r\n" in text:
        bounds = [i for i in bounds if text[i - 1 : i + 1] != "\r\n"]
    return bounds


def grapheme_count(text: str) -> int:
    """Number of extended grapheme clusters (UAX #29), ``len(grapheme_boundaries(text)) - 1``."""
    clusters = len(text) - text.count("\r\n")
    if not text.isascii():
        for lo, hi in _joining_regions(text):
            region = text[lo:hi]
            # the regions hold whole CR LF pairs, already counted once above
            clusters += len(_regex(_GRAPHEME).findall(region)) - len(region) + region.count("\r\n")
    return clusters


def safe_cut_points(text: str) -> list[int]:
    """Grapheme boundaries that are not strictly inside a protected span."""
    bounds = grapheme_boundaries(text)
    spans = protected_spans(text)
    if not spans:
        return bounds
    result: list[int] = []
    k = 0
    for b in bounds:
        while k < len(spans) and spans[k].end <= b:
            k += 1
        if k < len(spans) and spans[k].start < b:
            continue  # spans[k].start < b < spans[k].end
        result.append(b)
    return result
