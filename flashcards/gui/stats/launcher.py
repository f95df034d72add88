"""Go ▸ Statistics (Ctrl+Shift+S): one statistics window per main window, opened on the
deck, folder or domain chosen in the sidebar."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence

from flashcards.gui.stats.stats_window import StatsWindow

MENU_KEYS = "Ctrl+Shift+S"


def install_statistics(main: Any) -> None:
    """Add Go ▸ Statistics to a main window."""
    action = main.go_menu.addAction("S&tatistics")
    action.setObjectName("statisticsAction")
    action.setShortcut(QKeySequence(MENU_KEYS))
    action.triggered.connect(lambda _=False: open_statistics(main))


def sidebar_selection(main: Any) -> str | None:
    """The sidebar's choice as a statistics selection: a deck or folder name, a domain."""
    scope = getattr(getattr(main, "home", None), "scope", None)
    if scope is None:
        return None
    if getattr(scope, "domain", None):
        return f"domain:{scope.domain}"
    deck = getattr(scope, "deck", None)
    return str(deck) if deck else None


def open_statistics(main: Any) -> StatsWindow:
    """Show the statistics window (made on first use), on the sidebar's choice when
    it is made, and read its figures afresh."""
    # A closed window is gone (deleted on close): only an open one is brought forward.
    window = next((w for w in main.findChildren(StatsWindow) if w.isVisible()), None)
    if window is None:
        window = StatsWindow(
            main.worker,
            deck=sidebar_selection(main),
            settings=main.settings,
            now=main.now,
            parent=main,
        )
        window.setWindowFlag(Qt.WindowType.Window)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window.show()
    window.raise_()
    window.activateWindow()
    window.load()
    return window
