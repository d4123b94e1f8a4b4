"""Where drawn things meet: text boxes against the decorations behind them."""

from __future__ import annotations

IntBox = tuple[int, int, int, int]  # x0, y0, x1, y1 (exclusive)


def overlap(a: IntBox, b: IntBox) -> bool:
    return not (a[0] >= b[2] or a[2] <= b[0] or a[1] >= b[3] or a[3] <= b[1])


def touches(box: IntBox, shape: IntBox, ellipse: bool) -> bool:
    """Whether ``box`` covers any pixel of a rectangle, or of the ellipse inscribed in ``shape``."""
    if not overlap(box, shape):
        return False
    if not ellipse:
        return True
    # In units of the ellipse's radii the ellipse is the unit circle, and the
    # rectangle's point nearest its centre is the centre clamped to the rectangle.
    rx, ry = (shape[2] - shape[0]) / 2, (shape[3] - shape[1]) / 2
    cx, cy = shape[0] + rx, shape[1] + ry
    nx = min(max(cx, box[0]), box[2]) - cx
    ny = min(max(cy, box[1]), box[3]) - cy
    return (nx / rx) ** 2 + (ny / ry) ** 2 < 1.0
