"""Opening the browser, the deck editor, cheat-sheets and the New deck / New card dialogs
from the main window, and the menu entries for them (`install_menu`).

The windows share the main window's worker; a change made in one (a save, a bulk action,
an outside edit) refreshes the main window's counts and the open browsers.
"""

from __future__ import annotations

import weakref
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QInputDialog, QMainWindow, QWidget

from flashcards.gui.browser.browser_window import BrowserWindow
from flashcards.gui.browser.library_watcher import LibraryWatcher
from flashcards.gui.cheatsheet import CheatSheetWindow, SheetOptions
from flashcards.gui.editor import DeckEditor
from flashcards.gui.editor.new_card_dialog import NewCardDialog
from flashcards.gui.editor.new_deck_dialog import NewDeckDialog


class _Windows:
    """The tool windows opened from one main window (kept alive while open)."""

    def __init__(self) -> None:
        self.browsers: list[BrowserWindow] = []
        self.editors: dict[str, DeckEditor] = {}
        self.others: list[QWidget] = []
        self.watcher: LibraryWatcher | None = None


_registry: weakref.WeakKeyDictionary[QMainWindow, _Windows] = weakref.WeakKeyDictionary()


def _windows(main: Any) -> _Windows:
    if main not in _registry:
        _registry[main] = _Windows()
    return _registry[main]


def _scope(main: Any) -> Any:
    home = getattr(main, "home", None)
    return getattr(home, "scope", None)


def _changed(main: Any, source: object = None) -> None:
    """Something changed cards: refresh counts and every open browser."""
    refresh = getattr(main, "refresh", None)
    if refresh is not None:
        refresh()
    for browser in _windows(main).browsers:
        if browser is not source:
            browser.search()


def open_browser(main: Any, *, query: str | None = None) -> BrowserWindow:
    """A browser window on the main window's worker (searching the sidebar's scope)."""
    if query is None:
        scope = _scope(main)
        query = ""
        if scope is not None and getattr(scope, "deck", None):
            query = f'deck:"{scope.deck}"'
        elif scope is not None and getattr(scope, "domain", None):
            query = f'domain:"{scope.domain}"'
    browser = BrowserWindow(main.worker, settings=main.settings, now=main.now, query=query)
    windows = _windows(main)
    windows.browsers.append(browser)
    browser.destroyed.connect(
        lambda _=None: windows.browsers.remove(browser) if browser in windows.browsers else None
    )
    browser.changed.connect(lambda _change: _changed(main, browser))
    browser.edit_requested.connect(lambda key, line: open_editor(main, key, line=line))
    browser.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    browser.show()
    browser.search()
    return browser


def open_editor(main: Any, key: str, *, line: int = 0) -> DeckEditor:
    """The deck editor for file `key` (the open one is raised and moved to `line`)."""
    windows = _windows(main)
    editor = windows.editors.get(key)
    if editor is not None:
        editor.show()
        editor.raise_()
        editor.activateWindow()
        if line:
            editor.go_to_line(line)
        return editor
    editor = DeckEditor(main.worker, key=key, line=line, settings=main.settings)
    editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    windows.editors[key] = editor
    editor.destroyed.connect(lambda _=None: windows.editors.pop(key, None))
    editor.changed.connect(lambda _change: _changed(main))
    editor.show()
    editor.load()
    return editor


def edit_scope_deck(main: Any) -> None:
    """Open the editor on the sidebar's deck, or ask which deck."""
    scope = _scope(main)

    def chosen(decks: list[Any]) -> None:
        matches = [d for d in decks if scope is not None and d.name == getattr(scope, "deck", None)]
        if len(matches) == 1:
            open_editor(main, matches[0].file)
            return
        labels = [f"{d.name}  ({d.file})" for d in decks]
        if not labels:
            return
        label, ok = QInputDialog.getItem(main, "Edit deck", "Deck:", labels, 0, False)
        if ok and label in labels:
            open_editor(main, decks[labels.index(label)].file)

    main.worker.run(lambda col: col.decks(), success=chosen, label="decks")


def open_cheatsheet(main: Any, options: SheetOptions | None = None) -> CheatSheetWindow:
    """A cheat-sheet of the sidebar's deck or domain (or of `options`)."""
    if options is None:
        scope = _scope(main)
        options = SheetOptions(
            deck=getattr(scope, "deck", None) if scope is not None else None,
            domain=getattr(scope, "domain", None) if scope is not None else None,
        )
    sheet = CheatSheetWindow(main.worker, options=options, now=main.now, settings=main.settings)
    sheet.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    _keep(main, sheet)
    sheet.show()
    sheet.load()
    return sheet


def new_deck(main: Any) -> NewDeckDialog:
    dialog = NewDeckDialog(main.worker, parent=main)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.created.connect(lambda _key: _changed(main))
    dialog.open()
    return dialog


def new_card(main: Any, *, deck: str | None = None) -> NewCardDialog:
    """The New card dialog, on the sidebar's deck unless `deck` (a file key) is given."""
    if deck is None:
        scope = _scope(main)
        deck = getattr(scope, "deck", None) if scope is not None else None
    dialog = NewCardDialog(main.worker, deck=deck, parent=main)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.added.connect(lambda _note: _changed(main))
    dialog.open()
    return dialog


def _keep(main: Any, widget: QWidget) -> None:
    others = _windows(main).others
    others.append(widget)
    widget.destroyed.connect(lambda _=None: others.remove(widget) if widget in others else None)


def watch_library(main: Any) -> LibraryWatcher:
    """Sync when deck files change on disk (edits in other programs) and refresh."""
    windows = _windows(main)
    if windows.watcher is None:
        windows.watcher = LibraryWatcher(main.worker, parent=main)
        windows.watcher.synced.connect(lambda _report: _changed(main))
        windows.watcher.start()
    return windows.watcher


class _CloseGuard(QObject):
    """Closing the main window closes the tool windows first: an editor with unsaved
    work asks, and if it stays open the main window (and its worker) stays too."""

    def __init__(self, main: Any) -> None:
        super().__init__(main)
        self.main = main

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if watched is self.main and event.type() == QEvent.Type.Close:
            windows = _windows(self.main)
            for editor in list(windows.editors.values()):
                editor.close()
            if any(e.isVisible() for e in windows.editors.values()):
                event.ignore()
                return True
            for widget in [*windows.browsers, *windows.others]:
                widget.close()
        return False


def install_menu(main: Any) -> None:
    """Add the browse / edit / cheat-sheet entries to a main window's menu bar, watch
    the deck files for changes made by other programs, and close the tool windows
    (asking about unsaved edits) before the main window closes."""
    watch_library(main)
    main.installEventFilter(_CloseGuard(main))
    bar = main.menuBar()
    menu = None
    for action in bar.actions():
        if action.text().replace("&", "") == "Go":
            menu = action.menu()
    if menu is None:
        menu = bar.addMenu("&Cards")
    menu.addSeparator()
    for text, keys, slot in (
        ("&Browse cards…", "Ctrl+B", lambda: open_browser(main)),
        ("Edit &deck…", "Ctrl+Shift+M", lambda: edit_scope_deck(main)),
        ("C&heat-sheet…", "Ctrl+Shift+C", lambda: open_cheatsheet(main)),
        ("&New card…", "Ctrl+Shift+N", lambda: new_card(main)),
        ("New dec&k…", None, lambda: new_deck(main)),
    ):
        action = QAction(text, main)
        if keys:
            action.setShortcut(QKeySequence(keys))
        action.triggered.connect(lambda _=False, s=slot: s())
        menu.addAction(action)
