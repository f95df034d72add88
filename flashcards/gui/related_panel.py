"""The side panel for a linked card: its text, and every card that links to it."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from flashcards.core.math_tex import plain_math
from flashcards.core.model import CardId, NoteId
from flashcards.gui.card_text import CardText
from flashcards.gui.review_models import RelatedCards
from flashcards.gui.theme import scaled_font

_PT_SIZE = re.compile(r"font-size:\s*(\d+(?:\.\d+)?)pt")


def compact_html(html: str, *, factor: float = 0.72) -> str:
    """Card HTML with its point sizes scaled down for the narrow panel."""
    return _PT_SIZE.sub(lambda m: f"font-size:{float(m.group(1)) * factor:.1f}pt", html)


class RelatedPanel(QWidget):
    """`link_clicked(href, from_note)` for links in the shown card; `card_picked(id)`."""

    link_clicked = Signal(str, str)
    card_picked = Signal(str)
    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.related: RelatedCards | None = None
        self.setMinimumWidth(280)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 14, 14)
        layout.setSpacing(8)
        top = QHBoxLayout()
        caption = QLabel("Related card", self)
        caption.setObjectName("muted")
        top.addWidget(caption)
        top.addStretch(1)
        close = QPushButton("✕", self)
        close.setObjectName("quiet")
        close.setToolTip("Close the panel")
        close.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        close.clicked.connect(self._close)
        top.addWidget(close)
        layout.addLayout(top)
        self.title = QLabel("", self)
        self.title.setWordWrap(True)
        self.title.setFont(scaled_font(self.font(), 1.2, weight=QFont.Weight.DemiBold))
        layout.addWidget(self.title)
        self.where = QLabel("", self)
        self.where.setObjectName("muted")
        self.where.setWordWrap(True)
        layout.addWidget(self.where)
        self.browser = CardText(self)
        self.browser.setObjectName("card")
        self.browser.setOpenLinks(False)
        self.browser.setFrameShape(QFrame.Shape.NoFrame)
        self.browser.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.browser.anchorClicked.connect(self._on_anchor)
        self.browser.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout.addWidget(self.browser, 3)
        heading = QLabel("Linked from", self)
        heading.setFont(scaled_font(self.font(), 1.0, weight=QFont.Weight.DemiBold))
        layout.addWidget(heading)
        self.backlinks = QListWidget(self)
        self.backlinks.setObjectName("backlinks")
        self.backlinks.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.backlinks.setWordWrap(True)
        self.backlinks.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.backlinks.itemClicked.connect(self._on_backlink)
        layout.addWidget(self.backlinks, 2)
        self.empty = QLabel("No other card links here.", self)
        self.empty.setObjectName("muted")
        layout.addWidget(self.empty)

    def show_related(self, related: RelatedCards) -> None:
        self.related = related
        view = related.view
        self.title.setText(view.card.title)
        parts = [str(view.deck).replace("::", " › ")]
        if view.domain:
            parts.append(view.domain)
        self.where.setText(" · ".join(parts))
        self.browser.set_card_html(compact_html(related.html))
        self.backlinks.clear()
        for other in related.backlinks:
            domain = other.domain or str(other.deck).split("::")[-1]
            item = QListWidgetItem(f"{plain_math(other.card.title)}\n{domain}")
            item.setData(Qt.ItemDataRole.UserRole, str(other.card.id))
            item.setToolTip(str(other.deck))
            self.backlinks.addItem(item)
        self.empty.setVisible(not related.backlinks)
        self.show()

    def _on_anchor(self, url: QUrl) -> None:
        if self.related is not None and url.toString().startswith("card:"):
            self.link_clicked.emit(url.toString(), str(NoteId(self.related.view.card.note_id)))

    def _on_backlink(self, item: QListWidgetItem) -> None:
        self.card_picked.emit(str(CardId(item.data(Qt.ItemDataRole.UserRole))))

    def _close(self) -> None:
        self.hide()
        self.closed.emit()
