"""The card editor (E in the review) never saves over an edit that reached the card's
lines on disk while it was open: the deck editor's question is asked (keep mine, reload
from disk, show both) and only "keep mine" writes."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from pytestqt.qtbot import QtBot
from review_window import current, idle, open_window, press, study

from flashcards.gui.deck_tree import Scope
from flashcards.gui.editor.unsaved_questions import CloseChoice, ConflictChoice
from flashcards.gui.main_window import MainWindow

ANSWER = "Stop training when the validation loss stops improving."
THEIRS = "Stop when validation loss stalls (fixed on the desktop)."


@pytest.fixture
def window(qtbot: QtBot, data_dir: Path, tmp_path: Path, now: datetime) -> Iterator[MainWindow]:
    win = open_window(qtbot, data_dir, tmp_path / "settings.ini", now)
    yield win
    win.close()


def edit_while_changed_on_disk(qtbot: QtBot, window: MainWindow, deck: Path) -> list[str]:
    """Open "Early stopping" in the card editor, change it on disk, type and Ctrl+S."""
    study(qtbot, window, Scope("Tiny", deck="Tiny"))
    for _ in range(6):
        if current(window).card.title == "Early stopping":
            break
        press(qtbot, window, Qt.Key.Key_Space)
        press(qtbot, window, Qt.Key.Key_4)
    assert current(window).card.title == "Early stopping"
    press(qtbot, window, Qt.Key.Key_E)
    review = window.review
    qtbot.waitUntil(lambda: review.editor is not None and review.editor.isVisible())
    editor = review.editor
    deck.write_text(deck.read_text().replace(ANSWER, THEIRS), encoding="utf-8")
    cursor = editor.edit.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.End)
    editor.edit.setTextCursor(cursor)
    qtbot.keyClick(editor.edit, Qt.Key.Key_Return)
    qtbot.keyClicks(editor.edit, "Mine: patience 10.")
    asked: list[str] = []
    return asked


@pytest.mark.parametrize("choice", list(ConflictChoice))
def test_a_save_over_a_change_on_disk_asks_and_writes_only_keep_mine(
    qtbot: QtBot, window: MainWindow, data_dir: Path, choice: ConflictChoice
) -> None:
    deck = data_dir / "decks" / "tiny.md"
    asked = edit_while_changed_on_disk(qtbot, window, deck)
    review = window.review
    review.ask_conflict = lambda name: asked.append(name) or choice
    editor = review.editor
    qtbot.keyClick(editor.edit, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: bool(asked), timeout=10_000)
    idle(qtbot, window)
    assert asked == ["This card in tiny.md"]
    text = deck.read_text()
    if choice is ConflictChoice.KEEP_MINE:  # the lines as the editor had them, asked first
        assert ANSWER in text and "```\nMine: patience 10.\n" in text and THEIRS not in text
    else:  # nothing written: the other edit stays
        assert THEIRS in text and "Mine" not in text
    if choice is ConflictChoice.RELOAD:
        press(qtbot, window, Qt.Key.Key_Space)
        assert THEIRS in review.browser.toPlainText()  # the card shows the version on disk
    if choice is ConflictChoice.SHOW_BOTH:
        again = review.editor
        assert again is not editor and again.isVisible() and again.modified
        assert again.edit.toPlainText().endswith("Mine: patience 10.")
        assert "fixed on the desktop" in review.disk_version.toPlainText()
        review.disk_version.close()
        # Saving from the reopened editor is against the lines on disk now: it writes.
        qtbot.keyClick(again.edit, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
        idle(qtbot, window)
        assert asked == ["This card in tiny.md"]
        assert "Mine: patience 10." in deck.read_text()
    if review.editor.isVisible():
        review.editor.ask_close = lambda: CloseChoice.DISCARD
        review.editor.reject()
