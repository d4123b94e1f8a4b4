"""Where an image's alt text is kept: in a text file beside it, named as the image with
``.txt`` (a card, a carousel slide, a carousel's PDF; in a week's folder or in
``toolkit render``'s), where whoever uploads the image finds it.

Apart from the drawing stack: the week names its files without importing it."""

from __future__ import annotations

from pathlib import PurePath, PurePosixPath
from typing import TypeVar, overload

P = TypeVar("P", bound=PurePath)


@overload
def alt_path(image: str) -> str: ...


@overload
def alt_path(image: P) -> P: ...


def alt_path(image: str | PurePath) -> str | PurePath:
    """The alt text file of ``image`` (a path, or a relative name with forward slashes)."""
    if isinstance(image, str):
        return str(PurePosixPath(image).with_suffix(".txt"))
    return image.with_suffix(".txt")
