"""Numbers that must stay true during a session: the status bar's count, the Today
table's order, the related-card panel, and the time estimate."""

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
from flashcards.gui.review_models import ReviewState


@pytest.fixture
def window(qtbot: QtBot, data_dir: Path, tmp_path: Path, now: datetime) -> Iterator[MainWindow]:
    win = open_window(qtbot, data_dir, tmp_path / "settings.ini", now)
    win.resize(1366, 740)
    yield win
    win.close()


def deck_rows(window: MainWindow) -> list[str]:
    table = window.home.deck_list
    return [table.topLevelItem(i).text(0) for i in range(table.topLevelItemCount())]


def test_the_status_bar_count_follows_each_answer(qtbot: QtBot, window: MainWindow) -> None:
    assert window.status_label.text() == "5 to study · 2 decks"
    study(qtbot, window, Scope("Tiny", deck="Tiny"))
    press(qtbot, window, Qt.Key.Key_Space)
    press(qtbot, window, Qt.Key.Key_4)  # Easy: learnt for today
    qtbot.waitUntil(lambda: window.status_label.text() == "4 to study · 2 decks", timeout=5000)
    press(qtbot, window, Qt.Key.Key_Space)
    press(qtbot, window, Qt.Key.Key_4)
    qtbot.waitUntil(lambda: window.status_label.text() == "3 to study · 2 decks", timeout=5000)


def test_the_today_table_keeps_its_order_after_studying(
    qtbot: QtBot, window: MainWindow
) -> None:
    before = deck_rows(window)
    assert before == ["Data", "Tiny"]  # by name, as in the sidebar
    study(qtbot, window, Scope("Tiny", deck="Tiny"))
    while window.controller.state is ReviewState.QUESTION:
        press(qtbot, window, Qt.Key.Key_Space)
        press(qtbot, window, Qt.Key.Key_4)
    press(qtbot, window, Qt.Key.Key_Escape)
    # Tiny stays picked: the tiles count what Study would take, none of Tiny's left.
    qtbot.waitUntil(lambda: window.status_label.text() == "1 to study · 2 decks", timeout=5000)
    assert window.home.due_tile.value.text() == "0"
    assert deck_rows(window) == before


def test_the_related_panel_closes_when_the_next_card_comes(
    qtbot: QtBot, window: MainWindow
) -> None:
    study(qtbot, window, Scope("Tiny", deck="Tiny"))
    while "Early stopping" not in window.review.browser.toPlainText():
        press(qtbot, window, Qt.Key.Key_Space)  # the link is on the answer side
        if "Early stopping" not in window.review.browser.toPlainText():
            press(qtbot, window, Qt.Key.Key_4)
    first = current(window).id
    window.controller.open_link("card:Early%20stopping")
    qtbot.waitUntil(window.related.isVisible, timeout=5000)
    assert window.related.title.text() == "Early stopping"
    press(qtbot, window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)  # a flag: same card
    assert window.related.isVisible()
    press(qtbot, window, Qt.Key.Key_3)
    assert current(window).id != first
    assert not window.related.isVisible()
    press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert current(window).id == first


def test_the_time_estimate_counts_a_new_cards_learning_steps(window: MainWindow) -> None:
    # Five new cards and no history: each is read once and seen again at its learning
    # steps (20 s + 1.5 × 8 s), not 5 × 25 s.
    assert window.home.due_tile.value.text() == "5"
    assert window.home.time_tile.value.text() == "3 min"
