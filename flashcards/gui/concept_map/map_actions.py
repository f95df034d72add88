"""What the map window does with cards beyond showing them: suggested links and adding
them, weak clusters, "Study these", opening the editor, export.

A mixin of `ConceptMapWindow` (it uses the window's model, scene, view, panel, toolbar
and runner), kept apart so each file holds one idea.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from PySide6.QtCore import QRectF, SignalInstance
from PySide6.QtWidgets import QFileDialog, QLabel, QStatusBar, QWidget

from flashcards.collection.concept_map import MapData
from flashcards.core.model import CardId, NoteId
from flashcards.gui.concept_map import map_ops
from flashcards.gui.concept_map.export import export_png, export_svg
from flashcards.gui.concept_map.map_model import MapModel, bounds
from flashcards.gui.concept_map.map_scene import MapScene
from flashcards.gui.concept_map.map_toolbar import MapToolbar
from flashcards.gui.concept_map.map_view import MapView
from flashcards.gui.concept_map.side_panel import SidePanel
from flashcards.gui.concept_map.study_window import StudyWindow


def study_title(source: str, *, cards: int, nodes: int) -> str:
    """A "Study these" window's title: it counts the cards the session shows, as its
    counter does; a map card with cloze deletions or a reverse side is several cards."""
    if source:
        return f"{source} · {cards} cards"
    if cards == nodes:
        return f"{cards} cards from the map"
    return f"{cards} cards from {nodes} on the map"


class MapActions:
    """Suggestions, links, clusters, study, editing and export for the map window."""

    runner: Any
    now: Callable[[], datetime]
    model: MapModel | None
    scene: MapScene
    view: MapView
    panel: SidePanel
    toolbar: MapToolbar
    status: QLabel
    study_window: StudyWindow | None
    editors: list[QWidget]
    study_started: SignalInstance
    collection_changed: SignalInstance

    def _widget(self) -> QWidget:
        assert isinstance(self, QWidget)  # mixed into the window
        return self

    if TYPE_CHECKING:  # provided by the window (QMainWindow and ConceptMapWindow)

        def statusBar(self) -> QStatusBar: ...  # noqa: N802

        def load(self) -> None: ...

        def show_data(self, data: MapData) -> None: ...

        def show_card(self, note_id: NoteId) -> None: ...

        def clear_filters(self) -> None: ...

        def select_note(self, note_id: NoteId) -> None: ...

        def apply_filter(self, fit: bool = True) -> None: ...

    # -- options: tag edges, suggestions -----------------------------------------------------

    def _options_changed(self) -> None:
        self.scene.show_tag_edges = self.toolbar.tag_edges.isChecked()
        self.scene.show_suggestions = self.toolbar.suggestions.isChecked()
        if self.model is None:
            return
        has_tags = any(e.kind.value == "tag" for e in self.model.data.edges)
        if self.scene.show_tag_edges and not has_tags:
            self.load()  # tag edges come with the data
            return
        if self.scene.show_suggestions and not self.model.suggestions:
            self._load_suggestions()
        self.apply_filter(fit=False)  # a neighbourhood may now include suggestions

    def _load_suggestions(self) -> None:
        def done(found: list[Any]) -> None:
            if self.model is None:
                return
            self.model.suggestions = found
            self.apply_filter(fit=False)
            note = self.panel.card.note_id
            if note is not None:
                self._show_suggestions_for(note)
            self.statusBar().showMessage(f"{len(found)} suggested links", 4000)

        self.runner.run(map_ops.suggestions, success=done, label="suggest links")

    def _show_suggestions_for(self, note_id: NoteId) -> None:
        model = self.model
        if model is None:
            return
        items = []
        for s in model.suggestions:
            other = s.b if s.a == note_id else s.a if s.b == note_id else None
            if other is not None and other in model.index:
                node = model.nodes[model.index[other]]
                link = map_ops.NoteLink(other, node.title, node.domain)
                items.append((link, s.score, s.terms))
        self.panel.card.set_suggestions(items)

    def add_link(self, source: NoteId, target: NoteId) -> None:
        """Write `[[target]]` into the source card's Markdown, then reload the map."""
        now, tags = self.now(), self.toolbar.tag_edges.isChecked()

        def done(data: MapData) -> None:
            old = self.model.suggestions if self.model is not None else []
            suggestions = [s for s in old if {s.a, s.b} != {source, target}]
            self.show_data(data)
            assert self.model is not None
            self.model.suggestions = suggestions
            self.scene.refresh()
            self.show_card(source)
            self.statusBar().showMessage("Link added; the card keeps its history.", 4000)
            self.collection_changed.emit()

        self.runner.run(
            lambda col: map_ops.link_and_reload(col, source, target, now=now, tag_edges=tags),
            success=done,
            label="add link",
        )

    # -- clusters, study, editing, export ------------------------------------------------------

    def show_cluster(self, index: int) -> None:
        model = self.model
        cluster = self.panel.clusters.clusters[index]
        if model is None:
            return
        self.clear_filters()
        chosen = [model.index[n] for n in cluster.nodes if n in model.index]
        self.scene.set_selection(chosen)
        mask = np.zeros(len(model), dtype=bool)
        mask[chosen] = True
        left, top, right, bottom = bounds(model.pos, model.radius, mask)
        self.view.fit(QRectF(left, top, right - left, bottom - top))

    def study_cluster(self, index: int) -> None:
        cluster = self.panel.clusters.clusters[index]
        source = f"{cluster.name or 'cluster'} ({cluster.known:.0%} known)"
        self.study_notes(list(cluster.nodes), source=source)

    def show_bridges(self) -> None:
        """Fill the Bridges tab from the map as loaded."""
        model = self.model
        if model is None:
            return
        titles = {n.note_id: n.title for n in model.nodes}
        self.panel.bridges.set_bridges(map_ops.bridges(model.data), titles)

    def show_bridge(self, note_id: str) -> None:
        """Select a bridge card on the map, its links to other domains highlighted."""
        self.select_note(NoteId(note_id))

    def study_bridges(self, notes: list[str]) -> None:
        if notes:
            self.study_notes([NoteId(n) for n in notes], source="bridges between domains")

    def study_selection(self) -> list[NoteId]:
        """The notes "Study these" covers: the neighbourhood shown, else the selection."""
        model = self.model
        if model is None:
            return []
        if self.scene.filter.depth and self.scene.filter.focus is not None:
            return model.note_ids(np.flatnonzero(self.scene.shown).tolist())
        return model.note_ids(self.scene.selected)

    def study_these(self) -> None:
        notes = self.study_selection()
        if not notes:
            self.statusBar().showMessage("Select cards (Ctrl+click) or a neighbourhood first", 4000)
            return
        self.study_notes(notes)

    def study_notes(self, notes: list[NoteId], *, source: str = "") -> None:
        def start(cards: list[CardId]) -> None:
            title = study_title(source, cards=len(cards), nodes=len(notes))
            window = StudyWindow(
                self.runner, cards, title=title, now=self.now, parent=self._widget()
            )
            window.finished.connect(self.load)  # recall changed: recolour the rings
            window.finished.connect(self.collection_changed)
            self.study_window = window
            window.start()
            self.study_started.emit(window)

        self.runner.run(lambda col: map_ops.cards_of(col, notes), success=start, label="study")

    def open_editor(self, note_id: NoteId) -> None:
        """Open the note's deck in the deck editor at its heading."""

        def opened(panel: map_ops.CardPanel) -> None:
            from flashcards.gui.editor import DeckEditor

            editor = DeckEditor(
                self.runner, key=panel.deck_file, line=panel.line, parent=self._widget()
            )
            editor.saved.connect(lambda _saved: self.load())
            editor.saved.connect(lambda _saved: self.collection_changed.emit())
            self.editors.append(editor)
            editor.load()
            editor.show()

        self.runner.run(lambda col: map_ops.card_panel(col, note_id), success=opened, label="edit")

    def export_png(self, path: Path) -> Path:
        return export_png(self.view, path)

    def export_svg(self, path: Path) -> Path:
        return export_svg(self.view, path)

    def _ask_export(self, kind: str) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self._widget(), "Export map", f"concept-map.{kind}", f"{kind.upper()} (*.{kind})"
        )
        if name:
            path = (export_png if kind == "png" else export_svg)(self.view, Path(name))
            self.statusBar().showMessage(f"Exported {path}", 4000)
