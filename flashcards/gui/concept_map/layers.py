"""The map's graphics items: a few layers that draw many nodes and edges in batches.

One item per node would mean one Python `paint()` call per node per frame; instead the
nodes are grouped by (size, colour) into point lists drawn with a round pen (one
`drawPoints` call per group), edges by pen into line lists (`drawLines`). The words —
card labels and domain names — are in `text_layers`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QPaintEngine,
    QPainter,
    QPen,
    QPixmap,
    QPolygonF,
)
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

RING = 2.6  # recall ring width, scene units
SPRITE_MIN_RADIUS = 3.0  # device pixels: smaller discs are drawn as batched points

_SPRITES: dict[tuple[str, str, float, float], QPixmap] = {}  # (ring, fill, r out, r in)

_VECTOR_ENGINES = (QPaintEngine.Type.SVG, QPaintEngine.Type.Pdf, QPaintEngine.Type.Picture)


def _is_vector(painter: QPainter) -> bool:
    engine = painter.paintEngine()
    return engine is not None and engine.type() in _VECTOR_ENGINES


def within(xy: npt.NDArray[np.float64], area: QRectF, reach: float = 0.0) -> npt.NDArray[np.bool_]:
    """Which points lie in `area` grown by `reach` on every side (culling to the view)."""
    xs, ys = xy[:, 0], xy[:, 1]
    return (
        (xs >= area.left() - reach)
        & (xs <= area.right() + reach)
        & (ys >= area.top() - reach)
        & (ys <= area.bottom() + reach)
    )


class Layer(QGraphicsItem):
    """An item whose bounding box is set from outside (the whole map)."""

    def __init__(self) -> None:
        super().__init__()
        self._rect = QRectF()

    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt override)
        return self._rect

    def set_rect(self, rect: QRectF) -> None:
        if rect != self._rect:
            self.prepareGeometryChange()
            self._rect = rect
        self.update()


OVERVIEW_EDGES = 1200
"""Zoomed out, a group of more links than this (links across domains, in bundles) is
drawn as an even sample of this many, a little stronger: the bundles look the same and
a redraw of a big map stays quick (each link across spans half the map)."""
OVERVIEW_LOD = 0.5  # below this scale the map is seen whole


class EdgeLayer(Layer):
    """Edges drawn as line lists, one list per pen."""

    def __init__(self) -> None:
        super().__init__()
        self.groups: list[tuple[QPen, list[QLineF]]] = []
        self.overview: list[tuple[QPen, list[QLineF]]] = []
        self.edges = 0
        self.fast = False  # while the view moves: no antialiasing (3× faster lines)
        self.complete = False  # every edge at every zoom (exports)
        # Panning reuses the rendered edges (Qt scrolls the cached pixmap); only a zoom
        # or a change of the edges renders them again.
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)

    def set_groups(
        self,
        groups: list[tuple[QPen, list[QLineF]]],
        *,
        edges: int,
        segments: dict[int, int] | None = None,
    ) -> None:
        """Line lists by pen; `edges` is how many edges they draw (a bent one is
        several lines); `segments` gives the groups that may be sampled when zoomed out,
        with the lines per edge in each."""
        self.groups = groups
        self.edges = edges
        self.overview = [
            _sampled(pen, lines, (segments or {}).get(k, 0))
            for k, (pen, lines) in enumerate(groups)
        ]
        self.update()

    def line_count(self) -> int:
        """Edges drawn (tests, status)."""
        return self.edges

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        if self.fast:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        lod = option.levelOfDetailFromTransform(painter.worldTransform())
        whole = lod < OVERVIEW_LOD and not self.complete and not _is_vector(painter)
        for pen, lines in self.overview if whole else self.groups:
            if lines:
                painter.setPen(pen)
                painter.drawLines(lines)


def _sampled(pen: QPen, lines: list[QLineF], per_edge: int) -> tuple[QPen, list[QLineF]]:
    """Every k-th edge of `lines` (`per_edge` lines each) when there are more than
    OVERVIEW_EDGES, with a stronger pen; else the group as it is."""
    count = len(lines) // per_edge if per_edge else 0
    if count <= OVERVIEW_EDGES:
        return pen, lines
    step = -(-count // OVERVIEW_EDGES)
    kept = [
        line for e in range(0, count, step) for line in lines[e * per_edge : (e + 1) * per_edge]
    ]
    stronger = QPen(pen)
    colour = stronger.color()
    colour.setAlpha(min(200, round(colour.alpha() * min(step, 2.5))))
    stronger.setColor(colour)
    return stronger, kept


class NodeLayer(Layer):
    """Nodes as discs: a recall-coloured ring around a domain-coloured fill."""

    def __init__(self) -> None:
        super().__init__()
        self.batches: list[tuple[QPen, QPolygonF]] = []
        # For vector export (SVG) discs are drawn one by one: (x, y, r, ring, fill).
        self.discs: list[tuple[float, float, float, QColor, QColor]] = []
        # Sprite path: shown nodes' scene positions, radii and (ring, fill) colours.
        self.xy: npt.NDArray[np.float64] = np.zeros((0, 2))
        self.r: npt.NDArray[np.float64] = np.zeros(0)
        self.colours: list[tuple[str, str]] = []
        self.sprites = _SPRITES  # shared: a reopened map reuses the discs drawn before
        # Like the edges: panning scrolls the cached rendering instead of redrawing.
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)

    def set_nodes(
        self,
        pos: npt.NDArray[np.float64],
        radius: npt.NDArray[np.float64],
        ring: Sequence[str],
        fill: Sequence[str],
        shown: npt.NDArray[np.intp],
    ) -> None:
        """Take the shown nodes (indexes into pos/radius/ring/fill). Only arrays are kept
        here; the point batches (far zoom) and discs (SVG) are built when first drawn."""
        self.xy = pos[shown].astype(np.float64) if len(shown) else np.zeros((0, 2))
        self.r = np.round(radius[shown] * 2) / 2 if len(shown) else np.zeros(0)
        self.colours = [(ring[i], fill[i]) for i in shown.tolist()]
        self.batches = []
        self.discs = []
        self.update()

    def _batches(self) -> list[tuple[QPen, QPolygonF]]:
        """Nodes grouped by (size, colour) as point lists: rings first, then fills."""
        if self.batches or not len(self.r):
            return self.batches
        rings: dict[tuple[float, str], list[QPointF]] = {}
        fills: dict[tuple[float, str], list[QPointF]] = {}
        for (x, y), r, (ring, fill) in zip(
            self.xy.tolist(), self.r.tolist(), self.colours, strict=True
        ):
            point = QPointF(x, y)
            rings.setdefault((r + RING, ring), []).append(point)
            fills.setdefault((r, fill), []).append(point)
        for groups in (rings, fills):
            for (r, colour), points in sorted(groups.items(), key=lambda kv: -kv[0][0]):
                pen = QPen(QColor(colour), 2 * r, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
                self.batches.append((pen, QPolygonF(points)))
        return self.batches

    def _discs(self) -> list[tuple[float, float, float, QColor, QColor]]:
        if not self.discs:
            colour: dict[str, QColor] = {}
            for (x, y), r, (ring, fill) in zip(
                self.xy.tolist(), self.r.tolist(), self.colours, strict=True
            ):
                rc = colour.setdefault(ring, QColor(ring))
                fc = colour.setdefault(fill, QColor(fill))
                self.discs.append((x, y, r, rc, fc))
        return self.discs

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        if _is_vector(painter):
            painter.setPen(Qt.PenStyle.NoPen)
            for x, y, r, ring, fill in self._discs():
                painter.setBrush(QBrush(ring))
                painter.drawEllipse(QPointF(x, y), r + RING, r + RING)
                painter.setBrush(QBrush(fill))
                painter.drawEllipse(QPointF(x, y), r, r)
            return
        transform = painter.worldTransform()
        scale = transform.m11()
        if (float(self.r.max()) + RING) * scale < SPRITE_MIN_RADIUS if len(self.r) else True:
            # Far out the discs are a few pixels: batched points, no antialiasing.
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
            for pen, points in self._batches():
                painter.setPen(pen)
                painter.drawPoints(points)
            return
        self._paint_sprites(
            painter,
            option.exposedRect,
            transform.m11(),
            transform.m22(),
            transform.m31(),
            transform.m32(),
        )

    def _paint_sprites(
        self, painter: QPainter, area: QRectF, sx: float, sy: float, dx: float, dy: float
    ) -> None:
        """Pre-rendered disc pixmaps blitted at device positions: a blit per visible
        node is far cheaper than stroking antialiased circles."""
        reach = float(self.r.max()) + RING
        xs, ys = self.xy[:, 0], self.xy[:, 1]
        whole = area.isEmpty()
        idx = np.arange(len(xs)) if whole else np.flatnonzero(within(self.xy, area, reach))
        # Device radius in quarter pixels: zooming reuses sprites within ~2%.
        outer = np.round((self.r[idx] + RING) * sx * 4) / 4
        inner = np.round(self.r[idx] * sx * 4) / 4
        px = xs[idx] * sx + dx - outer
        py = ys[idx] * sy + dy - outer
        painter.save()
        painter.resetTransform()
        sprites = self.sprites
        if len(sprites) > 6000:
            sprites.clear()
        for i, x, y, ro, ri in zip(
            idx.tolist(), px.tolist(), py.tolist(), outer.tolist(), inner.tolist(), strict=True
        ):
            ring, fill = self.colours[i]
            key = (ring, fill, ro, ri)
            pixmap = sprites.get(key)
            if pixmap is None:
                pixmap = sprites[key] = _disc(ring, fill, ro, ri)
            painter.drawPixmap(QPointF(x, y), pixmap)
        painter.restore()


def _disc(ring: str, fill: str, outer: float, inner: float) -> QPixmap:
    """A ring-and-fill disc, centred in a pixmap of side 2·outer."""
    side = max(1, int(np.ceil(2 * outer)))
    pixmap = QPixmap(side, side)
    pixmap.fill(Qt.GlobalColor.transparent)
    p = QPainter(pixmap)
    p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    p.setPen(Qt.PenStyle.NoPen)
    centre = QPointF(outer, outer)
    p.setBrush(QBrush(QColor(ring)))
    p.drawEllipse(centre, outer, outer)
    p.setBrush(QBrush(QColor(fill)))
    p.drawEllipse(centre, inner, inner)
    p.end()
    return pixmap


class HighlightLayer(Layer):
    """Rings around the selected, found and hovered nodes (a handful)."""

    def __init__(self) -> None:
        super().__init__()
        self.marks: list[tuple[QPointF, float, QPen]] = []

    def set_marks(self, marks: list[tuple[QPointF, float, QPen]]) -> None:
        self.marks = marks
        self.update()

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for centre, r, pen in self.marks:
            painter.setPen(pen)
            painter.drawEllipse(centre, r, r)
