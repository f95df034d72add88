"""The sidebar: decks by folder, and by exam domain, with new / learning / due counts."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeView, QWidget

from flashcards.core.exam import DOMAIN_PREFIX, domain_selection
from flashcards.gui.theme import is_dark

SCOPE_ROLE = Qt.ItemDataRole.UserRole + 1
"""The item's study scope: a `Scope` (None for group headings)."""


@dataclass(frozen=True)
class Scope:
    """What a sidebar entry studies: a deck name prefix, or an exam domain."""

    label: str
    deck: str | None = None  # a deck name or folder prefix; None with domain None = all
    domain: str | None = None


@dataclass(frozen=True)
class Counts:
    new: int = 0
    learning: int = 0
    due: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.new + other.new, self.learning + other.learning, self.due + other.due)

    def __sub__(self, other: Counts) -> Counts:
        return Counts(self.new - other.new, self.learning - other.learning, self.due - other.due)


def _count_colours() -> tuple[QColor, QColor, QColor]:
    if is_dark():
        return QColor("#72aaf0"), QColor("#e8a25a"), QColor("#63c98f")
    return QColor("#2f6fd0"), QColor("#b8621b"), QColor("#2f8f57")


class DeckTreeModel(QStandardItemModel):
    """Rebuilt from the collection's DeckInfo list after every change."""

    HEADERS = ("Decks", "New", "Learn", "Due")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, len(self.HEADERS), parent)
        self.setHorizontalHeaderLabels(list(self.HEADERS))
        self._rows: dict[Scope, list[QStandardItem]] = {}
        self._deck_domain: dict[str, str | None] = {}

    def set_decks(
        self,
        decks: Sequence[object],
        *,
        folders: Mapping[str | None, tuple[int, int, int]] | None = None,
    ) -> None:
        """Rebuild from DeckInfo values (name, folders, title, domain, counts).

        `folders` gives the counts of folders (and of None, all decks) as their own
        sessions see them: a folder's new cards are capped by its limit.
        """
        folders_counts = folders or {}
        self._deck_domain = {str(getattr(d, "name", "")): getattr(d, "domain", None) for d in decks}
        self.removeRows(0, self.rowCount())
        self._rows = {}
        all_counts = sum((_counts(d) for d in decks), Counts())
        if None in folders_counts:
            all_counts = Counts(*folders_counts[None])
        self._append(self.invisibleRootItem(), Scope("All decks"), all_counts)
        folder_items: dict[tuple[str, ...], QStandardItem] = {}
        for info in sorted(decks, key=lambda d: str(getattr(d, "name", ""))):
            parent = self.invisibleRootItem()
            path: tuple[str, ...] = ()
            for folder in getattr(info, "folders", ()):
                path += (folder,)
                if path not in folder_items:
                    prefix = "::".join(path)
                    inner = [
                        d for d in decks if str(getattr(d, "name", "")).startswith(prefix + "::")
                    ]
                    counts = sum((_counts(d) for d in inner), Counts())
                    if prefix in folders_counts:
                        counts = Counts(*folders_counts[prefix])
                    folder_items[path] = self._append(parent, Scope(folder, deck=prefix), counts)
                parent = folder_items[path]
            name = str(getattr(info, "name", ""))
            self._append(parent, Scope(str(getattr(info, "title", name)), deck=name), _counts(info))
        domains: dict[str, Counts] = {}
        for info in decks:
            domain = getattr(info, "domain", None)
            if domain:
                domains[domain] = domains.get(domain, Counts()) + _counts(info)
        # An exam domain's own counts (`domain:NAME`: its front-matter decks and what its
        # query takes from other decks) list it even when no deck names it.
        named = {d.casefold() for d in domains}
        for key in folders_counts:
            if key is not None and key.startswith(DOMAIN_PREFIX):
                name = key[len(DOMAIN_PREFIX) :]
                if name.casefold() not in named:
                    named.add(name.casefold())
                    domains[name] = Counts(*folders_counts[key])
        if domains:
            heading = QStandardItem("Exam domains")
            heading.setSelectable(False)
            heading.setEditable(False)
            font = heading.font()
            font.setBold(True)
            heading.setFont(font)
            row = [heading] + [_blank() for _ in range(3)]
            self.invisibleRootItem().appendRow(row)
            for domain in sorted(domains):
                counts = domains[domain]
                if domain_selection(domain) in folders_counts:
                    counts = Counts(*folders_counts[domain_selection(domain)])
                self._append(heading, Scope(domain, domain=domain), counts)

    def update_counts(self, counts: Mapping[str | None, tuple[int, int, int]]) -> None:
        """Set the rows of these deck or folder names (None: All decks) and exam domains
        (`domain:NAME`) in place; a domain not given moves by its decks' change."""
        given = {name for name in counts if name is not None}
        for name, values in counts.items():
            new = Counts(*values)
            for scope, row in self._rows.items():
                key = scope.deck if scope.domain is None else domain_selection(scope.domain)
                if key != name:
                    continue
                old = self._row_counts(row)
                self._set_row(row, new)
                domain = self._deck_domain.get(name) if name is not None else None
                if scope.domain is None and domain and domain_selection(domain) not in given:
                    domain_row = self._rows.get(Scope(domain, domain=domain))
                    if domain_row is not None:
                        moved = self._row_counts(domain_row) + new - old
                        self._set_row(domain_row, moved)

    def domains_of(self, decks: Iterable[str]) -> frozenset[str]:
        """The exam domains whose counts a change to these decks may move: every listed
        domain, as a domain's query can take cards of any deck (an exam has a handful)."""
        listed = {scope.domain for scope in self._rows if scope.domain}
        return frozenset(listed | {d for d in (self._deck_domain.get(n) for n in decks) if d})

    def counts_of(self, scope: Scope) -> Counts | None:
        row = self._rows.get(scope)
        return None if row is None else self._row_counts(row)

    @staticmethod
    def _row_counts(row: list[QStandardItem]) -> Counts:
        return Counts(*(int(item.data(Qt.ItemDataRole.UserRole) or 0) for item in row[1:]))

    @staticmethod
    def _set_row(row: list[QStandardItem], counts: Counts) -> None:
        colours = _count_colours()
        values = (counts.new, counts.learning, counts.due)
        for item, value, colour in zip(row[1:], values, colours, strict=True):
            item.setText(str(value) if value else "·")
            item.setData(value, Qt.ItemDataRole.UserRole)
            item.setForeground(colour if value else QColor(128, 128, 128, 110))

    def scopes(self) -> Iterable[Scope]:
        return self._rows.keys()

    def _append(self, parent: QStandardItem, scope: Scope, counts: Counts) -> QStandardItem:
        name = QStandardItem(scope.label)
        name.setEditable(False)
        name.setData(scope, SCOPE_ROLE)
        name.setToolTip(whole_name(scope))
        row = [name]
        for _ in range(3):
            item = QStandardItem()
            item.setEditable(False)
            item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            row.append(item)
        self._set_row(row, counts)
        parent.appendRow(row)
        self._rows[scope] = row
        return name


def whole_name(scope: Scope) -> str:
    """A sidebar entry's full name (its tooltip: the row itself may be shortened)."""
    if scope.domain is not None:
        return f"Exam domain: {scope.domain}"
    return scope.deck.replace("::", " › ") if scope.deck else scope.label


def _counts(info: object) -> Counts:
    return Counts(
        int(getattr(info, "new", 0)),
        int(getattr(info, "learning", 0)),
        int(getattr(info, "due", 0)),
    )


def _blank() -> QStandardItem:
    item = QStandardItem("")
    item.setEditable(False)
    item.setSelectable(False)
    return item


class DeckTree(QTreeView):
    """The sidebar view; `scope_activated` on double-click or Enter (study it)."""

    scope_selected = Signal(object)
    scope_activated = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("deckTree")
        self.deck_model = DeckTreeModel(self)
        self.setModel(self.deck_model)
        self.setUniformRowHeights(True)
        self.setAnimated(True)
        self.setIndentation(14)
        self.setRootIsDecorated(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # Siblings share a start ("Modeling: …") and often an end ("… algorithms"): what
        # tells them apart follows the start, so the end goes (the tooltip has it whole).
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setMinimumWidth(220)
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        metrics = header.fontMetrics()
        width = max(metrics.horizontalAdvance(t) for t in ("8888", "Learn", "New")) + 14
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(column, width)
            self.deck_model.setHeaderData(
                column,
                Qt.Orientation.Horizontal,
                Qt.AlignmentFlag.AlignRight,
                Qt.ItemDataRole.TextAlignmentRole,
            )
        self.selectionModel().currentChanged.connect(self._on_current)
        self.activated.connect(self._on_activated)

    def set_decks(
        self,
        decks: Sequence[object],
        *,
        folders: Mapping[str | None, tuple[int, int, int]] | None = None,
    ) -> None:
        current = self.current_scope()
        expanded = {s for s in self.deck_model.scopes() if self._is_expanded(s)}
        self.deck_model.set_decks(decks, folders=folders)
        self.expandToDepth(0)
        for scope in expanded:
            self._select(scope, expand_only=True)
        if current is not None:
            self._select(current)

    def current_scope(self) -> Scope | None:
        index = self.currentIndex()
        if not index.isValid():
            return None
        scope = index.siblingAtColumn(0).data(SCOPE_ROLE)
        return scope if isinstance(scope, Scope) else None

    def _is_expanded(self, scope: Scope) -> bool:
        row = self.deck_model._rows.get(scope)
        return row is not None and self.isExpanded(row[0].index())

    def _select(self, scope: Scope, *, expand_only: bool = False) -> None:
        row = self.deck_model._rows.get(scope)
        if row is None:
            return
        if expand_only:
            self.expand(row[0].index())
        else:
            self.selectionModel().blockSignals(True)
            self.setCurrentIndex(row[0].index())
            self.selectionModel().blockSignals(False)

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        scope = current.siblingAtColumn(0).data(SCOPE_ROLE)
        if isinstance(scope, Scope):
            self.scope_selected.emit(scope)

    def _on_activated(self, index: QModelIndex) -> None:
        scope = index.siblingAtColumn(0).data(SCOPE_ROLE)
        if isinstance(scope, Scope):
            self.scope_activated.emit(scope)
