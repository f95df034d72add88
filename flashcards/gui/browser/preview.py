"""The browser's preview pane: the selected card rendered, and its review history."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from flashcards.collection.browse import CardDetails
from flashcards.core.model import Rating, ReviewEntry, ReviewKind
from flashcards.core.render import Side, render_card
from flashcards.gui.card_text import CardText

_RATING_NAMES = {
    Rating.AGAIN: "Again",
    Rating.HARD: "Hard",
    Rating.GOOD: "Good",
    Rating.EASY: "Easy",
}


def history_cells(entry: ReviewEntry) -> tuple[str, str, str, str]:
    """(when, rating, kind, time taken) as shown in the history table."""
    when = entry.time.astimezone().strftime("%Y-%m-%d %H:%M")
    if entry.kind is ReviewKind.MANUAL:
        rating = "—"
    else:
        rating = _RATING_NAMES.get(Rating(entry.rating), str(int(entry.rating)))
    taken = f"{entry.duration_ms / 1000:.1f}s" if entry.duration_ms else ""
    kind = {
        ReviewKind.REVIEW: "Review",
        ReviewKind.PRACTICE: "Practice",
        ReviewKind.MANUAL: "Manual",
    }[entry.kind]
    return when, rating, kind, taken


class CardPreview(QWidget):
    """Renders one card (both sides) over a table of its review history."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.heading = QLabel("No card selected", self)
        self.heading.setObjectName("muted")
        self.heading.setWordWrap(True)
        self.heading.setContentsMargins(8, 6, 8, 0)
        self.browser = CardText(self, soft_rules=False)
        self.browser.setOpenLinks(False)
        self.browser.setFrameShape(QFrame.Shape.NoFrame)
        self.browser.document().setDocumentMargin(14)
        self.history = QTableWidget(0, 4, self)
        self.history.setHorizontalHeaderLabels(["When", "Rating", "Kind", "Time"])
        self.history.verticalHeader().hide()
        self.history.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.history.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.history.setFrameShape(QFrame.Shape.NoFrame)
        self.history_label = QLabel("Review history", self)
        self.history_label.setContentsMargins(8, 0, 8, 0)
        lower = QWidget(self)
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.history_label)
        lower_layout.addWidget(self.history)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.browser)
        split.addWidget(lower)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        layout.addWidget(self.heading)
        layout.addWidget(split, 1)
        self.card_id: str | None = None

    def clear(self) -> None:
        self.card_id = None
        self.heading.setText("No card selected")
        self.browser.clear()
        self.history.setRowCount(0)

    def show_details(self, details: CardDetails) -> None:
        view = details.view
        self.card_id = str(view.id)
        where = " › ".join([view.deck, *view.card.section_path])
        state = "hidden (removed from its file)" if not view.present else view.state.name.lower()
        self.heading.setText(f"{where} · {view.card.kind.value} · {state}")
        self.browser.set_card_html(
            render_card(
                view.card,
                side=Side.BACK,
                base_dir=Path(details.base_dir),
                media_root=Path(details.media_root) if details.media_root else None,
            )
        )
        entries = list(reversed(details.history))  # newest first
        self.history.setRowCount(len(entries))
        for row, entry in enumerate(entries):
            for col, text in enumerate(history_cells(entry)):
                self.history.setItem(row, col, QTableWidgetItem(text))
        self.history_label.setText(
            f"Review history · {len(entries)}" if entries else "Review history · never reviewed"
        )
