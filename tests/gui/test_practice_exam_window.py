"""The practice-exam window on a real collection, driven by real keypresses and a clock
the test moves: a whole exam with the keyboard, time running out, leaving and resuming,
the review screen."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from flashcards.collection.practice_exam import PracticeExams
from flashcards.core.model import CardState, ReviewKind
from flashcards.gui import dialogs
from flashcards.gui import shortcut_list as keys
from flashcards.gui.exam.practice_window import PracticeExamWindow
from tests.collection.practice_library import write_exam_library
from tests.gui.conftest import SyncRunner
from tests.gui.review_window import Clock

NOW = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    write_exam_library(folder, per_domain=3)  # every card is asked: two "choose two"
    return folder


@pytest.fixture
def col(data_dir: Path) -> Iterator[Any]:
    from flashcards.collection import Collection

    with Collection.open(data_dir, seed=False, now=NOW) as opened:
        opened.set_setting("timezone", "UTC")
        yield opened


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


@pytest.fixture(autouse=True)
def warnings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """A modal warning would block the test for ever: captured instead."""
    seen: list[str] = []
    monkeypatch.setattr(
        dialogs.QMessageBox, "warning", staticmethod(lambda parent, title, text: seen.append(text))
    )
    return seen


def open_window(qtbot: QtBot, col: Any, clock: Clock, tmp_path: Path) -> PracticeExamWindow:
    settings = QSettings(str(tmp_path / "exam.ini"), QSettings.Format.IniFormat)
    window = PracticeExamWindow(SyncRunner(col), now=clock, settings=settings)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)  # window shortcuts need it
    window.load()
    return window


@pytest.fixture
def window(qtbot: QtBot, col: Any, clock: Clock, tmp_path: Path) -> PracticeExamWindow:
    return open_window(qtbot, col, clock, tmp_path)


def press(qtbot: QtBot, window: PracticeExamWindow, key: Qt.Key, mods: Any = None) -> None:
    target = QApplication.focusWidget() or window.stack.currentWidget()
    qtbot.keyClick(target, key, mods or Qt.KeyboardModifier.NoModifier)


def right_letters(window: PracticeExamWindow) -> list[Qt.Key]:
    """The keys of the current question's right options, as shown."""
    session = window.session
    assert session is not None
    order = session.load.order(session.current)
    return [Qt.Key(Qt.Key.Key_A + order.index(i)) for i in sorted(session.question.correct)]


def wrong_letter(window: PracticeExamWindow) -> Qt.Key:
    session = window.session
    assert session is not None
    order = session.load.order(session.current)
    shown = next(k for k, i in enumerate(order) if i not in session.question.correct)
    return Qt.Key(Qt.Key.Key_A + shown)


def start(qtbot: QtBot, window: PracticeExamWindow) -> None:
    assert window.stack.currentWidget() is window.start_page
    press(qtbot, window, Qt.Key.Key_Return)
    assert window.stack.currentWidget() is window.exam_page
    assert window.session is not None


def test_a_whole_practice_exam_with_the_keyboard(
    qtbot: QtBot, window: PracticeExamWindow, col: Any, clock: Clock
) -> None:
    assert "PSE-01" in window.start_page.format.text()
    start(qtbot, window)
    session = window.session
    assert session is not None and len(session) == 6
    assert window.exam_page.clock.text() == "12:00 left"
    changes: list[Any] = []
    window.changed.connect(changes.append)
    wrong_card = None
    for number in range(1, 7):
        assert window.exam_page.title.text() == f"Question {number} of 6"
        if number == 2:
            wrong_card = session.question.card_id
            press(qtbot, window, wrong_letter(window))
        else:
            for key in right_letters(window):
                press(qtbot, window, key)
        if number == 3:
            press(qtbot, window, Qt.Key.Key_F)
            assert window.exam_page.navigator.cells[2].text() == "3⚑"
        assert window.exam_page.navigator.cells[number - 1].property("cell") == "answered"
        clock.advance(seconds=30)
        press(qtbot, window, Qt.Key.Key_Right)
    # Back with ← and P: answers stay until submitted, and can change.
    press(qtbot, window, Qt.Key.Key_Left)
    press(qtbot, window, Qt.Key.Key_P)
    assert session.current == 3
    press(qtbot, window, Qt.Key.Key_Home)
    assert session.current == 0

    press(qtbot, window, Qt.Key.Key_Return, CTRL)
    box = window.confirm_box
    assert box is not None
    assert "1 flagged for review: 3" in box.informativeText()
    assert "unanswered" not in box.informativeText()
    qtbot.keyClick(box, Qt.Key.Key_Return)

    assert window.stack.currentWidget() is window.result_page
    assert window.result_page.verdict.text() == "Pass"
    # 5 of 6 right, pass share 600/900: 700 + 300 · (5/6 - 2/3) / (1/3) = 850.
    assert "Scaled score <b>850</b>" in window.result_page.scaled.text()
    assert window.result_page.right_tile.value.text() == "5 / 6"
    assert window.result_page.time_tile.value.text() == "3 min"
    (summary,) = PracticeExams(col).history()
    assert (summary.right, summary.scaled, summary.used_seconds) == (5, 850, 180.0)
    # The forecast for the moment it began, made once the first question was up.
    assert summary.predicted is not None
    assert len(changes) == 1 and wrong_card in changes[0].cards
    # The wrong answer was a lapse (Again); right answers on new cards, practice.
    assert col.card(wrong_card).state is CardState.LEARNING
    kinds = {e.kind for q in session.questions for e in col.history(q.card_id)}
    assert kinds == {ReviewKind.REVIEW, ReviewKind.PRACTICE}


def test_one_answer_replaces_the_last_and_choose_two_toggles(
    qtbot: QtBot, window: PracticeExamWindow
) -> None:
    start(qtbot, window)
    session = window.session
    assert session is not None
    single = next(q.position for q in session.questions if q.choose == 1)
    double = next(q.position for q in session.questions if q.choose == 2)
    window.go(single)
    order = session.load.order(single)
    press(qtbot, window, Qt.Key.Key_A)
    press(qtbot, window, Qt.Key.Key_B)
    assert session.picked(single) == {order[1]}
    press(qtbot, window, Qt.Key.Key_Delete)
    assert session.picked(single) is None
    window.go(double)
    order = session.load.order(double)
    for key in (Qt.Key.Key_A, Qt.Key.Key_C, Qt.Key.Key_D, Qt.Key.Key_D):
        press(qtbot, window, key)
    assert session.picked(double) == {order[0], order[2]}
    press(qtbot, window, Qt.Key.Key_Z)  # no such option: nothing happens
    assert session.picked(double) == {order[0], order[2]}


def test_time_running_out_warns_then_submits(
    qtbot: QtBot, window: PracticeExamWindow, col: Any, clock: Clock
) -> None:
    start(qtbot, window)
    for key in right_letters(window):
        press(qtbot, window, key)
    page = window.exam_page
    clock.advance(minutes=1, seconds=30)
    window.tick()
    assert page.clock.text() == "10:30 left"
    assert page.banner.isHidden()
    clock.advance(seconds=31)
    window.tick()
    assert page.banner.isVisible() and page.banner.text().startswith("10 minutes left")
    clock.advance(minutes=9)
    window.tick()
    assert page.banner.text().startswith("1 minute left")
    assert page.clock.text() == "0:59 left"
    assert window.stack.currentWidget() is window.exam_page
    clock.advance(seconds=59)
    window.tick()
    # Time is up: submitted without asking, the one answer counted.
    assert window.stack.currentWidget() is window.result_page
    assert "Time is up" in window.statusBar().currentMessage()
    assert not window.sitting.timer.isActive()
    (summary,) = PracticeExams(col).history()
    assert (summary.right, summary.used_seconds) == (1, 720.0)
    assert window.result_page.right_tile.value.text() == "1 / 6"


def test_the_timer_ticks_the_clock_on_its_own(
    qtbot: QtBot, window: PracticeExamWindow, clock: Clock
) -> None:
    start(qtbot, window)
    assert window.sitting.timer.isActive()
    clock.advance(minutes=2)
    qtbot.waitUntil(lambda: window.exam_page.clock.text() == "10:00 left", timeout=2000)


def test_untimed_exams_have_no_countdown(
    qtbot: QtBot, window: PracticeExamWindow, clock: Clock
) -> None:
    qtbot.mouseClick(window.start_page.timed, Qt.MouseButton.LeftButton)
    assert not window.start_page.timed.isChecked()
    start(qtbot, window)
    clock.advance(hours=5)
    window.tick()
    assert window.exam_page.clock.text() == "5:00:00 (untimed)"
    assert window.stack.currentWidget() is window.exam_page


def test_leaving_mid_exam_keeps_it_to_resume(
    qtbot: QtBot, window: PracticeExamWindow, col: Any, clock: Clock, tmp_path: Path
) -> None:
    waiting: list[bool] = []
    window.progress_changed.connect(waiting.append)
    start(qtbot, window)
    session = window.session
    assert session is not None
    first = session.questions[0]
    for key in right_letters(window):
        press(qtbot, window, key)
    press(qtbot, window, Qt.Key.Key_N)
    press(qtbot, window, Qt.Key.Key_F)
    clock.advance(minutes=2)
    window.close()
    assert waiting[-1] is True
    assert not window.sitting.timer.isActive()

    clock.advance(days=1)  # away for a day: the clock waited
    again = open_window(qtbot, col, clock, tmp_path)
    page = again.start_page
    assert page.start_button.text() == "Resume exam"
    assert "question 2 of 6 · 1 answered · 10:00 left" in page.resume_note.text()
    press(qtbot, again, Qt.Key.Key_Return)
    resumed = again.session
    assert resumed is not None
    assert resumed.current == 1
    assert resumed.picked(0) == first.correct
    assert resumed.flagged(1)
    assert again.exam_page.navigator.cells[0].property("cell") == "answered"
    assert again.exam_page.navigator.cells[1].text() == "2⚑"
    assert again.exam_page.clock.text() == "10:00 left"
    assert [q.card_id for q in resumed.questions] == [q.card_id for q in session.questions]


def test_discarding_the_sitting_in_progress(
    qtbot: QtBot,
    window: PracticeExamWindow,
    col: Any,
    clock: Clock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from PySide6.QtWidgets import QMessageBox

    start(qtbot, window)
    window.close()
    again = open_window(qtbot, col, clock, tmp_path)
    monkeypatch.setattr(
        QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Discard)
    )
    qtbot.mouseClick(again.start_page.discard_button, Qt.MouseButton.LeftButton)
    assert PracticeExams(col).unfinished() is None
    assert again.start_page.start_button.text() == "Start exam"


def test_the_review_shows_every_question_with_its_explanation_and_links(
    qtbot: QtBot, window: PracticeExamWindow, clock: Clock
) -> None:
    start(qtbot, window)
    session = window.session
    assert session is not None
    press(qtbot, window, wrong_letter(window))  # question 1 wrong, the rest unanswered
    first = session.questions[0]
    window.submit()
    assert window.result_page.verdict.text() == "Fail"
    browsed: list[str] = []
    edited: list[tuple[str, int]] = []
    window.browse_requested.connect(browsed.append)
    window.edit_requested.connect(lambda key, line: edited.append((key, line)))

    press(qtbot, window, Qt.Key.Key_R)
    page = window.review_page
    assert window.stack.currentWidget() is page
    assert page.title.text() == "Question 1 of 6"
    assert "Wrong (you picked" in page.detail.text()
    text = page.card.toPlainText()
    assert "✓" in text and "✗" in text
    explanation = window.result.views[first.card_id].card.answer  # type: ignore[union-attr]
    assert explanation.strip() in text
    assert page.navigator.cells[0].property("cell") == "wrong"
    assert page.navigator.cells[1].property("cell") == "skipped"
    press(qtbot, window, Qt.Key.Key_W)
    assert page.title.text() == "Question 2 of 6"
    assert page.detail.text().endswith("Not answered")
    press(qtbot, window, Qt.Key.Key_B)
    view = window.result.views[session.questions[1].card_id]  # type: ignore[union-attr]
    assert browsed == [f'deck:"{view.deck}" "{view.card.title}"']
    press(qtbot, window, Qt.Key.Key_E)
    assert edited == [(view.card.file, view.card.line_start)]
    from flashcards.gui.card_info import CardInfoWindow

    press(qtbot, window, Qt.Key.Key_I)
    info = window.findChild(CardInfoWindow)
    assert info is not None and info.isVisible()
    assert info.info is not None and info.info.view.id == view.id
    info.close()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    page.setFocus()
    press(qtbot, window, Qt.Key.Key_Escape)
    assert window.stack.currentWidget() is window.result_page
    # The result lists the sitting; a double click on it reviews it again.
    assert window.result_page.history.table.topLevelItemCount() == 1


def test_every_key_is_in_the_help_and_the_window_fits_a_laptop(
    qtbot: QtBot, window: PracticeExamWindow
) -> None:
    start(qtbot, window)
    listed = keys.PRACTICE_EXAM.covered()
    missing = {k: what for k, what in keys.registered_keys(window).items() if k not in listed}
    assert missing == {}
    screen = window.screen().availableGeometry()
    assert window.frameGeometry().width() <= screen.width()
    assert window.frameGeometry().height() <= screen.height()


def test_the_go_menu_and_today_offer_to_resume_a_sitting_left_open(
    qtbot: QtBot, data_dir: Path, tmp_path: Path
) -> None:
    from flashcards.gui.exam.practice_launcher import RESUME_TEXT, START_TEXT, install_practice_exam
    from flashcards.gui.main_window import WELCOME_KEY
    from tests.gui.test_main_window import make_window

    settings_file = tmp_path / "main.ini"
    QSettings(str(settings_file), QSettings.Format.IniFormat).setValue(WELCOME_KEY, True)
    from flashcards.gui.exam.readiness_launcher import install_readiness

    main = make_window(qtbot, data_dir, settings_file, NOW)
    action = install_practice_exam(main)
    line = install_readiness(main)  # the Today page's exam line, as the app has it
    qtbot.waitUntil(lambda: main.worker.pending == 0)
    assert action.text() == START_TEXT
    assert action in main.go_menu.actions()
    assert line.practice_button.text() == "Practice exam"
    qtbot.mouseClick(line.practice_button, Qt.MouseButton.LeftButton)
    exam = main.findChild(PracticeExamWindow)
    assert exam is not None
    qtbot.waitUntil(lambda: exam.overview is not None)
    exam.start_page.start_requested.emit(True)
    qtbot.waitUntil(lambda: exam.session is not None)
    assert action.text() == RESUME_TEXT
    exam.close()
    qtbot.waitUntil(lambda: main.worker.pending == 0)
    assert action.text() == RESUME_TEXT
    assert line.practice_button.text() == "Resume practice exam"
    action.trigger()  # reopened on its start page, offering the sitting
    qtbot.waitUntil(lambda: exam.start_page.start_button.text() == "Resume exam")
    exam.close()
