"""`CardTableModel`: holds the ordered card ids of a search and fetches only the rows
the view asks for (Anki's browser table model, through our serialized worker).

`data()` for a row not in the cache queues the row and returns nothing; queued rows are
fetched in one job after the event loop turns (so one paint asks once), and arrive by
`dataChanged`. Fetched rows live in a small LRU, so scrolling far and back refetches.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor

from flashcards.collection.browse import CardRow, card_rows
from flashcards.core.model import CardId, Flag
from flashcards.gui.browser.columns import (
    ALIGN_LEFT,
    ALIGN_RIGHT,
    DEFAULT_COLUMNS,
    SPECS,
    Column,
)
from flashcards.gui.browser.guarded_runner import GuardedRunner
from flashcards.gui.theme import FLAG_COLOURS

Index = QModelIndex | QPersistentModelIndex
_ROLE = Qt.ItemDataRole
_ROOT = QModelIndex()


class CardTableModel(QAbstractTableModel):
    """Rows are card ids; cells come from `CardRow`s fetched lazily through `runner`."""

    sort_requested = Signal(object, bool)  # Column, descending
    rows_arrived = Signal()

    def __init__(
        self,
        runner: Any,
        *,
        now: Callable[[], datetime],
        columns: Sequence[Column] = DEFAULT_COLUMNS,
        cache_size: int = 600,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner = GuardedRunner(runner, self)
        self.now = now
        self.columns: list[Column] = list(columns)
        self._ids: list[CardId] = []
        self.complete = True  # False while only the head of a search is known
        self._rows_of: dict[str, int] | None = None
        self._cache: OrderedDict[str, CardRow] = OrderedDict()
        self._cache_size = cache_size
        self._wanted: set[int] = set()
        self._in_flight: set[str] = set()
        self.fetches = 0  # jobs sent (the benchmark and tests count them)
        self.rows_fetched = 0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._fetch)

    # -- content ------------------------------------------------------------------------

    def set_ids(
        self, ids: Sequence[CardId], *, rows: Sequence[CardRow] = (), complete: bool = True
    ) -> None:
        """Show these cards (in this order); rows are fetched when looked at.

        `rows` are rows already fetched with the ids. `complete=False` says `ids` are
        only the head of the results: `extend_ids` brings the rest."""
        self.beginResetModel()
        self._ids = list(ids)
        self._rows_of = None
        self._wanted.clear()
        self._cache.clear()
        for row in rows:
            self._cache[str(row.id)] = row
        self.complete = complete
        self.endResetModel()

    def extend_ids(self, ids: Sequence[CardId]) -> None:
        """The whole result list after a head shown by `set_ids(complete=False)`: the
        rows after the head are inserted (selection and scroll position stay); a list
        that does not start with the head replaces it."""
        head = len(self._ids)
        same_head = len(ids) >= head and list(ids[:head]) == self._ids
        if same_head and len(ids) == head:
            self.complete = True
            return
        if same_head:
            self.beginInsertRows(_ROOT, head, len(ids) - 1)
        else:
            self.beginResetModel()  # the cache is keyed by id: it stays good
        self._ids = list(ids)
        self._rows_of = None
        self.complete = True
        if same_head:
            self.endInsertRows()
        else:
            self.endResetModel()

    def set_columns(self, columns: Sequence[Column]) -> None:
        self.beginResetModel()
        self.columns = list(columns)
        self.endResetModel()

    @property
    def ids(self) -> list[CardId]:
        return self._ids

    def card_id(self, row: int) -> CardId:
        return self._ids[row]

    def row_of(self, card_id: str) -> int | None:
        if self._rows_of is None:
            self._rows_of = {str(cid): i for i, cid in enumerate(self._ids)}
        return self._rows_of.get(str(card_id))

    def cached_row(self, card_id: str) -> CardRow | None:
        return self._cache.get(str(card_id))

    def invalidate(self, card_ids: Sequence[str] | frozenset[Any] | None = None) -> None:
        """Forget fetched rows (all, or these cards') so they are fetched again."""
        if card_ids is None:
            self._cache.clear()
            if self._ids:
                self.dataChanged.emit(
                    self.index(0, 0), self.index(len(self._ids) - 1, len(self.columns) - 1)
                )
            return
        for cid in card_ids:
            self._cache.pop(str(cid), None)
            row = self.row_of(str(cid))
            if row is not None:
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.columns) - 1))

    # -- lazy fetching --------------------------------------------------------------------

    def _want(self, row: int) -> None:
        self._wanted.add(row)
        if not self._timer.isActive():
            self._timer.start()

    def _fetch(self) -> None:
        ids = []
        for row in sorted(self._wanted):
            if row < len(self._ids):
                cid = str(self._ids[row])
                if cid not in self._cache and cid not in self._in_flight:
                    ids.append(cid)
        self._wanted.clear()
        if not ids:
            return
        self._in_flight.update(ids)
        self.fetches += 1
        self.rows_fetched += len(ids)
        now = self.now()
        self.runner.run(
            lambda col: card_rows(col, ids, now=now),
            success=self._arrived,
            failure=lambda failure: self._in_flight.difference_update(ids),
            label="browser rows",
        )

    def _arrived(self, rows: list[CardRow]) -> None:
        changed: list[int] = []
        for r in rows:
            self._in_flight.discard(str(r.id))
            index = self.row_of(str(r.id))
            if index is None:
                continue  # a newer search replaced the list meanwhile
            self._cache[str(r.id)] = r
            changed.append(index)
        while len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        if changed:
            self.dataChanged.emit(
                self.index(min(changed), 0), self.index(max(changed), len(self.columns) - 1)
            )
        self.rows_arrived.emit()

    # -- Qt model interface ---------------------------------------------------------------

    def rowCount(self, parent: Index = _ROOT) -> int:  # noqa: N802 (Qt override)
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = _ROOT) -> int:  # noqa: N802 (Qt override)
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = _ROLE.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role not in (
            _ROLE.DisplayRole,
            _ROLE.ToolTipRole,
            _ROLE.TextAlignmentRole,
            _ROLE.BackgroundRole,
            _ROLE.ForegroundRole,
        ):
            return None
        cid = str(self._ids[index.row()])
        row = self._cache.get(cid)
        if row is None:
            if role == _ROLE.DisplayRole:
                self._want(index.row())
            return None
        self._cache.move_to_end(cid)
        spec = SPECS[self.columns[index.column()]]
        if role == _ROLE.DisplayRole:
            return spec.text(row)
        if role == _ROLE.ToolTipRole:
            if spec.column is Column.PROMPT:
                return f"{row.prompt}\n{row.deck} · {row.file}"
            return None
        if role == _ROLE.TextAlignmentRole:
            return int((ALIGN_RIGHT if spec.numeric else ALIGN_LEFT).value)
        if role == _ROLE.BackgroundRole:
            if row.flag is not Flag.NONE:
                colour = QColor(FLAG_COLOURS[row.flag])
                colour.setAlpha(60)
                return QBrush(colour)
            return None
        if role == _ROLE.ForegroundRole and (row.suspended or row.buried):
            return QBrush(QColor("#9a8f5a" if row.suspended else "#8a8a8a"))
        return None

    def headerData(  # noqa: N802 (Qt override)
        self, section: int, orientation: Qt.Orientation, role: int = _ROLE.DisplayRole
    ) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and role == _ROLE.DisplayRole and 0 <= section < len(self.columns):
            return SPECS[self.columns[section]].title
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorting is a new search ordered in SQL: the window re-runs it."""
        if 0 <= column < len(self.columns):
            self.sort_requested.emit(self.columns[column], order == Qt.SortOrder.DescendingOrder)
