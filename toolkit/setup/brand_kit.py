"""A new brand's starting kit: its name, handles and hashtag, a neutral palette, a wordmark.

``toolkit init --brand acme`` must make Acme's brand, not a copy of the demo's:
the demo's copy, voice guide and briefs name Northwind Social, so each is
rebranded, and the logo is a plain wordmark to replace with the real one.
"""

from __future__ import annotations

import io
import re

DEMO_NAME = "Northwind Social"
DEMO_TAG = "Northwind"

# Neutral: slate and grey with one calm blue, readable together (WCAG AA and better).
PALETTE = {
    "primary": "#2F4A6D",
    "secondary": "#1E2630",
    "accent": "#E0A526",
    "background": "#F6F7F9",
    "text": "#1E2630",
}


def display_name(slug: str) -> str:
    """``acme`` → ``Acme``; ``blue-fox_studio`` → ``Blue Fox Studio``."""
    return " ".join(word.capitalize() for word in re.split(r"[-_]+", slug) if word)


def handle(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower()) or "brand"


def hashtag(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9]", "", name.title()) or "Brand"


def brand_yaml(name: str) -> str:
    h = handle(name)
    colours = "\n".join(f'  {k}: "{v}"' for k, v in PALETTE.items())
    return f"""\
# yaml-language-server: $schema=../../schemas/brand.schema.json
# {name}: made by `toolkit init`. Check the handles, put your logo in assets/logo.png
# (a wide PNG with a transparent background) and your colours below.
name: {name}
handles:
  x: "@{h}"
  linkedin: {name}
  instagram: "@{h}"
  facebook: {name}
  threads: "@{h}"
  bluesky: "@{h}.bsky.social"
  mastodon: "@{h}@mastodon.social"
  tiktok: "@{h}"
  youtube: "@{hashtag(name)}"
  pinterest: {h}
locale: en-US
timezone: Europe/Paris
colours:
{colours}
fonts:
  heading: null     # a font file the brand owns, e.g. assets/fonts/Brand-Bold.ttf
  body: null
logo: assets/logo.png
hashtags: [{hashtag(name)}]
cadence:            # posts per week; platforms not listed use their default
  linkedin: 3
  x: 5
  instagram: 4
platforms:          # override any platform fact for this brand
  mastodon:
    limit: 500      # mastodon.social's limit; other servers allow more
"""


def rebrand(text: str, name: str) -> str:
    """The demo's name, handles and hashtag in ``text`` replaced by the new brand's."""
    tag = hashtag(name)
    # The voice guide's wrong spellings of the demo's name: the new name's own, if any.
    joined = name.replace(" ", "")
    wrong = f"[{joined}]" if joined != name else "[]"
    text = text.replace("[NorthwindSocial, North Wind Social]", wrong)
    text = text.replace(DEMO_NAME.lower(), name.lower())
    text = text.replace("northwind.example.com", f"{handle(name)}.example.com")
    text = text.replace(DEMO_NAME, name)
    text = re.sub(r"@northwind\.?social", "@" + handle(name), text)
    text = text.replace(f"#{DEMO_TAG}", f"#{tag}").replace(
        f"#{DEMO_TAG.lower()}", f"#{tag.lower()}"
    )
    return text


def wordmark_png(name: str) -> bytes:
    """A plain wordmark: a monogram and the name on a white plate, legible on any card
    background. It stands in for the brand's logo until the real one replaces it."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.load_default(88)
    probe = ImageDraw.Draw(Image.new("L", (1, 1)))
    left, top, right, bottom = probe.textbbox((0, 0), name, font=font)
    height = 160
    pad = 16
    width = int(height + 20 + (right - left) + 44)
    img = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    draw.rounded_rectangle((0, 0, width - 1, height - 1), radius=height // 2, fill="#FFFFFF")
    draw.ellipse((pad, pad, height - pad, height - pad), fill=PALETTE["primary"])
    initial = name[:1].upper()
    il, it, ir, ib = draw.textbbox((0, 0), initial, font=font)
    draw.text(
        ((height - (ir - il)) / 2 - il, (height - (ib - it)) / 2 - it),
        initial, font=font, fill="#FFFFFF",
    )  # fmt: skip
    draw.text((height + 20 - left, (height - (bottom - top)) / 2 - top), name, font=font,
              fill=PALETTE["secondary"])  # fmt: skip
    out = io.BytesIO()
    img.save(out, "PNG", optimize=True)
    return out.getvalue()
