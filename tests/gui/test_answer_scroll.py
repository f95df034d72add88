"""Showing the answer brings it into view when it starts below the fold, as Anki scrolls
to its `#answer` (an imported Image Occlusion card's answer picture sits under the
question's): real window, real keys, real deck file."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from conftest import write_library
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from review_window import current, idle, open_window, press, study

from flashcards.gui.card_text import anchor_top
from flashcards.gui.deck_tree import Scope
from flashcards.gui.main_window import MainWindow

LONG = "\n".join(f"- step {n} of the pipeline" for n in range(1, 61))
DECK = f"""---
title: Scroll
---

## A long question {{#long01}}
{LONG}
?
The answer to the long one.

## A short question {{#short1}}
Short?
?
The answer to the short one.
"""


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path, now: datetime) -> Iterator[MainWindow]:
    data = tmp_path / "data"
    write_library(data, {"scroll.md": DECK})
    win = open_window(qtbot, data, tmp_path / "settings.ini", now)
    win.resize(1366, 740)
    yield win
    win.close()


def _reveal(qtbot: QtBot, window: MainWindow, card_id: str) -> int:
    """Show `card_id`'s answer with Space; the answer's top, in view coordinates."""
    window.controller.review_card(card_id)
    idle(qtbot, window)
    assert current(window).id == card_id
    browser = window.review.browser
    assert browser.verticalScrollBar().value() == 0
    press(qtbot, window, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: "The answer to" in browser.toPlainText())
    top = anchor_top(browser.document(), "answer")
    assert top is not None
    return round(top) - browser.verticalScrollBar().value()


def test_a_long_card_scrolls_to_its_answer(qtbot: QtBot, window: MainWindow) -> None:
    study(qtbot, window, Scope("Scroll", deck="Scroll"))
    browser = window.review.browser
    at = _reveal(qtbot, window, "long01")
    view = browser.viewport().height()
    assert browser.verticalScrollBar().maximum() > view  # the question alone overflows
    # The answer is in view, the card's end at the bottom (the answer is short).
    assert 0 <= at <= view - 3 * browser.fontMetrics().lineSpacing()
    assert browser.verticalScrollBar().value() == browser.verticalScrollBar().maximum()


def test_a_card_that_fits_does_not_move(qtbot: QtBot, window: MainWindow) -> None:
    study(qtbot, window, Scope("Scroll", deck="Scroll"))
    assert _reveal(qtbot, window, "short1") > 0
    assert window.review.browser.verticalScrollBar().value() == 0
