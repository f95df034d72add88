"""The fields of a scheduling preset as a form: each field reads and writes one attribute.

A field is a widget bound to one `Preset` attribute: `load(value)` shows it, `value()`
reads it back or raises `FieldError` with a message for the user. The form is a list of
groups of fields, so a new preset option is one more entry in `preset_groups()`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any, Protocol

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from flashcards.core.leeches import LEECH_ACTIONS
from flashcards.core.queue_order import (
    NEW_GATHER_HELP,
    NEW_GATHER_ORDERS,
    NEW_SORT_HELP,
    NEW_SORT_ORDERS,
)
from flashcards.core.scheduling import Preset, PresetError
from flashcards.core.steps import StepsError, format_steps, parse_steps
from flashcards.gui.preset_workload_fields import CheckField, EasyDaysField, EasyDaysWidget


class FieldError(ValueError):
    """A field whose text is not a valid value; `widget` is where to put the cursor."""

    def __init__(self, message: str, widget: QWidget) -> None:
        super().__init__(message)
        self.widget = widget


class Field(Protocol):
    attr: str  # the Preset attribute
    label: str
    hint: str  # one short line shown under the field

    @property
    def widget(self) -> QWidget: ...

    def load(self, value: Any) -> None: ...

    def value(self) -> Any: ...


class IntField:
    """A whole number in a range (a spin box: out-of-range input cannot be typed)."""

    def __init__(
        self, attr: str, label: str, *, low: int, high: int, suffix: str = "", hint: str = ""
    ) -> None:
        self.attr, self.label, self.hint = attr, label, hint
        self.widget = QSpinBox()
        self.widget.setRange(low, high)
        self.widget.setSuffix(suffix)
        self.widget.setAccelerated(True)

    def load(self, value: Any) -> None:
        self.widget.setValue(int(value))

    def value(self) -> int:
        return int(self.widget.value())


class RetentionField:
    """Desired retention, 0.70–0.99."""

    def __init__(self, attr: str, label: str, *, hint: str = "") -> None:
        self.attr, self.label, self.hint = attr, label, hint
        self.widget = QDoubleSpinBox()
        self.widget.setRange(0.70, 0.99)
        self.widget.setSingleStep(0.01)
        self.widget.setDecimals(2)

    def load(self, value: Any) -> None:
        self.widget.setValue(float(value))

    def value(self) -> float:
        return round(float(self.widget.value()), 2)


class StepsField:
    """Learning steps typed as text: "1m 10m 1h 1d"."""

    def __init__(self, attr: str, label: str, *, hint: str = "") -> None:
        self.attr, self.label, self.hint = attr, label, hint
        self.widget = QLineEdit()
        self.widget.setPlaceholderText("none: straight to review")
        self.widget.setClearButtonEnabled(True)

    def load(self, value: Any) -> None:
        self.widget.setText(format_steps(tuple(value)))

    def value(self) -> Any:
        try:
            return parse_steps(self.widget.text())
        except StepsError as error:
            raise FieldError(f"{self.label}: {error}", self.widget) from error


class ChoiceField:
    """One of a few values (an enum member, a string) shown by name in a combo box."""

    def __init__(
        self,
        attr: str,
        label: str,
        choices: Sequence[tuple[Any, str]],
        *,
        hint: str = "",
        tips: Mapping[Any, str] | None = None,
    ) -> None:
        self.attr, self.label, self.hint = attr, label, hint
        self.choices = list(choices)
        self.widget = QComboBox()
        for value, text in self.choices:
            self.widget.addItem(text)
            if tips and value in tips:  # each choice explains itself in the list
                index = self.widget.count() - 1
                self.widget.setItemData(index, tips[value], Qt.ItemDataRole.ToolTipRole)

    def load(self, value: Any) -> None:
        values = [v for v, _text in self.choices]
        self.widget.setCurrentIndex(values.index(value) if value in values else 0)

    def value(self) -> Any:
        return self.choices[max(self.widget.currentIndex(), 0)][0]


def preset_groups() -> list[tuple[str, list[Field]]]:
    """The preset's options in the order the form shows them (Anki's deck options)."""
    return [
        (
            "Daily limits",
            [
                IntField(
                    "new_per_day",
                    "New cards/day",
                    low=0,
                    high=9999,
                    hint="Cards never seen before, per deck and day",
                ),
                IntField(
                    "reviews_per_day",
                    "Maximum reviews/day",
                    low=0,
                    high=99999,
                    hint="Reviews past this wait for the next day",
                ),
            ],
        ),
        (
            "Steps",
            [
                StepsField(
                    "learning_steps",
                    "Learning steps",
                    hint="Before a new card's first interval, like 1m 10m 1h 1d",
                ),
                StepsField(
                    "relearning_steps",
                    "Relearning steps",
                    hint="After Again on a review, like 10m; empty for none",
                ),
            ],
        ),
        (
            "New cards",
            [
                ChoiceField(
                    "new_gather",
                    "Gather order",
                    list(NEW_GATHER_ORDERS.items()),
                    hint="Which new cards a day takes",
                    tips=NEW_GATHER_HELP,
                ),
                ChoiceField(
                    "new_sort",
                    "Sort order",
                    list(NEW_SORT_ORDERS.items()),
                    hint="How the day's new cards are shown",
                    tips=NEW_SORT_HELP,
                ),
            ],
        ),
        (
            "Memory (FSRS)",
            [
                RetentionField(
                    "desired_retention",
                    "Desired retention",
                    hint="0.70–0.99: higher means more reviews",
                ),
                IntField(
                    "maximum_interval",
                    "Maximum interval",
                    low=1,
                    high=36500,
                    suffix=" days",
                    hint="No card waits longer than this",
                ),
            ],
        ),
        (
            "Lapses",
            [
                IntField(
                    "leech_threshold",
                    "Leech threshold",
                    low=0,
                    high=99,
                    suffix=" lapses",
                    hint="A card forgotten this often is tagged leech (again every half as "
                    "many after); 0 for never",
                ),
                ChoiceField(
                    "leech_action",
                    "Leech action",
                    list(LEECH_ACTIONS.items()),
                    hint="Suspend takes a leech out of your reviews until you rewrite it",
                ),
            ],
        ),
        (
            "Workload",
            [
                CheckField(
                    "load_balancing",
                    "Load balancing",
                    "Even out days",
                    hint="A review goes to the least busy day its interval allows",
                ),
                EasyDaysField(
                    "easy_days",
                    "Easy days",
                    hint="Weekdays with fewer reviews; cards move to the days around them",
                ),
            ],
        ),
    ]


FIELD_WIDTH = 150
"""px: wide enough for "1m 10m 1h 1d" and "36500 days"."""


def add_row(form: QFormLayout, label: str, widget: QWidget, hint: str = "") -> QLabel:
    """A labelled field with a short grey hint under it; returns the label."""
    parent = form.parentWidget()
    widget.setParent(parent)
    if isinstance(widget, QComboBox):
        widget.setMinimumWidth(FIELD_WIDTH)  # as wide as its longest choice
    else:
        widget.setFixedWidth(FIELD_WIDTH)
    column = QVBoxLayout()
    column.setSpacing(2)
    line = QHBoxLayout()
    line.addWidget(widget)
    line.addStretch(1)  # the field keeps its width; the hint below takes the column's
    column.addLayout(line)
    if hint:
        note = QLabel(hint, parent)
        note.setObjectName("muted")
        note.setWordWrap(True)
        note.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        column.addWidget(note)
    caption = QLabel(label + ":", parent)
    caption.setBuddy(widget)
    form.addRow(caption, column)
    return caption


class PresetForm(QWidget):
    """The option groups of one preset: `load(preset)`, then `read(preset)` for the edit."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.groups = preset_groups()
        self.fields: list[Field] = [f for _title, fields in self.groups for f in fields]
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        captions: list[QLabel] = []
        for title, fields in self.groups:
            box = QGroupBox(title, self)
            form = QFormLayout(box)
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
            for field in fields:
                captions.append(add_row(form, field.label, field.widget, field.hint))
                self._watch(field.widget)
            layout.addWidget(box)
        # One label width for every group, so the fields line up down the page.
        width = max(c.sizeHint().width() for c in captions)
        for caption in captions:
            caption.setMinimumWidth(width)
        layout.addStretch(1)

    def add_section(self, widget: QWidget) -> None:
        """Show `widget` under the option groups (the optimiser's boxes)."""
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(layout.count() - 1, widget)  # above the closing stretch

    def field(self, attr: str) -> Field:
        return next(f for f in self.fields if f.attr == attr)

    def load(self, preset: Preset) -> None:
        for field in self.fields:
            field.widget.blockSignals(True)
            field.load(getattr(preset, field.attr))
            field.widget.blockSignals(False)

    def read(self, preset: Preset) -> Preset:
        """`preset` with the form's values; `FieldError` names the first bad field."""
        values = {field.attr: field.value() for field in self.fields}
        try:
            return replace(preset, **values)
        except PresetError as error:
            raise FieldError(str(error).capitalize(), self.fields[0].widget) from error

    def _watch(self, widget: QWidget) -> None:
        if isinstance(widget, QSpinBox | QDoubleSpinBox):
            widget.valueChanged.connect(lambda _v: self.edited.emit())
        elif isinstance(widget, QLineEdit):
            widget.textEdited.connect(lambda _t: self.edited.emit())
        elif isinstance(widget, QComboBox):
            widget.currentIndexChanged.connect(lambda _i: self.edited.emit())
        elif isinstance(widget, QCheckBox):
            widget.toggled.connect(lambda _on: self.edited.emit())
        elif isinstance(widget, EasyDaysWidget):
            widget.edited.connect(self.edited.emit)
