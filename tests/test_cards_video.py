"""Thumbnails from a video: the frame picker, the brand's look over the frame, bad input."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageFilter, ImageStat
from typer.testing import CliRunner

from tests.test_cards_support import NOW, need_fonts
from tests.test_cards_video_support import write_clip
from toolkit.cards.api import render_thumbnail
from toolkit.cards.formats import load_formats
from toolkit.cards.geometry import overlap
from toolkit.cards.video import MAX_SAMPLES, grab_frame, parse_time, pick_frame, still
from toolkit.cli import app
from toolkit.files.workspace import Workspace

from .conftest import yaml_data

runner = CliRunner()
FLAWED = [("black", 1.5), ("blur", 1.5), ("white", 1.0), ("sharp", 2.0), ("other", 1.0)]
ERRORS: list[dict[str, Any]] = yaml_data(
    (Path(__file__).parent / "data" / "cards" / "video_errors.yaml").read_text(encoding="utf-8")
)


@pytest.fixture(scope="module")
def flawed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_clip(tmp_path_factory.mktemp("v") / "talk.mp4", FLAWED)


def test_the_picker_avoids_black_blurred_and_blown_out_frames(flawed: Path) -> None:
    pick = pick_frame(flawed)
    assert 4.0 <= pick.time < 7.0, pick
    assert len(pick.samples) <= MAX_SAMPLES
    reasons = " ".join(pick.reasons)
    for flaw in ("black or too dark", "blurred", "blown out"):
        assert flaw in reasons
    by_time = {s.time: s for s in pick.samples}
    assert all("black or too dark" in by_time[t].rejected for t in by_time if t < 1.5)
    assert all("blurred" in by_time[t].rejected for t in by_time if 1.5 <= t < 3.0)
    assert all("blown out" in by_time[t].rejected for t in by_time if 3.0 <= t < 4.0)
    assert pick.image.size == (320, 180)


def test_a_frame_at_a_scene_cut_gives_way(tmp_path: Path) -> None:
    """The sharpest keyframe is the last frame before a cut: the picker takes another."""
    clip = write_clip(tmp_path / "cut.mp4", [("blur", 4.0), ("sharp", 0.1), ("other", 2.0)])
    pick = pick_frame(clip, samples=MAX_SAMPLES)  # every keyframe, the one at 4.0 s too
    cut = next(s for s in pick.samples if abs(s.time - 4.0) < 1e-6)
    assert "at a scene cut or fade" in cut.rejected
    assert pick.time > 4.0 and "at a scene cut or fade" in " ".join(pick.reasons)


def test_the_sample_is_bounded(flawed: Path) -> None:
    assert len(pick_frame(flawed, samples=5).samples) <= 5
    assert len(pick_frame(flawed, samples=500).samples) <= MAX_SAMPLES


@pytest.mark.parametrize(("text", "seconds"), [("12.5", 12.5), ("1:05", 65.0), ("1:00:01", 3601)])
def test_times(text: str, seconds: float) -> None:
    assert parse_time(text) == seconds


def test_a_frame_at_a_given_time(flawed: Path) -> None:
    pick = grab_frame(flawed, 4.55, cover=(160, 90))
    assert abs(pick.time - 4.5) < 1e-6 and pick.image.size == (160, 90)


@pytest.mark.parametrize("cover", [(161, 91), (77, 30), None])
def test_the_still_reads_padded_rows(tmp_path: Path, cover: tuple[int, int] | None) -> None:
    """Read straight from the RGB plane, whose rows may be padded: PyAV's own picture."""
    import av

    clip = write_clip(tmp_path / "odd.mp4", [("sharp", 0.2)], size=(322, 182))
    with av.open(str(clip)) as container:
        frame = next(container.decode(video=0))
        image = still(frame, cover)
        rgb = frame.reformat(
            width=image.width, height=image.height, format="rgb24", interpolation="AREA"
        )
        assert image.tobytes() == rgb.to_image().tobytes()


@pytest.mark.parametrize("size", ["youtube-thumbnail", "story"])
def test_brand_look_over_the_frame(flawed: Path, tmp_path: Path, size: str) -> None:
    """Exact size, under the byte cap, legible title, safe zone and the badge corner kept."""
    need_fonts()
    out = tmp_path / f"{size}.png"
    card = render_thumbnail("Social ROI, proven", now=NOW, size=size, video=flawed, out_path=out)
    book = load_formats(tuple(Workspace.find(None).template_roots()))
    resolved = book.resolve(size)
    with Image.open(out) as image:
        assert image.size == (resolved.width, resolved.height)
    assert card.byte_size <= (resolved.max_bytes or 0)
    assert card.contrast_warnings == ()
    assert card.frame is not None and 4.0 <= card.frame.time < 7.0
    kinds = {p.kind for p in card.placed}
    assert {"text", "logo"} <= kinds
    for placed in card.placed:
        if placed.kind in ("text", "logo"):
            x0, y0, x1, y1 = resolved.safe
            assert x0 <= placed.box[0] and placed.box[2] <= x1, placed
            assert y0 <= placed.box[1] and placed.box[3] <= y1, placed
            assert not any(overlap(placed.box, avoid) for avoid, _ in resolved.avoid), placed


def test_the_frame_shows_through(flawed: Path) -> None:
    """The card's background is the frame (its busy pattern), not the brand's smooth gradient."""
    need_fonts()
    plain = render_thumbnail("Hi", now=NOW, size="square")
    framed = render_thumbnail("Hi", now=NOW, size="square", video=flawed, at=5.0)

    def busy(data: bytes | None) -> float:
        img = Image.open(io.BytesIO(data or b"")).convert("L").crop((0, 0, 1080, 540)).reduce(4)
        return float(ImageStat.Stat(img.filter(ImageFilter.FIND_EDGES)).mean[0])

    assert busy(framed.data) > 3 * busy(plain.data)


def test_json_reports_the_time_and_why(flawed: Path, tmp_path: Path) -> None:
    need_fonts()
    out = tmp_path / "t.jpg"
    result = runner.invoke(
        app, ["thumbnail", "-t", "Hello", "-o", str(out), "--video", str(flawed), "--json"]
    )
    assert result.exit_code == 0, result.output
    (card,) = json.loads(result.stdout)
    assert 4.0 <= card["frame"]["time"] < 7.0 and card["frame"]["reasons"]
    assert card["frame"]["samples"] and out.is_file()


def _make(kind: str, folder: Path) -> Path:
    if kind == "notes":
        path = folder / "notes.mp4"
        path.write_text("meeting notes, not a video\n", encoding="utf-8")
    elif kind == "audio":
        path = folder / "podcast.m4a"
        import av

        with av.open(str(path), "w") as out:
            stream = out.add_stream("aac", rate=16000)
            frame = av.AudioFrame(format="fltp", layout="mono", samples=1024)
            for plane in frame.planes:
                plane.update(bytes(plane.buffer_size))
            frame.sample_rate = 16000
            for i in range(8):
                frame.pts = i * 1024
                for packet in stream.encode(frame):
                    out.mux(packet)
            for packet in stream.encode():
                out.mux(packet)
    elif kind in ("clip", "truncated"):
        path = write_clip(folder / f"{kind}.mp4", [("sharp", 2.0)])
        if kind == "truncated":
            data = path.read_bytes()
            path.write_bytes(data[: len(data) // 2])
    elif kind == "noise":
        path = folder / "noise.mp4"
        path.write_bytes(bytes((i * 97 + 13) % 256 for i in range(20_000)))
    elif kind == "bomb":
        path = folder / "huge.png"
        Image.new("L", (400, 400), 128).save(path)
    else:
        path = folder / "gone.mp4"
    return path


@pytest.mark.parametrize("case", ERRORS, ids=[c["name"] for c in ERRORS])
def test_bad_input_is_exit_2_naming_the_file(
    case: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    need_fonts()
    if case["file"] == "bomb":  # a 400×400 image stands in for a real bomb
        monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 10_000)
    path = _make(case["file"], tmp_path)
    args = [a.replace("{file}", str(path)) for a in case["args"]]
    result = runner.invoke(app, ["thumbnail", "-t", "Hi", "-o", str(tmp_path / "t.png"), *args])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    first = result.output.splitlines()[0]
    assert first.startswith(str(path)), first
    assert case["message"] in result.output
    assert not (tmp_path / "t.png").exists()


def test_faces_are_looked_for_only_with_the_optional_detector(
    flawed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from toolkit.cards import faces

    if faces.available():
        pick = pick_frame(flawed)
        assert any(s.faces is not None for s in pick.samples if not s.rejected)
        assert "no face detector" not in " ".join(pick.reasons)
    monkeypatch.setattr(faces, "available", lambda: False)
    pick = pick_frame(flawed)
    assert all(s.faces is None for s in pick.samples)
    assert "no face detector installed" in " ".join(pick.reasons)
