"""The map's side panel: the clicked card (rendered), its links, backlinks and suggested
links; and the weak clusters, each one click from studying."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from flashcards.collection.concept_map import MapNode
from flashcards.core.clusters import Cluster
from flashcards.core.math_tex import plain_math
from flashcards.core.model import NoteId
from flashcards.gui.card_text import CardText
from flashcards.gui.concept_map.map_ops import CardPanel, NoteLink
from flashcards.gui.related_panel import compact_html

# The review screen's large type, scaled down to fit the side panel.
_TYPE_SCALE = 0.68


def recall_text(recall: float | None) -> str:
    return "new" if recall is None else f"{recall:.0%}"


def node_summary(node: MapNode) -> str:
    due = node.due.astimezone().strftime("%Y-%m-%d %H:%M") if node.due else "—"
    return (
        f"{node.deck.replace('::', ' › ')} · {node.domain or 'no domain'}\n"
        f"Recall now {recall_text(node.recall)} · due {due} · {node.links} links"
    )


class CardTab(QWidget):
    note_picked = Signal(str)  # NoteId
    add_link_requested = Signal(str, str)  # source, target NoteIds
    edit_requested = Signal(str)
    study_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.note_id: NoteId | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        self.title = QLabel("Click a card on the map", self)
        self.title.setWordWrap(True)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        self.title.setFont(font)
        self.meta = QLabel("", self)
        self.meta.setObjectName("muted")
        self.meta.setWordWrap(True)
        self.browser = CardText(self, soft_rules=False)
        self.browser.setOpenLinks(False)
        self.browser.setFrameShape(QFrame.Shape.StyledPanel)
        buttons = QHBoxLayout()
        self.edit_button = QPushButton("Open in editor", self)
        self.edit_button.clicked.connect(self._edit)
        self.study_button = QPushButton("Study these", self)
        self.study_button.clicked.connect(self.study_requested)
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.study_button)
        self.links = QListWidget(self)
        self.backlinks = QListWidget(self)
        self.suggested = QListWidget(self)
        for widget in (self.links, self.backlinks, self.suggested):
            widget.setMaximumHeight(120)
            widget.setTextElideMode(Qt.TextElideMode.ElideRight)
            widget.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.links.itemActivated.connect(self._pick)
        self.links.itemClicked.connect(self._pick)
        self.backlinks.itemActivated.connect(self._pick)
        self.backlinks.itemClicked.connect(self._pick)
        self.suggested.itemClicked.connect(self._pick)
        self.add_button = QPushButton("Add link to the selected suggestion", self)
        self.add_button.clicked.connect(self._add_link)
        layout.addWidget(self.title)
        layout.addWidget(self.meta)
        layout.addWidget(self.browser, 1)
        layout.addLayout(buttons)
        self.links_label = QLabel("Links", self)
        self.backlinks_label = QLabel("Backlinks", self)
        self.suggested_label = QLabel("Suggested links", self)
        for label, widget in (
            (self.links_label, self.links),
            (self.backlinks_label, self.backlinks),
            (self.suggested_label, self.suggested),
        ):
            layout.addWidget(label)
            layout.addWidget(widget)
        layout.addWidget(self.add_button)
        self.set_suggestions([])

    def show_card(self, panel: CardPanel, node: MapNode | None) -> None:
        self.note_id = panel.note_id
        self.title.setText(panel.title)
        self.meta.setText(node_summary(node) if node is not None else panel.deck)
        self.browser.set_card_html(compact_html(panel.html, factor=_TYPE_SCALE))
        self._fill(self.links, panel.links)
        self._fill(self.backlinks, panel.backlinks)
        self.links_label.setText(f"Links ({len(panel.links)})")
        self.backlinks_label.setText(f"Backlinks ({len(panel.backlinks)})")

    def set_suggestions(self, items: list[tuple[NoteLink, float, tuple[str, ...]]]) -> None:
        self.suggested.clear()
        for link, score, terms in items:
            item = QListWidgetItem(f"{plain_math(link.title)}  ({score:.2f}: {', '.join(terms)})")
            item.setData(Qt.ItemDataRole.UserRole, link.note_id)
            self.suggested.addItem(item)
        self.suggested_label.setText(f"Suggested links ({len(items)})")
        self.add_button.setEnabled(bool(items))
        if items:
            self.suggested.setCurrentRow(0)

    def _fill(self, widget: QListWidget, links: tuple[NoteLink, ...]) -> None:
        widget.clear()
        for link in links:
            item = QListWidgetItem(f"{plain_math(link.title)}  · {link.domain or 'no domain'}")
            item.setData(Qt.ItemDataRole.UserRole, link.note_id)
            widget.addItem(item)

    def _pick(self, item: QListWidgetItem) -> None:
        if item.listWidget() is self.suggested:
            return  # picking a suggestion only chooses it for "Add link"
        self.note_picked.emit(str(item.data(Qt.ItemDataRole.UserRole)))

    def _edit(self) -> None:
        if self.note_id is not None:
            self.edit_requested.emit(self.note_id)

    def _add_link(self) -> None:
        item = self.suggested.currentItem()
        if self.note_id is not None and item is not None:
            self.add_link_requested.emit(self.note_id, str(item.data(Qt.ItemDataRole.UserRole)))


class ClusterTab(QWidget):
    """Weak clusters, weakest first: click a row to show it, its button to study it."""

    cluster_shown = Signal(int)
    cluster_studied = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        hint = QLabel(
            "Groups of linked cards with the lowest recall now. Click to show a group; "
            "Study to review it (due cards normally, the rest as practice).",
            self,
        )
        hint.setWordWrap(True)
        hint.setObjectName("muted")
        layout.addWidget(hint)
        self.tree = QTreeWidget(self)
        self.tree.setHeaderLabels(["Recall", "Cards", "Domains", ""])
        self.tree.setRootIsDecorated(False)
        header = self.tree.header()
        header.setStretchLastSection(False)
        for column, mode in (
            (0, QHeaderView.ResizeMode.ResizeToContents),
            (1, QHeaderView.ResizeMode.ResizeToContents),
            (2, QHeaderView.ResizeMode.Stretch),
            (3, QHeaderView.ResizeMode.ResizeToContents),
        ):
            header.setSectionResizeMode(column, mode)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.tree.itemClicked.connect(lambda item, _col: self._shown(item))
        layout.addWidget(self.tree, 1)
        self.clusters: list[Cluster[NoteId]] = []

    def set_busy(self) -> None:
        self.clusters = []
        self.tree.clear()
        self.tree.addTopLevelItem(QTreeWidgetItem(["…", "", "Finding clusters…"]))

    def set_clusters(self, clusters: list[Cluster[NoteId]]) -> None:
        self.clusters = clusters
        self.tree.clear()
        for i, cluster in enumerate(clusters):
            item = QTreeWidgetItem(
                [
                    recall_text(cluster.mean_recall),
                    str(cluster.size),
                    ", ".join(cluster.domains) or "no domain",
                ]
            )
            item.setData(0, Qt.ItemDataRole.UserRole, i)
            item.setToolTip(2, ", ".join(cluster.domains))
            self.tree.addTopLevelItem(item)
            button = QPushButton("Study", self.tree)
            button.clicked.connect(lambda _=False, index=i: self.cluster_studied.emit(index))
            self.tree.setItemWidget(item, 3, button)

    def _shown(self, item: QTreeWidgetItem) -> None:
        self.cluster_shown.emit(int(item.data(0, Qt.ItemDataRole.UserRole)))


class SidePanel(QTabWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.card = CardTab(self)
        self.clusters = ClusterTab(self)
        self.addTab(self.card, "Card")
        self.addTab(self.clusters, "Weak clusters")
        self.setMinimumWidth(300)
