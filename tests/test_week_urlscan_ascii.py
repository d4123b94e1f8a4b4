"""The ASCII pattern for a URL's port, path and query (``urlscan._after_host_ascii``)
matches what the full one matches wherever the text up to the next white space is ASCII."""

from __future__ import annotations

import random
import re

import pytest

from toolkit.text import urlscan
from toolkit.text.urlscan import url_bounds

ASCII = "".join(map(chr, range(128)))
CLASSES = [
    (urlscan._PATH_END, urlscan._PATH_END_ASCII),
    (urlscan._PATH_MID, urlscan._PATH_MID_ASCII),
    (urlscan._PATH_END + urlscan._PATH_MID, urlscan._PATH_END_ASCII + urlscan._PATH_MID_ASCII),
]


@pytest.mark.parametrize(("full", "ascii_only"), CLASSES)
def test_each_class_holds_the_same_ascii_characters(full: str, ascii_only: str) -> None:
    assert re.findall(f"[{full}]", ASCII, re.IGNORECASE) == re.findall(
        f"[{ascii_only}]", ASCII, re.IGNORECASE
    )
    assert ascii_only.isascii()


def test_no_class_holds_white_space() -> None:
    spaces = "".join(re.findall(f"[{urlscan.SPACES}]", "".join(map(chr, range(0x3001)))))
    for full, _ in CLASSES:
        assert not re.findall(f"[{full}]", spaces, re.IGNORECASE)
    assert not re.findall(f"[{urlscan._QUERY_END}{urlscan._QUERY_MID}]", spaces, re.IGNORECASE)


def test_the_two_patterns_agree_on_ascii_tails() -> None:
    pieces = list("/aZ0()?=&.,-_#:8!'[]~@|%$*+;\"<`")
    pick = random.Random(16)
    full, ascii_only = urlscan._after_host(), urlscan._after_host_ascii()
    for _ in range(20_000):
        tail = "".join(pick.choice(pieces) for _ in range(pick.randint(0, 14)))
        a, b = full.match(tail), ascii_only.match(tail)
        assert a is not None and b is not None
        assert (a.span(), a.span("path")) == (b.span(), b.span("path")), tail


@pytest.mark.parametrize(
    "text",
    [
        "see https://example.com/café?x=1 now",
        "voir https://exemple.fr/événement/(a)b — merci",
        "詳しくは https://example.jp/path?utm=1 をご覧ください",
        "https://example.com/a–b https://example.com/x?y=ż",
        "Привет https://пример.рф/путь?q=1 и example.com/ok",
        "https://example.com/ok\u00a0https://example.com/é",
    ],
)
def test_urls_with_non_ascii_around_them_are_found_as_before(text: str) -> None:
    # The full pattern alone, as before the ASCII one existed.
    found = url_bounds(text)
    urlscan._after_host_ascii.cache_clear()
    original = urlscan._after_host_ascii
    try:
        urlscan._after_host_ascii = urlscan._after_host  # type: ignore[assignment]
        assert url_bounds(text) == found
    finally:
        urlscan._after_host_ascii = original  # type: ignore[assignment]
