"""The exam on screen: the line on Today, the exam-date dialog, Go ▸ Readiness."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QDate, QSettings, Qt
from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel, QPushButton, QTableView
from pytestqt.qtbot import QtBot

from flashcards.collection.exam import Exams
from flashcards.core.model import Rating
from flashcards.gui.exam.exam_date_dialog import ExamDateDialog
from flashcards.gui.exam.readiness_launcher import install_readiness, open_readiness
from flashcards.gui.exam.readiness_window import ReadinessWindow
from flashcards.gui.main_window import WELCOME_KEY, MainWindow
from tests.gui.test_main_window import ask, make_window

EXAM = """\
name = "Tiny Machine Learning Exam"
code = "TML-01"
questions = 20
minutes = 30
score = { min = 100, max = 1000, pass = 700 }
retired = 2026-01-31
successors = "TML-02"
[[domains]]
name = "Modeling"
weight = 0.7
[[domains]]
name = "Data Engineering"
weight = 0.3
"""


@pytest.fixture
def window(qtbot: QtBot, data_dir: Path, tmp_path: Path, now: datetime) -> Iterator[MainWindow]:
    (data_dir / "decks" / "exam.toml").write_text(EXAM, encoding="utf-8")
    settings_file = tmp_path / "settings.ini"
    QSettings(str(settings_file), QSettings.Format.IniFormat).setValue(WELCOME_KEY, True)
    win = make_window(qtbot, data_dir, settings_file, now)
    win.resize(1366, 768)
    install_readiness(win)
    qtbot.waitUntil(lambda: win.worker.pending == 0, timeout=10_000)
    yield win
    for child in win.findChildren(ReadinessWindow):
        child.close()
    win.close()


def wait(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: window.worker.pending == 0, timeout=10_000)


def test_today_line_without_a_date_asks_for_one(qtbot: QtBot, window: MainWindow) -> None:
    line = window.exam_line
    assert line.isVisible()
    assert line.text.text().startswith("<b>TML-01</b> (retired) · predicted ")
    assert "today" in line.text.text()
    assert line.date_button.text() == "Set your exam date…"
    assert "Retired 31 Jan 2026 — successor: TML-02" in line.text.toolTip()


def test_setting_the_date_from_today_updates_the_line(
    qtbot: QtBot, window: MainWindow, now: datetime
) -> None:
    qtbot.mouseClick(window.exam_line.date_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(getattr(window, "exam_date_dialog", None), ExamDateDialog))
    dialog = window.exam_date_dialog
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.calendar.selectedDate() == QDate(2026, 3, 2)  # today: no date yet
    dialog.calendar.setSelectedDate(QDate(2026, 3, 25))
    days = dialog.calendar.findChild(QTableView)  # the calendar's grid has the focus
    qtbot.keyClick(days, Qt.Key.Key_Right)  # the keyboard moves the day...
    assert dialog.calendar.selectedDate() == QDate(2026, 3, 26)
    qtbot.keyClick(days, Qt.Key.Key_Return)  # ...and Enter takes it
    wait(qtbot, window)
    qtbot.waitUntil(lambda: "in 24 days" in window.exam_line.text.text(), timeout=10_000)
    assert ask(qtbot, window, lambda col: Exams(col).exam_date()) == date(2026, 3, 26)
    text = window.exam_line.text.text()
    assert text.startswith("<b>TML-01</b> (retired) in 24 days · predicted ")
    assert "± " in text and " · pass " in text and "weakest: " in text
    assert window.exam_line.date_button.text() == "26 Mar 2026…"


def test_clearing_the_date(qtbot: QtBot, window: MainWindow) -> None:
    ask(qtbot, window, lambda col: Exams(col).set_exam_date(date(2026, 4, 1)))
    window.refresh()
    qtbot.waitUntil(lambda: "in 30 days" in window.exam_line.text.text(), timeout=10_000)
    qtbot.mouseClick(window.exam_line.date_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: getattr(window, "exam_date_dialog", None) is not None)
    dialog = window.exam_date_dialog
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.calendar.selectedDate() == QDate(2026, 4, 1)
    qtbot.mouseClick(dialog.clear_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "today" in window.exam_line.text.text(), timeout=10_000)
    assert ask(qtbot, window, lambda col: Exams(col).exam_date()) is None


def test_the_readiness_page_with_data(qtbot: QtBot, window: MainWindow, now: datetime) -> None:
    def study(col):  # type: ignore[no-untyped-def]
        Exams(col).set_exam_date(date(2026, 3, 20))
        for card_id in [c for c in col.queue(None, now=now)][:3]:
            col.answer(card_id, Rating.GOOD, now=now)

    ask(qtbot, window, study)
    qtbot.keyClick(
        window,
        Qt.Key.Key_R,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    qtbot.waitUntil(lambda: window.findChild(ReadinessWindow) is not None)
    page = window.findChild(ReadinessWindow)
    qtbot.waitUntil(lambda: page.page is not None, timeout=10_000)
    assert page.isVisible()
    assert page.title.text() == "Readiness — TML-01"
    assert "Exam on Friday 20 Mar 2026" in page.when.text()
    assert "it can no longer be sat on that date" in page.when.text()  # retired in January
    assert page.days_tile.value.text() == "18"
    assert page.pass_tile.value.text() == "700"
    score, band = page.score_tile.value.text().split(" ± ")
    assert 100 <= int(score) <= 1000 and int(band) > 0
    assert [d.name for d in page.bars.domains] == ["Modeling", "Data Engineering"]
    assert page.bars.domains[0].cards == 4 and page.bars.domains[1].cards == 1
    assert page.trend.points and page.trend.points[-1].day == date(2026, 3, 2)
    assert page.study_buttons  # the weakest decks and tags, each with Study
    assert "a card never studied counts at " in page.note.text()
    page.grab()  # paints without error


def test_study_a_weak_spot_opens_its_weakest_cards(qtbot: QtBot, window: MainWindow) -> None:
    page = open_readiness(window)
    qtbot.waitUntil(lambda: bool(page.study_buttons), timeout=10_000)
    button: QPushButton = page.study_buttons[0]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: getattr(window, "readiness_study", None) is not None, timeout=10_000)
    study = window.readiness_study
    qtbot.addWidget(study)
    assert study.isVisible() and study.windowTitle().startswith("Study — ")
    assert study.card_ids
    study.close()
    wait(qtbot, window)


def test_switching_profile_on_the_page(qtbot: QtBot, window: MainWindow, data_dir: Path) -> None:
    other = data_dir / "decks" / "other"
    other.mkdir()
    (other / "exam.toml").write_text(
        EXAM.replace("TML-01", "OTH-01").replace('name = "Tiny', 'name = "Other'), encoding="utf-8"
    )
    page = open_readiness(window)
    qtbot.waitUntil(lambda: page.page is not None and page.profile_box.count() == 2, timeout=10_000)
    page.profile_box.setCurrentIndex(page.profile_box.findText("OTH-01"))
    qtbot.waitUntil(lambda: page.title.text() == "Readiness — OTH-01", timeout=10_000)
    assert ask(qtbot, window, lambda col: Exams(col).active().key) == "other"
    qtbot.waitUntil(
        lambda: window.exam_line.text.text().startswith("<b>OTH-01</b>"), timeout=10_000
    )


def test_preferences_exam_tab_sets_profile_and_date(
    qtbot: QtBot, window: MainWindow, data_dir: Path
) -> None:
    from flashcards.gui.exam.exam_prefs import ExamTab
    from flashcards.gui.preferences import open_preferences

    other = data_dir / "decks" / "other"
    other.mkdir()
    (other / "exam.toml").write_text(EXAM.replace("TML-01", "OTH-01"), encoding="utf-8")
    ask(qtbot, window, lambda col: Exams(col).set_exam_date(date(2026, 5, 4)))
    dialog = open_preferences(window, tab="exam")
    tab = dialog.findChild(ExamTab)
    assert dialog.tabs.currentWidget() is tab
    qtbot.waitUntil(tab.isEnabled, timeout=10_000)
    assert tab.profile.currentText().startswith("TML-01 — ")
    assert tab.has_date.isChecked() and tab.date.date() == QDate(2026, 5, 4)
    assert tab.note.text() == "Retired 31 Jan 2026 — successor: TML-02"
    # The other profile has no date yet; give it one with the keyboard.
    tab.profile.setCurrentIndex(tab.profile.findData("other"))
    assert not tab.has_date.isChecked() and not tab.date.isEnabled()
    qtbot.mouseClick(tab.has_date, Qt.MouseButton.LeftButton)
    tab.date.setFocus()
    tab.date.setDate(QDate(2026, 6, 10))
    qtbot.keyClick(tab.date, Qt.Key.Key_Up)  # the day part steps on: 11 June
    assert tab.chosen_date() == date(2026, 6, 11)
    with qtbot.waitSignal(dialog.finished, timeout=10_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    wait(qtbot, window)

    def read(col):  # type: ignore[no-untyped-def]
        exams = Exams(col)
        return exams.active().key, exams.exam_date("OTH-01"), exams.exam_date("TML-01")

    assert ask(qtbot, window, read) == ("other", date(2026, 6, 11), date(2026, 5, 4))


def _mnemonic(text: str) -> str | None:
    """The letter of `text`'s mnemonic (`&x`; `&&` is a literal ampersand)."""
    found = re.search(r"(?<!&)&([^&\s])", text.replace("&&", ""))
    return found.group(1).casefold() if found else None


def test_preferences_labels_reach_their_fields_and_no_ampersand_shows(
    qtbot: QtBot, window: MainWindow
) -> None:
    """Every label with a mnemonic has a buddy on its own tab (a label made by a form row
    holding a layout has none, and shows its '&' as text); no two controls a tab shows
    share a letter with each other or with the tabs and buttons; Alt+D in Preferences ▸
    Exam reaches the exam-date switch."""
    from flashcards.gui.exam.exam_prefs import ExamTab
    from flashcards.gui.preferences import open_preferences

    dialog = open_preferences(window, tab="exam")
    tab = dialog.findChild(ExamTab)
    qtbot.waitUntil(tab.isEnabled, timeout=10_000)
    shared = [_mnemonic(dialog.tabs.tabText(i)) for i in range(dialog.tabs.count())]
    shared += [
        _mnemonic(b.text())
        for b in dialog.findChildren(QAbstractButton)
        if not dialog.tabs.isAncestorOf(b)
    ]
    shared = [m for m in shared if m]
    assert len(shared) == len(set(shared)), shared
    for index in range(dialog.tabs.count()):
        page = dialog.tabs.widget(index)
        letters = list(shared)
        for label in page.findChildren(QLabel):
            letter = _mnemonic(label.text())
            if letter is None:
                continue
            buddy = label.buddy()
            assert buddy is not None and page.isAncestorOf(buddy), label.text()
            letters.append(letter)
        for button in page.findChildren(QAbstractButton):
            letter = _mnemonic(button.text())
            if letter is not None:
                letters.append(letter)
        for box in page.findChildren(QGroupBox):
            letter = _mnemonic(box.title())
            if letter is not None:
                letters.append(letter)
        clashes = sorted({m for m in letters if letters.count(m) > 1})
        assert not clashes, (dialog.tabs.tabText(index), clashes)
    tab.has_date.setChecked(False)
    tab.profile.setFocus()
    qtbot.keyClick(tab.profile, Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)
    assert tab.has_date.hasFocus()
    qtbot.keyClick(tab.has_date, Qt.Key.Key_Space)
    assert tab.has_date.isChecked() and tab.date.isEnabled()
    dialog.ask_discard = lambda: True  # type: ignore[method-assign]
    with qtbot.waitSignal(dialog.finished, timeout=10_000):
        dialog.reject()


def test_preferences_closed_before_their_values_come_drop_the_answers(
    qtbot: QtBot, window: MainWindow
) -> None:
    """Esc at once: the loads and the workload estimate still on the worker answer a
    deleted dialog, and are dropped (they raised on deleted widgets: an error report)."""
    from flashcards.gui.preferences import open_preferences

    release = threading.Event()
    window.worker.run(lambda _col: release.wait(10), label="hold the worker")
    dialog = open_preferences(window, tab="exam")
    dialog.exam_tab.deadline.key = "tml"  # as if loaded: an estimate is asked for too
    dialog.exam_tab.has_date.setChecked(True)
    with qtbot.waitSignal(dialog.finished, timeout=10_000):
        dialog.reject()
    dialog.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(dialog), timeout=10_000)
    release.set()
    wait(qtbot, window)  # the answers came back to nothing: no error in the event loop
