"""Reviewing a stranger's hostile cards: no hang, no crash, no bug dialog.

A card nested past the limits shows its source and the reason on both sides; images
naming a FIFO, a device or files outside the library are simply not there.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from review_window import open_window, press, study

from flashcards.gui.deck_tree import Scope
from flashcards.gui.main_window import MainWindow
from flashcards.gui.review_models import ReviewState

DEEP = "- " * 600 + "deep"

HOSTILE_DECK = f"""\
---
title: Hostile
---

## Deep list {{#deep01}}
Which answer hides in here?
?
The answer is forty-two.

{DEEP}

## Bad images {{#imgs01}}
Look: ![pipe](pipe.png) ![zero](zero.png) <img src="file:///etc/passwd" alt="pw">
?
![up](../../outside.png) <img src="/dev/urandom" alt="rnd"> Nothing to see.
"""


@pytest.fixture
def window(qtbot: QtBot, data_dir: Path, tmp_path: Path, now: datetime) -> Iterator[MainWindow]:
    decks = data_dir / "decks"
    (decks / "hostile.md").write_text(HOSTILE_DECK, encoding="utf-8")
    os.mkfifo(decks / "pipe.png")
    (decks / "zero.png").symlink_to("/dev/zero")
    win = open_window(qtbot, data_dir, tmp_path / "settings.ini", now)
    win.resize(1366, 740)
    reported: list[object] = []
    win.errors = reported.append  # type: ignore[assignment]
    win.reported = reported  # type: ignore[attr-defined]
    yield win
    win.close()


def _see(qtbot: QtBot, window: MainWindow, title: str) -> str:
    """Study until the card titled `title` is the question; its HTML."""
    for _ in range(4):
        screen = window.controller.screen
        assert screen is not None
        if screen.loaded.view.card.title == title:
            return screen.html
        press(qtbot, window, Qt.Key.Key_Space)  # the answer
        press(qtbot, window, Qt.Key.Key_3)  # Good: the next card
    raise AssertionError(f"never saw {title}")


def test_hostile_cards_review_without_a_bug_dialog(qtbot: QtBot, window: MainWindow) -> None:
    study(qtbot, window, Scope("Hostile", deck="Hostile"))
    front = _see(qtbot, window, "Deep list")
    assert "Which answer hides in here?" in front and "Shown as written" not in front
    press(qtbot, window, Qt.Key.Key_Space)
    assert window.controller.state is ReviewState.ANSWER
    back = window.controller.screen.html if window.controller.screen else ""
    assert "Shown as written: its lists or quotes nest more than" in back
    assert "The answer is forty-two." in window.review.browser.toPlainText()
    press(qtbot, window, Qt.Key.Key_3)
    images = _see(qtbot, window, "Bad images")
    assert "<img" not in images and "pw" in images
    press(qtbot, window, Qt.Key.Key_Space)
    back = window.controller.screen.html if window.controller.screen else ""
    assert "<img" not in back and "Nothing to see." in back
    assert window.reported == []  # type: ignore[attr-defined]
