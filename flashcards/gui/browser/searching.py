"""The browser's searching: the two-step search and the selection across it.

A mixin of `BrowserWindow` (kept apart as its own idea): the head of the results with
the first screen's rows comes first and is painted at once; the whole ordered list
follows and fills in below, keeping the selection (see docs/browse-edit.md, "Speed").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QTimer
from PySide6.QtWidgets import QLabel, QLineEdit, QTableView

from flashcards.collection.browse import SearchStart, search_cards, search_start
from flashcards.core.errors import QueryError
from flashcards.core.model import CardId
from flashcards.gui.browser.card_table_model import CardTableModel
from flashcards.gui.browser.guarded_runner import GuardedRunner
from flashcards.gui.browser.preview import CardPreview
from flashcards.storage.card_search import SortColumn


class SearchingMixin:
    """Search, show results, keep the selection: the browser window's part for it."""

    # Set up by BrowserWindow.
    model: CardTableModel
    table: QTableView
    runner: GuardedRunner
    search_box: QLineEdit
    error_label: QLabel
    count_label: QLabel
    preview: CardPreview
    searched: Any  # Signal(int)
    now: Callable[[], datetime]
    order: SortColumn
    descending: bool
    first_page: int  # ids in a search's first answer
    showing: int  # the search whose results the table shows (a count of searches)
    _debounce: QTimer
    _searches: int  # answers to older searches are dropped
    _pending_selection: list[str]

    def _preview(self) -> None:
        raise NotImplementedError

    def search(self, query: str | None = None) -> None:
        """Run the query in the box (or `query`, which is put there).

        Two jobs: the head of the results with its first rows (painted at once), then,
        when more cards match, the whole ordered list (rows are added below the head;
        a newer search makes the second job skip its work)."""
        self._debounce.stop()
        if query is not None:
            self.search_box.setText(query)
        text = self.search_box.text()
        self._searches += 1
        token = self._searches
        order, descending, now = self.order, self.descending, self.now()
        limit = self.first_page
        keep = [str(i) for i in self.selected_ids()] or self._pending_selection

        def failed(failure: Any) -> None:
            if token != self._searches:
                return
            if isinstance(failure.error, QueryError):
                self.show_query_error(text, failure.error)
            elif self.runner is not None and getattr(self.runner, "default_failure", None):
                self.runner.default_failure(failure)

        def everything(col: Any) -> list[CardId] | None:
            if token != self._searches:  # read across threads: an int, set on the GUI's
                return None
            return search_cards(col, text, order=order, descending=descending, now=now)

        def all_done(ids: list[CardId] | None) -> None:
            if ids is not None and token == self._searches:
                self._show_rest(ids, keep)

        def head_done(start: SearchStart) -> None:
            if token != self._searches:
                return
            self.showing = token
            self._show_head(start, keep)
            # Paint the first screen now, before the worker's Python work on the whole
            # list competes with the painting for the interpreter.
            self.table.viewport().repaint()
            if not start.complete:
                self.runner.run(everything, success=all_done, failure=failed, label="search")

        self.runner.run(
            lambda col: search_start(
                col, text, order=order, descending=descending, now=now, limit=limit
            ),
            success=head_done,
            failure=failed,
            label="search",
        )

    def show_query_error(self, text: str, error: QueryError) -> None:
        """The problem under the search box (never a dialog): message and a caret."""
        where = ""
        if error.position is not None:
            shown = text[max(0, error.position - 20) : error.position + 20]
            where = f" — at column {error.position + 1}: “{shown}”"
        self.error_label.setText(f"{error.message}{where}")
        self.error_label.show()
        if error.position is not None:
            self.search_box.setCursorPosition(error.position)

    def _show_head(self, start: SearchStart, keep: list[str]) -> None:
        self.error_label.hide()
        self.model.set_ids(start.ids, rows=start.rows, complete=start.complete)
        if start.complete:
            self._finish(keep)
            return
        self.count_label.setText(f"{len(start.ids):,}+ cards…")
        # Select a kept card now if it is in the head; otherwise wait for the rest
        # (row 0 meanwhile would flash its preview for nothing).
        if not self._select(keep) and not keep:
            self.table.selectRow(0)

    def _show_rest(self, ids: list[CardId], keep: list[str]) -> None:
        head = self.model.rowCount()
        sm = self.table.selectionModel()
        everything = head > 1 and len(sm.selectedRows()) == head  # "select all" on the head
        self.model.extend_ids(ids)
        if everything:
            self.table.selectAll()
        self._finish(keep, reselect=not sm.hasSelection())

    def _finish(self, keep: list[str], *, reselect: bool = True) -> None:
        ids = self.model.ids
        count = len(ids)
        self.count_label.setText(f"{count:,} card{'s' if count != 1 else ''}")
        self._pending_selection = []
        if reselect and not self._select(keep) and ids:
            self.table.selectRow(0)
        if not ids:
            self.preview.clear()
        self.searched.emit(count)

    def _select(self, ids: Sequence[str]) -> bool:
        rows = sorted(r for r in (self.model.row_of(i) for i in ids) if r is not None)
        if not rows:
            return False
        selection = QItemSelection()
        last = len(self.model.columns) - 1
        for r in rows:
            selection.select(self.model.index(r, 0), self.model.index(r, last))
        flags = QItemSelectionModel.SelectionFlag
        sm = self.table.selectionModel()
        sm.select(selection, flags.ClearAndSelect | flags.Rows)
        sm.setCurrentIndex(self.model.index(rows[0], 0), flags.NoUpdate)
        self.table.scrollTo(self.model.index(rows[0], 0))
        self._preview()
        return True

    def selected_ids(self) -> list[CardId]:
        """The selected cards, in table order."""
        sm = self.table.selectionModel()
        rows = sorted({i.row() for i in sm.selectedRows()})
        return [self.model.card_id(r) for r in rows if r < self.model.rowCount()]

    def current_id(self) -> CardId | None:
        index = self.table.currentIndex()
        if not index.isValid() or index.row() >= self.model.rowCount():
            return None
        return self.model.card_id(index.row())
