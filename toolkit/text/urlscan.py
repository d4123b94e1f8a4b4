"""twitter-text's URL rules, in linear time and without a big regex.

twitter-text finds URLs with one regular expression (an optional scheme, a host
whose last label is one of about 1,600 top-level domains, then port, path and
query) run with ``finditer``, and post-processes each match. This module gives
the same spans without that expression:

* the text is cut into runs between white space that hold a dot followed by a
  letter (no URL lies elsewhere), and each run into host segments (letters,
  digits, any other non-ASCII character, ``-``, ``_`` and ``.``);
* a segment's labels are judged once (may it be a subdomain, a domain name, does
  a top-level domain start it), so each possible start is decided in constant
  time, in the order ``finditer`` tries them, as the expression would decide;
* top-level domains are looked up in a set read from ``tlds.txt`` on first use;
* port, path and query are matched by a small regular expression whose
  quantifiers never backtrack.

Offsets are code-point indices into the ``str``. Character classes that name
letters are compiled with ``re.IGNORECASE`` as twitter-text's are, so ``K``
(Kelvin sign), ``ſ``, ``ı`` and ``İ`` count as ASCII letters where it does.
"""

from __future__ import annotations

import os
import re
from functools import cache, lru_cache

__all__ = ["url_bounds"]

# ------------------------------------------------------------- character sets

# twitter-text's white space: no URL contains one (the character before a URL may be one).
SPACES = "\t\n\x0b\x0c\r \x85\xa0\u1680\u180e\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_INVALID = "\ufffe\ufeff\uffff"
_DIRECTIONAL = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
# Characters that end a host: ASCII punctuation other than - _ . (and other than " and `,
# which twitter-text lets into domain names), white space, invalid and directional marks.
_HOST_BREAKS = r"!#$%&'()*+,/:;<=>?@\[\]^{|}~\\" + SPACES + _INVALID + _DIRECTIONAL
# Letters that IGNORECASE matching treats as ASCII letters.
_ASCII_LOOKALIKES = "\u0130\u0131\u017f\u212a"
_ALNUM = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
# A URL without a scheme may not follow one of these.
_BARE_URL_BAD_BEFORE = "-_./"


# A character that is not one of these may precede a URL.
_BAD_BEFORE_URL = frozenset(_ALNUM + "@＠$#＃" + _INVALID + _ASCII_LOOKALIKES)
# A top-level domain must not be followed by one of these.
_BAD_AFTER_TLD = frozenset(_ALNUM + "@+-" + _ASCII_LOOKALIKES)
_MAX_URL_LENGTH = 4096
_MAX_TCO_SLUG_LENGTH = 40

# Letters with accents and Cyrillic, which paths (and schemeless hosts) may hold.
_LATIN_ACCENTS = (
    r"\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff\u0100-\u024f\u0253\u0254\u0256\u0257\u0259"
    r"\u025b\u0263\u0268\u026f\u0272\u0289\u028b\u02bb\u0300-\u036f\u1e00-\u1eff"
)
_CYRILLIC = r"\u0400-\u04ff"
# Path characters: those that may end a path, and the others.
_PATH_END = rf"+\-a-z{_CYRILLIC}0-9=_#/{_LATIN_ACCENTS}"
_PATH_MID = r"!*';:,.$%\[\]\u2013~@|&"
_PATH_ANY = _PATH_END + _PATH_MID
# Query characters: those that may end a query, and the others.
_QUERY_END = r"a-z0-9\-_&=#/"
_QUERY_MID = r"!?*'@();:+$%\[\].,~|"
# Characters of a host label in a URL without a scheme.
_BARE_LABEL = rf"\-a-z0-9{_LATIN_ACCENTS}"


# --------------------------------------------------------------- regexes (lazy)


@cache
def _host_run() -> re.Pattern[str]:
    return re.compile(f"[^{_HOST_BREAKS}]*")


@cache
def _start_candidate() -> re.Pattern[str]:
    # A host character (not - _ .) where a URL may start: first in the text, or after a
    # character allowed before a URL.
    bad_before = "".join(sorted(_BAD_BEFORE_URL))
    return re.compile(rf"(?:^|(?<=[^{re.escape(bad_before)}]))[^{_HOST_BREAKS}\-_.]")


@cache
def _scheme() -> re.Pattern[str]:
    return re.compile(r"https?://", re.IGNORECASE)


@cache
def _ascii_letters() -> re.Pattern[str]:
    return re.compile("[A-Za-z]*")


@cache
def _punycode() -> re.Pattern[str]:
    return re.compile(r"xn--[\-0-9a-z]+", re.IGNORECASE)


@cache
def _not_bare_label() -> re.Pattern[str]:
    return re.compile(rf"[^{_BARE_LABEL}]", re.IGNORECASE)


_QUERY = rf"\?(?:[{_QUERY_MID}]*+[{_QUERY_END}])++"


@cache
def _after_host() -> re.Pattern[str]:
    """Port, path and query after a host, matched without backtracking.

    A path takes path characters and balanced parentheses (one level of nesting)
    up to the last character that may end a path, then any parentheses right
    after it. (twitter-text's path pattern reads "characters ending in an ending
    character, or one parenthesised group", because its ending-character
    alternation is pasted in without a group.) A query takes query characters
    up to the last one that may end a query.
    """
    return _port_path_query(_PATH_END, _PATH_MID, _QUERY)


# The path classes without their non-ASCII characters (none of which matches an ASCII
# character, ignoring case or not: tests/test_week_urlscan_ascii.py checks every class).
_PATH_END_ASCII = r"+\-a-z0-9=_#/"
_PATH_MID_ASCII = r"!*';:,.$%\[\]~@|&"


@cache
def _after_host_ascii() -> re.Pattern[str]:
    """``_after_host`` for ASCII text: compiling the full one's classes of accented and
    Cyrillic letters (ten of them) costs some 7 ms, more than a week's URLs take to
    scan; most tails after a host are ASCII, and this one compiles in a tenth of it."""
    return _port_path_query(_PATH_END_ASCII, _PATH_MID_ASCII, _QUERY)


def _port_path_query(path_end: str, path_mid: str, query: str) -> re.Pattern[str]:
    any_ = f"[{path_end}{path_mid}]"
    parens = rf"\((?:{any_}++\)|{any_}*+\({any_}++\){any_}*+\))"
    path = rf"/(?:(?:[{path_mid}]|{parens})*+[{path_end}])*+(?:{parens})*+"
    return re.compile(rf"(?::[0-9]++)?+(?P<path>{path})?+(?:{query})?+", re.IGNORECASE)


@cache
def _space() -> re.Pattern[str]:
    return re.compile(f"[{SPACES}]")


def _after(text: str, host_end: int) -> re.Match[str]:
    """Port, path and query at ``host_end``. No part of them is white space, so when the
    text up to the next white space is ASCII, the ASCII pattern matches what the full
    one would: its classes hold the same ASCII characters."""
    if not text.isascii():
        space = _space().search(text, host_end)
        if not text[host_end : space.start() if space else len(text)].isascii():
            rest = _after_host().match(text, host_end)
            assert rest is not None  # every part is optional
            return rest
    rest = _after_host_ascii().match(text, host_end)
    assert rest is not None
    return rest


@cache
def _tco() -> re.Pattern[str]:
    return re.compile(rf"https?://t\.co/([a-z0-9]+)(?:{_QUERY})?+", re.IGNORECASE)


# --------------------------------------------------------- top-level domains


@cache
def _tlds() -> tuple[frozenset[str], frozenset[str], frozenset[str], int]:
    """(ASCII TLDs, all TLDs, the characters they use, the longest one's length)."""
    every = frozenset(tld_names())
    return (
        frozenset(n for n in every if n.isascii()),
        every,
        frozenset("".join(every)),
        max(map(len, every)),
    )


def tld_names() -> list[str]:
    """Every top-level domain twitter-text knows, generic ones first, in file order."""
    # (os.path, not pathlib: importing pathlib would cost more than this module)
    with open(os.path.join(os.path.dirname(__file__), "tlds.txt"), encoding="utf-8") as fh:
        lines = [line.strip() for line in fh]
    return [line for line in lines if line and not line.startswith("#")]


@cache
def _alphabet_class() -> re.Pattern[str]:
    return re.compile(f"[{re.escape(''.join(sorted(_tlds()[2])))}]", re.IGNORECASE)


@lru_cache(maxsize=4096)
def fold(char: str) -> str:
    """The TLD character that ``char`` matches ignoring case, else ``char``.

    Most characters need only ``lower()``; a few are equal under IGNORECASE
    without being each other's lowercase (``ſ`` and ``s``, ``ϵ`` and ``ε``,
    ``ᲂ`` and ``о``), which the ``re`` module itself is asked about.
    """
    alphabet = _tlds()[2]
    if char in alphabet:
        return char
    lower = char.lower()
    if len(lower) == 1 and lower in alphabet:
        return lower
    if lower == char == char.upper():
        return char  # uncased (emoji, CJK, digits): IGNORECASE matches it to itself only
    if _alphabet_class().fullmatch(char):
        guess = char.upper().lower()
        for letter in [guess, *sorted(alphabet)]:
            if letter in alphabet and re.fullmatch(re.escape(letter), char, re.IGNORECASE):
                return letter
    return char


def tld_end(text: str, start: int, stop: int) -> int:
    """End of the top-level domain at ``text[start:]`` (not past ``stop``), else -1.

    As in twitter-text: the longest listed name, matched ignoring case and not
    followed by an ASCII letter or digit, ``@``, ``+`` or ``-``; else a punycode
    label (``xn--…``), which needs no such check.
    """
    ascii_tlds, every, _, longest = _tlds()
    end = _ascii_letters().match(text, start, stop).end()  # type: ignore[union-attr]
    after = text[end] if end < stop else ""
    if after.isascii():
        # Only an ASCII name can start here, and only the whole run of letters
        # escapes the check on the character after it.
        name = text[start:end].lower()
        if end - start > 1 and after not in _BAD_AFTER_TLD and name in ascii_tlds:
            return end
    else:
        window = "".join(map(fold, text[start : min(start + longest, stop)]))
        for size in range(len(window), 1, -1):
            nxt = start + size
            if (nxt >= stop or text[nxt] not in _BAD_AFTER_TLD) and window[:size] in every:
                return nxt
    if text.startswith(("xn--", "XN--", "Xn--", "xN--"), start):
        found = _punycode().match(text, start, stop)
        if found:
            return found.end()
    return -1


# ----------------------------------------------------------------- the scan


def url_bounds(text: str, bare: bool = True) -> list[tuple[int, int]]:
    """``(start, end)`` of every URL in ``text`` by twitter-text's rules.

    With ``bare=False`` only URLs with ``http://`` or ``https://`` are kept (the
    others are still matched, so they hide what twitter-text's would hide).
    """
    found: list[tuple[int, int]] = []
    dot = text.find(".")
    if dot < 0:
        return found
    n = len(text)
    backwards = ""
    host_run = _host_run().match
    start = 0  # where finditer's next search begins (the next URL starts after it)
    while 0 <= dot < n - 1:
        after = text[dot + 1]
        if after.isascii() and not after.isalpha():
            dot = text.find(".", dot + 1)  # no top-level domain starts here
            continue
        # The host segment around this dot: scanned backwards on the reversed text.
        if not backwards:
            backwards = text[::-1]
        seg_start = n - host_run(backwards, n - dot).end()  # type: ignore[union-attr]
        seg_end = host_run(text, dot + 1).end()  # type: ignore[union-attr]
        if seg_end > start:
            start = _scan_segment(text, seg_start, seg_end, start, bare, found)
        dot = text.find(".", seg_end)
    return found


def _scan_segment(
    text: str, seg_start: int, seg_end: int, start: int, bare: bool, found: list[tuple[int, int]]
) -> int:
    """Try every URL start that may begin a URL on this host segment, in finditer's order.

    Returns the new search start. ``start`` is 0 before the first match, else the
    end of the last match plus one (a URL starts after the character before it).
    """
    # A scheme right before the segment (the host then starts the segment) is tried first.
    scheme_at = -1
    if seg_start >= 7 and text.startswith("://", seg_start - 3):
        for at in (seg_start - 8, seg_start - 7):
            if at >= start and (at == 0 or text[at - 1] not in _BAD_BEFORE_URL):
                scheme = _scheme().match(text, at, seg_start)
                if scheme and scheme.end() == seg_start:
                    scheme_at = at
                    break
    if start <= seg_start:
        # The usual host: labels none empty, none with "_", none starting or ending with
        # "-", and a top-level domain starting the last one. A URL starting at the
        # segment (or at its scheme) then takes every label up to that domain.
        last_dot = text.rfind(".", seg_start, seg_end)
        head = text[seg_start:last_dot]
        if (
            head
            and head[0] not in "-."
            and head[-1] not in "-."
            and "_" not in head
            and ".." not in head
            and "-." not in head
            and ".-" not in head
            and (
                scheme_at >= 0
                or (seg_start and text[seg_start - 1] not in _BAD_BEFORE_URL)
                or (not seg_start and text[0] in _BAD_BEFORE_URL)  # see the end of this loop
            )
        ):
            end = tld_end(text, last_dot + 1, len(text))
            if end > 0:
                at = scheme_at if scheme_at >= 0 else seg_start
                start = _match(text, at, seg_start, end, bare, found) + 1
                if start >= seg_end:
                    return start
                scheme_at = -1
    hosts = _Host(text, seg_start, seg_end)
    if scheme_at >= 0:
        end = hosts.domain_end(0, seg_start)
        if end > 0:
            start = _match(text, scheme_at, seg_start, end, bare, found) + 1
    candidate = _start_candidate()
    label = 0
    last = len(hosts.starts) - 1
    while label < last:  # the last label is followed by no dot: no URL starts there
        hi = hosts.ends[label]
        url = _label_url(text, hosts, candidate, label, start) if start < hi else None
        if url is None:
            label += 1
            continue
        at, end = url
        if at == 0 and text[0] not in _BAD_BEFORE_URL and candidate.match(text, 1, hi):
            # finditer first lets the first character stand before the URL.
            at = 1
        start = _match(text, at, at, end, bare, found) + 1
    return start


def _label_url(
    text: str, hosts: _Host, candidate: re.Pattern[str], label: int, start: int
) -> tuple[int, int] | None:
    """Where the first URL starting in ``label`` (at or after ``start``) begins, and
    where its domain ends; None when no start in the label leads to a domain."""
    lo, hi = hosts.starts[label], hosts.ends[label]
    first = candidate.search(text, max(lo, start), hi)
    if first is None:
        return None
    at = first.start()
    end = hosts.domain_end(label, at)
    if end >= 0:
        return at, end
    # Later starts in this label give the same answer, unless they come after its
    # last "_" (a domain name, unlike a subdomain, may not hold one).
    underscore = text.rfind("_", at, hi)
    first = candidate.search(text, underscore + 1, hi) if underscore >= 0 else None
    if first is None:
        return None
    end = hosts.domain_end(label, first.start())
    return (first.start(), end) if end >= 0 else None


class _Host:
    """The labels of one host segment, judged once.

    For a start in label ``i``, the regex takes as many following labels as it can as
    subdomains, then backs off until a label that may be a domain name is followed by a
    top-level domain. ``best[i]`` is the last such label among the subdomain labels
    that run from ``i``, so every start is answered in constant time.
    """

    __slots__ = ("best", "ends", "starts", "text", "tld")

    def __init__(self, text: str, seg_start: int, seg_end: int) -> None:
        self.text = text
        starts, ends = _labels(text, seg_start, seg_end)
        self.starts, self.ends = starts, ends
        count = len(starts)
        n = len(text)
        self.tld = [-1] + [tld_end(text, starts[i], n) for i in range(1, count)]
        best = [-1] * (count + 1)
        for i in range(count - 2, -1, -1):  # the last label is no subdomain
            lo, hi = starts[i], ends[i]
            if hi == lo or text[lo] in "-_" or text[hi - 1] in "-_":
                continue  # not a subdomain: the run stops here
            if best[i + 1] >= 0:
                best[i] = best[i + 1]
            elif self.tld[i + 1] > 0 and text.find("_", lo, hi) < 0:
                best[i] = i
        self.best = best

    def domain_end(self, label: int, at: int) -> int:
        """End of the domain that starts at ``at`` in ``label`` (-1: none)."""
        text = self.text
        hi = self.ends[label]
        if label + 1 >= len(self.starts) or at >= hi or text[hi - 1] in "-_":
            return -1
        if text[at] in "-_.":  # (a scheme is followed by any host character)
            return -1
        name = self.best[label + 1]
        if name >= 0:
            return self.tld[name + 1]
        if self.tld[label + 1] > 0 and text.find("_", at, hi) < 0:
            return self.tld[label + 1]
        return -1


def _match(
    text: str, at: int, host: int, host_end: int, bare: bool, found: list[tuple[int, int]]
) -> int:
    """Complete the match ``text[at:…]`` whose host is ``text[host:host_end]``; return its end.

    Appends what twitter-text keeps of it to ``found``: the URL if its host converts
    to IDNA and the URL is not too long; without a scheme, the ASCII domains inside
    the host (the last one with the path), unless the URL follows ``-_./``; a t.co
    link without what follows its slug.
    """
    rest = _after(text, host_end)
    end = rest.end()
    domain = text[host:host_end]
    try:
        punycode_length = len(domain.encode("idna")) if not domain.isascii() else len(domain)
    except ValueError:  # UnicodeError: not a host name IDNA accepts
        return end
    if len(domain) > 63 and domain.isascii() and max(map(len, domain.split("."))) > 63:
        return end  # what IDNA refuses
    scheme_length = host - at if host > at else len("https://")
    if scheme_length + (end - at) - len(domain) + punycode_length > _MAX_URL_LENGTH:
        return end
    if host > at:
        if domain.lower() == "t.co" and text.startswith("/", host_end):
            tco = _tco().match(text, at, end)
            if tco:
                if len(tco.group(1)) > _MAX_TCO_SLUG_LENGTH:
                    return end
                found.append((at, tco.end()))
                return end
        found.append((at, end))
        return end
    if not bare or (at > 0 and text[at - 1] in _BARE_URL_BAD_BEFORE):
        return end
    if domain.isascii() and domain.replace("-", "").replace(".", "").isalnum():
        inner = [(host, host_end)]  # all of it is one ASCII domain
    else:
        inner = _bare_domains(text, host, host_end)
    if inner and rest.group("path") is not None:
        inner[-1] = (inner[-1][0], end)
    found.extend(inner)
    return end


def _labels(text: str, lo: int, hi: int) -> tuple[list[int], list[int]]:
    """Where each dot-separated label of ``text[lo:hi]`` starts and ends."""
    starts: list[int] = []
    ends: list[int] = []
    pos = lo
    for part in text[lo:hi].split("."):
        starts.append(pos)
        pos += len(part)
        ends.append(pos)
        pos += 1
    return starts, ends


def _bare_domains(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """The ASCII domains that twitter-text finds in the host ``text[lo:hi]`` of a bare URL.

    Labels of ASCII letters, digits, ``-`` and accented Latin letters, each followed
    by a dot, then a top-level domain; found left to right without overlap, each the
    longest possible at its start.
    """
    starts, ends = _labels(text, lo, hi)
    count = len(starts)
    not_label = _not_bare_label()
    # first[i]: where the all-label-character tail of label i begins
    first = []
    for s, e in zip(starts, ends, strict=True):
        tail = s
        for bad in not_label.finditer(text, s, e):
            tail = bad.end()
        first.append(tail)
    tld = [-1] + [tld_end(text, starts[i], hi) for i in range(1, count)]
    # best[i]: the last label in i … (end of the run of whole labels from i) with a TLD
    best = [-1] * (count + 1)
    for i in range(count - 1, 0, -1):
        whole = i < count - 1 and first[i] == starts[i] < ends[i]
        if whole and best[i + 1] >= 0:
            best[i] = best[i + 1]
        elif tld[i] > 0:
            best[i] = i
    found: list[tuple[int, int]] = []
    pos = lo
    label = 0
    while label < count - 1:
        at = max(pos, first[label])
        if at >= ends[label]:
            label += 1
            continue
        name = best[label + 1]
        if name < 0:
            label += 1
            continue
        pos = tld[name]
        found.append((at, pos))
        while label < count and ends[label] < pos:
            label += 1
    return found
