"""Preferences ▸ Scheduling: the leech threshold and action, load balancing and easy
days are typed and picked with real keys and saved to the preset."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from flashcards.core.leeches import LeechAction
from flashcards.core.load_balance import EasyDay
from flashcards.gui.main_window import MainWindow
from flashcards.gui.theme import apply_theme
from tests.gui.test_preferences import ask, make_window, open_dialog, save, type_into


@pytest.fixture
def window(
    qtbot: QtBot, qapp: QApplication, data_dir: Path, tmp_path: Path, now: datetime
) -> Iterator[MainWindow]:
    sheet = qapp.styleSheet()
    apply_theme(qapp, scheme="light")
    win = make_window(qtbot, data_dir, tmp_path / "settings.ini", now)
    yield win
    win.close()
    qapp.setProperty("flashcardsTheme", None)
    qapp.setStyleSheet(sheet)


def test_leech_and_workload_options_are_saved(qtbot: QtBot, window: MainWindow) -> None:
    before = ask(qtbot, window, lambda col: col.presets()[1])
    assert before.leech_threshold == 8 and before.load_balancing
    dialog = open_dialog(qtbot, window)
    dialog.tabs.setCurrentWidget(dialog.scheduling)
    form = dialog.scheduling.form
    assert form.field("leech_threshold").widget.value() == 8  # the preset's values shown
    type_into(qtbot, form.field("leech_threshold").widget, "5")
    action = form.field("leech_action").widget
    action.setFocus()
    qtbot.keyClick(action, Qt.Key.Key_End)
    assert action.currentText() == "Suspend card"
    balancing = form.field("load_balancing").widget
    assert balancing.isChecked()
    balancing.setFocus()
    qtbot.keyClick(balancing, Qt.Key.Key_Space)
    sunday = form.field("easy_days").widget.boxes[6]
    saturday = form.field("easy_days").widget.boxes[5]
    for box, key in ((sunday, Qt.Key.Key_End), (saturday, Qt.Key.Key_Down)):
        box.setFocus()
        qtbot.keyClick(box, key)
    assert (saturday.currentText(), sunday.currentText()) == ("Reduced", "Minimum")
    assert dialog.scheduling.presets  # edited, not yet saved
    save(qtbot, window, dialog)

    preset = ask(qtbot, window, lambda col: col.presets()[1])
    assert preset.leech_threshold == 5
    assert preset.leech_action is LeechAction.SUSPEND
    assert preset.load_balancing is False
    assert preset.easy_days == (EasyDay.NORMAL,) * 5 + (EasyDay.REDUCED, EasyDay.MINIMUM)
    # Opened again, the form shows what was saved.
    dialog = open_dialog(qtbot, window)
    form = dialog.scheduling.form
    assert form.field("leech_threshold").widget.value() == 5
    assert form.field("easy_days").widget.boxes[6].currentText() == "Minimum"
    assert not form.field("load_balancing").widget.isChecked()
    dialog.reject()
