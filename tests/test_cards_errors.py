"""Bad card inputs: a located message with a hint, exit 2, never a traceback; and the CLI."""

from __future__ import annotations

import json
import os
import shutil
import struct
import zlib
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tests.test_cards_support import need_fonts, workspace
from toolkit.cli import app

from .conftest import yaml_data

CASES: list[dict[str, Any]] = yaml_data(
    (Path(__file__).parent / "data" / "cards" / "errors.yaml").read_text(encoding="utf-8")
)
runner = CliRunner()


def _bomb() -> bytes:
    """A PNG whose header claims 30000 × 30000 pixels (Pillow refuses it before decoding)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 30000, 30000, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b""))
        + chunk(b"IEND", b"")
    )


def _setup(case: dict[str, Any], root: Path) -> Path:
    briefs = workspace(root)
    brand = briefs.parent
    for name, edits in (("brand.yaml", case.get("brand")), ("briefs/en.yaml", case.get("brief"))):
        if edits:
            path = brand / name
            text = path.read_text(encoding="utf-8")
            for old, new in edits:
                assert old in text, old
                text = text.replace(old, new)
            path.write_text(text, encoding="utf-8")
    for rel, kind in (case.get("files") or {}).items():
        target = (
            (brand / rel).resolve()
            if not rel.startswith("..")
            else Path(os.path.normpath(brand / rel))
        )
        target.parent.mkdir(parents=True, exist_ok=True)
        if kind.startswith("text:"):
            target.write_text(kind[5:], encoding="utf-8")
        elif kind == "bomb":
            target.write_bytes(_bomb())
        elif kind == "gif":
            from PIL import Image

            Image.new("RGB", (8, 8)).save(target, "GIF")
        elif kind.startswith("copy:"):
            shutil.copy(brand / kind[5:], target)
        elif kind.startswith("symlink:"):
            target.symlink_to(kind[8:])
    if "layout" in case:
        folder = root / "templates" / "cards"
        folder.mkdir(parents=True)
        (folder / "custom.yaml").write_text(case["layout"], encoding="utf-8")
    return briefs / "en.yaml"


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_bad_card_input_is_a_located_error(
    case: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    need_fonts()
    root = tmp_path / "a" / "b" / "ws"
    brief = _setup(case, root)
    monkeypatch.chdir(root)
    args = case.get("args") or ["render", "{brief}", "-l", "event", "-s", "square"]
    args = [a.replace("{brief}", str(brief)).replace("{out}", str(tmp_path)) for a in args]
    result = runner.invoke(
        app,
        [
            *args,
            "-o" if args[0] == "render" else "--json",
            *([str(tmp_path / "out")] if args[0] == "render" else []),
        ],
    )
    output = result.output
    assert result.exit_code == 2, output
    assert "Traceback" not in output
    first = output.splitlines()[0]
    where = case["where"]
    if where != "error:":
        where = (
            str((root / where).resolve())
            if not where.startswith("templates/cards/thumb")
            else where
        )
    assert first.startswith(where) or where in first, first
    assert case["says"] in first, first
    if "hint" in case:
        assert case["hint"] in output


def test_render_writes_every_card_with_alt_text(tmp_path: Path) -> None:
    need_fonts()
    brief = workspace(tmp_path / "ws") / "tr.yaml"
    out = tmp_path / "cards"
    result = runner.invoke(
        app,
        [
            "render",
            str(brief),
            "-o",
            str(out),
            "-s",
            "square",
            "-s",
            "1200x630",
            "-f",
            "jpeg",
            "-w",
            "1",
            "--now",
            "2026-11-23T09:00",
        ],
    )
    assert result.exit_code == 0, result.output
    images = sorted(p.name for p in out.glob("*.jpg"))
    assert images == sorted(
        f"{layout}-{size}.jpg"
        for layout in ("announcement", "event", "key_stat", "quote", "thumbnail")
        for size in ("square", "opengraph")
    )
    assert result.output.count("wrote ") == 10
    alt = (out / "event-square.txt").read_text(encoding="utf-8")
    assert "Sosyal medyanın getirisi" in alt and "Ada Lovelace" in alt
    again = runner.invoke(
        app,
        [
            "render",
            str(brief),
            "-o",
            str(out),
            "-l",
            "quote",
            "-s",
            "square",
            "-f",
            "jpeg",
            "--json",
        ],
    )
    cards = json.loads(again.output)
    assert cards[0]["alt_text"].startswith("“Tahmin") and cards[0]["format"] == "jpeg"
    assert cards[0]["path"].endswith("quote-square.jpg") and cards[0]["bytes"] > 10_000


def test_thumbnail_and_strict_contrast(tmp_path: Path) -> None:
    need_fonts()
    briefs = workspace(tmp_path / "ws")
    brand = briefs.parent / "brand.yaml"
    brand.write_text(
        brand.read_text(encoding="utf-8").replace('text: "#0B1F3A"', 'text: "#D0D4DA"'),
        encoding="utf-8",
    )
    out = tmp_path / "q"
    args = ["render", str(briefs / "en.yaml"), "-l", "quote", "-s", "square", "-o", str(out)]
    assert runner.invoke(app, args).exit_code == 0
    strict = runner.invoke(app, [*args, "--strict"])
    assert strict.exit_code == 1
    assert "below WCAG's 4.5:1" in strict.output
    thumb = runner.invoke(app, ["thumbnail", "--title", "Hello", "-o", str(tmp_path / "t.webp")])
    assert thumb.exit_code == 0, thumb.output
    assert "1280×720" in thumb.output and "alt: Hello" in thumb.output
    assert (tmp_path / "t.webp").read_bytes()[8:12] == b"WEBP"
