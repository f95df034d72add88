"""The reader's look, remembered across starts: the theme and the card text size.

Both live in the app's QSettings (not the collection: they belong to this screen, not to
the cards). `saved_theme` is what app start-up applies unless `--theme` says otherwise;
`Appearance` applies changes live to a main window and its keys (View ▸ Larger text…).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QApplication, QMenu

from flashcards.gui.theme import THEMES, applied_theme, apply_theme

if TYPE_CHECKING:
    from flashcards.gui.main_window import MainWindow

THEME_KEY = "appearance/theme"
TEXT_SIZE_KEY = "appearance/card_text_size"  # percent of the normal card text
TEXT_SIZES = (70, 80, 90, 100, 110, 120, 135, 150, 175, 200)
DEFAULT_TEXT_SIZE = 100
THEME_NAMES = {"system": "Follow the system", "light": "Light", "dark": "Dark"}
LARGER_KEYS = ("Ctrl+=", "Ctrl++")
SMALLER_KEYS = ("Ctrl+-",)
PREFERENCES_KEYS = "Ctrl+,"


def saved_theme(settings: QSettings) -> str:
    """The theme the user chose in Preferences ('system' until they choose)."""
    value = settings.value(THEME_KEY, "system")
    return value if value in THEMES else "system"


def saved_text_size(settings: QSettings) -> int:
    """The card text size in percent (100 until the user changes it)."""
    try:
        value = int(str(settings.value(TEXT_SIZE_KEY, DEFAULT_TEXT_SIZE)))
    except (TypeError, ValueError):
        return DEFAULT_TEXT_SIZE
    return min(max(value, TEXT_SIZES[0]), TEXT_SIZES[-1])


def larger(size: int) -> int:
    """The next text size up (the largest stays)."""
    return next((s for s in TEXT_SIZES if s > size), TEXT_SIZES[-1])


def smaller(size: int) -> int:
    """The next text size down (the smallest stays)."""
    return next((s for s in reversed(TEXT_SIZES) if s < size), TEXT_SIZES[0])


class Appearance(QObject):
    """Theme and text size of one main window: applied at once, remembered when set."""

    text_size_changed = Signal(int)
    theme_changed = Signal(str)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.settings = window.settings
        self.text_size = saved_text_size(self.settings)
        self._apply_text_size()
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._on_system_scheme)

    @property
    def theme(self) -> str:
        """The theme showing now (a `--theme` flag may differ from the saved one)."""
        app = QApplication.instance()
        return applied_theme(app) if isinstance(app, QApplication) else "system"

    def set_theme(self, theme: str, *, remember: bool = True) -> None:
        """Switch every window to `theme` now ('system', 'light' or 'dark')."""
        if remember:
            self.settings.setValue(THEME_KEY, theme)
        app = QApplication.instance()
        if not isinstance(app, QApplication) or theme == applied_theme(app):
            return
        apply_theme(app, scheme=theme)
        # The sidebar's count colours are picked when its rows are built.
        self.window.refresh()
        self.theme_changed.emit(theme)

    def set_text_size(self, percent: int, *, remember: bool = True) -> None:
        """Card text at `percent` of its normal size, in the review and its side panel."""
        percent = min(max(int(percent), TEXT_SIZES[0]), TEXT_SIZES[-1])
        if remember:
            self.settings.setValue(TEXT_SIZE_KEY, percent)
        if percent == self.text_size:
            return
        self.text_size = percent
        self._apply_text_size()
        self.window.statusBar().showMessage(f"Card text {percent} %", 2000)
        self.text_size_changed.emit(percent)

    def larger(self) -> None:
        self.set_text_size(larger(self.text_size))

    def smaller(self) -> None:
        self.set_text_size(smaller(self.text_size))

    def default_size(self) -> None:
        self.set_text_size(DEFAULT_TEXT_SIZE)

    def add_actions(self, menu: QMenu) -> None:
        """Larger / smaller / default card text, with their keys (they work in the review)."""
        for text, keys, slot in (
            ("&Larger card text", LARGER_KEYS, self.larger),
            ("&Smaller card text", SMALLER_KEYS, self.smaller),
            ("&Default card text size", (), self.default_size),
        ):
            action = QAction(text, self.window)
            action.setShortcuts([QKeySequence(k) for k in keys])
            action.triggered.connect(lambda _=False, s=slot: s())
            menu.addAction(action)

    def _apply_text_size(self) -> None:
        scale = self.text_size / 100
        self.window.review.browser.set_text_scale(scale)
        self.window.related.browser.set_text_scale(scale)

    def _on_system_scheme(self) -> None:
        if self.theme == "system":
            app = QApplication.instance()
            if isinstance(app, QApplication):
                apply_theme(app, scheme="system")
                self.window.refresh()


def install(window: MainWindow, edit_menu: QMenu) -> Appearance:
    """Edit ▸ Preferences… (Ctrl+,) and a View menu with the text-size keys; returns the
    window's `Appearance`, applied at once (the saved text size)."""
    appearance = Appearance(window)
    edit_menu.addSeparator()
    action = QAction("&Preferences…", window)
    action.setShortcut(QKeySequence(PREFERENCES_KEYS))
    action.setMenuRole(QAction.MenuRole.PreferencesRole)
    action.triggered.connect(lambda _=False: _open_preferences(window))
    edit_menu.addAction(action)
    appearance.add_actions(window.menuBar().addMenu("&View"))
    return appearance


def _open_preferences(window: MainWindow) -> None:
    from flashcards.gui.preferences import open_preferences  # its tabs load on first use

    open_preferences(window)
