"""Scheduling for the exam date on screen: the Today page's pace line, and the switch,
options and workload estimate in Preferences ▸ Exam."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QSettings, Qt
from pytestqt.qtbot import QtBot

from flashcards.collection.deadline import Deadline
from flashcards.collection.exam import Exams
from flashcards.core.deadline import DeadlineOptions
from flashcards.gui.exam.deadline_prefs import DeadlineBox
from flashcards.gui.exam.exam_prefs import ExamTab
from flashcards.gui.main_window import WELCOME_KEY, MainWindow
from flashcards.gui.preferences import open_preferences
from tests.gui.test_main_window import ask, make_window

EXAM = """\
name = "Tiny Machine Learning Exam"
code = "TML-01"
questions = 20
minutes = 30
score = { min = 100, max = 1000, pass = 700 }
[[domains]]
name = "Modeling"
weight = 0.7
[[domains]]
name = "Data Engineering"
weight = 0.3
"""
EXAM_DAY = date(2026, 3, 10)  # today is 2 Mar: finish new cards by 3 Mar, two days


@pytest.fixture
def window(qtbot: QtBot, data_dir: Path, tmp_path: Path, now: datetime) -> Iterator[MainWindow]:
    (data_dir / "decks" / "exam.toml").write_text(EXAM, encoding="utf-8")
    settings_file = tmp_path / "settings.ini"
    QSettings(str(settings_file), QSettings.Format.IniFormat).setValue(WELCOME_KEY, True)
    win = make_window(qtbot, data_dir, settings_file, now)
    win.resize(1366, 768)

    def prepare(col):  # type: ignore[no-untyped-def]
        # One new card a day of its own, so the pace is what raises it.
        col.save_preset(replace(col.presets()[1], new_per_day=1), preset_id=1)
        Exams(col).set_exam_date(EXAM_DAY)

    ask(qtbot, win, prepare)
    win.refresh()
    wait(qtbot, win)
    yield win
    win.close()


def wait(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: window.worker.pending == 0, timeout=10_000)


def test_today_says_the_pace_while_the_deadline_is_on(
    qtbot: QtBot, window: MainWindow, now: datetime
) -> None:
    line = window.home.deadline_line
    assert not line.isVisible()  # off: the presets' own new cards
    assert window.home.today is not None and window.home.today.new == 1
    ask(qtbot, window, lambda col: Deadline(col).turn(True))
    window.refresh()
    wait(qtbot, window)
    assert line.isVisible()
    found = re.fullmatch(r"(\d+) new a day to finish by 3 Mar", line.text())
    assert found is not None
    # The tiles count the paced new cards too.
    assert window.home.today.new == int(found.group(1)) > 1
    assert line.text() == ask(qtbot, window, lambda col: Deadline(col).today_line(now=now))


def test_preferences_turn_it_on_after_showing_the_cost(qtbot: QtBot, window: MainWindow) -> None:
    dialog = open_preferences(window, tab="exam")
    tab = dialog.findChild(ExamTab)
    box = dialog.findChild(DeadlineBox)
    assert tab is not None and box is not None
    qtbot.waitUntil(lambda: tab.isEnabled() and box.isEnabled(), timeout=10_000)
    # The cost is there before it is turned on.
    costed = "With the deadline on: ~"
    qtbot.waitUntil(lambda: box.workload.text().startswith(costed), timeout=10_000)
    assert re.search(r"and \d+ new/day until 10 Mar \(now: \d+ and 1\)", box.workload.text())
    assert not box.on.isChecked() and box.buffer.value() == 7
    box.on.setFocus()
    qtbot.keyClick(box.on, Qt.Key.Key_Space)
    assert box.on.isChecked()
    box.buffer.setFocus()
    qtbot.keyClick(box.buffer, Qt.Key.Key_Down)  # 6 days before the exam
    assert box.changes() is not None
    with qtbot.waitSignal(dialog.finished, timeout=10_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    wait(qtbot, window)
    stored = ask(qtbot, window, lambda col: Deadline(col).options())
    assert stored == DeadlineOptions(on=True, buffer_days=6)
    assert window.home.deadline_line.isVisible()
    assert window.home.deadline_line.text().endswith("new a day to finish by 4 Mar")


def test_the_estimate_follows_the_date_being_chosen(qtbot: QtBot, window: MainWindow) -> None:
    dialog = open_preferences(window, tab="exam")
    tab = dialog.findChild(ExamTab)
    box = dialog.findChild(DeadlineBox)
    assert tab is not None and box is not None
    qtbot.waitUntil(lambda: "until 10 Mar" in box.workload.text(), timeout=10_000)
    qtbot.mouseClick(tab.has_date, Qt.MouseButton.LeftButton)  # no date
    assert box.workload.text() == "Set the exam date above to see what this costs a day."
    qtbot.mouseClick(tab.has_date, Qt.MouseButton.LeftButton)
    tab.date.setDate(QDate(2026, 4, 20))
    qtbot.waitUntil(lambda: "until 20 Apr" in box.workload.text(), timeout=10_000)
    # Nothing was saved: the estimate only reads.
    dialog.ask_discard = lambda: True
    dialog.reject()
    assert ask(qtbot, window, lambda col: Deadline(col).options()) == DeadlineOptions()
