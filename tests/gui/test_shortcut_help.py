"""Help ▸ Keyboard shortcuts lists every key of every window: each window's actions and
shortcuts are walked, and a key its group in shortcut_list.py does not cover fails."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from flashcards.core.model import NoteId
from flashcards.gui import shortcut_list as keys
from flashcards.gui.dialogs import ShortcutsDialog
from tests.gui.test_window_geometry import build, mouse_on, settings  # noqa: F401 (fixtures)

GROUPS_OF = {
    "main": (keys.MAIN, keys.REVIEW),
    "browser": (keys.BROWSER,),
    "editor": (keys.EDITOR,),
    "cheatsheet": (keys.CHEATSHEET,),
    "map": (keys.CONCEPT_MAP,),
    "study": (keys.REVIEW, keys.CONCEPT_MAP),
    "new card": (),
    "new deck": (),
    "statistics": (keys.STATISTICS,),
}


def with_every_tool(window: Any) -> Any:
    """The main window as the app has it once the collection is open: the browser,
    editor, cheat-sheet and concept-map entries in its menus."""
    from flashcards.gui.app import install_tools

    install_tools(window)
    return window


@pytest.mark.parametrize("kind", list(GROUPS_OF))
def test_every_key_of_every_window_is_in_the_help(
    build: Callable[[str], QWidget],  # noqa: F811 (the fixture)
    kind: str,
) -> None:
    window = build(kind)
    if kind == "main":
        with_every_tool(window)
    listed = set().union(*(group.covered() for group in GROUPS_OF[kind]))
    registered = keys.registered_keys(window)
    missing = {k: what for k, what in registered.items() if k not in listed}
    assert missing == {}, f"add these keys to {kind}'s group in gui/shortcut_list.py"
    if kind == "main":
        assert {"Ctrl+B", "Ctrl+M", "F5", "Ctrl+Shift+C", "Ctrl+Shift+S"} <= set(registered)


def test_the_note_editor_keys_are_in_the_help(qtbot: QtBot) -> None:
    from flashcards.gui.editor.note_editor import NoteEditorDialog
    from flashcards.gui.review_models import NoteSource

    dialog = NoteEditorDialog(NoteSource(NoteId("n1"), "## A\nB\n", "A", deck="tiny.md"))
    qtbot.addWidget(dialog)
    missing = set(keys.registered_keys(dialog)) - keys.NOTE_EDITOR.covered()
    assert missing == set()


def test_a_key_added_without_a_row_is_caught(qtbot: QtBot) -> None:
    from PySide6.QtGui import QAction, QKeySequence

    window = QWidget()
    qtbot.addWidget(window)
    action = QAction("Shuffle", window)
    action.setShortcut(QKeySequence("Ctrl+Shift+U"))
    window.addAction(action)
    assert keys.registered_keys(window) == {"Ctrl+Shift+U": "Shuffle"}
    assert "Ctrl+Shift+U" not in set().union(*(g.covered() for g in keys.GROUPS))


def test_f1_opens_the_list_grouped_by_window_and_it_fits_the_screen(
    build: Callable[[str], QWidget],  # noqa: F811 (the fixture)
    qtbot: QtBot,
) -> None:
    _name, available = mouse_on("a-laptop")
    window = with_every_tool(build("main"))
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_F1)
    dialog = window.findChild(ShortcutsDialog)
    assert dialog is not None and dialog.isVisible()
    shown = " ".join(dialog.text.toPlainText().split())
    for group in keys.GROUPS:
        assert group.title in shown
        for row in group.rows:
            assert " ".join(f"{row[0]} {row[1]}".split()) in shown, row
    assert available.contains(dialog.frameGeometry())
    # Longer than the screen: it scrolls.
    assert dialog.text.verticalScrollBar().maximum() > 0
