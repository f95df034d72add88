"""The map's scene: turns a MapModel, a filter and a selection into the layers."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPen
from PySide6.QtWidgets import QGraphicsScene, QWidget

from flashcards.collection.concept_map import EdgeKind
from flashcards.core.math_tex import plain_math
from flashcards.core.region_layout import NO_GROUP
from flashcards.gui.concept_map import colours as c
from flashcards.gui.concept_map import edge_lines
from flashcards.gui.concept_map.layers import RING, EdgeLayer, HighlightLayer, NodeLayer
from flashcards.gui.concept_map.map_model import BoolArray, MapFilter, MapModel, bounds
from flashcards.gui.concept_map.text_layers import LabelLayer, RegionLayer
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
        self.regions = RegionLayer()
        self.edges = EdgeLayer()
        self.nodes = NodeLayer()
        self.highlight = HighlightLayer()
        self.labels = LabelLayer()
        self.labels.avoid = self.regions  # card labels leave the domains' names readable
        self.model: MapModel | None = None
        self._dark: bool | None = None
        self._follow_theme()
        # The regions' discs under the links, their names over the nodes (readable),
        # under the selection and the cards' labels (which keep clear of them).
        layers = (
            self.regions.discs,
            self.edges,
            self.nodes,
            self.regions,
            self.highlight,
            self.labels,
        )
        for z, item in enumerate(layers):
            item.setZValue(z)
            self.addItem(item)
        self.filter = MapFilter()
        self.shown: BoolArray = np.zeros(0, dtype=bool)
        self.selected: list[int] = []
        self.found: int | None = None
        self.hovered: int | None = None
        self.show_suggestions = False
        self.show_tag_edges = False
        self.domain_colour: dict[str, str] = {}
        self.view_width = 1000.0  # the view's width in pixels (a neighbourhood fits it)

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
        if self.model is not None:
            self.refresh()  # edge and region colours follow the theme

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
        titles = [plain_math(n.title) for n in model.nodes]
        priority = model.radius + np.array([0.5 if n.is_weak else 0.0 for n in model.nodes])
        local = self.filter.focus is not None and self.filter.depth > 0
        focus = model.index.get(self.filter.focus) if self.filter.focus is not None else None
        if local and focus is not None and self.shown[focus]:
            # Labels are measured first: the neighbourhood is spaced by their sizes,
            # and cut shorter when it would not fit the view's width at scale 1.
            self.labels.set_labels(model.pos, model.radius, titles, priority, self.shown)
            for chars in range(34, 15, -2):
                self.labels.set_max_chars(chars)
                x0, _y0, x1, _y1 = model.show_neighbourhood(
                    focus,
                    self.filter.depth,
                    self.shown,
                    label_width=self.labels.box_width,
                    label_height=self.labels.box_height(),
                    outer_radius=lambda i: float(model.radius[i]) + RING,
                )
                if x1 - x0 <= self.view_width - 16:
                    break
        else:
            self.labels.set_max_chars(34)
            model.show_layout()
        ring_of = [c.recall_colour(s) for s in range(-1, c.RECALL_STEPS)]
        rings = [ring_of[c.recall_step(n.recall) + 1] for n in model.nodes]
        fills = [self.domain_colour.get(n.domain or "", c.NO_DOMAIN) for n in model.nodes]
        self.nodes.set_nodes(model.pos, model.radius, rings, fills, shown_idx)
        self.labels.set_labels(
            model.pos,
            model.radius,
            titles,
            priority,
            self.shown,
            side=model.label_side,
            every=model.local_bounds is not None,
        )
        self._build_edges()
        self._build_regions()
        left, top, right, bottom = bounds(model.pos, model.radius, self.shown)
        rect = QRectF(left, top, right - left, bottom - top)
        if model.local_bounds is not None:
            x0, y0, x1, y1 = model.local_bounds
            rect = rect.united(QRectF(x0, y0, x1 - x0, y1 - y0))
        for layer in (self.edges, self.nodes, self.highlight):
            layer.set_rect(rect)
        self.labels.set_rect(rect.adjusted(-260, 0, 260, 0))  # labels beside their nodes
        self.regions.set_rect(self._regions_rect(rect))
        # Generous margins: the view can centre any node (search) and pan past the edges.
        pad = max(rect.width(), rect.height()) + 2000.0
        self.setSceneRect(rect.adjusted(-pad, -pad, pad, pad))
        self.update_marks()

    def visible_rect(self) -> QRectF:
        """What Fit shows: the shown nodes, their regions (whole map) or their labels
        (a neighbourhood)."""
        model = self.model
        if model is None:
            return QRectF()
        left, top, right, bottom = bounds(model.pos, model.radius, self.shown)
        rect = QRectF(left, top, right - left, bottom - top)
        if model.local_bounds is not None:
            x0, y0, x1, y1 = model.local_bounds
            return rect.united(QRectF(x0, y0, x1 - x0, y1 - y0))
        return self._regions_rect(rect)

    def _regions_rect(self, rect: QRectF) -> QRectF:
        for _name, region, _colour in self.regions.regions:
            r = region.radius
            rect = rect.united(QRectF(region.x - r, region.y - r, 2 * r, 2 * r))
        return rect

    def _build_regions(self) -> None:
        """The regions of the domains shown (none in a neighbourhood: it is laid out
        around its card, not in place)."""
        model = self.model
        assert model is not None
        if model.local_bounds is not None or not self.shown.any():
            self.regions.set_regions([], dark=bool(self._dark))
            return
        present = {model.nodes[i].domain or NO_GROUP for i in np.flatnonzero(self.shown)}
        regions = [
            (
                name or "No domain",
                region,
                QColor(self.domain_colour.get(name, c.NO_DOMAIN) if name else c.NO_DOMAIN),
            )
            for name, region in model.regions.items()
            if name in present
        ]
        # The active exam's domains come first in `domains`: their names get room first.
        self.regions.set_regions(regions, dark=bool(self._dark), first=model.data.domains)

    def _build_edges(self) -> None:
        model = self.model
        assert model is not None
        shown = self.shown
        pos = model.pos
        local = model.local_bounds is not None
        same: list[QLineF] = []
        tags: list[QLineF] = []
        near: list[QLineF] = []
        aside: list[QLineF] = []  # a neighbourhood's links that do not lead to its centre
        cross_pairs: list[tuple[int, int]] = []
        selected = set(self.selected)
        for e in model.data.edges:
            a, b = model.index[e.source], model.index[e.target]
            if not (shown[a] and shown[b]):
                continue
            if e.kind is EdgeKind.TAG and not self.show_tag_edges:
                continue
            if e.kind is not EdgeKind.TAG and (a in selected or b in selected):
                near.append(QLineF(pos[a, 0], pos[a, 1], pos[b, 0], pos[b, 1]))
            elif local and frozenset((a, b)) not in model.tree:
                aside.append(QLineF(pos[a, 0], pos[a, 1], pos[b, 0], pos[b, 1]))
            elif e.kind is EdgeKind.TAG:
                tags.append(QLineF(pos[a, 0], pos[a, 1], pos[b, 0], pos[b, 1]))
            elif e.cross_domain:
                cross_pairs.append((a, b))
            else:
                same.append(QLineF(pos[a, 0], pos[a, 1], pos[b, 0], pos[b, 1]))
        cross = self._cross_lines(cross_pairs, bundle=not local)
        suggested: list[QLineF] = []
        if self.show_suggestions:
            for s in model.suggestions:
                i, j = model.index.get(s.a), model.index.get(s.b)
                if i is not None and j is not None and shown[i] and shown[j]:
                    suggested.append(QLineF(pos[i, 0], pos[i, 1], pos[j, 0], pos[j, 1]))
        dark = bool(self._dark)
        quiet = c.SAME_DOMAIN_EDGE_DARK if dark else c.SAME_DOMAIN_EDGE
        # A neighbourhood has few edges: its links across domains are drawn bolder.
        # Many links across read as bundles when each one is faint.
        cross_pen = (
            _pen(c.CROSS_DOMAIN_EDGE, 1.2)
            if local
            else _pen(c.CROSS_DOMAIN_EDGE, 0, alpha=min(170, max(90, 60_000 // max(len(cross), 1))))
        )
        self.edges.set_groups(
            [
                # Width 0: Qt's one-pixel cosmetic line, several times faster to
                # rasterise than any wider pen. Links inside a domain stay quiet; the
                # links across domains, the ties the map is for, stand out.
                (_pen(quiet, 0, alpha=110), aside),
                (_pen(c.TAG_EDGE_DARK if dark else c.TAG_EDGE, 0), tags),
                (_pen(quiet, 1.2 if local else 0), same),
                (cross_pen, cross),
                (_pen(c.SUGGESTED_EDGE, 1.6, dash=True), suggested),
                (_pen(c.HIGHLIGHT, 2.2), near),
            ],
            edges=len(aside) + len(tags) + len(same) + len(cross_pairs) + len(near),
            segments={3: len(cross) // len(cross_pairs)} if cross_pairs else None,
        )

    def _cross_lines(self, pairs: list[tuple[int, int]], *, bundle: bool) -> list[QLineF]:
        """Links across domains: on the whole map bent through the point between their
        regions, so each pair of domains' links gathers into a bundle."""
        model = self.model
        assert model is not None
        if not pairs:
            return []
        index = np.array(pairs, dtype=np.intp)
        start, end = model.pos[index[:, 0]], model.pos[index[:, 1]]
        centre = {name: (r.x, r.y) for name, r in model.regions.items()}
        if not bundle or not centre or len(pairs) > edge_lines.MAX_BENT:
            return edge_lines.straight(start, end)
        through = np.empty_like(start)
        for k, (a, b) in enumerate(pairs):
            ca = centre.get(model.nodes[a].domain or NO_GROUP)
            cb = centre.get(model.nodes[b].domain or NO_GROUP)
            if ca is None or cb is None:
                through[k] = (start[k] + end[k]) / 2
            else:
                through[k] = ((ca[0] + cb[0]) / 2, (ca[1] + cb[1]) / 2)
        return edge_lines.bent(start, end, through)

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
