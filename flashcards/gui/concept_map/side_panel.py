"""The map's side panel: the clicked card (rendered), its links, backlinks and suggested
links; the weak clusters, each one click from studying; the bridges between domains."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from flashcards.collection.concept_map import MapNode
from flashcards.core.math_tex import plain_math
from flashcards.core.model import NoteId
from flashcards.gui.card_text import CardText
from flashcards.gui.concept_map.map_ops import CardPanel, NoteLink
from flashcards.gui.concept_map.side_lists import BridgeTab, ClusterTab, recall_text
from flashcards.gui.related_panel import compact_html

# The review screen's large type, scaled down to fit the side panel.
_TYPE_SCALE = 0.68


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
        # In a scroll area: on a small screen (1024x600) the card, its three lists and
        # buttons scroll instead of making the map's window taller than the screen.
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.body_scroll = QScrollArea(self)
        self.body_scroll.setWidgetResizable(True)
        self.body_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.body_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        outer.addWidget(self.body_scroll)
        body = QWidget(self.body_scroll)
        layout = QVBoxLayout(body)
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
        self.body_scroll.setWidget(body)
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


class SidePanel(QTabWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.card = CardTab(self)
        self.clusters = ClusterTab(self)
        self.bridges = BridgeTab(self)
        self.addTab(self.card, "Card")
        self.addTab(self.clusters, "Weak clusters")
        self.addTab(self.bridges, "Bridges")
        self.setMinimumWidth(300)
