"""The map's words: the domains' regions with their names, and the cards' labels.

Both are drawn at a constant screen size. Labels are culled to the exposed rectangle
with numpy, capped by the zoom (level of detail: none far out, the biggest hubs first,
more as the map grows), placed without overlaps and clear of the domains' names.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from flashcards.core.region_layout import Region
from flashcards.gui.concept_map.layers import RING, Layer, within

LABEL_LOD = 0.9
"""All labels (up to MAX_LABELS) once the map is drawn at least this large
(scene unit → pixels); from HUB_LOD up, the biggest hubs' labels, more as it grows."""
HUB_LOD = 0.2
HUB_LABELS = 12  # at HUB_LOD; the cap grows with the square of the zoom

MAX_LABELS = 220  # per frame: more than this is unreadable anyway
LABEL_OFFSET = 3.0  # a label starts this far (pixels) beyond its disc
NAME_GAP = 6.0  # pixels between two domains' names at least


def label_cap(lod: float) -> int:
    """How many labels a frame may show at this zoom: none far out, the biggest hubs
    from HUB_LOD, growing with the square of the zoom up to MAX_LABELS."""
    if lod < HUB_LOD:
        return 0
    if lod >= LABEL_LOD:
        return MAX_LABELS
    return min(MAX_LABELS, int(HUB_LABELS * (lod / HUB_LOD) ** 2))


class RegionDiscs(Layer):
    """The domains' regions: a faint disc each, under everything. Cached like the edges:
    big translucent discs cost more to fill than the whole map's nodes, every frame."""

    def __init__(self) -> None:
        super().__init__()
        self.regions: list[tuple[str, Region, QColor]] = []
        self.dark = False
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
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


class RegionLayer(Layer):
    """The domains' names at the top of their regions (constant size), over the links;
    `discs` draws the regions themselves, under everything."""

    def __init__(self) -> None:
        super().__init__()
        self.discs = RegionDiscs()
        self.regions: list[tuple[str, Region, QColor]] = []
        self.font = QFont()
        self.font.setPointSizeF(max(self.font.pointSizeF(), 9.0) + 2.0)
        self.font.setBold(True)
        self.dark = False
        self.names: list[tuple[str, QRectF]] = []  # the last frame's names (device)

    def set_regions(
        self,
        regions: list[tuple[str, Region, QColor]],
        *,
        dark: bool,
        first: tuple[str, ...] = (),
    ) -> None:
        """(name, region, colour). Names win room in the order of `first` (the active
        exam's domains), then biggest first."""
        rank = {name: i for i, name in enumerate(first)}
        self.regions = sorted(regions, key=lambda r: (rank.get(r[0], len(rank)), -r[1].radius))
        self.dark = dark
        self.discs.regions = self.regions
        self.discs.dark = dark
        self.discs.update()
        self.update()

    def set_rect(self, rect: QRectF) -> None:
        super().set_rect(rect)
        self.discs.set_rect(rect)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        self.names = []
        if not self.regions:
            return
        transform = painter.worldTransform()
        painter.save()
        painter.resetTransform()
        painter.setFont(self.font)
        metrics = QFontMetrics(self.font)
        flags = int(Qt.AlignmentFlag.AlignHCenter | Qt.TextFlag.TextWordWrap)
        device = painter.device()
        screen = QRectF(0, 0, device.width(), device.height()) if device else QRectF()
        for name, region, colour in self.regions:
            top = transform.map(QPointF(region.x, region.y - region.radius))
            across = region.radius * 2 * transform.m11()
            width = max(across * 0.8, 150.0)
            box = metrics.boundingRect(0, 0, int(width), 1000, flags, name)
            rect = QRectF(top.x() - box.width() / 2 - 4, top.y() + 6, box.width() + 8, box.height())
            bottom = transform.map(QPointF(region.x, region.y + region.radius)).y()
            centre = transform.map(QPointF(region.x, region.y))
            placed = self._place(rect, (top.y(), bottom, centre), screen)
            if placed is None:
                continue
            rect = placed
            ink = QColor(colour).lighter(150) if self.dark else QColor(colour).darker(150)
            back = QColor(27, 29, 33, 170) if self.dark else QColor(255, 255, 255, 170)
            painter.fillRect(rect, back)
            painter.setPen(ink)
            painter.drawText(rect, flags, name)
            self.names.append((name, rect))
        painter.restore()

    def _place(
        self, rect: QRectF, at: tuple[float, float, QPointF], screen: QRectF
    ) -> QRectF | None:
        """Where a name goes: inside its disc at the top, else above the disc, else below
        it, else across its middle; on screen when its disc's centre is, and NAME_GAP
        pixels clear of the names placed before (two names touching read as one). None:
        no room (it is left out of this frame)."""
        top, bottom, centre = at
        keep_on = screen.isValid() and screen.contains(centre)
        for y in (top + 6, top - rect.height() - 4, bottom + 4, centre.y() - rect.height() / 2):
            rect.moveTop(y)
            if keep_on:
                rect.moveLeft(min(max(rect.left(), screen.left()), screen.right() - rect.width()))
                rect.moveTop(min(max(rect.top(), screen.top()), screen.bottom() - rect.height()))
            room = rect.adjusted(-NAME_GAP, -NAME_GAP, NAME_GAP, NAME_GAP)
            if not any(room.intersects(other) for _, other in self.names):
                return QRectF(rect)
        return None


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
            idx = np.flatnonzero(self.shown & within(self.xy, area))
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
