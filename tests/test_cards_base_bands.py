"""A kept base's PNG bands (``toolkit.cards.base_cache``): a card drawn over a base read back
from the user cache has the same bytes as one drawn from scratch, and encodes only the
bands its text reached; bands that do not fit their entry are rebuilt silently."""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from tests.test_cards_support import NOW, need_fonts, workspace
from toolkit.campaign.loader import load_campaign
from toolkit.cards import base_cache, encode, render
from toolkit.cards.api import render_source
from toolkit.cards.context import CardSource, campaign_source
from toolkit.cards.encode import Bands, fast_png
from toolkit.files.user_cache import read_entry

SIZES = ("x-single", "story")


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    render._BASES.clear()
    yield tmp_path / "cache" / "toolkit" / "bases"
    render._BASES.clear()


def _source(root: Path) -> CardSource:
    briefs = workspace(root)
    return campaign_source(load_campaign(briefs / "en.yaml", now=NOW), now=NOW)


def _card(source: CardSource, size: str) -> bytes:
    render._BASES.clear()  # a new process: the base comes from the user cache, or is drawn
    data = render_source(source, "announcement", size, fmt="png").data
    assert data is not None
    return data


def _counting_bands(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    made: list[int] = []
    original = encode._band

    def band(image: Image.Image, top: int, bottom: int) -> tuple[bytes, int]:
        made.append(top)
        return original(image, top, bottom)

    monkeypatch.setattr(encode, "_band", band)
    return made


def _entries(cache: Path) -> list[Path]:
    return sorted(cache.glob("*.base"))


def _head(entry: Path) -> tuple[dict[str, object], bytes]:
    body = read_entry(entry)
    assert body is not None
    size = int.from_bytes(body[:4], "big")
    return json.loads(body[4 : 4 + size]), body


def _rewrite(entry: Path, head: dict[str, object], rest: bytes) -> None:
    data = json.dumps(head).encode()
    body = len(data).to_bytes(4, "big") + data + rest
    entry.write_bytes(hashlib.sha256(body).digest() + body)


@pytest.mark.parametrize("size", SIZES)
def test_a_card_over_a_kept_base_is_the_same_and_encodes_only_what_its_text_reached(
    tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch, size: str
) -> None:
    need_fonts()
    source = _source(tmp_path)
    first = _card(source, size)  # draws the base, keeps it with its bands
    made = _counting_bands(monkeypatch)
    again = _card(source, size)  # reads it back
    assert again == first
    width, height = Image.open(io.BytesIO(first)).size
    rows = max(1, encode.BAND_BYTES // (3 * width + 1))
    assert 0 < len(made) < -(-height // rows)  # some bands, never all of them
    # The same bytes as a card drawn with no user cache at all.
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "other"))
    monkeypatch.setattr(base_cache, "keeps", lambda name, width, height: False)
    assert _card(source, size) == first


def test_every_band_of_the_base_is_kept_and_each_matches_a_fresh_encode(
    tmp_path: Path, cache: Path
) -> None:
    need_fonts()
    source = _source(tmp_path)
    _card(source, "x-single")
    (entry,) = _entries(cache)
    head, _ = _head(entry)
    found = base_cache.load(str(head["key"]))
    assert found is not None
    pixels, _, _, _, bands = found
    image = pixels.image()
    fresh = Bands(image.size)
    fast_png(image, fresh)
    assert bands.rows == fresh.rows
    assert bands.kept == fresh.kept  # bounded: one entry per band of the image


@pytest.mark.parametrize(
    "damage", ["short", "long", "index", "twice", "rows", "missing", "negative"]
)
def test_bands_that_do_not_fit_their_entry_are_rebuilt_silently(
    tmp_path: Path, cache: Path, damage: str
) -> None:
    need_fonts()
    source = _source(tmp_path)
    first = _card(source, "x-single")
    (entry,) = _entries(cache)
    head, body = _head(entry)
    size = int.from_bytes(body[:4], "big")
    rest = body[4 + size :]
    layout = head["bands"]
    assert isinstance(layout, dict)
    png = layout["png"]
    if damage == "short":
        rest = rest[:-1]
    elif damage == "long":
        rest += b"\x00"
    elif damage == "index":
        png[0][0] = 10_000
    elif damage == "twice":
        png[1][0] = png[0][0]
    elif damage == "rows":
        layout["rows"] = 0
    elif damage == "missing":
        del head["bands"]
    else:
        png[0][2] = -1
    _rewrite(entry, head, rest)
    assert base_cache.load(str(head["key"])) is None
    assert _card(source, "x-single") == first  # drawn again, and kept again
    assert base_cache.load(str(head["key"])) is not None


def test_a_damaged_entry_is_rebuilt_silently(tmp_path: Path, cache: Path) -> None:
    need_fonts()
    source = _source(tmp_path)
    first = _card(source, "x-single")
    (entry,) = _entries(cache)
    blob = bytearray(entry.read_bytes())
    blob[-5] ^= 0xFF  # in the bands: the digest no longer matches
    entry.write_bytes(bytes(blob))
    assert _card(source, "x-single") == first
    head, _ = _head(entry)
    assert base_cache.load(str(head["key"])) is not None


def _formats(source: CardSource, fmt: str, cap: int | None = None) -> tuple[bytes, bytes]:
    """The card as a new process draws it over a base read back from the user cache
    (only the rows its PNG reads are decoded), then again over the same base."""
    render._BASES.clear()
    first = render_source(source, "announcement", "x-single", fmt=fmt, max_bytes=cap).data  # type: ignore[arg-type]
    second = render_source(source, "announcement", "x-single", fmt=fmt, max_bytes=cap).data  # type: ignore[arg-type]
    assert first is not None and second is not None
    return first, second


@pytest.mark.parametrize("fmt", ["png", "jpeg", "webp", "capped png"])
def test_cards_over_a_base_read_back_are_the_same_as_drawn_from_scratch(
    tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    need_fonts()
    source = _source(tmp_path)
    cap = None
    if fmt == "capped png":  # re-encoded by Pillow: every row of the card is read
        fmt, cap = "png", len(_card(source, "x-single")) - 1
    _formats(source, fmt, cap)  # draws the base and keeps it
    kept = _formats(source, fmt, cap)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "other"))
    monkeypatch.setattr(base_cache, "keeps", lambda name, width, height: False)
    assert kept == _formats(source, fmt, cap)
