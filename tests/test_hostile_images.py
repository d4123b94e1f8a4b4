"""Logos from anywhere: broken files fail clearly; odd but valid ones render."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image
from typer.testing import CliRunner

from tests.test_cards_support import need_fonts, workspace
from toolkit.cli import app

runner = CliRunner()


def _png(mode: str = "RGBA", size: tuple[int, int] = (64, 32)) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, 200 if mode in ("L", "I;16") else (30, 80, 200, 255)).save(buffer, "PNG")
    return buffer.getvalue()


def _png16() -> bytes:
    buffer = io.BytesIO()
    Image.new("I;16", (64, 32), 40000).save(buffer, "PNG")
    return buffer.getvalue()


def _cmyk_jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("CMYK", (64, 32), (200, 20, 0, 10)).save(buffer, "JPEG")
    return buffer.getvalue()


def _jpeg_as_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 32), (30, 80, 200)).save(buffer, "JPEG")
    return buffer.getvalue()


def _huge_exif() -> bytes:
    image = Image.new("RGB", (64, 32), (30, 80, 200))
    exif = Image.Exif()
    exif[0x010E] = "x" * 60_000  # ImageDescription
    exif[0x0112] = 6  # orientation: rotate
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif.tobytes())
    return buffer.getvalue()


BROKEN: dict[str, Callable[[], bytes]] = {
    "zero-byte": lambda: b"",
    "truncated": lambda: _png()[:60],
    "random bytes": lambda: bytes(range(256)) * 4,
}
ODD_BUT_VALID: dict[str, Callable[[], bytes]] = {
    "16-bit PNG": _png16,
    "CMYK JPEG": _cmyk_jpeg,
    "JPEG named .png": _jpeg_as_png,
    "huge EXIF": _huge_exif,
    "grey PNG": lambda: _png("L"),
}


def _with_logo(tmp_path: Path, data: bytes) -> Path:
    briefs = workspace(tmp_path / "ws")
    brand = briefs.parent
    (brand / "assets" / "odd.png").write_bytes(data)
    path = brand / "brand.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("logo: assets/logo.png", "logo: assets/odd.png"),
        encoding="utf-8",
    )
    return briefs / "en.yaml"


@pytest.mark.parametrize("name", list(BROKEN))
def test_broken_logo_is_a_located_error(name: str, tmp_path: Path) -> None:
    need_fonts()
    brief = _with_logo(tmp_path, BROKEN[name]())
    args = ["render", str(brief), "-l", "announcement", "-s", "square", "-o", str(tmp_path / "o")]
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert "brand.yaml:" in result.output.splitlines()[0]
    assert "is not a readable PNG, JPEG or WebP image" in result.output


@pytest.mark.parametrize("name", list(ODD_BUT_VALID))
def test_odd_logo_still_renders(name: str, tmp_path: Path) -> None:
    need_fonts()
    brief = _with_logo(tmp_path, ODD_BUT_VALID[name]())
    out = tmp_path / "o"
    args = ["render", str(brief), "-l", "announcement", "-s", "square", "-o", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    (card,) = out.glob("*.png")
    with Image.open(card) as image:
        assert image.size == (1080, 1080)
