"""The map's view: wheel zoom under the mouse, drag to pan, hover, click, double-click."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QPoint, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPixmap,
    QResizeEvent,
    QTransform,
    QWheelEvent,
)
from PySide6.QtWidgets import QGraphicsItem, QGraphicsView, QToolTip, QWidget

from flashcards.gui.concept_map.map_scene import MapScene

MIN_SCALE = 0.02
MAX_SCALE = 6.0
SETTLE_MS = 180  # after the last zoom/scroll step, redraw at full quality
_CLICK_SLOP = 5  # pixels a press may move and still count as a click


class MapView(QGraphicsView):
    """Signals carry node indexes of the scene's model."""

    node_hovered = Signal(object)  # int | None
    node_clicked = Signal(object, bool)  # int | None (background), additive (Ctrl/Shift)
    node_double_clicked = Signal(int)
    zoomed = Signal(float)

    def __init__(self, scene: MapScene, parent: QWidget | None = None) -> None:
        super().__init__(scene, parent)
        self.map_scene = scene
        self.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        self.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        # The layers are few and large: tracking dirty regions would cost more than
        # repainting the viewport, so every update repaints it whole.
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.FullViewportUpdate)
        self.setOptimizationFlag(QGraphicsView.OptimizationFlag.DontAdjustForAntialiasing, True)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setMouseTracking(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._press: QPoint | None = None
        # Moving (wheel, drag, scroll): edges draw without antialiasing until it stops.
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(SETTLE_MS)
        self._settle.timeout.connect(self._settled)
        self.preview_zoom = True
        self._snapshot: QPixmap | None = None
        self._snapshot_transform = QTransform()
        self.tooltip_for: object = None  # callable(index) -> str, set by the window

    @property
    def zoom(self) -> float:
        return float(self.transform().m11())

    def moving(self) -> None:
        """Called on every zoom or scroll step: fast drawing until SETTLE_MS of calm."""
        self.map_scene.edges.fast = True
        self.map_scene.labels.moving = True
        self._settle.start()

    def _settled(self) -> None:
        self.map_scene.edges.fast = False
        self.map_scene.labels.moving = False
        self._snapshot = None
        self.map_scene.edges.update()  # the cache holds the fast rendering: redo it
        self.viewport().update()

    @contextmanager
    def full_quality(self) -> Iterator[None]:
        """Everything drawn afresh at full quality (exports): no snapshot, no caches,
        antialiased edges, all labels."""
        self._settle.stop()
        self._settled()
        scene = self.map_scene
        layers: tuple[QGraphicsItem, ...] = (scene.edges, scene.nodes, scene.regions.discs)
        modes = [layer.cacheMode() for layer in layers]
        for layer in layers:  # vector output needs lines and discs, not cached pixmaps
            layer.setCacheMode(QGraphicsItem.CacheMode.NoCache)
        scene.edges.complete = True  # every link, however far out the export is
        try:
            yield
        finally:
            scene.edges.complete = False
            for layer, mode in zip(layers, modes, strict=True):
                layer.setCacheMode(mode)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self.map_scene.view_width = float(self.viewport().width())

    def scrollContentsBy(self, dx: int, dy: int) -> None:  # noqa: N802 (Qt override)
        self.moving()
        super().scrollContentsBy(dx, dy)

    def zoom_by(self, factor: float) -> None:
        target = min(max(self.zoom * factor, MIN_SCALE), MAX_SCALE)
        factor = target / self.zoom
        if abs(factor - 1.0) > 1e-6:
            if self.preview_zoom and self._snapshot is None and self.isVisible():
                # While the wheel turns, frames scale a snapshot of the map (a blit);
                # the map is drawn afresh once the zooming stops (SETTLE_MS).
                self._snapshot = self.viewport().grab()
                self._snapshot_transform = self.viewportTransform()
            self.moving()
            self.scale(factor, factor)
            self.zoomed.emit(self.zoom)

    def fit(self, rect: QRectF, *, margins: bool = True, least: float = 0.0) -> None:
        """Show `rect` whole (not closer than 1.6×: a single node is not a poster; not
        farther than `least`, centred then). `margins` leave room for labels beside
        the nodes at the edges."""
        w, h = rect.width(), rect.height()
        shown = rect.adjusted(-0.03 * w, -0.06 * h, 0.14 * w, 0.03 * h) if margins else rect
        self.fitInView(shown.adjusted(-8, -8, 8, 8), Qt.AspectRatioMode.KeepAspectRatio)
        wanted = min(max(self.zoom, least), max(1.6, least))
        if abs(wanted - self.zoom) > 1e-6:
            # Scale about the centre, not the mouse: the fitted rect must stay in view.
            self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
            self.zoom_by(wanted / self.zoom)
            self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
            self.centerOn(rect.center())
        self.zoomed.emit(self.zoom)

    def centre_on(self, point: QPointF) -> None:
        self.centerOn(point)

    # -- events -----------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        snapshot = self._snapshot
        if snapshot is None:
            super().paintEvent(event)
            return
        inverse, ok = self._snapshot_transform.inverted()
        painter = QPainter(self.viewport())
        painter.fillRect(self.viewport().rect(), self.map_scene.backgroundBrush())
        if ok:
            painter.setTransform(inverse * self.viewportTransform())
            ratio = snapshot.devicePixelRatio() or 1.0
            painter.drawPixmap(
                QRectF(0, 0, snapshot.width() / ratio, snapshot.height() / ratio),
                snapshot,
                QRectF(snapshot.rect()),
            )
        painter.end()

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 (Qt override)
        delta = event.angleDelta().y() or event.pixelDelta().y()
        if delta:
            self.zoom_at(1.0015**delta, event.position().toPoint())
        event.accept()

    def zoom_at(self, factor: float, pos: QPoint) -> None:
        """Zoom keeping the scene point under viewport position `pos` where it is."""
        before = self.mapToScene(pos)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.NoAnchor)
        self.zoom_by(factor)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        shift = self.mapToScene(pos) - before
        centre = self.mapToScene(self.viewport().rect().center())
        self.centerOn(centre - shift)

    def _node_at(self, pos: QPoint) -> int | None:
        model = self.map_scene.model
        if model is None:
            return None
        p = self.mapToScene(pos)
        slack = 4.0 / max(self.zoom, 1e-6)  # a few pixels of slack at any zoom
        return model.nearest(p.x(), p.y(), among=self.map_scene.shown, slack=slack)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        if event.button() == Qt.MouseButton.LeftButton:
            self._press = event.position().toPoint()
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        super().mouseReleaseEvent(event)
        press, self._press = self._press, None
        if event.button() != Qt.MouseButton.LeftButton or press is None:
            return
        pos = event.position().toPoint()
        if (pos - press).manhattanLength() > _CLICK_SLOP:
            return  # a drag: panned, not clicked
        mods = event.modifiers()
        additive = bool(
            mods & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
        )
        self.node_clicked.emit(self._node_at(pos), additive)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        index = self._node_at(event.position().toPoint())
        if index is not None and event.button() == Qt.MouseButton.LeftButton:
            self.node_double_clicked.emit(index)
            event.accept()
            return
        super().mouseDoubleClickEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        super().mouseMoveEvent(event)
        if event.buttons() != Qt.MouseButton.NoButton:
            return
        index = self._node_at(event.position().toPoint())
        if index != self.map_scene.hovered:
            self.map_scene.set_hovered(index)
            self.node_hovered.emit(index)
            if index is None:
                QToolTip.hideText()
            elif callable(self.tooltip_for):
                QToolTip.showText(
                    event.globalPosition().toPoint(), self.tooltip_for(index), self.viewport()
                )
