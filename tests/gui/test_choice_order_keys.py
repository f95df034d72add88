"""Shuffled options on the real review screen with real keys (issue 13.2): the letter the
screen shows for the right option marks it right whatever the order; the order survives
a theme switch, a text-size change and Ctrl+Z; Preferences ▸ Review turns it off."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from quiz_deck import RIGHT, SINGLES, file_texts, shown_options, write_quiz
from review_window import ask, current, open_window, press, study

from flashcards.core.model import Rating
from flashcards.gui.deck_tree import Scope
from flashcards.gui.main_window import MainWindow
from flashcards.gui.preferences import PreferencesDialog
from flashcards.gui.review_models import ReviewState
from flashcards.gui.theme import apply_theme

CTRL = Qt.KeyboardModifier.ControlModifier
QUIZ = Scope("Quiz", deck="Quiz")


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return write_quiz(tmp_path / "data")


@pytest.fixture(autouse=True)
def app_look(qapp: QApplication) -> Iterator[None]:
    """Start light; afterwards put the app's palette and style sheet back."""
    palette, sheet = QPalette(qapp.palette()), qapp.styleSheet()
    apply_theme(qapp, scheme="light")
    yield
    qapp.setProperty("flashcardsTheme", None)
    qapp.setStyleSheet(sheet)
    qapp.setPalette(palette)


@pytest.fixture
def window(qtbot: QtBot, data_dir: Path, tmp_path: Path, now: datetime) -> Iterator[MainWindow]:
    win = open_window(qtbot, data_dir, tmp_path / "settings.ini", now)
    win.resize(1100, 720)
    yield win
    win.close()


def letter_key(letter: str) -> Qt.Key:
    return Qt.Key(int(Qt.Key.Key_A) + "ABCDEFGHIJKLMNOPQRSTUVWXYZ".index(letter))


def test_pressing_the_letter_shown_for_the_right_option_marks_it_right(
    qtbot: QtBot, window: MainWindow
) -> None:
    study(qtbot, window, QUIZ)
    right_letters: Counter[str] = Counter()
    answered = []
    orders: dict[str, list[list[tuple[str, str]]]] = {}
    while window.controller.state is ReviewState.QUESTION:
        card = current(window).card
        shown = shown_options(window.review.browser)  # read off the screen, as a user does
        assert [letter for letter, _ in shown] == list("ABCDE"[: len(shown)])
        assert sorted(text for _, text in shown) == sorted(file_texts(card))
        rights = [letter for letter, text in shown if RIGHT.match(text)]
        assert len(rights) == len(card.correct)
        for letter in rights:
            press(qtbot, window, letter_key(letter))
            right_letters[letter] += 1
        press(qtbot, window, Qt.Key.Key_Space)  # check
        assert "Correct" in window.review.verdict.text(), (shown, rights)
        assert window.review.rating_bar.buttons[Rating.GOOD].property("suggested") == "true"
        assert shown_options(window.review.browser) == shown  # the answer side: same order
        answered.append(card.id)
        press(qtbot, window, Qt.Key.Key_Return)  # takes the suggested Good
        orders.setdefault(card.id, []).append(shown)
    # Good on a new card is a learning step: each question came back once, shown afresh.
    assert len(answered) == 2 * (SINGLES + 1) and set(orders) == set(answered)
    assert sum(first != again for first, again in orders.values()) > SINGLES // 2
    history = ask(qtbot, window, lambda col: [col.history(i) for i in set(answered)])
    assert all([h.rating for h in entries] == [Rating.GOOD] * 2 for entries in history)
    assert right_letters["B"] < SINGLES  # the file's B is not where the answer always is


def test_a_wrong_letter_is_wrong_even_when_it_is_b(qtbot: QtBot, window: MainWindow) -> None:
    study(qtbot, window, QUIZ)
    for _ in range(SINGLES):
        shown = shown_options(window.review.browser)
        if not RIGHT.match(shown[1][1]):
            break
        press(qtbot, window, Qt.Key.Key_Space)
        press(qtbot, window, Qt.Key.Key_3)
    card_id = current(window).id
    press(qtbot, window, Qt.Key.Key_B)  # B shows a wrong option on this card
    press(qtbot, window, Qt.Key.Key_Space)
    assert "Not quite" in window.review.verdict.text()
    press(qtbot, window, Qt.Key.Key_Return)
    history = ask(qtbot, window, lambda col: col.history(card_id))
    assert [h.rating for h in history] == [Rating.AGAIN]


def test_the_order_survives_theme_text_size_and_undo(qtbot: QtBot, window: MainWindow) -> None:
    study(qtbot, window, QUIZ)
    first_id = current(window).id
    shown = shown_options(window.review.browser)
    window.appearance.set_theme("dark", remember=False)
    assert shown_options(window.review.browser) == shown
    window.activateWindow()
    press(qtbot, window, Qt.Key.Key_Equal, CTRL)  # larger card text
    assert window.review.browser.text_scale > 1
    assert shown_options(window.review.browser) == shown
    window.appearance.set_theme("light", remember=False)

    press(qtbot, window, Qt.Key.Key_A)
    press(qtbot, window, Qt.Key.Key_Space)
    press(qtbot, window, Qt.Key.Key_1)
    assert current(window).id != first_id
    press(qtbot, window, Qt.Key.Key_Z, CTRL)  # undo: the same card, in the same order
    assert current(window).id == first_id
    assert window.controller.state is ReviewState.QUESTION
    assert shown_options(window.review.browser) == shown
    assert ask(qtbot, window, lambda col: col.history(first_id)) == []


def test_preferences_review_turns_the_shuffle_off(qtbot: QtBot, window: MainWindow) -> None:
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window.stack.currentWidget(), Qt.Key.Key_Comma, CTRL)  # Ctrl+,
    dialog = window.findChild(PreferencesDialog)
    assert dialog is not None
    qtbot.waitUntil(dialog.save_button.isEnabled, timeout=10_000)
    box = dialog.review_tab.shuffle
    assert box.isChecked()
    dialog.tabs.setCurrentWidget(dialog.review_tab)
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Space)
    assert not box.isChecked()
    with qtbot.waitSignal(dialog.finished, timeout=10_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert ask(qtbot, window, lambda col: col.setting("shuffle_choices")) is False

    study(qtbot, window, QUIZ)
    for _ in range(3):
        shown = shown_options(window.review.browser)
        assert [text for _, text in shown] == file_texts(current(window).card)
        press(qtbot, window, Qt.Key.Key_Space)
        press(qtbot, window, Qt.Key.Key_3)
