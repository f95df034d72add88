"""Preferences ▸ Exam: the active exam profile and its date (with the profile's retired
and successor note). Staged like the other tabs; Save writes it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from flashcards.gui.exam.deadline_prefs import DeadlineBox
from flashcards.gui.exam.exam_date_dialog import from_qdate, to_qdate
from flashcards.gui.exam.readiness_ops import ExamSettings, save_exam


@dataclass(frozen=True)
class ExamChanges:
    key: str | None  # the profile to make active (None: the active one stays)
    day: date | None
    set_day: bool

    def apply(self, col: Any) -> None:
        save_exam(col, key=self.key, day=self.day, set_day=self.set_day)


class ExamTab(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("examTab")
        layout = QVBoxLayout(self)
        box = QGroupBox("Exam", self)
        column = QVBoxLayout(box)
        form = QFormLayout()
        column.addLayout(form)
        self.profile = QComboBox(box)
        self.profile.setObjectName("examProfile")
        self.profile.currentIndexChanged.connect(self._on_profile)
        profile_label = QLabel("&Exam profile", box)
        profile_label.setBuddy(self.profile)
        form.addRow(profile_label, self.profile)
        row = QHBoxLayout()
        self.has_date = QCheckBox("I sit it on", box)
        self.has_date.setObjectName("hasExamDate")
        self.date = QDateEdit(box)
        self.date.setObjectName("examDate")
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("ddd d MMM yyyy")
        self.has_date.toggled.connect(self.date.setEnabled)
        row.addWidget(self.has_date)
        row.addWidget(self.date)
        row.addStretch(1)
        # A row of widgets has no buddy of its own: the label's Alt+D goes to the switch.
        date_label = QLabel("Exam &date", box)
        date_label.setBuddy(self.has_date)
        form.addRow(date_label, row)
        # The profile's note and the hint under the form, across the box: wrapped labels
        # in a form's rows were given the height of three lines each.
        self.note = QLabel("", box)
        self.note.setObjectName("muted")
        self.note.setWordWrap(True)
        hint = QLabel(
            "The Today page and Go ▸ Readiness forecast your score on that day. Each "
            "profile keeps its own date; profiles are the exam.toml files of your decks.",
            box,
        )
        hint.setObjectName("muted")
        hint.setWordWrap(True)
        column.addWidget(self.note)
        column.addWidget(hint)
        layout.addWidget(box)
        # Deadline-aware scheduling for the profile and date above (deadline_prefs.py).
        self.deadline = DeadlineBox(self, self)
        layout.addWidget(self.deadline)
        layout.addStretch(1)
        self.settings: ExamSettings | None = None
        self.setEnabled(False)  # until the collection's values are in

    def load(self, settings: ExamSettings) -> None:
        self.settings = settings
        self.date.setMinimumDate(to_qdate(settings.today))
        self.profile.blockSignals(True)
        self.profile.clear()
        for choice in settings.profiles:
            self.profile.addItem(choice.label, choice.key)
        active = next((i for i, p in enumerate(settings.profiles) if p.key == settings.active), -1)
        self.profile.setCurrentIndex(active)
        self.profile.blockSignals(False)
        self._on_profile(active)
        self.setEnabled(bool(settings.profiles))
        if not settings.profiles:
            self.note.setText("No exam profile in the library (an exam.toml beside your decks).")

    def _stored(self, index: int) -> date | None:
        if self.settings is None or not 0 <= index < len(self.settings.profiles):
            return None
        return self.settings.profiles[index].exam_date

    def _on_profile(self, index: int) -> None:
        if self.settings is None or not 0 <= index < len(self.settings.profiles):
            return
        choice = self.settings.profiles[index]
        day = choice.exam_date
        self.has_date.setChecked(day is not None)
        self.date.setEnabled(day is not None)
        self.date.setDate(to_qdate(day) if day else to_qdate(self.settings.today))
        self.note.setText(choice.note)

    def chosen_date(self) -> date | None:
        return from_qdate(self.date.date()) if self.has_date.isChecked() else None

    def changes(self) -> ExamChanges | None:
        """What Save must write, or None."""
        if self.settings is None or not self.settings.profiles:
            return None
        index = self.profile.currentIndex()
        key = self.profile.itemData(index)
        switched = key != self.settings.active
        day = self.chosen_date()
        moved = day != self._stored(index)
        if not switched and not moved:
            return None
        return ExamChanges(key=key if switched else None, day=day, set_day=moved)


__all__ = ["ExamChanges", "ExamTab"]
