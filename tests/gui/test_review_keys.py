"""Keys in the review and on Today: scrolling a long card (without taking the rating or
choice keys), and Space starting a session from wherever the focus is on Today."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from review_window import ask, current, idle, open_window, press, study

from flashcards.core.model import CardKind, Rating
from flashcards.gui.deck_tree import Scope
from flashcards.gui.main_window import MainWindow
from flashcards.gui.review_models import ReviewState

LONG_ANSWER = "\n".join(f"{i}. Step {i} of a long procedure, one line each." for i in range(1, 90))
LONG_DECK = f"""\
---
title: Long
---

## A long procedure
What are the steps?
?
{LONG_ANSWER}
"""


@pytest.fixture
def window(qtbot: QtBot, data_dir: Path, tmp_path: Path, now: datetime) -> Iterator[MainWindow]:
    (data_dir / "decks" / "long.md").write_text(LONG_DECK, encoding="utf-8")
    win = open_window(qtbot, data_dir, tmp_path / "settings.ini", now)
    win.resize(1366, 740)
    yield win
    win.close()


def test_page_arrow_home_and_end_keys_scroll_a_long_card(
    qtbot: QtBot, window: MainWindow
) -> None:
    study(qtbot, window, Scope("Long", deck="Long"))
    press(qtbot, window, Qt.Key.Key_Space)
    card_id = current(window).id
    bar = window.review.browser.verticalScrollBar()
    assert bar.maximum() > bar.pageStep()  # longer than the screen
    press(qtbot, window, Qt.Key.Key_PageDown)
    assert bar.value() == bar.pageStep()
    press(qtbot, window, Qt.Key.Key_Down)
    assert bar.value() == bar.pageStep() + bar.singleStep()
    press(qtbot, window, Qt.Key.Key_Up)
    press(qtbot, window, Qt.Key.Key_PageUp)
    assert bar.value() == 0
    press(qtbot, window, Qt.Key.Key_End)
    assert bar.value() == bar.maximum()
    press(qtbot, window, Qt.Key.Key_Home)
    assert bar.value() == 0
    # A click puts the focus in the card; the keys still scroll it, and rate it.
    browser = window.review.browser
    qtbot.mouseClick(browser.viewport(), Qt.MouseButton.LeftButton)
    press(qtbot, window, Qt.Key.Key_PageDown, to=browser)
    assert bar.value() == bar.pageStep()
    press(qtbot, window, Qt.Key.Key_3, to=browser)
    history = ask(qtbot, window, lambda col: col.history(card_id))
    assert [h.rating for h in history] == [Rating.GOOD]


def test_scroll_keys_leave_choice_letters_and_ratings_alone(
    qtbot: QtBot, window: MainWindow
) -> None:
    study(qtbot, window, Scope("Tiny", deck="Tiny"))
    while current(window).card.kind is not CardKind.CHOICE:
        press(qtbot, window, Qt.Key.Key_Space)
        press(qtbot, window, Qt.Key.Key_4)
    for key in (Qt.Key.Key_Down, Qt.Key.Key_PageDown, Qt.Key.Key_End, Qt.Key.Key_Home):
        press(qtbot, window, key)
    assert window.controller.state is ReviewState.QUESTION
    assert window.controller.screen is not None and window.controller.screen.selected == set()
    press(qtbot, window, Qt.Key.Key_B)
    assert window.controller.screen.selected == {window.controller.screen.loaded.file_index(1)}
    press(qtbot, window, Qt.Key.Key_Space)
    press(qtbot, window, Qt.Key.Key_Up)
    assert window.controller.state is ReviewState.ANSWER
    press(qtbot, window, Qt.Key.Key_1)
    assert window.controller.state is not ReviewState.ANSWER


def test_space_studies_from_the_sidebar(qtbot: QtBot, window: MainWindow) -> None:
    sidebar = window.sidebar
    sidebar.setFocus()
    tiny = window.sidebar.deck_model._rows[Scope("Tiny", deck="Tiny")][0].index()  # noqa: SLF001
    sidebar.setCurrentIndex(tiny)
    assert window.home.scope == Scope("Tiny", deck="Tiny")
    press(qtbot, window, Qt.Key.Key_Space, to=sidebar)
    assert window.stack.currentWidget() is window.review
    assert current(window).deck == "Tiny"
    press(qtbot, window, Qt.Key.Key_Escape)
    assert window.stack.currentWidget() is window.home
    press(qtbot, window, Qt.Key.Key_Return, to=sidebar)  # Enter did already
    assert window.stack.currentWidget() is window.review


def test_space_studies_when_nothing_has_the_focus(qtbot: QtBot, window: MainWindow) -> None:
    window.home.clearFocus()
    press(qtbot, window, Qt.Key.Key_Space, to=window)
    assert window.stack.currentWidget() is window.review
    assert window.controller.state is ReviewState.QUESTION


def test_ctrl_shift_z_redoes_what_ctrl_z_took_back(qtbot: QtBot, window: MainWindow) -> None:
    ctrl, shift = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier
    study(qtbot, window, Scope("Tiny", deck="Tiny"))
    first = current(window).id
    press(qtbot, window, Qt.Key.Key_Space)
    press(qtbot, window, Qt.Key.Key_3)
    second = current(window).id
    assert second != first
    press(qtbot, window, Qt.Key.Key_Z, ctrl)  # undo: the first card again, unanswered
    assert current(window).id == first and window.controller.progress.done == 0
    assert ask(qtbot, window, lambda col: col.history(first)) == []
    press(qtbot, window, Qt.Key.Key_Z, ctrl | shift)  # redo: answered Good again, move on
    assert [h.rating for h in ask(qtbot, window, lambda col: col.history(first))] == [
        Rating.GOOD
    ]
    assert current(window).id == second and window.controller.progress.done == 1
    assert "Redid Answer" in window.statusBar().currentMessage()
    # A new answer clears what there was to redo.
    press(qtbot, window, Qt.Key.Key_Z, ctrl)
    press(qtbot, window, Qt.Key.Key_Space)
    press(qtbot, window, Qt.Key.Key_4)
    press(qtbot, window, Qt.Key.Key_Z, ctrl | shift)
    assert [h.rating for h in ask(qtbot, window, lambda col: col.history(first))] == [
        Rating.EASY
    ]
    assert ask(qtbot, window, lambda col: col.redo_label()) is None


def test_edit_menu_redo_outside_the_review(qtbot: QtBot, window: MainWindow) -> None:
    card = ask(qtbot, window, lambda col: col.queue()[0])
    ask(qtbot, window, lambda col: col.suspend([card]))
    window.undo()
    idle(qtbot, window)
    assert not ask(qtbot, window, lambda col: col.card(card).suspended)
    assert window.redo_action.shortcut().toString() == "Ctrl+Shift+Z"
    window.redo_action.trigger()
    idle(qtbot, window)
    assert ask(qtbot, window, lambda col: col.card(card).suspended)
    assert window.statusBar().currentMessage() == "Redid Suspend"
