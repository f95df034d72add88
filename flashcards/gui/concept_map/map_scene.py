"""The map's scene: turns a MapModel, a filter and a selection into the layers."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPen
from PySide6.QtWidgets import QGraphicsScene, QWidget

from flashcards.collection.concept_map import EdgeKind
from flashcards.core.math_tex import plain_math
from flashcards.gui.concept_map import colours as c
from flashcards.gui.concept_map.layers import (
    EdgeLayer,
    HighlightLayer,
    LabelLayer,
    NodeLayer,
)
from flashcards.gui.concept_map.map_model import BoolArray, MapFilter, MapModel, bounds
from flashcards.gui.theme import is_dark


def _pen(colour: str, width: float, *, alpha: int = 255, dash: bool = False) -> QPen:
    qcolour = QColor(colour)
    qcolour.setAlpha(alpha)
    pen = QPen(qcolour, width)
    pen.setCosmetic(True)  # edge widths in screen pixels at every zoom
    if dash:
        pen.setStyle(Qt.PenStyle.DashLine)
    return pen


class MapScene(QGraphicsScene):
    """Owns the layers; `refresh()` after the model, filter or selection changed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # A handful of big items: a BSP index would only cost time on every change.
        self.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.NoIndex)
        self.edges = EdgeLayer()
        self.nodes = NodeLayer()
        self.highlight = HighlightLayer()
        self.labels = LabelLayer()
        self._dark: bool | None = None
        self._follow_theme()
        for z, item in enumerate((self.edges, self.nodes, self.highlight, self.labels)):
            item.setZValue(z)
            self.addItem(item)
        self.model: MapModel | None = None
        self.filter = MapFilter()
        self.shown: BoolArray = np.zeros(0, dtype=bool)
        self.selected: list[int] = []
        self.found: int | None = None
        self.hovered: int | None = None
        self.show_suggestions = False
        self.show_tag_edges = False
        self.domain_colour: dict[str, str] = {}

    def _follow_theme(self) -> None:
        """The background and label colours of the light or dark theme now in use."""
        dark = is_dark()
        if dark == self._dark:
            return
        self._dark = dark
        self.setBackgroundBrush(QColor("#1b1d21" if dark else "#fbfbfd"))
        self.labels.text_colour = QColor("#e6e6e6" if dark else "#1d2330")
        self.labels.back_colour = QColor(27, 29, 33, 200) if dark else QColor(255, 255, 255, 200)
        self.labels.update()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ApplicationPaletteChange:  # the theme was switched
            self._follow_theme()
        return super().event(event)

    def set_model(self, model: MapModel, *, filter: MapFilter | None = None) -> None:
        self.model = model
        if filter is not None:
            self.filter = filter
        self.domain_colour = c.domain_colours(model.data.domains)
        self.selected = [i for i in self.selected if i < len(model)]
        self.found = None
        self.hovered = None
        self.refresh()

    def set_filter(self, f: MapFilter) -> None:
        self.filter = f
        self.refresh()

    def refresh(self) -> None:
        """Rebuild every layer from the model (after data, position or filter changes)."""
        model = self.model
        if model is None:
            return
        self.shown = model.visible(self.filter)
        shown_idx = np.flatnonzero(self.shown)
        ring_of = [c.recall_colour(s) for s in range(-1, c.RECALL_STEPS)]
        rings = [ring_of[c.recall_step(n.recall) + 1] for n in model.nodes]
        fills = [self.domain_colour.get(n.domain or "", c.NO_DOMAIN) for n in model.nodes]
        self.nodes.set_nodes(model.pos, model.radius, rings, fills, shown_idx)
        priority = model.radius + np.array([0.5 if n.is_weak else 0.0 for n in model.nodes])
        titles = [plain_math(n.title) for n in model.nodes]
        self.labels.set_labels(model.pos, model.radius, titles, priority, self.shown)
        self._build_edges()
        left, top, right, bottom = bounds(model.pos, model.radius, self.shown)
        rect = QRectF(left, top, right - left, bottom - top)
        for layer in (self.edges, self.nodes, self.highlight):
            layer.set_rect(rect)
        self.labels.set_rect(rect.adjusted(0, 0, 260, 0))  # labels sit right of nodes
        # Generous margins: the view can centre any node (search) and pan past the edges.
        pad = max(rect.width(), rect.height()) + 2000.0
        self.setSceneRect(rect.adjusted(-pad, -pad, pad, pad))
        self.update_marks()

    def _build_edges(self) -> None:
        model = self.model
        assert model is not None
        shown = self.shown
        pos = model.pos
        same: list[QLineF] = []
        cross: list[QLineF] = []
        tags: list[QLineF] = []
        near: list[QLineF] = []
        selected = set(self.selected)
        for e in model.data.edges:
            a, b = model.index[e.source], model.index[e.target]
            if not (shown[a] and shown[b]):
                continue
            if e.kind is EdgeKind.TAG and not self.show_tag_edges:
                continue
            line = QLineF(pos[a, 0], pos[a, 1], pos[b, 0], pos[b, 1])
            if e.kind is EdgeKind.TAG:
                tags.append(line)
            elif a in selected or b in selected:
                near.append(line)
            elif e.cross_domain:
                cross.append(line)
            else:
                same.append(line)
        suggested: list[QLineF] = []
        if self.show_suggestions:
            for s in model.suggestions:
                i, j = model.index.get(s.a), model.index.get(s.b)
                if i is not None and j is not None and shown[i] and shown[j]:
                    suggested.append(QLineF(pos[i, 0], pos[i, 1], pos[j, 0], pos[j, 1]))
        self.edges.set_groups(
            [
                # Width 0: Qt's one-pixel cosmetic line, several times faster to
                # rasterise than any wider pen; opaque colours blend nothing.
                (_pen(c.TAG_EDGE, 0), tags),
                (_pen(c.SAME_DOMAIN_EDGE, 0), same),
                (_pen(c.CROSS_DOMAIN_EDGE, 0), cross),
                (_pen(c.SUGGESTED_EDGE, 1.6, dash=True), suggested),
                (_pen(c.HIGHLIGHT, 2.2), near),
            ]
        )

    def update_marks(self) -> None:
        """Rings for the selection, the search hit and the hovered node."""
        model = self.model
        if model is None:
            return
        marks = []
        for i, colour, width in (
            *((i, c.HIGHLIGHT, 3.0) for i in self.selected),
            *(((self.found, "#111111", 2.0),) if self.found is not None else ()),
            *(((self.hovered, "#444444", 1.5),) if self.hovered is not None else ()),
        ):
            if i is None or i >= len(model):
                continue
            pen = QPen(QColor(colour), width)
            pen.setCosmetic(True)
            centre = QPointF(float(model.pos[i, 0]), float(model.pos[i, 1]))
            marks.append((centre, float(model.radius[i]) + 6.0, pen))
        self.highlight.set_marks(marks)
        pinned = list(
            dict.fromkeys([*self.selected, *([self.found] if self.found is not None else [])])
        )
        self.labels.set_pinned([i for i in pinned if i < len(model)])

    def set_selection(self, selected: list[int]) -> None:
        edges_change = set(selected) != set(self.selected)
        self.selected = selected
        if edges_change:
            self._build_edges()
        self.update_marks()

    def set_hovered(self, index: int | None) -> None:
        if index != self.hovered:
            self.hovered = index
            self.update_marks()
