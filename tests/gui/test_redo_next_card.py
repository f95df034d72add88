"""Redo in the review window brings back the card that came next before the undo (QA:
answer, Ctrl+Z, Ctrl+Shift+Z showed another card). New cards of two exam domains take
turns, which a queue built afresh after the answer did not keep."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from review_window import current, open_window, press, study

from flashcards.gui.deck_tree import Scope
from flashcards.gui.main_window import MainWindow
from tests.gui.conftest import write_library


def deck(title: str, domain: str) -> str:
    notes = "".join(f"## {title} question {i}\n?\n{title} answer {i}\n\n" for i in range(5))
    return f"---\ntitle: {title}\ndomain: {domain}\n---\n\n{notes}"


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path, now: datetime) -> Iterator[MainWindow]:
    data = tmp_path / "data"
    write_library(
        data, {"a.md": deck("Alpha", "Modeling"), "b.md": deck("Beta", "Data Engineering")}
    )
    win = open_window(qtbot, data, tmp_path / "settings.ini", now)
    yield win
    win.close()


def test_redo_shows_the_card_that_followed_the_answer(qtbot: QtBot, window: MainWindow) -> None:
    ctrl, shift = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier
    study(qtbot, window, Scope("All decks"))
    for _ in range(3):
        answered = current(window).id
        press(qtbot, window, Qt.Key.Key_Space)
        press(qtbot, window, Qt.Key.Key_3)
        following = current(window).id
        press(qtbot, window, Qt.Key.Key_Z, ctrl)
        assert current(window).id == answered
        press(qtbot, window, Qt.Key.Key_Z, ctrl | shift)
        assert current(window).id == following
        assert "Redid Answer" in window.statusBar().currentMessage()
    # Undo, then the same answer again: the same card follows too.
    answered = current(window).id
    press(qtbot, window, Qt.Key.Key_Space)
    press(qtbot, window, Qt.Key.Key_3)
    following = current(window).id
    press(qtbot, window, Qt.Key.Key_Z, ctrl)
    press(qtbot, window, Qt.Key.Key_Space)
    press(qtbot, window, Qt.Key.Key_4)
    assert current(window).id == following
