"""The bottom bar of the review screen: Show answer, or the four rating buttons."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from flashcards.core.model import Rating
from flashcards.gui.theme import RATING_NAMES


def format_interval(delta: timedelta) -> str:
    """Short human interval: '<1m', '10m', '3h', '4d', '2.5mo', '1.2y'."""
    seconds = delta.total_seconds()
    if seconds < 60:
        return "<1m"
    minutes = seconds / 60
    if minutes < 60:
        return f"{round(minutes)}m"
    hours = minutes / 60
    if hours < 24:
        return f"{round(hours)}h"
    days = hours / 24
    if days < 30:
        return f"{round(days)}d"
    if days < 365:
        months = days / 30.44
        return f"{months:.1f}mo".replace(".0mo", "mo")
    years = days / 365.25
    return f"{years:.1f}y".replace(".0y", "y")


class RatingButton(QPushButton):
    """A rating button: its name in the rating's colour, the next interval, the key."""

    def __init__(self, rating: Rating, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rating = rating
        self.setObjectName(f"rating_{RATING_NAMES[rating].lower()}")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setMinimumWidth(104)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip(f"{RATING_NAMES[rating]} ({rating.value})")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.setSpacing(0)
        self.interval_label = QLabel("", self)
        self.interval_label.setObjectName("muted")
        self.name_label = QLabel(f"{RATING_NAMES[rating]}", self)
        self.name_label.setObjectName("ratingName")
        key = QLabel(str(rating.value), self)
        key.setObjectName("keyHint")
        for label in (self.interval_label, self.name_label, key):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            layout.addWidget(label)
        small = key.font()
        small.setPointSizeF(small.pointSizeF() * 0.8)
        key.setFont(small)
        self.interval_label.setFont(small)
        self.setMinimumHeight(layout.sizeHint().height() + 8)

    def set_suggested(self, on: bool) -> None:
        self.setProperty("suggested", "true" if on else "false")
        self.style().unpolish(self)
        self.style().polish(self)


class RatingBar(QStackedWidget):
    """Page 0: 'Show answer'; page 1: Again / Hard / Good / Easy."""

    show_answer_clicked = Signal()
    rating_clicked = Signal(Rating)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        reveal_page = QWidget(self)
        row = QHBoxLayout(reveal_page)
        row.setContentsMargins(0, 0, 0, 0)
        self.show_answer_button = QPushButton("Show answer", reveal_page)
        self.show_answer_button.setObjectName("primary")
        self.show_answer_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.show_answer_button.setMinimumWidth(220)
        self.show_answer_button.setToolTip("Space or Enter")
        self.show_answer_button.clicked.connect(self.show_answer_clicked)
        self.reveal_hint = QLabel("Space", reveal_page)
        self.reveal_hint.setObjectName("keyHint")
        column = QVBoxLayout()
        column.setSpacing(4)
        column.addWidget(self.show_answer_button, 0, Qt.AlignmentFlag.AlignCenter)
        column.addWidget(self.reveal_hint, 0, Qt.AlignmentFlag.AlignCenter)
        row.addStretch(1)
        row.addLayout(column)
        row.addStretch(1)
        self.addWidget(reveal_page)

        rate_page = QWidget(self)
        rates = QHBoxLayout(rate_page)
        rates.setContentsMargins(0, 0, 0, 0)
        rates.setSpacing(12)
        rates.addStretch(1)
        self.buttons: dict[Rating, RatingButton] = {}
        for rating in Rating:
            button = RatingButton(rating, rate_page)
            button.clicked.connect(lambda _=False, r=rating: self.rating_clicked.emit(r))
            self.buttons[rating] = button
            rates.addWidget(button)
        rates.addStretch(1)
        self.addWidget(rate_page)

    def show_reveal(self, *, choice: bool) -> None:
        self.show_answer_button.setText("Check answer" if choice else "Show answer")
        self.reveal_hint.setText("Pick with A, B, C… · Space to check" if choice else "Space")
        self.setCurrentIndex(0)

    def show_ratings(
        self, intervals: Mapping[Rating, timedelta], *, suggested: Rating | None
    ) -> None:
        for rating, button in self.buttons.items():
            delta = intervals.get(rating)
            button.interval_label.setText(format_interval(delta) if delta is not None else "")
            button.set_suggested(rating is suggested)
        self.setCurrentIndex(1)
