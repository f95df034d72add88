"""The map's toolbar: search, filters, options, study, export."""

from __future__ import annotations

from PySide6.QtCore import QStringListModel, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QLabel,
    QLineEdit,
    QMainWindow,
    QToolBar,
    QWidget,
)

from flashcards.core.model import NoteId
from flashcards.gui.concept_map.map_model import MapFilter, StateFilter

_ANY = "Any"


class MapToolbar(QToolBar):
    """Search and filters; the options and actions are in `actions_bar`, a second toolbar
    beside it, or under it when the window is too narrow for both (`wrap_in`)."""

    filter_changed = Signal()
    search_requested = Signal(str)
    options_changed = Signal()  # tag edges or suggestions toggled
    study_requested = Signal()
    fit_requested = Signal()
    refresh_requested = Signal()
    export_requested = Signal(str)  # "png" or "svg"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Map", parent)
        self.setMovable(False)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Find a card…")
        self.search.setClearButtonEnabled(True)
        # Readable at 1366 px wide: the box never shrinks below its placeholder.
        self.search.setMinimumWidth(
            max(180, self.search.fontMetrics().horizontalAdvance("Find a card…") + 48)
        )
        self.search.setMaximumWidth(240)
        self.search.returnPressed.connect(lambda: self.search_requested.emit(self.search.text()))
        self.completer = QCompleter([], self)
        self.completer.setCaseSensitivity(self.completer.caseSensitivity().CaseInsensitive)
        self.completer.setFilterMode(self.completer.filterMode().MatchContains)
        self.completer.activated.connect(self.search_requested)
        self.search.setCompleter(self.completer)
        self.addWidget(self.search)
        self.addSeparator()
        self.domain = self._combo(self, "Domain", 18)
        self.deck = self._combo(self, "Deck", 18)
        self.tag = self._combo(self, "Tag", 11)
        view = self.view_bar = QToolBar("Map view", parent)
        view.setMovable(False)
        self.state = self._combo(view, "Show", 14)
        for state in StateFilter:
            self.state.addItem(state.value, state)
        self._fit_popup(self.state)
        self.depth_box = self._combo(view, "Neighbourhood", 7)
        for text, depth in (("Off", 0), ("1 link", 1), ("2 links", 2)):
            self.depth_box.addItem(text, depth)
        bar = self.actions_bar = QToolBar("Map actions", parent)
        bar.setMovable(False)
        self.tag_edges = QCheckBox("Tag edges", bar)
        self.suggestions = QCheckBox("Suggested links", bar)
        for box in (self.tag_edges, self.suggestions):
            box.toggled.connect(lambda _on: self.options_changed.emit())
            bar.addWidget(box)
        bar.addSeparator()
        self.study_action = bar.addAction("Study these")
        self.study_action.setToolTip(
            "Study the selected cards or the neighbourhood shown: due cards are reviewed, "
            "the others practised (their schedule stays)"
        )
        self.study_action.triggered.connect(lambda _=False: self.study_requested.emit())
        bar.addAction("Fit").triggered.connect(lambda _=False: self.fit_requested.emit())
        refresh = bar.addAction("Refresh")
        refresh.setShortcut(QKeySequence("F5"))
        refresh.setToolTip("Reload the map: recall, new cards and links as they are now (F5)")
        refresh.triggered.connect(lambda _=False: self.refresh_requested.emit())
        bar.addAction("PNG…").triggered.connect(lambda _=False: self.export_requested.emit("png"))
        bar.addAction("SVG…").triggered.connect(lambda _=False: self.export_requested.emit("svg"))

    def add_to(self, window: QMainWindow) -> None:
        """Put the toolbars in `window` (at the top, side by side)."""
        window.addToolBar(self)
        window.addToolBar(self.view_bar)
        window.addToolBar(self.actions_bar)

    def wrap_in(self, window: QMainWindow) -> None:
        """As many toolbars to a row as the window's width holds: at 1366 pixels the
        filters on one row and the actions under them; at 1024 the find box and the
        domain, deck and tag lists, then what to show and the actions."""
        room = window.width()
        find, view, actions = (
            b.sizeHint().width() for b in (self, self.view_bar, self.actions_bar)
        )
        view_breaks = find + view > room
        actions_break = view + actions > room if view_breaks else find + view + actions > room
        for bar, wanted in ((self.view_bar, view_breaks), (self.actions_bar, actions_break)):
            if wanted != window.toolBarBreak(bar):
                if wanted:
                    window.insertToolBarBreak(bar)
                else:
                    window.removeToolBarBreak(bar)

    def _combo(self, bar: QToolBar, label: str, chars: int) -> QComboBox:
        """A filter list `chars` characters wide, whatever it holds (a long deck name
        is elided in the box, whole in its tooltip and in the list that drops down)."""
        bar.addWidget(QLabel(f" {label} ", bar))
        combo = QComboBox(bar)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(chars)
        combo.currentIndexChanged.connect(lambda _i: self.filter_changed.emit())
        combo.currentTextChanged.connect(combo.setToolTip)
        bar.addWidget(combo)
        return combo

    @staticmethod
    def _fit_popup(combo: QComboBox) -> None:
        """The drop-down list as wide as its longest entry."""
        metrics = combo.fontMetrics()
        widest = max(
            (metrics.horizontalAdvance(combo.itemText(i)) for i in range(combo.count())),
            default=0,
        )
        combo.view().setMinimumWidth(min(widest + 40, 640))

    def set_choices(self, *, domains: list[str], decks: list[str], tags: list[str]) -> None:
        """Refill the filter lists, keeping the current choices where still offered."""
        for combo, values in ((self.domain, domains), (self.deck, decks), (self.tag, tags)):
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(_ANY, "")
            for value in values:
                combo.addItem(value.replace("::", " › "), value)
            index = combo.findData(current) if current else 0
            combo.setCurrentIndex(max(index, 0))
            combo.blockSignals(False)
            self._fit_popup(combo)

    def set_titles(self, titles: list[str]) -> None:
        self.completer.setModel(QStringListModel(sorted(set(titles)), self.completer))

    def current_filter(self, focus: NoteId | None) -> MapFilter:
        depth = int(self.depth_box.currentData() or 0)
        return MapFilter(
            domain=str(self.domain.currentData() or ""),
            deck=str(self.deck.currentData() or ""),
            tag=str(self.tag.currentData() or ""),
            state=self.state.currentData() or StateFilter.ALL,
            focus=focus if depth else None,
            depth=depth if focus is not None else 0,
            with_suggested=self.suggestions.isChecked(),
        )

    def select(self, combo: QComboBox, value: object) -> None:
        """Choose `value` in a filter list (tests and scripted use)."""
        index = combo.findData(value)
        if index < 0:
            raise ValueError(f"{value!r} is not offered")
        combo.setCurrentIndex(index)
