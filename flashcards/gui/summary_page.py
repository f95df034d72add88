"""The end of a session: cards, time, again rate, and when the next card is due."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from flashcards.gui.elided_label import ElidedLabel
from flashcards.gui.review_models import SessionSummary
from flashcards.gui.theme import scaled_font


def format_duration(seconds: float) -> str:
    """'45 s', '3 min', '1 h 20 min'."""
    if seconds < 60:
        return f"{round(seconds)} s"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60} min"


def format_when(when: datetime, *, now: datetime | None = None) -> str:
    """'in 12 minutes', 'in 5 hours', 'tomorrow at 09:30', 'on Tue 3 Dec'."""
    now = now or datetime.now(UTC)
    delta = (when - now).total_seconds()
    local = when.astimezone()
    if delta < 60:
        return "now"
    if delta < 3600:
        return f"in {round(delta / 60)} minutes"
    if delta < 12 * 3600:
        return f"in {round(delta / 3600)} hours"
    days = (local.date() - now.astimezone().date()).days
    if days <= 1:
        return f"{'today' if days == 0 else 'tomorrow'} at {local:%H:%M}"
    return f"on {local:%a} {local.day} {local:%b}"


class Tile(QFrame):
    """A number with a caption, for the summary and the home page."""

    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tile")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 14, 20, 14)
        layout.setSpacing(2)
        self.value = QLabel("–", self)
        self.value.setFont(scaled_font(self.font(), 1.9, weight=QFont.Weight.DemiBold))
        # Shortened with "…" (its whole text in the tooltip) where tiles are narrow.
        self.caption = ElidedLabel(caption, self, mode=Qt.TextElideMode.ElideRight)
        self.caption.setObjectName("muted")
        # Its whole width where there is room (ElidedLabel alone ignores it).
        self.caption.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        layout.addWidget(self.value)
        layout.addWidget(self.caption)
        self.setMinimumWidth(110)


class SummaryPage(QWidget):
    home_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(48, 48, 48, 48)
        outer.addStretch(2)
        self.title = QLabel("", self)
        self.title.setFont(scaled_font(self.font(), 2.0, weight=QFont.Weight.DemiBold))
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        outer.addWidget(self.title)
        self.subtitle = QLabel("", self)
        self.subtitle.setObjectName("muted")
        self.subtitle.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.subtitle.setFont(scaled_font(self.font(), 1.15))
        outer.addWidget(self.subtitle)
        outer.addSpacing(28)
        tiles = QHBoxLayout()
        tiles.setSpacing(16)
        tiles.addStretch(1)
        self.cards_tile = Tile("cards reviewed", self)
        self.time_tile = Tile("time spent", self)
        self.again_tile = Tile("answered Again", self)
        for tile in (self.cards_tile, self.time_tile, self.again_tile):
            tiles.addWidget(tile)
        tiles.addStretch(1)
        outer.addLayout(tiles)
        outer.addSpacing(24)
        self.next_due = QLabel("", self)
        self.next_due.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.next_due.setFont(scaled_font(self.font(), 1.1))
        outer.addWidget(self.next_due)
        outer.addSpacing(20)
        self.home_button = QPushButton("Back to Today", self)
        self.home_button.setObjectName("primary")
        self.home_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.home_button.clicked.connect(self.home_clicked)
        outer.addWidget(self.home_button, 0, Qt.AlignmentFlag.AlignCenter)
        hint = QLabel("Enter or Esc", self)
        hint.setObjectName("keyHint")
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        outer.addWidget(hint)
        outer.addStretch(3)

    def set_summary(self, summary: SessionSummary) -> None:
        if summary.reviewed:
            self.title.setText("Well done — that's all for now")
            self.subtitle.setText("Every card due in this session has been reviewed.")
        else:
            self.title.setText("Nothing is due")
            self.subtitle.setText("There are no cards to review here right now.")
        self.cards_tile.value.setText(str(summary.reviewed))
        self.time_tile.value.setText(format_duration(summary.seconds))
        self.again_tile.value.setText(f"{summary.again_rate:.0%}")
        for tile in (self.cards_tile, self.time_tile, self.again_tile):
            tile.setVisible(summary.reviewed > 0)
        if summary.next_due is not None:
            self.next_due.setText(f"Next card due {format_when(summary.next_due)}.")
        else:
            self.next_due.setText("")
