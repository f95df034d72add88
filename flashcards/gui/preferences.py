"""Edit ▸ Preferences… (Ctrl+,): Appearance, Review, Scheduling and Exam tabs.

Appearance (theme, card text size) shows each change at once and Cancel takes it back;
the Review settings (the whole collection's) and the Scheduling presets are staged and
written by Save in one worker job, after which the main window's counts refresh.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from flashcards.core.errors import FlashcardsError
from flashcards.gui.appearance import DEFAULT_TEXT_SIZE, TEXT_SIZES, THEME_NAMES, Appearance
from flashcards.gui.browser.guarded_runner import GuardedRunner
from flashcards.gui.card_text import CardText
from flashcards.gui.exam.exam_prefs import ExamTab
from flashcards.gui.preset_form import add_row
from flashcards.gui.preset_options import PresetOptions, SchedulingData, load_scheduling
from flashcards.gui.theme import THEMES
from flashcards.gui.window_geometry import fit_to_screen

if TYPE_CHECKING:
    from flashcards.gui.main_window import MainWindow
    from flashcards.gui.worker import OpFailure

SAMPLE_CARD = """\
## What does lowering `eta` do in XGBoost?

Each tree adds less, so the model needs more rounds:

```python
params = {"eta": 0.05, "max_depth": 6}
booster = xgb.train(params, dtrain, num_boost_round=800)
```
"""


@dataclass(frozen=True)
class PreferencesData:
    scheduling: SchedulingData
    settings: dict[str, Any]


REVIEW_SETTINGS = (
    "rollover_hour",
    "learn_ahead_minutes",
    "answer_cap_seconds",
    "bury_siblings",
    "shuffle_choices",
)


def load_preferences(col: Any) -> PreferencesData:
    """Everything the dialog shows from the collection (on the worker)."""
    return PreferencesData(
        scheduling=load_scheduling(col),
        settings={key: col.setting(key) for key in REVIEW_SETTINGS},
    )


class AppearanceTab(QWidget):
    """Theme and card text size, with a sample card that shows both."""

    def __init__(self, appearance: Appearance, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.appearance = appearance
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 8)
        theme_box = QGroupBox("Theme", self)
        row = QHBoxLayout(theme_box)
        self.theme_buttons = QButtonGroup(self)
        for theme in THEMES:
            button = QRadioButton(THEME_NAMES[theme], theme_box)
            button.setObjectName(f"theme_{theme}")
            button.setChecked(theme == appearance.theme)
            self.theme_buttons.addButton(button)
            row.addWidget(button)
        row.addStretch(1)
        self.theme_buttons.buttonToggled.connect(self._on_theme)
        layout.addWidget(theme_box)

        size_box = QGroupBox("Card text size", self)
        size_row = QHBoxLayout(size_box)
        self.text_size = QSpinBox(size_box)
        self.text_size.setRange(TEXT_SIZES[0], TEXT_SIZES[-1])
        self.text_size.setSingleStep(10)
        self.text_size.setSuffix(" %")
        self.text_size.setValue(appearance.text_size)
        self.text_size.valueChanged.connect(self._on_size)
        reset = QPushButton("Default", size_box)
        reset.setAutoDefault(False)
        reset.clicked.connect(lambda: self.text_size.setValue(DEFAULT_TEXT_SIZE))
        keys = QLabel("Ctrl+= and Ctrl+- change it while you review.", size_box)
        keys.setObjectName("muted")
        size_row.addWidget(self.text_size)
        size_row.addWidget(reset)
        size_row.addSpacing(12)
        size_row.addWidget(keys, 1)
        layout.addWidget(size_box)

        caption = QLabel("Sample card", self)
        caption.setObjectName("muted")
        layout.addWidget(caption)
        self.sample = CardText(self)
        self.sample.setObjectName("card")
        self.sample.document().setDocumentMargin(16)
        self.sample.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.sample.set_text_scale(appearance.text_size / 100)
        from flashcards.core.render import render_markdown

        self.sample.set_card_html(render_markdown(SAMPLE_CARD))
        layout.addWidget(self.sample, 1)
        self.theme_touched = False

    def chosen_theme(self) -> str:
        button = self.theme_buttons.checkedButton()
        return button.objectName().removeprefix("theme_") if button else self.appearance.theme

    def _on_theme(self, _button: QRadioButton, checked: bool) -> None:
        if checked:
            self.theme_touched = True
            self.appearance.set_theme(self.chosen_theme(), remember=False)

    def _on_size(self, value: int) -> None:
        self.appearance.set_text_size(value, remember=False)
        self.sample.set_text_scale(value / 100)


class ReviewTab(QWidget):
    """Settings of the whole collection: when a day starts, learning ahead, siblings."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 8)
        box = QGroupBox("For the whole collection (every deck and preset)", self)
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.rollover = QSpinBox(self)
        self.rollover.setRange(0, 23)
        self.rollover.setSuffix(":00")
        self.learn_ahead = QSpinBox(self)
        self.learn_ahead.setRange(0, 240)
        self.learn_ahead.setSuffix(" min")
        self.answer_cap = QSpinBox(self)
        self.answer_cap.setRange(10, 600)
        self.answer_cap.setSuffix(" s")
        self.bury = QCheckBox("Bury", self)
        self.shuffle = QCheckBox("Shuffle the options", self)
        add_row(
            form,
            "Next day starts at",
            self.rollover,
            "Reviews before this hour count for the day before (4:00, as in Anki)",
        )
        add_row(
            form,
            "Learn ahead limit",
            self.learn_ahead,
            "A learning card due within this long is shown now rather than later",
        )
        add_row(
            form,
            "Longest answer time",
            self.answer_cap,
            "A longer answer is recorded as this long (you walked away)",
        )
        add_row(
            form,
            "Siblings",
            self.bury,
            "Hide a card's siblings (other clozes, the reverse card) until the next day",
        )
        add_row(
            form,
            "Multiple choice",
            self.shuffle,
            "A new order each time a question is shown: learn the answer, not its letter",
        )
        layout.addWidget(box)
        layout.addStretch(1)
        self.loaded: dict[str, Any] = {}
        self.setEnabled(False)

    def load(self, settings: dict[str, Any]) -> None:
        self.loaded = dict(settings)
        self.rollover.setValue(int(settings["rollover_hour"]))
        self.learn_ahead.setValue(int(settings["learn_ahead_minutes"]))
        self.answer_cap.setValue(int(settings["answer_cap_seconds"]))
        self.bury.setChecked(bool(settings["bury_siblings"]))
        self.shuffle.setChecked(bool(settings["shuffle_choices"]))
        self.setEnabled(True)

    def changes(self) -> dict[str, Any]:
        if not self.loaded:
            return {}
        now = {
            "rollover_hour": self.rollover.value(),
            "learn_ahead_minutes": self.learn_ahead.value(),
            "answer_cap_seconds": self.answer_cap.value(),
            "bury_siblings": self.bury.isChecked(),
            "shuffle_choices": self.shuffle.isChecked(),
        }
        return {k: v for k, v in now.items() if self.loaded.get(k) != v}


def ask_discard(parent: QWidget) -> bool:
    answer = QMessageBox.question(
        parent,
        "Preferences",
        "Discard your changes to the review and scheduling options?",
        QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Discard


class PreferencesDialog(QDialog):
    """The tabs; Save writes, Cancel (or Esc) puts the look back as it was."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.main_window = window
        self.appearance: Appearance = window.appearance
        self.ask_discard: Callable[[], bool] = lambda: ask_discard(self)
        self.setWindowTitle("Preferences")
        self._initial = (self.appearance.theme, self.appearance.text_size)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 10, 10, 10)
        self.tabs = QTabWidget(self)
        self.appearance_tab = AppearanceTab(self.appearance, self)
        self.review_tab = ReviewTab(self)
        self.scheduling = PresetOptions(self)
        self.scheduling.set_runner(window.worker.run)  # the optimiser's jobs
        self.tabs.addTab(self.appearance_tab, "&Appearance")
        self.tabs.addTab(self.review_tab, "&Review")
        self.tabs.addTab(self.scheduling, "&Scheduling")
        self.exam_tab = ExamTab(self)
        self.tabs.addTab(self.exam_tab, "E&xam")
        layout.addWidget(self.tabs, 1)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setEnabled(False)  # until the collection's values are in
        fit_to_screen(self, QSize(940, 640), key="preferences")  # the main window's settings
        # The loads and the workload estimates answer a dialog that may be closed (and
        # deleted) by then: their answers are dropped, not given to deleted widgets.
        guarded = GuardedRunner(window.worker, self)
        guarded.run(load_preferences, success=self._on_loaded, label="preferences")
        from flashcards.gui.exam.readiness_ops import load_settings

        now = window.now()
        guarded.run(
            lambda col: load_settings(col, now=now), success=self.exam_tab.load, label="exam"
        )
        from flashcards.gui.exam.deadline_prefs import load_options

        self.exam_tab.deadline.set_runner(guarded.run, window.now)
        guarded.run(load_options, success=self.exam_tab.deadline.load, label="deadline")

    def _on_loaded(self, data: PreferencesData) -> None:
        self.review_tab.load(data.settings)
        self.scheduling.load(data.scheduling)
        self.save_button.setEnabled(True)

    def has_changes(self) -> bool:
        if not self.save_button.isEnabled():
            return False
        self.scheduling.commit_form()
        return bool(
            self.scheduling.changes()
            or self.review_tab.changes()
            or self.exam_tab.changes()
            or self.exam_tab.deadline.changes()
        )

    def save(self) -> None:
        """Check the scheduling form, remember the look, write the rest on the worker."""
        if not self.scheduling.commit_form():
            self.tabs.setCurrentWidget(self.scheduling)
            return
        changes = self.scheduling.changes()
        settings = self.review_tab.changes()
        exam = self.exam_tab.changes()
        deadline = self.exam_tab.deadline.changes()
        if self.appearance_tab.theme_touched:
            self.appearance.set_theme(self.appearance_tab.chosen_theme())
        self.appearance.set_text_size(self.appearance_tab.text_size.value())
        if not changes and not settings and not exam and not deadline:
            self.accept()
            return

        def work(col: Any) -> None:
            changes.apply(col)
            for key, value in settings.items():
                col.set_setting(key, value)
            if exam is not None:
                exam.apply(col)
            if deadline is not None:
                deadline.apply(col)

        def done(_result: object) -> None:
            self.main_window.refresh()
            self.main_window.statusBar().showMessage("Preferences saved", 4000)
            self.accept()

        def failed(failure: OpFailure) -> None:
            self.save_button.setEnabled(True)
            if isinstance(failure.error, FlashcardsError):
                self.tabs.setCurrentWidget(self.scheduling)
                self.scheduling.show_error(f"Not saved: {failure.error}")
            else:
                self.main_window.errors(failure)

        self.save_button.setEnabled(False)
        self.main_window.worker.run(work, success=done, failure=failed, label="saving preferences")

    def reject(self) -> None:
        if self.has_changes() and not self.ask_discard():
            return
        theme, size = self._initial
        self.appearance.set_theme(theme, remember=False)
        self.appearance.set_text_size(size, remember=False)
        super().reject()


def _back_to(window: MainWindow) -> None:
    window.activateWindow()
    page = window.stack.currentWidget()
    if page is not None:
        page.setFocus()


def open_preferences(window: MainWindow, *, tab: str | None = None) -> PreferencesDialog:
    """Show the Preferences (the open one, if any), on tab 'appearance', 'review',
    'scheduling' or 'exam'."""
    dialog = window.findChild(PreferencesDialog)
    if dialog is None or not dialog.isVisible():
        dialog = PreferencesDialog(window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _: _back_to(window))
        dialog.open()
    if tab is not None:
        names = {"appearance": 0, "review": 1, "scheduling": 2, "exam": 3}
        dialog.tabs.setCurrentIndex(names[tab])
    dialog.raise_()
    dialog.activateWindow()
    return dialog
