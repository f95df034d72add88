"""The concept map window: the map, its toolbar, the side panel; wiring to the worker.

Database work goes through `runner` (the app's serialized CollectionWorker, or a
synchronous runner in tests); the layout runs on a QThreadPool thread. The map shows
at once with stored (or provisional) positions and stays interactive while the layout
of new nodes is computed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QPointF, QSize, QThreadPool, Signal
from PySide6.QtGui import QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import QLabel, QMainWindow, QSplitter, QVBoxLayout, QWidget

from flashcards.collection.concept_map import MapData
from flashcards.core.gc_pause import gc_paused
from flashcards.core.graph_layout import DEFAULT_PARAMS, LayoutParams
from flashcards.core.math_tex import plain_math
from flashcards.core.model import NoteId
from flashcards.core.region_layout import RegionLayout
from flashcards.gui.close_keys import add_close_keys
from flashcards.gui.concept_map import map_ops
from flashcards.gui.concept_map.layout_task import BackgroundTask, LayoutTask, start_layout
from flashcards.gui.concept_map.legend import LegendBar
from flashcards.gui.concept_map.map_actions import MapActions
from flashcards.gui.concept_map.map_model import MapModel
from flashcards.gui.concept_map.map_scene import MapScene
from flashcards.gui.concept_map.map_toolbar import MapToolbar
from flashcards.gui.concept_map.map_view import MapView
from flashcards.gui.concept_map.side_panel import SidePanel, node_summary
from flashcards.gui.concept_map.study_window import StudyWindow
from flashcards.gui.window_geometry import fit_to_screen


def _utc_now() -> datetime:
    return datetime.now(UTC)


SMALL_HEIGHT = 640
"""A window less tall than this (on a 1024x600 screen, say) starts with the legend
folded away."""


class ConceptMapWindow(MapActions, QMainWindow):
    loaded = Signal()  # a map load is on screen
    layout_finished = Signal()
    clusters_ready = Signal()
    card_shown = Signal(str)  # NoteId in the side panel
    study_started = Signal(object)  # StudyWindow
    collection_changed = Signal()  # cards studied or edited here: other screens refresh

    def __init__(
        self,
        runner: Any,
        *,
        now: Callable[[], datetime] = _utc_now,
        params: LayoutParams = DEFAULT_PARAMS,
        pool: QThreadPool | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.now = now
        self.params = params
        self.pool = pool
        self.setWindowTitle("Concept map")
        self.scene = MapScene(self)
        self.view = MapView(self.scene, self)
        self.view.tooltip_for = self.tooltip
        self.toolbar = MapToolbar(self)
        self.toolbar.add_to(self)
        self.panel = SidePanel(self)
        # The legend is a strip under the map: it covers no node, and folds away.
        self.legend = LegendBar(self)
        left = QWidget(self)
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.view, 1)
        column.addWidget(self.legend)
        splitter = QSplitter(self)
        splitter.addWidget(left)
        splitter.addWidget(self.panel)
        splitter.setStretchFactor(0, 1)
        splitter.setSizes([1040, 320])
        self.setCentralWidget(splitter)
        self.status = QLabel("Loading…", self)
        self.statusBar().addWidget(self.status, 1)

        self.model: MapModel | None = None
        self.study_window: StudyWindow | None = None
        self.editors: list[QWidget] = []
        self._generation = 0
        self._task: LayoutTask | None = None
        self._cluster_task: BackgroundTask | None = None
        self._clusters_for: MapModel | None = None
        self._fitted = False
        self.last_layout_seconds = 0.0
        self.last_layout_cpu_seconds = 0.0

        self.view.node_clicked.connect(self._clicked)
        self.view.node_double_clicked.connect(lambda i: self.open_editor(self._id(i)))
        self.toolbar.filter_changed.connect(self.apply_filter)
        self.toolbar.search_requested.connect(self.find_card)
        self.toolbar.options_changed.connect(self._options_changed)
        self.toolbar.study_requested.connect(self.study_these)
        self.toolbar.fit_requested.connect(self.fit)
        self.toolbar.refresh_requested.connect(self.load)
        self.toolbar.export_requested.connect(self._ask_export)
        self.panel.card.note_picked.connect(lambda nid: self.select_note(NoteId(nid)))
        self.panel.card.edit_requested.connect(lambda nid: self.open_editor(NoteId(nid)))
        self.panel.card.add_link_requested.connect(lambda a, b: self.add_link(NoteId(a), NoteId(b)))
        self.panel.card.study_requested.connect(self.study_these)
        self.panel.clusters.cluster_shown.connect(self.show_cluster)
        self.panel.clusters.cluster_studied.connect(self.study_cluster)
        self.panel.bridges.bridge_shown.connect(self.show_bridge)
        self.panel.bridges.study_requested.connect(self.study_bridges)
        find = QShortcut(QKeySequence.StandardKey.Find, self)
        find.activated.connect(self._focus_search)
        add_close_keys(self, step_back=self.step_back)
        self.panel.currentChanged.connect(lambda _i: self._tab_shown())
        fit_to_screen(self, QSize(1360, 860), key="map")  # the main window's settings
        if self.height() < SMALL_HEIGHT:  # a small screen: the map gets the room
            self.legend.set_folded(True)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self.toolbar.wrap_in(self)

    # -- loading ------------------------------------------------------------------------

    def load(self) -> None:
        """Fetch the map from the collection (positions as stored) and show it."""
        now, tags = self.now(), self.toolbar.tag_edges.isChecked()
        self.runner.run(
            lambda col: map_ops.load(col, now=now, tag_edges=tags),
            success=self.show_data,
            label="concept map",
        )

    def show_data(self, data: MapData) -> None:
        keep = [self.model.ids[i] for i in self.scene.selected] if self.model else []
        with gc_paused():  # thousands of small objects: no collector pass mid-build
            model = MapModel(data, params=self.params)
        self.model = model
        self.scene.selected = [model.index[n] for n in keep if n in model.index]
        self.toolbar.set_choices(domains=list(data.domains), decks=model.decks(), tags=model.tags())
        self.toolbar.set_titles([plain_math(n.title) for n in model.nodes])
        self.scene.set_model(model, filter=self.toolbar.current_filter(self.focus_note()))
        self.legend.set_domains(list(data.domains))
        if not self._fitted:
            self.fit()
        self._fitted = True
        self._show_counts()
        self._clusters_for = None
        if model.needs_layout:
            self._start_layout(model)
        self._tab_shown()
        if self.toolbar.suggestions.isChecked():
            self._load_suggestions()
        self.loaded.emit()

    def _tab_shown(self) -> None:
        if self.panel.currentWidget() is self.panel.clusters:
            self.compute_clusters()
        elif self.panel.currentWidget() is self.panel.bridges:
            self.show_bridges()

    def compute_clusters(self) -> None:
        """Find the weak clusters of the current map (once per load), when asked for:
        Louvain is pure Python and would compete with drawing for the interpreter."""
        model = self.model
        if model is None or self._clusters_for is model or self._task is not None:
            return  # done, or the layout is running: it starts them when it ends
        self._clusters_for = model
        self.panel.clusters.set_busy()
        data = model.data
        # Pure computation on frozen data: a pool thread, not the collection's worker
        # (which must stay free for clicks).
        task = BackgroundTask(lambda: map_ops.clusters(data))
        task.emitter.finished.connect(self._clusters_done)
        self._cluster_task = task
        start_layout(task, self.pool)

    def _clusters_done(self, clusters: list[Any]) -> None:
        self._cluster_task = None
        self.panel.clusters.set_clusters(clusters)
        self.clusters_ready.emit()

    def _start_layout(self, model: MapModel) -> None:
        self._generation += 1
        edges = [(model.ids[a], model.ids[b]) for a, b in model.link_pairs]
        task = LayoutTask(
            self._generation,
            model.ids,
            edges,
            model.stored,
            self.params,
            {n.note_id: n.domain for n in model.nodes},
            subgroups={n.note_id: n.deck_file for n in model.nodes},
            regions=model.regions,
            order=model.data.domains,
        )
        task.emitter.finished.connect(self._layout_done)
        self._task = task
        self.status.setText(self.status.text() + " · laying out new cards…")
        start_layout(task, self.pool)

    def _layout_done(self, generation: int, result: RegionLayout[NoteId]) -> None:
        if generation != self._generation or self.model is None:
            return  # a newer load replaced this one
        if self._task is not None:
            self.last_layout_seconds = self._task.seconds
            self.last_layout_cpu_seconds = self._task.cpu_seconds
        self._task = None
        model = self.model
        first = not model.stored  # provisional positions were random: look again
        model.set_positions(result.positions, result.regions)
        model.stored = dict(result.positions)
        self.scene.refresh()
        if first:
            self.fit()
        self.status.setText(self.status.text().replace(" · laying out new cards…", ""))
        to_save, regions = model.positions(), dict(model.regions)
        self.runner.run(
            lambda col: map_ops.store_positions(col, to_save, regions), label="save map positions"
        )
        if self.panel.currentWidget() is self.panel.clusters:
            self.compute_clusters()
        self.layout_finished.emit()

    # -- filters, search, selection --------------------------------------------------------

    def focus_note(self) -> NoteId | None:
        if self.model is None or not self.scene.selected:
            return None
        return self.model.ids[self.scene.selected[0]]

    def apply_filter(self, fit: bool = True) -> None:
        self.scene.set_filter(self.toolbar.current_filter(self.focus_note()))
        if fit:
            self.fit()
        self._show_counts()

    def _show_counts(self) -> None:
        if self.model is None:
            return
        shown = int(self.scene.shown.sum())
        total = len(self.model)
        links = len(self.model.link_pairs)
        self.status.setText(
            f"{total} cards · {links} links"
            if shown == total
            else f"{shown} of {total} cards shown · {links} links"
        )

    def fit(self) -> None:
        if self.model is None:
            return
        if self.model.local_bounds is not None:
            # A neighbourhood is spaced for its labels at scale 1: never smaller.
            self.view.fit(self.scene.visible_rect(), margins=False, least=1.0)
            return
        self.view.fit(self.scene.visible_rect())

    def find_card(self, text: str) -> int | None:
        """Select the best match for `text` and centre the view on it."""
        model = self.model
        if model is None:
            return None
        hits = model.search(text, among=self.scene.shown) or model.search(text)
        if not hits:
            self.statusBar().showMessage(f"No card matches “{text}”", 4000)
            return None
        index = hits[0]
        if not self.scene.shown[index]:
            self.clear_filters()
        self.scene.found = index
        self.select(index)
        if self.view.zoom < 1.0:
            self.view.zoom_by(1.0 / self.view.zoom)  # close enough to read the labels
        self.view.centre_on(QPointF(*model.pos[index]))
        return index

    def _focus_search(self) -> None:
        self.toolbar.search.setFocus()
        self.toolbar.search.selectAll()

    def step_back(self) -> bool:
        """Esc: leave the neighbourhood, else clear the selection (False: neither, so
        Esc closes the window)."""
        if self.toolbar.depth_box.currentIndex() != 0:
            self.toolbar.depth_box.setCurrentIndex(0)
        elif self.scene.selected:
            self.scene.found = None
            self.select(None)
        else:
            return False
        return True

    def clear_filters(self) -> None:
        """Show every card (one scene rebuild, not one per list)."""
        bar = self.toolbar
        for combo in (bar.domain, bar.deck, bar.tag, bar.state, bar.depth_box):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self.apply_filter(fit=False)

    def select_note(self, note_id: NoteId) -> None:
        if self.model is not None and note_id in self.model.index:
            index = self.model.index[note_id]
            if not self.scene.shown[index]:
                self.clear_filters()
            self.select(index)
            self.view.centre_on(QPointF(*self.model.pos[index]))

    def select(self, index: int | None, *, additive: bool = False) -> None:
        selected = list(self.scene.selected)
        if index is None:
            selected = [] if not additive else selected
        elif additive:
            if index in selected:
                selected = [i for i in selected if i != index]
            else:
                selected = [*selected, index]
        else:
            selected = [index]
        focus = self.focus_note()
        self.scene.set_selection(selected)
        if self.toolbar.depth_box.currentData():
            # A new centre lays the neighbourhood out afresh: show it whole.
            self.apply_filter(fit=self.focus_note() != focus)
        if index is not None and index in selected:
            self.show_card(self._id(index))

    def _clicked(self, index: int | None, additive: bool) -> None:
        self.scene.found = None
        self.select(index, additive=additive)

    def show_card(self, note_id: NoteId) -> None:
        model = self.model
        node = model.nodes[model.index[note_id]] if model and note_id in model.index else None

        def shown(panel: map_ops.CardPanel) -> None:
            self.panel.card.show_card(panel, node)
            self.panel.setCurrentWidget(self.panel.card)
            self._show_suggestions_for(note_id)
            self.card_shown.emit(note_id)

        self.runner.run(lambda col: map_ops.card_panel(col, note_id), success=shown, label="card")

    def tooltip(self, index: int) -> str:
        assert self.model is not None
        node = self.model.nodes[index]
        return f"<b>{plain_math(node.title)}</b><br>" + node_summary(node).replace("\n", "<br>")

    def _id(self, index: int) -> NoteId:
        assert self.model is not None
        return self.model.ids[index]
