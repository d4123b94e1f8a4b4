"""Draw the demo brand's logo and speaker avatars with Pillow: ``python bench/make_demo_assets.py``.

Everything is drawn from shapes here (the wordmark uses the system's Noto Sans
through fontconfig), so the demo ships no third-party art. Writes
``brand/demo/assets/logo.png`` and ``brand/demo/assets/speakers/*.png``; the
same run gives the same pixels.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

REPO = Path(__file__).resolve().parents[1]
ASSETS = REPO / "brand" / "demo" / "assets"
NAVY = (11, 31, 58)
BLUE = (31, 79, 216)
AMBER = (255, 180, 0)
SS = 4  # supersampling


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        path = subprocess.run(
            ["fc-match", "--format=%{file}", "sans-serif:weight=bold:lang=en"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        return ImageFont.truetype(path, size)
    except (OSError, subprocess.SubprocessError):
        return ImageFont.load_default(size)


def logo() -> Image.Image:
    h = 160 * SS
    font = _font(62 * SS)
    probe = ImageDraw.Draw(Image.new("L", (1, 1)))
    left = 160 * SS + probe.textlength("Northwind ", font=font)
    w = int(left + probe.textlength("Social", font=font) + 48 * SS)
    img = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    d.rounded_rectangle((0, 0, w - 1, h - 1), radius=h // 2, fill=(255, 255, 255, 255))
    # The mark: a blue disc, a white arrow pointing north, an amber gust of wind.
    r = 62 * SS
    cx, cy = 80 * SS, h // 2
    d.ellipse((cx - r, cy - r, cx + r, cy + r), fill=BLUE)
    arrow = [(0, -44), (26, 30), (0, 16), (-26, 30)]
    d.polygon([(cx + x * SS, cy + y * SS) for x, y in arrow], fill=(255, 255, 255))
    for i, length in enumerate((58, 40)):
        y = cy + (8 + i * 18) * SS
        box = (cx - 54 * SS, y, cx - 54 * SS + length * SS, y + 8 * SS)
        d.rounded_rectangle(box, radius=4 * SS, fill=AMBER)
    d.text((160 * SS, cy), "Northwind", font=font, fill=NAVY, anchor="lm")
    d.text((left, cy), "Social", font=font, fill=BLUE, anchor="lm")
    return img.reduce(SS)


def avatar(
    skin: tuple[int, int, int],
    hair: tuple[int, int, int],
    shirt: tuple[int, int, int],
    backdrop: tuple[int, int, int],
    long_hair: bool,
) -> Image.Image:
    n = 512 * SS
    img = Image.new("RGB", (n, n), backdrop)
    d = ImageDraw.Draw(img)
    u = n / 512
    if long_hair:  # hair behind the shoulders
        d.rounded_rectangle((150 * u, 150 * u, 362 * u, 420 * u), radius=90 * u, fill=hair)
    d.ellipse((96 * u, 360 * u, 416 * u, 640 * u), fill=shirt)  # shoulders
    d.rectangle((226 * u, 300 * u, 286 * u, 380 * u), fill=skin)  # neck
    d.ellipse((166 * u, 130 * u, 346 * u, 330 * u), fill=skin)  # head
    if long_hair:
        d.pieslice((160 * u, 118 * u, 352 * u, 300 * u), 180, 360, fill=hair)
        d.ellipse((214 * u, 64 * u, 298 * u, 140 * u), fill=hair)  # bun
    else:
        d.pieslice((162 * u, 116 * u, 350 * u, 280 * u), 185, 355, fill=hair)
        d.chord((190 * u, 250 * u, 322 * u, 340 * u), 0, 180, fill=hair)  # beard
    eye = (40, 30, 30)
    for x in (220, 292):
        d.ellipse(((x - 8) * u, 222 * u, (x + 8) * u, 238 * u), fill=eye)
    d.arc((226 * u, 250 * u, 286 * u, 290 * u), 20, 160, fill=eye, width=int(5 * u))
    d.polygon([(236 * u, 372 * u), (276 * u, 372 * u), (256 * u, 400 * u)], fill=(255, 255, 255))
    return img.reduce(SS)


def main() -> None:
    (ASSETS / "speakers").mkdir(parents=True, exist_ok=True)
    outputs = {
        ASSETS / "logo.png": logo(),
        ASSETS / "speakers" / "ada-lovelace.png": avatar(
            (236, 196, 170), (92, 58, 40), BLUE, (214, 228, 250), long_hair=True
        ),
        ASSETS / "speakers" / "mateo-ruiz.png": avatar(
            (198, 150, 112), (40, 32, 30), NAVY, (255, 232, 178), long_hair=False
        ),
    }
    for path, image in outputs.items():
        image.save(path, optimize=True)
        print(f"wrote {path.relative_to(REPO)} {image.width}×{image.height}", file=sys.stdout)


if __name__ == "__main__":
    main()
