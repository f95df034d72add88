"""The map's graphics items: a few layers that draw many nodes and edges in batches.

One item per node would mean one Python `paint()` call per node per frame; instead the
nodes are grouped by (size, colour) into point lists drawn with a round pen (one
`drawPoints` call per group), edges by pen into line lists (`drawLines`). Labels are
culled to the exposed rectangle with numpy, capped, and drawn at a constant screen size
only when zoomed in far enough (level of detail).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetrics,
    QFontMetricsF,
    QPaintEngine,
    QPainter,
    QPen,
    QPixmap,
    QPolygonF,
)
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from flashcards.core.region_layout import Region

LABEL_LOD = 0.9
"""All labels (up to MAX_LABELS) once the map is drawn at least this large
(scene unit → pixels); from HUB_LOD up, the biggest hubs' labels, more as it grows."""
HUB_LOD = 0.2
HUB_LABELS = 12  # at HUB_LOD; the cap grows with the square of the zoom

MAX_LABELS = 220  # per frame: more than this is unreadable anyway
LABEL_OFFSET = 3.0  # a label starts this far (pixels) beyond its disc
RING = 2.6  # recall ring width, scene units
SPRITE_MIN_RADIUS = 3.0  # device pixels: smaller discs are drawn as batched points

_SPRITES: dict[tuple[str, str, float, float], QPixmap] = {}  # (ring, fill, r out, r in)

_VECTOR_ENGINES = (QPaintEngine.Type.SVG, QPaintEngine.Type.Pdf, QPaintEngine.Type.Picture)


def _is_vector(painter: QPainter) -> bool:
    engine = painter.paintEngine()
    return engine is not None and engine.type() in _VECTOR_ENGINES


def _within(xy: npt.NDArray[np.float64], area: QRectF, reach: float = 0.0) -> npt.NDArray[np.bool_]:
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


class EdgeLayer(Layer):
    """Edges drawn as line lists, one list per pen."""

    def __init__(self) -> None:
        super().__init__()
        self.groups: list[tuple[QPen, list[QLineF]]] = []
        self.edges = 0
        self.fast = False  # while the view moves: no antialiasing (3× faster lines)
        # Panning reuses the rendered edges (Qt scrolls the cached pixmap); only a zoom
        # or a change of the edges renders them again.
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)

    def set_groups(self, groups: list[tuple[QPen, list[QLineF]]], *, edges: int) -> None:
        """Line lists by pen; `edges` is how many edges they draw (a bent one is
        several lines)."""
        self.groups = groups
        self.edges = edges
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
        for pen, lines in self.groups:
            if lines:
                painter.setPen(pen)
                painter.drawLines(lines)


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
        if area.isEmpty():
            idx = np.arange(len(xs))
        else:
            idx = np.flatnonzero(_within(self.xy, area, reach))
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


def label_cap(lod: float) -> int:
    """How many labels a frame may show at this zoom: none far out, the biggest hubs
    from HUB_LOD, growing with the square of the zoom up to MAX_LABELS."""
    if lod < HUB_LOD:
        return 0
    if lod >= LABEL_LOD:
        return MAX_LABELS
    return min(MAX_LABELS, int(HUB_LABELS * (lod / HUB_LOD) ** 2))


class RegionLayer(Layer):
    """The domains' regions: a faint disc each, its name at the top (constant size)."""

    def __init__(self) -> None:
        super().__init__()
        self.regions: list[tuple[str, Region, QColor]] = []
        self.font = QFont()
        self.font.setPointSizeF(max(self.font.pointSizeF(), 9.0) + 2.0)
        self.font.setBold(True)
        self.dark = False
        self.names: list[tuple[str, QRectF]] = []  # the last frame's names (device)

    def set_regions(self, regions: list[tuple[str, Region, QColor]], *, dark: bool) -> None:
        """(name, region, colour), biggest first (their names win a tie for room)."""
        self.regions = sorted(regions, key=lambda r: -r[1].radius)
        self.dark = dark
        self.update()

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        self.names = []
        if not self.regions:
            return
        for _name, region, colour in self.regions:
            fill = QColor(colour)
            fill.setAlpha(34 if self.dark else 22)
            edge = QColor(colour)
            edge.setAlpha(110 if self.dark else 90)
            pen = QPen(edge, 1.2)
            pen.setCosmetic(True)
            painter.setPen(pen)
            painter.setBrush(QBrush(fill))
            painter.drawEllipse(QPointF(region.x, region.y), region.radius, region.radius)
        transform = painter.worldTransform()
        painter.save()
        painter.resetTransform()
        painter.setFont(self.font)
        metrics = QFontMetrics(self.font)
        flags = int(Qt.AlignmentFlag.AlignHCenter | Qt.TextFlag.TextWordWrap)
        for name, region, colour in self.regions:
            top = transform.map(QPointF(region.x, region.y - region.radius))
            across = region.radius * 2 * transform.m11()
            width = max(across * 0.8, 150.0)
            box = metrics.boundingRect(0, 0, int(width), 1000, flags, name)
            rect = QRectF(top.x() - box.width() / 2 - 4, top.y() + 6, box.width() + 8, box.height())
            if any(rect.intersects(other) for _, other in self.names):
                rect.moveTop(top.y() - rect.height() - 4)  # above the disc instead
                if any(rect.intersects(other) for _, other in self.names):
                    continue
            ink = QColor(colour).lighter(150) if self.dark else QColor(colour).darker(150)
            back = QColor(27, 29, 33, 170) if self.dark else QColor(255, 255, 255, 170)
            painter.fillRect(rect, back)
            painter.setPen(ink)
            painter.drawText(rect, flags, name)
            self.names.append((name, rect))
        painter.restore()


class LabelLayer(Layer):
    """Titles beside the nodes at a constant screen size, without overlaps."""

    def __init__(self) -> None:
        super().__init__()
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption, True)
        self.font = QFont()
        self.font.setPointSizeF(max(self.font.pointSizeF(), 9.0))
        self.metrics = QFontMetricsF(self.font)
        self.xy: npt.NDArray[np.float64] = np.zeros((0, 2))
        self.radius: npt.NDArray[np.float64] = np.zeros(0)
        self.titles: list[str] = []
        self.rank: npt.NDArray[np.intp] = np.zeros(0, dtype=np.intp)
        self.shown: npt.NDArray[np.bool_] = np.zeros(0, dtype=bool)
        self.pinned: list[int] = []  # always labelled (selection, search hit)
        self.side: npt.NDArray[np.int8] = np.zeros(0, dtype=np.int8)  # 0 right, 1 left, 2 below
        self.max_chars = 34  # longer titles are cut
        self.every = False  # a neighbourhood: every shown node labelled, at any zoom
        self.avoid: RegionLayer | None = None  # labels keep clear of its names
        self.text_colour = QColor("#1d2330")
        self.back_colour = QColor(255, 255, 255, 200)
        self.drawn = 0  # labels in the last frame (tests, benchmark)
        self.rects: list[tuple[int, QRectF]] = []  # the last frame's labels (device)
        self.moving = False  # while the view moves only pinned labels are drawn
        self._widths: dict[int, float] = {}

    def set_labels(
        self,
        pos: npt.NDArray[np.float64],
        radius: npt.NDArray[np.float64],
        titles: list[str],
        priority: npt.NDArray[np.float64],
        shown: npt.NDArray[np.bool_],
        *,
        side: npt.NDArray[np.int8] | None = None,
        every: bool = False,
    ) -> None:
        self.xy, self.radius, self.titles, self.shown = pos, radius, titles, shown
        self.side = side if side is not None else np.zeros(len(titles), dtype=np.int8)
        self.every = every
        self.rank = np.argsort(np.argsort(-priority, kind="stable"), kind="stable")
        self._widths = {}
        self.update()

    def box_width(self, i: int) -> float:
        """A label's whole width in pixels (text and padding)."""
        return self._width(i) + 6

    def box_height(self) -> float:
        return float(self.metrics.height())

    def set_pinned(self, pinned: list[int]) -> None:
        self.pinned = pinned
        self.update()

    def set_max_chars(self, count: int) -> None:
        if count != self.max_chars:
            self.max_chars = count
            self._widths = {}

    def _text(self, i: int) -> str:
        title = self.titles[i]
        limit = self.max_chars
        return title if len(title) <= limit else title[: limit - 2].rstrip() + "…"

    def _width(self, i: int) -> float:
        width = self._widths.get(i)
        if width is None:
            width = self._widths[i] = self.metrics.horizontalAdvance(self._text(i))
        return width

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        self.drawn = 0
        self.rects = []
        transform = painter.worldTransform()
        lod = QStyleOptionGraphicsItem.levelOfDetailFromTransform(transform)
        order: list[int] = [i for i in self.pinned if i < len(self.titles)]
        cap = label_cap(lod)
        if self.every:
            cap = max(cap, int(self.shown.sum()))
        if cap and len(self.xy) and (not self.moving or self.every):
            area = option.exposedRect if not option.exposedRect.isEmpty() else self._rect
            idx = np.flatnonzero(self.shown & _within(self.xy, area))
            idx = idx[np.argsort(self.rank[idx], kind="stable")[: cap * 2]]
            order.extend(int(i) for i in idx)
        if not order:
            return
        # Zoomed out, labels keep a margin between them: a few, easy to read.
        margin = 0.0 if self.every or lod >= LABEL_LOD else 6.0
        painter.save()
        painter.resetTransform()
        painter.setFont(self.font)
        height = self.metrics.height()
        taken: list[QRectF] = []
        cell = 48.0
        grid: dict[tuple[int, int], list[QRectF]] = {}
        for _name, rect in self.avoid.names if self.avoid is not None else ():
            for gx in range(int(rect.left() // cell), int(rect.right() // cell) + 1):
                for gy in range(int(rect.top() // cell), int(rect.bottom() // cell) + 1):
                    grid.setdefault((gx, gy), []).append(rect)
        done: set[int] = set()
        pinned = set(self.pinned)  # the selection is labelled whatever it covers
        limit = max(cap, len(self.pinned))
        for i in order:
            if i in done or self.drawn >= limit:
                continue
            done.add(i)
            centre = transform.map(QPointF(float(self.xy[i, 0]), float(self.xy[i, 1])))
            r = (float(self.radius[i]) + RING) * lod + LABEL_OFFSET
            width = self._width(i) + 6
            side = int(self.side[i]) if i < len(self.side) else 0
            if side == 2:  # under the disc
                rect = QRectF(centre.x() - width / 2, centre.y() + r, width, height)
            else:
                x = centre.x() - r - width if side == 1 else centre.x() + r
                rect = QRectF(x, centre.y() - height / 2, width, height)
            room = rect.adjusted(-margin, -margin / 2, margin, margin / 2)
            keys = [
                (gx, gy)
                for gx in range(int(room.left() // cell), int(room.right() // cell) + 1)
                for gy in range(int(room.top() // cell), int(room.bottom() // cell) + 1)
            ]
            if i not in pinned and any(
                room.intersects(other) for k in keys for other in grid.get(k, ())
            ):
                continue
            for k in keys:
                grid.setdefault(k, []).append(rect)
            taken.append(rect)
            self.rects.append((i, rect))
            painter.fillRect(rect, self.back_colour)
            painter.setPen(self.text_colour)
            painter.drawText(
                rect.adjusted(3, 0, 0, 0), Qt.AlignmentFlag.AlignVCenter, self._text(i)
            )
            self.drawn += 1
        painter.restore()
