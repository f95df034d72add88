"""The exam-date dialog: a calendar for the active profile's date, or no date."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCalendarWidget,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


def to_qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def from_qdate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


class ExamDateDialog(QDialog):
    """`chosen(date | None)` on OK (the day picked) or "No exam date" (None)."""

    chosen = Signal(object)

    def __init__(
        self,
        parent: QWidget | None,
        *,
        exam: str,
        current: date | None,
        today: date,
        note: str = "",
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Exam date")
        layout = QVBoxLayout(self)
        heading = QLabel(f"When do you sit <b>{exam}</b>?", self)
        heading.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(heading)
        if note:
            warning = QLabel(note, self)
            warning.setObjectName("muted")
            warning.setWordWrap(True)
            layout.addWidget(warning)
        self.calendar = QCalendarWidget(self)
        self.calendar.setGridVisible(True)
        self.calendar.setMinimumDate(to_qdate(today))
        self.calendar.setSelectedDate(to_qdate(current if current and current >= today else today))
        self.calendar.activated.connect(lambda _day: self.accept())  # Enter or double-click
        layout.addWidget(self.calendar)
        hint = QLabel("The forecast is for that day; scheduling can plan reviews up to it.", self)
        hint.setObjectName("muted")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.clear_button = QPushButton("&No exam date", self)
        self.clear_button.setEnabled(current is not None)
        self.buttons.addButton(self.clear_button, QDialogButtonBox.ButtonRole.ResetRole)
        self.clear_button.clicked.connect(self._clear)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.calendar.setFocus()

    def selected(self) -> date:
        return from_qdate(self.calendar.selectedDate())

    def accept(self) -> None:
        self.chosen.emit(self.selected())
        super().accept()

    def _clear(self) -> None:
        self.chosen.emit(None)
        super().accept()
