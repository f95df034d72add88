"""An edit from the review keeps a multiple-choice card as the user left it (QA pass): the
picks, the order shown and the verdict survive Ctrl+S in the editor, an edit that changes
the options grades the kept picks against the edited card, and Ctrl+Shift+Z brings a card
back in the order Ctrl+Z took off the screen. Real window, real keys, real deck file."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from quiz_deck import shown_options, write_quiz
from review_window import ask, current, idle, open_window, press, study

from flashcards.core.model import CardId, Rating
from flashcards.gui.deck_tree import Scope
from flashcards.gui.main_window import MainWindow
from flashcards.gui.review_models import ReviewState

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
QUIZ = Scope("Quiz", deck="Quiz")
PICK = CardId("pick02")  # Which two are fruit? Banana and Cherry, among three rocks


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return write_quiz(tmp_path / "data")


@pytest.fixture
def window(qtbot: QtBot, data_dir: Path, tmp_path: Path, now: datetime) -> Iterator[MainWindow]:
    win = open_window(qtbot, data_dir, tmp_path / "settings.ini", now)
    win.resize(1366, 740)
    yield win
    win.close()


def letter_key(letter: str) -> Qt.Key:
    return Qt.Key(int(Qt.Key.Key_A) + ord(letter) - ord("A"))


def pick(qtbot: QtBot, window: MainWindow, *texts: str) -> None:
    """Press the letters the screen shows for these options."""
    for letter, text in shown_options(window.review.browser):
        if text in texts:
            press(qtbot, window, letter_key(letter))


def open_pick_card(qtbot: QtBot, window: MainWindow) -> None:
    study(qtbot, window, QUIZ)
    window.controller.review_card(PICK)
    idle(qtbot, window)
    assert current(window).id == PICK


def edit_and_save(
    qtbot: QtBot, window: MainWindow, changes: dict[str, str | None], *, key: Qt.Key = Qt.Key.Key_E
) -> None:
    """Open the editor from the review, type each change over its text (None: delete
    its line), Ctrl+S."""
    mods = CTRL if window.controller.state is ReviewState.QUESTION else Qt.KeyboardModifier(0)
    press(qtbot, window, key, mods)
    review = window.review
    qtbot.waitUntil(lambda: review.editor is not None and review.editor.isVisible())
    editor = review.editor
    for old, new in changes.items():
        found = editor.edit.document().find(old)
        assert not found.isNull(), old
        editor.edit.setTextCursor(found)  # the old text selected: typing replaces it
        if new is None:  # the whole line goes
            qtbot.keyClick(editor.edit, Qt.Key.Key_Delete)
            qtbot.keyClick(editor.edit, Qt.Key.Key_Delete)
            continue
        for n, line in enumerate(new.split("\n")):
            if n:
                qtbot.keyClick(editor.edit, Qt.Key.Key_Return)
            qtbot.keyClicks(editor.edit, line)
    qtbot.keyClick(editor.edit, Qt.Key.Key_S, CTRL)
    qtbot.waitUntil(lambda: not editor.isVisible())
    idle(qtbot, window)


def verdict(window: MainWindow) -> str:
    return window.review.verdict.text()


def suggested(window: MainWindow) -> list[Rating]:
    buttons = window.review.rating_bar.buttons
    return [r for r, b in buttons.items() if b.property("suggested") == "true"]


def test_saving_an_unchanged_card_keeps_the_picks_and_the_verdict(
    qtbot: QtBot, window: MainWindow
) -> None:
    open_pick_card(qtbot, window)
    shown = shown_options(window.review.browser)
    pick(qtbot, window, "Banana", "Cherry")
    press(qtbot, window, Qt.Key.Key_Space)
    assert "Correct" in verdict(window) and suggested(window) == [Rating.GOOD]

    edit_and_save(qtbot, window, {})
    assert window.controller.state is ReviewState.ANSWER
    assert "Correct" in verdict(window), verdict(window)
    assert suggested(window) == [Rating.GOOD]
    assert window.controller.screen.selected == {1, 2}
    assert shown_options(window.review.browser) == shown
    press(qtbot, window, Qt.Key.Key_Return)  # the suggested rating
    assert [h.rating for h in ask(qtbot, window, lambda col: col.history(PICK))] == [Rating.GOOD]


def test_an_edit_of_which_options_are_right_grades_the_kept_picks_again(
    qtbot: QtBot, window: MainWindow, data_dir: Path
) -> None:
    open_pick_card(qtbot, window)
    pick(qtbot, window, "Banana", "Cherry")
    press(qtbot, window, Qt.Key.Key_Space)
    assert "Correct" in verdict(window)

    edit_and_save(qtbot, window, {"- [ ] Slate": "- [x] Slate"})  # now three are right
    assert "[x] Slate" in (data_dir / "decks" / "quiz.md").read_text()
    assert window.controller.screen.selected == {1, 2}  # still picked, still Banana, Cherry
    assert "Not quite" in verdict(window)
    assert suggested(window) == [Rating.AGAIN]

    edit_and_save(qtbot, window, {"- [x] Slate": "- [ ] Slate"})  # and back
    assert "Correct" in verdict(window) and suggested(window) == [Rating.GOOD]


def test_an_edit_that_removes_adds_and_rewords_options_carries_the_picks(
    qtbot: QtBot, window: MainWindow
) -> None:
    open_pick_card(qtbot, window)
    before = [text for _, text in shown_options(window.review.browser)]
    pick(qtbot, window, "Banana", "Cherry", "Granite")
    press(qtbot, window, Qt.Key.Key_Space)
    assert "Not quite" in verdict(window)  # Granite is a rock

    # Granite goes (its pick with it), Cherry is reworded, a new rock comes.
    edit_and_save(
        qtbot,
        window,
        {
            "- [ ] Granite": None,
            "[x] Cherry": "[x] Cherries",
            "- [ ] Slate": "- [ ] Slate\n- [ ] Flint",
        },
    )
    shown = [text for _, text in shown_options(window.review.browser)]
    card = current(window).card
    assert [c.text for c in card.choices] == ["Banana", "Cherries", "Basalt", "Slate", "Flint"]
    assert window.controller.screen.selected == {0, 1}  # Banana and the reworded Cherry
    assert "Correct" in verdict(window) and suggested(window) == [Rating.GOOD]
    # The options that stayed keep the order they were shown in; Flint goes anywhere.
    kept = [t.replace("Cherry", "Cherries") for t in before if t != "Granite"]
    assert [t for t in shown if t != "Flint"] == kept


def test_picks_on_the_question_survive_an_edit_and_are_checked_after(
    qtbot: QtBot, window: MainWindow
) -> None:
    open_pick_card(qtbot, window)
    shown = shown_options(window.review.browser)
    pick(qtbot, window, "Banana", "Cherry")
    edit_and_save(qtbot, window, {"Which two are fruit?": "Which two are fruits?"})
    assert window.controller.state is ReviewState.QUESTION
    assert window.controller.screen.selected == {1, 2}
    assert "fruits?" in window.review.browser.toPlainText()
    assert shown_options(window.review.browser) == shown
    press(qtbot, window, Qt.Key.Key_Space)
    assert "Correct" in verdict(window)


def test_redo_shows_the_next_card_in_the_order_it_had(qtbot: QtBot, window: MainWindow) -> None:
    study(qtbot, window, QUIZ)
    first = current(window).id
    press(qtbot, window, Qt.Key.Key_Space)
    press(qtbot, window, Qt.Key.Key_3)
    second = current(window).id
    shown = shown_options(window.review.browser)
    assert second != first
    for _ in range(2):  # undo and redo twice over: each time the same order
        press(qtbot, window, Qt.Key.Key_Z, CTRL)
        assert current(window).id == first
        press(qtbot, window, Qt.Key.Key_Z, CTRL | SHIFT)
        assert current(window).id == second
        assert shown_options(window.review.browser) == shown
    # Two undos and two redos: each card comes back in its order.
    press(qtbot, window, Qt.Key.Key_Space)
    press(qtbot, window, Qt.Key.Key_3)
    third_shown = shown_options(window.review.browser)
    press(qtbot, window, Qt.Key.Key_Z, CTRL)
    press(qtbot, window, Qt.Key.Key_Z, CTRL)
    assert current(window).id == first
    press(qtbot, window, Qt.Key.Key_Z, CTRL | SHIFT)
    assert shown_options(window.review.browser) == shown
    press(qtbot, window, Qt.Key.Key_Z, CTRL | SHIFT)
    assert shown_options(window.review.browser) == third_shown
