"""Ctrl+W and Esc close a tool window (the browser, the deck editor, a cheat-sheet, the
concept map), as they close a tab or a dialog elsewhere.

Closing goes through the window's own `closeEvent`, so the deck editor still asks about
unsaved work. Esc is the last to act: an open popup (a completer, a combo box's list)
takes it first, a search field with text is emptied first, and a window may step back
first (the map leaves a neighbourhood or clears its selection).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QLineEdit, QMenu, QWidget

CLOSE_KEYS = "Ctrl+W"


def add_close_keys(
    window: QWidget,
    *,
    menu: QMenu | None = None,
    esc: bool = True,
    step_back: Callable[[], bool] | None = None,
) -> QAction:
    """Give `window` a "Close window" action on Ctrl+W (in `menu` too, if given) and, with
    `esc`, an Esc that closes it once nothing in it wants Esc first. `step_back` is tried
    before closing: it returns True when it did something (and the window stays)."""
    close = QAction("Close window", window)
    close.setShortcut(QKeySequence(CLOSE_KEYS))
    close.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    close.triggered.connect(lambda _=False: window.close())
    window.addAction(close)
    if menu is not None:
        menu.addSeparator()
        menu.addAction(close)
    if esc:
        shortcut = QShortcut(QKeySequence(Qt.Key.Key_Escape), window)
        shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        shortcut.activated.connect(lambda: escape(window, step_back))
    return close


def escape(window: QWidget, step_back: Callable[[], bool] | None = None) -> None:
    """Esc in `window`: close an open popup, else empty the focused search field, else
    step back, else close."""
    popup = QApplication.activePopupWidget()
    if popup is not None:
        popup.close()  # a completer or a list that Qt let the shortcut see first
        return
    focus = QApplication.focusWidget()
    if (
        isinstance(focus, QLineEdit)
        and focus.text()
        and not focus.isReadOnly()
        and window.isAncestorOf(focus)
    ):
        focus.selectAll()
        focus.del_()  # as if typed: the field's search runs again (and Ctrl+Z undoes it)
        return
    if step_back is not None and step_back():
        return
    window.close()
