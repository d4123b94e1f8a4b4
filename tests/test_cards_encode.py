"""Toolkit's own PNG writer: banded deflate in one zlib stream, read back by two decoders."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image

from toolkit.cards import encode as encode_mod
from toolkit.cards.encode import encode, fast_png


def _picture(width: int, height: int) -> Image.Image:
    """Gradients, flat stretches and noise: every kind of row the filter meets."""
    data = bytearray()
    for y in range(height):
        for x in range(width):
            if y % 97 < 40:
                data += bytes(((x + y) % 256, (2 * x) % 256, 200))
            else:
                data += bytes(((x * 31 + y * 17) % 251, (x * y) % 256, (x ^ y) % 256))
    return Image.frombytes("RGB", (width, height), bytes(data))


def _idat(data: bytes) -> bytes:
    """The PNG's zlib stream (every IDAT chunk, in order), its CRCs checked."""
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    at, out = 8, b""
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        tag, body = data[at + 4 : at + 8], data[at + 8 : at + 8 + length]
        assert struct.unpack(">I", data[at + 8 + length : at + 12 + length])[0] == zlib.crc32(
            tag + body
        )
        if tag == b"IDAT":
            out += body
        at += 12 + length
    return out


@pytest.mark.parametrize("band_bytes", [1, 5_000, encode_mod.BAND_BYTES])
def test_bands_make_one_valid_stream(
    band_bytes: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One row per band, a few rows, and the default: the same pixels in Pillow and in
    FFmpeg's PNG decoder (through PyAV), and zlib checks the stream's checksum."""
    import av

    monkeypatch.setattr(encode_mod, "BAND_BYTES", band_bytes)
    image = _picture(301, 150)
    data = fast_png(image)
    assert data == fast_png(image)  # the same pixels, the same bytes
    raw = zlib.decompress(_idat(data))  # raises on a bad stream or checksum
    assert len(raw) == 150 * (3 * 301 + 1) and raw[0] == 2
    with Image.open(io.BytesIO(data)) as back:
        assert back.format == "PNG" and back.convert("RGB").tobytes() == image.tobytes()
    path = tmp_path / "card.png"
    path.write_bytes(data)
    with av.open(str(path)) as container:
        frame = next(container.decode(video=0))
        assert frame.to_image().convert("RGB").tobytes() == image.tobytes()


def test_a_band_is_the_same_wherever_it_was_drawn() -> None:
    """Bands are deflated on their own: the rows a card shares with another (a deck's
    background) come out as the same bytes in both files."""
    first = _picture(400, 700)
    second = first.copy()
    second.paste((10, 20, 30), (50, 600, 350, 690))  # only the bottom band changes
    assert encode_mod.BAND_BYTES // (3 * 400 + 1) < 600  # more than one band
    a, b = _idat(fast_png(first)), _idat(fast_png(second))
    common = next(i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y)
    assert common > len(a) // 3
    assert encode(second, "png") == fast_png(second)


_AFTER_JUNK = """
import hashlib, os, random, sys
sys.path.insert(0, {root!r})
from tests.test_cards_encode import _picture
from toolkit.cards.encode import fast_png
rng = random.Random(int(sys.argv[1]))
heap = [bytearray(os.urandom(rng.randint(1_000, 400_000))) for _ in range(40)]
del heap[::2]  # freed blocks full of noise, where the writer's buffers may land
print(hashlib.sha256(fast_png(_picture(240, 600))).hexdigest())
"""


def test_the_same_pixels_give_the_same_bytes_in_any_process() -> None:
    """Whatever the heap held before: drafts and cards that did not change stay unchanged."""
    import subprocess
    import sys

    root = str(Path(__file__).resolve().parents[1])
    script = _AFTER_JUNK.format(root=root)
    digests = {
        subprocess.run(
            [sys.executable, "-c", script, str(seed)], capture_output=True, text=True, check=True
        ).stdout
        for seed in (1, 2)
    }
    assert len(digests) == 1
