"""Preset fields for the workload options: load balancing on or off, and easy days.

They follow `preset_form.Field`: a widget bound to one `Preset` attribute, `load(value)`
shows it and `value()` reads it back. The easy-days widget is a column of weekdays, each
with a normal / reduced / minimum choice (Anki's easy days), narrow enough for the form's
field column.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QGridLayout, QLabel, QWidget

from flashcards.core.load_balance import EASY_DAY_LABELS, NORMAL_WEEK, WEEKDAYS, EasyDay

EASY_DAY_TIPS: dict[EasyDay, str] = {
    EasyDay.NORMAL: "As many reviews as any other day",
    EasyDay.REDUCED: "About half the reviews of a normal day",
    EasyDay.MINIMUM: "Almost no reviews: cards due then move to the days around it",
}


class CheckField:
    """On or off (a check box whose text says what is on)."""

    def __init__(self, attr: str, label: str, text: str, *, hint: str = "") -> None:
        self.attr, self.label, self.hint = attr, label, hint
        self.widget = QCheckBox(text)

    def load(self, value: Any) -> None:
        self.widget.setChecked(bool(value))

    def value(self) -> bool:
        return self.widget.isChecked()


class EasyDaysWidget(QWidget):
    """Seven weekdays, each with its own combo box; `edited` when one changes."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(2)
        self.boxes: list[QComboBox] = []
        for row, name in enumerate(WEEKDAYS):
            box = QComboBox(self)
            for day, text in EASY_DAY_LABELS.items():
                box.addItem(text, day.value)
                box.setItemData(box.count() - 1, EASY_DAY_TIPS[day], Qt.ItemDataRole.ToolTipRole)
            box.setAccessibleName(f"{name} reviews")
            box.currentIndexChanged.connect(lambda _i: self.edited.emit())
            label = QLabel(name[:3], self)
            label.setBuddy(box)
            label.setToolTip(name)
            grid.addWidget(label, row, 0)
            grid.addWidget(box, row, 1)
            self.boxes.append(box)
        grid.setColumnStretch(1, 1)


class EasyDaysField:
    """Easy days: a `tuple[EasyDay, ...]` of seven, Monday first."""

    def __init__(self, attr: str, label: str, *, hint: str = "") -> None:
        self.attr, self.label, self.hint = attr, label, hint
        self.widget = EasyDaysWidget()

    def load(self, value: Any) -> None:
        days = tuple(value) if len(tuple(value)) == 7 else NORMAL_WEEK
        for box, day in zip(self.widget.boxes, days, strict=True):
            box.blockSignals(True)
            box.setCurrentIndex(max(box.findData(EasyDay(day).value), 0))
            box.blockSignals(False)

    def value(self) -> tuple[EasyDay, ...]:
        return tuple(EasyDay(box.currentData()) for box in self.widget.boxes)
