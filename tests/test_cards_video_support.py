"""Small videos made inside the tests (no binary fixtures): helpers, no tests here.

A clip is a list of stretches, each a few seconds of one kind of picture:
``sharp`` (a detailed scene with a moving figure), ``blur`` (the same scene
out of focus), ``black``, ``white`` (blown out), ``other`` (a second scene,
for cuts). Encoded with PyAV's own FFmpeg as H.264.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageOps


@cache
def _scene(size: tuple[int, int], seed: int) -> Image.Image:
    w, h = size
    img = Image.new("RGB", size, (40 + seed * 60, 90, 140 - seed * 40))
    draw = ImageDraw.Draw(img)
    step = max(4, w // 40)
    for y in range(0, h, step):
        for x in range(0, w, step):
            if (x // step + y // step + seed) % 3 == 0:
                shade = 80 + ((x * 7 + y * 13 + seed * 50) % 150)
                colour = (shade, 200 - shade // 2, 90)
                draw.rectangle((x, y, x + step - 1, y + step - 1), fill=colour)
    for i in range(6):
        x0, y0 = (i * 97 + seed * 31) % (w - w // 5), (i * 53 + seed * 17) % (h - h // 5)
        draw.ellipse((x0, y0, x0 + w // 6, y0 + h // 5), outline=(250, 240, 220), width=3)
    return img


def frame(kind: str, size: tuple[int, int], index: int) -> Image.Image:
    if kind == "black":
        return Image.new("RGB", size, (3, 3, 4))
    if kind == "white":
        return Image.new("RGB", size, (254, 254, 252))
    img = _scene(size, 1 if kind == "other" else 0)
    w, h = size
    x = (index * w // 40) % (w - w // 8)
    ImageDraw.Draw(img).rectangle((x, h // 2, x + w // 8, h // 2 + h // 6), fill=(240, 60, 40))
    if kind == "blur":
        img = img.filter(ImageFilter.GaussianBlur(max(3, w // 60)))
    if kind == "other":  # another shot: light where the first is dark
        img = ImageOps.invert(img)
    return img


def write_clip(
    path: Path,
    stretches: Sequence[tuple[str, float]],
    *,
    size: tuple[int, int] = (320, 180),
    fps: int = 10,
    gop: int = 5,
    hold: int = 1,
) -> Path:
    """Encode the ``(kind, seconds)`` stretches one after another; a keyframe every ``gop``.

    The moving figure steps every ``hold`` frames (a long clip is quicker to make).
    """
    import av

    with av.open(str(path), "w") as out:
        stream = out.add_stream("libx264", rate=fps)
        stream.width, stream.height = size
        stream.pix_fmt = "yuv420p"
        stream.codec_context.gop_size = gop
        stream.codec_context.options = {"preset": "ultrafast", "sc_threshold": "0", "bf": "0"}
        index = 0
        for kind, seconds in stretches:
            made: dict[int, av.VideoFrame] = {}
            for _ in range(round(seconds * fps)):
                step = index // hold
                if step not in made:
                    made = {step: av.VideoFrame.from_image(frame(kind, size, step))}
                picture = made[step]
                picture.pts = None
                for packet in stream.encode(picture):
                    out.mux(packet)
                index += 1
        for packet in stream.encode():
            out.mux(packet)
    return path
