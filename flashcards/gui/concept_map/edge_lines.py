"""The map's edges as line lists: straight, or bent into bundles between regions.

Links across domains are the point of the map, and there are many: drawn straight they
cross every region in a hairball. Each is bent through the point midway between its two
regions' centres (a quadratic curve of a few segments), so the links between two
domains gather into one visible bundle and leave the regions' insides clear.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from PySide6.QtCore import QLineF

FloatArray = npt.NDArray[np.float64]

SEGMENTS = 6
MAX_BENT = 4000  # more links across than this are drawn straight (the frame rate holds)


def straight(start: FloatArray, end: FloatArray) -> list[QLineF]:
    return [
        QLineF(ax, ay, bx, by)
        for (ax, ay), (bx, by) in zip(start.tolist(), end.tolist(), strict=True)
    ]


def bent(
    start: FloatArray, end: FloatArray, through: FloatArray, *, segments: int = SEGMENTS
) -> list[QLineF]:
    """Quadratic curves from `start` to `end` with control points `through` (rows of
    (x, y)), each as `segments` lines."""
    if not len(start):
        return []
    t = np.linspace(0.0, 1.0, segments + 1)[None, :, None]
    a, m, b = start[:, None, :], through[:, None, :], end[:, None, :]
    pts = (1 - t) ** 2 * a + 2 * t * (1 - t) * m + t**2 * b  # (edges, segments + 1, 2)
    heads = pts[:, :-1, :].reshape(-1, 2).tolist()
    tails = pts[:, 1:, :].reshape(-1, 2).tolist()
    return [QLineF(x0, y0, x1, y1) for (x0, y0), (x1, y1) in zip(heads, tails, strict=True)]
