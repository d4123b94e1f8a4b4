"""The two text problems a user can meet, worded with their fix."""

from __future__ import annotations

import unicodedata

import regex  # type: ignore[import-untyped, unused-ignore]

from toolkit.cards.fonts import fontconfig_available
from toolkit.cards.formats import Size
from toolkit.cards.runs import FitSpec
from toolkit.errors import InputError, Location

_CJK = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}\p{Bopomofo}]")


def _private(cp: int) -> bool:
    return 0xE000 <= cp <= 0xF8FF or cp >= 0xF0000


def _package(char: str) -> str:
    cp = ord(char)
    if _CJK.match(char):
        return "fonts-noto-cjk"
    if cp >= 0x1F000 or unicodedata.category(char) == "So":
        return "fonts-noto-color-emoji"
    return "fonts-noto-core"


def _excerpt(text: str, limit: int = 50) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def missing_glyphs_error(chars: list[str], label: str, layout: str, where: Location) -> InputError:
    points = ", ".join(f"U+{ord(c):04X}" + (f" ({c})" if c.isprintable() else "") for c in chars)
    private = [c for c in chars if _private(ord(c))]
    if private:
        hint = (
            "private-use characters only show in the font made for them: set fonts.heading "
            "and fonts.body in brand.yaml to that font, or remove them from the brief"
        )
    else:
        packages = sorted({_package(c) for c in chars})
        hint = (
            "set fonts.heading and fonts.body in brand.yaml to a font that has them, or install "
            + " and ".join(packages)
            + " (Debian/Ubuntu: apt-get install "
            + " ".join(packages)
            + ")"
        )
        if not fontconfig_available():
            hint += "; fontconfig (fc-match) is not installed, so only the brand's fonts and "
            hint += "Pillow's bundled font are tried: install fontconfig too"
    return InputError(
        f"layout '{layout}', text '{label}': no available font has {points}",
        location=where,
        hint=hint,
    )


def no_fit_error(
    text: str, label: str, layout: str, size: Size, spec: FitSpec, where: Location
) -> InputError:
    lines = "line" if spec.max_lines == 1 else "lines"
    return InputError(
        f"layout '{layout}', size {size.name} ({size.label}): text '{label}' does not fit its "
        f"box at the minimum size ({spec.min_size:.0f} px, {spec.max_lines} {lines}): "
        f"'{_excerpt(text)}'",
        location=where,
        hint="shorten the text in the brief, or in the layout raise max_lines, lower "
        "min_size, or set overflow: ellipsis",
    )
