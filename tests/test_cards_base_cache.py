"""The kept card bases (``toolkit.cards.base_cache``): a hit draws the same card, a changed
input is a new entry, and a damaged, missing or unwritable cache only costs the drawing."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from PIL import Image

from tests.test_cards_support import NOW, need_fonts, workspace
from toolkit.campaign.loader import load_campaign
from toolkit.cards import assets, base_cache, render
from toolkit.cards.api import draw_card
from toolkit.cards.context import CardSource, campaign_source
from toolkit.cards.encode import Bands

LAYOUT = """\
description: A test layout whose base has every kind of fixed layer.
alt: "{{ campaign }}"
variants:
  landscape:
    design: [1280, 720]
    layers:
      - {type: background, gradient: {start: primary, end: secondary, angle: 35}}
      - {type: background, when: photo, image: photo}
      - {type: scrim, when: photo, colour: secondary, side: left, opacity: 0.8, reach: 0.8}
      - {type: ellipse, box: [1000, -300, 700, 700], colour: accent, opacity: 0.3}
      - {type: rect, box: [60, 600, 400, 60], colour: primary, radius: 20}
      - {type: logo, box: [72, 52, 280, 68]}
      - {name: title, type: text, text: "{{ campaign }}", box: [72, 200, 900, 300],
         font: heading, colour: white, min_size: 30, max_size: 70}
"""


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    return folder / "toolkit" / "bases"


def _source(root: Path, photo: Path | None = None) -> CardSource:
    briefs = root / "brand" / "demo" / "briefs"
    if not briefs.is_dir():
        workspace(root)
    folder = root / "templates" / "cards"
    folder.mkdir(parents=True, exist_ok=True)
    layout = folder / "stage.yaml"
    if not layout.exists():
        layout.write_text(LAYOUT, encoding="utf-8")
    campaign = load_campaign(briefs / "en.yaml", now=NOW)
    from toolkit.cards.api import photo_file

    backdrop = photo_file(photo) if photo is not None else None
    return campaign_source(campaign, now=NOW, photo=backdrop)


def _pixels(source: CardSource, size: str = "x-single") -> bytes:
    """The card as a new process draws it: nothing in memory, the user cache as it is."""
    render._BASES.clear()
    drawn, _, _ = draw_card(source, "stage", size)
    return drawn.image.tobytes()


def _drawn(source: CardSource, size: str = "x-single") -> bytes:
    """The card with no cache at all (what it is without this module)."""
    kept, render.base_cache.load = render.base_cache.load, lambda key: None  # type: ignore[attr-defined]
    keep, render.base_cache.keep = render.base_cache.keep, lambda key, stored: Bands(stored[0].size)  # type: ignore[attr-defined]
    try:
        return _pixels(source, size)
    finally:
        render.base_cache.load, render.base_cache.keep = kept, keep  # type: ignore[attr-defined]


def _entries(cache: Path) -> list[Path]:
    return sorted(cache.glob("*.base")) if cache.is_dir() else []


def _photo(path: Path, colour: tuple[int, int, int]) -> Path:
    Image.new("RGB", (1600, 900), colour).save(path)
    return path


def test_a_kept_base_draws_the_same_card(tmp_path: Path, cache: Path) -> None:
    need_fonts()
    source = _source(tmp_path, _photo(tmp_path / "p.png", (200, 120, 40)))
    fresh = _drawn(source)
    assert _entries(cache) == []
    first = _pixels(source)  # drawn, then kept
    assert len(_entries(cache)) == 1
    second = _pixels(source)  # read back
    assert first == fresh
    assert second == fresh


def test_the_card_is_drawn_on_the_kept_base(tmp_path: Path, cache: Path) -> None:
    """Proof that a hit is used: an entry altered (with a valid digest) shows on the card."""
    need_fonts()
    source = _source(tmp_path)
    honest = _pixels(source)
    key = _only_key(cache)
    found = base_cache.load(key)
    assert found is not None
    pixels, placed, fonts, on_photo, _ = found
    painted = Image.new("RGB", pixels.size, (0, 255, 0))
    base_cache.keep(key, (painted, placed, fonts, on_photo))
    assert _pixels(source) != honest
    assert _pixels(source)[:3] == b"\x00\xff\x00"


def _only_key(cache: Path) -> str:
    (entry,) = _entries(cache)
    return _key_of(entry)


@pytest.mark.parametrize("change", ["layout", "logo", "photo", "colour"])
def test_a_changed_input_is_a_new_entry(tmp_path: Path, cache: Path, change: str) -> None:
    need_fonts()
    photo = _photo(tmp_path / "p.png", (200, 120, 40))
    source = _source(tmp_path, photo)
    before = _pixels(source)
    old = _only_key(cache)
    brand = tmp_path / "brand" / "demo"
    if change == "layout":
        layout = tmp_path / "templates" / "cards" / "stage.yaml"
        layout.write_text(LAYOUT.replace("opacity: 0.3", "opacity: 0.9"), encoding="utf-8")
    elif change == "logo":
        logo = brand / "assets" / "logo.png"
        with Image.open(logo) as img:
            img.convert("RGBA").transpose(Image.Transpose.FLIP_LEFT_RIGHT).save(logo)
    elif change == "photo":
        _photo(photo, (20, 160, 220))
    else:
        text = (brand / "brand.yaml").read_text(encoding="utf-8")
        accent = next(line for line in text.splitlines() if "accent:" in line)
        text = text.replace(accent, accent.split(":")[0] + ': "#00aa55"')
        (brand / "brand.yaml").write_text(text, encoding="utf-8")
    source = _source(tmp_path, photo)
    after = _pixels(source)
    assert after != before
    assert after == _drawn(source)
    assert len(_entries(cache)) == 2  # the old entry is not reused
    assert old in {_key_of(e) for e in _entries(cache)}


def _key_of(entry: Path) -> str:
    body = entry.read_bytes()[32:]
    key: str = json.loads(body[4 : 4 + int.from_bytes(body[:4], "big")])["key"]
    return key


@pytest.mark.parametrize("damage", ["flipped byte", "truncated", "emptied", "deleted", "junk"])
def test_a_damaged_entry_is_drawn_again_silently(tmp_path: Path, cache: Path, damage: str) -> None:
    need_fonts()
    source = _source(tmp_path)
    good = _pixels(source)
    (entry,) = _entries(cache)
    data = entry.read_bytes()
    if damage == "flipped byte":
        entry.write_bytes(data[:-100] + bytes([data[-100] ^ 1]) + data[-99:])
    elif damage == "truncated":
        entry.write_bytes(data[: len(data) // 2])
    elif damage == "emptied":
        entry.write_bytes(b"")
    elif damage == "deleted":
        entry.unlink()
    else:  # a valid digest over bytes that are no entry
        junk = b"not an entry at all"
        entry.write_bytes(hashlib.sha256(junk).digest() + junk)
    assert _pixels(source) == good
    assert entry.read_bytes() == data  # drawn again, and kept again
    assert _pixels(source) == good


def test_an_unwritable_cache_still_draws(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    need_fonts()
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would be", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    source = _source(tmp_path)
    assert _pixels(source) == _drawn(source)
    assert _pixels(source) == _drawn(source)


def test_ad_hoc_sizes_are_not_kept(tmp_path: Path, cache: Path) -> None:
    need_fonts()
    source = _source(tmp_path)
    _pixels(source, "1234x567")
    assert _entries(cache) == []
    _pixels(source, "x-single")
    assert len(_entries(cache)) == 1


@pytest.mark.parametrize(("bound", "value", "most"), [("KEEP", 2, 2), ("KEEP_BYTES", 1, 1)])
def test_the_cache_is_bounded(
    tmp_path: Path,
    cache: Path,
    monkeypatch: pytest.MonkeyPatch,
    bound: str,
    value: int,
    most: int,
) -> None:
    """At most ``KEEP`` entries and ``KEEP_BYTES`` bytes (the newest entry is always kept)."""
    need_fonts()
    monkeypatch.setattr(base_cache, bound, value)
    source = _source(tmp_path)
    for size in ("youtube-thumbnail", "x-single", "linkedin-link", "opengraph"):
        _pixels(source, size)
        assert 1 <= len(_entries(cache)) <= most
    assert _pixels(source, "opengraph") == _drawn(source, "opengraph")


def _event(source: CardSource) -> bytes:
    render._BASES.clear()
    assets.cover.cache_clear()
    drawn, _, _ = draw_card(source, "event", "x-single")
    return drawn.image.tobytes()


def test_speaker_portraits_are_kept_and_follow_their_photo(tmp_path: Path, cache: Path) -> None:
    """The event card's speaker portraits (photo crops over the text layers): kept, read
    back to the same pixels, made again when the photo changes or the entry is damaged."""
    need_fonts()
    source = _source(tmp_path)
    covers = cache.parent / "covers"
    first = _event(source)
    kept = sorted(covers.glob("*.cover"))
    assert len(kept) == 2  # two speakers
    assert _event(source) == first
    for entry in kept:
        entry.write_bytes(entry.read_bytes()[:-10])  # damaged: made again, silently
    assert _event(source) == first
    photo = tmp_path / "brand" / "demo" / "assets" / "speakers" / "ada-lovelace.png"
    with Image.open(photo) as img:
        img.transpose(Image.Transpose.FLIP_TOP_BOTTOM).save(photo)
    source = _source(tmp_path)
    changed = _event(source)
    assert changed != first
    assert len(sorted(covers.glob("*.cover"))) == 3  # a new entry for the changed photo
    assets.cover.cache_clear()
    kept_load, base_cache.load_cover = base_cache.load_cover, lambda key: None
    try:
        assert _event(source) == changed  # what the photo gives without the cache
    finally:
        base_cache.load_cover = kept_load


def test_a_card_over_kept_crops_and_base_decodes_no_photo(
    tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new process drawing the event card again finds its base, its speakers' crops and
    their discs' masks kept: it draws the same card without decoding a photo or drawing
    a disc."""
    need_fonts()
    source = _source(tmp_path)
    assets._kept_mask.cache_clear()
    first = _event(source)
    assert sorted((cache.parent / "shapes").glob("*.shape"))  # the discs and their rings
    assets._open.cache_clear()
    assets._kept_mask.cache_clear()

    def refused(*args: object) -> Image.Image:
        raise AssertionError("a photo was decoded or a mask drawn")

    monkeypatch.setattr(assets, "_open", refused)
    monkeypatch.setattr(assets, "_mask", refused)
    assert _event(source) == first


SWITCH = """\
description: A layer switched on for one card and off for the other.
alt: "{{ campaign }}"
variants:
  landscape:
    design: [1280, 720]
    layers:
      - {type: background, gradient: {start: primary, end: secondary, angle: 35}}
      - {name: over, type: text, when: event_over, text: "Replay", box: [72, 60, 600, 60]}
      - {name: title, type: text, text: "{{ campaign }}", box: [72, 200, 900, 300]}
"""


def test_a_switched_off_layer_does_not_split_the_base(tmp_path: Path, cache: Path) -> None:
    """Before the event the middle layer is off, after it is on: the base drawn under both
    (the background alone) is one entry, in memory and in the user cache."""
    need_fonts()
    before = _source(tmp_path)
    (tmp_path / "templates" / "cards" / "switch.yaml").write_text(SWITCH, encoding="utf-8")
    campaign = load_campaign(tmp_path / "brand" / "demo" / "briefs" / "en.yaml", now=NOW)
    after = campaign_source(campaign, now=NOW, angle="replay")
    assert before.context["event_over"] is False
    assert after.context["event_over"] is True
    render._BASES.clear()
    draw_card(before, "switch", "x-single")
    draw_card(after, "switch", "x-single")
    assert len(render._BASES) == 1
    assert len(_entries(cache)) == 1
