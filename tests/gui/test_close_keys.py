"""Ctrl+W and Esc close the tool windows, by real key presses; Esc lets a popup, a
search field and the map's own "step back" have it first."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from flashcards.gui.editor.deck_editor import CloseChoice


@pytest.fixture
def open_window(qtbot: QtBot, runner: Any, tmp_path: Path, now: datetime) -> Callable[[str], Any]:
    """`open_window(kind)`: a tool window, shown, active, and loaded."""
    from flashcards.gui.browser.browser_window import BrowserWindow
    from flashcards.gui.cheatsheet import CheatSheetWindow
    from flashcards.gui.concept_map.map_window import ConceptMapWindow
    from flashcards.gui.editor import DeckEditor

    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)

    def make(kind: str) -> Any:
        window: Any
        if kind == "browser":
            window = BrowserWindow(runner, settings=settings, now=lambda: now)
        elif kind == "editor":
            window = DeckEditor(runner, key="tiny.md", settings=settings)
        elif kind == "cheatsheet":
            window = CheatSheetWindow(runner, now=lambda: now, settings=settings)
        elif kind == "map":
            window = ConceptMapWindow(runner, now=lambda: now)
        else:
            raise ValueError(kind)
        qtbot.addWidget(window)
        window.show()
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)  # window shortcuts need it
        if kind == "browser":
            window.search()
        else:
            window.load()
        return window

    return make


def press(
    qtbot: QtBot, widget: QWidget, key: Qt.Key, mods: Any = Qt.KeyboardModifier.NoModifier
) -> None:
    qtbot.keyClick(widget, key, mods)


TOOLS = ["browser", "editor", "cheatsheet", "map"]


@pytest.mark.parametrize("kind", TOOLS)
def test_ctrl_w_closes_the_window(
    open_window: Callable[[str], Any], qtbot: QtBot, kind: str
) -> None:
    window = open_window(kind)
    press(
        qtbot,
        QApplication.focusWidget() or window,
        Qt.Key.Key_W,
        Qt.KeyboardModifier.ControlModifier,
    )
    assert not window.isVisible()


@pytest.mark.parametrize("kind", TOOLS)
def test_esc_closes_the_window(open_window: Callable[[str], Any], qtbot: QtBot, kind: str) -> None:
    window = open_window(kind)
    window.setFocus()
    press(qtbot, window, Qt.Key.Key_Escape)
    assert not window.isVisible()


def test_the_editor_asks_before_closing_unsaved_work(
    open_window: Callable[[str], Any], qtbot: QtBot
) -> None:
    editor = open_window("editor")
    qtbot.waitUntil(lambda: editor.base is not None)
    asked: list[str] = []

    def ask() -> CloseChoice:
        asked.append("close?")
        return CloseChoice.CANCEL

    editor.ask_close = ask
    editor.edit.setFocus()
    qtbot.keyClicks(editor.edit, "x")
    press(qtbot, editor.edit, Qt.Key.Key_Escape)
    assert asked == ["close?"] and editor.isVisible()
    press(qtbot, editor.edit, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    assert asked == ["close?", "close?"] and editor.isVisible()
    editor.ask_close = lambda: CloseChoice.DISCARD


def test_esc_closes_the_link_completer_not_the_editor(
    open_window: Callable[[str], Any], qtbot: QtBot
) -> None:
    editor = open_window("editor")
    qtbot.waitUntil(lambda: editor.base is not None)
    asked: list[str] = []
    editor.ask_close = lambda: asked.append("close?") or CloseChoice.DISCARD
    editor.edit.setFocus()
    editor.edit.moveCursor(QTextCursor.MoveOperation.End)
    press(qtbot, editor.edit, Qt.Key.Key_Return)
    qtbot.keyClicks(editor.edit, "[[Ear")
    popup = editor.edit.completer.popup()
    qtbot.waitUntil(popup.isVisible)
    press(qtbot, popup, Qt.Key.Key_Escape)
    assert not popup.isVisible()
    assert editor.isVisible() and asked == []


def test_esc_in_the_browser_search_empties_it_first(
    open_window: Callable[[str], Any], qtbot: QtBot
) -> None:
    browser = open_window("browser")
    browser.search_box.setFocus()
    qtbot.keyClicks(browser.search_box, "kinesis")
    press(qtbot, browser.search_box, Qt.Key.Key_Escape)
    assert browser.search_box.text() == "" and browser.isVisible()
    press(qtbot, browser.search_box, Qt.Key.Key_Escape)
    assert not browser.isVisible()


def test_esc_on_the_map_clears_the_selection_before_closing(
    open_window: Callable[[str], Any], qtbot: QtBot
) -> None:
    window = open_window("map")
    assert window.model is not None
    window.select(0)
    window.view.setFocus()
    press(qtbot, window.view, Qt.Key.Key_Escape)
    assert window.scene.selected == [] and window.isVisible()
    press(qtbot, window.view, Qt.Key.Key_Escape)
    assert not window.isVisible()
