"""Faces in a picture, when a detector is installed: the optional ``faces`` extra.

opencv-python-headless ships its Haar cascades inside the wheel, so finding
faces needs no download; without it (the default install) every function
here answers "unknown" (None) and callers fall back to a fixed focus.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from PIL import Image

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 as shares of the picture
_WIDTH = 320  # faces that matter on a thumbnail are large: detect on a small copy


@lru_cache(maxsize=1)
def _detector() -> Any:
    try:
        import cv2  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        return None
    try:
        folder = cv2.data.haarcascades  # type: ignore[attr-defined, unused-ignore]
        path = folder + "haarcascade_frontalface_default.xml"
        cascade = cv2.CascadeClassifier(path)
    except AttributeError:  # a build without the cascades (OpenCV 5)
        return None
    return None if cascade.empty() else cascade


def available() -> bool:
    return _detector() is not None


def find_faces(image: Image.Image) -> tuple[Box, ...] | None:
    """Frontal faces, largest first; None when no detector is installed."""
    found = _detector()
    if found is None:
        return None
    import numpy  # type: ignore[import-not-found, unused-ignore]  # comes with opencv

    scale = _WIDTH / image.width
    small = image.convert("L").resize((_WIDTH, max(1, round(image.height * scale))))
    # A face that matters on a thumbnail is a fifth of the picture's height or more:
    # looking for nothing smaller, in coarse steps, keeps a search to a few milliseconds.
    least = max(24, small.height // 5)
    rects = found.detectMultiScale(
        numpy.asarray(small), scaleFactor=1.2, minNeighbors=5, minSize=(least, least)
    )
    boxes = [
        (x / small.width, y / small.height, (x + w) / small.width, (y + h) / small.height)
        for x, y, w, h in rects
    ]
    return tuple(sorted(boxes, key=lambda b: (b[2] - b[0]) * (b[3] - b[1]), reverse=True))


def face_focus(image: Image.Image) -> tuple[float, float] | None:
    """The centre of the largest face, a little above (eyes rather than chin)."""
    faces = find_faces(image)
    if not faces:
        return None
    x0, y0, x1, y1 = faces[0]
    return (x0 + x1) / 2, y0 + (y1 - y0) * 0.4
