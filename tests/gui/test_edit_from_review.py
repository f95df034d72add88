"""E in the review opens the card's Markdown in the deck editor's widgets: highlighting,
link completion and a live preview; saving keeps the card's review history."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from pytestqt.qtbot import QtBot
from review_window import ask, current, idle, open_window, press, study

from flashcards.gui.card_text import CardText
from flashcards.gui.deck_tree import Scope
from flashcards.gui.editor.deck_editor import CloseChoice
from flashcards.gui.editor.highlighter import DeckHighlighter
from flashcards.gui.editor.markdown_edit import MarkdownEdit
from flashcards.gui.main_window import MainWindow


@pytest.fixture
def window(qtbot: QtBot, data_dir: Path, tmp_path: Path, now: datetime) -> Iterator[MainWindow]:
    win = open_window(qtbot, data_dir, tmp_path / "settings.ini", now)
    win.resize(1366, 740)
    yield win
    win.close()


def reach_eta_again(qtbot: QtBot, window: MainWindow) -> str:
    """Answer "What is eta" Again (history to keep), the rest Easy, until it is back."""
    study(qtbot, window, Scope("Tiny", deck="Tiny"))
    eta = None
    for _ in range(10):
        view = current(window)
        if "eta" in view.card.title and eta is not None:
            return eta
        press(qtbot, window, Qt.Key.Key_Space)
        if "eta" in view.card.title:
            eta = view.id
            press(qtbot, window, Qt.Key.Key_1)
        else:
            press(qtbot, window, Qt.Key.Key_4)
    raise AssertionError("the Again card did not come back")


def heading_colour(editor: object) -> str:
    block = editor.edit.document().firstBlock()  # type: ignore[attr-defined]
    formats = block.layout().formats()
    assert formats, "the heading line has no highlighting"
    return formats[0].format.foreground().color().name()


def test_e_opens_the_editor_with_highlighting_preview_and_completion(
    qtbot: QtBot, window: MainWindow, data_dir: Path
) -> None:
    card_id = reach_eta_again(qtbot, window)
    press(qtbot, window, Qt.Key.Key_E)
    review = window.review
    qtbot.waitUntil(lambda: review.editor is not None and review.editor.isVisible())
    editor = review.editor
    assert isinstance(editor.edit, MarkdownEdit)
    assert isinstance(editor.highlighter, DeckHighlighter)
    assert editor.highlighter.document() is editor.edit.document()
    assert editor.edit.toPlainText().startswith("## What is eta in XGBoost?")
    expected = editor.highlighter.formats["heading"].foreground().color().name()
    assert heading_colour(editor) == expected
    assert "Early stopping" in editor.edit.titles.stringList()  # [[link]] completion
    qtbot.waitUntil(lambda: "The learning rate" in editor.preview.toPlainText(), timeout=5000)
    assert "?" not in editor.preview.toPlainText().split()  # rendered, not the source
    # Shown as every card view shows cards: the theme's look, copies without break hints.
    assert isinstance(editor.preview, CardText) and "learning rate" in editor.preview.card_html
    # The editor fits the 1366×768 screen beside the window it belongs to.
    assert editor.width() <= 1366 and editor.height() <= 768

    cursor = editor.edit.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.End)
    editor.edit.setTextCursor(cursor)
    with qtbot.waitSignal(editor.preview_updated, timeout=5000):
        qtbot.keyClicks(editor.edit, "Also called shrinkage.")
    assert "Also called shrinkage." in editor.preview.toPlainText()

    qtbot.keyClick(editor.edit, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not editor.isVisible())
    idle(qtbot, window)  # the save
    press(qtbot, window, Qt.Key.Key_Space)
    assert current(window).id == card_id
    assert "Also called shrinkage." in review.browser.toPlainText()
    assert "Also called shrinkage." in (data_dir / "decks" / "tiny.md").read_text()
    history = ask(qtbot, window, lambda col: col.history(card_id))
    assert len(history) == 1  # the Again before the edit is kept


def test_esc_with_unsaved_changes_asks_before_dropping_them(
    qtbot: QtBot, window: MainWindow, data_dir: Path
) -> None:
    study(qtbot, window, Scope("Tiny", deck="Tiny"))
    before = (data_dir / "decks" / "tiny.md").read_text()
    press(qtbot, window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    review = window.review
    qtbot.waitUntil(lambda: review.editor is not None and review.editor.isVisible())
    editor = review.editor
    qtbot.keyClicks(editor.edit, "typed by mistake ")
    asked: list[bool] = []
    editor.ask_close = lambda: asked.append(True) or CloseChoice.CANCEL
    qtbot.keyClick(editor.edit, Qt.Key.Key_Escape)
    assert asked == [True] and editor.isVisible()
    editor.ask_close = lambda: CloseChoice.DISCARD
    qtbot.keyClick(editor.edit, Qt.Key.Key_Escape)
    assert not editor.isVisible()
    assert (data_dir / "decks" / "tiny.md").read_text() == before
