"""The card browser: a search box with the query language, a lazy table of cards,
a preview pane, and bulk actions on the selection (see `bulk_actions`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import (
    QByteArray,
    QPoint,
    QSettings,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from flashcards.collection.browse import FIRST_PAGE, CardDetails, card_details
from flashcards.gui.browser.bulk_actions import BulkActions
from flashcards.gui.browser.card_table_model import CardTableModel
from flashcards.gui.browser.columns import SPECS, Column, columns_from_setting
from flashcards.gui.browser.guarded_runner import GuardedRunner
from flashcards.gui.browser.preview import CardPreview
from flashcards.gui.browser.searching import SearchingMixin
from flashcards.gui.close_keys import add_close_keys
from flashcards.gui.window_geometry import fit_to_screen
from flashcards.storage.card_search import SortColumn

COLUMNS_KEY = "browser/columns"
SPLITTER_KEY = "browser/splitter"
SORT_KEY = "browser/sort"
SEARCH_DELAY_MS = 250

QUERY_HELP = (
    'Words match prompt and answer · "exact phrase" · deck:NAME · tag:NAME · domain:NAME · '
    "is:new|due|learning|suspended|buried|flagged|leech · prop:stability>30 · rated:7 · "
    "added:3 · -negate · or · ( )"
)


def _utc_now() -> datetime:
    return datetime.now(UTC)


class BrowserWindow(SearchingMixin, QMainWindow):
    """Find any card; act on many at once. Works through `runner` (the app's worker)."""

    searched = Signal(int)  # cards found by the last search
    changed = Signal(object)  # a Change made here (the main window refreshes)
    edit_requested = Signal(str, int)  # deck key, line: open the deck editor there

    def __init__(
        self,
        runner: Any,
        *,
        settings: QSettings,
        now: Callable[[], datetime] = _utc_now,
        query: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner = GuardedRunner(runner, self)
        self.settings = settings
        self.now = now
        self.setWindowTitle("Browse cards")
        self.order = SortColumn.FILE_ORDER
        self.descending = False
        self._searches = 0  # answers to older searches are dropped
        self.showing = 0  # the search whose results the table shows (a count of searches)
        self._pending_selection: list[str] = []
        self.first_page = FIRST_PAGE  # ids in a search's first answer

        self.model = CardTableModel(
            runner, now=now, columns=columns_from_setting(settings.value(COLUMNS_KEY)), parent=self
        )
        self.model.sort_requested.connect(self._on_sort)
        self._build(query)
        self.actions_ = BulkActions(self)
        add_close_keys(self, menu=self.actions_.cards_menu)
        fit_to_screen(self, QSize(1280, 760), settings=settings, key="browser")
        self._restore()

    # -- building ---------------------------------------------------------------------

    def _build(self, query: str) -> None:
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DELAY_MS)
        self._debounce.timeout.connect(self.search)
        central = QWidget(self)
        outer = QVBoxLayout(central)
        outer.setContentsMargins(10, 10, 10, 6)
        outer.setSpacing(4)
        row = QHBoxLayout()
        self.search_box = QLineEdit(query, central)
        self.search_box.setPlaceholderText('Search: words, "phrase", deck:, tag:, is:due, prop:…')
        self.search_box.setToolTip(QUERY_HELP)
        self.search_box.setClearButtonEnabled(True)
        self.search_box.returnPressed.connect(self.search)
        self.search_box.textEdited.connect(lambda _t: self._debounce.start())
        self.count_label = QLabel("", central)
        self.count_label.setObjectName("muted")
        # Wide enough for any count, so the search box keeps its width as counts change.
        metrics = self.count_label.fontMetrics()
        self.count_label.setMinimumWidth(metrics.horizontalAdvance("9,999,999 cards…"))
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        row.addWidget(self.search_box, 1)
        row.addWidget(self.count_label)
        outer.addLayout(row)
        self.error_label = QLabel("", central)
        self.error_label.setObjectName("queryError")
        self.error_label.setStyleSheet("color: #d64541; padding: 0 2px;")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        outer.addWidget(self.error_label)

        self.table = QTableView(central)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        header = self.table.horizontalHeader()
        header.setSectionsMovable(False)
        header.setStretchLastSection(True)
        header.setHighlightSections(False)
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setSortIndicatorClearable(True)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # file order to start
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._header_menu)
        header.sortIndicatorChanged.connect(self._on_sort_indicator)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._table_menu)
        self.table.selectionModel().currentRowChanged.connect(lambda cur, _prev: self._preview())
        self.table.doubleClicked.connect(lambda _i: self.edit_current())
        self._size_columns()

        self.preview = CardPreview(central)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, central)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.preview)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([780, 480])
        outer.addWidget(self.splitter, 1)
        self.setCentralWidget(central)

        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(40)  # holding an arrow key: fetch where it stops
        self._preview_timer.timeout.connect(self._load_preview)
        focus = QAction("Find", self)
        focus.setShortcut(QKeySequence.StandardKey.Find)
        focus.triggered.connect(self._focus_search)
        self.addAction(focus)

    def _size_columns(self) -> None:
        for i, column in enumerate(self.model.columns):
            self.table.setColumnWidth(i, SPECS[column].width)

    def _restore(self) -> None:
        splitter = self.settings.value(SPLITTER_KEY)
        if isinstance(splitter, QByteArray):
            self.splitter.restoreState(splitter)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        self.settings.setValue(SPLITTER_KEY, self.splitter.saveState())
        super().closeEvent(event)

    def _focus_search(self) -> None:
        self.search_box.setFocus()
        self.search_box.selectAll()

    # -- columns ------------------------------------------------------------------------

    def set_columns(self, columns: Sequence[Column]) -> None:
        """Show these columns (remembered in the settings)."""
        selected = self.selected_ids()
        self.model.set_columns(columns)
        self.settings.setValue(COLUMNS_KEY, [c.value for c in columns])
        self._size_columns()
        self._select(selected)

    def _header_menu(self, pos: QPoint) -> None:
        menu = self.column_menu()
        menu.exec(self.table.horizontalHeader().mapToGlobal(pos))

    def column_menu(self) -> QMenu:
        """Checkable columns; unticking the last one is refused."""
        menu = QMenu(self)
        shown = list(self.model.columns)
        for column in SPECS:
            action = menu.addAction(SPECS[column].title)
            action.setCheckable(True)
            action.setChecked(column in shown)
            action.setEnabled(not (column in shown and len(shown) == 1))
            action.toggled.connect(lambda on, c=column: self._toggle_column(c, on))
        return menu

    def _toggle_column(self, column: Column, on: bool) -> None:
        shown = list(self.model.columns)
        if on and column not in shown:
            order = list(SPECS)
            shown.append(column)
            shown.sort(key=order.index)
        elif not on and column in shown and len(shown) > 1:
            shown.remove(column)
        self.set_columns(shown)

    # -- searching ----------------------------------------------------------------------

    def _on_sort_indicator(self, section: int, order: Qt.SortOrder) -> None:
        if section < 0:
            self._on_sort(None, False)
        else:
            self.model.sort(section, order)

    def _on_sort(self, column: Column | None, descending: bool) -> None:
        self.order = column if column is not None else SortColumn.FILE_ORDER
        self.descending = descending
        self.search()

    def sort_by(self, column: Column, *, descending: bool = False) -> None:
        """Sort by a shown column (as a click on its header would)."""
        section = self.model.columns.index(column)
        order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
        self.table.horizontalHeader().setSortIndicator(section, order)

    # -- preview ------------------------------------------------------------------------

    def _preview(self) -> None:
        self._preview_timer.start()

    def _load_preview(self) -> None:
        cid = self.current_id()
        if cid is None:
            self.preview.clear()
            return

        def done(details: CardDetails) -> None:
            if self.current_id() == details.view.id:
                self.preview.show_details(details)

        self.runner.run(lambda col: card_details(col, cid), success=done, label="preview")

    def refresh_preview(self) -> None:
        self._preview_timer.stop()
        self._load_preview()

    # -- context menu and editing -----------------------------------------------------------

    def _table_menu(self, pos: QPoint) -> None:
        self.actions_.menu(self).exec(self.table.viewport().mapToGlobal(pos))

    def edit_current(self) -> None:
        """Ask to open the deck editor at the current card."""
        cid = self.current_id()
        if cid is None:
            return

        def done(details: CardDetails) -> None:
            self.edit_requested.emit(details.view.card.file, details.view.card.line_start)

        self.runner.run(lambda col: card_details(col, cid), success=done, label="open editor")

    def card_info(self) -> None:
        """The current card's info: history, memory state, links (Ctrl+Shift+I)."""
        from flashcards.gui.card_info import open_card_info

        cid = self.current_id()
        if cid is None:
            self.statusBar().showMessage("Select a card first", 4000)
            return
        open_card_info(self, self.runner, str(cid), now=self.now)

    def after_change(self, change: Any, *, message: str = "") -> None:
        """Refresh what an action changed: the rows, or the whole search when cards
        moved, appeared or vanished."""
        if change is None:
            self.statusBar().showMessage("Nothing to undo", 4000)
            return
        if getattr(change, "structure", False):
            self._pending_selection = [str(i) for i in self.selected_ids()]
            self.search()
        else:
            self.model.invalidate(getattr(change, "cards", None))
            self.refresh_preview()
        if message or getattr(change, "label", ""):
            self.statusBar().showMessage(message or str(change.label), 4000)
        self.changed.emit(change)
